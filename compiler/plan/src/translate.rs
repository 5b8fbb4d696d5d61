//! Translation of the engine-neutral settings (sweep axes, quant fields,
//! precision pairs) into the flags of one engine version, with stdlib data
//! (spec §3.4–3.6). Every contribution records where it came from.

use crate::contrib::{Causes, Choice, Contrib, Outcome, Target, PRIORITY_DERIVED};
use crate::model::{Origin, QuantizeStep};
use tune_check::study::{Axis, Located, PrecisionPair, QuantPoint, Study, Value};
use tune_check::{Diagnostic, Loc};
use tune_stdlib::{bare, AxisMapping, EngineVersion};

pub(crate) struct Translator<'a> {
    pub ev: &'static EngineVersion,
    pub study: &'a Study,
    pub diags: &'a mut Vec<Diagnostic>,
    pub causes: &'a mut Causes,
    /// The stdlib rows used, by the short name origins refer to them with.
    pub mappings: &'a mut std::collections::BTreeMap<String, String>,
}

/// A flag of the engine as a target: its identity is the schema's `dest`, so
/// that `args` can override it under any of its spellings.
pub(crate) fn flag_target(ev: &EngineVersion, flag: &str, values: Vec<String>) -> Target {
    let (identity, name) = match ev.schema().and_then(|s| s.flag(flag)) {
        Some((spec, _)) => (spec.identity().to_string(), flag.to_string()),
        None => (bare(flag).to_string(), flag.to_string()),
    };
    Target::Flag {
        identity,
        flag: Some(name),
        values,
    }
}

/// `["--a", "x", "--b"]` → `--a x`, `--b`.
pub(crate) fn split_args(ev: &EngineVersion, args: &[String]) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    for a in args {
        if a.starts_with("--")
            || (a.starts_with('-')
                && a.len() > 1
                && !a[1..].starts_with(|c: char| c.is_ascii_digit()))
        {
            out.push(flag_target(ev, a, vec![]));
        } else if let Some(Target::Flag { values, .. }) = out.last_mut() {
            values.push(a.clone());
        }
    }
    out
}

fn yaml_value(v: &Value) -> serde_json::Value {
    match v {
        Value::Int(i) => (*i).into(),
        Value::Float(f) | Value::Ratio(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Value::Bool(b) => (*b).into(),
        Value::Enum(s) if s == "on" => true.into(),
        Value::Enum(s) if s == "off" => false.into(),
        other => other.to_arg_string().into(),
    }
}

fn toml_json(v: &toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => s.clone().into(),
        toml::Value::Integer(i) => (*i).into(),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        toml::Value::Boolean(b) => (*b).into(),
        other => other.to_string().into(),
    }
}

impl Translator<'_> {
    fn label(&self) -> String {
        self.ev.label()
    }

    /// The short name of a stdlib row (`std/engines/vllm/0.33.0.toml axes.memory`);
    /// the plan keeps each row's source once, under that name.
    fn mapping(&mut self, row: &str, source: &str) -> Option<String> {
        let key = format!("{} {row}", self.ev.file);
        self.mappings
            .entry(key.clone())
            .or_insert_with(|| source.to_string());
        Some(key)
    }

    /// A sweep axis (`tp`, `memory`, `prefix-cache` ...).
    pub(crate) fn axis(&mut self, axis: &Axis) -> Vec<Choice> {
        let name = axis.name.value.as_str();
        let Some(m) = self.ev.axes.get(name) else {
            let reason = format!(
                "the stdlib has no translation of `{name}` for {}",
                self.label()
            );
            let d = Diagnostic::warning("E0301", reason.clone())
                .primary(axis.name.loc, "set here")
                .help(format!("add an `[axes.{name}]` row to {}", self.ev.file));
            let cause = self.causes.add(&self.label(), reason, d);
            return axis
                .values
                .iter()
                .map(|v| Choice {
                    display: v.value.to_arg_string(),
                    outcome: Outcome::Impossible(cause),
                })
                .collect();
        };
        if let Some(note) = &m.note {
            self.diags.push(
                Diagnostic::note("N0301", format!("`{name}` on {}: {note}", self.label()))
                    .primary(axis.name.loc, format!("translated for {}", self.label()))
                    .note_line(format!("source: {}", m.source)),
            );
        }
        axis.values
            .iter()
            .map(|v| self.axis_value(name, m, v))
            .collect()
    }

    fn axis_value(&mut self, name: &str, m: &AxisMapping, v: &Located<Value>) -> Choice {
        let display = v.value.to_arg_string();
        let origin = Origin {
            what: format!("sweep {name} = {display}"),
            loc: Some(v.loc),
            mapping: self.mapping(&format!("axes.{name}"), &m.source),
        };
        let contrib = |target| Contrib {
            target,
            origin: origin.clone(),
            priority: PRIORITY_DERIVED,
        };
        if let Some(reason) = &m.unsupported {
            // The engine's own behaviour is what a neutral value asks for.
            let neutral = matches!(v.value, Value::Int(1)) || display == "on";
            if !neutral {
                self.diags.push(
                    Diagnostic::warning(
                        "W0301",
                        format!("`{name} = {display}` has no effect on {}", self.label()),
                    )
                    .primary(v.loc, format!("ignored for {}", self.label()))
                    .help(reason.clone())
                    .note_line(format!("source: {}", m.source)),
                );
            }
            return Choice::contribs(display, vec![]);
        }
        let mut out = Vec::new();
        if let (Some(on), Some(off)) = (&m.on, &m.off) {
            let args = if display == "on" || display == "true" {
                on
            } else {
                off
            };
            out.extend(split_args(self.ev, args).into_iter().map(contrib));
        } else if let Some(switch) = &m.switch {
            let above_one = matches!(v.value, Value::Int(i) if i > 1);
            let emit = match m.when.as_deref() {
                Some("gt1") => above_one,
                _ => !matches!(v.value, Value::Bool(false)) && display != "off",
            };
            if emit {
                out.push(contrib(flag_target(self.ev, switch, vec![])));
            }
        } else if let Some(flag) = &m.flag {
            out.push(contrib(flag_target(self.ev, flag, vec![display.clone()])));
        } else if let Some(key) = &m.yaml {
            out.push(contrib(Target::Yaml {
                key: key.clone(),
                value: yaml_value(&v.value),
            }));
        }
        Choice::contribs(display, out)
    }

    /// The `quant` axis: each point's four fields together.
    pub(crate) fn quant(&mut self, points: &[QuantPoint]) -> Vec<Choice> {
        points.iter().map(|p| self.quant_point(p)).collect()
    }

    fn quant_point(&mut self, p: &QuantPoint) -> Choice {
        let display = quant_display(p);
        let offline = self
            .study
            .model
            .as_ref()
            .is_some_and(|m| m.is_offline_quantized());
        let with_precision = self.study.precision.is_some();
        let mut out = Vec::new();
        for (field, f) in p.fields() {
            let value = f.value.as_str();
            if value == "auto" {
                continue;
            }
            // The weights are quantized already: a runtime GEMM dtype cannot
            // change them (W0108 / W0109 say so where they are written).
            if field == "gemm" && (with_precision || (offline && matches!(value, "fp8" | "int8"))) {
                continue;
            }
            let (primary, secondary) = match (&p.preset, f.loc) {
                (Some(_), Some(l)) => (p.loc, Some(l)),
                (None, Some(l)) => (l, None),
                (_, None) => (p.loc, None),
            };
            let what = match &p.preset {
                Some(preset) => format!("quant {field} = {value} (preset {preset})"),
                None => format!("quant {field} = {value}"),
            };
            let label = self.label();
            let Some(row) = self.ev.quant_row(field, value) else {
                let reason =
                    format!("the stdlib has no translation of {field} = {value} for {label}");
                let cause = self.impossible(reason, primary, secondary, field, None);
                return Choice {
                    display,
                    outcome: Outcome::Impossible(cause),
                };
            };
            if let Some(reason) = &row.impossible {
                let cause =
                    self.impossible(reason.clone(), primary, secondary, field, Some(&row.source));
                return Choice {
                    display,
                    outcome: Outcome::Impossible(cause),
                };
            }
            let unmet = row.requires.iter().find(|(other, needed)| {
                p.fields()
                    .iter()
                    .find(|(n, _)| n == other)
                    .is_none_or(|(_, of)| &of.value != *needed)
            });
            if let Some((other, needed)) = unmet {
                let reason = row.otherwise.clone().unwrap_or_else(|| {
                    format!("{field} = {value} needs {other} = {needed} on {label}")
                });
                let cause = self.impossible(reason, primary, secondary, field, Some(&row.source));
                return Choice {
                    display,
                    outcome: Outcome::Impossible(cause),
                };
            }
            if let Some(hw) = &self.study.hardware {
                let gpu = tune_stdlib::gpu(&hw.catalog_name);
                if let Some(gpu) =
                    gpu.filter(|g| !row.arch.is_empty() && !row.arch.contains(&g.arch))
                {
                    let reason = format!(
                        "{field} = {value} on {label} needs a {} GPU; {} is {} (SM {})",
                        row.arch.join(" or "),
                        gpu.name,
                        gpu.arch,
                        gpu.sm
                    );
                    let cause =
                        self.impossible(reason, primary, secondary, field, Some(&row.source));
                    return Choice {
                        display,
                        outcome: Outcome::Impossible(cause),
                    };
                }
            }
            if let Some(reason) = &row.no_effect {
                let mut d =
                    Diagnostic::warning("W0301", format!("{what} has no effect on {label}"))
                        .primary(primary, format!("ignored for {label}"))
                        .help(reason.clone())
                        .note_line(format!("source: {}", row.source));
                if let Some(s) = secondary {
                    d = d.secondary(s, "set here");
                }
                self.diags.push(d);
                continue;
            }
            let origin = Origin {
                what: what.clone(),
                // A preset's setting traces back to where the study names the
                // preset (the preset's own line is in another file).
                loc: Some(if p.preset.is_some() {
                    p.loc
                } else {
                    f.loc.unwrap_or(p.loc)
                }),
                mapping: self.mapping(&format!("quant {field} = {}", row.value), &row.source),
            };
            let target = if let Some(flag) = &row.flag {
                flag_target(self.ev, flag, row.arg_string().into_iter().collect())
            } else if let Some(key) = &row.yaml {
                Target::Yaml {
                    key: key.clone(),
                    value: row
                        .arg
                        .as_ref()
                        .map(toml_json)
                        .unwrap_or(serde_json::Value::Null),
                }
            } else {
                continue;
            };
            if let Some(note) = &row.note {
                let mut d = Diagnostic::note(
                    "N0301",
                    format!("{what} is `{}` on {label}", target.describe()),
                )
                .primary(primary, format!("translated for {label}"))
                .help(note.clone());
                if let Some(s) = secondary {
                    d = d.secondary(s, "set here");
                }
                self.diags.push(d);
            }
            out.push(Contrib {
                target,
                origin,
                priority: PRIORITY_DERIVED,
            });
        }
        Choice::contribs(display, out)
    }

    fn impossible(
        &mut self,
        reason: String,
        primary: Loc,
        secondary: Option<Loc>,
        field: &str,
        source: Option<&str>,
    ) -> usize {
        let label = self.label();
        let mut d = Diagnostic::warning("E0301", reason.clone()).primary(primary, "requested here");
        if let Some(s) = secondary {
            d = d.secondary(s, "set here");
        }
        // What the engine accepts for the field, from its own value lists: only
        // when the field is one flag whose values are the field's own values
        // (a KV-cache dtype), not a flag that picks something else (a backend).
        let rows: Vec<_> = self
            .ev
            .quant
            .iter()
            .filter(|r| r.field == field && r.flag.is_some())
            .collect();
        let one_flag = rows.windows(2).all(|w| w[0].flag == w[1].flag);
        let same_values = rows
            .iter()
            .any(|r| r.arg_string().as_deref() == Some(r.value.as_str()));
        let flag = (one_flag && same_values)
            .then(|| rows.first().and_then(|r| r.flag.clone()))
            .flatten();
        if let Some((spec, _)) = flag.as_deref().and_then(|f| self.ev.schema()?.flag(f)) {
            if let Some(accepted) = spec.accepted(self.ev.schema().unwrap()) {
                d = d.help(format!("{label} accepts: {}", accepted.join(", ")));
            }
        }
        if let Some(source) = source {
            d = d.note_line(format!("source: {}", source));
        }
        self.causes.add(&label, reason, d)
    }

    /// The `precision` axis.
    pub(crate) fn precision(
        &mut self,
        pairs: &[Located<PrecisionPair>],
        model: &str,
        unknown: &mut Vec<Loc>,
    ) -> Vec<(Choice, Option<QuantizeStep>)> {
        pairs
            .iter()
            .map(|p| self.precision_pair(p, model, unknown))
            .collect()
    }

    fn precision_pair(
        &mut self,
        p: &Located<PrecisionPair>,
        model: &str,
        unknown: &mut Vec<Loc>,
    ) -> (Choice, Option<QuantizeStep>) {
        let written = format!("{}/{}", p.value.weights, p.value.activations);
        let label = self.label();
        let Some(def) = tune_stdlib::precision_pair(&p.value.weights, &p.value.activations) else {
            if !unknown.contains(&p.loc) {
                unknown.push(p.loc);
                let known: Vec<String> = tune_stdlib::precision_pairs()
                    .iter()
                    .map(|d| d.pair())
                    .collect();
                self.diags.push(
                    Diagnostic::error(
                        "E0306",
                        format!("the stdlib has no ModelOpt config for `{written}`"),
                    )
                    .primary(p.loc, "no quantize step for this pair")
                    .help(format!("pairs with a config: {}", known.join(", "))),
                );
            }
            let cause = self.causes.add(
                &label,
                format!("no ModelOpt config for {written}"),
                Diagnostic::warning("E0301", format!("no ModelOpt config for {written}"))
                    .primary(p.loc, "requested here"),
            );
            self.causes.list[cause].silent = true;
            return (
                Choice {
                    display: written,
                    outcome: Outcome::Impossible(cause),
                },
                None,
            );
        };
        let pair = def.pair();
        let Some(row) = self.ev.precision_row(&pair) else {
            let reason = format!("the stdlib has no way to serve a {pair} checkpoint on {label}");
            let d = Diagnostic::warning("E0301", reason.clone()).primary(p.loc, "requested here");
            let cause = self.causes.add(&label, reason, d);
            return (
                Choice {
                    display: written,
                    outcome: Outcome::Impossible(cause),
                },
                None,
            );
        };
        if let Some(reason) = &row.impossible {
            let d = Diagnostic::warning("E0301", reason.clone())
                .primary(p.loc, "requested here")
                .note_line(format!("source: {}", row.source));
            let cause = self.causes.add(&label, reason.clone(), d);
            return (
                Choice {
                    display: written,
                    outcome: Outcome::Impossible(cause),
                },
                None,
            );
        }
        let origin = Origin {
            what: format!("precision {written}"),
            loc: Some(p.loc),
            mapping: self.mapping(&format!("precision {pair}"), &row.source),
        };
        if let Some(note) = &row.note {
            self.diags.push(
                Diagnostic::note("N0301", format!("precision {written} on {label}: {note}"))
                    .primary(p.loc, format!("translated for {label}")),
            );
        }
        let contribs = split_args(self.ev, &row.args)
            .into_iter()
            .map(|target| Contrib {
                target,
                origin: origin.clone(),
                priority: PRIORITY_DERIVED,
            })
            .collect();
        let step = QuantizeStep {
            pair: pair.clone(),
            modelopt: def.modelopt.clone(),
            builtin: def.builtin,
            status: def.status.clone(),
            config: def
                .config
                .as_deref()
                .and_then(|c| serde_json::from_str(c).ok()),
            export: def.export.clone(),
            model: model.to_string(),
            revision: self
                .study
                .model
                .as_ref()
                .and_then(|m| m.revision.as_ref())
                .map(|r| r.value.clone()),
            output: quantized_path(model, &def.weights, &def.activations),
            origin: Origin {
                what: format!("precision {written}"),
                loc: Some(p.loc),
                mapping: {
                    let key = format!("std/precision.toml {pair}");
                    self.mappings
                        .entry(key.clone())
                        .or_insert_with(|| def.source.clone());
                    Some(key)
                },
            },
        };
        (Choice::contribs(written, contribs), Some(step))
    }
}

/// Where the quantize step exports a checkpoint: a folder named after the model
/// and the pair, relative to the experiment's directory.
pub(crate) fn quantized_path(model: &str, weights: &str, activations: &str) -> String {
    let base = model
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(model);
    let safe: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("checkpoints/{safe}-{weights}-{activations}")
}

/// A quant point as the user wrote it: the preset name, or its non-auto fields.
pub(crate) fn quant_display(p: &QuantPoint) -> String {
    if let Some(preset) = &p.preset {
        return preset.clone();
    }
    let fields: Vec<String> = p
        .fields()
        .iter()
        .filter(|(_, f)| f.value != "auto")
        .map(|(n, f)| format!("{n}={}", f.value))
        .collect();
    if fields.is_empty() {
        "{}".to_string()
    } else {
        format!("{{{}}}", fields.join(" "))
    }
}

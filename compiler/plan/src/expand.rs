//! Expansion (spec §5): the product of all axes per engine, translation, `args`
//! overrides, dropping impossible points, de-duplication, stable ids, and the
//! search strategy.

use crate::contrib::{Causes, Choice, Contrib, Outcome, Target, PRIORITY_DERIVED};
use crate::flags::flag_choices;
use crate::model::{
    Dropped, Experiment, LoadLevel, Origin, Plan, PlannedArg, QuantizeStep, SourcePoint,
    YamlSetting,
};
use crate::resolve::{resolve, Entry};
use crate::search::apply_search;
use crate::translate::{flag_target, Translator};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use tune_check::study::{Engine, Study};
use tune_check::{Checked, Diagnostic, Loc};
use tune_stdlib::EngineVersion;

/// One axis of one engine's product.
struct Dim {
    name: String,
    choices: Vec<Choice>,
    /// For the `precision` axis: each choice's quantize step.
    steps: Vec<Option<QuantizeStep>>,
}

pub(crate) struct Expansion {
    pub plan: Plan,
    pub diagnostics: Vec<Diagnostic>,
}

/// Expands a checked study. With `for_plan`, a missing `model` or `engine` is an
/// error (a study that only defines presets checks fine, but plans to nothing).
pub(crate) fn expand(checked: &Checked, for_plan: bool) -> Expansion {
    let study = &checked.study;
    let mut diags = Vec::new();
    let causes = Causes::default();
    let plan = Plan {
        load_levels: load_levels(study),
        strategy: study
            .search
            .as_ref()
            .map(|s| s.strategy.value.clone())
            .unwrap_or_else(|| "grid".into()),
        seed: study
            .search
            .as_ref()
            .and_then(|s| s.seed.as_ref().map(|s| s.value)),
        ..Plan::default()
    };

    // Engine checks of `args` happen whatever else is wrong, so that one run of
    // `tune check` reports everything.
    let mut engine_dims: Vec<(&Engine, &'static EngineVersion, Vec<Dim>)> = Vec::new();
    let mut flags_ok = true;
    for engine in &study.engines {
        let Some(ev) = tune_stdlib::engine_version(&engine.name.value, &engine.version.value)
        else {
            continue;
        };
        let mut dims = Vec::new();
        for block in &study.args {
            if block
                .engine
                .as_ref()
                .is_some_and(|e| e.value != engine.name.value)
            {
                continue;
            }
            for flag in &block.flags {
                match flag_choices(block, flag, ev, &mut diags) {
                    Some(choices) => dims.push(Dim {
                        name: flag.name.value.clone(),
                        steps: vec![None; choices.len()],
                        choices,
                    }),
                    None => flags_ok = false,
                }
            }
        }
        engine_dims.push((engine, ev, dims));
    }

    let front_end_ok = !checked.has_errors();
    let Some(model) = study.model.as_ref() else {
        if for_plan {
            diags.push(
                Diagnostic::error(
                    "E0219",
                    "the study has no `model`: there is nothing to plan",
                )
                .help("add `model \"ORG/NAME\"` (a Hugging Face id or a local path)"),
            );
        }
        return Expansion {
            plan,
            diagnostics: diags,
        };
    };
    if study.engines.is_empty() {
        if for_plan {
            diags.push(
                Diagnostic::error(
                    "E0219",
                    "the study has no `engine`: there is nothing to plan",
                )
                .primary(model.loc, "the model is given, but no engine to serve it")
                .help(
                    "add `engine vllm \"0.33.0\"` (see `tune engines` for what the stdlib knows)",
                ),
            );
        }
        return Expansion {
            plan,
            diagnostics: diags,
        };
    }
    if !front_end_ok || !flags_ok {
        return Expansion {
            plan,
            diagnostics: diags,
        };
    }

    let mut x = Expander {
        study,
        plan,
        diags,
        causes,
        dedup: HashMap::new(),
        noted: HashSet::new(),
        unknown_pairs: Vec::new(),
        totals: Vec::new(),
    };
    for (engine, ev, args_dims) in engine_dims {
        let dims = x.dims(ev, &model.id.value, args_dims);
        if x.expand_engine(engine, ev, &dims).is_err() {
            x.plan.experiments.clear();
            return Expansion {
                plan: x.plan,
                diagnostics: x.diags,
            };
        }
    }
    x.report();
    let Expander {
        mut plan,
        mut diags,
        ..
    } = x;
    plan.candidates = plan.experiments.len();
    apply_search(study, &mut plan, &mut diags);
    Expansion {
        plan,
        diagnostics: diags,
    }
}

/// How one engine's points went.
struct EngineTotals {
    /// `vllm 0.33.0`
    label: String,
    points: usize,
    kept: usize,
    experiments: usize,
}

/// The state of an expansion across engines: the plan so far, the experiments
/// by what makes them (for de-duplication), and why points were dropped.
struct Expander<'s> {
    study: &'s Study,
    plan: Plan,
    diags: Vec<Diagnostic>,
    causes: Causes,
    /// Experiment key → index in `plan.experiments`.
    dedup: HashMap<String, usize>,
    /// Overrides already reported (N0302), by the two places.
    noted: HashSet<(Loc, Option<Loc>)>,
    /// Precision pairs already reported as having no ModelOpt config.
    unknown_pairs: Vec<Loc>,
    totals: Vec<EngineTotals>,
}

impl Expander<'_> {
    /// The axes of one engine's product: the engine itself, the sweep axes, the
    /// quant and precision axes, then its `args` flags.
    fn dims(&mut self, ev: &'static EngineVersion, model: &str, args_dims: Vec<Dim>) -> Vec<Dim> {
        let study = self.study;
        let mut t = Translator {
            ev,
            study,
            diags: &mut self.diags,
            causes: &mut self.causes,
            mappings: &mut self.plan.mappings,
        };
        let plain = |name: &str, choices: Vec<Choice>| Dim {
            name: name.to_string(),
            steps: vec![None; choices.len()],
            choices,
        };
        let mut dims = vec![plain("engine", vec![Choice::contribs(ev.label(), vec![])])];
        for axis in &study.axes {
            dims.push(plain(&axis.name.value, t.axis(axis)));
        }
        if let Some(points) = &study.quant {
            dims.push(plain("quant", t.quant(points)));
        }
        if let Some(pairs) = &study.precision {
            let (choices, steps) = t
                .precision(pairs, model, &mut self.unknown_pairs)
                .into_iter()
                .unzip();
            dims.push(Dim {
                name: "precision".into(),
                choices,
                steps,
            });
        }
        dims.extend(args_dims);
        dims
    }

    /// Every point of one engine's product, last axis fastest. `Err` when the
    /// product is too large to plan (reported).
    fn expand_engine(
        &mut self,
        engine: &Engine,
        ev: &'static EngineVersion,
        dims: &[Dim],
    ) -> Result<(), ()> {
        let label = ev.label();
        let total = dims
            .iter()
            .try_fold(1usize, |n, d| n.checked_mul(d.choices.len()))
            .filter(|n| *n <= MAX_POINTS);
        let Some(total) = total else {
            self.diags.push(
                Diagnostic::error(
                    "E0307",
                    format!(
                        "the sweep has more than {MAX_POINTS} points on {label}: too many to plan"
                    ),
                )
                .primary(engine.loc, "for this engine")
                .help("narrow the sweep, or sample it with `search random { samples = N; seed = 1 }` after narrowing"),
            );
            return Err(());
        };
        let fixed = fixed_contribs(engine, ev, self.study);
        let experiments_before = self.plan.experiments.len();
        let mut kept = 0;
        let mut index = vec![0usize; dims.len()];
        for _ in 0..total {
            if self.point(engine, ev, dims, &index, &fixed) {
                kept += 1;
            }
            for d in (0..dims.len()).rev() {
                index[d] += 1;
                if index[d] < dims[d].choices.len() {
                    break;
                }
                index[d] = 0;
            }
        }
        self.plan.points += total;
        self.totals.push(EngineTotals {
            label,
            points: total,
            kept,
            experiments: self.plan.experiments.len() - experiments_before,
        });
        Ok(())
    }

    /// One point: dropped with its reason, or added to the plan (a new
    /// experiment, or one more source point of an existing one). True when kept.
    fn point(
        &mut self,
        engine: &Engine,
        ev: &'static EngineVersion,
        dims: &[Dim],
        index: &[usize],
        fixed: &[Contrib],
    ) -> bool {
        let chosen = || dims.iter().zip(index).map(|(d, &i)| (d, i));
        let point = SourcePoint {
            settings: chosen()
                .map(|(d, i)| (d.name.clone(), d.choices[i].display.clone()))
                .collect(),
        };
        let impossible = chosen().find_map(|(d, i)| match d.choices[i].outcome {
            Outcome::Impossible(c) => Some(c),
            Outcome::Contribs(_) => None,
        });
        let result = match impossible {
            Some(cause) => Err(cause),
            None => {
                let contribs =
                    fixed
                        .iter()
                        .chain(chosen().flat_map(|(d, i)| match &d.choices[i].outcome {
                            Outcome::Contribs(c) => c.as_slice(),
                            Outcome::Impossible(_) => &[],
                        }));
                resolve(
                    contribs,
                    ev,
                    &mut self.causes,
                    &mut self.diags,
                    &mut self.noted,
                )
            }
        };
        let resolved = match result {
            Ok(resolved) => resolved,
            Err(cause) => {
                self.causes.list[cause].dropped += 1;
                self.plan.dropped.push(Dropped {
                    point,
                    engine: ev.engine.clone(),
                    version: ev.version.clone(),
                    reason: self.causes.list[cause].reason.clone(),
                });
                return false;
            }
        };
        let step = chosen().find_map(|(d, i)| d.steps[i].clone());
        let experiment = build(engine, ev, resolved, step, point.clone());
        let key = experiment_key(&experiment);
        match self.dedup.get(&key) {
            Some(&i) => {
                // The same command from another point: keep where its arguments
                // came from (and what they overrode) there too.
                let existing = &mut self.plan.experiments[i];
                for (a, b) in existing.args.iter_mut().zip(experiment.args) {
                    merge_places(&mut a.origins, b.origins);
                    merge_places(&mut a.overrides, b.overrides);
                }
                for (a, b) in existing.yaml.iter_mut().zip(experiment.yaml) {
                    merge_places(&mut a.origins, b.origins);
                    merge_places(&mut a.overrides, b.overrides);
                }
                existing.sources.push(point);
            }
            None => {
                let mut experiment = experiment;
                experiment.id = short_hash(&key);
                self.dedup.insert(key, self.plan.experiments.len());
                self.plan.experiments.push(experiment);
            }
        }
        true
    }

    /// The diagnostics that need the whole expansion: how many points each cause
    /// dropped, how much each setting without effect collapsed, an empty plan.
    fn report(&mut self) {
        let totals = |engine: &str| self.totals.iter().find(|t| t.label == engine);
        for cause in &self.causes.list {
            if cause.dropped == 0 || cause.silent {
                continue;
            }
            let of = totals(&cause.engine).map(|t| t.points).unwrap_or(0);
            self.diags.push(cause.diagnostic.clone().note_line(format!(
                "{} of {of} point{} on {} dropped from the plan",
                cause.dropped,
                if of == 1 { "" } else { "s" },
                cause.engine
            )));
        }
        for d in self.diags.iter_mut().filter(|d| d.code == "W0301") {
            let Some(t) = self
                .totals
                .iter()
                .find(|t| d.message.ends_with(t.label.as_str()))
            else {
                continue;
            };
            d.notes.push(if t.kept > t.experiments {
                format!(
                    "on {}, {} points collapse into {} experiment{}",
                    t.label,
                    t.kept,
                    t.experiments,
                    if t.experiments == 1 { "" } else { "s" }
                )
            } else {
                format!(
                    "nothing collapses on {}: the points differ in other settings",
                    t.label
                )
            });
        }
        if self.plan.experiments.is_empty() && self.plan.points > 0 {
            self.diags.push(Diagnostic::error(
                "E0301",
                format!(
                    "every one of the {} points was dropped: the plan is empty",
                    self.plan.points
                ),
            ));
        }
    }
}

/// Adds the places of `more` that `into` lacks.
fn merge_places(into: &mut Vec<Origin>, more: Vec<Origin>) {
    for o in more {
        if !into.contains(&o) {
            into.push(o);
        }
    }
}

/// The arguments every point of an engine has: model, host, port, revision.
fn fixed_contribs(engine: &Engine, ev: &EngineVersion, study: &Study) -> Vec<Contrib> {
    let model = study.model.as_ref().expect("checked above");
    let default = |what: &str| Origin {
        what: format!("{what} (default of {})", ev.label()),
        loc: Some(engine.loc),
        mapping: Some(ev.file.clone()),
    };
    let mut out = Vec::new();
    let model_origin = Origin {
        what: "model".into(),
        loc: Some(model.id.loc),
        mapping: None,
    };
    let model_target = if ev.model_arg == "positional" {
        crate::contrib::Target::Flag {
            identity: "model".into(),
            flag: None,
            values: vec![model.id.value.clone()],
        }
    } else {
        flag_target(ev, &ev.model_arg, vec![model.id.value.clone()])
    };
    out.push(Contrib {
        target: model_target,
        origin: model_origin,
        priority: PRIORITY_DERIVED,
    });
    if let Some(host) = &ev.host {
        out.push(Contrib {
            target: flag_target(ev, &ev.host_flag, vec![host.clone()]),
            origin: default("listen on every interface"),
            priority: PRIORITY_DERIVED,
        });
    }
    let (port, origin) = match &engine.port {
        Some(p) => (
            p.value,
            Origin {
                what: format!("engine {} port", ev.engine),
                loc: Some(p.loc),
                mapping: None,
            },
        ),
        None => (ev.port, default("port")),
    };
    out.push(Contrib {
        target: flag_target(ev, &ev.port_flag, vec![port.to_string()]),
        origin,
        priority: PRIORITY_DERIVED,
    });
    if let (Some(rev), Some(flag)) = (&model.revision, &ev.revision_flag) {
        out.push(Contrib {
            target: flag_target(ev, flag, vec![rev.value.clone()]),
            origin: Origin {
                what: MODEL_REVISION.into(),
                loc: Some(rev.loc),
                mapping: Some(ev.file.clone()),
            },
            priority: PRIORITY_DERIVED,
        });
    }
    out
}

/// The YAML options file's path on the command line, relative to where the
/// experiment runs (the artifacts write it there).
pub const YAML_FILE: &str = "engine-options.yaml";

const MODEL_REVISION: &str = "model revision";

/// The largest product `tune plan` expands (per engine): far beyond any sweep
/// that can run, and small enough to plan in seconds.
const MAX_POINTS: usize = 1_000_000;

fn build(
    engine: &Engine,
    ev: &EngineVersion,
    resolved: Vec<Entry>,
    quantize: Option<QuantizeStep>,
    point: SourcePoint,
) -> Experiment {
    let entrypoint = engine
        .entrypoint
        .as_ref()
        .map(|e| e.value.clone())
        .unwrap_or_else(|| ev.entrypoint.clone());
    let mut args = Vec::new();
    let mut yaml = Vec::new();
    // Looked up once, and only when a quantize step replaces the model.
    let model_id = quantize.as_ref().map(|_| model_identity(ev));
    for e in resolved {
        // The revision names a version of the hub checkpoint: with a quantize
        // step it belongs to that step, not to the exported local checkpoint.
        if quantize.is_some() && e.origins.iter().any(|o| o.what == MODEL_REVISION) {
            continue;
        }
        match e.target {
            Target::Flag {
                flag,
                mut values,
                identity,
            } => {
                // With a quantize step, the engine serves the exported checkpoint.
                if let (Some(step), Some(model)) = (&quantize, &model_id) {
                    if identity == "model" || Some(&identity) == model.as_ref() {
                        values = vec![step.output.clone()];
                    }
                }
                args.push(PlannedArg {
                    flag,
                    values,
                    origins: e.origins,
                    overrides: e.overrides,
                });
            }
            Target::Yaml { key, value } => yaml.push(YamlSetting {
                key,
                value,
                origins: e.origins,
                overrides: e.overrides,
            }),
            Target::Omit { .. } => {}
        }
    }
    let yaml_file = (!yaml.is_empty()).then(|| YAML_FILE.to_string());
    if let (Some(file), Some(flag)) = (&yaml_file, &ev.yaml_flag) {
        args.push(PlannedArg {
            flag: Some(flag.clone()),
            values: vec![file.clone()],
            origins: vec![Origin {
                what: format!(
                    "the YAML options file of {} (its keys are listed below)",
                    ev.label()
                ),
                loc: Some(engine.loc),
                mapping: Some(ev.file.clone()),
            }],
            overrides: vec![],
        });
    }
    let mut argv = entrypoint.clone();
    for a in &args {
        argv.extend(a.flag.iter().cloned());
        argv.extend(a.values.iter().cloned());
    }
    let mut env = ev.env.clone();
    for (k, v) in &engine.env {
        env.insert(k.clone(), v.value.clone());
    }
    // The port the engine listens on, after any `args` override.
    let port_identity = ev
        .schema()
        .and_then(|s| s.flag(&ev.port_flag))
        .map(|(f, _)| f.name.clone())
        .unwrap_or_else(|| ev.port_flag.clone());
    let port = args
        .iter()
        .find(|a| a.flag.as_deref() == Some(port_identity.as_str()))
        .and_then(|a| a.values.first()?.parse().ok())
        .unwrap_or(ev.port);
    Experiment {
        id: String::new(),
        engine: ev.engine.clone(),
        version: ev.version.clone(),
        image: engine
            .image
            .as_ref()
            .map(|i| i.value.clone())
            .unwrap_or_else(|| ev.image.clone()),
        entrypoint,
        argv,
        args,
        yaml,
        yaml_file,
        env,
        port,
        health: engine
            .health
            .as_ref()
            .map(|h| h.value.clone())
            .unwrap_or_else(|| ev.health.clone()),
        quantize,
        sources: vec![point],
    }
}

fn model_identity(ev: &EngineVersion) -> Option<String> {
    if ev.model_arg == "positional" {
        return None;
    }
    Some(
        ev.schema()
            .and_then(|s| s.flag(&ev.model_arg))
            .map(|(f, _)| f.identity().to_string())
            .unwrap_or_else(|| tune_stdlib::bare(&ev.model_arg).to_string()),
    )
}

/// What makes an experiment (spec §5): engine, version, image, the flags,
/// environment, YAML options and quantize step.
fn experiment_key(e: &Experiment) -> String {
    let mut key = String::with_capacity(256);
    for part in [&e.engine, &e.version, &e.image] {
        key.push_str(part);
        key.push('\u{1f}');
    }
    // Arguments in a canonical order: reordering the axes of a study keeps ids
    // (argparse does not care about the order of distinct flags).
    key.push_str(&e.entrypoint.join("\u{1f}"));
    key.push('\u{1e}');
    let mut groups: Vec<String> = e
        .args
        .iter()
        .map(|a| {
            let mut g = a.flag.clone().unwrap_or_default();
            for v in &a.values {
                g.push('\u{1d}');
                g.push_str(v);
            }
            g
        })
        .collect();
    groups.sort();
    for g in groups {
        key.push_str(&g);
        key.push('\u{1f}');
    }
    key.push('\u{1e}');
    for (k, v) in &e.env {
        key.push_str(k);
        key.push('=');
        key.push_str(v);
        key.push('\u{1f}');
    }
    key.push('\u{1e}');
    for y in &e.yaml {
        key.push_str(&y.key);
        key.push('=');
        key.push_str(&y.value.to_string());
        key.push('\u{1f}');
    }
    key.push('\u{1e}');
    if let Some(q) = &e.quantize {
        key.push_str(&q.pair);
        key.push('\u{1f}');
        key.push_str(&q.modelopt);
        key.push('\u{1f}');
        key.push_str(&q.model);
    }
    key
}

/// 12 hex digits of SHA-256: stable across compiles, platforms and releases.
fn short_hash(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

fn load_levels(study: &Study) -> Vec<LoadLevel> {
    let Some(b) = &study.benchmark else {
        return vec![];
    };
    let mut out = Vec::new();
    for t in &b.traffic {
        for c in &b.concurrency {
            out.push(LoadLevel {
                traffic: t.value.to_string(),
                concurrency: Some(c.value),
                rate: None,
            });
        }
        for r in &b.rate {
            out.push(LoadLevel {
                traffic: t.value.to_string(),
                concurrency: None,
                rate: Some(r.value),
            });
        }
    }
    out
}

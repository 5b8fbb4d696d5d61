//! Engine checks of `args` flags (spec §3.7): every flag against the pinned
//! engine version's schema — unknown flags with a suggestion, removed or renamed
//! flags with their replacement, value types, choices, deprecation.

use crate::contrib::{Choice, Contrib, Target, PRIORITY_ARGS, PRIORITY_ENGINE_ARGS};
use crate::model::Origin;
use tune_check::study::{ArgsBlock, Flag, Located, Value};
use tune_check::Diagnostic;
use tune_stdlib::{bare, EngineVersion, FlagKind, FlagSpec, FlagType, Schema};
use tune_syntax::suggest::did_you_mean;

/// The choices of one `args` flag on one engine version, or `None` when the flag
/// is wrong there (the diagnostics say why).
pub(crate) fn flag_choices(
    block: &ArgsBlock,
    flag: &Flag,
    ev: &EngineVersion,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Choice>> {
    let name = &flag.name.value;
    let label = ev.label();
    let unnamed = block.engine.is_none();
    let Some(schema) = ev.schema() else {
        diags.push(
            Diagnostic::error("E0302", format!("{label} has no flag schema in the stdlib"))
                .primary(flag.name.loc, "cannot be checked")
                .help("add the engine version's schema with tools/extract_schema.py"),
        );
        return None;
    };
    let Some((spec, negative)) = schema.flag(name) else {
        diags.push(unknown_flag(name, flag, ev, schema, unnamed));
        return None;
    };
    if let Some(message) = &spec.deprecated {
        diags.push(
            Diagnostic::warning("W0302", format!("`{name}` is deprecated in {label}"))
                .primary(flag.name.loc, "deprecated")
                .help(message.clone()),
        );
    }
    let priority = if unnamed {
        PRIORITY_ARGS
    } else {
        PRIORITY_ENGINE_ARGS
    };
    let block_name = match &block.engine {
        Some(e) => format!("args {}", e.value),
        None => "args".to_string(),
    };
    let mut choices = Vec::with_capacity(flag.values.len());
    let mut ok = true;
    for value in &flag.values {
        match flag_value(spec, negative, schema, value) {
            Ok(target) => {
                let display = value.value.to_arg_string();
                choices.push(Choice::contribs(
                    display.clone(),
                    vec![Contrib {
                        target,
                        origin: Origin {
                            what: format!("{block_name} {name} = {display}"),
                            loc: Some(value.loc),
                            mapping: None,
                        },
                        priority,
                    }],
                ));
            }
            Err(d) => {
                ok = false;
                diags.push(d(name, &label, value));
            }
        }
    }
    ok.then_some(choices)
}

type Problem = Box<dyn FnOnce(&str, &str, &Located<Value>) -> Diagnostic>;

/// The argument a value gives, or what is wrong with it.
fn flag_value(
    spec: &FlagSpec,
    negative: bool,
    schema: &Schema,
    value: &Located<Value>,
) -> Result<Target, Problem> {
    let identity = spec.identity().to_string();
    match spec.kind {
        FlagKind::Switch | FlagKind::Negatable | FlagKind::Const => {
            let on = match &value.value {
                Value::Bool(b) => *b,
                other => {
                    let found = describe(other);
                    let kind = if spec.kind == FlagKind::Negatable {
                        "an on/off flag"
                    } else {
                        "a switch"
                    };
                    return Err(Box::new(move |name, label, v| {
                        Diagnostic::error(
                            "E0304",
                            format!("`{name}` is {kind} of {label} and takes `true` or `false`"),
                        )
                        .primary(v.loc, format!("expected a boolean, found {found}"))
                        .help(format!("write `{name} = true` to pass `--{}`", bare(name)))
                    }));
                }
            };
            // `no-x = true` means `--no-x`; `x = false` means `--no-x` where the
            // engine has it, and nothing otherwise.
            let on = on != negative;
            Ok(match (on, spec.kind) {
                (true, _) => Target::Flag {
                    identity,
                    flag: Some(spec.name.clone()),
                    values: vec![],
                },
                (false, FlagKind::Negatable) => Target::Flag {
                    identity,
                    flag: spec.negative.clone(),
                    values: vec![],
                },
                (false, _) => Target::Omit { identity },
            })
        }
        FlagKind::Value => {
            let text = typed_string(spec.ty, &value.value).map_err(|expected| -> Problem {
                let found = describe(&value.value);
                Box::new(move |name, label, v| {
                    Diagnostic::error(
                        "E0304",
                        format!("`{name}` of {label} takes {expected}, found {found}"),
                    )
                    .primary(v.loc, format!("expected {expected}"))
                })
            })?;
            if let Some(accepted) = spec.accepted(schema) {
                if !accepted.iter().any(|c| c == &text) {
                    let list = accepted.join(", ");
                    // Another version of the engine that accepts the value says
                    // more than a similar-looking one.
                    let elsewhere: Vec<String> = tune_stdlib::engine_versions()
                        .iter()
                        .filter(|o| o.engine == schema.engine && o.version != schema.version)
                        .filter(|o| {
                            o.schema()
                                .and_then(|s| Some((s, s.flag(&spec.name)?.0)))
                                .is_some_and(|(s, f)| {
                                    f.accepted(s).is_some_and(|a| a.contains(&text))
                                })
                        })
                        .map(|o| o.label())
                        .collect();
                    let suggestion = if !elsewhere.is_empty() {
                        format!(
                            "{} accepts `{text}`; pin that version to use it. ",
                            elsewhere.join(" and ")
                        )
                    } else {
                        did_you_mean(&text, accepted.iter().map(String::as_str))
                            .map(|s| format!("did you mean `{s}`? "))
                            .unwrap_or_default()
                    };
                    return Err(Box::new(move |name, label, v| {
                        Diagnostic::error(
                            "E0305",
                            format!("`{text}` is not a valid `{name}` for {label}"),
                        )
                        .primary(v.loc, "not among the choices")
                        .help(format!("{suggestion}{label} accepts: {list}"))
                    }));
                }
            }
            Ok(Target::Flag {
                identity,
                flag: Some(spec.name.clone()),
                values: vec![text],
            })
        }
    }
}

/// The value as the flag's type spells it, or the type it should have been.
fn typed_string(ty: FlagType, value: &Value) -> Result<String, &'static str> {
    let expected = ty.describe();
    match (ty, value) {
        (FlagType::Int, Value::Int(i)) => Ok(i.to_string()),
        (FlagType::Int, Value::Str(s)) if s.trim().parse::<i64>().is_ok() => Ok(s.trim().into()),
        (FlagType::Float, Value::Int(i)) => Ok(i.to_string()),
        (FlagType::Float, Value::Float(f) | Value::Ratio(f)) => Ok(f.to_string()),
        (FlagType::Float, Value::Str(s)) if s.trim().parse::<f64>().is_ok() => Ok(s.trim().into()),
        (FlagType::Bool, Value::Bool(b)) => Ok(b.to_string()),
        (FlagType::Bool, Value::Str(s) | Value::Enum(s)) if s == "true" || s == "false" => {
            Ok(s.clone())
        }
        (FlagType::Json, Value::Str(s)) => serde_json::from_str::<serde_json::Value>(s)
            .map(|_| s.clone())
            .map_err(|_| "a JSON string"),
        (FlagType::Json, Value::Int(_) | Value::Float(_) | Value::Bool(_)) => {
            Ok(value.to_arg_string())
        }
        (FlagType::Str | FlagType::Any, Value::Str(s) | Value::Enum(s)) => Ok(s.clone()),
        (FlagType::Str | FlagType::Any, Value::Int(_) | Value::Float(_) | Value::Bool(_)) => {
            Ok(value.to_arg_string())
        }
        (FlagType::Any, Value::Ratio(r)) => Ok(r.to_string()),
        _ => Err(expected),
    }
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Int(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Str(_) => "a string",
        Value::Duration(_) => "a duration",
        Value::Ratio(_) => "a percentage",
        Value::Size(_) => "a size",
        Value::TokenRate(_) | Value::RequestRate(_) => "a rate",
        Value::Enum(_) => "a name",
        Value::Precision(_) => "a precision pair",
        Value::Traffic(_) => "a traffic scenario",
    }
}

/// E0302 or E0303: the flag is not in the schema.
fn unknown_flag(
    name: &str,
    flag: &Flag,
    ev: &EngineVersion,
    schema: &Schema,
    unnamed: bool,
) -> Diagnostic {
    let label = ev.label();
    let written = bare(name);
    // Other versions of the engine that have it.
    let others: Vec<&EngineVersion> = tune_stdlib::engine_versions()
        .iter()
        .filter(|o| o.engine == ev.engine && o.version != ev.version)
        .filter(|o| o.schema().is_some_and(|s| s.flag(written).is_some()))
        .collect();
    let renamed = ev.renamed.iter().find(|r| bare(&r.flag) == written);
    if renamed.is_some() || !others.is_empty() {
        let key = tune_stdlib::version_key;
        let newer = others.iter().all(|o| key(&o.version) > key(&ev.version));
        let replacements: Vec<String> = renamed
            .map(|r| {
                r.replacements()
                    .iter()
                    .map(|s| format!("`{}`", bare(s)))
                    .collect()
            })
            .unwrap_or_default();
        let message = if newer && renamed.is_none() {
            format!("`{written}` is not a flag of {label}: it came in a later version")
        } else if replacements.is_empty() {
            format!(
                "`{written}` was removed from {} and is not a flag of {label}",
                ev.engine
            )
        } else {
            format!("`{written}` was renamed and is not a flag of {label}")
        };
        let mut d =
            Diagnostic::error("E0303", message).primary(flag.name.loc, "not in this version");
        let versions: Vec<String> = others.iter().map(|o| o.version.clone()).collect();
        let pin = (!versions.is_empty()).then(|| {
            format!(
                "pin {} {} to keep the flag",
                ev.engine,
                versions.join(" or ")
            )
        });
        let help = match (replacements.is_empty(), &pin) {
            (false, _) => format!("use {} instead", replacements.join(" or ")),
            (true, Some(pin)) => format!("remove it, or {pin}"),
            (true, None) => "remove it".to_string(),
        };
        if let Some(reason) = renamed.and_then(|r| r.reason.as_ref()) {
            d = d.note_line(reason.clone());
        }
        if !versions.is_empty() {
            d = d.note_line(format!(
                "{} {} accepts `--{written}`",
                ev.engine,
                versions.join(" and ")
            ));
        }
        if let Some(r) = renamed {
            d = d.note_line(format!("source: {}", r.source));
        }
        return d.help(help);
    }
    let mut d = Diagnostic::error("E0302", format!("`{written}` is not a flag of {label}"))
        .primary(flag.name.loc, "unknown flag");
    let mut help = Vec::new();
    if let Some(s) = did_you_mean(written, schema.names()) {
        help.push(format!("did you mean `{s}`?"));
    } else {
        let mut prefixed: Vec<&str> = schema
            .names()
            .filter(|n| n.starts_with(written) && n.len() > written.len())
            .collect();
        prefixed.sort();
        if !prefixed.is_empty() && prefixed.len() <= 6 {
            let list: Vec<String> = prefixed.iter().map(|p| format!("`{p}`")).collect();
            help.push(format!("{label} has {}", list.join(", ")));
        }
    }
    // A flag of another engine written in the wrong block.
    let elsewhere: Vec<String> = tune_stdlib::engine_names()
        .into_iter()
        .filter(|e| *e != ev.engine)
        .filter(|e| {
            tune_stdlib::engine_versions()
                .iter()
                .filter(|o| o.engine == *e)
                .any(|o| o.schema().is_some_and(|s| s.flag(written).is_some()))
        })
        .map(str::to_string)
        .collect();
    if !elsewhere.is_empty() {
        help.push(format!(
            "`{written}` is a flag of {}",
            elsewhere.join(" and ")
        ));
    }
    if unnamed {
        help.push(format!(
            "`args` without an engine name must suit every engine; write it in `args {} {{ ... }}` only if it is meant for {}",
            elsewhere.first().map(String::as_str).unwrap_or("ENGINE"),
            elsewhere.first().map(String::as_str).unwrap_or("one engine"),
        ));
    }
    if !help.is_empty() {
        d = d.help(help.join("; "));
    }
    d
}

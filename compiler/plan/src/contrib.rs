//! What one value of one axis contributes to a command, before the point's
//! contributions are put together (spec §5 step 2).

use crate::model::Origin;
use std::collections::HashMap;
use tune_check::Diagnostic;

/// Derived from a sweep axis, a quant field, a precision pair or a default.
pub(crate) const PRIORITY_DERIVED: u8 = 0;
/// From `args { ... }` (every engine).
pub(crate) const PRIORITY_ARGS: u8 = 1;
/// From `args ENGINE { ... }`: wins over both.
pub(crate) const PRIORITY_ENGINE_ARGS: u8 = 2;

#[derive(Clone, Debug)]
pub(crate) enum Target {
    /// A flag (or, with `flag: None`, a positional argument) and its values.
    /// `identity` is what two spellings of one flag share (argparse's `dest`).
    Flag {
        identity: String,
        flag: Option<String>,
        values: Vec<String>,
    },
    /// Removes the flag: a switch set to `false` in `args`.
    Omit { identity: String },
    /// A key of the YAML options file.
    Yaml {
        key: String,
        value: serde_json::Value,
    },
}

impl Target {
    pub(crate) fn identity(&self) -> String {
        match self {
            Target::Flag { identity, .. } | Target::Omit { identity } => identity.clone(),
            Target::Yaml { key, .. } => format!("yaml:{key}"),
        }
    }

    /// How the target reads in a message: `--kv-cache-dtype fp8`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Target::Flag { flag, values, .. } => {
                let mut parts: Vec<String> = flag.iter().cloned().collect();
                parts.extend(values.iter().cloned());
                parts.join(" ")
            }
            Target::Omit { identity } => format!("no {identity}"),
            Target::Yaml { key, value } => format!("{key}: {value}"),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Contrib {
    pub target: Target,
    pub origin: Origin,
    pub priority: u8,
}

/// One value of an axis, translated for one engine version.
#[derive(Clone, Debug)]
pub(crate) struct Choice {
    /// The value as the user wrote it (for the plan's source points).
    pub display: String,
    pub outcome: Outcome,
}

#[derive(Clone, Debug)]
pub(crate) enum Outcome {
    Contribs(Vec<Contrib>),
    /// The engine version cannot do it: an index into [`Causes`].
    Impossible(usize),
}

impl Choice {
    pub(crate) fn contribs(display: String, contribs: Vec<Contrib>) -> Self {
        Choice {
            display,
            outcome: Outcome::Contribs(contribs),
        }
    }
}

/// Why points are dropped: one diagnostic per cause, completed with the number
/// of points it dropped once expansion is done.
#[derive(Default)]
pub(crate) struct Causes {
    pub list: Vec<Cause>,
    index: HashMap<String, usize>,
}

pub(crate) struct Cause {
    /// The reason as the plan's `dropped` entries give it.
    pub reason: String,
    pub diagnostic: Diagnostic,
    /// `sglang 0.5.23`
    pub engine: String,
    pub dropped: usize,
    /// Another diagnostic (an error) already says it.
    pub silent: bool,
}

impl Causes {
    /// Registers a cause (once per engine, message and place).
    pub(crate) fn add(&mut self, engine: &str, reason: String, diagnostic: Diagnostic) -> usize {
        let key = format!(
            "{engine}\u{0}{}\u{0}{:?}",
            diagnostic.message,
            diagnostic.primary_label().map(|l| l.loc)
        );
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.list.push(Cause {
            reason,
            diagnostic,
            engine: engine.to_string(),
            dropped: 0,
            silent: false,
        });
        self.index.insert(key, self.list.len() - 1);
        self.list.len() - 1
    }
}

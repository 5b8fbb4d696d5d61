//! Engine checks and the plan (spec §3.4–3.7, §4.3, §5).
//!
//! The pipeline's next phase after [`tune_check`]: a checked [`Study`] is checked
//! against the pinned engine versions of the stdlib (flags, values, what each
//! engine can express) and expanded into a [`Plan`] of experiments, each an
//! exact engine command whose every argument knows the line of the `.tune` file
//! it came from.
//!
//! [`Study`]: tune_check::Study

mod contrib;
mod expand;
mod flags;
pub mod json;
pub mod model;
mod resolve;
mod search;
pub mod text;
mod translate;

pub use expand::YAML_FILE;
pub use model::{
    Dropped, Experiment, LoadLevel, Origin, Plan, PlannedArg, QuantizeStep, SourcePoint,
    YamlSetting,
};

use tune_check::Checked;

/// Adds the engine checks to a check: `tune check` runs them, so that every
/// diagnostic the plan would give is seen without planning.
pub fn check_engines(checked: &mut Checked) {
    let expansion = expand::expand(checked, false);
    finish(checked, expansion.diagnostics);
}

/// Checks and plans a study. The diagnostics of the engine checks and the
/// expansion are added to `checked`; with errors, the plan holds what could be
/// planned (usually nothing).
pub fn plan(checked: &mut Checked) -> Plan {
    let expansion = expand::expand(checked, true);
    finish(checked, expansion.diagnostics);
    if checked.has_errors() {
        return Plan {
            experiments: vec![],
            ..expansion.plan
        };
    }
    expansion.plan
}

fn finish(checked: &mut Checked, diagnostics: Vec<tune_check::Diagnostic>) {
    checked.extend(diagnostics);
    checked.diagnostics.dedup();
    // `strict = true` in `search`: warnings are errors (spec §3.10).
    let strict = checked
        .study
        .search
        .as_ref()
        .and_then(|s| s.strict.as_ref())
        .is_some_and(|s| s.value);
    if strict {
        checked.deny_warnings();
    }
}

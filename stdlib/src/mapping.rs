//! Mapping rows: how the engine-neutral settings of a study become the flags of
//! one engine version. Each row names its source.

use serde::Deserialize;
use std::collections::BTreeMap;

/// How an engine-neutral axis (spec §3.4) is written for one engine version.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AxisMapping {
    /// A flag that takes the axis value.
    #[serde(default)]
    pub flag: Option<String>,
    /// A key of the YAML options file that takes the axis value.
    #[serde(default)]
    pub yaml: Option<String>,
    /// A flag without a value, emitted when `when` holds.
    #[serde(default)]
    pub switch: Option<String>,
    /// `gt1`: the switch is emitted for values above 1.
    #[serde(default)]
    pub when: Option<String>,
    /// For on/off axes: the arguments for `on` and for `off`.
    #[serde(default)]
    pub on: Option<Vec<String>>,
    #[serde(default)]
    pub off: Option<Vec<String>>,
    /// The engine cannot set this axis: the reason.
    #[serde(default)]
    pub unsupported: Option<String>,
    /// Reported as a note when the axis is translated (a difference in meaning).
    #[serde(default)]
    pub note: Option<String>,
    pub source: String,
}

/// One value of one quant field on one engine version.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct QuantRow {
    pub field: String,
    /// The value, or `*` for every non-`auto` value without a row of its own.
    pub value: String,
    #[serde(default)]
    pub flag: Option<String>,
    #[serde(default)]
    pub yaml: Option<String>,
    #[serde(default)]
    pub arg: Option<toml::Value>,
    /// The field has no effect on this engine: why.
    #[serde(default)]
    pub no_effect: Option<String>,
    /// The engine cannot do this value: why.
    #[serde(default)]
    pub impossible: Option<String>,
    /// Other fields' values this row needs; otherwise the point is impossible.
    #[serde(default)]
    pub requires: BTreeMap<String, String>,
    #[serde(default)]
    pub otherwise: Option<String>,
    /// GPU architectures (`gpus.toml` arch) the translation works on; empty: all.
    /// Checked when the study gives `hardware`.
    #[serde(default)]
    pub arch: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub source: String,
}

impl QuantRow {
    /// The argument as an engine flag spells it.
    pub fn arg_string(&self) -> Option<String> {
        self.arg.as_ref().map(toml_to_string)
    }
}

pub(crate) fn toml_to_string(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// How one engine version serves a checkpoint exported for a precision pair.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PrecisionRow {
    /// `fp8/fp8`, `mxfp4/fp16` ...
    pub pair: String,
    /// The serve-time arguments (flags with their values, in order).
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default)]
    pub impossible: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub source: String,
}

/// A flag an earlier version had, and what replaced it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Renamed {
    pub flag: String,
    /// The flag(s) that replaced it, comma-separated; empty when removed.
    #[serde(default)]
    pub replacement: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub since: Option<String>,
    pub source: String,
}

impl Renamed {
    pub fn replacements(&self) -> Vec<&str> {
        self.replacement
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// A precision pair of the table (spec §3.6).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PrecisionDef {
    pub weights: String,
    pub activations: String,
    /// The ModelOpt config name.
    pub modelopt: String,
    pub builtin: bool,
    /// `stable` or `experimental`.
    pub status: String,
    /// For a custom config: the built-in config it copies.
    #[serde(default)]
    pub base: Option<String>,
    /// The whole config, as JSON.
    #[serde(default)]
    pub config: Option<String>,
    /// How the quantized checkpoint is exported.
    #[serde(default)]
    pub export: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub source: String,
}

impl PrecisionDef {
    pub fn pair(&self) -> String {
        format!("{}/{}", self.weights, self.activations)
    }
}

#[derive(Deserialize)]
struct PrecisionFile {
    #[serde(default)]
    pair: Vec<PrecisionDef>,
}

pub(crate) fn load_precision(text: &str) -> Vec<PrecisionDef> {
    let file: PrecisionFile =
        toml::from_str(text).unwrap_or_else(|e| panic!("stdlib/precision.toml is invalid: {e}"));
    file.pair
}

//! Engine flag schemas (`engines/<engine>/<version>.schema.json`), written by
//! `tools/extract_schema.py` from the engine's real argument parser.

use serde::Deserialize;
use std::collections::BTreeMap;

/// Every flag one engine version accepts.
#[derive(Debug, Clone, Deserialize)]
pub struct Schema {
    pub engine: String,
    pub version: String,
    pub source: String,
    pub flags: Vec<FlagSpec>,
    /// Value lists the engine validates after parsing, by flag name.
    #[serde(default)]
    pub values: BTreeMap<String, ValueList>,
    /// Keys of the engine's YAML options file (TensorRT-LLM), dotted.
    #[serde(default)]
    pub yaml: Vec<YamlKey>,
    #[serde(default)]
    pub positionals: Vec<String>,
    #[serde(skip)]
    index: BTreeMap<String, usize>,
}

/// How a flag is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlagKind {
    /// Takes a value: `--x 4`.
    Value,
    /// The flag alone turns something on: `--enforce-eager`.
    Switch,
    /// A `--x` / `--no-x` pair.
    Negatable,
    /// Any other flag without a value (`store_false`, `store_const`).
    Const,
}

/// The type of a flag's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlagType {
    Int,
    Float,
    Str,
    Json,
    Bool,
    Any,
}

impl FlagType {
    pub fn describe(self) -> &'static str {
        match self {
            FlagType::Int => "an integer",
            FlagType::Float => "a number",
            FlagType::Str => "a string",
            FlagType::Json => "a JSON string",
            FlagType::Bool => "a boolean",
            FlagType::Any => "a value",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct FlagSpec {
    /// The first long option, with its dashes.
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub dest: String,
    pub kind: FlagKind,
    #[serde(rename = "type", default = "any")]
    pub ty: FlagType,
    #[serde(default)]
    pub nargs: Option<serde_json::Value>,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub choices: Option<Vec<String>>,
    /// The `--no-x` form of a negatable flag.
    #[serde(default)]
    pub negative: Option<String>,
    #[serde(default)]
    pub deprecated: Option<String>,
    #[serde(default)]
    pub help: Option<String>,
}

fn any() -> FlagType {
    FlagType::Any
}

#[derive(Debug, Clone, Deserialize)]
pub struct ValueList {
    pub values: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct YamlKey {
    pub key: String,
    #[serde(rename = "type", default)]
    pub ty: Option<String>,
    #[serde(default)]
    pub choices: Option<Vec<String>>,
    #[serde(default)]
    pub default: Option<serde_json::Value>,
}

impl FlagSpec {
    /// Every option string of the flag (name, aliases, negative form).
    pub fn option_strings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.aliases.iter().map(String::as_str))
            .chain(self.negative.iter().map(String::as_str))
    }

    /// The choices the engine checks, at parse time or later (`values`).
    pub fn accepted<'s>(&'s self, schema: &'s Schema) -> Option<&'s [String]> {
        self.choices
            .as_deref()
            .or_else(|| schema.values.get(&self.name).map(|v| v.values.as_slice()))
    }

    /// The `what` of a flag's identity: two spellings of one flag share it.
    pub fn identity(&self) -> &str {
        if self.dest.is_empty() {
            &self.name
        } else {
            &self.dest
        }
    }
}

/// `--max-num-seqs` → `max-num-seqs`, `-tp` → `tp`.
pub fn bare(option: &str) -> &str {
    option.trim_start_matches('-')
}

impl Schema {
    pub(crate) fn parse(text: &str) -> Result<Schema, serde_json::Error> {
        let mut schema: Schema = serde_json::from_str(text)?;
        let mut index = BTreeMap::new();
        for (i, flag) in schema.flags.iter().enumerate() {
            for option in flag.option_strings() {
                index.entry(bare(option).to_string()).or_insert(i);
            }
        }
        schema.index = index;
        Ok(schema)
    }

    /// Looks a flag up as written in `args` (without dashes), by any of its
    /// option strings. Returns the flag and whether the written name was its
    /// negative form.
    pub fn flag(&self, written: &str) -> Option<(&FlagSpec, bool)> {
        let flag = &self.flags[*self.index.get(bare(written))?];
        let negative = flag
            .negative
            .as_deref()
            .is_some_and(|n| bare(n) == bare(written));
        Some((flag, negative))
    }

    /// Every name a flag can be written as in `args`, for suggestions.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.index.keys().map(String::as_str)
    }

    pub fn yaml_key(&self, key: &str) -> Option<&YamlKey> {
        self.yaml.iter().find(|k| k.key == key)
    }
}

//! The checked study: what the checker hands to the plan. Every setting carries
//! the place it was written (a [`Loc`]), which is what plan provenance is built from.

use crate::source::Loc;
use std::collections::BTreeMap;

/// A value and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub loc: Loc,
}

impl<T> Located<T> {
    pub fn new(value: T, loc: Loc) -> Self {
        Located { value, loc }
    }
}

/// A checked value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    /// Seconds.
    Duration(f64),
    /// A fraction (`20%` is 0.2).
    Ratio(f64),
    /// Bytes.
    Size(f64),
    /// Tokens per second.
    TokenRate(f64),
    /// Requests per second.
    RequestRate(f64),
    /// A name read as an enum value (`fp8_e5m2`, `lpm`, `on`).
    Enum(String),
    Precision(PrecisionPair),
    Traffic(Traffic),
}

impl Value {
    /// The value as an engine flag would spell it (used by `args` and the plan).
    pub fn to_arg_string(&self) -> String {
        match self {
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Str(s) | Value::Enum(s) => s.clone(),
            Value::Duration(s) => s.to_string(),
            Value::Ratio(r) => r.to_string(),
            Value::Size(b) => b.to_string(),
            Value::TokenRate(r) | Value::RequestRate(r) => r.to_string(),
            Value::Precision(p) => format!("{}/{}", p.weights, p.activations),
            Value::Traffic(t) => t.to_string(),
        }
    }
}

/// `WEIGHTS/ACTIVATIONS`, with `fp4` already read as `mxfp4`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PrecisionPair {
    pub weights: String,
    pub activations: String,
}

/// A traffic scenario (genai-bench notation); lengths in tokens.
#[derive(Clone, Debug, PartialEq)]
pub enum Traffic {
    Deterministic {
        input: u64,
        output: u64,
    },
    Normal {
        input_mean: f64,
        input_sd: f64,
        output_mean: f64,
        output_sd: f64,
    },
    Uniform {
        input_min: u64,
        input_max: u64,
        output_min: u64,
        output_max: u64,
    },
}

impl std::fmt::Display for Traffic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Traffic::Deterministic { input, output } => write!(f, "D({input},{output})"),
            Traffic::Normal {
                input_mean,
                input_sd,
                output_mean,
                output_sd,
            } => {
                write!(f, "N({input_mean},{input_sd})/({output_mean},{output_sd})")
            }
            Traffic::Uniform {
                input_min,
                input_max,
                output_min,
                output_max,
            } => {
                write!(f, "U({input_min},{input_max})/({output_min},{output_max})")
            }
        }
    }
}

/// A whole checked study. Parts a source does not write are `None` or empty; the
/// plan decides which parts it requires.
#[derive(Clone, Debug, Default)]
pub struct Study {
    pub model: Option<Model>,
    pub hardware: Option<Hardware>,
    pub engines: Vec<Engine>,
    pub deploys: Vec<Deploy>,
    /// Engine-neutral axes other than `quant` and `precision`, in source order.
    pub axes: Vec<Axis>,
    /// The `quant` axis: each point with the four fields resolved.
    pub quant: Option<Vec<QuantPoint>>,
    pub precision: Option<Vec<Located<PrecisionPair>>>,
    pub args: Vec<ArgsBlock>,
    pub slo: Option<Slo>,
    pub benchmark: Option<Benchmark>,
    pub search: Option<Search>,
}

#[derive(Clone, Debug)]
pub struct Model {
    pub id: Located<String>,
    /// As written (`detect` when not written).
    pub quantization: Located<String>,
    /// What the checkpoint is: the written value, or what `detect` found
    /// (`none` when nothing was found).
    pub effective_quantization: String,
    /// How `effective_quantization` was found, for `detect`: `"name"` or `"config.json"`.
    pub detected_from: Option<&'static str>,
    pub revision: Option<Located<String>>,
    pub loc: Loc,
}

impl Model {
    /// True when the checkpoint is already quantized offline.
    pub fn is_offline_quantized(&self) -> bool {
        self.effective_quantization != "none"
    }
}

#[derive(Clone, Debug)]
pub struct Hardware {
    pub gpu: Located<String>,
    /// The catalog entry's name (`H100`), whatever the case written.
    pub catalog_name: String,
    pub count: Located<u32>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct Engine {
    pub name: Located<String>,
    pub version: Located<String>,
    pub image: Option<Located<String>>,
    pub port: Option<Located<u16>>,
    pub entrypoint: Option<Located<Vec<String>>>,
    pub health: Option<Located<String>>,
    pub env: BTreeMap<String, Located<String>>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct Deploy {
    pub target: Located<String>,
    pub fields: BTreeMap<String, Located<DeployValue>>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DeployValue {
    Value(Value),
    /// `pvc("name")`
    Pvc(String),
    /// `secret("name", "key")`
    Secret {
        name: String,
        key: String,
    },
    /// `gpus = all`
    All,
}

/// A sweep axis (or a fixed setting, when it has one value).
#[derive(Clone, Debug)]
pub struct Axis {
    pub name: Located<String>,
    pub values: Vec<Located<Value>>,
    /// Written as a list (even of one element).
    pub is_list: bool,
}

/// One of the four quantization fields.
#[derive(Clone, Debug, PartialEq)]
pub struct QuantField {
    /// `auto` when not written.
    pub value: String,
    /// Where it was written; `None` when it defaulted to `auto`.
    pub loc: Option<Loc>,
}

impl QuantField {
    pub fn auto() -> Self {
        QuantField {
            value: "auto".into(),
            loc: None,
        }
    }
}

/// A point of the `quant` axis with its four fields resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct QuantPoint {
    pub gemm: QuantField,
    pub kv_cache: QuantField,
    pub attention: QuantField,
    pub moe: QuantField,
    /// A preset name, when the point is a preset.
    pub preset: Option<String>,
    /// Where the point was asked for (the preset name or the record).
    pub loc: Loc,
}

impl QuantPoint {
    pub fn fields(&self) -> [(&'static str, &QuantField); 4] {
        [
            ("gemm", &self.gemm),
            ("kv-cache", &self.kv_cache),
            ("attention", &self.attention),
            ("moe", &self.moe),
        ]
    }
}

/// `args [ENGINE] { ... }`
#[derive(Clone, Debug)]
pub struct ArgsBlock {
    /// `None`: valid for every engine.
    pub engine: Option<Located<String>>,
    pub flags: Vec<Flag>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct Flag {
    /// Without leading dashes.
    pub name: Located<String>,
    pub values: Vec<Located<Value>>,
    pub is_list: bool,
}

#[derive(Clone, Debug)]
pub struct Slo {
    pub objectives: Vec<Objective>,
    pub steepness: Located<f64>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Metric {
    Ttft,
    Tpot,
    Itl,
    E2e,
    ErrorRate,
    Throughput,
}

#[derive(Clone, Debug)]
pub struct Objective {
    pub metric: Located<Metric>,
    /// `mean`, `p50`, ...; `None` for `error-rate` and `throughput`.
    pub statistic: Option<Located<String>>,
    /// True for `<`/`<=`.
    pub upper_bound: bool,
    /// In base units: seconds, a ratio, tokens or requests per second.
    pub threshold: Located<Value>,
    pub weight: f64,
    pub hard: bool,
    pub fail_ratio: f64,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct Benchmark {
    pub traffic: Vec<Located<Traffic>>,
    pub concurrency: Vec<Located<i64>>,
    /// Requests per second.
    pub rate: Vec<Located<f64>>,
    /// Seconds.
    pub duration: Option<Located<f64>>,
    pub requests: Option<Located<i64>>,
    pub warmup: Option<Located<f64>>,
    pub endpoint: Option<Located<String>>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct Search {
    pub strategy: Located<String>,
    /// (`maximize` or `minimize`, the target).
    pub objective: Option<Located<(String, String)>>,
    pub timeout: Option<Located<f64>>,
    pub max_experiments: Option<Located<i64>>,
    pub strict: Option<Located<bool>>,
    pub samples: Option<Located<i64>>,
    pub seed: Option<Located<i64>>,
    pub loc: Loc,
}

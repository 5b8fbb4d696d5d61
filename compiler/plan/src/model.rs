//! The plan (spec §5): experiments with their exact commands, the points each
//! stands for, and where every argument came from.

use std::collections::BTreeMap;
use tune_check::Loc;

/// Where an argument came from, in the user's words.
#[derive(Clone, Debug, PartialEq)]
pub struct Origin {
    /// `sweep memory = 0.85`, `quant kv-cache = fp8_e5m2 (preset kv-cache-fp8)`,
    /// `args sglang schedule-policy = lpm`, `default of vllm 0.33.0`.
    pub what: String,
    /// The place in the study it traces back to.
    pub loc: Option<Loc>,
    /// The stdlib row that translated it (`std/engines/vllm/0.33.0.toml
    /// axes.memory`), or the stdlib file a default comes from; the plan's
    /// `mappings` give each row's source.
    pub mapping: Option<String>,
}

/// One argument of an experiment's command: a flag with its values, or the
/// positional model.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedArg {
    /// With its dashes; `None` for a positional argument.
    pub flag: Option<String>,
    pub values: Vec<String>,
    /// Usually one; several when settings that map to one flag agree.
    pub origins: Vec<Origin>,
    /// What this argument replaced (an `args` flag over a derived one).
    pub overrides: Vec<Origin>,
}

/// One key of the engine's YAML options file (TensorRT-LLM).
#[derive(Clone, Debug, PartialEq)]
pub struct YamlSetting {
    /// Dotted: `kv_cache_config.dtype`.
    pub key: String,
    pub value: serde_json::Value,
    pub origins: Vec<Origin>,
    pub overrides: Vec<Origin>,
}

/// The offline quantization that a precision pair adds before serving (spec §3.6).
#[derive(Clone, Debug, PartialEq)]
pub struct QuantizeStep {
    /// `mxfp4/fp8`
    pub pair: String,
    pub modelopt: String,
    pub builtin: bool,
    pub status: String,
    /// The whole ModelOpt config (custom configs always; built-ins when the
    /// stdlib has them written out).
    pub config: Option<serde_json::Value>,
    pub export: Option<String>,
    /// The original checkpoint.
    pub model: String,
    /// Its revision, when the study gives one.
    pub revision: Option<String>,
    /// Where the exported checkpoint is written; the serve command loads it.
    pub output: String,
    pub origin: Origin,
}

/// A point of the sweep: one value of every axis, as the user wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SourcePoint {
    /// (axis, value) in axis order: `engine`, the sweep axes, `quant`,
    /// `precision`, then `args` flags.
    pub settings: Vec<(String, String)>,
}

impl SourcePoint {
    pub fn get(&self, axis: &str) -> Option<&str> {
        self.settings
            .iter()
            .find(|(a, _)| a == axis)
            .map(|(_, v)| v.as_str())
    }
}

impl std::fmt::Display for SourcePoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (axis, value)) in self.settings.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{axis}={value}")?;
        }
        Ok(())
    }
}

/// One deployment to run and measure.
#[derive(Clone, Debug)]
pub struct Experiment {
    /// A short stable hash of what makes the experiment (engine, version, image,
    /// command, environment, YAML options, quantize step).
    pub id: String,
    pub engine: String,
    pub version: String,
    pub image: String,
    /// The prefix of `argv` that starts the engine (the image's entrypoint).
    pub entrypoint: Vec<String>,
    /// The full command.
    pub argv: Vec<String>,
    /// `argv` after the entrypoint, argument by argument, with provenance.
    pub args: Vec<PlannedArg>,
    /// The YAML options file, when the engine takes one.
    pub yaml: Vec<YamlSetting>,
    /// Its path as passed on the command line.
    pub yaml_file: Option<String>,
    pub env: BTreeMap<String, String>,
    pub port: u16,
    pub health: String,
    pub quantize: Option<QuantizeStep>,
    /// Every point of the sweep this experiment stands for.
    pub sources: Vec<SourcePoint>,
}

/// A point that cannot run, and why.
#[derive(Clone, Debug)]
pub struct Dropped {
    pub point: SourcePoint,
    pub engine: String,
    pub version: String,
    pub reason: String,
}

/// One load level of the benchmark: a traffic scenario at a concurrency or a rate.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadLevel {
    pub traffic: String,
    pub concurrency: Option<i64>,
    /// Requests per second.
    pub rate: Option<f64>,
}

/// The plan of a study.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub experiments: Vec<Experiment>,
    pub dropped: Vec<Dropped>,
    /// Points of the product before dropping and de-duplication.
    pub points: usize,
    /// Experiments before the search strategy (random sampling) chose.
    pub candidates: usize,
    /// Every experiment runs every load level.
    pub load_levels: Vec<LoadLevel>,
    pub strategy: String,
    pub seed: Option<i64>,
    /// The source of every stdlib row the plan used, by the name origins give.
    pub mappings: BTreeMap<String, String>,
}

//! The `.tune` standard library as data.
//!
//! Everything the compiler knows about engines, GPUs and presets lives in the
//! files beside this crate (`presets.tune`, `gpus.toml`, `engines/<engine>/<version>.toml`)
//! and is embedded at build time, so adding an engine version or a GPU means adding
//! a file, not editing code.

mod mapping;
mod schema;

pub use mapping::{AxisMapping, PrecisionDef, PrecisionRow, QuantRow, Renamed};
pub use schema::{bare, FlagKind, FlagSpec, FlagType, Schema, ValueList, YamlKey};

use include_dir::{include_dir, Dir};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

static ENGINES_DIR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/engines");

/// The four quantization fields of the language and their values (spec §3.5),
/// `auto` first. The checker accepts these; every engine version's mappings
/// must have a row for each non-`auto` value.
pub const QUANT_FIELDS: &[(&str, &[&str])] = &[
    (
        "gemm",
        &["auto", "float16", "bfloat16", "float32", "fp8", "int8"],
    ),
    (
        "kv-cache",
        &[
            "auto", "float16", "bfloat16", "fp8", "fp8_e5m2", "fp8_e4m3", "int8", "int4", "nvfp4",
        ],
    ),
    (
        "attention",
        &[
            "auto",
            "float16",
            "bfloat16",
            "fp8",
            "fp8_e5m2",
            "fp8_e4m3",
            "fp8_block",
        ],
    ),
    (
        "moe",
        &[
            "auto", "float16", "bfloat16", "fp8", "w4afp8", "mxfp4", "int8",
        ],
    ),
];

/// Modules importable as `import "std/NAME"`: (import path, file name, source text).
const STD_MODULES: &[(&str, &str, &str)] = &[(
    "std/presets",
    "std/presets.tune",
    include_str!("../presets.tune"),
)];

/// A module of the standard library written in `.tune`.
#[derive(Debug, Clone, Copy)]
pub struct StdModule {
    /// The path as written in `import "..."`.
    pub import_path: &'static str,
    /// The name shown in diagnostics.
    pub file_name: &'static str,
    pub source: &'static str,
}

/// The module for an import path such as `std/presets`.
pub fn std_module(import_path: &str) -> Option<StdModule> {
    std_modules().find(|m| m.import_path == import_path)
}

/// All standard modules.
pub fn std_modules() -> impl Iterator<Item = StdModule> {
    STD_MODULES
        .iter()
        .map(|&(import_path, file_name, source)| StdModule {
            import_path,
            file_name,
            source,
        })
}

/// One GPU of the catalog (`gpus.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gpu {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub arch: String,
    /// CUDA compute capability, e.g. `"9.0"`.
    pub sm: String,
    pub memory_gib: u32,
    /// Hardware FP8 support (SM 8.9 and later).
    pub fp8: bool,
    /// Hardware FP4 support (NVFP4 / MXFP4; Blackwell).
    pub fp4: bool,
    pub source: String,
}

#[derive(Deserialize)]
struct GpuCatalog {
    gpu: Vec<Gpu>,
}

/// The GPU catalog.
pub fn gpus() -> &'static [Gpu] {
    static GPUS: OnceLock<Vec<Gpu>> = OnceLock::new();
    GPUS.get_or_init(|| {
        let catalog: GpuCatalog =
            toml::from_str(include_str!("../gpus.toml")).expect("stdlib/gpus.toml is valid");
        catalog.gpu
    })
}

/// Looks a GPU up by name or alias, ignoring ASCII case.
pub fn gpu(name: &str) -> Option<&'static Gpu> {
    gpus().iter().find(|g| {
        g.name.eq_ignore_ascii_case(name) || g.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}

/// One engine version: launch defaults, flag schema and mappings
/// (`engines/<engine>/<version>.toml` and `.schema.json`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct EngineVersion {
    pub engine: String,
    pub version: String,
    pub image: String,
    pub entrypoint: Vec<String>,
    /// `positional` or the flag that takes the model.
    pub model_arg: String,
    pub port: u16,
    pub port_flag: String,
    pub host_flag: String,
    /// The address to bind, for engines that bind localhost by default; `None`
    /// when the engine already listens on every interface.
    #[serde(default)]
    pub host: Option<String>,
    pub health: String,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// The flag that takes the path of the YAML options file (TensorRT-LLM).
    #[serde(default)]
    pub yaml_flag: Option<String>,
    /// The flag that takes the model revision.
    #[serde(default)]
    pub revision_flag: Option<String>,
    pub source: String,
    #[serde(default)]
    pub axes: BTreeMap<String, AxisMapping>,
    #[serde(default)]
    pub quant: Vec<QuantRow>,
    #[serde(default)]
    pub precision: Vec<PrecisionRow>,
    #[serde(default)]
    pub renamed: Vec<Renamed>,
    /// The stdlib file it was read from, for provenance.
    #[serde(skip)]
    pub file: String,
    #[serde(skip)]
    pub schema: Option<Schema>,
}

impl EngineVersion {
    /// `vllm 0.33.0`
    pub fn label(&self) -> String {
        format!("{} {}", self.engine, self.version)
    }

    /// The flag schema. Every engine version in the stdlib has one; a version
    /// without (only while one is being added) accepts no flags.
    pub fn schema(&self) -> Option<&Schema> {
        self.schema.as_ref()
    }

    /// The translation row of a quant field value: the exact value's row, else
    /// the `*` row (which covers every non-`auto` value).
    pub fn quant_row(&self, field: &str, value: &str) -> Option<&QuantRow> {
        self.quant
            .iter()
            .find(|r| r.field == field && r.value == value)
            .or_else(|| {
                self.quant
                    .iter()
                    .find(|r| r.field == field && r.value == "*")
            })
    }

    pub fn precision_row(&self, pair: &str) -> Option<&PrecisionRow> {
        self.precision.iter().find(|r| r.pair == pair)
    }
}

/// Every engine version the standard library knows, sorted by engine, then version.
pub fn engine_versions() -> &'static [EngineVersion] {
    static ENGINES: OnceLock<Vec<EngineVersion>> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let mut out = Vec::new();
        for dir in ENGINES_DIR.dirs() {
            for file in dir.files() {
                let path = file.path();
                if path.extension().and_then(|e| e.to_str()) != Some("toml") {
                    continue;
                }
                let text = file.contents_utf8().expect("engine files are UTF-8");
                let mut ev: EngineVersion = toml::from_str(text).unwrap_or_else(|e| {
                    panic!("stdlib/engines/{} is invalid: {e}", path.display())
                });
                ev.file = format!("std/engines/{}", path.display());
                let schema_path = path.with_extension("schema.json");
                if let Some(schema) = ENGINES_DIR.get_file(&schema_path) {
                    let text = schema.contents_utf8().expect("schemas are UTF-8");
                    ev.schema = Some(Schema::parse(text).unwrap_or_else(|e| {
                        panic!("stdlib/engines/{} is invalid: {e}", schema_path.display())
                    }));
                }
                out.push(ev);
            }
        }
        out.sort_by(|a, b| {
            a.engine
                .cmp(&b.engine)
                .then_with(|| version_key(&a.version).cmp(&version_key(&b.version)))
        });
        out
    })
}

/// The precision-pair table (`precision.toml`).
pub fn precision_pairs() -> &'static [PrecisionDef] {
    static PAIRS: OnceLock<Vec<PrecisionDef>> = OnceLock::new();
    PAIRS.get_or_init(|| mapping::load_precision(include_str!("../precision.toml")))
}

/// The table entry of a pair (`fp8/fp16`); `bf16` activations read as `fp16`
/// (both mean: activations not quantized).
pub fn precision_pair(weights: &str, activations: &str) -> Option<&'static PrecisionDef> {
    let act = if activations == "bf16" {
        "fp16"
    } else {
        activations
    };
    precision_pairs()
        .iter()
        .find(|p| p.weights == weights && p.activations == act)
}

/// Names of the engines the standard library knows, sorted.
pub fn engine_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = engine_versions()
        .iter()
        .map(|e| e.engine.as_str())
        .collect();
    names.dedup();
    names
}

/// Known versions of one engine, oldest first.
pub fn versions_of(engine: &str) -> Vec<&'static str> {
    engine_versions()
        .iter()
        .filter(|e| e.engine == engine)
        .map(|e| e.version.as_str())
        .collect()
}

/// The launch defaults of `engine` at `version`.
pub fn engine_version(engine: &str, version: &str) -> Option<&'static EngineVersion> {
    engine_versions()
        .iter()
        .find(|e| e.engine == engine && e.version == version)
}

/// Orders versions numerically component by component (`0.5.23` > `0.5.6`).
pub fn version_key(v: &str) -> Vec<u64> {
    v.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap_or(0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const AXES: &[&str] = &[
        "tp",
        "pp",
        "dp",
        "ep",
        "memory",
        "max-seqs",
        "context",
        "prefix-cache",
    ];

    #[test]
    fn catalog_and_engines_load() {
        assert!(gpu("h100").is_some_and(|g| g.fp8 && !g.fp4));
        assert!(gpu("B200").is_some_and(|g| g.fp4));
        assert_eq!(engine_names(), vec!["sglang", "trtllm", "vllm"]);
        assert!(versions_of("vllm").contains(&"0.33.0"));
        assert!(std_module("std/presets").is_some());
    }

    fn flag_exists(ev: &EngineVersion, flag: &str) {
        let schema = ev.schema().unwrap();
        assert!(
            schema
                .flag(flag)
                .is_some_and(|(f, _)| f.option_strings().any(|o| o == flag)),
            "{}: `{flag}` is not an option string of its schema",
            ev.file
        );
    }

    /// Every flag a mapping names is a flag of that engine version (never invent
    /// a flag), every value of every quant field and every axis has a row (never
    /// guess), and every row names its source.
    #[test]
    fn mappings_name_only_real_flags_and_cover_every_value() {
        for ev in engine_versions() {
            let schema = ev
                .schema()
                .unwrap_or_else(|| panic!("{} has no schema", ev.file));
            assert_eq!(
                (schema.engine.as_str(), schema.version.as_str()),
                (ev.engine.as_str(), ev.version.as_str())
            );
            for flag in [&ev.port_flag, &ev.host_flag] {
                flag_exists(ev, flag);
            }
            if ev.model_arg != "positional" {
                flag_exists(ev, &ev.model_arg);
            }
            for flag in ev.yaml_flag.iter().chain(&ev.revision_flag) {
                flag_exists(ev, flag);
            }
            for axis in AXES {
                let m = ev
                    .axes
                    .get(*axis)
                    .unwrap_or_else(|| panic!("{}: no [axes.{axis}]", ev.file));
                assert!(!m.source.is_empty());
                for flag in m.flag.iter().chain(&m.switch) {
                    flag_exists(ev, flag);
                }
                for args in m.on.iter().chain(&m.off) {
                    for a in args.iter().filter(|a| a.starts_with('-')) {
                        flag_exists(ev, a);
                    }
                }
                if let Some(key) = &m.yaml {
                    assert!(
                        schema.yaml_key(key).is_some(),
                        "{}: no YAML key {key}",
                        ev.file
                    );
                }
            }
            for (field, values) in QUANT_FIELDS {
                for value in values.iter().filter(|v| **v != "auto") {
                    let row = ev
                        .quant_row(field, value)
                        .unwrap_or_else(|| panic!("{}: no row for {field} = {value}", ev.file));
                    assert!(!row.source.is_empty());
                    let kinds = [
                        row.flag.is_some() || row.yaml.is_some(),
                        row.no_effect.is_some(),
                        row.impossible.is_some(),
                    ];
                    assert_eq!(
                        kinds.iter().filter(|k| **k).count(),
                        1,
                        "{}: {field} = {value}: one of flag/yaml, no-effect, impossible",
                        ev.file
                    );
                    if let Some(flag) = &row.flag {
                        flag_exists(ev, flag);
                        let (spec, _) = schema.flag(flag).unwrap();
                        if let (Some(arg), Some(accepted)) =
                            (row.arg_string(), spec.accepted(schema))
                        {
                            assert!(
                                accepted.contains(&arg),
                                "{}: {flag} {arg} not in {accepted:?}",
                                ev.file
                            );
                        }
                    }
                    if let Some(key) = &row.yaml {
                        assert!(
                            schema.yaml_key(key).is_some(),
                            "{}: no YAML key {key}",
                            ev.file
                        );
                    }
                }
            }
            for row in &ev.precision {
                assert!(
                    precision_pairs().iter().any(|p| p.pair() == row.pair),
                    "{}: pair {} not in precision.toml",
                    ev.file,
                    row.pair
                );
                for a in row.args.iter().filter(|a| a.starts_with('-')) {
                    flag_exists(ev, a);
                }
            }
            for r in &ev.renamed {
                assert!(
                    schema.flag(&r.flag).is_none(),
                    "{}: renamed `{}` is still a flag",
                    ev.file,
                    r.flag
                );
                for new in r.replacements() {
                    flag_exists(ev, new);
                }
            }
        }
    }

    #[test]
    fn precision_table_has_the_spec_pairs() {
        for (w, a, config) in [
            ("mxfp4", "fp8", "W4A8_MXFP4_FP8_CFG"),
            ("mxfp4", "fp16", "MXFP4_WEIGHT_ONLY_CFG"),
            ("fp8", "fp8", "FP8_DEFAULT_CFG"),
            ("fp8", "fp16", "FP8_WEIGHT_ONLY_CFG"),
            ("int8", "fp16", "INT8_WEIGHT_ONLY_CFG"),
            ("int8", "fp8", "INT8_WEIGHT_FP8_ACT_CFG"),
        ] {
            let p = precision_pair(w, a).unwrap_or_else(|| panic!("no {w}/{a}"));
            assert_eq!(p.modelopt, config);
            if !p.builtin {
                let c: serde_json::Value = serde_json::from_str(
                    p.config.as_deref().expect("custom configs are written out"),
                )
                .unwrap();
                assert!(c.is_object());
            }
        }
        assert_eq!(
            precision_pair("int8", "fp8").unwrap().status,
            "experimental"
        );
        assert!(precision_pair("fp8", "bf16").is_some());
    }
}

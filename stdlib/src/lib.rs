//! The `.tune` standard library as data.
//!
//! Everything the compiler knows about engines, GPUs and presets lives in the
//! files beside this crate (`presets.tune`, `gpus.toml`, `engines/<engine>/<version>.toml`)
//! and is embedded at build time, so adding an engine version or a GPU means adding
//! a file, not editing code.

use include_dir::{include_dir, Dir};
use serde::Deserialize;
use std::sync::OnceLock;

static ENGINES_DIR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/engines");

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

/// Launch defaults of one engine version (`engines/<engine>/<version>.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
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
    pub health: String,
    #[serde(default)]
    pub env: std::collections::BTreeMap<String, String>,
    pub source: String,
}

/// Every engine version the standard library knows, sorted by engine, then version.
pub fn engine_versions() -> &'static [EngineVersion] {
    static ENGINES: OnceLock<Vec<EngineVersion>> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let mut out = Vec::new();
        for dir in ENGINES_DIR.dirs() {
            for file in dir.files() {
                if file.path().extension().and_then(|e| e.to_str()) != Some("toml") {
                    continue;
                }
                let text = file.contents_utf8().expect("engine files are UTF-8");
                let ev: EngineVersion = toml::from_str(text).unwrap_or_else(|e| {
                    panic!("stdlib/engines/{} is invalid: {e}", file.path().display())
                });
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
fn version_key(v: &str) -> Vec<u64> {
    v.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap_or(0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_and_engines_load() {
        assert!(gpu("h100").is_some_and(|g| g.fp8 && !g.fp4));
        assert!(gpu("B200").is_some_and(|g| g.fp4));
        assert_eq!(engine_names(), vec!["sglang", "trtllm", "vllm"]);
        assert_eq!(versions_of("vllm"), vec!["0.33.0"]);
        assert!(std_module("std/presets").is_some());
    }
}

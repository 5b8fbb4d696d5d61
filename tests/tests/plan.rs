//! The plan (spec §5) of every example, and the properties every plan has:
//! every flag is one the pinned engine version accepts, every argument traces
//! back to a line of the study, ids are stable.
//!
//! Snapshots (`tests/plan/snapshots/`) hold each example's plan as Markdown
//! with provenance, and its diagnostics; refresh with
//! `INSTA_UPDATE=always cargo test -p tune-tests --test plan`.

use std::path::{Path, PathBuf};
use tune_check::{render, Checked, Severity};
use tune_plan::{Experiment, Plan};
use tune_stdlib::{FlagKind, Schema};

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "tune"))
        .collect();
    out.sort();
    assert!(out.len() >= 9, "examples: {out:?}");
    out
}

fn plan_of(path: &Path) -> (Checked, Plan) {
    let name = format!("examples/{}", path.file_name().unwrap().to_string_lossy());
    let mut checked = tune_check::check_path_as(path, &name);
    let plan = tune_plan::plan(&mut checked);
    (checked, plan)
}

fn plan_source(name: &str, source: &str) -> (Checked, Plan) {
    let mut checked = tune_check::check_source(name, source);
    let plan = tune_plan::plan(&mut checked);
    (checked, plan)
}

fn diagnostics_text(checked: &Checked) -> String {
    checked
        .diagnostics
        .iter()
        .map(|d| render::human(d, &checked.sources, render::Style::Plain))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_example_plans_without_errors() {
    for path in examples() {
        let (checked, plan) = plan_of(&path);
        assert!(
            !checked.has_errors(),
            "{}:\n{}",
            path.display(),
            diagnostics_text(&checked)
        );
        assert!(!plan.experiments.is_empty(), "{}", path.display());
    }
}

#[test]
fn example_plan_snapshots() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../plan/snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for path in examples() {
            let (checked, plan) = plan_of(&path);
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let text = format!(
                "{}\n---- diagnostics ----\n{}",
                tune_plan::text::markdown(&plan, &checked, true),
                diagnostics_text(&checked)
            );
            insta::assert_snapshot!(name, text);
        }
    });
}

/// Checks one command against the engine version's schema the way argparse
/// would read it: every flag known, switches without values, values among the
/// choices, and the right number of values.
fn assert_accepted(e: &Experiment, schema: &Schema, context: &str) {
    for a in &e.args {
        let Some(flag) = &a.flag else { continue };
        let (spec, negative) = schema
            .flag(flag)
            .unwrap_or_else(|| panic!("{context}: {} {} has no flag {flag}", e.engine, e.version));
        assert!(
            spec.option_strings().any(|o| o == flag),
            "{context}: {flag} is not an exact option string"
        );
        match spec.kind {
            FlagKind::Value => {
                assert!(!negative);
                assert_eq!(
                    a.values.len(),
                    1,
                    "{context}: {flag} takes one value: {:?}",
                    a.values
                );
                if let Some(accepted) = spec.accepted(schema) {
                    assert!(
                        accepted.contains(&a.values[0]),
                        "{context}: {flag} {} not in {accepted:?}",
                        a.values[0]
                    );
                }
            }
            _ => assert!(a.values.is_empty(), "{context}: {flag} takes no value"),
        }
    }
}

#[test]
fn every_flag_is_one_the_pinned_engine_accepts() {
    let mut checked_flags = 0;
    for path in examples() {
        let (_, plan) = plan_of(&path);
        for e in &plan.experiments {
            let ev = tune_stdlib::engine_version(&e.engine, &e.version).unwrap();
            let schema = ev.schema().expect("every engine version has a schema");
            assert_accepted(e, schema, &path.display().to_string());
            checked_flags += e.args.iter().filter(|a| a.flag.is_some()).count();
        }
    }
    assert!(checked_flags > 100, "{checked_flags}");
}

#[test]
fn argv_is_the_entrypoint_then_the_arguments_and_every_one_has_a_source() {
    for path in examples() {
        let (checked, plan) = plan_of(&path);
        let root = checked.sources.iter().next().unwrap().0;
        for e in &plan.experiments {
            let mut argv = e.entrypoint.clone();
            for a in &e.args {
                argv.extend(a.flag.iter().cloned());
                argv.extend(a.values.iter().cloned());
                assert!(!a.origins.is_empty());
                for o in &a.origins {
                    let loc = o
                        .loc
                        .unwrap_or_else(|| panic!("{} has no place: {o:?}", path.display()));
                    // Every argument traces back to a line of the study itself.
                    assert_eq!(loc.file, root, "{}: {o:?}", path.display());
                }
            }
            assert_eq!(argv, e.argv, "{}", path.display());
            assert_eq!(e.id.len(), 12);
        }
        // Ids are unique, and every source point is accounted for.
        let mut ids: Vec<&str> = plan.experiments.iter().map(|e| e.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), plan.experiments.len(), "{}", path.display());
        if plan.strategy == "grid" {
            let sources: usize = plan.experiments.iter().map(|e| e.sources.len()).sum();
            assert_eq!(
                sources + plan.dropped.len(),
                plan.points,
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn the_json_plan_has_what_tools_need() {
    for path in examples() {
        let (checked, plan) = plan_of(&path);
        let json = tune_plan::json::plan_json(&plan, &checked);
        let experiments = json["experiments"].as_array().unwrap();
        assert_eq!(experiments.len(), plan.experiments.len());
        for e in experiments {
            for key in [
                "id",
                "engine",
                "version",
                "image",
                "argv",
                "env",
                "quantize",
                "sources",
                "provenance",
            ] {
                assert!(e.get(key).is_some(), "{}: no {key}", path.display());
            }
            assert!(e["argv"].as_array().unwrap().iter().all(|a| a.is_string()));
            for p in e["provenance"].as_array().unwrap() {
                for o in p["origins"].as_array().unwrap() {
                    assert!(
                        o["file"].is_string()
                            && o["line"].as_u64().unwrap() >= 1
                            && o["column"].as_u64().unwrap() >= 1
                    );
                }
            }
        }
        assert!(json["dropped"].is_array() && json["diagnostics"].is_array());
    }
}

#[test]
fn ids_depend_on_the_setting_not_on_the_order_of_the_sweep() {
    let a = "model \"m/x\"\nengine vllm \"0.33.0\"\nsweep { memory = [0.8, 0.9]; max-seqs = [64, 128] }\n";
    let b = "model \"m/x\"\nengine vllm \"0.33.0\"\nsweep { max-seqs = [128, 64]; memory = [0.9, 0.8] }\n";
    let ids = |src: &str| {
        let (checked, plan) = plan_source("s.tune", src);
        assert!(!checked.has_errors(), "{}", diagnostics_text(&checked));
        let mut by_cmd: Vec<(Vec<String>, String)> = plan
            .experiments
            .iter()
            .map(|e| {
                let mut flags = e.argv.clone();
                flags.sort();
                (flags, e.id.clone())
            })
            .collect();
        by_cmd.sort();
        by_cmd
    };
    let x = ids(a);
    assert_eq!(x.len(), 4);
    // The same four settings with the axes and values in another order: the
    // flags come in another order, the ids are the same.
    assert_eq!(ids(b), x);
}

#[test]
fn random_search_samples_with_its_seed() {
    let src = |seed: i64| {
        format!(
            "model \"m/x\"\nengine vllm \"0.33.0\"\nsweep {{ memory = [0.7, 0.75, 0.8, 0.85, 0.9]; max-seqs = [32, 64, 128, 256] }}\nsearch random {{ samples = 5; seed = {seed} }}\n"
        )
    };
    let ids = |seed| {
        let (checked, plan) = plan_source("s.tune", &src(seed));
        assert!(!checked.has_errors(), "{}", diagnostics_text(&checked));
        assert_eq!((plan.candidates, plan.experiments.len()), (20, 5));
        plan.experiments
            .iter()
            .map(|e| e.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(7), ids(7));
    assert_ne!(ids(7), ids(8));
}

#[test]
fn a_grid_larger_than_its_budget_is_an_error() {
    let (checked, plan) = plan_source(
        "s.tune",
        "model \"m/x\"\nengine vllm \"0.33.0\"\nsweep { memory = [0.8, 0.9]; max-seqs = [64, 128] }\nsearch grid { max-experiments = 3 }\n",
    );
    assert!(checked
        .diagnostics
        .iter()
        .any(|d| d.code == "E0307" && d.is_error()));
    assert!(plan.experiments.is_empty());
}

#[test]
fn a_plan_needs_a_model_and_an_engine() {
    let (checked, _) = plan_source("s.tune", "engine vllm \"0.33.0\"\n");
    assert!(checked.diagnostics.iter().any(|d| d.code == "E0219"));
    let (checked, _) = plan_source("s.tune", "model \"m/x\"\n");
    assert!(checked.diagnostics.iter().any(|d| d.code == "E0219"));
    // `tune check` of a file that only defines presets is fine.
    let mut checked = tune_check::check_source("lib.tune", "preset p = quant { kv-cache = fp8 }\n");
    tune_plan::check_engines(&mut checked);
    assert_eq!(checked.count(Severity::Error), 0);
}

#[test]
fn a_sweep_too_large_to_plan_is_an_error_not_a_hang() {
    let ten = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]";
    let src = format!(
        "model \"m/x\"\nengine vllm \"0.33.0\"\nsweep {{ max-seqs = {ten}; context = {ten} }}\nargs vllm {{ max-num-batched-tokens = {ten}; block-size = {ten}; seed = {ten}; max-logprobs = {ten}; max-num-seqs = {ten} }}\n"
    );
    let started = std::time::Instant::now();
    let (checked, plan) = plan_source("s.tune", &src);
    assert!(started.elapsed().as_secs() < 5);
    assert!(plan.experiments.is_empty());
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.code == "E0307")
        .expect("E0307");
    assert!(
        d.message.contains("more than 1000000 points"),
        "{}",
        d.message
    );
}

//! The spec is normative: every ```tune block of `../shared/spec/tune-language.md`
//! must parse without a syntax error, and every statement in it must check without
//! an error (each statement on its own, since blocks list alternatives such as
//! three `model` lines; the block's imports, `let`s and presets come along, and
//! `std/presets` is imported as the spec's preset examples assume). The complete
//! study of §7 must check clean as a whole. The examples the spec calls wrong are
//! rejected at the right place.

use std::path::PathBuf;

fn spec() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec/tune-language.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the spec must lie beside the repository at {}: {e}",
            path.display()
        )
    })
}

fn tune_blocks(spec: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = spec;
    while let Some(start) = rest.find("```tune\n") {
        let body = &rest[start + 8..];
        let end = body.find("```").expect("closed code block");
        out.push(body[..end].to_string());
        rest = &body[end..];
    }
    out
}

#[test]
fn every_spec_example_parses_and_its_statements_check() {
    let blocks = tune_blocks(&spec());
    assert!(blocks.len() >= 12, "found {} tune blocks", blocks.len());
    let mut statements_checked = 0;
    for (i, block) in blocks.iter().enumerate() {
        let file = tune_syntax::parse(block);
        assert!(
            file.errors.is_empty(),
            "block {i} has syntax errors: {:?}\n{block}",
            file.errors
        );
        let text = |s: &tune_syntax::Statement| block[s.span.start..s.span.end].to_string();
        let context: Vec<String> = file
            .statements
            .iter()
            .filter(|s| {
                matches!(
                    s.kind,
                    tune_syntax::StatementKind::Import { .. }
                        | tune_syntax::StatementKind::Let { .. }
                        | tune_syntax::StatementKind::Preset { .. }
                )
            })
            .map(text)
            .collect();
        let mut prelude = context.join("\n");
        if !prelude.contains("std/presets") {
            prelude = format!("import \"std/presets\"\n{prelude}");
        }
        let is_definition = |s: &tune_syntax::Statement| {
            matches!(
                s.kind,
                tune_syntax::StatementKind::Import { .. }
                    | tune_syntax::StatementKind::Let { .. }
                    | tune_syntax::StatementKind::Preset { .. }
            )
        };
        // The definitions once (they are the prelude), then each other statement.
        let mut sources = vec![("the definitions".to_string(), format!("{prelude}\n"))];
        for stmt in file.statements.iter().filter(|s| !is_definition(s)) {
            sources.push((text(stmt), format!("{prelude}\n{}\n", text(stmt))));
        }
        for (what, source) in sources {
            let checked = tune_check::check_source(&format!("spec-block-{i}.tune"), &source);
            let errors: Vec<_> = checked
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .collect();
            assert!(
                errors.is_empty(),
                "block {i}, statement `{what}`: {errors:#?}"
            );
            statements_checked += 1;
        }
    }
    assert!(
        statements_checked >= 35,
        "only {statements_checked} statements checked"
    );
}

#[test]
fn the_complete_study_checks_clean() {
    let blocks = tune_blocks(&spec());
    let study = blocks
        .iter()
        .find(|b| b.contains("A complete study") || b.starts_with("# Which KV-cache"))
        .expect("§7");
    let checked = tune_check::check_source("study.tune", study);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let s = &checked.study;
    assert_eq!(s.engines.len(), 2);
    assert_eq!(s.quant.as_ref().unwrap().len(), 3);
    assert_eq!(s.axes[0].values.len(), 2);
    assert_eq!(s.args[0].flags[0].values.len(), 2);
    let b = s.benchmark.as_ref().unwrap();
    assert_eq!((b.traffic.len(), b.concurrency.len()), (2, 4));
    assert_eq!(s.slo.as_ref().unwrap().objectives.len(), 3);
}

#[test]
fn what_the_spec_calls_wrong_is_rejected_where_it_is() {
    // §3.8: "`ttft p90 < 50` is an error: a duration needs a unit".
    let c = tune_check::check_source("s.tune", "slo {\n  ttft p90 < 50\n}\n");
    let d = &c.diagnostics[0];
    assert_eq!((c.diagnostics.len(), d.code), (1, "E0202"));
    let l = d.primary_label().unwrap();
    assert_eq!(
        c.sources.get(l.loc.file).line_column(l.loc.span.start),
        (2, 14)
    );
    // §3.6: FP4 formats before Blackwell are an error when `hardware` is given.
    let c = tune_check::check_source(
        "s.tune",
        "hardware H100 x 1\nsweep { precision = [fp8/fp8, fp4/fp8] }\n",
    );
    let errors: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    assert_eq!(errors, vec!["E0221"]);
    // §3.3: a layout that needs more GPUs than given.
    let c = tune_check::check_source("s.tune", "hardware H100 x 2\nsweep { tp = 4 }\n");
    assert_eq!(
        c.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec!["E0220"]
    );
    // §3.2: an unknown version is an error that lists the known ones.
    let c = tune_check::check_source("s.tune", "engine vllm \"0.10.0\"\n");
    assert_eq!(c.diagnostics[0].code, "E0212");
    assert!(c.diagnostics[0].help.as_deref().unwrap().contains("0.33.0"));
    // §3.6: a precision pair on an offline-quantized checkpoint.
    let c = tune_check::check_source(
        "s.tune",
        "model \"TheBloke/Llama-2-7B-AWQ\"\nsweep { precision = fp8/fp8 }\n",
    );
    assert!(c.diagnostics.iter().any(|d| d.code == "E0218"));
}

/// §7: "the plan has 18 experiments, each with 2 traffic scenarios × 4
/// concurrency levels"; sglang contributes 12 points and vLLM 6; the one warning
/// is vLLM's attention dtype, and nothing collapses.
#[test]
fn the_complete_study_plans_to_18_experiments_of_8_load_levels() {
    let blocks = tune_blocks(&spec());
    let study = blocks
        .iter()
        .find(|b| b.starts_with("# Which KV-cache"))
        .expect("§7");
    let mut checked = tune_check::check_source("study.tune", study);
    let plan = tune_plan::plan(&mut checked);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    assert_eq!(plan.points, 18);
    assert_eq!(plan.experiments.len(), 18);
    assert!(plan.dropped.is_empty());
    assert_eq!(plan.load_levels.len(), 8);
    let per_engine = |e: &str| plan.experiments.iter().filter(|x| x.engine == e).count();
    assert_eq!((per_engine("sglang"), per_engine("vllm")), (12, 6));
    assert!(plan.experiments.iter().all(|e| e.sources.len() == 1));
    let warnings: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == tune_check::Severity::Warning)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].code, "W0301");
    assert!(warnings[0].message.contains("attention = fp8"));
    assert!(warnings[0].message.ends_with("vllm 0.33.0"));
    // Every experiment's JSON has its 8 load levels.
    let json = tune_plan::json::plan_json(&plan, &checked);
    for e in json["experiments"].as_array().unwrap() {
        assert_eq!(e["load_levels"].as_array().unwrap().len(), 8);
    }
}

/// §4.4: the example of the expected quality, with `--deny warnings`.
#[test]
fn kv_cache_int4_on_sglang_reads_as_the_spec_shows() {
    let source = "import \"std/presets\"\nmodel \"meta-llama/Llama-3.2-1B-Instruct\"\nengine sglang \"0.5.23\"\n\nsweep {\n  memory = 0.9\n\n  quant {\n    kv-cache = [auto, fp8_e5m2, int4]\n  }\n}\n";
    let mut checked = tune_check::check_source("study.tune", source);
    let plan = tune_plan::plan(&mut checked);
    // §3.5: a warning that drops the points, and the rest still plans.
    assert_eq!(plan.experiments.len(), 2);
    assert_eq!(plan.dropped.len(), 1);
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.code == "E0301")
        .expect("E0301");
    assert_eq!(d.severity, tune_check::Severity::Warning);
    assert_eq!(d.message, "sglang 0.5.23 has no KV cache dtype `int4`");
    assert_eq!(
        d.help.as_deref(),
        Some("sglang 0.5.23 accepts: auto, fp8_e5m2, fp8_e4m3, mxfp8, bf16, bfloat16, nvfp4, fp4_mx_block16")
    );
    checked.deny_warnings();
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.code == "E0301")
        .unwrap();
    let text = tune_check::render::human(d, &checked.sources, tune_check::render::Style::Plain);
    assert!(
        text.contains("error[E0301]: sglang 0.5.23 has no KV cache dtype `int4`"),
        "{text}"
    );
    assert!(text.contains("╭─[study.tune:9:33]"), "{text}");
    assert!(text.contains("requested here"), "{text}");
}

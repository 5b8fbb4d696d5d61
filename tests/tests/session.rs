//! The API the notebook kernel uses: sources in memory under a cell name, and a
//! session in which later cells see the `let`s, presets and statements of earlier ones.

use tune_check::{Session, Severity};

fn codes(checked: &tune_check::Checked) -> Vec<&'static str> {
    checked.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn a_later_cell_uses_lets_presets_and_imports_of_earlier_ones() {
    let mut s = Session::new(std::env::temp_dir());
    let c1 = s.check_cell("cell-1", "import \"std/presets\"\nlet mems = [0.85, 0.9]\npreset mine = quant { kv-cache = fp8_e4m3 }\n");
    assert!(c1.diagnostics.is_empty(), "{:?}", c1.diagnostics);
    let c2 = s.check_cell(
        "cell-2",
        "sweep {\n  quant = [kv-cache-fp8, mine]\n  memory = mems\n}\n",
    );
    assert!(c2.diagnostics.is_empty(), "{:?}", c2.diagnostics);
    let quant = c2.study.quant.as_ref().expect("quant axis");
    assert_eq!(quant.len(), 2);
    assert_eq!(quant[0].kv_cache.value, "fp8_e5m2");
    assert_eq!(quant[1].kv_cache.value, "fp8_e4m3");
    assert_eq!(c2.study.axes[0].values.len(), 2);
}

#[test]
fn statements_accumulate_across_cells() {
    let mut s = Session::new(".");
    s.check_cell(
        "a",
        "model \"meta-llama/Llama-3.2-1B-Instruct\"\nengine vllm \"0.33.0\"\n",
    );
    let c = s.check_cell("b", "engine sglang \"0.5.23\"\nhardware H100 x 1\n");
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    assert_eq!(c.study.engines.len(), 2);
    assert!(c.study.model.is_some() && c.study.hardware.is_some());
}

#[test]
fn diagnostics_point_into_the_right_cell() {
    let mut s = Session::new(".");
    s.check_cell("setup", "let tps = [1, 2]\n");
    let c = s.check_cell("sweep", "sweep { tp = tps; memory = 1.5 }\n");
    let mine = Session::cell_diagnostics(&c, "sweep");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].code, "E0203");
    let label = mine[0].primary_label().unwrap();
    let source = c.sources.get(label.loc.file);
    assert_eq!(source.name, "sweep");
    assert_eq!(source.line_column(label.loc.span.start), (1, 28));
    assert!(Session::cell_diagnostics(&c, "setup").is_empty());
}

#[test]
fn rerunning_a_cell_replaces_it_and_a_later_cell_overrides_with_a_note() {
    let mut s = Session::new(".");
    s.check_cell("one", "slo { ttft p90 < 1s }\n");
    let c = s.check_cell("one", "slo { ttft p90 < 2s }\n");
    assert!(
        c.diagnostics.is_empty(),
        "re-running a cell must not duplicate it: {:?}",
        c.diagnostics
    );
    let c = s.check_cell("two", "slo { ttft p90 < 500ms }\n");
    assert_eq!(codes(&c), vec!["N0103"]);
    assert_eq!(c.diagnostics[0].severity, Severity::Note);
    let t = &c.study.slo.as_ref().unwrap().objectives[0].threshold;
    assert_eq!(t.value, tune_check::study::Value::Duration(0.5));
    // Within one cell a duplicate is still an error.
    let c = s.check_cell("three", "model \"a/b\"\nmodel \"c/d\"\n");
    assert!(codes(&c).contains(&"E0214"));
}

#[test]
fn a_broken_cell_does_not_hide_the_others() {
    let mut s = Session::new(".");
    s.check_cell("good", "engine vllm \"0.33.0\"\n");
    let c = s.check_cell("broken", "sweep {\n  tp = [1, 2\n");
    assert!(c.has_errors());
    assert_eq!(c.study.engines.len(), 1);
    assert!(s.remove_cell("broken"));
    assert!(!s.check().has_errors());
}

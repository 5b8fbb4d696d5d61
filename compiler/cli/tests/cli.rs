//! The `tune` binary as a user runs it: exit codes, the three renderings, files
//! that do not exist or are not UTF-8, `--deny warnings`, `tune explain`.

use std::path::PathBuf;
use std::process::{Command, Output};

fn tune(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tune"));
    cmd.args(args).env_remove("NO_COLOR");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("tune runs")
}

fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tune-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn example(name: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    root.display().to_string()
}

const WARNING_ONLY: &str =
    "hardware H100 x 1\nengine vllm \"0.33.0\"\nargs sglang { schedule-policy = lpm }\n";

#[test]
fn valid_study_exits_zero() {
    let out = tune(&["check", &example("complete-study.tune")], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no errors"));
}

#[test]
fn errors_exit_one_with_plain_rendering_when_not_a_terminal() {
    let path = temp_file("bad.tune", b"sweep {\n  memory = 1.5\n}\n");
    let out = tune(&["check", path.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[E0203]"), "{stderr}");
    assert!(stderr.contains("bad.tune:2:12"), "{stderr}");
    // Output is captured, so no colour codes.
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
}

#[test]
fn json_has_one_object_per_line_with_positions() {
    let path = temp_file("two.tune", b"sweep {\n  memory = 1.5\n  tp = 0\n}\n");
    let out = tune(
        &["check", "--message-format", "json", path.to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    let first = &lines[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "E0203");
    assert!(first["message"].as_str().unwrap().contains("memory"));
    let label = &first["labels"][0];
    assert_eq!(label["line"], 2);
    assert_eq!(label["column"], 12);
    assert_eq!(label["length"], 3);
    assert!(label["file"].as_str().unwrap().ends_with("two.tune"));
    assert_eq!(lines[1]["labels"][0]["line"], 3);
}

#[test]
fn deny_warnings_turns_warnings_into_errors() {
    let path = temp_file("warn.tune", WARNING_ONLY.as_bytes());
    let plain = tune(&["check", path.to_str().unwrap()], &[]);
    assert_eq!(
        plain.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&plain.stderr)
    );
    assert!(String::from_utf8_lossy(&plain.stderr).contains("warning[W0104]"));
    let denied = tune(
        &["check", "--deny", "warnings", path.to_str().unwrap()],
        &[],
    );
    assert_eq!(denied.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&denied.stderr).contains("error[W0104]"));
}

#[test]
fn missing_and_non_utf8_files_get_diagnostics() {
    let out = tune(&["check", "/nonexistent/study.tune"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("E0401"));
    let path = temp_file("latin1.tune", b"model \"caf\xe9\"\n");
    let out = tune(
        &["check", "--message-format", "json", path.to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let line: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim()).unwrap();
    assert_eq!(line["code"], "E0404");
    assert!(
        line["message"]
            .as_str()
            .unwrap()
            .contains("line 1, column 11"),
        "{line}"
    );
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(tune(&["check"], &[]).status.code(), Some(2));
    assert_eq!(
        tune(&["check", "--bogus", "x.tune"], &[]).status.code(),
        Some(2)
    );
    assert_eq!(tune(&["explain", "E9999"], &[]).status.code(), Some(2));
}

#[test]
fn explain_prints_every_code_and_docs_are_in_sync() {
    for code in tune_codes() {
        let out = tune(&["explain", &code], &[]);
        assert_eq!(out.status.code(), Some(0), "{code}");
        assert!(String::from_utf8_lossy(&out.stdout).starts_with(&code));
    }
    let all = tune(&["explain", "--all"], &[]);
    let docs = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/diagnostics.md"),
    )
    .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&all.stdout),
        docs,
        "docs/diagnostics.md is stale: regenerate it with `tune explain --all > docs/diagnostics.md`"
    );
}

fn tune_codes() -> Vec<String> {
    let all = String::from_utf8(tune(&["explain", "--all"], &[]).stdout).unwrap();
    all.lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(str::to_string)
        .collect()
}

#[test]
fn no_color_keeps_captured_output_plain() {
    // Colour on a terminal is tested with a pseudo-terminal below.
    let path = temp_file("nc.tune", b"sweep { tp = 0 }\n");
    let out = tune(&["check", path.to_str().unwrap()], &[("NO_COLOR", "1")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[E0203]") && !stderr.contains('\u{1b}'),
        "{stderr}"
    );
}

/// On a terminal (a pseudo-terminal from util-linux's `script`), diagnostics are
/// coloured unless NO_COLOR is set.
#[test]
fn terminal_gets_colour_unless_no_color() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let path = temp_file("tty.tune", b"sweep { tp = 0 }\n");
    let run = |no_color: bool| {
        let cmd = format!("{} check {}", env!("CARGO_BIN_EXE_tune"), path.display());
        let mut c = Command::new("script");
        c.args(["-qec", &cmd, "/dev/null"]).env_remove("NO_COLOR");
        if no_color {
            c.env("NO_COLOR", "1");
        }
        String::from_utf8_lossy(&c.output().expect("script runs").stdout).into_owned()
    };
    let coloured = run(false);
    assert!(
        coloured.contains("\u{1b}[") && coloured.contains("E0203"),
        "{coloured:?}"
    );
    let plain = run(true);
    assert!(
        !plain.contains("\u{1b}[") && plain.contains("error[E0203]"),
        "{plain:?}"
    );
}

#[test]
fn plan_prints_every_command_and_json_for_tools() {
    let out = tune(&["plan", &example("complete-study.tune")], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("18 experiments from 18 points, each with 8 load levels"),
        "{table}"
    );
    assert_eq!(table.matches("    $ ").count(), 18);
    assert!(table.contains("$ vllm serve meta-llama/Llama-3.2-1B-Instruct --port 8000 --gpu-memory-utilization 0.85"), "{table}");
    // The warning the spec names goes to stderr.
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("warning[W0301]"), "{stderr}");

    let out = tune(
        &["plan", "--format", "json", &example("complete-study.tune")],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let experiments = json["experiments"].as_array().unwrap();
    assert_eq!(experiments.len(), 18);
    let first = &experiments[0];
    assert_eq!(first["argv"][0], "python3");
    let mem = first["provenance"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["arg"] == "--mem-fraction-static")
        .unwrap();
    assert_eq!(
        (
            mem["origins"][0]["line"].as_u64(),
            mem["origins"][0]["column"].as_u64()
        ),
        (Some(15), Some(13))
    );
    assert!(json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "W0301"));

    let out = tune(
        &[
            "plan",
            "--show",
            "provenance",
            &example("complete-study.tune"),
        ],
        &[],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("complete-study.tune:18:34  args sglang schedule-policy = lpm"),
        "{text}"
    );
    let out = tune(
        &["plan", "--format", "md", &example("complete-study.tune")],
        &[],
    );
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("# Plan: "));
}

#[test]
fn plan_with_errors_prints_no_plan_and_exits_one() {
    let study = temp_file(
        "bad-plan.tune",
        b"model \"m/x\"\nengine vllm \"0.33.0\"\nargs vllm { swap-space = 4 }\n",
    );
    let out = tune(&["plan", study.to_str().unwrap()], &[("NO_COLOR", "1")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("error[E0303]: `swap-space` was removed"),
        "{stderr}"
    );
    assert!(stderr.contains("no plan"), "{stderr}");
    let out = tune(&["plan", "--format", "json", study.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["experiments"].as_array().unwrap().len(), 0);
    assert_eq!(json["diagnostics"][0]["code"], "E0303");
    // `--deny warnings` turns the dropped points of an impossible value into an error.
    let study = temp_file(
        "int4.tune",
        b"model \"m/x\"\nengine sglang \"0.5.23\"\nsweep { quant { kv-cache = [auto, int4] } }\n",
    );
    assert_eq!(
        tune(&["plan", study.to_str().unwrap()], &[]).status.code(),
        Some(0)
    );
    let out = tune(
        &["plan", "--deny", "warnings", study.to_str().unwrap()],
        &[("NO_COLOR", "1")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("error[E0301]: sglang 0.5.23 has no KV cache dtype `int4`"));
}

#[test]
fn engines_lists_what_the_stdlib_knows() {
    let out = tune(&["engines", "--format", "json"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!([
            {"engine": "sglang", "versions": ["0.5.6", "0.5.23"]},
            {"engine": "trtllm", "versions": ["1.2.0"]},
            {"engine": "vllm", "versions": ["0.11.0", "0.33.0"]},
        ])
    );
    let out = tune(&["engines"], &[]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("vllm      0.33.0") && text.contains("vllm/vllm-openai:v0.33.0"),
        "{text}"
    );
}

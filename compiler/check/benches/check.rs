//! Benchmarks of `check_source`: the spec's complete study, and a generated study of
//! 5,000+ lines (many `let`s and presets, a big sweep, long `args` blocks, an `slo`).
//!
//! Run: `cargo bench -p tune-check --bench check -- --warm-up-time 1 --measurement-time 3`.
//! Targets: under 20 ms for the complete study and under 200 ms for the generated one.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::fmt::Write;

const COMPLETE_STUDY: &str = include_str!("../../../examples/complete-study.tune");

const GEMM: &[&str] = &["auto", "float16", "bfloat16", "fp8", "int8"];
const KV_CACHE: &[&str] = &["auto", "fp8", "fp8_e5m2", "fp8_e4m3", "bfloat16"];
const ATTENTION: &[&str] = &["auto", "bfloat16", "fp8", "fp8_e4m3"];
const MOE: &[&str] = &["auto", "bfloat16", "fp8", "w4afp8"];

/// Real flags of vLLM 0.33.0 with plausible values (one per line; lists are axes).
const VLLM_ARGS: &[(&str, &str)] = &[
    (
        "max-num-batched-tokens",
        "[\n    2048,\n    4096,\n    8192,\n    16384,\n  ]",
    ),
    ("block-size", "[16, 32]"),
    ("stream-interval", "[1, 4]"),
    ("max-logprobs", "20"),
    ("long-prefill-token-threshold", "0"),
    ("max-cudagraph-capture-size", "512"),
    ("enforce-eager", "false"),
    ("enable-chunked-prefill", "true"),
    ("async-scheduling", "true"),
    ("disable-log-requests", "true"),
    ("disable-cascade-attn", "false"),
    ("disable-custom-all-reduce", "false"),
    ("disable-sliding-window", "false"),
    ("enable-prompt-tokens-details", "false"),
    ("enable-server-load-tracking", "false"),
    ("disable-uvicorn-access-log", "true"),
    ("disable-fastapi-docs", "true"),
    ("trust-remote-code", "false"),
    ("seed", "0"),
    ("max-loras", "1"),
];

/// Real flags of SGLang 0.5.23 with plausible values.
const SGLANG_ARGS: &[(&str, &str)] = &[
    ("schedule-policy", "[lpm, fcfs, dfs-weight]"),
    (
        "chunked-prefill-size",
        "[\n    2048,\n    4096,\n    8192,\n  ]",
    ),
    ("num-continuous-decode-steps", "[1, 2]"),
    ("stream-interval", "1"),
    ("page-size", "1"),
    ("max-queued-requests", "1024"),
    ("random-seed", "0"),
    ("torch-compile-max-bs", "32"),
    ("cuda-graph-max-bs-decode", "256"),
    ("enable-mixed-chunk", "false"),
    ("enable-torch-compile", "false"),
    ("disable-overlap-schedule", "false"),
    ("enable-dynamic-chunking", "false"),
    ("disable-cuda-graph-padding", "false"),
    ("enable-metrics", "true"),
    ("enable-cache-report", "true"),
    ("skip-server-warmup", "false"),
    ("trust-remote-code", "false"),
    ("enable-p2p-check", "false"),
    ("allow-auto-truncate", "false"),
];

/// A valid study of at least `min_lines` lines.
fn generated_study(min_lines: usize) -> String {
    let mut s = String::new();
    let presets = 600;

    s.push_str("# A generated study for benchmarking the checker.\n");
    s.push_str("import \"std/presets\"\n\n");
    s.push_str("model \"meta-llama/Llama-3.1-70B-Instruct\" { quantization = none; revision = \"main\" }\n");
    s.push_str("hardware H100 x 8\n\n");
    s.push_str("engine vllm \"0.33.0\"\n");
    s.push_str(
        "engine sglang \"0.5.23\" { image = \"lmsysorg/sglang:v0.5.23-cu129\"; port = 30000 }\n\n",
    );
    s.push_str("deploy script\n");
    s.push_str("deploy compose { gpus = all; shm-size = 32GiB }\n\n");

    for i in 0..presets {
        let _ = writeln!(
            s,
            "preset p{i} = quant {{ gemm = {}; kv-cache = {}; attention = {}; moe = {} }}",
            GEMM[i % GEMM.len()],
            KV_CACHE[(i / 5) % KV_CACHE.len()],
            ATTENTION[(i / 25) % ATTENTION.len()],
            MOE[(i / 100) % MOE.len()],
        );
    }
    for i in 0..presets {
        let _ = writeln!(s, "preset alias{i} = p{i}");
    }
    s.push('\n');

    s.push_str("sweep {\n  quant = [\n    default,\n    kv-cache-fp8,\n");
    for i in 0..presets {
        let _ = writeln!(s, "    p{i},\n    alias{i},");
    }
    s.push_str("  ]\n  tp = [1, 2, 4, 8]\n  pp = 1\n  memory = [\n");
    for m in 50..100 {
        let _ = writeln!(s, "    0.{m},");
    }
    s.push_str("  ]\n  max-seqs = [\n");
    for n in 1..=200 {
        let _ = writeln!(s, "    {},", n * 8);
    }
    s.push_str("  ]\n  context = [2048, 4096, 8192, 16384]\n  prefix-cache = [on, off]\n}\n\n");

    for (engine, flags) in [("vllm", VLLM_ARGS), ("sglang", SGLANG_ARGS)] {
        let _ = writeln!(s, "args {engine} {{");
        for (flag, value) in flags {
            let _ = writeln!(s, "  {flag} = {value}");
        }
        s.push_str("}\n\n");
    }

    s.push_str(
        "slo {\n  ttft p90 < 1s        weight 2\n  ttft p99 < 3s        hard fail-ratio 50%\n  \
         tpot p90 < 50ms      weight 2\n  itl p99 < 100ms\n  e2e p99 < 10s        hard fail-ratio 20%\n  \
         e2e mean < 5s\n  error-rate < 1%      hard\n  throughput > 1000 tok/s weight 0.5\n  steepness 0.1\n}\n\n",
    );
    s.push_str(
        "benchmark {\n  traffic     = [D(100,100), D(1000,200), N(480,240)/(300,150), U(10,2000)/(10,500)]\n  \
         concurrency = [1, 4, 8, 16, 32, 64]\n  duration    = 2min\n  requests    = 500\n  warmup      = 10s\n}\n\n",
    );
    s.push_str("search grid { objective = maximize throughput; timeout = 15min; max-experiments = 100000 }\n\n");

    // Fill up with `let`s of every kind; some refer to earlier ones.
    let mut lines = s.lines().count();
    let mut i = 0;
    while lines < min_lines {
        let _ = match i % 8 {
            0 => writeln!(s, "let v{i} = {i}"),
            1 => writeln!(s, "let v{i} = 0.{}", 10 + i % 90),
            2 => writeln!(s, "let v{i} = {}ms", 100 + i % 900),
            3 => writeln!(s, "let v{i} = \"value {i} \\u{{1F600}}\"   # a string"),
            4 => writeln!(s, "let v{i} = [{}, {}, {}]", i, i + 1, i + 2),
            5 => writeln!(s, "let v{i} = v{}", i - 5),
            6 => writeln!(s, "let v{i} = D({}, {})", 1 + i % 4000, 1 + i % 500),
            _ => writeln!(s, "let v{i} = {}%", i % 100),
        };
        i += 1;
        lines += 1;
    }
    s
}

fn assert_valid(name: &str, text: &str) {
    let checked = tune_check::check_source(name, text);
    if checked.has_errors() {
        let errors: Vec<String> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .take(10)
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        panic!(
            "the benchmark input {name} has errors:\n{}",
            errors.join("\n")
        );
    }
}

fn bench(c: &mut Criterion) {
    let generated = generated_study(5_000);
    println!(
        "generated study: {} lines, {} KiB",
        generated.lines().count(),
        generated.len() / 1024
    );
    assert_valid("complete-study.tune", COMPLETE_STUDY);
    assert_valid("generated.tune", &generated);

    c.bench_function("check_source/complete-study", |b| {
        b.iter(|| tune_check::check_source("complete-study.tune", black_box(COMPLETE_STUDY)))
    });
    c.bench_function("check_source/generated-5000-lines", |b| {
        b.iter(|| tune_check::check_source("generated.tune", black_box(&generated)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

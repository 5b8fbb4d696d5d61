//! Planning speed (issue: a study that expands to 10,000 experiments plans in
//! under 1 s, release build, and time grows linearly with experiments).
//!
//! Run: `cargo bench -p tune-plan --bench plan -- --warm-up-time 1 --measurement-time 5`.
//! Each study is vLLM 0.33.0 with four sweep/args axes whose product is N
//! distinct experiments; the benchmark checks and plans it (not the printing).

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};

/// A study whose plan has `n` experiments (n a multiple of 1,000 up to 10,000: a × 10 × 10 × 10).
pub fn study(n: usize) -> String {
    let per = n / 100;
    let (a, b) = (per.div_ceil(10).max(1), per.clamp(1, 10));
    let memory: Vec<String> = (0..a).map(|i| format!("0.{}", 50 + i)).collect();
    let max_seqs: Vec<String> = (0..b).map(|i| (16 * (i + 1)).to_string()).collect();
    let context: Vec<String> = (0..10).map(|i| (1024 * (i + 1)).to_string()).collect();
    let tokens: Vec<String> = (0..10).map(|i| (2048 + 512 * i).to_string()).collect();
    format!(
        "import \"std/presets\"\n\
         model \"meta-llama/Llama-3.1-8B-Instruct\"\n\
         hardware H100 x 1\n\
         engine vllm \"0.33.0\"\n\
         sweep {{\n  quant = kv-cache-fp8\n  memory = [{}]\n  max-seqs = [{}]\n  context = [{}]\n}}\n\
         args vllm {{ max-num-batched-tokens = [{}]; enforce-eager = true }}\n\
         benchmark {{ traffic = D(100,100); concurrency = [1, 8] }}\n",
        memory.join(", "),
        max_seqs.join(", "),
        context.join(", "),
        tokens.join(", ")
    )
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan");
    group.sample_size(10);
    for n in [1_000, 2_000, 5_000, 10_000] {
        let source = study(n);
        // The study must plan to exactly n experiments, or the numbers mean nothing.
        let mut checked = tune_check::check_source("bench.tune", &source);
        let plan = tune_plan::plan(&mut checked);
        assert_eq!(plan.experiments.len(), n, "{:#?}", checked.diagnostics);
        group.bench_with_input(BenchmarkId::from_parameter(n), &source, |b, source| {
            b.iter(|| {
                let mut checked = tune_check::check_source("bench.tune", black_box(source));
                black_box(tune_plan::plan(&mut checked).experiments.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

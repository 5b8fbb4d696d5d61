//! Robustness: the parser and the checker never panic and every diagnostic label lies
//! inside its source, and rendering every diagnostic (plain and JSON) never panics,
//! whatever the input.
//!
//! The inputs are generated deterministically (a small SplitMix64 PRNG, fixed seed):
//! (a) mutations of the example studies and the spec's snippets (byte ranges deleted,
//! duplicated, swapped, truncated; tokens and non-ASCII characters inserted), and
//! (b) random token soup. Input `i` is a pure function of `i`, so a failure names the
//! index that reproduces it. Panics are caught, the input is shrunk, written under
//! `CARGO_TARGET_TMPDIR/robustness-failures/`, and reported. An input that takes more
//! than `HANG_SECS` aborts the run with the input printed.
//!
//! `TUNE_ROBUSTNESS_INPUTS=N` changes how many inputs are generated (default 12,000).

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

const DEFAULT_INPUTS: usize = 12_000;
/// One in this many inputs is token soup; the rest are mutations.
const SOUP_EVERY: usize = 4;
const HANG_SECS: u64 = 20;

const EXAMPLES: &[&str] = &[
    include_str!("../../examples/complete-study.tune"),
    include_str!("../../examples/custom-quant.tune"),
    include_str!("../../examples/precision-pairs.tune"),
    include_str!("../../examples/two-engines-slo.tune"),
];

/// The `tune` code blocks of the language specification, verbatim.
const SPEC_SNIPPETS: &[&str] = &[
    r#"model "meta-llama/Llama-3.2-1B-Instruct"
model "TheBloke/Llama-2-7B-AWQ" { quantization = detect }   # detect is the default
model "/models/qwen3-8b" { quantization = none; revision = "main" }
"#,
    r#"engine vllm "0.33.0"
engine sglang "0.5.23" { image = "lmsysorg/sglang:v0.5.23-cu129"; port = 30000 }
engine trtllm "1.2.0"
"#,
    r#"hardware H100 x 2
"#,
    r#"sweep {
  quant     = [default, kv-cache-fp8, dynamic-fp8]   # presets
  precision = [fp8/fp8, mxfp4/fp16]
  tp        = [1, 2]
  memory    = [0.85, 0.9]
}
"#,
    r#"import "std/presets"

sweep { quant = kv-cache-fp8 }                              # one preset
sweep { quant = [default, kv-cache-fp8, dynamic-fp8] }      # several presets: 3 points
sweep {                                                     # custom: 2 x 3 x 2 = 12 points
  quant {
    gemm      = [auto, fp8]
    kv-cache  = [auto, fp8_e5m2, fp8_e4m3]
    attention = [auto, fp8]
  }
}
sweep { quant = [default, { gemm = bfloat16, kv-cache = fp8_e5m2 }] }   # mixed
"#,
    r#"preset kv-cache-fp8 = quant { kv-cache = fp8_e5m2 }
"#,
    r#"args sglang {
  schedule-policy     = [lpm, fcfs]
  chunked-prefill-size = 4096
}
args vllm { max-num-batched-tokens = [2048, 8192]; enforce-eager = true }
args { disable-log-requests = true }     # no engine named: must be valid for every engine
"#,
    r#"slo {
  ttft p90 < 1s       weight 2
  tpot p90 < 50ms     weight 2
  e2e  p99 < 10s      hard fail-ratio 20%
  e2e  p50 < 2s
  error-rate < 1%     hard
  steepness 0.1
}
"#,
    r#"benchmark {
  traffic     = [D(100,100), N(480,240)/(300,150)]
  concurrency = [1, 4, 8, 16]      # or: rate = [1 req/s, 5 req/s] (Poisson arrivals)
  duration    = 2min               # per load level
  requests    = 500                # per load level; whichever limit comes first
  warmup      = 10s
}
"#,
    r#"search grid { objective = maximize throughput; timeout = 15min }
search random { samples = 20; seed = 7; objective = minimize latency }
"#,
    r#"deploy script
deploy compose { gpus = all }
deploy k8s { namespace = "autotuner"; hf-cache = pvc("hf-cache"); hf-token = secret("hf", "token") }
"#,
    r#"# Which KV-cache precision serves Llama 3.2 1B best under a 1 s TTFT?
import "std/presets"

model "meta-llama/Llama-3.2-1B-Instruct"
hardware H100 x 1

engine sglang "0.5.23"
engine vllm "0.33.0"

deploy script
deploy compose

sweep {
  quant  = [default, kv-cache-fp8, dynamic-fp8]
  memory = [0.85, 0.9]
}

args sglang { schedule-policy = [lpm, fcfs] }

slo {
  ttft p90 < 1s     weight 2
  tpot p90 < 50ms   weight 2
  e2e  p99 < 10s    hard fail-ratio 20%
  steepness 0.1
}

benchmark {
  traffic     = [D(100,100), D(1000,200)]
  concurrency = [1, 4, 8, 16]
  duration    = 2min
}

search grid { objective = maximize throughput; timeout = 15min }
"#,
];

/// Small hand-written edge cases, also used as seeds.
const EDGE_CASES: &[&str] = &[
    "",
    "\n",
    "#",
    "\"",
    "{",
    "}",
    "[",
    "]",
    "(",
    "let",
    "let x =",
    "let x = x",
    "let a = b\nlet b = a",
    "sweep { quant { gemm = [] } }",
    "sweep { quant = [] }",
    "model \"\u{1F600}\" { quantization = detect }",
    "model \"./nonexistent-dir/model\"",
    "hardware H100 x 0",
    "hardware H100 x -1",
    "hardware H100 x 99999999999999999999",
    "engine vllm \"0.33.0\"\nengine vllm \"0.33.0\"",
    "engine vllm 0.33.0",
    "let s = \"\\u{110000}\"",
    "let s = \"\\u{}\"",
    "let s = \"\\u{D800}\"",
    "let n = 1e999999",
    "let n = -0.0e-99999ms",
    "let r = 100000000000000000000%",
    "benchmark { traffic = D(9223372036854775807, 9223372036854775807) }",
    "benchmark { traffic = N(1,-1)/(1,1) }",
    "benchmark { traffic = U(5,1)/(1,1) }",
    "slo { ttft p90 < 1s weight 0 hard fail-ratio 200% }\nslo { }",
    "sweep { tp = [1, 2] }\nhardware H100 x 1\nsweep { pp = [9223372036854775807] }",
    "import \"std/presets\"\nimport \"std/presets\"\nimport \"std/nope\"",
    "é😀\u{202E}\u{FEFF}\u{0}\r\n\t",
    // Found by cargo fuzz: a precision list with no valid pair, and a non-auto gemm.
    "sweep {\n  quant { gemm = fp8 }\n  precision = [fp9/fp8]\n}\n",
];

/// Tokens inserted by mutations and strung together by the token soup.
#[rustfmt::skip]
const TOKENS: &[&str] = &[
    "{", "}", "[", "]", "(", ")", "\"", "=", "#", "\n", "\r\n", "%", "x", "/", ",", ";", "<", ">",
    "<=", ">=", ".", "-", "_", "\\", "\\u{", "\\u{1F600}", "\\n", " ", "\t", "0", "1", "-1", "0.85",
    "1e-3", "1e309", "-9223372036854775808", "99999999999999999999", "0.33.0", "\"0.33.0\"",
    "\"0.5.23\"", "\"1.2.0\"", "\"std/presets\"", "\"./common.tune\"", "true", "false", "import",
    "let", "preset", "model", "hardware", "engine", "deploy", "sweep", "args", "slo", "benchmark",
    "search", "quant", "precision", "tp", "pp", "dp", "ep", "memory", "max-seqs", "context",
    "prefix-cache", "gemm", "kv-cache", "attention", "moe", "auto", "fp8", "fp8_e5m2", "nvfp4",
    "mxfp4", "fp4/fp8", "int8/fp8", "fp8/fp8", "default", "kv-cache-fp8", "dynamic-fp8", "vllm",
    "sglang", "trtllm", "H100", "B200", "A100", "x", "script", "compose", "k8s", "gpus", "all",
    "namespace", "hf-cache", "hf-token", "shm-size", "pvc(", "secret(", "D(", "N(", "U(", ")/(",
    "ttft", "tpot", "itl", "e2e", "error-rate", "throughput", "p90", "p99", "mean", "weight",
    "hard", "fail-ratio", "steepness", "traffic", "concurrency", "rate", "duration", "requests",
    "warmup", "endpoint", "grid", "random", "objective", "maximize", "minimize", "timeout",
    "samples", "seed", "strict", "max-experiments", "ms", "s", "min", "h", "500ms", "2min", "2mins",
    "20%", "16GiB", "1KB", "tok/s", "req/s", "1 req/s", "1000 tok/s", "é", "ß", "€", "😀", "\u{0}",
    "\u{7F}", "\u{FEFF}", "\u{202E}", "\u{301}", "\u{2028}", "\u{FFFD}", "日本", "ｘ", "＝", "－",
];

const SEPARATORS: &[&str] = &[" ", " ", " ", "", "\n", "\t", "  "];

/// A SplitMix64 generator: tiny, deterministic, good enough for test inputs.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The nearest char boundary at or below `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A random char-boundary-aligned range of `s`, usually short.
fn random_range(rng: &mut Rng, s: &str) -> (usize, usize) {
    if s.is_empty() {
        return (0, 0);
    }
    let start = floor_boundary(s, rng.below(s.len() + 1));
    let max_len = if rng.chance(8) { 400 } else { 24 };
    let end = floor_boundary(s, start + 1 + rng.below(max_len));
    (start, end.max(start))
}

fn random_position(rng: &mut Rng, s: &str) -> usize {
    floor_boundary(s, rng.below(s.len() + 1))
}

fn random_token(rng: &mut Rng) -> String {
    match rng.below(10) {
        // A random code point (any valid `char`).
        0 => loop {
            let c = if rng.chance(2) {
                rng.below(0x80)
            } else {
                rng.below(0x11_0000)
            } as u32;
            if let Some(c) = char::from_u32(c) {
                break c.to_string();
            }
        },
        // A random number, sometimes with a unit glued on.
        1 => {
            let n = match rng.below(4) {
                0 => rng.below(10).to_string(),
                1 => (rng.next() as i64).to_string(),
                2 => format!("{}.{}", rng.below(1000), rng.below(1000)),
                _ => format!("{}e{}", rng.below(100), rng.below(700) as i64 - 350),
            };
            let unit = *rng.pick(&[
                "", "", "ms", "s", "min", "h", "%", "GiB", "MB", "tok/s", " req/s", "x",
            ]);
            n + unit
        }
        _ => rng.pick(TOKENS).to_string(),
    }
}

/// The seeds that mutations start from.
fn seeds() -> Vec<&'static str> {
    EXAMPLES
        .iter()
        .chain(SPEC_SNIPPETS)
        .chain(EDGE_CASES)
        .copied()
        .collect()
}

fn mutate(rng: &mut Rng, seeds: &[&str]) -> String {
    let mut s = rng.pick(seeds).to_string();
    let max_rounds = if rng.chance(4) { 24 } else { 6 };
    let rounds = 1 + rng.below(max_rounds);
    for _ in 0..rounds {
        match rng.below(9) {
            0 | 1 => {
                let (a, b) = random_range(rng, &s);
                s.replace_range(a..b, "");
            }
            2 | 3 => {
                let at = random_position(rng, &s);
                let token = random_token(rng);
                s.insert_str(at, &token);
            }
            4 => {
                let (a, b) = random_range(rng, &s);
                let piece = s[a..b].to_string();
                let at = random_position(rng, &s);
                s.insert_str(at, &piece);
            }
            5 => {
                // Swap two ranges: cut one out and put it somewhere else.
                let (a, b) = random_range(rng, &s);
                let piece = s[a..b].to_string();
                s.replace_range(a..b, "");
                let at = random_position(rng, &s);
                s.insert_str(at, &piece);
            }
            6 => {
                let (a, b) = random_range(rng, &s);
                let token = random_token(rng);
                s.replace_range(a..b, &token);
            }
            7 => {
                // Splice in a piece of another seed.
                let other = rng.pick(seeds);
                let (a, b) = random_range(rng, other);
                let at = random_position(rng, &s);
                s.insert_str(at, &other[a..b]);
            }
            _ => {
                if rng.chance(3) {
                    let at = random_position(rng, &s);
                    s.truncate(at);
                } else {
                    // Repeat a few characters many times (deep nesting, long lines).
                    let a = random_position(rng, &s);
                    let b = floor_boundary(&s, a + 1 + rng.below(8));
                    let piece = s[a..b].to_string();
                    let at = random_position(rng, &s);
                    s.insert_str(at, &piece.repeat(1 + rng.below(200)));
                }
            }
        }
    }
    s
}

fn token_soup(rng: &mut Rng) -> String {
    let max_tokens = if rng.chance(5) { 400 } else { 60 };
    let n = 1 + rng.below(max_tokens);
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(&random_token(rng));
        let separator: &&str = rng.pick(SEPARATORS);
        s.push_str(separator);
    }
    s
}

/// Input number `index`: a pure function of the index.
fn input(index: usize, seeds: &[&str]) -> String {
    let mut rng = Rng::new(0x7475_6e65_u64 ^ (index as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    if index % SOUP_EVERY == SOUP_EVERY - 1 {
        token_soup(&mut rng)
    } else {
        mutate(&mut rng, seeds)
    }
}

/// Checks one input; `Err` says what is wrong (a panic, or a label out of bounds).
fn check_one(text: &str) -> Result<usize, String> {
    PANIC_MESSAGE.with(|m| m.borrow_mut().take());
    CAPTURING.with(|c| *c.borrow_mut() = true);
    let result = panic::catch_unwind(AssertUnwindSafe(|| check_unguarded(text)));
    CAPTURING.with(|c| *c.borrow_mut() = false);
    match result {
        Ok(r) => r,
        Err(payload) => {
            let message = PANIC_MESSAGE
                .with(|m| m.borrow_mut().take())
                .unwrap_or_else(|| {
                    payload
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "panic".into())
                });
            Err(format!("panicked: {message}"))
        }
    }
}

fn span_ok(text: &str, start: usize, end: usize) -> bool {
    start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
}

fn check_unguarded(text: &str) -> Result<usize, String> {
    let file = tune_syntax::parse(text);
    for e in &file.errors {
        let spans = std::iter::once(e.span).chain(e.secondary.iter().map(|(s, _)| *s));
        for span in spans {
            if !span_ok(text, span.start, span.end) {
                return Err(format!(
                    "syntax error {:?} ({}) has span {}..{} outside the text (len {})",
                    e.kind,
                    e.message,
                    span.start,
                    span.end,
                    text.len()
                ));
            }
        }
    }

    let mut checked = tune_check::check_source("robustness.tune", text);
    // The engine checks and the plan run on whatever the checker made of it.
    let plan = tune_plan::plan(&mut checked);
    let _ = tune_plan::text::table(&plan, &checked, true);
    let _ = tune_plan::json::plan_json(&plan, &checked);
    let source_count = checked.sources.iter().count();
    let mut labels = 0;
    for d in &checked.diagnostics {
        for label in &d.labels {
            labels += 1;
            if label.loc.file.0 >= source_count {
                return Err(format!(
                    "{} {} ({}) has a label in file {:?}, but there are only {source_count} sources",
                    d.code, d.message, label.message, label.loc.file
                ));
            }
            let source = checked.sources.get(label.loc.file);
            let span = label.loc.span;
            if !span_ok(&source.text, span.start, span.end) {
                return Err(format!(
                    "{} {}: label `{}` has span {}..{} outside {} (len {}) or not on char boundaries",
                    d.code,
                    d.message,
                    label.message,
                    span.start,
                    span.end,
                    source.name,
                    source.text.len()
                ));
            }
        }
    }
    // Rendering must not panic either (miette with odd spans, JSON line/column lookup).
    for d in &checked.diagnostics {
        let human =
            tune_check::render::human(d, &checked.sources, tune_check::render::Style::Plain);
        let json = tune_check::render::json(d, &checked.sources);
        if human.is_empty() || json.is_empty() {
            return Err(format!(
                "{} {}: rendered as an empty string",
                d.code, d.message
            ));
        }
    }
    Ok(labels)
}

thread_local! {
    static CAPTURING: RefCell<bool> = const { RefCell::new(false) };
    static PANIC_MESSAGE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that records the message and location of panics inside
/// [`check_one`] instead of printing them, and defers to the default hook elsewhere.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(|c| *c.borrow()) {
                let payload = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(non-string payload)".into());
                let location = info
                    .location()
                    .map(|l| format!(" at {l}"))
                    .unwrap_or_default();
                PANIC_MESSAGE.with(|m| *m.borrow_mut() = Some(format!("{payload}{location}")));
            } else {
                default(info);
            }
        }));
    });
}

/// Shrinks a failing input: drops lines, then ever smaller char ranges, while it still
/// fails the same way (same first line of the error, ignoring numbers).
fn shrink(text: &str, error: &str) -> String {
    let key = |e: &str| -> String {
        e.lines()
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .collect()
    };
    let want = key(error);
    let still_fails = |t: &str| matches!(check_one(t), Err(e) if key(&e) == want);
    let mut current = text.to_string();
    let mut budget = 3_000usize;
    let mut chunk = current.len().max(1);
    loop {
        let mut i = 0;
        let mut progressed = false;
        while i < current.len() && budget > 0 {
            let mut b = (i + chunk).min(current.len());
            while !current.is_char_boundary(b) {
                b += 1;
            }
            let mut candidate = current.clone();
            candidate.replace_range(i..b, "");
            budget -= 1;
            if still_fails(&candidate) {
                current = candidate;
                progressed = true;
            } else {
                i = b;
            }
        }
        if budget == 0 || (!progressed && chunk == 1) {
            break;
        }
        if !progressed {
            chunk /= 2;
        }
    }
    current
}

struct Failure {
    /// Seeds first, then generated inputs by index.
    order: usize,
    /// `seed 3`, `input 1234 (mutation)`...
    name: String,
    /// For file names.
    file_stem: String,
    input: String,
    error: String,
}

#[test]
fn parse_and_check_never_panic_and_labels_stay_in_bounds() {
    install_panic_hook();
    let total: usize = std::env::var("TUNE_ROBUSTNESS_INPUTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_INPUTS);
    let seeds = seeds();

    let failures = Mutex::new(Vec::<Failure>::new());
    // The seeds themselves first (examples, spec snippets, edge cases).
    for (i, seed) in seeds.iter().enumerate() {
        if let Err(error) = check_one(seed) {
            failures.lock().unwrap().push(Failure {
                order: i,
                name: format!("seed {i}"),
                file_stem: format!("seed-{i}"),
                input: seed.to_string(),
                error,
            });
        }
    }

    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 8);
    let next = AtomicUsize::new(0);
    let checked = AtomicUsize::new(0);
    let labels = AtomicUsize::new(0);
    let soup = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    // What each worker is doing, for the hang watchdog.
    let current: Vec<Mutex<Option<(usize, Instant)>>> =
        (0..workers).map(|_| Mutex::new(None)).collect();
    let started = Instant::now();

    std::thread::scope(|scope| {
        for w in 0..workers {
            let (next, checked, labels, soup, bytes, failures, current, seeds) = (
                &next, &checked, &labels, &soup, &bytes, &failures, &current, &seeds,
            );
            scope.spawn(move || loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= total {
                    *current[w].lock().unwrap() = None;
                    break;
                }
                let text = input(index, seeds);
                if index % SOUP_EVERY == SOUP_EVERY - 1 {
                    soup.fetch_add(1, Ordering::Relaxed);
                }
                bytes.fetch_add(text.len(), Ordering::Relaxed);
                *current[w].lock().unwrap() = Some((index, Instant::now()));
                match check_one(&text) {
                    Ok(n) => {
                        labels.fetch_add(n, Ordering::Relaxed);
                    }
                    Err(error) => {
                        let kind = if index % SOUP_EVERY == SOUP_EVERY - 1 {
                            "token soup"
                        } else {
                            "mutation"
                        };
                        failures.lock().unwrap().push(Failure {
                            order: seeds.len() + index,
                            name: format!("input {index} ({kind})"),
                            file_stem: format!("input-{index}"),
                            input: text,
                            error,
                        })
                    }
                }
                checked.fetch_add(1, Ordering::Relaxed);
            });
        }
        // Watchdog: an input that never finishes is a bug too; report it and stop.
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let mut busy = false;
            for slot in &current {
                if let Some((index, since)) = *slot.lock().unwrap() {
                    busy = true;
                    if since.elapsed() > Duration::from_secs(HANG_SECS) {
                        eprintln!(
                            "input {index} has been checked for more than {HANG_SECS} s (a hang?):\n{:?}",
                            input(index, &seeds)
                        );
                        std::process::exit(101);
                    }
                }
            }
            if !busy && next.load(Ordering::Relaxed) >= total {
                break;
            }
        }
    });

    let count = checked.load(Ordering::Relaxed) + seeds.len();
    println!(
        "robustness: checked {count} inputs ({} seeds, {} mutations, {} token soup; {} KiB in all; {} labels verified) \
         with {workers} threads in {:.1?}",
        seeds.len(),
        count - seeds.len() - soup.load(Ordering::Relaxed),
        soup.load(Ordering::Relaxed),
        bytes.load(Ordering::Relaxed) / 1024,
        labels.load(Ordering::Relaxed),
        started.elapsed()
    );

    let mut failures = failures.into_inner().unwrap();
    if failures.is_empty() {
        assert_eq!(count, total + seeds.len());
        return;
    }
    failures.sort_by_key(|f| f.order);
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("robustness-failures");
    let _ = std::fs::create_dir_all(&dir);
    let mut report = format!(
        "{} of {count} inputs failed. The first ones, shrunk:\n",
        failures.len()
    );
    // Group by kind of failure so that one bug does not hide the others.
    let mut seen = std::collections::BTreeSet::new();
    for f in &failures {
        let kind: String = f
            .error
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .collect();
        if !seen.insert(kind) || seen.len() > 8 {
            continue;
        }
        let small = shrink(&f.input, &f.error);
        let path = dir.join(format!("{}.tune", f.file_stem));
        let _ = std::fs::write(&path, &f.input);
        let _ = std::fs::write(dir.join(format!("{}.min.tune", f.file_stem)), &small);
        report.push_str(&format!(
            "\n- {}: {}\n  shrunk: {:?}\n  full input written to {}\n",
            f.name,
            f.error,
            small,
            path.display()
        ));
    }
    panic!("{report}");
}

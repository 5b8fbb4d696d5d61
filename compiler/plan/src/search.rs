//! The search strategy (spec §5 step 5): which experiments of the plan run.

use crate::model::Plan;
use tune_check::study::Study;
use tune_check::Diagnostic;

/// Spec §5 step 5: grid keeps every experiment (within `max-experiments`);
/// random draws `samples` of them with the seed.
pub(crate) fn apply_search(study: &Study, plan: &mut Plan, diags: &mut Vec<Diagnostic>) {
    let Some(search) = &study.search else {
        return;
    };
    let n = plan.experiments.len();
    match search.strategy.value.as_str() {
        "random" => {
            let samples = search.samples.as_ref().map(|s| s.value.max(0) as usize);
            let Some(samples) = samples else { return };
            if samples >= n {
                return;
            }
            let seed = search.seed.as_ref().map(|s| s.value).unwrap_or(0);
            let chosen = sample(n, samples, seed as u64);
            let mut keep = vec![false; n];
            for i in chosen {
                keep[i] = true;
            }
            let mut i = 0;
            plan.experiments.retain(|_| {
                i += 1;
                keep[i - 1]
            });
        }
        _ => {
            if let Some(max) = &search.max_experiments {
                if n as i64 > max.value {
                    diags.push(
                        Diagnostic::error(
                            "E0307",
                            format!(
                                "the plan has {n} experiments, more than `max-experiments = {}`",
                                max.value
                            ),
                        )
                        .primary(max.loc, "the budget")
                        .help(format!(
                            "narrow the sweep, raise the budget, or sample it: `search random {{ samples = {}; seed = 1 }}`",
                            max.value
                        )),
                    );
                }
            }
        }
    }
    if let Some(max) = &search.max_experiments {
        if search.strategy.value == "random" && plan.experiments.len() as i64 > max.value {
            plan.experiments.truncate(max.value.max(0) as usize);
        }
    }
}

/// `k` distinct indices of `0..n` drawn with SplitMix64 from `seed` (a partial
/// Fisher–Yates shuffle). Written out here rather than taken from `rand` so that
/// a seed gives the same sample in every release.
pub(crate) fn sample(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut idx: Vec<usize> = (0..n).collect();
    for i in 0..k.min(n) {
        let j = i + (next() % (n - i) as u64) as usize;
        idx.swap(i, j);
    }
    let mut out = idx[..k.min(n)].to_vec();
    out.sort_unstable();
    out
}

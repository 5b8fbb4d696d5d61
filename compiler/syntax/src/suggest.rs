//! "did you mean" suggestions from string similarity.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let c = candidate.to_ascii_lowercase();
        if c == lower {
            return Some(candidate);
        }
        let distance = strsim::damerau_levenshtein(&lower, &c);
        let similarity = strsim::jaro_winkler(&lower, &c);
        // Accept small edit distances relative to the length, or a strong common prefix.
        let max_len = lower.chars().count().max(c.chars().count());
        let close = distance <= 1 + max_len / 4 || (similarity > 0.88 && distance <= max_len / 2);
        if close {
            let score = similarity - distance as f64 * 0.05;
            if best.is_none_or(|(_, s)| score > s) {
                best = Some((candidate, score));
            }
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn finds_typos() {
        let presets = ["default", "kv-cache-fp8", "dynamic-fp8", "bf16-stable"];
        assert_eq!(did_you_mean("kv-cache-fp9", presets), Some("kv-cache-fp8"));
        assert_eq!(did_you_mean("dynamc-fp8", presets), Some("dynamic-fp8"));
        assert_eq!(did_you_mean("xyz", presets), None);
        assert_eq!(did_you_mean("modle", ["model", "hardware"]), Some("model"));
    }
}

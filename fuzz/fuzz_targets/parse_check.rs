//! Fuzzes the parser, the checker and the planner on arbitrary UTF-8: none may
//! panic, and every span they report must lie inside its source, on character
//! boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn span_ok(text: &str, start: usize, end: usize) -> bool {
    start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
}

fuzz_target!(|text: &str| {
    let file = tune_syntax::parse(text);
    for e in &file.errors {
        for span in std::iter::once(e.span).chain(e.secondary.iter().map(|(s, _)| *s)) {
            assert!(
                span_ok(text, span.start, span.end),
                "syntax error {:?} ({}) has span {}..{} outside the text (len {})",
                e.kind,
                e.message,
                span.start,
                span.end,
                text.len()
            );
        }
    }

    let mut checked = tune_check::check_source("fuzz.tune", text);
    // Engine checks and expansion, then both renderings of the plan.
    let plan = tune_plan::plan(&mut checked);
    let _ = tune_plan::text::table(&plan, &checked, true);
    let _ = tune_plan::json::plan_json(&plan, &checked);
    let source_count = checked.sources.iter().count();
    for d in &checked.diagnostics {
        for label in &d.labels {
            assert!(
                label.loc.file.0 < source_count,
                "{} has a label in an unknown file",
                d.code
            );
            let source = checked.sources.get(label.loc.file);
            let span = label.loc.span;
            assert!(
                span_ok(&source.text, span.start, span.end),
                "{} {}: label `{}` has span {}..{} outside {} (len {})",
                d.code,
                d.message,
                label.message,
                span.start,
                span.end,
                source.name,
                source.text.len()
            );
        }
    }
});

//! UI tests: every `tests/ui/**/*.tune` fixture is checked, and
//!
//! 1. its diagnostics must match the inline expectations exactly (Typst style), and
//! 2. their plain rendering must match the insta snapshot in `tests/ui/snapshots/`.
//!
//! An expectation is a comment line that applies to the next line that is not an
//! expectation:
//!
//! ```text
//! #~ Error E0203 12-16: must be in (0, 1]
//!   memory = [0.85, 1.5]
//! ```
//!
//! `Error`/`Warning`/`Note`, the code, then where the primary label starts:
//! `COL` (start column) or `COL-END` (start column and exclusive end column, both
//! 1-based, in characters, as in the JSON output), or `@FILE:LINE:COL` for a label
//! in another file (an import). After `:` comes a part of the message. A fixture
//! without expectations must check clean. Fixtures whose name starts with `deny-`
//! are checked with `--deny warnings`.
//!
//! Fixtures under `sessions/` are notebook sessions: lines `#% cell` split them
//! into cells, checked in order with [`tune_check::Session`]. Each cell keeps the
//! file's line numbers (the other cells' lines are blank in it).
//!
//! Refresh snapshots with `INSTA_UPDATE=always cargo test -p tune-tests --test ui`.

use std::path::{Path, PathBuf};
use tune_check::render::{self, Style};
use tune_check::Checked;

#[derive(Debug)]
struct Expectation {
    severity: String,
    code: String,
    /// 1-based line of the target.
    line: usize,
    file: Option<String>,
    column: usize,
    end_column: Option<usize>,
    message: String,
    /// Line of the expectation itself, for reports.
    written_at: usize,
}

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("tests/ui exists") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "snapshots") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "tune")
                && !path.to_string_lossy().contains("/imported/")
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn parse_expectations(text: &str) -> Result<Vec<Expectation>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix("#~") else {
            continue;
        };
        let target = (i + 1..lines.len())
            .find(|&j| !lines[j].trim_start().starts_with("#~"))
            .map(|j| j + 1)
            .unwrap_or(lines.len() + 1);
        let (head, message) = rest
            .split_once(':')
            .map(|(h, m)| (h, m.trim()))
            .unwrap_or((rest, ""));
        // `@file:line:col` contains colons: re-split for it.
        let (head, message) = if head.contains('@') {
            let (before, after) = rest.split_once('@').unwrap();
            let mut parts = after.splitn(4, ':');
            let file = parts.next().unwrap_or("");
            let l = parts.next().unwrap_or("");
            let c = parts.next().unwrap_or("");
            let m = parts.next().unwrap_or("").trim();
            (format!("{before}@{file}:{l}:{c}"), m)
        } else {
            (head.to_string(), message)
        };
        let words: Vec<&str> = head.split_whitespace().collect();
        if words.len() != 3 {
            return Err(format!(
                "line {}: expected `#~ Severity CODE COL[-END]: message`",
                i + 1
            ));
        }
        let severity = words[0].to_ascii_lowercase();
        if !["error", "warning", "note"].contains(&severity.as_str()) {
            return Err(format!("line {}: unknown severity `{}`", i + 1, words[0]));
        }
        let (file, line_no, column, end_column) = if let Some(at) = words[2].strip_prefix('@') {
            let parts: Vec<&str> = at.split(':').collect();
            let [f, l, c] = parts[..] else {
                return Err(format!("line {}: expected @FILE:LINE:COL", i + 1));
            };
            (
                Some(f.to_string()),
                l.parse().map_err(|_| format!("line {}: bad line", i + 1))?,
                c.parse()
                    .map_err(|_| format!("line {}: bad column", i + 1))?,
                None,
            )
        } else {
            let (c, e) = match words[2].split_once('-') {
                Some((c, e)) => (c, Some(e)),
                None => (words[2], None),
            };
            let c: usize = c
                .parse()
                .map_err(|_| format!("line {}: bad column `{c}`", i + 1))?;
            let e = match e {
                Some(e) => Some(
                    e.parse()
                        .map_err(|_| format!("line {}: bad end column `{e}`", i + 1))?,
                ),
                None => None,
            };
            (None, target, c, e)
        };
        out.push(Expectation {
            severity,
            code: words[1].to_string(),
            line: line_no,
            file,
            column,
            end_column,
            message: message.to_string(),
            written_at: i + 1,
        });
    }
    Ok(out)
}

fn is_session(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "sessions")
}

fn check_fixture(path: &Path) -> Checked {
    let mut checked = if is_session(path) {
        let text = std::fs::read_to_string(path).expect("fixture is UTF-8");
        let lines: Vec<&str> = text.lines().collect();
        let mut starts: Vec<usize> = vec![0];
        starts.extend(
            lines
                .iter()
                .enumerate()
                .filter(|(_, l)| l.trim() == "#% cell")
                .map(|(i, _)| i + 1),
        );
        starts.dedup();
        let mut session = tune_check::Session::new(path.parent().unwrap());
        let mut last = None;
        for (n, &start) in starts.iter().enumerate() {
            let end = starts.get(n + 1).map(|s| s - 1).unwrap_or(lines.len());
            let cell: Vec<&str> = lines
                .iter()
                .enumerate()
                .map(|(i, l)| if i >= start && i < end { *l } else { "" })
                .collect();
            last = Some(session.check_cell(&format!("cell-{}", n + 1), &cell.join("\n")));
        }
        last.expect("a session fixture has a cell")
    } else {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
        let name = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        tune_check::check_path_as(path, &name)
    };
    // Engine checks and the expansion's diagnostics are part of `tune check`.
    tune_plan::check_engines(&mut checked);
    if path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("deny-"))
    {
        checked.deny_warnings();
    }
    checked
}

fn describe(d: &tune_check::Diagnostic, checked: &Checked) -> String {
    match d.primary_label() {
        Some(l) => {
            let s = checked.sources.get(l.loc.file);
            let (line, col) = s.line_column(l.loc.span.start);
            let (_, end) = s.line_column(l.loc.span.end);
            let file = s.name.rsplit('/').next().unwrap_or("");
            format!(
                "{} {} {file}:{line}:{col}-{end}: {}",
                d.severity.as_str(),
                d.code,
                d.message
            )
        }
        None => format!("{} {}: {}", d.severity.as_str(), d.code, d.message),
    }
}

#[test]
fn ui_expectations() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= 60,
        "expected at least 60 UI fixtures, found {}",
        fixtures.len()
    );
    let mut failures = Vec::new();
    for path in &fixtures {
        let name = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(path)
            .display()
            .to_string();
        let text = std::fs::read_to_string(path).expect("fixture is UTF-8");
        let expected = match parse_expectations(&text) {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let checked = check_fixture(path);
        let root_name = checked
            .sources
            .iter()
            .next()
            .map(|(_, s)| s.name.clone())
            .unwrap_or_default();
        let mut unmatched: Vec<&tune_check::Diagnostic> = checked.diagnostics.iter().collect();
        let mut problems = Vec::new();
        for e in &expected {
            let pos = unmatched.iter().position(|d| {
                let Some(l) = d.primary_label() else {
                    return false;
                };
                let s = checked.sources.get(l.loc.file);
                let file_ok = match &e.file {
                    Some(f) => s.name.ends_with(f.as_str()),
                    None => {
                        s.name == root_name || (is_session(path) && s.name.starts_with("cell-"))
                    }
                };
                let (line, col) = s.line_column(l.loc.span.start);
                let (_, end) = s.line_column(l.loc.span.end);
                file_ok
                    && d.severity.as_str() == e.severity
                    && d.code == e.code
                    && line == e.line
                    && col == e.column
                    && e.end_column.is_none_or(|x| x == end)
                    && d.message.contains(&e.message)
            });
            match pos {
                Some(i) => {
                    unmatched.remove(i);
                }
                None => problems.push(format!(
                    "  expected (line {}): {} {} {}:{}{}: {}",
                    e.written_at,
                    e.severity,
                    e.code,
                    e.line,
                    e.column,
                    e.end_column.map(|x| format!("-{x}")).unwrap_or_default(),
                    e.message
                )),
            }
        }
        for d in unmatched {
            problems.push(format!("  unexpected: {}", describe(d, &checked)));
        }
        if !problems.is_empty() {
            failures.push(format!("{name}:\n{}", problems.join("\n")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
}

/// Every registered code is exercised by at least one fixture.
#[test]
fn ui_covers_every_code() {
    let mut seen = std::collections::BTreeSet::new();
    for path in fixtures() {
        for d in check_fixture(&path).diagnostics {
            seen.insert(d.code);
        }
    }
    let missing: Vec<&str> = tune_check::codes::CODES
        .iter()
        .map(|c| c.code)
        .filter(|c| !seen.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a UI fixture: {missing:?}"
    );
}

#[test]
fn ui_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    for path in fixtures() {
        let checked = check_fixture(&path);
        let mut rendered = String::new();
        for d in &checked.diagnostics {
            rendered.push_str(&render::human(d, &checked.sources, Style::Plain));
            rendered.push('\n');
        }
        let name = path
            .strip_prefix(&root)
            .unwrap()
            .with_extension("")
            .display()
            .to_string()
            .replace('/', "__");
        insta::with_settings!({
            snapshot_path => root.join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("tune check tests/ui/{}", path.strip_prefix(&root).unwrap().display()),
        }, {
            insta::assert_snapshot!(name, rendered);
        });
    }
}

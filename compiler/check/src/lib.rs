//! Checking `.tune` studies (spec §4): names, types and units, ranges, imports,
//! `let`s and presets, and the interactions that need no engine knowledge.
//!
//! The pipeline: source → [`tune_syntax::parse`] → [`checker`] → [`Study`], with
//! every problem reported as a [`Diagnostic`]. Per-engine checks (the next phase)
//! take the checked [`Study`] and add their own diagnostics through
//! [`Checked::extend`], without touching the parser or this checker.

mod checker;
pub mod codes;
pub mod diagnostic;
pub mod render;
pub mod session;
pub mod source;
pub mod study;
mod value;

pub use diagnostic::{Diagnostic, Label, Severity};
pub use session::Session;
pub use source::{FileId, Loc, Source, SourceMap};
pub use study::Study;

use std::path::{Path, PathBuf};

/// The result of a check: the sources read (the root first, then imports), every
/// diagnostic in source order, and the checked study (with what could be checked,
/// also when there are errors).
#[derive(Debug)]
pub struct Checked {
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    pub study: Study,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Adds the diagnostics of a later phase (engine checks), keeping source order.
    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(more);
        sort(&mut self.diagnostics);
    }

    /// `--deny warnings`: every warning becomes an error.
    pub fn deny_warnings(&mut self) {
        for d in &mut self.diagnostics {
            if d.severity == Severity::Warning {
                d.severity = Severity::Error;
            }
        }
    }
}

fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| d.sort_key());
}

/// Checks roots already in `sources`.
pub(crate) fn check_roots(
    mut sources: SourceMap,
    roots: &[FileId],
    base_dir: PathBuf,
    cells: bool,
) -> Checked {
    let mut checker = checker::Checker::new(&mut sources, base_dir, cells);
    let study = checker.check_roots(roots);
    let mut diagnostics = std::mem::take(&mut checker.diagnostics);
    sort(&mut diagnostics);
    diagnostics.dedup();
    Checked {
        sources,
        diagnostics,
        study,
    }
}

/// Checks the file at `path`. A file that cannot be read gives an E0404 or E0401
/// diagnostic without a location.
pub fn check_path(path: &Path) -> Checked {
    check_path_as(path, &path.display().to_string())
}

/// Checks the file at `path`, naming it `name` in diagnostics (imports are then
/// named relative to it).
pub fn check_path_as(path: &Path, name: &str) -> Checked {
    let name = name.to_string();
    let diag = |code, message: String| Checked {
        sources: SourceMap::default(),
        diagnostics: vec![Diagnostic::error(code, message)],
        study: Study::default(),
    };
    match std::fs::read(path) {
        Ok(bytes) => {
            match String::from_utf8(bytes) {
                Ok(text) => {
                    let mut sources = SourceMap::default();
                    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
                    let base = canonical
                        .parent()
                        .map(Path::to_path_buf)
                        .unwrap_or_default();
                    let root = sources.add(Source::new(name, Some(canonical), text));
                    check_roots(sources, &[root], base, false)
                }
                Err(e) => {
                    let (line, col) = {
                        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                        let text = String::from_utf8_lossy(valid);
                        let line = text.matches('\n').count() + 1;
                        let col = text
                            .rsplit('\n')
                            .next()
                            .map(|l| l.chars().count())
                            .unwrap_or(0)
                            + 1;
                        (line, col)
                    };
                    diag("E0404", format!("`{name}` is not UTF-8 text (invalid byte at line {line}, column {col})"))
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            diag("E0401", format!("cannot find `{name}`: no such file"))
        }
        Err(e) => diag("E0404", format!("cannot read `{name}`: {e}")),
    }
}

/// Checks an in-memory source; relative imports resolve against the current directory.
pub fn check_source(name: &str, text: &str) -> Checked {
    check_source_in(name, text, std::env::current_dir().unwrap_or_default())
}

/// Checks an in-memory source; relative imports resolve against `base_dir`.
pub fn check_source_in(name: &str, text: &str, base_dir: PathBuf) -> Checked {
    let mut sources = SourceMap::default();
    let root = sources.add(Source::new(name, None, text));
    check_roots(sources, &[root], base_dir, false)
}

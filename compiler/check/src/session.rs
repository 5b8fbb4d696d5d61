//! Sessions of cells, for the notebook kernel: each cell is a source in memory with
//! a name; a later cell sees the `let`s, presets and statements of earlier ones.

use crate::source::{Source, SourceMap};
use crate::Checked;
use std::path::PathBuf;

/// The cells checked so far, in order.
#[derive(Debug, Clone)]
pub struct Session {
    base_dir: PathBuf,
    cells: Vec<(String, String)>,
}

impl Session {
    /// A session whose relative imports resolve against `base_dir` (the notebook's directory).
    pub fn new(base_dir: impl Into<PathBuf>) -> Self {
        Session {
            base_dir: base_dir.into(),
            cells: Vec::new(),
        }
    }

    /// Adds a cell, or replaces the cell of that name (a re-run keeps its place),
    /// and checks the whole session. The result's study is the session's study;
    /// its diagnostics are all the session's, so use [`Checked::sources`] and each
    /// label's file to pick the cell's own.
    pub fn check_cell(&mut self, name: &str, text: &str) -> Checked {
        match self.cells.iter_mut().find(|(n, _)| n == name) {
            Some(cell) => cell.1 = text.to_string(),
            None => self.cells.push((name.to_string(), text.to_string())),
        }
        self.check()
    }

    /// Removes a cell; returns whether it was there.
    pub fn remove_cell(&mut self, name: &str) -> bool {
        let before = self.cells.len();
        self.cells.retain(|(n, _)| n != name);
        before != self.cells.len()
    }

    /// Checks every cell, in order.
    pub fn check(&self) -> Checked {
        let mut sources = SourceMap::default();
        let roots: Vec<_> = self
            .cells
            .iter()
            .map(|(n, t)| sources.add(Source::new(n.clone(), None, t.clone())))
            .collect();
        crate::check_roots(sources, &roots, self.base_dir.clone(), true)
    }

    /// Diagnostics whose primary label lies in the named cell.
    pub fn cell_diagnostics<'c>(checked: &'c Checked, cell: &str) -> Vec<&'c crate::Diagnostic> {
        let Some(id) = checked.sources.find_name(cell) else {
            return Vec::new();
        };
        checked
            .diagnostics
            .iter()
            .filter(|d| d.primary_label().is_some_and(|l| l.loc.file == id))
            .collect()
    }
}

//! The files (and notebook cells) a check reads, and line/column lookup.

use std::path::PathBuf;
use tune_syntax::Span;

/// Index of a source in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct FileId(pub usize);

/// A place in a source: what provenance and labels point at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Loc {
    pub file: FileId,
    #[serde(serialize_with = "ser_span")]
    pub span: Span,
}

fn ser_span<S: serde::Serializer>(span: &Span, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeTuple;
    let mut t = s.serialize_tuple(2)?;
    t.serialize_element(&span.start)?;
    t.serialize_element(&span.end)?;
    t.end()
}

impl Loc {
    pub fn new(file: FileId, span: Span) -> Self {
        Loc { file, span }
    }
}

#[derive(Clone, Debug)]
pub struct Source {
    /// The name shown in diagnostics: the path as given, `std/presets.tune`, or a cell name.
    pub name: String,
    /// The file on disk, if it is one (imports resolve relative to it).
    pub path: Option<PathBuf>,
    pub text: String,
    line_starts: Vec<usize>,
}

impl Source {
    pub fn new(name: impl Into<String>, path: Option<PathBuf>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source {
            name: name.into(),
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line + 1, column + 1)
    }

    /// The text of a span, or `""` when it does not lie on character boundaries.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }
}

/// Every source of one check, addressed by [`FileId`].
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    sources: Vec<Source>,
}

impl SourceMap {
    pub fn add(&mut self, source: Source) -> FileId {
        self.sources.push(source);
        FileId(self.sources.len() - 1)
    }

    pub fn get(&self, id: FileId) -> &Source {
        &self.sources[id.0]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &Source)> {
        self.sources.iter().enumerate().map(|(i, s)| (FileId(i), s))
    }

    /// The source already loaded from `path`, if any.
    pub fn find_path(&self, path: &std::path::Path) -> Option<FileId> {
        self.sources
            .iter()
            .position(|s| s.path.as_deref() == Some(path))
            .map(FileId)
    }

    pub fn find_name(&self, name: &str) -> Option<FileId> {
        self.sources.iter().position(|s| s.name == name).map(FileId)
    }
}

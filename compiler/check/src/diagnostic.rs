//! Diagnostics: what every phase reports. Syntax errors are turned into
//! diagnostics here, in one place; the checker builds them with [`Diagnostic::error`]
//! and friends, always with a registered code (see `codes`).

use crate::source::{FileId, Loc};
use serde::Serialize;
use tune_syntax::{Span, SyntaxError, SyntaxErrorKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub loc: Loc,
    pub message: String,
    pub primary: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable code such as `E0201`; `tune explain CODE` describes it.
    pub code: &'static str,
    pub message: String,
    /// The primary label comes first.
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// Further facts, each printed as a `note:` line after the help.
    pub notes: Vec<String>,
}

impl Diagnostic {
    fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        debug_assert!(
            crate::codes::lookup(code).is_some(),
            "unregistered code {code}"
        );
        Diagnostic {
            severity,
            code,
            message: message.into(),
            labels: Vec::new(),
            help: None,
            notes: Vec::new(),
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, code, message)
    }

    /// Sets the primary label.
    pub fn primary(mut self, loc: Loc, message: impl Into<String>) -> Self {
        self.labels.insert(
            0,
            Label {
                loc,
                message: message.into(),
                primary: true,
            },
        );
        self
    }

    pub fn secondary(mut self, loc: Loc, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            loc,
            message: message.into(),
            primary: false,
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note_line(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// The primary label, if there is one.
    pub fn primary_label(&self) -> Option<&Label> {
        self.labels.iter().find(|l| l.primary)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// A syntax error of `file` as a diagnostic.
    pub fn from_syntax(file: FileId, error: &SyntaxError) -> Self {
        let code = match error.kind {
            SyntaxErrorKind::InvalidCharacter => "E0101",
            SyntaxErrorKind::UnterminatedString => "E0102",
            SyntaxErrorKind::InvalidEscape => "E0103",
            SyntaxErrorKind::UnknownUnit => "E0104",
            SyntaxErrorKind::InvalidNumber => "E0105",
            SyntaxErrorKind::Unexpected => "E0106",
            SyntaxErrorKind::Unclosed => "E0107",
            SyntaxErrorKind::UnmatchedClose => "E0108",
            SyntaxErrorKind::UnknownStatement => "E0109",
        };
        let mut d = Diagnostic::error(code, error.message.clone())
            .primary(Loc::new(file, error.span), error.label.clone())
            .with_help(error.help.clone());
        for (span, message) in &error.secondary {
            d = d.secondary(Loc::new(file, *span), message.clone());
        }
        d
    }

    /// Sort key: by file and position of the primary label.
    pub fn sort_key(&self) -> (usize, usize, usize) {
        match self.primary_label() {
            Some(l) => (l.loc.file.0, l.loc.span.start, l.loc.span.end),
            None => (usize::MAX, 0, 0),
        }
    }
}

/// Shorthand for a location.
pub fn loc(file: FileId, span: Span) -> Loc {
    Loc::new(file, span)
}

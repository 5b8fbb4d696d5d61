//! The syntax of the `.tune` language (spec §2–3).
//!
//! [`parse`] always returns a [`SourceFile`]: the statements that could be read and
//! every syntax error, each with a span and a message that says what was expected.
//! It recovers at statement and block boundaries and never panics, so later phases
//! (and the notebook) keep working on broken input.

pub mod ast;
pub mod lexer;
mod parser;
pub mod span;
pub mod suggest;

pub use ast::*;
pub use span::{Span, Spanned};

/// The statement keywords, in the order of the spec's table.
pub const STATEMENT_KEYWORDS: &[&str] = &[
    "import",
    "let",
    "preset",
    "model",
    "hardware",
    "engine",
    "deploy",
    "sweep",
    "args",
    "slo",
    "benchmark",
    "search",
];

/// Parses one source text.
pub fn parse(source: &str) -> SourceFile {
    let mut errors = Vec::new();
    let tokens = lexer::lex(source, &mut errors);
    let mut file = parser::Parser::new(source, tokens, errors).file();
    file.errors.sort_by_key(|e| (e.span.start, e.span.end));
    file
}

/// What kind of syntax error; each kind has its own diagnostic code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SyntaxErrorKind {
    InvalidCharacter,
    UnterminatedString,
    InvalidEscape,
    UnknownUnit,
    InvalidNumber,
    Unexpected,
    Unclosed,
    UnmatchedClose,
    UnknownStatement,
}

/// A syntax error: where, what, and what would have been right.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub span: Span,
    pub message: String,
    /// The label under the primary span.
    pub label: String,
    pub secondary: Vec<(Span, String)>,
    pub help: Option<String>,
}

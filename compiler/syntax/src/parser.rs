//! A recursive-descent parser over the lexer's tokens, with recovery.
//!
//! Recovery points: the end of a statement (a newline or `;` outside brackets), the
//! end of a block entry, and a statement keyword at the start of a line inside a
//! block that was left open (then the block is reported unclosed and the statement
//! is parsed as a statement).

use crate::ast::*;
use crate::lexer::{Token, TokenKind};
use crate::span::{Span, Spanned};
use crate::suggest::did_you_mean;
use crate::{SyntaxError, SyntaxErrorKind, STATEMENT_KEYWORDS};

pub struct Parser<'s> {
    src: &'s str,
    tokens: Vec<Token>,
    pos: usize,
    errors: Vec<SyntaxError>,
}

type Result<T> = std::result::Result<T, ()>;

impl<'s> Parser<'s> {
    pub fn new(src: &'s str, tokens: Vec<Token>, errors: Vec<SyntaxError>) -> Self {
        Parser {
            src,
            tokens,
            pos: 0,
            errors,
        }
    }

    // ----- token helpers -------------------------------------------------

    fn peek(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn peek_kind(&self) -> &TokenKind {
        &self.peek().kind
    }

    fn nth_kind(&self, n: usize) -> &TokenKind {
        &self.tokens[(self.pos + n).min(self.tokens.len() - 1)].kind
    }

    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn at(&self, kind: &TokenKind) -> bool {
        self.peek_kind() == kind
    }

    /// The end of the previous token.
    fn prev_end(&self) -> usize {
        if self.pos == 0 {
            0
        } else {
            self.tokens[self.pos - 1].span.end
        }
    }

    fn skip_newlines(&mut self) {
        while self.at(&TokenKind::Newline) {
            self.bump();
        }
    }

    fn is_separator(kind: &TokenKind) -> bool {
        matches!(
            kind,
            TokenKind::Newline | TokenKind::Semi | TokenKind::Comma
        )
    }

    /// True when the current token is the first on its line.
    fn at_line_start(&self) -> bool {
        self.pos == 0 || matches!(self.tokens[self.pos - 1].kind, TokenKind::Newline)
    }

    /// A statement keyword at the start of a line, not used as a field (`x = ...`):
    /// inside a block this means the block was left open.
    fn at_statement_start(&self) -> bool {
        match self.peek_kind() {
            TokenKind::Ident(word) => {
                STATEMENT_KEYWORDS.contains(&word.as_str())
                    && self.at_line_start()
                    && !matches!(self.nth_kind(1), TokenKind::Eq)
            }
            _ => false,
        }
    }

    /// Reports and skips a closing bracket that closes nothing.
    fn unmatched_close(&mut self) {
        let tok = self.bump();
        self.error(
            SyntaxErrorKind::UnmatchedClose,
            tok.span,
            format!("unexpected closing {}", tok.kind.describe()),
            "nothing to close here",
            Some("remove it, or look for an opening bracket that was closed too early".into()),
        );
    }

    /// `name =` at the start of a line: inside a list or call this means the
    /// list was left open and the next entry of the block begins.
    fn at_entry_start(&self) -> bool {
        matches!(self.peek_kind(), TokenKind::Ident(_))
            && self.at_line_start()
            && matches!(self.nth_kind(1), TokenKind::Eq)
    }

    fn error(
        &mut self,
        kind: SyntaxErrorKind,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        self.errors.push(SyntaxError {
            kind,
            span,
            message: message.into(),
            label: label.into(),
            secondary: vec![],
            help,
        });
    }

    fn unexpected(&mut self, expected: &str, help: Option<String>) {
        let tok = self.peek().clone();
        let span = if tok.kind == TokenKind::Newline || tok.kind == TokenKind::Eof {
            // Point just after the last token rather than at an invisible newline.
            Span::at(self.prev_end())
        } else {
            tok.span
        };
        // The lexer already reported invalid tokens.
        if tok.kind == TokenKind::Error {
            return;
        }
        self.error(
            SyntaxErrorKind::Unexpected,
            span,
            format!("expected {expected}, found {}", tok.kind.describe()),
            format!("expected {expected}"),
            help,
        );
    }

    /// Skips to the end of the statement: a newline or `;` outside brackets.
    fn recover_statement(&mut self) {
        self.skip_until(|k| matches!(k, TokenKind::Newline | TokenKind::Semi), false);
    }

    /// Skips to the end of a block entry: a separator or the block's `}`.
    fn recover_entry(&mut self) {
        self.skip_until(Self::is_separator, true);
    }

    /// Skips balanced brackets until `stop` matches at depth 0 (not consumed).
    /// With `stop_at_close`, a closing `}` at depth 0 also stops.
    fn skip_until(&mut self, stop: impl Fn(&TokenKind) -> bool, stop_at_close: bool) {
        let mut depth = 0usize;
        loop {
            let kind = self.peek_kind().clone();
            match kind {
                TokenKind::Eof => return,
                TokenKind::LBrace | TokenKind::LBracket | TokenKind::LParen => depth += 1,
                TokenKind::RBrace | TokenKind::RBracket | TokenKind::RParen => {
                    if depth == 0 {
                        if stop_at_close && kind == TokenKind::RBrace {
                            return;
                        }
                        if !stop_at_close {
                            return;
                        }
                    } else {
                        depth -= 1;
                    }
                }
                ref k if depth == 0 && stop(k) => return,
                _ => {}
            }
            if depth > 0 && self.at_statement_start() {
                return;
            }
            self.bump();
        }
    }

    // ----- file and statements ---------------------------------------------

    pub fn file(mut self) -> SourceFile {
        let mut statements = Vec::new();
        loop {
            while matches!(self.peek_kind(), TokenKind::Newline | TokenKind::Semi) {
                self.bump();
            }
            match self.peek_kind().clone() {
                TokenKind::Eof => break,
                TokenKind::RBrace | TokenKind::RBracket | TokenKind::RParen => {
                    self.unmatched_close();
                    continue;
                }
                _ => {}
            }
            if let Ok(stmt) = self.statement() {
                statements.push(stmt);
                // A statement ends at a newline, `;` or the end of the file.
                match self.peek_kind() {
                    TokenKind::Newline | TokenKind::Semi | TokenKind::Eof => {}
                    // Reported as unmatched on the next turn.
                    TokenKind::RBrace | TokenKind::RBracket | TokenKind::RParen => {}
                    _ => {
                        if !self.at_statement_start() {
                            self.unexpected(
                                "a newline or `;` after the statement",
                                Some("put each statement on its own line".into()),
                            );
                            self.recover_statement();
                        }
                    }
                }
            } else {
                self.recover_statement();
            }
        }
        SourceFile {
            statements,
            errors: self.errors,
        }
    }

    fn statement(&mut self) -> Result<Statement> {
        let tok = self.peek().clone();
        let TokenKind::Ident(word) = &tok.kind else {
            self.unexpected("a statement", Some(statements_help()));
            if !matches!(
                self.peek_kind(),
                TokenKind::Newline | TokenKind::Semi | TokenKind::Eof
            ) {
                self.bump();
            }
            return Err(());
        };
        let keyword = tok.span;
        let kind = match word.as_str() {
            "import" => {
                self.bump();
                let path = self.string("the imported path as a string, like `\"std/presets\"`")?;
                StatementKind::Import { path }
            }
            "let" => {
                self.bump();
                let name = self.ident("a name after `let`")?;
                self.expect_eq(&name)?;
                let value = self.value();
                StatementKind::Let { name, value }
            }
            "preset" => {
                self.bump();
                let name = self.ident("a preset name after `preset`")?;
                self.expect_eq(&name)?;
                let value = self.value();
                StatementKind::Preset { name, value }
            }
            "model" => {
                self.bump();
                let id = self.string("the model id or path as a string, like `model \"meta-llama/Llama-3.2-1B-Instruct\"`")?;
                let body = self.optional_record();
                StatementKind::Model { id, body }
            }
            "hardware" => {
                self.bump();
                let gpu = self.ident("a GPU name, like `hardware H100 x 2`")?;
                let count = match self.peek_kind().clone() {
                    TokenKind::Ident(x) if x == "x" => {
                        self.bump();
                        if matches!(
                            self.peek_kind(),
                            TokenKind::Newline | TokenKind::Semi | TokenKind::Eof
                        ) {
                            self.unexpected(
                                "a GPU count after `x`",
                                Some("write `hardware H100 x 2`".into()),
                            );
                            return Err(());
                        }
                        Some(self.expr())
                    }
                    TokenKind::Int(_) => {
                        self.unexpected(
                            "`x` between the GPU and its count",
                            Some(format!("write `hardware {} x N`", gpu.node)),
                        );
                        return Err(());
                    }
                    _ => None,
                };
                StatementKind::Hardware { gpu, count }
            }
            "engine" => {
                self.bump();
                let name = self.ident("an engine name, like `engine vllm \"0.33.0\"`")?;
                let version = self.version()?;
                let body = self.optional_record();
                StatementKind::Engine {
                    name,
                    version,
                    body,
                }
            }
            "deploy" => {
                self.bump();
                let target = self.ident("a deploy target: `script`, `compose` or `k8s`")?;
                let body = self.optional_record();
                StatementKind::Deploy { target, body }
            }
            "sweep" => {
                self.bump();
                let body = self.required_record("sweep")?;
                StatementKind::Sweep { body }
            }
            "args" => {
                self.bump();
                let engine = match self.peek_kind() {
                    TokenKind::Ident(_) => Some(self.ident("an engine name")?),
                    _ => None,
                };
                let body = self.required_record("args")?;
                StatementKind::Args { engine, body }
            }
            "slo" => {
                self.bump();
                if !self.at(&TokenKind::LBrace) {
                    self.unexpected("`{` after `slo`", None);
                    return Err(());
                }
                let body = self.slo_block();
                StatementKind::Slo { body }
            }
            "benchmark" => {
                self.bump();
                let body = self.required_record("benchmark")?;
                StatementKind::Benchmark { body }
            }
            "search" => {
                self.bump();
                let strategy = self.ident("a search strategy: `grid` or `random`")?;
                let body = self.optional_record();
                StatementKind::Search { strategy, body }
            }
            other => {
                let suggestion = did_you_mean(other, STATEMENT_KEYWORDS.iter().copied());
                let help = match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => statements_help(),
                };
                // `memory = 0.9` at the top level: a field outside its block.
                let help = if matches!(self.nth_kind(1), TokenKind::Eq) && suggestion.is_none() {
                    let block = match other {
                        "quant" | "precision" | "tp" | "pp" | "dp" | "ep" | "memory"
                        | "max-seqs" | "context" | "prefix-cache" => Some("sweep"),
                        "traffic" | "concurrency" | "rate" | "duration" | "requests" | "warmup"
                        | "endpoint" => Some("benchmark"),
                        "objective" | "timeout" | "max-experiments" | "strict" | "samples"
                        | "seed" => Some("search grid"),
                        "image" | "port" | "entrypoint" | "health" | "env" => {
                            Some("engine NAME \"VERSION\"")
                        }
                        "quantization" | "revision" => Some("model \"ID\""),
                        _ => None,
                    };
                    match block {
                        Some(b) => format!("`{other} = ...` is a field of `{b} {{ ... }}`: put it inside that block"),
                        None => format!("`{other} = ...` is a field: put it inside a block such as `sweep {{ ... }}`"),
                    }
                } else {
                    help
                };
                self.error(
                    SyntaxErrorKind::UnknownStatement,
                    keyword,
                    format!("unknown statement `{other}`"),
                    "not a statement",
                    Some(help),
                );
                self.bump();
                return Err(());
            }
        };
        let end = self.prev_end().max(keyword.end);
        Ok(Statement {
            kind,
            span: Span::new(keyword.start, end),
            keyword,
        })
    }

    fn ident(&mut self, expected: &str) -> Result<Ident> {
        match self.peek_kind().clone() {
            TokenKind::Ident(name) => {
                let tok = self.bump();
                Ok(Spanned::new(name, tok.span))
            }
            _ => {
                self.unexpected(expected, None);
                Err(())
            }
        }
    }

    fn string(&mut self, expected: &str) -> Result<Spanned<String>> {
        match self.peek_kind().clone() {
            TokenKind::Str(s) => {
                let tok = self.bump();
                Ok(Spanned::new(s, tok.span))
            }
            TokenKind::Newline | TokenKind::Semi | TokenKind::Eof | TokenKind::LBrace => {
                self.unexpected(expected, None);
                Err(())
            }
            TokenKind::Error => {
                // An unterminated string: the lexer reported it.
                self.bump();
                Err(())
            }
            _ => {
                // Text written without quotes (`model meta-llama/Llama-3.2-1B`): take
                // the rest of the word run as one error, dropping what the lexer
                // said about its pieces.
                let start = self.peek().span.start;
                let mut end = self.peek().span.end;
                self.bump();
                while !matches!(
                    self.peek_kind(),
                    TokenKind::Newline | TokenKind::Semi | TokenKind::Eof | TokenKind::LBrace
                ) && self.peek().span.start == end
                {
                    end = self.bump().span.end;
                }
                let span = Span::new(start, end);
                self.errors
                    .retain(|e| !(e.span.start >= start && e.span.end <= end));
                let text = self.src.get(start..end).unwrap_or("").to_string();
                self.error(
                    SyntaxErrorKind::Unexpected,
                    span,
                    format!("expected {expected}, found `{text}`"),
                    "needs quotes",
                    Some(format!("write it as a string: \"{text}\"")),
                );
                Err(())
            }
        }
    }

    /// An engine version: a string; a bare `0.33.0` is reported but accepted.
    fn version(&mut self) -> Result<Spanned<String>> {
        let tok = self.peek().clone();
        let bare = match &tok.kind {
            TokenKind::Str(s) => {
                self.bump();
                return Ok(Spanned::new(s.clone(), tok.span));
            }
            TokenKind::Version(v) => Some(v.clone()),
            TokenKind::Int(i) => Some(i.to_string()),
            TokenKind::Float(f) => Some(f.to_string()),
            _ => None,
        };
        match bare {
            Some(v) => {
                self.bump();
                self.error(
                    SyntaxErrorKind::Unexpected,
                    tok.span,
                    format!("expected the engine version as a string, found `{v}`"),
                    "needs quotes",
                    Some(format!("write it as a string: \"{v}\"")),
                );
                Ok(Spanned::new(v, tok.span))
            }
            None => {
                self.unexpected("the engine version as a string, like `\"0.33.0\"`", None);
                Err(())
            }
        }
    }

    fn expect_eq(&mut self, name: &Ident) -> Result<()> {
        if self.at(&TokenKind::Eq) {
            self.bump();
            Ok(())
        } else {
            self.unexpected(
                &format!("`=` after `{}`", name.node),
                Some(format!("write `{} = ...`", name.node)),
            );
            Err(())
        }
    }

    fn optional_record(&mut self) -> Option<Record> {
        self.at(&TokenKind::LBrace).then(|| self.record())
    }

    fn required_record(&mut self, keyword: &str) -> Result<Record> {
        if self.at(&TokenKind::LBrace) {
            Ok(self.record())
        } else {
            self.unexpected(
                &format!("`{{` after `{keyword}`"),
                Some(format!("write `{keyword} {{ name = value }}`")),
            );
            Err(())
        }
    }

    /// Reports an unclosed bracket at its opening and says where parsing resumed.
    fn unclosed(&mut self, open: Span, what: &str, close: &str) {
        // An unterminated string on the opener's line swallowed the closer: that
        // error says it all.
        let swallowed = self.errors.iter().any(|e| {
            e.kind == SyntaxErrorKind::UnterminatedString
                && e.span.start >= open.end
                && !self
                    .src
                    .get(open.end..e.span.start)
                    .unwrap_or("\n")
                    .contains('\n')
        });
        if swallowed {
            return;
        }
        let here = self.peek().clone();
        let mut secondary = Vec::new();
        let help = if here.kind == TokenKind::Eof {
            format!("add `{close}` to close it")
        } else {
            let what_here = if self.at_statement_start() {
                "the next statement starts here".to_string()
            } else if self.at_entry_start() {
                "the next field starts here".to_string()
            } else {
                format!("expected `{close}` before {}", here.kind.describe())
            };
            secondary.push((here.span, what_here));
            format!("add `{close}` before this point")
        };
        self.errors.push(SyntaxError {
            kind: SyntaxErrorKind::Unclosed,
            span: open,
            message: format!("unclosed {what}"),
            label: format!("this `{}` is never closed", &close_to_open(close)),
            secondary,
            help: Some(help),
        });
    }

    // ----- records ---------------------------------------------------------

    /// `{ entry ... }`; the current token is `{`.
    fn record(&mut self) -> Record {
        let open = self.bump().span;
        let mut entries = Vec::new();
        loop {
            while Self::is_separator(self.peek_kind()) {
                self.bump();
            }
            match self.peek_kind().clone() {
                TokenKind::RBrace => {
                    let close = self.bump().span;
                    return Record {
                        entries,
                        span: open.to(close),
                        open,
                    };
                }
                TokenKind::Eof => {
                    self.unclosed(open, "block", "}");
                    break;
                }
                TokenKind::RBracket | TokenKind::RParen => {
                    // A `)` or `]` where `}` belongs: the block is cut off here.
                    self.unclosed(open, "block", "}");
                    break;
                }
                TokenKind::Ident(_) if self.at_statement_start() => {
                    self.unclosed(open, "block", "}");
                    break;
                }
                TokenKind::Ident(_) => {
                    if let Some(entry) = self.entry() {
                        entries.push(entry);
                    }
                }
                TokenKind::Str(s) => {
                    // `"HF_HOME" = ...`: keys are names, not strings.
                    let span = self.peek().span;
                    self.error(
                        SyntaxErrorKind::Unexpected,
                        span,
                        "expected a field name, found a string",
                        "field names are written without quotes",
                        Some(format!("write `{s} = ...`")),
                    );
                    self.bump();
                    self.recover_entry();
                }
                _ => {
                    self.unexpected("a field name or `}`", None);
                    if !Self::is_separator(self.peek_kind()) {
                        self.bump();
                    }
                    self.recover_entry();
                }
            }
        }
        let end = self.prev_end().max(open.end);
        Record {
            entries,
            span: Span::new(open.start, end),
            open,
        }
    }

    /// `key = value` or `key { ... }`.
    fn entry(&mut self) -> Option<Entry> {
        let TokenKind::Ident(name) = self.peek_kind().clone() else {
            return None;
        };
        let key_tok = self.bump();
        let key = Spanned::new(name, key_tok.span);
        let (value, eq) = match self.peek_kind() {
            TokenKind::Eq => {
                self.bump();
                if Self::is_separator(self.peek_kind())
                    || matches!(self.peek_kind(), TokenKind::RBrace | TokenKind::Eof)
                {
                    self.unexpected(&format!("a value for `{}`", key.node), None);
                    return None;
                }
                (self.value(), true)
            }
            TokenKind::LBrace => {
                let record = self.record();
                let span = record.span;
                (Spanned::new(ExprKind::Record(record), span), false)
            }
            _ => {
                self.unexpected(
                    &format!("`=` after `{}`", key.node),
                    Some(format!("write `{} = value`", key.node)),
                );
                self.recover_entry();
                return None;
            }
        };
        match self.peek_kind() {
            k if Self::is_separator(k) => {}
            TokenKind::RBrace | TokenKind::Eof => {}
            _ if self.at_statement_start() || self.at_entry_start() => {}
            TokenKind::RBracket | TokenKind::RParen => {
                self.unmatched_close();
                self.recover_entry();
            }
            _ => {
                self.unexpected(
                    "a newline, `;` or `,` after the value",
                    Some("separate entries with newlines, `;` or `,`".into()),
                );
                self.recover_entry();
            }
        }
        let span = key.span.to(value.span);
        Some(Entry {
            key,
            value,
            eq,
            span,
        })
    }

    // ----- values ------------------------------------------------------------

    fn starts_value(kind: &TokenKind) -> bool {
        matches!(
            kind,
            TokenKind::Ident(_)
                | TokenKind::Str(_)
                | TokenKind::Int(_)
                | TokenKind::Float(_)
                | TokenKind::Quantity { .. }
                | TokenKind::Version(_)
                | TokenKind::LBracket
        )
    }

    /// A value in an entry or `let`: one expression, or several side by side
    /// (`maximize throughput`), which the checker reads by context.
    fn value(&mut self) -> Expr {
        let first = self.expr();
        if matches!(first.node, ExprKind::Error) {
            // Skip what follows on the line silently: the error is reported.
            while Self::starts_value(self.peek_kind()) && !self.at_line_start() {
                self.expr();
            }
            return first;
        }
        if !Self::starts_value(self.peek_kind()) || self.at_line_start() {
            return first;
        }
        let mut items = vec![first];
        while Self::starts_value(self.peek_kind()) && !self.at_line_start() {
            items.push(self.expr());
        }
        let span = items[0].span.to(items[items.len() - 1].span);
        if items.iter().any(|e| matches!(e.node, ExprKind::Error)) {
            // Part of it is already reported; do not report the rest again.
            return Spanned::new(ExprKind::Error, span);
        }
        Spanned::new(ExprKind::Phrase(items), span)
    }

    fn expr(&mut self) -> Expr {
        let tok = self.peek().clone();
        match tok.kind {
            TokenKind::Int(i) => {
                self.bump();
                Spanned::new(ExprKind::Int(i), tok.span)
            }
            TokenKind::Float(f) => {
                self.bump();
                Spanned::new(ExprKind::Float(f), tok.span)
            }
            TokenKind::Quantity {
                value,
                unit,
                unit_span,
            } => {
                self.bump();
                Spanned::new(
                    ExprKind::Quantity {
                        value,
                        unit,
                        unit_span,
                    },
                    tok.span,
                )
            }
            TokenKind::Str(s) => {
                self.bump();
                Spanned::new(ExprKind::Str(s), tok.span)
            }
            TokenKind::Version(v) => {
                self.bump();
                self.error(
                    SyntaxErrorKind::Unexpected,
                    tok.span,
                    format!("`{v}` is not a number"),
                    "a number has at most one `.`",
                    Some(format!(
                        "if this is a version, write it as a string: \"{v}\""
                    )),
                );
                Spanned::new(ExprKind::Error, tok.span)
            }
            TokenKind::Ident(name) => {
                self.bump();
                let ident = Spanned::new(name.clone(), tok.span);
                match self.peek_kind() {
                    TokenKind::LParen if self.peek().span.start == tok.span.end => self.call(ident),
                    TokenKind::Slash => self.precision(ident),
                    TokenKind::LBrace => {
                        let record = self.record();
                        let span = tok.span.to(record.span);
                        Spanned::new(
                            ExprKind::Typed {
                                name: ident,
                                record,
                            },
                            span,
                        )
                    }
                    _ => match name.as_str() {
                        "true" => Spanned::new(ExprKind::Bool(true), tok.span),
                        "false" => Spanned::new(ExprKind::Bool(false), tok.span),
                        _ => Spanned::new(ExprKind::Ident(name), tok.span),
                    },
                }
            }
            TokenKind::LBracket => self.list(),
            TokenKind::LBrace => {
                let record = self.record();
                let span = record.span;
                Spanned::new(ExprKind::Record(record), span)
            }
            TokenKind::Error => {
                self.bump();
                Spanned::new(ExprKind::Error, tok.span)
            }
            _ => {
                self.unexpected("a value", None);
                let span = Span::at(self.prev_end().max(tok.span.start.min(self.prev_end())));
                Spanned::new(ExprKind::Error, span)
            }
        }
    }

    /// `W/A`; the current token is `/`.
    fn precision(&mut self, weights: Ident) -> Expr {
        self.bump();
        match self.peek_kind().clone() {
            TokenKind::Ident(a) => {
                let tok = self.bump();
                let span = weights.span.to(tok.span);
                Spanned::new(
                    ExprKind::Precision {
                        weights,
                        activations: Spanned::new(a, tok.span),
                    },
                    span,
                )
            }
            _ => {
                self.unexpected(
                    &format!("an activation format after `{}/`", weights.node),
                    Some("a precision pair is WEIGHTS/ACTIVATIONS, like `fp8/fp8`".into()),
                );
                Spanned::new(ExprKind::Error, weights.span)
            }
        }
    }

    /// `name(args)` and `name(args)/(args)`; the current token is `(`.
    fn call(&mut self, name: Ident) -> Expr {
        let (args, end) = self.group();
        let mut span = name.span.to(end);
        let mut second = None;
        if self.at(&TokenKind::Slash) && matches!(self.nth_kind(1), TokenKind::LParen) {
            self.bump();
            let (more, end) = self.group();
            second = Some(more);
            span = span.to(end);
        }
        Spanned::new(ExprKind::Call { name, args, second }, span)
    }

    /// `( a, b, ... )`, returning the items and the span of the closing paren.
    fn group(&mut self) -> (Vec<Expr>, Span) {
        let open = self.bump().span;
        let items = self.sequence(open, TokenKind::RParen, "(", ")");
        (items, Span::new(open.start, self.prev_end().max(open.end)))
    }

    fn list(&mut self) -> Expr {
        let open = self.peek().span;
        self.bump();
        let items = self.sequence(open, TokenKind::RBracket, "[", "]");
        let span = Span::new(open.start, self.prev_end().max(open.end));
        Spanned::new(ExprKind::List(items), span)
    }

    /// Comma-separated expressions up to `close`; newlines are allowed anywhere.
    fn sequence(
        &mut self,
        open: Span,
        close: TokenKind,
        open_str: &str,
        close_str: &str,
    ) -> Vec<Expr> {
        let what = if open_str == "[" {
            "list"
        } else {
            "parenthesis"
        };
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            let kind = self.peek_kind().clone();
            if kind == close {
                self.bump();
                return items;
            }
            if matches!(
                kind,
                TokenKind::Eof | TokenKind::RBrace | TokenKind::RBracket | TokenKind::RParen
            ) || self.at_statement_start()
                || self.at_entry_start()
            {
                self.unclosed(open, what, close_str);
                return items;
            }
            if kind == TokenKind::Comma {
                self.unexpected("a value", Some("remove the extra `,`".into()));
                self.bump();
                continue;
            }
            if kind == TokenKind::Semi {
                self.unexpected(&format!("`,` or `{close_str}`"), None);
                self.bump();
                continue;
            }
            let before = self.pos;
            items.push(self.expr());
            if self.pos == before {
                // Nothing was consumed: skip the token to make progress.
                self.bump();
            }
            self.skip_newlines();
            match self.peek_kind() {
                TokenKind::Comma => {
                    self.bump();
                }
                k if *k == close => {}
                TokenKind::Eof | TokenKind::RBrace | TokenKind::RBracket | TokenKind::RParen => {}
                _ if self.at_statement_start() || self.at_entry_start() => {}
                _ => self.unexpected(
                    &format!("`,` or `{close_str}`"),
                    Some("separate items with `,`".into()),
                ),
            }
        }
    }

    // ----- slo ---------------------------------------------------------------

    fn slo_block(&mut self) -> SloBlock {
        let open = self.bump().span;
        let mut entries = Vec::new();
        loop {
            while Self::is_separator(self.peek_kind()) {
                self.bump();
            }
            match self.peek_kind().clone() {
                TokenKind::RBrace => {
                    let close = self.bump().span;
                    return SloBlock {
                        entries,
                        span: open.to(close),
                        open,
                    };
                }
                TokenKind::Eof | TokenKind::RBracket | TokenKind::RParen => {
                    self.unclosed(open, "block", "}");
                    break;
                }
                TokenKind::Ident(_) if self.at_statement_start() => {
                    self.unclosed(open, "block", "}");
                    break;
                }
                TokenKind::Ident(word) if word == "steepness" => {
                    let keyword = self.bump().span;
                    if self.at(&TokenKind::Eq) {
                        self.bump();
                    }
                    let value = self.expr();
                    let span = keyword.to(value.span);
                    entries.push(SloEntry::Steepness {
                        keyword,
                        value,
                        span,
                    });
                    self.end_slo_entry();
                }
                TokenKind::Ident(_) => {
                    if let Some(objective) = self.objective() {
                        entries.push(SloEntry::Objective(objective));
                    }
                    self.end_slo_entry();
                }
                _ => {
                    self.unexpected("an objective such as `ttft p90 < 1s`", None);
                    if !Self::is_separator(self.peek_kind()) {
                        self.bump();
                    }
                    self.recover_entry();
                }
            }
        }
        let end = self.prev_end().max(open.end);
        SloBlock {
            entries,
            span: Span::new(open.start, end),
            open,
        }
    }

    fn end_slo_entry(&mut self) {
        match self.peek_kind() {
            k if Self::is_separator(k) => {}
            TokenKind::RBrace | TokenKind::Eof => {}
            _ if self.at_statement_start() => {}
            _ => {
                self.unexpected("a newline or `;` after the objective", None);
                self.recover_entry();
            }
        }
    }

    /// `METRIC [STATISTIC] CMP THRESHOLD OPTION*`
    fn objective(&mut self) -> Option<Objective> {
        let metric = self.ident("a metric").ok()?;
        let statistic = match self.peek_kind() {
            TokenKind::Ident(_) => Some(self.ident("a statistic").ok()?),
            _ => None,
        };
        let cmp = match self.peek_kind() {
            TokenKind::Less => Comparison::Less,
            TokenKind::LessEq => Comparison::LessEq,
            TokenKind::Greater => Comparison::Greater,
            TokenKind::GreaterEq => Comparison::GreaterEq,
            _ => {
                let written = match &statistic {
                    Some(s) => format!("{} {}", metric.node, s.node),
                    None => metric.node.clone(),
                };
                self.unexpected(
                    &format!("`<` or `>` after `{written}`"),
                    Some(format!("write an objective as `{written} < THRESHOLD`")),
                );
                self.recover_entry();
                return None;
            }
        };
        let cmp_span = self.bump().span;
        if Self::is_separator(self.peek_kind())
            || matches!(self.peek_kind(), TokenKind::RBrace | TokenKind::Eof)
        {
            self.unexpected("a threshold", None);
            return None;
        }
        let threshold = self.expr();
        let mut options = Vec::new();
        while let TokenKind::Ident(_) = self.peek_kind() {
            if self.at_statement_start() {
                break;
            }
            let Ok(name) = self.ident("an option") else {
                break;
            };
            let value = if Self::starts_value(self.peek_kind())
                && !matches!(self.peek_kind(), TokenKind::Ident(_))
            {
                Some(self.expr())
            } else {
                None
            };
            let span = match &value {
                Some(v) => name.span.to(v.span),
                None => name.span,
            };
            options.push(SloOption { name, value, span });
        }
        let end = options.last().map(|o| o.span).unwrap_or(threshold.span);
        let span = metric.span.to(end);
        Some(Objective {
            metric,
            statistic,
            comparison: Spanned::new(cmp, cmp_span),
            threshold,
            options,
            span,
        })
    }
}

fn close_to_open(close: &str) -> &'static str {
    match close {
        "}" => "{",
        "]" => "[",
        _ => "(",
    }
}

fn statements_help() -> String {
    format!(
        "a statement starts with one of: {}",
        STATEMENT_KEYWORDS.join(", ")
    )
}

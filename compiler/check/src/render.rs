//! The three renderings of diagnostics: graphical (miette, with colour), plain
//! (the same layout without colour) and JSON lines.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{FileId, SourceMap};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use serde::Serialize;
use std::fmt;

/// How to print diagnostics for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// miette's graphical report with colours, for a terminal.
    Colored,
    /// The same report without colours (`NO_COLOR`, or output that is not a terminal).
    Plain,
}

/// One miette report: the labels of one file, with the labels of other files as
/// related reports (a duplicate defined in an imported file, say).
#[derive(Debug)]
struct Report {
    message: String,
    severity: miette::Severity,
    source: Option<NamedSource<String>>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
    related: Vec<Report>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = _>>)
    }
}

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    }
}

fn report(d: &Diagnostic, sources: &SourceMap) -> Report {
    // Group labels by file, the primary label's file first.
    let mut files: Vec<FileId> = Vec::new();
    for l in &d.labels {
        if !files.contains(&l.loc.file) {
            files.push(l.loc.file);
        }
    }
    let labels_of = |file: FileId| -> Vec<LabeledSpan> {
        let text_len = sources.get(file).text.len();
        d.labels
            .iter()
            .filter(|l| l.loc.file == file)
            .map(|l| {
                let start = l.loc.span.start.min(text_len);
                let len = l.loc.span.len().min(text_len - start);
                let msg = (!l.message.is_empty()).then(|| l.message.clone());
                if l.primary {
                    LabeledSpan::new_primary_with_span(msg, (start, len))
                } else {
                    LabeledSpan::new_with_span(msg, (start, len))
                }
            })
            .collect()
    };
    let named = |file: FileId| {
        let s = sources.get(file);
        NamedSource::new(s.name.clone(), s.text.clone())
    };
    let mut related = Vec::new();
    for &file in files.iter().skip(1) {
        related.push(Report {
            message: format!("in {}", sources.get(file).name),
            severity: miette::Severity::Advice,
            source: Some(named(file)),
            labels: labels_of(file),
            help: None,
            related: vec![],
        });
    }
    Report {
        message: d.message.clone(),
        severity: miette_severity(d.severity),
        source: files.first().map(|&f| named(f)),
        labels: files.first().map(|&f| labels_of(f)).unwrap_or_default(),
        help: d.help.clone(),
        related,
    }
}

/// Renders one diagnostic for people.
pub fn human(d: &Diagnostic, sources: &SourceMap, style: Style) -> String {
    let mut theme = match style {
        Style::Colored => GraphicalTheme::unicode(),
        Style::Plain => GraphicalTheme::unicode_nocolor(),
    };
    // rustc's header, `error[E0201]: message`, in place of miette's severity glyph;
    // related reports (labels in other files) keep a plain glyph.
    let header = format!("{}[{}]:", d.severity.as_str(), d.code);
    match d.severity {
        Severity::Error => theme.characters.error = header,
        Severity::Warning => theme.characters.warning = header,
        Severity::Note => theme.characters.advice = header,
    }
    if d.severity != Severity::Note {
        theme.characters.advice = "note:".into();
    }
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        .with_context_lines(1);
    let report = report(d, sources);
    let mut out = String::new();
    // Rendering into a String cannot fail.
    let _ = handler.render_report(&mut out, &report);
    // Labels in other files (an imported definition, say) follow as notes, each
    // with its own snippet; miette's own `related` rendering adds a bare
    // "Advice:" line, so they are rendered here.
    if !report.related.is_empty() {
        // Related reports are notes, also when the diagnostic itself is one.
        let mut theme = match style {
            Style::Colored => GraphicalTheme::unicode(),
            Style::Plain => GraphicalTheme::unicode_nocolor(),
        };
        theme.characters.advice = "note:".into();
        let related_handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_links(false)
            .with_context_lines(1);
        for related in &report.related {
            let _ = related_handler.render_report(&mut out, related);
        }
    }
    // Notes wrap like miette's help: at the report's width, under their text.
    let options = textwrap::Options::new(100)
        .initial_indent("  note: ")
        .subsequent_indent("        ")
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false);
    for note in &d.notes {
        for line in textwrap::wrap(note, &options) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    /// In characters.
    length: usize,
    message: &'a str,
    primary: bool,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'a str,
    code: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    labels: Vec<JsonLabel<'a>>,
}

/// One diagnostic as one line of JSON (`--message-format json`). Lines and columns
/// are 1-based; columns and lengths count characters.
pub fn json(d: &Diagnostic, sources: &SourceMap) -> String {
    serde_json::to_string(&json_value(d, sources)).expect("diagnostics serialize")
}

/// One diagnostic as a JSON value (what [`json`] prints), for embedding in other
/// JSON documents such as the plan.
pub fn json_value(d: &Diagnostic, sources: &SourceMap) -> serde_json::Value {
    let labels = d
        .labels
        .iter()
        .map(|l| {
            let s = sources.get(l.loc.file);
            let (line, column) = s.line_column(l.loc.span.start);
            let (end_line, end_column) = s.line_column(l.loc.span.end);
            JsonLabel {
                file: &s.name,
                line,
                column,
                end_line,
                end_column,
                length: s.slice(l.loc.span).chars().count(),
                message: &l.message,
                primary: l.primary,
            }
        })
        .collect();
    let j = JsonDiagnostic {
        severity: d.severity.as_str(),
        code: d.code,
        message: &d.message,
        help: d.help.as_deref(),
        notes: &d.notes,
        labels,
    };
    serde_json::to_value(&j).expect("diagnostics serialize")
}

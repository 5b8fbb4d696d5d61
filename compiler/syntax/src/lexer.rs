//! Tokens, read with nom over `nom_locate` spans.
//!
//! The lexer never fails: characters it cannot read become an error and are
//! skipped, so the parser always sees a complete token stream ending in `Eof`.

use crate::ast::Unit;
use crate::span::Span;
use crate::{SyntaxError, SyntaxErrorKind};
use nom::branch::alt;
use nom::bytes::complete::{tag, take_till, take_while, take_while1};
use nom::character::complete::{char, digit1, one_of};
use nom::combinator::{opt, recognize};
use nom::{IResult, Parser};
use nom_locate::LocatedSpan;

type Input<'a> = LocatedSpan<&'a str>;

#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    Ident(String),
    Str(String),
    Int(i64),
    Float(f64),
    Quantity {
        value: f64,
        unit: Unit,
        unit_span: Span,
    },
    /// A dotted number such as `0.33.0`, which only makes sense as a string.
    Version(String),
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Comma,
    Semi,
    Newline,
    Eq,
    Slash,
    Less,
    LessEq,
    Greater,
    GreaterEq,
    /// Something that could not be read; its error is already reported.
    Error,
    Eof,
}

impl TokenKind {
    /// The token in the user's words, for "expected X, found Y".
    pub fn describe(&self) -> String {
        match self {
            TokenKind::Ident(s) => format!("`{s}`"),
            TokenKind::Str(_) => "a string".into(),
            TokenKind::Int(_) | TokenKind::Float(_) => "a number".into(),
            TokenKind::Quantity { unit, .. } => format!("a quantity in `{}`", unit.as_str()),
            TokenKind::Version(v) => format!("`{v}`"),
            TokenKind::LBrace => "`{`".into(),
            TokenKind::RBrace => "`}`".into(),
            TokenKind::LBracket => "`[`".into(),
            TokenKind::RBracket => "`]`".into(),
            TokenKind::LParen => "`(`".into(),
            TokenKind::RParen => "`)`".into(),
            TokenKind::Comma => "`,`".into(),
            TokenKind::Semi => "`;`".into(),
            TokenKind::Newline => "the end of the line".into(),
            TokenKind::Eq => "`=`".into(),
            TokenKind::Slash => "`/`".into(),
            TokenKind::Less => "`<`".into(),
            TokenKind::LessEq => "`<=`".into(),
            TokenKind::Greater => "`>`".into(),
            TokenKind::GreaterEq => "`>=`".into(),
            TokenKind::Error => "an invalid token".into(),
            TokenKind::Eof => "the end of the file".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

fn span_of(start: &Input, end: &Input) -> Span {
    Span::new(start.location_offset(), end.location_offset())
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Spaces, tabs, carriage returns and comments (which end before the newline).
fn trivia(input: Input) -> IResult<Input, ()> {
    let (mut input, _) = take_while(|c| c == ' ' || c == '\t' || c == '\r').parse(input)?;
    loop {
        let (rest, comment) = opt((char('#'), take_till(|c| c == '\n'))).parse(input)?;
        if comment.is_none() {
            return Ok((input, ()));
        }
        let (rest, _) = take_while(|c| c == ' ' || c == '\t' || c == '\r').parse(rest)?;
        input = rest;
    }
}

/// `[A-Za-z_][A-Za-z0-9_]*` with inner dashes (`kv-cache-fp8`).
fn ident(input: Input) -> IResult<Input, Input> {
    recognize((
        nom::character::complete::satisfy(is_ident_start),
        take_while(is_ident_char),
        nom::multi::many0((char('-'), take_while1(is_ident_char))),
    ))
    .parse(input)
}

/// `42`, `-1`, `0.85`, `1e-3`.
fn number(input: Input) -> IResult<Input, Input> {
    recognize((
        opt(char('-')),
        digit1,
        opt((char('.'), digit1)),
        opt((one_of("eE"), opt(one_of("+-")), digit1)),
    ))
    .parse(input)
}

fn punct(input: Input) -> IResult<Input, TokenKind> {
    alt((
        tag("<=").map(|_| TokenKind::LessEq),
        tag(">=").map(|_| TokenKind::GreaterEq),
        char('{').map(|_| TokenKind::LBrace),
        char('}').map(|_| TokenKind::RBrace),
        char('[').map(|_| TokenKind::LBracket),
        char(']').map(|_| TokenKind::RBracket),
        char('(').map(|_| TokenKind::LParen),
        char(')').map(|_| TokenKind::RParen),
        char(',').map(|_| TokenKind::Comma),
        char(';').map(|_| TokenKind::Semi),
        char('\n').map(|_| TokenKind::Newline),
        char('=').map(|_| TokenKind::Eq),
        char('/').map(|_| TokenKind::Slash),
        char('<').map(|_| TokenKind::Less),
        char('>').map(|_| TokenKind::Greater),
    ))
    .parse(input)
}

/// Splits `source` into tokens; errors go to `errors`.
pub fn lex(source: &str, errors: &mut Vec<SyntaxError>) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut input = Input::new(source);
    loop {
        // `trivia` cannot fail: every parser in it accepts empty input.
        if let Ok((rest, ())) = trivia(input) {
            input = rest;
        }
        if input.fragment().is_empty() {
            break;
        }
        let start = input;
        let first = input.fragment().chars().next().unwrap_or('\0');
        if first == '"' {
            let (rest, kind) = string(input, errors);
            tokens.push(Token {
                kind,
                span: span_of(&start, &rest),
            });
            input = rest;
        } else if first.is_ascii_digit()
            || (first == '-' && input.fragment()[1..].starts_with(|c: char| c.is_ascii_digit()))
        {
            let (rest, kind) = quantity(input, errors);
            tokens.push(Token {
                kind,
                span: span_of(&start, &rest),
            });
            input = rest;
        } else if let Ok((rest, word)) = ident(input) {
            tokens.push(Token {
                kind: TokenKind::Ident(word.fragment().to_string()),
                span: span_of(&start, &rest),
            });
            input = rest;
        } else if first == '\'' {
            // 'text': report the whole single-quoted string once.
            let frag = *input.fragment();
            let line_end = frag.find('\n').unwrap_or(frag.len());
            let len = frag[1..line_end].find('\'').map(|i| i + 2).unwrap_or(1);
            let span = Span::new(start.location_offset(), start.location_offset() + len);
            let inner = &frag[1..len.saturating_sub(1).max(1)];
            errors.push(SyntaxError {
                kind: SyntaxErrorKind::InvalidCharacter,
                span,
                message: "strings are written in double quotes".into(),
                label: "single quotes".into(),
                secondary: vec![],
                help: Some(if len > 1 {
                    format!("write \"{inner}\"")
                } else {
                    "write strings as \"...\"".into()
                }),
            });
            tokens.push(Token {
                kind: TokenKind::Error,
                span,
            });
            input = advance(input, len);
        } else if let Ok((rest, kind)) = punct(input) {
            tokens.push(Token {
                kind,
                span: span_of(&start, &rest),
            });
            input = rest;
        } else {
            // A run of dashes (`--flag`) is one error.
            let len = if first == '-' {
                input.fragment().len() - input.fragment().trim_start_matches('-').len()
            } else {
                first.len_utf8()
            };
            let span = Span::new(start.location_offset(), start.location_offset() + len);
            let printable = if first.is_control() {
                format!("{:?}", first)
            } else {
                format!("`{}`", &input.fragment()[..len])
            };
            let help = match first {
                '\'' => Some("strings are written in double quotes: \"...\"".to_string()),
                ':' => Some("fields are set with `=`: `name = value`".to_string()),
                '-' => Some(
                    "flags in `args` are written without leading dashes: `enforce-eager = true`"
                        .to_string(),
                ),
                _ => None,
            };
            errors.push(SyntaxError {
                kind: SyntaxErrorKind::InvalidCharacter,
                span,
                message: format!("unexpected character {printable}"),
                label: "not valid here".into(),
                secondary: vec![],
                help,
            });
            tokens.push(Token {
                kind: TokenKind::Error,
                span,
            });
            input = advance(input, len);
        }
    }
    let end = source.len();
    tokens.push(Token {
        kind: TokenKind::Eof,
        span: Span::at(end),
    });
    tokens
}

fn advance(input: Input, n: usize) -> Input {
    use nom::Input as _;
    input.take_from(n)
}

/// A string literal; the opening quote is at the start of `input`.
fn string<'a>(input: Input<'a>, errors: &mut Vec<SyntaxError>) -> (Input<'a>, TokenKind) {
    let base = input.location_offset();
    let text = *input.fragment();
    let mut out = String::new();
    let mut chars = text.char_indices().skip(1).peekable();
    let ok = true;
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                let kind = if ok {
                    TokenKind::Str(out)
                } else {
                    TokenKind::Error
                };
                return (advance(input, i + 1), kind);
            }
            '\n' => break,
            '\\' => {
                let Some((j, e)) = chars.next() else { break };
                match e {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'u' => {
                        // \u{XXXX}
                        let rest = &text[j + 1..];
                        let parsed = rest
                            .strip_prefix('{')
                            .and_then(|r| r.find('}').map(|close| (&r[..close], close)));
                        match parsed.and_then(|(hex, close)| {
                            u32::from_str_radix(hex, 16)
                                .ok()
                                .filter(|_| !hex.is_empty() && hex.len() <= 6)
                                .and_then(char::from_u32)
                                .map(|ch| (ch, close))
                        }) {
                            Some((ch, close)) => {
                                out.push(ch);
                                // skip `{`, the digits and `}`
                                for _ in 0..close + 2 {
                                    chars.next();
                                }
                            }
                            None => {
                                out.push_str("\\u");
                                errors.push(SyntaxError {
                                    kind: SyntaxErrorKind::InvalidEscape,
                                    span: Span::new(base + i, base + j + 1),
                                    message: "invalid unicode escape".into(),
                                    label: "expected `\\u{...}` with 1 to 6 hex digits".into(),
                                    secondary: vec![],
                                    help: Some("write a code point as `\\u{1F600}`".into()),
                                });
                            }
                        }
                    }
                    '\n' => break,
                    other => {
                        out.push('\\');
                        out.push(other);
                        errors.push(SyntaxError {
                            kind: SyntaxErrorKind::InvalidEscape,
                            span: Span::new(base + i, base + j + other.len_utf8()),
                            message: format!("unknown escape `\\{other}`"),
                            label: "not an escape".into(),
                            secondary: vec![],
                            help: Some(
                                "the escapes are \\\" \\\\ \\n \\t and \\u{...}; write a backslash as \\\\"
                                    .into(),
                            ),
                        });
                    }
                }
            }
            _ => out.push(c),
        }
    }
    // No closing quote on this line.
    let line_end = text.find('\n').unwrap_or(text.len());
    errors.push(SyntaxError {
        kind: SyntaxErrorKind::UnterminatedString,
        span: Span::new(base, base + line_end),
        message: "unterminated string".into(),
        label: "this string has no closing `\"`".into(),
        secondary: vec![],
        help: Some("strings end on the line they start; close it with `\"`".into()),
    });
    (advance(input, line_end), TokenKind::Error)
}

/// A number, possibly followed by a unit (`500ms`, `20%`, `1 req/s`).
fn quantity<'a>(input: Input<'a>, errors: &mut Vec<SyntaxError>) -> (Input<'a>, TokenKind) {
    let start = input.location_offset();
    let Ok((rest, num)) = number(input) else {
        // Only called where a digit is present, so `number` matches.
        return (advance(input, 1), TokenKind::Error);
    };
    let text = *num.fragment();

    // `0.33.0`: a version written without quotes.
    if rest.fragment().starts_with('.')
        && rest.fragment()[1..].starts_with(|c: char| c.is_ascii_digit())
    {
        let more = rest
            .fragment()
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.fragment().len());
        let after = advance(rest, more);
        let full = &input.fragment()[..after.location_offset() - start];
        return (after, TokenKind::Version(full.to_string()));
    }

    let is_int = !text.contains(['.', 'e', 'E']);
    let value: f64 = text.parse().unwrap_or(f64::NAN);

    // A unit, directly after the number or after spaces.
    let frag = *rest.fragment();
    let spaces = frag.len() - frag.trim_start_matches([' ', '\t']).len();
    let after_spaces = &frag[spaces..];
    for (spelling, unit) in Unit::ALL {
        if let Some(tail) = after_spaces.strip_prefix(spelling) {
            let boundary = *unit == Unit::Percent || !tail.starts_with(is_ident_char);
            if boundary {
                let unit_start = rest.location_offset() + spaces;
                let unit_span = Span::new(unit_start, unit_start + spelling.len());
                let end = advance(rest, spaces + spelling.len());
                if !value.is_finite() {
                    return invalid_number(end, start, text, errors);
                }
                return (
                    end,
                    TokenKind::Quantity {
                        value,
                        unit: *unit,
                        unit_span,
                    },
                );
            }
        }
    }
    // Letters glued to the number that are no unit: `2mins`, `10sec`.
    if frag.starts_with(is_ident_start) {
        let (after, word) = match ident(rest) {
            Ok(r) => r,
            Err(_) => (advance(rest, 1), rest),
        };
        let word = *word.fragment();
        let spellings: Vec<&str> = Unit::ALL.iter().rev().map(|(s, _)| *s).collect();
        // Spellings people write for the units there are.
        const UNIT_ALIASES: &[(&str, &str)] = &[
            ("sec", "s"),
            ("secs", "s"),
            ("second", "s"),
            ("seconds", "s"),
            ("m", "min"),
            ("mins", "min"),
            ("minute", "min"),
            ("minutes", "min"),
            ("hr", "h"),
            ("hrs", "h"),
            ("hour", "h"),
            ("hours", "h"),
            ("msec", "ms"),
            ("millis", "ms"),
            ("milliseconds", "ms"),
            ("k", "KiB"),
            ("kb", "KB"),
            ("gb", "GB"),
            ("gib", "GiB"),
            ("mib", "MiB"),
            ("mb", "MB"),
        ];
        let alias = UNIT_ALIASES
            .iter()
            .find(|(a, _)| *a == word)
            .map(|(_, u)| *u);
        let help =
            match alias.or_else(|| crate::suggest::did_you_mean(word, spellings.iter().copied())) {
                Some(s) => format!(
                    "did you mean `{text}{s}`? Units are {}",
                    spellings.join(" ")
                ),
                None => format!("units are {}", spellings.join(" ")),
            };
        errors.push(SyntaxError {
            kind: SyntaxErrorKind::UnknownUnit,
            span: Span::new(rest.location_offset(), after.location_offset()),
            message: format!("unknown unit `{word}`"),
            label: "not a unit".into(),
            secondary: vec![],
            help: Some(help),
        });
        return (after, TokenKind::Error);
    }
    if is_int {
        match text.parse::<i64>() {
            Ok(i) => (rest, TokenKind::Int(i)),
            Err(_) => invalid_number(rest, start, text, errors),
        }
    } else if value.is_finite() {
        (rest, TokenKind::Float(value))
    } else {
        invalid_number(rest, start, text, errors)
    }
}

fn invalid_number<'a>(
    end: Input<'a>,
    start: usize,
    text: &str,
    errors: &mut Vec<SyntaxError>,
) -> (Input<'a>, TokenKind) {
    errors.push(SyntaxError {
        kind: SyntaxErrorKind::InvalidNumber,
        span: Span::new(start, end.location_offset()),
        message: format!("number `{text}` is out of range"),
        label: "out of range".into(),
        secondary: vec![],
        help: Some(if text.contains(['.', 'e', 'E']) {
            "numbers must be finite (at most about 1.8e308)".to_string()
        } else {
            format!("integers must lie in {}..={}", i64::MIN, i64::MAX)
        }),
    });
    (end, TokenKind::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        let mut errors = Vec::new();
        let toks = lex(src, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        toks.into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn idents_with_dashes_and_units() {
        let k = kinds("kv-cache-fp8 = 500ms # c\n1 req/s 20% -1 1e-3");
        assert_eq!(k[0], TokenKind::Ident("kv-cache-fp8".into()));
        assert!(matches!(k[2], TokenKind::Quantity { unit: Unit::Ms, .. }));
        assert_eq!(k[3], TokenKind::Newline);
        assert!(matches!(
            k[4],
            TokenKind::Quantity {
                unit: Unit::ReqPerS,
                ..
            }
        ));
        assert!(matches!(
            k[5],
            TokenKind::Quantity {
                unit: Unit::Percent,
                ..
            }
        ));
        assert_eq!(k[6], TokenKind::Int(-1));
        assert_eq!(k[7], TokenKind::Float(1e-3));
    }

    #[test]
    fn unit_needs_a_word_boundary() {
        let k = kinds("1 hard");
        assert_eq!(k[0], TokenKind::Int(1));
        assert_eq!(k[1], TokenKind::Ident("hard".into()));
    }
}

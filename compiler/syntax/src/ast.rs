//! The syntax tree of a `.tune` file. Every node carries its span.

use crate::span::{Span, Spanned};
use crate::SyntaxError;

/// An identifier (`kv-cache-fp8`, `H100`, `p90`).
pub type Ident = Spanned<String>;

/// A parsed source file: the statements that parsed and every syntax error.
/// The parser always returns one, whatever the input.
#[derive(Clone, Debug, Default)]
pub struct SourceFile {
    pub statements: Vec<Statement>,
    pub errors: Vec<SyntaxError>,
}

#[derive(Clone, Debug)]
pub struct Statement {
    pub kind: StatementKind,
    /// The whole statement.
    pub span: Span,
    /// The leading keyword (`model`, `sweep`, ...).
    pub keyword: Span,
}

#[derive(Clone, Debug)]
pub enum StatementKind {
    /// `import "std/presets"`
    Import { path: Spanned<String> },
    /// `let NAME = EXPR`
    Let { name: Ident, value: Expr },
    /// `preset NAME = quant { ... }`
    Preset { name: Ident, value: Expr },
    /// `model "ID" [{ ... }]`
    Model {
        id: Spanned<String>,
        body: Option<Record>,
    },
    /// `hardware GPU x N`; the count is absent in `hardware GPU`.
    Hardware { gpu: Ident, count: Option<Expr> },
    /// `engine NAME "VERSION" [{ ... }]`
    Engine {
        name: Ident,
        version: Spanned<String>,
        body: Option<Record>,
    },
    /// `deploy TARGET [{ ... }]`
    Deploy { target: Ident, body: Option<Record> },
    /// `sweep { ... }`
    Sweep { body: Record },
    /// `args [ENGINE] { ... }`
    Args { engine: Option<Ident>, body: Record },
    /// `slo { ... }`
    Slo { body: SloBlock },
    /// `benchmark { ... }`
    Benchmark { body: Record },
    /// `search STRATEGY [{ ... }]`
    Search {
        strategy: Ident,
        body: Option<Record>,
    },
}

impl StatementKind {
    /// The statement's keyword as written.
    pub fn keyword(&self) -> &'static str {
        match self {
            StatementKind::Import { .. } => "import",
            StatementKind::Let { .. } => "let",
            StatementKind::Preset { .. } => "preset",
            StatementKind::Model { .. } => "model",
            StatementKind::Hardware { .. } => "hardware",
            StatementKind::Engine { .. } => "engine",
            StatementKind::Deploy { .. } => "deploy",
            StatementKind::Sweep { .. } => "sweep",
            StatementKind::Args { .. } => "args",
            StatementKind::Slo { .. } => "slo",
            StatementKind::Benchmark { .. } => "benchmark",
            StatementKind::Search { .. } => "search",
        }
    }
}

/// `{ key = value ... }`, a statement body or a record value.
#[derive(Clone, Debug)]
pub struct Record {
    pub entries: Vec<Entry>,
    /// From `{` to `}` (or to where the record was cut off).
    pub span: Span,
    /// The opening brace.
    pub open: Span,
}

/// `key = value`, or `key { ... }` (then `value` is a record and `eq` is false).
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: Ident,
    pub value: Expr,
    pub eq: bool,
    pub span: Span,
}

/// The body of `slo { ... }`.
#[derive(Clone, Debug)]
pub struct SloBlock {
    pub entries: Vec<SloEntry>,
    pub span: Span,
    pub open: Span,
}

#[derive(Clone, Debug)]
pub enum SloEntry {
    /// `ttft p90 < 1s weight 2 hard fail-ratio 20%`
    Objective(Objective),
    /// `steepness 0.1` (or `steepness = 0.1`)
    Steepness {
        keyword: Span,
        value: Expr,
        span: Span,
    },
}

#[derive(Clone, Debug)]
pub struct Objective {
    pub metric: Ident,
    pub statistic: Option<Ident>,
    pub comparison: Spanned<Comparison>,
    pub threshold: Expr,
    pub options: Vec<SloOption>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    Less,
    LessEq,
    Greater,
    GreaterEq,
}

impl Comparison {
    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::Less => "<",
            Comparison::LessEq => "<=",
            Comparison::Greater => ">",
            Comparison::GreaterEq => ">=",
        }
    }

    /// True for `<` and `<=`: the metric must stay below the threshold.
    pub fn is_upper_bound(self) -> bool {
        matches!(self, Comparison::Less | Comparison::LessEq)
    }
}

/// An option after an SLO objective.
#[derive(Clone, Debug)]
pub struct SloOption {
    pub name: Ident,
    /// The value of `weight W` and `fail-ratio R`; `None` for `hard`.
    pub value: Option<Expr>,
    pub span: Span,
}

pub type Expr = Spanned<ExprKind>;

#[derive(Clone, Debug)]
pub enum ExprKind {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    /// A number with a unit: `500ms`, `20%`, `1 req/s`.
    Quantity {
        value: f64,
        unit: Unit,
        unit_span: Span,
    },
    /// A name: an enum value, a preset, a `let`.
    Ident(String),
    /// `WEIGHTS/ACTIVATIONS`
    Precision {
        weights: Ident,
        activations: Ident,
    },
    List(Vec<Expr>),
    Record(Record),
    /// `quant { ... }`: a record with a type name.
    Typed {
        name: Ident,
        record: Record,
    },
    /// `name(arg, ...)`, with the second group of `N(a,b)/(c,d)`.
    Call {
        name: Ident,
        args: Vec<Expr>,
        second: Option<Vec<Expr>>,
    },
    /// Several values side by side: `maximize throughput`.
    Phrase(Vec<Expr>),
    /// Where a value could not be parsed; its error is in `SourceFile::errors`.
    Error,
}

impl ExprKind {
    /// What the value is, in the user's words (for "expected X, found Y").
    pub fn describe(&self) -> &'static str {
        match self {
            ExprKind::Int(_) => "an integer",
            ExprKind::Float(_) => "a number",
            ExprKind::Bool(_) => "a boolean",
            ExprKind::Str(_) => "a string",
            ExprKind::Quantity { unit, .. } => unit.kind().describe(),
            ExprKind::Ident(_) => "a name",
            ExprKind::Precision { .. } => "a precision pair",
            ExprKind::List(_) => "a list",
            ExprKind::Record(_) | ExprKind::Typed { .. } => "a record",
            ExprKind::Call { .. } => "a call",
            ExprKind::Phrase(_) => "several values",
            ExprKind::Error => "an invalid value",
        }
    }
}

/// The units of quantities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Ms,
    S,
    Min,
    H,
    Percent,
    KiB,
    MiB,
    GiB,
    TiB,
    KB,
    MB,
    GB,
    TB,
    TokPerS,
    ReqPerS,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitKind {
    Duration,
    Percent,
    Size,
    TokenRate,
    RequestRate,
}

impl UnitKind {
    pub fn describe(self) -> &'static str {
        match self {
            UnitKind::Duration => "a duration",
            UnitKind::Percent => "a percentage",
            UnitKind::Size => "a size",
            UnitKind::TokenRate => "a token rate",
            UnitKind::RequestRate => "a request rate",
        }
    }
}

impl Unit {
    /// Every unit, as written; longest spellings first so that lexing is greedy.
    pub const ALL: &'static [(&'static str, Unit)] = &[
        ("tok/s", Unit::TokPerS),
        ("req/s", Unit::ReqPerS),
        ("min", Unit::Min),
        ("KiB", Unit::KiB),
        ("MiB", Unit::MiB),
        ("GiB", Unit::GiB),
        ("TiB", Unit::TiB),
        ("ms", Unit::Ms),
        ("KB", Unit::KB),
        ("MB", Unit::MB),
        ("GB", Unit::GB),
        ("TB", Unit::TB),
        ("s", Unit::S),
        ("h", Unit::H),
        ("%", Unit::Percent),
    ];

    pub fn as_str(self) -> &'static str {
        Unit::ALL
            .iter()
            .find(|(_, u)| *u == self)
            .map(|(s, _)| *s)
            .unwrap_or("?")
    }

    pub fn kind(self) -> UnitKind {
        match self {
            Unit::Ms | Unit::S | Unit::Min | Unit::H => UnitKind::Duration,
            Unit::Percent => UnitKind::Percent,
            Unit::KiB
            | Unit::MiB
            | Unit::GiB
            | Unit::TiB
            | Unit::KB
            | Unit::MB
            | Unit::GB
            | Unit::TB => UnitKind::Size,
            Unit::TokPerS => UnitKind::TokenRate,
            Unit::ReqPerS => UnitKind::RequestRate,
        }
    }

    /// The factor to the base unit: seconds, a ratio, bytes, per second.
    pub fn factor(self) -> f64 {
        match self {
            Unit::Ms => 1e-3,
            Unit::S => 1.0,
            Unit::Min => 60.0,
            Unit::H => 3600.0,
            Unit::Percent => 0.01,
            Unit::KiB => 1024.0,
            Unit::MiB => 1024.0 * 1024.0,
            Unit::GiB => 1024.0 * 1024.0 * 1024.0,
            Unit::TiB => 1024.0 * 1024.0 * 1024.0 * 1024.0,
            Unit::KB => 1e3,
            Unit::MB => 1e6,
            Unit::GB => 1e9,
            Unit::TB => 1e12,
            Unit::TokPerS | Unit::ReqPerS => 1.0,
        }
    }
}

//! The types fields expect, and how a written value is read as one (spec §4.1).

use crate::study::Value;
use tune_syntax::{ExprKind, Unit, UnitKind};

/// The type a field expects.
#[derive(Clone, Copy, Debug)]
pub enum Ty {
    /// An integer in `min..=max`.
    Int {
        min: i64,
        max: i64,
    },
    /// A fraction: a plain number or a percentage, in `(min, max]` or `[min, max]`.
    Ratio {
        min: f64,
        min_inclusive: bool,
        max: f64,
    },
    /// A plain number above `min` (exclusive).
    Positive,
    /// A duration of at least `min` seconds (`min_inclusive`) or above it.
    Duration {
        min: f64,
        min_inclusive: bool,
    },
    Size,
    /// A token rate or a request rate.
    Rate,
    /// A request rate.
    RequestRate,
    Bool,
    Str,
    /// A name among the choices; `what` names the kind of value.
    Enum {
        what: &'static str,
        choices: &'static [&'static str],
    },
    /// `on`/`off` (or `true`/`false`).
    OnOff,
    Precision,
    Traffic,
    /// Any scalar: a flag value in `args`.
    Scalar,
}

impl Ty {
    pub fn describe(&self) -> String {
        match self {
            Ty::Int { min, .. } if *min >= 1 => "a positive integer".into(),
            Ty::Int { .. } => "an integer".into(),
            Ty::Ratio { .. } => "a ratio (a number like 0.9, or a percentage like 90%)".into(),
            Ty::Positive => "a positive number".into(),
            Ty::Duration { .. } => "a duration".into(),
            Ty::Size => "a size".into(),
            Ty::Rate => "a rate (tok/s or req/s)".into(),
            Ty::RequestRate => "a request rate (req/s)".into(),
            Ty::Bool => "a boolean".into(),
            Ty::Str => "a string".into(),
            Ty::Enum { what, .. } => what.to_string(),
            Ty::OnOff => "`on` or `off`".into(),
            Ty::Precision => "a precision pair like `fp8/fp8`".into(),
            Ty::Traffic => "a traffic scenario like `D(100,100)`".into(),
            Ty::Scalar => "a value".into(),
        }
    }

    /// A short name for messages ("expected a duration").
    pub fn short(&self) -> String {
        match self {
            Ty::Ratio { .. } => "a ratio".into(),
            Ty::Rate => "a rate".into(),
            Ty::Enum { what, .. } => what.to_string(),
            other => other.describe(),
        }
    }
}

/// Why a value does not fit a type.
pub enum Mismatch {
    /// E0201: expected one type, found another.
    Type,
    /// E0202: a plain number where a quantity with a unit belongs.
    MissingUnit(&'static str),
    /// E0203: right type, outside the range; the text says which range.
    Range(String),
    /// E0204: a name that is not among the choices.
    Choice,
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Reads a literal as `ty`. Names (`ExprKind::Ident`) must already be resolved
/// through `let`s by the caller; lists, records and calls other than traffic are
/// the caller's business too.
pub fn coerce(kind: &ExprKind, ty: &Ty) -> Result<Value, Mismatch> {
    use ExprKind as E;
    match (ty, kind) {
        (Ty::Int { min, max }, E::Int(i)) => {
            if i < min || i > max {
                let range = if *max == i64::MAX {
                    format!("at least {min}")
                } else {
                    format!("in {min}..={max}")
                };
                Err(Mismatch::Range(format!("must be {range}")))
            } else {
                Ok(Value::Int(*i))
            }
        }
        (
            Ty::Ratio {
                min,
                min_inclusive,
                max,
            },
            E::Int(_)
            | E::Float(_)
            | E::Quantity {
                unit: Unit::Percent,
                ..
            },
        ) => {
            let (r, pct) = match kind {
                E::Int(i) => (*i as f64, false),
                E::Float(f) => (*f, false),
                E::Quantity { value, .. } => (value / 100.0, true),
                _ => unreachable!(),
            };
            let low_ok = if *min_inclusive { r >= *min } else { r > *min };
            if !low_ok || r > *max {
                let open = if *min_inclusive { "[" } else { "(" };
                let text = if pct {
                    format!(
                        "must be in {open}{}%, {}%]",
                        fmt_num(min * 100.0),
                        fmt_num(max * 100.0)
                    )
                } else {
                    format!("must be in {open}{}, {}]", fmt_num(*min), fmt_num(*max))
                };
                Err(Mismatch::Range(text))
            } else {
                Ok(Value::Ratio(r))
            }
        }
        (Ty::Positive, E::Int(_) | E::Float(_)) => {
            let x = match kind {
                E::Int(i) => *i as f64,
                E::Float(f) => *f,
                _ => unreachable!(),
            };
            if x > 0.0 {
                Ok(Value::Float(x))
            } else {
                Err(Mismatch::Range("must be greater than 0".into()))
            }
        }
        (Ty::Duration { .. }, E::Int(_) | E::Float(_)) => Err(Mismatch::MissingUnit("a duration")),
        (Ty::Duration { min, min_inclusive }, E::Quantity { value, unit, .. })
            if unit.kind() == UnitKind::Duration =>
        {
            let s = value * unit.factor();
            let ok = if *min_inclusive { s >= *min } else { s > *min };
            if ok {
                Ok(Value::Duration(s))
            } else if *min_inclusive {
                Err(Mismatch::Range(format!(
                    "must be at least {}s",
                    fmt_num(*min)
                )))
            } else {
                Err(Mismatch::Range("must be longer than 0s".into()))
            }
        }
        (Ty::Size, E::Int(_) | E::Float(_)) => Err(Mismatch::MissingUnit("a size")),
        (Ty::Size, E::Quantity { value, unit, .. }) if unit.kind() == UnitKind::Size => {
            if *value > 0.0 {
                Ok(Value::Size(value * unit.factor()))
            } else {
                Err(Mismatch::Range("must be greater than 0".into()))
            }
        }
        (Ty::Rate | Ty::RequestRate, E::Int(_) | E::Float(_)) => {
            Err(Mismatch::MissingUnit("a rate"))
        }
        (Ty::Rate | Ty::RequestRate, E::Quantity { value, unit, .. })
            if unit.kind() == UnitKind::RequestRate
                || (matches!(ty, Ty::Rate) && unit.kind() == UnitKind::TokenRate) =>
        {
            if *value <= 0.0 {
                Err(Mismatch::Range("must be greater than 0".into()))
            } else if unit.kind() == UnitKind::RequestRate {
                Ok(Value::RequestRate(*value))
            } else {
                Ok(Value::TokenRate(*value))
            }
        }
        (Ty::Bool, E::Bool(b)) => Ok(Value::Bool(*b)),
        (Ty::Str, E::Str(s)) => Ok(Value::Str(s.clone())),
        (Ty::Enum { choices, .. }, E::Ident(name)) => {
            if choices.contains(&name.as_str()) {
                Ok(Value::Enum(name.clone()))
            } else {
                Err(Mismatch::Choice)
            }
        }
        (Ty::OnOff, E::Ident(name)) => match name.as_str() {
            "on" | "off" => Ok(Value::Enum(name.clone())),
            _ => Err(Mismatch::Choice),
        },
        (Ty::OnOff, E::Bool(b)) => Ok(Value::Enum(if *b { "on" } else { "off" }.into())),
        (Ty::Scalar, E::Int(i)) => Ok(Value::Int(*i)),
        (Ty::Scalar, E::Float(f)) => Ok(Value::Float(*f)),
        (Ty::Scalar, E::Bool(b)) => Ok(Value::Bool(*b)),
        (Ty::Scalar, E::Str(s)) => Ok(Value::Str(s.clone())),
        (Ty::Scalar, E::Ident(s)) => Ok(Value::Enum(s.clone())),
        (Ty::Scalar, E::Quantity { value, unit, .. }) => Ok(match unit.kind() {
            UnitKind::Duration => Value::Duration(value * unit.factor()),
            UnitKind::Percent => Value::Ratio(value / 100.0),
            UnitKind::Size => Value::Size(value * unit.factor()),
            UnitKind::TokenRate => Value::TokenRate(*value),
            UnitKind::RequestRate => Value::RequestRate(*value),
        }),
        _ => Err(Mismatch::Type),
    }
}

//! [`Check`]: the rules of a spec that the generated types cannot hold,
//! checked before a request is sent.
//!
//! typify's types already refuse a string breaking its length limits,
//! pattern or enum. What they cannot refuse — `format: email`, `minimum` /
//! `maximum` (and their exclusive forms), an integer `multipleOf`,
//! `minItems` / `maxItems` — `codegen/checks.rs` turns into an `impl Check` per generated
//! struct that has such a rule and a `check` per operation
//! ([`Operation::check`](super::Operation::check)), calling the functions
//! below. Every call of every operation runs its `check` before its first
//! attempt, and refuses with [`Error::Validation`](crate::Error::Validation).

use std::fmt;

/// A value of a generated type checked against the spec's rules that the
/// type itself cannot hold.
///
/// ```
/// use payusers::core::Check;
/// use payusers::payabli::raw::types::UserData;
///
/// let data = UserData { time_zone: Some(15), ..Default::default() };
/// let invalid = data.check().unwrap_err();
/// assert_eq!(invalid.field, "timeZone");
/// assert_eq!(invalid.rule, "must be between -12 and 14, got 15");
/// ```
pub trait Check {
    /// `Err` names the first field (by its JSON name) that breaks a rule.
    fn check(&self) -> Result<(), Invalid>;
}

/// The first rule a value breaks: which field, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The field as named on the wire (`email`, `timeZone`, `per_page`).
    pub field: &'static str,
    /// The rule it breaks, with where inside it when the field holds a
    /// list or an object (`item 2: `orgId` must be at least 0, got -1`).
    pub rule: String,
}

impl Invalid {
    /// A field and the rule it breaks.
    pub fn new(field: &'static str, rule: String) -> Self {
        Invalid { field, rule }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.field, self.rule)
    }
}

impl std::error::Error for Invalid {}

/// A number from the spec or from a value, as the rules compare them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Num {
    /// Any integer the generated types carry.
    Int(i128),
    /// A float (or a bound written with a fraction).
    Float(f64),
}

impl Num {
    /// `self` compared with `other`, exactly, as the JSON Schema validator
    /// compares (an `i64` past 2^53 is not rounded to a float); `None` when
    /// a float is NaN.
    fn cmp(self, other: Num) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
            (Num::Float(a), Num::Float(b)) => a.partial_cmp(&b),
            (Num::Int(a), Num::Float(b)) => int_cmp_float(a, b),
            (Num::Float(a), Num::Int(b)) => int_cmp_float(b, a).map(std::cmp::Ordering::reverse),
        }
    }
}

/// An integer compared with a float, exactly.
fn int_cmp_float(i: i128, f: f64) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    if f.is_nan() {
        return None;
    }
    // Every i128 lies strictly between these two floats (±2^127).
    if f >= 1.7014118346046923e38 {
        return Some(Less);
    }
    if f < -1.7014118346046923e38 {
        return Some(Greater);
    }
    // `floor` of a float in range is an integer an i128 holds exactly.
    let floor = f.floor();
    match i.cmp(&(floor as i128)) {
        Equal if f > floor => Some(Less),
        order => Some(order),
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Num::Int(i) => write!(f, "{i}"),
            Num::Float(x) => write!(f, "{x}"),
        }
    }
}

/// A number type of a generated field.
pub(crate) trait Number {
    /// The value as the rules compare it.
    fn num(&self) -> Num;
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl Number for $t {
            fn num(&self) -> Num {
                Num::Int(i128::try_from(*self).unwrap_or(i128::MAX))
            }
        }
    )*};
}
integers!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

macro_rules! non_zero {
    ($($t:ty),*) => {$(
        impl Number for $t {
            fn num(&self) -> Num {
                self.get().num()
            }
        }
    )*};
}
non_zero!(
    std::num::NonZeroU8,
    std::num::NonZeroU16,
    std::num::NonZeroU32,
    std::num::NonZeroU64,
    std::num::NonZeroUsize,
    std::num::NonZeroI8,
    std::num::NonZeroI16,
    std::num::NonZeroI32,
    std::num::NonZeroI64,
    std::num::NonZeroIsize
);

impl Number for f64 {
    fn num(&self) -> Num {
        Num::Float(*self)
    }
}

impl Number for f32 {
    fn num(&self) -> Num {
        Num::Float(f64::from(*self))
    }
}

/// A spec's numeric bounds on one value (OpenAPI 3.0's boolean
/// `exclusiveMinimum` already folded in by the generator).
#[derive(Debug, Clone, Copy)]
pub(crate) struct NumberRule {
    pub minimum: Option<Num>,
    pub exclusive_minimum: bool,
    pub maximum: Option<Num>,
    pub exclusive_maximum: bool,
    /// Only integer steps are checked here (see `codegen/checks.rs`).
    pub multiple_of: Option<i128>,
}

/// `minimum` / `maximum` (inclusive or exclusive) and `multipleOf`.
pub(crate) fn number(value: &impl Number, rule: &NumberRule) -> Result<(), String> {
    use std::cmp::Ordering::{Greater, Less};
    let v = value.num();
    if let Num::Float(f) = v
        && !f.is_finite()
    {
        return Err(format!("must be a finite number, got {f}"));
    }
    let below = rule.minimum.is_some_and(|min| match v.cmp(min) {
        Some(Less) => true,
        Some(_) => rule.exclusive_minimum && v.cmp(min) != Some(Greater),
        None => true,
    });
    let above = rule.maximum.is_some_and(|max| match v.cmp(max) {
        Some(Greater) => true,
        Some(_) => rule.exclusive_maximum && v.cmp(max) != Some(Less),
        None => true,
    });
    if below || above {
        return Err(match (rule.minimum, rule.maximum) {
            (Some(min), Some(max)) if !rule.exclusive_minimum && !rule.exclusive_maximum => {
                format!("must be between {min} and {max}, got {v}")
            }
            (Some(min), _) if below && rule.exclusive_minimum => {
                format!("must be greater than {min}, got {v}")
            }
            (Some(min), _) if below => format!("must be at least {min}, got {v}"),
            (_, Some(max)) if rule.exclusive_maximum => {
                format!("must be less than {max}, got {v}")
            }
            (_, Some(max)) => format!("must be at most {max}, got {v}"),
            _ => format!("is out of range, got {v}"),
        });
    }
    if let Some(step) = rule.multiple_of.filter(|s| *s > 0) {
        let fits = match v {
            Num::Int(i) => i % step == 0,
            // A float with a fraction is no multiple of an integer; a whole
            // one is checked as the integer it is (exact up to 2^127).
            Num::Float(f) => {
                f.fract() == 0.0 && (f.abs() >= 1.7014118346046923e38 || (f as i128) % step == 0)
            }
        };
        if !fits {
            return Err(format!("must be a multiple of {step}, got {v}"));
        }
    }
    Ok(())
}

/// `format: email`, as the JSON Schema validator reads it.
pub(crate) fn email(value: &str) -> Result<(), String> {
    crate::validate::email(value)
}

/// `minItems` / `maxItems`.
#[allow(dead_code)] // only some specs' generated checks use it (the test specs')
pub(crate) fn items(n: usize, min: Option<usize>, max: Option<usize>) -> Result<(), String> {
    match (min, max) {
        (Some(min), _) if n < min => Err(format!("must have at least {}, got {n}", count(min))),
        (_, Some(max)) if n > max => Err(format!("must have at most {}, got {n}", count(max))),
        _ => Ok(()),
    }
}

#[allow(dead_code)] // only some specs' generated checks use it (the test specs')
fn count(n: usize) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}

/// Checks every item of a list; the rule names the first bad one's index.
#[allow(dead_code)] // only some specs' generated checks use it (the test specs')
pub(crate) fn each<'a, T: 'a>(
    items: impl IntoIterator<Item = &'a T>,
    mut check: impl FnMut(&'a T) -> Result<(), String>,
) -> Result<(), String> {
    for (i, item) in items.into_iter().enumerate() {
        check(item).map_err(|rule| format!("item {i}: {rule}"))?;
    }
    Ok(())
}

/// Checks every value of a map; the rule names the first bad one's key.
#[allow(dead_code)] // only some specs' generated checks use it (the test specs')
pub(crate) fn values<'a, K: fmt::Display + 'a, V: 'a>(
    map: impl IntoIterator<Item = (&'a K, &'a V)>,
    mut check: impl FnMut(&'a V) -> Result<(), String>,
) -> Result<(), String> {
    for (key, value) in map {
        check(value).map_err(|rule| format!("key `{key}`: {rule}"))?;
    }
    Ok(())
}

/// An object inside a field: its own field's name goes into the rule.
#[allow(dead_code)] // only some specs' generated checks use it (the test specs')
pub(crate) fn nested(result: Result<(), Invalid>) -> Result<(), String> {
    result.map_err(|invalid| invalid.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(min: Option<i128>, ex_min: bool, max: Option<i128>, ex_max: bool) -> NumberRule {
        NumberRule {
            minimum: min.map(Num::Int),
            exclusive_minimum: ex_min,
            maximum: max.map(Num::Int),
            exclusive_maximum: ex_max,
            multiple_of: None,
        }
    }

    #[test]
    fn bounds_and_their_messages() {
        let both = rule(Some(-12), false, Some(14), false);
        assert!(number(&-12i32, &both).is_ok());
        assert!(number(&14i32, &both).is_ok());
        assert_eq!(
            number(&15i32, &both).unwrap_err(),
            "must be between -12 and 14, got 15"
        );
        let min = rule(Some(0), false, None, false);
        assert_eq!(
            number(&-1i64, &min).unwrap_err(),
            "must be at least 0, got -1"
        );
        let ex = rule(Some(0), true, Some(10), true);
        assert_eq!(
            number(&0u8, &ex).unwrap_err(),
            "must be greater than 0, got 0"
        );
        assert_eq!(
            number(&10u8, &ex).unwrap_err(),
            "must be less than 10, got 10"
        );
        assert!(number(&5u8, &ex).is_ok());
        let max = rule(None, false, Some(100), false);
        let page = std::num::NonZeroU64::new(101).unwrap();
        assert_eq!(
            number(&page, &max).unwrap_err(),
            "must be at most 100, got 101"
        );
        assert!(number(&u64::MAX, &min).is_ok());
    }

    #[test]
    fn integers_past_2_53_compare_exactly_with_float_bounds() {
        let max = |m: f64, exclusive: bool| NumberRule {
            minimum: None,
            exclusive_minimum: false,
            maximum: Some(Num::Float(m)),
            exclusive_maximum: exclusive,
            multiple_of: None,
        };
        // 2^53 + 1 is not 2^53, though `as f64` makes it so.
        assert!(
            number(
                &9_007_199_254_740_993i64,
                &max(9_007_199_254_740_992.0, false)
            )
            .is_err()
        );
        assert!(
            number(
                &9_007_199_254_740_992i64,
                &max(9_007_199_254_740_992.0, false)
            )
            .is_ok()
        );
        assert!(
            number(
                &9_007_199_254_740_992i64,
                &max(9_007_199_254_740_992.0, true)
            )
            .is_err()
        );
        let min = NumberRule {
            minimum: Some(Num::Float(9_007_199_254_740_992.0)),
            exclusive_minimum: true,
            maximum: None,
            exclusive_maximum: false,
            multiple_of: None,
        };
        assert!(number(&9_007_199_254_740_993i64, &min).is_ok());
        // A float past every i64 against an integer bound.
        let int_max = rule(None, false, Some(i64::MAX.into()), false);
        assert!(number(&9_223_372_036_854_775_808f64, &int_max).is_err());
        assert!(number(&2.5f64, &rule(None, false, Some(2), false)).is_err());
        assert!(number(&-2.5f64, &rule(Some(-2), false, None, false)).is_err());
        assert!(number(&-1.5f64, &rule(Some(-2), false, None, false)).is_ok());
    }

    #[test]
    fn floats_and_steps() {
        let half = NumberRule {
            minimum: Some(Num::Float(0.5)),
            exclusive_minimum: false,
            maximum: None,
            exclusive_maximum: false,
            multiple_of: Some(2),
        };
        assert_eq!(
            number(&0i32, &half).unwrap_err(),
            "must be at least 0.5, got 0"
        );
        assert!(number(&4i32, &half).is_ok());
        assert!(number(&4.0f64, &half).is_ok());
        assert_eq!(
            number(&3i32, &half).unwrap_err(),
            "must be a multiple of 2, got 3"
        );
        assert!(number(&f64::NAN, &half).is_err());
        assert!(number(&f64::INFINITY, &half).is_err());
    }

    #[test]
    fn items_and_nesting() {
        assert_eq!(
            items(0, Some(1), None).unwrap_err(),
            "must have at least 1 item, got 0"
        );
        let list = [1, 2, 3];
        let err = each(&list, |v| if *v == 3 { Err("no".into()) } else { Ok(()) }).unwrap_err();
        assert_eq!(err, "item 2: no");
        let inner = Invalid::new("orgId", "must be at least 0, got -1".into());
        assert_eq!(
            nested(Err(inner)).unwrap_err(),
            "`orgId` must be at least 0, got -1"
        );
    }
}

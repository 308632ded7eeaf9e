//! `x-payusers-echo`: a success answer that names the resource it is
//! about must name the one the call asked for.
//!
//! A read answered with another user's record (a proxy's cache, a server
//! bug, an id the server resolved differently) would otherwise pass for
//! the asked user's. Codegen emits [`Operation::astray`](super::Operation::astray)
//! for each marked operation over the generated types; [`DynamicOp`](super::DynamicOp)
//! checks the same on JSON.

use serde_json::Value;
use std::fmt;

/// An identifier as a path parameter or an answer's field carries it.
#[derive(Debug, Clone, Copy)]
pub enum Id<'a> {
    /// Text: compared ignoring ASCII case (hPay's UUIDs come in either).
    Text(&'a str),
    /// A whole number.
    Int(i64),
}

impl Id<'_> {
    fn same(self, other: Id<'_>) -> bool {
        match (self, other) {
            (Id::Text(a), Id::Text(b)) => a.eq_ignore_ascii_case(b),
            (Id::Int(a), Id::Int(b)) => a == b,
            // A number sent as text (a path segment is text) or read as one.
            (Id::Text(t), Id::Int(n)) | (Id::Int(n), Id::Text(t)) => t.parse() == Ok(n),
        }
    }
}

impl fmt::Display for Id<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // An id is short; an answer's may be anything: shown cut.
            Id::Text(t) if t.chars().count() > MAX_SHOWN => {
                let cut: String = t.chars().take(MAX_SHOWN).collect();
                write!(f, "{cut:?}… ({} characters)", t.chars().count())
            }
            Id::Text(t) => write!(f, "{t:?}"),
            Id::Int(n) => write!(f, "{n}"),
        }
    }
}

/// The most of a text id an error shows.
const MAX_SHOWN: usize = 64;

/// A value that can name a resource: text, an integer, or an optional one.
pub trait EchoId {
    /// The identifier, when there is one.
    fn echo_id(&self) -> Option<Id<'_>>;
}

impl EchoId for String {
    fn echo_id(&self) -> Option<Id<'_>> {
        Some(Id::Text(self))
    }
}

impl EchoId for str {
    fn echo_id(&self) -> Option<Id<'_>> {
        Some(Id::Text(self))
    }
}

macro_rules! int_echo {
    ($($t:ty),*) => {$(
        impl EchoId for $t {
            fn echo_id(&self) -> Option<Id<'_>> {
                i64::try_from(*self).ok().map(Id::Int)
            }
        }
    )*};
}
int_echo!(i64, i32, u32, u64);

impl<T: EchoId> EchoId for Option<T> {
    fn echo_id(&self) -> Option<Id<'_>> {
        self.as_ref()?.echo_id()
    }
}

impl<T: EchoId + ?Sized> EchoId for &T {
    fn echo_id(&self) -> Option<Id<'_>> {
        (**self).echo_id()
    }
}

impl EchoId for Value {
    fn echo_id(&self) -> Option<Id<'_>> {
        match self {
            Value::String(s) => Some(Id::Text(s)),
            Value::Number(n) => n.as_i64().map(Id::Int),
            _ => None,
        }
    }
}

/// Why an answer is not about what `param` asked for (its `field` absent,
/// or another value), or `None` when it is.
pub fn astray(
    param: &str,
    asked: &(impl EchoId + ?Sized),
    field: &str,
    answer: &(impl EchoId + ?Sized),
) -> Option<String> {
    // Nothing asked (an optional parameter left out): nothing to hold to.
    let asked = asked.echo_id()?;
    match answer.echo_id() {
        Some(answered) if asked.same(answered) => None,
        Some(answered) => Some(format!(
            "asked for {param} {asked}, the answer is about {field} {answered}"
        )),
        None => Some(format!(
            "asked for {param} {asked}, the answer carries no `{field}`: not the record asked for"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_must_name_what_was_asked() {
        assert_eq!(astray("user_id", "Ab-1", "id", &"aB-1".to_string()), None);
        assert_eq!(
            astray("user_id", "a", "id", &"b-1".to_string()).unwrap(),
            r#"asked for user_id "a", the answer is about id "b-1""#
        );
        assert_eq!(astray("userId", &7i64, "userId", &Some(7i64)), None);
        assert_eq!(
            astray("userId", &1000000i64, "userId", &Some(7i64)).unwrap(),
            "asked for userId 1000000, the answer is about userId 7"
        );
        assert!(
            astray("userId", &7i64, "userId", &None::<i64>)
                .unwrap()
                .contains("carries no `userId`")
        );
        // JSON, as `payusers api` reads it; a path segment is text.
        assert_eq!(astray("userId", "7", "userId", &serde_json::json!(7)), None);
        assert!(astray("userId", "7", "userId", &serde_json::json!(8)).is_some());
        assert!(astray("userId", "7", "userId", &serde_json::json!({})).is_some());
        assert_eq!(astray("userId", &None::<i64>, "userId", &Some(1i64)), None);
        // A long answer is shown cut.
        let long = "x".repeat(10_000);
        let shown = astray("user_id", "a", "id", &long).unwrap();
        assert!(shown.len() < 200, "{shown}");
        assert!(shown.ends_with("… (10000 characters)"), "{shown}");
    }
}

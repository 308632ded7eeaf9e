//! `format: email` as the JSON Schema validator reads it, and how messages
//! name a JSON value's type.
//!
//! The generated checks (`crate::core::check`) call [`email`] for every
//! `format: email` of every spec; `tests/facade_props.rs` property-tests it
//! against the JSON Schema validator the mock uses.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// A JSON value's type as messages name it (`a string`, `an object`, …),
/// never its contents.
pub(crate) fn json_kind(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Checks `format: email` as the JSON Schema validator does: an RFC 5322
/// address (`email_address`, the parser that validator uses) with an ASCII
/// local part, at a host name (letters, digits, inner hyphens, labels of
/// at most 63 characters, 253 in all, no trailing dot) or an address
/// literal (`[192.0.2.1]`, `[IPv6:…]`). Labels in IDNA form (`xn--…`) are
/// passed to the server, which decides (we do not decode Punycode).
pub(crate) fn email(value: &str) -> Result<(), String> {
    if plain_email(value) {
        return Ok(());
    }
    let rule = || "must be an email address like name@example.com".to_string();
    // An empty quoted local part is allowed by RFC 5321.
    let candidate = match value.strip_prefix("\"\"@") {
        Some(domain) => format!("\"a\"@{domain}"),
        None => value.to_string(),
    };
    let parsed = email_address::EmailAddress::from_str(&candidate).map_err(|_| rule())?;
    if !parsed.local_part().is_ascii() {
        return Err(rule());
    }
    let domain = parsed.domain();
    let ok = match domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        Some(literal) => match literal.get(..5) {
            Some(tag) if tag.eq_ignore_ascii_case("IPv6:") => {
                literal[5..].parse::<Ipv6Addr>().is_ok()
            }
            _ => literal.parse::<Ipv4Addr>().is_ok(),
        },
        None => hostname(domain),
    };
    if ok { Ok(()) } else { Err(rule()) }
}

/// RFC 5322 `atext`: the characters of a dot-atom's atoms, as a table.
const ATEXT: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let specials = b"!#$%&'*+-/=?^_`{|}~";
    let mut i = 0;
    while i < specials.len() {
        table[specials[i] as usize] = true;
        i += 1;
    }
    table
};

/// The everyday address — an ASCII dot-atom local part at a host name —
/// checked without the general parser (it is most of a request's
/// validation cost). Everything this accepts, the full check accepts too
/// (`tests` below compare the two); anything else takes the full check.
fn plain_email(value: &str) -> bool {
    let bytes = value.as_bytes();
    let Some(at) = bytes.iter().position(|&b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&bytes[..at], &bytes[at + 1..]);
    let atext = |b: u8| ATEXT[b as usize];
    // A dot-atom: atoms of atext joined by single dots.
    let mut previous = b'.';
    for &b in local {
        if !(atext(b) || (b == b'.' && previous != b'.')) {
            return false;
        }
        previous = b;
    }
    if local.is_empty() || local.len() > 64 || previous == b'.' || domain.len() > 253 {
        return false;
    }
    // Labels of letters, digits and inner hyphens, 1 to 63 long; `??--`
    // (reserved for IDNA) goes to the full check.
    let mut label = 0usize;
    let mut previous = b'.';
    for (i, &b) in domain.iter().enumerate() {
        match b {
            b'.' if label > 0 && previous != b'-' => label = 0,
            b'-' if label > 0 => {
                if label == 2 && domain.get(i + 1) == Some(&b'-') {
                    return false;
                }
                label += 1;
            }
            b if b.is_ascii_alphanumeric() => label += 1,
            _ => return false,
        }
        if label > 63 {
            return false;
        }
        previous = b;
    }
    label > 0 && previous != b'-'
}

/// An RFC 1034 host name, as `format: hostname` reads it.
fn hostname(name: &str) -> bool {
    let label = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            // RFC 5891: `??--` is reserved for A-labels (`xn--`).
            && (l.len() < 4 || &l.as_bytes()[2..4] != b"--" || l[..4].eq_ignore_ascii_case("xn--"))
    };
    !name.is_empty() && name.len() <= 253 && !name.ends_with('.') && name.split('.').all(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in [
            "a@b.co",
            "john.new@example.com",
            "x+tag@sub.example.org",
            "a@b",
            "\"quoted local\"@example.com",
            "a@[127.0.0.1]",
            "a@[IPv6:::1]",
        ] {
            assert!(email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a b@c.com",
            "a@b..com",
            "a@.b.com",
            "a@b.com.",
            "a@@b.com",
            "a@-b.com",
            "ü@example.com",
            "a@ab--c.com",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    /// The fast path never accepts what the full parser would refuse.
    #[test]
    fn plain_emails_agree_with_the_parser() {
        let locals = [
            "a", "a.b", "x+tag", "o'neil", "a..b", ".a", "a.", "{}|~", "\"q\"", "a b", "é",
        ];
        let domains = [
            "b",
            "example.com",
            "ab--c.com",
            "a-b.c-d.e",
            "xn--bcher-kva.example",
            "-a.com",
            "a-.com",
            "a.com.",
            ".a.com",
            "a..com",
            "[1.2.3.4]",
            "a_b.com",
            "a@b.com",
            "",
        ];
        let (long_local, long_label) = ("l".repeat(65), format!("{}.com", "d".repeat(64)));
        let long_domain = format!("{}.com", vec!["d".repeat(60); 5].join("."));
        for local in locals.iter().copied().chain([long_local.as_str()]) {
            for domain in domains
                .iter()
                .copied()
                .chain([long_label.as_str(), long_domain.as_str()])
            {
                let value = format!("{local}@{domain}");
                // Same answer as the full check, which is what users see.
                let full = {
                    let parsed = email_address::EmailAddress::from_str(&value);
                    parsed.is_ok_and(|p| p.local_part().is_ascii() && hostname(p.domain()))
                };
                if plain_email(&value) {
                    assert!(full, "fast path accepts {value:?}, full check refuses");
                }
            }
        }
        assert!(plain_email("john.new@example.com"));
        assert!(!plain_email("a@b@c.com"));
    }
}

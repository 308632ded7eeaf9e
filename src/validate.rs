//! Local checks the specs cannot express through the generated types.
//!
//! Length limits, the hPay phone pattern, non-empty names and the enums come
//! from the specs via the generated types' `TryFrom` impls; what is left here
//! is `format: email` (which the generator does not enforce) and numeric
//! ranges (`minimum`/`maximum`, likewise).

/// Checks an email address: an RFC 5322 dot-atom local part (at most 64
/// characters, RFC 5321) `@` a host name of dot-separated labels (letters,
/// digits, inner hyphens; at most 63 characters each, 253 in all). This is
/// a subset of what the specs' `format: email` accepts, so nothing that
/// passes here is refused by a schema check downstream (property-tested in
/// `tests/facade_props.rs`). Returns the rule broken.
pub(crate) fn email(value: &str) -> Result<(), String> {
    let rule = || "must be an email address like name@example.com".to_string();
    let (local, domain) = value.rsplit_once('@').ok_or_else(rule)?;
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(atext));
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let domain_ok = domain.len() <= 253 && domain.contains('.') && domain.split('.').all(label_ok);
    if local_ok && domain_ok {
        Ok(())
    } else {
        Err(rule())
    }
}

/// Checks a value used as one URL path segment (a user id): not empty, not
/// `.` or `..` (which a URL parser would resolve to another endpoint), no
/// control characters.
pub(crate) fn path_segment(value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        return Err("must not be empty".into());
    }
    if value == "." || value == ".." {
        return Err("must not be `.` or `..`".into());
    }
    if value.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    Ok(())
}

/// Checks that `value` lies in `min..=max`.
pub(crate) fn range(value: i64, min: i64, max: i64) -> Result<(), String> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(format!("must be between {min} and {max}, got {value}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in ["a@b.co", "john.new@example.com", "x+tag@sub.example.org"] {
            assert!(email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@b",
            "a b@c.com",
            "a@b..com",
            "a@.b.com",
            "a@b.com.",
            "a@@b.com",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn email_length_limits() {
        assert!(email(&format!("{}@example.com", "a".repeat(64))).is_ok());
        assert!(email(&format!("{}@example.com", "a".repeat(65))).is_err());
        assert!(email(&format!("a@{}.com", "b".repeat(64))).is_err());
    }

    #[test]
    fn path_segments() {
        assert!(path_segment("user_abc123").is_ok());
        for bad in ["", " ", ".", "..", "a\nb"] {
            assert!(path_segment(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn ranges() {
        assert!(range(-12, -12, 14).is_ok());
        assert!(range(14, -12, 14).is_ok());
        assert_eq!(
            range(15, -12, 14).unwrap_err(),
            "must be between -12 and 14, got 15"
        );
    }
}

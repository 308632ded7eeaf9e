//! Local checks the specs cannot express through the generated types.
//!
//! Length limits, the hPay phone pattern, non-empty names and the enums come
//! from the specs via the generated types' `TryFrom` impls; what is left here
//! is `format: email` (which the generator does not enforce) and numeric
//! ranges (`minimum`/`maximum`, likewise).

/// Checks the shape of an email address: one `@`, a non-empty local part, a
/// dotted domain, no spaces or control characters. Returns the rule broken.
pub(crate) fn email(value: &str) -> Result<(), String> {
    let rule = "must be an email address like name@example.com";
    let Some((local, domain)) = value.split_once('@') else {
        return Err(rule.into());
    };
    let bad_char = |c: char| c.is_whitespace() || c.is_control() || c == '@';
    let domain_ok = !domain.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !domain.chars().any(|c| bad_char(c) || c == ',' || c == ';');
    if local.is_empty() || local.chars().any(bad_char) || !domain_ok {
        return Err(rule.into());
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
    fn ranges() {
        assert!(range(-12, -12, 14).is_ok());
        assert!(range(14, -12, 14).is_ok());
        assert_eq!(
            range(15, -12, 14).unwrap_err(),
            "must be between -12 and 14, got 15"
        );
    }
}

//! How a raw `Authorization` value relates to a minted token.

/// The token as the verifier reads it: surrounding whitespace and a `Bearer ` prefix (any case)
/// removed. Used for the exact-match checks.
pub fn presented(value: &str) -> &str {
    let value = value.trim();
    match value.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => value[7..].trim_start(),
        _ => value,
    }
}

/// Whether `value` is `token` with nothing but whitespace and a `Bearer` word around it: a
/// deliberately looser test than [`presented`], for the "never accept anything else" check.
pub fn carries(value: &str, token: &str) -> bool {
    let token = presented(token);
    value.trim_end().strip_suffix(token).is_some_and(|before| {
        let before = before.trim();
        before.is_empty() || before.eq_ignore_ascii_case("bearer")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presented_strips_whitespace_and_any_case_bearer() {
        let cases = [
            ("  Bearer   a.b.c \n", "a.b.c"),
            ("bEARER a.b.c", "a.b.c"),
            ("Bearer\ta.b.c", "Bearer\ta.b.c"),
            ("a.b.c", "a.b.c"),
        ];
        for (value, token) in cases {
            assert_eq!(presented(value), token, "{value:?}");
        }
    }

    #[test]
    fn carries_allows_only_whitespace_and_bearer_around_the_token() {
        let cases = [
            ("a.b.c", "a.b.c", true),
            (" BEARER\ta.b.c ", "a.b.c", true),
            ("a.b.c", "Bearer a.b.c", true),
            ("Basic a.b.c", "a.b.c", false),
            ("a.b.cd", "a.b.c", false),
            ("xa.b.c", "a.b.c", false),
        ];
        for (value, token, expected) in cases {
            assert_eq!(
                carries(value, token),
                expected,
                "{value:?} carries {token:?}"
            );
        }
    }
}

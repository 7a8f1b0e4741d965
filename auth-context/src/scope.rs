//! OAuth 2.0 scope syntax (RFC 6749 section 3.3): `scope = scope-token *( SP scope-token )`,
//! `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
//!
//! Only the space (U+0020) separates tokens: a tab, a no-break space or a vertical tab is not a
//! separator and not a token character, so a `scope` holding one is refused rather than split
//! differently by different readers.

/// Why a `scope` value does not follow RFC 6749's syntax.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    /// Two spaces in a row, or a leading or trailing space.
    #[error("empty scope token (spaces must separate single tokens)")]
    EmptyToken,
    /// A character outside `%x21 / %x23-5B / %x5D-7E` (controls, `"`, `\`, non-ASCII, other spaces).
    #[error("character {0:?} is not allowed in a scope")]
    BadCharacter(char),
}

/// Whether `c` may appear in a scope token.
#[must_use]
pub fn is_token_char(c: char) -> bool {
    matches!(c, '\x21' | '\x23'..='\x5B' | '\x5D'..='\x7E')
}

/// Splits a `scope` value into its tokens. The empty string holds no scope.
///
/// # Errors
/// [`ScopeError`] when the value is not a space-separated list of valid tokens.
pub fn parse(scope: &str) -> Result<Vec<&str>, ScopeError> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    scope.split(' ').map(token).collect()
}

/// Checks one scope token (no spaces).
///
/// # Errors
/// [`ScopeError`] when `t` is empty or holds a character outside the token set.
pub fn token(t: &str) -> Result<&str, ScopeError> {
    if t.is_empty() {
        return Err(ScopeError::EmptyToken);
    }
    match t.chars().find(|c| !is_token_char(*c)) {
        Some(bad) => Err(ScopeError::BadCharacter(bad)),
        None => Ok(t),
    }
}

/// Joins tokens as a `scope` value (one space between them).
#[must_use]
pub fn join<S: AsRef<str>>(tokens: &[S]) -> String {
    tokens
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_single_spaces_only() {
        assert_eq!(
            parse("echo-api/read echo-api/write").unwrap(),
            ["echo-api/read", "echo-api/write"]
        );
        assert_eq!(parse("").unwrap(), Vec::<&str>::new());
        assert_eq!(parse("openid").unwrap(), ["openid"]);
    }

    #[test]
    fn other_whitespace_and_bad_characters_are_refused() {
        for (scope, error) in [
            ("a  b", ScopeError::EmptyToken),
            (" a", ScopeError::EmptyToken),
            ("a ", ScopeError::EmptyToken),
            ("a\u{a0}b", ScopeError::BadCharacter('\u{a0}')),
            ("a\u{b}b", ScopeError::BadCharacter('\u{b}')),
            ("a\tb", ScopeError::BadCharacter('\t')),
            ("a\"b", ScopeError::BadCharacter('"')),
            ("a\\b", ScopeError::BadCharacter('\\')),
            ("é", ScopeError::BadCharacter('é')),
        ] {
            assert_eq!(parse(scope), Err(error), "{scope:?}");
        }
    }

    #[test]
    fn join_is_the_inverse_of_parse() {
        let tokens = ["a/b", "c!#$%&'()*+,-./:;<=>?@[]^_`{|}~"];
        assert_eq!(parse(&join(&tokens)).unwrap(), tokens);
    }
}

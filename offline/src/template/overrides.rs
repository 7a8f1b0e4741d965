//! SAM's `parameter_overrides` syntax: `Name=Value Name2="value with spaces"`, as samconfig.toml
//! and `--parameter-overrides` write it.

use std::collections::BTreeMap;

/// Why a `parameter_overrides` text does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    #[error("unclosed quote in `{0}`")]
    UnclosedQuote(String),
    #[error("`{0}` is not Name=Value")]
    NotNameValue(String),
}

/// Parses `Name=Value ...` (quotes group, `\` escapes, `ParameterKey=` prefix accepted).
pub(crate) fn parse_overrides(text: &str) -> Result<BTreeMap<String, String>, OverrideError> {
    let mut out = BTreeMap::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut token = String::new();
        let mut quote = None;
        while let Some(c) = chars.next() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, c) if c.is_whitespace() => break,
                (_, '\\') => token.extend(chars.next()),
                (_, c) => token.push(c),
            }
        }
        if quote.is_some() {
            return Err(OverrideError::UnclosedQuote(text.to_owned()));
        }
        let (name, value) = token
            .split_once('=')
            .ok_or_else(|| OverrideError::NotNameValue(token.clone()))?;
        let name = name.strip_prefix("ParameterKey=").unwrap_or(name);
        out.insert(name.to_owned(), value.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_parse_like_sam() {
        let o = parse_overrides(r#"CognitoDomainPrefix="change-me" Name='Echo API' N=5"#).unwrap();
        assert_eq!(o["CognitoDomainPrefix"], "change-me");
        assert_eq!(o["Name"], "Echo API");
        assert_eq!(o["N"], "5");
        assert!(parse_overrides("A=\"open").is_err());
        assert!(parse_overrides("novalue").is_err());
        assert!(parse_overrides("  ").unwrap().is_empty());
    }
}

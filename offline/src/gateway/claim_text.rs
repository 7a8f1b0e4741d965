//! A token's claims as API Gateway's own authorizers hand them to the integration: every value a
//! string. AWS documents that claims are passed (`$context.authorizer.claims.*` for REST,
//! `requestContext.authorizer.jwt.claims` for HTTP APIs) but not how a value that is not a
//! string is written; the forms here are those users report from deployed APIs:
//!
//! - REST `COGNITO_USER_POOLS`: `exp` and `iat` as a date (`Wed Apr 09 12:34:56 UTC 2025`), other
//!   numbers and booleans written out (`"auth_time": "1744202000"`, `"email_verified": "true"`),
//!   lists joined with commas (`admins,readers`);
//! - HTTP API JWT: numbers and booleans written out (`"exp": "1744205696"`), lists in brackets
//!   (`[admins readers]`).
//!
//! Objects (which Cognito never issues) are written as compact JSON, nulls as `null`: nothing is
//! reported for them.

use auth_context::claim_lists;
use serde_json::{Map, Value};

use crate::calendar::Utc;

/// Claims written as a REST API `COGNITO_USER_POOLS` authorizer writes them.
pub(crate) fn rest_claims(claims: &Map<String, Value>) -> Map<String, Value> {
    let text = |name: &str, value: &Value| match value {
        Value::Number(n) if matches!(name, "exp" | "iat" | "nbf") => n.as_u64().map(date),
        Value::Array(items) => Some(claim_lists::rest_join(&items_text(items))),
        _ => None,
    };
    written(claims, text)
}

/// Claims written as an HTTP API JWT authorizer writes them.
pub(crate) fn http_claims(claims: &Map<String, Value>) -> Map<String, Value> {
    let text = |_: &str, value: &Value| match value {
        Value::Array(items) => Some(claim_lists::http_join(&items_text(items))),
        _ => None,
    };
    written(claims, text)
}

/// Every claim as a string: `special`'s text for it, else its plain text.
fn written(
    claims: &Map<String, Value>,
    special: impl Fn(&str, &Value) -> Option<String>,
) -> Map<String, Value> {
    claims
        .iter()
        .map(|(name, value)| {
            let text = special(name, value).unwrap_or_else(|| plain(value));
            (name.clone(), Value::String(text))
        })
        .collect()
}

/// A string as it is; anything else as compact JSON (`1700000000`, `true`, `{"a":1}`).
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn items_text(items: &[Value]) -> Vec<String> {
    items.iter().map(plain).collect()
}

/// `Wed Apr 09 12:34:56 UTC 2025`.
fn date(unix: u64) -> String {
    Utc::from_unix(unix).weekday_date(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims() -> Map<String, Value> {
        let value = json!({"sub": "s", "exp": 1744205696, "iat": 1744202096,
            "auth_time": 1744202000, "email_verified": true,
            "cognito:groups": ["readers", "admins"], "version": 2, "address": {"a": 1}});
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn rest_claims_are_strings_with_dates_and_comma_lists() {
        assert_eq!(
            Value::Object(rest_claims(&claims())),
            json!({"sub": "s", "exp": "Wed Apr 09 13:34:56 UTC 2025",
                "iat": "Wed Apr 09 12:34:56 UTC 2025", "auth_time": "1744202000",
                "email_verified": "true", "cognito:groups": "readers,admins", "version": "2",
                "address": "{\"a\":1}"})
        );
    }

    #[test]
    fn http_claims_are_strings_with_bracketed_lists() {
        assert_eq!(
            Value::Object(http_claims(&claims())),
            json!({"sub": "s", "exp": "1744205696", "iat": "1744202096",
                "auth_time": "1744202000", "email_verified": "true",
                "cognito:groups": "[readers admins]", "version": "2", "address": "{\"a\":1}"})
        );
    }
}

//! The `claims` context value: the token's claims that the route rules name (`claims`,
//! `pathClaims`: a tenant id, a tier), as one JSON object of claim name to its value, a string
//! or an array of strings (`{"custom:tenant_id":"acme"}`). Absent when the rules name none.
//!
//! One JSON object, so that any claim name (`custom:tenant_id` holds a colon) and any value
//! round-trip, and the backend reads exactly the values the authorizer decided on.

use std::collections::BTreeMap;

/// A claim's value as the context carries it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// A string claim.
    Text(String),
    /// An array of strings.
    List(Vec<String>),
}

/// Why a `claims` context value cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`claims` is not a JSON object of strings and arrays of strings")]
pub struct ClaimsError;

/// Encodes claims for the context.
#[must_use]
pub fn encode(claims: &BTreeMap<String, Value>) -> String {
    // Serializing a map of strings cannot fail.
    serde_json::to_string(claims).unwrap_or_else(|_| "{}".to_owned())
}

/// Decodes a `claims` context value. An empty string (no value) means no claim.
///
/// # Errors
/// [`ClaimsError`] when the value is not a JSON object of strings and arrays of strings.
pub fn decode(value: &str) -> Result<BTreeMap<String, Value>, ClaimsError> {
    if value.is_empty() {
        return Ok(BTreeMap::new());
    }
    serde_json::from_str(value).map_err(|_| ClaimsError)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values_round_trip() {
        let claims = BTreeMap::from([
            (
                "custom:tenant_id".to_owned(),
                Value::Text("acme".to_owned()),
            ),
            (
                "custom:roles".to_owned(),
                Value::List(vec!["a,b".to_owned(), "\"c\"".to_owned()]),
            ),
        ]);
        assert_eq!(decode(&encode(&claims)), Ok(claims));
        assert_eq!(decode(""), Ok(BTreeMap::new()));
        for bad in ["[]", "{\"a\": 1}", "{\"a\": [1]}", "x"] {
            assert_eq!(decode(bad), Err(ClaimsError), "{bad}");
        }
    }
}

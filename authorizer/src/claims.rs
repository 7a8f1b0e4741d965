//! Claims a route's rules name, beyond scopes and groups: their values as a verified token holds
//! them, and which of them can stand in a path.

use serde_json::Value;

use crate::segment::is_segment;

/// A claim's value, as far as rules go: a string, an array of strings, or anything else (which
/// no rule matches).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClaimValue {
    /// A string (`"custom:tenant_id": "acme"`).
    Text(String),
    /// An array of strings (`"custom:roles": ["a", "b"]`).
    List(Vec<String>),
    /// A number, a boolean, an object, `null`, or an array holding anything but strings.
    Other,
}

impl ClaimValue {
    /// The value of a claim as the token's JSON holds it.
    pub fn from_json(value: &Value) -> Self {
        match value {
            Value::String(s) => ClaimValue::Text(s.clone()),
            Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map_or(ClaimValue::Other, ClaimValue::List),
            _ => ClaimValue::Other,
        }
    }

    /// Whether the claim holds one of `values`: a string equal to one, or an array with one of
    /// them (exact, case-sensitive, as for groups).
    pub fn holds_any(&self, values: &[String]) -> bool {
        match self {
            ClaimValue::Text(s) => values.contains(s),
            ClaimValue::List(items) => items.iter().any(|i| values.contains(i)),
            ClaimValue::Other => false,
        }
    }

    /// The value as one path segment, when it is a string that is one: the characters a literal
    /// route segment may hold (RFC 3986's `pchar` without `%`, IAM's `*` and `?`, and `/`), not
    /// empty, not `.` or `..`. Anything else could widen a policy resource or reach another path.
    pub fn as_segment(&self) -> Option<&str> {
        match self {
            ClaimValue::Text(s) if is_segment(s) => Some(s),
            _ => None,
        }
    }
}

/// Claims that have their own keys in a rule (`anyScopes`, `anyGroups`): naming them under
/// `claims` or `pathClaims` would read them another way.
pub(crate) const RESERVED: &[&str] = &["scope", "cognito:groups"];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_and_arrays_of_strings_match_exactly() {
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(ClaimValue::from_json(&json!("gold")).holds_any(&list(&["gold", "platinum"])));
        assert!(!ClaimValue::from_json(&json!("Gold")).holds_any(&list(&["gold"])));
        assert!(ClaimValue::from_json(&json!(["x", "gold"])).holds_any(&list(&["gold"])));
        for other in [
            json!(5),
            json!(true),
            json!(null),
            json!({"a": "gold"}),
            json!(["gold", 1]),
        ] {
            assert_eq!(ClaimValue::from_json(&other), ClaimValue::Other, "{other}");
            assert!(!ClaimValue::from_json(&other).holds_any(&list(&["gold"])));
        }
    }

    #[test]
    fn a_text_that_is_a_segment_stands_in_a_path_and_nothing_else_does() {
        // What a segment is: `segment`'s tests.
        assert_eq!(ClaimValue::Text("acme".into()).as_segment(), Some("acme"));
        assert_eq!(ClaimValue::Text("a/b".into()).as_segment(), None);
        assert_eq!(ClaimValue::List(vec!["acme".into()]).as_segment(), None);
        assert_eq!(ClaimValue::Other.as_segment(), None);
    }
}

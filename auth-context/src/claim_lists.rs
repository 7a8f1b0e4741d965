//! How API Gateway's own authorizers hand a list claim (`cognito:groups`, a list `aud`) to the
//! backend. They pass every claim as a string, and AWS documents neither list form; these are
//! the forms users report from deployed APIs, which the offline stack writes and the echo reads:
//!
//! - a REST API `COGNITO_USER_POOLS` authorizer joins the items with commas: `admins,readers`
//!   (one item: `admins`);
//! - an HTTP API JWT authorizer writes them in brackets, separated by spaces: `[admins readers]`.
//!
//! Neither form round-trips every name: a REST group name holding a comma, or an HTTP API group
//! name holding a space, reads back as two groups. The Lambda authorizer's `groups` context
//! value (see [`crate::groups`]) has no such loss.

/// A REST API `COGNITO_USER_POOLS` authorizer's form of a list: `a,b`.
#[must_use]
pub fn rest_join<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(",")
}

/// The items of a REST API `COGNITO_USER_POOLS` authorizer's list claim; the empty string holds
/// none.
#[must_use]
pub fn rest_split(value: &str) -> Vec<String> {
    value
        .split(',')
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An HTTP API JWT authorizer's form of a list: `[a b]`.
#[must_use]
pub fn http_join<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    format!("[{}]", items.join(" "))
}

/// The items of an HTTP API JWT authorizer's list claim: `[a b]`; a value without the brackets
/// is one item.
#[must_use]
pub fn http_split(value: &str) -> Vec<String> {
    let inner = value
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .unwrap_or(value);
    inner
        .split(' ')
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_form_reads_back_what_it_writes() {
        let groups = ["admins", "readers"];
        assert_eq!(rest_join(&groups), "admins,readers");
        assert_eq!(rest_split(&rest_join(&groups)), groups);
        assert_eq!(http_join(&groups), "[admins readers]");
        assert_eq!(http_split(&http_join(&groups)), groups);
        assert_eq!(rest_split("admins"), ["admins"]);
        assert_eq!(http_split("[admins]"), ["admins"]);
        assert_eq!(http_split("admins"), ["admins"]);
        assert!(rest_split("").is_empty() && http_split("[]").is_empty());
    }

    #[test]
    fn names_holding_the_separator_do_not_round_trip() {
        assert_eq!(rest_split(&rest_join(&["a,b"])), ["a", "b"]);
        assert_eq!(http_split(&http_join(&["a b"])), ["a", "b"]);
    }
}

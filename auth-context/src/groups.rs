//! The `groups` context value: `cognito:groups` as a JSON array of strings (`["admins","a,b"]`;
//! `[]` when the token has no group).
//!
//! Cognito group names may hold commas, quotes and spaces, so a comma-joined list would not
//! round-trip: a user in group `a,admins` would read back as being in `admins`.

/// Why a `groups` context value cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`groups` is not a JSON array of strings")]
pub struct GroupsError;

/// Encodes group names for the context.
#[must_use]
pub fn encode<S: AsRef<str>>(groups: &[S]) -> String {
    let names: Vec<&str> = groups.iter().map(AsRef::as_ref).collect();
    // Serializing a slice of strings cannot fail.
    serde_json::to_string(&names).unwrap_or_else(|_| "[]".to_owned())
}

/// Decodes a `groups` context value. An empty string (no value) means no group.
///
/// # Errors
/// [`GroupsError`] when the value is not a JSON array of strings.
pub fn decode(value: &str) -> Result<Vec<String>, GroupsError> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    serde_json::from_str(value).map_err(|_| GroupsError)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_name_round_trips() {
        let names = [
            "admins",
            "a,admins",
            "with \"quotes\"",
            "back\\slash",
            "é ü",
            "[]",
            "",
        ];
        let encoded = encode(&names);
        assert_eq!(decode(&encoded).unwrap(), names);
        assert_eq!(encode::<&str>(&[]), "[]");
        assert_eq!(decode("[]").unwrap(), Vec::<String>::new());
        assert_eq!(decode("").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn a_comma_list_is_not_a_groups_value() {
        for bad in ["admins,readers", "[1]", "{\"a\":1}", "[\"a\"", "null"] {
            assert_eq!(decode(bad), Err(GroupsError), "{bad}");
        }
    }
}

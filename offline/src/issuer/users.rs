//! Users as Cognito shows them: the standard attributes a pool without a custom schema has, user
//! names, lookup by name or alias (honouring case sensitivity), the `UserType` JSON of the admin
//! API, and `ListUsers` filters.

use serde_json::{Value, json};

use super::cognito_error::CognitoError;
use crate::state::{People, StoredUser};
use crate::template::UserPoolSettings;

/// The standard attributes of a user pool (besides `sub`, which Cognito sets).
pub(crate) const STANDARD_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
];

/// Longest user name and attribute value Cognito accepts.
pub(crate) const MAX_USERNAME: usize = 128;
pub(crate) const MAX_ATTRIBUTE_VALUE: usize = 2048;

/// `Username` as Cognito accepts it: 1 to 128 characters, no white space or control character.
pub(crate) fn check_username(username: &str) -> Result<(), CognitoError> {
    let length = username.chars().count();
    if length == 0
        || length > MAX_USERNAME
        || username
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(CognitoError::InvalidParameter(format!(
            "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length between 1 and {MAX_USERNAME} and match pattern [\\p{{L}}\\p{{M}}\\p{{S}}\\p{{N}}\\p{{P}}]+"
        )));
    }
    Ok(())
}

/// `UserAttributes` (`[{Name, Value}]`) checked against the standard schema: `sub` and unknown
/// names are refused, as Cognito refuses them.
pub(crate) fn read_attributes(list: &[Attribute]) -> Result<Vec<(String, String)>, CognitoError> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(list.len());
    for attribute in list {
        let name = attribute.name.as_str();
        if name == "sub" {
            return Err(CognitoError::InvalidParameter(
                "Cannot modify the non-mutable attribute sub".to_owned(),
            ));
        }
        if !STANDARD_ATTRIBUTES.contains(&name) {
            return Err(CognitoError::InvalidParameter(format!(
                "Attributes did not conform to the schema: {name}: Attribute does not exist in the schema.\n"
            )));
        }
        let value = attribute.value.clone().unwrap_or_default();
        if value.chars().count() > MAX_ATTRIBUTE_VALUE {
            return Err(CognitoError::InvalidParameter(format!(
                "Attributes did not conform to the schema: {name}: String must be no longer than {MAX_ATTRIBUTE_VALUE} characters"
            )));
        }
        out.retain(|(n, _)| n != name);
        out.push((name.to_owned(), value));
    }
    Ok(out)
}

/// One `{Name, Value}` of a request.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Attribute {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) value: Option<String>,
}

/// The key a user name is compared by: itself, or lower-cased in a case-insensitive pool.
pub(crate) fn name_key(settings: &UserPoolSettings, name: &str) -> String {
    if settings.username_case_sensitive {
        name.to_owned()
    } else {
        name.to_lowercase()
    }
}

/// The user signing in as `name`: by user name, else by an attribute the pool lets people sign
/// in with (`UsernameAttributes`, or a verified `AliasAttributes` value).
pub(crate) fn find<'a>(
    people: &'a People,
    settings: &UserPoolSettings,
    name: &str,
) -> Option<&'a StoredUser> {
    let key = name_key(settings, name);
    let by_name = people
        .users
        .values()
        .find(|u| name_key(settings, &u.username) == key);
    by_name.or_else(|| {
        people.users.values().find(|user| {
            let aliases = settings
                .username_attributes
                .iter()
                .map(|a| (a, false))
                .chain(settings.alias_attributes.iter().map(|a| (a, true)));
            aliases.into_iter().any(|(attribute, must_be_verified)| {
                alias_matches(user, attribute, must_be_verified, name)
            })
        })
    })
}

fn alias_matches(user: &StoredUser, attribute: &str, must_be_verified: bool, name: &str) -> bool {
    let Some(value) = user.attributes.get(attribute) else {
        return false;
    };
    let verified = match attribute {
        "email" | "phone_number" => user
            .attributes
            .get(&format!("{attribute}_verified"))
            .is_some_and(|v| v == "true"),
        _ => true,
    };
    (!must_be_verified || verified) && value.eq_ignore_ascii_case(name)
}

/// `[{Name, Value}]` with `sub` first, then the others by name.
pub(crate) fn attributes_json(user: &StoredUser) -> Value {
    let mut list = vec![json!({"Name": "sub", "Value": user.sub})];
    list.extend(
        user.attributes
            .iter()
            .map(|(name, value)| json!({"Name": name, "Value": value})),
    );
    Value::Array(list)
}

/// `UserType` of `AdminCreateUser` and `ListUsers` (`Attributes`), or `AdminGetUser`'s fields
/// (`UserAttributes`), per `attributes_key`.
pub(crate) fn user_json(user: &StoredUser, attributes_key: &str) -> Value {
    json!({
        "Username": user.username,
        attributes_key: attributes_json(user),
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": user.enabled,
        "UserStatus": user.status.as_str(),
    })
}

/// A `ListUsers` filter: `attribute = "value"` or `attribute ^= "value"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Filter {
    attribute: String,
    prefix: bool,
    value: String,
}

/// Attributes `ListUsers` can filter on.
const FILTERABLE: &[&str] = &[
    "username",
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "cognito:user_status",
    "status",
    "sub",
];

impl Filter {
    /// Parses a filter; an empty one matches everyone.
    pub(crate) fn parse(text: &str) -> Result<Option<Self>, CognitoError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let bad = || CognitoError::InvalidParameter("Error while parsing filter.".to_owned());
        let (attribute, rest, prefix) = match text.split_once("^=") {
            Some((a, r)) => (a, r, true),
            None => text
                .split_once('=')
                .map(|(a, r)| (a, r, false))
                .ok_or_else(bad)?,
        };
        let attribute = attribute.trim();
        let value = rest
            .trim()
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .ok_or_else(bad)?;
        if !FILTERABLE.contains(&attribute) {
            return Err(bad());
        }
        Ok(Some(Self {
            attribute: attribute.to_owned(),
            prefix,
            value: value.to_owned(),
        }))
    }

    pub(crate) fn matches(&self, user: &StoredUser) -> bool {
        let actual = match self.attribute.as_str() {
            "username" => Some(user.username.as_str()),
            "sub" => Some(user.sub.as_str()),
            "cognito:user_status" => Some(user.status.as_str()),
            "status" => Some(if user.enabled { "Enabled" } else { "Disabled" }),
            other => user.attributes.get(other).map(String::as_str),
        };
        actual.is_some_and(|actual| {
            if self.prefix {
                actual.starts_with(&self.value)
            } else {
                actual == self.value
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::UserStatus;

    fn user(name: &str, email: &str, verified: bool) -> StoredUser {
        StoredUser {
            username: name.into(),
            sub: format!("sub-{name}"),
            attributes: [
                ("email".to_owned(), email.to_owned()),
                ("email_verified".to_owned(), verified.to_string()),
            ]
            .into(),
            password_hash: String::new(),
            srp_salt: String::new(),
            srp_verifier: String::new(),
            status: UserStatus::Confirmed,
            temporary_password_expires: None,
            enabled: true,
            groups: vec![],
            created: 1,
            modified: 1,
        }
    }

    #[test]
    fn lookup_follows_case_and_aliases() {
        let mut people = People::default();
        for u in [
            user("Alice", "a@example.com", true),
            user("bob", "b@example.com", false),
        ] {
            people.users.insert(u.sub.clone(), u);
        }
        let mut settings = UserPoolSettings::default();
        assert!(find(&people, &settings, "Alice").is_some());
        assert!(
            find(&people, &settings, "alice").is_none(),
            "case-sensitive by default"
        );
        assert!(
            find(&people, &settings, "a@example.com").is_none(),
            "no alias"
        );
        settings.username_case_sensitive = false;
        settings.alias_attributes = vec!["email".into()];
        assert_eq!(find(&people, &settings, "ALICE").unwrap().username, "Alice");
        assert_eq!(
            find(&people, &settings, "A@example.com").unwrap().username,
            "Alice"
        );
        assert!(
            find(&people, &settings, "b@example.com").is_none(),
            "unverified alias"
        );
    }

    #[test]
    fn attributes_and_names_are_checked() {
        let ok = [Attribute {
            name: "email".into(),
            value: Some("a@b.c".into()),
        }];
        assert_eq!(
            read_attributes(&ok).unwrap(),
            [("email".into(), "a@b.c".into())]
        );
        for bad in ["sub", "custom:team", "nope"] {
            let list = [Attribute {
                name: bad.into(),
                value: Some("x".into()),
            }];
            assert!(read_attributes(&list).is_err(), "{bad}");
        }
        assert!(check_username("alice").is_ok());
        for bad in ["", "a b", "tab\t", &"x".repeat(129)] {
            assert!(check_username(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn filters() {
        let alice = user("alice", "a@example.com", true);
        let f = |t: &str| Filter::parse(t).unwrap().unwrap();
        assert!(f("email = \"a@example.com\"").matches(&alice));
        assert!(f("username ^= \"al\"").matches(&alice));
        assert!(!f("username = \"al\"").matches(&alice));
        assert!(f("cognito:user_status = \"CONFIRMED\"").matches(&alice));
        assert_eq!(Filter::parse("  ").unwrap(), None);
        for bad in ["email", "email = a", "custom:x = \"1\""] {
            assert!(Filter::parse(bad).is_err(), "{bad}");
        }
    }
}

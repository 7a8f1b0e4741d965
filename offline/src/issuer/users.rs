//! Users as Cognito shows them: the standard attributes a pool without a custom schema has, user
//! names, lookup by name or alias (honouring case sensitivity), the `UserType` JSON of the admin
//! API, and `ListUsers` filters.

use serde_json::{Value, json};

use super::cognito_error::CognitoError;
use crate::state::{People, StoreError, StoredUser, UserField, UserFilter};
use crate::template::UserPoolSettings;
use crate::template::resources::cognito::{AttributeType, CustomAttribute, STANDARD_ATTRIBUTES};

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

/// `UserAttributes` (`[{Name, Value}]`) checked against the pool's schema (the standard
/// attributes and `custom`, its custom ones): `sub` and unknown names are refused, and custom
/// values outside their type or constraints, as Cognito refuses them.
pub(crate) fn read_attributes(
    list: &[Attribute],
    custom: &[CustomAttribute],
) -> Result<Vec<(String, String)>, CognitoError> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(list.len());
    for attribute in list {
        let name = attribute.name.as_str();
        if name == "sub" {
            return Err(CognitoError::InvalidParameter(
                "Cannot modify the non-mutable attribute sub".to_owned(),
            ));
        }
        let value = attribute.value.clone().unwrap_or_default();
        let schema_error = |problem: String| {
            CognitoError::InvalidParameter(format!(
                "Attributes did not conform to the schema: {name}: {problem}"
            ))
        };
        match custom.iter().find(|c| c.name == name) {
            Some(definition) => check_custom(definition, &value).map_err(schema_error)?,
            None if STANDARD_ATTRIBUTES.contains(&name) => {}
            None => {
                return Err(schema_error(
                    "Attribute does not exist in the schema.\n".to_owned(),
                ));
            }
        }
        if value.chars().count() > MAX_ATTRIBUTE_VALUE {
            return Err(schema_error(format!(
                "String must be no longer than {MAX_ATTRIBUTE_VALUE} characters"
            )));
        }
        out.retain(|(n, _)| n != name);
        out.push((name.to_owned(), value));
    }
    Ok(out)
}

/// A custom attribute's value against its type and constraints.
fn check_custom(definition: &CustomAttribute, value: &str) -> Result<(), String> {
    match definition.data_type {
        AttributeType::String => {
            let length = value.chars().count() as u64;
            let (min, max) = definition.length.unwrap_or((None, None));
            if let Some(min) = min.filter(|min| length < *min) {
                return Err(format!("String must be no shorter than {min} characters"));
            }
            match max {
                Some(max) if length > max => {
                    Err(format!("String must be no longer than {max} characters"))
                }
                _ => Ok(()),
            }
        }
        AttributeType::Number => {
            let number: i64 = value
                .parse()
                .map_err(|_| "Number must be a whole number".to_owned())?;
            let (min, max) = definition.range.unwrap_or((None, None));
            if let Some(min) = min.filter(|min| number < *min) {
                return Err(format!("Number must be no less than {min}"));
            }
            match max {
                Some(max) if number > max => Err(format!("Number must be no greater than {max}")),
                _ => Ok(()),
            }
        }
    }
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

/// The user signing in as `name`: by user name (as written, or in any case in a case-insensitive
/// pool), else by an attribute the pool lets people sign in with (`UsernameAttributes`, or a
/// verified `AliasAttributes` value), compared ASCII-case-insensitively.
pub(crate) fn find(
    people: &People<'_>,
    settings: &UserPoolSettings,
    name: &str,
) -> Result<Option<StoredUser>, StoreError> {
    if let Some(user) = people.user_named(name, settings.username_case_sensitive)? {
        return Ok(Some(user));
    }
    let aliases = settings
        .username_attributes
        .iter()
        .map(|a| (a, false))
        .chain(settings.alias_attributes.iter().map(|a| (a, true)));
    for (attribute, must_be_verified) in aliases {
        for user in people.users_with_attribute(attribute, name)? {
            if alias_matches(&user, attribute, must_be_verified, name) {
                return Ok(Some(user));
            }
        }
    }
    Ok(None)
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

/// A `ListUsers` filter, `attribute = "value"` or `attribute ^= "value"`, as the store applies
/// it; an empty one is `None` (everyone).
pub(crate) fn parse_filter(text: &str) -> Result<Option<UserFilter>, CognitoError> {
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
    let field = match attribute {
        "username" => UserField::Username,
        "sub" => UserField::Sub,
        "cognito:user_status" => UserField::Status,
        "status" => UserField::Enabled,
        other => UserField::Attribute(other.to_owned()),
    };
    Ok(Some(UserFilter {
        field,
        prefix,
        value: value.to_owned(),
    }))
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

    /// A store in memory holding `users`.
    fn store(users: &[StoredUser]) -> crate::state::PeopleStore {
        let store = crate::state::State::ephemeral()
            .unwrap()
            .into_parts()
            .people;
        store
            .change(|p| {
                for u in users {
                    p.insert_user(u)?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        store
    }

    #[test]
    fn lookup_follows_case_and_aliases() {
        let store = store(&[
            user("Alice", "a@example.com", true),
            user("bob", "b@example.com", false),
        ]);
        let mut settings = UserPoolSettings::default();
        let find = |settings: &UserPoolSettings, name: &str| {
            store.read(|p| find(p, settings, name)).unwrap()
        };
        assert!(find(&settings, "Alice").is_some());
        assert!(
            find(&settings, "alice").is_none(),
            "case-sensitive by default"
        );
        assert!(find(&settings, "a@example.com").is_none(), "no alias");
        settings.username_case_sensitive = false;
        settings.alias_attributes = vec!["email".into()];
        assert_eq!(find(&settings, "ALICE").unwrap().username, "Alice");
        assert_eq!(find(&settings, "A@example.com").unwrap().username, "Alice");
        assert!(
            find(&settings, "b@example.com").is_none(),
            "unverified alias"
        );
        settings.alias_attributes = vec![];
        settings.username_attributes = vec!["email".into()];
        assert_eq!(
            find(&settings, "B@EXAMPLE.COM").unwrap().username,
            "bob",
            "a username attribute need not be verified"
        );
    }

    #[test]
    fn attributes_and_names_are_checked() {
        let ok = [Attribute {
            name: "email".into(),
            value: Some("a@b.c".into()),
        }];
        assert_eq!(
            read_attributes(&ok, &[]).unwrap(),
            [("email".into(), "a@b.c".into())]
        );
        for bad in ["sub", "custom:team", "nope"] {
            let list = [Attribute {
                name: bad.into(),
                value: Some("x".into()),
            }];
            assert!(read_attributes(&list, &[]).is_err(), "{bad}");
        }
        assert!(check_username("alice").is_ok());
        for bad in ["", "a b", "tab\t", &"x".repeat(129)] {
            assert!(check_username(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn filters_are_parsed_and_applied_by_the_store() {
        let mut disabled = user("bob", "b@example.com", false);
        disabled.enabled = false;
        let store = store(&[
            user("alice", "a@example.com", true),
            disabled,
            user("carol", "c@example.com", true),
        ]);
        let names = |filter: &str| {
            let filter = parse_filter(filter).unwrap();
            let (users, more) = store
                .read(|p| p.list_users(filter.as_ref(), 0, 60))
                .unwrap();
            assert!(!more);
            users.into_iter().map(|u| u.username).collect::<Vec<_>>()
        };
        assert_eq!(names("email = \"a@example.com\""), ["alice"]);
        assert_eq!(names("username ^= \"al\""), ["alice"]);
        assert!(names("username = \"al\"").is_empty());
        assert!(names("username ^= \"AL\"").is_empty(), "case-sensitive");
        assert_eq!(names("status = \"Disabled\""), ["bob"]);
        assert_eq!(names("email ^= \"\""), ["alice", "bob", "carol"]);
        assert_eq!(names("sub = \"sub-carol\""), ["carol"]);
        assert_eq!(
            names("cognito:user_status = \"CONFIRMED\""),
            ["alice", "bob", "carol"]
        );
        assert!(names("given_name ^= \"\"").is_empty(), "nobody has one");
        assert_eq!(names("  "), ["alice", "bob", "carol"]);
        let (page, more) = store.read(|p| p.list_users(None, 1, 1)).unwrap();
        assert_eq!((page[0].username.as_str(), more), ("bob", true));
        assert_eq!(page[0].attributes["email"], "b@example.com");
        for bad in ["email", "email = a", "custom:x = \"1\""] {
            assert!(parse_filter(bad).is_err(), "{bad}");
        }
    }
}

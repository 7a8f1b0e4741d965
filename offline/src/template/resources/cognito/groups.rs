//! `AWS::Cognito::UserPoolGroup`: the pool's groups, which a signed-in user's access token names
//! in `cognito:groups`.

use serde_json::Value;

use super::pool::LocalPool;
use crate::template::error::{Located, Problem};
use crate::template::fields::{bounded, only_known, optional_str};

/// Longest group name and description Cognito accepts.
pub(crate) const MAX_GROUP_NAME: usize = 128;
pub(crate) const MAX_GROUP_DESCRIPTION: usize = 2048;

/// A group of the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPoolGroup {
    pub(crate) logical_id: String,
    /// `GroupName` (what `Ref` gives): 1 to 128 characters, no spaces or control characters.
    pub(crate) name: String,
    /// `Precedence` (0 or more; lower wins when a user's groups have roles). `None`: unset.
    pub(crate) precedence: Option<u64>,
    pub(crate) description: Option<String>,
    /// `RoleArn`, kept as written (no credentials are issued offline).
    pub(crate) role_arn: Option<String>,
}

const KNOWN: &[&str] = &[
    "UserPoolId",
    "GroupName",
    "Precedence",
    "Description",
    "RoleArn",
];

/// The group `id` from its resolved properties `props` (at `at`); `name` is what `Ref` gives
/// (its `GroupName`, or the name CloudFormation would generate).
pub(crate) fn group(
    id: &str,
    name: &str,
    props: &Value,
    pool: &LocalPool,
    at: &str,
) -> Result<UserPoolGroup, Located> {
    pool.check(props, at)?;
    only_known(props, KNOWN, at)?;
    let valid = |c: char| !c.is_whitespace() && !c.is_control();
    if name.is_empty() || name.chars().count() > MAX_GROUP_NAME || !name.chars().all(valid) {
        return Err(Problem::BadGroupName(name.to_owned()).at(format!("{at}.GroupName")));
    }
    let description = optional_str(props, "Description", at)?;
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > MAX_GROUP_DESCRIPTION)
    {
        return Err(Problem::TooLong(MAX_GROUP_DESCRIPTION).at(format!("{at}.Description")));
    }
    Ok(UserPoolGroup {
        logical_id: id.to_owned(),
        name: name.to_owned(),
        precedence: bounded(props, "Precedence", 0..=u64::from(u32::MAX >> 1), at)?,
        description,
        role_arn: optional_str(props, "RoleArn", at)?,
    })
}

/// Group names are unique in a pool.
pub(crate) fn check_group_names(groups: &[UserPoolGroup]) -> Result<(), Located> {
    for (i, group) in groups.iter().enumerate() {
        if let Some(other) = groups[..i].iter().find(|g| g.name == group.name) {
            return Err(Problem::RepeatedGroup {
                group: group.name.clone(),
                other: other.logical_id.clone(),
            }
            .at(format!(
                "Resources.{}.Properties.GroupName",
                group.logical_id
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pool() -> LocalPool {
        LocalPool::new("us-east-1_Abc".to_owned(), "us-east-1")
    }

    #[test]
    fn groups_are_read_and_checked() {
        let props = json!({"UserPoolId": "us-east-1_Abc", "GroupName": "admins", "Precedence": 1, "Description": "May do all"});
        let admins = group("Admins", "admins", &props, &pool(), "G").unwrap();
        assert_eq!(
            (admins.precedence, admins.description.as_deref()),
            (Some(1), Some("May do all"))
        );
        for (name, props, path) in [
            (
                "with space",
                json!({"UserPoolId": "us-east-1_Abc"}),
                "G.GroupName",
            ),
            ("", json!({"UserPoolId": "us-east-1_Abc"}), "G.GroupName"),
            (
                "ok",
                json!({"UserPoolId": "us-east-1_Other"}),
                "G.UserPoolId",
            ),
            (
                "ok",
                json!({"UserPoolId": "us-east-1_Abc", "Precedence": -1}),
                "G.Precedence",
            ),
            (
                "ok",
                json!({"UserPoolId": "us-east-1_Abc", "Extra": 1}),
                "G.Extra",
            ),
        ] {
            let err = group("X", name, &props, &pool(), "G").unwrap_err();
            assert_eq!(err.path, path, "{name} {props}");
        }
        let again = group("Again", "admins", &props, &pool(), "G").unwrap();
        let err = check_group_names(&[admins, again]).unwrap_err();
        assert_eq!(err.path, "Resources.Again.Properties.GroupName");
    }
}

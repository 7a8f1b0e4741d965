//! The admin operations on users (IAM-signed on AWS): `AdminCreateUser`, `AdminSetUserPassword`,
//! `AdminUpdateUserAttributes`, `AdminGetUser`, `AdminDeleteUser`, `AdminEnableUser`/`AdminDisableUser`,
//! `AdminAddUserToGroup`, `AdminRemoveUserFromGroup`, `AdminListGroupsForUser`,
//! `AdminUserGlobalSignOut` and `ListUsers`. Nothing is e-mailed or texted offline.

use serde::Deserialize;
use serde_json::{Value, json};

use super::Call;
use super::pool::group_json;
use crate::issuer::cognito_error::CognitoError;
use crate::issuer::directory::NewUser;
use crate::issuer::sign_ins;
use crate::issuer::users::{self, Attribute};
use crate::state::{StoredUser, UserStatus};

/// `UserPoolId` and `Username`, which every admin operation on a user takes.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UserRef {
    user_pool_id: Option<String>,
    username: Option<String>,
}

/// Checks the pool; the user named.
fn target(call: &Call<'_>) -> Result<StoredUser, CognitoError> {
    let name = checked(call)?;
    call.issuer.directory().existing(&name)
}

/// Checks the pool; the user name given.
fn checked(call: &Call<'_>) -> Result<String, CognitoError> {
    let input: UserRef = call.input()?;
    call.check_pool(input.user_pool_id.as_deref())?;
    input
        .username
        .ok_or_else(|| CognitoError::missing("username"))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateUser {
    #[serde(default)]
    user_attributes: Vec<Attribute>,
    temporary_password: Option<String>,
    message_action: Option<String>,
}

pub(crate) fn create_user(call: &Call<'_>) -> Result<Value, CognitoError> {
    let username = checked(call)?;
    let input: CreateUser = call.input()?;
    let directory = call.issuer.directory();
    let user = match input.message_action.as_deref() {
        None | Some("SUPPRESS") => directory.create(
            NewUser {
                username,
                attributes: users::read_attributes(
                    &input.user_attributes,
                    &directory.settings().custom_attributes,
                )?,
                temporary_password: input.temporary_password,
            },
            call.now,
        )?,
        // Resend the invitation: a new temporary password for a user who has not signed in yet.
        Some("RESEND") => {
            let user = directory.existing(&username)?;
            if user.status != UserStatus::ForceChangePassword {
                return Err(CognitoError::UnsupportedOperation(
                    "Resend not possible. User has already signed in.".to_owned(),
                ));
            }
            let password = input.temporary_password.unwrap_or_else(|| {
                crate::issuer::password_policy::temporary(&directory.settings().password_policy)
            });
            directory.set_password_for(&user, &password, false, call.now)?
        }
        Some(_) => {
            return Err(CognitoError::InvalidParameter(
                "1 validation error detected: Value at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]".to_owned(),
            ));
        }
    };
    Ok(json!({ "User": users::user_json(&user, "Attributes") }))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SetPassword {
    password: Option<String>,
    #[serde(default)]
    permanent: bool,
}

pub(crate) fn set_user_password(call: &Call<'_>) -> Result<Value, CognitoError> {
    let user = target(call)?;
    let input: SetPassword = call.input()?;
    let password = input
        .password
        .ok_or_else(|| CognitoError::missing("password"))?;
    call.issuer
        .directory()
        .set_password_for(&user, &password, input.permanent, call.now)?;
    Ok(json!({}))
}

pub(crate) fn get_user(call: &Call<'_>) -> Result<Value, CognitoError> {
    let user = target(call)?;
    Ok(users::user_json(&user, "UserAttributes"))
}

pub(crate) fn delete_user(call: &Call<'_>) -> Result<Value, CognitoError> {
    let user = target(call)?;
    call.issuer.directory().delete(&user.username)?;
    Ok(json!({}))
}

pub(crate) fn enable_user(call: &Call<'_>, enabled: bool) -> Result<Value, CognitoError> {
    let user = target(call)?;
    call.issuer.directory().update(&user.sub, call.now, |u| {
        u.enabled = enabled;
        Ok(())
    })?;
    Ok(json!({}))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GroupName {
    group_name: Option<String>,
}

fn group_name(call: &Call<'_>) -> Result<String, CognitoError> {
    let input: GroupName = call.input()?;
    let name = input
        .group_name
        .ok_or_else(|| CognitoError::missing("groupName"))?;
    call.issuer.directory().group(&name)?;
    Ok(name)
}

pub(crate) fn add_user_to_group(call: &Call<'_>) -> Result<Value, CognitoError> {
    let user = target(call)?;
    let group = group_name(call)?;
    call.issuer.directory().update(&user.sub, call.now, |u| {
        if !u.groups.contains(&group) {
            u.groups.push(group);
        }
        Ok(())
    })?;
    Ok(json!({}))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateAttributes {
    user_attributes: Option<Vec<Attribute>>,
}

/// `AdminUpdateUserAttributes`: the attributes checked against the pool's schema, as at
/// creation; a custom attribute whose `Mutable` is false is refused once the user exists.
pub(crate) fn update_user_attributes(call: &Call<'_>) -> Result<Value, CognitoError> {
    let user = target(call)?;
    let input: UpdateAttributes = call.input()?;
    let list = input
        .user_attributes
        .ok_or_else(|| CognitoError::missing("userAttributes"))?;
    let directory = call.issuer.directory();
    let custom = &directory.settings().custom_attributes;
    let changes = users::read_attributes(&list, custom)?;
    if let Some((name, _)) = changes
        .iter()
        .find(|(name, _)| custom.iter().any(|c| c.name == *name && !c.mutable))
    {
        return Err(CognitoError::InvalidParameter(format!(
            "Cannot modify the non-mutable attribute {name}"
        )));
    }
    directory.update(&user.sub, call.now, |u| {
        u.attributes.extend(changes);
        Ok(())
    })?;
    Ok(json!({}))
}

pub(crate) fn remove_user_from_group(call: &Call<'_>) -> Result<Value, CognitoError> {
    let user = target(call)?;
    let group = group_name(call)?;
    call.issuer.directory().update(&user.sub, call.now, |u| {
        u.groups.retain(|g| *g != group);
        Ok(())
    })?;
    Ok(json!({}))
}

pub(crate) fn list_groups_for_user(call: &Call<'_>) -> Result<Value, CognitoError> {
    let user = target(call)?;
    let directory = call.issuer.directory();
    let groups: Vec<Value> = directory
        .groups_of(&user)
        .iter()
        .filter_map(|name| directory.group(name).ok())
        .map(|g| group_json(g, call.issuer.pool().id()))
        .collect();
    Ok(json!({ "Groups": groups }))
}

pub(crate) fn user_global_sign_out(call: &Call<'_>) -> Result<Value, CognitoError> {
    let user = target(call)?;
    sign_ins::sign_out_everywhere(call.issuer.directory(), &user.sub)?;
    Ok(json!({}))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListUsers {
    user_pool_id: Option<String>,
    filter: Option<String>,
    limit: Option<usize>,
    pagination_token: Option<String>,
    attributes_to_get: Option<Vec<String>>,
}

/// Most users `ListUsers` returns in one page.
const MAX_PAGE: usize = 60;

pub(crate) fn list_users(call: &Call<'_>) -> Result<Value, CognitoError> {
    let input: ListUsers = call.input()?;
    call.check_pool(input.user_pool_id.as_deref())?;
    let filter = users::parse_filter(input.filter.as_deref().unwrap_or_default())?;
    let (start, end) = page_bounds(&input)?;
    let (found, more) = call
        .issuer
        .directory()
        .read(|people| people.list_users(filter.as_ref(), start, end - start))?;
    let page: Vec<Value> = found
        .iter()
        .map(|u| {
            only(
                users::user_json(u, "Attributes"),
                input.attributes_to_get.as_deref(),
            )
        })
        .collect();
    let mut answer = json!({ "Users": page });
    if more {
        answer["PaginationToken"] = json!(end.to_string());
    }
    Ok(answer)
}

/// The page asked for: from the `PaginationToken`'s position (0 without one), `Limit` users at
/// most (1 to 60, default 60). A token whose end would not fit is invalid.
fn page_bounds(input: &ListUsers) -> Result<(usize, usize), CognitoError> {
    let limit = input.limit.unwrap_or(MAX_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(CognitoError::InvalidParameter(format!(
            "1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to {MAX_PAGE}"
        )));
    }
    let start = match input.pagination_token.as_deref() {
        None => 0,
        Some(token) => token.parse::<usize>().map_err(|_| invalid_token())?,
    };
    let end = start.checked_add(limit).ok_or_else(invalid_token)?;
    Ok((start, end))
}

fn invalid_token() -> CognitoError {
    CognitoError::InvalidParameter("Invalid pagination token.".to_owned())
}

/// Keeps only the attributes named in `wanted`, when given.
fn only(mut user: Value, wanted: Option<&[String]>) -> Value {
    if let (Some(wanted), Some(list)) = (wanted, user["Attributes"].as_array_mut()) {
        list.retain(|a| {
            a["Name"]
                .as_str()
                .is_some_and(|n| wanted.iter().any(|w| w == n))
        });
    }
    user
}

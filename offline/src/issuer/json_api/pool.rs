//! Describing the local pool (IAM-signed on AWS): `ListUserPools`, `DescribeUserPool`,
//! `ListUserPoolClients`, `DescribeUserPoolClient` (with the secret, as on AWS, which the
//! template's `ClientSecretCommand` output relies on), `ListGroups`, `GetGroup`. Scripts find the
//! pool and the clients by name this way, the same commands against AWS and offline.

use serde::Deserialize;
use serde_json::{Value, json};

use super::Call;
use crate::issuer::cognito_error::CognitoError;
use crate::template::{AppClient, UserPoolGroup};

/// The pool's name: `UserPoolName` from the template, else `offline-pool`.
fn pool_name(call: &Call<'_>) -> String {
    let settings = call.issuer.directory().settings();
    settings
        .name
        .clone()
        .unwrap_or_else(|| "offline-pool".to_owned())
}

pub(crate) fn list_user_pools(call: &Call<'_>) -> Result<Value, CognitoError> {
    let max = call.body["MaxResults"]
        .as_u64()
        .ok_or_else(|| CognitoError::missing("maxResults"))?;
    if !(1..=60).contains(&max) {
        return Err(CognitoError::InvalidParameter(
            "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 60".to_owned(),
        ));
    }
    Ok(json!({"UserPools": [{
        "Id": call.issuer.pool().id(),
        "Name": pool_name(call),
        "LambdaConfig": {},
        "CreationDate": 0,
        "LastModifiedDate": 0,
    }]}))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PoolRef {
    user_pool_id: Option<String>,
    client_id: Option<String>,
    group_name: Option<String>,
}

fn pool_ref(call: &Call<'_>) -> Result<PoolRef, CognitoError> {
    let input: PoolRef = call.input()?;
    call.check_pool(input.user_pool_id.as_deref())?;
    Ok(input)
}

pub(crate) fn describe_user_pool(call: &Call<'_>) -> Result<Value, CognitoError> {
    pool_ref(call)?;
    let settings = call.issuer.directory().settings();
    let policy = &settings.password_policy;
    let mut pool = json!({
        "Id": call.issuer.pool().id(),
        "Name": pool_name(call),
        "Arn": format!("arn:aws:cognito-idp:{}:{}:userpool/{}", call.issuer.pool().region(), crate::template::ACCOUNT_ID, call.issuer.pool().id()),
        "Policies": {"PasswordPolicy": {
            "MinimumLength": policy.minimum_length,
            "RequireUppercase": policy.require_uppercase,
            "RequireLowercase": policy.require_lowercase,
            "RequireNumbers": policy.require_numbers,
            "RequireSymbols": policy.require_symbols,
            "TemporaryPasswordValidityDays": policy.temporary_password_validity_days,
        }},
        "UsernameConfiguration": {"CaseSensitive": settings.username_case_sensitive},
        "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": settings.admin_create_user_only},
        "EstimatedNumberOfUsers": call.issuer.directory().read(|p| p.user_count())?,
    });
    if !settings.username_attributes.is_empty() {
        pool["UsernameAttributes"] = json!(settings.username_attributes);
    }
    if !settings.alias_attributes.is_empty() {
        pool["AliasAttributes"] = json!(settings.alias_attributes);
    }
    Ok(json!({ "UserPool": pool }))
}

pub(crate) fn list_user_pool_clients(call: &Call<'_>) -> Result<Value, CognitoError> {
    pool_ref(call)?;
    let clients: Vec<Value> = call
        .issuer
        .clients()
        .iter()
        .map(|c| json!({"ClientId": c.credentials.client_id, "UserPoolId": call.issuer.pool().id(), "ClientName": c.name}))
        .collect();
    Ok(json!({ "UserPoolClients": clients }))
}

pub(crate) fn describe_user_pool_client(call: &Call<'_>) -> Result<Value, CognitoError> {
    let input = pool_ref(call)?;
    let id = input
        .client_id
        .ok_or_else(|| CognitoError::missing("clientId"))?;
    let client = call.issuer.client(&id).ok_or_else(|| {
        CognitoError::ResourceNotFound(format!("User pool client {id} does not exist."))
    })?;
    Ok(json!({ "UserPoolClient": client_json(client, call.issuer.pool().id()) }))
}

fn client_json(client: &AppClient, pool_id: &str) -> Value {
    let v = &client.validity;
    let mut out = json!({
        "UserPoolId": pool_id,
        "ClientName": client.name,
        "ClientId": client.credentials.client_id,
        "ExplicitAuthFlows": client.auth_flows.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
        "AllowedOAuthFlows": client.flows.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
        "AllowedOAuthFlowsUserPoolClient": client.oauth_enabled,
        "AllowedOAuthScopes": client.scopes,
        "CallbackURLs": client.callback_urls,
        "LogoutURLs": client.logout_urls,
        "SupportedIdentityProviders": client.identity_providers,
        "AccessTokenValidity": v.access_seconds / 60,
        "IdTokenValidity": v.id_seconds / 60,
        "RefreshTokenValidity": v.refresh_seconds / 60,
        "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "minutes"},
        "PreventUserExistenceErrors": match client.user_existence_errors {
            crate::template::resources::cognito::UserExistenceErrors::Enabled => "ENABLED",
            crate::template::resources::cognito::UserExistenceErrors::Legacy => "LEGACY",
        },
        "EnableTokenRevocation": client.token_revocation,
        "AuthSessionValidity": client.auth_session_minutes,
    });
    if client.has_secret {
        out["ClientSecret"] = json!(client.credentials.client_secret);
    }
    if let Some(default) = &client.default_redirect_uri {
        out["DefaultRedirectURI"] = json!(default);
    }
    out
}

/// `GroupType`.
pub(crate) fn group_json(group: &UserPoolGroup, pool_id: &str) -> Value {
    let mut out = json!({"GroupName": group.name, "UserPoolId": pool_id, "CreationDate": 0, "LastModifiedDate": 0});
    if let Some(d) = &group.description {
        out["Description"] = json!(d);
    }
    if let Some(p) = group.precedence {
        out["Precedence"] = json!(p);
    }
    if let Some(r) = &group.role_arn {
        out["RoleArn"] = json!(r);
    }
    out
}

pub(crate) fn list_groups(call: &Call<'_>) -> Result<Value, CognitoError> {
    pool_ref(call)?;
    let pool_id = call.issuer.pool().id();
    let groups: Vec<Value> = call
        .issuer
        .directory()
        .groups()
        .iter()
        .map(|g| group_json(g, pool_id))
        .collect();
    Ok(json!({ "Groups": groups }))
}

pub(crate) fn get_group(call: &Call<'_>) -> Result<Value, CognitoError> {
    let input = pool_ref(call)?;
    let name = input
        .group_name
        .ok_or_else(|| CognitoError::missing("groupName"))?;
    let group = call.issuer.directory().group(&name)?;
    Ok(json!({ "Group": group_json(group, call.issuer.pool().id()) }))
}

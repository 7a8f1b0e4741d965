//! What a signed-in person does with their access or refresh token, unsigned: `GetUser`,
//! `GlobalSignOut` (every sign-in of the user ends) and `RevokeToken` (the sign-in of one refresh
//! token ends). A revoked sign-in's refresh token no longer renews, and its access tokens are
//! refused here (`Access Token has been revoked`), as Cognito refuses them.

use serde::Deserialize;
use serde_json::{Value, json};

use super::Call;
use super::initiate::client;
use crate::issuer::USER_ADMIN_SCOPE;
use crate::issuer::cognito_error::CognitoError;
use crate::issuer::sign_ins::{self, SessionProblem};
use crate::issuer::tokens::{AccessClaims, AccessProblem};
use crate::issuer::users;
use crate::state::StoredUser;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AccessTokenInput {
    access_token: Option<String>,
}

/// The live sign-in of the body's `AccessToken`, which must carry
/// `aws.cognito.signin.user.admin`.
fn session(call: &Call<'_>) -> Result<(AccessClaims, StoredUser), CognitoError> {
    let input: AccessTokenInput = call.input()?;
    let token = input
        .access_token
        .ok_or_else(|| CognitoError::missing("accessToken"))?;
    let (claims, user) = sign_ins::live_session(
        call.issuer.directory(),
        call.issuer.signer(),
        &token,
        call.now,
    )
    .map_err(|problem| match problem {
        SessionProblem::UserGone => CognitoError::UserNotFound,
        SessionProblem::Unavailable => CognitoError::Internal(problem.to_string()),
        SessionProblem::Token(AccessProblem::Invalid) => {
            CognitoError::NotAuthorized("Invalid Access Token".to_owned())
        }
        other => CognitoError::NotAuthorized(other.to_string()),
    })?;
    if !claims.scopes.iter().any(|s| s == USER_ADMIN_SCOPE) {
        return Err(CognitoError::NotAuthorized(
            "Access Token does not have required scopes".to_owned(),
        ));
    }
    Ok((claims, user))
}

pub(crate) fn get_user(call: &Call<'_>) -> Result<Value, CognitoError> {
    let (_, user) = session(call)?;
    Ok(json!({"Username": user.username, "UserAttributes": users::attributes_json(&user)}))
}

pub(crate) fn global_sign_out(call: &Call<'_>) -> Result<Value, CognitoError> {
    let (_, user) = session(call)?;
    sign_ins::sign_out_everywhere(call.issuer.directory(), &user.sub)?;
    Ok(json!({}))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RevokeToken {
    token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

pub(crate) fn revoke_token(call: &Call<'_>) -> Result<Value, CognitoError> {
    let input: RevokeToken = call.input()?;
    let client = client(call, input.client_id.as_deref())?;
    let token = input.token.ok_or_else(|| CognitoError::missing("token"))?;
    if crate::issuer::clients::authenticate(
        call.issuer.clients(),
        &client.credentials.client_id,
        input.client_secret.as_deref(),
    )
    .is_none()
    {
        return Err(CognitoError::NotAuthorized(format!(
            "Unable to verify secret for client {}",
            client.credentials.client_id
        )));
    }
    if !client.token_revocation {
        return Err(CognitoError::UnsupportedOperation(
            "Token revocation is not enabled for this app client.".to_owned(),
        ));
    }
    if token.split('.').count() == 3 {
        return Err(CognitoError::UnsupportedTokenType(
            "Only refresh tokens can be revoked.".to_owned(),
        ));
    }
    // An unknown token, or another client's, is answered alike and revokes nothing (RFC 7009).
    sign_ins::revoke(
        call.issuer.directory(),
        &client.credentials.client_id,
        &token,
    )?;
    Ok(json!({}))
}

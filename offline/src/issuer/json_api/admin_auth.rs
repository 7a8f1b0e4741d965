//! `AdminInitiateAuth` and `AdminRespondToAuthChallenge` (IAM operations): a server signing a
//! user in with their password (`ADMIN_USER_PASSWORD_AUTH`, and its former name
//! `ADMIN_NO_SRP_AUTH`) where the client allows `ALLOW_ADMIN_USER_PASSWORD_AUTH`, or renewing
//! tokens (`REFRESH_TOKEN_AUTH`), then answering `NEW_PASSWORD_REQUIRED`. The same checks as the
//! unsigned operations: the password counts toward the user's lockout, unknown users follow the
//! client's `PreventUserExistenceErrors`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::Call;
use super::initiate::{allowed, client, password_auth, refresh_auth, unknown_flow};
use super::respond::respond_to_auth_challenge;
use crate::issuer::cognito_error::CognitoError;
use crate::template::AuthFlow;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AdminInitiateAuth {
    user_pool_id: Option<String>,
    client_id: Option<String>,
    auth_flow: Option<String>,
    #[serde(default)]
    auth_parameters: BTreeMap<String, String>,
}

pub(crate) fn admin_initiate_auth(call: &Call<'_>) -> Result<Value, CognitoError> {
    let input: AdminInitiateAuth = call.input()?;
    call.check_pool(input.user_pool_id.as_deref())?;
    let client = client(call, input.client_id.as_deref())?;
    let name = input
        .auth_flow
        .ok_or_else(|| CognitoError::missing("authFlow"))?;
    let flow = match name.as_str() {
        "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => AuthFlow::AdminUserPassword,
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => AuthFlow::RefreshToken,
        "USER_SRP_AUTH" | "CUSTOM_AUTH" | "USER_AUTH" => {
            return Err(CognitoError::UnsupportedOperation(format!(
                "{name} through AdminInitiateAuth is not emulated by the offline stack (InitiateAuth serves USER_SRP_AUTH)"
            )));
        }
        "USER_PASSWORD_AUTH" => {
            return Err(CognitoError::InvalidParameter(
                "Initiate Auth method not supported.".to_owned(),
            ));
        }
        _ => return Err(unknown_flow()),
    };
    allowed(client, flow, &name)?;
    let params = &input.auth_parameters;
    match flow {
        AuthFlow::RefreshToken => refresh_auth(call, client, params),
        _ => password_auth(call, client, params),
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Pool {
    user_pool_id: Option<String>,
}

/// `RespondToAuthChallenge`'s answers, for the local pool.
pub(crate) fn admin_respond_to_auth_challenge(call: &Call<'_>) -> Result<Value, CognitoError> {
    let input: Pool = call.input()?;
    call.check_pool(input.user_pool_id.as_deref())?;
    respond_to_auth_challenge(call)
}

//! The people's grants of `POST /oauth2/token`: an authorization code from the hosted UI
//! (redeemed once, within 5 minutes, by the client it was issued to, with the same `redirect_uri`
//! and the PKCE `code_verifier` matching its challenge), and a refresh token. Every failure of the
//! grant itself is `invalid_grant`.

use serde_json::{Value, json};

use super::error::OAuthError;
use super::params::Params;
use super::pkce::verifier_matches;
use crate::issuer::Issuer;
use crate::issuer::cognito_error::CognitoError;
use crate::issuer::pre_token::TriggerSource;
use crate::issuer::sign_ins::{self, Issued, RefreshProblem, SignIn};
use crate::state::UserStatus;
use crate::template::{AppClient, AuthFlow, OAuthFlow};

pub(crate) fn authorization_code(
    params: &Params,
    client: &AppClient,
    issuer: &Issuer,
    now: u64,
) -> Result<Value, OAuthError> {
    if !client.allows(OAuthFlow::Code) {
        return Err(OAuthError::UnauthorizedClient);
    }
    let code = params.get("code").ok_or(OAuthError::InvalidRequest)?;
    let redirect_uri = params
        .get("redirect_uri")
        .ok_or(OAuthError::InvalidRequest)?;
    // Taken whatever follows: a code is good for one attempt.
    let grant = issuer
        .pending()
        .lock()
        .codes
        .take(code, now)
        .ok_or(OAuthError::InvalidGrant)?;
    let request = &grant.request;
    if request.client_id != client.credentials.client_id || request.redirect_uri != redirect_uri {
        return Err(OAuthError::InvalidGrant);
    }
    if let Some(challenge) = &request.code_challenge {
        let verifier = params.get("code_verifier").unwrap_or_default();
        if !verifier_matches(verifier, challenge) {
            return Err(OAuthError::InvalidGrant);
        }
    }
    let user = issuer
        .directory()
        .by_sub(&grant.sub)
        .map_err(|_| OAuthError::ServerError)?
        .ok_or(OAuthError::InvalidGrant)?;
    if !user.enabled || user.status != UserStatus::Confirmed {
        return Err(OAuthError::InvalidGrant);
    }
    let sign_in = SignIn {
        user: &user,
        client,
        scopes: request.scopes.clone(),
        hosted: true,
        nonce: request.nonce.as_deref(),
        with_id: request.scopes.iter().any(|s| s == "openid"),
        source: TriggerSource::HostedAuth,
    };
    let issued = sign_ins::sign_in(issuer.directory(), issuer.minter(), &sign_in, now).map_err(
        |e| match e {
            CognitoError::UserLambdaValidation(_)
            | CognitoError::UnexpectedLambda(_)
            | CognitoError::InvalidLambdaResponse(_) => trigger_failed(&e.to_string()),
            _ => OAuthError::ServerError,
        },
    )?;
    Ok(body(&issued))
}

pub(crate) fn refresh_token(
    params: &Params,
    client: &AppClient,
    issuer: &Issuer,
    now: u64,
) -> Result<Value, OAuthError> {
    if !client.auth_flows.contains(&AuthFlow::RefreshToken) {
        return Err(OAuthError::UnauthorizedClient);
    }
    let token = params
        .get("refresh_token")
        .ok_or(OAuthError::InvalidRequest)?;
    let (issued, _) = sign_ins::refresh(issuer.directory(), issuer.minter(), client, token, now)
        .map_err(|problem| match problem {
            RefreshProblem::Unavailable => OAuthError::ServerError,
            RefreshProblem::Trigger(e) => trigger_failed(&e.to_string()),
            _ => OAuthError::InvalidGrant,
        })?;
    Ok(body(&issued))
}

/// A failed pre token generation trigger at the token endpoint: AWS documents no answer for it;
/// offline, `invalid_request`, the trigger's message logged (it is the function's own text).
pub(crate) fn trigger_failed(message: &str) -> OAuthError {
    tracing::warn!(target: "offline::issuer", %message, "the pre token generation trigger failed");
    OAuthError::InvalidRequest
}

fn body(issued: &Issued) -> Value {
    let mut body = json!({
        "access_token": issued.access,
        "expires_in": issued.expires_in,
        "token_type": "Bearer",
    });
    if let Some(id) = &issued.id {
        body["id_token"] = json!(id);
    }
    if let Some(refresh) = &issued.refresh {
        body["refresh_token"] = json!(refresh);
    }
    body
}

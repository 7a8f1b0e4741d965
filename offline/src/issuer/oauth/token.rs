//! `POST /oauth2/token` as Cognito answers it. Checks, in order: content type, parameters (from
//! the query string and the form, each at most once), `grant_type` present and supported, client
//! authentication (HTTP Basic or `client_id`/`client_secret` in the form, not both; a public
//! client sends its `client_id` alone), the client's flow, then the grant: client credentials
//! (scopes), an authorization code (`grants::authorization_code`) or a refresh token
//! (`grants::refresh_token`). Errors are 400 `{"error": ...}`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::client_auth::authenticated_client;
use super::error::OAuthError;
use super::grants;
use super::params::Params;
use crate::issuer::Issuer;
use crate::issuer::pre_token::{Subject, TriggerSource};
use crate::template::{AppClient, OAuthFlow};

/// A token request as the HTTP layer received it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TokenRequest<'a> {
    pub(crate) content_type: Option<&'a str>,
    pub(crate) authorization: Option<&'a str>,
    /// The URL's query string (Cognito also reads parameters from it).
    pub(crate) query: &'a str,
    pub(crate) body: &'a [u8],
}

/// The token endpoint's answer: status and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TokenAnswer {
    pub(crate) status: u16,
    pub(crate) body: Value,
    /// `error` for a refusal, `issued` otherwise (for the log line).
    pub(crate) reason: &'static str,
}

impl From<OAuthError> for TokenAnswer {
    fn from(e: OAuthError) -> Self {
        Self {
            status: 400,
            body: json!({ "error": e.code() }),
            reason: e.code(),
        }
    }
}

/// The answer to `request` at `now` (Unix seconds).
pub(crate) fn token(request: &TokenRequest<'_>, issuer: &Issuer, now: u64) -> TokenAnswer {
    match issue(request, issuer, now) {
        Ok(body) => TokenAnswer {
            status: 200,
            body,
            reason: "issued",
        },
        Err(e) => e.into(),
    }
}

fn issue(request: &TokenRequest<'_>, issuer: &Issuer, now: u64) -> Result<Value, OAuthError> {
    let params = Params::read(request.content_type, request.query, request.body)?;
    let grant = match params.get("grant_type") {
        None | Some("") => return Err(OAuthError::InvalidRequest),
        Some(g @ ("client_credentials" | "authorization_code" | "refresh_token")) => g,
        Some(_) => return Err(OAuthError::UnsupportedGrantType),
    };
    let client = authenticated_client(request.authorization, &params, issuer.clients())?;
    match grant {
        "client_credentials" => client_credentials(&params, client, issuer, now),
        "authorization_code" => grants::authorization_code(&params, client, issuer, now),
        _ => grants::refresh_token(&params, client, issuer, now),
    }
}

fn client_credentials(
    params: &Params,
    client: &AppClient,
    issuer: &Issuer,
    now: u64,
) -> Result<Value, OAuthError> {
    if !client.allows(OAuthFlow::ClientCredentials) {
        return Err(OAuthError::UnauthorizedClient);
    }
    let scopes = scopes(params, client)?;
    let client_id = client.credentials.client_id.as_str();
    let ttl = client.validity.access_seconds;
    let mut claims = issuer
        .signer()
        .client_credentials_claims(client_id, &scopes, now, ttl);
    if let Some(trigger) = issuer.minter().pre_token {
        let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
        let subject = Subject {
            source: TriggerSource::ClientCredentials,
            client_id,
            username: None,
            user_attributes: BTreeMap::new(),
            groups: &[],
            scopes: &scopes,
            client_metadata: client_metadata(params)?,
        };
        let overrides = trigger
            .run(&subject)
            .map_err(|e| grants::trigger_failed(&e.to_string()))?;
        if let Some(overrides) = overrides {
            overrides.apply_to_access(&mut claims);
        }
    }
    let token = issuer.signer().sign(&Value::Object(claims));
    Ok(json!({
        "access_token": token,
        "expires_in": client.validity.access_seconds,
        "token_type": "Bearer",
    }))
}

/// `aws_client_metadata`: a JSON object of strings for the pre token generation trigger (absent:
/// none). Another shape is refused.
fn client_metadata(params: &Params) -> Result<BTreeMap<String, String>, OAuthError> {
    match params.get("aws_client_metadata") {
        None => Ok(BTreeMap::new()),
        Some(text) => serde_json::from_str(text).map_err(|_| OAuthError::InvalidRequest),
    }
}

/// `scope`, each one the client's; absent: all the client's scopes. None at all is refused.
fn scopes<'a>(params: &'a Params, client: &'a AppClient) -> Result<Vec<&'a str>, OAuthError> {
    let scopes: Vec<&str> = match params.get("scope").map(str::split_ascii_whitespace) {
        Some(requested) => {
            let requested: Vec<&str> = requested.collect();
            if requested
                .iter()
                .any(|s| !client.scopes.iter().any(|c| c == s))
            {
                return Err(OAuthError::InvalidScope);
            }
            requested
        }
        None => client.scopes.iter().map(String::as_str).collect(),
    };
    if scopes.is_empty() {
        return Err(OAuthError::InvalidScope);
    }
    Ok(scopes)
}

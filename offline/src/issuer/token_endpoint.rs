//! `POST /oauth2/token` as Cognito answers it for the client-credentials grant. Checks, in order:
//! content type, `grant_type` present and supported, client authentication (HTTP Basic or
//! `client_id`/`client_secret` in the form, not both), the client's flow (allowed, with
//! `AllowedOAuthFlowsUserPoolClient`), the scopes.

use serde_json::{Value, json};

use super::clients::{authenticate, basic_credentials};
use super::signer::Signer;
use crate::template::{AppClient, OAuthFlow};

/// A token request as the HTTP layer received it.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenRequest<'a> {
    pub content_type: Option<&'a str>,
    pub authorization: Option<&'a str>,
    /// The URL's query string (Cognito also reads parameters from it).
    pub query: &'a str,
    pub body: &'a [u8],
}

/// The token endpoint's answer: status and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenAnswer {
    pub status: u16,
    pub body: Value,
    /// `error` for a refusal, `issued` otherwise (for the log line).
    pub reason: &'static str,
}

impl TokenAnswer {
    fn error(error: &'static str) -> Self {
        Self {
            status: 400,
            body: json!({ "error": error }),
            reason: error,
        }
    }
}

/// The answer to `request` at `now` (Unix seconds), for the pool's `clients`.
pub fn token(
    request: &TokenRequest<'_>,
    clients: &[AppClient],
    signer: &Signer,
    now: u64,
) -> TokenAnswer {
    match issue(request, clients, signer, now) {
        Ok(answer) | Err(answer) => answer,
    }
}

fn issue(
    request: &TokenRequest<'_>,
    clients: &[AppClient],
    signer: &Signer,
    now: u64,
) -> Result<TokenAnswer, TokenAnswer> {
    let params = Params::read(request)?;
    match params.get("grant_type") {
        None | Some("") => return Err(TokenAnswer::error("invalid_request")),
        Some("client_credentials") => {}
        Some("authorization_code" | "refresh_token") => {
            return Err(TokenAnswer::error("unauthorized_client"));
        }
        Some(_) => return Err(TokenAnswer::error("unsupported_grant_type")),
    }
    let client = client(request, &params, clients)?;
    if !client.allows(OAuthFlow::ClientCredentials) {
        return Err(TokenAnswer::error("unauthorized_client"));
    }
    let scopes = scopes(&params, client)?;
    let token = signer.client_credentials(
        &client.credentials.client_id,
        &scopes,
        now,
        client.validity.access_seconds,
    );
    Ok(TokenAnswer {
        status: 200,
        body: json!({
            "access_token": token,
            "expires_in": client.validity.access_seconds,
            "token_type": "Bearer",
        }),
        reason: "issued",
    })
}

/// The form's parameters, from the query string then the body; each at most once.
struct Params(Vec<(String, String)>);

impl Params {
    fn read(request: &TokenRequest<'_>) -> Result<Self, TokenAnswer> {
        let form_type = request
            .content_type
            .and_then(|t| t.split(';').next())
            .is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        if !form_type {
            return Err(TokenAnswer::error("invalid_request"));
        }
        let mut params: Vec<(String, String)> = Vec::new();
        for (name, value) in form_urlencoded::parse(request.query.as_bytes())
            .chain(form_urlencoded::parse(request.body))
        {
            if params.iter().any(|(n, _)| *n == name) {
                return Err(TokenAnswer::error("invalid_request"));
            }
            params.push((name.into_owned(), value.into_owned()));
        }
        Ok(Self(params))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The authenticated client: HTTP Basic or the form's `client_id`/`client_secret`, not both.
fn client<'a>(
    request: &TokenRequest<'_>,
    params: &Params,
    clients: &'a [AppClient],
) -> Result<&'a AppClient, TokenAnswer> {
    let basic = request.authorization.map(basic_credentials);
    let form = params.get("client_id").map(|id| {
        (
            id.to_owned(),
            params.get("client_secret").map(str::to_owned),
        )
    });
    let (client_id, secret) = match (basic, form) {
        (Some(Some(creds)), None) => (creds.0, Some(creds.1)),
        (None, Some(creds)) => creds,
        (Some(Some(_)), Some(_)) => return Err(TokenAnswer::error("invalid_request")),
        (Some(None), _) | (None, None) => return Err(TokenAnswer::error("invalid_client")),
    };
    authenticate(clients, &client_id, secret.as_deref())
        .ok_or_else(|| TokenAnswer::error("invalid_client"))
}

/// `scope`, each one the client's; absent: all the client's scopes. None at all is refused.
fn scopes<'a>(params: &'a Params, client: &'a AppClient) -> Result<Vec<&'a str>, TokenAnswer> {
    let scopes: Vec<&str> = match params.get("scope").map(str::split_ascii_whitespace) {
        Some(requested) => {
            let requested: Vec<&str> = requested.collect();
            if requested
                .iter()
                .any(|s| !client.scopes.iter().any(|c| c == s))
            {
                return Err(TokenAnswer::error("invalid_scope"));
            }
            requested
        }
        None => client.scopes.iter().map(String::as_str).collect(),
    };
    if scopes.is_empty() {
        return Err(TokenAnswer::error("invalid_scope"));
    }
    Ok(scopes)
}

//! The local user pool as Cognito serves it: `POST /oauth2/token` (client credentials), the JWKS,
//! the OpenID configuration, and user access tokens for local tests of group rules.

use authorizer::UserPool;
use authorizer::mint::{self, SigningKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use crate::stack::{AppClient, Stack};

/// Scope Cognito puts in a signed-in user's access token when no custom scope was asked for.
pub const USER_ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

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

/// Signs tokens for the local pool.
#[derive(Debug)]
pub struct Issuer {
    pool: UserPool,
    key: SigningKey,
    jwks: Value,
    clients: Vec<AppClient>,
    /// `http://127.0.0.1:PORT`, for the OpenID configuration.
    base_url: String,
}

impl Issuer {
    pub fn new(
        stack: &Stack,
        key: SigningKey,
        base_url: String,
    ) -> Result<Self, authorizer::PoolError> {
        let pool = UserPool::from_id(&stack.pool_id)?;
        Ok(Self {
            jwks: mint::jwks([&key]),
            pool,
            key,
            clients: stack.clients.clone(),
            base_url,
        })
    }

    pub fn pool(&self) -> &UserPool {
        &self.pool
    }

    pub fn jwks(&self) -> &Value {
        &self.jwks
    }

    /// `/.well-known/openid-configuration` of the pool; `issuer` is the real Cognito form, the
    /// endpoints are local.
    pub fn openid_configuration(&self) -> Value {
        let base = &self.base_url;
        let pool = self.pool.id();
        json!({
            "issuer": self.pool.issuers()[0],
            "jwks_uri": format!("{base}/{pool}/.well-known/jwks.json"),
            "token_endpoint": format!("{base}/oauth2/token"),
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "response_types_supported": ["token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": self.clients.iter().flat_map(|c| c.scopes.iter()).collect::<std::collections::BTreeSet<_>>(),
        })
    }

    /// `POST /oauth2/token` as Cognito answers it, at `now` (Unix seconds). Checks, in order:
    /// content type, `grant_type` present and supported, client authentication (HTTP Basic or
    /// `client_id`/`client_secret` in the form, not both), the client's flow, the scopes.
    pub fn token(&self, request: &TokenRequest<'_>, now: u64) -> TokenAnswer {
        let form_type = request
            .content_type
            .and_then(|t| t.split(';').next())
            .is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        if !form_type {
            return TokenAnswer::error("invalid_request");
        }
        let mut params: Vec<(String, String)> = Vec::new();
        for (name, value) in form_urlencoded::parse(request.query.as_bytes())
            .chain(form_urlencoded::parse(request.body))
        {
            if params.iter().any(|(n, _)| *n == name) {
                return TokenAnswer::error("invalid_request");
            }
            params.push((name.into_owned(), value.into_owned()));
        }
        let param = |name: &str| {
            params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        match param("grant_type") {
            None | Some("") => return TokenAnswer::error("invalid_request"),
            Some("client_credentials") => {}
            Some("authorization_code" | "refresh_token") => {
                return TokenAnswer::error("unauthorized_client");
            }
            Some(_) => return TokenAnswer::error("unsupported_grant_type"),
        }
        let basic = request.authorization.map(basic_credentials);
        let form =
            param("client_id").map(|id| (id.to_owned(), param("client_secret").map(str::to_owned)));
        let (client_id, secret) = match (basic, form) {
            (Some(Some(creds)), None) => (creds.0, Some(creds.1)),
            (None, Some(creds)) => creds,
            (Some(Some(_)), Some(_)) => return TokenAnswer::error("invalid_request"),
            (Some(None), _) | (None, None) => return TokenAnswer::error("invalid_client"),
        };
        let Some(client) = self.authenticate(&client_id, secret.as_deref()) else {
            return TokenAnswer::error("invalid_client");
        };
        if !client.flows.iter().any(|f| f == "client_credentials") {
            return TokenAnswer::error("unauthorized_client");
        }
        let scopes: Vec<&str> = match param("scope").map(str::split_ascii_whitespace) {
            Some(requested) => {
                let requested: Vec<&str> = requested.collect();
                if requested
                    .iter()
                    .any(|s| !client.scopes.iter().any(|c| c == s))
                {
                    return TokenAnswer::error("invalid_scope");
                }
                requested
            }
            None => client.scopes.iter().map(String::as_str).collect(),
        };
        if scopes.is_empty() {
            return TokenAnswer::error("invalid_scope");
        }
        let claims = mint::client_credentials_claims(
            &self.pool,
            &client.credentials.client_id,
            &scopes,
            now,
            client.access_token_seconds,
        );
        TokenAnswer {
            status: 200,
            body: json!({
                "access_token": self.key.sign(&claims),
                "expires_in": client.access_token_seconds,
                "token_type": "Bearer",
            }),
            reason: "issued",
        }
    }

    /// A signed-in user's access token (`username`, `cognito:groups` when `groups` is not empty;
    /// scopes default to `aws.cognito.signin.user.admin`), issued to `client_id` (default: the
    /// template's first app client) for `ttl` seconds from `now`.
    pub fn user_token(
        &self,
        username: &str,
        groups: &[&str],
        scopes: &[&str],
        client_id: Option<&str>,
        now: u64,
        ttl: u64,
    ) -> Option<String> {
        let client_id = match client_id {
            Some(id) => id,
            None => self.clients.first()?.credentials.client_id.as_str(),
        };
        let scopes = if scopes.is_empty() {
            &[USER_ADMIN_SCOPE][..]
        } else {
            scopes
        };
        let claims = mint::user_claims(&self.pool, client_id, username, groups, scopes, now, ttl);
        Some(self.key.sign(&claims))
    }

    fn authenticate(&self, client_id: &str, secret: Option<&str>) -> Option<&AppClient> {
        let client = self
            .clients
            .iter()
            .find(|c| c.credentials.client_id == client_id)?;
        let given = secret.unwrap_or_default().as_bytes();
        let expected = if client.has_secret {
            client.credentials.client_secret.as_bytes()
        } else {
            b"".as_slice()
        };
        aws_lc_rs::constant_time::verify_slices_are_equal(given, expected)
            .ok()
            .map(|()| client)
    }
}

/// `Basic base64(id:secret)` → `(id, secret)`; `None` for any other scheme or a bad encoding.
fn basic_credentials(header: &str) -> Option<(String, String)> {
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

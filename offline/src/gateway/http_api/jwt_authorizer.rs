//! An HTTP API JWT authorizer at run time, as "Control access to HTTP APIs with JWT authorizers
//! in API Gateway" documents its workflow:
//!
//! 1. the token is the identity source (a header or query parameter), "only the token, or the
//!    token prefixed with `Bearer`"; missing or empty: 401;
//! 2. its algorithm and signature are checked against the issuer's keys (`kid` must name one),
//!    by the Lambda authorizer's verifier, trusting the local pool;
//! 3. `iss` must match the authorizer's `issuer`; `aud`, else `client_id` ("API Gateway validates
//!    `client_id` only if `aud` is not present"), one of its `audience`; `exp`, `nbf` and `iat`
//!    the current time; `token_use` is not read, so an ID token whose `aud` is an audience
//!    passes;
//! 4. the token must hold one of the route's `AuthorizationScopes` (`scope`).
//!
//! "If any of these steps fail, API Gateway denies the API request": a failure of steps 1 to 3 is
//! 401 `{"message":"Unauthorized"}` with a `www-authenticate` header ("Troubleshooting issues
//! with HTTP API JWT authorizers"); a token without the route's scope is 403
//! `{"message":"Forbidden"}`. The integration gets the claims in
//! `requestContext.authorizer.jwt.claims`, every value a string (`claim_text`), and the token's
//! scopes in `jwt.scopes` (`null` for a route without scopes).

use std::collections::HashSet;

use authorizer::{Reject, TokenUse, Verifier};
use serde_json::{Value, json};

use super::event::V2Request;
use super::responses::HttpError;
use crate::gateway::claim_text::http_claims;
use crate::gateway::pool_verifier::{pool_verifier, token_claims};
use crate::message::{AuthorizerUse, Response};
use crate::template::{JwtAuthorizer, TokenSource};

/// Why a request is refused: the answer, the `www-authenticate` header's error description (401
/// only) and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) error: HttpError,
    pub(crate) description: Option<String>,
    pub(crate) reason: &'static str,
}

impl Refusal {
    fn unauthorized(description: impl Into<String>, reason: &'static str) -> Self {
        Self {
            error: HttpError::Unauthorized,
            description: Some(description.into()),
            reason,
        }
    }

    /// The API's answer: 401 with `www-authenticate: Bearer scope="" error="invalid_token"
    /// error_description="..."`, or 403.
    pub(crate) fn respond(&self) -> Response {
        let mut response = self.error.respond(self.reason, AuthorizerUse::None);
        if let Some(description) = &self.description {
            let value = format!(
                r#"Bearer scope="" error="invalid_token" error_description="{description}""#
            );
            response
                .headers
                .push(("www-authenticate".to_owned(), value));
        }
        response
    }
}

/// The description AWS documents for a token issued to another audience.
const WRONG_AUDIENCE: &str = "the token does not have a valid audience";

/// One JWT authorizer of the HTTP API.
#[derive(Debug)]
pub(crate) struct JwtRuntime {
    spec: JwtAuthorizer,
    verifier: Verifier,
}

impl JwtRuntime {
    /// The authorizer of `spec`, trusting the local pool `pool_id` whose keys `issuer_url` serves.
    pub(crate) fn new(
        spec: &JwtAuthorizer,
        pool_id: &str,
        issuer_url: &str,
    ) -> Result<Self, String> {
        let audience: HashSet<String> = spec.audience.iter().cloned().collect();
        Ok(Self {
            spec: spec.clone(),
            verifier: pool_verifier(pool_id, issuer_url, TokenUse::Any, audience)?,
        })
    }

    /// Fetch the keys (the issuer must be serving).
    pub(crate) async fn prefetch(&self) {
        self.verifier.prefetch().await;
    }

    /// `requestContext.authorizer` for the request `v2` to a route requiring `scopes`, or why it
    /// is refused.
    pub(crate) async fn authorize(
        &self,
        v2: &V2Request,
        scopes: &[String],
    ) -> Result<Value, Refusal> {
        let token = match &self.spec.source {
            TokenSource::Header(name) => v2.header(name),
            TokenSource::QueryString(name) => v2.query(name),
        };
        let token = token.filter(|t| !t.trim().is_empty()).ok_or_else(|| {
            Refusal::unauthorized("no token in the identity source", "missing_token")
        })?;
        let grants = self.verifier.verify(&token).await.map_err(|reject| {
            let description = match &reject {
                Reject::ClientNotAllowed | Reject::ClientIdMissing => WRONG_AUDIENCE.to_owned(),
                other => other.to_string(),
            };
            Refusal::unauthorized(description, reject.code())
        })?;
        let claims = token_claims(&token).unwrap_or_default();
        if claims.get("iss").and_then(Value::as_str) != Some(self.spec.issuer.as_str()) {
            return Err(Refusal::unauthorized(
                Reject::IssuerInvalid.to_string(),
                "issuer_invalid",
            ));
        }
        if !scopes.is_empty() && !scopes.iter().any(|s| grants.has_scope(s)) {
            let error = HttpError::Forbidden;
            return Err(Refusal {
                error,
                description: None,
                reason: "scope_missing",
            });
        }
        let token_scopes = (!scopes.is_empty()).then_some(&grants.scopes);
        Ok(json!({"jwt": {"claims": http_claims(&claims), "scopes": token_scopes}}))
    }
}

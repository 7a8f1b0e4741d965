//! A REST API `COGNITO_USER_POOLS` authorizer at run time, as AWS documents it ("Integrate a REST
//! API with an Amazon Cognito user pool"; the API reference's `Authorizer` and `Method`):
//!
//! - the token is the authorizer's header (`Identity.Header`); missing or empty: 401;
//! - `Identity.ValidationExpression` is matched against the token's `aud` before the token is
//!   verified: no match (an access token has no `aud`): 401;
//! - a method without authorization scopes takes an ID token ("API Gateway treats the supplied
//!   token as an identity token"), a method with scopes an access token holding any one of them
//!   ("Otherwise, the call fails with a `401 Unauthorized` response");
//! - the token is verified by the Lambda authorizer's verifier (signature against the pool's keys,
//!   issuer, `exp`, `iat`, `token_use`); any failure: 401;
//! - the integration gets the token's claims in `requestContext.authorizer.claims`, every value a
//!   string (`claim_text`).
//!
//! An expired token is answered `The incoming token has expired` (as deployed APIs answer it;
//! AWS does not document the message), every other refusal `Unauthorized`; both through the
//! `UNAUTHORIZED` gateway response.

use std::collections::HashSet;

use authorizer::{Reject, TokenUse, Verifier};
use serde_json::{Map, Value, json};

use crate::gateway::claim_text::rest_claims;
use crate::gateway::pool_verifier::{pool_verifier, token_claims};
use crate::message::Request;
use crate::template::CognitoAuthorizer;

/// `$context.error.message` of an expired token's 401.
pub(crate) const EXPIRED: &str = "The incoming token has expired";

/// Why a request is refused (always the `UNAUTHORIZED` response): the message and the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// `$context.error.message`.
    pub(crate) message: &'static str,
    pub(crate) reason: &'static str,
}

impl Refusal {
    fn unauthorized(reason: &'static str) -> Self {
        Self {
            message: "Unauthorized",
            reason,
        }
    }
}

/// The refusal of a token the verifier refuses: `The incoming token has expired` or
/// `Unauthorized`.
fn refusal(reject: &Reject) -> Refusal {
    match reject {
        Reject::Expired => Refusal {
            message: EXPIRED,
            reason: reject.code(),
        },
        other => Refusal::unauthorized(other.code()),
    }
}

/// One `COGNITO_USER_POOLS` authorizer of the REST API.
#[derive(Debug)]
pub(crate) struct CognitoRuntime {
    spec: CognitoAuthorizer,
    /// For methods without scopes.
    id_tokens: Verifier,
    /// For methods with scopes.
    access_tokens: Verifier,
}

impl CognitoRuntime {
    /// The authorizer of `spec`, trusting the local pool `pool_id` whose keys `issuer_url` serves.
    pub(crate) fn new(
        spec: &CognitoAuthorizer,
        pool_id: &str,
        issuer_url: &str,
    ) -> Result<Self, String> {
        let verifier = |token_use| pool_verifier(pool_id, issuer_url, token_use, HashSet::new());
        Ok(Self {
            spec: spec.clone(),
            id_tokens: verifier(TokenUse::Id)?,
            access_tokens: verifier(TokenUse::Access)?,
        })
    }

    /// Fetch the keys (the issuer must be serving).
    pub(crate) async fn prefetch(&self) {
        self.id_tokens.prefetch().await;
        self.access_tokens.prefetch().await;
    }

    /// `requestContext.authorizer` for `request` to a method requiring `scopes` (none: an ID
    /// token), or why it is refused.
    pub(crate) async fn authorize(
        &self,
        request: &Request,
        scopes: &[String],
    ) -> Result<Map<String, Value>, Refusal> {
        let token = request
            .header(&self.spec.header)
            .filter(|t| !t.trim().is_empty())
            .ok_or(Refusal::unauthorized("missing_token"))?;
        if let Some(expression) = &self.spec.validation {
            let claims = token_claims(token).unwrap_or_default();
            let aud = claims.get("aud").and_then(Value::as_str);
            if !aud.is_some_and(|aud| expression.is_match(aud)) {
                return Err(Refusal::unauthorized("validation_expression"));
            }
        }
        let verifier = if scopes.is_empty() {
            &self.id_tokens
        } else {
            &self.access_tokens
        };
        let grants = verifier.verify(token).await.map_err(|r| refusal(&r))?;
        if !scopes.is_empty() && !scopes.iter().any(|s| grants.has_scope(s)) {
            return Err(Refusal::unauthorized("scope_missing"));
        }
        let claims = token_claims(token).unwrap_or_default();
        let mut authorizer = Map::new();
        authorizer.insert("claims".to_owned(), json!(rest_claims(&claims)));
        Ok(authorizer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expired_token_says_so_and_every_other_refusal_is_unauthorized() {
        assert_eq!(refusal(&Reject::Expired).message, EXPIRED);
        assert_eq!(refusal(&Reject::Expired).reason, "token_expired");
        for reject in [
            Reject::SignatureInvalid,
            Reject::NotIdToken,
            Reject::NotYetValid,
        ] {
            assert_eq!(refusal(&reject), Refusal::unauthorized(reject.code()));
        }
    }
}

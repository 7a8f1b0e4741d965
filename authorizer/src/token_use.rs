//! Which of a user pool's tokens the verifier takes (`token_use`), and which claim names the app
//! client each kind was issued to.

use serde_json::Value;

use crate::error::Reject;
use crate::token::Claims;

/// The tokens a [`Verifier`](crate::Verifier) accepts. The default, [`TokenUse::Access`], is the
/// Lambda authorizer's: only access tokens. The other two serve API Gateway's own authorizers as
/// the offline stack emulates them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TokenUse {
    /// `token_use: access`; the client is `client_id`. The default.
    #[default]
    Access,
    /// `token_use: id`; the client is `aud` (a REST API `COGNITO_USER_POOLS` authorizer on a method
    /// without authorization scopes).
    Id,
    /// Any `token_use`, or none; the client is `aud` when present, else `client_id` (an HTTP API
    /// JWT authorizer, which never reads `token_use`).
    Any,
}

impl TokenUse {
    /// The app client `claims` were issued to, once their `token_use` is one this accepts.
    pub(crate) fn client(self, claims: &Claims) -> Result<String, Reject> {
        let token_use = claims.token_use.as_deref();
        let client = match self {
            Self::Access if token_use != Some("access") => return Err(Reject::NotAccessToken),
            Self::Id if token_use != Some("id") => return Err(Reject::NotIdToken),
            Self::Access => claims.client_id.clone(),
            Self::Id => audience(claims.aud.as_ref())?,
            Self::Any => match audience(claims.aud.as_ref())? {
                Some(aud) => Some(aud),
                None => claims.client_id.clone(),
            },
        };
        client
            .filter(|c| !c.is_empty())
            .ok_or(Reject::ClientIdMissing)
    }
}

/// `aud` as one client id: absent is `None`; a string is that client; anything else (a list, as
/// RFC 7519 allows but Cognito never issues) is refused.
fn audience(aud: Option<&Value>) -> Result<Option<String>, Reject> {
    match aud {
        None => Ok(None),
        Some(Value::String(aud)) => Ok(Some(aud.clone())),
        Some(_) => Err(Reject::ClaimType("aud")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(token_use: Option<&str>, client_id: Option<&str>, aud: Option<Value>) -> Claims {
        Claims {
            token_use: token_use.map(str::to_owned),
            client_id: client_id.map(str::to_owned),
            aud,
            ..Claims::default()
        }
    }

    #[test]
    fn access_takes_access_tokens_and_their_client_id() {
        let access = claims(Some("access"), Some("c1"), None);
        assert_eq!(TokenUse::Access.client(&access).unwrap(), "c1");
        let id = claims(Some("id"), None, Some(json!("c1")));
        assert_eq!(TokenUse::Access.client(&id), Err(Reject::NotAccessToken));
        let no_client = claims(Some("access"), Some(""), Some(json!("c1")));
        assert_eq!(
            TokenUse::Access.client(&no_client),
            Err(Reject::ClientIdMissing),
            "an access token's client is its client_id, never aud"
        );
    }

    #[test]
    fn id_takes_id_tokens_and_their_audience() {
        let id = claims(Some("id"), None, Some(json!("c2")));
        assert_eq!(TokenUse::Id.client(&id).unwrap(), "c2");
        let access = claims(Some("access"), Some("c2"), None);
        assert_eq!(TokenUse::Id.client(&access), Err(Reject::NotIdToken));
        let no_aud = claims(Some("id"), Some("c2"), None);
        assert_eq!(TokenUse::Id.client(&no_aud), Err(Reject::ClientIdMissing));
        let many = claims(Some("id"), None, Some(json!(["c2", "c3"])));
        assert_eq!(TokenUse::Id.client(&many), Err(Reject::ClaimType("aud")));
    }

    #[test]
    fn any_reads_aud_before_client_id_whatever_the_token_use() {
        for token_use in [Some("access"), Some("id"), Some("other"), None] {
            let both = claims(token_use, Some("from-client-id"), Some(json!("from-aud")));
            assert_eq!(TokenUse::Any.client(&both).unwrap(), "from-aud");
            let client_id_only = claims(token_use, Some("from-client-id"), None);
            assert_eq!(
                TokenUse::Any.client(&client_id_only).unwrap(),
                "from-client-id"
            );
            let neither = claims(token_use, None, None);
            assert_eq!(TokenUse::Any.client(&neither), Err(Reject::ClientIdMissing));
        }
    }
}

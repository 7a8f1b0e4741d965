//! `POST /oauth2/revoke`: revokes a refresh token (and with it the sign-in its tokens share),
//! as `RevokeToken` does; the client authenticates as at the token endpoint. An unknown token is
//! answered 200 like a known one (RFC 7009).

use serde_json::json;

use super::client_auth::authenticated_client;
use super::error::OAuthError;
use super::params::Params;
use crate::issuer::Issuer;
use crate::issuer::sign_ins;
use crate::message::{AuthorizerUse, Request, Response};

pub(crate) fn revoke(issuer: &Issuer, request: &Request) -> Response {
    match revoked(issuer, request) {
        Ok(()) => Response {
            status: 200,
            headers: Vec::new(),
            body: Vec::new(),
            reason: "revoked".to_owned(),
            authorizer: AuthorizerUse::None,
        },
        Err(e) => Response::json(400, &json!({"error": e.code()}), e.code()),
    }
}

fn revoked(issuer: &Issuer, request: &Request) -> Result<(), OAuthError> {
    let params = Params::read(request.header("content-type"), "", &request.body)?;
    let client = authenticated_client(request.header("authorization"), &params, issuer.clients())?;
    let token = params
        .get("token")
        .filter(|t| !t.is_empty())
        .ok_or(OAuthError::InvalidRequest)?;
    if !client.token_revocation {
        return Err(OAuthError::UnauthorizedClient);
    }
    if token.split('.').count() == 3 {
        return Err(OAuthError::UnsupportedTokenType);
    }
    sign_ins::revoke(issuer.directory(), &client.credentials.client_id, token)
        .map_err(|_| OAuthError::ServerError)?;
    Ok(())
}

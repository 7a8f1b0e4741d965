//! The OAuth 2.0 endpoints a client calls with `fetch` or from a server, as Cognito serves them:
//! `POST /oauth2/token` (`token`, its client authentication `client_auth` and form `params`; the
//! people's grants in `grants`), `/oauth2/userInfo` (`userinfo`) and `POST /oauth2/revoke`
//! (`revoke`), each with CORS for a page on another origin (`cors`). Beside them, what the hosted
//! UI shares with them: the authorization request (`authorize_request`), PKCE (`pkce`) and the
//! error codes (`error`).

pub(crate) mod authorize_request;
pub(crate) mod client_auth;
pub(crate) mod cors;
pub(crate) mod error;
pub(crate) mod grants;
pub(crate) mod params;
pub(crate) mod pkce;
pub(crate) mod revoke;
pub(crate) mod token;
pub(crate) mod userinfo;

use serde_json::json;

pub(crate) use self::authorize_request::{AuthorizeRefusal, AuthorizeRequest};
use self::token::TokenRequest;
use super::Issuer;
use crate::message::{Request, Response};

pub(crate) const TOKEN_PATH: &str = "/oauth2/token";
pub(crate) const USERINFO_PATH: &str = "/oauth2/userInfo";
pub(crate) const REVOKE_PATH: &str = "/oauth2/revoke";

/// Whether `path` is one of these endpoints.
pub(crate) fn serves(path: &str) -> bool {
    [TOKEN_PATH, USERINFO_PATH, REVOKE_PATH].contains(&path)
}

/// The answer to `request` at `now` (Unix seconds); `None` for a method the userInfo or revoke
/// endpoint does not take.
pub(crate) fn answer(issuer: &Issuer, request: &Request, now: u64) -> Option<Response> {
    let method = request.method.as_str();
    let answer = match (request.path.as_str(), method) {
        (TOKEN_PATH, _) => token(issuer, request, now),
        (USERINFO_PATH | REVOKE_PATH, "OPTIONS") => cors::preflight(request),
        (USERINFO_PATH, "GET" | "POST") => {
            cors::allow(request, userinfo::userinfo(issuer, request, now))
        }
        (REVOKE_PATH, "POST") => cors::allow(request, revoke::revoke(issuer, request)),
        _ => return None,
    };
    Some(answer)
}

fn token(issuer: &Issuer, request: &Request, now: u64) -> Response {
    match request.method.as_str() {
        "OPTIONS" => cors::preflight(request),
        "POST" => {
            let token = TokenRequest {
                content_type: request.header("content-type"),
                authorization: request.header("authorization"),
                query: request.query.as_deref().unwrap_or_default(),
                body: &request.body,
            };
            let answer = token::token(&token, issuer, now);
            let mut response = Response::json(answer.status, &answer.body, answer.reason);
            response
                .headers
                .push(("cache-control".to_owned(), "no-store".to_owned()));
            cors::allow(request, response)
        }
        _ => Response::json(
            405,
            &json!({"error": "invalid_request"}),
            "method_not_allowed",
        ),
    }
}

//! The issuer's HTTP endpoints, as Cognito serves them: `POST /oauth2/token` (and its CORS
//! preflight), `GET /{poolId}/.well-known/jwks.json` and `.../openid-configuration` (also at the
//! root), the hosted UI's paths, and Cognito's JSON API on `POST /` with `X-Amz-Target`. Other
//! requests are not the issuer's.

use serde_json::{Value, json};

use super::token_endpoint::TokenRequest;
use super::{Issuer, hosted_ui, json_api};
use crate::message::{Request, Response};

/// Whether `path` is one of the issuer's endpoints (any pool's well-known documents included).
/// The JSON API's `/` is the issuer's only with an `X-Amz-Target` ([`json_api::serves`]).
pub fn serves(path: &str) -> bool {
    path == TOKEN_PATH
        || path == ROOT_CONFIGURATION
        || hosted_ui::serves(path)
        || path
            .strip_prefix('/')
            .and_then(|p| p.split_once("/.well-known/"))
            .is_some_and(|(_, doc)| matches!(doc, "jwks.json" | "openid-configuration"))
}

pub const TOKEN_PATH: &str = "/oauth2/token";
const ROOT_CONFIGURATION: &str = "/.well-known/openid-configuration";

/// The issuer's answer to `request` at `now` (Unix seconds); `None` when it is not one of its
/// endpoints.
pub fn answer(issuer: &Issuer, request: &Request, now: u64) -> Option<Response> {
    if json_api::serves(request) {
        return Some(json_api::answer(issuer, request, now));
    }
    if request.path == TOKEN_PATH {
        return Some(token(issuer, request, now));
    }
    if hosted_ui::serves(&request.path) {
        return Some(hosted_ui::answer(issuer, request, now));
    }
    let document = well_known(issuer, &request.path)?;
    let answer = match (request.method == "GET", document) {
        (false, _) => Response::json(
            405,
            &json!({"message": "Method Not Allowed"}),
            "method_not_allowed",
        ),
        (true, Some(document)) => Response::json(200, &document, "ok"),
        (true, None) => Response::json(
            404,
            &json!({"message": "User pool does not exist."}),
            "unknown_pool",
        ),
    };
    // Browser OpenID clients read the discovery document and the keys from another origin.
    Some(hosted_ui::cors::allow(request, answer))
}

fn token(issuer: &Issuer, request: &Request, now: u64) -> Response {
    match request.method.as_str() {
        "OPTIONS" => hosted_ui::cors::preflight(request),
        "POST" => {
            let token = TokenRequest {
                content_type: request.header("content-type"),
                authorization: request.header("authorization"),
                query: request.query.as_deref().unwrap_or_default(),
                body: &request.body,
            };
            let answer = issuer.token(&token, now);
            let mut response = Response::json(answer.status, &answer.body, answer.reason);
            response
                .headers
                .push(("cache-control".to_owned(), "no-store".to_owned()));
            hosted_ui::cors::allow(request, response)
        }
        _ => Response::json(
            405,
            &json!({"error": "invalid_request"}),
            "method_not_allowed",
        ),
    }
}

/// `Some(Some(doc))` for a well-known document of the local pool, `Some(None)` for one of
/// another pool, `None` for any other path.
fn well_known(issuer: &Issuer, path: &str) -> Option<Option<Value>> {
    if path == ROOT_CONFIGURATION {
        return Some(Some(issuer.openid_configuration()));
    }
    let (pool, document) = path.strip_prefix('/')?.split_once("/.well-known/")?;
    let local = pool == issuer.pool().id();
    match document {
        "jwks.json" => Some(local.then(|| issuer.jwks().clone())),
        "openid-configuration" => Some(local.then(|| issuer.openid_configuration())),
        _ => None,
    }
}

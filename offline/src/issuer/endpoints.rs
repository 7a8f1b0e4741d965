//! The issuer's HTTP endpoints, as Cognito serves them: `POST /oauth2/token`,
//! `GET /{poolId}/.well-known/jwks.json` and `.../openid-configuration` (also at the root).
//! Other paths are not the issuer's.

use serde_json::{Value, json};

use super::Issuer;
use super::token_endpoint::TokenRequest;
use crate::message::{Request, Response};

/// Whether `path` is one of the issuer's endpoints (any pool's well-known documents included).
pub fn serves(path: &str) -> bool {
    path == TOKEN_PATH
        || path == ROOT_CONFIGURATION
        || path
            .strip_prefix('/')
            .and_then(|p| p.split_once("/.well-known/"))
            .is_some_and(|(_, doc)| matches!(doc, "jwks.json" | "openid-configuration"))
}

const TOKEN_PATH: &str = "/oauth2/token";
const ROOT_CONFIGURATION: &str = "/.well-known/openid-configuration";

/// The issuer's answer to `request` at `now` (Unix seconds); `None` when the path is not one of
/// its endpoints.
pub fn answer(issuer: &Issuer, request: &Request, now: u64) -> Option<Response> {
    if request.path == TOKEN_PATH {
        if request.method != "POST" {
            return Some(Response::json(
                405,
                &json!({"error": "invalid_request"}),
                "method_not_allowed",
            ));
        }
        let token = TokenRequest {
            content_type: request.header("content-type"),
            authorization: request.header("authorization"),
            query: request.query.as_deref().unwrap_or_default(),
            body: &request.body,
        };
        let answer = issuer.token(&token, now);
        return Some(Response::json(answer.status, &answer.body, answer.reason));
    }
    let document = well_known(issuer, &request.path)?;
    Some(match (request.method == "GET", document) {
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
    })
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

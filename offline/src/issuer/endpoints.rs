//! The issuer's HTTP endpoints, as Cognito serves them: the OAuth endpoints (`/oauth2/token`,
//! `/oauth2/userInfo`, `/oauth2/revoke`), `GET /{poolId}/.well-known/jwks.json` and
//! `.../openid-configuration` (also at the root), the hosted UI's paths, and Cognito's JSON API
//! on `POST /` with `X-Amz-Target`. Other requests are not the issuer's.

use serde_json::{Value, json};

use super::oauth::cors;
use super::{Issuer, hosted_ui, json_api, oauth};
use crate::message::{Request, Response};

/// Whether `path` is one of the issuer's endpoints (any pool's well-known documents included).
/// The JSON API's `/` is the issuer's only with an `X-Amz-Target` ([`json_api::serves`]).
pub(crate) fn serves(path: &str) -> bool {
    path == ROOT_CONFIGURATION
        || oauth::serves(path)
        || hosted_ui::serves(path)
        || path
            .strip_prefix('/')
            .and_then(|p| p.split_once("/.well-known/"))
            .is_some_and(|(_, doc)| matches!(doc, "jwks.json" | "openid-configuration"))
}

const ROOT_CONFIGURATION: &str = "/.well-known/openid-configuration";

/// The issuer's answer to `request` at `now` (Unix seconds); `None` when it is not one of its
/// endpoints.
pub(crate) fn answer(issuer: &Issuer, request: &Request, now: u64) -> Option<Response> {
    if json_api::serves(request) {
        return Some(json_api::answer(issuer, request, now));
    }
    if oauth::serves(&request.path) {
        // The hosted UI's page refuses a method userInfo and revoke do not take.
        let answer = oauth::answer(issuer, request, now);
        return Some(answer.unwrap_or_else(hosted_ui::method_not_allowed));
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
    Some(cors::allow(request, answer))
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

//! Which service answers a request: the issuer's endpoints (`/oauth2/token`, the JWKS and OpenID
//! configuration), else the API gateway.

use std::net::SocketAddr;

use http_body_util::{BodyExt, Limited};
use hyper::Method;
use hyper::body::Incoming;
use serde_json::{Value, json};

use crate::gateway::Gateway;
use crate::issuer::{Issuer, TokenRequest};
use crate::message::{Request, Response};

/// API Gateway's payload limit (10 MiB); larger bodies get 413.
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// The shared parts a request needs.
#[derive(Debug)]
pub struct Services {
    pub issuer: Issuer,
    pub gateway: Gateway,
}

/// The answer to `request` from `peer`.
pub async fn dispatch(
    services: &Services,
    request: hyper::Request<Incoming>,
    peer: SocketAddr,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return Response::json(
                413,
                &json!({"message": "Request Too Long"}),
                "body_too_large",
            );
        }
    };
    let path = parts.uri.path();
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if path == "/oauth2/token" {
        if parts.method != Method::POST {
            return Response::json(
                405,
                &json!({"error": "invalid_request"}),
                "method_not_allowed",
            );
        }
        let answer = services.issuer.token(
            &TokenRequest {
                content_type: header("content-type"),
                authorization: header("authorization"),
                query: parts.uri.query().unwrap_or_default(),
                body: &body,
            },
            authorizer::verifier::unix_now(),
        );
        return Response::json(answer.status, &answer.body, answer.reason);
    }
    if let Some(document) = well_known(&services.issuer, path) {
        return match (parts.method == Method::GET, document) {
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
    }
    let headers = parts
        .headers
        .iter()
        .filter_map(|(n, v)| Some((header_case(n.as_str()), v.to_str().ok()?.to_owned())))
        .collect();
    services
        .gateway
        .handle(Request {
            method: parts.method.as_str().to_owned(),
            path: path.to_owned(),
            query: parts.uri.query().map(str::to_owned),
            headers,
            body: body.to_vec(),
            source_ip: peer.ip().to_string(),
            host: header("host").unwrap_or("127.0.0.1").to_owned(),
        })
        .await
}

/// `Some(Some(doc))` for a well-known document of the local pool, `Some(None)` for one of
/// another pool, `None` for any other path.
fn well_known(issuer: &Issuer, path: &str) -> Option<Option<Value>> {
    if path == "/.well-known/openid-configuration" {
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

/// `content-type` → `Content-Type`: hyper lower-cases names; API Gateway passes the client's
/// spelling, which for common clients is this one.
fn header_case(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join("-")
}

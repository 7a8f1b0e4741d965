//! Which service answers a request: the issuer's endpoints (`/oauth2/token`, the JWKS and OpenID
//! configuration), else the API gateway.

use std::net::SocketAddr;

use http_body_util::{BodyExt, Limited};
use hyper::Method;
use hyper::body::Incoming;
use hyper::http::request::Parts;
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
    match issuer_endpoint(&services.issuer, &parts, &body) {
        Some(answer) => answer,
        None => {
            services
                .gateway
                .handle(api_request(&parts, &body, peer))
                .await
        }
    }
}

/// The answer of the issuer's endpoint at the request's path, if it is one.
fn issuer_endpoint(issuer: &Issuer, parts: &Parts, body: &[u8]) -> Option<Response> {
    let path = parts.uri.path();
    if path == "/oauth2/token" {
        if parts.method != Method::POST {
            return Some(Response::json(
                405,
                &json!({"error": "invalid_request"}),
                "method_not_allowed",
            ));
        }
        let answer = issuer.token(
            &TokenRequest {
                content_type: header(parts, "content-type"),
                authorization: header(parts, "authorization"),
                query: parts.uri.query().unwrap_or_default(),
                body,
            },
            authorizer::verifier::unix_now(),
        );
        return Some(Response::json(answer.status, &answer.body, answer.reason));
    }
    let document = well_known(issuer, path)?;
    Some(match (parts.method == Method::GET, document) {
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

/// The request as the gateway takes it.
fn api_request(parts: &Parts, body: &[u8], peer: SocketAddr) -> Request {
    let headers = parts
        .headers
        .iter()
        .filter_map(|(n, v)| Some((header_case(n.as_str()), v.to_str().ok()?.to_owned())))
        .collect();
    Request {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers,
        body: body.to_vec(),
        source_ip: peer.ip().to_string(),
        host: header(parts, "host").unwrap_or("127.0.0.1").to_owned(),
    }
}

fn header<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts.headers.get(name).and_then(|v| v.to_str().ok())
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

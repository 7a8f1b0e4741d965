//! Which service answers a request: the issuer's endpoints (`/oauth2/token`, the JWKS and OpenID
//! configuration), else the API gateway. New issuer endpoints go in `issuer::endpoints`. The
//! browser app has a listener of its own.

use std::net::SocketAddr;

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::http::request::Parts;
use serde_json::json;

use super::listener::Handler;
use crate::app::App;
use crate::gateway::Gateway;
use crate::issuer::{Issuer, endpoints};
use crate::message::{Request, Response};

/// API Gateway's payload limit (10 MiB); larger bodies get 413.
pub(crate) const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// The shared parts a request needs.
#[derive(Debug)]
pub(crate) struct Services {
    pub(crate) issuer: Issuer,
    pub(crate) gateway: Gateway,
}

impl Handler for Services {
    async fn answer(&self, request: hyper::Request<Incoming>, peer: SocketAddr) -> Response {
        dispatch(self, request, peer).await
    }
}

/// The browser app reads no body and no header: method and path decide.
impl Handler for App {
    async fn answer(&self, request: hyper::Request<Incoming>, _peer: SocketAddr) -> Response {
        App::answer(self, request.method().as_str(), request.uri().path())
    }
}

/// The answer to `request` from `peer`.
pub(crate) async fn dispatch(
    services: &Services,
    request: hyper::Request<Incoming>,
    peer: SocketAddr,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) if endpoints::serves(parts.uri.path()) => {
            return Response::json(
                413,
                &json!({"message": "Request Too Long"}),
                "body_too_large",
            );
        }
        Err(_) => return services.gateway.too_large(parts.uri.path()),
    };
    let request = request_of(&parts, &body, peer);
    match endpoints::answer(&services.issuer, &request, authorizer::unix_now()) {
        Some(answer) => answer,
        None => services.gateway.handle(request).await,
    }
}

/// The request as the services take it: header values that are not text are left out.
fn request_of(parts: &Parts, body: &[u8], peer: SocketAddr) -> Request {
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
        host: parts
            .headers
            .get("host")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("127.0.0.1")
            .to_owned(),
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

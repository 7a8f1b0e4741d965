//! One HTTP/1.1 listener on 127.0.0.1 serving the issuer (`/oauth2/token`, the JWKS and OpenID
//! configuration) and the API, one log line per request, stopped cleanly on request.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::gateway::{self, AuthorizerUse, Gateway};
use crate::issuer::{Issuer, TokenRequest};

/// API Gateway's payload limit (10 MiB); larger bodies get 413.
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// The shared parts a request needs.
#[derive(Debug)]
pub struct Services {
    pub issuer: Issuer,
    pub gateway: Gateway,
}

/// A running listener; [`Server::stop`] ends it and every open connection.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Serves `services` on `listener` until stopped.
    pub fn spawn(listener: TcpListener, services: Arc<Services>) -> std::io::Result<Self> {
        let addr = listener.local_addr()?;
        let (shutdown, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    _ = stopped.changed() => break,
                    accepted = listener.accept() => {
                        let Ok((stream, peer)) = accepted else { continue };
                        let services = Arc::clone(&services);
                        connections.spawn(async move {
                            let service = service_fn(move |request| {
                                let services = Arc::clone(&services);
                                async move { Ok::<_, Infallible>(serve(&services, request, peer).await) }
                            });
                            let _ = http1::Builder::new()
                                .serve_connection(TokioIo::new(stream), service)
                                .await;
                        });
                    }
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
            connections.shutdown().await;
        });
        Ok(Self {
            addr,
            shutdown,
            task,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, closes open connections, and waits for the listener task.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
    }
}

async fn serve(
    services: &Services,
    request: hyper::Request<Incoming>,
    peer: SocketAddr,
) -> hyper::Response<Full<Bytes>> {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let answer = dispatch(services, request, peer).await;
    tracing::info!(
        %method,
        path,
        status = answer.status,
        reason = answer.reason,
        authorizer = answer.authorizer.as_str(),
        latency_ms = format_args!("{:.2}", started.elapsed().as_secs_f64() * 1000.0),
        "request"
    );
    let mut response = hyper::Response::new(Full::new(Bytes::from(answer.body)));
    *response.status_mut() =
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in answer.headers {
        if let (Ok(name), Ok(value)) = (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            hyper::header::HeaderValue::from_str(&value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

async fn dispatch(
    services: &Services,
    request: hyper::Request<Incoming>,
    peer: SocketAddr,
) -> gateway::Response {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return json_answer(
                413,
                json!({"message": "Request Too Long"}),
                "body_too_large",
            );
        }
    };
    let path = parts.uri.path();
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if path == "/oauth2/token" {
        if parts.method != Method::POST {
            return json_answer(
                405,
                json!({"error": "invalid_request"}),
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
            authorizer::unix_now(),
        );
        return json_answer(answer.status, answer.body, answer.reason);
    }
    if let Some(document) = well_known(services, path) {
        return match (parts.method == Method::GET, document) {
            (false, _) => json_answer(
                405,
                json!({"message": "Method Not Allowed"}),
                "method_not_allowed",
            ),
            (true, Some(document)) => json_answer(200, document, "ok"),
            (true, None) => json_answer(
                404,
                json!({"message": "User pool does not exist."}),
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
        .handle(gateway::Request {
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
fn well_known(services: &Services, path: &str) -> Option<Option<Value>> {
    if path == "/.well-known/openid-configuration" {
        return Some(Some(services.issuer.openid_configuration()));
    }
    let (pool, document) = path.strip_prefix('/')?.split_once("/.well-known/")?;
    let local = pool == services.issuer.pool().id();
    match document {
        "jwks.json" => Some(local.then(|| services.issuer.jwks().clone())),
        "openid-configuration" => Some(local.then(|| services.issuer.openid_configuration())),
        _ => None,
    }
}

fn json_answer(status: u16, body: Value, reason: &str) -> gateway::Response {
    gateway::Response {
        status,
        headers: vec![(
            "content-type".to_owned(),
            "application/json;charset=UTF-8".to_owned(),
        )],
        body: body.to_string().into_bytes(),
        reason: reason.to_owned(),
        authorizer: AuthorizerUse::None,
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

//! One HTTP/1.1 listener on 127.0.0.1: each request for its own host ([`host`](super::host))
//! handed to its [`Handler`] (the stack's [`dispatch`](super::dispatch), or the browser app), one
//! log line per request, stopped cleanly on request.

use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::Full;
use hyper::StatusCode;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::host::{self, Hosts};
use crate::message::Response;

/// What answers a listener's requests.
pub(crate) trait Handler: Send + Sync + 'static {
    /// The answer to `request` from `peer`.
    fn answer(
        &self,
        request: hyper::Request<Incoming>,
        peer: SocketAddr,
    ) -> impl Future<Output = Response> + Send;
}

/// A running listener; [`Server::stop`] ends it and every open connection.
#[derive(Debug)]
pub(crate) struct Server {
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Serves `handler` on `listener` until stopped, answering its loopback names and `also`
    /// (`--allow-host`) at its port.
    pub(crate) fn spawn<H: Handler>(
        listener: TcpListener,
        handler: Arc<H>,
        also: Option<IpAddr>,
    ) -> std::io::Result<Self> {
        let addr = listener.local_addr()?;
        let hosts = Hosts {
            port: addr.port(),
            also,
        };
        let (shutdown, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    _ = stopped.changed() => break,
                    accepted = listener.accept() => {
                        let Ok((stream, peer)) = accepted else { continue };
                        let handler = Arc::clone(&handler);
                        connections.spawn(async move {
                            let service = service_fn(move |request| {
                                let handler = Arc::clone(&handler);
                                async move { Ok::<_, Infallible>(serve(&*handler, request, peer, hosts).await) }
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

    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, closes open connections, and waits for the listener task.
    pub(crate) async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
    }
}

/// The answer to `request` from `peer` on the listener answering `hosts`, logged.
async fn serve<H: Handler>(
    handler: &H,
    request: hyper::Request<Incoming>,
    peer: SocketAddr,
    hosts: Hosts,
) -> hyper::Response<Full<Bytes>> {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let answer = if for_this_listener(&request, hosts) {
        handler.answer(request, peer).await
    } else {
        host::misdirected(hosts.port)
    };
    // The target stays `offline::server`, the name the README's log lines show.
    tracing::info!(
        target: "offline::server",
        %method,
        path,
        status = answer.status,
        reason = answer.reason,
        authorizer = answer.authorizer.as_str(),
        latency_ms = format_args!("{:.2}", started.elapsed().as_secs_f64() * 1000.0),
        "request"
    );
    to_hyper(answer)
}

/// Whether the request's one `Host` (and its target's authority, when it has one) names this
/// listener.
fn for_this_listener(request: &hyper::Request<Incoming>, hosts: Hosts) -> bool {
    let mut values = request.headers().get_all(hyper::header::HOST).iter();
    let header = match (values.next(), values.next()) {
        (Some(one), None) => one.to_str().ok(),
        _ => None,
    };
    let authority = request.uri().authority().map(|a| a.as_str());
    hosts.allow(header) && authority.is_none_or(|a| hosts.allow(Some(a)))
}

fn to_hyper(answer: Response) -> hyper::Response<Full<Bytes>> {
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

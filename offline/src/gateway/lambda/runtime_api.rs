//! A loopback Lambda Runtime API for one execution environment: the function's process asks for
//! its next event (`GET /2018-06-01/runtime/invocation/next`, answered when an invocation is
//! submitted, with Lambda's `Lambda-Runtime-*` headers) and posts the answer
//! (`/invocation/{id}/response`, at most 6 MB), the handler's error (`/invocation/{id}/error`)
//! or its init's (`/init/error`), as the Lambda developer guide's "Using the Lambda runtime API
//! for custom runtimes" describes them.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot, watch};

use super::invocation::{Failure, FunctionError};

/// Lambda's largest synchronous answer (6 MB).
pub(crate) const MAX_ANSWER_BYTES: usize = 6 * 1024 * 1024;

const PREFIX: &str = "/2018-06-01/runtime";

/// One invocation handed to the runtime.
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) request_id: String,
    pub(crate) event: Bytes,
    /// Milliseconds since the epoch when the function times out.
    pub(crate) deadline_ms: u64,
    pub(crate) function_arn: String,
    pub(crate) trace_id: String,
    pub(crate) reply: oneshot::Sender<Outcome>,
}

/// What the runtime posted for an invocation.
#[derive(Debug)]
pub(crate) enum Outcome {
    Answer(Bytes),
    Error(FunctionError),
}

/// A running Runtime API; stopped when dropped.
#[derive(Debug)]
pub(crate) struct RuntimeApi {
    addr: SocketAddr,
    jobs: mpsc::UnboundedSender<Job>,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
}

#[derive(Debug)]
struct Shared {
    queue: tokio::sync::Mutex<mpsc::UnboundedReceiver<Job>>,
    in_flight: Mutex<HashMap<String, oneshot::Sender<Outcome>>>,
    /// When the runtime first asked for an event: its init is over.
    ready: Mutex<Option<Instant>>,
    init_error: Mutex<Option<FunctionError>>,
}

impl RuntimeApi {
    /// Serves on a free port of 127.0.0.1.
    pub(crate) async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (jobs, queue) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            queue: tokio::sync::Mutex::new(queue),
            in_flight: Mutex::new(HashMap::new()),
            ready: Mutex::new(None),
            init_error: Mutex::new(None),
        });
        let (shutdown, stopped) = watch::channel(false);
        tokio::spawn(serve(listener, Arc::clone(&shared), stopped));
        Ok(Self {
            addr,
            jobs,
            shared,
            shutdown,
        })
    }

    /// `AWS_LAMBDA_RUNTIME_API`: `127.0.0.1:PORT`.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Queues `job` for the runtime's next `GET .../next`.
    pub(crate) fn submit(&self, job: Job) {
        let _ = self.jobs.send(job);
    }

    /// When the runtime first asked for an event, if it has.
    pub(crate) fn ready_at(&self) -> Option<Instant> {
        *lock(&self.shared.ready)
    }

    /// The error the runtime posted to `/init/error`, if any.
    pub(crate) fn init_error(&self) -> Option<FunctionError> {
        lock(&self.shared.init_error).clone()
    }
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn serve(listener: TcpListener, shared: Arc<Shared>, mut stopped: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = stopped.changed() => return,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let shared = Arc::clone(&shared);
                let mut stopped = stopped.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let shared = Arc::clone(&shared);
                        async move { Ok::<_, Infallible>(answer(&shared, request).await) }
                    });
                    let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
                    tokio::select! {
                        _ = connection => {}
                        _ = stopped.changed() => {}
                    }
                });
            }
        }
    }
}

type Answer = hyper::Response<Full<Bytes>>;

async fn answer(shared: &Shared, request: hyper::Request<Incoming>) -> Answer {
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    let Some(rest) = path.strip_prefix(PREFIX) else {
        return reply(StatusCode::NOT_FOUND, "");
    };
    match (method, rest) {
        (Method::GET, "/invocation/next") => next(shared).await,
        (Method::POST, "/init/error") => {
            let body = read_body(request).await.unwrap_or_default();
            let mut error = FunctionError::from_handler(&body);
            error.failure = Failure::Init;
            *lock(&shared.init_error) = Some(error);
            reply(StatusCode::ACCEPTED, r#"{"status":"OK"}"#)
        }
        (Method::POST, rest) => match rest.strip_prefix("/invocation/") {
            Some(tail) => post(shared, tail, request).await,
            None => reply(StatusCode::NOT_FOUND, ""),
        },
        _ => reply(StatusCode::NOT_FOUND, ""),
    }
}

/// The next event, when one is submitted, with Lambda's headers.
async fn next(shared: &Shared) -> Answer {
    lock(&shared.ready).get_or_insert_with(Instant::now);
    let job = shared.queue.lock().await.recv().await;
    let Some(job) = job else {
        return reply(StatusCode::INTERNAL_SERVER_ERROR, "");
    };
    lock(&shared.in_flight).insert(job.request_id.clone(), job.reply);
    let mut response = hyper::Response::new(Full::new(job.event));
    let headers = response.headers_mut();
    for (name, value) in [
        ("lambda-runtime-aws-request-id", job.request_id),
        ("lambda-runtime-deadline-ms", job.deadline_ms.to_string()),
        ("lambda-runtime-invoked-function-arn", job.function_arn),
        ("lambda-runtime-trace-id", job.trace_id),
        ("content-type", "application/json".to_owned()),
    ] {
        if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

/// `{id}/response` or `{id}/error`.
async fn post(shared: &Shared, tail: &str, request: hyper::Request<Incoming>) -> Answer {
    let (id, kind) = match tail.rsplit_once('/') {
        Some((id, kind @ ("response" | "error"))) => (id.to_owned(), kind),
        _ => return reply(StatusCode::NOT_FOUND, ""),
    };
    let Some(waiting) = lock(&shared.in_flight).remove(&id) else {
        return reply(
            StatusCode::BAD_REQUEST,
            r#"{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#,
        );
    };
    let Some(body) = read_body(request).await else {
        let message = format!(
            "Response payload size exceeded maximum allowed payload size ({MAX_ANSWER_BYTES} bytes)."
        );
        let error = FunctionError::new(Failure::TooLarge, "Function.ResponseSizeTooLarge", message);
        let _ = waiting.send(Outcome::Error(error));
        return reply(StatusCode::PAYLOAD_TOO_LARGE, "");
    };
    let outcome = if kind == "response" {
        Outcome::Answer(body)
    } else {
        Outcome::Error(FunctionError::from_handler(&body))
    };
    let _ = waiting.send(outcome);
    reply(StatusCode::ACCEPTED, r#"{"status":"OK"}"#)
}

/// The body, or `None` when it is over [`MAX_ANSWER_BYTES`] (or unreadable).
async fn read_body(request: hyper::Request<Incoming>) -> Option<Bytes> {
    Limited::new(request.into_body(), MAX_ANSWER_BYTES)
        .collect()
        .await
        .ok()
        .map(|c| c.to_bytes())
}

fn reply(status: StatusCode, body: &'static str) -> Answer {
    let mut response = hyper::Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    response
}

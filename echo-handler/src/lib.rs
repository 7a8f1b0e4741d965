//! Protected echo Lambda: answers API Gateway REST API (payload 1.0) and HTTP API (payload 2.0)
//! proxy events with the request and the caller the authorizer let through: the Lambda
//! authorizer, or API Gateway's own (REST `COGNITO_USER_POOLS`, HTTP API JWT; see [`caller`]).
//!
//! Answers (all `application/json`):
//! - 200 `{"message":"Hello!","request":{method,path,pathParameters,queryStringParameters,headers,
//!   withheld,body},"caller":{principalId,clientId,scopes,username,groups,tokenUse}}`. Only the
//!   headers of an allow-list are echoed, and query parameters but those of a credential family
//!   ([`headers`]); the others are named under `withheld` (`headers`, `queryStringParameters`),
//!   never with their values. HTTP API `cookies` are never echoed. A JSON body is echoed
//!   as JSON, other text as a string; a base64 (binary) body is replaced by `body: null`,
//!   `bodyBase64Length` and `bodyNote`.
//! - 403 `{"message":"no authorizer context"}` when the event has no authorizer principal (nor a
//!   Cognito or JWT authorizer's `sub`): the function was invoked without going through an
//!   authorizer (misconfiguration or direct invoke), so it refuses rather than echo an anonymous
//!   caller.
//! - 413 `{"message":"request body too large","limitBytes":65536,"bodyBytes":N}` for a body over
//!   [`body::MAX_BODY_BYTES`] (64 KiB).
//!
//! When the function is configured with an origin (`CORS_ALLOW_ORIGIN`, [`Config`]; see
//! [`handle_with_cors`]), every answer carries `Vary: Origin`, and `Access-Control-Allow-Origin`
//! unless the request's `Origin` names another origin ([`cors::Cors::apply`]).
//!
//! An event that is not a proxy event is an [`EchoError`] (API Gateway answers 502), never a panic.

pub mod body;
pub mod caller;
pub mod config;
pub mod cors;
pub mod error;
pub mod headers;
pub mod request;
pub mod response;

pub use config::{Config, ConfigError};
pub use error::EchoError;

use body::{BodyEcho, MAX_BODY_BYTES};
use cors::Cors;
use request::Incoming;
use response::Answer;
use serde_json::{Map, Value, json};

/// Greeting in every 200 answer.
pub const GREETING: &str = "Hello!";

/// Note put beside `bodyBase64Length` for binary bodies.
pub const BINARY_BODY_NOTE: &str = "base64-encoded (binary) body not echoed";

/// Lambda entry point: the event payload in, the proxy response (as JSON) out, with the CORS
/// headers of `cors` (read once at start from the environment, [`Config::from_env`]). Its log line
/// says `cold_start: true` when `cold_start` is taken for the first time (the process's first
/// invocation).
///
/// # Errors
/// [`EchoError`] when the payload is not an API Gateway proxy event (see [`handle`]).
pub async fn function_handler(
    event: lambda_runtime::LambdaEvent<Value>,
    cors: &Cors,
    cold_start: &lambda_log::ColdStart,
) -> Result<Value, EchoError> {
    respond(event.payload, cors, Some(cold_start.take()))
}

/// Answers one proxy event (version detected from `"version"`: `"2.0"` is HTTP API payload 2.0,
/// absent or `"1.0"` is the REST API format), without CORS headers.
///
/// # Errors
/// [`EchoError`] for a payload that is not a JSON object, has an unknown `version`, or lacks the
/// fields of its version (e.g. REST without `httpMethod`, HTTP API without `requestContext.http`).
pub fn handle(event: Value) -> Result<Value, EchoError> {
    handle_with_cors(event, &Cors::disabled())
}

/// [`handle`], with the CORS headers of `cors` for the request's `Origin` on every answer (200,
/// 403 and 413 alike).
///
/// # Errors
/// As [`handle`].
pub fn handle_with_cors(event: Value, cors: &Cors) -> Result<Value, EchoError> {
    respond(event, cors, None)
}

/// Answers and logs one line (`message: "echo"`): `correlation_id` (API Gateway's request id,
/// the one the authorizer logs for REQUEST and HTTP API events), `method`, `path`, `status`, and
/// `cold_start` when known. Never headers, bodies, query strings or tokens.
fn respond(event: Value, cors: &Cors, cold_start: Option<bool>) -> Result<Value, EchoError> {
    let incoming = Incoming::from_event(event)?;
    let answer = answer(&incoming);
    tracing::info!(
        correlation_id = incoming.request_id.as_deref(),
        method = %incoming.method,
        path = incoming.path.as_deref(),
        status = answer.status,
        cold_start,
        "echo"
    );
    let origin = incoming
        .headers
        .get(aws_lambda_events::http::header::ORIGIN)
        .map(|v| v.as_bytes());
    response::render(incoming.version, answer, cors, origin)
}

/// The answer for a parsed request, before version-specific shaping.
#[must_use]
pub fn answer(incoming: &Incoming) -> Answer {
    let Some(caller) = caller::caller(incoming) else {
        return Answer::new(403, json!({"message": "no authorizer context"}));
    };
    let body = match body::inspect(
        incoming.body.as_deref(),
        incoming.is_base64_encoded,
        MAX_BODY_BYTES,
    ) {
        Ok(body) => body,
        Err(too_large) => {
            return Answer::new(
                413,
                json!({
                    "message": "request body too large",
                    "limitBytes": too_large.limit,
                    "bodyBytes": too_large.len,
                }),
            );
        }
    };
    Answer::new(
        200,
        json!({
            "message": GREETING,
            "request": request_document(incoming, body),
            "caller": caller,
        }),
    )
}

fn request_document(incoming: &Incoming, body: BodyEcho) -> Value {
    let mut request = Map::new();
    request.insert("method".into(), json!(incoming.method));
    request.insert("path".into(), json!(incoming.path));
    request.insert("pathParameters".into(), json!(incoming.path_parameters));
    let query = headers::echoed_query(&incoming.query_string_parameters);
    let headers = headers::echoed(&incoming.headers);
    request.insert("queryStringParameters".into(), json!(query.values));
    request.insert("headers".into(), json!(headers.values));
    request.insert(
        "withheld".into(),
        json!({"headers": headers.withheld, "queryStringParameters": query.withheld}),
    );
    match body {
        BodyEcho::Absent => {
            request.insert("body".into(), Value::Null);
        }
        BodyEcho::Json(json) => {
            request.insert("body".into(), json);
        }
        BodyEcho::Text(text) => {
            request.insert("body".into(), Value::String(text));
        }
        BodyEcho::Binary { base64_len } => {
            request.insert("body".into(), Value::Null);
            request.insert("bodyBase64Length".into(), json!(base64_len));
            request.insert("bodyNote".into(), json!(BINARY_BODY_NOTE));
        }
    }
    Value::Object(request)
}

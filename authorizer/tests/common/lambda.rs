//! Invoking the authorizer as lambda_runtime does (a context, and its `Lambda runtime invoke`
//! span around the handler), and reading back what it logged.
#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

use std::collections::HashMap;
use std::sync::Arc;

use authorizer::{Authorizer, HandlerError};
use lambda_runtime::{Context, LambdaEvent};
use serde_json::{Map, Value};
use tracing::Instrument as _;

/// `AWS_LAMBDA_FUNCTION_NAME` of the invocations made here.
pub const FUNCTION_NAME: &str = "echo-api-authorizer";

/// An X-Ray trace header as Lambda sends it (`Lambda-Runtime-Trace-Id`).
pub const TRACE: &str =
    "Root=1-65f0a1b2-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1";

/// `events/{name}` with `<ACCESS_TOKEN>` replaced.
pub fn sample_event(name: &str, token: &str) -> Value {
    let path = format!("{}/../events/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text.replace("<ACCESS_TOKEN>", token)).unwrap()
}

/// The context lambda_runtime builds from the Runtime API's headers.
pub fn context(request_id: &str, trace: Option<&str>) -> Context {
    let config = lambda_runtime::Config {
        function_name: FUNCTION_NAME.into(),
        ..lambda_runtime::Config::default()
    };
    let mut context = Context::default();
    context.request_id = request_id.into();
    context.xray_trace_id = trace.map(str::to_owned);
    context.env_config = Arc::new(config);
    context
}

/// One invocation through [`Authorizer::invoke`], inside lambda_runtime's own request span.
pub async fn invoke(
    authorizer: &Arc<Authorizer>,
    payload: Value,
    request_id: &str,
    trace: Option<&str>,
) -> Result<Value, HandlerError> {
    let context = context(request_id, trace);
    let span = lambda_runtime::layers::trace::request_span(&context);
    let answer = Arc::clone(authorizer)
        .invoke(LambdaEvent::new(payload, context))
        .instrument(span)
        .await?;
    Ok(serde_json::to_value(answer).unwrap_or_default())
}

/// Environment lookups from pairs.
pub fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k| map.get(k).cloned()
}

/// A captured line as a JSON object (panics on anything else).
pub fn object(line: &str) -> Map<String, Value> {
    match serde_json::from_str(line) {
        Ok(Value::Object(map)) => map,
        _ => panic!("not a JSON object: {line}"),
    }
}

/// The captured lines whose `message` is `decision`.
pub fn decisions(lines: &[String]) -> Vec<Map<String, Value>> {
    lines
        .iter()
        .map(|l| object(l))
        .filter(|o| o.get("message").is_some_and(|m| m == "decision"))
        .collect()
}

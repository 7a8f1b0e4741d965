//! An operation's `x-amazon-apigateway-integration` ("x-amazon-apigateway-integration object"):
//! `aws_proxy` to a function of the template (`uri` the Lambda invocation URI,
//! `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function ARN}/invocations`, or
//! on an HTTP API the function's ARN; `httpMethod` POST), which API Gateway may invoke (its
//! `credentials`, or an `AWS::Lambda::Permission`); or, on a REST API, `mock` (see `mock`).
//! Every other type (`http`, `http_proxy`, `aws`) is refused.

use authorizer::RoutePattern;
use serde_json::Value;

use super::OpenApi;
use super::mock::mock;
use crate::template::api::Integration;
use crate::template::error::{Located, Problem};
use crate::template::fields::{only_known, whole_number};

/// Keys of a Lambda proxy integration; `responses` and the cache keys change nothing for it.
const PROXY_KEYS: &[&str] = &[
    "type",
    "uri",
    "httpMethod",
    "credentials",
    "passthroughBehavior",
    "timeoutInMillis",
    "payloadFormatVersion",
    "connectionType",
    "responses",
    "cacheKeyParameters",
    "cacheNamespace",
];

/// The integration of the operation `op` (at `at`) of the route `pattern`.
pub(crate) fn integration(
    openapi: &OpenApi<'_>,
    op: &Value,
    pattern: &RoutePattern,
    at: &str,
) -> Result<Integration, Located> {
    let at = format!("{at}.x-amazon-apigateway-integration");
    let spec = op
        .get("x-amazon-apigateway-integration")
        .ok_or_else(|| Problem::NoIntegration.at(&at))?;
    let kind = super::kind(spec);
    match kind.as_str() {
        "aws_proxy" => proxy(openapi, spec, pattern, &at),
        "mock" if !openapi.http => Ok(Integration::Mock(mock(spec, &at)?)),
        _ => Err(Problem::UnsupportedIntegration(kind).at(format!("{at}.type"))),
    }
}

/// A Lambda proxy integration.
fn proxy(
    openapi: &OpenApi<'_>,
    spec: &Value,
    pattern: &RoutePattern,
    at: &str,
) -> Result<Integration, Located> {
    only_known(spec, PROXY_KEYS, at)?;
    match spec.get("httpMethod").and_then(Value::as_str) {
        Some(m) if m.eq_ignore_ascii_case("POST") => {}
        None if openapi.http => {}
        _ => return Err(Problem::LambdaInvokeMethod.at(format!("{at}.httpMethod"))),
    }
    check_payload_version(spec, openapi.http, at)?;
    if let Some(timeout) = spec.get("timeoutInMillis") {
        let max = if openapi.http { 30_000 } else { 29_000 };
        if !whole_number(timeout).is_some_and(|t| (50..=max).contains(&t)) {
            return Err(Problem::OutOfRange { min: 50, max }.at(format!("{at}.timeoutInMillis")));
        }
    }
    let function = openapi.lambda_function(spec, "uri", at)?;
    if spec.get("credentials").is_none() {
        openapi.check_permission(&function, &openapi.route_arn(pattern), at)?;
    }
    Ok(Integration::Lambda(function))
}

/// `payloadFormatVersion`: a REST API's is 1.0; an HTTP API's must be 2.0 (what the offline
/// stack emulates for HTTP APIs).
fn check_payload_version(spec: &Value, http: bool, at: &str) -> Result<(), Located> {
    let version = spec.get("payloadFormatVersion").map(|v| match v {
        Value::String(s) => s.clone(),
        Value::Number(n) if n.as_f64() == Some(1.0) => "1.0".to_owned(),
        Value::Number(n) if n.as_f64() == Some(2.0) => "2.0".to_owned(),
        other => other.to_string(),
    });
    let ok = matches!(
        (http, version.as_deref()),
        (true, Some("2.0")) | (false, None | Some("1.0"))
    );
    if ok {
        Ok(())
    } else {
        let version = version.unwrap_or_else(|| "missing".to_owned());
        Err(Problem::EventPayloadVersion(version).at(format!("{at}.payloadFormatVersion")))
    }
}

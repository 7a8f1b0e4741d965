//! The HTTP API's routes: each `Events` entry of type `HttpApi` on a function, `METHOD /path`
//! (`{param}`, `{proxy+}`, `ANY`) or, with neither `Path` nor `Method`, the `$default` route,
//! with its authorizer. Integrations use payload format 2.0.

use authorizer::RoutePattern;
use serde_json::Value;

use crate::template::api::ApiRoute;
use crate::template::api_auth::Guards;
use crate::template::api_events::{Event, EventType};
use crate::template::error::{Located, Problem};
use crate::template::fields::{only_known, str_field};

/// Properties of an `HttpApi` event; `TimeoutInMillis` changes nothing offline (the echo
/// answers at once). `RouteSettings` is refused.
const KEYS: &[&str] = &[
    "ApiId",
    "Path",
    "Method",
    "Auth",
    "PayloadFormatVersion",
    "TimeoutInMillis",
];

/// The events of HTTP API routes: `HttpApi`, naming the API by `ApiId`.
pub(crate) const EVENTS: EventType = EventType {
    name: "HttpApi",
    api_key: "ApiId",
};

/// Whether two routes are one: the same `METHOD /path`, or both `$default`.
pub(crate) fn same_route(a: &ApiRoute, b: &ApiRoute) -> bool {
    match (a.catch_all, b.catch_all) {
        (true, true) => true,
        (false, false) => a.pattern.same_route(&b.pattern),
        _ => false,
    }
}

/// The route of one `HttpApi` event.
pub(crate) fn route(event: &Event<'_>, guards: &Guards<'_>) -> Result<ApiRoute, Located> {
    let (props, at) = (&event.props, event.at.as_str());
    only_known(props, KEYS, at)?;
    only_known(
        props.get("Auth").unwrap_or(&Value::Null),
        &["Authorizer", "AuthorizationScopes"],
        &format!("{at}.Auth"),
    )?;
    check_payload_version(props, at)?;
    let (pattern, catch_all) = pattern(props, at)?;
    Ok(event.route(pattern, catch_all, guards.guard(props, at, true)?))
}

/// `Method` and `Path`, or the `$default` route (`ANY /{proxy+}` with `catch_all`) when both
/// are absent.
fn pattern(props: &Value, at: &str) -> Result<(RoutePattern, bool), Located> {
    let parse = |method: &str, path: &str| {
        RoutePattern::parse(method, path).map_err(|why| Problem::Route(why).at(at))
    };
    match (props.get("Method"), props.get("Path")) {
        (None, None) => Ok((parse("ANY", "/{proxy+}")?, true)),
        (Some(_), Some(_)) => {
            let method = str_field(props, "Method", at)?;
            let path = str_field(props, "Path", at)?;
            Ok((parse(method, path)?, false))
        }
        _ => Err(Problem::HalfRoute.at(at)),
    }
}

/// `PayloadFormatVersion` must be 2.0 (SAM's default for `HttpApi` events).
fn check_payload_version(props: &Value, at: &str) -> Result<(), Located> {
    match props.get("PayloadFormatVersion") {
        None => Ok(()),
        Some(Value::String(v)) if v == "2.0" => Ok(()),
        Some(Value::Number(n)) if n.as_f64() == Some(2.0) => Ok(()),
        Some(other) => {
            let text = other
                .as_str()
                .map_or_else(|| other.to_string(), str::to_owned);
            Err(Problem::EventPayloadVersion(text).at(format!("{at}.PayloadFormatVersion")))
        }
    }
}

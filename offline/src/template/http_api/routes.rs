//! The HTTP API's routes: each `Events` entry of type `HttpApi` on a function, `METHOD /path`
//! (`{param}`, `{proxy+}`, `ANY`) or, with neither `Path` nor `Method`, the `$default` route,
//! with its authorizer. Integrations use payload format 2.0.

use std::collections::BTreeMap;

use authorizer::routes::RoutePattern;
use serde_json::Value;

use crate::template::api::{ApiRoute, Integration};
use crate::template::error::{Located, Problem};
use crate::template::fields::{only_known, str_field};
use crate::template::ids::API_ID;
use crate::template::intrinsics::Resolver;
use crate::template::lambda_authorizer::Guards;
use crate::template::resources::function::{ECHO_BINARY, Function};
use crate::template::resources::kinds::{Kind, Resource};

/// Properties of an `HttpApi` event; `TimeoutInMillis` changes nothing offline (the echo
/// answers at once). `RouteSettings` and `Auth.AuthorizationScopes` (JWT) are refused.
const KEYS: &[&str] = &[
    "ApiId",
    "Path",
    "Method",
    "Auth",
    "PayloadFormatVersion",
    "TimeoutInMillis",
];

/// Every route of the HTTP API `api_id` (logical id), by function and event name.
pub fn routes(
    api_id: &str,
    resources: &[Resource<'_>],
    functions: &BTreeMap<String, Function>,
    resolver: &Resolver,
    guards: &Guards<'_>,
) -> Result<Vec<ApiRoute>, Located> {
    let mut routes: Vec<ApiRoute> = Vec::new();
    for resource in resources.iter().filter(|r| r.kind == Kind::Function) {
        let function_id = resource.id;
        let Some(events) = resource
            .body
            .pointer("/Properties/Events")
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (event_name, event) in events {
            let at = format!("Resources.{function_id}.Properties.Events.{event_name}");
            let names = (api_id, function_id, event_name.as_str());
            let (route, at) = route(names, event, resolver, guards, at)?;
            if functions.get(function_id).map(|f| f.binary.as_str()) != Some(ECHO_BINARY) {
                return Err(Problem::NotAProxyIntegration(function_id.to_owned()).at(at));
            }
            if let Some(other) = routes.iter().find(|r| same_route(r, &route)) {
                return Err(Problem::RepeatedRoute(other.event.clone()).at(at));
            }
            routes.push(route);
        }
    }
    Ok(routes)
}

fn same_route(a: &ApiRoute, b: &ApiRoute) -> bool {
    match (a.catch_all, b.catch_all) {
        (true, true) => true,
        (false, false) => a.pattern.same_route(&b.pattern),
        _ => false,
    }
}

/// One `HttpApi` event (at `at`), and the path of its properties.
fn route(
    (api_id, function_id, event_name): (&str, &str, &str),
    event: &Value,
    resolver: &Resolver,
    guards: &Guards<'_>,
    at: String,
) -> Result<(ApiRoute, String), Located> {
    let kind = str_field(event, "Type", &at)?;
    if kind != "HttpApi" {
        let problem = Problem::UnsupportedEvent {
            kind: kind.to_owned(),
            expected: "HttpApi",
        };
        return Err(problem.at(format!("{at}.Type")));
    }
    let at = format!("{at}.Properties");
    let props = resolver.resolve(event.get("Properties").unwrap_or(&Value::Null), &at)?;
    only_known(&props, KEYS, &at)?;
    only_known(
        props.get("Auth").unwrap_or(&Value::Null),
        &["Authorizer"],
        &format!("{at}.Auth"),
    )?;
    if props.get("ApiId").and_then(Value::as_str) != Some(API_ID) {
        return Err(Problem::ImplicitApi(api_id.to_owned()).at(format!("{at}.ApiId")));
    }
    check_payload_version(&props, &at)?;
    let (pattern, catch_all) = pattern(&props, &at)?;
    let route = ApiRoute {
        event: format!("{function_id}.{event_name}"),
        pattern,
        catch_all,
        integration: Integration::Lambda(function_id.to_owned()),
        authorizer: guards.choose(&props, &at)?,
    };
    Ok((route, at))
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

//! The API's routes: each `Events` entry of type `Api` on a function, with its authorizer, and the
//! `OPTIONS` routes SAM's `Cors` adds to every path (a mock integration answering the preflight).

use std::collections::BTreeMap;

use authorizer::routes::RoutePattern;
use serde_json::Value;

use crate::template::api::{ApiRoute, Cors, Integration};
use crate::template::error::{Located, Problem};
use crate::template::fields::str_field;
use crate::template::ids::API_ID;
use crate::template::intrinsics::Resolver;
use crate::template::lambda_authorizer::Guards;
use crate::template::resources::function::{ECHO_BINARY, Function};
use crate::template::resources::kinds::{Kind, Resource};

/// Every route of the API `api_id` (logical id), by function and event name.
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
            let (route, at) = route(api_id, function_id, event_name, event, resolver, guards, at)?;
            if functions.get(function_id).map(|f| f.binary.as_str()) != Some(ECHO_BINARY) {
                return Err(Problem::NotAProxyIntegration(function_id.to_owned()).at(at));
            }
            if let Some(other) = routes.iter().find(|r| r.pattern.same_route(&route.pattern)) {
                return Err(Problem::RepeatedRoute(other.event.clone()).at(at));
            }
            routes.push(route);
        }
    }
    Ok(routes)
}

/// One `Api` event (at `at`), and the path of its properties.
fn route(
    api_id: &str,
    function_id: &str,
    event_name: &str,
    event: &Value,
    resolver: &Resolver,
    guards: &Guards<'_>,
    at: String,
) -> Result<(ApiRoute, String), Located> {
    let kind = str_field(event, "Type", &at)?;
    if kind != "Api" {
        let problem = Problem::UnsupportedEvent {
            kind: kind.to_owned(),
            expected: "Api",
        };
        return Err(problem.at(format!("{at}.Type")));
    }
    let at = format!("{at}.Properties");
    let props = resolver.resolve(event.get("Properties").unwrap_or(&Value::Null), &at)?;
    if props.get("RestApiId").and_then(Value::as_str) != Some(API_ID) {
        return Err(Problem::ImplicitApi(api_id.to_owned()).at(format!("{at}.RestApiId")));
    }
    let path = str_field(&props, "Path", &at)?;
    let method = str_field(&props, "Method", &at)?;
    let pattern = RoutePattern::parse(method, path).map_err(|why| Problem::Route(why).at(&at))?;
    let authorizer = guards.choose(&props, &at)?;
    let route = ApiRoute {
        event: format!("{function_id}.{event_name}"),
        pattern,
        catch_all: false,
        integration: Integration::Lambda(function_id.to_owned()),
        authorizer,
    };
    Ok((route, at))
}

/// The `OPTIONS` route SAM adds to each path of `routes` that has none, answering the preflight
/// with `cors`'s headers; guarded by `authorizer` (the default authorizer when
/// `AddDefaultAuthorizerToCorsPreflight` is true, SAM's default).
pub fn preflight_routes(
    api_id: &str,
    routes: &[ApiRoute],
    cors: &Cors,
    authorizer: Option<&str>,
) -> Result<Vec<ApiRoute>, Located> {
    let mut preflights: Vec<ApiRoute> = Vec::new();
    for route in routes {
        let path = route.pattern.path.as_str();
        let pattern = RoutePattern::parse("OPTIONS", path)
            .map_err(|why| Problem::Route(why).at(format!("Resources.{api_id}.Properties.Cors")))?;
        let taken = routes
            .iter()
            .chain(&preflights)
            .any(|r| r.pattern.same_route(&pattern));
        if taken {
            continue;
        }
        let methods: Vec<&str> = routes
            .iter()
            .filter(|r| r.pattern.path == path)
            .map(|r| r.pattern.method.as_str())
            .collect();
        preflights.push(ApiRoute {
            event: format!("{api_id}.Cors"),
            pattern,
            catch_all: false,
            integration: Integration::Preflight(cors.preflight_headers(&methods)),
            authorizer: authorizer.map(str::to_owned),
        });
    }
    Ok(preflights)
}

//! The API's routes: each `Events` entry of type `Api` on a function, with its authorizer, and the
//! `OPTIONS` routes SAM's `Cors` adds to every path (a mock integration answering the preflight).

use authorizer::RoutePattern;

use crate::template::api::{ApiRoute, Cors, Integration};
use crate::template::api_auth::{Guard, Guards};
use crate::template::api_events::{Event, EventType};
use crate::template::error::{Located, Problem};
use crate::template::fields::str_field;

/// The events of REST API routes: `Api`, naming the API by `RestApiId`.
pub(crate) const EVENTS: EventType = EventType {
    name: "Api",
    api_key: "RestApiId",
};

/// Whether two routes are one: the same `METHOD /path`.
pub(crate) fn same_route(a: &ApiRoute, b: &ApiRoute) -> bool {
    a.pattern.same_route(&b.pattern)
}

/// The route of one `Api` event.
pub(crate) fn route(event: &Event<'_>, guards: &Guards<'_>) -> Result<ApiRoute, Located> {
    let (props, at) = (&event.props, event.at.as_str());
    let path = str_field(props, "Path", at)?;
    let method = str_field(props, "Method", at)?;
    let pattern = RoutePattern::parse(method, path).map_err(|why| Problem::Route(why).at(at))?;
    Ok(event.route(pattern, false, guards.guard(props, at, false)?))
}

/// The `OPTIONS` route SAM adds to each path of `routes` that has none, answering the preflight
/// with `cors`'s headers; guarded by `guard` (the default authorizer and its scopes when
/// `AddDefaultAuthorizerToCorsPreflight` is true, SAM's default).
pub(crate) fn preflight_routes(
    api_id: &str,
    routes: &[ApiRoute],
    cors: &Cors,
    guard: &Guard,
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
            authorizer: guard.authorizer.clone(),
            scopes: guard.scopes.clone(),
        });
    }
    Ok(preflights)
}

//! The functions' events an API's routes come from, read alike for both kinds: each `Events`
//! entry of the kind's type (`Api` or `HttpApi`) with its properties resolved, naming this API
//! (an event naming another API of the template is that API's); each route once.

use std::collections::BTreeMap;

use authorizer::RoutePattern;
use serde_json::Value;

use super::api::{ApiRoute, Integration};
use super::api_auth::Guard;
use super::error::{Located, Problem};
use super::fields::str_field;
use super::intrinsics::Resolver;
use super::resources::function::Function;
use super::resources::kinds::{Kind, Resource};
use super::resources::permission::Permission;

/// An API of the template: its logical id, its id (what `Ref` gives), its kind.
#[derive(Debug, Clone)]
pub(crate) struct ApiRef {
    pub(crate) logical_id: String,
    pub(crate) id: String,
    pub(crate) http: bool,
}

/// What an API is read with besides its own properties: which API it is among the template's,
/// every resource (for the functions' events), the functions and the permissions to invoke them,
/// the resolver of intrinsic functions, and the region.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ApiInputs<'a> {
    pub(crate) api: &'a ApiRef,
    pub(crate) apis: &'a [ApiRef],
    pub(crate) resources: &'a [Resource<'a>],
    pub(crate) functions: &'a BTreeMap<String, Function>,
    pub(crate) permissions: &'a [Permission],
    pub(crate) resolver: &'a Resolver,
    pub(crate) region: &'a str,
}

/// The event type of a kind of API, and the property naming the API in its events.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventType {
    /// `Api` or `HttpApi`.
    pub(crate) name: &'static str,
    /// `RestApiId` or `ApiId`.
    pub(crate) api_key: &'static str,
}

/// One event of the API's type.
#[derive(Debug)]
pub(crate) struct Event<'a> {
    pub(crate) function_id: &'a str,
    pub(crate) name: &'a str,
    /// Its `Properties`, resolved.
    pub(crate) props: Value,
    /// Where they are: `Resources.F.Properties.Events.E.Properties`.
    pub(crate) at: String,
}

impl Event<'_> {
    /// The route of this event to its function.
    pub(crate) fn route(&self, pattern: RoutePattern, catch_all: bool, guard: Guard) -> ApiRoute {
        ApiRoute {
            event: format!("{}.{}", self.function_id, self.name),
            pattern,
            catch_all,
            integration: Integration::Lambda(self.function_id.to_owned()),
            authorizer: guard.authorizer,
            scopes: guard.scopes,
        }
    }
}

/// Every route of this API's events: each event of `event_type` naming it made a route by
/// `read`; `same` says whether two routes are one (which the template may not repeat).
pub(crate) fn routes(
    inputs: ApiInputs<'_>,
    event_type: EventType,
    read: impl Fn(&Event<'_>) -> Result<ApiRoute, Located>,
    same: impl Fn(&ApiRoute, &ApiRoute) -> bool,
) -> Result<Vec<ApiRoute>, Located> {
    let mut routes: Vec<ApiRoute> = Vec::new();
    for resource in inputs.resources.iter().filter(|r| r.kind == Kind::Function) {
        let events = resource.body.pointer("/Properties/Events");
        for (name, event) in events.and_then(Value::as_object).into_iter().flatten() {
            let Some(event) = resolved(inputs, resource.id, name, event, event_type)? else {
                continue;
            };
            let route = read(&event)?;
            add_route(&mut routes, route, &event.at, &same)?;
        }
    }
    Ok(routes)
}

/// Adds `route` (defined at `at`) to `routes`, unless one of them is the same route.
pub(crate) fn add_route(
    routes: &mut Vec<ApiRoute>,
    route: ApiRoute,
    at: &str,
    same: &impl Fn(&ApiRoute, &ApiRoute) -> bool,
) -> Result<(), Located> {
    if let Some(other) = routes.iter().find(|r| same(r, &route)) {
        return Err(Problem::RepeatedRoute(other.event.clone()).at(at));
    }
    routes.push(route);
    Ok(())
}

/// The event `name` of function `function_id`, its properties resolved, if it is one of this
/// API's (`None`: an event of another API of the template).
fn resolved<'a>(
    inputs: ApiInputs<'_>,
    function_id: &'a str,
    name: &'a str,
    event: &Value,
    event_type: EventType,
) -> Result<Option<Event<'a>>, Located> {
    let at = format!("Resources.{function_id}.Properties.Events.{name}");
    let kind = str_field(event, "Type", &at)?;
    if kind != event_type.name {
        if matches!(kind, "Api" | "HttpApi") {
            return Ok(None);
        }
        let problem = Problem::UnsupportedEvent {
            kind: kind.to_owned(),
            expected: "Api and HttpApi",
        };
        return Err(problem.at(format!("{at}.Type")));
    }
    let at = format!("{at}.Properties");
    let props = inputs
        .resolver
        .resolve(event.get("Properties").unwrap_or(&Value::Null), &at)?;
    let named = props.get(event_type.api_key).and_then(Value::as_str);
    if named != Some(inputs.api.id.as_str()) {
        let http = inputs.api.http;
        if inputs
            .apis
            .iter()
            .any(|a| a.http == http && Some(a.id.as_str()) == named)
        {
            return Ok(None);
        }
        let problem = Problem::ImplicitApi(inputs.api.logical_id.clone());
        return Err(problem.at(format!("{at}.{}", event_type.api_key)));
    }
    Ok(Some(Event {
        function_id,
        name,
        props,
        at,
    }))
}

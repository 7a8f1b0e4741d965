//! The functions' events an API's routes come from, read alike for both kinds: each `Events`
//! entry of the kind's type (`Api` or `HttpApi`) with its properties resolved, naming the
//! template's API, on a function that runs the echo; each route once; at least one.

use std::collections::BTreeMap;

use authorizer::RoutePattern;
use serde_json::Value;

use super::api::{ApiRoute, Integration};
use super::api_auth::Guard;
use super::error::{Located, Problem};
use super::fields::str_field;
use super::ids::API_ID;
use super::intrinsics::Resolver;
use super::resources::function::{ECHO_BINARY, Function};
use super::resources::kinds::{Kind, Resource};

/// What an API is read with besides its own properties: every resource (for the functions'
/// events), the functions, and the resolver of intrinsic functions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ApiInputs<'a> {
    pub(crate) resources: &'a [Resource<'a>],
    pub(crate) functions: &'a BTreeMap<String, Function>,
    pub(crate) resolver: &'a Resolver,
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

/// Every route of the API `api_id` (logical id): each event of `event_type` made a route by
/// `read`; `same` says whether two routes are one (which the template may not repeat).
pub(crate) fn routes(
    api_id: &str,
    inputs: ApiInputs<'_>,
    event_type: EventType,
    read: impl Fn(&Event<'_>) -> Result<ApiRoute, Located>,
    same: impl Fn(&ApiRoute, &ApiRoute) -> bool,
) -> Result<Vec<ApiRoute>, Located> {
    let mut routes: Vec<ApiRoute> = Vec::new();
    for resource in inputs.resources.iter().filter(|r| r.kind == Kind::Function) {
        let events = resource.body.pointer("/Properties/Events");
        for (name, event) in events.and_then(Value::as_object).into_iter().flatten() {
            let event = resolved(
                api_id,
                resource.id,
                name,
                event,
                inputs.resolver,
                event_type,
            )?;
            let route = read(&event)?;
            let function = inputs.functions.get(resource.id);
            if function.map(|f| f.binary.as_str()) != Some(ECHO_BINARY) {
                return Err(Problem::NotAProxyIntegration(resource.id.to_owned()).at(event.at));
            }
            if let Some(other) = routes.iter().find(|r| same(r, &route)) {
                return Err(Problem::RepeatedRoute(other.event.clone()).at(event.at));
            }
            routes.push(route);
        }
    }
    if routes.is_empty() {
        return Err(Problem::NoRoute.at(format!("Resources.{api_id}.Properties")));
    }
    Ok(routes)
}

/// The event `name` of function `function_id`: of `event_type`, naming the API, its properties
/// resolved.
fn resolved<'a>(
    api_id: &str,
    function_id: &'a str,
    name: &'a str,
    event: &Value,
    resolver: &Resolver,
    event_type: EventType,
) -> Result<Event<'a>, Located> {
    let at = format!("Resources.{function_id}.Properties.Events.{name}");
    let kind = str_field(event, "Type", &at)?;
    if kind != event_type.name {
        let problem = Problem::UnsupportedEvent {
            kind: kind.to_owned(),
            expected: event_type.name,
        };
        return Err(problem.at(format!("{at}.Type")));
    }
    let at = format!("{at}.Properties");
    let props = resolver.resolve(event.get("Properties").unwrap_or(&Value::Null), &at)?;
    if props.get(event_type.api_key).and_then(Value::as_str) != Some(API_ID) {
        let problem = Problem::ImplicitApi(api_id.to_owned());
        return Err(problem.at(format!("{at}.{}", event_type.api_key)));
    }
    Ok(Event {
        function_id,
        name,
        props,
        at,
    })
}

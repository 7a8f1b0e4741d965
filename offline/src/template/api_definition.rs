//! An API's routes and authorizers, alike for both kinds: its OpenAPI definition's
//! (`DefinitionBody`, see `openapi`), then its functions' events', each route once; at least
//! one route.

use std::collections::BTreeMap;

use serde_json::Value;

use super::api::{ApiRoute, BuiltinAuthorizer, HttpCors, LambdaAuthorizer};
use super::api_auth::Guards;
use super::api_events::{self, ApiInputs, Event, EventType, add_route};
use super::error::{Located, Problem};
use super::openapi::{self, Definition, OpenApi};

/// What the definition and the events give.
#[derive(Debug)]
pub(crate) struct Routed {
    pub(crate) routes: Vec<ApiRoute>,
    pub(crate) authorizers: BTreeMap<String, LambdaAuthorizer>,
    /// API Gateway's own authorizers, SAM's and the definition's.
    pub(crate) builtin: BTreeMap<String, BuiltinAuthorizer>,
    /// The definition's `x-amazon-apigateway-cors` (HTTP APIs).
    pub(crate) cors: Option<HttpCors>,
}

/// How a kind of API reads its events.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventReader<R, S> {
    pub(crate) event_type: EventType,
    pub(crate) read: R,
    pub(crate) same: S,
}

/// The API's routes and authorizers, from its resolved properties `props` (at `at`): SAM's
/// authorizers and default in `sam`, whether the default guards preflights, its stage.
pub(crate) fn routed<R, S>(
    props: &Value,
    inputs: ApiInputs<'_>,
    sam: &Guards<'_>,
    (guard_preflight, stage): (bool, &str),
    events: EventReader<R, S>,
    at: &str,
) -> Result<Routed, Located>
where
    R: Fn(&Event<'_>) -> Result<ApiRoute, Located>,
    S: Fn(&ApiRoute, &ApiRoute) -> bool,
{
    let definition = match props.get("DefinitionBody") {
        Some(body) => {
            let at = format!("{at}.DefinitionBody");
            let openapi = OpenApi {
                body,
                at: &at,
                http: inputs.api.http,
                stage,
                inputs,
            };
            openapi::read(&openapi, sam, guard_preflight)?
        }
        None => Definition {
            authorizers: sam.authorizers().lambda.clone(),
            builtin: sam.authorizers().builtin.clone(),
            ..Definition::default()
        },
    };
    let mut routes: Vec<ApiRoute> = Vec::new();
    for route in definition.routes {
        let at = format!("{at}.DefinitionBody");
        add_route(&mut routes, route, &at, &events.same)?;
    }
    for route in api_events::routes(inputs, events.event_type, events.read, &events.same)? {
        let at = format!(
            "Resources.{}",
            route.event.replace('.', ".Properties.Events.")
        );
        add_route(&mut routes, route, &at, &events.same)?;
    }
    if routes.is_empty() {
        return Err(Problem::NoRoute.at(at));
    }
    Ok(Routed {
        routes,
        authorizers: definition.authorizers,
        builtin: definition.builtin,
        cors: definition.cors,
    })
}

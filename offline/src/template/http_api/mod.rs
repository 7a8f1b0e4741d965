//! The template's HTTP API (`AWS::Serverless::HttpApi`): stage (`$default` when unnamed) and its
//! variables, Lambda authorizers with payload 2.0 and simple responses (`authorizers`), JWT
//! authorizers (`jwt`), the
//! routes functions' `HttpApi` events define, the `$default` route among them (`routes`),
//! `CorsConfiguration` (`cors`), and the stage's settings, read and not emulated (`stage`).

pub(crate) mod authorizers;
pub(crate) mod cors;
pub(crate) mod jwt;
pub(crate) mod routes;
pub(crate) mod stage;

use std::collections::BTreeMap;

use serde_json::Value;

use super::api::{Api, ApiKind, DEFAULT_STAGE};
use super::api_auth::api_authorizers;
use super::api_definition::{EventReader, routed};
use super::api_events::{ApiInputs, Event};
use super::api_fields::{known_properties, stage_name, stage_variables};
use super::error::{Located, Problem};
use super::fields::{boolean, only_known};

/// Properties of `AWS::Serverless::HttpApi` the offline stack emulates (`StageName`,
/// `StageVariables`, `Auth`, `CorsConfiguration`, `DefinitionBody`) or reads knowing they change
/// no answer (names, tags, access logging, default route settings). Any other
/// (`DefinitionUri`, `Domain`, `RouteSettings`, `DisableExecuteApiEndpoint`, ...) is refused,
/// naming it.
const KNOWN: &[&str] = &[
    "StageName",
    "DefinitionBody",
    "StageVariables",
    "Auth",
    "CorsConfiguration",
    "Name",
    "Description",
    "Tags",
    "PropagateTags",
    "FailOnWarnings",
    "AccessLogSettings",
    "DefaultRouteSettings",
];

/// `Auth` keys; `EnableIamAuthorizer: true` is refused.
const AUTH_KEYS: &[&str] = &["Authorizers", "DefaultAuthorizer", "EnableIamAuthorizer"];

/// The HTTP API `id` from its resolved properties `props`.
pub(crate) fn api(id: &str, props: &Value, inputs: ApiInputs<'_>) -> Result<Api, Located> {
    let at = format!("Resources.{id}.Properties");
    known_properties(props, KNOWN, &at)?;
    let stage = match props.get("StageName") {
        None => DEFAULT_STAGE.to_owned(),
        Some(name) => {
            let name = name
                .as_str()
                .ok_or_else(|| Problem::NotAString.at(format!("{at}.StageName")))?;
            stage_name(name, true, &at)?
        }
    };
    let auth = props.get("Auth").unwrap_or(&Value::Null);
    let auth_at = format!("{at}.Auth");
    only_known(auth, AUTH_KEYS, &auth_at)?;
    if boolean(auth, "EnableIamAuthorizer", false, &auth_at)? {
        return Err(Problem::IamAuthorizer.at(format!("{auth_at}.EnableIamAuthorizer")));
    }
    let (lambda, builtin) = (authorizers::lambda_authorizer, jwt::jwt_authorizer);
    let sam = api_authorizers(auth, inputs.functions, &at, lambda, builtin)?;
    let guards = sam.guards();
    let events = EventReader {
        event_type: routes::EVENTS,
        read: |event: &Event<'_>| routes::route(event, &guards),
        same: routes::same_route,
    };
    let routed = routed(props, inputs, &guards, (true, &stage), events, &at)?;
    let cors = match (cors::cors(props, &at)?, routed.cors) {
        (Some(_), Some(_)) => {
            let path = format!("{at}.DefinitionBody.x-amazon-apigateway-cors");
            return Err(Problem::TwoCorsConfigurations.at(path));
        }
        (sam, definition) => sam.or(definition),
    };
    Ok(Api {
        logical_id: id.to_owned(),
        id: inputs.api.id.clone(),
        kind: ApiKind::Http { cors },
        stage,
        stage_variables: stage_variables(props, "StageVariables", &at)?,
        authorizers: routed.authorizers,
        builtin_authorizers: routed.builtin,
        routes: routed.routes,
        gateway_responses: BTreeMap::new(),
        cors: None,
        stage_settings: stage::stage_settings(props, &at)?,
    })
}

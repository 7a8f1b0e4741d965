//! The template's REST API (`AWS::Serverless::Api`): stage and its variables, `TOKEN` and
//! `REQUEST` authorizers (`authorizers`), `COGNITO_USER_POOLS` authorizers (`cognito`), gateway
//! responses, CORS (`cors`), the stage's
//! operational settings (`stage`), and the routes that functions' `Api` events define, with the
//! preflight routes `Cors` adds.

pub(crate) mod authorizers;
pub(crate) mod cognito;
pub(crate) mod cors;
pub(crate) mod gateway_responses;
pub(crate) mod routes;
pub(crate) mod stage;

use serde_json::Value;

use super::api::{Api, ApiKind};
use super::api_auth::api_authorizers;
use super::api_definition::{EventReader, Routed, routed};
use super::api_events::{ApiInputs, Event};
use super::api_fields::{known_properties, stage_name, stage_variables};
use super::error::Located;
use super::fields::{boolean, only_known, str_field};

/// Properties of `AWS::Serverless::Api` the offline stack emulates (`StageName`, `Variables`,
/// `Auth`, `GatewayResponses`, `Cors`, `DefinitionBody`) or reads knowing they change no answer
/// (names, tags, endpoint type, tracing, access logging, method settings). Any other
/// (`DefinitionUri`, `BinaryMediaTypes`, `Domain`, ...) is refused, naming it.
const KNOWN: &[&str] = &[
    "StageName",
    "DefinitionBody",
    "Variables",
    "Auth",
    "GatewayResponses",
    "Cors",
    "Name",
    "Description",
    "Tags",
    "PropagateTags",
    "OpenApiVersion",
    "EndpointConfiguration",
    "TracingEnabled",
    "AccessLogSetting",
    "MethodSettings",
];

/// `Auth` keys the offline stack reads; `ApiKeyRequired`, `ResourcePolicy`, `UsagePlan`, ... are
/// refused.
const AUTH_KEYS: &[&str] = &[
    "DefaultAuthorizer",
    "Authorizers",
    "AddDefaultAuthorizerToCorsPreflight",
];

/// The REST API `id` from its resolved properties `props`.
pub(crate) fn api(id: &str, props: &Value, inputs: ApiInputs<'_>) -> Result<Api, Located> {
    let at = format!("Resources.{id}.Properties");
    let stage = stage_name(str_field(props, "StageName", &at)?, false, &at)?;
    known_properties(props, KNOWN, &at)?;
    let auth = props.get("Auth").unwrap_or(&Value::Null);
    only_known(auth, AUTH_KEYS, &format!("{at}.Auth"))?;
    let (lambda, builtin) = (authorizers::lambda_authorizer, cognito::cognito_authorizer);
    let sam = api_authorizers(auth, inputs.functions, &at, lambda, builtin)?;
    let guards = sam.guards();
    let guard_preflight = boolean(
        auth,
        "AddDefaultAuthorizerToCorsPreflight",
        true,
        &format!("{at}.Auth"),
    )?;
    let events = EventReader {
        event_type: routes::EVENTS,
        read: |event: &Event<'_>| routes::route(event, &guards),
        same: routes::same_route,
    };
    let Routed {
        mut routes,
        authorizers,
        builtin,
        ..
    } = routed(
        props,
        inputs,
        &guards,
        (guard_preflight, &stage),
        events,
        &at,
    )?;
    let cors = cors::cors(props, &at)?;
    if let Some(cors) = &cors {
        let guard = guards.guard(&Value::Null, &at, false)?;
        let guard = if guard_preflight {
            guard
        } else {
            Default::default()
        };
        routes.extend(routes::preflight_routes(id, &routes, cors, &guard)?);
    }
    Ok(Api {
        logical_id: id.to_owned(),
        id: inputs.api.id.clone(),
        kind: ApiKind::Rest,
        stage,
        stage_variables: stage_variables(props, "Variables", &at)?,
        authorizers,
        builtin_authorizers: builtin,
        routes,
        gateway_responses: gateway_responses::gateway_responses(props, &at)?,
        cors,
        stage_settings: stage::stage_settings(props, &at)?,
    })
}

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
use super::api_events::{self, ApiInputs, Event};
use super::api_fields::{known_properties, stage_name, stage_variables};
use super::error::Located;
use super::fields::{boolean, only_known, str_field};
use super::ids::API_ID;

/// Properties of `AWS::Serverless::Api` the offline stack emulates (`StageName`, `Variables`,
/// `Auth`, `GatewayResponses`, `Cors`) or reads knowing they change no answer (names, tags,
/// endpoint type, tracing, access logging, method settings). Any other (`DefinitionBody`,
/// `BinaryMediaTypes`, `Domain`, ...) is refused, naming it.
const KNOWN: &[&str] = &[
    "StageName",
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
    let authorizers = api_authorizers(auth, inputs.functions, &at, lambda, builtin)?;
    let guards = authorizers.guards();
    let read = |event: &Event<'_>| routes::route(event, &guards);
    let mut routes = api_events::routes(id, inputs, routes::EVENTS, read, routes::same_route)?;
    let cors = cors::cors(props, &at)?;
    if let Some(cors) = &cors {
        let guarded = boolean(
            auth,
            "AddDefaultAuthorizerToCorsPreflight",
            true,
            &format!("{at}.Auth"),
        )?;
        let guard = guards.guard(&Value::Null, &at, false)?;
        let guard = if guarded { guard } else { Default::default() };
        routes.extend(routes::preflight_routes(id, &routes, cors, &guard)?);
    }
    Ok(Api {
        logical_id: id.to_owned(),
        id: API_ID.to_owned(),
        kind: ApiKind::Rest,
        stage,
        stage_variables: stage_variables(props, "Variables", &at)?,
        authorizers: authorizers.lambda,
        builtin_authorizers: authorizers.builtin,
        routes,
        gateway_responses: gateway_responses::gateway_responses(props, &at)?,
        cors,
        stage_settings: stage::stage_settings(props, &at)?,
    })
}

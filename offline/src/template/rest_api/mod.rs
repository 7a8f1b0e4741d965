//! The template's REST API (`AWS::Serverless::Api`): stage, `TOKEN` authorizers, gateway
//! responses, CORS (`cors`), the stage's operational settings (`stage`), and the routes that
//! functions' `Api` events define, with the preflight routes `Cors` adds.

pub mod authorizers;
pub mod cors;
pub mod gateway_responses;
pub mod routes;
pub mod stage;

use std::collections::BTreeMap;

use serde_json::Value;

pub use self::authorizers::TokenAuthorizer;
pub use self::cors::Cors;
pub use self::gateway_responses::{GATEWAY_RESPONSE_TYPES, GatewayResponse};
pub use self::routes::{ApiRoute, Integration};
pub use self::stage::{AccessLog, MethodSetting, StageSettings};

use super::error::{Located, Problem};
use super::fields::{boolean, only_known, str_field};
use super::ids::API_ID;
use super::intrinsics::Resolver;
use super::resources::function::Function;
use super::resources::kinds::Resource;

/// Properties of `AWS::Serverless::Api` the offline stack emulates (`StageName`, `Auth`,
/// `GatewayResponses`, `Cors`) or reads knowing they change no answer (names, tags, endpoint
/// type, tracing, access logging, method settings). Any other (`DefinitionBody`,
/// `BinaryMediaTypes`, `Variables`, `Domain`, ...) is refused, naming it.
const KNOWN: &[&str] = &[
    "StageName",
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

/// The REST API.
#[derive(Debug, Clone)]
pub struct Api {
    pub logical_id: String,
    pub id: String,
    pub stage: String,
    pub authorizers: BTreeMap<String, TokenAuthorizer>,
    /// The functions' routes, then the CORS preflight routes.
    pub routes: Vec<ApiRoute>,
    /// By type: `UNAUTHORIZED`, `ACCESS_DENIED`, `DEFAULT_4XX`, ...
    pub gateway_responses: BTreeMap<String, GatewayResponse>,
    /// `Cors`, when set.
    pub cors: Option<Cors>,
    pub stage_settings: StageSettings,
}

/// The one API of the template, from the APIs' logical ids and resolved properties; `resources`
/// (all of them) for the functions' events.
pub fn single_api(
    apis: Vec<(&str, Value)>,
    resources: &[Resource<'_>],
    functions: &BTreeMap<String, Function>,
    resolver: &Resolver,
) -> Result<Api, Located> {
    let [(id, props)] = <[_; 1]>::try_from(apis)
        .map_err(|apis: Vec<_>| Problem::ApiCount(apis.len()).at("Resources"))?;
    api(id, &props, resources, functions, resolver)
}

fn api(
    id: &str,
    props: &Value,
    resources: &[Resource<'_>],
    functions: &BTreeMap<String, Function>,
    resolver: &Resolver,
) -> Result<Api, Located> {
    let at = format!("Resources.{id}.Properties");
    let stage = str_field(props, "StageName", &at)?.to_owned();
    if let Some(unknown) = props
        .as_object()
        .and_then(|p| p.keys().find(|k| !KNOWN.contains(&k.as_str())))
    {
        return Err(Problem::UnsupportedApiProperty.at(format!("{at}.{unknown}")));
    }
    let auth = props.get("Auth").unwrap_or(&Value::Null);
    only_known(auth, AUTH_KEYS, &format!("{at}.Auth"))?;
    let authorizers = authorizers::authorizers(auth, functions, &at)?;
    let default_authorizer = authorizers::default_authorizer(auth, &authorizers, &at)?;
    let guards = routes::Guards {
        authorizers: &authorizers,
        default: default_authorizer.as_deref(),
    };
    let mut routes = routes::routes(id, resources, functions, resolver, &guards)?;
    if routes.is_empty() {
        return Err(Problem::NoRoute.at(at));
    }
    let cors = cors::cors(props, &at)?;
    if let Some(cors) = &cors {
        let guarded = boolean(
            auth,
            "AddDefaultAuthorizerToCorsPreflight",
            true,
            &format!("{at}.Auth"),
        )?;
        let guard = default_authorizer.as_deref().filter(|_| guarded);
        routes.extend(routes::preflight_routes(id, &routes, cors, guard)?);
    }
    Ok(Api {
        logical_id: id.to_owned(),
        id: API_ID.to_owned(),
        stage,
        authorizers,
        routes,
        gateway_responses: gateway_responses::gateway_responses(props, &at)?,
        cors,
        stage_settings: stage::stage_settings(props, &at)?,
    })
}

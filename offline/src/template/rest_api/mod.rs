//! The template's REST API (`AWS::Serverless::Api`): stage, `TOKEN` authorizers, gateway
//! responses, and the routes that functions' `Api` events define.

pub mod authorizers;
pub mod gateway_responses;
pub mod routes;

use std::collections::BTreeMap;

use serde_json::Value;

pub use self::authorizers::TokenAuthorizer;
pub use self::gateway_responses::{GATEWAY_RESPONSE_TYPES, GatewayResponse};
pub use self::routes::ApiRoute;

use super::error::{Located, Problem};
use super::fields::str_field;
use super::ids::API_ID;
use super::intrinsics::Resolver;
use super::resources::function::Function;
use super::resources::kinds::Resource;

/// Properties of `AWS::Serverless::Api` the offline stack does not emulate.
const UNSUPPORTED: &[&str] = &[
    "DefinitionBody",
    "DefinitionUri",
    "Cors",
    "BinaryMediaTypes",
    "Domain",
];

/// The REST API.
#[derive(Debug, Clone)]
pub struct Api {
    pub logical_id: String,
    pub id: String,
    pub stage: String,
    pub authorizers: BTreeMap<String, TokenAuthorizer>,
    pub routes: Vec<ApiRoute>,
    /// By type: `UNAUTHORIZED`, `ACCESS_DENIED`, `DEFAULT_4XX`, ...
    pub gateway_responses: BTreeMap<String, GatewayResponse>,
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
    if let Some(unsupported) = UNSUPPORTED.iter().find(|p| props.get(**p).is_some()) {
        return Err(Problem::UnsupportedApiProperty.at(format!("{at}.{unsupported}")));
    }
    let auth = props.get("Auth").unwrap_or(&Value::Null);
    let authorizers = authorizers::authorizers(auth, functions, &at)?;
    let default_authorizer = authorizers::default_authorizer(auth, &authorizers, &at)?;
    let gateway_responses = gateway_responses::gateway_responses(props, &at)?;
    let routes = routes::routes(
        id,
        resources,
        functions,
        resolver,
        &routes::Guards {
            authorizers: &authorizers,
            default: default_authorizer.as_deref(),
        },
    )?;
    if routes.is_empty() {
        return Err(Problem::NoRoute.at(at));
    }
    Ok(Api {
        logical_id: id.to_owned(),
        id: API_ID.to_owned(),
        stage,
        authorizers,
        routes,
        gateway_responses,
    })
}

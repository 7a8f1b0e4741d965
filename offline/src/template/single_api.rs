//! The template's one API, REST (`AWS::Serverless::Api`) or HTTP (`AWS::Serverless::HttpApi`),
//! handed to its reader.

use std::collections::BTreeMap;

use serde_json::Value;

use super::api::Api;
use super::api_events::ApiInputs;
use super::error::{Located, Problem};
use super::intrinsics::Resolver;
use super::resources::function::Function;
use super::resources::kinds::{Kind, Resource};
use super::{http_api, rest_api};

/// The one API of the template, from the APIs' logical ids, kinds and resolved properties;
/// `resources` (all of them) for the functions' events.
pub(crate) fn single_api(
    apis: Vec<(&str, Kind, Value)>,
    resources: &[Resource<'_>],
    functions: &BTreeMap<String, Function>,
    resolver: &Resolver,
) -> Result<Api, Located> {
    let [(id, kind, props)] = <[_; 1]>::try_from(apis)
        .map_err(|apis: Vec<_>| Problem::ApiCount(apis.len()).at("Resources"))?;
    let inputs = ApiInputs {
        resources,
        functions,
        resolver,
    };
    if kind == Kind::HttpApi {
        http_api::api(id, &props, inputs)
    } else {
        rest_api::api(id, &props, inputs)
    }
}

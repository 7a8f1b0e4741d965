//! The template's APIs, REST (`AWS::Serverless::Api`) and HTTP (`AWS::Serverless::HttpApi`), each
//! handed to its kind's reader; at least one. Functions' events of a kind no API of the template
//! has are refused.

use std::collections::BTreeMap;

use serde_json::Value;

use super::api::Api;
use super::api_events::{ApiInputs, ApiRef};
use super::error::{Located, Problem};
use super::fields::str_field;
use super::intrinsics::Resolver;
use super::resources::function::Function;
use super::resources::kinds::{Kind, Resource};
use super::resources::permission::Permission;
use super::{http_api, rest_api};

/// What every API is read with besides its own properties.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ApiSources<'a> {
    pub(crate) resources: &'a [Resource<'a>],
    pub(crate) functions: &'a BTreeMap<String, Function>,
    pub(crate) permissions: &'a [Permission],
    pub(crate) resolver: &'a Resolver,
    pub(crate) region: &'a str,
}

/// Every API of the template, from the APIs' logical ids, kinds and resolved properties.
pub(crate) fn apis(
    apis: Vec<(&str, Kind, Value)>,
    sources: ApiSources<'_>,
) -> Result<Vec<Api>, Located> {
    if apis.is_empty() {
        return Err(Problem::NoApi.at("Resources"));
    }
    let refs: Vec<ApiRef> = apis
        .iter()
        .map(|(id, kind, _)| ApiRef {
            logical_id: (*id).to_owned(),
            id: sources.resolver.get_ref(id).unwrap_or_default().to_owned(),
            http: *kind == Kind::HttpApi,
        })
        .collect();
    check_event_kinds(sources.resources, &refs)?;
    let mut read: Vec<Api> = Vec::with_capacity(apis.len());
    for (i, (id, kind, props)) in apis.into_iter().enumerate() {
        let inputs = ApiInputs {
            api: &refs[i],
            apis: &refs,
            resources: sources.resources,
            functions: sources.functions,
            permissions: sources.permissions,
            resolver: sources.resolver,
            region: sources.region,
        };
        let api = if kind == Kind::HttpApi {
            http_api::api(id, &props, inputs)?
        } else {
            rest_api::api(id, &props, inputs)?
        };
        if let Some(other) = read.iter().find(|a| a.stage == api.stage) {
            let problem = Problem::SameStage {
                stage: api.stage.clone(),
                other: other.logical_id.clone(),
            };
            return Err(problem.at(format!("Resources.{id}.Properties.StageName")));
        }
        read.push(api);
    }
    Ok(read)
}

/// Functions' `Api` events need a REST API in the template, `HttpApi` events an HTTP API.
fn check_event_kinds(resources: &[Resource<'_>], apis: &[ApiRef]) -> Result<(), Located> {
    for resource in resources.iter().filter(|r| r.kind == Kind::Function) {
        let events = resource.body.pointer("/Properties/Events");
        for (name, event) in events.and_then(Value::as_object).into_iter().flatten() {
            let at = format!("Resources.{}.Properties.Events.{name}", resource.id);
            let kind = str_field(event, "Type", &at)?;
            let (http, expected) = match kind {
                "Api" => (false, "HttpApi"),
                "HttpApi" => (true, "Api"),
                _ => continue,
            };
            if !apis.iter().any(|a| a.http == http) {
                let problem = Problem::UnsupportedEvent {
                    kind: kind.to_owned(),
                    expected,
                };
                return Err(problem.at(format!("{at}.Type")));
            }
        }
    }
    Ok(())
}

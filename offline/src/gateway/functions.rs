//! The template's functions as their Lambda binaries run them: each authorizer configured from
//! its function's environment, with the key endpoint pointed at the local issuer; each echo
//! behind a route with its CORS origin.

use std::collections::BTreeMap;

use authorizer::{Authorizer, Config, Metrics};

use super::echo::EchoRuntime;
use crate::error::Error;
use crate::template::{ApiRoute, LambdaAuthorizer, Problem, Stack};

/// The authorizer code of `spec` (authorizer `name`), configured from its function's
/// environment plus `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER` set to `issuer_url`.
pub(crate) fn authorizer_function(
    stack: &Stack,
    name: &str,
    spec: &LambdaAuthorizer,
    issuer_url: &str,
) -> Result<Authorizer, Error> {
    let file = &stack.template;
    let function = stack.function(&spec.function).ok_or_else(|| {
        Problem::NoAuthorizerFunction(name.to_owned())
            .at(format!("Resources.{}", stack.api.logical_id))
            .in_file(file)
    })?;
    let mut env = function.environment.clone();
    env.insert(
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER".to_owned(),
        issuer_url.to_owned(),
    );
    let config =
        Config::from_lookup(|name| env.get(name).cloned()).map_err(|source| Error::Authorizer {
            file: file.to_owned(),
            source,
        })?;
    Authorizer::new(config, Metrics::discard()).map_err(|e| {
        Problem::HttpClient(e.to_string())
            .at(format!("Resources.{}", spec.function))
            .in_file(file)
            .into()
    })
}

/// The functions behind the API's routes, initialised, by logical id.
pub(crate) fn echoes(stack: &Stack) -> Result<BTreeMap<String, EchoRuntime>, Error> {
    let mut echoes = BTreeMap::new();
    for id in stack.api.routes.iter().filter_map(ApiRoute::function) {
        if let Some(function) = stack.function(id) {
            echoes.insert(id.to_owned(), EchoRuntime::new(function, &stack.template)?);
        }
    }
    Ok(echoes)
}

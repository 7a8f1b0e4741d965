//! What the gateway's unit tests build alike: where the API runs, its routes, the API itself.

use std::collections::BTreeMap;

use authorizer::RoutePattern;

use super::deployment::Deployment;
use crate::template::{Api, ApiKind, ApiRoute, Integration};

/// `offline0api` in `us-east-1`, stage `Prod` with the variable `realm=echo`.
pub(crate) fn deployment() -> Deployment {
    Deployment {
        region: "us-east-1".to_owned(),
        api_id: "offline0api".to_owned(),
        stage: "Prod".to_owned(),
        stage_variables: BTreeMap::from([("realm".to_owned(), "echo".to_owned())]),
    }
}

/// `method path` to function `F`, guarded by `authorizer`; HTTP APIs' `$default` when
/// `catch_all`.
pub(crate) fn route(
    method: &str,
    path: &str,
    catch_all: bool,
    authorizer: Option<&str>,
) -> ApiRoute {
    ApiRoute {
        event: format!("F.{method}{path}"),
        pattern: RoutePattern::parse(method, path).unwrap_or_else(|e| panic!("{path}: {e:?}")),
        catch_all,
        integration: Integration::Lambda("F".to_owned()),
        authorizer: authorizer.map(str::to_owned),
        scopes: Vec::new(),
    }
}

/// An API `offline0api` of `kind` at `stage` with `routes`, nothing else.
pub(crate) fn api(kind: ApiKind, stage: &str, routes: Vec<ApiRoute>) -> Api {
    Api {
        logical_id: "A".to_owned(),
        id: "offline0api".to_owned(),
        kind,
        stage: stage.to_owned(),
        stage_variables: BTreeMap::new(),
        authorizers: BTreeMap::new(),
        builtin_authorizers: BTreeMap::new(),
        routes,
        gateway_responses: BTreeMap::new(),
        cors: None,
        stage_settings: Default::default(),
    }
}

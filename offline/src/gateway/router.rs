//! An API stage's routes where it runs: what a router of either kind holds, how it names the
//! path below the stage, and the `execute-api` ARN of what a request calls. Each kind routes its
//! own way, in an `impl StageRouter<Kind>` of its own (`rest_api::routing`,
//! `http_api::routing`).

use std::marker::PhantomData;

use super::deployment::Deployment;
use crate::template::{Api, ApiRoute};

/// The routes of one API stage; `K` names the kind of API that routes them.
#[derive(Debug)]
pub(crate) struct StageRouter<K> {
    pub(crate) deployment: Deployment,
    pub(crate) routes: Vec<ApiRoute>,
    kind: PhantomData<K>,
}

impl<K> StageRouter<K> {
    pub(crate) fn new(api: &Api, region: &str) -> Self {
        Self {
            deployment: Deployment::new(api, region),
            routes: api.routes.clone(),
            kind: PhantomData,
        }
    }

    pub(crate) fn deployment(&self) -> &Deployment {
        &self.deployment
    }

    /// The path below the stage: `/Prod/echo` → `/echo`, `/Prod` → `/`; `None` for a path
    /// outside the stage (`/echo`, `/Production/echo`).
    pub(crate) fn below_stage<'a>(&self, path: &'a str) -> Option<&'a str> {
        match path
            .strip_prefix('/')?
            .strip_prefix(self.deployment.stage.as_str())?
        {
            "" => Some("/"),
            rest if rest.starts_with('/') => Some(rest),
            _ => None,
        }
    }

    /// `arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{path}` (REST's
    /// `methodArn`, HTTP APIs' `routeArn`), `path` being the API path as sent (`//admin` gives
    /// `.../GET//admin`, `/items/` gives `.../GET/items/`): an authorizer is asked about what the
    /// caller sent, not about the route it reached.
    pub(crate) fn arn(&self, method: &str, path: &str) -> String {
        self.deployment.arn(method, path)
    }
}

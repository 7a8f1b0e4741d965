//! Where the API runs: region, API id, stage and its variables, and the `execute-api` ARNs of
//! what a request calls (REST's `methodArn`, HTTP APIs' `routeArn`).

use std::collections::BTreeMap;

use crate::template::{ACCOUNT_ID, Api};

/// Where the API is deployed.
#[derive(Debug, Clone)]
pub(crate) struct Deployment {
    pub(crate) region: String,
    pub(crate) api_id: String,
    pub(crate) stage: String,
    pub(crate) stage_variables: BTreeMap<String, String>,
}

impl Deployment {
    pub(crate) fn new(api: &Api, region: &str) -> Self {
        Self {
            region: region.to_owned(),
            api_id: api.id.clone(),
            stage: api.stage.clone(),
            stage_variables: api.stage_variables.clone(),
        }
    }

    /// The API path `path` with the stage in front, as REST's `requestContext.path` has it
    /// (`/Prod/echo`; the root is `/Prod`).
    pub(crate) fn stage_path(&self, path: &str) -> String {
        let path = if path == "/" { "" } else { path };
        format!("/{}{path}", self.stage)
    }

    /// `arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{path}`, `path` being the
    /// API path as sent (below the stage): the authorizer is asked about what the caller sent,
    /// not about the route it reached.
    pub(crate) fn arn(&self, method: &str, path: &str) -> String {
        let Self {
            region,
            api_id,
            stage,
            ..
        } = self;
        let path = path.strip_prefix('/').unwrap_or(path);
        format!("arn:aws:execute-api:{region}:{ACCOUNT_ID}:{api_id}/{stage}/{method}/{path}")
    }
}

//! Which route of the API a request is for: the stage stripped from the path, API Gateway's
//! precedence between overlapping routes, and the request's `methodArn`.

use authorizer::routes::most_specific;

use crate::template::{ACCOUNT_ID, Api, ApiRoute};

/// Where the API is deployed: region, API id and stage.
#[derive(Debug, Clone)]
pub struct Deployment {
    pub region: String,
    pub api_id: String,
    pub stage: String,
}

/// The routes of one API stage.
#[derive(Debug)]
pub struct Router {
    deployment: Deployment,
    routes: Vec<ApiRoute>,
}

impl Router {
    pub fn new(api: &Api, region: &str) -> Self {
        Self {
            deployment: Deployment {
                region: region.to_owned(),
                api_id: api.id.clone(),
                stage: api.stage.clone(),
            },
            routes: api.routes.clone(),
        }
    }

    pub fn deployment(&self) -> &Deployment {
        &self.deployment
    }

    /// The path below the stage: `/Prod/echo` → `/echo`. A path without the stage is taken as
    /// is, as `sam local start-api` serves it.
    pub fn api_path<'a>(&self, path: &'a str) -> &'a str {
        match path
            .strip_prefix('/')
            .and_then(|p| p.strip_prefix(self.deployment.stage.as_str()))
        {
            Some("") => "/",
            Some(rest) if rest.starts_with('/') => rest,
            _ => path,
        }
    }

    /// The most specific route matching `method` and the API path `path`.
    pub fn route(&self, method: &str, path: &str) -> Option<&ApiRoute> {
        most_specific(&self.routes, |r| &r.pattern, method, path)
    }

    /// `arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{path}`.
    pub fn method_arn(&self, method: &str, path: &str) -> String {
        let Deployment {
            region,
            api_id,
            stage,
        } = &self.deployment;
        format!(
            "arn:aws:execute-api:{region}:{ACCOUNT_ID}:{api_id}/{stage}/{method}/{}",
            path.trim_start_matches('/')
        )
    }
}

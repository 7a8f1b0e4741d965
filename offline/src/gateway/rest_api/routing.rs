//! Which route of the API a request is for: the stage stripped from the path, the path read
//! canonically (escapes of unreserved characters and `/` decoded, dot segments resolved, the
//! trailing slash stripped, empty segments dropped: `/items/`, `//items`, `/x/../items` and
//! `/%69tems` all reach `/items`), API Gateway's precedence between overlapping routes, and the
//! request's `methodArn`, which keeps the path as sent.

use authorizer::routes::most_specific;

use crate::gateway::deployment::Deployment;
use crate::template::{Api, ApiRoute};

/// The routes of one API stage.
#[derive(Debug)]
pub struct Router {
    deployment: Deployment,
    routes: Vec<ApiRoute>,
}

impl Router {
    pub fn new(api: &Api, region: &str) -> Self {
        Self {
            deployment: Deployment::new(api, region),
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

    /// The most specific route matching `method` and the API path `path`, read canonically.
    pub fn route(&self, method: &str, path: &str) -> Option<&ApiRoute> {
        most_specific(&self.routes, |r| &r.pattern, method, path)
    }

    /// `arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{path}`, the API path as
    /// sent (`//admin` gives `.../GET//admin`, `/items/` gives `.../GET/items/`): the policy is
    /// evaluated against what the caller sent, not against the route it reached.
    pub fn method_arn(&self, method: &str, path: &str) -> String {
        self.deployment.arn(method, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{ApiKind, Integration};
    use authorizer::routes::RoutePattern;
    use std::collections::BTreeMap;

    fn router() -> Router {
        let route = |method: &str, path: &str| ApiRoute {
            event: format!("F.{method}{path}"),
            pattern: RoutePattern::parse(method, path).unwrap(),
            catch_all: false,
            integration: Integration::Lambda("F".to_owned()),
            authorizer: None,
        };
        let api = Api {
            logical_id: "A".to_owned(),
            id: "offline0api".to_owned(),
            kind: ApiKind::Rest,
            stage: "Prod".to_owned(),
            stage_variables: BTreeMap::new(),
            authorizers: BTreeMap::new(),
            routes: vec![
                route("GET", "/items"),
                route("GET", "/items/{id}"),
                route("GET", "/{proxy+}"),
            ],
            gateway_responses: BTreeMap::new(),
            cors: None,
            stage_settings: Default::default(),
        };
        Router::new(&api, "us-east-1")
    }

    #[test]
    fn paths_route_canonically_and_arns_keep_the_path_as_sent() {
        let router = router();
        for (sent, resource) in [
            ("/Prod/items", "/items"),
            ("/Prod/items/", "/items"),
            ("/Prod//items", "/items"),
            ("/Prod/x/../items", "/items"),
            ("/Prod/%69tems", "/items"),
            ("/Prod/items/42/", "/items/{id}"),
            ("/Prod/a//b", "/{proxy+}"),
        ] {
            let path = router.api_path(sent);
            let route = router.route("GET", path).unwrap();
            assert_eq!(route.pattern.path, resource, "{sent}");
        }
        assert_eq!(router.api_path("/Prod"), "/");
        assert_eq!(router.api_path("/Production/x"), "/Production/x");
        let arn = |sent: &str| router.method_arn("GET", router.api_path(sent));
        let base = "arn:aws:execute-api:us-east-1:123456789012:offline0api/Prod/GET/";
        assert_eq!(arn("/Prod//admin"), format!("{base}/admin"));
        assert_eq!(arn("/Prod/items/"), format!("{base}items/"));
        assert_eq!(arn("/Prod/%61dmin"), format!("{base}%61dmin"));
        assert_eq!(arn("/Prod"), base);
    }
}

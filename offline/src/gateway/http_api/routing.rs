//! Which route of an HTTP API a request is for. The stage comes first (`/{stage}/...`; the
//! `$default` stage is served at the root), then the path is matched **as sent**, segment by
//! segment: HTTP APIs do not route `/echo/` to `/echo` (a REST API does), and AWS documents no
//! other normalisation, so none is made (`//echo` and `/%65cho` are not `/echo` either). The most
//! specific route wins (literal over `{param}` over `{proxy+}`, a method over `ANY`); the
//! `$default` route answers what no route matches; with neither, 404.

use authorizer::request_path::Reading;
use authorizer::routes::most_specific_segments;

use crate::gateway::deployment::Deployment;
use crate::template::api::DEFAULT_STAGE;
use crate::template::{Api, ApiRoute};

/// The routes of one HTTP API stage.
#[derive(Debug)]
pub struct HttpRouter {
    deployment: Deployment,
    routes: Vec<ApiRoute>,
}

/// A route a request matched, with its path parameters.
pub type Matched<'a> = (&'a ApiRoute, Vec<(String, String)>);

impl HttpRouter {
    pub fn new(api: &Api, region: &str) -> Self {
        Self {
            deployment: Deployment::new(api, region),
            routes: api.routes.clone(),
        }
    }

    pub fn deployment(&self) -> &Deployment {
        &self.deployment
    }

    /// The path below the stage: `/Prod/echo` → `/echo` (`$default`: the path itself); `None`
    /// for a path outside the stage.
    pub fn api_path<'a>(&self, path: &'a str) -> Option<&'a str> {
        let stage = self.deployment.stage.as_str();
        if stage == DEFAULT_STAGE {
            return Some(path);
        }
        match path.strip_prefix('/')?.strip_prefix(stage)? {
            "" => Some("/"),
            rest if rest.starts_with('/') => Some(rest),
            _ => None,
        }
    }

    /// The route for `method` and the API path `path`, matched as sent, and its parameters.
    pub fn route(&self, method: &str, path: &str) -> Option<Matched<'_>> {
        let segments = Reading::RAW.segments(path);
        let routes = self.routes.iter().filter(|r| !r.catch_all);
        if let Some(route) = most_specific_segments(routes, |r| &r.pattern, method, &segments) {
            let parameters = route.pattern.match_segments(method, &segments)?;
            return Some((route, parameters));
        }
        let fallback = self.routes.iter().find(|r| r.catch_all)?;
        Some((fallback, Vec::new()))
    }

    /// The `routeArn`: `arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{path}`,
    /// the API path as sent.
    pub fn route_arn(&self, method: &str, path: &str) -> String {
        self.deployment.arn(method, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{ApiKind, Integration};
    use authorizer::routes::RoutePattern;
    use std::collections::BTreeMap;

    fn router(stage: &str, catch_all: bool) -> HttpRouter {
        let route = |method: &str, path: &str, catch_all: bool| ApiRoute {
            event: format!("F.{method}{path}"),
            pattern: RoutePattern::parse(method, path).unwrap(),
            catch_all,
            integration: Integration::Lambda("F".to_owned()),
            authorizer: None,
        };
        let mut routes = vec![
            route("GET", "/echo", false),
            route("GET", "/items/{id}", false),
            route("ANY", "/files/{proxy+}", false),
        ];
        if catch_all {
            routes.push(route("ANY", "/{proxy+}", true));
        }
        let api = Api {
            logical_id: "A".to_owned(),
            id: "offline0api".to_owned(),
            kind: ApiKind::Http { cors: None },
            stage: stage.to_owned(),
            stage_variables: BTreeMap::new(),
            authorizers: BTreeMap::new(),
            routes,
            gateway_responses: BTreeMap::new(),
            cors: None,
            stage_settings: Default::default(),
        };
        HttpRouter::new(&api, "us-east-1")
    }

    #[test]
    fn paths_match_as_sent_and_the_default_route_takes_the_rest() {
        let strict = router("$default", false);
        let key = |r: &HttpRouter, method: &str, path: &str| {
            r.route(method, path).map(|(route, _)| route.route_key())
        };
        assert_eq!(key(&strict, "GET", "/echo").as_deref(), Some("GET /echo"));
        for path in ["/echo/", "//echo", "/%65cho", "/x/../echo", "/"] {
            assert_eq!(key(&strict, "GET", path), None, "{path}");
        }
        assert_eq!(key(&strict, "POST", "/echo"), None);
        let (_, parameters) = strict.route("GET", "/items/42").unwrap();
        assert_eq!(parameters, [("id".to_owned(), "42".to_owned())]);
        assert_eq!(
            key(&strict, "GET", "/items/"),
            None,
            "a {{param}} is never empty"
        );
        let (route, parameters) = strict.route("DELETE", "/files/a/b").unwrap();
        assert_eq!(
            (route.route_key(), parameters),
            (
                "ANY /files/{proxy+}".to_owned(),
                vec![("proxy".to_owned(), "a/b".to_owned())]
            )
        );
        let open = router("$default", true);
        for path in ["/echo/", "/", "/anything/else"] {
            assert_eq!(
                key(&open, "GET", path).as_deref(),
                Some("$default"),
                "{path}"
            );
        }
        assert_eq!(key(&open, "GET", "/echo").as_deref(), Some("GET /echo"));
    }

    #[test]
    fn stages_prefix_paths_unless_default() {
        assert_eq!(router("$default", false).api_path("/echo"), Some("/echo"));
        let named = router("Prod", false);
        assert_eq!(named.api_path("/Prod/echo"), Some("/echo"));
        assert_eq!(named.api_path("/Prod"), Some("/"));
        assert_eq!(named.api_path("/echo"), None);
        assert_eq!(named.api_path("/Production/echo"), None);
        assert_eq!(
            named.route_arn("GET", "/echo/"),
            "arn:aws:execute-api:us-east-1:123456789012:offline0api/Prod/GET/echo/"
        );
        assert_eq!(
            router("$default", false).route_arn("GET", "/echo"),
            "arn:aws:execute-api:us-east-1:123456789012:offline0api/$default/GET/echo"
        );
    }
}

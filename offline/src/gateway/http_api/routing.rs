//! Which route of an HTTP API a request is for. The stage comes first (`/{stage}/...`; the
//! `$default` stage is served at the root), then the path is matched **as sent**, segment by
//! segment: HTTP APIs do not route `/echo/` to `/echo` (a REST API does), and AWS documents no
//! other normalisation, so none is made (`//echo` and `/%65cho` are not `/echo` either). The most
//! specific route wins (literal over `{param}` over `{proxy+}`, a method over `ANY`); the
//! `$default` route answers what no route matches; with neither, 404.

use authorizer::most_specific_segments;
use authorizer::request_path::Reading;

use crate::gateway::router::StageRouter;
use crate::template::ApiRoute;
use crate::template::api::DEFAULT_STAGE;

/// HTTP API routing (see the module's description).
#[derive(Debug)]
pub(crate) enum Http {}

/// The routes of one HTTP API stage.
pub(crate) type HttpRouter = StageRouter<Http>;

/// A route a request matched, with its path parameters.
pub(crate) type Matched<'a> = (&'a ApiRoute, Vec<(String, String)>);

impl StageRouter<Http> {
    /// The path below the stage: `/Prod/echo` → `/echo` (`$default`: the path itself); `None`
    /// for a path outside the stage.
    pub(crate) fn api_path<'a>(&self, path: &'a str) -> Option<&'a str> {
        if self.deployment.stage == DEFAULT_STAGE {
            return Some(path);
        }
        self.below_stage(path)
    }

    /// The route for `method` and the API path `path`, matched as sent, and its parameters.
    pub(crate) fn route(&self, method: &str, path: &str) -> Option<Matched<'_>> {
        let segments = Reading::RAW.segments(path);
        let routes = self.routes.iter().filter(|r| !r.catch_all);
        if let Some(route) = most_specific_segments(routes, |r| &r.pattern, method, &segments) {
            let parameters = route.pattern.match_segments(method, &segments)?;
            return Some((route, parameters));
        }
        let fallback = self.routes.iter().find(|r| r.catch_all)?;
        Some((fallback, Vec::new()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::fixtures::{api, route};
    use crate::template::ApiKind;

    fn router(stage: &str, catch_all: bool) -> HttpRouter {
        let mut routes = vec![
            route("GET", "/echo", false, None),
            route("GET", "/items/{id}", false, None),
            route("ANY", "/files/{proxy+}", false, None),
        ];
        if catch_all {
            routes.push(route("ANY", "/{proxy+}", true, None));
        }
        let api = api(ApiKind::Http { cors: None }, stage, routes);
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
            named.arn("GET", "/echo/"),
            "arn:aws:execute-api:us-east-1:123456789012:offline0api/Prod/GET/echo/"
        );
        assert_eq!(
            router("$default", false).arn("GET", "/echo"),
            "arn:aws:execute-api:us-east-1:123456789012:offline0api/$default/GET/echo"
        );
    }
}

//! Which route of the API a request is for: the stage stripped from the path, the path read
//! canonically (escapes of unreserved characters and `/` decoded, dot segments resolved, the
//! trailing slash stripped, empty segments dropped: `/items/`, `//items`, `/x/../items` and
//! `/%69tems` all reach `/items`), API Gateway's precedence between overlapping routes, and the
//! request's `methodArn`, which keeps the path as sent.

use authorizer::most_specific;

use crate::gateway::router::StageRouter;
use crate::template::ApiRoute;

/// REST routing (see the module's description).
#[derive(Debug)]
pub(crate) enum Rest {}

/// The routes of one API stage.
pub(crate) type Router = StageRouter<Rest>;

impl StageRouter<Rest> {
    /// The path below the stage: `/Prod/echo` → `/echo`. A path without the stage is taken as
    /// is, as `sam local start-api` serves it.
    pub(crate) fn api_path<'a>(&self, path: &'a str) -> &'a str {
        self.below_stage(path).unwrap_or(path)
    }

    /// The most specific route matching `method` and the API path `path`, read canonically.
    pub(crate) fn route(&self, method: &str, path: &str) -> Option<&ApiRoute> {
        most_specific(&self.routes, |r| &r.pattern, method, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::fixtures::{api, route};
    use crate::template::ApiKind;

    fn router() -> Router {
        let routes = ["/items", "/items/{id}", "/{proxy+}"]
            .map(|path| route("GET", path, false, None))
            .to_vec();
        Router::new(&api(ApiKind::Rest, "Prod", routes), "us-east-1")
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
        let arn = |sent: &str| router.arn("GET", router.api_path(sent));
        let base = "arn:aws:execute-api:us-east-1:123456789012:offline0api/Prod/GET/";
        assert_eq!(arn("/Prod//admin"), format!("{base}/admin"));
        assert_eq!(arn("/Prod/items/"), format!("{base}items/"));
        assert_eq!(arn("/Prod/%61dmin"), format!("{base}%61dmin"));
        assert_eq!(arn("/Prod"), base);
    }
}

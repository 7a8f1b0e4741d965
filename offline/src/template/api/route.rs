//! One route of the API and what answers it.

use authorizer::RoutePattern;

/// The route key of HTTP APIs' catch-all route.
pub(crate) const DEFAULT_ROUTE: &str = "$default";

/// What answers a route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Integration {
    /// The Lambda proxy integration of a function (its logical id).
    Lambda(String),
    /// SAM's CORS preflight (REST): a mock integration answering 200 with these headers.
    Preflight(Vec<(String, String)>),
    /// A mock integration of an OpenAPI definition: API Gateway answers itself.
    Mock(MockResponse),
}

/// What a mock integration answers, fixed by the definition (static templates only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MockResponse {
    /// The selected integration response's `statusCode`.
    pub(crate) status: u16,
    /// Its `responseParameters` (`method.response.header.X: "'value'"`), `Content-Type` first.
    pub(crate) headers: Vec<(String, String)>,
    /// Its response template, static text.
    pub(crate) body: String,
}

/// One route of the API: a function's event (`Api` or `HttpApi`), or a REST CORS preflight.
#[derive(Debug, Clone)]
pub(crate) struct ApiRoute {
    /// `FunctionLogicalId.EventName`, or `ApiLogicalId.Cors` for a preflight.
    pub(crate) event: String,
    /// `METHOD /path`; `ANY /{proxy+}` for the `$default` route.
    pub(crate) pattern: RoutePattern,
    /// HTTP APIs' `$default` route: answers what no other route matches, the root included.
    pub(crate) catch_all: bool,
    pub(crate) integration: Integration,
    /// The authorizer guarding it; `None` for `Auth: {Authorizer: NONE}`.
    pub(crate) authorizer: Option<String>,
    /// `AuthorizationScopes` (its own, else its authorizer's): any one of them admits a token.
    /// Only API Gateway's own authorizers have them.
    pub(crate) scopes: Vec<String>,
}

impl ApiRoute {
    /// The function behind it, if it is a Lambda integration.
    pub(crate) fn function(&self) -> Option<&str> {
        match &self.integration {
            Integration::Lambda(function) => Some(function),
            Integration::Preflight(_) | Integration::Mock(_) => None,
        }
    }

    /// `GET /echo`, or `$default`: HTTP APIs' `routeKey`.
    pub(crate) fn route_key(&self) -> String {
        if self.catch_all {
            DEFAULT_ROUTE.to_owned()
        } else {
            format!("{} {}", self.pattern.method, self.pattern.path)
        }
    }
}

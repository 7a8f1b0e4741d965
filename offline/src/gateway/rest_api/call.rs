//! The request a REST API Lambda authorizer is asked about, and what its identity sources read
//! from it.

use crate::gateway::authorizer_runtime::request_context;
use crate::gateway::deployment::Deployment;
use crate::gateway::identity::IdentityLookup;
use crate::message::Request;
use crate::template::ApiRoute;
use crate::template::api::ContextVariable;

/// The request an authorizer is asked about: where the API runs, the route it reached, the API
/// path as sent and its `methodArn`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call<'a> {
    pub(crate) request: &'a Request,
    pub(crate) deployment: &'a Deployment,
    pub(crate) route: &'a ApiRoute,
    pub(crate) path: &'a str,
    pub(crate) method_arn: &'a str,
}

/// What a `REQUEST` authorizer's identity sources read: the values its event carries (the last
/// of a repeated header or query parameter, as `headers` and `queryStringParameters` hold it).
impl IdentityLookup for Call<'_> {
    fn header(&self, name: &str) -> Option<String> {
        let headers = &self.request.headers;
        let found = headers
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(name));
        found.map(|(_, v)| v.clone())
    }

    fn query(&self, name: &str) -> Option<String> {
        let query = self.request.query.as_deref().unwrap_or("");
        let pairs = form_urlencoded::parse(query.as_bytes());
        pairs
            .filter(|(n, _)| n == name)
            .last()
            .map(|(_, v)| v.into_owned())
    }

    fn stage_variable(&self, name: &str) -> Option<String> {
        self.deployment.stage_variables.get(name).cloned()
    }

    fn context(&self, variable: ContextVariable) -> Option<String> {
        match variable {
            ContextVariable::ResourcePath => Some(self.route.pattern.path.clone()),
            ContextVariable::Path => Some(self.deployment.stage_path(self.path)),
            other => request_context(other, self.request, self.deployment),
        }
    }
}

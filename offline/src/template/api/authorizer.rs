//! The API's Lambda authorizers, all running the authorizer binary: REST `TOKEN` and `REQUEST`
//! authorizers, and HTTP API authorizers (payload 2.0, simple responses); their identity sources.

use regex::Regex;

/// A Lambda authorizer of the API.
#[derive(Debug, Clone)]
pub struct LambdaAuthorizer {
    /// Logical id of the function.
    pub(crate) function: String,
    /// `Identity.ReauthorizeEvery` (at most 3600; REST default 300): how long an answer is cached
    /// per identity (the token, or every identity source's value); 0 caches nothing.
    pub ttl_seconds: u64,
    pub(crate) kind: AuthorizerKind,
}

/// What the authorizer is sent, and what its cache is keyed on.
#[derive(Debug, Clone)]
pub(crate) enum AuthorizerKind {
    /// REST `TOKEN`: the token of one header.
    Token {
        /// `Identity.Header` (default `Authorization`).
        header: String,
        /// `Identity.ValidationExpression`: a token that does not match gets 401 without a call.
        validation: Option<Regex>,
    },
    /// REST `REQUEST`: the request's headers, query, path, stage variables and context.
    Request { identity: Vec<IdentitySource> },
    /// HTTP API, payload format 2.0 with simple responses (`isAuthorized`).
    HttpV2 { identity: Vec<IdentitySource> },
}

impl LambdaAuthorizer {
    /// The identity sources (`REQUEST` and HTTP API; a `TOKEN` authorizer has its header).
    pub(crate) fn identity(&self) -> &[IdentitySource] {
        match &self.kind {
            AuthorizerKind::Token { .. } => &[],
            AuthorizerKind::Request { identity } | AuthorizerKind::HttpV2 { identity } => identity,
        }
    }

    #[cfg(test)]
    /// `TOKEN`, `REQUEST` or `HTTP API`.
    pub(crate) fn kind_name(&self) -> &'static str {
        match &self.kind {
            AuthorizerKind::Token { .. } => "TOKEN",
            AuthorizerKind::Request { .. } => "REQUEST",
            AuthorizerKind::HttpV2 { .. } => "HTTP API",
        }
    }
}

/// Where one part of a caller's identity comes from. Each must be present and non-empty, or
/// API Gateway answers 401 without calling the authorizer; together they key the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IdentitySource {
    /// A request header (any case).
    Header(String),
    /// A query string parameter.
    QueryString(String),
    /// A stage variable.
    StageVariable(String),
    /// A `$context` variable.
    Context(ContextVariable),
}

/// The `$context` variables the offline gateway gives identity sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContextVariable {
    /// HTTP APIs' `routeKey` (`GET /echo`, `$default`).
    RouteKey,
    HttpMethod,
    /// REST's `resourcePath` (`/items/{id}`).
    ResourcePath,
    Path,
    Stage,
    ApiId,
    AccountId,
    DomainName,
    DomainPrefix,
    Protocol,
    /// New for every request: an identity source on it makes every answer a cache miss.
    RequestId,
    SourceIp,
    UserAgent,
}

/// Name, variable, and whether only REST (`Some(false)`) or only HTTP APIs (`Some(true)`) have it.
const CONTEXT_VARIABLES: &[(&str, ContextVariable, Option<bool>)] = &[
    ("routeKey", ContextVariable::RouteKey, Some(true)),
    ("httpMethod", ContextVariable::HttpMethod, None),
    ("resourcePath", ContextVariable::ResourcePath, Some(false)),
    ("path", ContextVariable::Path, None),
    ("stage", ContextVariable::Stage, None),
    ("apiId", ContextVariable::ApiId, None),
    ("accountId", ContextVariable::AccountId, None),
    ("domainName", ContextVariable::DomainName, None),
    ("domainPrefix", ContextVariable::DomainPrefix, None),
    ("protocol", ContextVariable::Protocol, None),
    ("requestId", ContextVariable::RequestId, None),
    ("identity.sourceIp", ContextVariable::SourceIp, None),
    ("identity.userAgent", ContextVariable::UserAgent, None),
];

impl ContextVariable {
    /// The variable `name` (as after `$context.`) of a REST API or (`http_api`) an HTTP API.
    pub(crate) fn parse(name: &str, http_api: bool) -> Option<Self> {
        CONTEXT_VARIABLES
            .iter()
            .find(|(n, _, only)| *n == name && only.is_none_or(|h| h == http_api))
            .map(|(_, v, _)| *v)
    }

    /// The names the offline gateway knows for one kind of API, for messages.
    pub(crate) fn names(http_api: bool) -> Vec<&'static str> {
        CONTEXT_VARIABLES
            .iter()
            .filter(|(_, _, only)| only.is_none_or(|h| h == http_api))
            .map(|(n, _, _)| *n)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_variables_belong_to_their_kind_of_api() {
        assert_eq!(
            ContextVariable::parse("routeKey", true),
            Some(ContextVariable::RouteKey)
        );
        assert_eq!(ContextVariable::parse("routeKey", false), None);
        assert_eq!(
            ContextVariable::parse("resourcePath", false),
            Some(ContextVariable::ResourcePath)
        );
        assert_eq!(ContextVariable::parse("resourcePath", true), None);
        assert_eq!(
            ContextVariable::parse("identity.sourceIp", true),
            Some(ContextVariable::SourceIp)
        );
        assert_eq!(ContextVariable::parse("authorizer.x", true), None);
        assert!(ContextVariable::names(true).contains(&"routeKey"));
    }
}

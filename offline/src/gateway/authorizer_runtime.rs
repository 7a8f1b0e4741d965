//! A Lambda authorizer at run time, for either kind of API: its function (see `lambda`) and the
//! cache of its answers per identity for the authorizer's TTL ([`AuthorizerRuntime`]); the
//! verdict on one request ([`Verdict`]); what both kinds read alike from an answer (its
//! `context`) and from a request (most context variables).

use std::collections::BTreeMap;
use std::future::Future;
use std::path::Path;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::cache::AnswerCache;
use super::deployment::Deployment;
use super::functions::Functions;
use super::lambda::{Failure, FunctionError, LambdaFunction};
use crate::error::Error;
use crate::message::{AuthorizerUse, Request};
use crate::template::api::ContextVariable;
use crate::template::{ACCOUNT_ID, Api, LambdaAuthorizer, Problem};

/// What an authorizer decided about one request; `R` is how the API answers a refusal.
#[derive(Debug)]
pub(crate) enum Verdict<R> {
    /// Let through, with the authorizer's context.
    Allow {
        context: Map<String, Value>,
        reason: &'static str,
    },
    /// Answered by the API itself.
    Refuse { refusal: R, reason: &'static str },
}

impl<R> Verdict<R> {
    pub(crate) fn refuse(refusal: R, reason: &'static str) -> Self {
        Self::Refuse { refusal, reason }
    }
}

/// One Lambda authorizer of the API, its well-formed answers `A` cached per identity.
#[derive(Debug)]
pub(crate) struct AuthorizerRuntime<A> {
    pub(crate) spec: LambdaAuthorizer,
    pub(crate) function: Arc<LambdaFunction>,
    cache: AnswerCache<A>,
}

impl<A> AuthorizerRuntime<A> {
    /// The authorizer of `spec`, running `function` (see `gateway::functions`).
    pub(crate) fn new(spec: &LambdaAuthorizer, function: Arc<LambdaFunction>) -> Self {
        Self {
            spec: spec.clone(),
            function,
            cache: AnswerCache::new(spec.ttl_seconds),
        }
    }

    /// The answer cached for the identity `key`, else the one `invoke` gets from the function
    /// (only awaited then), cached when it is one; how the authorizer took part. A refusal from
    /// `invoke` (the call failed, or its answer is malformed) is returned as is, not cached.
    pub(crate) async fn answer<R>(
        &self,
        key: &str,
        invoke: impl Future<Output = Result<A, Verdict<R>>>,
    ) -> Result<(Arc<A>, AuthorizerUse), Verdict<R>> {
        if let Some(answer) = self.cache.get(key) {
            return Ok((answer, AuthorizerUse::Cached));
        }
        let answer = Arc::new(invoke.await?);
        self.cache.put(key, &answer);
        Ok((answer, AuthorizerUse::Invoked))
    }
}

/// The runtimes of `api`'s authorizers, by name, each running its function of `functions` (the
/// template `file`, for messages).
pub(crate) fn runtimes<A>(
    api: &Api,
    functions: &Functions,
    file: &Path,
) -> Result<BTreeMap<String, AuthorizerRuntime<A>>, Error> {
    let mut runtimes = BTreeMap::new();
    for (name, spec) in &api.authorizers {
        let function = functions.get(&spec.function).ok_or_else(|| {
            Problem::NoAuthorizerFunction(name.clone())
                .at(format!("Resources.{}", api.logical_id))
                .in_file(file)
        })?;
        runtimes.insert(name.clone(), AuthorizerRuntime::new(spec, function));
    }
    Ok(runtimes)
}

/// Whether a failed authorizer invocation is its `Unauthorized` (API Gateway's 401 for a REST
/// API; any other error is a 500).
pub(crate) fn is_unauthorized(error: &FunctionError) -> bool {
    error.failure == Failure::Handler && error.message == authorizer::UNAUTHORIZED
}

/// An answer's `context`: absent or `null` is empty; anything but an object makes the answer
/// malformed (`None`).
pub(crate) fn answer_context(answer: &Value) -> Option<Map<String, Value>> {
    match answer.get("context") {
        None | Some(Value::Null) => Some(Map::new()),
        Some(Value::Object(map)) => Some(map.clone()),
        Some(_) => None,
    }
}

/// A context variable as both kinds of API read it from `request` and where it runs; `None`
/// when the request lacks it (no `User-Agent`), and for `routeKey`, `path` and `resourcePath`,
/// which each kind reads its own way.
pub(crate) fn request_context(
    variable: ContextVariable,
    request: &Request,
    deployment: &Deployment,
) -> Option<String> {
    Some(match variable {
        ContextVariable::HttpMethod => request.method.clone(),
        ContextVariable::Stage => deployment.stage.clone(),
        ContextVariable::ApiId => deployment.api_id.clone(),
        ContextVariable::AccountId => ACCOUNT_ID.to_owned(),
        ContextVariable::DomainName => request.host.clone(),
        ContextVariable::DomainPrefix => request.host.split('.').next()?.to_owned(),
        ContextVariable::Protocol => "HTTP/1.1".to_owned(),
        ContextVariable::RequestId => authorizer::mint::random_id(),
        ContextVariable::SourceIp => request.source_ip.clone(),
        ContextVariable::UserAgent => request.header("user-agent")?.to_owned(),
        ContextVariable::RouteKey | ContextVariable::Path | ContextVariable::ResourcePath => {
            return None;
        }
    })
}

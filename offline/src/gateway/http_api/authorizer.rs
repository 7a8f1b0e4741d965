//! An HTTP API Lambda authorizer at run time (payload 2.0, simple responses): every identity
//! source present and non-empty, else 401 without a call; the real authorizer code called with
//! the 2.0 event; its `isAuthorized` answer (403 when false, 500 when malformed or an error)
//! cached per identity, all identity-source values together, for the TTL. Nothing else keys the
//! cache: without `$context.routeKey` among the identity sources, an answer for one route is
//! reused for the others, as on API Gateway.

use std::sync::Arc;

use authorizer::Authorizer;
use serde_json::{Map, Value};

use super::event::{Target, V2Request, authorizer_event};
use super::responses::HttpError;
use crate::gateway::cache::AnswerCache;
use crate::gateway::identity::{IdentityLookup, cache_key, identity_values};
use crate::message::{AuthorizerUse, Request};
use crate::template::api::ContextVariable;
use crate::template::{ACCOUNT_ID, LambdaAuthorizer};

/// What API Gateway keeps per identity: the authorizer's simple answer.
#[derive(Debug)]
pub struct Answer {
    authorized: bool,
    /// `context`, for `requestContext.authorizer.lambda`.
    context: Map<String, Value>,
    /// The decision's reason when it was made.
    reason: &'static str,
}

/// What the authorizer decided about one request.
#[derive(Debug)]
pub enum Verdict {
    /// Let through, with the authorizer's context.
    Allow {
        context: Map<String, Value>,
        reason: &'static str,
    },
    /// Answered by the API itself.
    Refuse {
        error: HttpError,
        reason: &'static str,
    },
}

/// The request an authorizer is asked about.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    pub request: &'a Request,
    pub v2: &'a V2Request,
    pub target: Target<'a>,
    pub route_arn: &'a str,
}

/// One Lambda authorizer of the HTTP API.
#[derive(Debug)]
pub struct HttpAuthorizerRuntime {
    spec: LambdaAuthorizer,
    function: Authorizer,
    cache: AnswerCache<Answer>,
}

impl HttpAuthorizerRuntime {
    /// The authorizer of `spec`, running `function` (see `gateway::functions`).
    pub fn new(spec: &LambdaAuthorizer, function: Authorizer) -> Self {
        Self {
            spec: spec.clone(),
            function,
            cache: AnswerCache::new(spec.ttl_seconds),
        }
    }

    /// The function's init: fetch the keys (the issuer must be serving).
    pub async fn prefetch(&self) {
        self.function.prefetch().await;
    }

    /// Decides `call`: the identity sources, then the cached or fresh answer.
    pub async fn authorize(&self, call: &Call<'_>) -> (Verdict, AuthorizerUse) {
        let Some(values) = identity_values(self.spec.identity(), call) else {
            let refusal = Verdict::Refuse {
                error: HttpError::Unauthorized,
                reason: "missing_identity",
            };
            return (refusal, AuthorizerUse::None);
        };
        let key = cache_key(&values);
        let (answer, used) = match self.cache.get(&key) {
            Some(answer) => (answer, AuthorizerUse::Cached),
            None => match self.invoke(call, &values, &key).await {
                Ok(answer) => (answer, AuthorizerUse::Invoked),
                Err(refusal) => return (refusal, AuthorizerUse::Invoked),
            },
        };
        let cached = used == AuthorizerUse::Cached;
        let verdict = match (answer.authorized, cached) {
            (true, false) => Verdict::Allow {
                context: answer.context.clone(),
                reason: answer.reason,
            },
            (true, true) => Verdict::Allow {
                context: answer.context.clone(),
                reason: "allowed_by_cached_answer",
            },
            (false, cached) => Verdict::Refuse {
                error: HttpError::Forbidden,
                reason: if cached {
                    "denied_by_cached_answer"
                } else {
                    answer.reason
                },
            },
        };
        (verdict, used)
    }

    /// Calls the authorizer with the 2.0 event and caches a well-formed answer under `key`.
    async fn invoke(
        &self,
        call: &Call<'_>,
        values: &[String],
        key: &str,
    ) -> Result<Arc<Answer>, Verdict> {
        let event = authorizer_event(call.request, call.v2, call.target, call.route_arn, values);
        let (result, decision) = self.function.handle_decided(event).await;
        let reason = decision.map_or("invalid_event", |d| d.reason.code());
        let failed = |reason| Verdict::Refuse {
            error: HttpError::InternalServerError,
            reason,
        };
        let value = result.map_err(|_| failed(reason))?;
        let answer = parse_answer(&value, reason).ok_or(failed("malformed_authorizer_answer"))?;
        let answer = Arc::new(answer);
        self.cache.put(key, &answer);
        Ok(answer)
    }
}

/// A simple response: `isAuthorized` a boolean, `context` an object if present.
fn parse_answer(value: &Value, reason: &'static str) -> Option<Answer> {
    let authorized = value.get("isAuthorized")?.as_bool()?;
    let context = match value.get("context") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map.clone(),
        Some(_) => return None,
    };
    Some(Answer {
        authorized,
        context,
        reason,
    })
}

/// What an HTTP API's identity sources read: the values its events carry.
impl IdentityLookup for Call<'_> {
    fn header(&self, name: &str) -> Option<String> {
        self.v2.header(name)
    }

    fn query(&self, name: &str) -> Option<String> {
        self.v2.query(name)
    }

    fn stage_variable(&self, name: &str) -> Option<String> {
        self.target.deployment.stage_variables.get(name).cloned()
    }

    fn context(&self, variable: ContextVariable) -> Option<String> {
        let (request, deployment) = (self.request, self.target.deployment);
        Some(match variable {
            ContextVariable::RouteKey => self.target.route.route_key(),
            ContextVariable::HttpMethod => request.method.clone(),
            ContextVariable::Path => request.path.clone(),
            ContextVariable::Stage => deployment.stage.clone(),
            ContextVariable::ApiId => deployment.api_id.clone(),
            ContextVariable::AccountId => ACCOUNT_ID.to_owned(),
            ContextVariable::DomainName => request.host.clone(),
            ContextVariable::DomainPrefix => request.host.split('.').next()?.to_owned(),
            ContextVariable::Protocol => "HTTP/1.1".to_owned(),
            ContextVariable::RequestId => authorizer::mint::random_id(),
            ContextVariable::SourceIp => request.source_ip.clone(),
            ContextVariable::UserAgent => request.header("user-agent")?.to_owned(),
            ContextVariable::ResourcePath => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_well_formed_simple_responses_are_answers() {
        let answer = parse_answer(
            &json!({"isAuthorized": true, "context": {"sub": "s"}}),
            "ok",
        );
        assert_eq!(answer.unwrap().context["sub"], "s");
        assert!(
            !parse_answer(&json!({"isAuthorized": false}), "no")
                .unwrap()
                .authorized
        );
        for bad in [
            json!({"isAuthorized": "true"}),
            json!({"context": {}}),
            json!({"isAuthorized": true, "context": "x"}),
            json!({"principalId": "p", "policyDocument": {}}),
        ] {
            assert!(parse_answer(&bad, "ok").is_none(), "{bad}");
        }
    }
}

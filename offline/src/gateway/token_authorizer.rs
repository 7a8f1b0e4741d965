//! A `TOKEN` authorizer at run time: the real authorizer code configured from its function's
//! environment, called with API Gateway's `TOKEN` event, its answer checked as API Gateway checks
//! it, cached per token, and its policy evaluated against the request's `methodArn`.

use std::path::Path;
use std::sync::Arc;

use authorizer::policy;
use authorizer::{Authorizer, Config, HandlerError, Metrics};
use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerPolicy;
use serde_json::{Map, Value, json};

use super::cache::AnswerCache;
use crate::error::Error;
use crate::message::{AuthorizerUse, Request};
use crate::template::{Function, Problem, TokenAuthorizer};

/// What API Gateway keeps per token: the authorizer's answer.
#[derive(Debug)]
pub struct Answer {
    policy: ApiGatewayCustomAuthorizerPolicy,
    /// `context` plus `principalId`, as the integration sees it in `requestContext.authorizer`.
    context: Map<String, Value>,
    /// The decision's reason when it was made (for the requested route).
    reason: &'static str,
}

/// What the authorizer decided about one request.
#[derive(Debug)]
pub enum Verdict {
    /// Let through, with `requestContext.authorizer`.
    Allow {
        context: Map<String, Value>,
        reason: &'static str,
    },
    /// Answered with the gateway response of `response_type`.
    Refuse {
        response_type: &'static str,
        reason: &'static str,
    },
}

impl Verdict {
    fn refuse(response_type: &'static str, reason: &'static str) -> Self {
        Self::Refuse {
            response_type,
            reason,
        }
    }
}

/// One `TOKEN` authorizer of the API.
#[derive(Debug)]
pub struct TokenAuthorizerRuntime {
    spec: TokenAuthorizer,
    function: Authorizer,
    cache: AnswerCache<Answer>,
}

impl TokenAuthorizerRuntime {
    /// The authorizer of `spec`, configured from `function`'s environment with the key endpoint
    /// pointed at `issuer_url` (`AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`). `file` is the
    /// template, for errors.
    pub fn new(
        spec: &TokenAuthorizer,
        function: &Function,
        issuer_url: &str,
        file: &Path,
    ) -> Result<Self, Error> {
        let mut env = function.environment.clone();
        env.insert(
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER".to_owned(),
            issuer_url.to_owned(),
        );
        let config = Config::from_lookup(|name| env.get(name).cloned()).map_err(|source| {
            Error::Authorizer {
                file: file.to_owned(),
                source,
            }
        })?;
        let authorizer = Authorizer::new(config, Metrics::discard()).map_err(|e| {
            Problem::HttpClient(e.to_string())
                .at(format!("Resources.{}", spec.function))
                .in_file(file)
        })?;
        Ok(Self {
            spec: spec.clone(),
            function: authorizer,
            cache: AnswerCache::new(spec.ttl_seconds),
        })
    }

    /// The function's init: fetch the keys (the issuer must be serving).
    pub async fn prefetch(&self) {
        self.function.prefetch().await;
    }

    /// Decides `request` for `method_arn`: the identity header (missing, empty or failing
    /// `ValidationExpression`: 401 without a call), the cached or fresh answer, its policy.
    pub async fn authorize(&self, request: &Request, method_arn: &str) -> (Verdict, AuthorizerUse) {
        let token = request
            .header(&self.spec.header)
            .filter(|v| !v.trim().is_empty());
        let Some(token) = token else {
            return (
                Verdict::refuse("UNAUTHORIZED", "missing_token"),
                AuthorizerUse::None,
            );
        };
        if self
            .spec
            .validation
            .as_ref()
            .is_some_and(|re| !re.is_match(token))
        {
            return (
                Verdict::refuse("UNAUTHORIZED", "validation_expression"),
                AuthorizerUse::None,
            );
        }
        let (answer, used) = match self.cache.get(token) {
            Some(answer) => (answer, AuthorizerUse::Cached),
            None => match self.invoke(token, method_arn).await {
                Ok(answer) => (answer, AuthorizerUse::Invoked),
                Err(refusal) => return (refusal, AuthorizerUse::Invoked),
            },
        };
        let cached = used == AuthorizerUse::Cached;
        let verdict = if policy::evaluate(&answer.policy, method_arn) {
            Verdict::Allow {
                context: answer.context.clone(),
                reason: if cached {
                    "allowed_by_cached_policy"
                } else {
                    answer.reason
                },
            }
        } else {
            let reason = if cached {
                "denied_by_cached_policy"
            } else {
                answer.reason
            };
            Verdict::refuse("ACCESS_DENIED", reason)
        };
        (verdict, used)
    }

    /// Calls the authorizer with a `TOKEN` event and caches a well-formed answer.
    async fn invoke(&self, token: &str, method_arn: &str) -> Result<Arc<Answer>, Verdict> {
        let event = json!({"type": "TOKEN", "authorizationToken": token, "methodArn": method_arn});
        let (result, decision) = self.function.handle_decided(event).await;
        let reason = decision.map_or("invalid_event", |d| d.reason.code());
        let answer = match result {
            Ok(value) => parse_answer(value, reason).ok_or(Verdict::refuse(
                "AUTHORIZER_CONFIGURATION_ERROR",
                "malformed_authorizer_answer",
            ))?,
            Err(HandlerError::Unauthorized) => return Err(Verdict::refuse("UNAUTHORIZED", reason)),
            Err(HandlerError::InvalidEvent(_)) => {
                return Err(Verdict::refuse("AUTHORIZER_CONFIGURATION_ERROR", reason));
            }
        };
        let answer = Arc::new(answer);
        self.cache.put(token, &answer);
        Ok(answer)
    }
}

/// The authorizer's REST answer, checked as API Gateway checks it: a `principalId`, a policy, and
/// a context of strings, numbers and booleans only.
fn parse_answer(value: Value, reason: &'static str) -> Option<Answer> {
    let principal = value.get("principalId")?.as_str()?.to_owned();
    let policy: ApiGatewayCustomAuthorizerPolicy =
        serde_json::from_value(value.get("policyDocument")?.clone()).ok()?;
    let mut context = match value.get("context") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map.clone(),
        Some(_) => return None,
    };
    if context
        .values()
        .any(|v| !(v.is_string() || v.is_number() || v.is_boolean()))
    {
        return None;
    }
    context.insert("principalId".to_owned(), Value::String(principal));
    Some(Answer {
        policy,
        context,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_with_nested_context_or_no_policy_are_refused() {
        let policy = json!({"Version": "2012-10-17", "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": ["*"]}]});
        assert!(parse_answer(json!({"principalId": "p", "policyDocument": policy, "context": {"a": "b", "n": 1, "t": true}}), "ok").is_some());
        assert!(parse_answer(json!({"principalId": "p", "policyDocument": policy, "context": {"a": {"nested": 1}}}), "ok").is_none());
        assert!(parse_answer(json!({"principalId": "p"}), "ok").is_none());
        assert!(parse_answer(json!({"policyDocument": policy}), "ok").is_none());
    }
}

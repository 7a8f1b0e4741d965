//! A REST API Lambda authorizer at run time, `TOKEN` or `REQUEST`: the real authorizer code
//! called with API Gateway's event, after the same checks API Gateway makes (the token header,
//! or every identity source, present and non-empty: else 401 without a call), its answer checked
//! as API Gateway checks it, cached per identity (the token, or all identity-source values), and
//! its policy evaluated against the request's `methodArn`.

use authorizer::HandlerError;
use authorizer::evaluate_policy;
use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerPolicy;
use serde_json::{Map, Value, json};

use super::call::Call;
use super::request_event::request_event;
use crate::gateway::authorizer_runtime::{AuthorizerRuntime, answer_context};
use crate::gateway::identity::{cache_key, identity_values};
use crate::message::AuthorizerUse;
use crate::template::AuthorizerKind;

/// What API Gateway keeps per identity: the authorizer's answer.
#[derive(Debug)]
pub(crate) struct Answer {
    policy: ApiGatewayCustomAuthorizerPolicy,
    /// `context` plus `principalId`, as the integration sees it in `requestContext.authorizer`.
    context: Map<String, Value>,
    /// The decision's reason when it was made (for the requested route).
    reason: &'static str,
}

/// What the authorizer decided about one request: let through with `requestContext.authorizer`,
/// or answered with the gateway response of a response type (`UNAUTHORIZED`, ...).
pub(crate) type Verdict = crate::gateway::authorizer_runtime::Verdict<&'static str>;

/// One Lambda authorizer of the REST API.
pub(crate) type RestAuthorizerRuntime = AuthorizerRuntime<Answer>;

impl AuthorizerRuntime<Answer> {
    /// Decides `call`: the identity (missing or invalid: 401 without a call), the cached or
    /// fresh answer, its policy for the `methodArn`.
    pub(crate) async fn authorize(&self, call: &Call<'_>) -> (Verdict, AuthorizerUse) {
        let key = match self.identity(call) {
            Ok(key) => key,
            Err(refusal) => return (refusal, AuthorizerUse::None),
        };
        match self.answer(&key, self.invoke(call, &key)).await {
            Ok((answer, used)) => (verdict(&answer, call.method_arn, used), used),
            Err(refusal) => (refusal, AuthorizerUse::Invoked),
        }
    }

    /// The cache key: the token (`TOKEN`), or every identity source's value (`REQUEST`); a
    /// missing one, or a token failing `ValidationExpression`, is a 401.
    fn identity(&self, call: &Call<'_>) -> Result<String, Verdict> {
        let missing = Verdict::refuse("UNAUTHORIZED", "missing_identity");
        match &self.spec.kind {
            AuthorizerKind::Token { header, validation } => {
                let token = call
                    .request
                    .header(header)
                    .filter(|v| !v.trim().is_empty())
                    .ok_or(Verdict::refuse("UNAUTHORIZED", "missing_token"))?;
                if validation.as_ref().is_some_and(|re| !re.is_match(token)) {
                    return Err(Verdict::refuse("UNAUTHORIZED", "validation_expression"));
                }
                Ok(token.to_owned())
            }
            AuthorizerKind::Request { identity } | AuthorizerKind::HttpV2 { identity } => {
                let values = identity_values(identity, call).ok_or(missing)?;
                Ok(cache_key(&values))
            }
        }
    }

    /// Calls the authorizer with its event (`key` is a `TOKEN` authorizer's token).
    async fn invoke(&self, call: &Call<'_>, key: &str) -> Result<Answer, Verdict> {
        let event = match &self.spec.kind {
            AuthorizerKind::Token { .. } => {
                json!({"type": "TOKEN", "authorizationToken": key, "methodArn": call.method_arn})
            }
            _ => request_event(call),
        };
        let (result, decision) = self.function.handle_decided(event).await;
        let reason = decision.map_or("invalid_event", |d| d.reason.code());
        match result {
            Ok(value) => parse_answer(value, reason).ok_or(Verdict::refuse(
                "AUTHORIZER_CONFIGURATION_ERROR",
                "malformed_authorizer_answer",
            )),
            Err(HandlerError::Unauthorized) => Err(Verdict::refuse("UNAUTHORIZED", reason)),
            Err(HandlerError::InvalidEvent(_)) => {
                Err(Verdict::refuse("AUTHORIZER_CONFIGURATION_ERROR", reason))
            }
        }
    }
}

/// The answer's policy evaluated for `method_arn`.
fn verdict(answer: &Answer, method_arn: &str, used: AuthorizerUse) -> Verdict {
    let cached = used == AuthorizerUse::Cached;
    if evaluate_policy(&answer.policy, method_arn) {
        let reason = if cached {
            "allowed_by_cached_policy"
        } else {
            answer.reason
        };
        Verdict::Allow {
            context: answer.context.clone(),
            reason,
        }
    } else {
        let reason = if cached {
            "denied_by_cached_policy"
        } else {
            answer.reason
        };
        Verdict::refuse("ACCESS_DENIED", reason)
    }
}

/// The authorizer's REST answer, checked as API Gateway checks it: a `principalId`, a policy, and
/// a context of strings, numbers and booleans only.
fn parse_answer(value: Value, reason: &'static str) -> Option<Answer> {
    let principal = value.get("principalId")?.as_str()?.to_owned();
    let policy: ApiGatewayCustomAuthorizerPolicy =
        serde_json::from_value(value.get("policyDocument")?.clone()).ok()?;
    let mut context = answer_context(&value)?;
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

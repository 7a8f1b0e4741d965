//! An HTTP API Lambda authorizer at run time (payload 2.0, simple responses): every identity
//! source present and non-empty, else 401 without a call; the real authorizer code called with
//! the 2.0 event; its `isAuthorized` answer (403 when false, 500 when malformed or an error)
//! cached per identity, all identity-source values together, for the TTL. Nothing else keys the
//! cache: without `$context.routeKey` among the identity sources, an answer for one route is
//! reused for the others, as on API Gateway.

use serde_json::{Map, Value};

use super::event::{Target, V2Request, authorizer_event};
use super::responses::HttpError;
use crate::gateway::authorizer_runtime::{AuthorizerRuntime, answer_context, request_context};
use crate::gateway::identity::{IdentityLookup, cache_key, identity_values};
use crate::message::{AuthorizerUse, Request};
use crate::template::api::ContextVariable;

/// What API Gateway keeps per identity: the authorizer's simple answer.
#[derive(Debug)]
pub(crate) struct Answer {
    authorized: bool,
    /// `context`, for `requestContext.authorizer.lambda`.
    context: Map<String, Value>,
    /// The decision's reason when it was made.
    reason: &'static str,
}

/// What the authorizer decided about one request: let through with its context, or answered by
/// the API with an [`HttpError`].
pub(crate) type Verdict = crate::gateway::authorizer_runtime::Verdict<HttpError>;

/// The request an authorizer is asked about.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call<'a> {
    pub(crate) request: &'a Request,
    pub(crate) v2: &'a V2Request,
    pub(crate) target: Target<'a>,
    pub(crate) route_arn: &'a str,
}

/// One Lambda authorizer of the HTTP API.
pub(crate) type HttpAuthorizerRuntime = AuthorizerRuntime<Answer>;

impl AuthorizerRuntime<Answer> {
    /// Decides `call`: the identity sources, then the cached or fresh answer.
    pub(crate) async fn authorize(&self, call: &Call<'_>) -> (Verdict, AuthorizerUse) {
        let Some(values) = identity_values(self.spec.identity(), call) else {
            let refusal = Verdict::refuse(HttpError::Unauthorized, "missing_identity");
            return (refusal, AuthorizerUse::None);
        };
        let key = cache_key(&values);
        match self.answer(&key, self.invoke(call, &values)).await {
            Ok((answer, used)) => (verdict(&answer, used), used),
            Err(refusal) => (refusal, AuthorizerUse::Invoked),
        }
    }

    /// Calls the authorizer with the 2.0 event.
    async fn invoke(&self, call: &Call<'_>, values: &[String]) -> Result<Answer, Verdict> {
        let event = authorizer_event(call.request, call.v2, call.target, call.route_arn, values);
        let invocation = self.function.invoke(event).await;
        let failed = |reason| Verdict::refuse(HttpError::InternalServerError, reason);
        let value = invocation
            .result
            .map_err(|e| failed(invocation.reason.unwrap_or(e.failure.code())))?;
        let reason = invocation.reason.unwrap_or("function_answer");
        parse_answer(&value, reason).ok_or(failed("malformed_authorizer_answer"))
    }
}

/// The answer's decision; a cached one says so in its reason.
fn verdict(answer: &Answer, used: AuthorizerUse) -> Verdict {
    let cached = used == AuthorizerUse::Cached;
    match (answer.authorized, cached) {
        (true, false) => Verdict::Allow {
            context: answer.context.clone(),
            reason: answer.reason,
        },
        (true, true) => Verdict::Allow {
            context: answer.context.clone(),
            reason: "allowed_by_cached_answer",
        },
        (false, false) => Verdict::refuse(HttpError::Forbidden, answer.reason),
        (false, true) => Verdict::refuse(HttpError::Forbidden, "denied_by_cached_answer"),
    }
}

/// A simple response: `isAuthorized` a boolean, `context` an object if present.
fn parse_answer(value: &Value, reason: &'static str) -> Option<Answer> {
    let authorized = value.get("isAuthorized")?.as_bool()?;
    let context = answer_context(value)?;
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
        match variable {
            ContextVariable::RouteKey => Some(self.target.route.route_key()),
            ContextVariable::Path => Some(self.request.path.clone()),
            other => request_context(other, self.request, self.target.deployment),
        }
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

//! The decision for one invocation: verify, match the route, build the answer, log and count it.

use std::sync::Arc;

use aws_lambda_events::apigw::ApiGatewayV2CustomAuthorizerSimpleResponse;
use lambda_log::ColdStart;
use lambda_runtime::{Diagnostic, LambdaEvent};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::claims::ClaimValue;
use crate::config::Config;
use crate::decision::{Decision, Reason};
use crate::decision_log::{self, Request};
use crate::events::{self, AuthContext, AuthorizerEvent};
use crate::grants::Grants;
use crate::keys::JwksClient;
use crate::metrics::{Metrics, Outcome};
use crate::policy::MethodArn;
use crate::rules::{Routed, Rules};
use crate::verifier::Verifier;

/// The REST error message API Gateway turns into 401. Any other error message gives 500.
pub const UNAUTHORIZED: &str = "Unauthorized";

/// Why an invocation ended in an error rather than an answer.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HandlerError {
    /// The token was refused (REST APIs): API Gateway answers 401.
    #[error("Unauthorized")]
    Unauthorized,
    /// The payload is not an authorizer event: API Gateway answers 500.
    #[error("{0}")]
    InvalidEvent(String),
}

impl From<HandlerError> for Diagnostic {
    fn from(e: HandlerError) -> Self {
        let error_type = match e {
            HandlerError::Unauthorized => "Unauthorized",
            HandlerError::InvalidEvent(_) => "InvalidEvent",
        };
        Diagnostic {
            error_type: error_type.to_owned(),
            error_message: e.to_string(),
        }
    }
}

/// Shared state of a warm Lambda: the verifier and its key caches, the rules, the metrics sink,
/// whether the next invocation is the process's first.
///
/// # Examples
///
/// [`Authorizer::handle`] answers one event as JSON, which is how the repository's offline stack
/// and tests call it. The settings are those of the Lambda (the repository's
/// `docs/configuration.md`), read from the environment by [`Config::from_env`] or through any
/// lookup. Here the pool's JWKS is served on 127.0.0.1 (see [`Verifier`]'s example):
///
/// ```
/// use authorizer::mint::{self, SigningKey};
/// use authorizer::{Authorizer, Config, HandlerError, Metrics, UserPool};
/// use serde_json::json;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let key = SigningKey::generate("key-1")?;
/// # let jwks = wiremock::MockServer::start().await;
/// # wiremock::Mock::given(wiremock::matchers::path("/us-east-1_Example1/.well-known/jwks.json"))
/// #     .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(mint::jwks([&key])))
/// #     .mount(&jwks)
/// #     .await;
/// let settings = [
///     ("USER_POOL_ID", "us-east-1_Example1".to_owned()),
///     ("ROUTE_SCOPES", r#"{"GET /orders": "orders/read"}"#.to_owned()),
///     ("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", jwks.uri()),
/// ];
/// let config = Config::from_lookup(|name| {
///     settings.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone())
/// })?;
/// let authorizer = Authorizer::new(config, Metrics::discard())?;
///
/// let pool = UserPool::from_id("us-east-1_Example1")?;
/// let now = authorizer::unix_now();
/// let claims = mint::client_credentials_claims(&pool, "client1", &["orders/read"], now, 3600);
/// let api = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod";
/// let event = |token: &str| {
///     json!({
///         "type": "TOKEN",
///         "authorizationToken": format!("Bearer {token}"),
///         "methodArn": format!("{api}/GET/orders"),
///     })
/// };
///
/// let answer = authorizer.handle(event(&key.sign(&claims))).await?;
/// assert_eq!(answer["principalId"], "client1");
/// let statement = &answer["policyDocument"]["Statement"][0];
/// assert_eq!(statement["Effect"], "Allow");
/// assert_eq!(statement["Resource"][0], format!("{api}/GET/orders"));
/// assert_eq!(answer["context"]["scope"], "orders/read");
///
/// // A REST API turns this error into 401.
/// let refused = authorizer.handle(event("not.a.token")).await;
/// assert_eq!(refused, Err(HandlerError::Unauthorized));
/// # Ok(())
/// # }
/// ```
///
/// A Lambda function's `main`, with `lambda_runtime` ([`Authorizer::invoke`] is its entry
/// point), as this crate's own binary has it:
///
/// ```no_run
/// use std::sync::Arc;
///
/// use authorizer::{Authorizer, Config, DEFAULT_SERVICE_NAME, Metrics};
/// use lambda_runtime::{Error, service_fn};
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> Result<(), Error> {
///     let config = authorizer::logging::init_with_settings(
///         Config::from_env(),
///         |c| &c.service_name,
///         DEFAULT_SERVICE_NAME,
///     )?;
///     let authorizer = Arc::new(Authorizer::new(config, Metrics::stdout())?);
///     authorizer.prefetch().await;
///     lambda_runtime::run_concurrent(service_fn(move |event| {
///         Arc::clone(&authorizer).invoke(event)
///     }))
///     .await
/// }
/// ```
#[derive(Debug)]
pub struct Authorizer {
    verifier: Verifier,
    rules: Rules,
    metrics: Metrics,
    cold_start: ColdStart,
}

impl Authorizer {
    /// The authorizer of `config`, writing its metrics to `metrics` (with the configuration's
    /// namespace and service). Logs the configuration's warnings (see [`Config::warnings`]) at
    /// WARN. Fetches nothing: call [`Authorizer::prefetch`] during init. Fails only when the
    /// HTTP client cannot be built.
    pub fn new(config: Config, metrics: Metrics) -> Result<Self, reqwest::Error> {
        for warning in &config.warnings {
            tracing::warn!("{warning}");
        }
        let client = JwksClient::new(config.fetch)?;
        Ok(Self {
            verifier: Verifier::new(config.pools, config.verifier, client),
            rules: config.rules,
            metrics: metrics
                .with_namespace(config.metrics_namespace)
                .with_service(config.service_name),
            cold_start: ColdStart::new(),
        })
    }

    /// Fetches every pool's keys: call once during init, before the first invocation.
    pub async fn prefetch(&self) {
        self.verifier.prefetch().await;
    }

    /// The verifier, with its key caches.
    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// The metrics sink, with the namespace and service of the configuration.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Decides for `authorization` (header value, may be absent) calling `arn`.
    pub async fn decide(&self, authorization: Option<&str>, arn: &MethodArn) -> Decision {
        self.decide_routed(authorization, arn, None).await
    }

    /// [`Authorizer::decide`] for the route a REQUEST event names, if any (see
    /// [`Rules::decide_routed`]).
    pub async fn decide_routed(
        &self,
        authorization: Option<&str>,
        arn: &MethodArn,
        routed: Option<Routed<'_>>,
    ) -> Decision {
        let grants = match self
            .verifier
            .verify(authorization.unwrap_or_default())
            .await
        {
            Ok(grants) => grants,
            Err(reject) => return Decision::refused(reject),
        };
        let (permissions, verdict) = self.rules.decide_routed(&grants, arn, routed);
        Decision {
            reason: verdict.map_or_else(Reason::Denied, |()| Reason::Allowed),
            grants: Some(grants),
            permissions: Some(permissions),
        }
    }

    /// Answers one authorizer event as JSON. Logs one line and writes one metric.
    pub async fn handle(&self, payload: Value) -> Result<Value, HandlerError> {
        self.handle_decided(payload).await.0
    }

    /// [`Authorizer::handle`], the answer ready to serialize (what the Lambda returns): a REST
    /// answer's policy document is written once per grant set and API stage, not per request.
    pub async fn respond(&self, payload: Value) -> Result<Answer, HandlerError> {
        self.handle_invocation(payload, None).await.0
    }

    /// [`Authorizer::handle`], also giving the decision behind the answer (`None` for an event
    /// that is not an authorizer event), for hosts that log their own line (the offline stack).
    pub async fn handle_decided(
        &self,
        payload: Value,
    ) -> (Result<Value, HandlerError>, Option<Decision>) {
        let (answer, decision) = self.handle_invocation(payload, None).await;
        (answer.and_then(|a| to_value(&a)), decision)
    }

    /// The `lambda_runtime` entry point: `service_fn(move |e| authorizer.clone().invoke(e))`.
    /// The first invocation of the process also writes the `ColdStart` metric, and its line says
    /// `cold_start: true`.
    pub async fn invoke(
        self: Arc<Self>,
        event: LambdaEvent<Value>,
    ) -> Result<Answer, HandlerError> {
        let cold_start = self.cold_start.take();
        if cold_start {
            self.metrics
                .record_cold_start(&event.context.env_config.function_name);
        }
        self.handle_invocation(event.payload, Some(cold_start))
            .await
            .0
    }

    /// Decides, logs one line, writes one metric, answers. `cold_start` is logged when known.
    async fn handle_invocation(
        &self,
        payload: Value,
        cold_start: Option<bool>,
    ) -> (Result<Answer, HandlerError>, Option<Decision>) {
        let event = match AuthorizerEvent::from_value(payload) {
            Ok(event) => event,
            Err(e) => {
                decision_log::invalid_event(&e, None, cold_start);
                self.metrics.record(Outcome::InvalidEvent, "invalid_event");
                return (Err(HandlerError::InvalidEvent(e.to_string())), None);
            }
        };
        let Some(arn) = event.resource_arn().and_then(MethodArn::parse) else {
            let message = "event has no usable methodArn or routeArn";
            decision_log::invalid_event(&message, Some(&event), cold_start);
            self.metrics.record(Outcome::InvalidEvent, "invalid_event");
            return (Err(HandlerError::InvalidEvent(message.to_owned())), None);
        };
        let decision = self
            .decide_routed(event.authorization(), &arn, event.routed())
            .await;
        decision_log::decision(
            &decision,
            &Request::new(&event, &arn, &self.rules, cold_start),
        );
        self.metrics
            .record(decision.outcome(), decision.reason.code());
        let answer = answer(&event, &decision);
        (answer, Some(decision))
    }
}

/// An answer as the Lambda returns it.
#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// A REST API's: principal, policy, context.
    Rest(Box<RestAnswer>),
    /// An HTTP API's simple response.
    Simple(ApiGatewayV2CustomAuthorizerSimpleResponse<Value>),
}

/// A REST API's answer, its policy document already written (see [`crate::Permissions::policy_json`]).
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestAnswer {
    principal_id: String,
    policy_document: Arc<RawValue>,
    context: AuthContext,
    usage_identifier_key: Option<String>,
}

/// REST: a refused token is the error `Unauthorized`; a valid one gets its whole-API policy
/// (the requested route allowed or denied by it). HTTP API: `isAuthorized` for the route.
fn answer(event: &AuthorizerEvent, decision: &Decision) -> Result<Answer, HandlerError> {
    let (Some(grants), Some(permissions)) = (&decision.grants, &decision.permissions) else {
        return if event.is_http_api() {
            Ok(Answer::Simple(events::simple_response(false, None)))
        } else {
            Err(HandlerError::Unauthorized)
        };
    };
    let context = context_of(grants);
    if event.is_http_api() {
        let allowed = decision.is_allowed();
        return Ok(Answer::Simple(events::simple_response(
            allowed,
            allowed.then_some(context),
        )));
    }
    let policy_document = permissions
        .policy_json()
        .ok_or_else(|| HandlerError::InvalidEvent("cannot encode the answer".to_owned()))?;
    Ok(Answer::Rest(Box::new(RestAnswer {
        principal_id: grants.sub.clone(),
        policy_document,
        context,
        usage_identifier_key: None,
    })))
}

fn context_of(grants: &Grants) -> AuthContext {
    AuthContext {
        sub: grants.sub.clone(),
        client_id: grants.client_id.clone(),
        scope: grants.scope_string(),
        token_use: "access".to_owned(),
        username: grants.username.clone(),
        groups: auth_context::groups::encode(&grants.groups),
        pool_id: grants.pool_id.clone(),
        claims: named_claims(grants),
    }
}

/// The claims the rules name that the token holds as a string or an array of strings.
fn named_claims(grants: &Grants) -> Option<String> {
    use auth_context::claims::Value;
    let claims: std::collections::BTreeMap<String, Value> = grants
        .claims
        .iter()
        .filter_map(|(name, value)| {
            let value = match value {
                ClaimValue::Text(s) => Value::Text(s.clone()),
                ClaimValue::List(l) => Value::List(l.clone()),
                ClaimValue::Other => return None,
            };
            Some((name.clone(), value))
        })
        .collect();
    (!claims.is_empty()).then(|| auth_context::claims::encode(&claims))
}

fn to_value<T: serde::Serialize>(value: &T) -> Result<Value, HandlerError> {
    serde_json::to_value(value)
        .map_err(|e| HandlerError::InvalidEvent(format!("cannot encode the answer: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerResponse;

    /// The answer written with its policy as raw JSON is the JSON of `aws_lambda_events`' type.
    #[test]
    fn a_rest_answer_is_the_events_crates_response() {
        let arn = MethodArn::parse("arn:aws:execute-api:us-east-1:123456789012:abc/Prod/GET/x")
            .unwrap_or_else(|| unreachable!());
        let permissions = crate::Permissions::allow_all(&arn);
        let context = AuthContext {
            sub: "s".into(),
            client_id: "c".into(),
            scope: "a/b".into(),
            token_use: "access".into(),
            username: None,
            groups: "[]".into(),
            pool_id: "p".into(),
            claims: None,
        };
        let mut expected = ApiGatewayCustomAuthorizerResponse::<AuthContext>::default();
        expected.principal_id = Some("s".into());
        expected.policy_document = permissions.to_policy();
        expected.context = context.clone();
        let answer = Answer::Rest(Box::new(RestAnswer {
            principal_id: "s".into(),
            policy_document: permissions.policy_json().unwrap_or_else(|| unreachable!()),
            context,
            usage_identifier_key: None,
        }));
        assert_eq!(
            serde_json::to_value(&answer).ok(),
            serde_json::to_value(&expected).ok()
        );
    }
}

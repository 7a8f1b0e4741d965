//! The local REST API: route matching, the `TOKEN` authorizer (the real code, cached per token for
//! the template's TTL), the policy evaluated against the `methodArn` as API Gateway does, gateway
//! responses, and the proxy integration (the real echo handler).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use authorizer::policy;
use authorizer::routes::most_specific;
use authorizer::{Authorizer, Config, Metrics};
use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerPolicy;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use crate::api::{ApiRoute, GatewayResponse, TokenAuthorizer};
use crate::error::Error;
use crate::stack::{ACCOUNT_ID, Stack};

/// Most tokens the authorizer cache holds; when full, expired entries go, then all of them.
pub const CACHE_CAPACITY: usize = 10_000;

/// An HTTP request as the server received it; `path` includes the stage when the caller sent it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub source_ip: String,
    /// `Host` as the caller sent it, for `requestContext.domainName`.
    pub host: String,
}

/// How the authorizer took part in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorizerUse {
    /// The route has no authorizer, or the request never reached it.
    None,
    Invoked,
    Cached,
}

impl AuthorizerUse {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "-",
            Self::Invoked => "invoked",
            Self::Cached => "cached",
        }
    }
}

/// The HTTP answer, with what the log line needs.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The decision's reason code (`ok`, `expired`, `scope_missing`, `missing_token`, ...).
    pub reason: String,
    pub authorizer: AuthorizerUse,
}

/// Counters for tests and the summary printed at exit.
#[derive(Debug, Default)]
pub struct Stats {
    pub authorizer_invocations: AtomicU64,
    pub authorizer_cache_hits: AtomicU64,
    pub requests: AtomicU64,
}

/// What API Gateway keeps per token: the authorizer's answer.
#[derive(Debug)]
struct Answer {
    policy: ApiGatewayCustomAuthorizerPolicy,
    /// `context` plus `principalId`, as the integration sees it in `requestContext.authorizer`.
    context: Map<String, Value>,
    /// The decision's reason when it was made (for the requested route).
    reason: &'static str,
}

#[derive(Debug)]
struct TokenAuthorizerRuntime {
    spec: TokenAuthorizer,
    function: Authorizer,
    cache: Mutex<HashMap<String, (Instant, Arc<Answer>)>>,
}

/// The API of one stack.
#[derive(Debug)]
pub struct Gateway {
    region: String,
    api_id: String,
    stage: String,
    routes: Vec<ApiRoute>,
    responses: BTreeMap<String, GatewayResponse>,
    authorizers: BTreeMap<String, TokenAuthorizerRuntime>,
    stats: Stats,
}

impl Gateway {
    /// Builds the authorizer(s) from the functions' environment, with the key endpoint pointed
    /// at `issuer_url` through `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`.
    pub fn new(stack: &Stack, issuer_url: &str) -> Result<Self, Error> {
        let mut authorizers = BTreeMap::new();
        for (name, spec) in &stack.api.authorizers {
            let function = stack
                .function(&spec.function)
                .ok_or_else(|| Error::Template {
                    file: stack.template.clone(),
                    at: format!("Resources.{}", stack.api.logical_id),
                    problem: format!("the authorizer `{name}` has no function"),
                })?;
            let mut env = function.environment.clone();
            env.insert(
                "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER".to_owned(),
                issuer_url.to_owned(),
            );
            let config = Config::from_lookup(|name| env.get(name).cloned()).map_err(|source| {
                Error::Authorizer {
                    file: stack.template.clone(),
                    source,
                }
            })?;
            let function =
                Authorizer::new(config, Metrics::discard()).map_err(|e| Error::Template {
                    file: stack.template.clone(),
                    at: format!("Resources.{}", spec.function),
                    problem: format!("the authorizer's HTTP client: {e}"),
                })?;
            authorizers.insert(
                name.clone(),
                TokenAuthorizerRuntime {
                    spec: spec.clone(),
                    function,
                    cache: Mutex::new(HashMap::new()),
                },
            );
        }
        Ok(Self {
            region: stack.region.clone(),
            api_id: stack.api.id.clone(),
            stage: stack.api.stage.clone(),
            routes: stack.api.routes.clone(),
            responses: stack.api.gateway_responses.clone(),
            authorizers,
            stats: Stats::default(),
        })
    }

    /// The authorizers' init: fetch the keys (the issuer must be serving).
    pub async fn prefetch(&self) {
        for runtime in self.authorizers.values() {
            runtime.function.prefetch().await;
        }
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Answers one request as API Gateway would.
    pub async fn handle(&self, request: Request) -> Response {
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let path = self.api_path(&request.path).to_owned();
        let Some(route) = most_specific(&self.routes, |r| &r.pattern, &request.method, &path)
        else {
            return self.gateway_response(
                "MISSING_AUTHENTICATION_TOKEN",
                "no_route",
                AuthorizerUse::None,
            );
        };
        let arn = format!(
            "arn:aws:execute-api:{}:{ACCOUNT_ID}:{}/{}/{}/{}",
            self.region,
            self.api_id,
            self.stage,
            request.method,
            path.trim_start_matches('/')
        );
        let (context, authorizer_use, reason) = match &route.authorizer {
            None => (Map::new(), AuthorizerUse::None, "no_authorizer"),
            Some(name) => match self.authorize(name, &request, &arn).await {
                Ok(authorized) => authorized,
                Err(response) => return response,
            },
        };
        let latency = started.elapsed().as_millis() as u64;
        let event = self.proxy_event(&request, route, &path, context, latency);
        let mut response = integration_response(echo_handler::handle(event));
        response.authorizer = authorizer_use;
        if response.status < 500 {
            response.reason = reason.to_owned();
        }
        response
    }

    /// The path below the stage: `/Prod/echo` → `/echo`. A path without the stage is taken as
    /// is, as `sam local start-api` serves it.
    fn api_path<'a>(&self, path: &'a str) -> &'a str {
        match path
            .strip_prefix('/')
            .and_then(|p| p.strip_prefix(self.stage.as_str()))
        {
            Some("") => "/",
            Some(rest) if rest.starts_with('/') => rest,
            _ => path,
        }
    }

    async fn authorize(
        &self,
        name: &str,
        request: &Request,
        arn: &str,
    ) -> Result<(Map<String, Value>, AuthorizerUse, &'static str), Response> {
        let Some(runtime) = self.authorizers.get(name) else {
            return Err(self.gateway_response(
                "AUTHORIZER_CONFIGURATION_ERROR",
                "no_authorizer_function",
                AuthorizerUse::None,
            ));
        };
        let token = request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(&runtime.spec.header))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty());
        let Some(token) = token else {
            return Err(self.gateway_response(
                "UNAUTHORIZED",
                "missing_token",
                AuthorizerUse::None,
            ));
        };
        if runtime
            .spec
            .validation
            .as_ref()
            .is_some_and(|re| !re.is_match(token))
        {
            return Err(self.gateway_response(
                "UNAUTHORIZED",
                "validation_expression",
                AuthorizerUse::None,
            ));
        }
        let (answer, used) = match runtime.cached(token) {
            Some(answer) => {
                self.stats
                    .authorizer_cache_hits
                    .fetch_add(1, Ordering::Relaxed);
                (answer, AuthorizerUse::Cached)
            }
            None => {
                self.stats
                    .authorizer_invocations
                    .fetch_add(1, Ordering::Relaxed);
                let event = json!({"type": "TOKEN", "authorizationToken": token, "methodArn": arn});
                let (result, decision) = runtime.function.handle_decided(event).await;
                let reason = decision.map_or("invalid_event", |d| d.reason.code());
                let answer = match result {
                    Ok(value) => match parse_answer(value, reason) {
                        Some(answer) => Arc::new(answer),
                        None => {
                            return Err(self.gateway_response(
                                "AUTHORIZER_CONFIGURATION_ERROR",
                                "malformed_authorizer_answer",
                                AuthorizerUse::Invoked,
                            ));
                        }
                    },
                    Err(authorizer::HandlerError::Unauthorized) => {
                        return Err(self.gateway_response(
                            "UNAUTHORIZED",
                            reason,
                            AuthorizerUse::Invoked,
                        ));
                    }
                    Err(authorizer::HandlerError::InvalidEvent(_)) => {
                        return Err(self.gateway_response(
                            "AUTHORIZER_CONFIGURATION_ERROR",
                            reason,
                            AuthorizerUse::Invoked,
                        ));
                    }
                };
                runtime.remember(token, &answer);
                (answer, AuthorizerUse::Invoked)
            }
        };
        if !policy::evaluate(&answer.policy, arn) {
            let reason = if used == AuthorizerUse::Cached {
                "denied_by_cached_policy"
            } else {
                answer.reason
            };
            return Err(self.gateway_response("ACCESS_DENIED", reason, used));
        }
        let reason = if used == AuthorizerUse::Cached {
            "allowed_by_cached_policy"
        } else {
            answer.reason
        };
        Ok((answer.context.clone(), used, reason))
    }

    /// The REST proxy (payload 1.0) event the integration receives.
    fn proxy_event(
        &self,
        request: &Request,
        route: &ApiRoute,
        path: &str,
        mut authorizer: Map<String, Value>,
        latency_ms: u64,
    ) -> Value {
        let mut headers = Map::new();
        let mut multi_headers: Map<String, Value> = Map::new();
        for (name, value) in &request.headers {
            headers.insert(name.clone(), json!(value));
            push_multi(&mut multi_headers, name, value);
        }
        let mut query = Map::new();
        let mut multi_query: Map<String, Value> = Map::new();
        for (name, value) in
            form_urlencoded::parse(request.query.as_deref().unwrap_or("").as_bytes())
        {
            query.insert(name.to_string(), json!(value));
            push_multi(&mut multi_query, &name, &value);
        }
        let path_parameters: Map<String, Value> = route
            .pattern
            .path_parameters(&request.method, path)
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        let (body, base64) = match std::str::from_utf8(&request.body) {
            _ if request.body.is_empty() => (Value::Null, false),
            Ok(text) => (json!(text), false),
            Err(_) => (json!(STANDARD.encode(&request.body)), true),
        };
        if !authorizer.is_empty() {
            authorizer.insert("integrationLatency".to_owned(), json!(latency_ms));
        }
        let user_agent = request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("user-agent"))
            .map(|(_, v)| v.clone());
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO);
        let request_id = authorizer::mint::random_id();
        let or_null = |m: Map<String, Value>| {
            if m.is_empty() {
                Value::Null
            } else {
                Value::Object(m)
            }
        };
        json!({
            "resource": route.pattern.path,
            "path": path,
            "httpMethod": request.method,
            "headers": or_null(headers),
            "multiValueHeaders": or_null(multi_headers),
            "queryStringParameters": or_null(query),
            "multiValueQueryStringParameters": or_null(multi_query),
            "pathParameters": or_null(path_parameters),
            "stageVariables": null,
            "requestContext": {
                "resourceId": "offline",
                "authorizer": or_null(authorizer),
                "resourcePath": route.pattern.path,
                "httpMethod": request.method,
                "extendedRequestId": request_id,
                "requestTime": request_time(now.as_secs()),
                "path": format!("/{}{}", self.stage, if path == "/" { "" } else { path }),
                "accountId": ACCOUNT_ID,
                "protocol": "HTTP/1.1",
                "stage": self.stage,
                "domainPrefix": request.host.split('.').next().unwrap_or_default(),
                "requestTimeEpoch": now.as_millis() as u64,
                "requestId": request_id,
                "identity": {
                    "cognitoIdentityPoolId": null, "accountId": null, "cognitoIdentityId": null,
                    "caller": null, "sourceIp": request.source_ip, "principalOrgId": null,
                    "accessKey": null, "cognitoAuthenticationType": null,
                    "cognitoAuthenticationProvider": null, "userArn": null,
                    "userAgent": user_agent, "user": null,
                },
                "domainName": request.host,
                "apiId": self.api_id,
            },
            "body": body,
            "isBase64Encoded": base64,
        })
    }

    /// A gateway response of `kind`: the template's, else `DEFAULT_4XX`/`DEFAULT_5XX`'s, else
    /// API Gateway's built-in one.
    fn gateway_response(&self, kind: &str, reason: &str, authorizer: AuthorizerUse) -> Response {
        let (status, message, error_type) = builtin(kind);
        let family = if status >= 500 {
            "DEFAULT_5XX"
        } else {
            "DEFAULT_4XX"
        };
        let configured = self
            .responses
            .get(kind)
            .or_else(|| self.responses.get(family));
        let (status, extra, template) = match configured {
            Some(r) => (
                if self.responses.contains_key(kind) {
                    r.status
                } else {
                    status
                },
                r.headers.clone(),
                r.template.clone(),
            ),
            None => (
                status,
                Vec::new(),
                r#"{"message":$context.error.messageString}"#.to_owned(),
            ),
        };
        let body = template
            .replace(
                "$context.error.messageString",
                &message.map_or_else(
                    || "null".to_owned(),
                    |m| Value::String(m.to_owned()).to_string(),
                ),
            )
            .replace("$context.error.message", message.unwrap_or_default());
        let mut headers = vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            ("x-amzn-errortype".to_owned(), error_type.to_owned()),
        ];
        for (name, value) in extra {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
            headers.push((name, value));
        }
        Response {
            status,
            headers,
            body: body.into_bytes(),
            reason: reason.to_owned(),
            authorizer,
        }
    }
}

impl TokenAuthorizerRuntime {
    fn cached(&self, token: &str) -> Option<Arc<Answer>> {
        let cache = self.cache.lock().ok()?;
        let (expires, answer) = cache.get(token)?;
        (Instant::now() < *expires).then(|| Arc::clone(answer))
    }

    fn remember(&self, token: &str, answer: &Arc<Answer>) {
        if self.spec.ttl_seconds == 0 {
            return;
        }
        let Ok(mut cache) = self.cache.lock() else {
            return;
        };
        let now = Instant::now();
        if cache.len() >= CACHE_CAPACITY {
            cache.retain(|_, (expires, _)| *expires > now);
            if cache.len() >= CACHE_CAPACITY {
                cache.clear();
            }
        }
        cache.insert(
            token.to_owned(),
            (
                now + Duration::from_secs(self.spec.ttl_seconds),
                Arc::clone(answer),
            ),
        );
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

/// The Lambda proxy integration's answer to HTTP; anything malformed is API Gateway's 502.
fn integration_response(result: Result<Value, echo_handler::EchoError>) -> Response {
    let bad = |reason: &str| Response {
        status: 502,
        headers: vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            (
                "x-amzn-errortype".to_owned(),
                "InternalServerErrorException".to_owned(),
            ),
        ],
        body: br#"{"message": "Internal server error"}"#.to_vec(),
        reason: reason.to_owned(),
        authorizer: AuthorizerUse::None,
    };
    let Ok(value) = result else {
        return bad("integration_error");
    };
    let Some(status) = value
        .get("statusCode")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..600).contains(s))
    else {
        return bad("malformed_integration_response");
    };
    let mut headers = Vec::new();
    if let Some(map) = value.get("headers").and_then(Value::as_object) {
        for (name, v) in map {
            if let Some(v) = v.as_str() {
                headers.push((name.clone(), v.to_owned()));
            }
        }
    }
    if let Some(map) = value.get("multiValueHeaders").and_then(Value::as_object) {
        for (name, values) in map {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
            for v in values
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                headers.push((name.clone(), v.to_owned()));
            }
        }
    }
    let text = value
        .get("body")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let body = if value.get("isBase64Encoded").and_then(Value::as_bool) == Some(true) {
        match STANDARD.decode(text) {
            Ok(bytes) => bytes,
            Err(_) => return bad("malformed_integration_response"),
        }
    } else {
        text.as_bytes().to_vec()
    };
    Response {
        status,
        headers,
        body,
        reason: "ok".to_owned(),
        authorizer: AuthorizerUse::None,
    }
}

/// Status, `$context.error.message` and `x-amzn-ErrorType` of API Gateway's built-in responses.
fn builtin(kind: &str) -> (u16, Option<&'static str>, &'static str) {
    match kind {
        "UNAUTHORIZED" => (401, Some("Unauthorized"), "UnauthorizedException"),
        "ACCESS_DENIED" => (
            403,
            Some("User is not authorized to access this resource"),
            "AccessDeniedException",
        ),
        "MISSING_AUTHENTICATION_TOKEN" => (
            403,
            Some("Missing Authentication Token"),
            "MissingAuthenticationTokenException",
        ),
        "REQUEST_TOO_LARGE" => (413, Some("Request Too Long"), "RequestTooLargeException"),
        "AUTHORIZER_FAILURE" => (500, None, "AuthorizerFailureException"),
        _ => (500, None, "AuthorizerConfigurationException"),
    }
}

fn push_multi(map: &mut Map<String, Value>, name: &str, value: &str) {
    match map.get_mut(name).and_then(Value::as_array_mut) {
        Some(values) => values.push(json!(value)),
        None => {
            map.insert(name.to_owned(), json!([value]));
        }
    }
}

/// `09/Apr/2025:12:34:56 +0000`, API Gateway's `requestTime`.
fn request_time(unix: u64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{day:02}/{}/{year}:{:02}:{:02}:{:02} +0000",
        MONTHS[(month - 1) as usize],
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_time_is_api_gateways_format() {
        assert_eq!(request_time(1_744_202_096), "09/Apr/2025:12:34:56 +0000");
        assert_eq!(request_time(0), "01/Jan/1970:00:00:00 +0000");
        assert_eq!(request_time(951_782_400), "29/Feb/2000:00:00:00 +0000");
    }

    fn runtime(ttl_seconds: u64) -> TokenAuthorizerRuntime {
        let config = Config::from_lookup(|name| {
            (name == "USER_POOL_ID").then(|| "us-east-1_Cache1".to_owned())
        })
        .unwrap();
        TokenAuthorizerRuntime {
            spec: TokenAuthorizer {
                function: "F".into(),
                header: "Authorization".into(),
                validation: None,
                ttl_seconds,
            },
            function: Authorizer::new(config, Metrics::discard()).unwrap(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    fn answer() -> Arc<Answer> {
        Arc::new(Answer {
            policy: ApiGatewayCustomAuthorizerPolicy::default(),
            context: Map::new(),
            reason: "ok",
        })
    }

    #[test]
    fn answers_are_cached_per_token_unless_the_ttl_is_zero_and_the_cache_stays_bounded() {
        let off = runtime(0);
        off.remember("a", &answer());
        assert!(
            off.cached("a").is_none(),
            "ReauthorizeEvery 0 disables the cache"
        );

        let on = runtime(300);
        on.remember("a", &answer());
        assert!(on.cached("a").is_some());
        assert!(on.cached("b").is_none(), "keyed by the exact token");
        for i in 0..CACHE_CAPACITY {
            on.remember(&format!("t{i}"), &answer());
        }
        let size = on.cache.lock().unwrap().len();
        assert!(size <= CACHE_CAPACITY, "{size}");
    }

    #[test]
    fn an_expired_answer_is_not_used() {
        let on = runtime(300);
        on.cache.lock().unwrap().insert(
            "a".to_owned(),
            (Instant::now() - Duration::from_millis(1), answer()),
        );
        assert!(on.cached("a").is_none());
    }

    #[test]
    fn answers_with_nested_context_or_no_policy_are_refused() {
        let policy = json!({"Version": "2012-10-17", "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": ["*"]}]});
        assert!(parse_answer(json!({"principalId": "p", "policyDocument": policy, "context": {"a": "b", "n": 1, "t": true}}), "ok").is_some());
        assert!(parse_answer(json!({"principalId": "p", "policyDocument": policy, "context": {"a": {"nested": 1}}}), "ok").is_none());
        assert!(parse_answer(json!({"principalId": "p"}), "ok").is_none());
        assert!(parse_answer(json!({"policyDocument": policy}), "ok").is_none());
    }
}

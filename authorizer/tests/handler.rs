//! The authorizer's answers through its public API: every `events/authorizer-*.json`, cache-safe
#![allow(clippy::unwrap_used, clippy::panic)]
//! policies, 401 vs 403, HTTP API simple responses, context types, metrics.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;

use authorizer::mint::{self, SigningKey};
use authorizer::{Authorizer, Config, HandlerError, Metrics, UserPool, evaluate_policy};
use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerPolicy;
use serde_json::{Value, json};
use wiremock::{MockServer, ResponseTemplate};

const EVENT_POOL: &str = "us-east-1_Example01";
const API: &str = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/Prod";

fn events_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../events")
}

fn read_event(name: &str) -> Value {
    let text = std::fs::read_to_string(events_dir().join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `events/env.json`'s AuthorizerFunction settings, plus overrides, keys served from loopback.
fn env_json(server: &MockServer, overrides: &[(&str, &str)]) -> HashMap<String, String> {
    let env = read_event("env.json");
    let mut vars: HashMap<String, String> = env["AuthorizerFunction"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    vars.insert(
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER".into(),
        server.uri(),
    );
    for (k, v) in overrides {
        vars.insert((*k).into(), (*v).into());
    }
    vars.retain(|_, v| !v.is_empty());
    vars
}

struct Setup {
    server: MockServer,
    key: SigningKey,
    authorizer: Authorizer,
}

async fn setup(overrides: &[(&str, &str)]) -> Setup {
    let server = MockServer::start().await;
    let key = SigningKey::generate("k1").unwrap();
    common::serve_jwks(&server, EVENT_POOL, common::jwks_ok(&[&key])).await;
    let vars = env_json(&server, overrides);
    let config = Config::from_lookup(|k| vars.get(k).cloned()).unwrap();
    let authorizer = Authorizer::new(config, Metrics::memory()).unwrap();
    authorizer.prefetch().await;
    Setup {
        server,
        key,
        authorizer,
    }
}

fn pool() -> UserPool {
    UserPool::from_id(EVENT_POOL).unwrap()
}

impl Setup {
    fn token(&self, scopes: &[&str]) -> String {
        self.key.sign(&mint::client_credentials_claims(
            &pool(),
            "appclient1",
            scopes,
            common::now(),
            3600,
        ))
    }

    fn user_token(&self, groups: &[&str]) -> String {
        self.user_token_with(groups, &["echo-api/read"])
    }

    /// A signed-in user's token, with the scope SRP or password sign-in gives by default.
    fn person(&self, groups: &[&str]) -> String {
        self.user_token_with(groups, &["aws.cognito.signin.user.admin"])
    }

    fn user_token_with(&self, groups: &[&str], scopes: &[&str]) -> String {
        let claims = mint::user_claims(
            &pool(),
            "appclient1",
            "alice",
            groups,
            scopes,
            common::now(),
            3600,
        );
        self.key.sign(&claims)
    }

    async fn answer(&self, event_file: &str, token: &str) -> Result<Value, HandlerError> {
        let text = std::fs::read_to_string(events_dir().join(event_file)).unwrap();
        let event: Value = serde_json::from_str(&text.replace("<ACCESS_TOKEN>", token)).unwrap();
        self.authorizer.handle(event).await
    }

    /// The answer to `events/authorizer-token-get-echo.json` carrying `token`, which must be
    /// an answer (not an error).
    async fn get_echo(&self, token: &str) -> Value {
        self.answer("authorizer-token-get-echo.json", token)
            .await
            .unwrap()
    }

    /// The last EMF document, checked against the specification (as every earlier one).
    fn last_metric(&self) -> Value {
        let lines = self.authorizer.metrics().lines();
        for line in &lines {
            common::emf::document(line);
        }
        common::emf::document(lines.last().unwrap())
    }
}

fn policy_of(answer: &Value) -> ApiGatewayCustomAuthorizerPolicy {
    serde_json::from_value(answer["policyDocument"].clone()).unwrap()
}

fn allows(answer: &Value, method: &str, path: &str) -> bool {
    evaluate_policy(&policy_of(answer), &format!("{API}/{method}/{path}"))
}

#[tokio::test]
async fn every_sample_event_gets_its_documented_answer() {
    let s = setup(&[]).await;
    let read = s.token(&["echo-api/read"]);
    let mut seen = 0;
    for entry in std::fs::read_dir(events_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if !name.starts_with("authorizer-") {
            continue;
        }
        seen += 1;
        // As shipped (placeholder token): refused. With a real read-scope token: documented answer.
        let as_shipped = s.answer(&name, "<ACCESS_TOKEN>").await;
        let with_token = s.answer(&name, &read).await;
        match name.as_str() {
            "authorizer-token-get-echo.json" | "authorizer-request-get-echo.json" => {
                assert_eq!(as_shipped.unwrap_err(), HandlerError::Unauthorized);
                let answer = with_token.unwrap();
                assert!(allows(&answer, "GET", "echo"), "{name}");
                assert!(!allows(&answer, "POST", "echo"), "{name}");
            }
            "authorizer-token-post-echo.json" => {
                assert_eq!(as_shipped.unwrap_err(), HandlerError::Unauthorized);
                let answer = with_token.unwrap();
                assert!(
                    !allows(&answer, "POST", "echo"),
                    "read-only token: explicit Deny, 403"
                );
                assert_eq!(s.last_metric()["reason"], "scope_missing");
            }
            "authorizer-token-delete-echo.json" => {
                assert_eq!(as_shipped.unwrap_err(), HandlerError::Unauthorized);
                let answer = with_token.unwrap();
                assert!(!allows(&answer, "DELETE", "echo"), "admins only: 403");
                assert_eq!(s.last_metric()["reason"], "group_missing");
                let admin = s.answer(&name, &s.person(&["admins"])).await.unwrap();
                assert!(allows(&admin, "DELETE", "echo"), "a person in admins");
                assert_eq!(s.last_metric()["reason"], "ok");
            }
            "authorizer-token-missing.json" => {
                assert_eq!(as_shipped.unwrap_err(), HandlerError::Unauthorized);
                assert_eq!(s.last_metric()["reason"], "token_missing");
            }
            "authorizer-http-v2-get-echo.json" => {
                assert_eq!(as_shipped.unwrap()["isAuthorized"], false);
                let answer = with_token.unwrap();
                assert_eq!(answer["isAuthorized"], true);
                assert_eq!(answer["context"]["scope"], "echo-api/read");
            }
            other => panic!("{other}: add its documented outcome to this test and to README"),
        }
    }
    assert_eq!(seen, 6);
}

#[tokio::test]
async fn the_policy_is_cache_safe_across_routes() {
    let s = setup(&[(
        "ROUTE_SCOPES",
        r#"{"GET /echo": "echo-api/read", "POST /echo": "echo-api/write", "GET /items/{id}": "echo-api/read", "GET /items/{id}/secret": {"allScopes": ["echo-api/read", "echo-api/admin"]}, "ANY /admin/{proxy+}": {"anyGroups": ["admins"]}}"#,
    )])
    .await;
    let read = s.token(&["echo-api/read"]);
    // Asked for GET /echo, the answer is reused by API Gateway for every route this token calls next.
    let answer = s.get_echo(&read).await;
    assert!(allows(&answer, "GET", "echo"));
    assert!(allows(&answer, "GET", "items/42"));
    assert!(!allows(&answer, "POST", "echo"));
    assert!(
        !allows(&answer, "GET", "items/42/secret"),
        "a parameter wildcard must not reach a stricter route"
    );
    assert!(!allows(&answer, "DELETE", "admin/users/1"));
    assert!(
        !allows(&answer, "GET", "elsewhere"),
        "unlisted routes are denied"
    );
    // The same token asked on POST /echo first gets the same whole-API policy: Deny on POST.
    let post = s
        .answer("authorizer-token-post-echo.json", &read)
        .await
        .unwrap();
    assert_eq!(policy_of(&post), policy_of(&answer));

    let admin = s.user_token(&["admins"]);
    let answer = s.get_echo(&admin).await;
    assert!(allows(&answer, "DELETE", "admin/users/1"));
    assert!(allows(&answer, "GET", "echo"));
    let everything = s.token(&["echo-api/read", "echo-api/write", "echo-api/admin"]);
    let answer = s.get_echo(&everything).await;
    assert!(allows(&answer, "GET", "items/42/secret") && allows(&answer, "POST", "echo"));
    assert!(
        !allows(&answer, "POST", "admin/x"),
        "group rule still applies"
    );
}

#[tokio::test]
async fn every_statement_has_an_explicit_effect() {
    let s = setup(&[]).await;
    let answer = s
        .answer(
            "authorizer-token-post-echo.json",
            &s.token(&["echo-api/read"]),
        )
        .await
        .unwrap();
    for statement in answer["policyDocument"]["Statement"].as_array().unwrap() {
        assert!(
            statement["Effect"] == "Allow" || statement["Effect"] == "Deny",
            "{statement}"
        );
        assert_eq!(statement["Action"], json!(["execute-api:Invoke"]));
    }
    assert_eq!(answer["policyDocument"]["Version"], "2012-10-17");
}

#[tokio::test]
async fn a_token_allowed_nothing_gets_a_deny_of_the_whole_api() {
    let s = setup(&[]).await;
    let answer = s.get_echo(&s.token(&["other/scope"])).await;
    assert_eq!(
        answer["policyDocument"]["Statement"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(answer["policyDocument"]["Statement"][0]["Effect"], "Deny");
    assert_eq!(
        answer["policyDocument"]["Statement"][0]["Resource"],
        json!([format!("{API}/*/*")])
    );
}

#[tokio::test]
async fn without_route_scopes_a_valid_token_gets_the_compact_form() {
    let s = setup(&[("ROUTE_SCOPES", "")]).await;
    let answer = s
        .answer("authorizer-token-post-echo.json", &s.token(&[]))
        .await
        .unwrap();
    assert_eq!(
        answer["policyDocument"]["Statement"][0]["Resource"],
        json!([format!("{API}/*/*")])
    );
    assert_eq!(answer["policyDocument"]["Statement"][0]["Effect"], "Allow");

    let s = setup(&[
        ("ROUTE_SCOPES", ""),
        ("REQUIRED_SCOPES", "echo-api/read echo-api/admin"),
    ])
    .await;
    let denied = s.get_echo(&s.token(&["echo-api/write"])).await;
    assert!(!allows(&denied, "GET", "echo"));
    assert_eq!(s.last_metric()["reason"], "scope_missing");
    let allowed = s.get_echo(&s.token(&["echo-api/admin"])).await;
    assert!(allows(&allowed, "GET", "anything/at/all"));
}

#[tokio::test]
async fn group_rules_deny_with_group_missing() {
    let s = setup(&[(
        "ROUTE_SCOPES",
        r#"{"GET /echo": {"anyScopes": ["echo-api/read"], "anyGroups": ["admins"]}}"#,
    )])
    .await;
    let answer = s.get_echo(&s.user_token(&["staff"])).await;
    assert!(!allows(&answer, "GET", "echo"));
    assert_eq!(s.last_metric()["reason"], "group_missing");
    let answer = s.get_echo(&s.user_token(&["staff", "admins"])).await;
    assert!(allows(&answer, "GET", "echo"));
    assert_eq!(answer["context"]["groups"], r#"["staff","admins"]"#);
    assert_eq!(answer["context"]["username"], "alice");
}

#[tokio::test]
async fn alternatives_admit_machines_and_people_by_different_rules() {
    let s = setup(&[(
        "ROUTE_SCOPES",
        r#"{"GET /echo": ["echo-api/read", {"anyGroups": ["readers", "admins"]}],
            "POST /echo": ["echo-api/write", {"anyGroups": ["admins"]}],
            "DELETE /echo": {"anyGroups": ["admins"]}}"#,
    )])
    .await;
    let routes = [("GET", "echo"), ("POST", "echo"), ("DELETE", "echo")];
    for (who, token, expected, reason) in [
        (
            "machine, read",
            s.token(&["echo-api/read"]),
            [true, false, false],
            "ok",
        ),
        (
            "machine, write",
            s.token(&["echo-api/write"]),
            [false, true, false],
            "scope_missing",
        ),
        ("reader", s.person(&["readers"]), [true, false, false], "ok"),
        ("admin", s.person(&["admins"]), [true, true, true], "ok"),
        (
            "nobody",
            s.person(&[]),
            [false, false, false],
            "group_missing",
        ),
        (
            "stranger",
            s.person(&["writers"]),
            [false, false, false],
            "group_missing",
        ),
    ] {
        // One answer per token, cached by API Gateway and applied to every route.
        let answer = s.get_echo(&token).await;
        let got = routes.map(|(m, p)| allows(&answer, m, p));
        assert_eq!(got, expected, "{who}: {}", answer["policyDocument"]);
        assert_eq!(s.last_metric()["reason"], reason, "{who}: GET /echo");
    }
    let machine = s.get_echo(&s.token(&["echo-api/read"])).await;
    assert!(
        machine["context"].get("username").is_none(),
        "no username for a machine"
    );
    assert_eq!(machine["context"]["groups"], "[]");
    let reader = s.get_echo(&s.person(&["readers"])).await;
    assert_eq!(reader["context"]["username"], "alice");
    assert_eq!(reader["context"]["scope"], "aws.cognito.signin.user.admin");
}

#[tokio::test]
async fn a_group_name_with_a_comma_grants_nothing_more_and_round_trips() {
    let s = setup(&[(
        "ROUTE_SCOPES",
        r#"{"GET /echo": {"anyGroups": ["admins"]}}"#,
    )])
    .await;
    let token = s.person(&["a,admins", "readers"]);
    let answer = s.get_echo(&token).await;
    assert!(!allows(&answer, "GET", "echo"));
    assert_eq!(s.last_metric()["reason"], "group_missing");
    let groups = answer["context"]["groups"].as_str().unwrap();
    assert_eq!(
        auth_context::groups::decode(groups).unwrap(),
        ["a,admins", "readers"]
    );
}

#[tokio::test]
async fn every_bad_token_is_exactly_unauthorized() {
    let s = setup(&[("CLIENT_IDS", "appclient1")]).await;
    let now = common::now();
    let sign = |claims: &Value| s.key.sign(claims);
    let base =
        mint::client_credentials_claims(&pool(), "appclient1", &["echo-api/read"], now, 3600);
    let mut expired = base.clone();
    expired["exp"] = json!(now - 60);
    let mut id_token = base.clone();
    id_token["token_use"] = json!("id");
    let other_client =
        mint::client_credentials_claims(&pool(), "otherclient", &["echo-api/read"], now, 3600);
    let foreign = mint::client_credentials_claims(
        &UserPool::from_id("us-east-1_Foreign1").unwrap(),
        "appclient1",
        &[],
        now,
        60,
    );
    let forger = SigningKey::generate("k1").unwrap();
    for (name, token) in [
        ("missing", String::new()),
        ("garbage", "not-a-token".to_owned()),
        ("expired", sign(&expired)),
        ("forged", forger.sign(&base)),
        ("foreign pool", sign(&foreign)),
        ("id token", sign(&id_token)),
        ("client not allowed", sign(&other_client)),
    ] {
        let err = s
            .answer("authorizer-token-get-echo.json", &token)
            .await
            .unwrap_err();
        assert_eq!(err, HandlerError::Unauthorized, "{name}");
        let diagnostic = lambda_runtime::Diagnostic::from(err);
        assert_eq!(diagnostic.error_message, "Unauthorized", "{name}");
        assert_eq!(s.last_metric()["Unauthorized"], 1, "{name}");
        let v2 = s
            .answer("authorizer-http-v2-get-echo.json", &token)
            .await
            .unwrap();
        assert_eq!(v2, json!({"isAuthorized": false, "context": {}}), "{name}");
    }
    assert!(
        s.answer("authorizer-token-get-echo.json", &sign(&base))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn http_api_denies_a_route_the_token_lacks_scope_for() {
    let s = setup(&[]).await;
    let mut event = read_event("authorizer-http-v2-get-echo.json");
    let token = format!("Bearer {}", s.token(&["echo-api/read"]));
    event["routeArn"] =
        json!("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/$default/POST/echo");
    event["headers"]["authorization"] = json!(token);
    let answer = s.authorizer.handle(event).await.unwrap();
    assert_eq!(answer["isAuthorized"], false);
    assert_eq!(s.last_metric()["Denied"], 1);
}

#[tokio::test]
async fn context_values_are_strings_only() {
    let s = setup(&[]).await;
    let answer = s
        .get_echo(&s.token(&["echo-api/read", "echo-api/write"]))
        .await;
    let context = answer["context"].as_object().unwrap();
    for key in [
        "sub",
        "client_id",
        "scope",
        "token_use",
        "groups",
        "pool_id",
    ] {
        assert!(context[key].is_string(), "{key}");
    }
    assert!(context.values().all(Value::is_string));
    assert_eq!(context["scope"], "echo-api/read echo-api/write");
    assert_eq!(context["token_use"], "access");
    assert_eq!(context["client_id"], "appclient1");
    assert!(
        !context.contains_key("username"),
        "client-credentials tokens have no username"
    );
    assert_eq!(answer["principalId"], "appclient1");
}

#[tokio::test]
async fn keys_unreachable_is_an_infrastructure_error_not_a_bad_token() {
    let s = setup(&[("JWKS_TIMEOUT_MS", "300")]).await;
    let server = MockServer::start().await;
    common::serve_jwks(&server, EVENT_POOL, ResponseTemplate::new(503)).await;
    let vars = env_json(&server, &[]);
    let authorizer = Authorizer::new(
        Config::from_lookup(|k| vars.get(k).cloned()).unwrap(),
        Metrics::memory(),
    )
    .unwrap();
    authorizer.prefetch().await;
    let text =
        std::fs::read_to_string(events_dir().join("authorizer-token-get-echo.json")).unwrap();
    let event: Value =
        serde_json::from_str(&text.replace("<ACCESS_TOKEN>", &s.token(&["echo-api/read"])))
            .unwrap();
    assert_eq!(
        authorizer.handle(event).await.unwrap_err(),
        HandlerError::Unauthorized
    );
    let metric = common::emf::document(authorizer.metrics().lines().last().unwrap());
    assert_eq!(metric["InfrastructureError"], 1);
    assert_eq!(metric["Unauthorized"], 0);
    assert_eq!(metric["reason"], "jwks_unavailable");
    drop(s.server);
}

#[tokio::test]
async fn events_that_are_not_authorizer_events_are_500_not_401() {
    let s = setup(&[]).await;
    for event in [
        json!({}),
        json!({"type": "TOKEN", "authorizationToken": "x"}),
        json!({"type": "TOKEN", "authorizationToken": "x", "methodArn": "arn:aws:s3:::bucket"}),
        json!({"version": "1.0", "type": "REQUEST"}),
        json!([1, 2, 3]),
        read_event("echo-rest.json"),
    ] {
        let err = s.authorizer.handle(event.clone()).await.unwrap_err();
        assert!(matches!(err, HandlerError::InvalidEvent(_)), "{event}");
        assert_ne!(
            lambda_runtime::Diagnostic::from(err).error_message,
            "Unauthorized"
        );
    }
}

/// `POLICY_SCOPE=route`: a REQUEST event names the route, and the answer covers that route only
/// (exact for any table, as API Gateway caches it per token and route); a TOKEN event still gets
/// the whole-API answer.
#[tokio::test]
async fn per_route_answers_cover_the_named_route_only() {
    let table = r#"{"GET /echo": "echo-api/read", "POST /echo": "echo-api/write",
        "GET /echo/{id}": "echo-api/write", "GET /echo/{id}/history": "echo-api/read"}"#;
    let s = setup(&[("ROUTE_SCOPES", table), ("POLICY_SCOPE", "route")]).await;
    let read = s.token(&["echo-api/read"]);
    let request = |resource: &str, method: &str, path: &str| {
        let text =
            std::fs::read_to_string(events_dir().join("authorizer-request-get-echo.json")).unwrap();
        let mut event: Value =
            serde_json::from_str(&text.replace("<ACCESS_TOKEN>", &read)).unwrap();
        event["resource"] = json!(resource);
        event["httpMethod"] = json!(method);
        event["methodArn"] = json!(format!("{API}/{method}{path}"));
        event
    };
    let answer = s
        .authorizer
        .handle(request("/echo", "GET", "/echo"))
        .await
        .unwrap();
    assert!(allows(&answer, "GET", "echo"));
    assert!(!allows(&answer, "POST", "echo"), "only the named route");
    assert!(
        !allows(&answer, "GET", "echo/42/history"),
        "not even another allowed one"
    );
    let history = s
        .authorizer
        .handle(request("/echo/{id}/history", "GET", "/echo/42/history"))
        .await
        .unwrap();
    assert!(allows(&history, "GET", "echo/42/history"));
    assert!(
        allows(&history, "GET", "echo/7/history"),
        "every request of the route"
    );
    let denied = s
        .authorizer
        .handle(request("/echo/{id}", "GET", "/echo/42"))
        .await
        .unwrap();
    assert!(!allows(&denied, "GET", "echo/42"));
    let unlisted = s
        .authorizer
        .handle(request("/other", "GET", "/other"))
        .await
        .unwrap();
    assert!(!allows(&unlisted, "GET", "other"));
    assert_eq!(s.last_metric()["reason"], "route_not_listed");
    let token_event = s.get_echo(&read).await;
    assert!(allows(&token_event, "GET", "echo") && allows(&token_event, "GET", "echo/1/history"));
}

/// Rules on any claim, and a tenant's own paths: the policy names the token's tenant, another
/// tenant's path is refused with `path_claim_mismatch`, and the context carries the claims.
#[tokio::test]
async fn claims_and_tenant_bound_routes() {
    let table = r#"{
        "GET /tenants/{tenantId}/orders": [
            {"anyScopes": ["orders/read"], "pathClaims": {"tenantId": "custom:tenant_id"}},
            "orders/admin"],
        "GET /reports": {"claims": {"custom:tier": ["gold", "platinum"]}}}"#;
    let s = setup(&[("ROUTE_SCOPES", table)]).await;
    let token = |claims: Value, scopes: &[&str]| {
        let mut c =
            mint::client_credentials_claims(&pool(), "appclient1", scopes, common::now(), 3600);
        for (k, v) in claims.as_object().unwrap() {
            c[k] = v.clone();
        }
        s.key.sign(&c)
    };
    let acme = token(
        json!({"custom:tenant_id": "acme", "custom:tier": "gold"}),
        &["orders/read"],
    );
    let answer = s.get_echo(&acme).await;
    assert!(allows(&answer, "GET", "tenants/acme/orders"));
    assert!(!allows(&answer, "GET", "tenants/globex/orders"));
    assert!(
        !allows(&answer, "GET", "tenants/ac%6De/orders"),
        "no spelling of it either"
    );
    assert!(
        allows(&answer, "GET", "reports"),
        "gold is one of the tiers"
    );
    let context = &answer["context"];
    assert_eq!(
        auth_context::claims::decode(context["claims"].as_str().unwrap()).unwrap(),
        std::collections::BTreeMap::from([
            (
                "custom:tenant_id".to_owned(),
                auth_context::claims::Value::Text("acme".into())
            ),
            (
                "custom:tier".to_owned(),
                auth_context::claims::Value::Text("gold".into())
            ),
        ])
    );
    let event = |path: &str, token: &str| {
        let mut e = read_event("authorizer-token-get-echo.json");
        e["methodArn"] = json!(format!("{API}/GET/{path}"));
        e["authorizationToken"] = json!(format!("Bearer {token}"));
        e
    };
    s.authorizer
        .handle(event("tenants/globex/orders", &acme))
        .await
        .unwrap();
    assert_eq!(s.last_metric()["reason"], "path_claim_mismatch");
    let silver = token(
        json!({"custom:tenant_id": "acme", "custom:tier": "silver"}),
        &[],
    );
    s.authorizer
        .handle(event("reports", &silver))
        .await
        .unwrap();
    assert_eq!(s.last_metric()["reason"], "claim_missing");
    let wild = token(json!({"custom:tenant_id": "*"}), &["orders/read"]);
    let answer = s
        .authorizer
        .handle(event("tenants/x/orders", &wild))
        .await
        .unwrap();
    assert!(
        !allows(&answer, "GET", "tenants/x/orders") && !allows(&answer, "GET", "tenants/*/orders")
    );
    assert_eq!(s.last_metric()["reason"], "claim_invalid");
    let admin = token(json!({}), &["orders/admin"]);
    let answer = s.get_echo(&admin).await;
    assert!(
        allows(&answer, "GET", "tenants/globex/orders"),
        "an unbound alternative: every tenant"
    );
}

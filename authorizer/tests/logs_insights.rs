//! The Logs Insights queries of docs/operations.md, exactly as written there, run over the lines
//! both functions log for a set of requests, with the EMF documents and Lambda's platform lines
//! that share their log groups (tests/common/insights.rs evaluates the query language).
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use authorizer::mint::{self, SigningKey};
use authorizer::{Authorizer, Config, DEFAULT_SERVICE_NAME, Metrics, UserPool};
use common::insights::{self, Query};
use common::lambda::{invoke, object, sample_event, vars};
use echo_handler::cors::Cors;
use lambda_log::{Capture, ColdStart};
use lambda_runtime::LambdaEvent;
use serde_json::{Map, Value, json};
use tracing::Instrument as _;
use wiremock::{MockServer, ResponseTemplate};

const POOL: &str = "us-east-1_Example01";
/// The `sub` the second documented query looks for.
const SUB: &str = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
const AUTHORIZER_LOG: &str = "/aws/lambda/echo-api-authorizer";
const ECHO_LOG: &str = "/aws/lambda/echo-api-echo";
const JSON: &[(&str, &str)] = &[("AWS_LAMBDA_LOG_FORMAT", "JSON")];

fn authorizer(jwks: &MockServer) -> Arc<Authorizer> {
    let env = sample_event("env.json", "");
    let routes = env["AuthorizerFunction"]["ROUTE_SCOPES"]
        .as_str()
        .unwrap()
        .to_owned();
    let uri = jwks.uri();
    let config = Config::from_lookup(|k| match k {
        "USER_POOL_ID" => Some(POOL.to_owned()),
        "ROUTE_SCOPES" => Some(routes.clone()),
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER" => Some(uri.clone()),
        _ => None,
    })
    .unwrap();
    Arc::new(Authorizer::new(config, Metrics::memory()).unwrap())
}

fn machine(key: &SigningKey, scopes: &[&str], issued: u64) -> String {
    let pool = UserPool::from_id(POOL).unwrap();
    key.sign(&mint::client_credentials_claims(
        &pool,
        "appclient1",
        scopes,
        issued,
        3600,
    ))
}

fn person(key: &SigningKey, username: &str, sub: Option<&str>, groups: &[&str]) -> String {
    let pool = UserPool::from_id(POOL).unwrap();
    let scopes = ["aws.cognito.signin.user.admin"];
    let mut claims = mint::user_claims(
        &pool,
        "peopleclient1",
        username,
        groups,
        &scopes,
        common::now(),
        3600,
    );
    if let Some(sub) = sub {
        claims["sub"] = json!(sub);
    }
    key.sign(&claims)
}

/// The rows of the two log groups after the scenario: each line as a JSON object with `@log`.
async fn log_groups() -> Vec<Map<String, Value>> {
    let jwks = MockServer::start().await;
    let key = SigningKey::generate("k1").unwrap();
    common::serve_jwks(&jwks, POOL, common::jwks_ok(&[&key])).await;
    let healthy = authorizer(&jwks);
    let down = MockServer::start().await;
    common::serve_jwks(&down, POOL, ResponseTemplate::new(503)).await;
    let broken = authorizer(&down);

    let read = machine(&key, &["echo-api/read"], common::now());
    let expired = machine(&key, &["echo-api/read"], common::now() - 7200);
    let ana = person(&key, "ana", Some(SUB), &["readers"]);
    let bob = person(&key, "bob", None, &["readers"]);
    let calls = [
        ("authorizer-request-get-echo.json", read.as_str(), "req-a1"),
        ("authorizer-token-post-echo.json", &read, "req-a2"),
        ("authorizer-token-post-echo.json", &read, "req-a3"),
        ("authorizer-token-get-echo.json", &ana, "req-a4"),
        ("authorizer-token-delete-echo.json", &ana, "req-a5"),
        ("authorizer-token-delete-echo.json", &bob, "req-a6"),
        ("authorizer-token-missing.json", "", "req-a7"),
        ("authorizer-token-get-echo.json", &expired, "req-a8"),
    ];

    let authorizer_lines = Capture::new();
    {
        let subscriber =
            lambda_log::subscriber(vars(JSON), DEFAULT_SERVICE_NAME, authorizer_lines.clone());
        let _guard = tracing::subscriber::set_default(subscriber);
        healthy.prefetch().await;
        for (event, token, request_id) in calls {
            let _ = invoke(&healthy, sample_event(event, token), request_id, None).await;
        }
        let event = sample_event("authorizer-token-get-echo.json", &read);
        let _ = invoke(&broken, event, "req-b1", None).await;
    }
    let echo_lines = Capture::new();
    {
        let subscriber = lambda_log::subscriber(vars(JSON), "echo-handler", echo_lines.clone());
        let _guard = tracing::subscriber::set_default(subscriber);
        let cold_start = ColdStart::new();
        for (event, request_id) in [("echo-rest.json", "req-e1"), ("echo-http.json", "req-e2")] {
            let context = common::lambda::context(request_id, None);
            let span = lambda_runtime::layers::trace::request_span(&context);
            let event = LambdaEvent::new(sample_event(event, ""), context);
            echo_handler::function_handler(event, &Cors::disabled(), &cold_start)
                .instrument(span)
                .await
                .unwrap();
        }
    }

    let platform = json!({"time": "2024-05-01T12:00:00.000Z", "type": "platform.report",
        "record": {"requestId": "req-a1", "metrics": {"durationMs": 1.2}}});
    let metrics: Vec<String> = [healthy.metrics().lines(), broken.metrics().lines()].concat();
    for document in &metrics {
        common::emf::document(document);
    }
    let authorizer_group = authorizer_lines
        .lines()
        .into_iter()
        .chain(metrics)
        .chain([platform.to_string()]);
    let tagged = |log: &'static str| {
        move |line: String| {
            let mut row = object(&line);
            row.insert("@log".into(), json!(log));
            row
        }
    };
    authorizer_group
        .map(tagged(AUTHORIZER_LOG))
        .chain(echo_lines.lines().into_iter().map(tagged(ECHO_LOG)))
        .collect()
}

fn queries() -> [Query; 4] {
    let texts = insights::documented_queries();
    assert_eq!(
        texts.len(),
        4,
        "docs/operations.md, section Logs Insights queries: {texts:#?}"
    );
    let parsed: Vec<Query> = texts
        .iter()
        .map(|q| insights::parse(q).unwrap_or_else(|e| panic!("{e}: {q}")))
        .collect();
    parsed.try_into().unwrap()
}

/// The distinct values of a column, as text.
fn column(rows: &[Map<String, Value>], name: &str) -> BTreeSet<String> {
    rows.iter()
        .map(|r| match r.get(name) {
            Some(Value::String(s)) => s.clone(),
            other => format!("{other:?}"),
        })
        .collect()
}

fn set(values: &[&str]) -> BTreeSet<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

#[tokio::test]
async fn the_documented_queries_answer_their_questions() {
    let rows = log_groups().await;
    let [refusals, one_sub, jwks, follow] = queries();

    // 1. Top refusal reasons per client: refused tokens have no (trusted) client.
    let top = insights::run(&refusals, &rows);
    assert_eq!(
        top,
        [
            json!({"client_id": "appclient1", "reason": "scope_missing", "refusals": 2}),
            json!({"client_id": "peopleclient1", "reason": "group_missing", "refusals": 2}),
            json!({"client_id": null, "reason": "token_missing", "refusals": 1}),
            json!({"client_id": null, "reason": "token_expired", "refusals": 1}),
        ]
        .map(|v| v.as_object().unwrap().clone()),
        "{top:#?}"
    );

    // 2. Every decision of one sub, newest first: ana's two, not bob's.
    let decisions = insights::run(&one_sub, &rows);
    assert_eq!(decisions.len(), 2, "{decisions:#?}");
    assert_eq!(column(&decisions, "requestId"), set(&["req-a4", "req-a5"]));
    assert_eq!(column(&decisions, "outcome"), set(&["allowed", "denied"]));
    assert_eq!(column(&decisions, "username"), set(&["ana"]));
    for row in &decisions {
        assert!(
            row.contains_key("@timestamp") && row.contains_key("route"),
            "{row:?}"
        );
    }

    // 3. JWKS failures: the fetch that failed and the decision it caused, nothing else.
    let failures = insights::run(&jwks, &rows);
    assert_eq!(failures.len(), 2, "{failures:#?}");
    assert_eq!(
        column(&failures, "message"),
        set(&["JWKS fetch failed", "decision"])
    );
    assert_eq!(
        column(&failures, "reason"),
        set(&["bad_status", "jwks_unavailable"])
    );
    assert_eq!(column(&failures, "requestId"), set(&["req-b1"]));

    // 4. One request through both functions, by API Gateway's request id (the one
    // events/authorizer-request-get-echo.json and events/echo-rest.json share).
    let path = insights::run(&follow, &rows);
    assert_eq!(path.len(), 2, "{path:#?}");
    assert_eq!(column(&path, "@log"), set(&[AUTHORIZER_LOG, ECHO_LOG]));
    assert_eq!(column(&path, "requestId"), set(&["req-a1", "req-e1"]));
    assert_eq!(column(&path, "message"), set(&["decision", "echo"]));
    let field = |r: &Map<String, Value>, k: &str| r.get(k).cloned().unwrap_or(Value::Null);
    assert!(
        path.iter()
            .any(|r| field(r, "outcome") == "allowed" && field(r, "route") == "GET /echo")
    );
    assert!(path.iter().any(|r| field(r, "status") == 200));
}

#[tokio::test]
async fn the_queries_never_match_metric_documents_or_platform_lines() {
    let rows = log_groups().await;
    let other: Vec<Map<String, Value>> = rows
        .into_iter()
        .filter(|r| !r.contains_key("message"))
        .collect();
    assert!(other.iter().filter(|r| r.contains_key("_aws")).count() >= 10);
    for query in queries() {
        assert!(insights::run(&query, &other).is_empty(), "{query:?}");
    }
}

#[test]
fn the_evaluator_refuses_what_it_does_not_implement() {
    for text in [
        "parse @message \"* x\" as y",
        "filter message like /JWKS/",
        "stats avg(latency) by reason",
        "filter outcome = ",
        "fields a | display b",
        "filter (a = \"b\"",
    ] {
        assert!(insights::parse(text).is_err(), "{text}");
    }
    let rows =
        [json!({"a": true, "b": "x"}), json!({"b": "y"})].map(|v| v.as_object().unwrap().clone());
    let run = |q: &str| insights::run(&insights::parse(q).unwrap(), &rows).len();
    assert_eq!(run("filter a = 1"), 1, "booleans compare as 1/0");
    assert_eq!(run("filter a != 1"), 0);
    assert_eq!(run("filter not a = 1"), 1, "a missing field compares false");
    assert_eq!(run("filter b in [\"x\", \"z\"] or a = 1"), 1);
}

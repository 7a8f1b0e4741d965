//! A REST API with a `REQUEST` Lambda authorizer (`tests/fixtures/request-authorizer.yaml`:
//! identity sources `Authorization`, the stage variable `realm` and `$context.httpMethod`) over
//! HTTP on 127.0.0.1: the example session, the cache keyed on every identity source, TTL 0, and a
//! missing identity source answered 401 without calling the authorizer (on the counters).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::atomic::Ordering;

use offline::{Offline, Options};
use serde_json::json;
use support::{Client, TempDir, bearer, fixture_options, raw, with_token};

const FIXTURE: &str = "request-authorizer.yaml";

/// The fixture with `from` replaced by `to`, written to `dir`.
fn changed_fixture(dir: &TempDir, from: &str, to: &str) -> Options {
    support::changed_fixture(dir, FIXTURE, from, to)
}

/// The status of `method /Prod/echo` with `token`.
async fn status(offline: &Offline, method: &str, token: &str) -> u16 {
    with_token(offline.addr(), method, "/Prod/echo", token)
        .await
        .status
}

fn invocations(offline: &Offline) -> u64 {
    offline
        .stats()
        .authorizer_invocations
        .load(Ordering::Relaxed)
}

fn hits(offline: &Offline) -> u64 {
    offline
        .stats()
        .authorizer_cache_hits
        .load(Ordering::Relaxed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seeds_session_through_a_request_authorizer() {
    let a = Offline::start(fixture_options(FIXTURE)).await.unwrap();
    let http = Client::new();
    let addr = a.addr();

    // No token: an identity source is missing, 401 without calling the authorizer.
    let answer = raw(addr, "GET", "/Prod/echo", &[]).await;
    assert_eq!(answer.status, 401, "{answer:?}");
    assert_eq!(answer.json(), json!({"message": "Unauthorized"}));
    assert_eq!(invocations(&a), 0);
    // A garbage token: the authorizer runs and refuses it.
    let answer = with_token(addr, "GET", "/Prod/echo", "not.a.jwt").await;
    assert_eq!(
        (answer.status, answer.json()),
        (401, json!({"message": "Unauthorized"}))
    );
    assert_eq!(invocations(&a), 1);

    // The read scope: GET 200 with the caller echoed, POST 403 from the policy.
    let read = http.access_token(&a, Some("echo-api/read")).await;
    let answer = with_token(addr, "GET", "/Prod/echo", &read).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let body = answer.json();
    assert_eq!(body["caller"]["scopes"], json!(["echo-api/read"]));
    assert_eq!(body["request"]["path"], "/echo");
    let answer = with_token(addr, "POST", "/Prod/echo", &read).await;
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert_eq!(
        answer.json(),
        json!({"message": "User is not authorized to access this resource"})
    );

    // Read and write: both methods.
    let both = http.access_token(&a, None).await;
    for method in ["GET", "POST"] {
        let answer = with_token(addr, method, "/Prod/echo", &both).await;
        assert_eq!(answer.status, 200, "{method}: {}", answer.body);
    }

    // Another instance's token (its own key): 401.
    let b = Offline::start(fixture_options(FIXTURE)).await.unwrap();
    let foreign = http.access_token(&b, None).await;
    let answer = with_token(addr, "GET", "/Prod/echo", &foreign).await;
    assert_eq!(answer.status, 401, "{}", answer.body);
    b.stop().await;
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_is_keyed_on_every_identity_source() {
    let a = Offline::start(fixture_options(FIXTURE)).await.unwrap();
    let read = Client::new().access_token(&a, Some("echo-api/read")).await;
    // The token and the method (`$context.httpMethod`) are identity sources: GET then POST with
    // one token are two answers; each again comes from the cache.
    for (invoked, cached) in [(2, 0), (2, 2)] {
        assert_eq!(status(&a, "GET", &read).await, 200);
        assert_eq!(status(&a, "POST", &read).await, 403);
        assert_eq!((invocations(&a), hits(&a)), (invoked, cached));
    }
    a.stop().await;

    // A query string added to the identity sources: each value is its own cache entry, and a
    // request without it is 401 before the authorizer.
    let dir = TempDir::new("request-query");
    let options = changed_fixture(
        &dir,
        "StageVariables: [realm]",
        "StageVariables: [realm]\n              QueryStrings: [tenant]",
    );
    let b = Offline::start(options).await.unwrap();
    let read = Client::new().access_token(&b, Some("echo-api/read")).await;
    let addr = b.addr();
    let auth = bearer(&read);
    let call = |target: &'static str| {
        let auth = auth.clone();
        async move {
            raw(addr, "GET", target, &[("Authorization", &auth)])
                .await
                .status
        }
    };
    assert_eq!(call("/Prod/echo").await, 401);
    assert_eq!(
        call("/Prod/echo?tenant=").await,
        401,
        "an empty value is missing"
    );
    assert_eq!(invocations(&b), 0);
    assert_eq!(call("/Prod/echo?tenant=a").await, 200);
    assert_eq!(call("/Prod/echo?tenant=b").await, 200);
    assert_eq!((invocations(&b), hits(&b)), (2, 0));
    assert_eq!(call("/Prod/echo?tenant=a").await, 200);
    assert_eq!((invocations(&b), hits(&b)), (2, 1));
    b.stop().await;

    // A stage variable the stage does not define is always missing: 401, never a call.
    let dir = TempDir::new("request-stage-variable");
    let options = changed_fixture(&dir, "StageVariables: [realm]", "StageVariables: [tenant]");
    let c = Offline::start(options).await.unwrap();
    let read = Client::new().access_token(&c, Some("echo-api/read")).await;
    assert_eq!(status(&c, "GET", &read).await, 401);
    assert_eq!(invocations(&c), 0);
    c.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ttl_zero_calls_the_authorizer_every_time_and_caching_needs_an_identity_source() {
    let dir = TempDir::new("request-ttl0");
    let options = changed_fixture(&dir, "ReauthorizeEvery: 300", "ReauthorizeEvery: 0");
    let a = Offline::start(options).await.unwrap();
    let read = Client::new().access_token(&a, Some("echo-api/read")).await;
    for _ in 0..3 {
        assert_eq!(status(&a, "GET", &read).await, 200);
    }
    assert_eq!((invocations(&a), hits(&a)), (3, 0));
    a.stop().await;

    // Caching with no identity source: API Gateway refuses the configuration, so does this.
    let dir = TempDir::new("request-no-identity");
    let options = changed_fixture(
        &dir,
        "Headers: [Authorization]\n              StageVariables: [realm]\n              Context: [httpMethod]\n",
        "",
    );
    let err = Offline::start(options).await.unwrap_err().to_string();
    assert!(
        err.contains("Resources.Api.Properties.Auth.Authorizers.Request.Identity")
            && err.contains("needs at least one identity source"),
        "{err}"
    );
}

/// `method path` of `offline` with `token`: its status.
async fn status_of(offline: &Offline, method: &str, path: &str, token: &str) -> u16 {
    support::status_with(offline.addr(), method, path, token).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_route_answers_are_cached_per_token_and_route() {
    // `identitySource: method.request.header.Authorization, context.httpMethod,
    // context.resourcePath` and POLICY_SCOPE=route (tests/fixtures/per-route-authorizer.yaml).
    let a = Offline::start(fixture_options("per-route-authorizer.yaml"))
        .await
        .unwrap();
    assert!(a.warnings().is_empty(), "{:?}", a.warnings());
    let read = Client::new().access_token(&a, Some("items/read")).await;
    // A token allowed GET /a/{id} but not POST /a/{id}: 200, then 403 within the TTL, each from
    // an answer of its own (its policy covers its route only).
    assert_eq!(status_of(&a, "GET", "/Prod/a/1", &read).await, 200);
    assert_eq!(status_of(&a, "POST", "/Prod/a/1", &read).await, 403);
    assert_eq!((invocations(&a), hits(&a)), (2, 0));
    // One cached answer per route: another item of each route comes from the cache.
    assert_eq!(status_of(&a, "GET", "/Prod/a/2", &read).await, 200);
    assert_eq!(status_of(&a, "POST", "/Prod/a/2", &read).await, 403);
    assert_eq!((invocations(&a), hits(&a)), (2, 2));
    assert_eq!(status_of(&a, "GET", "/Prod/b", &read).await, 200);
    assert_eq!((invocations(&a), hits(&a)), (3, 2));
    let all = Client::new().access_token(&a, None).await;
    assert_eq!(status_of(&a, "POST", "/Prod/a/1", &all).await, 200);
    a.stop().await;

    // Without the route in the cache key, API Gateway reuses a token's answer for GET on POST:
    // the write token is then refused POST (the GET answer's policy covers GET only). Said at
    // start.
    let dir = TempDir::new("per-route-token-only");
    let options = support::changed_fixture(
        &dir,
        "per-route-authorizer.yaml",
        "method.request.header.Authorization, context.httpMethod, context.resourcePath",
        "method.request.header.Authorization",
    );
    let b = Offline::start(options).await.unwrap();
    let [warning] = b.warnings() else {
        panic!("{:?}", b.warnings())
    };
    assert!(warning.contains("context.resourcePath"), "{warning}");
    let all = Client::new().access_token(&b, None).await;
    assert_eq!(status_of(&b, "GET", "/Prod/a/1", &all).await, 200);
    assert_eq!(status_of(&b, "POST", "/Prod/a/1", &all).await, 403);
    assert_eq!((invocations(&b), hits(&b)), (1, 1));
    b.stop().await;
}

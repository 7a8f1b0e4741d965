//! Concurrent invocations in one process (lambda_runtime's `concurrency-tokio`): a cold key
//! cache hit by 64 concurrent decisions on a multi-thread runtime fetches the JWKS exactly once,
//! and every decision is still the right one. No timing assertions (shared, noisy machines).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use authorizer::mint::SigningKey;
use authorizer::{Authorizer, Config, HandlerError, Metrics, Reject, evaluate_policy};
use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerPolicy;
use serde_json::{Value, json};
use tokio::sync::Barrier;
use wiremock::MockServer;

const API: &str = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/Prod";
const CONCURRENCY: usize = 64;
/// The JWKS answer is held back so that every task reaches the cache while the fetch is in flight.
const JWKS_DELAY: Duration = Duration::from_millis(300);

/// An authorizer for the test pool whose keys are served (slowly) by `server`, not prefetched.
async fn cold_authorizer(server: &MockServer, key: &SigningKey) -> Arc<Authorizer> {
    common::serve_jwks(
        server,
        common::POOL_ID,
        common::jwks_ok(&[key]).set_delay(JWKS_DELAY),
    )
    .await;
    let uri = server.uri();
    let config = Config::from_lookup(|name| match name {
        "USER_POOL_ID" => Some(common::POOL_ID.to_owned()),
        "CLIENT_IDS" => Some(common::CLIENT_ID.to_owned()),
        "ROUTE_SCOPES" => {
            Some(r#"{"GET /echo": "echo-api/read", "POST /echo": "echo-api/write"}"#.to_owned())
        }
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER" => Some(uri.clone()),
        _ => None,
    })
    .unwrap();
    Arc::new(Authorizer::new(config, Metrics::memory()).unwrap())
}

fn token_event(token: &str, method: &str) -> Value {
    json!({
        "type": "TOKEN",
        "authorizationToken": format!("Bearer {token}"),
        "methodArn": format!("{API}/{method}/echo"),
    })
}

/// Runs `task(i)` for every `i` below [`CONCURRENCY`], each in its own tokio task, all released
/// together by a barrier once every one is spawned; their results in `i` order.
async fn all_at_once<T, Fut>(task: impl Fn(usize) -> Fut) -> Vec<T>
where
    T: Send + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    let barrier = Arc::new(Barrier::new(CONCURRENCY));
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|i| {
            let (barrier, work) = (Arc::clone(&barrier), task(i));
            tokio::spawn(async move {
                barrier.wait().await;
                work.await
            })
        })
        .collect();
    let mut results = Vec::with_capacity(CONCURRENCY);
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

/// The cold start's fetch was the only one: in the cache's count and at the server.
async fn assert_one_fetch(server: &MockServer, authorizer: &Authorizer) {
    let cache = authorizer.verifier().key_cache(common::POOL_ID).unwrap();
    assert_eq!(cache.fetch_count(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

fn allows(answer: &Value, method: &str) -> bool {
    let policy: ApiGatewayCustomAuthorizerPolicy =
        serde_json::from_value(answer["policyDocument"].clone()).unwrap();
    evaluate_policy(&policy, &format!("{API}/{method}/echo"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cold_cache_under_64_concurrent_decisions_fetches_the_jwks_once() {
    let server = MockServer::start().await;
    let key = SigningKey::generate("key-1").unwrap();
    let authorizer = cold_authorizer(&server, &key).await;
    let read = key.sign(&common::cc_claims(&["echo-api/read"]));
    let write = key.sign(&common::cc_claims(&["echo-api/read", "echo-api/write"]));

    // Task i: read-only or read+write token, on GET or POST /echo; all start together.
    let results = all_at_once(|i| {
        let authorizer = Arc::clone(&authorizer);
        let can_write = i % 2 == 1;
        let method = if (i / 2) % 2 == 0 { "GET" } else { "POST" };
        let token = if can_write {
            write.clone()
        } else {
            read.clone()
        };
        async move {
            let answer = authorizer.handle(token_event(&token, method)).await;
            (can_write, method, answer)
        }
    })
    .await;
    let mut allowed = 0;
    for (can_write, method, answer) in results {
        let answer = answer.unwrap();
        assert_eq!(answer["principalId"], common::CLIENT_ID);
        // Same cache-safe policy whatever the route: GET allowed, POST only with the write scope.
        assert!(allows(&answer, "GET"));
        assert_eq!(allows(&answer, "POST"), can_write);
        allowed += usize::from(allows(&answer, method));
    }
    // 16 read-only tokens on POST are denied, the other 48 allowed.
    assert_eq!(allowed, CONCURRENCY - CONCURRENCY / 4);
    assert_one_fetch(&server, &authorizer).await;

    let lines = authorizer.metrics().lines();
    assert_eq!(lines.len(), CONCURRENCY);
    let reasons: Vec<Value> = lines
        .iter()
        .map(|l| common::emf::document(l)["reason"].clone())
        .collect();
    assert_eq!(reasons.iter().filter(|r| *r == "ok").count(), allowed);
    assert_eq!(
        reasons.iter().filter(|r| *r == "scope_missing").count(),
        CONCURRENCY / 4
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forged_kids_racing_valid_tokens_on_a_cold_cache_still_make_one_fetch() {
    let server = MockServer::start().await;
    let key = SigningKey::generate("key-1").unwrap();
    let forger = SigningKey::generate("forged-kid").unwrap();
    let authorizer = cold_authorizer(&server, &key).await;
    let valid = key.sign(&common::cc_claims(&["echo-api/read"]));
    let forged = forger.sign(&common::cc_claims(&["echo-api/read"]));

    let results = all_at_once(|i| {
        let authorizer = Arc::clone(&authorizer);
        let is_forged = i % 2 == 0;
        let token = if is_forged {
            forged.clone()
        } else {
            valid.clone()
        };
        async move {
            let verified = authorizer.verifier().verify(&token).await;
            let answer = authorizer.handle(token_event(&token, "GET")).await;
            (is_forged, verified, answer)
        }
    })
    .await;
    for (is_forged, verified, answer) in results {
        if is_forged {
            assert_eq!(verified.unwrap_err(), Reject::KidUnknown);
            assert_eq!(answer.unwrap_err(), HandlerError::Unauthorized);
        } else {
            assert_eq!(verified.unwrap().client_id, common::CLIENT_ID);
            assert!(allows(&answer.unwrap(), "GET"));
        }
    }
    // The unknown kid does not refetch inside the cooldown: still the one cold-start fetch.
    assert_one_fetch(&server, &authorizer).await;
}

#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Runs N warm decisions for one route table and scope, for `bench/policy.sh --callgrind`
//! (instructions per decision, steady on a shared machine where times are not).
//!
//! `cargo run --release -p authorizer --features mint --example policy_decisions -- TABLE SCOPE N`
//! with TABLE `shipped` or `saas-N` (the first N routes of examples/saas-api/route-scopes.json)
//! and SCOPE `api` or `route`.

#[path = "../benches/support/jwks.rs"]
mod jwks;
#[path = "../benches/support/member.rs"]
mod member;

use authorizer::mint::SigningKey;
use authorizer::{Authorizer, Config, Metrics, UserPool};
use serde_json::{Value, json};

const POOL_ID: &str = "us-east-1_BenchPool";
const API: &str = "arn:aws:execute-api:us-east-1:123456789012:abcdefghij/Prod";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (table, scope, n) = (&args[1], &args[2], args[3].parse::<usize>().unwrap());
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let (json, [method, resource, path]) = if table == "shipped" {
        let env: Value = serde_json::from_str(
            &std::fs::read_to_string(format!("{root}/events/env.json")).unwrap(),
        )
        .unwrap();
        let json = env["AuthorizerFunction"]["ROUTE_SCOPES"]
            .as_str()
            .unwrap()
            .to_owned();
        (json, ["GET", "/echo", "/echo"])
    } else {
        let count: usize = table.trim_start_matches("saas-").parse().unwrap();
        let saas =
            std::fs::read_to_string(format!("{root}/examples/saas-api/route-scopes.json")).unwrap();
        let lines: Vec<&str> = saas
            .lines()
            .filter(|l| l.starts_with("  \""))
            .take(count)
            .collect();
        let body: Vec<&str> = lines.iter().map(|l| l.trim_end_matches(',')).collect();
        (
            format!("{{{}}}", body.join(",")),
            ["GET", "/v1/orgs/{id}/members", "/v1/orgs/o1/members"],
        )
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let key = SigningKey::generate("k").unwrap();
    let server = rt.block_on(jwks::serve(POOL_ID, &key));
    let env = [
        ("USER_POOL_ID", POOL_ID.to_owned()),
        ("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", server.uri()),
        ("ROUTE_SCOPES", json),
        ("POLICY_SCOPE", scope.clone()),
    ];
    let config =
        Config::from_lookup(|k| env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())).unwrap();
    let authorizer = Authorizer::new(config, Metrics::discard()).unwrap();
    rt.block_on(authorizer.prefetch());
    let pool = UserPool::from_id(POOL_ID).unwrap();
    let claims = member::member_claims(&pool);
    let event = json!({
        "type": "REQUEST",
        "methodArn": format!("{API}/{method}{path}"),
        "resource": resource, "path": path, "httpMethod": method,
        "headers": {"Authorization": format!("Bearer {}", key.sign(&claims))},
        "requestContext": {"resourcePath": resource, "httpMethod": method},
    });
    // One decision before counting starts: keys fetched, the grant set's policy built and cached.
    let first = rt.block_on(authorizer.respond(event.clone())).unwrap();
    assert!(serde_json::to_string(&first).unwrap().contains("\"Allow\""));
    decisions(&rt, &authorizer, &event, n);
}

/// The counted part: `n` warm decisions (callgrind counts inside this function only).
#[inline(never)]
fn decisions(rt: &tokio::runtime::Runtime, authorizer: &Authorizer, event: &Value, n: usize) {
    for _ in 0..n {
        let answer = rt
            .block_on(authorizer.respond(std::hint::black_box(event.clone())))
            .unwrap();
        std::hint::black_box(serde_json::to_vec(&answer).unwrap());
    }
}

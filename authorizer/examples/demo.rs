//! Runs every `events/authorizer-*.json` through the real handler against a loopback JWKS, with
//! tokens minted on the spot, and prints each decision. No AWS account, no Docker.
//!
//! `cargo run -p authorizer --example demo --features mint`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use authorizer::mint::{self, SigningKey};
use authorizer::{Authorizer, Config, Metrics, UserPool};
use serde_json::Value;

#[tokio::main]
async fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let env: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{root}/events/env.json")).unwrap())
            .unwrap();
    let pool_id = env["AuthorizerFunction"]["USER_POOL_ID"].as_str().unwrap();
    let pool = UserPool::from_id(pool_id, "USER_POOL_ID").unwrap();

    let key = SigningKey::generate("demo-key").unwrap();
    let jwks = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::path(format!(
        "/{pool_id}/.well-known/jwks.json"
    )))
    .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(mint::jwks([&key])))
    .mount(&jwks)
    .await;
    println!(
        "JWKS for {pool_id} served at {}/{pool_id}/.well-known/jwks.json\n",
        jwks.uri()
    );

    let endpoint = jwks.uri();
    let config = Config::from_lookup(|name| match name {
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER" => Some(endpoint.clone()),
        _ => env["AuthorizerFunction"][name].as_str().map(str::to_owned),
    })
    .expect("events/env.json is a valid configuration");
    let authorizer = Authorizer::new(config, Metrics::memory()).unwrap();
    authorizer.prefetch().await;

    let now = authorizer::verifier::unix_now();
    let tokens = [
        (
            "read-only token",
            key.sign(&mint::client_credentials_claims(
                &pool,
                "democlient",
                &["echo-api/read"],
                now,
                3600,
            )),
        ),
        (
            "read+write token",
            key.sign(&mint::client_credentials_claims(
                &pool,
                "democlient",
                &["echo-api/read", "echo-api/write"],
                now,
                3600,
            )),
        ),
        ("placeholder", "<ACCESS_TOKEN>".to_owned()),
    ];
    let mut files: Vec<_> = std::fs::read_dir(format!("{root}/events"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("authorizer-"))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(format!("{root}/events/{file}")).unwrap();
        for (label, token) in &tokens {
            let event: Value =
                serde_json::from_str(&text.replace("<ACCESS_TOKEN>", token)).unwrap();
            let answer = match authorizer.handle(event).await {
                Ok(v) if v.get("isAuthorized").is_some() => {
                    format!("isAuthorized: {}", v["isAuthorized"])
                }
                Ok(v) => {
                    let effects: Vec<String> = v["policyDocument"]["Statement"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|s| {
                            format!("{} {}", s["Effect"].as_str().unwrap_or("?"), s["Resource"])
                        })
                        .collect();
                    format!("policy: {}", effects.join("; "))
                }
                Err(e) => format!("error: {e}"),
            };
            let metric: Value =
                serde_json::from_str(authorizer.metrics().lines().last().unwrap()).unwrap();
            println!(
                "{file:38} {label:17} {:>13} {:18} {answer}",
                metric["outcome"].as_str().unwrap(),
                metric["reason"].as_str().unwrap()
            );
        }
    }
}

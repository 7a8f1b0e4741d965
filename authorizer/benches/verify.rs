#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Warm-path cost of one token: the full check against a bare RSA-2048 verify of the same
//! signature with the same crypto library (aws-lc-rs), and jsonwebtoken's `decode` for context.
//!
//! Run: `cargo bench -p authorizer --bench verify` (or `bench/verify.sh` for the ratio).

#[path = "support/jwks.rs"]
mod jwks;

use std::hint::black_box;

use authorizer::mint::{self, SigningKey};
use authorizer::{Requirement, UserPool, Verifier, VerifierSettings};
use aws_lc_rs::signature::{self, ParsedPublicKey, RsaPublicKeyComponents};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use criterion::{Criterion, criterion_group, criterion_main};

const POOL_ID: &str = "us-east-1_BenchPool";

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let key = SigningKey::generate("bench-key").unwrap();
    let pool = UserPool::from_id(POOL_ID).unwrap();
    let now = authorizer::unix_now();
    // A realistic client-credentials token: two custom scopes, ~900 bytes.
    let claims = mint::client_credentials_claims(
        &pool,
        "7d8f9a0b1c2d3e4f5a6b7c8d9e",
        &["echo-api/read", "echo-api/write"],
        now,
        3600,
    );
    let token = format!("Bearer {}", key.sign(&claims));

    // Serve the JWKS once from loopback so the verifier's cache is warm, as in a warm Lambda.
    let server = rt.block_on(jwks::serve(POOL_ID, &key));
    let settings = VerifierSettings {
        endpoint_override: Some(server.uri()),
        ..Default::default()
    };
    let client = authorizer::JwksClient::new(Default::default()).unwrap();
    let verifier = Verifier::new(vec![pool], settings, client);
    rt.block_on(verifier.prefetch());
    let needs_read = Requirement::any_scope(["echo-api/read"]);
    assert!(rt.block_on(verifier.verify(&token)).is_ok());

    let raw = token.trim_start_matches("Bearer ");
    let (signing_input, sig_b64) = raw.rsplit_once('.').unwrap();
    let sig = URL_SAFE_NO_PAD.decode(sig_b64).unwrap();
    let jwk = key.jwk();
    let n = URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap();
    let e = URL_SAFE_NO_PAD.decode(jwk["e"].as_str().unwrap()).unwrap();
    let parsed: ParsedPublicKey = RsaPublicKeyComponents { n: &n, e: &e }
        .to_parsed_public_key(&signature::RSA_PKCS1_2048_8192_SHA256)
        .unwrap();

    let mut group = c.benchmark_group("token");
    group.bench_function("full_check", |b| {
        b.iter(|| {
            let grants = rt.block_on(verifier.verify(black_box(&token))).unwrap();
            black_box(needs_read.check(&grants)).unwrap();
        })
    });
    group.bench_function("bare_rsa2048_verify", |b| {
        b.iter(|| {
            parsed
                .verify_sig(black_box(signing_input.as_bytes()), black_box(&sig))
                .unwrap()
        })
    });
    group.bench_function("bare_rsa2048_verify_unparsed_key", |b| {
        b.iter(|| {
            RsaPublicKeyComponents { n: &n, e: &e }
                .verify(
                    &signature::RSA_PKCS1_2048_8192_SHA256,
                    black_box(signing_input.as_bytes()),
                    black_box(&sig),
                )
                .unwrap()
        })
    });
    let jwt_key = jsonwebtoken::DecodingKey::from_rsa_components(
        jwk["n"].as_str().unwrap(),
        jwk["e"].as_str().unwrap(),
    )
    .unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.validate_aud = false;
    group.bench_function("jsonwebtoken_decode", |b| {
        b.iter(|| {
            jsonwebtoken::decode::<serde_json::Value>(black_box(raw), &jwt_key, &validation)
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

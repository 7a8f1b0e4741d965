//! Writes the fixtures `bench/coldstart.sh` needs, made fresh on every run (nothing secret is
//! committed): a JWKS with two RSA-2048 public keys, as a Cognito pool publishes, and a
//! client-credentials access token signed by one of them for the pool, client and scope given.
//!
//! `cargo run -p authorizer --example coldstart_fixture -- OUT_DIR POOL_ID CLIENT_ID SCOPE`
//! writes `OUT_DIR/jwks.json` and `OUT_DIR/token` (valid for one hour). The private keys are
//! dropped when the program exits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use authorizer::UserPool;
use authorizer::mint::{self, SigningKey};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, pool_id, client_id, scope] = args.as_slice() else {
        eprintln!("usage: coldstart_fixture OUT_DIR POOL_ID CLIENT_ID SCOPE");
        std::process::exit(2);
    };
    let pool = UserPool::from_id(pool_id).expect("a user pool id");
    // Cognito publishes two keys (ID tokens and access tokens); access tokens use the second.
    let id_key = SigningKey::generate(format!("bench-id-{}", mint::random_id())).unwrap();
    let access_key = SigningKey::generate(format!("bench-access-{}", mint::random_id())).unwrap();
    let now = authorizer::unix_now();
    let token = access_key.sign(&mint::client_credentials_claims(
        &pool,
        client_id,
        &[scope.as_str()],
        now,
        3600,
    ));
    let dir = std::path::Path::new(out);
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("jwks.json"),
        mint::jwks([&id_key, &access_key]).to_string(),
    )
    .unwrap();
    std::fs::write(dir.join("token"), token).unwrap();
}

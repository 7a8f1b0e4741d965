//! The pool's JWKS served from loopback, for the benchmarks and the bench examples (included with
//! `#[path]`: benches and examples share no crate of their own).

use authorizer::mint::{self, SigningKey};

/// A loopback server answering `/{pool_id}/.well-known/jwks.json` with `key`'s JWKS.
pub async fn serve(pool_id: &str, key: &SigningKey) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::path(format!(
        "/{pool_id}/.well-known/jwks.json"
    )))
    .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(mint::jwks([key])))
    .mount(&server)
    .await;
    server
}

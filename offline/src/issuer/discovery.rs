//! The pool's OpenID configuration (`/.well-known/openid-configuration`): `issuer` in the real
//! Cognito form, the endpoints local.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::template::AppClient;

/// The document for `issuer` and pool `pool_id`, served at `base_url`.
pub fn openid_configuration(
    issuer: &str,
    pool_id: &str,
    base_url: &str,
    clients: &[AppClient],
) -> Value {
    json!({
        "issuer": issuer,
        "jwks_uri": format!("{base_url}/{pool_id}/.well-known/jwks.json"),
        "token_endpoint": format!("{base_url}/oauth2/token"),
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": clients.iter().flat_map(|c| c.scopes.iter()).collect::<BTreeSet<_>>(),
    })
}

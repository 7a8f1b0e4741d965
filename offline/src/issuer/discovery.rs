//! The pool's OpenID configuration (`/.well-known/openid-configuration`), shaped as Cognito's:
//! `issuer` in the real Cognito form, the endpoints local (token, authorization, userInfo, JWKS),
//! the code response type and the OpenID Connect scopes.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::template::AppClient;

/// The OpenID Connect scopes Cognito lists.
const OIDC: [&str; 4] = ["openid", "email", "phone", "profile"];

/// The document for `issuer` and pool `pool_id`, served at `base_url`.
pub(crate) fn openid_configuration(
    issuer: &str,
    pool_id: &str,
    base_url: &str,
    clients: &[AppClient],
) -> Value {
    let scopes: BTreeSet<&str> = OIDC
        .into_iter()
        .chain(
            clients
                .iter()
                .flat_map(|c| c.scopes.iter().map(String::as_str)),
        )
        .collect();
    json!({
        "issuer": issuer,
        "jwks_uri": format!("{base_url}/{pool_id}/.well-known/jwks.json"),
        "authorization_endpoint": format!("{base_url}/oauth2/authorize"),
        "token_endpoint": format!("{base_url}/oauth2/token"),
        "userinfo_endpoint": format!("{base_url}/oauth2/userInfo"),
        "revocation_endpoint": format!("{base_url}/oauth2/revoke"),
        "end_session_endpoint": format!("{base_url}/logout"),
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "response_types_supported": ["code", "token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": scopes,
    })
}

//! OAuth scopes: those the pool's resource servers define (`identifier/name`), and those Cognito
//! defines itself, which any app client may be allowed.

use serde_json::Value;

use super::client::AppClient;
use super::pool::LocalPool;
use crate::template::error::{Located, Problem};
use crate::template::fields::{array_field, str_field};

/// Scopes Cognito defines itself: OpenID Connect's and the one for a user's own profile.
pub(crate) const OIDC_SCOPES: &[&str] = &[
    "openid",
    "email",
    "phone",
    "profile",
    "aws.cognito.signin.user.admin",
];

/// `resourceServer/scope` for every scope of an `AWS::Cognito::UserPoolResourceServer`'s
/// resolved properties `props` (at `at`).
pub(crate) fn resource_server_scopes(
    props: &Value,
    pool: &LocalPool,
    at: &str,
) -> Result<Vec<String>, Located> {
    pool.check(props, at)?;
    let identifier = str_field(props, "Identifier", at)?;
    array_field(props, "Scopes")
        .iter()
        .enumerate()
        .map(|(i, scope)| {
            let name = str_field(scope, "ScopeName", &format!("{at}.Scopes[{i}]"))?;
            Ok(format!("{identifier}/{name}"))
        })
        .collect()
}

/// Every scope an app client allows must be one of the resource servers' `scopes` or one of
/// Cognito's own ([`OIDC_SCOPES`]).
pub(crate) fn check_client_scopes(clients: &[AppClient], scopes: &[String]) -> Result<(), Located> {
    for client in clients {
        let unknown = client
            .scopes
            .iter()
            .find(|s| !scopes.contains(s) && !OIDC_SCOPES.contains(&s.as_str()));
        if let Some(unknown) = unknown {
            return Err(Problem::UnknownScope(unknown.clone()).at(format!(
                "Resources.{}.Properties.AllowedOAuthScopes",
                client.logical_id
            )));
        }
    }
    Ok(())
}

//! Which app client a token or revoke request authenticates as: HTTP Basic or the form's
//! `client_id` and `client_secret`, not both (a public client sends its `client_id` alone).

use super::error::OAuthError;
use super::params::Params;
use crate::issuer::clients::{authenticate, basic_credentials};
use crate::template::AppClient;

/// The authenticated client: HTTP Basic or the form's `client_id`/`client_secret`, not both.
pub(crate) fn authenticated_client<'a>(
    authorization: Option<&str>,
    params: &Params,
    clients: &'a [AppClient],
) -> Result<&'a AppClient, OAuthError> {
    let basic = authorization.map(basic_credentials);
    let form = params.get("client_id").map(|id| {
        (
            id.to_owned(),
            params.get("client_secret").map(str::to_owned),
        )
    });
    let (client_id, secret) = match (basic, form) {
        (Some(Some(creds)), None) => (creds.0, Some(creds.1)),
        (None, Some(creds)) => creds,
        // The same id in both places, as some libraries send a public client's id.
        (Some(Some(basic)), Some((id, None))) if basic.0 == id => (basic.0, Some(basic.1)),
        (Some(Some(_)), Some(_)) => return Err(OAuthError::InvalidRequest),
        (Some(None), _) | (None, None) => return Err(OAuthError::InvalidClient),
    };
    authenticate(clients, &client_id, secret.as_deref()).ok_or(OAuthError::InvalidClient)
}

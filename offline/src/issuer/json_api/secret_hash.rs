//! `SECRET_HASH`, which clients with a secret must send to the sign-in operations:
//! `Base64(HMAC-SHA256(key = client secret, message = user name + client id))`.

use aws_lc_rs::hmac;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::issuer::cognito_error::CognitoError;
use crate::template::AppClient;

/// The secret hash of `username` for `client`.
pub fn secret_hash(client: &AppClient, username: &str) -> String {
    let key = hmac::Key::new(
        hmac::HMAC_SHA256,
        client.credentials.client_secret.as_bytes(),
    );
    let message = [username, &client.credentials.client_id].concat();
    STANDARD.encode(hmac::sign(&key, message.as_bytes()))
}

/// For a client with a secret, `given` must be the secret hash of one of `usernames` (the name
/// signed in with, the user's own name, or its `sub`); clients without a secret need none.
pub(crate) fn check(
    client: &AppClient,
    given: Option<&str>,
    usernames: &[&str],
) -> Result<(), CognitoError> {
    if !client.has_secret {
        return Ok(());
    }
    let given = given.unwrap_or_default().as_bytes();
    let matches = usernames.iter().any(|name| {
        aws_lc_rs::constant_time::verify_slices_are_equal(
            secret_hash(client, name).as_bytes(),
            given,
        )
        .is_ok()
    });
    if matches {
        Ok(())
    } else {
        Err(CognitoError::NotAuthorized(format!(
            "Unable to verify secret hash for client {}",
            client.credentials.client_id
        )))
    }
}

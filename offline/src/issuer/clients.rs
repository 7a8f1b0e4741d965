//! The app clients' authentication: HTTP Basic credentials, and the secret compared in constant
//! time.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::template::AppClient;

/// The client with `client_id` if `secret` is its secret (none for a client without a secret).
pub(crate) fn authenticate<'a>(
    clients: &'a [AppClient],
    client_id: &str,
    secret: Option<&str>,
) -> Option<&'a AppClient> {
    let client = clients
        .iter()
        .find(|c| c.credentials.client_id == client_id)?;
    let given = secret.unwrap_or_default().as_bytes();
    let expected = if client.has_secret {
        client.credentials.client_secret.as_bytes()
    } else {
        b"".as_slice()
    };
    aws_lc_rs::constant_time::verify_slices_are_equal(given, expected)
        .ok()
        .map(|()| client)
}

/// `Basic base64(id:secret)` → `(id, secret)`; `None` for any other scheme or a bad encoding.
pub(crate) fn basic_credentials(header: &str) -> Option<(String, String)> {
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

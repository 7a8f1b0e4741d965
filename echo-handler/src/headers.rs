//! Which request headers (and query parameters) are echoed: everything except what carries a
//! credential.

use aws_lambda_events::http::HeaderMap;
use std::collections::BTreeMap;

/// Headers never echoed, compared case-insensitively, beside every name of a
/// [`CREDENTIAL_FAMILIES`] family. HTTP API's separate `cookies` array is never echoed either.
pub const REDACTED_HEADERS: [&str; 5] = [
    "authorization",
    "cookie",
    "set-cookie",
    "proxy-authorization",
    "x-amz-security-token",
];

/// Parts of a name that mark it as carrying a credential, matched case-insensitively anywhere
/// in the name after `_` is read as `-`: authorization and authentication (`auth`), keys
/// (`x-api-key`, `x-functions-key`, `ocp-apim-subscription-key`), tokens (`x-auth-token`,
/// `x-csrf-token`, `access_token`), secrets, passwords, signatures (`x-hub-signature-256`,
/// `x-amz-signature`), credentials (`x-amz-credential`), session ids, cookies, JWTs, bearer values
/// and CSRF/XSRF values. A false positive only hides a harmless value from the echo.
pub const CREDENTIAL_FAMILIES: [&str; 14] = [
    "auth",
    "key",
    "token",
    "secret",
    "passw",
    "signature",
    "credential",
    "session",
    "sessid",
    "cookie",
    "jwt",
    "bearer",
    "csrf",
    "xsrf",
];

/// True when a header or query parameter called `name` may carry a credential: one of
/// [`REDACTED_HEADERS`], or a name in a [`CREDENTIAL_FAMILIES`] family (case-insensitive).
#[must_use]
pub fn is_redacted(name: &str) -> bool {
    let name = name.to_ascii_lowercase().replace('_', "-");
    REDACTED_HEADERS.contains(&name.as_str())
        || CREDENTIAL_FAMILIES
            .iter()
            .any(|family| name.contains(family))
}

/// The headers to echo: lower-case names (as API Gateway's header map keys them), values decoded
/// lossily as UTF-8, repeated headers joined with `", "`, credential headers left out.
#[must_use]
pub fn echoed(headers: &HeaderMap) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        let name = name.as_str();
        if is_redacted(name) {
            continue;
        }
        let value = String::from_utf8_lossy(value.as_bytes());
        out.entry(name.to_owned())
            .and_modify(|existing| {
                existing.push_str(", ");
                existing.push_str(&value);
            })
            .or_insert_with(|| value.into_owned());
    }
    out
}

/// The query parameters to echo: those whose name [`is_redacted`] left out (an `access_token`
/// or `api_key` in a URL is still a credential).
#[must_use]
pub fn echoed_query(query: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    query
        .iter()
        .filter(|(name, _)| !is_redacted(name))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lambda_events::http::{HeaderName, HeaderValue};

    fn map(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn redaction_is_case_insensitive() {
        for name in [
            "Authorization",
            "AUTHORIZATION",
            "cookie",
            "Set-Cookie",
            "Proxy-Authorization",
            "X-Amz-Security-Token",
        ] {
            assert!(is_redacted(name), "{name}");
        }
        for name in [
            "accept",
            "host",
            "content-type",
            "x-request-id",
            "user-agent",
        ] {
            assert!(!is_redacted(name), "{name}");
        }
    }

    #[test]
    fn every_credential_family_is_redacted() {
        for (family, names) in [
            (
                "auth",
                &["x-auth-user", "X-Authorization-Hint", "www-authenticate"][..],
            ),
            (
                "key",
                &[
                    "X-Api-Key",
                    "x-functions-key",
                    "Ocp-Apim-Subscription-Key",
                    "api_key",
                ],
            ),
            (
                "token",
                &[
                    "X-Auth-Token",
                    "x-amz-security-token",
                    "access_token",
                    "X-Id-Token",
                ],
            ),
            ("secret", &["X-Client-Secret", "client_secret"]),
            ("passw", &["X-Password", "passwd", "x-db-password"]),
            (
                "signature",
                &["X-Hub-Signature-256", "x-amz-signature", "Signature"],
            ),
            ("credential", &["X-Amz-Credential", "credentials"]),
            ("session", &["X-Session-Id", "session"]),
            ("sessid", &["PHPSESSID", "jsessid"]),
            ("cookie", &["Cookie", "Set-Cookie", "cookies-policy"]),
            ("jwt", &["X-JWT-Assertion", "jwt"]),
            ("bearer", &["X-Bearer"]),
            ("csrf", &["X-CSRF", "csrfmiddlewaretoken"]),
            ("xsrf", &["X-XSRF"]),
        ] {
            for name in names {
                assert!(is_redacted(name), "{family}: {name}");
                assert!(
                    name.to_ascii_lowercase().replace('_', "-").contains(family)
                        || REDACTED_HEADERS.contains(&name.to_ascii_lowercase().as_str()),
                    "{name} is not of the family {family}"
                );
            }
        }
    }

    #[test]
    fn credential_headers_are_dropped_and_others_kept() {
        let h = map(&[
            ("Authorization", "Bearer eyJhbGciOi.secret.sig"),
            ("Cookie", "session=abc"),
            ("Set-Cookie", "a=b"),
            ("Proxy-Authorization", "Basic Zm9vOmJhcg=="),
            ("X-Amz-Security-Token", "IQoJb3JpZ2luX2VjE"),
            ("X-Api-Key", "k3y-v4lue"),
            ("X-Auth-Token", "t0ken-v4lue"),
            ("Accept", "application/json"),
            ("X-Forwarded-For", "203.0.113.9"),
        ]);
        let echoed = echoed(&h);
        assert_eq!(
            echoed.keys().map(String::as_str).collect::<Vec<_>>(),
            ["accept", "x-forwarded-for"]
        );
        let all = serde_json::to_string(&echoed).unwrap();
        for secret in [
            "eyJhbGciOi",
            "session=abc",
            "Zm9vOmJhcg",
            "IQoJb3JpZ2lu",
            "k3y-v4lue",
            "t0ken-v4lue",
        ] {
            assert!(!all.contains(secret), "{secret} leaked: {all}");
        }
    }

    #[test]
    fn credential_query_parameters_are_dropped() {
        let query: BTreeMap<String, String> = [
            ("access_token", "eyJsecret"),
            ("api_key", "k3y"),
            ("page", "2"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let echoed = echoed_query(&query);
        assert_eq!(echoed.keys().collect::<Vec<_>>(), ["page"]);
    }

    #[test]
    fn repeated_headers_are_joined() {
        let h = map(&[("x-tag", "a"), ("X-Tag", "b")]);
        assert_eq!(echoed(&h).get("x-tag").map(String::as_str), Some("a, b"));
    }
}

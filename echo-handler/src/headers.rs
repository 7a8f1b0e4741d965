//! Which request headers are echoed: everything except those that carry credentials.

use aws_lambda_events::http::HeaderMap;
use std::collections::BTreeMap;

/// Headers never echoed, compared case-insensitively: they carry the bearer token, session
/// cookies or AWS credentials. HTTP API's separate `cookies` array is never echoed either.
pub const REDACTED_HEADERS: [&str; 5] = [
    "authorization",
    "cookie",
    "set-cookie",
    "proxy-authorization",
    "x-amz-security-token",
];

/// True when `name` is one of [`REDACTED_HEADERS`] (case-insensitive).
#[must_use]
pub fn is_redacted(name: &str) -> bool {
    REDACTED_HEADERS
        .iter()
        .any(|redacted| redacted.eq_ignore_ascii_case(name))
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
        for name in ["accept", "x-authorization-hint", "cookies-policy", "host"] {
            assert!(!is_redacted(name), "{name}");
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
            ("Accept", "application/json"),
            ("X-Forwarded-For", "203.0.113.9"),
        ]);
        let echoed = echoed(&h);
        assert_eq!(
            echoed.keys().map(String::as_str).collect::<Vec<_>>(),
            ["accept", "x-forwarded-for"]
        );
        let all = serde_json::to_string(&echoed).unwrap();
        for secret in ["eyJhbGciOi", "session=abc", "Zm9vOmJhcg", "IQoJb3JpZ2lu"] {
            assert!(!all.contains(secret), "{secret} leaked: {all}");
        }
    }

    #[test]
    fn repeated_headers_are_joined() {
        let h = map(&[("x-tag", "a"), ("X-Tag", "b")]);
        assert_eq!(echoed(&h).get("x-tag").map(String::as_str), Some("a, b"));
    }
}

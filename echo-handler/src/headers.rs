//! Which request headers and query parameters are echoed, and which are withheld.
//!
//! - Headers: an **allow-list**. Only the standard headers of [`ECHOED_HEADERS`] (content
//!   negotiation, caching, CORS, the ones API Gateway and CloudFront add) are echoed with their
//!   values. Any other header, the credentials (`Authorization`, `Cookie`, ...) and the headers an
//!   application invents alike, is named under `withheld`, never with its value: a credential
//!   under a name nobody listed (`X-Pwd`, `X-Tenant-Pin`) cannot leak, and a caller still sees
//!   that the header arrived.
//! - Query parameters: every one except those whose name is of a credential family
//!   ([`is_credential_name`]), also named under `withheld`. Query names are the application's own
//!   vocabulary (`page`, `tag`), so no allow-list could be meaningful; a credential in a URL is
//!   written to access logs and browser history anyway (RFC 6750 §2.3, RFC 9700 §2.4.2), and
//!   the families keep the echo from repeating it once more.

use aws_lambda_events::http::HeaderMap;
use std::collections::BTreeMap;

/// The headers whose values are echoed (lower case; compared case-insensitively). `Referer` is not
/// among them: it carries the page's query string, which may hold an authorization code.
pub const ECHOED_HEADERS: [&str; 52] = [
    "accept",
    "accept-charset",
    "accept-encoding",
    "accept-language",
    "access-control-request-headers",
    "access-control-request-method",
    "cache-control",
    "cloudfront-forwarded-proto",
    "cloudfront-is-desktop-viewer",
    "cloudfront-is-mobile-viewer",
    "cloudfront-is-smarttv-viewer",
    "cloudfront-is-tablet-viewer",
    "cloudfront-viewer-asn",
    "cloudfront-viewer-country",
    "content-encoding",
    "content-language",
    "content-length",
    "content-type",
    "dnt",
    "forwarded",
    "host",
    "if-match",
    "if-modified-since",
    "if-none-match",
    "if-range",
    "if-unmodified-since",
    "max-forwards",
    "origin",
    "pragma",
    "range",
    "sec-ch-ua",
    "sec-ch-ua-mobile",
    "sec-ch-ua-platform",
    "sec-fetch-dest",
    "sec-fetch-mode",
    "sec-fetch-site",
    "sec-fetch-user",
    "te",
    "traceparent",
    "tracestate",
    "upgrade-insecure-requests",
    "user-agent",
    "via",
    "x-amz-cf-id",
    "x-amzn-trace-id",
    "x-correlation-id",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-port",
    "x-forwarded-proto",
    "x-request-id",
    "x-requested-with",
];

/// Parts of a query parameter's name that mark it as a credential wherever they appear in it
/// (case-insensitive, `_` read as `-`): authorization (`auth`), keys, tokens, secrets, passwords
/// and passphrases (`passw`, `passphrase`, `passcode`, `pwd`), signatures, credentials,
/// assertions (`client_assertion`), session ids, cookies, JWTs, bearer values, CSRF/XSRF values
/// and PKCE verifiers. A false positive only withholds a harmless value.
pub const CREDENTIAL_FAMILIES: [&str; 19] = [
    "auth",
    "key",
    "token",
    "secret",
    "passw",
    "passphrase",
    "passcode",
    "pwd",
    "signature",
    "credential",
    "assertion",
    "session",
    "sessid",
    "cookie",
    "jwt",
    "bearer",
    "csrf",
    "xsrf",
    "verifier",
];

/// Short credential names, matched as a whole word of the name (words split at anything but a
/// letter or digit, and where a lower-case letter meets an upper-case one), alone or followed by
/// digits: `pass`, `X-Sig`, `sig256`, `otp`, `totp`, `auth_code`, `pin`, `sid`, `mfa`. As parts of
/// longer words they mean other things (`compass`, `design`, `spinner`, `footprint`).
pub const CREDENTIAL_WORDS: [&str; 9] = [
    "pass", "sig", "code", "pin", "sid", "mfa", "otp", "totp", "hotp",
];

/// What is echoed of a map of headers or query parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Echoed {
    /// Name to value, of those echoed.
    pub values: BTreeMap<String, String>,
    /// The names of the others, sorted, each once; never their values.
    pub withheld: Vec<String>,
}

impl Echoed {
    fn withhold(&mut self, name: &str) {
        if let Err(at) = self.withheld.binary_search_by(|n| n.as_str().cmp(name)) {
            self.withheld.insert(at, name.to_owned());
        }
    }
}

/// True when the value of a header called `name` is echoed: it is one of [`ECHOED_HEADERS`].
#[must_use]
pub fn is_echoed_header(name: &str) -> bool {
    ECHOED_HEADERS
        .iter()
        .any(|allowed| allowed.eq_ignore_ascii_case(name))
}

/// True when a query parameter called `name` may carry a credential: a name in a
/// [`CREDENTIAL_FAMILIES`] family, or with a [`CREDENTIAL_WORDS`] word.
#[must_use]
pub fn is_credential_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase().replace('_', "-");
    CREDENTIAL_FAMILIES
        .iter()
        .any(|family| lower.contains(family))
        || words(name).iter().any(|word| {
            CREDENTIAL_WORDS.iter().any(|short| {
                word.strip_prefix(short)
                    .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit()))
            })
        })
}

/// The words of a name, lower case: split at anything but an ASCII letter or digit, and before
/// an upper-case letter that follows a lower-case one (`clientSig` is `client`, `sig`).
fn words(name: &str) -> Vec<String> {
    let mut spaced = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            spaced.push(' ');
        } else {
            if c.is_ascii_uppercase() && previous_lower {
                spaced.push(' ');
            }
            spaced.push(c.to_ascii_lowercase());
        }
        previous_lower = c.is_ascii_lowercase();
    }
    spaced
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The headers to echo: lower-case names (as API Gateway's header map keys them), values decoded
/// lossily as UTF-8, repeated headers joined with `", "`; only [`ECHOED_HEADERS`], the others
/// withheld by name.
#[must_use]
pub fn echoed(headers: &HeaderMap) -> Echoed {
    let mut out = Echoed::default();
    for (name, value) in headers {
        let name = name.as_str();
        if !is_echoed_header(name) {
            out.withhold(name);
            continue;
        }
        let value = String::from_utf8_lossy(value.as_bytes());
        out.values
            .entry(name.to_owned())
            .and_modify(|existing| {
                existing.push_str(", ");
                existing.push_str(&value);
            })
            .or_insert_with(|| value.into_owned());
    }
    out
}

/// The query parameters to echo: all but those [`is_credential_name`] withholds (an
/// `access_token`, `client_assertion` or `sig` in a URL is still a credential).
#[must_use]
pub fn echoed_query(query: &BTreeMap<String, String>) -> Echoed {
    let mut out = Echoed::default();
    for (name, value) in query {
        if is_credential_name(name) {
            out.withhold(name);
        } else {
            out.values.insert(name.clone(), value.clone());
        }
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
    fn only_allowed_headers_are_echoed_in_any_case() {
        for name in [
            "Accept",
            "HOST",
            "content-type",
            "X-Forwarded-For",
            "Origin",
        ] {
            assert!(is_echoed_header(name), "{name}");
        }
        for name in [
            "Authorization",
            "Cookie",
            "Proxy-Authorization",
            "X-Amz-Security-Token",
            "X-Api-Key",
            "X-Pwd",
            "X-Pass",
            "X-Passphrase",
            "X-Client-Assertion",
            "X-OTP",
            "X-Sig",
            "Referer",
            "X-Tenant-Id",
        ] {
            assert!(!is_echoed_header(name), "{name}");
        }
        assert!(
            ECHOED_HEADERS.iter().all(|h| !is_credential_name(h)),
            "no credential on the allow-list"
        );
        let mut sorted = ECHOED_HEADERS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, ECHOED_HEADERS, "sorted, each once, lower case");
    }

    #[test]
    fn every_credential_family_and_word_is_withheld_from_the_query() {
        for (family, names) in [
            ("auth", &["auth", "X-Authorization-Hint", "oauth_state"][..]),
            ("key", &["api_key", "apiKey", "x-functions-key"]),
            ("token", &["access_token", "id_token", "X-Auth-Token"]),
            ("secret", &["client_secret"]),
            ("passw", &["password", "passwd", "db_password"]),
            ("passphrase", &["passphrase", "userPassphrase"]),
            ("passcode", &["passcode"]),
            ("pwd", &["pwd", "userPwd", "x-pwd"]),
            ("signature", &["X-Amz-Signature", "signature"]),
            ("credential", &["X-Amz-Credential", "credentials"]),
            ("assertion", &["client_assertion", "SAMLAssertion"]),
            ("session", &["session", "X-Session-Id"]),
            ("sessid", &["PHPSESSID", "jsessid"]),
            ("cookie", &["cookie"]),
            ("jwt", &["jwt", "X-JWT-Assertion"]),
            ("bearer", &["bearer"]),
            ("csrf", &["csrfmiddlewaretoken", "_csrf"]),
            ("xsrf", &["XSRF-TOKEN"]),
            ("verifier", &["code_verifier"]),
            ("otp", &["otp", "X-OTP", "totp", "otp_code", "hotp"]),
            ("pass", &["pass", "X-Pass", "pass2"]),
            ("sig", &["sig", "X-Sig", "sig256", "urlSig"]),
            ("code", &["code", "auth_code", "mfaCode"]),
            ("pin", &["pin", "X-Tenant-Pin"]),
            ("sid", &["sid", "SID"]),
            ("mfa", &["mfa"]),
        ] {
            for name in names {
                assert!(is_credential_name(name), "{family}: {name}");
            }
        }
        for name in [
            "page",
            "tag",
            "lang",
            "greeting",
            "compass",
            "design",
            "spinner",
            "limit",
            "sort",
            "q",
            "id",
            "passenger",
            "signal",
            "footprint",
        ] {
            assert!(!is_credential_name(name), "{name}");
        }
    }

    #[test]
    fn credential_headers_are_withheld_by_name_and_others_kept() {
        let h = map(&[
            ("Authorization", "Bearer eyJhbGciOi.secret.sig"),
            ("Cookie", "session=abc"),
            ("Set-Cookie", "a=b"),
            ("Proxy-Authorization", "Basic Zm9vOmJhcg=="),
            ("X-Amz-Security-Token", "IQoJb3JpZ2luX2VjE"),
            ("X-Api-Key", "k3y-v4lue"),
            ("X-Auth-Token", "t0ken-v4lue"),
            ("X-Pwd", "pwd-v4lue"),
            ("X-Tenant-Pin", "p1n-v4lue"),
            ("Accept", "application/json"),
            ("X-Forwarded-For", "203.0.113.9"),
        ]);
        let echoed = echoed(&h);
        assert_eq!(
            echoed.values.keys().map(String::as_str).collect::<Vec<_>>(),
            ["accept", "x-forwarded-for"]
        );
        assert_eq!(
            echoed.withheld,
            [
                "authorization",
                "cookie",
                "proxy-authorization",
                "set-cookie",
                "x-amz-security-token",
                "x-api-key",
                "x-auth-token",
                "x-pwd",
                "x-tenant-pin"
            ]
        );
        let all = format!("{echoed:?}");
        for secret in [
            "eyJhbGciOi",
            "session=abc",
            "Zm9vOmJhcg",
            "IQoJb3JpZ2lu",
            "k3y-v4lue",
            "t0ken-v4lue",
            "pwd-v4lue",
            "p1n-v4lue",
        ] {
            assert!(!all.contains(secret), "{secret} leaked: {all}");
        }
    }

    #[test]
    fn credential_query_parameters_are_withheld_by_name() {
        let query: BTreeMap<String, String> = [
            ("access_token", "eyJsecret"),
            ("api_key", "k3y"),
            ("code", "c0de"),
            ("page", "2"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let echoed = echoed_query(&query);
        assert_eq!(echoed.values.keys().collect::<Vec<_>>(), ["page"]);
        assert_eq!(echoed.withheld, ["access_token", "api_key", "code"]);
    }

    #[test]
    fn repeated_headers_are_joined_and_withheld_once() {
        let h = map(&[
            ("x-forwarded-for", "a"),
            ("X-Forwarded-For", "b"),
            ("x-tag", "1"),
            ("X-Tag", "2"),
        ]);
        let echoed = echoed(&h);
        assert_eq!(
            echoed.values.get("x-forwarded-for").map(String::as_str),
            Some("a, b")
        );
        assert_eq!(echoed.withheld, ["x-tag"]);
    }
}

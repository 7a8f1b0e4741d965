//! CORS headers on the echo's answers, for the one browser origin named by `CORS_ALLOW_ORIGIN`.
//!
//! With a proxy integration API Gateway passes the function's headers through untouched, so a
//! browser app can read the echo's answers only if the function itself sends
//! `Access-Control-Allow-Origin`. The preflight (`OPTIONS`) and API Gateway's own error answers
//! are CORS-enabled by the template, not here.
//!
//! `Access-Control-Allow-Origin` is sent only to the configured origin, or to a caller that sends
//! no `Origin` (curl, SDKs, servers: not a browser's cross-origin request). A request from any
//! other origin gets no CORS header, so nothing this function sends names an origin to a page of
//! another one; `Vary: Origin` is sent on every answer either way, since the headers depend on it.

use aws_lambda_events::http::{HeaderMap, HeaderValue, header};

/// Longest origin accepted (a DNS name is at most 253 characters, plus scheme and port).
pub const MAX_ORIGIN_LEN: usize = 300;

/// A value that is not one origin. Names no setting: the configuration adds that.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "must be one origin such as https://app.example.com \
     (http or https, host, optional port; no path, no list, not \"*\" or \"null\"), got {0:?}"
)]
pub struct NotAnOrigin(pub String);

/// The CORS headers added to every answer: none when disabled; else `Vary: Origin`, and
/// `Access-Control-Allow-Origin: <origin>` unless the request came from another origin.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cors {
    allow_origin: Option<HeaderValue>,
}

impl Cors {
    /// No CORS headers (the default, and the behaviour of [`crate::handle`]).
    #[must_use]
    pub fn disabled() -> Self {
        Self::default()
    }

    /// CORS for exactly `origin` (`http://` or `https://`, a host, an optional `:port`).
    ///
    /// # Errors
    /// [`NotAnOrigin`] for `*`, `null`, a path, a list, whitespace, another scheme, or a value
    /// longer than [`MAX_ORIGIN_LEN`].
    pub fn for_origin(origin: &str) -> Result<Self, NotAnOrigin> {
        let refuse = || NotAnOrigin(origin.chars().take(MAX_ORIGIN_LEN).collect());
        if origin.len() > MAX_ORIGIN_LEN {
            return Err(refuse());
        }
        let authority = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .ok_or_else(refuse)?;
        let allowed =
            |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
        if authority.is_empty() || !authority.chars().all(allowed) {
            return Err(refuse());
        }
        let value = HeaderValue::from_str(origin).map_err(|_| refuse())?;
        Ok(Self {
            allow_origin: Some(value),
        })
    }

    /// The allowed origin, when CORS is on.
    #[must_use]
    pub fn allow_origin(&self) -> Option<&str> {
        self.allow_origin.as_ref().and_then(|v| v.to_str().ok())
    }

    /// Adds the CORS headers for a request whose `Origin` header is `request_origin` to
    /// `headers`: nothing when disabled; else `Vary: Origin`, and `Access-Control-Allow-Origin`
    /// when `request_origin` is absent or exactly the configured origin (browsers send it
    /// serialised, and compare the answer's value byte for byte).
    pub fn apply(&self, request_origin: Option<&[u8]>, headers: &mut HeaderMap) {
        let Some(origin) = &self.allow_origin else {
            return;
        };
        if request_origin.is_none_or(|sent| sent == origin.as_bytes()) {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        }
        // Whether the answer names the origin depends on the request's: caches must not serve
        // one origin's answer to another's page.
        headers.append(header::VARY, HeaderValue::from_static("Origin"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_accepted() {
        for origin in [
            "https://app.example.com",
            "http://localhost:3000",
            "https://a.b-c.example.org:8443",
            "http://127.0.0.1:5173",
            "http://[::1]:8080",
        ] {
            let cors = Cors::for_origin(origin).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(cors.allow_origin(), Some(origin));
        }
    }

    #[test]
    fn what_is_not_one_origin_is_refused() {
        let long = format!("https://{}.com", "a".repeat(MAX_ORIGIN_LEN));
        for bad in [
            "*",
            "null",
            "https://*.example.com",
            "app.example.com",
            "ftp://example.com",
            "https://",
            "https://app.example.com/",
            "https://app.example.com/path",
            "https://a.example.com,https://b.example.com",
            "https://a.example.com https://b.example.com",
            "https://app.example.com\r\nSet-Cookie: x=1",
            "https://app.example.com?x",
            "https://user@app.example.com",
            "https://exämple.com",
            long.as_str(),
        ] {
            let err = Cors::for_origin(bad).expect_err(bad);
            assert!(err.0.len() <= MAX_ORIGIN_LEN, "{bad}");
        }
    }

    #[test]
    fn apply_adds_origin_and_vary_for_the_origin_or_no_origin() {
        let cors = Cors::for_origin("https://app.example.com").unwrap();
        for sent in [None, Some(&b"https://app.example.com"[..])] {
            let mut headers = HeaderMap::new();
            headers.insert(header::VARY, HeaderValue::from_static("Accept"));
            cors.apply(sent, &mut headers);
            assert_eq!(
                headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
                "https://app.example.com",
                "{sent:?}"
            );
            let vary: Vec<_> = headers.get_all(header::VARY).iter().collect();
            assert_eq!(vary, ["Accept", "Origin"]);
        }
    }

    #[test]
    fn another_origin_gets_only_vary() {
        let cors = Cors::for_origin("https://app.example.com").unwrap();
        for sent in [
            &b"https://evil.example.net"[..],
            b"http://app.example.com",
            b"https://app.example.com:443",
            b"https://APP.example.com",
            b"https://app.example.com/",
            b"https://app.example.com.evil.example",
            b"null",
            b"",
            b"\xff\xfe",
        ] {
            let mut headers = HeaderMap::new();
            cors.apply(Some(sent), &mut headers);
            assert!(
                headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none(),
                "{sent:?}"
            );
            assert_eq!(headers[header::VARY], "Origin", "{sent:?}");
            assert_eq!(headers.len(), 1);
        }
    }

    #[test]
    fn disabled_adds_nothing() {
        for sent in [None, Some(&b"https://app.example.com"[..])] {
            let mut headers = HeaderMap::new();
            Cors::disabled().apply(sent, &mut headers);
            assert!(headers.is_empty());
        }
        assert_eq!(Cors::disabled().allow_origin(), None);
    }
}

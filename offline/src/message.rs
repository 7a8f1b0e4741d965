//! A request and its answer as the services (gateway, issuer) see them, independent of the HTTP
//! library, with what the server's log line needs.

/// An HTTP request as the server received it; `path` includes the stage when the caller sent it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub source_ip: String,
    /// `Host` as the caller sent it, for `requestContext.domainName`.
    pub host: String,
}

impl Request {
    /// The first value of header `name` (any case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How the authorizer took part in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthorizerUse {
    /// The route has no authorizer, or the request never reached it.
    None,
    Invoked,
    Cached,
}

impl AuthorizerUse {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::None => "-",
            Self::Invoked => "invoked",
            Self::Cached => "cached",
        }
    }
}

/// The HTTP answer, with what the log line needs.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The reason code (`ok`, `expired`, `scope_missing`, `missing_token`, ...).
    pub(crate) reason: String,
    pub(crate) authorizer: AuthorizerUse,
}

impl Response {
    /// A JSON answer (`application/json;charset=UTF-8`, as Cognito sends it).
    pub(crate) fn json(status: u16, body: &serde_json::Value, reason: &str) -> Self {
        Self {
            status,
            headers: vec![(
                "content-type".to_owned(),
                "application/json;charset=UTF-8".to_owned(),
            )],
            body: body.to_string().into_bytes(),
            reason: reason.to_owned(),
            authorizer: AuthorizerUse::None,
        }
    }
}

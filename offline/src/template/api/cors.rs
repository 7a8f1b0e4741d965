//! CORS as each kind of API answers it. REST (SAM's `Cors`): a mock `OPTIONS` method with static
//! headers, sent whatever the request's `Origin` (the browser compares). HTTP API
//! (`CorsConfiguration`): API Gateway answers the preflight itself and adds the headers to every
//! answer, naming the request's origin only when it is allowed.

/// Methods SAM lists in `Access-Control-Allow-Methods` for a path with an `ANY` method.
pub(crate) const ALL_METHODS: &[&str] =
    &["OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"];

/// A REST API's preflight headers, as the template configures them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cors {
    /// `AllowOrigin` (required), sent as `Access-Control-Allow-Origin`.
    pub(crate) allow_origin: String,
    /// `AllowHeaders`, sent as `Access-Control-Allow-Headers` (absent: not sent).
    pub(crate) allow_headers: Option<String>,
    /// `AllowMethods`; absent: the path's methods and `OPTIONS`, as SAM computes them.
    pub(crate) allow_methods: Option<String>,
    /// `MaxAge`, sent as `Access-Control-Max-Age` (absent: not sent).
    pub(crate) max_age: Option<String>,
    /// `AllowCredentials: true` sends `Access-Control-Allow-Credentials: true`.
    pub(crate) allow_credentials: bool,
}

impl Cors {
    /// The preflight answer's headers for a path whose routes have `methods` (`ANY` included).
    pub(crate) fn preflight_headers(&self, methods: &[&str]) -> Vec<(String, String)> {
        let mut headers = vec![(
            "Access-Control-Allow-Origin".to_owned(),
            self.allow_origin.clone(),
        )];
        let mut add = |name: &str, value: Option<String>| {
            headers.extend(value.map(|v| (name.to_owned(), v)));
        };
        add("Access-Control-Allow-Headers", self.allow_headers.clone());
        let methods = self
            .allow_methods
            .clone()
            .unwrap_or_else(|| path_methods(methods));
        add("Access-Control-Allow-Methods", Some(methods));
        add("Access-Control-Max-Age", self.max_age.clone());
        add(
            "Access-Control-Allow-Credentials",
            self.allow_credentials.then(|| "true".to_owned()),
        );
        headers
    }
}

/// SAM's default `AllowMethods`: the path's methods and `OPTIONS` (every method for `ANY`),
/// upper case, sorted, comma-separated.
fn path_methods(methods: &[&str]) -> String {
    let mut all: Vec<String> = if methods.iter().any(|m| m.eq_ignore_ascii_case("ANY")) {
        ALL_METHODS.iter().map(|m| (*m).to_owned()).collect()
    } else {
        methods
            .iter()
            .map(|m| m.to_ascii_uppercase())
            .chain(["OPTIONS".to_owned()])
            .collect()
    };
    all.sort();
    all.dedup();
    all.join(",")
}

/// An HTTP API's `CorsConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct HttpCors {
    /// `AllowOrigins`: origins (compared without regard to case), `*` (any), or `https://*` /
    /// `http://*` (any origin of that scheme).
    pub(crate) allow_origins: Vec<String>,
    /// `AllowMethods`, sent on the preflight answer (absent: not sent).
    pub(crate) allow_methods: Vec<String>,
    /// `AllowHeaders`, sent on the preflight answer (absent: not sent).
    pub(crate) allow_headers: Vec<String>,
    /// `ExposeHeaders`, sent on the other answers (absent: not sent).
    pub(crate) expose_headers: Vec<String>,
    /// `MaxAge` in seconds, sent on the preflight answer (absent: not sent).
    pub(crate) max_age: Option<u64>,
    /// `AllowCredentials` (default false); refused beside an `AllowOrigins` of `*`, as SAM does.
    pub(crate) allow_credentials: bool,
}

impl HttpCors {
    /// The `Access-Control-Allow-Origin` for a request from `origin`: `*` when any origin is
    /// allowed, the origin itself when it is allowed, else none (and no CORS header at all).
    pub(crate) fn allowed_origin(&self, origin: &str) -> Option<String> {
        if self.allow_origins.iter().any(|o| o == "*") {
            return Some("*".to_owned());
        }
        let lower = origin.to_ascii_lowercase();
        self.allow_origins
            .iter()
            .any(|allowed| match allowed.strip_suffix('*') {
                Some(scheme) => lower.starts_with(&scheme.to_ascii_lowercase()),
                None => allowed.eq_ignore_ascii_case(origin),
            })
            .then(|| origin.to_owned())
    }

    /// The headers of the answer to a preflight from the allowed origin `allow_origin`.
    pub(crate) fn preflight_headers(&self, allow_origin: String) -> Vec<(String, String)> {
        let mut headers = self.common_headers(allow_origin);
        let mut add = |name: &str, values: &[String]| {
            if !values.is_empty() {
                headers.push((name.to_owned(), values.join(",")));
            }
        };
        add("Access-Control-Allow-Methods", &self.allow_methods);
        add("Access-Control-Allow-Headers", &self.allow_headers);
        if let Some(age) = self.max_age {
            headers.push(("Access-Control-Max-Age".to_owned(), age.to_string()));
        }
        headers
    }

    /// The headers added to any other answer for the allowed origin `allow_origin`.
    pub(crate) fn response_headers(&self, allow_origin: String) -> Vec<(String, String)> {
        let mut headers = self.common_headers(allow_origin);
        if !self.expose_headers.is_empty() {
            headers.push((
                "Access-Control-Expose-Headers".to_owned(),
                self.expose_headers.join(","),
            ));
        }
        headers
    }

    fn common_headers(&self, allow_origin: String) -> Vec<(String, String)> {
        let mut headers = vec![("Access-Control-Allow-Origin".to_owned(), allow_origin)];
        if self.allow_credentials {
            headers.push((
                "Access-Control-Allow-Credentials".to_owned(),
                "true".to_owned(),
            ));
        }
        headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(origins: &[&str]) -> HttpCors {
        HttpCors {
            allow_origins: origins.iter().map(|o| (*o).to_owned()).collect(),
            ..HttpCors::default()
        }
    }

    #[test]
    fn http_apis_name_only_an_allowed_origin() {
        let one = http(&["http://localhost:3000"]);
        assert_eq!(
            one.allowed_origin("http://localhost:3000").as_deref(),
            Some("http://localhost:3000")
        );
        assert_eq!(
            one.allowed_origin("HTTP://LOCALHOST:3000").as_deref(),
            Some("HTTP://LOCALHOST:3000")
        );
        assert_eq!(one.allowed_origin("http://evil.example"), None);
        assert_eq!(one.allowed_origin("http://localhost:30000"), None);
        assert_eq!(
            http(&["*"]).allowed_origin("http://x.example").as_deref(),
            Some("*")
        );
        let https = http(&["https://*"]);
        assert!(https.allowed_origin("https://app.example.com").is_some());
        assert!(https.allowed_origin("http://app.example.com").is_none());
    }

    #[test]
    fn http_api_headers_split_between_preflight_and_answers() {
        let cors = HttpCors {
            allow_origins: vec!["http://localhost:3000".into()],
            allow_methods: vec!["GET".into(), "POST".into()],
            allow_headers: vec!["authorization".into()],
            expose_headers: vec!["www-authenticate".into()],
            max_age: Some(600),
            allow_credentials: true,
        };
        let names = |headers: Vec<(String, String)>| -> Vec<String> {
            headers
                .into_iter()
                .map(|(n, v)| format!("{n}: {v}"))
                .collect()
        };
        assert_eq!(
            names(cors.preflight_headers("http://localhost:3000".into())),
            [
                "Access-Control-Allow-Origin: http://localhost:3000",
                "Access-Control-Allow-Credentials: true",
                "Access-Control-Allow-Methods: GET,POST",
                "Access-Control-Allow-Headers: authorization",
                "Access-Control-Max-Age: 600",
            ]
        );
        assert_eq!(
            names(cors.response_headers("http://localhost:3000".into())),
            [
                "Access-Control-Allow-Origin: http://localhost:3000",
                "Access-Control-Allow-Credentials: true",
                "Access-Control-Expose-Headers: www-authenticate",
            ]
        );
    }
}

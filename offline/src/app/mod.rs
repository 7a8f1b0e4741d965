//! The browser app (`app/` of the repository) on an origin of its own, as a deployed app is
//! served apart from the API: its files, embedded in the binary (`files`), and a `config.json`
//! the stack writes (`config`) naming the local hosted UI, token endpoint, people client and
//! API. `GET` and `HEAD` only; no cookie, no state.

pub(crate) mod config;
pub(crate) mod files;

pub use self::config::{AppConfig, Mismatch};

use crate::message::{AuthorizerUse, Response};

/// The app's files and its `config.json`.
#[derive(Debug, Clone)]
pub(crate) struct App {
    config: AppConfig,
    /// `config.json`'s bytes.
    config_json: Vec<u8>,
    /// `Content-Security-Policy` of every answer.
    policy: String,
}

impl App {
    pub(crate) fn new(config: AppConfig) -> Self {
        let config_json = config.to_json().into_bytes();
        let policy = content_security_policy(&config);
        Self {
            config,
            config_json,
            policy,
        }
    }

    pub(crate) fn config(&self) -> &AppConfig {
        &self.config
    }

    /// The answer to `method path` (the query is not read: the page's own script reads it).
    pub(crate) fn answer(&self, method: &str, path: &str) -> Response {
        if !matches!(method, "GET" | "HEAD") {
            let mut answer = self.text(405, "Method Not Allowed", "method_not_allowed");
            answer
                .headers
                .push(("allow".to_owned(), "GET, HEAD".to_owned()));
            return answer;
        }
        let (content_type, body) = if path == "/config.json" {
            (files::JSON, self.config_json.clone())
        } else if let Some(file) = files::find(path) {
            (file.content_type, file.body.to_vec())
        } else {
            return self.text(404, "Not Found", "no_file");
        };
        let body = if method == "HEAD" { Vec::new() } else { body };
        self.respond(200, content_type, body, "ok")
    }

    fn text(&self, status: u16, text: &str, reason: &str) -> Response {
        self.respond(status, files::TEXT, text.as_bytes().to_vec(), reason)
    }

    fn respond(&self, status: u16, content_type: &str, body: Vec<u8>, reason: &str) -> Response {
        let headers = [
            ("content-type", content_type),
            // config.json changes with the ports; the files with the binary.
            ("cache-control", "no-store"),
            ("x-content-type-options", "nosniff"),
            // The page is loaded with `?code=...&state=...`: no Referer may carry them away.
            ("referrer-policy", "no-referrer"),
            ("content-security-policy", self.policy.as_str()),
        ];
        Response {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body,
            reason: reason.to_owned(),
            authorizer: AuthorizerUse::None,
        }
    }
}

/// Scripts and styles from the app's origin only, `fetch` to it and to the token endpoint's and
/// the API's origins, no frames, forms, plugins or `<base>`.
fn content_security_policy(config: &AppConfig) -> String {
    let mut connect = vec!["'self'".to_owned()];
    for url in [&config.token_url, &config.api_url] {
        if let Some(origin) = config::origin_of(url)
            && !connect.contains(&origin)
        {
            connect.push(origin);
        }
    }
    format!(
        "default-src 'self'; connect-src {}; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        connect.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> App {
        App::new(AppConfig {
            authorize_url: "http://localhost:3000/oauth2/authorize".into(),
            token_url: "http://localhost:3000/oauth2/token".into(),
            logout_url: "http://localhost:3000/logout".into(),
            client_id: "people".into(),
            redirect_uri: "http://localhost:3001/".into(),
            logout_uri: "http://localhost:3001/".into(),
            scopes: "openid".into(),
            api_url: "http://localhost:3000/Prod".into(),
        })
    }

    fn header<'a>(answer: &'a Response, name: &str) -> Option<&'a str> {
        answer
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn files_and_config_are_served_with_their_types() {
        let app = app();
        for (path, content_type, needle) in [
            ("/", "text/html; charset=utf-8", "<script type=\"module\""),
            ("/index.html", "text/html; charset=utf-8", "id=\"signin\""),
            (
                "/app.js",
                "text/javascript; charset=utf-8",
                "code_challenge",
            ),
            ("/pkce.js", "text/javascript; charset=utf-8", "SHA-256"),
            ("/style.css", "text/css; charset=utf-8", ".verdict"),
            (
                "/config.json",
                "application/json",
                "\"clientId\": \"people\"",
            ),
        ] {
            let answer = app.answer("GET", path);
            assert_eq!(answer.status, 200, "{path}");
            assert_eq!(
                header(&answer, "content-type"),
                Some(content_type),
                "{path}"
            );
            let body = String::from_utf8(answer.body).unwrap();
            assert!(body.contains(needle), "{path}: {body}");
            let head = app.answer("HEAD", path);
            assert_eq!((head.status, head.body.len()), (200, 0), "{path}");
        }
    }

    #[test]
    fn other_paths_and_methods_are_refused() {
        let app = app();
        for path in [
            "/config.example.json",
            "/../Cargo.toml",
            "/app.js/",
            "//app.js",
            "/nope",
        ] {
            assert_eq!(app.answer("GET", path).status, 404, "{path}");
        }
        let post = app.answer("POST", "/");
        assert_eq!(post.status, 405);
        assert_eq!(header(&post, "allow"), Some("GET, HEAD"));
    }

    #[test]
    fn every_answer_has_the_security_headers() {
        let app = app();
        for answer in [app.answer("GET", "/"), app.answer("GET", "/nope")] {
            assert_eq!(header(&answer, "referrer-policy"), Some("no-referrer"));
            assert_eq!(header(&answer, "x-content-type-options"), Some("nosniff"));
            assert_eq!(
                header(&answer, "content-security-policy"),
                Some(
                    "default-src 'self'; connect-src 'self' http://localhost:3000; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
                )
            );
        }
    }
}

//! Helpers the offline stack's HTTP tests share: options as the command line builds them, a
//! client for the token endpoint and the API, a raw HTTP/1.1 sender for paths that URL libraries
//! would normalise (`/x/../echo`), and copies of the template with a change.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod doc;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use offline::cli::{self, Command};
use offline::{Offline, Options};
use reqwest::StatusCode;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The folder of the AWS CLI of the project's virtual environment. The tests install nothing:
/// `scripts/check.sh` makes `.venv` (with `scripts/venv.sh`) before `cargo test`; without it the
/// test fails saying so.
pub fn aws_cli_bin() -> PathBuf {
    let bin = root().join(".venv/bin");
    assert!(
        bin.join("aws").is_file(),
        "no AWS CLI at {}: run `scripts/venv.sh` first (scripts/check.sh does), which installs it into .venv",
        bin.join("aws").display()
    );
    bin
}

/// The options `cargo run -p offline -- ARGS` would use from the repository root, on a free
/// port (the browser app on another unless `extra` names an `--app-port`), keeping nothing on disk unless `extra` names a
/// `--state-dir`.
pub fn options(extra: &[&str]) -> Options {
    let template = root().join("template.yaml");
    let mut args = vec![
        "--port".to_owned(),
        "0".to_owned(),
        "--template".to_owned(),
        template.display().to_string(),
    ];
    if !extra.contains(&"--app-port") {
        args.extend(["--app-port".to_owned(), "0".to_owned()]);
    }
    if !extra.contains(&"--state-dir") {
        args.push("--ephemeral".to_owned());
    }
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    match cli::parse(args).unwrap() {
        Command::Serve(options) => options,
        other => panic!("{other:?}"),
    }
}

/// A folder of its own under the system's temporary folder, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "offline-{name}-{}-{}",
            std::process::id(),
            authorizer::mint::random_id()
        ));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `template.yaml` with `from` replaced by `to` (once; `from` must be there), written to `dir`
/// with its `CodeUri` still naming the repository; options for it (the real auth template and
/// samconfig still apply).
pub fn changed_template(dir: &TempDir, from: &str, to: &str, extra: &[&str]) -> Options {
    let template = std::fs::read_to_string(root().join("template.yaml")).unwrap();
    let changed = template.replacen(from, to, 1);
    assert!(changed != template, "`{from}` is not in template.yaml");
    let code = format!("CodeUri: {}", root().display());
    let changed = changed.replacen("CodeUri: .", &code, 1);
    let path = dir.path().join("template.yaml");
    std::fs::write(&path, changed).unwrap();
    let auth = root().join("auth/template.yaml").display().to_string();
    let config = root().join("samconfig.toml").display().to_string();
    let mut args = vec![
        "--auth-template",
        auth.as_str(),
        "--config-file",
        config.as_str(),
    ];
    args.extend_from_slice(extra);
    let mut options = options(&args);
    options.inputs.template = path;
    options
}

/// An HTTP client for one running stack.
pub struct Client {
    pub http: reqwest::Client,
}

impl Client {
    pub fn new() -> Self {
        Self {
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
        }
    }

    pub async fn token(
        &self,
        offline: &Offline,
        id: &str,
        secret: &str,
        scope: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut form = vec![("grant_type", "client_credentials")];
        if let Some(scope) = scope {
            form.push(("scope", scope));
        }
        let response = self
            .http
            .post(offline.token_url())
            .basic_auth(id, Some(secret))
            .form(&form)
            .send()
            .await
            .unwrap();
        (response.status(), response.json().await.unwrap())
    }

    /// A client-credentials token of the template's first app client.
    pub async fn access_token(&self, offline: &Offline, scope: Option<&str>) -> String {
        let client = &offline.stack().clients[0].credentials;
        let (status, body) = self
            .token(offline, &client.client_id, &client.client_secret, scope)
            .await;
        assert_eq!(status, 200, "{body}");
        body["access_token"].as_str().unwrap().to_owned()
    }

    /// `method /Prod/echo` with a JSON body and the token, if any.
    pub async fn call(
        &self,
        offline: &Offline,
        method: &str,
        token: Option<&str>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let mut request = self
            .http
            .request(method.parse().unwrap(), offline.api_url("/echo"))
            .header("content-type", "application/json")
            .body(r#"{"hello":"world"}"#);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let response = request.send().await.unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        (status, headers, response.json().await.unwrap())
    }
}

/// An answer read off the wire.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// Sends `method target` exactly as written (no normalisation of the path), with `headers`, and
/// reads the whole answer.
pub async fn raw(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)]) -> Raw {
    let host = addr.to_string();
    raw_to(addr, Some(&host), method, target, headers).await
}

/// [`raw`] with the `Host` header `host` (none when `None`).
pub async fn raw_to(
    addr: SocketAddr,
    host: Option<&str>,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
) -> Raw {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut request = format!("{method} {target} HTTP/1.1\r\nConnection: close\r\n");
    if let Some(host) = host {
        request.push_str(&format!("Host: {host}\r\n"));
    }
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("Content-Length: 0\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let text = String::from_utf8(answer).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(": "))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.to_owned()))
        .collect();
    Raw {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// `Authorization: Bearer {token}`.
pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// `method target` sent as written, with `Authorization: Bearer {token}`.
pub async fn with_token(addr: SocketAddr, method: &str, target: &str, token: &str) -> Raw {
    raw(addr, method, target, &[("Authorization", &bearer(token))]).await
}

/// The status of `method target` with `token`.
pub async fn status_with(addr: SocketAddr, method: &str, target: &str, token: &str) -> u16 {
    with_token(addr, method, target, token).await.status
}

/// The template `name` under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Options for a template under `tests/fixtures/`, alone (no auth template, no samconfig).
pub fn fixture_options(name: &str) -> Options {
    template_alone(&fixture(name))
}

/// The fixture `name` with `from` replaced by `to` (once; `from` must be there), written to
/// `dir`; options for it, alone.
pub fn changed_fixture(dir: &TempDir, name: &str, from: &str, to: &str) -> Options {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    let changed = text.replacen(from, to, 1);
    assert_ne!(changed, text, "`{from}` is not in {name}");
    let file = dir.path().join(name);
    std::fs::write(&file, changed).unwrap();
    template_alone(&file)
}

/// Options for the example `examples/{name}/template.yaml` as `cargo run -p offline -- --template
/// ...` from the repository root finds it (the auth template, the example's samconfig.toml), on
/// free ports, nothing kept, no browser app.
pub fn example_options(name: &str) -> Options {
    let folder = root().join("examples").join(name);
    let template = folder.join("template.yaml").display().to_string();
    let auth = root().join("auth/template.yaml").display().to_string();
    let config = folder.join("samconfig.toml").display().to_string();
    let args = [
        "--port",
        "0",
        "--no-app",
        "--ephemeral",
        "--template",
        &template,
        "--auth-template",
        &auth,
        "--config-file",
        &config,
    ];
    match cli::parse(args).unwrap() {
        Command::Serve(options) => options,
        other => panic!("{other:?}"),
    }
}

/// A copy of the fixture folder `name` (a test may change it), in `dir`.
pub fn copy_fixture(dir: &TempDir, name: &str) -> PathBuf {
    let to = dir.path().join(name);
    copy_dir(&fixture(name), &to);
    to
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Options for `template` alone (no auth template, no samconfig), on free ports, nothing kept.
pub fn template_alone(template: &Path) -> Options {
    let args = [
        "--port",
        "0",
        "--app-port",
        "0",
        "--ephemeral",
        "--auth-template",
        "none",
        "--config-file",
        "none",
        "--template",
        template.to_str().unwrap(),
    ];
    match cli::parse(args).unwrap() {
        Command::Serve(options) => options,
        other => panic!("{other:?}"),
    }
}

/// An `--env-vars` file in `dir` giving `function` the variables `vars`.
pub fn env_vars_file(dir: &TempDir, function: &str, vars: &[(&str, &str)]) -> String {
    let vars: serde_json::Map<String, Value> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
        .collect();
    let path = dir.path().join("env.json");
    std::fs::write(&path, serde_json::json!({ function: vars }).to_string()).unwrap();
    path.display().to_string()
}

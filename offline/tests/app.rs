//! The browser app on its own origin, over HTTP: the embedded files and the `config.json` the
//! stack writes, the banner's page URL and its warnings when the template does not allow the
//! page's origin, `--no-app`, and the binary started from another folder (the files are in it)
//! and from the repository root with the HTTP API example (its auth template found there).
//! Headless Chromium drives the page itself: `tests/browser/` (scripts/browser-test.sh).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::process::Stdio;
use std::time::Duration;

use offline::{Mismatch, Offline};
use serde_json::Value;
use support::{options, root};
use tokio::io::{AsyncBufReadExt, BufReader};

/// A port free a moment ago, for a test that must name the app's origin before it starts.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Overrides that make the template allow the page at `http://localhost:{port}/`.
fn allowing(port: u16) -> String {
    format!(
        "AllowedOrigin=http://localhost:{port} PeopleCallbackUrls=http://localhost:{port}/ PeopleLogoutUrls=http://localhost:{port}/"
    )
}

async fn get(url: &str) -> reqwest::Response {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(url)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_and_its_config_are_served_on_their_own_origin() {
    let port = free_port();
    let overrides = allowing(port);
    let offline = Offline::start(options(&[
        "--app-port",
        &port.to_string(),
        "--parameter-overrides",
        &overrides,
    ]))
    .await
    .unwrap();
    let page = format!("http://localhost:{port}/");
    assert_eq!(offline.app_url().as_deref(), Some(page.as_str()));
    let config = offline.app_config().unwrap();
    assert_eq!(config.mismatches(offline.stack()), []);

    let answer = get(&format!("{page}config.json")).await;
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["content-type"], "application/json");
    let served: Value = answer.json().await.unwrap();
    let stack = format!("http://localhost:{}", offline.addr().port());
    let people = offline
        .stack()
        .clients
        .iter()
        .find(|c| c.logical_id == "PeopleClient")
        .unwrap();
    assert_eq!(
        served,
        serde_json::json!({
            "authorizeUrl": format!("{stack}/oauth2/authorize"),
            "tokenUrl": format!("{stack}/oauth2/token"),
            "logoutUrl": format!("{stack}/logout"),
            "clientId": people.credentials.client_id,
            "redirectUri": page,
            "logoutUri": page,
            "scopes": "openid",
            "apiUrl": format!("{stack}/Prod"),
        })
    );
    // Deployed, the stack's AppConfig output gives the page the same fields.
    let output: Value = serde_json::from_str(&offline.stack().outputs["AppConfig"]).unwrap();
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&output), keys(&served));
    for field in ["clientId", "redirectUri", "logoutUri", "scopes"] {
        assert_eq!(output[field], served[field], "{field}");
    }

    let html = get(&page).await;
    assert_eq!(html.status(), 200);
    assert_eq!(html.headers()["referrer-policy"], "no-referrer");
    let csp = html.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains(&format!("connect-src 'self' {stack};")),
        "{csp}"
    );
    assert!(html.text().await.unwrap().contains("id=\"signin\""));
    for (path, status) in [("app.js", 200), ("pkce.js", 200), ("style.css", 200)] {
        assert_eq!(
            get(&format!("{page}{path}")).await.status(),
            status,
            "{path}"
        );
    }
    assert_eq!(
        get(&format!("{page}config.example.json")).await.status(),
        404
    );
    assert_eq!(get(&format!("{page}Prod/echo")).await.status(), 404);

    let banner = offline::cli::banner(&offline);
    assert!(
        banner.contains(&format!("  app         {page}  (")),
        "{banner}"
    );
    assert!(!banner.contains("WARNING"), "{banner}");
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_origin_the_template_does_not_allow_is_named_in_the_banner() {
    let offline = Offline::start(options(&[])).await.unwrap();
    let config = offline.app_config().unwrap();
    let origin = config.app_origin();
    assert_ne!(
        origin, "http://localhost:3001",
        "a free port, not the default"
    );
    let page = format!("{origin}/");
    assert_eq!(
        config.mismatches(offline.stack()),
        [
            Mismatch::CorsOrigin {
                origin: origin.clone(),
                allowed: "http://localhost:3001".into()
            },
            Mismatch::Callback {
                uri: page.clone(),
                client: "PeopleClient".into(),
                registered: "http://localhost:3001/".into()
            },
            Mismatch::Logout {
                uri: page.clone(),
                client: "PeopleClient".into(),
                registered: "http://localhost:3001/".into()
            },
        ]
    );
    let banner = offline::cli::banner(&offline);
    let warnings: Vec<&str> = banner.lines().filter(|l| l.contains("WARNING")).collect();
    assert_eq!(warnings.len(), 3, "{banner}");
    assert!(
        banner.contains(&format!(
            "--parameter-overrides AllowedOrigin={origin} PeopleCallbackUrls={page} PeopleLogoutUrls={page}"
        )),
        "{banner}"
    );
    offline.stop().await;

    let off = Offline::start(options(&["--no-app"])).await.unwrap();
    assert_eq!(off.app_url(), None);
    assert!(offline::cli::banner(&off).contains("  app         not served (--no-app)"));
    off.stop().await;
}

/// Runs the binary in `dir` with `args` until its banner is printed; the banner's lines.
async fn banner_of(dir: &std::path::Path, args: &[&str]) -> (tokio::process::Child, Vec<String>) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_offline"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut banner = Vec::new();
    let read = async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let done = line == "Ctrl-C stops it.";
            banner.push(line);
            if done {
                break;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), read)
        .await
        .expect("the banner within 60 s");
    (child, banner)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_serves_the_page_from_any_folder_and_finds_the_examples_auth_template() {
    // From a folder without the repository: the page's files are in the binary.
    let elsewhere = support::TempDir::new("app-cwd");
    let template = root().join("template.yaml").display().to_string();
    let (mut child, banner) = banner_of(
        elsewhere.path(),
        &[
            "--template",
            &template,
            "--port",
            "0",
            "--app-port",
            "0",
            "--ephemeral",
        ],
    )
    .await;
    let line = banner
        .iter()
        .find(|l| l.starts_with("  app         http://localhost:"))
        .unwrap_or_else(|| panic!("{banner:#?}"));
    let page = line.split_whitespace().nth(1).unwrap();
    let html = get(page).await;
    assert_eq!(html.status(), 200);
    assert!(html.text().await.unwrap().contains("<title>"));
    child.kill().await.unwrap();

    // The HTTP API example from the repository root: auth/template.yaml is found there, without
    // --auth-template; the $default-stage routes and the HTTP API's CORS are printed.
    let (mut child, banner) = banner_of(
        &root(),
        &[
            "--template",
            "examples/http-api/template.yaml",
            "--port",
            "0",
            "--ephemeral",
        ],
    )
    .await;
    let text = banner.join("\n");
    assert!(text.contains("(stack echo-http-api, region"), "{text}");
    assert!(
        text.contains("CORS        allowed origins http://localhost:3001 ("),
        "{text}"
    );
    assert!(
        text.contains("  app         not served (the template has no public app client"),
        "{text}"
    );
    child.kill().await.unwrap();
}

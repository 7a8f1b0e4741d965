//! HTTP APIs over HTTP on 127.0.0.1: the example session against `examples/http-api/template.yaml`
//! (the `$default` stage at the root, payload 2.0, simple responses), its authorizer cache keyed
//! on the token and `$context.routeKey` (and what goes wrong without the route key), TTL 0, CORS
//! as HTTP APIs answer it, and `tests/fixtures/http-default-route.yaml` (a named stage and the
//! `$default` route); the banner's session for the example, run with bash.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::atomic::Ordering;

use offline::cli::{self, Command};
use offline::{Offline, Options};
use serde_json::json;
use support::doc::Shell;
use support::{Client, Raw, TempDir, bearer, fixture_options, raw, root, with_token};

const ORIGIN: &str = "http://localhost:3001";

/// Options for the HTTP API example (its samconfig.toml beside it, the real auth template), or
/// for a copy of it with `from` replaced by `to`; `extra` arguments last.
fn example(change: Option<(&TempDir, &str, &str)>, extra: &[&str]) -> Options {
    let mut template = root().join("examples/http-api/template.yaml");
    if let Some((dir, from, to)) = change {
        let text = std::fs::read_to_string(&template).unwrap();
        let changed = text.replacen(from, to, 1);
        assert_ne!(changed, text, "`{from}` is not in the example");
        // The copy's CodeUri still names the workspace.
        let code = format!("CodeUri: {}", root().display());
        let changed = changed.replacen("CodeUri: ../..", &code, 1);
        template = dir.path().join("template.yaml");
        std::fs::write(&template, changed).unwrap();
    }
    let auth = root().join("auth/template.yaml");
    let config = root().join("examples/http-api/samconfig.toml");
    let mut args = vec![
        "--port".to_owned(),
        "0".to_owned(),
        "--app-port".to_owned(),
        "0".to_owned(),
        "--ephemeral".to_owned(),
        "--template".to_owned(),
        template.display().to_string(),
        "--auth-template".to_owned(),
        auth.display().to_string(),
        "--config-file".to_owned(),
        config.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    match cli::parse(args).unwrap() {
        Command::Serve(options) => options,
        other => panic!("{other:?}"),
    }
}

fn counts(offline: &Offline) -> (u64, u64) {
    let stats = offline.stats();
    (
        stats.authorizer_invocations.load(Ordering::Relaxed),
        stats.authorizer_cache_hits.load(Ordering::Relaxed),
    )
}

fn assert_message(answer: &Raw, status: u16, message: &str) {
    assert_eq!(answer.status, status, "{answer:?}");
    assert_eq!(answer.json(), json!({ "message": message }), "{answer:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seeds_session_against_the_http_api_example() {
    let a = Offline::start(example(None, &[])).await.unwrap();
    assert_eq!(a.api_url("/echo"), format!("{}/echo", a.base_url()));
    let http = Client::new();
    let addr = a.addr();

    // No token: the identity source is missing, 401 before the authorizer.
    assert_message(&raw(addr, "GET", "/echo", &[]).await, 401, "Unauthorized");
    assert_eq!(counts(&a), (0, 0));
    // A garbage token: the authorizer says isAuthorized false; an HTTP API can only answer 403.
    let answer = with_token(addr, "GET", "/echo", "not.a.jwt").await;
    assert_message(&answer, 403, "Forbidden");
    assert_eq!(counts(&a), (1, 0));

    // The read scope: GET 200, POST 403.
    let read = http.access_token(&a, Some("echo-http-api/read")).await;
    let answer = with_token(addr, "GET", "/echo?tag=a&tag=b", &read).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let body = answer.json();
    assert_eq!(body["caller"]["scopes"], json!(["echo-http-api/read"]));
    assert_eq!(body["request"]["path"], "/echo");
    // Payload 2.0: repeated query parameters arrive joined with a comma.
    assert_eq!(
        body["request"]["queryStringParameters"],
        json!({"tag": "a,b"})
    );
    assert_message(
        &with_token(addr, "POST", "/echo", &read).await,
        403,
        "Forbidden",
    );

    // Read and write: both.
    let both = http.access_token(&a, None).await;
    for method in ["GET", "POST"] {
        let answer = with_token(addr, method, "/echo", &both).await;
        assert_eq!(answer.status, 200, "{method}: {}", answer.body);
    }

    // Paths are matched as sent: no route for these, 404 before any authorizer.
    let before = counts(&a);
    for target in ["/echo/", "//echo", "/%65cho", "/nope", "/Prod/echo", "/"] {
        assert_message(
            &with_token(addr, "GET", target, &both).await,
            404,
            "Not Found",
        );
    }
    assert_eq!(counts(&a), before);

    // Another instance's token: the authorizer refuses it, which an HTTP API answers 403.
    let b = Offline::start(example(None, &[])).await.unwrap();
    let foreign = http.access_token(&b, None).await;
    assert_message(
        &with_token(addr, "GET", "/echo", &foreign).await,
        403,
        "Forbidden",
    );
    b.stop().await;
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_is_keyed_on_the_token_and_the_route_key() {
    let a = Offline::start(example(None, &[])).await.unwrap();
    let read = Client::new()
        .access_token(&a, Some("echo-http-api/read"))
        .await;
    let addr = a.addr();
    assert_eq!(with_token(addr, "GET", "/echo", &read).await.status, 200);
    assert_eq!(with_token(addr, "POST", "/echo", &read).await.status, 403);
    assert_eq!(counts(&a), (2, 0), "one answer per route");
    assert_eq!(with_token(addr, "GET", "/echo", &read).await.status, 200);
    assert_eq!(with_token(addr, "POST", "/echo", &read).await.status, 403);
    assert_eq!(counts(&a), (2, 2));
    a.stop().await;

    // Without $context.routeKey the cache is keyed on the token alone, as on API Gateway: the
    // answer GET got is reused for POST, which the read token may not call.
    let dir = TempDir::new("http-no-route-key");
    let b = Offline::start(example(
        Some((&dir, "\n              Context: [routeKey]", "")),
        &[],
    ))
    .await
    .unwrap();
    let read = Client::new()
        .access_token(&b, Some("echo-http-api/read"))
        .await;
    assert_eq!(
        with_token(b.addr(), "GET", "/echo", &read).await.status,
        200
    );
    assert_eq!(
        with_token(b.addr(), "POST", "/echo", &read).await.status,
        200
    );
    assert_eq!(counts(&b), (1, 1));
    b.stop().await;

    // TTL 0: every call reaches the authorizer.
    let c = Offline::start(example(
        None,
        &["--parameter-overrides", "AuthorizerResultTtlSeconds=0"],
    ))
    .await
    .unwrap();
    let read = Client::new()
        .access_token(&c, Some("echo-http-api/read"))
        .await;
    for _ in 0..3 {
        assert_eq!(
            with_token(c.addr(), "GET", "/echo", &read).await.status,
            200
        );
    }
    assert_eq!(counts(&c), (3, 0));
    c.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_is_answered_by_the_api_for_allowed_origins_only() {
    // The echo is given an origin of its own: an HTTP API with CORS ignores it.
    let dir = TempDir::new("http-cors");
    let env = support::env_vars_file(
        &dir,
        "EchoFunction",
        &[("CORS_ALLOW_ORIGIN", "http://other.example")],
    );
    let a = Offline::start(example(None, &["--env-vars", &env]))
        .await
        .unwrap();
    let addr = a.addr();
    let evil = "http://evil.example";

    let preflight = |origin: &'static str| async move {
        let headers = [
            ("Origin", origin),
            ("Access-Control-Request-Method", "POST"),
        ];
        raw(addr, "OPTIONS", "/echo", &headers).await
    };
    let answer = preflight(ORIGIN).await;
    assert_eq!(answer.status, 204, "{answer:?}");
    assert_eq!(answer.header("access-control-allow-origin"), Some(ORIGIN));
    assert_eq!(
        answer.header("access-control-allow-methods"),
        Some("GET,POST")
    );
    assert_eq!(
        answer.header("access-control-allow-headers"),
        Some("authorization,content-type")
    );
    assert_eq!(answer.header("access-control-max-age"), Some("600"));
    let answer = preflight(evil).await;
    assert_eq!(answer.status, 204);
    assert!(
        answer
            .headers
            .iter()
            .all(|(n, _)| !n.starts_with("access-control")),
        "{answer:?}"
    );
    assert_eq!(counts(&a), (0, 0), "no preflight reaches the authorizer");

    let origins = |answer: &Raw| -> Vec<String> {
        let found = answer
            .headers
            .iter()
            .filter(|(n, _)| n == "access-control-allow-origin");
        found.map(|(_, v)| v.clone()).collect()
    };
    let answer = raw(addr, "GET", "/echo", &[("Origin", ORIGIN)]).await;
    assert_eq!(
        (answer.status, origins(&answer)),
        (401, vec![ORIGIN.to_owned()])
    );
    let read = Client::new()
        .access_token(&a, Some("echo-http-api/read"))
        .await;
    let auth = bearer(&read);
    for (origin, expected) in [(ORIGIN, vec![ORIGIN.to_owned()]), (evil, vec![])] {
        let answer = raw(
            addr,
            "GET",
            "/echo",
            &[("Origin", origin), ("Authorization", &auth)],
        )
        .await;
        assert_eq!(answer.status, 200, "{answer:?}");
        assert_eq!(origins(&answer), expected, "{origin}");
        let answer = raw(
            addr,
            "POST",
            "/echo",
            &[("Origin", origin), ("Authorization", &auth)],
        )
        .await;
        assert_eq!(
            (answer.status, origins(&answer)),
            (403, expected),
            "{origin}"
        );
    }
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_named_stage_and_the_default_route() {
    let a = Offline::start(fixture_options("http-default-route.yaml"))
        .await
        .unwrap();
    assert_eq!(a.api_url("/echo"), format!("{}/Prod/echo", a.base_url()));
    let read = Client::new().access_token(&a, None).await;
    let addr = a.addr();
    let answer = with_token(addr, "GET", "/Prod/echo", &read).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    // A named stage stays in the path the integration sees, as on API Gateway.
    assert_eq!(answer.json()["request"]["path"], "/Prod/echo");
    // What no route matches goes to the $default route, the stage's root and `/echo/` included.
    for target in ["/Prod/anything/else", "/Prod/echo/", "/Prod"] {
        let answer = with_token(addr, "DELETE", target, &read).await;
        assert_eq!(answer.status, 200, "{target}: {}", answer.body);
        assert_eq!(
            answer.header("access-control-allow-origin"),
            None,
            "no Origin sent"
        );
    }
    // Outside the stage: 404.
    assert_message(
        &with_token(addr, "GET", "/echo", &read).await,
        404,
        "Not Found",
    );
    // `CorsConfiguration: true` allows any origin.
    let auth = bearer(&read);
    let answer = raw(
        addr,
        "GET",
        "/Prod/echo",
        &[("Origin", "http://a.example"), ("Authorization", &auth)],
    )
    .await;
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    // A method the authorizer cannot read in the routeArn: the authorizer fails, 500.
    let answer = with_token(addr, "get", "/Prod/echo", &read).await;
    assert_message(&answer, 500, "Internal Server Error");
    // TTL 0: each of the six calls that reached a route ran the authorizer, none from a cache.
    assert_eq!(counts(&a), (6, 0));
    a.stop().await;
}

/// The banner's `export` lines and session, as a reader pastes them.
fn banner_session(offline: &Offline) -> String {
    cli::banner(offline)
        .lines()
        .skip_while(|l| !l.starts_with("export CLIENT_ID="))
        .take_while(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_banner_suggests_no_user_token_where_no_group_exists() {
    let offline = Offline::start(example(None, &[])).await.unwrap();
    let banner = cli::banner(&offline);
    assert!(offline.stack().groups.is_empty(), "{banner}");
    assert!(!banner.contains("user-token"), "{banner}");
    assert!(
        banner_session(&offline).contains("from_json caller scopes"),
        "{banner}"
    );
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs curl and python3 (the banner session's tools): run scripts/check.sh"]
async fn the_banner_session_runs_against_the_http_api() {
    let offline = Offline::start(example(None, &[])).await.unwrap();
    let machine = offline.stack().clients.iter().find(|c| c.has_secret);
    let scope = machine.unwrap().scopes[0].clone();
    let lines = Shell::new().run(&banner_session(&offline)).await;
    assert_eq!(
        lines,
        [
            r#"{"message":"Unauthorized"} 401"#.to_owned(),
            format!(r#"["{scope}"]"#),
            "POST 403".to_owned(),
            "POST 200".to_owned(),
        ]
    );
    offline.stop().await;
}

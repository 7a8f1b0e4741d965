//! The gateway's REST API semantics over HTTP on 127.0.0.1: the security review's route table
//! against every form of a path, SAM's CORS (preflight without the authorizer, headers on every
//! answer), API Gateway's cache of authorizer answers outliving the token, and the listeners
//! answering only their own host (DNS rebinding).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use offline::Offline;
use serde_json::json;
use support::{
    Client, Raw, TempDir, bearer, changed_template, env_vars_file, fixture_options, options, raw,
    raw_to, with_token,
};

const ORIGIN: &str = "http://localhost:3001";

/// A page whose name was re-pointed at 127.0.0.1 (DNS rebinding) sends its own name as `Host`:
/// both listeners answer 421 and nothing else, whatever the path; the loopback names of each
/// listener's own port are served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_listeners_answer_only_their_own_host() {
    let offline = Offline::start(options(&[])).await.unwrap();
    let stack = offline.addr();
    let app: std::net::SocketAddr = offline
        .app_url()
        .unwrap()
        .trim_start_matches("http://localhost:")
        .trim_end_matches('/')
        .parse::<u16>()
        .map(|port| ([127, 0, 0, 1], port).into())
        .unwrap();
    let list = [(
        "X-Amz-Target",
        "AWSCognitoIdentityProviderService.ListUserPools",
    )];
    for (addr, path, headers) in [
        (stack, "/", &list[..]),
        (stack, "/Prod/echo", &[][..]),
        (stack, "/oauth2/token", &[][..]),
        (app, "/config.json", &[][..]),
    ] {
        let port = addr.port();
        for host in [
            Some(format!("attacker.example:{port}")),
            Some(format!("localhost.attacker.example:{port}")),
            Some(format!("127.0.0.1:{}", port.wrapping_add(1))),
            None,
        ] {
            let answer = raw_to(addr, host.as_deref(), "POST", path, headers).await;
            assert_eq!(answer.status, 421, "{host:?} {path}: {}", answer.body);
            assert!(
                answer.body.contains("Misdirected Request"),
                "{}",
                answer.body
            );
        }
        for host in [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ] {
            let answer = raw_to(addr, Some(&host), "GET", path, &[]).await;
            assert_ne!(answer.status, 421, "{host} {path}");
        }
    }
    let absolute = format!("http://attacker.example:{}/Prod/echo", stack.port());
    let answer = raw(stack, "GET", &absolute, &[]).await;
    assert_eq!(answer.status, 421, "an absolute target names the host too");
    offline.stop().await;
}

/// `--allow-host ADDR` (for `sam local`'s containers, docs/sam-local.md): the stack also listens
/// on ADDR at its port and answers Host `ADDR:PORT`; every other host still gets 421. Without the
/// flag, ADDR is neither listened on nor answered. 127.0.0.2 stands in for the Docker bridge.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allow_host_admits_exactly_the_named_address() {
    let default = Offline::start(options(&[])).await.unwrap();
    let port = default.addr().port();
    let jwks = format!("/{}/.well-known/jwks.json", default.stack().pool_id);
    let named = format!("127.0.0.2:{port}");
    let refused = raw_to(default.addr(), Some(&named), "GET", &jwks, &[]).await;
    assert_eq!(refused.status, 421, "by default: {}", refused.body);
    assert!(
        tokio::net::TcpStream::connect(("127.0.0.2", port))
            .await
            .is_err(),
        "by default nothing listens on 127.0.0.2"
    );
    assert_eq!(default.also_url(), None);
    default.stop().await;

    let offline = Offline::start(options(&["--allow-host", "127.0.0.2"]))
        .await
        .unwrap();
    let port = offline.addr().port();
    let also: std::net::SocketAddr = ([127, 0, 0, 2], port).into();
    assert_eq!(offline.also_url(), Some(format!("http://{also}")));
    let jwks = format!("/{}/.well-known/jwks.json", offline.stack().pool_id);
    let keys = raw(also, "GET", &jwks, &[]).await;
    assert_eq!(keys.status, 200, "{}", keys.body);
    assert!(keys.body.contains("\"keys\""), "{}", keys.body);
    for addr in [offline.addr(), also] {
        for host in [
            format!("127.0.0.3:{port}"),
            format!("127.0.0.2:{}", port.wrapping_add(1)),
            format!("attacker.example:{port}"),
            "127.0.0.2".to_owned(),
        ] {
            let answer = raw_to(addr, Some(&host), "GET", &jwks, &[]).await;
            assert_eq!(answer.status, 421, "{addr} {host}: {}", answer.body);
        }
        for host in [format!("127.0.0.1:{port}"), format!("127.0.0.2:{port}")] {
            let answer = raw_to(addr, Some(&host), "GET", &jwks, &[]).await;
            assert_eq!(answer.status, 200, "{addr} {host}: {}", answer.body);
        }
    }
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_route_table_holds_for_every_form_of_a_path() {
    let a = Offline::start(fixture_options("route-table.yaml"))
        .await
        .unwrap();
    let http = Client::new();
    let read = http.access_token(&a, Some("items-api/read")).await;
    // Both scopes: a token denied no route (with the admin scope alone, the Deny of
    // /items/{id} would also cover /items/, the authorizer's documented `route_shadowed`).
    let admin = http.access_token(&a, None).await;
    // GET /items and GET /admin need the admin scope; /items/{id} and /{proxy+} the read scope.
    for target in [
        "/Prod/items",
        "/Prod/items/",
        "/Prod/admin",
        "/Prod/admin/",
        "/Prod/items//",
        "/Prod//admin",
        "/Prod/a//b",
        "/Prod/x/../admin",
        "/Prod/%61dmin",
        "/Prod/%69tems",
    ] {
        let answer = with_token(a.addr(), "GET", target, &read).await;
        assert_eq!(answer.status, 403, "read token, {target}: {}", answer.body);
        assert_eq!(
            answer.json(),
            json!({"message": "User is not authorized to access this resource"}),
            "{target}"
        );
    }
    for (target, path, parameters) in [
        ("/Prod/items/42", "/items/42", json!({"id": "42"})),
        (
            "/Prod/anything/else",
            "/anything/else",
            json!({"proxy": "anything/else"}),
        ),
    ] {
        let answer = with_token(a.addr(), "GET", target, &read).await;
        assert_eq!(answer.status, 200, "read token, {target}: {}", answer.body);
        let echoed = &answer.json()["request"];
        assert_eq!(
            (&echoed["path"], &echoed["pathParameters"]),
            (&json!(path), &parameters)
        );
    }
    // The admin scope reaches /items and /admin, with a trailing slash too; the event's path is
    // the one sent.
    for (target, path) in [("/Prod/items/", "/items/"), ("/Prod/admin", "/admin")] {
        let answer = with_token(a.addr(), "GET", target, &admin).await;
        assert_eq!(answer.status, 200, "admin token, {target}: {}", answer.body);
        assert_eq!(answer.json()["request"]["path"], path);
    }
    a.stop().await;
}

fn assert_origin(answer: &Raw, origin: &str, what: &str) {
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some(origin),
        "{what}: {answer:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_answers_preflights_itself_and_every_answer_names_the_origin() {
    let a = Offline::start(options(&[])).await.unwrap();
    let stats = a.stats();
    let (invoked, cached) = (
        stats.authorizer_invocations.load(Ordering::Relaxed),
        stats.authorizer_cache_hits.load(Ordering::Relaxed),
    );
    // The preflight: no token, answered by the gateway with the template's headers, the
    // authorizer not involved; the same static origin whatever the request's Origin (the
    // browser refuses a mismatch, API Gateway does not filter).
    for origin in [ORIGIN, "https://elsewhere.example"] {
        let preflight = [
            ("Origin", origin),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "authorization,content-type",
            ),
        ];
        let answer = raw(a.addr(), "OPTIONS", "/Prod/echo", &preflight).await;
        assert_eq!(answer.status, 200, "{answer:?}");
        assert_origin(&answer, ORIGIN, origin);
        for (name, value) in [
            ("access-control-allow-methods", "GET,POST,DELETE,OPTIONS"),
            ("access-control-allow-headers", "Authorization,Content-Type"),
            ("access-control-max-age", "600"),
            ("content-type", "application/json"),
        ] {
            assert_eq!(answer.header(name), Some(value), "{name}");
        }
        assert_eq!(answer.header("access-control-allow-credentials"), None);
        assert_eq!(answer.json(), json!({}));
    }
    assert_eq!(
        stats.authorizer_invocations.load(Ordering::Relaxed),
        invoked
    );
    assert_eq!(stats.authorizer_cache_hits.load(Ordering::Relaxed), cached);

    // An OPTIONS on a path the API does not have: 403 Missing Authentication Token
    // (DEFAULT_4XX, with the origin).
    let answer = raw(a.addr(), "OPTIONS", "/Prod/nope", &[("Origin", ORIGIN)]).await;
    assert_eq!(answer.status, 403);
    assert_eq!(
        answer.json(),
        json!({"message": "Missing Authentication Token"})
    );
    assert_origin(&answer, ORIGIN, "unknown path");

    // 401 (no token) and 403 (the read scope may not POST) carry the origin and expose
    // WWW-Authenticate; the echo's 200 carries it too, from its own CORS_ALLOW_ORIGIN.
    let answer = raw(a.addr(), "GET", "/Prod/echo", &[("Origin", ORIGIN)]).await;
    assert_eq!(answer.status, 401);
    assert_origin(&answer, ORIGIN, "401");
    assert_eq!(
        answer.header("access-control-expose-headers"),
        Some("WWW-Authenticate")
    );
    let read = Client::new().access_token(&a, Some("echo-api/read")).await;
    let answer = with_token(a.addr(), "POST", "/Prod/echo", &read).await;
    assert_eq!(answer.status, 403);
    assert_origin(&answer, ORIGIN, "403");
    let answer = with_token(a.addr(), "GET", "/Prod/echo", &read).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_origin(&answer, ORIGIN, "200 without Origin (curl)");
    assert_eq!(answer.header("vary"), Some("Origin"));
    let auth = bearer(&read);
    let from = |origin: &'static str| [("Origin", origin), ("Authorization", auth.as_str())];
    let answer = raw(a.addr(), "GET", "/Prod/echo", &from(ORIGIN)).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_origin(&answer, ORIGIN, "200 from the origin");

    // A page of another origin: the gateway's own answers still name the configured origin (a
    // REST API's CORS headers are static), which the browser refuses; the echo names none.
    let elsewhere = "http://127.0.0.1:3001";
    let answer = raw(a.addr(), "GET", "/Prod/echo", &[("Origin", elsewhere)]).await;
    assert_eq!(answer.status, 401);
    assert_origin(&answer, ORIGIN, "401 to another origin");
    let answer = raw(a.addr(), "POST", "/Prod/echo", &from(elsewhere)).await;
    assert_eq!(answer.status, 403);
    assert_origin(&answer, ORIGIN, "403 to another origin");
    let answer = raw(a.addr(), "GET", "/Prod/echo", &from(elsewhere)).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(
        answer.header("access-control-allow-origin"),
        None,
        "{answer:?}"
    );
    assert_eq!(answer.header("vary"), Some("Origin"));

    // A body over API Gateway's 10 MiB: 413 (DEFAULT_4XX, with the origin).
    let response = Client::new()
        .http
        .post(a.api_url("/echo"))
        .body(vec![b'x'; 10 * 1024 * 1024 + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(response.headers()["access-control-allow-origin"], ORIGIN);
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_origin_comes_from_the_template_and_a_guarded_preflight_needs_a_token() {
    // Another origin: the preflight, the gateway responses and the echo all follow it.
    let origin = "https://app.example.com";
    let a = Offline::start(options(&[
        "--parameter-overrides",
        &format!("AllowedOrigin={origin}"),
    ]))
    .await
    .unwrap();
    let answer = raw(a.addr(), "OPTIONS", "/Prod/echo", &[("Origin", origin)]).await;
    assert_origin(&answer, origin, "preflight");
    let answer = raw(a.addr(), "GET", "/Prod/echo", &[]).await;
    assert_origin(&answer, origin, "401");
    let read = Client::new().access_token(&a, Some("echo-api/read")).await;
    let answer = with_token(a.addr(), "GET", "/Prod/echo", &read).await;
    assert_origin(&answer, origin, "200");
    a.stop().await;

    // SAM's default puts the default authorizer on the preflight too: without a token, 401.
    let dir = TempDir::new("preflight");
    let guarded = changed_template(
        &dir,
        "AddDefaultAuthorizerToCorsPreflight: false",
        "AddDefaultAuthorizerToCorsPreflight: true",
        &[],
    );
    let b = Offline::start(guarded).await.unwrap();
    let answer = raw(b.addr(), "OPTIONS", "/Prod/echo", &[("Origin", ORIGIN)]).await;
    assert_eq!(answer.status, 401, "{answer:?}");
    assert_origin(&answer, ORIGIN, "guarded preflight");
    b.stop().await;
}

/// A signed-in reader's token valid for 2 s, called once, then again after it expired.
async fn call_past_expiry(a: &Offline) -> (u16, u16) {
    let now = authorizer::unix_now();
    let token = a
        .issuer()
        .user_token("alice", &["readers"], &[], None, now, 2)
        .unwrap();
    let first = with_token(a.addr(), "GET", "/Prod/echo", &token).await;
    tokio::time::sleep(Duration::from_millis(3500)).await;
    assert!(authorizer::unix_now() > now + 2, "the token has expired");
    let second = with_token(a.addr(), "GET", "/Prod/echo", &token).await;
    (first.status, second.status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cached_allow_outlives_the_token_as_on_api_gateway() {
    // No clock-skew allowance, so the authorizer itself refuses the token right after `exp`.
    let dir = TempDir::new("expiry");
    let env = env_vars_file(&dir, "AuthorizerFunction", &[("TOKEN_LEEWAY_SECS", "0")]);
    let cached = Offline::start(options(&["--env-vars", &env]))
        .await
        .unwrap();
    assert_eq!(
        cached.stack().api.authorizers["CognitoTokenAuthorizer"].ttl_seconds,
        300
    );
    let uncached = Offline::start(options(&[
        "--env-vars",
        &env,
        "--parameter-overrides",
        "AuthorizerResultTtlSeconds=0",
    ]))
    .await
    .unwrap();
    let (with_cache, without_cache) =
        tokio::join!(call_past_expiry(&cached), call_past_expiry(&uncached));
    // The template's 300 s TTL: the second call is answered from the cache, token expired or
    // not (API Gateway keeps the policy for the TTL, whatever the token's `exp`).
    assert_eq!(with_cache, (200, 200));
    let stats = cached.stats();
    assert_eq!(stats.authorizer_invocations.load(Ordering::Relaxed), 1);
    assert_eq!(stats.authorizer_cache_hits.load(Ordering::Relaxed), 1);
    // TTL 0: every call reaches the authorizer, which refuses the expired token.
    assert_eq!(without_cache, (200, 401));
    assert_eq!(
        uncached
            .stats()
            .authorizer_invocations
            .load(Ordering::Relaxed),
        2
    );
    cached.stop().await;
    uncached.stop().await;
}

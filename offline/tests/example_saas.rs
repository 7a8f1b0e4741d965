//! `examples/saas-api`: 300 routes from an OpenAPI definition generated with the rules, the
//! authorizer per route (a REQUEST authorizer keyed on the token, method and resource path,
//! POLICY_SCOPE=route) reading its rules from `/opt/route-scopes.json` in a layer; the
//! README's walkthrough run as written.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::atomic::Ordering;

use offline::Offline;
use serde_json::json;
use support::doc::{self, Shell};
use support::{TempDir, example_options, raw, status_with, with_token};

const PAGE: &str = "examples/saas-api/README.md";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_and_admins_through_the_per_route_authorizer() {
    let offline = Offline::start(example_options("saas-api")).await.unwrap();
    let banner = offline::cli::banner(&offline);
    assert!(banner.contains("... and 271 more"), "300 routes: {banner}");
    assert!(offline.warnings().is_empty(), "{:?}", offline.warnings());
    let now = authorizer::unix_now();
    let token = |name: &str, groups: &[&str]| {
        offline
            .issuer()
            .user_token(name, groups, &[], None, now, 600)
            .unwrap()
    };
    let (member, admin) = (token("mia", &["members"]), token("ada", &["admins"]));
    let addr = offline.addr();
    let tasks = with_token(addr, "GET", "/Prod/v1/projects/p1/tasks", &member).await;
    assert_eq!(tasks.status, 200, "{tasks:?}");
    assert_eq!(tasks.json()["caller"]["groups"], json!(["members"]));
    assert_eq!(
        status_with(addr, "DELETE", "/Prod/v1/projects/p1", &member).await,
        403
    );
    assert_eq!(
        status_with(addr, "DELETE", "/Prod/v1/projects/p1", &admin).await,
        200
    );
    assert_eq!(
        status_with(addr, "GET", "/Prod/v1/invoices", &member).await,
        403
    );
    assert_eq!(
        raw(addr, "GET", "/Prod/v1/projects/p1/tasks", &[])
            .await
            .status,
        401
    );
    // One answer per token and route: another project's tasks come from the cache.
    let stats = offline.stats();
    let invoked = stats.authorizer_invocations.load(Ordering::Relaxed);
    assert_eq!(
        status_with(addr, "GET", "/Prod/v1/projects/p2/tasks", &member).await,
        200
    );
    assert_eq!(
        stats.authorizer_invocations.load(Ordering::Relaxed),
        invoked
    );
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs cargo, curl and python3 (the walkthrough's tools): run scripts/check.sh"]
async fn the_readme_walkthrough_runs_as_written() {
    // The walkthrough's `user-token` reads the state the running stack keeps (its key).
    let state = TempDir::new("saas-state");
    let mut options = example_options("saas-api");
    options.state = offline::StateStore::Folder {
        path: state.path().to_owned(),
        fresh: false,
    };
    let offline = Offline::start(options).await.unwrap();
    let page = doc::page(PAGE);
    let script = doc::block(&page, "<!-- saas-api-walkthrough -->")
        .replace("127.0.0.1:3000", &offline.addr().to_string());
    let shell = Shell::new()
        .with_cargo()
        .var("OFFLINE_STATE_DIR", state.path().display().to_string());
    let lines = shell.run(&script).await;
    assert_eq!(
        lines,
        [
            r#"["members"]"#,
            "DELETE 403",
            "DELETE 200",
            "GET 403",
            "GET 401"
        ]
    );
    doc::assert_announced(&page, &lines);
    offline.stop().await;
}

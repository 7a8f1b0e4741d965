//! README.md's blocks, run verbatim against a stack the test starts: the example session the
//! banner prints (`<!-- offline-session -->`, after the banner's own `export` lines) and the Lambda
//! binary under `cargo lambda watch` (`<!-- lambda-binaries -->`). The banner's session must be
//! the README's, command for command, and every line a block prints must be what the README's
//! comment beside the command says.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use offline::Offline;
use serde_json::Value;
use support::doc::{self, Shell};
use support::{options, root};

/// The banner's `export` lines and the session after them, up to the blank line that ends it.
fn banner_session(offline: &Offline) -> (Vec<String>, Vec<String>) {
    let banner = offline::cli::banner(offline);
    let lines: Vec<String> = banner
        .lines()
        .skip_while(|l| !l.starts_with("export CLIENT_ID="))
        .take_while(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let (exports, session): (Vec<String>, Vec<String>) =
        lines.into_iter().partition(|l| l.starts_with("export "));
    assert_eq!(exports.len(), 3, "{banner}");
    (exports, session)
}

fn readme_session() -> String {
    doc::block(&doc::page("README.md"), "<!-- offline-session -->")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_banner_prints_the_session_the_readme_shows() {
    let offline = Offline::start(options(&[])).await.unwrap();
    let (exports, session) = banner_session(&offline);
    assert_eq!(session, doc::commands(&readme_session()));
    let stack = offline.stack();
    let machine = stack.clients.iter().find(|c| c.logical_id == "AppClient");
    let client = &machine.unwrap().credentials;
    assert_eq!(
        exports,
        [
            format!(
                "export CLIENT_ID={} CLIENT_SECRET={}",
                client.client_id, client.client_secret
            ),
            format!(
                "export TOKEN_URL={} API={}",
                offline.token_url(),
                offline.api_url("/echo")
            ),
            format!(
                "export POOL_ID={} COGNITO_ENDPOINT={}",
                stack.pool_id,
                offline.base_url()
            ),
        ]
    );
    let banner = offline::cli::banner(&offline);
    assert!(
        banner.contains("user-token --username alice --groups admins"),
        "template.yaml's groups admit people: {banner}"
    );
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs curl and python3 (the README session's tools): run scripts/check.sh"]
async fn the_readme_session_runs_as_written() {
    let offline = Offline::start(options(&[])).await.unwrap();
    let (exports, _) = banner_session(&offline);
    let script = exports.join("\n") + "\n" + &readme_session();
    let lines = Shell::new().run(&script).await;
    assert_eq!(
        lines,
        [
            r#"{"message":"Unauthorized"} 401"#,
            r#"["echo-api/read"]"#,
            "POST 403",
            "POST 200",
        ]
    );
    doc::assert_announced(&doc::page("README.md"), &lines);
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs cargo-lambda of .venv, curl and python3: run scripts/check.sh"]
async fn the_lambda_binaries_block_runs_as_written() {
    assert!(
        root().join(".venv/bin/cargo-lambda").is_file(),
        "no cargo-lambda in .venv: run `scripts/venv.sh` first (scripts/check.sh does)"
    );
    let offline = Offline::start(options(&[])).await.unwrap();
    let (exports, _) = banner_session(&offline);
    let readme = doc::page("README.md");
    // The session first (it sets READ and from_json), as a reader would have; the test's own
    // line stops whatever the block left running if it fails half-way.
    let script = exports.join("\n")
        + "\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"
        + &readme_session()
        + &doc::block(&readme, "<!-- lambda-binaries -->");
    let mut shell = Shell::new().with_cargo();
    shell.timeout = Duration::from_secs(600);
    let lines = shell.run(&script).await;
    // cargo lambda watch prints its lines and the function's on the same stdout.
    let policy = lines.iter().find(|l| l.starts_with("[{")).unwrap();
    let statements: Value = serde_json::from_str(policy).unwrap();
    let effect_of = |effect: &str| -> Vec<String> {
        statements
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["Effect"] == effect)
            .flat_map(|s| s["Resource"].as_array().unwrap().clone())
            .map(|r| r.as_str().unwrap().to_owned())
            .collect()
    };
    let api = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/Prod";
    let allowed = effect_of("Allow");
    let denied = effect_of("Deny");
    // Exactly GET /echo and its trailing-slash form: no pattern with a wildcard, so no Deny is
    // needed (everything else is refused by default), as README says.
    assert_eq!(
        allowed,
        [format!("{api}/GET/echo"), format!("{api}/GET/echo/")],
        "{statements}"
    );
    assert!(denied.is_empty(), "{statements}");
    offline.stop().await;
}

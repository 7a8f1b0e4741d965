//! The people walkthrough of docs/people.md, run verbatim with bash and the AWS CLI (installed into
//! `.venv` by `scripts/venv.sh`, which `scripts/check.sh` runs first) against a started offline
//! stack: the blocks marked `<!-- people-offline -->` (the offline settings; only its port is
//! changed to the test's) and `<!-- people-walkthrough ... -->`. Each line the walkthrough prints
//! must be what the page's comment beside the command says.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use offline::Offline;
use support::doc::{self, Shell};
use support::{TempDir, aws_cli_bin, options};

const PAGE: &str = "docs/people.md";

/// Runs the page's blocks named by `markers` after the offline settings, against `offline`
/// (whose state folder, if it has one, stands for `.offline/`).
async fn run(offline: &Offline, state: Option<&std::path::Path>, markers: &[&str]) -> Vec<String> {
    let page = doc::page(PAGE);
    let mut script = doc::block(&page, "<!-- people-offline -->")
        .replace("127.0.0.1:3000", &offline.addr().to_string());
    for marker in markers {
        let block = doc::block(&page, marker);
        script.push_str(&match state {
            Some(dir) => block.replace(".offline/", &format!("{}/", dir.display())),
            None => block,
        });
    }
    let home = TempDir::new("people-home");
    let mut shell = Shell::new()
        .var("HOME", home.path().display().to_string())
        .var(
            "AWS_CONFIG_FILE",
            home.path().join("config").display().to_string(),
        )
        .var(
            "AWS_SHARED_CREDENTIALS_FILE",
            home.path().join("credentials").display().to_string(),
        );
    shell.path_first = Some(aws_cli_bin());
    let lines = shell.run(&script).await;
    doc::assert_announced(&page, &lines);
    lines
}

/// The walkthrough, then the state it left read with the sqlite3 tool.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS CLI of .venv, curl, python3 and sqlite3: run scripts/check.sh"]
async fn the_people_walkthrough_runs_as_written() {
    let dir = TempDir::new("people-state");
    let state = dir.path().join("state");
    let state_arg = state.display().to_string();
    let offline = Offline::start(options(&["--state-dir", &state_arg]))
        .await
        .unwrap();
    let lines = run(
        &offline,
        Some(&state),
        &["<!-- people-walkthrough -->", "<!-- people-state -->"],
    )
    .await;
    assert_eq!(
        lines,
        [
            "FORCE_CHANGE_PASSWORD",
            "GET 200",
            "DELETE 403",
            "ID token 401",
            "alice",
            r#"["readers"]"#,
            "DELETE 200",
            r#"alice|CONFIRMED|1|["readers","admins"]"#,
        ]
    );
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS CLI of .venv, curl and python3: run scripts/check.sh"]
async fn the_password_sign_in_step_runs_where_enabled() {
    let offline = Offline::start(options(&[
        "--parameter-overrides",
        "PeoplePasswordSignIn=true",
    ]))
    .await
    .unwrap();
    let lines = run(
        &offline,
        None,
        &[
            "<!-- people-walkthrough -->",
            "<!-- people-walkthrough PeoplePasswordSignIn=true -->",
        ],
    )
    .await;
    assert_eq!(lines.last().map(String::as_str), Some("GET 200"));
    assert_eq!(lines.len(), 8);
    offline.stop().await;
}

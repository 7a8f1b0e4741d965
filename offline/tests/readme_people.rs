//! The README's people walkthrough, run verbatim with bash and the AWS CLI (installed into
//! `.venv` by `scripts/venv.sh`, which `scripts/check.sh` runs first) against a started offline stack: the blocks marked
//! `<!-- people-offline -->` (the offline settings; only its port is changed to the test's) and
//! `<!-- people-walkthrough ... -->`. Each line the walkthrough prints must be what the README's
//! comment beside the command says.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::PathBuf;
use std::process::Stdio;

use offline::Offline;
use support::{TempDir, options, root};

/// The fenced block after the line `marker`.
fn block(readme: &str, marker: &str) -> String {
    let mut lines = readme.lines().skip_while(|l| l.trim() != marker).skip(1);
    assert_eq!(
        lines.next().map(str::trim),
        Some("```sh"),
        "{marker} is followed by a sh block"
    );
    lines
        .take_while(|l| l.trim() != "```")
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The AWS CLI of the project's virtual environment. The test installs nothing: `scripts/check.sh`
/// makes `.venv` (with `scripts/venv.sh`) before `cargo test`; without it the test fails saying so.
fn aws_cli_bin() -> PathBuf {
    let bin = root().join(".venv/bin");
    assert!(
        bin.join("aws").is_file(),
        "no AWS CLI at {}: run `scripts/venv.sh` first (scripts/check.sh does), which installs it into .venv",
        bin.join("aws").display()
    );
    bin
}

/// Runs the README blocks named by `markers` after the offline settings, against `offline`.
async fn run(offline: &Offline, markers: &[&str]) -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut script = block(&readme, "<!-- people-offline -->")
        .replace("127.0.0.1:3000", &offline.addr().to_string());
    for marker in markers {
        script.push_str(&block(&readme, marker));
    }
    let home = TempDir::new("readme-home");
    let path = format!(
        "{}:{}",
        aws_cli_bin().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = tokio::process::Command::new("bash")
        .args(["-euo", "pipefail", "-c", &script])
        .env_clear()
        .env("PATH", path)
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.path().join("config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            home.path().join("credentials"),
        )
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the walkthrough failed:\n{stdout}\n{stderr}"
    );
    // Every line printed is announced by a comment in the README, in order.
    let mut rest = readme.as_str();
    for line in stdout.lines() {
        let comment = format!("# {line}");
        let at = rest
            .find(&comment)
            .unwrap_or_else(|| panic!("`{line}` is not a README comment after the previous one"));
        rest = &rest[at + comment.len()..];
    }
    stdout.lines().map(str::to_owned).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_people_walkthrough_runs_as_written() {
    let offline = Offline::start(options(&[])).await.unwrap();
    let lines = run(&offline, &["<!-- people-walkthrough -->"]).await;
    assert_eq!(
        lines,
        [
            "FORCE_CHANGE_PASSWORD",
            "GET 200",
            "DELETE 403",
            "ID token 401",
            r#"{"username":"alice","groups":["readers"]}"#,
            "DELETE 200",
        ]
    );
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_sign_in_step_runs_where_enabled() {
    let offline = Offline::start(options(&[
        "--parameter-overrides",
        "PeoplePasswordSignIn=true",
    ]))
    .await
    .unwrap();
    let lines = run(
        &offline,
        &[
            "<!-- people-walkthrough -->",
            "<!-- people-walkthrough PeoplePasswordSignIn=true -->",
        ],
    )
    .await;
    assert_eq!(lines.last().map(String::as_str), Some("GET 200"));
    assert_eq!(lines.len(), 7);
    offline.stop().await;
}

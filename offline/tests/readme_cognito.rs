//! The walkthrough of examples/cognito-authorizer/README.md, run verbatim with bash, the AWS CLI
//! (installed into `.venv` by `scripts/venv.sh`, which `scripts/check.sh` runs first), curl and
//! python3, against the two stacks its `cargo run -p offline -- ...` lines start (started here
//! from those very lines, on free ports, with the paths made absolute). Each line the
//! walkthrough prints must be what the page's comment beside the command says.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use offline::cli::{self, Command};
use offline::{Offline, Options};
use support::doc::{self, Shell};
use support::{TempDir, aws_cli_bin, root};

const PAGE: &str = "examples/cognito-authorizer/README.md";

/// The options of the page's `cargo run -p offline -- ...` line after `marker`, as run from the
/// repository root, on a free port (and a free app port unless `--no-app`).
fn run_line(page: &str, marker: &str) -> Options {
    let block = doc::block(page, marker);
    let line = block.trim();
    let args = line.strip_prefix("cargo run -p offline -- ").unwrap();
    let mut args: Vec<String> = args.split_whitespace().map(str::to_owned).collect();
    for i in 1..args.len() {
        match args[i - 1].as_str() {
            "--template" => args[i] = root().join(&args[i]).display().to_string(),
            "--port" => args[i] = "0".to_owned(),
            _ => {}
        }
    }
    let auth = root().join("auth/template.yaml").display().to_string();
    args.extend(["--auth-template".to_owned(), auth]);
    for (flag, value) in [("--port", "0"), ("--app-port", "0")] {
        if !args
            .iter()
            .any(|a| a == flag || a == "--no-app" && flag == "--app-port")
        {
            args.extend([flag.to_owned(), value.to_owned()]);
        }
    }
    match cli::parse(args).unwrap() {
        Command::Serve(options) => options,
        other => panic!("{other:?}"),
    }
}

/// Runs the page's blocks `markers` in one bash, `port` (3000 or 3002 on the page) replaced by
/// `offline`'s.
async fn run(page: &str, offline: &Offline, port: &str, markers: &[&str]) -> Vec<String> {
    let script: String = markers.iter().map(|m| doc::block(page, m)).collect();
    let script = script.replace(&format!("127.0.0.1:{port}"), &offline.addr().to_string());
    let home = TempDir::new("cognito-home");
    let path = |name: &str| home.path().join(name).display().to_string();
    let mut shell = Shell::new()
        .var("HOME", path(""))
        .var("AWS_CONFIG_FILE", path("config"))
        .var("AWS_SHARED_CREDENTIALS_FILE", path("credentials"));
    shell.path_first = Some(aws_cli_bin());
    shell.run(&script).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS CLI of .venv, curl and python3: run scripts/check.sh"]
async fn the_cognito_authorizer_walkthrough_runs_as_written() {
    let page = doc::page(PAGE);
    let rest = Offline::start(run_line(&page, "<!-- cognito-run -->"))
        .await
        .unwrap();
    let http = Offline::start(run_line(&page, "<!-- jwt-run -->"))
        .await
        .unwrap();
    let tokens = "<!-- cognito-tokens -->";
    let mut lines = run(
        &page,
        &rest,
        "3000",
        &[
            "<!-- cognito-offline -->",
            tokens,
            "<!-- cognito-walkthrough -->",
        ],
    )
    .await;
    lines.extend(
        run(
            &page,
            &http,
            "3002",
            &[
                "<!-- cognito-offline -->",
                "<!-- jwt-offline -->",
                tokens,
                "<!-- jwt-walkthrough -->",
            ],
        )
        .await,
    );
    assert_eq!(
        lines,
        [
            r#"{"message":"Unauthorized"} 401"#,
            "carol",
            r#"["orders-rest-staff"]"#,
            "access token 401",
            r#"["orders-rest/read"]"#,
            "ID token 401",
            r#"{"message":"Unauthorized"} 401"#,
            r#"{"message":"Unauthorized"} 401"#,
            "id",
            "access",
            r#"["orders-http-staff"]"#,
            r#"["orders-http/read"]"#,
            r#"{"message":"Forbidden"} 403"#,
            "ID token 403",
        ]
    );
    doc::assert_announced(&page, &lines);
    rest.stop().await;
    http.stop().await;
}

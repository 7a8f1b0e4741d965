//! A user's own Rust function (`tests/fixtures/user-function/`: a workspace of its own, a
//! function with no dependency speaking the Runtime API itself, a layer) run as Lambda runs it:
//! built by cargo, its own process under a loopback Runtime API, Lambda's environment, the
//! layer under `/opt`, its timeout, its failures as API Gateway answers them (502), a changed
//! source rebuilt on the next request, its output shown after its logical id; and functions the
//! offline stack refuses.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use offline::Offline;
use serde_json::{Value, json};
use support::{TempDir, raw, template_alone};
use tokio::io::{AsyncBufReadExt, BufReader};

/// A copy of the fixture's workspace (the test may change its source), in `dir`.
fn copy_fixture(dir: &TempDir) -> PathBuf {
    support::copy_fixture(dir, "user-function")
}

/// What the function says it saw (its answer's body).
async fn describe(offline: &Offline, path: &str) -> Value {
    let answer = raw(offline.addr(), "GET", path, &[]).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    answer.json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_users_function_runs_as_lambda_runs_it() {
    let dir = TempDir::new("user-function");
    let workspace = copy_fixture(&dir);
    let offline = Offline::start(template_alone(&workspace.join("template.yaml")))
        .await
        .unwrap();

    let seen = describe(&offline, "/Prod/hello").await;
    assert_eq!(seen["version"], "v1");
    assert_eq!(seen["name"], "hello-fn");
    assert_eq!(seen["memory"], "256");
    assert_eq!(seen["handler"], "bootstrap");
    assert_eq!(seen["greeting"], "hi");
    // The task root holds the function's `bootstrap`, and is its working folder.
    let task = PathBuf::from(seen["taskRoot"].as_str().unwrap());
    assert!(task.join("bootstrap").is_file(), "{seen}");
    assert_eq!(seen["cwd"], seen["taskRoot"]);
    // /opt/rules.json, named by a variable, is the layer's file.
    assert_eq!(seen["rules"], r#"{"GET /hello": "hello/read"}"#);
    assert!(seen["deadline"].as_str().unwrap().parse::<u64>().is_ok());
    assert_eq!(seen["home"], "", "Lambda's environment only");

    // The handler's error and a crash are API Gateway's 502; the next call starts a new process.
    for path in ["/Prod/fail", "/Prod/crash"] {
        let answer = raw(offline.addr(), "GET", path, &[]).await;
        assert_eq!(
            (answer.status, answer.json()),
            (502, json!({"message": "Internal server error"})),
            "{path}"
        );
    }
    assert_eq!(describe(&offline, "/Prod/hello").await["version"], "v1");

    // Timeout: 2 s. The environment is stopped and the call is a 502 at the timeout.
    let started = Instant::now();
    let answer = raw(offline.addr(), "GET", "/Prod/slow", &[]).await;
    assert_eq!(answer.status, 502, "{answer:?}");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(8),
        "{took:?}"
    );
    assert_eq!(describe(&offline, "/Prod/hello").await["version"], "v1");

    // A changed source is rebuilt on the next request.
    let main = workspace.join("hello/src/main.rs");
    let source = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, source.replace(r#""v1""#, r#""v2""#)).unwrap();
    assert_eq!(describe(&offline, "/Prod/hello").await["version"], "v2");
    // A change that does not build: 502 until it does.
    std::fs::write(&main, "fn main() { not rust }").unwrap();
    assert_eq!(
        raw(offline.addr(), "GET", "/Prod/hello", &[]).await.status,
        502
    );
    std::fs::write(&main, source.replace(r#""v1""#, r#""v3""#)).unwrap();
    assert_eq!(describe(&offline, "/Prod/hello").await["version"], "v3");
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn its_output_follows_its_logical_id_with_lambdas_report() {
    let dir = TempDir::new("user-function-logs");
    let workspace = copy_fixture(&dir);
    let template = workspace.join("template.yaml");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_offline"))
        .args([
            "--port",
            "0",
            "--no-app",
            "--ephemeral",
            "--auth-template",
            "none",
        ])
        .args(["--config-file", "none", "--template"])
        .arg(&template)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut token_url = None;
    while let Some(line) = stdout.next_line().await.unwrap() {
        if let Some(url) = line.trim().strip_prefix("token URL") {
            token_url = Some(url.trim().to_owned());
            break;
        }
    }
    let base = token_url.unwrap().replace("/oauth2/token", "");
    let addr = base.trim_start_matches("http://").parse().unwrap();
    assert_eq!(raw(addr, "GET", "/Prod/hello", &[]).await.status, 200);
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    // The function's stdout and stderr are forwarded apart: read until both its line and the
    // REPORT have come, in whichever order.
    let seen = |lines: &[String], needle: &str| lines.iter().any(|l| l.contains(needle));
    while !(seen(&lines, "REPORT RequestId") && seen(&lines, "[Hello] handling /hello")) {
        assert!(Instant::now() < deadline, "{lines:#?}");
        let next = tokio::time::timeout(Duration::from_secs(30), stderr.next_line()).await;
        lines.push(next.unwrap().unwrap().unwrap());
    }
    child.kill().await.unwrap();
    let hello: Vec<&String> = lines.iter().filter(|l| l.starts_with("[Hello] ")).collect();
    assert!(
        hello.iter().any(|l| l.as_str() == "[Hello] init v1"),
        "{lines:#?}"
    );
    assert!(
        hello
            .iter()
            .any(|l| l.as_str() == "[Hello] handling /hello"),
        "{lines:#?}"
    );
    assert!(
        hello
            .iter()
            .any(|l| l.starts_with("[Hello] START RequestId: ")),
        "{lines:#?}"
    );
    let report = hello.iter().find(|l| l.contains("REPORT")).unwrap();
    for part in [
        "Duration: ",
        "Memory Size: 256 MB",
        "Max Memory Used: ",
        "Init Duration: ",
    ] {
        assert!(report.contains(part), "{part} in {report}");
    }
}

#[tokio::test]
async fn functions_it_cannot_run_are_refused_naming_sam_local() {
    let dir = TempDir::new("user-function-refused");
    let workspace = copy_fixture(&dir);
    let template = workspace.join("template.yaml");
    let text = std::fs::read_to_string(&template).unwrap();
    for (from, to, needle) in [
        (
            "Runtime: provided.al2023",
            "Runtime: python3.12",
            "sam local",
        ),
        (
            "BuildMethod: rust-cargolambda",
            "BuildMethod: makefile",
            "sam local",
        ),
        ("Binary: hello", "Binary: nope", "binary `nope`"),
        ("GREETING: hi", "AWS_REGION: hi", "reserved by Lambda"),
        (
            "- !Ref Rules",
            "- arn:aws:lambda:us-east-1:123456789012:layer:other:1",
            "not a layer of the template",
        ),
    ] {
        std::fs::write(&template, text.replace(from, to)).unwrap();
        let err = Offline::start(template_alone(&template))
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains(needle), "{to}: {err}");
        assert!(err.contains("Resources.Hello"), "{to}: {err}");
    }
}

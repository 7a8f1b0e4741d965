//! Replays `fuzz/regressions/echo_event` (crash inputs the `echo_event` fuzz target found, and
//! small inputs reaching each answer) through the parser and the handler, as the target does.
//!
//! A file's name says what it must get: `error-label.json` (not a proxy event: both the parser
//! and the handler refuse it) or `STATUS-label.json` (the handler answers that status code).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use echo_handler::caller::Caller;
use echo_handler::handle;
use echo_handler::headers::is_redacted;
use echo_handler::request::Incoming;
use serde_json::Value;
use std::path::PathBuf;

#[test]
fn echo_event_regressions_get_their_answer() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions/echo_event");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (expected, _) = name
            .split_once('-')
            .unwrap_or_else(|| panic!("{name}: expected EXPECTATION-label"));
        let event: Value = serde_json::from_slice(&std::fs::read(&path).unwrap())
            .unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
        let incoming = Incoming::from_event(event.clone());
        let answer = handle(event);
        if expected == "error" {
            assert!(incoming.is_err(), "{name}: parsed");
            assert!(answer.is_err(), "{name}: answered");
            continue;
        }
        let status: i64 = expected
            .parse()
            .unwrap_or_else(|_| panic!("{name}: unknown expectation `{expected}`"));
        let incoming = incoming.unwrap_or_else(|e| panic!("{name}: {e}"));
        let answer = answer.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(answer["statusCode"], status, "{name}");
        assert_eq!(
            status == 403,
            Caller::from_context(&incoming.authorizer).is_none(),
            "{name}"
        );
        let text = answer["body"].as_str().expect("text body");
        let body: Value = match serde_json::from_str(text) {
            Ok(body) => body,
            // An echoed body nested near serde_json's depth limit is deeper still in the answer.
            Err(e) if e.to_string().contains("recursion limit") => continue,
            Err(e) => panic!("{name}: body is not JSON: {e}"),
        };
        if status == 200 {
            assert_eq!(
                body["request"]["method"],
                incoming.method.as_str(),
                "{name}"
            );
            for header in body["request"]["headers"].as_object().unwrap().keys() {
                assert!(!is_redacted(header), "{name}: {header} echoed");
            }
        }
    }
}

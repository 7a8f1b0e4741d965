//! `echo_event`: arbitrary JSON through the echo handler's parser and handler.

use echo_handler::caller::caller;
use echo_handler::headers::is_echoed_header;
use echo_handler::request::Incoming;
use serde_json::{Value, json};

/// What [`echo_event`] saw for a JSON input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EchoAnswer {
    /// Not a proxy event: the parser and the handler both refused it.
    Refused,
    /// The handler answered this status code.
    Status(i64),
}

/// `echo_event`: arbitrary bytes, as JSON, through `echo_handler::request::Incoming::from_event`
/// and `echo_handler::handle`. `None` when the bytes are not JSON.
///
/// Asserts: the two agree on what is an event; an answer is a proxy response with status 200,
/// 403 or 413 and a JSON text body; 403 exactly when there is no authorizer principal; a 200
/// echoes the method and only the headers of the allow-list.
pub fn echo_event(data: &[u8]) -> Option<EchoAnswer> {
    let event = serde_json::from_slice::<Value>(data).ok()?;
    let incoming = Incoming::from_event(event.clone());
    let answer = echo_handler::handle(event);
    let (incoming, answer) = match (incoming, answer) {
        (Err(_), Err(_)) => return Some(EchoAnswer::Refused),
        (Ok(incoming), Ok(answer)) => (incoming, answer),
        (incoming, answer) => panic!(
            "parser ({}) and handler ({}) disagree",
            incoming.is_ok(),
            answer.is_ok()
        ),
    };
    let status = answer["statusCode"].as_i64().expect("statusCode");
    assert!(matches!(status, 200 | 403 | 413), "status {status}");
    assert_eq!(
        status == 403,
        caller(&incoming).is_none(),
        "403 iff no principal"
    );
    let text = answer["body"].as_str().expect("text body");
    let body: Value = match serde_json::from_str(text) {
        Ok(body) => body,
        // An echoed JSON body nested close to serde_json's depth limit (128) is nested deeper
        // inside the answer; the answer itself is still JSON.
        Err(e) if e.to_string().contains("recursion limit") => {
            return Some(EchoAnswer::Status(status));
        }
        Err(e) => panic!("body is not JSON: {e}"),
    };
    if status == 200 {
        assert_eq!(body["request"]["method"], json!(incoming.method));
        let headers = body["request"]["headers"].as_object().expect("headers");
        for name in headers.keys() {
            assert!(
                is_echoed_header(name),
                "header {name} is not on the allow-list"
            );
        }
    }
    Some(EchoAnswer::Status(status))
}

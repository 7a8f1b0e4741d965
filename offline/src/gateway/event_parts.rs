//! Parts both kinds of API put in the events they send: the time as API Gateway writes it, the
//! body (base64 when not UTF-8), empty maps as `null`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use crate::calendar::Utc;
use crate::message::Request;

/// Now, since the Unix epoch (zero if the clock is before it).
pub(crate) fn since_epoch() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
}

/// `09/Apr/2025:12:34:56 +0000`, API Gateway's `requestTime` (REST) and `time` (HTTP API).
pub(crate) fn request_time(unix: u64) -> String {
    let t = Utc::from_unix(unix);
    format!(
        "{:02}/{}/{}:{:02}:{:02}:{:02} +0000",
        t.day,
        t.month_name(),
        t.year,
        t.hour,
        t.minute,
        t.second
    )
}

/// `body` and `isBase64Encoded`: `null` for no body, text when it is UTF-8, else base64.
pub(crate) fn body(request: &Request) -> (Value, bool) {
    match std::str::from_utf8(&request.body) {
        _ if request.body.is_empty() => (Value::Null, false),
        Ok(text) => (json!(text), false),
        Err(_) => (json!(STANDARD.encode(&request.body)), true),
    }
}

/// The map, or `null` when it is empty (as API Gateway sends an absent part).
pub(crate) fn or_null(m: Map<String, Value>) -> Value {
    if m.is_empty() {
        Value::Null
    } else {
        Value::Object(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_time_is_api_gateways_format() {
        assert_eq!(request_time(1_744_202_096), "09/Apr/2025:12:34:56 +0000");
        assert_eq!(request_time(0), "01/Jan/1970:00:00:00 +0000");
        assert_eq!(request_time(951_782_400), "29/Feb/2000:00:00:00 +0000");
    }

    #[test]
    fn bodies_are_text_or_base64() {
        let with = |bytes: &[u8]| {
            body(&Request {
                body: bytes.to_vec(),
                ..Request::default()
            })
        };
        assert_eq!(with(b""), (Value::Null, false));
        assert_eq!(with(b"{}"), (json!("{}"), false));
        assert_eq!(with(&[0xff]), (json!("/w=="), true));
    }
}

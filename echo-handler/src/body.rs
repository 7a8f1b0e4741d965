//! How the request body is echoed: JSON as JSON, other text as a string, binary by length only.

use serde_json::Value;

/// Largest body echoed, in bytes of the body *as API Gateway delivers it* (for a base64-encoded
/// body, the length of the base64 text). Larger bodies get a 413 answer. Default: 64 KiB.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// What the echo says about the request body.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyEcho {
    /// No body (`body` null or absent): echoed as `null`.
    Absent,
    /// A body that parses as JSON: echoed as that JSON value.
    Json(Value),
    /// Text that is not JSON (including an empty body): echoed as a string.
    Text(String),
    /// A base64-encoded (binary) body: not decoded nor echoed; only its base64 length is reported.
    Binary {
        /// Length in bytes of the base64 text.
        base64_len: usize,
    },
}

/// The body exceeds [`MAX_BODY_BYTES`] (or the limit given to [`inspect`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge {
    /// Length in bytes of the body as delivered.
    pub len: usize,
    /// The limit it exceeded.
    pub limit: usize,
}

/// Classifies a body. `limit` is the largest accepted length in bytes (use [`MAX_BODY_BYTES`]).
///
/// # Errors
/// [`TooLarge`] when the body as delivered is longer than `limit` bytes.
pub fn inspect(
    body: Option<&str>,
    is_base64_encoded: bool,
    limit: usize,
) -> Result<BodyEcho, TooLarge> {
    let Some(body) = body else {
        return Ok(BodyEcho::Absent);
    };
    if body.len() > limit {
        return Err(TooLarge {
            len: body.len(),
            limit,
        });
    }
    if is_base64_encoded {
        return Ok(BodyEcho::Binary {
            base64_len: body.len(),
        });
    }
    Ok(match serde_json::from_str::<Value>(body) {
        Ok(json) => BodyEcho::Json(json),
        Err(_) => BodyEcho::Text(body.to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn absent_json_text_binary() {
        assert_eq!(inspect(None, false, 10), Ok(BodyEcho::Absent));
        assert_eq!(
            inspect(Some(r#"{"a":[1,2]}"#), false, 100),
            Ok(BodyEcho::Json(json!({"a": [1, 2]})))
        );
        assert_eq!(
            inspect(Some("name=x&y=2"), false, 100),
            Ok(BodyEcho::Text("name=x&y=2".into()))
        );
        assert_eq!(
            inspect(Some(""), false, 100),
            Ok(BodyEcho::Text(String::new()))
        );
        assert_eq!(
            inspect(Some("iVBORw0KGgo="), true, 100),
            Ok(BodyEcho::Binary { base64_len: 12 })
        );
    }

    #[test]
    fn base64_json_is_not_decoded() {
        // "{}" base64-encoded: still reported as binary, never decoded.
        assert_eq!(
            inspect(Some("e30="), true, 100),
            Ok(BodyEcho::Binary { base64_len: 4 })
        );
    }

    #[test]
    fn limit_is_inclusive() {
        let at_limit = "x".repeat(MAX_BODY_BYTES);
        assert!(matches!(
            inspect(Some(&at_limit), false, MAX_BODY_BYTES),
            Ok(BodyEcho::Text(_))
        ));
        let over = "x".repeat(MAX_BODY_BYTES + 1);
        assert_eq!(
            inspect(Some(&over), false, MAX_BODY_BYTES),
            Err(TooLarge {
                len: MAX_BODY_BYTES + 1,
                limit: MAX_BODY_BYTES
            })
        );
        assert!(inspect(Some(&over), true, MAX_BODY_BYTES).is_err());
    }
}

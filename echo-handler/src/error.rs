//! Errors the handler returns to the Lambda runtime (never for a bad *request*, only a bad *event*).

use lambda_runtime::Diagnostic;

/// Why an invocation could not be answered with an HTTP response.
///
/// Bad requests (no authorizer context, huge or binary bodies) are answered with an HTTP status;
/// these errors are for payloads that are not API Gateway proxy events at all. API Gateway turns a
/// function error into a 502, which is the right answer for a misconfigured integration.
/// Messages never quote the event, so a token in a malformed event cannot reach the logs.
#[derive(Debug, thiserror::Error)]
pub enum EchoError {
    /// The payload is not a JSON object.
    #[error("event is not a JSON object")]
    NotAnObject,
    /// `version` is present but neither `"1.0"` nor `"2.0"`.
    #[error("unsupported payload version (expected \"1.0\" or \"2.0\")")]
    UnsupportedVersion,
    /// The payload does not have the shape of the detected proxy event version.
    #[error("event is not a valid API Gateway {0} proxy event")]
    InvalidEvent(&'static str),
    /// The response could not be serialised (should not happen: all values are plain JSON).
    #[error("could not serialise the response")]
    Serialize,
}

impl EchoError {
    /// A stable, machine-readable name for the Lambda error type.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::NotAnObject => "EchoError.NotAnObject",
            Self::UnsupportedVersion => "EchoError.UnsupportedVersion",
            Self::InvalidEvent(_) => "EchoError.InvalidEvent",
            Self::Serialize => "EchoError.Serialize",
        }
    }
}

impl From<EchoError> for Diagnostic {
    fn from(error: EchoError) -> Self {
        Diagnostic {
            error_type: error.kind().to_owned(),
            error_message: error.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostic_carries_kind_and_message() {
        let d = Diagnostic::from(EchoError::InvalidEvent("REST API (payload 1.0)"));
        assert_eq!(d.error_type, "EchoError.InvalidEvent");
        assert_eq!(
            d.error_message,
            "event is not a valid API Gateway REST API (payload 1.0) proxy event"
        );
    }
}

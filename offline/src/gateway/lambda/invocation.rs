//! What one invocation of a function gives, however it runs: its answer, or the error Lambda
//! reports (`errorType`, `errorMessage`) and why; with the decision's reason code when the
//! function is the project's authorizer, linked in.

use serde_json::Value;

/// One invocation's outcome.
#[derive(Debug)]
pub(crate) struct Invocation {
    pub(crate) result: Result<Value, FunctionError>,
    /// The authorizer's reason code (linked in); `None` for other functions.
    pub(crate) reason: Option<&'static str>,
}

impl Invocation {
    pub(crate) fn failed(error: FunctionError) -> Self {
        Self {
            result: Err(error),
            reason: None,
        }
    }
}

/// Why an invocation gave no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The handler returned an error (`/invocation/{id}/error`).
    Handler,
    /// It ran past the function's `Timeout`; the environment is stopped.
    Timeout,
    /// The process ended before answering (`Runtime.ExitError`).
    Exited,
    /// The init failed (`/init/error`, or an exit before asking for an event).
    Init,
    /// The answer is over Lambda's 6 MB.
    TooLarge,
    /// The function's changed source does not build.
    Build,
}

impl Failure {
    /// The reason code the gateway logs.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Failure::Handler => "function_error",
            Failure::Timeout => "function_timeout",
            Failure::Exited => "function_exited",
            Failure::Init => "function_init_error",
            Failure::TooLarge => "function_answer_too_large",
            Failure::Build => "function_build_failed",
        }
    }
}

/// A failed invocation, as Lambda reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FunctionError {
    pub(crate) failure: Failure,
    /// `errorType`, e.g. `Runtime.ExitError` or the handler's.
    pub(crate) error_type: String,
    /// `errorMessage`; an authorizer's `Unauthorized` is what API Gateway turns into 401.
    pub(crate) message: String,
}

impl FunctionError {
    pub(crate) fn new(failure: Failure, error_type: &str, message: impl Into<String>) -> Self {
        Self {
            failure,
            error_type: error_type.to_owned(),
            message: message.into(),
        }
    }

    /// The handler's own error, from the JSON it posted (`errorType`, `errorMessage`).
    pub(crate) fn from_handler(body: &[u8]) -> Self {
        let value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let field = |name: &str| value.get(name).and_then(Value::as_str).unwrap_or_default();
        Self::new(Failure::Handler, field("errorType"), field("errorMessage"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handler_error_is_read_from_what_the_runtime_posted() {
        let error = FunctionError::from_handler(
            br#"{"errorType": "Unauthorized", "errorMessage": "Unauthorized"}"#,
        );
        assert_eq!(
            (
                error.failure,
                error.error_type.as_str(),
                error.message.as_str()
            ),
            (Failure::Handler, "Unauthorized", "Unauthorized")
        );
        assert_eq!(FunctionError::from_handler(b"not json").message, "");
        assert_eq!(Failure::Timeout.code(), "function_timeout");
    }
}

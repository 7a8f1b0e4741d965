//! A function's `Environment.Variables` (`Globals.Function`'s merged in) as Lambda takes them:
//! no name Lambda reserves for itself, and all of them together within Lambda's 4 KB.

use std::collections::BTreeMap;

use crate::template::error::{Located, Problem};

/// Lambda's cap on a function's environment variables, all together, in bytes.
pub(crate) const MAX_ENVIRONMENT_BYTES: usize = 4096;

/// The names Lambda sets itself and does not let a function's configuration set ("Defined
/// runtime environment variables", Lambda developer guide).
pub(crate) const RESERVED: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
];

/// Checks the template's variables of a function (at `at`): no reserved name, and their size
/// (the JSON of the whole map, as Lambda measures it) within [`MAX_ENVIRONMENT_BYTES`].
pub(crate) fn check(variables: &BTreeMap<String, String>, at: &str) -> Result<(), Located> {
    if let Some(name) = variables.keys().find(|n| RESERVED.contains(&n.as_str())) {
        return Err(Problem::ReservedVariable(name.clone()).at(format!("{at}.{name}")));
    }
    let bytes = serde_json::to_string(variables).map_or(0, |json| json.len());
    if bytes > MAX_ENVIRONMENT_BYTES {
        return Err(Problem::EnvironmentTooLarge(bytes).at(at));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_and_environments_over_4_kb_are_refused() {
        let vars = |pairs: &[(&str, String)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect()
        };
        assert!(check(&vars(&[("ROUTE_SCOPES", "{}".into())]), "E").is_ok());
        let err = check(&vars(&[("AWS_REGION", "x".into())]), "E").unwrap_err();
        assert_eq!(err.path, "E.AWS_REGION");
        let big = vars(&[("ROUTE_SCOPES", "\"".repeat(2100))]);
        let err = check(&big, "E").unwrap_err();
        assert!(err.problem.to_string().contains("4096"), "{}", err.problem);
    }
}

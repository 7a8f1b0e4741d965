//! The environment Lambda gives a function ("Defined runtime environment variables", Lambda
//! developer guide): its name, memory, version, log group and stream, region, handler, task
//! root, the Runtime API's address, `TZ`, `LANG`, `PATH` and `LD_LIBRARY_PATH`; then the
//! function's own variables. Offline it also gets the local Cognito endpoint
//! (`AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, over any of its own: the SDK calls the local
//! issuer) and placeholder credentials (`offline`), which sign calls to that endpoint only.
//!
//! Paths. A process runs on this machine, where `/opt` and `/var/task` are not the function's:
//! it gets a folder of its own for each (`Folders`), and every variable whose value is
//! `/opt`, `/var/task` or a path below them (its own, and Lambda's) names that folder instead.
//! A path written in the code is not rewritten: read it from a variable. The linked authorizer
//! keeps Lambda's paths and reads files through `layers::OptView`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::layers::{OPT, TASK_ROOT};
use crate::template::Function;

/// The local folders standing for `/var/task` and `/opt`.
#[derive(Debug, Clone)]
pub(crate) struct Folders {
    pub(crate) task: PathBuf,
    pub(crate) opt: PathBuf,
}

impl Folders {
    /// Lambda's own paths (`/var/task`, `/opt`): nothing is rewritten.
    pub(crate) fn lambda() -> Self {
        Self {
            task: PathBuf::from(TASK_ROOT),
            opt: PathBuf::from(OPT),
        }
    }

    /// `value` with a leading `/opt` or `/var/task` replaced by the local folder.
    pub(crate) fn map(&self, value: &str) -> String {
        for (lambda, local) in [(OPT, &self.opt), (TASK_ROOT, &self.task)] {
            if let Some(rest) = value.strip_prefix(lambda)
                && (rest.is_empty() || rest.starts_with('/'))
            {
                return format!("{}{rest}", local.display());
            }
        }
        value.to_owned()
    }
}

/// Where the function runs and what it may call.
#[derive(Debug, Clone)]
pub(crate) struct Place<'a> {
    pub(crate) region: &'a str,
    /// The local issuer, for `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`.
    pub(crate) issuer_url: &'a str,
    pub(crate) folders: &'a Folders,
}

/// Every variable of `function`'s environment, Lambda's first; the Runtime API's address is
/// added per process.
pub(crate) fn variables(function: &Function, place: &Place<'_>) -> BTreeMap<String, String> {
    let name = &function.name;
    let folders = place.folders;
    let path_in = |folder: &Path, sub: &str| folder.join(sub).display().to_string();
    let mut vars: BTreeMap<String, String> = [
        ("AWS_LAMBDA_FUNCTION_NAME", name.clone()),
        (
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            function.settings.memory_mb.to_string(),
        ),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_owned()),
        ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand".to_owned()),
        ("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{name}")),
        ("AWS_LAMBDA_LOG_STREAM_NAME", log_stream()),
        ("AWS_REGION", place.region.to_owned()),
        ("AWS_DEFAULT_REGION", place.region.to_owned()),
        ("_HANDLER", function.settings.handler.clone()),
        ("LAMBDA_TASK_ROOT", folders.task.display().to_string()),
        ("LAMBDA_RUNTIME_DIR", folders.task.display().to_string()),
        ("TZ", ":UTC".to_owned()),
        ("LANG", "en_US.UTF-8".to_owned()),
        (
            "PATH",
            format!(
                "{}:/usr/local/bin:/usr/bin:/bin",
                path_in(&folders.opt, "bin")
            ),
        ),
        (
            "LD_LIBRARY_PATH",
            format!(
                "{}:{}",
                path_in(&folders.opt, "lib"),
                path_in(&folders.task, "lib")
            ),
        ),
        ("AWS_ACCESS_KEY_ID", "offline".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "offline".to_owned()),
        ("AWS_SESSION_TOKEN", "offline".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    for (key, value) in &function.environment {
        vars.insert(key.clone(), folders.map(value));
    }
    vars.insert(
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER".to_owned(),
        place.issuer_url.to_owned(),
    );
    vars
}

/// `YYYY/MM/DD/[$LATEST]` and 32 hex digits, as Lambda names a log stream.
fn log_stream() -> String {
    let now = crate::calendar::Utc::from_unix(crate::gateway::event_parts::since_epoch().as_secs());
    let id = authorizer::mint::random_id().replace('-', "");
    format!(
        "{:04}/{:02}/{:02}/[$LATEST]{id}",
        now.year, now.month, now.day
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambda_sets_its_variables_and_paths_under_opt_and_the_task_root_are_mapped() {
        let mut function = Function::test("Orders", "arn:orders", "orders");
        function.name = "orders-fn".to_owned();
        function.environment = BTreeMap::from([
            (
                "ROUTE_SCOPES_FILE".to_owned(),
                "/opt/route-scopes.json".to_owned(),
            ),
            ("OPTION".to_owned(), "/optional".to_owned()),
        ]);
        let folders = Folders {
            task: PathBuf::from("/tmp/t"),
            opt: PathBuf::from("/tmp/o"),
        };
        let place = Place {
            region: "eu-west-1",
            issuer_url: "http://127.0.0.1:1",
            folders: &folders,
        };
        let vars = variables(&function, &place);
        assert_eq!(vars["AWS_LAMBDA_FUNCTION_NAME"], "orders-fn");
        assert_eq!(vars["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "128");
        assert_eq!(vars["AWS_LAMBDA_LOG_GROUP_NAME"], "/aws/lambda/orders-fn");
        assert!(vars["AWS_LAMBDA_LOG_STREAM_NAME"].contains("/[$LATEST]"));
        assert_eq!(vars["LAMBDA_TASK_ROOT"], "/tmp/t");
        assert_eq!(vars["_HANDLER"], "bootstrap");
        assert_eq!(vars["ROUTE_SCOPES_FILE"], "/tmp/o/route-scopes.json");
        assert_eq!(
            vars["OPTION"], "/optional",
            "only /opt itself and paths below it"
        );
        assert!(vars["PATH"].starts_with("/tmp/o/bin:"));
        let lambda = variables(
            &function,
            &Place {
                folders: &Folders::lambda(),
                ..place
            },
        );
        assert_eq!(lambda["ROUTE_SCOPES_FILE"], "/opt/route-scopes.json");
        assert_eq!(lambda["LAMBDA_TASK_ROOT"], "/var/task");
    }
}

//! The project's own two functions, linked into the offline stack: a function runs them in
//! process when its binary is `authorizer` or `echo-handler` of this workspace (its `CodeUri` in
//! the workspace the offline stack was built from, or no `CodeUri`). They run the library code
//! their `main.rs` runs (`Authorizer::handle_decided`, `echo_handler::handle_with_cors`),
//! configured by the same `Config` readers from the environment Lambda would give them; the
//! authorizer reads `/opt` through the function's layers. Any other function runs as a process.

use std::path::{Path, PathBuf};

use authorizer::{Authorizer, Config, Metrics};

use super::environment::{Folders, Place, variables};
use super::layers::OptView;
use crate::error::Error;
use crate::gateway::echo::EchoRuntime;
use crate::template::resources::function::{AUTHORIZER_BINARY, ECHO_BINARY};
use crate::template::{Function, Problem};

/// Which of the project's functions a function runs in process, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkedKind {
    Authorizer,
    Echo,
}

/// Whether `function` is one of the project's own, run in process.
pub(crate) fn linked_kind(function: &Function) -> Option<LinkedKind> {
    let kind = match function.binary.as_str() {
        AUTHORIZER_BINARY => LinkedKind::Authorizer,
        ECHO_BINARY => LinkedKind::Echo,
        _ => return None,
    };
    match &function.settings.code_dir {
        None => Some(kind),
        Some(dir) => (workspace_root(dir)? == workspace_root(&this_workspace())?).then_some(kind),
    }
}

/// The workspace the offline stack was built from.
fn this_workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The root of the Cargo workspace holding `dir`: the nearest folder at or above it whose
/// `Cargo.toml` has a `[workspace]` table (else the nearest with a `Cargo.toml`), canonical.
fn workspace_root(dir: &Path) -> Option<PathBuf> {
    let dir = std::fs::canonicalize(dir).ok()?;
    let mut package = None;
    for folder in dir.ancestors() {
        let Ok(manifest) = std::fs::read_to_string(folder.join("Cargo.toml")) else {
            continue;
        };
        if manifest.lines().any(|l| l.trim() == "[workspace]") {
            return Some(folder.to_owned());
        }
        package.get_or_insert_with(|| folder.to_owned());
    }
    package
}

/// The authorizer of `function`, configured as its `main.rs` configures it from the environment
/// Lambda gives it (`place`'s region and issuer), reading files as on Lambda.
pub(crate) fn authorizer(
    function: &Function,
    place: &Place<'_>,
    file: &Path,
) -> Result<(Authorizer, Config), Error> {
    let folders = Folders::lambda();
    let env = variables(
        function,
        &Place {
            folders: &folders,
            ..place.clone()
        },
    );
    let view = OptView::new(&function.settings.layers).map_err(|source| Error::Function {
        file: file.to_owned(),
        function: function.logical_id.clone(),
        source,
    })?;
    let config = Config::from_sources(|name| env.get(name).cloned(), &|path| view.read(path))
        .map_err(|source| Error::Authorizer {
            file: file.to_owned(),
            source,
        })?;
    let authorizer = Authorizer::new(config.clone(), Metrics::discard()).map_err(|e| {
        Problem::HttpClient(e.to_string())
            .at(format!("Resources.{}", function.logical_id))
            .in_file(file)
    })?;
    Ok((authorizer, config))
}

/// The echo of `function`, configured from its environment (`file` is the template, for the
/// message).
pub(crate) fn echo(function: &Function, file: &Path) -> Result<EchoRuntime, Error> {
    EchoRuntime::new(function).map_err(|source| Error::Echo {
        file: file.to_owned(),
        function: function.logical_id.clone(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_workspaces_authorizer_and_echo_are_linked() {
        let root = this_workspace();
        let mut function = Function::test("A", "arn:a", "authorizer");
        assert_eq!(linked_kind(&function), Some(LinkedKind::Authorizer));
        function.settings.code_dir = Some(root.join("examples/http-api/../.."));
        assert_eq!(linked_kind(&function), Some(LinkedKind::Authorizer));
        function.settings.code_dir = Some(std::env::temp_dir());
        assert_eq!(
            linked_kind(&function),
            None,
            "another workspace's `authorizer`"
        );
        let orders = Function::test("O", "arn:o", "orders");
        assert_eq!(linked_kind(&orders), None);
    }
}

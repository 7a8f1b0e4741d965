//! The functions the APIs call (their routes' integrations and their Lambda authorizers), each
//! made ready once at start, shared by every API that calls it: the project's own linked in,
//! the others built with cargo (one command per workspace) and given their folders (`bootstrap`
//! in the one standing for `/var/task`, the layers' files in the one standing for `/opt`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use authorizer::Config;

use super::lambda::cargo::{self, CargoBinary};
use super::lambda::environment::{Folders, Place, variables};
use super::lambda::layers::{OptView, link};
use super::lambda::linked::{self, LinkedKind};
use super::lambda::process::{ProcessFunction, ProcessSpec, folders_of};
use super::lambda::{LambdaFunction, RunError};
use crate::error::Error;
use crate::template::{ApiRoute, Function, Stack};

/// The functions the APIs call, by logical id.
#[derive(Debug, Default)]
pub(crate) struct Functions {
    by_id: BTreeMap<String, Arc<LambdaFunction>>,
    /// The linked authorizers' configurations, by function (their rules and warnings).
    pub(crate) configs: BTreeMap<String, Config>,
    /// How each runs, by logical id, for the banner.
    pub(crate) described: BTreeMap<String, String>,
}

impl Functions {
    /// Every function an API of `stack` calls, ready; `issuer_url` is the local issuer.
    pub(crate) async fn start(stack: &Stack, issuer_url: &str) -> Result<Self, Error> {
        let place = Place {
            region: &stack.region,
            issuer_url,
            folders: &Folders::lambda(),
        };
        let mut functions = Self::default();
        let mut others = Vec::new();
        for function in used(stack) {
            match linked::linked_kind(function) {
                Some(kind) => functions.link(function, kind, &place, &stack.template)?,
                None => others.push(function),
            }
        }
        for (id, process, described) in processes(stack, &others, issuer_url).await? {
            functions.described.insert(id.clone(), described);
            functions
                .by_id
                .insert(id, Arc::new(LambdaFunction::Process(Box::new(process))));
        }
        Ok(functions)
    }

    /// Adds the project's function `function`, run in process.
    fn link(
        &mut self,
        function: &Function,
        kind: LinkedKind,
        place: &Place<'_>,
        file: &Path,
    ) -> Result<(), Error> {
        let what = match kind {
            LinkedKind::Authorizer => "the project's authorizer, linked in",
            LinkedKind::Echo => "the project's echo, linked in",
        };
        let layers = layers_line(function);
        self.described
            .insert(function.logical_id.clone(), format!("{what}{layers}"));
        let linked = match kind {
            LinkedKind::Authorizer => {
                let (authorizer, config) = linked::authorizer(function, place, file)?;
                self.configs.insert(function.logical_id.clone(), config);
                LambdaFunction::Authorizer(Box::new(authorizer))
            }
            LinkedKind::Echo => LambdaFunction::Echo(linked::echo(function, file)?),
        };
        self.by_id
            .insert(function.logical_id.clone(), Arc::new(linked));
        Ok(())
    }

    /// The function `logical_id`, if an API calls it.
    pub(crate) fn get(&self, logical_id: &str) -> Option<Arc<LambdaFunction>> {
        self.by_id.get(logical_id).cloned()
    }

    /// The linked authorizers' init: fetch the keys (the issuer must be serving).
    pub(crate) async fn prefetch(&self) {
        for function in self.by_id.values() {
            function.prefetch().await;
        }
    }
}

/// The functions the stack calls: its APIs' routes' and authorizers', and the pool's pre token
/// generation trigger.
fn used(stack: &Stack) -> Vec<&Function> {
    let mut ids = BTreeSet::new();
    if let Some(trigger) = stack.pre_token_function() {
        ids.insert(trigger.logical_id.as_str());
    }
    for api in &stack.apis {
        ids.extend(api.routes.iter().filter_map(ApiRoute::function));
        ids.extend(api.authorizers.values().map(|a| a.function.as_str()));
    }
    ids.into_iter()
        .filter_map(|id| stack.function(id))
        .collect()
}

/// `functions` built (one cargo command per workspace) and prepared to run as processes.
async fn processes(
    stack: &Stack,
    functions: &[&Function],
    issuer_url: &str,
) -> Result<Vec<(String, ProcessFunction, String)>, Error> {
    let failed = |function: &Function| {
        let file = stack.template.clone();
        let id = function.logical_id.clone();
        move |source| Error::Function {
            file,
            function: id,
            source,
        }
    };
    let mut located = Vec::with_capacity(functions.len());
    for function in functions {
        let dir = function
            .settings
            .code_dir
            .as_deref()
            .ok_or(RunError::NoCode);
        let binary = match dir {
            Ok(dir) => cargo::locate(dir, &function.binary).await,
            Err(e) => Err(e),
        };
        located.push((*function, binary.map_err(failed(function))?));
    }
    let stamps: Vec<_> = located
        .iter()
        .map(|(_, b)| cargo::stamp(&b.sources))
        .collect();
    // One build per workspace; a failure is reported on its first function.
    let mut workspaces: BTreeMap<&Path, (Vec<&CargoBinary>, &Function)> = BTreeMap::new();
    for (function, binary) in &located {
        let entry = workspaces
            .entry(&binary.manifest)
            .or_insert_with(|| (Vec::new(), *function));
        entry.0.push(binary);
    }
    for (manifest, (binaries, first)) in workspaces {
        cargo::build(manifest, &binaries)
            .await
            .map_err(failed(first))?;
    }
    let mut ready = Vec::with_capacity(located.len());
    for ((function, binary), built) in located.into_iter().zip(stamps) {
        let described = describe(function, &binary);
        let spec = prepare(stack, function, binary, issuer_url).map_err(failed(function))?;
        let process = ProcessFunction::new(spec, built);
        ready.push((function.logical_id.clone(), process, described));
    }
    Ok(ready)
}

/// The folders of `function` (its `bootstrap`, its layers), and what it runs with.
fn prepare(
    stack: &Stack,
    function: &Function,
    binary: CargoBinary,
    issuer_url: &str,
) -> Result<ProcessSpec, RunError> {
    let root = folders_of(&binary, &stack.stack_name, &function.logical_id);
    let folders = Folders {
        task: root.join("task"),
        opt: root.join("opt"),
    };
    OptView::new(&function.settings.layers)?
        .materialize(&folders.opt)
        .map_err(RunError::io(&folders.opt))?;
    std::fs::create_dir_all(&folders.task).map_err(RunError::io(&folders.task))?;
    let bootstrap = folders.task.join("bootstrap");
    let _ = std::fs::remove_file(&bootstrap);
    link(&binary.executable, &bootstrap).map_err(RunError::io(&bootstrap))?;
    let place = Place {
        region: &stack.region,
        issuer_url,
        folders: &folders,
    };
    Ok(ProcessSpec {
        logical_id: function.logical_id.clone(),
        arn: function.arn.clone(),
        timeout: Duration::from_secs(function.settings.timeout_seconds),
        memory_mb: function.settings.memory_mb,
        variables: variables(function, &place),
        folders,
        binary,
    })
}

/// How a process function runs, in a line.
fn describe(function: &Function, binary: &CargoBinary) -> String {
    let settings = &function.settings;
    let folder = binary
        .manifest
        .parent()
        .unwrap_or(&binary.manifest)
        .display();
    let mut line = format!(
        "a process: cargo build -p {} --bin {} ({folder}), Timeout {} s, MemorySize {} MB",
        binary.package, binary.binary, settings.timeout_seconds, settings.memory_mb
    );
    line.push_str(&layers_line(function));
    line
}

/// `, layers A, B under /opt` when the function has layers.
fn layers_line(function: &Function) -> String {
    let layers: Vec<&str> = function
        .settings
        .layers
        .iter()
        .map(|l| l.logical_id.as_str())
        .collect();
    if layers.is_empty() {
        String::new()
    } else {
        format!(", layers {} under /opt", layers.join(", "))
    }
}

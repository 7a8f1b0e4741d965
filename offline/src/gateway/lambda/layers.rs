//! A function's layers as Lambda merges them into `/opt` ("Adding layers to functions": in the
//! order the function lists them): the files of every layer's `ContentUri` folder, each under
//! its path relative to that folder. Which copy Lambda keeps when two layers hold the same file
//! AWS does not document, so such a function is refused. Processes get the merged tree as a
//! folder of links; the linked authorizer reads through [`OptView::read`], which also
//! gives `/var/task` as `sam build` packages a Rust function: `bootstrap` alone.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use super::tree::walk;
use crate::error::RunError;
use crate::template::resources::layer::Layer;

/// Where Lambda mounts layers.
pub(crate) const OPT: &str = "/opt";
/// Lambda's function code folder (`LAMBDA_TASK_ROOT`).
pub(crate) const TASK_ROOT: &str = "/var/task";

/// The files of a function's layers, by their path below `/opt`.
#[derive(Debug, Clone, Default)]
pub(crate) struct OptView {
    /// Path below `/opt` → the file, and the layer it comes from.
    files: BTreeMap<PathBuf, (PathBuf, String)>,
}

impl OptView {
    /// The merged files of `layers`; a path two layers both hold is refused.
    pub(crate) fn new(layers: &[Layer]) -> Result<Self, RunError> {
        let mut files: BTreeMap<PathBuf, (PathBuf, String)> = BTreeMap::new();
        for layer in layers {
            let mut conflict = None;
            walk(&layer.content, &mut |path, meta| {
                let Ok(relative) = path.strip_prefix(&layer.content) else {
                    return;
                };
                if !meta.is_file() || conflict.is_some() {
                    return;
                }
                if let Some((_, first)) = files.get(relative) {
                    conflict = Some(RunError::LayerConflict {
                        file: Path::new(OPT).join(relative).display().to_string(),
                        first: first.clone(),
                        second: layer.logical_id.clone(),
                    });
                    return;
                }
                files.insert(
                    relative.to_owned(),
                    (path.to_owned(), layer.logical_id.clone()),
                );
            });
            if let Some(conflict) = conflict {
                return Err(conflict);
            }
        }
        Ok(Self { files })
    }

    /// The file at `path` (below `/opt`) as the function reads it on Lambda.
    fn source(&self, path: &Path) -> Option<&Path> {
        let relative = path.strip_prefix(OPT).ok()?;
        self.files.get(relative).map(|(file, _)| file.as_path())
    }

    /// Reads `path` as the function would on Lambda: `/opt/...` from the layers, anything else
    /// as missing (`/var/task` holds only `bootstrap`, which `sam build` copies alone).
    pub(crate) fn read(&self, path: &Path) -> io::Result<String> {
        match self.source(path) {
            Some(file) => std::fs::read_to_string(file),
            None if path.starts_with(TASK_ROOT) => Err(io::Error::new(
                io::ErrorKind::NotFound,
                "not in the function's code: sam build packages a rust-cargolambda function as `bootstrap` alone (ship data files in a layer, under /opt)",
            )),
            None => Err(io::Error::new(
                io::ErrorKind::NotFound,
                "no such file on Lambda (the function's layers are under /opt)",
            )),
        }
    }

    /// Links every file into `dir` (emptied first), under its path below `/opt`: the folder a
    /// process sees as `/opt`.
    pub(crate) fn materialize(&self, dir: &Path) -> io::Result<()> {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        for (relative, (file, _)) in &self.files {
            let target = dir.join(relative);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            link(file, &target)?;
        }
        Ok(())
    }
}

/// `target` standing for `file`: a symbolic link (a copy where there are none).
#[cfg(unix)]
pub(crate) fn link(file: &Path, target: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(std::fs::canonicalize(file)?, target)
}

#[cfg(not(unix))]
pub(crate) fn link(file: &Path, target: &Path) -> io::Result<()> {
    std::fs::copy(file, target).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(root: &Path, id: &str, files: &[&str]) -> Layer {
        let content = root.join(id);
        for file in files {
            let path = content.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, format!("{id}:{file}")).unwrap();
        }
        Layer {
            logical_id: id.to_owned(),
            arn: format!("arn:{id}"),
            content,
        }
    }

    #[test]
    fn layers_merge_under_opt_and_a_file_two_layers_hold_is_refused() {
        let root =
            std::env::temp_dir().join(format!("offline-opt-{}", authorizer::mint::random_id()));
        let rules = layer(&root, "Rules", &["route-scopes.json"]);
        let tools = layer(&root, "Tools", &["bin/tool"]);
        let view = OptView::new(&[rules.clone(), tools]).unwrap();
        assert_eq!(
            view.read(Path::new("/opt/route-scopes.json")).unwrap(),
            "Rules:route-scopes.json"
        );
        assert_eq!(
            view.read(Path::new("/opt/bin/tool")).unwrap(),
            "Tools:bin/tool"
        );
        let missing = view
            .read(Path::new("/var/task/route-scopes.json"))
            .unwrap_err();
        assert!(missing.to_string().contains("bootstrap"), "{missing}");
        assert!(view.read(Path::new("/opt/nope")).is_err());
        let local = root.join("opt");
        view.materialize(&local).unwrap();
        assert_eq!(
            std::fs::read_to_string(local.join("bin/tool")).unwrap(),
            "Tools:bin/tool"
        );
        let again = layer(&root, "Again", &["route-scopes.json"]);
        let err = OptView::new(&[rules, again]).unwrap_err().to_string();
        assert!(
            err.contains("/opt/route-scopes.json")
                && err.contains("Rules")
                && err.contains("Again"),
            "{err}"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}

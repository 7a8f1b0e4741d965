//! A Rust function's binary, found and built as `cargo lambda build` does for `sam build`: the
//! package of the Cargo workspace at `CodeUri` that has the binary
//! `Metadata.BuildProperties.Binary` (`cargo metadata`), built with `cargo build -p PACKAGE --bin
//! BINARY` in the dev profile, for this machine; and the folders whose changes call for a rebuild
//! (the package, the workspace packages it depends on by path, the workspace's manifest and
//! lock file).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Deserialize;

use super::tree::walk;
use crate::error::RunError;

/// A function's binary and where it is built.
#[derive(Debug, Clone)]
pub(crate) struct CargoBinary {
    pub(crate) manifest: PathBuf,
    pub(crate) package: String,
    pub(crate) binary: String,
    /// `target/debug/BINARY`.
    pub(crate) executable: PathBuf,
    /// The workspace's target folder, where the offline stack keeps each function's folders.
    pub(crate) target_dir: PathBuf,
    /// Folders and files whose changes call for a rebuild.
    pub(crate) sources: Vec<PathBuf>,
}

#[derive(Debug, Deserialize)]
struct Metadata {
    packages: Vec<Package>,
    target_directory: PathBuf,
    workspace_root: PathBuf,
}

#[derive(Debug, Deserialize)]
struct Package {
    name: String,
    manifest_path: PathBuf,
    targets: Vec<Target>,
    dependencies: Vec<Dependency>,
}

#[derive(Debug, Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Dependency {
    path: Option<PathBuf>,
}

/// The cargo that runs the offline stack (`CARGO` under `cargo run`), else the one on `PATH`.
fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// The binary `binary` of the workspace at `code_dir`.
pub(crate) async fn locate(code_dir: &Path, binary: &str) -> Result<CargoBinary, RunError> {
    let manifest = code_dir.join("Cargo.toml");
    let output = tokio::process::Command::new(cargo())
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--manifest-path",
        ])
        .arg(&manifest)
        .output()
        .await
        .map_err(RunError::io(&manifest))?;
    let failed = |message: String| RunError::Metadata {
        manifest: manifest.clone(),
        message,
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(failed(stderr.trim().to_owned()));
    }
    let metadata: Metadata =
        serde_json::from_slice(&output.stdout).map_err(|e| failed(e.to_string()))?;
    let package = metadata
        .packages
        .iter()
        .find(|p| {
            p.targets
                .iter()
                .any(|t| t.name == binary && t.kind.iter().any(|k| k == "bin"))
        })
        .ok_or_else(|| RunError::NoBinary {
            manifest: manifest.clone(),
            binary: binary.to_owned(),
        })?;
    Ok(CargoBinary {
        package: package.name.clone(),
        binary: binary.to_owned(),
        executable: metadata.target_directory.join("debug").join(binary),
        sources: sources(&metadata, package),
        target_dir: metadata.target_directory.clone(),
        manifest,
    })
}

/// The package's folder, those of the path dependencies it reaches, the workspace's manifest and
/// lock file.
fn sources(metadata: &Metadata, package: &Package) -> Vec<PathBuf> {
    let folder = |p: &Package| p.manifest_path.parent().map(Path::to_path_buf);
    let mut seen: BTreeSet<PathBuf> = folder(package).into_iter().collect();
    let mut todo = vec![package];
    while let Some(next) = todo.pop() {
        for path in next.dependencies.iter().filter_map(|d| d.path.clone()) {
            if seen.insert(path.clone()) {
                let member = metadata
                    .packages
                    .iter()
                    .find(|p| folder(p).as_ref() == Some(&path));
                todo.extend(member);
            }
        }
    }
    let root = &metadata.workspace_root;
    seen.extend([root.join("Cargo.toml"), root.join("Cargo.lock")]);
    seen.into_iter().collect()
}

/// Builds `binaries` (all of one workspace, `manifest`) with one cargo command; its messages go
/// to stderr, as `sam build`'s do.
pub(crate) async fn build(manifest: &Path, binaries: &[&CargoBinary]) -> Result<(), RunError> {
    let mut command = tokio::process::Command::new(cargo());
    command.arg("build").arg("--manifest-path").arg(manifest);
    for binary in binaries {
        command.args(["-p", &binary.package, "--bin", &binary.binary]);
    }
    let shown = format!(
        "cargo build --manifest-path {} {}",
        manifest.display(),
        binaries
            .iter()
            .map(|b| format!("-p {} --bin {}", b.package, b.binary))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let status = command
        .stdin(std::process::Stdio::null())
        .status()
        .await
        .map_err(RunError::io(manifest))?;
    if status.success() {
        Ok(())
    } else {
        Err(RunError::Build { command: shown })
    }
}

/// The latest change under `sources`: the newest modification time of their files and folders
/// (a file removed changes its folder's).
pub(crate) fn stamp(sources: &[PathBuf]) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    let mut see = |meta: &std::fs::Metadata| {
        if let Ok(modified) = meta.modified() {
            newest = newest.max(modified);
        }
    };
    for source in sources {
        if let Ok(meta) = std::fs::metadata(source) {
            see(&meta);
            if meta.is_dir() {
                walk(source, &mut |_, meta| see(meta));
            }
        }
    }
    newest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_workspace_package_holding_a_binary_is_found_with_its_path_dependencies() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let found = locate(&root, "echo-handler").await.unwrap();
        assert_eq!(found.package, "echo-handler");
        assert!(
            found.executable.ends_with("debug/echo-handler"),
            "{found:?}"
        );
        let names: Vec<String> = found
            .sources
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        for name in ["echo-handler", "auth-context", "lambda-log", "Cargo.lock"] {
            assert!(names.contains(&name.to_owned()), "{name} in {names:?}");
        }
        let err = locate(&root, "no-such-binary").await.unwrap_err();
        assert!(err.to_string().contains("no-such-binary"), "{err}");
        assert!(stamp(&found.sources) > SystemTime::UNIX_EPOCH);
    }
}

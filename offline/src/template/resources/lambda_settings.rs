//! How Lambda runs a function of the template, from its properties and `Globals.Function`: the
//! runtime and build method the offline stack runs (Rust built by `rust-cargolambda` on a
//! `provided` runtime; any other is refused naming `sam local`), the code folder, `Handler`,
//! `Timeout`, `MemorySize` and `Layers`.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::kinds::Resource;
use super::layer::{Layer, named_layers};
use crate::template::error::{Located, Problem};
use crate::template::fields::whole_number;
use crate::template::intrinsics::Resolver;

/// SAM's default `Timeout`, in seconds.
pub(crate) const DEFAULT_TIMEOUT_SECONDS: u64 = 3;
/// Lambda's default `MemorySize`, in MB.
pub(crate) const DEFAULT_MEMORY_MB: u64 = 128;
/// The build method of Rust functions.
pub(crate) const CARGO_LAMBDA: &str = "rust-cargolambda";
/// The OS-only runtimes a Rust binary named `bootstrap` runs on.
const PROVIDED_RUNTIMES: &[&str] = &["provided.al2023", "provided.al2", "provided"];

/// What Lambda runs the function with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LambdaSettings {
    /// `CodeUri` resolved against the template's folder: the Cargo project cargo-lambda builds
    /// in; `None` when absent.
    pub(crate) code_dir: Option<PathBuf>,
    /// `Handler` (`_HANDLER`), `bootstrap` when absent.
    pub(crate) handler: String,
    pub(crate) timeout_seconds: u64,
    pub(crate) memory_mb: u64,
    /// `Layers`, in the function's order: their files are under `/opt`.
    pub(crate) layers: Vec<Layer>,
}

impl Default for LambdaSettings {
    fn default() -> Self {
        Self {
            code_dir: None,
            handler: "bootstrap".to_owned(),
            timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
            memory_mb: DEFAULT_MEMORY_MB,
            layers: Vec::new(),
        }
    }
}

/// What a function reads its settings from: its resolved properties, the template (for
/// `Globals.Function`), the layers, and the template's folder.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SettingsSource<'a> {
    pub(crate) props: &'a Value,
    pub(crate) template: &'a Value,
    pub(crate) resolver: &'a Resolver,
    pub(crate) layers: &'a BTreeMap<String, Layer>,
    pub(crate) dir: &'a Path,
}

impl SettingsSource<'_> {
    /// The function's own `key`, else `Globals.Function.key`, resolved; `None` when neither.
    fn get(&self, key: &str) -> Result<Option<Value>, Located> {
        if let Some(own) = self.props.get(key) {
            return Ok(Some(own.clone()));
        }
        let Some(global) = self.template.pointer(&format!("/Globals/Function/{key}")) else {
            return Ok(None);
        };
        let at = format!("Globals.Function.{key}");
        self.resolver.resolve(global, &at).map(Some)
    }
}

/// The settings of the function `resource` (its properties at `at`).
pub(crate) fn settings(
    resource: &Resource<'_>,
    source: SettingsSource<'_>,
    at: &str,
) -> Result<LambdaSettings, Located> {
    check_runnable(resource, source, at)?;
    let defaults = LambdaSettings::default();
    let number = |key: &str, range: RangeInclusive<u64>, default| -> Result<u64, Located> {
        let Some(value) = source.get(key)? else {
            return Ok(default);
        };
        let (min, max) = (*range.start(), *range.end());
        whole_number(&value)
            .filter(|n| range.contains(n))
            .ok_or_else(|| Problem::OutOfRange { min, max }.at(format!("{at}.{key}")))
    };
    let timeout_seconds = number("Timeout", 1..=900, defaults.timeout_seconds)?;
    let memory_mb = number("MemorySize", 128..=10_240, defaults.memory_mb)?;
    let handler = match source.get("Handler")? {
        Some(Value::String(handler)) => handler,
        Some(_) => return Err(Problem::NotAString.at(format!("{at}.Handler"))),
        None => defaults.handler,
    };
    Ok(LambdaSettings {
        code_dir: code_dir(source, at)?,
        handler,
        timeout_seconds,
        memory_mb,
        layers: layers(source, at)?,
    })
}

/// Refuses what the offline stack does not run: images, inline code, another runtime or build
/// method.
fn check_runnable(
    resource: &Resource<'_>,
    source: SettingsSource<'_>,
    at: &str,
) -> Result<(), Located> {
    if let Some(Value::String(kind)) = source.get("PackageType")?
        && kind == "Image"
    {
        return Err(Problem::ImageFunction.at(format!("{at}.PackageType")));
    }
    if source.props.get("InlineCode").is_some() {
        return Err(Problem::InlineCode.at(format!("{at}.InlineCode")));
    }
    if let Some(runtime) = source.get("Runtime")? {
        let runtime = runtime.as_str().unwrap_or_default().to_owned();
        if !PROVIDED_RUNTIMES.contains(&runtime.as_str()) {
            return Err(Problem::OtherRuntime(runtime).at(format!("{at}.Runtime")));
        }
    }
    match resource.body.pointer("/Metadata/BuildMethod") {
        None => Ok(()),
        Some(Value::String(method)) if method == CARGO_LAMBDA => Ok(()),
        Some(other) => {
            let method = other
                .as_str()
                .map_or_else(|| other.to_string(), str::to_owned);
            let path = format!("{}.Metadata.BuildMethod", resource.path());
            Err(Problem::OtherBuildMethod(method).at(path))
        }
    }
}

/// `CodeUri`: a local folder, resolved against the template's folder.
fn code_dir(source: SettingsSource<'_>, at: &str) -> Result<Option<PathBuf>, Located> {
    match source.get("CodeUri")? {
        None => Ok(None),
        Some(Value::String(uri)) if !uri.starts_with("s3://") => Ok(Some(source.dir.join(uri))),
        Some(other) => {
            let uri = other
                .as_str()
                .map_or_else(|| other.to_string(), str::to_owned);
            Err(Problem::NotLocalCode(uri).at(format!("{at}.CodeUri")))
        }
    }
}

/// `Globals.Function.Layers`, then the function's own (SAM adds the function's to the
/// globals').
fn layers(source: SettingsSource<'_>, at: &str) -> Result<Vec<Layer>, Located> {
    let mut named = Vec::new();
    if let Some(global) = source.template.pointer("/Globals/Function/Layers") {
        let at = "Globals.Function.Layers";
        let arns = source.resolver.list(global, at)?;
        named.extend(named_layers(&arns, source.layers, at)?);
    }
    if let Some(own) = source.props.get("Layers") {
        let at = format!("{at}.Layers");
        let arns = own
            .as_array()
            .ok_or_else(|| Problem::ExpectedList(own.to_string()).at(&at))?;
        named.extend(named_layers(arns, source.layers, &at)?);
    }
    Ok(named)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::resources::kinds::Kind;
    use serde_json::json;

    fn read(body: Value, template: Value) -> Result<LambdaSettings, Located> {
        let resource = Resource {
            id: "F",
            kind: Kind::Function,
            body: &body,
        };
        let props = body.get("Properties").cloned().unwrap_or(json!({}));
        let source = SettingsSource {
            props: &props,
            template: &template,
            resolver: &Resolver::default(),
            layers: &BTreeMap::new(),
            dir: Path::new("/t"),
        };
        settings(&resource, source, "Resources.F.Properties")
    }

    #[test]
    fn settings_come_from_the_function_then_the_globals() {
        let globals = json!({"Globals": {"Function": {"Timeout": 10, "CodeUri": ".",
            "Runtime": "provided.al2023", "MemorySize": 256}}});
        let own = json!({"Metadata": {"BuildMethod": "rust-cargolambda"},
            "Properties": {"Timeout": 5, "Handler": "bootstrap"}});
        let settings = read(own, globals).unwrap();
        assert_eq!((settings.timeout_seconds, settings.memory_mb), (5, 256));
        assert_eq!(settings.code_dir.as_deref(), Some(Path::new("/t/.")));
        let defaults = read(json!({}), json!({})).unwrap();
        assert_eq!(defaults, LambdaSettings::default());
    }

    #[test]
    fn other_runtimes_build_methods_and_packages_are_refused() {
        for (body, path, needle) in [
            (
                json!({"Properties": {"Runtime": "python3.12"}}),
                "Resources.F.Properties.Runtime",
                "sam local",
            ),
            (
                json!({"Metadata": {"BuildMethod": "makefile"}}),
                "Resources.F.Metadata.BuildMethod",
                "sam local",
            ),
            (
                json!({"Properties": {"PackageType": "Image"}}),
                "Resources.F.Properties.PackageType",
                "sam local",
            ),
            (
                json!({"Properties": {"InlineCode": "x"}}),
                "Resources.F.Properties.InlineCode",
                "inline",
            ),
            (
                json!({"Properties": {"CodeUri": "s3://b/k"}}),
                "Resources.F.Properties.CodeUri",
                "local",
            ),
            (
                json!({"Properties": {"Timeout": 901}}),
                "Resources.F.Properties.Timeout",
                "900",
            ),
            (
                json!({"Properties": {"MemorySize": 64}}),
                "Resources.F.Properties.MemorySize",
                "128",
            ),
        ] {
            let err = read(body.clone(), json!({})).unwrap_err();
            assert_eq!(err.path, path, "{body}");
            assert!(
                err.problem.to_string().contains(needle),
                "{body}: {}",
                err.problem
            );
        }
    }
}

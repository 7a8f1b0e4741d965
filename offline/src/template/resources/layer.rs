//! `AWS::Serverless::LayerVersion` whose `ContentUri` is a local folder: what `sam build`
//! packages as the layer, and what a function naming it in `Layers` finds under `/opt`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::kinds::Resource;
use crate::template::error::{Located, Problem};
use crate::template::fields::{only_known, str_field};
use crate::template::ids::ACCOUNT_ID;

/// Properties of a layer: the content, and what changes nothing offline.
const KEYS: &[&str] = &[
    "ContentUri",
    "LayerName",
    "Description",
    "CompatibleRuntimes",
    "CompatibleArchitectures",
    "LicenseInfo",
    "RetentionPolicy",
];

/// A layer of the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layer {
    pub(crate) logical_id: String,
    /// What `Ref` gives: the layer version's ARN.
    pub(crate) arn: String,
    /// `ContentUri`, resolved against the template's folder: its files are under `/opt`.
    pub(crate) content: PathBuf,
}

/// The ARN of version 1 of the layer named `name`.
pub(crate) fn arn(region: &str, name: &str) -> String {
    format!("arn:aws:lambda:{region}:{ACCOUNT_ID}:layer:{name}:1")
}

/// The layer `resource` from its resolved properties `props`; `arn` is what `Ref` gives, `dir`
/// the template's folder.
pub(crate) fn layer(
    resource: &Resource<'_>,
    props: &Value,
    arn: &str,
    dir: &Path,
) -> Result<Layer, Located> {
    let at = format!("{}.Properties", resource.path());
    if resource.body.pointer("/Metadata/BuildMethod").is_some() {
        return Err(
            Problem::LayerBuildMethod.at(format!("{}.Metadata.BuildMethod", resource.path()))
        );
    }
    only_known(props, KEYS, &at)?;
    let uri = str_field(props, "ContentUri", &at)?;
    let at = format!("{at}.ContentUri");
    if uri.starts_with("s3://") {
        return Err(Problem::NotLocalCode(uri.to_owned()).at(at));
    }
    let content = dir.join(uri);
    if !content.is_dir() {
        return Err(Problem::NotAFolder(content.display().to_string()).at(at));
    }
    Ok(Layer {
        logical_id: resource.id.to_owned(),
        arn: arn.to_owned(),
        content,
    })
}

/// The layers a function's resolved `Layers` list names (at `at`), in its order: each one a
/// layer of the template, by ARN.
pub(crate) fn named_layers(
    arns: &[Value],
    layers: &BTreeMap<String, Layer>,
    at: &str,
) -> Result<Vec<Layer>, Located> {
    arns.iter()
        .enumerate()
        .map(|(i, arn)| {
            let at = format!("{at}[{i}]");
            let arn = arn.as_str().ok_or_else(|| Problem::NotAString.at(&at))?;
            layers
                .values()
                .find(|l| l.arn == arn)
                .cloned()
                .ok_or_else(|| Problem::UnknownLayer(arn.to_owned()).at(at))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_layer_is_a_local_folder_and_functions_name_it_by_arn() {
        let body = json!({"Type": "AWS::Serverless::LayerVersion"});
        let resource = Resource {
            id: "Rules",
            kind: super::super::kinds::Kind::LayerVersion,
            body: &body,
        };
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let read = |props: Value| layer(&resource, &props, "arn:l", dir);
        let rules = read(json!({"ContentUri": "src", "LayerName": "rules"})).unwrap();
        assert_eq!(rules.content, dir.join("src"));
        for (props, path) in [
            (
                json!({"ContentUri": "Cargo.toml"}),
                "Resources.Rules.Properties.ContentUri",
            ),
            (
                json!({"ContentUri": "s3://b/k.zip"}),
                "Resources.Rules.Properties.ContentUri",
            ),
            (
                json!({"Content": "x"}),
                "Resources.Rules.Properties.Content",
            ),
        ] {
            assert_eq!(read(props.clone()).unwrap_err().path, path, "{props}");
        }
        let layers = BTreeMap::from([("Rules".to_owned(), rules)]);
        let named = named_layers(&[json!("arn:l")], &layers, "F.Layers").unwrap();
        assert_eq!(named[0].logical_id, "Rules");
        let err = named_layers(&[json!("arn:other")], &layers, "F.Layers").unwrap_err();
        assert_eq!(err.path, "F.Layers[0]");
    }
}

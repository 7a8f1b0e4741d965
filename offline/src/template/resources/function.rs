//! `AWS::Serverless::Function`: its binary (`Metadata.BuildProperties.Binary`), how Lambda runs
//! it (`lambda_settings`), and its environment (`Globals.Function`'s merged in, checked as
//! Lambda checks it by `environment`, then `--env-vars` applied).

use std::collections::BTreeMap;

use serde_json::Value;

use super::environment;
use super::kinds::Resource;
use super::lambda_settings::{LambdaSettings, SettingsSource, settings};
use crate::template::env_vars::EnvVars;
use crate::template::error::{Located, Problem};
use crate::template::ids::ACCOUNT_ID;
use crate::template::intrinsics::Resolver;

/// The project's authorizer binary, which an API's Lambda authorizer runs in process.
pub(crate) const AUTHORIZER_BINARY: &str = "authorizer";
/// The project's echo binary.
pub(crate) const ECHO_BINARY: &str = "echo-handler";

/// A Lambda function of the template, by logical id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Function {
    pub(crate) logical_id: String,
    /// `FunctionName`, else CloudFormation's `{stack}-{id}`.
    pub(crate) name: String,
    pub(crate) arn: String,
    /// `Metadata.BuildProperties.Binary`.
    pub(crate) binary: String,
    pub(crate) settings: LambdaSettings,
    /// `Environment.Variables` (Globals merged in), resolved, with `--env-vars` applied.
    pub(crate) environment: BTreeMap<String, String>,
}

impl Function {
    #[cfg(test)]
    /// A function `id` running `binary`, with Lambda's defaults.
    pub(crate) fn test(id: &str, arn: &str, binary: &str) -> Self {
        Self {
            logical_id: id.to_owned(),
            name: id.to_owned(),
            arn: arn.to_owned(),
            binary: binary.to_owned(),
            settings: LambdaSettings::default(),
            environment: BTreeMap::new(),
        }
    }
}

/// The ARN of the function named `name`.
pub(crate) fn arn(region: &str, name: &str) -> String {
    format!("arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{name}")
}

/// The function `resource` from `source` (its resolved properties, the template for its
/// `Globals`, the layers); `env_vars` for the overrides, `region` for its ARN.
pub(crate) fn function(
    resource: &Resource<'_>,
    source: SettingsSource<'_>,
    env_vars: &EnvVars,
    region: &str,
) -> Result<Function, Located> {
    let id = resource.id;
    let binary = binary(resource)?;
    let at = format!("{}.Properties", resource.path());
    let settings = settings(resource, source, &at)?;
    let mut environment = variables(source, &at)?;
    environment::check(&environment, &format!("{at}.Environment.Variables"))?;
    if let Some(vars) = env_vars.get(id) {
        environment.extend(vars.clone());
    }
    let name = source.resolver.get_ref(id).unwrap_or(id).to_owned();
    Ok(Function {
        logical_id: id.to_owned(),
        arn: arn(region, &name),
        name,
        binary: binary.to_owned(),
        settings,
        environment,
    })
}

/// `Globals.Function.Environment.Variables`, then the function's own, resolved.
fn variables(source: SettingsSource<'_>, at: &str) -> Result<BTreeMap<String, String>, Located> {
    let globals = source
        .template
        .pointer("/Globals/Function/Environment/Variables")
        .cloned()
        .unwrap_or(Value::Null);
    let resolver: &Resolver = source.resolver;
    let globals = resolver.resolve(&globals, "Globals.Function.Environment.Variables")?;
    let own = source
        .props
        .pointer("/Environment/Variables")
        .unwrap_or(&Value::Null);
    let mut environment = BTreeMap::new();
    for vars in [&globals, own].into_iter().filter_map(Value::as_object) {
        for (name, value) in vars {
            let at = format!("{at}.Environment.Variables.{name}");
            environment.insert(name.clone(), resolver.string(value, &at)?);
        }
    }
    Ok(environment)
}

/// `Metadata.BuildProperties.Binary`: the Cargo binary the function runs.
fn binary<'a>(resource: &Resource<'a>) -> Result<&'a str, Located> {
    let at = format!("{}.Metadata.BuildProperties.Binary", resource.path());
    resource
        .body
        .pointer("/Metadata/BuildProperties/Binary")
        .and_then(Value::as_str)
        .filter(|b| !b.trim().is_empty())
        .ok_or_else(|| Problem::NoBinary.at(at))
}

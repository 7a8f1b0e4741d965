//! `AWS::Serverless::Function`: which linked-in binary runs it and its environment.

use std::collections::BTreeMap;

use serde_json::Value;

use super::kinds::Resource;
use crate::template::env_vars::EnvVars;
use crate::template::error::{Located, Problem};
use crate::template::ids::ACCOUNT_ID;
use crate::template::intrinsics::Resolver;

/// Binaries the offline stack links in, by the name in `Metadata.BuildProperties.Binary`.
pub(crate) const AUTHORIZER_BINARY: &str = "authorizer";
pub(crate) const ECHO_BINARY: &str = "echo-handler";

/// A Lambda function of the template, by logical id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Function {
    pub(crate) logical_id: String,
    pub(crate) arn: String,
    /// `Metadata.BuildProperties.Binary`.
    pub(crate) binary: String,
    /// `Environment.Variables` (Globals merged in), resolved, with `--env-vars` applied.
    pub(crate) environment: BTreeMap<String, String>,
}

/// The ARN of the function named `name`.
pub(crate) fn arn(region: &str, name: &str) -> String {
    format!("arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{name}")
}

/// The function `resource` from its resolved properties `props` (at `at`); `template` for its
/// `Globals`, `env_vars` for the overrides, `region` for its ARN.
pub(crate) fn function(
    resource: &Resource<'_>,
    props: &Value,
    template: &Value,
    resolver: &Resolver,
    env_vars: &EnvVars,
    region: &str,
) -> Result<Function, Located> {
    let id = resource.id;
    let binary = binary(resource)?;
    let mut environment = BTreeMap::new();
    let globals = template
        .pointer("/Globals/Function/Environment/Variables")
        .cloned()
        .unwrap_or(Value::Null);
    let globals = resolver.resolve(&globals, "Globals.Function.Environment.Variables")?;
    let at = format!("{}.Properties.Environment.Variables", resource.path());
    let own = props
        .pointer("/Environment/Variables")
        .unwrap_or(&Value::Null);
    for vars in [&globals, own].into_iter().filter_map(Value::as_object) {
        for (name, value) in vars {
            let value = resolver.string(value, &format!("{at}.{name}"))?;
            environment.insert(name.clone(), value);
        }
    }
    if let Some(vars) = env_vars.get(id) {
        environment.extend(vars.clone());
    }
    let name = resolver.get_ref(id).unwrap_or(id);
    Ok(Function {
        logical_id: id.to_owned(),
        arn: arn(region, name),
        binary: binary.to_owned(),
        environment,
    })
}

/// `Metadata.BuildProperties.Binary`, one the offline stack links in.
fn binary<'a>(resource: &Resource<'a>) -> Result<&'a str, Located> {
    let at = format!("{}.Metadata.BuildProperties.Binary", resource.path());
    let binary = resource
        .body
        .pointer("/Metadata/BuildProperties/Binary")
        .and_then(Value::as_str)
        .ok_or_else(|| Problem::NoBinary.at(&at))?;
    if [AUTHORIZER_BINARY, ECHO_BINARY].contains(&binary) {
        Ok(binary)
    } else {
        Err(Problem::UnknownBinary {
            binary: binary.to_owned(),
            known: format!("{AUTHORIZER_BINARY}, {ECHO_BINARY}"),
        }
        .at(at))
    }
}

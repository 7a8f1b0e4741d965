//! Function environment overrides in `sam local --env-vars` form:
//! `{"FunctionLogicalId": {"VAR": "value"}, "Parameters": {"VAR": "for every function"}}`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Variables by function logical id.
pub(crate) type EnvVars = BTreeMap<String, BTreeMap<String, String>>;

/// Why an `--env-vars` file cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("--env-vars {}: {problem}", path.display())]
pub struct EnvVarsError {
    pub(crate) path: PathBuf,
    pub(crate) problem: EnvVarsProblem,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum EnvVarsProblem {
    #[error(transparent)]
    Read(#[from] std::io::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error("expected a JSON object")]
    NotAnObject,
    #[error("`{0}`: expected an object")]
    FunctionNotAnObject(String),
    #[error("`{function}.{name}`: expected a string")]
    NotAString { function: String, name: String },
}

/// Reads the file; the `Parameters` key's variables are applied under each function's own.
pub(crate) fn read_env_vars(path: &Path) -> Result<EnvVars, EnvVarsError> {
    parse(path).map_err(|problem| EnvVarsError {
        path: path.to_owned(),
        problem,
    })
}

fn parse(path: &Path) -> Result<EnvVars, EnvVarsProblem> {
    let text = std::fs::read_to_string(path)?;
    let value: Value = serde_json::from_str(&text)?;
    let object = value.as_object().ok_or(EnvVarsProblem::NotAnObject)?;
    let mut out = BTreeMap::new();
    for (function, vars) in object {
        let vars = vars
            .as_object()
            .ok_or_else(|| EnvVarsProblem::FunctionNotAnObject(function.clone()))?;
        let mut map = BTreeMap::new();
        for (name, value) in vars {
            let value = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => {
                    return Err(EnvVarsProblem::NotAString {
                        function: function.clone(),
                        name: name.clone(),
                    });
                }
            };
            map.insert(name.clone(), value);
        }
        out.insert(function.clone(), map);
    }
    if let Some(common) = out.remove("Parameters") {
        for vars in out.values_mut() {
            for (k, v) in &common {
                vars.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_vars_file_like_sam_local() {
        let path = std::env::temp_dir().join(format!(
            "offline-env-{}.json",
            crate::random::random_string(8, b"abc")
        ));
        std::fs::write(&path, r#"{"AuthorizerFunction": {"ROUTE_SCOPES": "{}", "N": 5}, "Parameters": {"X": "y", "N": "0"}}"#).unwrap();
        let vars = read_env_vars(&path).unwrap();
        assert_eq!(vars["AuthorizerFunction"]["ROUTE_SCOPES"], "{}");
        assert_eq!(vars["AuthorizerFunction"]["N"], "5");
        assert_eq!(vars["AuthorizerFunction"]["X"], "y");
        assert!(!vars.contains_key("Parameters"));
        std::fs::remove_file(&path).unwrap();
    }
}

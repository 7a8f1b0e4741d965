//! `DefinitionBody: {Fn::Transform: {Name: AWS::Include, Parameters: {Location: ./openapi.yaml}}}`:
//! the definition in a file of its own, as the SAM CLI reads a local `Location` (relative to the
//! template's folder; an `s3://` one is refused). The file is YAML or JSON; CloudFormation then
//! resolves the intrinsic functions in it, in their long form (`Fn::Sub:`), as the
//! `AWS::Include` transform documents; a short form tag (`!Sub`) is refused.

use std::path::Path;

use serde_json::Value;

use crate::template::error::{Located, Problem};
use crate::template::yaml::to_json;

/// `body` with an `AWS::Include` transform replaced by the file it names (at `at`); any other
/// `body` as it is.
pub(crate) fn expand(body: &Value, dir: &Path, at: &str) -> Result<Value, Located> {
    let Some(transform) = body
        .get("Fn::Transform")
        .filter(|_| body.as_object().is_some_and(|b| b.len() == 1))
    else {
        return Ok(body.clone());
    };
    let at = format!("{at}.Fn::Transform");
    if transform.get("Name").and_then(Value::as_str) != Some("AWS::Include") {
        return Err(
            Problem::UnsupportedFunction("Fn::Transform".to_owned()).at(format!("{at}.Name"))
        );
    }
    let location = transform
        .pointer("/Parameters/Location")
        .and_then(Value::as_str)
        .ok_or_else(|| Problem::MissingString.at(format!("{at}.Parameters.Location")))?;
    let at = format!("{at}.Parameters.Location");
    if location.contains("://") {
        return Err(Problem::NotLocalCode(location.to_owned()).at(at));
    }
    let file = dir.join(location);
    let text = std::fs::read_to_string(&file)
        .map_err(|e| Problem::Include(format!("{}: {e}", file.display())).at(&at))?;
    if text.lines().any(short_form_tag) {
        return Err(Problem::IncludeShortForm(file.display().to_string()).at(at));
    }
    to_json(&text).map_err(|e| {
        Problem::Include(format!("{}: {}: {}", file.display(), e.path, e.problem)).at(at)
    })
}

/// Whether a YAML line uses a CloudFormation short-form tag (`!Sub`, `!Ref`, `!GetAtt`, ...).
fn short_form_tag(line: &str) -> bool {
    if line.trim_start().starts_with('#') {
        return false;
    }
    let code = line.split(" #").next().unwrap_or_default();
    code.split_whitespace().any(|word| {
        word.starts_with('!') && word[1..].starts_with(|c: char| c.is_ascii_uppercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_local_file_is_included_and_other_transforms_refused() {
        let dir =
            std::env::temp_dir().join(format!("offline-include-{}", authorizer::mint::random_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let api = "# a comment that says !Sub\nopenapi: '3.0.1'\npaths: {}\n";
        std::fs::write(dir.join("api.yaml"), api).unwrap();
        std::fs::write(dir.join("short.yaml"), "x: !Sub '${AWS::Region}'\n").unwrap();
        let include = |location: &str| json!({"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": location}}});
        let body = expand(&include("./api.yaml"), &dir, "B").unwrap();
        assert_eq!(body["openapi"], "3.0.1");
        assert_eq!(
            expand(&json!({"paths": {}}), &dir, "B").unwrap(),
            json!({"paths": {}})
        );
        for (body, path) in [
            (
                include("s3://bucket/api.yaml"),
                "B.Fn::Transform.Parameters.Location",
            ),
            (
                include("missing.yaml"),
                "B.Fn::Transform.Parameters.Location",
            ),
            (include("short.yaml"), "B.Fn::Transform.Parameters.Location"),
            (
                json!({"Fn::Transform": {"Name": "AWS::Other"}}),
                "B.Fn::Transform.Name",
            ),
        ] {
            assert_eq!(expand(&body, &dir, "B").unwrap_err().path, path, "{body}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! CloudFormation YAML to JSON: short-form tags (`!Ref X`, `!Sub '...'`, `!GetAtt A.B`, ...)
//! become the long form (`{"Ref": "X"}`, `{"Fn::Sub": "..."}`, `{"Fn::GetAtt": ["A", "B"]}`), so
//! the rest of the crate reads one shape, as CloudFormation itself does.

use std::path::Path;

use saphyr::{LoadableYamlNode, Scalar, Yaml};
use serde_json::{Map, Number, Value, json};

use super::error::{LoadError, Located, Problem};

/// Short-form tags CloudFormation defines, besides `!Ref`, `!Condition` and `!GetAtt`.
const FN_TAGS: &[&str] = &[
    "And",
    "Base64",
    "Cidr",
    "Equals",
    "FindInMap",
    "GetAZs",
    "If",
    "ImportValue",
    "Join",
    "Not",
    "Or",
    "Select",
    "Split",
    "Sub",
    "Transform",
    "ToJsonString",
    "Length",
];

/// Reads and parses a YAML or JSON template file.
pub(crate) fn read_template(path: &Path) -> Result<Value, LoadError> {
    let source = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
        path: path.to_owned(),
        source,
    })?;
    to_json(&source).map_err(|e| e.in_file(path).into())
}

/// Parses one YAML (or JSON) template into JSON. The error names the YAML position or the node.
pub(crate) fn to_json(source: &str) -> Result<Value, Located> {
    let docs =
        Yaml::load_from_str(source).map_err(|e| Problem::Yaml(e.to_string()).at("(yaml)"))?;
    match docs.as_slice() {
        [doc] => convert(doc, "(root)"),
        [] => Err(Problem::EmptyFile.at("(root)")),
        _ => Err(Problem::ManyDocuments.at("(root)")),
    }
}

fn convert(node: &Yaml, at: &str) -> Result<Value, Located> {
    let bad = |problem: Problem| Err(problem.at(at));
    match node {
        Yaml::Value(scalar) => Ok(scalar_to_json(scalar)),
        Yaml::Representation(text, _, _) => Ok(Value::String(text.to_string())),
        Yaml::Sequence(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| convert(item, &format!("{at}[{i}]")))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Yaml::Mapping(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                let key = match key {
                    Yaml::Value(Scalar::String(s)) => s.to_string(),
                    Yaml::Value(scalar) => scalar_to_json(scalar).to_string(),
                    _ => return bad(Problem::KeyNotScalar),
                };
                let child = if at == "(root)" {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                let value = convert(value, &child)?;
                if out.insert(key.clone(), value).is_some() {
                    return bad(Problem::DuplicateKey(key));
                }
            }
            Ok(Value::Object(out))
        }
        Yaml::Tagged(tag, inner) => {
            if tag.handle != "!" {
                return bad(Problem::UnsupportedTag(format!(
                    "{}{}",
                    tag.handle, tag.suffix
                )));
            }
            let inner_json = convert(inner, at)?;
            let name = tag.suffix.as_str();
            match name {
                "Ref" | "Condition" => Ok(json!({ name: inner_json })),
                "GetAtt" => match inner_json {
                    Value::String(s) => match s.split_once('.') {
                        Some((resource, attribute)) => {
                            Ok(json!({"Fn::GetAtt": [resource, attribute]}))
                        }
                        None => bad(Problem::GetAttShortForm(s)),
                    },
                    other => Ok(json!({ "Fn::GetAtt": other })),
                },
                _ if FN_TAGS.contains(&name) => Ok(json!({ format!("Fn::{name}"): inner_json })),
                _ => bad(Problem::UnknownFunctionTag(name.to_owned())),
            }
        }
        Yaml::Alias(_) => bad(Problem::Alias),
        Yaml::BadValue => bad(Problem::BadValue),
    }
}

fn scalar_to_json(scalar: &Scalar) -> Value {
    match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::Number((*i).into()),
        Scalar::FloatingPoint(f) => {
            Number::from_f64(f.into_inner()).map_or(Value::Null, Value::Number)
        }
        Scalar::String(s) => Value::String(s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_become_long_forms() {
        let v = to_json(
            "a: !Ref X\nb: !GetAtt A.Arn\nc: !Sub\n  - '${x}-y'\n  - {x: !Ref Z}\nd: 5\ne: '5'\nf: true\ng: ~\nh: [1, 2.5]\n",
        )
        .unwrap();
        assert_eq!(
            v,
            json!({
                "a": {"Ref": "X"},
                "b": {"Fn::GetAtt": ["A", "Arn"]},
                "c": {"Fn::Sub": ["${x}-y", {"x": {"Ref": "Z"}}]},
                "d": 5, "e": "5", "f": true, "g": null, "h": [1, 2.5],
            })
        );
    }

    #[test]
    fn unknown_constructs_are_named() {
        let Located { path, problem } =
            to_json("Resources:\n  X:\n    Value: !Magic 1\n").unwrap_err();
        assert_eq!(path, "Resources.X.Value");
        assert!(problem.to_string().contains("!Magic"), "{problem}");
        match to_json("a: &x 1\nb: *x\n") {
            Ok(v) => assert_eq!(v, json!({"a": 1, "b": 1})),
            Err(e) => assert!(e.problem.to_string().contains("aliases"), "{e:?}"),
        }
        let Located { path, problem } = to_json("1: a\n'1': b\n").unwrap_err();
        assert_eq!(
            (path.as_str(), problem.to_string().contains("twice")),
            ("(root)", true)
        );
        assert!(to_json("a: [").is_err());
    }

    #[test]
    fn the_project_template_parses() {
        let source = include_str!("../../../template.yaml");
        let v = to_json(source).unwrap();
        assert_eq!(
            v["Resources"]["EchoApi"]["Properties"]["Auth"]["Authorizers"]["CognitoTokenAuthorizer"]
                ["FunctionArn"],
            json!({"Fn::GetAtt": ["AuthorizerFunction", "Arn"]})
        );
    }
}

//! The pool's custom attributes (`Schema` entries whose name is not a standard attribute), as
//! Cognito keeps them: `custom:NAME`, String or Number, mutable or not, with their length or
//! value constraints. Standard attributes listed in `Schema` change nothing offline.

use serde_json::Value;

use crate::template::error::{Located, Problem};
use crate::template::fields::{array_field, boolean, only_known, optional_str, str_field};

/// The standard attributes of a user pool (besides `sub`, which Cognito sets).
pub(crate) const STANDARD_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
];

/// A custom attribute's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttributeType {
    String,
    Number,
}

/// One custom attribute of the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CustomAttribute {
    /// With its prefix: `custom:tenant_id`.
    pub(crate) name: String,
    pub(crate) data_type: AttributeType,
    /// `Mutable` (default true): whether a value may change once the user exists.
    pub(crate) mutable: bool,
    /// `StringAttributeConstraints` (String), in characters.
    pub(crate) length: Option<(Option<u64>, Option<u64>)>,
    /// `NumberAttributeConstraints` (Number).
    pub(crate) range: Option<(Option<i64>, Option<i64>)>,
}

const ENTRY_KEYS: &[&str] = &[
    "Name",
    "AttributeDataType",
    "Mutable",
    "Required",
    "DeveloperOnlyAttribute",
    "StringAttributeConstraints",
    "NumberAttributeConstraints",
];

/// The custom attributes of `props.Schema` (at `at`, the pool's `Properties`).
pub(crate) fn custom_attributes(props: &Value, at: &str) -> Result<Vec<CustomAttribute>, Located> {
    let mut out: Vec<CustomAttribute> = Vec::new();
    for (i, entry) in array_field(props, "Schema").iter().enumerate() {
        let at = format!("{at}.Schema[{i}]");
        only_known(entry, ENTRY_KEYS, &at)?;
        let name = str_field(entry, "Name", &at)?;
        if STANDARD_ATTRIBUTES.contains(&name) {
            continue;
        }
        let bare = name.strip_prefix("custom:").unwrap_or(name);
        if bare.is_empty() || bare.chars().count() > 20 {
            return Err(Problem::AttributeName(name.to_owned()).at(format!("{at}.Name")));
        }
        let full = format!("custom:{bare}");
        if out.iter().any(|a| a.name == full) {
            return Err(Problem::DuplicateAttribute(full).at(format!("{at}.Name")));
        }
        let data_type = match optional_str(entry, "AttributeDataType", &at)?.as_deref() {
            None | Some("String") => AttributeType::String,
            Some("Number") => AttributeType::Number,
            Some(other) => {
                return Err(Problem::AttributeDataType(other.to_owned())
                    .at(format!("{at}.AttributeDataType")));
            }
        };
        out.push(CustomAttribute {
            name: full,
            data_type,
            mutable: boolean(entry, "Mutable", true, &at)?,
            length: entry.get("StringAttributeConstraints").map(|c| {
                (
                    number(c, "MinLength").map(i64::unsigned_abs),
                    number(c, "MaxLength").map(i64::unsigned_abs),
                )
            }),
            range: entry
                .get("NumberAttributeConstraints")
                .map(|c| (number(c, "MinValue"), number(c, "MaxValue"))),
        });
    }
    Ok(out)
}

/// A constraint, written as a number or (as CloudFormation's schema has it) a string.
fn number(v: &Value, key: &str) -> Option<i64> {
    let value = v.get(key)?;
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn custom_attributes_are_read_and_standard_ones_skipped() {
        let props = json!({"Schema": [
            {"Name": "email", "Required": true, "Mutable": true},
            {"Name": "tenant_id", "AttributeDataType": "String", "Mutable": false,
             "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "64"}},
            {"Name": "seats", "AttributeDataType": "Number",
             "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "1000"}},
        ]});
        let read = custom_attributes(&props, "P").unwrap();
        assert_eq!(
            read,
            [
                CustomAttribute {
                    name: "custom:tenant_id".into(),
                    data_type: AttributeType::String,
                    mutable: false,
                    length: Some((Some(1), Some(64))),
                    range: None,
                },
                CustomAttribute {
                    name: "custom:seats".into(),
                    data_type: AttributeType::Number,
                    mutable: true,
                    length: None,
                    range: Some((Some(0), Some(1000))),
                },
            ]
        );
    }

    #[test]
    fn what_cannot_be_a_custom_attribute_is_named() {
        for (schema, path) in [
            (
                json!([{"Name": "a", "AttributeDataType": "Boolean"}]),
                "P.Schema[0].AttributeDataType",
            ),
            (
                json!([{"Name": "abcdefghijklmnopqrstu"}]),
                "P.Schema[0].Name",
            ),
            (
                json!([{"Name": "a"}, {"Name": "custom:a"}]),
                "P.Schema[1].Name",
            ),
            (json!([{"Name": "a", "Other": 1}]), "P.Schema[0].Other"),
        ] {
            let err = custom_attributes(&json!({ "Schema": schema }), "P").unwrap_err();
            assert_eq!(err.path, path, "{schema}");
        }
    }
}

//! The CloudWatch embedded metric format (EMF) specification's rules, checked on one captured line
//! as CloudWatch Logs would read it. Compiled for tests only: the unit tests of `metrics` use it
//! as `crate::emf_spec`, and the integration tests include it as `common::emf`.
//!
//! Rules checked (AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification):
//! - the line is one JSON object and nothing else, with no repeated key in any object (CloudWatch
//!   keeps one of them; which one is not specified), at most 1 MB;
//! - `_aws` is an object with `Timestamp` (milliseconds since the epoch, a whole number) and
//!   `CloudWatchMetrics` (an array of metric directives), and no other member;
//! - a directive has `Namespace` (a string of 1-255 characters, not `AWS/...`), `Dimensions`
//!   (an array of dimension sets) and `Metrics` (at most 100 definitions), and no other member;
//! - a dimension set is an array of at most 30 distinct strings, each naming a top-level member
//!   whose value is a string of 1-1024 characters;
//! - a definition has `Name` (a string of 1-255 characters naming a top-level member whose value
//!   is a number or an array of at most 100 numbers), optionally `Unit` (one of CloudWatch's
//!   units) and `StorageResolution` (1 or 60), and no other member; names are unique in a
//!   directive and are not dimension keys.
// `pub` for the integration tests, which include this file as a module of their own.
#![allow(dead_code, clippy::panic, unreachable_pub)]

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// CloudWatch's units (`MetricDatum.Unit`).
pub const UNITS: &[&str] = &[
    "Seconds",
    "Microseconds",
    "Milliseconds",
    "Bytes",
    "Kilobytes",
    "Megabytes",
    "Gigabytes",
    "Terabytes",
    "Bits",
    "Kilobits",
    "Megabits",
    "Gigabits",
    "Terabits",
    "Percent",
    "Count",
    "Bytes/Second",
    "Kilobytes/Second",
    "Megabytes/Second",
    "Gigabytes/Second",
    "Terabytes/Second",
    "Bits/Second",
    "Kilobits/Second",
    "Megabits/Second",
    "Gigabits/Second",
    "Terabits/Second",
    "Count/Second",
    "None",
];

/// One metric directive as read: namespace, dimension sets, metric names and units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub namespace: String,
    pub dimensions: Vec<Vec<String>>,
    pub metrics: BTreeMap<String, Option<String>>,
}

/// The document, checked: panics naming the broken rule (for tests).
pub fn document(line: &str) -> Value {
    check(line).unwrap_or_else(|e| panic!("not an EMF document ({e}): {line}"))
}

/// Whether `line` is a valid EMF document (a log line is not).
pub fn is_emf(line: &str) -> bool {
    line.contains("\"_aws\"") && check(line).is_ok()
}

/// Checks `line` against the rules above; the document, or the first rule it breaks.
pub fn check(line: &str) -> Result<Value, String> {
    if line.len() > 1_000_000 {
        return Err("larger than 1 MB".into());
    }
    let doc = strict_parse(line)?;
    directives(&doc)?;
    Ok(doc)
}

/// The directives of a document already checked by [`check`].
pub fn directives(doc: &Value) -> Result<Vec<Directive>, String> {
    let root = doc.as_object().ok_or("the root is not an object")?;
    let aws = root
        .get("_aws")
        .and_then(Value::as_object)
        .ok_or("no `_aws` object")?;
    only(aws, &["Timestamp", "CloudWatchMetrics"], "_aws")?;
    match aws.get("Timestamp") {
        Some(Value::Number(n)) if n.is_u64() => {}
        other => {
            return Err(format!(
                "_aws.Timestamp is not whole milliseconds: {other:?}"
            ));
        }
    }
    let list = aws
        .get("CloudWatchMetrics")
        .and_then(Value::as_array)
        .ok_or("_aws.CloudWatchMetrics is not an array")?;
    list.iter().map(|d| directive(d, root)).collect()
}

fn directive(value: &Value, root: &Map<String, Value>) -> Result<Directive, String> {
    let d = value.as_object().ok_or("a directive is not an object")?;
    only(d, &["Namespace", "Dimensions", "Metrics"], "a directive")?;
    let namespace = d
        .get("Namespace")
        .and_then(Value::as_str)
        .ok_or("Namespace is not a string")?;
    if !(1..=255).contains(&namespace.chars().count()) || namespace.starts_with("AWS/") {
        return Err(format!(
            "Namespace `{namespace}` is empty, too long or AWS/"
        ));
    }
    let dimensions = d
        .get("Dimensions")
        .and_then(Value::as_array)
        .ok_or("Dimensions is not an array")?
        .iter()
        .map(|set| dimension_set(set, root))
        .collect::<Result<Vec<_>, _>>()?;
    let definitions = d
        .get("Metrics")
        .and_then(Value::as_array)
        .ok_or("Metrics is not an array")?;
    if definitions.len() > 100 {
        return Err("more than 100 metrics in a directive".into());
    }
    let mut metrics = BTreeMap::new();
    for definition in definitions {
        let (name, unit) = metric(definition, root)?;
        if dimensions.iter().flatten().any(|k| *k == name) {
            return Err(format!("`{name}` is both a metric and a dimension"));
        }
        if metrics.insert(name.clone(), unit).is_some() {
            return Err(format!("metric `{name}` defined twice"));
        }
    }
    Ok(Directive {
        namespace: namespace.to_owned(),
        dimensions,
        metrics,
    })
}

fn dimension_set(set: &Value, root: &Map<String, Value>) -> Result<Vec<String>, String> {
    let keys = set.as_array().ok_or("a dimension set is not an array")?;
    if keys.len() > 30 {
        return Err(format!(
            "a dimension set has {} keys (30 at most)",
            keys.len()
        ));
    }
    let mut seen = Vec::new();
    for key in keys {
        let key = key.as_str().ok_or("a dimension key is not a string")?;
        match root.get(key).and_then(Value::as_str) {
            Some(v) if (1..=1024).contains(&v.chars().count()) => {}
            other => {
                return Err(format!(
                    "dimension `{key}` is not a top-level string of 1-1024 characters: {other:?}"
                ));
            }
        }
        if seen.contains(&key) {
            return Err(format!("dimension `{key}` repeated in a set"));
        }
        seen.push(key);
    }
    Ok(seen.into_iter().map(str::to_owned).collect())
}

fn metric(value: &Value, root: &Map<String, Value>) -> Result<(String, Option<String>), String> {
    let def = value
        .as_object()
        .ok_or("a metric definition is not an object")?;
    only(
        def,
        &["Name", "Unit", "StorageResolution"],
        "a metric definition",
    )?;
    let name = def
        .get("Name")
        .and_then(Value::as_str)
        .filter(|n| (1..=255).contains(&n.chars().count()))
        .ok_or("a metric Name is not a string of 1-255 characters")?;
    let unit = match def.get("Unit") {
        None => None,
        Some(Value::String(u)) if UNITS.contains(&u.as_str()) => Some(u.clone()),
        Some(other) => return Err(format!("`{name}`: Unit {other} is not a CloudWatch unit")),
    };
    match def.get("StorageResolution") {
        None => {}
        Some(r) if r == 1 || r == 60 => {}
        Some(other) => return Err(format!("`{name}`: StorageResolution {other}")),
    }
    match root.get(name) {
        Some(Value::Number(_)) => {}
        Some(Value::Array(values))
            if values.len() <= 100 && values.iter().all(Value::is_number) => {}
        other => {
            return Err(format!(
                "metric `{name}`'s value is not a number or up to 100 numbers: {other:?}"
            ));
        }
    }
    Ok((name.to_owned(), unit))
}

/// Every key of `object` is one of `allowed`.
fn only(object: &Map<String, Value>, allowed: &[&str], what: &str) -> Result<(), String> {
    match object.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(extra) => Err(format!(
            "{what} has the member `{extra}` the specification forbids"
        )),
        None => Ok(()),
    }
}

/// Parses JSON, refusing a key repeated in any object (serde_json alone keeps the last one):
/// the authorizer's own strict parser, which is private; reached through
/// [`authorizer::RouteTable::parse`], whose first step it is (its only `Json` error is that
/// parser's). Text it accepts has no repeated key, so serde_json then reads it the same way.
pub fn strict_parse(text: &str) -> Result<Value, String> {
    if let Err(authorizer::RouteError::Json(e)) = authorizer::RouteTable::parse(text) {
        return Err(e.to_string());
    }
    serde_json::from_str(text).map_err(|e| e.to_string())
}

//! `GatewayResponses` of the REST API: status, static headers and the `application/json`
//! template, for the response types the offline gateway produces.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::template::error::{Located, Problem};
use crate::template::fields::{entries, whole_number};

/// Response types the offline gateway produces.
pub const GATEWAY_RESPONSE_TYPES: &[&str] = &[
    "UNAUTHORIZED",
    "ACCESS_DENIED",
    "AUTHORIZER_FAILURE",
    "AUTHORIZER_CONFIGURATION_ERROR",
    "MISSING_AUTHENTICATION_TOKEN",
    "REQUEST_TOO_LARGE",
    "DEFAULT_4XX",
    "DEFAULT_5XX",
];

/// API Gateway's default body template.
pub const DEFAULT_TEMPLATE: &str = r#"{"message":$context.error.messageString}"#;

/// A gateway response (`GatewayResponses.TYPE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The `application/json` template; `$context.error.messageString` and
    /// `$context.error.message` are the only variables it may use.
    pub template: String,
}

/// `GatewayResponses` of the API's resolved properties `props` (at `at`), by type.
pub fn gateway_responses(
    props: &Value,
    at: &str,
) -> Result<BTreeMap<String, GatewayResponse>, Located> {
    entries(props, "GatewayResponses", at, gateway_response)
}

fn gateway_response(kind: &str, spec: &Value, at: &str) -> Result<GatewayResponse, Located> {
    if !GATEWAY_RESPONSE_TYPES.contains(&kind) {
        return Err(Problem::UnknownResponseType(kind.to_owned()).at(at));
    }
    let status = match spec.get("StatusCode") {
        None => default_status(kind),
        Some(v) => whole_number(v)
            .and_then(|s| u16::try_from(s).ok())
            .filter(|s| (100..600).contains(s))
            .ok_or_else(|| Problem::NotAStatus.at(format!("{at}.StatusCode")))?,
    };
    Ok(GatewayResponse {
        status,
        headers: headers(spec, at)?,
        template: template(spec, at)?,
    })
}

fn default_status(kind: &str) -> u16 {
    match kind {
        "UNAUTHORIZED" => 401,
        "ACCESS_DENIED" | "MISSING_AUTHENTICATION_TOKEN" => 403,
        "REQUEST_TOO_LARGE" => 413,
        "DEFAULT_4XX" => 400,
        _ => 500,
    }
}

/// `ResponseParameters.Headers`: static (`'quoted'`) values only.
fn headers(spec: &Value, at: &str) -> Result<Vec<(String, String)>, Located> {
    let params = spec.get("ResponseParameters").unwrap_or(&Value::Null);
    if let Some(other) = params
        .as_object()
        .and_then(|p| p.keys().find(|k| k.as_str() != "Headers"))
    {
        return Err(Problem::ResponseParameter.at(format!("{at}.ResponseParameters.{other}")));
    }
    let mut headers = Vec::new();
    if let Some(defined) = params.get("Headers").and_then(Value::as_object) {
        for (name, value) in defined {
            let value = value
                .as_str()
                .and_then(|v| v.strip_prefix('\'')?.strip_suffix('\''))
                .ok_or_else(|| {
                    Problem::DynamicHeader.at(format!("{at}.ResponseParameters.Headers.{name}"))
                })?;
            headers.push((name.clone(), value.to_owned()));
        }
    }
    Ok(headers)
}

/// `ResponseTemplates.application/json`, using only `$context.error.message[String]`.
fn template(spec: &Value, at: &str) -> Result<String, Located> {
    let template = match spec.get("ResponseTemplates") {
        None => DEFAULT_TEMPLATE.to_owned(),
        Some(templates) => templates
            .get("application/json")
            .and_then(Value::as_str)
            .ok_or_else(|| Problem::NoJsonTemplate.at(format!("{at}.ResponseTemplates")))?
            .to_owned(),
    };
    let without_known = template
        .replace("$context.error.messageString", "")
        .replace("$context.error.message", "");
    if let Some(i) = without_known.find('$') {
        let variable: String = without_known[i..]
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | ',' | '}'))
            .collect();
        return Err(Problem::TemplateVariable(variable)
            .at(format!("{at}.ResponseTemplates.application/json")));
    }
    Ok(template)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gateway_responses_accept_static_values_only() {
        let ok = gateway_response(
            "UNAUTHORIZED",
            &serde_json::json!({"StatusCode": 401, "ResponseParameters": {"Headers": {"WWW-Authenticate": "'Bearer'"}},
                "ResponseTemplates": {"application/json": "{\"message\":$context.error.messageString}"}}),
            "X",
        )
        .unwrap();
        assert_eq!(
            ok.headers,
            [("WWW-Authenticate".to_owned(), "Bearer".to_owned())]
        );
        for (spec, needle) in [
            (
                serde_json::json!({"ResponseParameters": {"Headers": {"X": "method.request.header.y"}}}),
                "static",
            ),
            (
                serde_json::json!({"ResponseTemplates": {"application/json": "{\"a\":\"$context.authorizer.sub\"}"}}),
                "$context.authorizer.sub",
            ),
            (serde_json::json!({"StatusCode": 999}), "HTTP status"),
        ] {
            let problem = gateway_response("ACCESS_DENIED", &spec, "X")
                .unwrap_err()
                .problem
                .to_string();
            assert!(problem.contains(needle), "{problem}");
        }
        assert!(gateway_response("THROTTLED", &serde_json::json!({}), "X").is_err());
    }
}

//! `GatewayResponses` of the REST API: status, static headers and the `application/json`
//! template, for every response type API Gateway defines. The offline gateway produces some of
//! them ([`PRODUCED`]); the others are read and checked, and never sent.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::template::api::GatewayResponse;
use crate::template::api::gateway_response::DEFAULT_TEMPLATE;
use crate::template::error::{Located, Problem};
use crate::template::fields::{entries, static_value, whole_number};

/// Every response type of API Gateway REST APIs, with its default status (`None`: the
/// `DEFAULT_*` types, which keep each answer's own status).
pub(crate) const GATEWAY_RESPONSE_TYPES: &[(&str, Option<u16>)] = &[
    ("ACCESS_DENIED", Some(403)),
    ("API_CONFIGURATION_ERROR", Some(500)),
    ("AUTHORIZER_CONFIGURATION_ERROR", Some(500)),
    ("AUTHORIZER_FAILURE", Some(500)),
    ("BAD_REQUEST_BODY", Some(400)),
    ("BAD_REQUEST_PARAMETERS", Some(400)),
    ("DEFAULT_4XX", None),
    ("DEFAULT_5XX", None),
    ("EXPIRED_TOKEN", Some(403)),
    ("INTEGRATION_FAILURE", Some(504)),
    ("INTEGRATION_TIMEOUT", Some(504)),
    ("INVALID_API_KEY", Some(403)),
    ("INVALID_SIGNATURE", Some(403)),
    ("MISSING_AUTHENTICATION_TOKEN", Some(403)),
    ("QUOTA_EXCEEDED", Some(429)),
    ("REQUEST_TOO_LARGE", Some(413)),
    ("RESOURCE_NOT_FOUND", Some(404)),
    ("THROTTLED", Some(429)),
    ("UNAUTHORIZED", Some(401)),
    ("UNSUPPORTED_MEDIA_TYPE", Some(415)),
    ("WAF_FILTERED", Some(403)),
];

/// `GatewayResponses` of the API's resolved properties `props` (at `at`), by type.
pub(crate) fn gateway_responses(
    props: &Value,
    at: &str,
) -> Result<BTreeMap<String, GatewayResponse>, Located> {
    entries(props, "GatewayResponses", at, gateway_response)
}

fn gateway_response(kind: &str, spec: &Value, at: &str) -> Result<GatewayResponse, Located> {
    let Some((_, default_status)) = GATEWAY_RESPONSE_TYPES.iter().find(|(k, _)| *k == kind) else {
        return Err(Problem::UnknownResponseType(kind.to_owned()).at(at));
    };
    let status = match spec.get("StatusCode") {
        None => *default_status,
        Some(v) => whole_number(v)
            .and_then(|s| u16::try_from(s).ok())
            .filter(|s| (100..600).contains(s))
            .map(Some)
            .ok_or_else(|| Problem::NotAStatus.at(format!("{at}.StatusCode")))?,
    };
    Ok(GatewayResponse {
        status,
        headers: headers(spec, at)?,
        template: template(spec, at)?,
    })
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
            let value = static_value(value).ok_or_else(|| {
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
        assert_eq!(
            gateway_response("THROTTLED", &serde_json::json!({}), "X")
                .unwrap()
                .status,
            Some(429)
        );
        assert_eq!(
            gateway_response("DEFAULT_4XX", &serde_json::json!({}), "X")
                .unwrap()
                .status,
            None
        );
        assert!(gateway_response("SOMETHING_ELSE", &serde_json::json!({}), "X").is_err());
    }
}

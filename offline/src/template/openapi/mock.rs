//! A REST API's `mock` integration ("Set up mock integrations in API Gateway"): the request
//! template (`application/json`) gives the integration's status code (`{"statusCode": 200}`), the
//! selection pattern matching it (else `default`) picks the integration response, whose
//! `statusCode`, `responseParameters` and response template make the answer. The offline stack
//! works it all out at start, so it takes static text only: a template with VTL (`$` or `#`) or a
//! header from anything but a quoted literal is refused, naming it.

use regex::Regex;
use serde_json::Value;

use crate::template::api::MockResponse;
use crate::template::error::{Located, Problem};
use crate::template::fields::{only_known, static_value};

const KEYS: &[&str] = &[
    "type",
    "requestTemplates",
    "responses",
    "passthroughBehavior",
];
const RESPONSE_KEYS: &[&str] = &["statusCode", "responseParameters", "responseTemplates"];
const HEADER: &str = "method.response.header.";

/// The answer of the mock integration `spec` (at `at`).
pub(crate) fn mock(spec: &Value, at: &str) -> Result<MockResponse, Located> {
    only_known(spec, KEYS, at)?;
    let status = request_status(spec, at)?;
    let (pattern, response) = select(spec, status.as_deref(), at)?;
    let at = format!("{at}.responses.{pattern}");
    only_known(response, RESPONSE_KEYS, &at)?;
    let status = response
        .get("statusCode")
        .and_then(|s| {
            s.as_str()
                .map(str::to_owned)
                .or_else(|| s.as_u64().map(|n| n.to_string()))
        })
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|s| (100..600).contains(s))
        .ok_or_else(|| Problem::NotAStatus.at(format!("{at}.statusCode")))?;
    let (content_type, body) = template(response, &at)?;
    let mut headers = vec![("content-type".to_owned(), content_type)];
    headers.extend(parameters(response, &at)?);
    Ok(MockResponse {
        status,
        headers,
        body,
    })
}

/// The status code the `application/json` request template gives; `None` without a template.
fn request_status(spec: &Value, at: &str) -> Result<Option<String>, Located> {
    let Some(templates) = spec.get("requestTemplates") else {
        return Ok(None);
    };
    let at = format!("{at}.requestTemplates");
    only_known(templates, &["application/json"], &at)?;
    let Some(text) = templates.get("application/json") else {
        return Ok(None);
    };
    let at = format!("{at}.application/json");
    let text = static_text(text, &at)?;
    let value: Value = serde_json::from_str(text).map_err(|_| Problem::MockTemplate.at(&at))?;
    value
        .get("statusCode")
        .and_then(Value::as_u64)
        .map(|s| Some(s.to_string()))
        .ok_or_else(|| Problem::MockTemplate.at(at))
}

/// The integration response whose selection pattern matches `status` (else `default`).
fn select<'a>(
    spec: &'a Value,
    status: Option<&str>,
    at: &str,
) -> Result<(&'a str, &'a Value), Located> {
    let at = format!("{at}.responses");
    let responses = spec
        .get("responses")
        .and_then(Value::as_object)
        .ok_or_else(|| Problem::Missing.at(&at))?;
    let mut matching = Vec::new();
    for (pattern, response) in responses.iter().filter(|(p, _)| p.as_str() != "default") {
        let regex = Regex::new(&format!("^(?:{pattern})$")).map_err(|e| {
            Problem::BadValidationExpression(e.to_string()).at(format!("{at}.{pattern}"))
        })?;
        if status.is_some_and(|s| regex.is_match(s)) {
            matching.push((pattern.as_str(), response));
        }
    }
    match matching.as_slice() {
        [one] => Ok(*one),
        [] => responses
            .get_key_value("default")
            .map(|(k, v)| (k.as_str(), v))
            .ok_or_else(|| Problem::NoMockResponse(status.unwrap_or("none").to_owned()).at(at)),
        _ => Err(Problem::ManyMockResponses(status.unwrap_or_default().to_owned()).at(at)),
    }
}

/// The response template (one MIME type at most) and its static text; none: an empty body.
fn template(response: &Value, at: &str) -> Result<(String, String), Located> {
    let Some(templates) = response.get("responseTemplates").and_then(Value::as_object) else {
        return Ok(("application/json".to_owned(), String::new()));
    };
    let mut entries = templates.iter();
    match (entries.next(), entries.next()) {
        (None, _) => Ok(("application/json".to_owned(), String::new())),
        (Some((mime, text)), None) => {
            let at = format!("{at}.responseTemplates.{mime}");
            Ok((mime.clone(), static_text(text, &at)?.to_owned()))
        }
        (Some(_), Some((mime, _))) => {
            Err(Problem::ManyTemplates.at(format!("{at}.responseTemplates.{mime}")))
        }
    }
}

/// `responseParameters`: static headers only.
fn parameters(response: &Value, at: &str) -> Result<Vec<(String, String)>, Located> {
    let Some(params) = response
        .get("responseParameters")
        .and_then(Value::as_object)
    else {
        return Ok(Vec::new());
    };
    params
        .iter()
        .map(|(key, value)| {
            let at = format!("{at}.responseParameters.{key}");
            let name = key
                .strip_prefix(HEADER)
                .ok_or_else(|| Problem::ResponseParameter.at(&at))?;
            let value = static_value(value).ok_or_else(|| Problem::DynamicHeader.at(&at))?;
            Ok((name.to_owned(), value.to_owned()))
        })
        .collect()
}

/// A template that is static text: no VTL (`$` references, `#` directives).
fn static_text<'a>(text: &'a Value, at: &str) -> Result<&'a str, Located> {
    let text = text.as_str().ok_or_else(|| Problem::NotAString.at(at))?;
    if text.contains(['$', '#']) {
        return Err(Problem::Vtl.at(at));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_request_template_selects_the_response() {
        let health = json!({"type": "mock", "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
            "responses": {"2\\d{2}": {"statusCode": "200",
                "responseParameters": {"method.response.header.Cache-Control": "'no-store'"},
                "responseTemplates": {"application/json": "{\"status\": \"ok\"}"}},
                "default": {"statusCode": "500"}}});
        let answer = mock(&health, "I").unwrap();
        assert_eq!(answer.status, 200);
        assert_eq!(answer.body, r#"{"status": "ok"}"#);
        assert_eq!(
            answer.headers,
            [
                ("content-type".to_owned(), "application/json".to_owned()),
                ("Cache-Control".to_owned(), "no-store".to_owned())
            ]
        );
        let default = json!({"type": "mock", "responses": {"default": {"statusCode": 204}}});
        assert_eq!(mock(&default, "I").unwrap().status, 204);
    }

    #[test]
    fn what_needs_vtl_or_cannot_be_selected_is_refused() {
        for (spec, path) in [
            (
                json!({"requestTemplates": {"application/json": "#if(1)"}, "responses": {}}),
                "I.requestTemplates.application/json",
            ),
            (
                json!({"requestTemplates": {"application/xml": "x"}, "responses": {}}),
                "I.requestTemplates.application/xml",
            ),
            (
                json!({"requestTemplates": {"application/json": "{\"statusCode\": 404}"},
                "responses": {"200": {"statusCode": "200"}}}),
                "I.responses",
            ),
            (
                json!({"responses": {"default": {"statusCode": "200",
                "responseTemplates": {"application/json": "$input.body"}}}}),
                "I.responses.default.responseTemplates.application/json",
            ),
            (
                json!({"responses": {"default": {"statusCode": "200",
                "responseParameters": {"method.response.header.X": "integration.response.header.Y"}}}}),
                "I.responses.default.responseParameters.method.response.header.X",
            ),
            (
                json!({"requestParameters": {}, "responses": {}}),
                "I.requestParameters",
            ),
        ] {
            assert_eq!(mock(&spec, "I").unwrap_err().path, path, "{spec}");
        }
    }
}

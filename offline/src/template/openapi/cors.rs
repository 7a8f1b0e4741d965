//! An HTTP API definition's `x-amazon-apigateway-cors` ("x-amazon-apigateway-cors object"): the
//! same settings as SAM's `CorsConfiguration`, in lower camel case, read by the same reader.

use serde_json::{Map, Value};

use crate::template::api::HttpCors;
use crate::template::error::{Located, Problem};
use crate::template::http_api::cors::cors;

/// The definition's CORS configuration (at `at`), if it has one.
pub(crate) fn definition_cors(body: &Value, at: &str) -> Result<Option<HttpCors>, Located> {
    let Some(spec) = body.get("x-amazon-apigateway-cors") else {
        return Ok(None);
    };
    let at = format!("{at}.x-amazon-apigateway-cors");
    let spec = spec
        .as_object()
        .ok_or_else(|| Problem::NotAMapping.at(&at))?;
    let renamed: Map<String, Value> = spec
        .iter()
        .map(|(key, value)| {
            let mut chars = key.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase()).into_iter();
            (first.chain(chars).collect(), value.clone())
        })
        .collect();
    let props = serde_json::json!({ "CorsConfiguration": renamed });
    // The reader names `{at}.CorsConfiguration.AllowOrigins`; the definition spells it
    // `{at}.allowOrigins`.
    cors(&props, &at).map_err(|e| {
        let rest = e
            .path
            .strip_prefix(&format!("{at}.CorsConfiguration"))
            .unwrap_or_default();
        let mut chars = rest.chars();
        let dot = chars.next().map(String::from).unwrap_or_default();
        let first = chars
            .next()
            .map(|c| c.to_ascii_lowercase().to_string())
            .unwrap_or_default();
        e.problem.at(format!("{at}{dot}{first}{}", chars.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_extension_reads_as_cors_configuration() {
        let body = json!({"x-amazon-apigateway-cors": {"allowOrigins": ["http://localhost:3001"],
            "allowMethods": ["GET"], "maxAge": 600}});
        let cors = definition_cors(&body, "D").unwrap().unwrap();
        assert_eq!(cors.allow_origins, ["http://localhost:3001"]);
        assert_eq!(cors.max_age, Some(600));
        let bad = json!({"x-amazon-apigateway-cors": {"allowOrigins": ["https://*.example.com"]}});
        assert_eq!(
            definition_cors(&bad, "D").unwrap_err().path,
            "D.x-amazon-apigateway-cors.allowOrigins[0]"
        );
        assert!(definition_cors(&json!({}), "D").unwrap().is_none());
    }
}

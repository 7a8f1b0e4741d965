//! `CorsConfiguration` of the HTTP API: `true` (any origin) or an object with `AllowOrigins`,
//! `AllowMethods`, `AllowHeaders`, `ExposeHeaders`, `MaxAge` and `AllowCredentials`, as SAM
//! reads it (plain lists, not REST's quoted values).

use serde_json::Value;

use crate::template::api::HttpCors;
use crate::template::error::{Located, Problem};
use crate::template::fields::{boolean, bounded, only_known, string_list};

const KEYS: &[&str] = &[
    "AllowOrigins",
    "AllowMethods",
    "AllowHeaders",
    "ExposeHeaders",
    "MaxAge",
    "AllowCredentials",
];

/// API Gateway's largest `MaxAge` for HTTP APIs (a day).
pub(crate) const MAX_AGE_SECONDS: u64 = 86_400;

/// `CorsConfiguration` of the API's resolved properties `props` (at `at`).
pub(crate) fn cors(props: &Value, at: &str) -> Result<Option<HttpCors>, Located> {
    let at = format!("{at}.CorsConfiguration");
    let spec = match props.get("CorsConfiguration") {
        None | Some(Value::Bool(false)) => return Ok(None),
        Some(Value::Bool(true)) => {
            return Ok(Some(HttpCors {
                allow_origins: vec!["*".to_owned()],
                ..HttpCors::default()
            }));
        }
        Some(spec) if spec.is_object() => spec,
        Some(_) => return Err(Problem::NotAMapping.at(at)),
    };
    only_known(spec, KEYS, &at)?;
    let allow_origins = string_list(spec, "AllowOrigins", &at)?;
    for (i, origin) in allow_origins.iter().enumerate() {
        let pattern = matches!(origin.as_str(), "*" | "https://*" | "http://*");
        if origin.contains('*') && !pattern {
            return Err(
                Problem::CorsOriginPattern(origin.clone()).at(format!("{at}.AllowOrigins[{i}]"))
            );
        }
    }
    let cors = HttpCors {
        allow_origins,
        allow_methods: string_list(spec, "AllowMethods", &at)?,
        allow_headers: string_list(spec, "AllowHeaders", &at)?,
        expose_headers: string_list(spec, "ExposeHeaders", &at)?,
        max_age: bounded(spec, "MaxAge", 0..=MAX_AGE_SECONDS, &at)?,
        allow_credentials: boolean(spec, "AllowCredentials", false, &at)?,
    };
    if cors.allow_credentials && cors.allow_origins.iter().any(|o| o == "*") {
        return Err(Problem::CorsCredentialsWithAnyOrigin.at(format!("{at}.AllowCredentials")));
    }
    Ok(Some(cors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_configuration_is_read_and_checked() {
        let cors = cors(
            &json!({"CorsConfiguration": {"AllowOrigins": ["http://localhost:3000"],
                "AllowMethods": ["GET", "POST"], "AllowHeaders": ["authorization"],
                "ExposeHeaders": ["www-authenticate"], "MaxAge": 600, "AllowCredentials": true}}),
            "A",
        )
        .unwrap()
        .unwrap();
        assert_eq!(cors.allow_methods, ["GET", "POST"]);
        assert_eq!(cors.max_age, Some(600));
        assert!(cors.allow_credentials);
        let any = super::cors(&json!({"CorsConfiguration": true}), "A").unwrap();
        assert_eq!(any.unwrap().allow_origins, ["*"]);
        assert_eq!(super::cors(&json!({}), "A").unwrap(), None);
        for (spec, path) in [
            (json!("http://x"), "A.CorsConfiguration"),
            (
                json!({"AllowOrigins": "http://x"}),
                "A.CorsConfiguration.AllowOrigins",
            ),
            (
                json!({"AllowOrigins": ["https://*.example.com"]}),
                "A.CorsConfiguration.AllowOrigins[0]",
            ),
            (
                json!({"AllowOrigins": ["*"], "AllowCredentials": true}),
                "A.CorsConfiguration.AllowCredentials",
            ),
            (
                json!({"AllowOrigin": "'x'"}),
                "A.CorsConfiguration.AllowOrigin",
            ),
            (json!({"MaxAge": 86_401}), "A.CorsConfiguration.MaxAge"),
        ] {
            let err = super::cors(&json!({"CorsConfiguration": spec}), "A").unwrap_err();
            assert_eq!(err.path, path, "{spec}");
        }
    }
}

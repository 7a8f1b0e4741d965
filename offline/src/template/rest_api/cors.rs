//! SAM's `Cors` on a REST API: for every path of the API, SAM adds an `OPTIONS` method with a
//! mock integration that answers the browser's preflight with static `Access-Control-Allow-*`
//! headers. Values are API Gateway mapping expressions: quoted static strings (`"'GET,POST'"`).
//! API Gateway sends them whatever the request's `Origin`; the browser does the comparing.

use serde_json::Value;

use crate::template::api::Cors;
use crate::template::error::{Located, Problem};
use crate::template::fields::{boolean, only_known, static_value};

const KNOWN: &[&str] = &[
    "AllowOrigin",
    "AllowHeaders",
    "AllowMethods",
    "MaxAge",
    "AllowCredentials",
];

/// `Cors` of the API's resolved properties `props` (at `at`): the string form (the origin) or
/// the object form.
pub(crate) fn cors(props: &Value, at: &str) -> Result<Option<Cors>, Located> {
    let at = format!("{at}.Cors");
    let spec = match props.get("Cors") {
        None => return Ok(None),
        Some(origin @ Value::String(_)) => {
            return Ok(Some(Cors {
                allow_origin: quoted(origin, &at)?,
                allow_headers: None,
                allow_methods: None,
                max_age: None,
                allow_credentials: false,
            }));
        }
        Some(spec) => spec,
    };
    only_known(spec, KNOWN, &at)?;
    let optional = |key: &str| match spec.get(key) {
        None => Ok(None),
        Some(v) => quoted(v, &format!("{at}.{key}")).map(Some),
    };
    let origin = spec
        .get("AllowOrigin")
        .ok_or_else(|| Problem::Missing.at(format!("{at}.AllowOrigin")))?;
    Ok(Some(Cors {
        allow_origin: quoted(origin, &format!("{at}.AllowOrigin"))?,
        allow_headers: optional("AllowHeaders")?,
        allow_methods: optional("AllowMethods")?,
        max_age: optional("MaxAge")?,
        allow_credentials: boolean(spec, "AllowCredentials", false, &at)?,
    }))
}

fn quoted(value: &Value, at: &str) -> Result<String, Located> {
    static_value(value)
        .map(str::to_owned)
        .ok_or_else(|| Problem::UnquotedCorsValue.at(at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_string_form_is_the_origin() {
        let cors = cors(&json!({"Cors": "'https://app.example.com'"}), "A")
            .unwrap()
            .unwrap();
        assert_eq!(
            cors.preflight_headers(&["POST", "GET"]),
            [
                ("Access-Control-Allow-Origin", "https://app.example.com"),
                ("Access-Control-Allow-Methods", "GET,OPTIONS,POST"),
            ]
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
        );
        assert_eq!(
            cors.preflight_headers(&["ANY"])[1].1,
            "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT"
        );
        assert_eq!(super::cors(&json!({}), "A").unwrap(), None);
    }

    #[test]
    fn the_object_form_gives_every_header() {
        let cors = cors(
            &json!({"Cors": {"AllowOrigin": "'http://localhost:3000'", "AllowMethods": "'GET,OPTIONS'",
                "AllowHeaders": "'Authorization'", "MaxAge": "'600'", "AllowCredentials": true}}),
            "A",
        )
        .unwrap()
        .unwrap();
        let names: Vec<_> = cors
            .preflight_headers(&["GET"])
            .into_iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect();
        assert_eq!(
            names,
            [
                "Access-Control-Allow-Origin: http://localhost:3000",
                "Access-Control-Allow-Headers: Authorization",
                "Access-Control-Allow-Methods: GET,OPTIONS",
                "Access-Control-Max-Age: 600",
                "Access-Control-Allow-Credentials: true",
            ]
        );
    }

    #[test]
    fn unquoted_unknown_or_missing_values_are_named() {
        for (spec, path) in [
            (json!("https://app.example.com"), "A.Cors"),
            (json!({"AllowMethods": "'GET'"}), "A.Cors.AllowOrigin"),
            (
                json!({"AllowOrigin": "'x'", "MaxAge": 600}),
                "A.Cors.MaxAge",
            ),
            (
                json!({"AllowOrigin": "'x'", "ExposeHeaders": "'y'"}),
                "A.Cors.ExposeHeaders",
            ),
            (
                json!({"AllowOrigin": "'x'", "AllowCredentials": "yes"}),
                "A.Cors.AllowCredentials",
            ),
        ] {
            let err = cors(&json!({"Cors": spec}), "A").unwrap_err();
            assert_eq!(err.path, path, "{spec}");
        }
    }
}

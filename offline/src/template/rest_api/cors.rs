//! SAM's `Cors` on a REST API: for every path of the API, SAM adds an `OPTIONS` method with a
//! mock integration that answers the browser's preflight with static `Access-Control-Allow-*`
//! headers. Values are API Gateway mapping expressions: quoted static strings (`"'GET,POST'"`).
//! API Gateway sends them whatever the request's `Origin`; the browser does the comparing.

use serde_json::Value;

use crate::template::error::{Located, Problem};
use crate::template::fields::{boolean, only_known, static_value};

/// Methods SAM lists in `Access-Control-Allow-Methods` for a path with an `ANY` method.
pub const ALL_METHODS: &[&str] = &["OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"];

/// The preflight answer's headers, as the template configures them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cors {
    /// `AllowOrigin` (required), sent as `Access-Control-Allow-Origin`.
    pub allow_origin: String,
    /// `AllowHeaders`, sent as `Access-Control-Allow-Headers` (absent: not sent).
    pub allow_headers: Option<String>,
    /// `AllowMethods`; absent: the path's methods and `OPTIONS`, as SAM computes them.
    pub allow_methods: Option<String>,
    /// `MaxAge`, sent as `Access-Control-Max-Age` (absent: not sent).
    pub max_age: Option<String>,
    /// `AllowCredentials: true` sends `Access-Control-Allow-Credentials: true`.
    pub allow_credentials: bool,
}

const KNOWN: &[&str] = &[
    "AllowOrigin",
    "AllowHeaders",
    "AllowMethods",
    "MaxAge",
    "AllowCredentials",
];

/// `Cors` of the API's resolved properties `props` (at `at`): the string form (the origin) or
/// the object form.
pub fn cors(props: &Value, at: &str) -> Result<Option<Cors>, Located> {
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

impl Cors {
    /// The preflight answer's headers for a path whose routes have `methods` (`ANY` included).
    pub fn preflight_headers(&self, methods: &[&str]) -> Vec<(String, String)> {
        let mut headers = vec![(
            "Access-Control-Allow-Origin".to_owned(),
            self.allow_origin.clone(),
        )];
        let mut add = |name: &str, value: Option<String>| {
            headers.extend(value.map(|v| (name.to_owned(), v)));
        };
        add("Access-Control-Allow-Headers", self.allow_headers.clone());
        let methods = self
            .allow_methods
            .clone()
            .unwrap_or_else(|| path_methods(methods));
        add("Access-Control-Allow-Methods", Some(methods));
        add("Access-Control-Max-Age", self.max_age.clone());
        add(
            "Access-Control-Allow-Credentials",
            self.allow_credentials.then(|| "true".to_owned()),
        );
        headers
    }
}

/// SAM's default `AllowMethods`: the path's methods and `OPTIONS` (every method for `ANY`),
/// upper case, sorted, comma-separated.
fn path_methods(methods: &[&str]) -> String {
    let mut all: Vec<String> = if methods.iter().any(|m| m.eq_ignore_ascii_case("ANY")) {
        ALL_METHODS.iter().map(|m| (*m).to_owned()).collect()
    } else {
        methods
            .iter()
            .map(|m| m.to_ascii_uppercase())
            .chain(["OPTIONS".to_owned()])
            .collect()
    };
    all.sort();
    all.dedup();
    all.join(",")
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

//! Decision metrics in CloudWatch Embedded Metric Format: one JSON line per decision on stdout,
//! with a `service` dimension (Powertools' convention), and a `ColdStart` document once per
//! process. The reason code is a property, not a dimension: a dimension per code would multiply
//! the metrics CloudWatch bills for, and Logs Insights reads the property anyway.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;
#[cfg(test)]
use serde_json::json;

/// What happened to one invocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Valid token allowed on the requested route.
    Allowed,
    /// Valid token without the scope or group the route needs: 403.
    Denied,
    /// Missing or bad token: 401 (REST) / 403 (HTTP API).
    Unauthorized,
    /// Token refused because the keys could not be had: alarm on this one.
    InfrastructureError,
    /// The payload was not an authorizer event: 500.
    InvalidEvent,
}

impl Outcome {
    /// Every outcome, in the order the metric documents list them.
    pub const ALL: [Outcome; 5] = [
        Outcome::Allowed,
        Outcome::Denied,
        Outcome::Unauthorized,
        Outcome::InfrastructureError,
        Outcome::InvalidEvent,
    ];

    /// Log value, lower snake case.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
            Outcome::Unauthorized => "unauthorized",
            Outcome::InfrastructureError => "infrastructure_error",
            Outcome::InvalidEvent => "invalid_event",
        }
    }

    /// Metric name, PascalCase.
    pub fn metric(self) -> &'static str {
        match self {
            Outcome::Allowed => "Allowed",
            Outcome::Denied => "Denied",
            Outcome::Unauthorized => "Unauthorized",
            Outcome::InfrastructureError => "InfrastructureError",
            Outcome::InvalidEvent => "InvalidEvent",
        }
    }
}

/// Where metric lines go: stdout in Lambda (CloudWatch extracts them), memory in tests.
#[derive(Debug, Clone)]
pub struct Metrics {
    namespace: String,
    service: String,
    sink: Sink,
}

#[derive(Debug, Clone)]
enum Sink {
    Stdout,
    Memory(Arc<Mutex<Vec<String>>>),
    Discard,
}

impl Metrics {
    fn new(sink: Sink) -> Self {
        Self {
            namespace: String::new(),
            service: String::new(),
            sink,
        }
    }

    /// A sink that writes each line to stdout, where Lambda's CloudWatch Logs extracts the
    /// metrics.
    pub fn stdout() -> Self {
        Self::new(Sink::Stdout)
    }

    /// A sink that keeps lines for inspection.
    pub fn memory() -> Self {
        Self::new(Sink::Memory(Arc::default()))
    }

    /// A sink that drops every line (the offline stack logs its own line per request instead).
    pub fn discard() -> Self {
        Self::new(Sink::Discard)
    }

    /// The CloudWatch namespace of the metrics (`METRICS_NAMESPACE`).
    pub fn with_namespace(self, namespace: String) -> Self {
        Self { namespace, ..self }
    }

    /// The value of the `service` dimension (`SERVICE_NAME`).
    pub fn with_service(self, service: String) -> Self {
        Self { service, ..self }
    }

    /// Lines recorded by a memory sink (empty for stdout).
    pub fn lines(&self) -> Vec<String> {
        match &self.sink {
            Sink::Memory(lines) => lines.lock().map(|l| l.clone()).unwrap_or_default(),
            Sink::Stdout | Sink::Discard => Vec::new(),
        }
    }

    /// Writes one EMF document: every outcome metric, 1 for `outcome` and 0 for the others (so
    /// sums and alarms see zeros), the `service` dimension, the reason as a searchable property.
    pub fn record(&self, outcome: Outcome, reason: &str) {
        if !matches!(self.sink, Sink::Discard) {
            let millis = unix_millis();
            self.write(emf_line(
                &self.namespace,
                &self.service,
                outcome,
                reason,
                millis,
            ));
        }
    }

    /// Writes the `ColdStart` document, `ColdStart` = 1 with the `service` and `function_name`
    /// dimensions as Powertools writes it: call it on the first invocation of the process only.
    /// Without a function name (outside Lambda) the only dimension is `service`.
    pub fn record_cold_start(&self, function_name: &str) {
        if !matches!(self.sink, Sink::Discard) {
            let millis = unix_millis();
            self.write(cold_start_line(
                &self.namespace,
                &self.service,
                function_name,
                millis,
            ));
        }
    }

    fn write(&self, line: String) {
        match &self.sink {
            // One write per document, so concurrent invocations never interleave within one. A
            // failed write to stdout has nowhere to be reported.
            Sink::Stdout => {
                let _ = std::io::stdout()
                    .lock()
                    .write_all(format!("{line}\n").as_bytes());
            }
            Sink::Memory(lines) => {
                if let Ok(mut lines) = lines.lock() {
                    lines.push(line);
                }
            }
            Sink::Discard => {}
        }
    }
}

fn unix_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// The EMF JSON for one decision.
pub(crate) fn emf_line(
    namespace: &str,
    service: &str,
    outcome: Outcome,
    reason: &str,
    timestamp_ms: u64,
) -> String {
    // Written directly rather than through a `serde_json::Value` tree: this runs on every decision
    // and the tree cost about a fifth of an RSA verify. Only the strings need escaping.
    let mut line = String::with_capacity(512);
    let _ = write!(
        line,
        r#"{{"_aws":{{"Timestamp":{timestamp_ms},"CloudWatchMetrics":[{{"Namespace":{},"Dimensions":[["service"]],"Metrics":["#,
        Value::from(namespace)
    );
    for (i, o) in Outcome::ALL.iter().enumerate() {
        let comma = if i == 0 { "" } else { "," };
        let _ = write!(line, r#"{comma}{{"Name":"{}","Unit":"Count"}}"#, o.metric());
    }
    let _ = write!(
        line,
        r#"]}}]}},"service":{},"outcome":"{}","reason":{}"#,
        Value::from(service),
        outcome.as_str(),
        Value::from(reason)
    );
    for o in Outcome::ALL {
        let _ = write!(line, r#","{}":{}"#, o.metric(), u8::from(o == outcome));
    }
    line.push('}');
    line
}

/// The EMF JSON of the `ColdStart` metric, written directly as [`emf_line`] is.
pub(crate) fn cold_start_line(
    namespace: &str,
    service: &str,
    function_name: &str,
    timestamp_ms: u64,
) -> String {
    let (dimensions, function) = if function_name.is_empty() {
        (r#"["service"]"#, String::new())
    } else {
        (
            r#"["service","function_name"]"#,
            format!(r#","function_name":{}"#, Value::from(function_name)),
        )
    };
    format!(
        r#"{{"_aws":{{"Timestamp":{timestamp_ms},"CloudWatchMetrics":[{{"Namespace":{},"Dimensions":[{dimensions}],"Metrics":[{{"Name":"ColdStart","Unit":"Count"}}]}}]}},"service":{}{function},"ColdStart":1}}"#,
        Value::from(namespace),
        Value::from(service),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emf_spec as emf;

    #[test]
    fn one_document_per_decision_with_zeros_for_the_others() {
        let line = emf_line(
            "CognitoAuthorizer",
            "echo-api-authorizer",
            Outcome::InfrastructureError,
            "jwks_unavailable",
            1_700_000_000_000,
        );
        let doc = emf::document(&line);
        let directives = emf::directives(&doc).unwrap();
        assert_eq!(directives.len(), 1);
        assert_eq!(directives[0].namespace, "CognitoAuthorizer");
        assert_eq!(directives[0].dimensions, [["service"]]);
        let names: Vec<&str> = directives[0].metrics.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "Allowed",
                "Denied",
                "InfrastructureError",
                "InvalidEvent",
                "Unauthorized"
            ]
        );
        assert!(
            directives[0]
                .metrics
                .values()
                .all(|u| u.as_deref() == Some("Count"))
        );
        assert_eq!(doc["service"], "echo-api-authorizer");
        assert_eq!(doc["InfrastructureError"], 1);
        assert_eq!(doc["Unauthorized"], 0);
        assert_eq!(doc["Allowed"], 0);
        assert_eq!(doc["reason"], "jwks_unavailable");
        assert_eq!(doc["_aws"]["Timestamp"], 1_700_000_000_000_u64);
        assert!(!line.contains('\n'));
    }

    #[test]
    fn the_line_is_the_document_a_json_builder_gives() {
        for outcome in Outcome::ALL {
            let (namespace, service, reason) = ("Name \"space\"\n", "svc\\1", "scope_missing");
            let line = emf_line(namespace, service, outcome, reason, 42);
            let metrics: Vec<_> = Outcome::ALL
                .iter()
                .map(|o| json!({"Name": o.metric(), "Unit": "Count"}))
                .collect();
            let mut expected = json!({
                "_aws": {
                    "Timestamp": 42,
                    "CloudWatchMetrics": [{"Namespace": namespace, "Dimensions": [["service"]], "Metrics": metrics}],
                },
                "service": service,
                "outcome": outcome.as_str(),
                "reason": reason,
            });
            for o in Outcome::ALL {
                expected[o.metric()] = json!(u8::from(o == outcome));
            }
            assert_eq!(emf::document(&line), expected);
            assert!(!line.contains('\n'));
        }
    }

    #[test]
    fn cold_start_is_its_own_document_with_the_function_name() {
        let line = cold_start_line("N\"s", "svc", "fn\\1", 7);
        let expected = json!({
            "_aws": {
                "Timestamp": 7,
                "CloudWatchMetrics": [{
                    "Namespace": "N\"s",
                    "Dimensions": [["service", "function_name"]],
                    "Metrics": [{"Name": "ColdStart", "Unit": "Count"}],
                }],
            },
            "service": "svc",
            "function_name": "fn\\1",
            "ColdStart": 1,
        });
        assert_eq!(emf::document(&line), expected);

        let doc = emf::document(&cold_start_line("NS", "svc", "echo-api-authorizer", 7));
        let directives = emf::directives(&doc).unwrap();
        assert_eq!(directives[0].dimensions, [["service", "function_name"]]);
        assert_eq!(directives[0].metrics.len(), 1);
        assert_eq!(directives[0].metrics["ColdStart"].as_deref(), Some("Count"));
        assert_eq!(doc["ColdStart"], 1);
        assert_eq!(doc["function_name"], "echo-api-authorizer");
        assert_eq!(doc["service"], "svc");

        let outside_lambda = emf::document(&cold_start_line("NS", "svc", "", 7));
        assert_eq!(
            emf::directives(&outside_lambda).unwrap()[0].dimensions,
            [["service"]]
        );
        assert!(outside_lambda.get("function_name").is_none());
    }

    #[test]
    fn the_memory_sink_keeps_what_the_stdout_sink_would_print() {
        let metrics = Metrics::memory()
            .with_namespace("NS".into())
            .with_service("svc".into());
        metrics.record_cold_start("fn");
        metrics.record(Outcome::Denied, "scope_missing");
        let lines = metrics.lines();
        assert_eq!(lines.len(), 2);
        let cold = emf::document(&lines[0]);
        assert_eq!(
            (cold["ColdStart"].clone(), cold["service"].clone()),
            (json!(1), json!("svc"))
        );
        let decision = emf::document(&lines[1]);
        assert_eq!(decision["Denied"], 1);
        assert_eq!(decision["service"], "svc");
        assert!(Metrics::discard().lines().is_empty());
    }

    /// The checker itself: each document breaks one rule of the specification.
    #[test]
    fn the_emf_checker_refuses_what_the_specification_forbids() {
        let good = emf_line("NS", "svc", Outcome::Allowed, "ok", 1);
        assert!(emf::check(&good).is_ok());
        let broken = [
            ("not JSON", "{".to_owned()),
            ("trailing text", format!("{good} x")),
            (
                "repeated key",
                good.replacen(r#""service":"svc""#, r#""service":"svc","service":"x""#, 1),
            ),
            ("no _aws", r#"{"Allowed":1}"#.to_owned()),
            (
                "timestamp in seconds as a float",
                good.replacen(r#""Timestamp":1"#, r#""Timestamp":1.5"#, 1),
            ),
            (
                "timestamp as text",
                good.replacen(r#""Timestamp":1"#, r#""Timestamp":"1""#, 1),
            ),
            (
                "namespace not a string",
                good.replacen(r#""Namespace":"NS""#, r#""Namespace":3"#, 1),
            ),
            (
                "empty namespace",
                good.replacen(r#""Namespace":"NS""#, r#""Namespace":"""#, 1),
            ),
            (
                "AWS namespace",
                good.replacen(r#""Namespace":"NS""#, r#""Namespace":"AWS/Lambda""#, 1),
            ),
            (
                "dimension not declared",
                good.replacen(r#"[["service"]]"#, r#"[["service","stage"]]"#, 1),
            ),
            (
                "dimension not a string",
                good.replacen(r#""service":"svc""#, r#""service":7"#, 1),
            ),
            (
                "empty dimension value",
                good.replacen(r#""service":"svc""#, r#""service":"""#, 1),
            ),
            (
                "metric not numeric",
                good.replacen(r#""Allowed":1"#, r#""Allowed":"1""#, 1),
            ),
            ("metric missing", good.replacen(r#","Allowed":1"#, "", 1)),
            (
                "metric array of text",
                good.replacen(r#""Allowed":1"#, r#""Allowed":[1,"2"]"#, 1),
            ),
            (
                "bad unit",
                good.replacen(r#""Unit":"Count""#, r#""Unit":"Counts""#, 1),
            ),
            (
                "unknown member",
                good.replacen(r#""Unit":"Count""#, r#""Unit":"Count","Extra":1"#, 1),
            ),
            (
                "bad resolution",
                good.replacen(
                    r#""Unit":"Count""#,
                    r#""Unit":"Count","StorageResolution":5"#,
                    1,
                ),
            ),
            (
                "metric as dimension",
                good.replacen(r#"[["service"]]"#, r#"[["Allowed"]]"#, 1),
            ),
        ];
        for (what, line) in broken {
            assert_ne!(line, good, "{what}: the fixture changed nothing");
            assert!(emf::check(&line).is_err(), "{what}: {line}");
        }
        let keys: Vec<String> = (0..31).map(|i| format!("d{i}")).collect();
        let mut wide: Value = serde_json::from_str(&good).unwrap();
        wide["_aws"]["CloudWatchMetrics"][0]["Dimensions"] = json!([keys]);
        for k in &keys {
            wide[k] = json!("v");
        }
        assert!(
            emf::check(&wide.to_string())
                .unwrap_err()
                .contains("31 keys")
        );
        wide["_aws"]["CloudWatchMetrics"][0]["Dimensions"] = json!([keys[..30]]);
        assert!(
            emf::check(&wide.to_string()).is_ok(),
            "30 dimensions are allowed"
        );
    }
}

//! Decision metrics in CloudWatch Embedded Metric Format: one JSON line per decision on stdout.

use std::fmt::Write as _;
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
    sink: Sink,
}

#[derive(Debug, Clone)]
enum Sink {
    Stdout,
    Memory(Arc<Mutex<Vec<String>>>),
    Discard,
}

impl Metrics {
    pub fn stdout() -> Self {
        Self {
            namespace: String::new(),
            sink: Sink::Stdout,
        }
    }

    /// A sink that keeps lines for inspection.
    pub fn memory() -> Self {
        Self {
            namespace: String::new(),
            sink: Sink::Memory(Arc::default()),
        }
    }

    /// A sink that drops every line (the offline stack logs its own line per request instead).
    pub fn discard() -> Self {
        Self {
            namespace: String::new(),
            sink: Sink::Discard,
        }
    }

    pub fn with_namespace(self, namespace: String) -> Self {
        Self { namespace, ..self }
    }

    /// Lines recorded by a memory sink (empty for stdout).
    pub fn lines(&self) -> Vec<String> {
        match &self.sink {
            Sink::Memory(lines) => lines.lock().map(|l| l.clone()).unwrap_or_default(),
            Sink::Stdout | Sink::Discard => Vec::new(),
        }
    }

    /// Writes one EMF document: every outcome metric, 1 for `outcome` and 0 for the others (so
    /// sums and alarms see zeros), no dimensions, the reason as a searchable property.
    pub fn record(&self, outcome: Outcome, reason: &str) {
        if matches!(self.sink, Sink::Discard) {
            return;
        }
        let line = emf_line(&self.namespace, outcome, reason, unix_millis());
        match &self.sink {
            Sink::Stdout => println!("{line}"),
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
pub fn emf_line(namespace: &str, outcome: Outcome, reason: &str, timestamp_ms: u64) -> String {
    // Written directly rather than through a `serde_json::Value` tree: this runs on every decision
    // and the tree cost about a fifth of an RSA verify. Only the two strings need escaping.
    let mut line = String::with_capacity(512);
    let _ = write!(
        line,
        r#"{{"_aws":{{"Timestamp":{timestamp_ms},"CloudWatchMetrics":[{{"Namespace":{},"Dimensions":[[]],"Metrics":["#,
        Value::from(namespace)
    );
    for (i, o) in Outcome::ALL.iter().enumerate() {
        let comma = if i == 0 { "" } else { "," };
        let _ = write!(line, r#"{comma}{{"Name":"{}","Unit":"Count"}}"#, o.metric());
    }
    let _ = write!(
        line,
        r#"]}}]}},"outcome":"{}","reason":{}"#,
        outcome.as_str(),
        Value::from(reason)
    );
    for o in Outcome::ALL {
        let _ = write!(line, r#","{}":{}"#, o.metric(), u8::from(o == outcome));
    }
    line.push('}');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_document_per_decision_with_zeros_for_the_others() {
        let line = emf_line(
            "CognitoAuthorizer",
            Outcome::InfrastructureError,
            "jwks_unavailable",
            1_700_000_000_000,
        );
        let doc: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            doc["_aws"]["CloudWatchMetrics"][0]["Namespace"],
            "CognitoAuthorizer"
        );
        assert_eq!(
            doc["_aws"]["CloudWatchMetrics"][0]["Metrics"]
                .as_array()
                .unwrap()
                .len(),
            5
        );
        assert_eq!(doc["InfrastructureError"], 1);
        assert_eq!(doc["Unauthorized"], 0);
        assert_eq!(doc["Allowed"], 0);
        assert_eq!(doc["reason"], "jwks_unavailable");
        assert!(!line.contains('\n'));
    }

    #[test]
    fn the_line_is_the_document_a_json_builder_gives() {
        for outcome in Outcome::ALL {
            let (namespace, reason) = ("Name \"space\"\n", "scope_missing");
            let line = emf_line(namespace, outcome, reason, 42);
            let metrics: Vec<_> = Outcome::ALL
                .iter()
                .map(|o| json!({"Name": o.metric(), "Unit": "Count"}))
                .collect();
            let mut expected = json!({
                "_aws": {
                    "Timestamp": 42,
                    "CloudWatchMetrics": [{"Namespace": namespace, "Dimensions": [[]], "Metrics": metrics}],
                },
                "outcome": outcome.as_str(),
                "reason": reason,
            });
            for o in Outcome::ALL {
                expected[o.metric()] = json!(u8::from(o == outcome));
            }
            let parsed: Value = serde_json::from_str(&line).unwrap();
            assert_eq!(parsed, expected);
            assert!(!line.contains('\n'));
        }
    }
}

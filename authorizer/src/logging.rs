//! Log set-up: Lambda's advanced logging controls and its flat JSON lines, from the `lambda-log`
//! crate the echo handler shares, so one Logs Insights query reads both functions' lines.
//!
//! - Level: `AWS_LAMBDA_LOG_LEVEL`, else `RUST_LOG` (a level, or `target=level,...`), else `INFO`.
//! - Format: JSON lines when `AWS_LAMBDA_LOG_FORMAT` is `JSON`, else text (`cargo lambda watch`).
//! - Every JSON line carries `service` (`SERVICE_NAME`) and, inside an invocation, `requestId`
//!   and `xray_trace_id`; see `lambda_log::JsonLayer`.

use tracing_subscriber::filter::LevelFilter;

pub use lambda_log::{Capture, filter, json_format, subscriber};

/// Installs the global subscriber, writing to stdout. Does nothing if one is already set.
pub fn init(service: &str) {
    lambda_log::init(service);
    let get = |name: &str| std::env::var(name).ok();
    if let Some(warning) = level_warning(get) {
        tracing::warn!("{warning}");
    }
}

/// A warning when the level hides the EMF documents: Lambda gives a JSON line without a `level`
/// the level INFO, so above INFO it drops the metric documents with the INFO lines, and the
/// decision metrics and the alarms on them go silent.
pub fn level_warning(get: impl Fn(&str) -> Option<String>) -> Option<&'static str> {
    let hides_info = filter(&get)
        .default_level()
        .is_some_and(|level| level < LevelFilter::INFO);
    (hides_info && get("AWS_LAMBDA_LOG_LEVEL").is_some() && json_format(&get)).then_some(
        "AWS_LAMBDA_LOG_LEVEL is above INFO: Lambda also drops the metric documents (lines \
         without a level count as INFO), so the decision metrics and their alarms go silent",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn warns_only_when_lambda_filters_out_info() {
        let json = ("AWS_LAMBDA_LOG_FORMAT", "JSON");
        for level in ["WARN", "ERROR", "FATAL"] {
            assert!(level_warning(vars(&[json, ("AWS_LAMBDA_LOG_LEVEL", level)])).is_some());
        }
        for level in ["INFO", "DEBUG", "TRACE"] {
            assert!(level_warning(vars(&[json, ("AWS_LAMBDA_LOG_LEVEL", level)])).is_none());
        }
        // Lambda filters only JSON lines, by its own setting: RUST_LOG alone hides nothing from it.
        assert!(level_warning(vars(&[json, ("RUST_LOG", "warn")])).is_none());
        assert!(level_warning(vars(&[("AWS_LAMBDA_LOG_LEVEL", "WARN")])).is_none());
    }
}

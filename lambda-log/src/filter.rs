//! What Lambda's advanced logging controls ask for, read from the environment: the level filter
//! and the format. Without tracing-subscriber's regex-based `EnvFilter`, whose regex engine is a
//! large part of a binary (docs/performance.md has the size with and without it).
//!
//! - Level: `AWS_LAMBDA_LOG_LEVEL` (`TRACE`, `DEBUG`, `INFO`, `WARN`, `ERROR`, `FATAL`), else a
//!   bare level in `RUST_LOG`, else `INFO`.
//! - `RUST_LOG` may also set levels per target, `target=level` separated by commas
//!   (`authorizer=debug,hyper=warn`); span and field filters are not supported.
//! - Format: JSON lines when `AWS_LAMBDA_LOG_FORMAT` is `JSON` (any case), else text.

use tracing_subscriber::filter::{LevelFilter, Targets};

/// Whether the log lines are JSON (`AWS_LAMBDA_LOG_FORMAT=JSON`).
pub fn json_format(get: impl Fn(&str) -> Option<String>) -> bool {
    get("AWS_LAMBDA_LOG_FORMAT").is_some_and(|f| f.trim().eq_ignore_ascii_case("json"))
}

/// The filter the variables read through `get` ask for (see the module documentation).
pub fn filter(get: impl Fn(&str) -> Option<String>) -> Targets {
    let rust_log = get("RUST_LOG").unwrap_or_default();
    let targets: Targets = rust_log
        .split(',')
        .filter(|d| d.contains('='))
        .filter_map(|d| {
            let (target, lvl) = d.split_once('=')?;
            Some((target.trim().to_owned(), level(lvl)?))
        })
        .collect();
    let default = get("AWS_LAMBDA_LOG_LEVEL")
        .and_then(|v| level(&v))
        .or_else(|| rust_log.split(',').find_map(level))
        .unwrap_or(LevelFilter::INFO);
    targets.with_default(default)
}

/// A level name in any case; Lambda's `FATAL` is tracing's `ERROR`. `None` when empty or unknown.
fn level(value: &str) -> Option<LevelFilter> {
    match value.trim().to_ascii_uppercase().as_str() {
        "" => None,
        "FATAL" => Some(LevelFilter::ERROR),
        other => other.parse::<LevelFilter>().ok(),
    }
}

/// A warning when the level hides lines written without one, such as CloudWatch's metric
/// documents: Lambda gives a JSON line without a `level` the level INFO, so above INFO it drops
/// them with the INFO lines, and metrics and the alarms on them go silent.
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
    fn level_precedence_is_lambda_then_rust_log_then_info() {
        assert_eq!(filter(vars(&[])).default_level(), Some(LevelFilter::INFO));
        assert_eq!(
            filter(vars(&[("RUST_LOG", "debug")])).default_level(),
            Some(LevelFilter::DEBUG)
        );
        assert_eq!(
            filter(vars(&[
                ("AWS_LAMBDA_LOG_LEVEL", "WARN"),
                ("RUST_LOG", "debug")
            ]))
            .default_level(),
            Some(LevelFilter::WARN)
        );
        assert_eq!(
            filter(vars(&[("AWS_LAMBDA_LOG_LEVEL", "FATAL")])).default_level(),
            Some(LevelFilter::ERROR)
        );
        assert_eq!(
            filter(vars(&[("AWS_LAMBDA_LOG_LEVEL", "nonsense")])).default_level(),
            Some(LevelFilter::INFO)
        );
    }

    #[test]
    fn rust_log_sets_per_target_levels() {
        let f = filter(vars(&[
            ("AWS_LAMBDA_LOG_LEVEL", "INFO"),
            ("RUST_LOG", "authorizer=debug, hyper=warn,bad=nonsense"),
        ]));
        assert_eq!(f.default_level(), Some(LevelFilter::INFO));
        assert!(f.would_enable("authorizer::keys", &tracing::Level::DEBUG));
        assert!(!f.would_enable("authorizer::keys", &tracing::Level::TRACE));
        assert!(!f.would_enable("hyper::client", &tracing::Level::INFO));
        assert!(f.would_enable("hyper::client", &tracing::Level::WARN));
        assert!(f.would_enable("bad", &tracing::Level::INFO));
        assert!(!f.would_enable("other", &tracing::Level::DEBUG));
    }

    #[test]
    fn json_only_when_asked() {
        assert!(json_format(vars(&[("AWS_LAMBDA_LOG_FORMAT", "JSON")])));
        assert!(json_format(vars(&[("AWS_LAMBDA_LOG_FORMAT", "json")])));
        assert!(!json_format(vars(&[("AWS_LAMBDA_LOG_FORMAT", "Text")])));
        assert!(!json_format(vars(&[])));
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

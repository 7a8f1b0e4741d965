//! Log set-up for a Lambda function: Lambda's advanced logging controls and its flat JSON lines,
//! from the `lambda-log` crate the echo handler shares, so one Logs Insights query reads both
//! functions' lines. Call one of these once, at the start of `main`.
//!
//! - Level: `AWS_LAMBDA_LOG_LEVEL`, else `RUST_LOG` (a level, or `target=level,...`), else `INFO`.
//! - Format: JSON lines when `AWS_LAMBDA_LOG_FORMAT` is `JSON`, else text (`cargo lambda watch`).
//! - Every JSON line carries `service` (`SERVICE_NAME`) and, inside an invocation, `requestId`
//!   and `xray_trace_id`; see `lambda_log::JsonLayer`.

use lambda_log::level_warning;

/// Installs the global subscriber, writing to stdout. Does nothing if one is already set. Warns
/// when the level hides the metric documents (`AWS_LAMBDA_LOG_LEVEL` above `INFO` with JSON
/// lines: Lambda drops lines without a level with the INFO ones).
pub fn init(service: &str) {
    lambda_log::init(service);
    warn_if_the_metrics_are_hidden();
}

/// [`init`] for a function whose settings were just read: its lines carry the service name
/// `service` gives, or `default` when the settings were refused, in which case the refusal
/// (`SETTING: problem`) is logged at ERROR and returned, to stop the function at init (see
/// `lambda_log::init_with_settings`).
pub fn init_with_settings<C, E: std::fmt::Display>(
    settings: Result<C, E>,
    service: impl Fn(&C) -> &str,
    default: &str,
) -> Result<C, E> {
    let settings = lambda_log::init_with_settings(settings, service, default);
    warn_if_the_metrics_are_hidden();
    settings
}

fn warn_if_the_metrics_are_hidden() {
    let get = |name: &str| std::env::var(name).ok();
    if let Some(warning) = level_warning(get) {
        tracing::warn!("{warning}");
    }
}

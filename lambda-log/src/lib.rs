//! Logging for the workspace's Lambda functions, from Lambda's advanced logging controls.
//!
//! - `AWS_LAMBDA_LOG_FORMAT=JSON`: one flat JSON object per line in Lambda's own shape
//!   (`timestamp`, `level`, `message`, `requestId` at the top level; see [`JsonLayer`]), plus
//!   `xray_trace_id` when Lambda sent a trace id, `service`, and the event's fields.
//! - Otherwise text lines (`cargo lambda watch`), without time stamps (Lambda adds them) or
//!   targets.
//! - Level from `AWS_LAMBDA_LOG_LEVEL`, else `RUST_LOG` (see [`filter`]), else `INFO`; set up
//!   without tracing-subscriber's regex-based `EnvFilter`.
//!
//! Functions call [`init`] once at start; tests build the same [`subscriber`] over a
//! [`Capture`] and read the lines back.

#![warn(missing_docs, unreachable_pub)]

mod capture;
mod cold_start;
mod filter;
mod json;
mod timestamp;

pub use capture::Capture;
pub use cold_start::ColdStart;
pub use filter::{filter, json_format, level_warning};
pub use json::JsonLayer;
pub use timestamp::civil_from_days;

use tracing::Subscriber;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt as _;

/// The keys every JSON line of an invocation starts with, in this order (Lambda's own four, then
/// the trace id when Lambda sent one, then the service).
pub const LEADING_KEYS: [&str; 6] = [
    "timestamp",
    "level",
    "message",
    "requestId",
    "xray_trace_id",
    "service",
];

/// Longest service name accepted ([`is_service_name`]).
pub const MAX_SERVICE_NAME: usize = 255;

/// Whether `name` can be the `service` of the lines and of the metrics' `service` dimension:
/// 1 to [`MAX_SERVICE_NAME`] characters among letters, digits and `_.:/-` (the template's
/// `ServiceName` pattern; CloudWatch takes any dimension value of 1 to 1024 characters).
pub fn is_service_name(name: &str) -> bool {
    (1..=MAX_SERVICE_NAME).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.:/-".contains(&b))
}

/// Sets up logging for a function whose settings were just read ([`init`]): its lines carry the
/// configured service name, or `default` when the settings were refused, in which case the
/// refusal (`SETTING: problem`) is logged at ERROR before it is returned, to stop the function
/// at init.
pub fn init_with_settings<C, E: std::fmt::Display>(
    settings: Result<C, E>,
    service: impl Fn(&C) -> &str,
    default: &str,
) -> Result<C, E> {
    init(settings.as_ref().map_or(default, service));
    settings.inspect_err(|e| tracing::error!(error = %e, "configuration error"))
}

/// The subscriber the variables read through `get` ask for (format and levels, see the crate
/// documentation), writing whole lines to `writer`. JSON lines carry `"service": service`.
pub fn subscriber<W>(
    get: impl Fn(&str) -> Option<String>,
    service: &str,
    writer: W,
) -> impl Subscriber + Send + Sync + 'static
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let (json, text) = if json_format(&get) {
        (Some(JsonLayer::new(Some(service), writer)), None)
    } else {
        let text = tracing_subscriber::fmt::layer()
            .with_target(false)
            .without_time()
            .with_writer(writer);
        (None, Some(text))
    };
    tracing_subscriber::registry()
        .with(filter(&get))
        .with(json)
        .with(text)
}

/// Installs [`subscriber`] for the process environment, writing to stdout. Does nothing if a
/// global subscriber is already set.
pub fn init(service: &str) {
    let get = |name: &str| std::env::var(name).ok();
    let _ = tracing::subscriber::set_global_default(subscriber(get, service, std::io::stdout));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names() {
        for good in [
            "echo-api-authorizer",
            "a",
            "team/app:v1.2_x",
            &"s".repeat(255),
        ] {
            assert!(is_service_name(good), "{good}");
        }
        for bad in [
            "",
            "has space",
            "quote\"",
            "new\nline",
            "é",
            &"s".repeat(256),
        ] {
            assert!(!is_service_name(bad), "{bad:?}");
        }
    }
}

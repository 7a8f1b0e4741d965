//! The stage's operational settings (throttling, logging, metrics, tracing, access log): read
//! and kept, not emulated.

/// The stage's settings as the template gives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct StageSettings {
    /// `TracingEnabled` (default false).
    pub(crate) tracing: bool,
    /// `AccessLogSetting`, when set.
    pub(crate) access_log: Option<AccessLog>,
    /// `MethodSettings`.
    pub(crate) methods: Vec<MethodSetting>,
}

/// `AccessLogSetting`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AccessLog {
    pub(crate) destination_arn: String,
    /// The line's format (`$context` variables); absent: API Gateway's default.
    pub(crate) format: Option<String>,
}

/// One `MethodSettings` entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MethodSetting {
    /// `ResourcePath` (`/*` for every resource).
    pub(crate) resource_path: String,
    /// `HttpMethod` (`*` for every method).
    pub(crate) http_method: String,
    /// Steady requests per second (`ThrottlingRateLimit`).
    pub(crate) rate_limit: Option<f64>,
    /// Bucket size (`ThrottlingBurstLimit`).
    pub(crate) burst_limit: Option<u64>,
    /// `LoggingLevel` (`OFF`, `ERROR`, `INFO`).
    pub(crate) logging_level: Option<String>,
    /// `DataTraceEnabled`: full requests in the execution log (headers, tokens included).
    pub(crate) data_trace: bool,
    /// `MetricsEnabled`: per-method CloudWatch metrics.
    pub(crate) metrics: bool,
}

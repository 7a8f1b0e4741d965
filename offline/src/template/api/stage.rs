//! The stage's operational settings (throttling, logging, metrics, tracing, access log): read
//! and kept, not emulated.

/// The stage's settings as the template gives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StageSettings {
    /// `TracingEnabled` (default false).
    pub tracing: bool,
    /// `AccessLogSetting`, when set.
    pub access_log: Option<AccessLog>,
    /// `MethodSettings`.
    pub methods: Vec<MethodSetting>,
}

/// `AccessLogSetting`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLog {
    pub destination_arn: String,
    /// The line's format (`$context` variables); absent: API Gateway's default.
    pub format: Option<String>,
}

/// One `MethodSettings` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodSetting {
    /// `ResourcePath` (`/*` for every resource).
    pub resource_path: String,
    /// `HttpMethod` (`*` for every method).
    pub http_method: String,
    /// Steady requests per second (`ThrottlingRateLimit`).
    pub rate_limit: Option<f64>,
    /// Bucket size (`ThrottlingBurstLimit`).
    pub burst_limit: Option<u64>,
    /// `LoggingLevel` (`OFF`, `ERROR`, `INFO`).
    pub logging_level: Option<String>,
    /// `DataTraceEnabled`: full requests in the execution log (headers, tokens included).
    pub data_trace: bool,
    /// `MetricsEnabled`: per-method CloudWatch metrics.
    pub metrics: bool,
}

//! The HTTP API stage's settings: `AccessLogSettings` and `DefaultRouteSettings` (throttling,
//! logging, metrics). Read and kept, not emulated: the offline gateway never answers 429 and
//! writes its own log line instead of the access log.

use serde_json::Value;

use crate::template::api::{MethodSetting, StageSettings};
use crate::template::api_fields::{access_log, throttling};
use crate::template::error::Located;
use crate::template::fields::{boolean, only_known, optional_str};

const ROUTE_SETTING_KEYS: &[&str] = &[
    "ThrottlingRateLimit",
    "ThrottlingBurstLimit",
    "LoggingLevel",
    "DataTraceEnabled",
    "DetailedMetricsEnabled",
];

/// The settings of the API's resolved properties `props` (at `at`); the default route settings
/// become one setting for every route (`/*`, `*`).
pub(crate) fn stage_settings(props: &Value, at: &str) -> Result<StageSettings, Located> {
    let access_log = access_log(props, "AccessLogSettings", at)?;
    let methods = match props.get("DefaultRouteSettings") {
        None => Vec::new(),
        Some(setting) => vec![route_setting(
            setting,
            &format!("{at}.DefaultRouteSettings"),
        )?],
    };
    Ok(StageSettings {
        tracing: false,
        access_log,
        methods,
    })
}

fn route_setting(setting: &Value, at: &str) -> Result<MethodSetting, Located> {
    only_known(setting, ROUTE_SETTING_KEYS, at)?;
    let (rate_limit, burst_limit) = throttling(setting, at)?;
    Ok(MethodSetting {
        resource_path: "/*".to_owned(),
        http_method: "*".to_owned(),
        rate_limit,
        burst_limit,
        logging_level: optional_str(setting, "LoggingLevel", at)?,
        data_trace: boolean(setting, "DataTraceEnabled", false, at)?,
        metrics: boolean(setting, "DetailedMetricsEnabled", false, at)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_are_read_not_emulated() {
        let settings = stage_settings(
            &json!({"AccessLogSettings": {"DestinationArn": "arn:x"},
                "DefaultRouteSettings": {"ThrottlingRateLimit": 100, "ThrottlingBurstLimit": "200"}}),
            "A",
        )
        .unwrap();
        assert_eq!(settings.access_log.unwrap().destination_arn, "arn:x");
        assert_eq!(
            (
                settings.methods[0].rate_limit,
                settings.methods[0].burst_limit
            ),
            (Some(100.0), Some(200))
        );
        let err = stage_settings(
            &json!({"DefaultRouteSettings": {"CachingEnabled": true}}),
            "A",
        );
        assert_eq!(
            err.unwrap_err().path,
            "A.DefaultRouteSettings.CachingEnabled"
        );
    }
}

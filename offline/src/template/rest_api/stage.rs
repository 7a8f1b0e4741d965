//! The stage's operational settings: `TracingEnabled`, `AccessLogSetting` and `MethodSettings`
//! (throttling, logging, metrics). Read and kept, not emulated: the offline gateway never answers
//! 429, traces nothing and writes its own log line instead of the access log.

use serde_json::Value;

use crate::template::api::{MethodSetting, StageSettings};
use crate::template::api_fields::{access_log, throttling};
use crate::template::error::{Located, Problem};
use crate::template::fields::{array_field, boolean, only_known, optional_str};

const METHOD_SETTING_KEYS: &[&str] = &[
    "ResourcePath",
    "HttpMethod",
    "ThrottlingRateLimit",
    "ThrottlingBurstLimit",
    "LoggingLevel",
    "DataTraceEnabled",
    "MetricsEnabled",
    "CachingEnabled",
    "CacheTtlInSeconds",
    "CacheDataEncrypted",
];

/// The settings of the API's resolved properties `props` (at `at`).
pub(crate) fn stage_settings(props: &Value, at: &str) -> Result<StageSettings, Located> {
    let access_log = access_log(props, "AccessLogSetting", at)?;
    let methods = array_field(props, "MethodSettings")
        .iter()
        .enumerate()
        .map(|(i, setting)| method_setting(setting, &format!("{at}.MethodSettings[{i}]")))
        .collect::<Result<_, _>>()?;
    Ok(StageSettings {
        tracing: boolean(props, "TracingEnabled", false, at)?,
        access_log,
        methods,
    })
}

fn method_setting(setting: &Value, at: &str) -> Result<MethodSetting, Located> {
    only_known(setting, METHOD_SETTING_KEYS, at)?;
    if boolean(setting, "CachingEnabled", false, at)? {
        return Err(Problem::Caching.at(format!("{at}.CachingEnabled")));
    }
    let (rate_limit, burst_limit) = throttling(setting, at)?;
    Ok(MethodSetting {
        resource_path: optional_str(setting, "ResourcePath", at)?.unwrap_or_else(|| "/*".into()),
        http_method: optional_str(setting, "HttpMethod", at)?.unwrap_or_else(|| "*".into()),
        rate_limit,
        burst_limit,
        logging_level: optional_str(setting, "LoggingLevel", at)?,
        data_trace: boolean(setting, "DataTraceEnabled", false, at)?,
        metrics: boolean(setting, "MetricsEnabled", false, at)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_are_read_and_caching_refused() {
        let settings = stage_settings(
            &json!({"TracingEnabled": true, "AccessLogSetting": {"DestinationArn": "arn:x", "Format": "$context.requestId"},
                "MethodSettings": [{"ResourcePath": "/*", "HttpMethod": "*", "ThrottlingRateLimit": "100", "ThrottlingBurstLimit": 200}]}),
            "A",
        )
        .unwrap();
        assert!(settings.tracing);
        assert_eq!(settings.access_log.unwrap().destination_arn, "arn:x");
        let [method] = settings.methods.as_slice() else {
            panic!()
        };
        assert_eq!(
            (method.rate_limit, method.burst_limit),
            (Some(100.0), Some(200))
        );
        assert_eq!(
            stage_settings(&json!({}), "A").unwrap(),
            StageSettings::default()
        );
        for (props, path) in [
            (
                json!({"MethodSettings": [{"CachingEnabled": true}]}),
                "A.MethodSettings[0].CachingEnabled",
            ),
            (
                json!({"MethodSettings": [{"ThrottlingRateLimit": "fast"}]}),
                "A.MethodSettings[0].ThrottlingRateLimit",
            ),
            (
                json!({"AccessLogSetting": {"Format": "x"}}),
                "A.AccessLogSetting.DestinationArn",
            ),
            (json!({"TracingEnabled": "maybe"}), "A.TracingEnabled"),
        ] {
            assert_eq!(
                stage_settings(&props, "A").unwrap_err().path,
                path,
                "{props}"
            );
        }
    }
}

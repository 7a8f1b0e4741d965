//! The pool's `LambdaConfig`: the pre token generation trigger
//! (`PreTokenGenerationConfig: {LambdaVersion, LambdaArn}`) with a V2_0 or V3_0 event, the only
//! trigger the offline stack runs. The legacy `PreTokenGeneration` alone (a V1_0 event) and every
//! other trigger are refused.

use serde_json::Value;

use crate::template::error::{Located, Problem};
use crate::template::fields::{only_known, optional_str, str_field};

/// Which pre token generation event Cognito sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PreTokenVersion {
    /// People's tokens only.
    V2,
    /// People's tokens and client credentials.
    V3,
}

/// The pool's pre token generation trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PreTokenTrigger {
    pub(crate) version: PreTokenVersion,
    /// `LambdaArn`, resolved: the Arn of a function of the template.
    pub(crate) lambda_arn: String,
    /// Where it is written, for errors.
    pub(crate) at: String,
}

/// `props.LambdaConfig`'s pre token generation trigger, if any (at `at`, the pool's
/// `Properties`).
pub(crate) fn pre_token_trigger(
    props: &Value,
    at: &str,
) -> Result<Option<PreTokenTrigger>, Located> {
    let Some(config) = props.get("LambdaConfig") else {
        return Ok(None);
    };
    let at = format!("{at}.LambdaConfig");
    only_known(
        config,
        &["PreTokenGenerationConfig", "PreTokenGeneration"],
        &at,
    )?;
    let legacy = optional_str(config, "PreTokenGeneration", &at)?;
    let Some(versioned) = config.get("PreTokenGenerationConfig") else {
        return match legacy {
            Some(_) => {
                Err(Problem::LegacyPreTokenGeneration.at(format!("{at}.PreTokenGeneration")))
            }
            None => Ok(None),
        };
    };
    let at = format!("{at}.PreTokenGenerationConfig");
    only_known(versioned, &["LambdaVersion", "LambdaArn"], &at)?;
    let version = match str_field(versioned, "LambdaVersion", &at)? {
        "V2_0" => PreTokenVersion::V2,
        "V3_0" => PreTokenVersion::V3,
        other => {
            return Err(
                Problem::PreTokenVersion(other.to_owned()).at(format!("{at}.LambdaVersion"))
            );
        }
    };
    let lambda_arn = str_field(versioned, "LambdaArn", &at)?.to_owned();
    // Cognito keeps the two equal ("This parameter and the PreTokenGeneration property of
    // LambdaConfig have the same value"): a different legacy one is a mistake.
    if legacy.is_some_and(|l| l != lambda_arn) {
        return Err(Problem::LegacyPreTokenGeneration.at(format!("{at}.LambdaArn")));
    }
    Ok(Some(PreTokenTrigger {
        version,
        lambda_arn,
        at: format!("{at}.LambdaArn"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:t";

    #[test]
    fn v2_and_v3_are_read() {
        for (version, expected) in [("V2_0", PreTokenVersion::V2), ("V3_0", PreTokenVersion::V3)] {
            let props = json!({"LambdaConfig": {"PreTokenGenerationConfig":
                {"LambdaVersion": version, "LambdaArn": ARN}, "PreTokenGeneration": ARN}});
            let trigger = pre_token_trigger(&props, "P").unwrap().unwrap();
            assert_eq!(
                (trigger.version, trigger.lambda_arn.as_str()),
                (expected, ARN)
            );
        }
        assert_eq!(pre_token_trigger(&json!({}), "P").unwrap(), None);
    }

    #[test]
    fn v1_the_legacy_key_and_other_triggers_are_refused() {
        for (config, path) in [
            (
                json!({"PreTokenGenerationConfig": {"LambdaVersion": "V1_0", "LambdaArn": ARN}}),
                "P.LambdaConfig.PreTokenGenerationConfig.LambdaVersion",
            ),
            (
                json!({"PreTokenGeneration": ARN}),
                "P.LambdaConfig.PreTokenGeneration",
            ),
            (json!({"PreSignUp": ARN}), "P.LambdaConfig.PreSignUp"),
            (
                json!({"PreTokenGenerationConfig": {"LambdaVersion": "V2_0", "LambdaArn": ARN},
                       "PreTokenGeneration": "arn:other"}),
                "P.LambdaConfig.PreTokenGenerationConfig.LambdaArn",
            ),
        ] {
            let err = pre_token_trigger(&json!({ "LambdaConfig": config }), "P").unwrap_err();
            assert_eq!(err.path, path, "{config}");
        }
    }
}

//! An app client's token lifetimes: `AccessTokenValidity`, `IdTokenValidity` and
//! `RefreshTokenValidity` in `TokenValidityUnits`, with Cognito's defaults and limits.

use serde_json::Value;

use crate::template::error::{Located, Problem};
use crate::template::fields::whole_number;

const MINUTE: u64 = 60;
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;

/// The lifetimes of the tokens an app client gets, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TokenValidity {
    /// 5 minutes to 1 day; default 1 hour (`AccessTokenValidity`, unit default hours).
    pub(crate) access_seconds: u64,
    /// 5 minutes to 1 day; default 1 hour (`IdTokenValidity`, unit default hours).
    pub(crate) id_seconds: u64,
    /// 60 minutes to 10 years (3650 days); default 30 days (`RefreshTokenValidity`, unit default
    /// days).
    pub(crate) refresh_seconds: u64,
}

impl Default for TokenValidity {
    fn default() -> Self {
        Self {
            access_seconds: HOUR,
            id_seconds: HOUR,
            refresh_seconds: 30 * DAY,
        }
    }
}

/// One token's setting: the property, its unit's key, the default unit and value, the limits.
struct Setting {
    key: &'static str,
    unit_key: &'static str,
    default_unit: u64,
    default_value: u64,
    min: u64,
    max: u64,
}

const ACCESS: Setting = Setting {
    key: "AccessTokenValidity",
    unit_key: "AccessToken",
    default_unit: HOUR,
    default_value: 1,
    min: 5 * MINUTE,
    max: DAY,
};
const ID: Setting = Setting {
    key: "IdTokenValidity",
    unit_key: "IdToken",
    default_unit: HOUR,
    default_value: 1,
    min: 5 * MINUTE,
    max: DAY,
};
const REFRESH: Setting = Setting {
    key: "RefreshTokenValidity",
    unit_key: "RefreshToken",
    default_unit: DAY,
    default_value: 30,
    min: HOUR,
    max: 3650 * DAY,
};

impl TokenValidity {
    /// The lifetimes of an app client's resolved properties `props` (at `at`).
    pub(crate) fn read(props: &Value, at: &str) -> Result<Self, Located> {
        Ok(Self {
            access_seconds: seconds(props, &ACCESS, at)?,
            id_seconds: seconds(props, &ID, at)?,
            refresh_seconds: seconds(props, &REFRESH, at)?,
        })
    }
}

fn seconds(props: &Value, setting: &Setting, at: &str) -> Result<u64, Located> {
    let value = match props.get(setting.key) {
        None => None,
        Some(v) => Some(
            whole_number(v)
                .ok_or_else(|| Problem::NotWholeNumber.at(format!("{at}.{}", setting.key)))?,
        ),
    };
    let unit = match props
        .get("TokenValidityUnits")
        .and_then(|units| units.get(setting.unit_key))
    {
        None => setting.default_unit,
        Some(unit) => unit_seconds(unit).ok_or_else(|| {
            Problem::TimeUnit(unit.to_string())
                .at(format!("{at}.TokenValidityUnits.{}", setting.unit_key))
        })?,
    };
    let seconds = match value {
        Some(v) => v.saturating_mul(unit),
        None => setting.default_value * setting.default_unit,
    };
    if (setting.min..=setting.max).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(Problem::Validity {
            seconds,
            min: setting.min,
            max: setting.max,
        }
        .at(format!("{at}.{}", setting.key)))
    }
}

fn unit_seconds(unit: &Value) -> Option<u64> {
    match unit.as_str()? {
        "seconds" => Some(1),
        "minutes" => Some(MINUTE),
        "hours" => Some(HOUR),
        "days" => Some(DAY),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_units_and_limits_are_cognitos() {
        assert_eq!(
            TokenValidity::read(&json!({}), "C").unwrap(),
            TokenValidity::default()
        );
        let v = TokenValidity::read(
            &json!({"AccessTokenValidity": 2, "IdTokenValidity": "30", "RefreshTokenValidity": 3650,
                    "TokenValidityUnits": {"IdToken": "minutes"}}),
            "C",
        )
        .unwrap();
        assert_eq!(
            (v.access_seconds, v.id_seconds, v.refresh_seconds),
            (2 * HOUR, 30 * MINUTE, 3650 * DAY)
        );
        for (props, path) in [
            (
                json!({"AccessTokenValidity": 2, "TokenValidityUnits": {"AccessToken": "days"}}),
                "C.AccessTokenValidity",
            ),
            (
                json!({"IdTokenValidity": 4, "TokenValidityUnits": {"IdToken": "minutes"}}),
                "C.IdTokenValidity",
            ),
            (
                json!({"RefreshTokenValidity": 59, "TokenValidityUnits": {"RefreshToken": "minutes"}}),
                "C.RefreshTokenValidity",
            ),
            (
                json!({"RefreshTokenValidity": 3651}),
                "C.RefreshTokenValidity",
            ),
            (
                json!({"TokenValidityUnits": {"AccessToken": "weeks"}}),
                "C.TokenValidityUnits.AccessToken",
            ),
            (
                json!({"AccessTokenValidity": "soon"}),
                "C.AccessTokenValidity",
            ),
        ] {
            assert_eq!(
                TokenValidity::read(&props, "C").unwrap_err().path,
                path,
                "{props}"
            );
        }
    }
}

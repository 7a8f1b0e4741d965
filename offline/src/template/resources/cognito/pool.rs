//! The user pool: the local one the offline stack plays (id, ARN), and the settings of the
//! `AWS::Cognito::UserPool` that defines it (in the auth stack's template, or in the API's), with
//! Cognito's defaults for what the template leaves out.

use serde_json::Value;

use super::schema::{CustomAttribute, custom_attributes};
use super::triggers::{PreTokenTrigger, pre_token_trigger};
use crate::template::error::{Located, Problem};
use crate::template::fields::{boolean, bounded, only_known, optional_str, str_field, strings};
use crate::template::ids::ACCOUNT_ID;

/// The user pool the offline stack plays: its id and ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LocalPool {
    pub(crate) id: String,
    pub(crate) arn: String,
}

impl LocalPool {
    pub(crate) fn new(id: String, region: &str) -> Self {
        Self {
            arn: format!("arn:aws:cognito-idp:{region}:{ACCOUNT_ID}:userpool/{id}"),
            id,
        }
    }

    /// `UserPoolId` of a pool's resource must be this pool.
    pub(crate) fn check(&self, props: &Value, at: &str) -> Result<(), Located> {
        let given = str_field(props, "UserPoolId", at)?;
        if given == self.id {
            Ok(())
        } else {
            Err(Problem::OtherUserPool {
                given: given.to_owned(),
                pool: self.id.clone(),
            }
            .at(format!("{at}.UserPoolId")))
        }
    }
}

/// `Policies.PasswordPolicy`. Without a policy, Cognito's default: 8 characters, upper- and
/// lower-case letters, a number and a symbol, temporary passwords valid 7 days. A policy that
/// is given but leaves a requirement out does not require it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PasswordPolicy {
    /// 6 to 99 (default 8).
    pub(crate) minimum_length: u64,
    pub(crate) require_uppercase: bool,
    pub(crate) require_lowercase: bool,
    pub(crate) require_numbers: bool,
    pub(crate) require_symbols: bool,
    /// How long an administrator-set temporary password may be used: 0 to 365 days (default 7).
    pub(crate) temporary_password_validity_days: u64,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            minimum_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            temporary_password_validity_days: 7,
        }
    }
}

/// `MfaConfiguration` (default `OFF`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Mfa {
    #[default]
    Off,
    On,
    Optional,
}

/// What people's sign-in depends on in the pool's definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UserPoolSettings {
    /// `file: Resources.Id` of the pool's definition; `None`: no template read defines it, and
    /// these are Cognito's defaults.
    pub(crate) defined_at: Option<String>,
    /// `UserPoolName`.
    pub(crate) name: Option<String>,
    /// `UsernameConfiguration.CaseSensitive` (default true, as the Cognito API creates a pool).
    pub(crate) username_case_sensitive: bool,
    /// `UsernameAttributes` (`email`, `phone_number`): people sign in with these instead of a
    /// user name. Excludes `alias_attributes`.
    pub(crate) username_attributes: Vec<String>,
    /// `AliasAttributes` (`email`, `phone_number`, `preferred_username`): also accepted at
    /// sign-in.
    pub(crate) alias_attributes: Vec<String>,
    pub(crate) password_policy: PasswordPolicy,
    /// `AdminCreateUserConfig.AllowAdminCreateUserOnly` (default false: people may sign up).
    pub(crate) admin_create_user_only: bool,
    pub(crate) mfa: Mfa,
    /// `Schema`'s custom attributes (`custom:*`).
    pub(crate) custom_attributes: Vec<CustomAttribute>,
    /// `LambdaConfig.PreTokenGenerationConfig`.
    pub(crate) pre_token: Option<PreTokenTrigger>,
}

impl Default for UserPoolSettings {
    fn default() -> Self {
        Self {
            defined_at: None,
            name: None,
            username_case_sensitive: true,
            username_attributes: Vec::new(),
            alias_attributes: Vec::new(),
            password_policy: PasswordPolicy::default(),
            admin_create_user_only: false,
            mfa: Mfa::Off,
            custom_attributes: Vec::new(),
            pre_token: None,
        }
    }
}

/// Properties of `AWS::Cognito::UserPool` that are read, or that change nothing the offline
/// stack answers (messages, recovery, tags, e-mail and SMS delivery). `LambdaConfig` is read
/// for its pre token generation trigger only (`triggers`); `Schema` for its custom attributes.
const KNOWN: &[&str] = &[
    "LambdaConfig",
    "UserPoolName",
    "UsernameConfiguration",
    "UsernameAttributes",
    "AliasAttributes",
    "Policies",
    "AdminCreateUserConfig",
    "MfaConfiguration",
    "AccountRecoverySetting",
    "AutoVerifiedAttributes",
    "DeletionProtection",
    "DeviceConfiguration",
    "EmailConfiguration",
    "EmailVerificationMessage",
    "EmailVerificationSubject",
    "EnabledMfas",
    "Schema",
    "SmsAuthenticationMessage",
    "SmsConfiguration",
    "SmsVerificationMessage",
    "UserAttributeUpdateSettings",
    "UserPoolAddOns",
    "UserPoolTags",
    "UserPoolTier",
    "VerificationMessageTemplate",
];

impl UserPoolSettings {
    /// The settings of an `AWS::Cognito::UserPool` from its resolved properties `props` (at `at`,
    /// `Resources.Id.Properties`); `defined_at` says where, for people reading them.
    pub(crate) fn read(props: &Value, at: &str, defined_at: String) -> Result<Self, Located> {
        only_known(props, KNOWN, at)?;
        let username = props.get("UsernameConfiguration").unwrap_or(&Value::Null);
        let username_attributes = strings(props, "UsernameAttributes", at)?;
        let alias_attributes = strings(props, "AliasAttributes", at)?;
        check_attributes(
            &username_attributes,
            &["email", "phone_number"],
            at,
            "UsernameAttributes",
        )?;
        check_attributes(
            &alias_attributes,
            &["email", "phone_number", "preferred_username"],
            at,
            "AliasAttributes",
        )?;
        if !username_attributes.is_empty() && !alias_attributes.is_empty() {
            return Err(Problem::UsernameAndAliasAttributes.at(format!("{at}.AliasAttributes")));
        }
        let admin = props.get("AdminCreateUserConfig").unwrap_or(&Value::Null);
        Ok(Self {
            defined_at: Some(defined_at),
            name: optional_str(props, "UserPoolName", at)?,
            username_case_sensitive: boolean(
                username,
                "CaseSensitive",
                true,
                &format!("{at}.UsernameConfiguration"),
            )?,
            username_attributes,
            alias_attributes,
            password_policy: password_policy(props, at)?,
            admin_create_user_only: boolean(
                admin,
                "AllowAdminCreateUserOnly",
                false,
                &format!("{at}.AdminCreateUserConfig"),
            )?,
            mfa: mfa(props, at)?,
            custom_attributes: custom_attributes(props, at)?,
            pre_token: pre_token_trigger(props, at)?,
        })
    }
}

fn check_attributes(
    given: &[String],
    allowed: &[&str],
    at: &str,
    key: &str,
) -> Result<(), Located> {
    match given.iter().find(|a| !allowed.contains(&a.as_str())) {
        Some(other) => Err(Problem::NotAllowedValue(other.clone()).at(format!("{at}.{key}"))),
        None => Ok(()),
    }
}

/// `Policies.PasswordPolicy`, Cognito's default when absent.
fn password_policy(props: &Value, at: &str) -> Result<PasswordPolicy, Located> {
    let Some(policy) = props.pointer("/Policies/PasswordPolicy") else {
        return Ok(PasswordPolicy::default());
    };
    let at = format!("{at}.Policies.PasswordPolicy");
    let defaults = PasswordPolicy::default();
    Ok(PasswordPolicy {
        minimum_length: bounded(policy, "MinimumLength", 6..=99, &at)?
            .unwrap_or(defaults.minimum_length),
        require_uppercase: boolean(policy, "RequireUppercase", false, &at)?,
        require_lowercase: boolean(policy, "RequireLowercase", false, &at)?,
        require_numbers: boolean(policy, "RequireNumbers", false, &at)?,
        require_symbols: boolean(policy, "RequireSymbols", false, &at)?,
        temporary_password_validity_days: bounded(
            policy,
            "TemporaryPasswordValidityDays",
            0..=365,
            &at,
        )?
        .unwrap_or(defaults.temporary_password_validity_days),
    })
}

fn mfa(props: &Value, at: &str) -> Result<Mfa, Located> {
    match optional_str(props, "MfaConfiguration", at)?.as_deref() {
        None | Some("OFF") => Ok(Mfa::Off),
        Some("ON") => Ok(Mfa::On),
        Some("OPTIONAL") => Ok(Mfa::Optional),
        Some(other) => {
            Err(Problem::NotAllowedValue(other.to_owned()).at(format!("{at}.MfaConfiguration")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cognito_defaults_fill_what_the_pool_leaves_out() {
        let settings = UserPoolSettings::read(&json!({}), "P", "f: R".to_owned()).unwrap();
        assert_eq!(
            settings,
            UserPoolSettings {
                defined_at: Some("f: R".to_owned()),
                ..UserPoolSettings::default()
            }
        );
        assert_eq!(settings.password_policy.minimum_length, 8);
        assert!(settings.password_policy.require_symbols);
        assert_eq!(settings.password_policy.temporary_password_validity_days, 7);
    }

    #[test]
    fn the_pool_properties_are_read() {
        let settings = UserPoolSettings::read(
            &json!({
                "UsernameConfiguration": {"CaseSensitive": false},
                "AliasAttributes": ["email"],
                "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": true},
                "Policies": {"PasswordPolicy": {"MinimumLength": 12, "RequireNumbers": true}},
                "MfaConfiguration": "OPTIONAL",
                "AccountRecoverySetting": {"RecoveryMechanisms": []},
            }),
            "P",
            "f: R".to_owned(),
        )
        .unwrap();
        assert!(!settings.username_case_sensitive);
        assert!(settings.admin_create_user_only);
        assert_eq!(settings.alias_attributes, ["email"]);
        assert_eq!(settings.mfa, Mfa::Optional);
        assert_eq!(
            settings.password_policy,
            PasswordPolicy {
                minimum_length: 12,
                require_uppercase: false,
                require_lowercase: false,
                require_numbers: true,
                require_symbols: false,
                temporary_password_validity_days: 7,
            }
        );
    }

    #[test]
    fn what_cognito_refuses_or_the_offline_stack_cannot_emulate_is_named() {
        for (props, path) in [
            (
                json!({"LambdaConfig": {"PreSignUp": "x"}}),
                "P.LambdaConfig.PreSignUp",
            ),
            (
                json!({"UsernameAttributes": ["email"], "AliasAttributes": ["email"]}),
                "P.AliasAttributes",
            ),
            (
                json!({"UsernameAttributes": ["nickname"]}),
                "P.UsernameAttributes",
            ),
            (
                json!({"Policies": {"PasswordPolicy": {"MinimumLength": 5}}}),
                "P.Policies.PasswordPolicy.MinimumLength",
            ),
            (
                json!({"MfaConfiguration": "SOMETIMES"}),
                "P.MfaConfiguration",
            ),
        ] {
            let err = UserPoolSettings::read(&props, "P", String::new()).unwrap_err();
            assert_eq!(err.path, path, "{props}");
        }
    }
}

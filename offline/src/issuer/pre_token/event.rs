//! The event Cognito sends a V2_0 or V3_0 pre token generation trigger: `version`,
//! `triggerSource`, `region`, `userPoolId`, `userName`, `callerContext`, and `request`
//! (`userAttributes`, `groupConfiguration`, `scopes`, `clientMetadata`), with
//! `response.claimsAndScopeOverrideDetails` null for the function to fill.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::template::resources::cognito::triggers::PreTokenVersion;

/// `triggerSource`: what the tokens are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TriggerSource {
    /// `InitiateAuth` / `AdminInitiateAuth` (password, SRP).
    Authentication,
    /// The hosted UI's sign-in (its code redeemed at `/oauth2/token`).
    HostedAuth,
    /// After `NEW_PASSWORD_REQUIRED`.
    NewPasswordChallenge,
    /// A refresh token's renewal.
    RefreshTokens,
    /// `client_credentials` at `/oauth2/token` (V3_0 only).
    ClientCredentials,
}

impl TriggerSource {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Authentication => "TokenGeneration_Authentication",
            Self::HostedAuth => "TokenGeneration_HostedAuth",
            Self::NewPasswordChallenge => "TokenGeneration_NewPasswordChallenge",
            Self::RefreshTokens => "TokenGeneration_RefreshTokens",
            Self::ClientCredentials => "TokenGeneration_ClientCredentials",
        }
    }
}

/// Whom the tokens are for.
#[derive(Debug, Clone)]
pub(crate) struct Subject<'a> {
    pub(crate) source: TriggerSource,
    pub(crate) client_id: &'a str,
    /// The user's name; `None` for client credentials.
    pub(crate) username: Option<&'a str>,
    /// `sub`, `cognito:user_status` and the user's attributes (empty for client credentials).
    pub(crate) user_attributes: BTreeMap<String, String>,
    pub(crate) groups: &'a [String],
    pub(crate) scopes: &'a [String],
    /// `clientMetadata`: the token endpoint's `aws_client_metadata` for client credentials.
    pub(crate) client_metadata: BTreeMap<String, String>,
}

/// The event for `subject`.
pub(crate) fn event(
    version: PreTokenVersion,
    region: &str,
    pool_id: &str,
    subject: &Subject<'_>,
) -> Value {
    let version = match version {
        PreTokenVersion::V2 => "2",
        PreTokenVersion::V3 => "3",
    };
    let attributes: Map<String, Value> = subject
        .user_attributes
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let mut event = json!({
        "version": version,
        "triggerSource": subject.source.as_str(),
        "region": region,
        "userPoolId": pool_id,
        "callerContext": {
            "awsSdkVersion": "aws-sdk-unknown-unknown",
            "clientId": subject.client_id,
        },
        "request": {
            "userAttributes": attributes,
            "groupConfiguration": {
                "groupsToOverride": subject.groups,
                "iamRolesToOverride": [],
                "preferredRole": null,
            },
            "scopes": subject.scopes,
            "clientMetadata": subject.client_metadata,
        },
        "response": {"claimsAndScopeOverrideDetails": null},
    });
    if let Some(name) = subject.username {
        event["userName"] = json!(name);
    }
    event
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_v2_sign_in_event_has_cognitos_fields() {
        let groups = ["admins".to_owned()];
        let scopes = ["aws.cognito.signin.user.admin".to_owned()];
        let subject = Subject {
            source: TriggerSource::Authentication,
            client_id: "c1",
            username: Some("alice"),
            user_attributes: [("custom:tenant_id".to_owned(), "acme".to_owned())].into(),
            groups: &groups,
            scopes: &scopes,
            client_metadata: BTreeMap::new(),
        };
        let event = event(PreTokenVersion::V2, "eu-west-1", "eu-west-1_X", &subject);
        assert_eq!(
            event,
            json!({
                "version": "2",
                "triggerSource": "TokenGeneration_Authentication",
                "region": "eu-west-1",
                "userPoolId": "eu-west-1_X",
                "userName": "alice",
                "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "c1"},
                "request": {
                    "userAttributes": {"custom:tenant_id": "acme"},
                    "groupConfiguration": {"groupsToOverride": ["admins"], "iamRolesToOverride": [], "preferredRole": null},
                    "scopes": ["aws.cognito.signin.user.admin"],
                    "clientMetadata": subject.client_metadata,
                },
                "response": {"claimsAndScopeOverrideDetails": null},
            })
        );
    }

    #[test]
    fn a_client_credentials_event_is_version_3_without_a_user() {
        let scopes = ["orders/read".to_owned()];
        let subject = Subject {
            source: TriggerSource::ClientCredentials,
            client_id: "m1",
            username: None,
            user_attributes: BTreeMap::new(),
            groups: &[],
            scopes: &scopes,
            client_metadata: [("on_behalf_of".to_owned(), "u-1".to_owned())].into(),
        };
        let event = event(PreTokenVersion::V3, "eu-west-1", "eu-west-1_X", &subject);
        assert_eq!(event["version"], "3");
        assert_eq!(event["triggerSource"], "TokenGeneration_ClientCredentials");
        assert!(event.get("userName").is_none());
        assert_eq!(event["request"]["scopes"], json!(["orders/read"]));
        assert_eq!(
            event["request"]["clientMetadata"],
            json!({"on_behalf_of": "u-1"})
        );
    }
}

//! The multi-tenant example's pre token generation trigger (V3_0 event): puts the caller's tenant
//! into the access token as `custom:tenant_id`, which the authorizer's `pathClaims` binds to the
//! `{tenantId}` of `/tenants/{tenantId}/...`.
//!
//! - A person (`TokenGeneration_Authentication`, `_HostedAuth`, `_NewPasswordChallenge`,
//!   `_RefreshTokens`): the user's `custom:tenant_id` attribute, and the `orders/read` scope
//!   (a user pool sign-in otherwise carries only `aws.cognito.signin.user.admin`). A user without
//!   the attribute is refused a token: the sign-in fails.
//! - A machine (`TokenGeneration_ClientCredentials`, V3_0 only): the tenant of its app client id,
//!   from `CLIENT_TENANTS` (`{"client id": "tenant"}`). An unknown client gets no tenant claim, so
//!   no tenant's routes.
//!
//! The event is read as JSON: aws_lambda_events' pre token generation types have no
//! `TokenGeneration_ClientCredentials` trigger source.

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// The claim the authorizer's rules bind to the path.
pub const TENANT_CLAIM: &str = "custom:tenant_id";
/// The scope people's tokens get.
pub const PEOPLE_SCOPE: &str = "orders/read";

/// App client id → tenant, from `CLIENT_TENANTS`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientTenants(BTreeMap<String, String>);

/// Why the trigger refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantError {
    /// `CLIENT_TENANTS` is not a JSON object of strings.
    Setting(String),
    /// The event is not a pre token generation event.
    Event,
    /// A person without `custom:tenant_id`.
    NoTenant,
}

impl std::fmt::Display for TenantError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Setting(why) => write!(f, "CLIENT_TENANTS: {why}"),
            Self::Event => f.write_str("not a pre token generation event"),
            Self::NoTenant => f.write_str("the user belongs to no tenant"),
        }
    }
}

impl std::error::Error for TenantError {}

impl ClientTenants {
    /// From `CLIENT_TENANTS` (unset: no machine client has a tenant).
    pub fn from_env() -> Result<Self, TenantError> {
        match std::env::var("CLIENT_TENANTS") {
            Ok(text) => Self::parse(&text),
            Err(_) => Ok(Self::default()),
        }
    }

    /// `{"client id": "tenant", ...}`.
    pub fn parse(text: &str) -> Result<Self, TenantError> {
        serde_json::from_str(text).map(Self).map_err(|e| {
            TenantError::Setting(format!("expected {{\"client id\": \"tenant\"}}: {e}"))
        })
    }
}

/// The event, returned with `response.claimsAndScopeOverrideDetails` filled.
pub fn handle(mut event: Value, tenants: &ClientTenants) -> Result<Value, TenantError> {
    let source = event["triggerSource"].as_str().ok_or(TenantError::Event)?;
    let details = if source == "TokenGeneration_ClientCredentials" {
        let client = event["callerContext"]["clientId"]
            .as_str()
            .unwrap_or_default();
        match tenants.0.get(client) {
            Some(tenant) => json!({"accessTokenGeneration": {
                "claimsToAddOrOverride": {TENANT_CLAIM: tenant},
            }}),
            None => Value::Null,
        }
    } else {
        let tenant = event["request"]["userAttributes"][TENANT_CLAIM]
            .as_str()
            .filter(|t| !t.is_empty())
            .ok_or(TenantError::NoTenant)?;
        json!({"accessTokenGeneration": {
            "claimsToAddOrOverride": {TENANT_CLAIM: tenant},
            "scopesToAdd": [PEOPLE_SCOPE],
        }})
    };
    event["response"] = json!({"claimsAndScopeOverrideDetails": details});
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(source: &str, client: &str, attributes: Value) -> Value {
        json!({
            "version": "3", "triggerSource": source, "region": "us-east-1",
            "userPoolId": "us-east-1_X", "userName": "alice",
            "callerContext": {"awsSdkVersion": "x", "clientId": client},
            "request": {"userAttributes": attributes, "scopes": [], "clientMetadata": {},
                "groupConfiguration": {"groupsToOverride": [], "iamRolesToOverride": [], "preferredRole": null}},
            "response": {"claimsAndScopeOverrideDetails": null},
        })
    }

    #[test]
    fn a_person_gets_their_tenant_and_the_read_scope() {
        let answer = handle(
            event(
                "TokenGeneration_Authentication",
                "people",
                json!({"custom:tenant_id": "acme"}),
            ),
            &ClientTenants::default(),
        )
        .unwrap();
        let access = &answer["response"]["claimsAndScopeOverrideDetails"]["accessTokenGeneration"];
        assert_eq!(
            access["claimsToAddOrOverride"],
            json!({"custom:tenant_id": "acme"})
        );
        assert_eq!(access["scopesToAdd"], json!(["orders/read"]));
        assert_eq!(answer["userName"], "alice", "the event comes back whole");
    }

    #[test]
    fn a_person_without_a_tenant_gets_no_token() {
        for attributes in [json!({}), json!({"custom:tenant_id": ""})] {
            let answer = handle(
                event("TokenGeneration_RefreshTokens", "people", attributes),
                &ClientTenants::default(),
            );
            assert_eq!(answer, Err(TenantError::NoTenant));
        }
    }

    #[test]
    fn a_machine_gets_its_clients_tenant_or_none() {
        let tenants = ClientTenants::parse(r#"{"m-globex": "globex"}"#).unwrap();
        let known = handle(
            event("TokenGeneration_ClientCredentials", "m-globex", json!({})),
            &tenants,
        )
        .unwrap();
        assert_eq!(
            known["response"]["claimsAndScopeOverrideDetails"]["accessTokenGeneration"]["claimsToAddOrOverride"],
            json!({"custom:tenant_id": "globex"})
        );
        let unknown = handle(
            event("TokenGeneration_ClientCredentials", "m-x", json!({})),
            &tenants,
        )
        .unwrap();
        assert_eq!(
            unknown["response"]["claimsAndScopeOverrideDetails"],
            Value::Null
        );
        assert!(ClientTenants::parse("[1]").is_err());
        assert_eq!(handle(json!({}), &tenants), Err(TenantError::Event));
    }
}

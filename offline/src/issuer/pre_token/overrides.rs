//! What a V2_0/V3_0 trigger answers (`response.claimsAndScopeOverrideDetails`), read, and applied
//! to the claims Cognito was about to sign: `idTokenGeneration` and `accessTokenGeneration`
//! (`claimsToAddOrOverride`, `claimsToSuppress`; the access token's `scopesToAdd`,
//! `scopesToSuppress`) and `groupOverrideDetails` (`cognito:groups`, and the ID token's
//! `cognito:roles` and `cognito:preferred_role`). Claims Cognito does not let a trigger change
//! are left as they are; suppressing comes after adding.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::PreTokenError;

/// Claims a trigger cannot add, change or suppress: AWS's list (acr ... token_use), and those
/// the token's own meaning rests on here (`client_id`, `scope`, `username`, `cognito:groups`,
/// `event_id`, `version`), changed only through scopes and group overrides.
pub(crate) const PROTECTED_CLAIMS: &[&str] = &[
    "acr",
    "amr",
    "aud",
    "at_hash",
    "auth_time",
    "azp",
    "cognito:username",
    "exp",
    "iat",
    "identities",
    "iss",
    "jti",
    "nbf",
    "nonce",
    "origin_jti",
    "sub",
    "token_use",
    "client_id",
    "scope",
    "username",
    "cognito:groups",
    "event_id",
    "version",
];

/// ID token claims whose value cannot be an object or array (AWS: "except for
/// phone_number_verified, email_verified, updated_at, and address").
const SIMPLE_IN_ID_TOKEN: &[&str] = &[
    "phone_number_verified",
    "email_verified",
    "updated_at",
    "address",
];

/// A trigger's answer, read.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Overrides {
    #[serde(default)]
    id_token_generation: Option<TokenGeneration>,
    #[serde(default)]
    access_token_generation: Option<TokenGeneration>,
    #[serde(default)]
    group_override_details: Option<GroupOverride>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenGeneration {
    #[serde(default)]
    claims_to_add_or_override: Option<Map<String, Value>>,
    #[serde(default)]
    claims_to_suppress: Option<Vec<String>>,
    #[serde(default)]
    scopes_to_add: Option<Vec<String>>,
    #[serde(default)]
    scopes_to_suppress: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GroupOverride {
    #[serde(default)]
    groups_to_override: Option<Vec<String>>,
    #[serde(default)]
    iam_roles_to_override: Option<Vec<String>>,
    #[serde(default)]
    preferred_role: Option<String>,
}

impl Overrides {
    /// The overrides of the function's answer (the event, returned with `response` filled).
    pub(crate) fn read(answer: &Value) -> Result<Self, PreTokenError> {
        let details = answer
            .get("response")
            .ok_or(PreTokenError::Unrecognizable)?
            .get("claimsAndScopeOverrideDetails")
            .unwrap_or(&Value::Null);
        if details.is_null() {
            return Ok(Self::default());
        }
        Self::deserialize(details).map_err(|_| PreTokenError::Unrecognizable)
    }

    /// Applies the access token's part to `claims` (its `scope` a space-separated string).
    pub(crate) fn apply_to_access(&self, claims: &mut Map<String, Value>) {
        if let Some(generation) = &self.access_token_generation {
            add_claims(claims, generation, false);
            let mut scopes: Vec<String> = claims
                .get("scope")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .split_ascii_whitespace()
                .map(str::to_owned)
                .collect();
            for scope in generation.scopes_to_add.iter().flatten() {
                if !scope.is_empty() && !scopes.contains(scope) {
                    scopes.push(scope.clone());
                }
            }
            let suppressed = generation.scopes_to_suppress.iter().flatten();
            for scope in suppressed {
                scopes.retain(|s| s != scope);
            }
            claims.insert("scope".into(), Value::String(scopes.join(" ")));
            suppress_claims(claims, generation);
        }
        self.apply_groups(claims);
    }

    /// Applies the ID token's part to `claims`.
    pub(crate) fn apply_to_id(&self, claims: &mut Map<String, Value>) {
        if let Some(generation) = &self.id_token_generation {
            add_claims(claims, generation, true);
            suppress_claims(claims, generation);
        }
        self.apply_groups(claims);
        let Some(groups) = &self.group_override_details else {
            return;
        };
        if let Some(roles) = &groups.iam_roles_to_override {
            set_list(claims, "cognito:roles", roles);
        }
        if let Some(role) = &groups.preferred_role {
            claims.insert("cognito:preferred_role".into(), Value::String(role.clone()));
        }
    }

    /// `groupsToOverride` replaces `cognito:groups` (an empty list removes it).
    fn apply_groups(&self, claims: &mut Map<String, Value>) {
        if let Some(groups) = self
            .group_override_details
            .as_ref()
            .and_then(|g| g.groups_to_override.as_ref())
        {
            set_list(claims, "cognito:groups", groups);
        }
    }
}

fn set_list(claims: &mut Map<String, Value>, name: &str, list: &[String]) {
    if list.is_empty() {
        claims.remove(name);
    } else {
        claims.insert(name.into(), Value::from(list.to_vec()));
    }
}

fn add_claims(claims: &mut Map<String, Value>, generation: &TokenGeneration, id_token: bool) {
    for (name, value) in generation.claims_to_add_or_override.iter().flatten() {
        if PROTECTED_CLAIMS.contains(&name.as_str()) {
            tracing::warn!(target: "offline::issuer", claim = %name, "the pre token generation trigger may not change this claim: ignored, as Cognito does");
            continue;
        }
        let complex = value.is_object() || value.is_array();
        if id_token && complex && SIMPLE_IN_ID_TOKEN.contains(&name.as_str()) {
            tracing::warn!(target: "offline::issuer", claim = %name, "an ID token claim that cannot hold an object or array: ignored");
            continue;
        }
        claims.insert(name.clone(), value.clone());
    }
}

fn suppress_claims(claims: &mut Map<String, Value>, generation: &TokenGeneration) {
    for name in generation.claims_to_suppress.iter().flatten() {
        if PROTECTED_CLAIMS.contains(&name.as_str()) {
            tracing::warn!(target: "offline::issuer", claim = %name, "the pre token generation trigger may not suppress this claim: ignored");
            continue;
        }
        claims.remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn access() -> Map<String, Value> {
        json!({
            "sub": "s1", "scope": "aws.cognito.signin.user.admin orders/read",
            "cognito:groups": ["a"], "client_id": "c1", "x": 1,
        })
        .as_object()
        .unwrap()
        .clone()
    }

    fn overrides(details: Value) -> Overrides {
        Overrides::read(&json!({"response": {"claimsAndScopeOverrideDetails": details}})).unwrap()
    }

    #[test]
    fn claims_and_scopes_are_added_overridden_and_suppressed() {
        let mut claims = access();
        overrides(json!({"accessTokenGeneration": {
            "claimsToAddOrOverride": {"custom:tenant_id": "acme", "tier": {"level": 2}, "list": [1, true, "a"], "x": false},
            "claimsToSuppress": ["x"],
            "scopesToAdd": ["orders/write", "orders/read"],
            "scopesToSuppress": ["aws.cognito.signin.user.admin"],
        }}))
        .apply_to_access(&mut claims);
        assert_eq!(claims["custom:tenant_id"], "acme");
        assert_eq!(claims["tier"], json!({"level": 2}));
        assert_eq!(claims["list"], json!([1, true, "a"]));
        assert!(claims.get("x").is_none(), "suppressing comes after adding");
        assert_eq!(claims["scope"], "orders/read orders/write");
    }

    #[test]
    fn protected_claims_are_left_as_they_are() {
        let mut claims = access();
        overrides(json!({"accessTokenGeneration": {
            "claimsToAddOrOverride": {"sub": "other", "client_id": "other", "scope": "admin", "iss": "x"},
            "claimsToSuppress": ["sub", "cognito:groups"],
        }}))
        .apply_to_access(&mut claims);
        assert_eq!(claims, access());
    }

    #[test]
    fn groups_are_overridden_in_both_tokens_and_roles_in_the_id_token() {
        let details = overrides(json!({"groupOverrideDetails": {
            "groupsToOverride": ["b", "c"], "iamRolesToOverride": ["arn:r"], "preferredRole": "arn:r",
        }}));
        let mut claims = access();
        details.apply_to_access(&mut claims);
        assert_eq!(claims["cognito:groups"], json!(["b", "c"]));
        assert!(claims.get("cognito:roles").is_none());
        let mut id = access();
        details.apply_to_id(&mut id);
        assert_eq!(id["cognito:roles"], json!(["arn:r"]));
        assert_eq!(id["cognito:preferred_role"], "arn:r");
        let mut emptied = access();
        overrides(json!({"groupOverrideDetails": {"groupsToOverride": []}}))
            .apply_to_access(&mut emptied);
        assert!(emptied.get("cognito:groups").is_none());
    }

    #[test]
    fn id_token_verified_flags_stay_simple() {
        let mut id = Map::new();
        id.insert("email_verified".into(), json!(true));
        overrides(json!({"idTokenGeneration": {"claimsToAddOrOverride": {"email_verified": {"a": 1}, "tenant": "acme"}}}))
            .apply_to_id(&mut id);
        assert_eq!(id["email_verified"], json!(true));
        assert_eq!(id["tenant"], "acme");
    }

    #[test]
    fn answers_cognito_cannot_read_are_refused() {
        assert_eq!(overrides(Value::Null), Overrides::default());
        for answer in [
            json!("done"),
            json!({}),
            json!({"response": {"claimsAndScopeOverrideDetails": {"accessTokenGeneration": {"scopesToAdd": "a"}}}}),
        ] {
            assert_eq!(
                Overrides::read(&answer),
                Err(PreTokenError::Unrecognizable),
                "{answer}"
            );
        }
    }
}

//! What a route needs from a token: a [`Rule`] (scopes, groups and claims, ANDed, and path
//! parameters bound to claims), or several rules of which any one will do (a [`Requirement`]),
//! and how they are written in `ROUTE_SCOPES`.

use serde_json::{Map, Value};

use crate::claims;
use crate::grants::Grants;

/// One rule. Every non-empty list must hold (they are ANDed); a rule with every list empty needs
/// only a valid token.
///
/// Written in `ROUTE_SCOPES` as an object with the keys `anyScopes`, `allScopes`, `anyGroups`,
/// `allGroups` (a key that is present must hold at least one name), `claims` (claim name → the
/// values it may hold) and `pathClaims` (path parameter → the claim it must equal).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rule {
    /// At least one of these scopes.
    pub any_scopes: Vec<String>,
    /// Every one of these scopes.
    pub all_scopes: Vec<String>,
    /// Membership of at least one of these groups.
    pub any_groups: Vec<String>,
    /// Membership of every one of these groups.
    pub all_groups: Vec<String>,
    /// Each claim must hold one of its values (a string equal to one, or an array of strings with
    /// one; exact and case-sensitive).
    pub claims: Vec<(String, Vec<String>)>,
    /// Each path parameter (by name) must equal the token's value of its claim: the route is
    /// granted only for those paths (a tenant's own, say).
    pub path_claims: Vec<(String, String)>,
}

/// Why a valid token does not meet a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmet {
    /// A scope the rule needs is missing (none of `anyScopes`, or one of `allScopes`).
    Scope,
    /// The token's user is not in a group the rule needs (none of `anyGroups`, or one of
    /// `allGroups`).
    Group,
    /// A claim the rule names is missing, or holds none of the values it allows.
    Claim,
    /// A claim a path parameter is bound to is missing or is not one path segment (a string of
    /// the characters a route literal may hold).
    ClaimInvalid,
}

impl Unmet {
    /// `scope_missing`, `group_missing`, `claim_missing` or `claim_invalid`.
    pub fn code(self) -> &'static str {
        match self {
            Unmet::Scope => "scope_missing",
            Unmet::Group => "group_missing",
            Unmet::Claim => "claim_missing",
            Unmet::ClaimInvalid => "claim_invalid",
        }
    }
}

/// Path parameter values a token is bound to (`[("tenantId", "acme")]`).
pub type Binding = Vec<(String, String)>;

/// How much of a route a token may call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Every request of the route.
    All,
    /// Only the requests whose bound parameters hold one of these bindings' values.
    Only(Vec<Binding>),
    /// None, and the nearest miss.
    None(Unmet),
}

/// What a token must hold, as the search for conflicts builds tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need<'a> {
    Scope(&'a str),
    Group(&'a str),
    /// A claim holding this value.
    Claim(&'a str, &'a str),
    /// A claim holding a value that is one path segment (a path claim's).
    Segment(&'a str),
}

impl Rule {
    /// Any of the given scopes.
    pub fn any_scope<I: IntoIterator<Item = S>, S: Into<String>>(scopes: I) -> Self {
        Self {
            any_scopes: scopes.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// Membership of any of the given groups.
    pub fn any_group<I: IntoIterator<Item = S>, S: Into<String>>(groups: I) -> Self {
        Self {
            any_groups: groups.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// True when the rule needs only a valid token.
    pub fn is_empty(&self) -> bool {
        self.any_scopes.is_empty()
            && self.all_scopes.is_empty()
            && self.any_groups.is_empty()
            && self.all_groups.is_empty()
            && self.claims.is_empty()
            && self.path_claims.is_empty()
    }

    /// What a token must hold to meet the rule, as choices: each name of an all-of list alone,
    /// each any-of list and each claim's values as one choice among them, each path claim as a
    /// claim holding a path segment.
    pub(crate) fn choices(&self) -> Vec<Vec<Need<'_>>> {
        let mut choices: Vec<Vec<Need<'_>>> = Vec::new();
        choices.extend(self.all_scopes.iter().map(|n| vec![Need::Scope(n)]));
        choices.extend(self.all_groups.iter().map(|n| vec![Need::Group(n)]));
        if !self.any_scopes.is_empty() {
            choices.push(self.any_scopes.iter().map(|n| Need::Scope(n)).collect());
        }
        if !self.any_groups.is_empty() {
            choices.push(self.any_groups.iter().map(|n| Need::Group(n)).collect());
        }
        for (claim, values) in &self.claims {
            choices.push(values.iter().map(|v| Need::Claim(claim, v)).collect());
        }
        choices.extend(self.path_claims.iter().map(|(_, c)| vec![Need::Segment(c)]));
        choices
    }

    /// The path parameters this token is bound to, from the claims they name.
    pub fn binding(&self, grants: &Grants) -> Result<Binding, Unmet> {
        self.path_claims
            .iter()
            .map(|(param, claim)| {
                let value = grants.claim(claim).and_then(|v| v.as_segment());
                value
                    .map(|v| (param.clone(), v.to_owned()))
                    .ok_or(Unmet::ClaimInvalid)
            })
            .collect()
    }

    /// Checks `grants` against every list and claim (not the path claims); scopes are checked
    /// before groups, groups before claims.
    pub fn check(&self, grants: &Grants) -> Result<(), Unmet> {
        let any = |needed: &[String], has: &dyn Fn(&str) -> bool| {
            needed.is_empty() || needed.iter().any(|n| has(n))
        };
        let all = |needed: &[String], has: &dyn Fn(&str) -> bool| needed.iter().all(|n| has(n));
        let scope = |s: &str| grants.has_scope(s);
        let group = |g: &str| grants.in_group(g);
        if !any(&self.any_scopes, &scope) || !all(&self.all_scopes, &scope) {
            return Err(Unmet::Scope);
        }
        if !any(&self.any_groups, &group) || !all(&self.all_groups, &group) {
            return Err(Unmet::Group);
        }
        let holds = |(claim, values): &(String, Vec<String>)| {
            grants.claim(claim).is_some_and(|v| v.holds_any(values))
        };
        if !self.claims.iter().all(holds) {
            return Err(Unmet::Claim);
        }
        Ok(())
    }

    /// Reads the object form. Unknown keys, repeated names' lists that are empty, and names that
    /// are not valid are errors.
    fn from_object(object: &Map<String, Value>) -> Result<Self, RuleError> {
        let mut rule = Self::default();
        for (key, value) in object {
            let (list, kind) = match key.as_str() {
                "anyScopes" => (&mut rule.any_scopes, Kind::Scope),
                "allScopes" => (&mut rule.all_scopes, Kind::Scope),
                "anyGroups" => (&mut rule.any_groups, Kind::Group),
                "allGroups" => (&mut rule.all_groups, Kind::Group),
                "claims" => {
                    rule.claims = claim_values(value)?;
                    continue;
                }
                "pathClaims" => {
                    rule.path_claims = path_claims(value)?;
                    continue;
                }
                _ => return Err(RuleError::UnknownKey(key.clone())),
            };
            let names = value
                .as_array()
                .ok_or_else(|| RuleError::NotAList(key.clone()))?;
            if names.is_empty() {
                return Err(RuleError::EmptyList(key.clone()));
            }
            for name in names {
                let name = name
                    .as_str()
                    .ok_or_else(|| RuleError::NotAList(key.clone()))?;
                list.push(kind.check(name)?.to_owned());
            }
        }
        Ok(rule)
    }
}

/// What a route needs: any one of its rules (alternatives). Never empty.
///
/// `ROUTE_SCOPES` writes it as a string (any of these space-separated scopes: one rule), an
/// object (one rule), or an array whose elements are each a scope name or a rule object (any of
/// them). `{}` alone means any valid token; `[]`, `""`, an empty list in a rule and `{}` among
/// alternatives are refused, so that no typo silently opens a route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    alternatives: Vec<Rule>,
}

impl Default for Requirement {
    /// Any valid token.
    fn default() -> Self {
        Self::from_rule(Rule::default())
    }
}

impl Requirement {
    /// Exactly this rule.
    pub fn from_rule(rule: Rule) -> Self {
        Self {
            alternatives: vec![rule],
        }
    }

    /// Any of the given scopes.
    pub fn any_scope<I: IntoIterator<Item = S>, S: Into<String>>(scopes: I) -> Self {
        Self::from_rule(Rule::any_scope(scopes))
    }

    /// Any one of `rules`. `None` when there is none.
    pub fn any_of(rules: Vec<Rule>) -> Option<Self> {
        (!rules.is_empty()).then_some(Self {
            alternatives: rules,
        })
    }

    /// A space-separated list of scopes, any of which will do (`REQUIRED_SCOPES`, and the string
    /// form in `ROUTE_SCOPES`).
    pub fn from_scope_string(scopes: &str) -> Result<Self, RuleError> {
        let list: Vec<&str> = scopes.split_ascii_whitespace().collect();
        if list.is_empty() {
            return Err(RuleError::EmptyScopeString);
        }
        for scope in &list {
            Kind::Scope.check(scope)?;
        }
        Ok(Self::any_scope(list))
    }

    /// Reads one of the `ROUTE_SCOPES` forms (see the type's documentation).
    pub fn from_json(value: &Value) -> Result<Self, RuleError> {
        match value {
            Value::String(s) => Self::from_scope_string(s),
            Value::Object(o) => Ok(Self::from_rule(Rule::from_object(o)?)),
            Value::Array(items) => {
                let rules = items
                    .iter()
                    .map(alternative)
                    .collect::<Result<Vec<_>, _>>()?;
                Self::any_of(rules).ok_or(RuleError::NoAlternative)
            }
            _ => Err(RuleError::NotARule),
        }
    }

    /// The rules, any one of which will do (at least one).
    pub fn alternatives(&self) -> &[Rule] {
        &self.alternatives
    }

    /// True when any valid token meets it.
    pub fn is_any_valid_token(&self) -> bool {
        self.alternatives.iter().any(Rule::is_empty)
    }

    /// `Ok` when an alternative holds for every request of the route (it binds no path
    /// parameter). Otherwise the nearest miss (see [`Requirement::access`]).
    pub fn check(&self, grants: &Grants) -> Result<(), Unmet> {
        match self.access(grants) {
            Access::All => Ok(()),
            Access::Only(_) => Err(Unmet::ClaimInvalid),
            Access::None(unmet) => Err(unmet),
        }
    }

    /// How much of the route `grants` may call: all of it when an alternative without path claims
    /// holds, the paths of the bindings of those with path claims that hold, else nothing, with
    /// the nearest miss: for a signed-in user (a token with `username`), [`Unmet::Group`] when
    /// some alternative's scopes hold but its groups do not; a claim's miss when scopes and
    /// groups hold; else [`Unmet::Scope`] (a machine token can hold no group).
    pub fn access(&self, grants: &Grants) -> Access {
        let mut unmet = Unmet::Scope;
        let mut bindings = Vec::new();
        for rule in &self.alternatives {
            let result = rule.check(grants).and_then(|()| rule.binding(grants));
            match result {
                Ok(binding) if binding.is_empty() => return Access::All,
                Ok(binding) => bindings.push(binding),
                Err(Unmet::Group) if grants.username.is_some() || self.alternatives.len() == 1 => {
                    unmet = Unmet::Group;
                }
                Err(miss @ (Unmet::Claim | Unmet::ClaimInvalid)) => unmet = miss,
                Err(_) => {}
            }
        }
        if bindings.is_empty() {
            Access::None(unmet)
        } else {
            Access::Only(bindings)
        }
    }

    /// Every claim the alternatives name (`claims` and `pathClaims`).
    pub fn claim_names(&self) -> impl Iterator<Item = &str> {
        self.alternatives.iter().flat_map(|r| {
            r.claims
                .iter()
                .map(|(c, _)| c.as_str())
                .chain(r.path_claims.iter().map(|(_, c)| c.as_str()))
        })
    }
}

/// `claims`: an object of claim name → a non-empty array of the values it may hold.
fn claim_values(value: &Value) -> Result<Vec<(String, Vec<String>)>, RuleError> {
    let object = value.as_object().ok_or(RuleError::NotAnObject("claims"))?;
    if object.is_empty() {
        return Err(RuleError::EmptyList("claims".to_owned()));
    }
    object
        .iter()
        .map(|(claim, values)| {
            let claim = claim_name(claim)?;
            let values = values
                .as_array()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| RuleError::ClaimValues(claim.clone()))?
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| RuleError::ClaimValues(claim.clone()))?;
            Ok((claim, values))
        })
        .collect()
}

/// `pathClaims`: an object of path parameter name → claim name.
fn path_claims(value: &Value) -> Result<Vec<(String, String)>, RuleError> {
    let object = value
        .as_object()
        .ok_or(RuleError::NotAnObject("pathClaims"))?;
    if object.is_empty() {
        return Err(RuleError::EmptyList("pathClaims".to_owned()));
    }
    object
        .iter()
        .map(|(param, claim)| {
            let claim = claim
                .as_str()
                .ok_or_else(|| RuleError::PathClaim(param.clone()))?;
            Ok((param.clone(), claim_name(claim)?))
        })
        .collect()
}

/// A claim name a rule may use: not empty, no whitespace, not one with a key of its own.
fn claim_name(name: &str) -> Result<String, RuleError> {
    if claims::RESERVED.contains(&name) {
        return Err(RuleError::ReservedClaim(name.to_owned()));
    }
    if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(RuleError::BadName("claim", name.to_owned()));
    }
    Ok(name.to_owned())
}

/// One element of the array form: a single scope name, or a non-empty rule object.
fn alternative(item: &Value) -> Result<Rule, RuleError> {
    match item {
        Value::String(scope) => Ok(Rule::any_scope([Kind::Scope.check(scope)?])),
        Value::Object(o) if o.is_empty() => Err(RuleError::EmptyAlternative),
        Value::Object(o) => Rule::from_object(o),
        _ => Err(RuleError::BadAlternative),
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Scope,
    Group,
}

impl Kind {
    /// Scope names follow RFC 6749's token syntax; group names are non-empty and hold no space
    /// (a space could not be told apart in logs).
    fn check(self, name: &str) -> Result<&str, RuleError> {
        match self {
            Kind::Scope => auth_context::scope::token(name)
                .map_err(|_| RuleError::BadName("scope", name.to_owned())),
            Kind::Group if name.is_empty() || name.chars().any(char::is_whitespace) => {
                Err(RuleError::BadName("group", name.to_owned()))
            }
            Kind::Group => Ok(name),
        }
    }
}

/// Why a rule as written cannot be used. Names no setting: the configuration adds that.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// A scope string with no scope in it (empty, or only spaces).
    #[error("empty scope")]
    EmptyScopeString,
    /// An empty array (`[]`): write `{}` for any valid token.
    #[error("empty list of alternatives (write {{}} for any valid token)")]
    NoAlternative,
    /// An empty rule `{}` among alternatives, which would let any valid token through.
    #[error("an empty rule {{}} among alternatives (write {{}} alone for any valid token)")]
    EmptyAlternative,
    /// An element of the array form is neither a scope name nor a rule object.
    #[error("an alternative must be a scope name or a rule object")]
    BadAlternative,
    /// Neither a scope string, an array of alternatives, nor a rule object.
    #[error(
        "expected a scope string, an array of alternatives, or an object with anyScopes/allScopes/anyGroups/allGroups/claims/pathClaims"
    )]
    NotARule,
    /// A rule object has a key (given) other than `anyScopes`, `allScopes`, `anyGroups`,
    /// `allGroups`, `claims` and `pathClaims`.
    #[error(
        "unknown key `{0}` (expected anyScopes, allScopes, anyGroups, allGroups, claims or pathClaims)"
    )]
    UnknownKey(String),
    /// `claims` or `pathClaims` (given) is not an object.
    #[error("`{0}` must be an object")]
    NotAnObject(&'static str),
    /// A claim (given) under `claims` is not given a non-empty array of strings.
    #[error("claim `{0}`: expected a non-empty array of the strings it may hold")]
    ClaimValues(String),
    /// A parameter (given) under `pathClaims` is not given a claim name.
    #[error("pathClaims `{0}`: expected the name of a claim")]
    PathClaim(String),
    /// `claims` or `pathClaims` names `scope` or `cognito:groups`, which have keys of their own.
    #[error("claim `{0}` has a key of its own (anyScopes, anyGroups); use it")]
    ReservedClaim(String),
    /// A list key (given) does not hold an array of strings.
    #[error("`{0}` must be an array of names")]
    NotAList(String),
    /// A key (given) holds an empty list or object: leave it out.
    #[error("`{0}` is empty (leave the key out instead)")]
    EmptyList(String),
    /// A name of the given kind (`scope`, `group` or `claim`) is invalid: a scope outside RFC
    /// 6749's syntax, an empty group or claim name, or one holding whitespace (or, for a claim, a
    /// control character).
    #[error("invalid {0} name `{1}`")]
    BadName(&'static str, String),
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn grants(scopes: &[&str], groups: &[&str]) -> Grants {
        Grants {
            sub: "s".into(),
            client_id: "c".into(),
            username: Some("alice".into()),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            groups: groups.iter().map(|s| s.to_string()).collect(),
            pool_id: "p".into(),
            expires_at: 0,
            jti: None,
            claims: Vec::new(),
        }
    }

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn any_of_and_all_of_scopes() {
        let any = Rule::any_scope(["api/read", "api/admin"]);
        assert_eq!(any.check(&grants(&["api/read"], &[])), Ok(()));
        assert_eq!(any.check(&grants(&["api/write"], &[])), Err(Unmet::Scope));
        let all = Rule {
            all_scopes: list(&["api/read", "api/write"]),
            ..Default::default()
        };
        assert_eq!(all.check(&grants(&["api/read", "api/write"], &[])), Ok(()));
        assert_eq!(all.check(&grants(&["api/read"], &[])), Err(Unmet::Scope));
    }

    #[test]
    fn groups_and_scopes_in_one_rule_are_anded() {
        let r = Rule {
            any_scopes: list(&["api/read"]),
            any_groups: list(&["admins", "ops"]),
            all_groups: list(&["staff"]),
            ..Default::default()
        };
        assert_eq!(r.check(&grants(&["api/read"], &["ops", "staff"])), Ok(()));
        assert_eq!(r.check(&grants(&["api/read"], &["ops"])), Err(Unmet::Group));
        assert_eq!(r.check(&grants(&[], &["ops", "staff"])), Err(Unmet::Scope));
    }

    #[test]
    fn alternatives_admit_machines_and_people_by_different_rules() {
        let r =
            Requirement::from_json(&json!(["echo-api/read", {"anyGroups": ["readers"]}])).unwrap();
        assert_eq!(r.check(&grants(&["echo-api/read"], &[])), Ok(()));
        assert_eq!(
            r.check(&grants(&["aws.cognito.signin.user.admin"], &["readers"])),
            Ok(())
        );
        assert_eq!(
            r.check(&grants(&["aws.cognito.signin.user.admin"], &["writers"])),
            Err(Unmet::Group),
            "the group alternative needs no scope: the nearest miss is the group"
        );
        assert_eq!(r.check(&grants(&[], &[])), Err(Unmet::Group));
        let machine = Grants {
            username: None,
            ..grants(&["echo-api/write"], &[])
        };
        assert_eq!(
            r.check(&machine),
            Err(Unmet::Scope),
            "a machine misses a scope"
        );
        let admins = Requirement::from_json(&json!([
            {"anyScopes": ["a/admin"], "anyGroups": ["admins"]},
            "a/root"
        ]))
        .unwrap();
        assert_eq!(
            admins.check(&grants(&["a/admin"], &["readers"])),
            Err(Unmet::Group),
            "the nearest miss is the group"
        );
    }

    #[test]
    fn the_written_forms() {
        assert_eq!(
            Requirement::from_json(&json!("a/read a/admin")).unwrap(),
            Requirement::any_scope(["a/read", "a/admin"])
        );
        assert_eq!(
            Requirement::from_json(&json!(["a/read", "a/admin"]))
                .unwrap()
                .alternatives()
                .len(),
            2
        );
        assert!(
            Requirement::from_json(&json!({}))
                .unwrap()
                .is_any_valid_token()
        );
        let object =
            Requirement::from_json(&json!({"allScopes": ["a", "b"], "anyGroups": ["g"]})).unwrap();
        assert_eq!(object.alternatives()[0].all_scopes, ["a", "b"]);
        assert_eq!(object.alternatives()[0].any_groups, ["g"]);
    }

    #[test]
    fn forms_that_would_silently_open_a_route_are_refused() {
        for (value, error) in [
            (json!([]), RuleError::NoAlternative),
            (json!([[]]), RuleError::BadAlternative),
            (json!([{}]), RuleError::EmptyAlternative),
            (json!(["a", {}]), RuleError::EmptyAlternative),
            (json!(""), RuleError::EmptyScopeString),
            (json!("  "), RuleError::EmptyScopeString),
            (
                json!({"anyScopes": []}),
                RuleError::EmptyList("anyScopes".into()),
            ),
            (
                json!({"anyScope": ["a"]}),
                RuleError::UnknownKey("anyScope".into()),
            ),
            (
                json!({"anyGroups": "admins"}),
                RuleError::NotAList("anyGroups".into()),
            ),
            (
                json!({"anyGroups": [""]}),
                RuleError::BadName("group", String::new()),
            ),
            (
                json!({"allGroups": ["a b"]}),
                RuleError::BadName("group", "a b".into()),
            ),
            (json!(["a b"]), RuleError::BadName("scope", "a b".into())),
            (json!([""]), RuleError::BadName("scope", String::new())),
            (
                json!(["a\u{a0}b"]),
                RuleError::BadName("scope", "a\u{a0}b".into()),
            ),
            (json!(5), RuleError::NotARule),
            (json!(null), RuleError::NotARule),
            (json!([5]), RuleError::BadAlternative),
        ] {
            assert_eq!(Requirement::from_json(&value), Err(error), "{value}");
        }
    }

    fn with_claims(scopes: &[&str], claims: &[(&str, serde_json::Value)]) -> Grants {
        Grants {
            claims: claims
                .iter()
                .map(|(n, v)| (n.to_string(), crate::claims::ClaimValue::from_json(v)))
                .collect(),
            ..grants(scopes, &[])
        }
    }

    #[test]
    fn claims_hold_one_of_their_values_anded_with_the_rest() {
        let r = Requirement::from_json(&json!({
            "anyScopes": ["r/read"], "claims": {"custom:tier": ["gold", "platinum"], "custom:region": ["eu"]}
        }))
        .unwrap();
        let gold_eu = [
            ("custom:tier", json!("gold")),
            ("custom:region", json!(["us", "eu"])),
        ];
        assert_eq!(r.check(&with_claims(&["r/read"], &gold_eu)), Ok(()));
        assert_eq!(r.check(&with_claims(&[], &gold_eu)), Err(Unmet::Scope));
        let silver = [
            ("custom:tier", json!("silver")),
            ("custom:region", json!("eu")),
        ];
        assert_eq!(
            r.check(&with_claims(&["r/read"], &silver)),
            Err(Unmet::Claim)
        );
        let number = [("custom:tier", json!(5)), ("custom:region", json!("eu"))];
        assert_eq!(
            r.check(&with_claims(&["r/read"], &number)),
            Err(Unmet::Claim)
        );
        assert_eq!(r.check(&with_claims(&["r/read"], &[])), Err(Unmet::Claim));
    }

    #[test]
    fn path_claims_bind_a_route_to_the_tokens_values() {
        let r = Requirement::from_json(&json!([
            {"anyScopes": ["o/read"], "pathClaims": {"tenantId": "custom:tenant_id"}},
            "o/admin"
        ]))
        .unwrap();
        let acme = [("custom:tenant_id", json!("acme"))];
        assert_eq!(
            r.access(&with_claims(&["o/read"], &acme)),
            Access::Only(vec![vec![("tenantId".to_owned(), "acme".to_owned())]])
        );
        assert_eq!(r.access(&with_claims(&["o/admin"], &acme)), Access::All);
        assert_eq!(
            r.access(&with_claims(&["o/read"], &[])),
            Access::None(Unmet::ClaimInvalid)
        );
        for bad in [
            json!("a*"),
            json!("a/b"),
            json!(".."),
            json!(["acme"]),
            json!(7),
        ] {
            assert_eq!(
                r.access(&with_claims(
                    &["o/read"],
                    &[("custom:tenant_id", bad.clone())]
                )),
                Access::None(Unmet::ClaimInvalid),
                "{bad}"
            );
        }
        assert_eq!(
            r.check(&with_claims(&["o/read"], &acme)),
            Err(Unmet::ClaimInvalid),
            "check asks for every path"
        );
    }

    #[test]
    fn claim_rules_that_would_mislead_are_refused() {
        for (value, error) in [
            (json!({"claims": {}}), RuleError::EmptyList("claims".into())),
            (json!({"claims": []}), RuleError::NotAnObject("claims")),
            (
                json!({"claims": {"custom:tier": []}}),
                RuleError::ClaimValues("custom:tier".into()),
            ),
            (
                json!({"claims": {"custom:tier": "gold"}}),
                RuleError::ClaimValues("custom:tier".into()),
            ),
            (
                json!({"claims": {"custom:tier": [1]}}),
                RuleError::ClaimValues("custom:tier".into()),
            ),
            (
                json!({"claims": {"scope": ["a"]}}),
                RuleError::ReservedClaim("scope".into()),
            ),
            (
                json!({"claims": {"cognito:groups": ["a"]}}),
                RuleError::ReservedClaim("cognito:groups".into()),
            ),
            (
                json!({"claims": {"a b": ["x"]}}),
                RuleError::BadName("claim", "a b".into()),
            ),
            (
                json!({"pathClaims": {}}),
                RuleError::EmptyList("pathClaims".into()),
            ),
            (
                json!({"pathClaims": {"t": 5}}),
                RuleError::PathClaim("t".into()),
            ),
            (
                json!({"pathClaims": {"t": ""}}),
                RuleError::BadName("claim", String::new()),
            ),
        ] {
            assert_eq!(Requirement::from_json(&value), Err(error), "{value}");
        }
    }

    #[test]
    fn default_needs_only_a_valid_token() {
        assert!(Requirement::default().is_any_valid_token());
        assert_eq!(Requirement::default().check(&grants(&[], &[])), Ok(()));
    }
}

//! What a route needs from a token: a [`Rule`] (scopes and groups, ANDed), or several rules of
//! which any one will do (a [`Requirement`]), and how they are written in `ROUTE_SCOPES`.

use serde_json::{Map, Value};

use crate::grants::Grants;

/// One rule. Every non-empty list must hold (they are ANDed); a rule with every list empty needs
/// only a valid token.
///
/// Written in `ROUTE_SCOPES` as an object with the keys `anyScopes`, `allScopes`, `anyGroups`,
/// `allGroups`; a key that is present must hold at least one name.
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
}

/// Why a valid token does not meet a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmet {
    Scope,
    Group,
}

impl Unmet {
    /// `scope_missing` or `group_missing`.
    pub fn code(self) -> &'static str {
        match self {
            Unmet::Scope => "scope_missing",
            Unmet::Group => "group_missing",
        }
    }
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
    }

    /// What a token must hold to meet the rule, as choices (`true` for a scope, `false` for a
    /// group): each name of an all-of list alone, each any-of list as one choice among its names.
    pub(crate) fn choices(&self) -> Vec<Vec<(bool, &str)>> {
        let mut choices: Vec<Vec<(bool, &str)>> = Vec::new();
        choices.extend(self.all_scopes.iter().map(|n| vec![(true, n.as_str())]));
        choices.extend(self.all_groups.iter().map(|n| vec![(false, n.as_str())]));
        for (scope, names) in [(true, &self.any_scopes), (false, &self.any_groups)] {
            if !names.is_empty() {
                choices.push(names.iter().map(|n| (scope, n.as_str())).collect());
            }
        }
        choices
    }

    /// Checks `grants` against every list; scopes are checked before groups.
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

    pub fn alternatives(&self) -> &[Rule] {
        &self.alternatives
    }

    /// True when any valid token meets it.
    pub fn is_any_valid_token(&self) -> bool {
        self.alternatives.iter().any(Rule::is_empty)
    }

    /// `Ok` when any alternative holds. Otherwise the nearest miss: for a signed-in user (a
    /// token with `username`), [`Unmet::Group`] when some alternative's scopes hold but its
    /// groups do not; else [`Unmet::Scope`] (a machine token can hold no group).
    pub fn check(&self, grants: &Grants) -> Result<(), Unmet> {
        let mut unmet = Unmet::Scope;
        for rule in &self.alternatives {
            match rule.check(grants) {
                Ok(()) => return Ok(()),
                Err(Unmet::Group) if grants.username.is_some() || self.alternatives.len() == 1 => {
                    unmet = Unmet::Group;
                }
                Err(_) => {}
            }
        }
        Err(unmet)
    }
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
    #[error("empty scope")]
    EmptyScopeString,
    #[error("empty list of alternatives (write {{}} for any valid token)")]
    NoAlternative,
    #[error("an empty rule {{}} among alternatives (write {{}} alone for any valid token)")]
    EmptyAlternative,
    #[error("an alternative must be a scope name or a rule object")]
    BadAlternative,
    #[error(
        "expected a scope string, an array of alternatives, or an object with anyScopes/allScopes/anyGroups/allGroups"
    )]
    NotARule,
    #[error("unknown key `{0}` (expected anyScopes, allScopes, anyGroups or allGroups)")]
    UnknownKey(String),
    #[error("`{0}` must be an array of names")]
    NotAList(String),
    #[error("`{0}` is empty (leave the key out instead)")]
    EmptyList(String),
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

    #[test]
    fn default_needs_only_a_valid_token() {
        assert!(Requirement::default().is_any_valid_token());
        assert_eq!(Requirement::default().check(&grants(&[], &[])), Ok(()));
    }
}

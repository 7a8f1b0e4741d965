//! What a verified token grants (scopes, groups, client, user) and requirements matched against it.

use serde::Deserialize;

/// The verified identity and permissions of an access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grants {
    /// `sub`: the user's id, or the app client's id for client-credentials tokens.
    pub sub: String,
    pub client_id: String,
    /// `username`, present on user tokens only.
    pub username: Option<String>,
    /// `scope`, split on whitespace.
    pub scopes: Vec<String>,
    /// `cognito:groups`, present when the user is in a group.
    pub groups: Vec<String>,
    /// The user pool that issued the token.
    pub pool_id: String,
    /// `exp`, seconds since the epoch.
    pub expires_at: u64,
    /// `jti`, when present.
    pub jti: Option<String>,
}

impl Grants {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    pub fn in_group(&self, group: &str) -> bool {
        self.groups.iter().any(|g| g == group)
    }

    /// The scopes joined by spaces, as in the token's `scope` claim.
    pub fn scope_string(&self) -> String {
        self.scopes.join(" ")
    }
}

/// What a route needs from a token. Every non-empty list must be satisfied (they are ANDed);
/// a requirement with all lists empty needs only a valid token.
///
/// In `ROUTE_SCOPES` it is written either as a string or array (any-of scopes) or as an object
/// with the keys below; see the README.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Requirement {
    /// At least one of these scopes.
    #[serde(default)]
    pub any_scopes: Vec<String>,
    /// Every one of these scopes.
    #[serde(default)]
    pub all_scopes: Vec<String>,
    /// Membership of at least one of these groups.
    #[serde(default)]
    pub any_groups: Vec<String>,
    /// Membership of every one of these groups.
    #[serde(default)]
    pub all_groups: Vec<String>,
}

/// Why a valid token does not meet a [`Requirement`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmet {
    Scope,
    Group,
}

impl Unmet {
    pub fn code(self) -> &'static str {
        match self {
            Unmet::Scope => "scope_missing",
            Unmet::Group => "group_missing",
        }
    }
}

impl Requirement {
    /// Any-of the given scopes, the meaning of a plain string in `ROUTE_SCOPES`.
    pub fn any_scope<I: IntoIterator<Item = S>, S: Into<String>>(scopes: I) -> Self {
        Self {
            any_scopes: scopes.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.any_scopes.is_empty()
            && self.all_scopes.is_empty()
            && self.any_groups.is_empty()
            && self.all_groups.is_empty()
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

    /// Every scope and group this requirement names, for validation.
    pub fn names(&self) -> impl Iterator<Item = (&'static str, &str)> {
        let scopes = self
            .any_scopes
            .iter()
            .chain(&self.all_scopes)
            .map(|s| ("scope", s.as_str()));
        let groups = self
            .any_groups
            .iter()
            .chain(&self.all_groups)
            .map(|g| ("group", g.as_str()));
        scopes.chain(groups)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grants(scopes: &[&str], groups: &[&str]) -> Grants {
        Grants {
            sub: "s".into(),
            client_id: "c".into(),
            username: None,
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
        let any = Requirement::any_scope(["api/read", "api/admin"]);
        assert_eq!(any.check(&grants(&["api/read"], &[])), Ok(()));
        assert_eq!(any.check(&grants(&["api/write"], &[])), Err(Unmet::Scope));
        let all = Requirement {
            all_scopes: list(&["api/read", "api/write"]),
            ..Default::default()
        };
        assert_eq!(all.check(&grants(&["api/read", "api/write"], &[])), Ok(()));
        assert_eq!(all.check(&grants(&["api/read"], &[])), Err(Unmet::Scope));
    }

    #[test]
    fn groups_and_scopes_are_anded() {
        let r = Requirement {
            any_scopes: list(&["api/read"]),
            any_groups: list(&["admins", "ops"]),
            all_groups: list(&["staff"]),
            ..Default::default()
        };
        assert_eq!(r.check(&grants(&["api/read"], &["ops", "staff"])), Ok(()));
        assert_eq!(r.check(&grants(&["api/read"], &["ops"])), Err(Unmet::Group));
        assert_eq!(
            r.check(&grants(&["api/read"], &["staff"])),
            Err(Unmet::Group)
        );
        assert_eq!(r.check(&grants(&[], &["ops", "staff"])), Err(Unmet::Scope));
    }

    #[test]
    fn empty_requirement_needs_only_a_valid_token() {
        assert!(Requirement::default().is_empty());
        assert_eq!(Requirement::default().check(&grants(&[], &[])), Ok(()));
    }
}

//! The rules of one API, modelled once: either one requirement for every route
//! (`REQUIRED_SCOPES`, or nothing but a valid token) or a route table (`ROUTE_SCOPES`). Both the
//! policy API Gateway enforces and the decision that is logged and counted are derived from
//! [`Rules::decide`], so they cannot disagree.

use std::collections::BTreeSet;

use crate::grants::Grants;
use crate::policy::{MethodArn, Permissions};
use crate::request_path;
use crate::requirement::{Requirement, Unmet};
use crate::routes::RouteTable;

/// What a token must show, for the whole API or per route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rules {
    /// The same requirement on every route.
    WholeApi(Requirement),
    /// A requirement per route. A request that reaches no listed route is denied, but an Allow
    /// for a `{param}` or `{proxy+}` route (a `*` in the policy) also covers paths below it
    /// that no route lists: list every route of the API.
    Routes(RouteTable),
}

impl Default for Rules {
    /// Any valid token, on every route.
    fn default() -> Self {
        Rules::WholeApi(Requirement::default())
    }
}

/// Why a valid token may not call the requested route. Every variant has a stable
/// [`code`](Denial::code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// The route's rules need a scope the token lacks.
    ScopeMissing,
    /// The route's rules need a group the token's user is not in.
    GroupMissing,
    /// No route of the table matches the request.
    RouteNotListed,
    /// The token may call the route the canonical path reaches, but the request path is in a
    /// form (empty segment, dot segment, escaped character) the policy denies because some
    /// reading of it could reach a route the token may not call.
    PathNotCanonical,
    /// The token may call the route, but a Deny for another route covers it too (a `{param}` or
    /// `ANY` route it may not call; IAM cannot say "deny except").
    RouteShadowed,
}

impl Denial {
    pub fn code(self) -> &'static str {
        match self {
            Denial::ScopeMissing => "scope_missing",
            Denial::GroupMissing => "group_missing",
            Denial::RouteNotListed => "route_not_listed",
            Denial::PathNotCanonical => "path_not_canonical",
            Denial::RouteShadowed => "route_shadowed",
        }
    }
}

impl From<Unmet> for Denial {
    fn from(unmet: Unmet) -> Self {
        match unmet {
            Unmet::Scope => Denial::ScopeMissing,
            Unmet::Group => Denial::GroupMissing,
        }
    }
}

impl Rules {
    /// The permissions for `grants` on the API and stage of `arn` and whether they let it call
    /// `arn` itself (and if not, why). The permissions do not depend on the requested route, so
    /// API Gateway may cache them per token and apply them to every route.
    pub fn decide(&self, grants: &Grants, arn: &MethodArn) -> (Permissions, Result<(), Denial>) {
        let permissions = self.permissions(grants, arn);
        if permissions.allows(arn.as_str()) {
            return (permissions, Ok(()));
        }
        let denial = match self {
            Rules::WholeApi(required) => required
                .check(grants)
                .map_or_else(Denial::from, |()| Denial::RouteShadowed),
            Rules::Routes(table) => match table.find(&arn.method, &arn.path) {
                None => Denial::RouteNotListed,
                Some(route) => match route.requirement.check(grants) {
                    Err(unmet) => unmet.into(),
                    Ok(()) if !request_path::is_canonical(&arn.path) => Denial::PathNotCanonical,
                    Ok(()) => Denial::RouteShadowed,
                },
            },
        };
        (permissions, Err(denial))
    }

    /// Every route `grants` satisfies, as Allow, and every other route, as Deny (so that a
    /// wildcard from a parameter cannot reach a stricter route). A token allowed nothing gets a
    /// Deny of the whole API; a whole-API requirement gives all or nothing.
    pub fn permissions(&self, grants: &Grants, arn: &MethodArn) -> Permissions {
        match self {
            Rules::WholeApi(required) if required.check(grants).is_ok() => {
                Permissions::allow_all(arn)
            }
            Rules::WholeApi(_) => Permissions::deny_all(arn),
            Rules::Routes(table) => route_permissions(table, grants, arn),
        }
    }
}

fn route_permissions(table: &RouteTable, grants: &Grants, arn: &MethodArn) -> Permissions {
    let mut permissions = Permissions::default();
    let mut denied_chars = BTreeSet::new();
    for route in table.routes() {
        let allowed = route.requirement.check(grants).is_ok();
        let method = route.pattern.method_pattern();
        let resources = route
            .pattern
            .resource_patterns()
            .into_iter()
            .map(|path| arn.resource(method, &path));
        if allowed {
            permissions.allow.extend(resources);
        } else {
            permissions.deny.extend(resources);
            denied_chars.extend(route.pattern.literal_chars());
        }
    }
    if permissions.allow.is_empty() {
        return Permissions::deny_all(arn);
    }
    if !permissions.deny.is_empty() {
        permissions
            .deny
            .extend(non_canonical_forms(arn, &denied_chars));
    }
    dedup(&mut permissions.allow);
    dedup(&mut permissions.deny);
    permissions
}

/// Deny resources for every request path a gateway might read differently from the way the
/// route table does, where a different reading could reach a denied route:
/// - an empty segment anywhere (`GET//admin`, `GET/a//b`);
/// - a dot segment (`GET/x/../admin`, `GET/./admin`, `GET/a/.`);
/// - an escape of `/`, `.` or `%`, or of any character that a denied route's literal segments
///   hold (`GET/%61dmin` reaching `/admin`, `GET/items%3Apurge` reaching `/items:purge`), in
///   either hex case;
/// - what a second decoding could turn into an escape: `%25` (`%2561`), and a `%` followed by an
///   escape within two characters (`%%362`, `%6%31` both decode to `%61`, then to `a`).
///
/// A trailing slash is handled per route ([`crate::routes::RoutePattern::resource_patterns`]).
fn non_canonical_forms(arn: &MethodArn, denied_chars: &BTreeSet<char>) -> Vec<String> {
    let mut paths: Vec<String> = ["/*", "./*", "../*", ".", "..", "*%%*", "*%?%*"]
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
    let escaped = denied_chars
        .iter()
        .copied()
        .chain(['/', '.', '%'])
        .filter_map(|c| u8::try_from(c).ok())
        .filter(|b| request_path::is_decoded(*b));
    for byte in escaped {
        let upper = format!("{byte:02X}");
        let lower = upper.to_ascii_lowercase();
        paths.push(format!("*%{upper}*"));
        if lower != upper {
            paths.push(format!("*%{lower}*"));
        }
    }
    paths.iter().map(|path| arn.resource("*", path)).collect()
}

/// Removes repeats, keeping the first of each.
fn dedup(resources: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    resources.retain(|r| seen.insert(r.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/items/42";

    fn grants(scopes: &[&str]) -> Grants {
        Grants {
            sub: "s".into(),
            client_id: "c".into(),
            username: None,
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            groups: Vec::new(),
            pool_id: "p".into(),
            expires_at: 0,
            jti: None,
        }
    }

    fn arn(method: &str, path: &str) -> MethodArn {
        MethodArn::parse(&format!(
            "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/{method}/{path}"
        ))
        .unwrap()
    }

    /// The tables of the security review: `GET /items` and `GET /admin` need the admin scope,
    /// `GET /items/{id}` and `GET /{proxy+}` the read scope; the token has only read.
    fn review_rules() -> Rules {
        Rules::Routes(
            RouteTable::parse(
                r#"{"GET /items": "api/admin", "GET /items/{id}": "api/read",
                    "GET /admin": "api/admin", "GET /{proxy+}": "api/read"}"#,
            )
            .unwrap(),
        )
    }

    #[test]
    fn variants_of_a_denied_path_are_denied() {
        let rules = review_rules();
        let read = grants(&["api/read"]);
        for path in [
            "items",
            "items/",
            "items//",
            "admin",
            "admin/",
            "/admin",
            "a//b",
            "x/../admin",
            "./admin",
            "%61dmin",
            "it%65ms",
            "it%65ms/",
            "items%2F",
            "admin/.",
            "admin/..",
        ] {
            let (permissions, verdict) = rules.decide(&read, &arn("GET", path));
            assert!(verdict.is_err(), "GET/{path} allowed: {permissions:?}");
        }
        for path in ["items/42", "items/42/", "secret", "secret/deeper", "a/b"] {
            assert_eq!(
                rules.decide(&read, &arn("GET", path)).1,
                Ok(()),
                "GET/{path}"
            );
        }
    }

    /// Found by review: escapes of sub-delimiters in a denied route's path were not denied.
    #[test]
    fn escapes_of_any_character_of_a_denied_path_are_denied() {
        let rules = Rules::Routes(
            RouteTable::parse(r#"{"POST /items:purge": "api/admin", "ANY /{proxy+}": "api/read"}"#)
                .unwrap(),
        );
        let read = grants(&["api/read"]);
        for path in [
            "items:purge",
            "items%3Apurge",
            "items%3apurge",
            "items%3Apurge/",
            "%69tems:purge",
        ] {
            assert!(
                rules.decide(&read, &arn("POST", path)).1.is_err(),
                "POST/{path}"
            );
        }
        assert_eq!(rules.decide(&read, &arn("POST", "items;purge")).1, Ok(()));
    }

    #[test]
    fn the_reason_is_the_route_rule_where_there_is_one() {
        let rules = review_rules();
        let read = grants(&["api/read"]);
        let reason = |path: &str| rules.decide(&read, &arn("GET", path)).1.unwrap_err();
        assert_eq!(reason("items"), Denial::ScopeMissing);
        assert_eq!(reason("items/"), Denial::ScopeMissing);
        assert_eq!(reason("%61dmin"), Denial::ScopeMissing);
        assert_eq!(reason("a//b"), Denial::PathNotCanonical);
        assert_eq!(
            rules.decide(&read, &arn("POST", "items")).1,
            Err(Denial::RouteNotListed)
        );
    }

    #[test]
    fn a_token_allowed_everything_needs_no_hardening() {
        let rules = review_rules();
        let (permissions, verdict) =
            rules.decide(&grants(&["api/read", "api/admin"]), &arn("GET", "a//b"));
        assert_eq!(verdict, Ok(()));
        assert!(permissions.deny.is_empty());
    }

    #[test]
    fn whole_api_rules_are_all_or_nothing() {
        let rules = Rules::WholeApi(Requirement::any_scope(["api/read"]));
        let (allowed, verdict) =
            rules.decide(&grants(&["api/read"]), &MethodArn::parse(ARN).unwrap());
        assert_eq!(verdict, Ok(()));
        assert_eq!(
            allowed.allow,
            ["arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*/*"]
        );
        let (denied, verdict) = rules.decide(&grants(&[]), &MethodArn::parse(ARN).unwrap());
        assert_eq!(verdict, Err(Denial::ScopeMissing));
        assert!(denied.allow.is_empty());
    }

    #[test]
    fn escapes_cover_both_hex_cases() {
        let forms = non_canonical_forms(&arn("GET", "x"), &BTreeSet::from(['o']));
        let tails: Vec<&str> = forms
            .iter()
            .map(|f| f.rsplit_once("prod/*/").unwrap().1)
            .collect();
        for tail in [
            "/*", "../*", "*%6F*", "*%6f*", "*%2F*", "*%2f*", "*%2E*", "*%2e*",
        ] {
            assert!(tails.contains(&tail), "{tail} in {tails:?}");
        }
    }
}

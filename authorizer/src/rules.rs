//! The rules of one API, modelled once: either one requirement for every route
//! (`REQUIRED_SCOPES`, or nothing but a valid token) or a route table (`ROUTE_SCOPES`). Both the
//! policy API Gateway enforces and the decision that is logged and counted are derived from
//! [`Rules::decide`], so they cannot disagree.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::claims::ClaimValue;
use crate::grants::Grants;
use crate::plan::{Conflict, Patterns, Plan};
use crate::policy::{MethodArn, Permissions};
use crate::request_path;
use crate::requirement::{Access, Requirement, Unmet};
use crate::routes::{RoutePattern, RouteTable};

/// What a token must show, for the whole API or per route: plain data, checked once, from which
/// both the policy API Gateway caches and the decision that is logged are derived
/// ([`Rules::decide`]).
///
/// # Example
///
/// A [`RouteTable`] is written as in `ROUTE_SCOPES` (see [`Requirement`] for the forms a rule
/// takes); the grants are what [`Verifier::verify`](crate::Verifier::verify) returned.
///
/// ```
/// use authorizer::{Denial, Grants, MethodArn, Rules, RouteTable, evaluate_policy};
///
/// let table = RouteTable::parse(
///     r#"{"GET /orders": "orders/read", "POST /orders": "orders/write"}"#,
/// )?;
/// let rules = Rules::routes(table);
/// let grants = Grants {
///     sub: "client1".into(),
///     client_id: "client1".into(),
///     username: None,
///     scopes: vec!["orders/read".into()],
///     groups: vec![],
///     pool_id: "us-east-1_Example1".into(),
///     expires_at: 0,
///     jti: None,
///     claims: vec![],
/// };
/// let api = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod";
/// let arn = MethodArn::parse(&format!("{api}/POST/orders")).ok_or("not a methodArn")?;
///
/// let (permissions, verdict) = rules.decide(&grants, &arn);
/// assert_eq!(verdict, Err(Denial::ScopeMissing));
/// // The policy covers the whole API: API Gateway may reuse it for `GET /orders`.
/// let allowed = [format!("{api}/GET/orders"), format!("{api}/GET/orders/")];
/// assert_eq!(permissions.allowed(), allowed);
/// let policy = permissions.to_policy();
/// assert!(evaluate_policy(&policy, &format!("{api}/GET/orders")));
/// assert!(!evaluate_policy(&policy, arn.as_str()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rules {
    /// The same requirement on every route.
    WholeApi(Requirement),
    /// A requirement per route. A request that reaches no listed route is denied, but an Allow
    /// for a `{param}` or `{proxy+}` route (a `*` in the policy) also covers paths below it
    /// that no route lists: list every route of the API.
    Routes(RouteRules),
}

impl Default for Rules {
    /// Any valid token, on every route.
    fn default() -> Self {
        Rules::WholeApi(Requirement::default())
    }
}

/// What one answer's policy covers, and so how API Gateway must cache it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PolicyScope {
    /// Every route of the API: the answer may be cached per token (a TOKEN authorizer, or a
    /// REQUEST authorizer whose identity source is the token alone) and reused on any route.
    #[default]
    Api,
    /// The requested route only: the answer must be cached per token and route (a REQUEST
    /// authorizer whose identity sources include `$context.httpMethod` and
    /// `$context.resourcePath`). Events that do not name the route get the whole-API answer.
    Route,
}

/// The route the gateway matched, as a REQUEST event names it: the request's method and the
/// resource's path template (`/items/{id}`).
#[derive(Debug, Clone, Copy)]
pub struct Routed<'a> {
    /// The request's method (`httpMethod`), in capitals.
    pub method: &'a str,
    /// The resource's path template (`resource`), as API Gateway writes it (`/items/{id}`).
    pub resource: &'a str,
}

/// A route table with its policy plan, worked out once, and the policies of the grant sets seen
/// so far.
#[derive(Debug, Clone)]
pub struct RouteRules {
    table: RouteTable,
    scope: PolicyScope,
    plan: Arc<Plan>,
    names: Arc<Names>,
    /// Route index by method and path shape, for the route a REQUEST event names.
    shapes: Arc<HashMap<(String, String), usize>>,
    cache: Arc<Mutex<HashMap<Key, Arc<Patterns>>>>,
}

impl PartialEq for RouteRules {
    fn eq(&self, other: &Self) -> bool {
        self.table == other.table && self.scope == other.scope
    }
}

impl Eq for RouteRules {}

/// Policies kept at most: far more grant sets than a table's rules tell apart in practice.
const CACHED_POLICIES: usize = 512;

/// The size an authorizer's answer is kept within, in bytes: API Gateway documents 8 KB for a
/// WebSocket API's Lambda authorizer result and nothing for REST APIs.
pub const ANSWER_BUDGET: usize = 8192;

/// What an answer holds beside its policy (`principalId`, the context), at most, in bytes.
const CONTEXT_ALLOWANCE: usize = 1024;

/// The `methodArn` answer sizes are estimated with: a 9-character region, a 10-character API
/// id and a 4-character stage, as most are.
const NOMINAL_ARN: &str = "arn:aws:execute-api:us-east-1:123456789012:abcdefghij/Prod/GET/";

impl RouteRules {
    /// Works out, once, the policy plan of `table` (which Allow and Deny patterns each set of
    /// met rules gets; the repository's `docs/policy.md`, "Cache safety") and its conflicts.
    pub fn new(table: RouteTable, scope: PolicyScope) -> Self {
        let plan = Plan::new(&table);
        let names = Names::of(&table);
        let shapes = table
            .routes()
            .iter()
            .enumerate()
            .map(|(i, r)| ((r.pattern.method.clone(), r.pattern.shape_key()), i))
            .collect();
        Self {
            table,
            scope,
            plan: Arc::new(plan),
            names: Arc::new(names),
            shapes: Arc::new(shapes),
            cache: Arc::default(),
        }
    }

    /// The route table.
    pub fn table(&self) -> &RouteTable {
        &self.table
    }

    /// The claims the rules name (`claims`, `pathClaims`): what the verifier passes on.
    pub fn claim_names(&self) -> &[String] {
        &self.names.claims
    }

    /// What each answer's policy covers.
    pub fn scope(&self) -> PolicyScope {
        self.scope
    }

    /// The requests of allowed routes that a needed Deny covers, for some tokens: tables with
    /// none have an exact whole-API policy for every token.
    pub fn conflicts(&self) -> &[Conflict] {
        self.plan.conflicts()
    }

    /// The largest whole-API answer among a few tokens (holding no name the rules mention, each
    /// name alone, every name), in bytes (the policy for a `methodArn` of usual length, with a
    /// 9-character region, a 10-character API id and a 4-character stage, plus 1,024 bytes for
    /// `principalId` and the context), with which token it is. Computing it also caches those
    /// policies.
    pub fn largest_answer(&self) -> Option<(usize, String)> {
        let arn = MethodArn::parse(NOMINAL_ARN)?;
        let token = |scopes: Vec<String>, groups: Vec<String>| Grants {
            sub: String::new(),
            client_id: String::new(),
            username: None,
            scopes,
            groups,
            pool_id: String::new(),
            expires_at: 0,
            jti: None,
            claims: Vec::new(),
        };
        let mut tokens = vec![
            (
                "a token holding no scope or group the rules name".to_owned(),
                token(vec![], vec![]),
            ),
            (
                "a token holding every scope and group the rules name".to_owned(),
                token(
                    self.names.scopes.keys().cloned().collect(),
                    self.names.groups.keys().cloned().collect(),
                ),
            ),
        ];
        for s in self.names.scopes.keys() {
            tokens.push((
                format!("a token holding only the scope `{s}`"),
                token(vec![s.clone()], vec![]),
            ));
        }
        for g in self.names.groups.keys() {
            tokens.push((
                format!("a token of a user only in the group `{g}`"),
                token(vec![], vec![g.clone()]),
            ));
        }
        tokens
            .into_iter()
            .map(|(name, grants)| {
                let permissions = Permissions::new(&arn, self.patterns(&grants, None));
                let bytes = serde_json::to_vec(&permissions.to_policy()).map_or(0, |v| v.len());
                (bytes + CONTEXT_ALLOWANCE, name)
            })
            .max_by_key(|(bytes, _)| *bytes)
    }

    /// The patterns for `grants`, for the whole API or (`route`) for one route of the table.
    fn patterns(&self, grants: &Grants, route: Option<usize>) -> Arc<Patterns> {
        let key = Key {
            names: self.names.held(grants),
            claims: self.names.claims(grants),
            route,
        };
        if let Some(found) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return found;
        }
        let access: Vec<Access> = self
            .table
            .routes()
            .iter()
            .map(|r| r.requirement.access(grants))
            .collect();
        let patterns = Arc::new(match route {
            None => self.plan.build(&access),
            Some(r) => self.plan.build_route(r, &access),
        });
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHED_POLICIES {
                cache.clear();
            }
            cache.insert(key, patterns.clone());
        }
        patterns
    }

    /// The route of the table a REQUEST event names: same method (else `ANY`), same path shape.
    fn route_of(&self, routed: Routed<'_>) -> Option<usize> {
        let shape = RoutePattern::parse("ANY", routed.resource)
            .ok()?
            .shape_key();
        let find = |m: &str| self.shapes.get(&(m.to_owned(), shape.clone())).copied();
        find(routed.method).or_else(|| find("ANY"))
    }
}

/// The scope and group names a table's rules mention, numbered: a token's policy depends only on
/// which of them it holds.
#[derive(Debug, Default)]
struct Names {
    scopes: HashMap<String, usize>,
    groups: HashMap<String, usize>,
    /// The claims the rules name, in a fixed order.
    claims: Vec<String>,
}

impl Names {
    fn of(table: &RouteTable) -> Self {
        let mut names = Names::default();
        for rule in table
            .routes()
            .iter()
            .flat_map(|r| r.requirement.alternatives())
        {
            for s in rule.any_scopes.iter().chain(&rule.all_scopes) {
                let next = names.scopes.len() + names.groups.len();
                names.scopes.entry(s.clone()).or_insert(next);
            }
            for g in rule.any_groups.iter().chain(&rule.all_groups) {
                let next = names.scopes.len() + names.groups.len();
                names.groups.entry(g.clone()).or_insert(next);
            }
        }
        let mut claims: Vec<String> = table
            .routes()
            .iter()
            .flat_map(|r| r.requirement.claim_names().map(str::to_owned))
            .collect();
        claims.sort();
        claims.dedup();
        names.claims = claims;
        names
    }

    /// The values of the claims the rules name, as `grants` holds them.
    fn claims(&self, grants: &Grants) -> Vec<Option<ClaimValue>> {
        self.claims
            .iter()
            .map(|c| grants.claim(c).cloned())
            .collect()
    }

    /// Which of the names `grants` holds, one bit each.
    fn held(&self, grants: &Grants) -> Vec<u64> {
        let mut bits = vec![0u64; (self.scopes.len() + self.groups.len()).div_ceil(64)];
        let found = grants
            .scopes
            .iter()
            .filter_map(|s| self.scopes.get(s))
            .chain(grants.groups.iter().filter_map(|g| self.groups.get(g)));
        for &i in found {
            bits[i / 64] |= 1 << (i % 64);
        }
        bits
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    names: Vec<u64>,
    claims: Vec<Option<ClaimValue>>,
    route: Option<usize>,
}

/// Why a valid token may not call the requested route. Every variant has a stable
/// [`code`](Denial::code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// The route's rules need a scope the token lacks.
    ScopeMissing,
    /// The route's rules need a group the token's user is not in.
    GroupMissing,
    /// The route's rules need a claim the token lacks, or a value of it the token does not hold.
    ClaimMissing,
    /// The route binds a path parameter to a claim the token lacks or whose value is not one path
    /// segment: no path of the route is granted.
    ClaimInvalid,
    /// The route binds a path parameter to a claim, and the request's value is not the token's
    /// (another tenant's path).
    PathClaimMismatch,
    /// No route of the table matches the request.
    RouteNotListed,
    /// The token may call the route the canonical path reaches, but the request path is in a
    /// form (empty segment, dot segment, escaped character, trailing slash) the policy denies
    /// because some reading of it could reach a route the token may not call.
    PathNotCanonical,
    /// The token may call the route, but a Deny needed to keep another allowed route's pattern
    /// out of a route it may not call covers it too: a conflict of the table, reported at start.
    RouteShadowed,
}

impl Denial {
    /// Stable, lower-snake-case reason code, safe to log and to use as a metric dimension:
    /// `scope_missing`, `group_missing`, `claim_missing`, `claim_invalid`,
    /// `path_claim_mismatch`, `route_not_listed`, `path_not_canonical` or `route_shadowed`.
    pub fn code(self) -> &'static str {
        match self {
            Denial::ScopeMissing => "scope_missing",
            Denial::GroupMissing => "group_missing",
            Denial::ClaimMissing => "claim_missing",
            Denial::ClaimInvalid => "claim_invalid",
            Denial::PathClaimMismatch => "path_claim_mismatch",
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
            Unmet::Claim => Denial::ClaimMissing,
            Unmet::ClaimInvalid => Denial::ClaimInvalid,
        }
    }
}

impl Rules {
    /// Per-route rules with whole-API policies.
    pub fn routes(table: RouteTable) -> Self {
        Rules::Routes(RouteRules::new(table, PolicyScope::Api))
    }

    /// The conflicts of a route table (see [`RouteRules::conflicts`]); none for whole-API rules.
    pub fn conflicts(&self) -> &[Conflict] {
        match self {
            Rules::Routes(rules) => rules.conflicts(),
            Rules::WholeApi(_) => &[],
        }
    }

    /// The permissions for `grants` on the API and stage of `arn` and whether they let it call
    /// `arn` itself (and if not, why). The permissions do not depend on the requested route, so
    /// API Gateway may cache them per token and apply them to every route.
    pub fn decide(&self, grants: &Grants, arn: &MethodArn) -> (Permissions, Result<(), Denial>) {
        self.decide_routed(grants, arn, None)
    }

    /// [`Rules::decide`], for the route a REQUEST event names when there is one: under
    /// [`PolicyScope::Route`] the permissions then cover that route only.
    pub fn decide_routed(
        &self,
        grants: &Grants,
        arn: &MethodArn,
        routed: Option<Routed<'_>>,
    ) -> (Permissions, Result<(), Denial>) {
        let permissions = self.permissions_routed(grants, arn, routed);
        if permissions.allows(arn.as_str()) {
            return (permissions, Ok(()));
        }
        let denial = match self {
            Rules::WholeApi(required) => required
                .check(grants)
                .map_or_else(Denial::from, |()| Denial::RouteShadowed),
            Rules::Routes(rules) => denial(rules, grants, arn, routed),
        };
        (permissions, Err(denial))
    }

    /// Every route `grants` satisfies, as Allow, and as Deny what those Allows would otherwise
    /// reach of the routes it does not (see the repository's `docs/policy.md`). A token allowed
    /// nothing gets a Deny of the whole API; a whole-API requirement gives all or nothing.
    pub fn permissions(&self, grants: &Grants, arn: &MethodArn) -> Permissions {
        self.permissions_routed(grants, arn, None)
    }

    fn permissions_routed(
        &self,
        grants: &Grants,
        arn: &MethodArn,
        routed: Option<Routed<'_>>,
    ) -> Permissions {
        match self {
            Rules::WholeApi(required) if required.check(grants).is_ok() => {
                Permissions::allow_all(arn)
            }
            Rules::WholeApi(_) => Permissions::deny_all(arn),
            Rules::Routes(rules) => match (rules.scope, routed) {
                (PolicyScope::Route, Some(routed)) => match rules.route_of(routed) {
                    Some(r) => Permissions::new(arn, rules.patterns(grants, Some(r))),
                    None => Permissions::deny_all(arn),
                },
                _ => Permissions::new(arn, rules.patterns(grants, None)),
            },
        }
    }
}

/// Why the policy refuses `arn`: the route's rule where the token fails it, else why the route
/// it may call is refused anyway.
fn denial(
    rules: &RouteRules,
    grants: &Grants,
    arn: &MethodArn,
    routed: Option<Routed<'_>>,
) -> Denial {
    let table = &rules.table;
    let route = match (rules.scope, routed) {
        (PolicyScope::Route, Some(routed)) => rules.route_of(routed).map(|r| &table.routes()[r]),
        _ => table.find(&arn.method, &arn.path),
    };
    let Some(route) = route else {
        return Denial::RouteNotListed;
    };
    let bound_elsewhere = |bindings: &[crate::requirement::Binding]| {
        let values = route
            .pattern
            .path_parameters(&arn.method, &arn.path)
            .unwrap_or_default();
        !bindings
            .iter()
            .any(|b| b.iter().all(|pair| values.contains(pair)))
    };
    match route.requirement.access(grants) {
        Access::None(unmet) => unmet.into(),
        Access::Only(bindings) if bound_elsewhere(&bindings) => Denial::PathClaimMismatch,
        _ if !request_path::is_canonical(&arn.path) => Denial::PathNotCanonical,
        _ => Denial::RouteShadowed,
    }
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
            claims: Vec::new(),
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
        Rules::routes(
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
        let rules = Rules::routes(
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
        assert!(permissions.denied().is_empty());
    }

    #[test]
    fn whole_api_rules_are_all_or_nothing() {
        let rules = Rules::WholeApi(Requirement::any_scope(["api/read"]));
        let (allowed, verdict) =
            rules.decide(&grants(&["api/read"]), &MethodArn::parse(ARN).unwrap());
        assert_eq!(verdict, Ok(()));
        assert_eq!(
            allowed.allowed(),
            ["arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*/*"]
        );
        let (denied, verdict) = rules.decide(&grants(&[]), &MethodArn::parse(ARN).unwrap());
        assert_eq!(verdict, Err(Denial::ScopeMissing));
        assert!(denied.allowed().is_empty());
    }
}

//! The policy plan of a route table, worked out once at start: the resource patterns of each
//! route, which of them reach which other routes' requests, and the conflicts no policy can
//! express. A token's policy is then a function of the set of routes it may call ([`Plan::build`]).
//!
//! For a token, the policy allows the patterns of every route it may call (leaving out a pattern
//! another allowed pattern already covers), and denies the patterns of a route it may not call
//! only where an allowed pattern reaches that route's requests: a Deny nobody needs is left out,
//! so it cannot shadow an allowed route (`GET /users/me` beside `GET /users/{id}`). A Deny that
//! is needed and covers a request of an allowed route is a conflict: the table says "allow" for
//! that request and the policy cannot; [`Plan::conflicts`] lists each one at start.

mod conflicts;
mod index;
mod reachers;
mod spellings;
mod units;

use std::collections::BTreeSet;

pub use conflicts::Conflict;
use reachers::Reachers;
use units::Unit;

use crate::glob;
use crate::reach::{Pattern, Reading, Router, Target};
use crate::requirement::Access;
use crate::routes::{Route, RouteTable};

/// What a token may call, as resource patterns (`METHOD/path` after `{apiId}/{stage}/`), and
/// the policy documents already written from them (see [`Rendered`]).
#[derive(Debug, Default)]
pub(crate) struct Patterns {
    pub(crate) allow: Vec<String>,
    pub(crate) deny: Vec<String>,
    pub(crate) rendered: Rendered,
}

impl PartialEq for Patterns {
    fn eq(&self, other: &Self) -> bool {
        self.allow == other.allow && self.deny == other.deny
    }
}

impl Eq for Patterns {}

/// Policy documents written from one set of patterns, by API stage (the ARN prefix): a token's
/// answer is the same JSON on every request until the cache entry goes.
#[derive(Debug, Default)]
pub(crate) struct Rendered(
    std::sync::Mutex<Vec<(String, std::sync::Arc<serde_json::value::RawValue>)>>,
);

/// API stages kept per set of patterns: an authorizer usually serves one.
const RENDERED_STAGES: usize = 4;

impl Rendered {
    /// The document for `stage`, written by `render` the first time.
    pub(crate) fn get_or(
        &self,
        stage: &str,
        render: impl FnOnce() -> Option<Box<serde_json::value::RawValue>>,
    ) -> Option<std::sync::Arc<serde_json::value::RawValue>> {
        let found = self.0.lock().ok().and_then(|kept| {
            kept.iter()
                .find(|(s, _)| s == stage)
                .map(|(_, json)| json.clone())
        });
        if found.is_some() {
            return found;
        }
        let json: std::sync::Arc<serde_json::value::RawValue> = render()?.into();
        if let Ok(mut kept) = self.0.lock() {
            if kept.len() >= RENDERED_STAGES {
                kept.remove(0);
            }
            kept.push((stage.to_owned(), json.clone()));
        }
        Some(json)
    }
}

/// Every method and path of the API and stage.
pub(crate) const WHOLE_API: &str = "*/*";

impl Patterns {
    pub(crate) fn deny_all() -> Self {
        Self {
            allow: Vec::new(),
            deny: vec![WHOLE_API.to_owned()],
            rendered: Rendered::default(),
        }
    }
}

/// The plan of one route table (see the module's documentation).
#[derive(Debug)]
pub(crate) struct Plan {
    routes: Vec<Route>,
    allow: Vec<Unit>,
    deny: Vec<Unit>,
    /// For each Deny unit: the Allow units of other routes whose pattern reaches its requests.
    reached_by: Vec<Vec<u32>>,
    /// The same for tokens bound to their own paths of those routes: the units' patterns with
    /// the parameters such a token is always bound to as one segment each (the policy writes a
    /// value there, never a `*`).
    reached_by_bound: Vec<Vec<u32>>,
    /// For each Allow unit: the Allow units of other routes whose pattern includes its own.
    covered_by: Vec<Vec<u32>>,
    /// For each Deny unit some Allow reaches: the other routes whose requests its pattern covers.
    covers: Vec<Vec<(u32, Reading)>>,
    conflicts: Vec<Conflict>,
}

impl Plan {
    pub(crate) fn new(table: &RouteTable) -> Self {
        let routes = table.routes();
        let router = Router::new(table);
        let allow = units::allow_units(routes);
        let deny = units::deny_units(routes);
        let reached_by = reaching_units(&router, &allow, &deny, |u: &Unit| {
            Some(vec![u.pattern.clone()])
        });
        let bound: Vec<Vec<&str>> = routes.iter().map(units::always_bound).collect();
        let is_bound = |u: &Unit| !bound[u.route].is_empty();
        // Units of routes no token is bound to reach as they do unbound: searched once.
        let mut reached_by_bound = reached_by.clone();
        for list in &mut reached_by_bound {
            list.retain(|u| !is_bound(&allow[*u as usize]));
        }
        let bound_reach = reaching_units(&router, &allow, &deny, |u: &Unit| {
            is_bound(u).then(|| units::bound_patterns(&routes[u.route], u, &bound[u.route]))
        });
        for (list, more) in reached_by_bound.iter_mut().zip(bound_reach) {
            list.extend(more);
        }
        let covered_by = covered_by(&allow);
        let reachers = Reachers {
            all: &reached_by,
            bound: &reached_by_bound,
        };
        let covers = conflicts::covers(&router, &deny, &reachers);
        let conflicts = conflicts::conflicts(routes, &allow, &deny, &reachers, &covers);
        Self {
            routes: routes.to_vec(),
            allow,
            deny,
            reached_by,
            reached_by_bound,
            covered_by,
            covers,
            conflicts,
        }
    }

    pub(crate) fn conflicts(&self) -> &[Conflict] {
        &self.conflicts
    }

    /// The patterns for a token with `access` to each route. A route it may call only for some
    /// paths (bound to its claims) is allowed by patterns naming those values, denied for the rest
    /// where another allowed pattern reaches it, and its own patterns count as reaching what their
    /// unbound form reaches (a safe over-estimate: they match less).
    pub(crate) fn build(&self, access: &[Access]) -> Patterns {
        let all = |r: usize| matches!(access[r], Access::All);
        let only = |r: usize| matches!(access[r], Access::Only(_));
        let reaching = |i: usize| {
            let route = |u: &u32| self.allow[*u as usize].route;
            self.reached_by[i].iter().any(|u| all(route(u)))
                || self.reached_by_bound[i].iter().any(|u| only(route(u)))
        };
        let covering = |u: &u32| all(self.allow[*u as usize].route);
        let mut allow: Vec<String> = (0..self.allow.len())
            .filter(|&i| all(self.allow[i].route) && !self.covered_by[i].iter().any(covering))
            .map(|i| self.allow[i].pattern.clone())
            .collect();
        for (r, a) in access.iter().enumerate() {
            if let Access::Only(bindings) = a {
                let covered = self
                    .route_units(r)
                    .all(|i| self.covered_by[i].iter().any(covering));
                if !covered {
                    allow.extend(self.bound_patterns(r, bindings));
                }
            }
        }
        let deny = (0..self.deny.len()).filter(|&i| !all(self.deny[i].route) && reaching(i));
        self.finish(allow, deny.collect(), access)
    }

    /// The patterns of route `r` alone, for an answer cached per token and route: the route's
    /// own patterns, and the Denies they need that cover none of its requests (those would be
    /// conflicts; a cache keyed by the route never applies the answer to the route they guard).
    pub(crate) fn build_route(&self, r: usize, access: &[Access]) -> Patterns {
        let allow: Vec<String> = match &access[r] {
            Access::None(_) => return Patterns::deny_all(),
            Access::All => self
                .route_units(r)
                .map(|i| self.allow[i].pattern.clone())
                .collect(),
            Access::Only(bindings) => self.bound_patterns(r, bindings),
        };
        let from_r = |u: &u32| self.allow[*u as usize].route == r;
        let deny = (0..self.deny.len()).filter(|&i| {
            let d = self.deny[i].route;
            d != r
                && !matches!(access[d], Access::All)
                && self.reached_by[i].iter().any(from_r)
                && !self.covers[i].iter().any(|(route, _)| *route as usize == r)
        });
        self.finish(allow, deny.collect(), access)
    }

    /// The Allow units of route `r`.
    fn route_units(&self, r: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.allow.len()).filter(move |&i| self.allow[i].route == r)
    }

    /// Route `r`'s patterns with its bound parameters written as each binding's values, for the
    /// methods its patterns have; a trailing-slash form too where the path then ends in a
    /// literal.
    fn bound_patterns(&self, r: usize, bindings: &[crate::requirement::Binding]) -> Vec<String> {
        let mut methods: Vec<&str> = self
            .route_units(r)
            .map(|i| self.allow[i].pattern.split('/').next().unwrap_or("*"))
            .collect();
        methods.dedup();
        let mut patterns = Vec::new();
        for binding in bindings {
            let (path, literal_end) = self.routes[r].pattern.bound_resource_pattern(binding);
            for m in &methods {
                patterns.push(format!("{m}/{path}"));
                if literal_end {
                    patterns.push(format!("{m}/{path}/"));
                }
            }
        }
        patterns.sort();
        patterns.dedup();
        patterns
    }

    /// The policy's patterns from the units chosen, with the hardening against other spellings of
    /// a path when an allowed pattern holds a `*` and some route is denied.
    fn finish(&self, allow: Vec<String>, deny: Vec<usize>, access: &[Access]) -> Patterns {
        if allow.is_empty() {
            return Patterns::deny_all();
        }
        let mut patterns: Vec<String> =
            deny.iter().map(|&i| self.deny[i].pattern.clone()).collect();
        let any_denied = access.iter().any(|a| !matches!(a, Access::All));
        if any_denied && allow.iter().any(|p| p.contains('*')) {
            let chars: BTreeSet<u8> = deny
                .iter()
                .flat_map(|&i| self.routes[self.deny[i].route].pattern.literal_chars())
                .filter_map(|c| u8::try_from(c).ok())
                .collect();
            patterns.extend(spellings::patterns(&chars));
        }
        dedup_covered(&mut patterns);
        Patterns {
            allow,
            deny: patterns,
            rendered: Rendered::default(),
        }
    }
}

/// For each Deny unit, the Allow units of other routes one of whose patterns, as `written`
/// (`None`: the unit is not searched), reaches its requests (the index finds the candidates by
/// the unit's own pattern, which matches as much).
fn reaching_units(
    router: &Router<'_>,
    allow: &[Unit],
    deny: &[Unit],
    written: impl Fn(&Unit) -> Option<Vec<String>>,
) -> Vec<Vec<u32>> {
    let index = index::Index::new(deny, router.routes());
    let mut reached_by = vec![Vec::new(); deny.len()];
    for (u, unit) in allow.iter().enumerate() {
        let Some(texts) = written(unit) else {
            continue;
        };
        let patterns: Vec<Pattern<'_>> = texts.iter().map(|t| Pattern::new(t)).collect();
        for t in index.candidates(&unit.pattern) {
            let target = &deny[t as usize];
            if target.route != unit.route
                && patterns
                    .iter()
                    .any(|p| reaches(router, p, target, target.readings))
            {
                reached_by[t as usize].push(u as u32);
            }
        }
    }
    reached_by
}

/// Whether `pattern` matches a request that goes to `target`'s route by one of `readings`, with
/// `target`'s method.
fn reaches(
    router: &Router<'_>,
    pattern: &Pattern<'_>,
    target: &Unit,
    readings: &[Reading],
) -> bool {
    readings.iter().any(|&reading| {
        router.reaches(
            pattern,
            Target {
                route: target.route,
                method: target.method,
                reading,
            },
        )
    })
}

/// For each Allow unit, the Allow units of other routes whose pattern includes its own (of two
/// equal patterns, the first covers the second). Patterns are compared as text (see
/// [`glob::includes`]): exact, whatever they stand for. A pattern can only include those that
/// begin with its text up to its first wildcard, found by binary search in sorted order.
fn covered_by(units: &[Unit]) -> Vec<Vec<u32>> {
    let mut sorted: Vec<u32> = (0..units.len() as u32).collect();
    sorted.sort_by(|a, b| units[*a as usize].pattern.cmp(&units[*b as usize].pattern));
    let mut covered_by = vec![Vec::new(); units.len()];
    for (j, outer) in units.iter().enumerate() {
        let Some(wild) = outer.pattern.find(['*', '?']) else {
            continue;
        };
        let literal = &outer.pattern[..wild];
        let start = sorted.partition_point(|&i| units[i as usize].pattern.as_str() < literal);
        for &i in sorted[start..]
            .iter()
            .take_while(|&&i| units[i as usize].pattern.starts_with(literal))
        {
            let inner = &units[i as usize];
            if i as usize != j
                && inner.route != outer.route
                && glob::includes(outer.pattern.as_bytes(), inner.pattern.as_bytes())
                && (outer.pattern != inner.pattern || j < i as usize)
            {
                covered_by[i as usize].push(j as u32);
            }
        }
    }
    covered_by
}

/// Removes patterns another one in the list includes (keeping the first of equal ones).
fn dedup_covered(patterns: &mut Vec<String>) {
    let covered: Vec<bool> = patterns
        .iter()
        .enumerate()
        .map(|(i, p)| {
            patterns.iter().enumerate().any(|(j, q)| {
                j != i && glob::includes(q.as_bytes(), p.as_bytes()) && (q != p || j < i)
            })
        })
        .collect();
    let mut keep = covered.iter().map(|c| !c);
    patterns.retain(|_| keep.next().unwrap_or(true));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(json: &str) -> Plan {
        Plan::new(&RouteTable::parse(json).unwrap())
    }

    fn allowed(plan: &Plan, keys: &[&str]) -> Vec<Access> {
        plan.routes
            .iter()
            .map(|r| match keys.contains(&conflicts::key(r).as_str()) {
                true => Access::All,
                false => Access::None(crate::requirement::Unmet::Scope),
            })
            .collect()
    }

    fn route_denies(patterns: &Patterns) -> Vec<&str> {
        patterns
            .deny
            .iter()
            .map(String::as_str)
            .filter(|d| !d.starts_with('*'))
            .collect()
    }

    #[test]
    fn an_unneeded_deny_is_left_out() {
        let p = plan(r#"{"GET /v1/x/{id}": "api/write", "GET /v1/x/{id}/history": "api/read"}"#);
        let patterns = p.build(&allowed(&p, &["GET /v1/x/{id}/history"]));
        assert_eq!(
            patterns.allow,
            ["GET/v1/x/?*/history", "GET/v1/x/?*/history/"]
        );
        assert!(route_denies(&patterns).is_empty(), "{patterns:?}");
        assert!(p.conflicts().is_empty(), "{:#?}", p.conflicts());
    }

    #[test]
    fn me_beside_an_id_is_not_shadowed() {
        let p = plan(
            r#"{"GET /v1/users/me": {}, "GET /v1/users/{userId}": {"anyGroups": ["admins"]}}"#,
        );
        let patterns = p.build(&allowed(&p, &["GET /v1/users/me"]));
        assert_eq!(patterns.allow, ["GET/v1/users/me", "GET/v1/users/me/"]);
        assert!(patterns.deny.is_empty());
        let admin = p.build(&allowed(
            &p,
            &["GET /v1/users/me", "GET /v1/users/{userId}"],
        ));
        assert_eq!(
            admin.allow,
            ["GET/v1/users/?*"],
            "the item's pattern covers me"
        );
    }

    #[test]
    fn a_needed_deny_is_written_and_a_true_conflict_reported() {
        let p = plan(
            r#"{"GET /v1/{proxy+}": "r", "GET /v1/admin/{id}": "a", "GET /v1/admin/{id}/public": "r"}"#,
        );
        let patterns = p.build(&allowed(
            &p,
            &["GET /v1/{proxy+}", "GET /v1/admin/{id}/public"],
        ));
        assert!(
            route_denies(&patterns).contains(&"GET/v1/admin/?*"),
            "{patterns:?}"
        );
        assert!(
            p.conflicts()
                .iter()
                .any(|c| c.shadowed == "GET /v1/admin/{id}/public" && !c.trailing_slash),
            "{:#?}",
            p.conflicts()
        );
    }

    #[test]
    fn any_beside_a_method_is_exact() {
        let p = plan(r#"{"ANY /x": "a", "GET /x": "b"}"#);
        let get_only = p.build(&allowed(&p, &["GET /x"]));
        assert_eq!(get_only.allow, ["GET/x", "GET/x/"]);
        assert!(get_only.deny.is_empty(), "{get_only:?}");
        let any_only = p.build(&allowed(&p, &["ANY /x"]));
        assert!(
            !any_only.allow.iter().any(|a| a.starts_with("GET")),
            "{any_only:?}"
        );
        assert!(p.conflicts().is_empty());
    }

    #[test]
    fn of_two_equal_patterns_one_is_kept() {
        let p = plan(r#"{"POST /{p0}": "r", "POST /{proxy+}": "r"}"#);
        let both = p.build(&[Access::All, Access::All]);
        assert_eq!(both.allow, ["POST/?*"]);
    }

    #[test]
    fn a_bound_route_names_the_tokens_tenant() {
        let p = plan(
            r#"{"GET /tenants/{tenantId}/orders": {"pathClaims": {"tenantId": "custom:tenant_id"}},
                "GET /tenants/{tenantId}": {"anyScopes": ["t/admin"]}}"#,
        );
        let acme = vec![("tenantId".to_owned(), "acme".to_owned())];
        let orders = p
            .routes
            .iter()
            .position(|r| r.pattern.path.ends_with("orders"))
            .unwrap();
        let mut access = vec![Access::None(crate::requirement::Unmet::Scope); 2];
        access[orders] = Access::Only(vec![acme]);
        let patterns = p.build(&access);
        assert_eq!(
            patterns.allow,
            ["GET/tenants/acme/orders", "GET/tenants/acme/orders/"]
        );
        assert!(
            patterns.deny.is_empty(),
            "literal Allows need no Deny: {patterns:?}"
        );
    }

    #[test]
    fn a_tenants_collection_and_its_items_bound_alike_need_no_deny() {
        // Unbound, `GET/tenants/?*/orders` would match `/tenants/x/orders/orders` (an item); a
        // token's `GET/tenants/acme/orders` matches no item of any tenant.
        let tenant = r#"{"pathClaims": {"tenantId": "custom:tenant_id"}}"#;
        let p = plan(&format!(
            r#"{{"GET /tenants/{{tenantId}}/orders": {tenant},
                "GET /tenants/{{tenantId}}/orders/{{orderId}}": {tenant}}}"#
        ));
        assert!(p.conflicts().is_empty(), "{:#?}", p.conflicts());
        let acme = vec![("tenantId".to_owned(), "acme".to_owned())];
        let patterns = p.build(&[Access::Only(vec![acme.clone()]), Access::Only(vec![acme])]);
        assert_eq!(
            patterns.allow,
            [
                "GET/tenants/acme/orders",
                "GET/tenants/acme/orders/",
                "GET/tenants/acme/orders/?*"
            ]
        );
        // No route's Deny (the spellings' hardening stays: the item's pattern holds a `*`).
        assert!(
            !patterns.deny.iter().any(|d| d.starts_with("GET/")),
            "{patterns:?}"
        );
        // A route below an item, bound alike but for fewer tokens, must be denied to a token
        // without it wherever the item's `?*` reaches it. The analysis reads a bound parameter
        // as any one segment, the token's value or another tenant's, so for a token with it the
        // Deny of other tenants' paths is said to cover its own: a conflict at start (per-route
        // answers have none), not a wrong answer.
        let admin = r#"{"anyScopes": ["t/admin"], "pathClaims": {"tenantId": "custom:tenant_id"}}"#;
        let p = plan(&format!(
            r#"{{"GET /tenants/{{tenantId}}/orders/{{orderId}}": {tenant},
                "GET /tenants/{{tenantId}}/orders/{{orderId}}/lines": {admin}}}"#
        ));
        let lines = p
            .routes
            .iter()
            .position(|r| r.pattern.path.ends_with("lines"))
            .unwrap();
        let mut access =
            vec![Access::Only(vec![vec![("tenantId".to_owned(), "acme".to_owned())]]); 2];
        access[lines] = Access::None(crate::requirement::Unmet::Scope);
        let patterns = p.build(&access);
        assert!(
            patterns
                .deny
                .iter()
                .any(|d| d == "GET/tenants/?*/orders/?*/lines"),
            "{patterns:?}"
        );
        assert!(!p.conflicts().is_empty());
    }

    #[test]
    fn a_tenant_named_like_a_literal_route_still_meets_its_deny() {
        // A token of tenant `all` is allowed `GET/tenants/all/orders`, the path of the literal
        // route, which it may not call: the Deny stays, and the start says so.
        let p = plan(
            r#"{"GET /tenants/{tenantId}/orders": {"pathClaims": {"tenantId": "custom:tenant_id"}},
                "GET /tenants/all/orders": {"anyScopes": ["t/admin"]}}"#,
        );
        let all_orders = p
            .routes
            .iter()
            .position(|r| r.pattern.path.contains("/all/"))
            .unwrap();
        let tenant = 1 - all_orders;
        let mut access = vec![Access::None(crate::requirement::Unmet::Scope); 2];
        access[tenant] = Access::Only(vec![vec![("tenantId".to_owned(), "all".to_owned())]]);
        let patterns = p.build(&access);
        assert!(
            patterns.deny.iter().any(|d| d == "GET/tenants/all/orders"),
            "{patterns:?}"
        );
    }

    #[test]
    fn another_allowed_pattern_reaching_other_tenants_is_a_conflict() {
        let p = plan(
            r#"{"GET /tenants/{tenantId}/orders": {"pathClaims": {"tenantId": "custom:tenant_id"}},
                "GET /tenants/{proxy+}": "t/read"}"#,
        );
        assert!(
            p.conflicts()
                .iter()
                .any(|c| c.shadowed == "GET /tenants/{tenantId}/orders" && c.shadowed == c.denied),
            "{:#?}",
            p.conflicts()
        );
    }

    #[test]
    fn nothing_allowed_denies_the_whole_api() {
        let p = plan(r#"{"GET /a": "x"}"#);
        assert_eq!(
            p.build(&[Access::None(crate::requirement::Unmet::Scope)]),
            Patterns::deny_all()
        );
    }

    #[test]
    fn one_route_alone() {
        let p = plan(r#"{"GET /v1/{proxy+}": "r", "GET /v1/admin": "a"}"#);
        let index = |k: &str| {
            p.routes
                .iter()
                .position(|r| conflicts::key(r) == k)
                .unwrap()
        };
        let reader = allowed(&p, &["GET /v1/{proxy+}"]);
        let proxy = p.build_route(index("GET /v1/{proxy+}"), &reader);
        assert_eq!(proxy.allow, ["GET/v1/?*"]);
        assert!(route_denies(&proxy).contains(&"GET/v1/admin"), "{proxy:?}");
        assert_eq!(
            p.build_route(index("GET /v1/admin"), &reader),
            Patterns::deny_all()
        );
    }
}

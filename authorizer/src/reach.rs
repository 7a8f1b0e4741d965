//! Which routes a policy pattern reaches: whether an execute-api resource pattern (an IAM glob
//! over `METHOD/path`, see [`crate::glob`]) matches some request that API Gateway routes to a
//! given route of the table.
//!
//! A request is a method, canonical path segments (none empty, no dot segment, no escape) and
//! perhaps a trailing slash, which a REST API routes as if it were not there; a gateway that
//! kept it as an empty last segment would give it to a greedy parameter instead, so both readings
//! count. Other spellings of a path are the policy's hardening's concern, not this module's.
//!
//! The search is exact and small. Only three things about a segment matter to routing and to a
//! pattern: whether it equals a literal of the table, which one, and whether it is empty. A value
//! no literal holds ([`FRESH`]) is the one a parameter should take unless the pattern needs a
//! literal there: it matches as few routes as any value can, so it is the best chance for the
//! request to reach the route in question rather than a more specific one. So a pattern reaches a
//! route exactly when one of the requests built that way does, and their number is small: each
//! free segment is [`FRESH`] or one of the pattern's own literals, pruned as the pattern is
//! matched token by token.

use crate::glob;
use crate::routes::{Route, RouteTable, Segment};

/// A segment value no route literal can hold (literals hold no `{`).
const FRESH: &str = "{}";

/// In a pattern searched here (never in a policy), one whole non-empty segment: a path parameter
/// bound to a claim, which a policy writes as the token's value, a literal segment (see
/// `crate::segment`). It stands for every such value at once.
pub(crate) const SEGMENT: &str = "{1}";

/// The methods a request can have (`ANY` is a route's, never a request's), as API Gateway's REST
/// APIs define them.
pub(crate) const REQUEST_METHODS: [&str; 7] =
    ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// How a request reaches a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Reading {
    /// Written as routed: `GET/items/42`.
    Canonical,
    /// With a trailing slash, routed as without it: `GET/items/` to `/items`.
    Stripped,
    /// With a trailing slash kept as an empty last segment, which only a greedy parameter takes,
    /// alone: `GET/files/` to `/files/{path+}`.
    EmptyGreedy,
    /// The same, after other segments: `GET/files/a/` to `/files/{path+}` as `a/`.
    UnstrippedGreedy,
}

/// What is asked of a request: that it goes to `route` by `reading`, with `method` (every
/// request method when `None`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target {
    pub(crate) route: usize,
    pub(crate) method: Option<&'static str>,
    pub(crate) reading: Reading,
}

/// One token of a pattern split on `/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    Lit(&'a str),
    Star,
    /// [`SEGMENT`]: exactly one non-empty request token.
    Seg,
}

/// A pattern's tokens: the method part, then one per path segment; `*` (and `?*`) tokens absorb
/// one or more whole tokens of a canonical request (literals hold no `/`, `*` or `?`).
#[derive(Debug)]
pub(crate) struct Pattern<'a> {
    /// The glob the final check matches: the text with each [`SEGMENT`] as `?*`.
    glob: String,
    tokens: Vec<Tok<'a>>,
}

impl<'a> Pattern<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let tokens = text
            .split('/')
            .map(|t| match t {
                // `?*` (one character or more) is searched as `*`: the search may try a request
                // the pattern does not match, which the final check throws out.
                "*" | "?*" => Tok::Star,
                SEGMENT => Tok::Seg,
                t => Tok::Lit(t),
            })
            .collect();
        let glob = text.replace(SEGMENT, "?*");
        Self { glob, tokens }
    }

    /// The states reached from `states` (bit `j`: the first `j` tokens matched) by one more
    /// request token.
    fn step(&self, states: u64, token: &str) -> u64 {
        let mut next = 0;
        for (j, tok) in self.tokens.iter().enumerate() {
            if states & (1 << j) == 0 {
                continue;
            }
            let one = match tok {
                Tok::Star => true,
                Tok::Seg => !token.is_empty(),
                Tok::Lit(l) => *l == token,
            };
            if one {
                next |= 1 << (j + 1);
            }
            if j > 0 && self.tokens[j - 1] == Tok::Star {
                next |= 1 << j;
            }
        }
        let k = self.tokens.len();
        if states & (1 << k) != 0 && k > 0 && self.tokens[k - 1] == Tok::Star {
            next |= 1 << k;
        }
        next
    }

    fn accepts(&self, states: u64) -> bool {
        states & (1 << self.tokens.len()) != 0
    }

    /// The literals the pattern may want next.
    fn wanted(&self, states: u64) -> impl Iterator<Item = &'a str> + '_ {
        self.tokens
            .iter()
            .enumerate()
            .filter_map(move |(j, t)| match t {
                Tok::Lit(l) if states & (1 << j) != 0 => Some(*l),
                _ => None,
            })
    }
}

/// The table as API Gateway routes requests: each route with the routes more specific than it
/// that could take some of its requests.
#[derive(Debug)]
pub(crate) struct Router<'t> {
    routes: &'t [Route],
    shadowers: Vec<Vec<usize>>,
    longest: usize,
}

impl<'t> Router<'t> {
    pub(crate) fn new(table: &'t RouteTable) -> Self {
        let routes = table.routes();
        let specificity: Vec<_> = routes.iter().map(|r| r.pattern.specificity()).collect();
        let shadowers = (0..routes.len())
            .map(|d| {
                (0..routes.len())
                    .filter(|&e| specificity[e] > specificity[d] && overlap(routes, d, e))
                    .collect()
            })
            .collect();
        let longest = routes
            .iter()
            .map(|r| r.pattern.segments().len())
            .max()
            .unwrap_or(0);
        Self {
            routes,
            shadowers,
            longest,
        }
    }

    pub(crate) fn routes(&self) -> &'t [Route] {
        self.routes
    }

    /// Whether API Gateway sends `method` and `segments` to route `d`.
    fn routes_to(&self, d: usize, method: &str, segments: &[&str]) -> bool {
        let matches = |r: usize| self.routes[r].pattern.matches_segments(method, segments);
        matches(d) && !self.shadowers[d].iter().any(|&e| matches(e))
    }

    /// Whether the resource pattern `pattern` (`METHOD/path` with `*`) matches some request
    /// that goes to `target`.
    pub(crate) fn reaches(&self, pattern: &Pattern<'_>, target: Target) -> bool {
        if pattern.tokens.len() >= 63 {
            return true; // Too long to search: assume it does (the safe answer).
        }
        let methods: &[&'static str] = match &target.method {
            Some(m) => std::slice::from_ref(m),
            None => &REQUEST_METHODS,
        };
        methods.iter().any(|method| {
            let start = pattern.step(1, method);
            start != 0
                && self.shapes(target, pattern.tokens.len()).any(|slots| {
                    let mut search = Search {
                        router: self,
                        pattern,
                        target,
                        method,
                        slots: &slots,
                        values: Vec::with_capacity(slots.len()),
                    };
                    search.fill(start)
                })
        })
    }

    /// The segment slots of the requests that can go to `target`: a literal, or a free value
    /// (a parameter's, or part of a greedy parameter's). A greedy parameter takes from one to
    /// more segments than any route or the pattern has; longer paths route the same way.
    fn shapes(
        &self,
        target: Target,
        pattern_len: usize,
    ) -> impl Iterator<Item = Vec<Slot<'t>>> + use<'t> {
        let segments = self.routes[target.route].pattern.segments();
        let greedy = matches!(segments.last(), Some(Segment::Greedy(_)));
        let fixed: Vec<Slot<'t>> = segments
            .iter()
            .filter(|s| !matches!(s, Segment::Greedy(_)))
            .map(|s| match s {
                Segment::Literal(l) => Slot::Literal(l.as_str()),
                _ => Slot::Free,
            })
            .collect();
        let most = self.longest.max(pattern_len) + 1;
        let extra: Vec<usize> = match (greedy, target.reading) {
            (false, Reading::Canonical | Reading::Stripped) => vec![0],
            (false, _) => Vec::new(),
            (true, Reading::EmptyGreedy) => vec![0],
            (true, _) => (1..=most).collect(),
        };
        let root = segments.is_empty();
        extra
            .into_iter()
            .filter(move |_| !(root && target.reading != Reading::Canonical))
            .map(move |n| {
                let mut slots = fixed.clone();
                slots.extend(std::iter::repeat_n(Slot::Free, n));
                slots
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot<'t> {
    Literal(&'t str),
    Free,
}

/// One depth-first search for a request: the segment values chosen so far.
struct Search<'s, 'p> {
    router: &'s Router<'s>,
    pattern: &'s Pattern<'p>,
    target: Target,
    method: &'s str,
    slots: &'s [Slot<'s>],
    values: Vec<&'s str>,
}

impl<'s> Search<'s, '_> {
    fn fill(&mut self, states: u64) -> bool {
        let Some(slot) = self.slots.get(self.values.len()) else {
            return self.complete(states);
        };
        let candidates: Vec<&'s str> = match slot {
            Slot::Literal(l) => vec![*l],
            Slot::Free => std::iter::once(FRESH)
                .chain(self.pattern.wanted(states).filter(|l| !l.is_empty()))
                .collect(),
        };
        for value in candidates {
            let next = self.pattern.step(states, value);
            if next == 0 {
                continue;
            }
            self.values.push(value);
            let found = self.fill(next);
            self.values.pop();
            if found {
                return true;
            }
        }
        false
    }

    fn complete(&self, states: u64) -> bool {
        // The root's path is one empty token (`GET/`), as is a trailing slash (`GET/a/`).
        let trailing = self.target.reading != Reading::Canonical;
        let states = if trailing || self.values.is_empty() {
            self.pattern.step(states, "")
        } else {
            states
        };
        if !self.pattern.accepts(states)
            || !glob::matches(self.pattern.glob.as_bytes(), self.write().as_bytes())
        {
            return false;
        }
        let d = self.target.route;
        match self.target.reading {
            Reading::Canonical | Reading::Stripped => {
                self.router.routes_to(d, self.method, &self.values)
            }
            Reading::EmptyGreedy | Reading::UnstrippedGreedy => {
                let mut segments = self.values.clone();
                segments.push("");
                self.router.routes_to(d, self.method, &segments)
            }
        }
    }

    /// The request as a resource: `GET/a/b`, `GET/a/b/` with a trailing slash, `GET/` for `/`.
    fn write(&self) -> String {
        let mut s = format!("{}/{}", self.method, self.values.join("/"));
        if self.target.reading != Reading::Canonical && !self.values.is_empty() {
            s.push('/');
        }
        s
    }
}

/// Whether some request could match both routes `a` and `b` (methods and paths).
fn overlap(routes: &[Route], a: usize, b: usize) -> bool {
    let (a, b) = (&routes[a].pattern, &routes[b].pattern);
    let methods = a.method == b.method || a.method == "ANY" || b.method == "ANY";
    methods && paths_overlap(a.segments(), b.segments())
}

fn paths_overlap(a: &[Segment], b: &[Segment]) -> bool {
    match (a.first(), b.first()) {
        (None, None) => true,
        (Some(Segment::Greedy(_)), Some(_)) | (Some(_), Some(Segment::Greedy(_))) => true,
        (None, _) | (_, None) => false,
        (Some(Segment::Literal(x)), Some(Segment::Literal(y))) if x != y => false,
        _ => paths_overlap(&a[1..], &b[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(json: &str) -> RouteTable {
        RouteTable::parse(json).unwrap()
    }

    fn index(t: &RouteTable, key: &str) -> usize {
        let (m, p) = key.split_once(' ').unwrap();
        t.routes()
            .iter()
            .position(|r| r.pattern.method == m && r.pattern.path == p)
            .unwrap()
    }

    fn reaches(t: &RouteTable, pattern: &str, key: &str, reading: Reading) -> bool {
        let router = Router::new(t);
        let route = index(t, key);
        let method = match t.routes()[route].pattern.method.as_str() {
            "ANY" => None,
            m => REQUEST_METHODS.iter().copied().find(|r| *r == m),
        };
        router.reaches(
            &Pattern::new(pattern),
            Target {
                route,
                method,
                reading,
            },
        )
    }

    #[test]
    fn a_deeper_pattern_does_not_reach_its_parent_item() {
        let t = table(r#"{"GET /v1/x/{id}": "w", "GET /v1/x/{id}/history": "r"}"#);
        assert!(!reaches(
            &t,
            "GET/v1/x/*/history",
            "GET /v1/x/{id}",
            Reading::Canonical
        ));
        assert!(reaches(
            &t,
            "GET/v1/x/*",
            "GET /v1/x/{id}/history",
            Reading::Canonical
        ));
    }

    #[test]
    fn a_literal_is_routed_before_a_parameter() {
        let t = table(r#"{"GET /v1/users/me": {}, "GET /v1/users/{userId}": "admin"}"#);
        for reading in [Reading::Canonical, Reading::Stripped] {
            assert!(!reaches(
                &t,
                "GET/v1/users/me",
                "GET /v1/users/{userId}",
                reading
            ));
            assert!(!reaches(
                &t,
                "GET/v1/users/me/",
                "GET /v1/users/{userId}",
                reading
            ));
        }
        assert!(reaches(
            &t,
            "GET/v1/users/*",
            "GET /v1/users/me",
            Reading::Canonical
        ));
    }

    #[test]
    fn an_exact_method_is_routed_before_any() {
        let t = table(r#"{"ANY /x": "a", "GET /x": "b"}"#);
        assert!(!reaches(&t, "GET/x", "ANY /x", Reading::Canonical));
        assert!(reaches(&t, "POST/x", "ANY /x", Reading::Canonical));
        assert!(reaches(&t, "*/x", "GET /x", Reading::Canonical));
    }

    #[test]
    fn a_greedy_parameter_reaches_deeper_routes_and_is_shadowed_by_them() {
        let t = table(
            r#"{"GET /v1/{proxy+}": "r", "GET /v1/admin/{id}": "a", "GET /v1/admin/{id}/public": "r"}"#,
        );
        assert!(reaches(
            &t,
            "GET/v1/*",
            "GET /v1/admin/{id}",
            Reading::Canonical
        ));
        assert!(reaches(
            &t,
            "GET/v1/admin/*",
            "GET /v1/admin/{id}/public",
            Reading::Canonical
        ));
        assert!(
            reaches(&t, "GET/v1/admin/*", "GET /v1/{proxy+}", Reading::Canonical),
            "GET/v1/admin/a/b goes to the greedy route"
        );
        assert!(
            reaches(
                &t,
                "GET/v1/admin/*/public",
                "GET /v1/{proxy+}",
                Reading::Canonical
            ),
            "IAM's * spans segments: GET/v1/admin/a/b/public goes to the greedy route"
        );
        assert!(!reaches(
            &t,
            "GET/v1/admin/*/public",
            "GET /v1/admin/{id}",
            Reading::Canonical
        ));
    }

    #[test]
    fn trailing_slashes_are_read_both_ways() {
        let t = table(
            r#"{"GET /items": "a", "GET /items/{id}": "r", "GET /files/{p+}": "a", "GET /files": "r"}"#,
        );
        assert!(reaches(&t, "GET/items/*", "GET /items", Reading::Stripped));
        assert!(!reaches(
            &t,
            "GET/items/*",
            "GET /items",
            Reading::Canonical
        ));
        assert!(reaches(
            &t,
            "GET/files/",
            "GET /files/{p+}",
            Reading::EmptyGreedy
        ));
        assert!(!reaches(
            &t,
            "GET/files",
            "GET /files/{p+}",
            Reading::EmptyGreedy
        ));
        assert!(!reaches(
            &t,
            "GET/files/",
            "GET /files/{p+}",
            Reading::Canonical
        ));
    }

    #[test]
    fn the_root_is_an_empty_path() {
        let t = table(r#"{"POST /": "w", "POST /{p0}": "r"}"#);
        assert!(reaches(&t, "POST/*", "POST /", Reading::Canonical));
        assert!(!reaches(&t, "POST/", "POST /{p0}", Reading::Canonical));
    }

    #[test]
    fn the_method_wildcard_crosses_into_the_path() {
        let t = table(r#"{"ANY /items": "a", "GET /v1/{id}/items": "b"}"#);
        assert!(reaches(
            &t,
            "*/items",
            "GET /v1/{id}/items",
            Reading::Canonical
        ));
        assert!(!reaches(
            &t,
            "POST/items",
            "GET /v1/{id}/items",
            Reading::Canonical
        ));
    }
}

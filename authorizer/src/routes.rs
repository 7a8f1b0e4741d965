//! `ROUTE_SCOPES`: which requirement each `METHOD /path` has, and API Gateway's route matching.

use serde_json::Value;

use crate::request_path;
use crate::requirement::{Requirement, RuleError};
use crate::segment::{is_dot_segment, is_literal_char};

/// Methods a route may name. `ANY` matches every method.
pub(crate) const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Literal(String),
    /// `{name}`: exactly one non-empty path segment.
    Param(String),
    /// `{name+}`: one or more trailing segments.
    Greedy(String),
}

/// Why a `METHOD /path` cannot be a route. Names no setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// The key is not a method, one space and a path.
    #[error("expected \"METHOD /path\"")]
    NotMethodAndPath,
    /// The method (given, in capitals) is not `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`,
    /// `OPTIONS` or `ANY`.
    #[error("unknown method `{0}`")]
    UnknownMethod(String),
    /// The path does not start with `/`.
    #[error("the path must start with `/`")]
    NoLeadingSlash,
    /// A greedy parameter (given) is unnamed (`{+}`) or not the last segment.
    #[error("`{0}`: a greedy parameter must be named and last")]
    MisplacedGreedy(String),
    /// A parameter has no name (`{}`).
    #[error("empty parameter name")]
    EmptyParameter,
    /// A literal segment (given) is empty (`//`, a trailing `/`), a dot segment, or holds a
    /// character outside RFC 3986's unescaped `pchar` less `%` (`*`, `?`, `%`, a space...).
    #[error("bad path segment `{0}` (letters, digits and -._~:@!$&'()+,;= only)")]
    BadSegment(String),
}

/// `METHOD /path` of an API Gateway resource, with `{param}` and a trailing `{proxy+}`: parsing,
/// matching a request, and API Gateway's precedence between overlapping routes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutePattern {
    /// `GET`, `POST`, ... or `ANY`.
    pub method: String,
    /// The path as written, e.g. `/items/{id}`.
    pub path: String,
    segments: Vec<Segment>,
}

impl RoutePattern {
    /// Parses a method (any case: `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`, `OPTIONS`, or
    /// `ANY` for every method) and a path starting with `/`. Literal
    /// segments hold only the characters a URI path segment may hold unescaped, less `%`, `*`
    /// and `?` (an IAM wildcard in a policy resource would widen it).
    pub fn parse(method: &str, path: &str) -> Result<Self, PatternError> {
        let method = method.to_ascii_uppercase();
        if !METHODS.contains(&method.as_str()) {
            return Err(PatternError::UnknownMethod(method));
        }
        Ok(Self {
            method,
            path: path.to_owned(),
            segments: parse_path(path)?,
        })
    }

    /// Parses `"METHOD /path"`.
    pub fn parse_key(key: &str) -> Result<Self, PatternError> {
        let (method, path) = key.split_once(' ').ok_or(PatternError::NotMethodAndPath)?;
        Self::parse(method, path)
    }

    /// The path as an execute-api resource pattern, no leading slash (the root is the empty
    /// string): a parameter, which is never empty, becomes `?*` (one character or more; IAM's
    /// `*` alone would also match nothing), and so does a greedy one (`items/?*`). Either may
    /// span `/`: IAM has no wildcard for one segment.
    pub fn resource_pattern(&self) -> String {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Literal(l) => l.as_str(),
                Segment::Param(_) | Segment::Greedy(_) => "?*",
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    /// [`RoutePattern::resource_pattern`] with the parameters of `binding` written as their values
    /// (`tenants/acme/orders` for `/tenants/{tenantId}/orders`), and whether it then ends in a
    /// literal.
    pub(crate) fn bound_resource_pattern(&self, binding: &[(String, String)]) -> (String, bool) {
        let value = |name: &String| {
            binding
                .iter()
                .find(|(param, _)| param == name)
                .map(|(_, v)| v.as_str())
        };
        let parts: Vec<&str> = self
            .segments
            .iter()
            .map(|s| match s {
                Segment::Literal(l) => l.as_str(),
                Segment::Param(name) => value(name).unwrap_or("?*"),
                Segment::Greedy(_) => "?*",
            })
            .collect();
        let literal_end = parts.last().is_some_and(|p| *p != "?*");
        (parts.join("/"), literal_end)
    }

    /// Whether the path has a `{name}` parameter (one segment; a greedy one does not count).
    pub(crate) fn has_param(&self, name: &str) -> bool {
        self.segments
            .iter()
            .any(|s| matches!(s, Segment::Param(p) if p == name))
    }

    /// Every character of the literal segments.
    pub fn literal_chars(&self) -> impl Iterator<Item = char> + '_ {
        self.segments.iter().flat_map(|s| match s {
            Segment::Literal(l) => l.chars(),
            Segment::Param(_) | Segment::Greedy(_) => "".chars(),
        })
    }

    /// The method as an execute-api resource part: `ANY` becomes `*`.
    pub fn method_pattern(&self) -> &str {
        if self.method == "ANY" {
            "*"
        } else {
            &self.method
        }
    }

    /// Whether a request for `method` and `path` (`/a/b`, read canonically) matches.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.path_parameters(method, path).is_some()
    }

    /// The values of the path's parameters for a matching request (`{"id": "42"}`, a greedy
    /// parameter gets the rest of the path joined by `/`); `None` when the request does not
    /// match. The path is read canonically ([`request_path::canonical`]).
    pub fn path_parameters(&self, method: &str, path: &str) -> Option<Vec<(String, String)>> {
        self.match_segments(method, &request_path::canonical(path))
    }

    /// The segments, parsed.
    pub(crate) fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Whether a request for `method` and `segments` matches, without collecting the parameters'
    /// values ([`RoutePattern::match_segments`] says which values).
    pub(crate) fn matches_segments<S: AsRef<str>>(&self, method: &str, segments: &[S]) -> bool {
        if self.method != "ANY" && self.method != method {
            return false;
        }
        let last = self.segments.len().wrapping_sub(1);
        for (i, segment) in self.segments.iter().enumerate() {
            let Some(s) = segments.get(i).map(AsRef::as_ref) else {
                return false;
            };
            match segment {
                Segment::Greedy(_) if i == last => return true,
                Segment::Literal(l) if l == s => {}
                Segment::Param(_) if !s.is_empty() => {}
                _ => return false,
            }
        }
        segments.len() == self.segments.len()
    }

    /// [`RoutePattern::path_parameters`] for a path already split into segments. A `{param}`
    /// never matches an empty segment; a greedy parameter matches one or more segments.
    pub fn match_segments<S: AsRef<str>>(
        &self,
        method: &str,
        segments: &[S],
    ) -> Option<Vec<(String, String)>> {
        if self.method != "ANY" && self.method != method {
            return None;
        }
        let mut rest = segments;
        let mut values = Vec::new();
        for (i, segment) in self.segments.iter().enumerate() {
            let first = rest.first().map(AsRef::as_ref);
            match (segment, first) {
                (Segment::Greedy(name), Some(_)) if i == self.segments.len() - 1 => {
                    let joined: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
                    values.push((name.clone(), joined.join("/")));
                    return Some(values);
                }
                (Segment::Literal(l), Some(s)) if l == s => {}
                (Segment::Param(name), Some(s)) if !s.is_empty() => {
                    values.push((name.clone(), s.to_owned()));
                }
                _ => return None,
            }
            rest = &rest[1..];
        }
        rest.is_empty().then_some(values)
    }

    /// Ordering key: API Gateway prefers literal segments to `{param}` to `{proxy+}`, and an
    /// exact method to `ANY`. Larger is more specific.
    pub(crate) fn specificity(&self) -> (Vec<u8>, bool) {
        let segments = self
            .segments
            .iter()
            .map(|s| match s {
                Segment::Literal(_) => 2,
                Segment::Param(_) => 1,
                Segment::Greedy(_) => 0,
            })
            .collect();
        (segments, self.method != "ANY")
    }

    /// Whether both name the same method and the same path shape (`/a/{x}` and `/a/{y}` do).
    pub fn same_route(&self, other: &Self) -> bool {
        self.method == other.method && self.same_path(other)
    }

    /// Whether both have the same path shape, whatever their methods.
    pub fn same_path(&self, other: &Self) -> bool {
        self.shape() == other.shape()
    }

    /// The shape as one string: literals as written, `{}` for a parameter, `{+}` for a greedy
    /// one (a literal holds no `{`).
    pub(crate) fn shape_key(&self) -> String {
        self.shape()
            .iter()
            .map(|s| match s {
                Shape::Literal(l) => l,
                Shape::Param => "{}",
                Shape::Greedy => "{+}",
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    fn shape(&self) -> Vec<Shape<'_>> {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Literal(l) => Shape::Literal(l.as_str()),
                Segment::Param(_) => Shape::Param,
                Segment::Greedy(_) => Shape::Greedy,
            })
            .collect()
    }
}

/// A segment of a path's shape: parameters' names do not count.
#[derive(Debug, PartialEq, Eq)]
enum Shape<'a> {
    Literal(&'a str),
    Param,
    Greedy,
}

/// The most specific of `items` whose pattern matches `method` and `path` (read canonically),
/// as API Gateway chooses between overlapping routes.
pub fn most_specific<'a, T>(
    items: impl IntoIterator<Item = &'a T>,
    pattern: impl Fn(&T) -> &RoutePattern,
    method: &str,
    path: &str,
) -> Option<&'a T> {
    most_specific_segments(items, pattern, method, &request_path::canonical(path))
}

/// [`most_specific`] for a path already split into segments (under any reading).
pub fn most_specific_segments<'a, T, S: AsRef<str>>(
    items: impl IntoIterator<Item = &'a T>,
    pattern: impl Fn(&T) -> &RoutePattern,
    method: &str,
    segments: &[S],
) -> Option<&'a T> {
    items
        .into_iter()
        .filter(|item| pattern(item).match_segments(method, segments).is_some())
        .max_by(|a, b| pattern(a).specificity().cmp(&pattern(b).specificity()))
}

/// One `METHOD /path` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// `METHOD /path` the rule is for.
    pub pattern: RoutePattern,
    /// What a token needs to call the route.
    pub requirement: Requirement,
}

/// The parsed `ROUTE_SCOPES` table: a requirement per `METHOD /path`, and API Gateway's choice of
/// route for a request ([`RouteTable::find`]). Turn it into [`Rules`](crate::Rules) to decide
/// requests and write policies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteTable {
    routes: Vec<Route>,
    /// Routes by their first literal segment; `open`: those whose first segment is a parameter,
    /// and the root. A request is only matched against its first segment's and the open ones.
    by_first: std::collections::HashMap<String, Vec<usize>>,
    open: Vec<usize>,
}

/// Why a route table cannot be used. Names no setting: the configuration adds that.
#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    /// Not JSON, or an object repeats a key (serde_json alone would keep the last one).
    #[error("not valid JSON: {0}")]
    Json(serde_json::Error),
    /// The JSON is not an object.
    #[error("expected a JSON object of \"METHOD /path\": rule")]
    NotAnObject,
    /// The object is empty.
    #[error("lists no route")]
    NoRoute,
    /// A key is not a usable `METHOD /path`.
    #[error("`{key}`: {error}")]
    Pattern {
        /// The key as written.
        key: String,
        /// What is wrong with it.
        error: PatternError,
    },
    /// A key's rule cannot be used.
    #[error("`{key}`: {error}")]
    Rule {
        /// The key as written.
        key: String,
        /// What is wrong with its rule.
        error: RuleError,
    },
    /// A second key for a route already listed (same method and path shape: `GET /a/{x}` and
    /// `get /a/{y}`).
    #[error("`{key}` repeats a route")]
    Repeated {
        /// The second key, as written.
        key: String,
    },
    /// A rule's `pathClaims` names a parameter the path does not have as a `{param}`.
    #[error("`{key}`: pathClaims names `{param}`, which is not a {{param}} of the path")]
    PathClaim {
        /// The key as written.
        key: String,
        /// The parameter `pathClaims` names.
        param: String,
    },
}

impl RouteTable {
    /// Parses `{"METHOD /path": requirement, ...}` (see [`Requirement`] for the forms a
    /// requirement takes). A key repeated in any object is an error, as is a second key for the
    /// same route (`GET /a/{x}` and `get /a/{y}`).
    pub fn parse(json: &str) -> Result<Self, RouteError> {
        let Value::Object(raw) = crate::strict_json::parse(json).map_err(RouteError::Json)? else {
            return Err(RouteError::NotAnObject);
        };
        if raw.is_empty() {
            return Err(RouteError::NoRoute);
        }
        let mut routes: Vec<Route> = Vec::with_capacity(raw.len());
        let mut seen = std::collections::HashSet::with_capacity(raw.len());
        for (key, value) in &raw {
            let pattern = RoutePattern::parse_key(key).map_err(|error| RouteError::Pattern {
                key: key.clone(),
                error,
            })?;
            let requirement = Requirement::from_json(value).map_err(|error| RouteError::Rule {
                key: key.clone(),
                error,
            })?;
            if !seen.insert((pattern.method.clone(), pattern.shape_key())) {
                return Err(RouteError::Repeated { key: key.clone() });
            }
            let bound = requirement
                .alternatives()
                .iter()
                .flat_map(|r| &r.path_claims);
            if let Some((param, _)) = bound.into_iter().find(|(p, _)| !pattern.has_param(p)) {
                return Err(RouteError::PathClaim {
                    key: key.clone(),
                    param: param.clone(),
                });
            }
            routes.push(Route {
                pattern,
                requirement,
            });
        }
        Ok(Self::from_routes(routes))
    }

    /// A table of the given routes (tests and tools). Repeated routes are not checked.
    pub fn from_routes(routes: Vec<Route>) -> Self {
        let mut by_first: std::collections::HashMap<String, Vec<usize>> = Default::default();
        let mut open = Vec::new();
        for (i, route) in routes.iter().enumerate() {
            match route.pattern.segments.first() {
                Some(Segment::Literal(l)) => by_first.entry(l.clone()).or_default().push(i),
                _ => open.push(i),
            }
        }
        Self {
            routes,
            by_first,
            open,
        }
    }

    /// The routes, in the order they were written.
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// The most specific route matching `method` and the request `path` (`/a/b`, read
    /// canonically).
    pub fn find(&self, method: &str, path: &str) -> Option<&Route> {
        self.find_segments(method, &request_path::canonical(path))
    }

    /// [`RouteTable::find`] for a path already split into segments.
    pub fn find_segments<S: AsRef<str>>(&self, method: &str, segments: &[S]) -> Option<&Route> {
        let first = segments
            .first()
            .and_then(|s| self.by_first.get(s.as_ref()))
            .into_iter()
            .flatten();
        let candidates = first.chain(&self.open).map(|&i| &self.routes[i]);
        most_specific_segments(candidates, |r| &r.pattern, method, segments)
    }
}

fn parse_path(path: &str) -> Result<Vec<Segment>, PatternError> {
    let rest = path.strip_prefix('/').ok_or(PatternError::NoLeadingSlash)?;
    if rest.is_empty() {
        return Ok(Vec::new());
    }
    let parts: Vec<&str> = rest.split('/').collect();
    let mut segments = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let segment = if let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            match name.strip_suffix('+') {
                Some(greedy) if !greedy.is_empty() && i == parts.len() - 1 => {
                    Segment::Greedy(greedy.to_owned())
                }
                Some(_) => return Err(PatternError::MisplacedGreedy((*part).to_owned())),
                None if !name.is_empty() => Segment::Param(name.to_owned()),
                None => return Err(PatternError::EmptyParameter),
            }
        } else if part.is_empty() || !part.chars().all(is_literal_char) || is_dot_segment(part) {
            return Err(PatternError::BadSegment((*part).to_owned()));
        } else {
            Segment::Literal((*part).to_owned())
        };
        segments.push(segment);
    }
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requirement::Rule;

    #[test]
    fn the_simplest_form_is_an_any_of_scope_string() {
        let t = RouteTable::parse(r#"{"GET /echo": "layerless-esbuild/echo"}"#).unwrap();
        let r = t.find("GET", "/echo").unwrap();
        assert_eq!(
            r.requirement,
            Requirement::any_scope(["layerless-esbuild/echo"])
        );
        assert!(t.find("POST", "/echo").is_none());
        assert!(t.find("GET", "/echo/more").is_none());
    }

    #[test]
    fn object_and_array_forms() {
        let t = RouteTable::parse(
            r#"{"POST /items": {"allScopes": ["api/read", "api/write"], "anyGroups": ["admins"]},
                "GET /items": ["api/read", {"anyGroups": ["readers"]}], "DELETE /items/{id}": {}}"#,
        )
        .unwrap();
        let post = &t.find("POST", "/items").unwrap().requirement.alternatives()[0];
        assert_eq!(post.all_scopes, ["api/read", "api/write"]);
        assert_eq!(post.any_groups, ["admins"]);
        assert_eq!(
            t.find("GET", "/items").unwrap().requirement.alternatives(),
            [Rule::any_scope(["api/read"]), Rule::any_group(["readers"])]
        );
        assert!(
            t.find("DELETE", "/items/42")
                .unwrap()
                .requirement
                .is_any_valid_token()
        );
    }

    #[test]
    fn most_specific_route_wins() {
        let t = RouteTable::parse(
            r#"{"ANY /{proxy+}": "a", "GET /items/{id}": "b", "GET /items/special": "c", "ANY /items/special": "d", "GET /": "e"}"#,
        )
        .unwrap();
        let path = |m: &str, p: &str| t.find(m, p).map(|r| r.pattern.path.clone());
        assert_eq!(
            path("GET", "/items/special").as_deref(),
            Some("/items/special")
        );
        assert_eq!(
            t.find("GET", "/items/special").unwrap().pattern.method,
            "GET"
        );
        assert_eq!(
            t.find("POST", "/items/special").unwrap().pattern.method,
            "ANY"
        );
        assert_eq!(path("GET", "/items/42").as_deref(), Some("/items/{id}"));
        assert_eq!(path("GET", "/items/42/parts").as_deref(), Some("/{proxy+}"));
        assert_eq!(path("GET", "/").as_deref(), Some("/"));
        assert_eq!(
            path("POST", "/").as_deref(),
            None,
            "a greedy parameter needs one segment"
        );
    }

    #[test]
    fn requests_are_matched_on_the_canonical_path() {
        let t = RouteTable::parse(r#"{"GET /items": "a", "GET /items/{id}": "b"}"#).unwrap();
        let path = |p: &str| t.find("GET", p).map(|r| r.pattern.path.as_str());
        for p in [
            "/items",
            "/items/",
            "//items",
            "/it%65ms",
            "/x/../items",
            "/./items//",
        ] {
            assert_eq!(path(p), Some("/items"), "{p}");
        }
        assert_eq!(path("/items/a%2Fb"), None, "decoded, a/b is two segments");
        assert_eq!(path("/items/42/"), Some("/items/{id}"));
        let raw = |p: &str| {
            t.find_segments("GET", &crate::request_path::Reading::RAW.segments(p))
                .map(|r| r.pattern.path.as_str())
        };
        assert_eq!(
            raw("/items/"),
            None,
            "a {{param}} never matches an empty segment"
        );
        assert_eq!(raw("/items/42"), Some("/items/{id}"));
    }

    #[test]
    fn resource_patterns_wildcard_parameters() {
        let t = RouteTable::parse(
            r#"{"GET /items/{id}/parts": "a", "ANY /files/{path+}": "b", "GET /": "c", "GET /items/{id}": "d"}"#,
        )
        .unwrap();
        let by_path = |p: &str| {
            &t.routes()
                .iter()
                .find(|r| r.pattern.path == p)
                .unwrap()
                .pattern
        };
        assert_eq!(
            by_path("/items/{id}/parts").resource_pattern(),
            "items/?*/parts"
        );
        assert_eq!(by_path("/files/{path+}").resource_pattern(), "files/?*");
        assert_eq!(by_path("/items/{id}").resource_pattern(), "items/?*");
        assert_eq!(by_path("/files/{path+}").method_pattern(), "*");
        assert_eq!(by_path("/").resource_pattern(), "");
        assert_eq!(
            by_path("/items/{id}/parts")
                .literal_chars()
                .collect::<String>(),
            "itemsparts"
        );
    }

    #[test]
    fn path_parameters_of_a_matching_request() {
        let items = RoutePattern::parse("get", "/items/{id}/files/{path+}").unwrap();
        assert_eq!(items.method, "GET");
        assert_eq!(
            items.path_parameters("GET", "/items/42/files/a/b.txt"),
            Some(vec![
                ("id".to_owned(), "42".to_owned()),
                ("path".to_owned(), "a/b.txt".to_owned())
            ])
        );
        assert_eq!(items.path_parameters("POST", "/items/42/files/a"), None);
        assert_eq!(items.path_parameters("GET", "/items/42/files"), None);
        assert_eq!(
            RoutePattern::parse("ANY", "/")
                .unwrap()
                .path_parameters("DELETE", "/"),
            Some(Vec::new())
        );
        assert_eq!(
            RoutePattern::parse("FETCH", "/"),
            Err(PatternError::UnknownMethod("FETCH".into()))
        );
        assert!(
            RoutePattern::parse("GET", "/a/{x}")
                .unwrap()
                .same_route(&RoutePattern::parse("get", "/a/{y}").unwrap())
        );
    }

    #[test]
    fn bad_tables_are_refused() {
        for (json, fragment) in [
            ("[]", "expected a JSON object"),
            ("{}", "lists no route"),
            (r#"{"GET": "a"}"#, "expected \"METHOD /path\""),
            (r#"{"GET echo": "a"}"#, "must start with `/`"),
            (r#"{"FETCH /echo": "a"}"#, "unknown method `FETCH`"),
            (r#"{"GET /echo": ""}"#, "empty scope"),
            (r#"{"GET /echo": "  "}"#, "empty scope"),
            (r#"{"GET /echo": 5}"#, "expected a scope string"),
            (r#"{"GET /echo": []}"#, "empty list of alternatives"),
            (r#"{"GET /echo": [[]]}"#, "scope name or a rule object"),
            (r#"{"GET /echo": [{}]}"#, "an empty rule"),
            (
                r#"{"GET /echo": {"anyScopes": [""]}}"#,
                "invalid scope name",
            ),
            (
                r#"{"GET /echo": {"anyScopes": []}}"#,
                "`anyScopes` is empty",
            ),
            (
                r#"{"GET /echo": {"allGroups": ["a b"]}}"#,
                "invalid group name",
            ),
            (r#"{"GET /a/{p+}/b": "a"}"#, "greedy parameter"),
            (r#"{"GET /a/{}": "a"}"#, "empty parameter name"),
            (r#"{"GET /a//b": "a"}"#, "bad path segment ``"),
            (r#"{"GET /a/*": "a"}"#, "bad path segment `*`"),
            (r#"{"GET /a/b?": "a"}"#, "bad path segment `b?`"),
            (r#"{"GET /a%2Fb": "a"}"#, "bad path segment `a%2Fb`"),
            (r#"{"GET /caf\u00e9": "a"}"#, "bad path segment"),
            (r#"{"GET /a/..": "a"}"#, "bad path segment `..`"),
            (
                r#"{"GET /a/{x}": "a", "get /a/{y}": "b"}"#,
                "repeats a route",
            ),
            (r#"{"GET /a": "a", "GET /a": "b"}"#, "appears twice"),
            (
                r#"{"GET /a/+": "a", "GET /a/{p+}": "b", "GET /a/{q+}": "c"}"#,
                "`GET /a/{q+}` repeats",
            ),
            (
                r#"{"GET /a": {"anyScopes": ["a"], "anyScopes": []}}"#,
                "appears twice",
            ),
        ] {
            let err = RouteTable::parse(json).expect_err(json).to_string();
            assert!(err.contains(fragment), "{json}: {err}");
            assert!(!err.contains("ROUTE_SCOPES"), "{err}");
        }
    }
}

//! Route rules (`ROUTE_SCOPES`): which scopes and groups each `METHOD /path` needs, and route matching.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::ConfigError;
use crate::grants::Requirement;

const SETTING: &str = "ROUTE_SCOPES";

/// Methods a route may name. `ANY` matches every method.
pub const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY",
];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    /// `{name}`: exactly one path segment.
    Param(String),
    /// `{name+}`: one or more trailing segments.
    Greedy(String),
}

/// `METHOD /path` of an API Gateway resource, with `{param}` and a trailing `{proxy+}`: parsing,
/// matching a concrete request, and API Gateway's precedence between overlapping routes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutePattern {
    /// `GET`, `POST`, ... or `ANY`.
    pub method: String,
    /// The path as written, e.g. `/items/{id}`.
    pub path: String,
    segments: Vec<Segment>,
}

impl RoutePattern {
    /// Parses a method (any case, one of [`METHODS`]) and a path starting with `/`. The error
    /// says what is wrong, without naming the setting.
    pub fn parse(method: &str, path: &str) -> Result<Self, String> {
        let method = method.to_ascii_uppercase();
        if !METHODS.contains(&method.as_str()) {
            return Err(format!("unknown method `{method}`"));
        }
        Ok(Self {
            method,
            path: path.to_owned(),
            segments: parse_path(path)?,
        })
    }

    /// The path as an execute-api resource pattern: parameters and greedy parts become `*`,
    /// no leading slash (`items/*`; the root is the empty string).
    pub fn resource_pattern(&self) -> String {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Literal(l) => l.as_str(),
                Segment::Param(_) | Segment::Greedy(_) => "*",
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The method as an execute-api resource part: `ANY` becomes `*`.
    pub fn method_pattern(&self) -> &str {
        if self.method == "ANY" {
            "*"
        } else {
            &self.method
        }
    }

    /// Whether a request for `method` and the concrete `path` (`/a/b`) matches.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.path_parameters(method, path).is_some()
    }

    /// The values of the path's parameters for a matching request (`{"id": "42"}`, a greedy
    /// parameter gets the rest of the path joined by `/`); `None` when the request does not match.
    pub fn path_parameters(&self, method: &str, path: &str) -> Option<Vec<(String, String)>> {
        if self.method != "ANY" && self.method != method {
            return None;
        }
        let parts = split_path(path);
        let mut rest = parts.as_slice();
        let mut values = Vec::new();
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Greedy(name) => {
                    return (i == self.segments.len() - 1 && !rest.is_empty()).then(|| {
                        values.push((name.clone(), rest.join("/")));
                        values
                    });
                }
                _ if rest.is_empty() => return None,
                Segment::Literal(l) if l != rest[0] => return None,
                Segment::Literal(_) => {}
                Segment::Param(name) => values.push((name.clone(), rest[0].to_owned())),
            }
            rest = &rest[1..];
        }
        rest.is_empty().then_some(values)
    }

    /// Ordering key: API Gateway prefers literal segments to `{param}` to `{proxy+}`, and an
    /// exact method to `ANY`. Larger is more specific.
    fn specificity(&self) -> (Vec<u8>, bool) {
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
        self.method == other.method && self.shape() == other.shape()
    }

    fn shape(&self) -> Vec<Option<&str>> {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Literal(l) => Some(l.as_str()),
                Segment::Param(_) => None,
                Segment::Greedy(_) => Some("+"),
            })
            .collect()
    }
}

/// The most specific of `items` whose pattern matches `method` and `path`, as API Gateway
/// chooses between overlapping routes.
pub fn most_specific<'a, T>(
    items: impl IntoIterator<Item = &'a T>,
    pattern: impl Fn(&T) -> &RoutePattern,
    method: &str,
    path: &str,
) -> Option<&'a T> {
    items
        .into_iter()
        .filter(|item| pattern(item).matches(method, path))
        .max_by(|a, b| pattern(a).specificity().cmp(&pattern(b).specificity()))
}

fn split_path(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// One `METHOD /path` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub pattern: RoutePattern,
    pub requirement: Requirement,
}

/// The parsed `ROUTE_SCOPES` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteTable {
    routes: Vec<Route>,
}

/// A route's requirement as written in JSON: a string or array (any-of scopes) or an object.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawRequirement {
    Scopes(String),
    ScopeList(Vec<String>),
    Full(Requirement),
}

impl RouteTable {
    /// Parses `{"METHOD /path": requirement, ...}`. See the README for the forms a requirement takes.
    pub fn parse(json: &str) -> Result<Self, ConfigError> {
        let raw: BTreeMap<String, serde_json::Value> = serde_json::from_str(json)
            .map_err(|e| ConfigError::new(SETTING, format!("not valid JSON object: {e}")))?;
        if raw.is_empty() {
            return Err(ConfigError::new(SETTING, "lists no route"));
        }
        let mut routes = Vec::with_capacity(raw.len());
        for (key, value) in raw {
            let (method, path) = key.split_once(' ').ok_or_else(|| {
                ConfigError::new(SETTING, format!("`{key}`: expected \"METHOD /path\""))
            })?;
            let pattern = RoutePattern::parse(method, path)
                .map_err(|why| ConfigError::new(SETTING, format!("`{key}`: {why}")))?;
            let raw: RawRequirement = serde_json::from_value(value).map_err(|_| {
                ConfigError::new(
                    SETTING,
                    format!("`{key}`: expected a scope string, an array of scopes, or an object with anyScopes/allScopes/anyGroups/allGroups"),
                )
            })?;
            let requirement = match raw {
                RawRequirement::Scopes(s) => {
                    parse_scope_string(&s, SETTING).map_err(|e| in_route(&key, e))?
                }
                RawRequirement::ScopeList(list) => Requirement::any_scope(list),
                RawRequirement::Full(r) => r,
            };
            for (kind, name) in requirement.names() {
                if name.is_empty() || name.chars().any(char::is_whitespace) {
                    return Err(ConfigError::new(
                        SETTING,
                        format!("`{key}`: empty {kind} or {kind} with spaces: `{name}`"),
                    ));
                }
            }
            let route = Route {
                pattern,
                requirement,
            };
            if routes
                .iter()
                .any(|r: &Route| r.pattern.same_route(&route.pattern))
            {
                return Err(ConfigError::new(
                    SETTING,
                    format!("`{key}` repeats a route"),
                ));
            }
            routes.push(route);
        }
        Ok(Self { routes })
    }

    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// The most specific route matching `method` and the concrete request `path` (`/a/b`).
    pub fn find(&self, method: &str, path: &str) -> Option<&Route> {
        most_specific(&self.routes, |r| &r.pattern, method, path)
    }
}

fn in_route(key: &str, e: ConfigError) -> ConfigError {
    ConfigError::new(SETTING, format!("`{key}`: {}", e.problem))
}

/// A space-separated any-of scope set; an empty string is an error.
pub fn parse_scope_string(scopes: &str, setting: &'static str) -> Result<Requirement, ConfigError> {
    let list: Vec<&str> = scopes.split_ascii_whitespace().collect();
    if list.is_empty() {
        return Err(ConfigError::new(setting, "empty scope"));
    }
    Ok(Requirement::any_scope(list))
}

fn parse_path(path: &str) -> Result<Vec<Segment>, String> {
    let rest = path
        .strip_prefix('/')
        .ok_or("the path must start with `/`")?;
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
                Some(_) => {
                    return Err(format!(
                        "`{part}`: a greedy parameter must be named and last"
                    ));
                }
                None if !name.is_empty() => Segment::Param(name.to_owned()),
                None => return Err("empty parameter name".into()),
            }
        } else if part.is_empty() || part.contains(['{', '}', '*', '?', ' ']) {
            return Err(format!("bad path segment `{part}`"));
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
                "GET /items": ["api/read", "api/admin"], "DELETE /items/{id}": {}}"#,
        )
        .unwrap();
        let post = &t.find("POST", "/items").unwrap().requirement;
        assert_eq!(post.all_scopes, ["api/read", "api/write"]);
        assert_eq!(post.any_groups, ["admins"]);
        assert_eq!(
            t.find("GET", "/items").unwrap().requirement,
            Requirement::any_scope(["api/read", "api/admin"])
        );
        assert!(
            t.find("DELETE", "/items/42")
                .unwrap()
                .requirement
                .is_empty()
        );
        assert!(
            RouteTable::parse(r#"{"GET /x": {"anyScope": ["typo"]}}"#).is_err(),
            "unknown keys are refused"
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
    fn resource_patterns_wildcard_parameters() {
        let t = RouteTable::parse(
            r#"{"GET /items/{id}/parts": "a", "ANY /files/{path+}": "b", "GET /": "c"}"#,
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
            "items/*/parts"
        );
        assert_eq!(by_path("/files/{path+}").resource_pattern(), "files/*");
        assert_eq!(by_path("/files/{path+}").method_pattern(), "*");
        assert_eq!(by_path("/").resource_pattern(), "");
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
        assert!(RoutePattern::parse("FETCH", "/").is_err());
        assert!(
            RoutePattern::parse("GET", "/a/{x}")
                .unwrap()
                .same_route(&RoutePattern::parse("get", "/a/{y}").unwrap())
        );
    }

    #[test]
    fn bad_tables_are_refused() {
        for json in [
            "[]",
            "{}",
            r#"{"GET": "a"}"#,
            r#"{"GET echo": "a"}"#,
            r#"{"FETCH /echo": "a"}"#,
            r#"{"GET /echo": ""}"#,
            r#"{"GET /echo": "  "}"#,
            r#"{"GET /echo": 5}"#,
            r#"{"GET /echo": {"anyScopes": [""]}}"#,
            r#"{"GET /echo": {"allGroups": ["a b"]}}"#,
            r#"{"GET /a/{p+}/b": "a"}"#,
            r#"{"GET /a/{}": "a"}"#,
            r#"{"GET /a//b": "a"}"#,
            r#"{"GET /a/*": "a"}"#,
            r#"{"GET /a/{x}": "a", "get /a/{y}": "b"}"#,
        ] {
            let err = RouteTable::parse(json).expect_err(json);
            assert_eq!(err.setting, "ROUTE_SCOPES", "{json}");
        }
    }
}

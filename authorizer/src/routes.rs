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
    Param,
    /// `{name+}`: one or more trailing segments.
    Greedy,
}

/// One `METHOD /path` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// `GET`, `POST`, ... or `ANY`.
    pub method: String,
    /// The path as written, e.g. `/items/{id}`.
    pub path: String,
    segments: Vec<Segment>,
    pub requirement: Requirement,
}

impl Route {
    /// The path as an execute-api resource pattern: parameters and greedy parts become `*`,
    /// no leading slash (`items/*`; the root is the empty string).
    pub fn resource_pattern(&self) -> String {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Literal(l) => l.as_str(),
                Segment::Param | Segment::Greedy => "*",
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

    fn matches(&self, method: &str, path: &[&str]) -> bool {
        if self.method != "ANY" && self.method != method {
            return false;
        }
        let mut rest = path;
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Greedy => return i == self.segments.len() - 1 && !rest.is_empty(),
                _ if rest.is_empty() => return false,
                Segment::Literal(l) if l != rest[0] => return false,
                _ => rest = &rest[1..],
            }
        }
        rest.is_empty()
    }

    /// Ordering key: API Gateway prefers literal segments to `{param}` to `{proxy+}`, and an
    /// exact method to `ANY`. Larger is more specific.
    fn specificity(&self) -> (Vec<u8>, bool) {
        let segments = self
            .segments
            .iter()
            .map(|s| match s {
                Segment::Literal(_) => 2,
                Segment::Param => 1,
                Segment::Greedy => 0,
            })
            .collect();
        (segments, self.method != "ANY")
    }
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
            let method = method.to_ascii_uppercase();
            if !METHODS.contains(&method.as_str()) {
                return Err(ConfigError::new(
                    SETTING,
                    format!("`{key}`: unknown method `{method}`"),
                ));
            }
            let segments = parse_path(path)
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
                method,
                path: path.to_owned(),
                segments,
                requirement,
            };
            if routes
                .iter()
                .any(|r: &Route| r.method == route.method && r.segments == route.segments)
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
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        self.routes
            .iter()
            .filter(|r| r.matches(method, &parts))
            .max_by(|a, b| a.specificity().cmp(&b.specificity()))
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
                Some(greedy) if !greedy.is_empty() && i == parts.len() - 1 => Segment::Greedy,
                Some(_) => {
                    return Err(format!(
                        "`{part}`: a greedy parameter must be named and last"
                    ));
                }
                None if !name.is_empty() => Segment::Param,
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
        let path = |m: &str, p: &str| t.find(m, p).map(|r| r.path.clone());
        assert_eq!(
            path("GET", "/items/special").as_deref(),
            Some("/items/special")
        );
        assert_eq!(t.find("GET", "/items/special").unwrap().method, "GET");
        assert_eq!(t.find("POST", "/items/special").unwrap().method, "ANY");
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
        let by_path = |p: &str| t.routes().iter().find(|r| r.path == p).unwrap();
        assert_eq!(
            by_path("/items/{id}/parts").resource_pattern(),
            "items/*/parts"
        );
        assert_eq!(by_path("/files/{path+}").resource_pattern(), "files/*");
        assert_eq!(by_path("/files/{path+}").method_pattern(), "*");
        assert_eq!(by_path("/").resource_pattern(), "");
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

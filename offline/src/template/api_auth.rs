//! An API's `Auth`, read alike for both kinds: `Auth.Authorizers` of every kind (each kind of API
//! reads its Lambda authorizers and API Gateway's own), `Auth.DefaultAuthorizer`, and which
//! authorizer guards a route with which scopes ([`Guards`]), as SAM decides it.

use std::collections::BTreeMap;

use serde_json::Value;

use super::api::{BuiltinAuthorizer, LambdaAuthorizer};
use super::error::{Located, Problem};
use super::fields::{entries, string_list};
use super::resources::function::Function;

/// How a kind of API reads one Lambda authorizer entry (its spec at `at`), whose function is one
/// of `functions`.
pub(crate) type ReadAuthorizer =
    fn(&Value, &BTreeMap<String, Function>, &str) -> Result<LambdaAuthorizer, Located>;

/// How a kind of API reads one of API Gateway's own authorizers (its spec at `at`); `None` when
/// the entry is a Lambda authorizer's.
pub(crate) type ReadBuiltin = fn(&Value, &str) -> Option<Result<BuiltinAuthorizer, Located>>;

/// An API's authorizers, by name, and its default one.
#[derive(Debug, Clone, Default)]
pub(crate) struct ApiAuthorizers {
    pub(crate) lambda: BTreeMap<String, LambdaAuthorizer>,
    pub(crate) builtin: BTreeMap<String, BuiltinAuthorizer>,
    /// `Auth.DefaultAuthorizer`, unless absent or `NONE`.
    pub(crate) default: Option<String>,
}

/// One entry of `Auth.Authorizers`.
enum Entry {
    Lambda(LambdaAuthorizer),
    Builtin(BuiltinAuthorizer),
}

/// `Auth.Authorizers` and `Auth.DefaultAuthorizer` of the API's properties at `at`: each entry
/// read by `builtin` when it is one of API Gateway's own, else by `lambda`.
pub(crate) fn api_authorizers(
    auth: &Value,
    functions: &BTreeMap<String, Function>,
    at: &str,
    lambda: ReadAuthorizer,
    builtin: ReadBuiltin,
) -> Result<ApiAuthorizers, Located> {
    let read = |_: &str, spec: &Value, at: &str| match builtin(spec, at) {
        Some(entry) => entry.map(Entry::Builtin),
        None => lambda(spec, functions, at).map(Entry::Lambda),
    };
    let mut authorizers = ApiAuthorizers::default();
    for (name, entry) in entries(auth, "Authorizers", &format!("{at}.Auth"), read)? {
        match entry {
            Entry::Lambda(spec) => {
                authorizers.lambda.insert(name, spec);
            }
            Entry::Builtin(spec) => {
                authorizers.builtin.insert(name, spec);
            }
        }
    }
    authorizers.default = match auth.get("DefaultAuthorizer").and_then(Value::as_str) {
        None | Some("NONE") => None,
        Some(name) if authorizers.has(name) => Some(name.to_owned()),
        Some(name) => {
            return Err(Problem::UnknownDefaultAuthorizer(name.to_owned())
                .at(format!("{at}.Auth.DefaultAuthorizer")));
        }
    };
    Ok(authorizers)
}

impl ApiAuthorizers {
    fn has(&self, name: &str) -> bool {
        self.lambda.contains_key(name) || self.builtin.contains_key(name)
    }

    /// What routes are guarded by.
    pub(crate) fn guards(&self) -> Guards<'_> {
        Guards { authorizers: self }
    }

    /// Adds the authorizers of an OpenAPI definition's security schemes (at `at`), each under
    /// a name no other authorizer has.
    pub(crate) fn add(
        &mut self,
        lambda: BTreeMap<String, LambdaAuthorizer>,
        builtin: BTreeMap<String, BuiltinAuthorizer>,
        at: &str,
    ) -> Result<(), Located> {
        let own = lambda
            .into_iter()
            .map(|(name, a)| (name, Entry::Lambda(a)))
            .chain(
                builtin
                    .into_iter()
                    .map(|(name, a)| (name, Entry::Builtin(a))),
            );
        for (name, entry) in own {
            if self.has(&name) {
                return Err(Problem::RepeatedAuthorizer(name.clone()).at(format!("{at}.{name}")));
            }
            match entry {
                Entry::Lambda(a) => {
                    self.lambda.insert(name, a);
                }
                Entry::Builtin(a) => {
                    self.builtin.insert(name, a);
                }
            }
        }
        Ok(())
    }
}

/// The authorizers a route may name, and the one it gets when it names none.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Guards<'a> {
    authorizers: &'a ApiAuthorizers,
}

/// What guards one route: its authorizer (none for `NONE`) and the scopes it requires.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Guard {
    pub(crate) authorizer: Option<String>,
    pub(crate) scopes: Vec<String>,
}

impl<'a> Guards<'a> {
    /// The authorizers themselves.
    pub(crate) fn authorizers(&self) -> &'a ApiAuthorizers {
        self.authorizers
    }

    /// The guard of an OpenAPI operation's `security` requirement naming `name` with `scopes`
    /// (at `at`): for API Gateway's own authorizers, the method's `AuthorizationScopes` exactly as
    /// written (SAM keeps a requirement that names an authorizer as it is, `[]` included:
    /// `SwaggerEditor.set_path_default_authorizer` in aws-sam-translator 1.115.0; only a method
    /// naming none gets the default's scopes); refused on a Lambda authorizer.
    pub(crate) fn named(
        &self,
        name: &str,
        scopes: Vec<String>,
        at: &str,
    ) -> Result<Guard, Located> {
        let authorizer = Some(name.to_owned());
        if self.authorizers.builtin.contains_key(name) {
            return Ok(Guard { authorizer, scopes });
        }
        if !self.authorizers.lambda.contains_key(name) {
            return Err(Problem::UnknownAuthorizer(name.to_owned()).at(at));
        }
        if !scopes.is_empty() {
            return Err(Problem::LambdaScopes.at(at));
        }
        Ok(Guard { authorizer, scopes })
    }

    /// `Auth.Authorizer` of an event's properties (at `at`): absent → the default, `NONE` →
    /// none, else a known one.
    pub(crate) fn choose(&self, event_props: &Value, at: &str) -> Result<Option<String>, Located> {
        match event_props
            .pointer("/Auth/Authorizer")
            .and_then(Value::as_str)
        {
            None => Ok(self.authorizers.default.clone()),
            Some("NONE") => Ok(None),
            Some(name) if self.authorizers.has(name) => Ok(Some(name.to_owned())),
            Some(name) => {
                Err(Problem::UnknownAuthorizer(name.to_owned()).at(format!("{at}.Auth.Authorizer")))
            }
        }
    }

    /// The authorizer and scopes of an event's properties (at `at`), as SAM writes them: the
    /// event's `Auth.AuthorizationScopes` when it names its authorizer and gives scopes (a REST
    /// event's empty list included), else the authorizer's `AuthorizationScopes`. Scopes without
    /// the event's `Auth.Authorizer` (SAM refuses them on a REST API, ignores them on an HTTP
    /// API), or for a Lambda authorizer (API Gateway applies them only to its own), are refused.
    pub(crate) fn guard(
        &self,
        event_props: &Value,
        at: &str,
        http_api: bool,
    ) -> Result<Guard, Located> {
        let authorizer = self.choose(event_props, at)?;
        let auth = event_props.get("Auth").unwrap_or(&Value::Null);
        let scopes_at = format!("{at}.Auth.AuthorizationScopes");
        let own = match auth.get("AuthorizationScopes") {
            None => None,
            Some(_) => Some(string_list(
                auth,
                "AuthorizationScopes",
                &format!("{at}.Auth"),
            )?),
        };
        if own.is_some() && auth.get("Authorizer").is_none() {
            return Err(Problem::ScopesWithoutAuthorizer.at(scopes_at));
        }
        let Some(name) = &authorizer else {
            return Ok(Guard::default());
        };
        let Some(builtin) = self.authorizers.builtin.get(name) else {
            if own.as_ref().is_some_and(|s| !s.is_empty()) {
                return Err(Problem::ScopesOnLambdaAuthorizer(name.clone()).at(scopes_at));
            }
            return Ok(Guard {
                authorizer,
                scopes: Vec::new(),
            });
        };
        let scopes = match own {
            Some(own) if !(http_api && own.is_empty()) => own,
            _ => builtin.default_scopes().to_vec(),
        };
        Ok(Guard { authorizer, scopes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::api::{AuthorizerKind, CognitoAuthorizer};
    use serde_json::json;

    /// `Lambda` (a Lambda authorizer), `Pool` (a Cognito authorizer requiring `pool/read` unless
    /// the route says), default `Pool`.
    fn authorizers() -> ApiAuthorizers {
        let lambda = LambdaAuthorizer {
            function: "F".into(),
            ttl_seconds: 0,
            kind: AuthorizerKind::Request {
                identity: Vec::new(),
            },
        };
        let pool = BuiltinAuthorizer::Cognito(CognitoAuthorizer {
            trust_at: "P".into(),
            user_pool_arns: vec!["arn".into()],
            header: "Authorization".into(),
            validation: None,
            scopes: vec!["pool/read".into()],
        });
        ApiAuthorizers {
            lambda: BTreeMap::from([("Lambda".to_owned(), lambda)]),
            builtin: BTreeMap::from([("Pool".to_owned(), pool)]),
            default: Some("Pool".to_owned()),
        }
    }

    fn guard(event: Value, http_api: bool) -> Result<Guard, Located> {
        authorizers().guards().guard(&event, "E", http_api)
    }

    fn guarded(authorizer: &str, scopes: &[&str]) -> Guard {
        Guard {
            authorizer: Some(authorizer.to_owned()),
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn a_routes_scopes_are_its_own_else_its_authorizers_as_sam_writes_them() {
        for http_api in [false, true] {
            assert_eq!(
                guard(json!({}), http_api).unwrap(),
                guarded("Pool", &["pool/read"])
            );
            let own =
                json!({"Auth": {"Authorizer": "Pool", "AuthorizationScopes": ["pool/write"]}});
            assert_eq!(
                guard(own, http_api).unwrap(),
                guarded("Pool", &["pool/write"])
            );
            let none = json!({"Auth": {"Authorizer": "NONE"}});
            assert_eq!(guard(none, http_api).unwrap(), Guard::default());
            let lambda = json!({"Auth": {"Authorizer": "Lambda"}});
            assert_eq!(guard(lambda, http_api).unwrap(), guarded("Lambda", &[]));
        }
        // An empty list: no scopes on a REST method (ID tokens), the authorizer's on an HTTP route.
        let empty = json!({"Auth": {"Authorizer": "Pool", "AuthorizationScopes": []}});
        assert_eq!(guard(empty.clone(), false).unwrap(), guarded("Pool", &[]));
        assert_eq!(guard(empty, true).unwrap(), guarded("Pool", &["pool/read"]));
    }

    #[test]
    fn scopes_sam_or_api_gateway_would_drop_are_refused() {
        let alone = json!({"Auth": {"AuthorizationScopes": ["pool/write"]}});
        let lambda = json!({"Auth": {"Authorizer": "Lambda", "AuthorizationScopes": ["x"]}});
        let unknown = json!({"Auth": {"Authorizer": "Other"}});
        let not_a_list = json!({"Auth": {"Authorizer": "Pool", "AuthorizationScopes": "x"}});
        for http_api in [false, true] {
            let err = guard(alone.clone(), http_api).unwrap_err();
            assert_eq!(
                err,
                Problem::ScopesWithoutAuthorizer.at("E.Auth.AuthorizationScopes")
            );
            let err = guard(lambda.clone(), http_api).unwrap_err();
            assert_eq!(
                err.problem,
                Problem::ScopesOnLambdaAuthorizer("Lambda".into())
            );
            assert_eq!(
                guard(unknown.clone(), http_api).unwrap_err().path,
                "E.Auth.Authorizer"
            );
            let err = guard(not_a_list.clone(), http_api).unwrap_err();
            assert_eq!(err.path, "E.Auth.AuthorizationScopes");
        }
    }

    #[test]
    fn the_default_may_be_either_kind_and_must_exist() {
        let functions = BTreeMap::new();
        let lambda: ReadAuthorizer = |_, _, at| Err(Problem::Missing.at(at));
        let builtin: ReadBuiltin = |spec, _| {
            spec.get("Pool").map(|_| {
                let cognito = CognitoAuthorizer {
                    trust_at: "P".into(),
                    user_pool_arns: Vec::new(),
                    header: String::new(),
                    validation: None,
                    scopes: Vec::new(),
                };
                Ok(BuiltinAuthorizer::Cognito(cognito))
            })
        };
        let auth = json!({"DefaultAuthorizer": "P", "Authorizers": {"P": {"Pool": 1}}});
        let read = api_authorizers(&auth, &functions, "A", lambda, builtin).unwrap();
        assert_eq!(read.default.as_deref(), Some("P"));
        assert!(read.builtin.contains_key("P") && read.lambda.is_empty());
        let auth = json!({"DefaultAuthorizer": "Q", "Authorizers": {"P": {"Pool": 1}}});
        let err = api_authorizers(&auth, &functions, "A", lambda, builtin).unwrap_err();
        assert_eq!(err.path, "A.Auth.DefaultAuthorizer");
        let auth = json!({"Authorizers": {"L": {"FunctionArn": "f"}}});
        let err = api_authorizers(&auth, &functions, "A", lambda, builtin).unwrap_err();
        assert_eq!(
            err.path, "A.Auth.Authorizers.L",
            "a Lambda entry goes to the Lambda reader"
        );
    }

    #[test]
    fn an_openapi_requirement_names_either_kind_with_scopes_only_for_api_gateways_own() {
        let authorizers = authorizers();
        let guards = authorizers.guards();
        let named = |name: &str, scopes: &[&str]| {
            let scopes = scopes.iter().map(|s| (*s).to_owned()).collect();
            guards.named(name, scopes, "S")
        };
        // `[]` is no scope (an ID token's method), not the authorizer's: SAM keeps it as written.
        assert_eq!(named("Pool", &[]).unwrap(), guarded("Pool", &[]));
        assert_eq!(
            named("Pool", &["pool/write"]).unwrap(),
            guarded("Pool", &["pool/write"])
        );
        assert_eq!(named("Lambda", &[]).unwrap(), guarded("Lambda", &[]));
        let refused = named("Lambda", &["pool/read"]).unwrap_err();
        assert!(
            matches!(refused.problem, Problem::LambdaScopes),
            "{refused:?}"
        );
        let unknown = named("Nope", &[]).unwrap_err();
        assert!(
            matches!(unknown.problem, Problem::UnknownAuthorizer(_)),
            "{unknown:?}"
        );
    }

    #[test]
    fn a_definitions_own_authorizer_may_not_take_a_name_sams_auth_has() {
        let mut authorizers = authorizers();
        let own = authorizers.lambda.clone();
        let repeated = authorizers.add(own, BTreeMap::new(), "D").unwrap_err();
        assert!(
            matches!(repeated.problem, Problem::RepeatedAuthorizer(_)),
            "{repeated:?}"
        );
        let renamed = authorizers.lambda.values().next().cloned().unwrap();
        authorizers
            .add(
                BTreeMap::from([("Own".to_owned(), renamed)]),
                BTreeMap::new(),
                "D",
            )
            .unwrap();
        assert!(authorizers.lambda.contains_key("Own"));
    }
}

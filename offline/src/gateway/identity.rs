//! Identity sources, as API Gateway reads them before a `REQUEST` or HTTP API authorizer runs:
//! every one must be present and non-empty, or the caller gets 401 and the authorizer is not
//! called; their values, all of them, key the authorizer's cache.

use crate::template::IdentitySource;
use crate::template::api::ContextVariable;

/// Where a request's identity values come from; each kind of API reads its own request.
pub(crate) trait IdentityLookup {
    /// The header `name` (any case), as the authorizer's event carries it.
    fn header(&self, name: &str) -> Option<String>;
    /// The query string parameter `name`, as the authorizer's event carries it.
    fn query(&self, name: &str) -> Option<String>;
    fn stage_variable(&self, name: &str) -> Option<String>;
    fn context(&self, variable: ContextVariable) -> Option<String>;
}

/// Every identity source's value, in order; `None` when one is missing or blank.
pub(crate) fn identity_values(
    sources: &[IdentitySource],
    lookup: &impl IdentityLookup,
) -> Option<Vec<String>> {
    sources
        .iter()
        .map(|source| {
            let value = match source {
                IdentitySource::Header(name) => lookup.header(name),
                IdentitySource::QueryString(name) => lookup.query(name),
                IdentitySource::StageVariable(name) => lookup.stage_variable(name),
                IdentitySource::Context(variable) => lookup.context(*variable),
            };
            value.filter(|v| !v.trim().is_empty())
        })
        .collect()
}

/// The cache key of these values: all of them, unambiguously (no two lists share a key).
pub(crate) fn cache_key(values: &[String]) -> String {
    serde_json::to_string(values).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    struct Fixed(BTreeMap<&'static str, &'static str>);

    impl IdentityLookup for Fixed {
        fn header(&self, name: &str) -> Option<String> {
            self.0.get(name).map(|v| (*v).to_owned())
        }
        fn query(&self, name: &str) -> Option<String> {
            self.0
                .get(format!("?{name}").as_str())
                .map(|v| (*v).to_owned())
        }
        fn stage_variable(&self, _: &str) -> Option<String> {
            None
        }
        fn context(&self, variable: ContextVariable) -> Option<String> {
            (variable == ContextVariable::RouteKey).then(|| "GET /echo".to_owned())
        }
    }

    #[test]
    fn every_source_must_be_present_and_the_key_holds_them_all() {
        let lookup = Fixed(BTreeMap::from([("A", "t"), ("?q", "1"), ("Blank", "  ")]));
        let sources = [
            IdentitySource::Header("A".into()),
            IdentitySource::QueryString("q".into()),
            IdentitySource::Context(ContextVariable::RouteKey),
        ];
        let values = identity_values(&sources, &lookup).unwrap();
        assert_eq!(values, ["t", "1", "GET /echo"]);
        assert_eq!(cache_key(&values), r#"["t","1","GET /echo"]"#);
        for missing in [
            IdentitySource::Header("Blank".into()),
            IdentitySource::Header("Absent".into()),
            IdentitySource::StageVariable("v".into()),
        ] {
            assert!(
                identity_values(std::slice::from_ref(&missing), &lookup).is_none(),
                "{missing:?}"
            );
        }
        assert_eq!(identity_values(&[], &lookup), Some(Vec::new()));
        assert_ne!(
            cache_key(&["a,b".into()]),
            cache_key(&["a".into(), "b".into()])
        );
    }
}

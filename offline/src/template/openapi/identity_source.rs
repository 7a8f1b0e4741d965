//! An OpenAPI authorizer's `identitySource`: comma-separated mapping expressions. A REST API
//! writes `method.request.header.NAME`, `method.request.querystring.NAME`, `stageVariables.NAME`
//! and `context.NAME` (as SAM writes `Identity.Context`); an HTTP API `$request.header.NAME`,
//! `$request.querystring.NAME`, `$stageVariables.NAME` and `$context.NAME` ("x-amazon-apigateway-
//! authorizer object", API Gateway developer guide). Anything else is refused, naming it.

use crate::template::api::{ContextVariable, IdentitySource};
use crate::template::error::{Located, Problem};

/// The identity sources of `text` (at `at`), for a REST API or (`http_api`) an HTTP API.
pub(crate) fn identity_sources(
    text: &str,
    http_api: bool,
    at: &str,
) -> Result<Vec<IdentitySource>, Located> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|expression| source(expression, http_api, at))
        .collect()
}

/// The prefixes of each kind of source, for a REST API then an HTTP API.
const PREFIXES: [(&str, &str); 4] = [
    ("method.request.header.", "$request.header."),
    ("method.request.querystring.", "$request.querystring."),
    ("stageVariables.", "$stageVariables."),
    ("context.", "$context."),
];

fn source(expression: &str, http_api: bool, at: &str) -> Result<IdentitySource, Located> {
    let unknown = || Problem::IdentitySource(expression.to_owned()).at(at);
    let (index, name) = PREFIXES
        .iter()
        .enumerate()
        .find_map(|(i, (rest, http))| {
            let prefix = if http_api { http } else { rest };
            expression.strip_prefix(prefix).map(|name| (i, name))
        })
        .filter(|(_, name)| !name.is_empty())
        .ok_or_else(unknown)?;
    let name = name.to_owned();
    Ok(match index {
        0 => IdentitySource::Header(name),
        1 => IdentitySource::QueryString(name),
        2 => IdentitySource::StageVariable(name),
        _ => IdentitySource::Context(ContextVariable::parse(&name, http_api).ok_or_else(|| {
            Problem::UnknownContextVariable {
                known: ContextVariable::names(http_api).join(", "),
                name,
            }
            .at(at)
        })?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_api_writes_its_own_expressions() {
        let rest = identity_sources(
            "method.request.header.Authorization, context.httpMethod, context.resourcePath",
            false,
            "A",
        )
        .unwrap();
        assert_eq!(
            rest,
            [
                IdentitySource::Header("Authorization".into()),
                IdentitySource::Context(ContextVariable::HttpMethod),
                IdentitySource::Context(ContextVariable::ResourcePath),
            ]
        );
        let http = identity_sources("$request.header.Authorization,$context.routeKey", true, "A");
        assert_eq!(
            http.unwrap()[1],
            IdentitySource::Context(ContextVariable::RouteKey)
        );
        for (text, http_api) in [
            ("$request.header.Authorization", false),
            ("method.request.header.Authorization", true),
            ("method.request.path.id", false),
            ("context.routeKey", false),
            ("method.request.header.", false),
        ] {
            assert_eq!(
                identity_sources(text, http_api, "A").unwrap_err().path,
                "A",
                "{text}"
            );
        }
    }
}

//! `AWS::Lambda::Permission` letting API Gateway (or Cognito, for the pool's trigger) invoke a
//! function of the template: read and checked (`lambda:InvokeFunction`, principal
//! `apigateway.amazonaws.com` or `cognito-idp.amazonaws.com`, a function of the template), then
//! asked whether a call is allowed by its `SourceArn` (IAM's `*` and `?`, as Lambda's resource
//! policy reads it).

use std::collections::BTreeMap;

use regex::Regex;
use serde_json::Value;

use super::function::Function;
use super::kinds::Resource;
use crate::template::error::{Located, Problem};
use crate::template::fields::{only_known, optional_str, str_field};

const KEYS: &[&str] = &[
    "Action",
    "FunctionName",
    "Principal",
    "SourceArn",
    "SourceAccount",
];

/// The principals whose permissions the offline stack reads.
pub(crate) const API_GATEWAY: &str = "apigateway.amazonaws.com";
pub(crate) const COGNITO: &str = "cognito-idp.amazonaws.com";

/// A permission for API Gateway or Cognito to invoke a function.
#[derive(Debug, Clone)]
pub(crate) struct Permission {
    pub(crate) logical_id: String,
    /// `apigateway.amazonaws.com` or `cognito-idp.amazonaws.com`.
    pub(crate) principal: &'static str,
    /// The function's logical id.
    pub(crate) function: String,
    /// `SourceArn` as a pattern (IAM wildcards); `None`: any caller of the principal.
    source: Option<Regex>,
}

impl Permission {
    /// Whether this lets API Gateway invoke `function` for a call from `source_arn`.
    pub(crate) fn allows(&self, function: &str, source_arn: &str) -> bool {
        self.principal == API_GATEWAY && self.matches(function, source_arn)
    }

    /// Whether this lets the pool (`pool_arn`) invoke `function` as a trigger.
    pub(crate) fn allows_cognito(&self, function: &str, pool_arn: &str) -> bool {
        self.principal == COGNITO && self.matches(function, pool_arn)
    }

    fn matches(&self, function: &str, source_arn: &str) -> bool {
        self.function == function
            && self
                .source
                .as_ref()
                .is_none_or(|re| re.is_match(source_arn))
    }
}

/// The permission `resource` from its resolved properties `props`, naming one of `functions`
/// (by name or ARN).
pub(crate) fn permission(
    resource: &Resource<'_>,
    props: &Value,
    functions: &BTreeMap<String, Function>,
) -> Result<Permission, Located> {
    let at = format!("{}.Properties", resource.path());
    only_known(props, KEYS, &at)?;
    let action = str_field(props, "Action", &at)?;
    if action != "lambda:InvokeFunction" {
        return Err(Problem::PermissionAction(action.to_owned()).at(format!("{at}.Action")));
    }
    let principal = match str_field(props, "Principal", &at)? {
        API_GATEWAY => API_GATEWAY,
        COGNITO => COGNITO,
        other => {
            let problem = Problem::PermissionPrincipal(other.to_owned());
            return Err(problem.at(format!("{at}.Principal")));
        }
    };
    let name = str_field(props, "FunctionName", &at)?;
    let function = functions
        .values()
        .find(|f| f.name == name || f.arn == name)
        .ok_or_else(|| {
            Problem::UnknownFunction(name.to_owned()).at(format!("{at}.FunctionName"))
        })?;
    let source = match optional_str(props, "SourceArn", &at)? {
        Some(arn) => Some(iam_pattern(&arn, &format!("{at}.SourceArn"))?),
        None => None,
    };
    Ok(Permission {
        logical_id: resource.id.to_owned(),
        principal,
        function: function.logical_id.clone(),
        source,
    })
}

/// An ARN pattern (at `at`) with IAM's wildcards (`*` any run, `?` one character) as an
/// anchored regex.
fn iam_pattern(pattern: &str, at: &str) -> Result<Regex, Located> {
    let body: String = pattern
        .split('*')
        .map(|part| {
            part.split('?')
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect::<Vec<_>>()
        .join(".*");
    Regex::new(&format!("^{body}$"))
        .map_err(|e| Problem::BadValidationExpression(e.to_string()).at(at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::resources::kinds::Kind;
    use serde_json::json;

    #[test]
    fn permissions_name_a_function_and_match_source_arns_with_iam_wildcards() {
        let body = json!({});
        let resource = Resource {
            id: "P",
            kind: Kind::Permission,
            body: &body,
        };
        let functions = BTreeMap::from([(
            "Orders".to_owned(),
            Function::test("Orders", "arn:aws:lambda:r:1:function:orders", "orders"),
        )]);
        let read = |props: Value| permission(&resource, &props, &functions);
        let allowed = read(
            json!({"Action": "lambda:InvokeFunction", "FunctionName": "Orders",
            "Principal": API_GATEWAY, "SourceArn": "arn:aws:execute-api:r:1:api/*/GET/orders/?"}),
        )
        .unwrap();
        assert!(allowed.allows("Orders", "arn:aws:execute-api:r:1:api/Prod/GET/orders/x"));
        assert!(!allowed.allows("Orders", "arn:aws:execute-api:r:1:api/Prod/POST/orders/x"));
        assert!(!allowed.allows("Other", "arn:aws:execute-api:r:1:api/Prod/GET/orders/x"));
        let any = read(json!({"Action": "lambda:InvokeFunction",
            "FunctionName": "arn:aws:lambda:r:1:function:orders", "Principal": API_GATEWAY}));
        assert!(any.unwrap().allows("Orders", "anything"));
        let cognito = read(
            json!({"Action": "lambda:InvokeFunction", "FunctionName": "Orders",
            "Principal": COGNITO, "SourceArn": "arn:aws:cognito-idp:r:1:userpool/r_P"}),
        )
        .unwrap();
        assert!(cognito.allows_cognito("Orders", "arn:aws:cognito-idp:r:1:userpool/r_P"));
        assert!(!cognito.allows("Orders", "arn:aws:cognito-idp:r:1:userpool/r_P"));
        for (props, path) in [
            (
                json!({"Action": "lambda:*", "FunctionName": "Orders", "Principal": API_GATEWAY}),
                "Resources.P.Properties.Action",
            ),
            (
                json!({"Action": "lambda:InvokeFunction", "FunctionName": "Orders", "Principal": "s3.amazonaws.com"}),
                "Resources.P.Properties.Principal",
            ),
            (
                json!({"Action": "lambda:InvokeFunction", "FunctionName": "Nope", "Principal": API_GATEWAY}),
                "Resources.P.Properties.FunctionName",
            ),
        ] {
            assert_eq!(read(props.clone()).unwrap_err().path, path, "{props}");
        }
    }
}

//! Cache-safe IAM policies for API Gateway: built from the `methodArn`, and evaluated as API Gateway does.

use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerPolicy;
use aws_lambda_events::iam::{IamPolicyEffect, IamPolicyStatement};

use std::sync::Arc;

use serde_json::value::RawValue;

use crate::glob;
use crate::plan::{Patterns, WHOLE_API};

/// `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path...}`, split.
///
/// Every part that is copied into a policy resource (partition, region, account, API id, stage,
/// method) is checked against API Gateway's own character set, so none can carry an IAM wildcard
/// (`*`, `?`) into the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodArn {
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub partition: String,
    /// The API's region (`us-east-1`).
    pub region: String,
    /// The 12-digit account id.
    pub account: String,
    /// The API's id (`abc123defg`).
    pub api_id: String,
    /// The stage (`prod`; an HTTP API's default stage is `$default`).
    pub stage: String,
    /// The request's method in capitals (`GET`).
    pub method: String,
    /// The request path with a leading `/` (`/` for the root), as the gateway wrote it.
    pub path: String,
    arn: String,
}

impl MethodArn {
    /// Parses a REST `methodArn` or an HTTP API `routeArn`. `None` when it is not of that shape,
    /// when a part is outside API Gateway's character set (see the type), or when it holds a
    /// control character (it is logged, and a newline could forge a text log line).
    pub fn parse(arn: &str) -> Option<Self> {
        if arn.chars().any(char::is_control) {
            return None;
        }
        let mut fields = arn.splitn(6, ':');
        let (
            Some("arn"),
            Some(partition),
            Some("execute-api"),
            Some(region),
            Some(account),
            Some(resource),
        ) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        )
        else {
            return None;
        };
        let mut parts = resource.splitn(4, '/');
        let (Some(api_id), Some(stage), Some(method)) = (parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let valid = is_partition(partition)
            && is_region(region)
            && account.len() == 12
            && account.bytes().all(|b| b.is_ascii_digit())
            && is_api_id(api_id)
            && is_stage(stage)
            && is_method(method);
        valid.then(|| Self {
            partition: partition.to_owned(),
            region: region.to_owned(),
            account: account.to_owned(),
            api_id: api_id.to_owned(),
            stage: stage.to_owned(),
            method: method.to_owned(),
            path: format!("/{}", parts.next().unwrap_or("")),
            arn: arn.to_owned(),
        })
    }

    /// The ARN as it came.
    pub fn as_str(&self) -> &str {
        &self.arn
    }

    /// `arn:...:{apiId}/{stage}/{method}/{path}` for the same API and stage.
    pub fn resource(&self, method: &str, path: &str) -> String {
        format!("{}{method}/{path}", self.stage_prefix())
    }

    /// `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/`: what every resource
    /// of this API and stage begins with.
    pub fn stage_prefix(&self) -> String {
        format!(
            "arn:{}:execute-api:{}:{}:{}/{}/",
            self.partition, self.region, self.account, self.api_id, self.stage
        )
    }

    /// Every method and path of this API and stage.
    pub fn whole_api(&self) -> String {
        self.resource("*", "*")
    }
}

/// `aws`, or `aws-` and lower-case words (`aws-cn`, `aws-us-gov`, `aws-iso-b`).
fn is_partition(s: &str) -> bool {
    s == "aws"
        || s.strip_prefix("aws-").is_some_and(|rest| {
            !rest.is_empty()
                && !rest.ends_with('-')
                && rest.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        })
}

/// Lower-case letters, digits and hyphens, starting with a letter (`us-east-1`).
fn is_region(s: &str) -> bool {
    s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// API ids are short runs of letters and digits (`abc123defg`).
fn is_api_id(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Stage names: letters, digits, `-` and `_` (at most 128), or HTTP APIs' `$default`.
fn is_stage(s: &str) -> bool {
    s == "$default"
        || ((1..=128).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// An HTTP method in capitals.
fn is_method(s: &str) -> bool {
    (1..=16).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// What a token may call on one API stage: resource patterns relative to
/// `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/`, shared between every
/// token of the same grants. Built by [`Rules`](crate::Rules); written out as a policy by
/// [`Permissions::to_policy`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permissions {
    api: String,
    patterns: Arc<Patterns>,
}

impl Permissions {
    pub(crate) fn new(arn: &MethodArn, patterns: Arc<Patterns>) -> Self {
        Self {
            api: arn.stage_prefix(),
            patterns,
        }
    }

    /// Everything of the API and stage.
    pub fn allow_all(arn: &MethodArn) -> Self {
        Self::new(
            arn,
            Arc::new(Patterns {
                allow: vec![WHOLE_API.to_owned()],
                ..Patterns::default()
            }),
        )
    }

    /// Nothing of the API and stage.
    pub fn deny_all(arn: &MethodArn) -> Self {
        Self::new(arn, Arc::new(Patterns::deny_all()))
    }

    /// The resources allowed, as written into the policy.
    pub fn allowed(&self) -> Vec<String> {
        self.resources(&self.patterns.allow)
    }

    /// The resources explicitly denied (Deny wins over an Allow that also matches them).
    pub fn denied(&self) -> Vec<String> {
        self.resources(&self.patterns.deny)
    }

    fn resources(&self, patterns: &[String]) -> Vec<String> {
        patterns
            .iter()
            .map(|p| format!("{}{p}", self.api))
            .collect()
    }

    /// Whether these permissions let the caller invoke `resource`, as API Gateway decides: a
    /// matching Deny wins, else a matching Allow allows, else denied. (The patterns' common
    /// beginning has no wildcard, so it is compared once.)
    pub fn allows(&self, resource: &str) -> bool {
        let Some(rest) = resource.strip_prefix(self.api.as_str()) else {
            return false;
        };
        let matches = |p: &String| glob::matches(p.as_bytes(), rest.as_bytes());
        !self.patterns.deny.iter().any(matches) && self.patterns.allow.iter().any(matches)
    }

    /// [`Permissions::to_policy`] as JSON, written once per grant set and API stage and shared.
    pub fn policy_json(&self) -> Option<Arc<RawValue>> {
        self.patterns.rendered.get_or(&self.api, || {
            serde_json::to_string(&self.to_policy())
                .ok()
                .and_then(|json| RawValue::from_string(json).ok())
        })
    }

    /// The policy document, every statement with its effect set explicitly.
    pub fn to_policy(&self) -> ApiGatewayCustomAuthorizerPolicy {
        let statement = |effect: IamPolicyEffect, resource: Vec<String>| {
            let mut s = IamPolicyStatement::default();
            s.action = vec!["execute-api:Invoke".to_owned()];
            s.effect = effect;
            s.resource = resource;
            s
        };
        let mut policy = ApiGatewayCustomAuthorizerPolicy::default();
        policy.version = Some("2012-10-17".to_owned());
        if !self.patterns.allow.is_empty() {
            policy
                .statement
                .push(statement(IamPolicyEffect::Allow, self.allowed()));
        }
        if !self.patterns.deny.is_empty() {
            policy
                .statement
                .push(statement(IamPolicyEffect::Deny, self.denied()));
        }
        policy
    }
}

/// Whether `policy` lets the caller invoke `method_arn`, as API Gateway decides: a matching
/// Deny wins, else a matching Allow allows, else denied. `*` and `?` are wildcards.
pub fn evaluate(policy: &ApiGatewayCustomAuthorizerPolicy, method_arn: &str) -> bool {
    let applies = |s: &IamPolicyStatement| {
        s.action
            .iter()
            .any(|a| wildcard_match(a, "execute-api:Invoke"))
            && s.resource.iter().any(|r| wildcard_match(r, method_arn))
    };
    let mut allowed = false;
    for statement in policy.statement.iter().filter(|s| applies(s)) {
        match statement.effect {
            IamPolicyEffect::Deny => return false,
            IamPolicyEffect::Allow => allowed = true,
            _ => return false,
        }
    }
    allowed
}

/// IAM-style glob: `*` matches any run of characters (including `/`), `?` exactly one.
pub(crate) fn wildcard_match(pattern: &str, text: &str) -> bool {
    glob::matches(pattern.as_bytes(), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/items/42";

    #[test]
    fn control_characters_make_an_arn_unusable() {
        let good = "arn:aws:execute-api:us-east-1:123456789012:abc/Prod/GET/echo";
        assert!(MethodArn::parse(good).is_some());
        for bad in [
            "\n INFO decision outcome=\"allowed\"",
            "\r",
            "\t",
            "\u{7f}",
            "\u{85}",
        ] {
            assert!(
                MethodArn::parse(&format!("{good}{bad}")).is_none(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn parses_method_arns_of_every_partition() {
        let a = MethodArn::parse(ARN).unwrap();
        assert_eq!(
            (
                a.partition.as_str(),
                a.api_id.as_str(),
                a.stage.as_str(),
                a.method.as_str(),
                a.path.as_str()
            ),
            ("aws", "abc123", "prod", "GET", "/items/42")
        );
        let cn = MethodArn::parse("arn:aws-cn:execute-api:cn-north-1:123456789012:abc/dev/POST/")
            .unwrap();
        assert_eq!(cn.path, "/");
        assert_eq!(
            cn.whole_api(),
            "arn:aws-cn:execute-api:cn-north-1:123456789012:abc/dev/*/*"
        );
        for bad in [
            "",
            "arn:aws:lambda:us-east-1:1:function:x",
            "arn:aws:execute-api:us-east-1:1:abc",
            "arn:aws:execute-api:us-east-1:1:abc/prod",
        ] {
            assert!(MethodArn::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn arn_parts_outside_api_gateways_character_set_are_refused() {
        let good =
            |partition: &str, region: &str, account: &str, api: &str, stage: &str, method: &str| {
                format!(
                    "arn:{partition}:execute-api:{region}:{account}:{api}/{stage}/{method}/echo"
                )
            };
        assert!(
            MethodArn::parse(&good(
                "aws",
                "us-east-1",
                "123456789012",
                "abc123",
                "Prod",
                "GET"
            ))
            .is_some()
        );
        assert!(
            MethodArn::parse(&good(
                "aws-us-gov",
                "us-gov-west-1",
                "123456789012",
                "a1",
                "dev_2-x",
                "DELETE"
            ))
            .is_some()
        );
        assert!(
            MethodArn::parse(&good(
                "aws",
                "eu-west-1",
                "123456789012",
                "a1",
                "$default",
                "POST"
            ))
            .is_some()
        );
        for (partition, region, account, api, stage, method) in [
            ("*", "us-east-1", "123456789012", "abc", "Prod", "GET"),
            ("aws*", "us-east-1", "123456789012", "abc", "Prod", "GET"),
            ("aws", "*", "123456789012", "abc", "Prod", "GET"),
            ("aws", "us-east-?", "123456789012", "abc", "Prod", "GET"),
            ("aws", "us-east-1", "*", "abc", "Prod", "GET"),
            ("aws", "us-east-1", "12345678901", "abc", "Prod", "GET"),
            ("aws", "us-east-1", "123456789012", "*", "Prod", "GET"),
            ("aws", "us-east-1", "123456789012", "ab?", "Prod", "GET"),
            ("aws", "us-east-1", "123456789012", "abc", "*", "GET"),
            ("aws", "us-east-1", "123456789012", "abc", "Pr?d", "GET"),
            ("aws", "us-east-1", "123456789012", "abc", "Prod", "*"),
            ("aws", "us-east-1", "123456789012", "abc", "Prod", "get"),
        ] {
            let arn = good(partition, region, account, api, stage, method);
            assert!(MethodArn::parse(&arn).is_none(), "{arn}");
        }
    }

    #[test]
    fn deny_wins_over_allow() {
        let arn = MethodArn::parse(ARN).unwrap();
        let p = Permissions::new(
            &arn,
            Arc::new(Patterns {
                allow: vec!["*/*".into()],
                deny: vec!["GET/items/42".into()],
                ..Patterns::default()
            }),
        );
        assert_eq!(p.denied(), [ARN]);
        let policy = p.to_policy();
        assert!(!evaluate(&policy, ARN));
        assert!(evaluate(
            &policy,
            "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/items/43"
        ));
        assert!(!evaluate(
            &policy,
            "arn:aws:execute-api:us-east-1:123456789012:other/prod/GET/items/43"
        ));
        assert_eq!(policy.statement.len(), 2);
        assert_eq!(policy.statement[0].effect, IamPolicyEffect::Allow);
        assert_eq!(policy.statement[1].effect, IamPolicyEffect::Deny);
    }
}

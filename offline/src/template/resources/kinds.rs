//! The resource types the offline stack knows, and the template's resources by type: those whose
//! `Condition` is false do not exist, as in CloudFormation.

use serde_json::Value;

use crate::template::error::{Located, Problem};
use crate::template::fields::{properties, resource_map, resource_type};
use crate::template::intrinsics::Resolver;

/// The resource types the offline stack knows: those it emulates, and those it reads but does
/// not emulate because they do not change how a request is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    UserPool,
    UserPoolClient,
    ResourceServer,
    UserPoolGroup,
    /// Played by the stack's own listener: its `/oauth2/*` and hosted UI are the domain's.
    UserPoolDomain,
    Function,
    /// A layer whose content (a local folder) functions see under `/opt`.
    LayerVersion,
    /// Read and checked: API Gateway may invoke the function it names.
    Permission,
    Api,
    HttpApi,
    /// Present, not emulated: the offline stack logs to its own output.
    LogGroup,
    /// Present, not emulated: notifications.
    SnsTopic,
    /// Present, not emulated: notifications.
    SnsSubscription,
    /// Present, not emulated: nothing is measured offline.
    Alarm,
}

impl Kind {
    fn of(resource: &Value, at: &str) -> Result<Self, Located> {
        let name = resource_type(resource, at)?;
        Self::ALL
            .iter()
            .copied()
            .find(|kind| kind.type_name() == name)
            .ok_or_else(|| Problem::UnsupportedResource(name.to_owned()).at(format!("{at}.Type")))
    }

    const ALL: [Kind; 14] = [
        Kind::UserPool,
        Kind::UserPoolClient,
        Kind::ResourceServer,
        Kind::UserPoolGroup,
        Kind::UserPoolDomain,
        Kind::Function,
        Kind::LayerVersion,
        Kind::Permission,
        Kind::Api,
        Kind::HttpApi,
        Kind::LogGroup,
        Kind::SnsTopic,
        Kind::SnsSubscription,
        Kind::Alarm,
    ];

    /// The CloudFormation (or SAM) type.
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            Kind::UserPool => "AWS::Cognito::UserPool",
            Kind::UserPoolClient => "AWS::Cognito::UserPoolClient",
            Kind::ResourceServer => "AWS::Cognito::UserPoolResourceServer",
            Kind::UserPoolGroup => "AWS::Cognito::UserPoolGroup",
            Kind::UserPoolDomain => "AWS::Cognito::UserPoolDomain",
            Kind::Function => "AWS::Serverless::Function",
            Kind::LayerVersion => "AWS::Serverless::LayerVersion",
            Kind::Permission => "AWS::Lambda::Permission",
            Kind::Api => "AWS::Serverless::Api",
            Kind::HttpApi => "AWS::Serverless::HttpApi",
            Kind::LogGroup => "AWS::Logs::LogGroup",
            Kind::SnsTopic => "AWS::SNS::Topic",
            Kind::SnsSubscription => "AWS::SNS::Subscription",
            Kind::Alarm => "AWS::CloudWatch::Alarm",
        }
    }

    #[cfg(test)]
    /// Whether the offline stack plays it (false: read, listed as present but not emulated).
    pub(crate) fn emulated(self) -> bool {
        !matches!(
            self,
            Kind::LogGroup | Kind::SnsTopic | Kind::SnsSubscription | Kind::Alarm
        )
    }
}

/// A resource the offline stack reads but does not play, listed so nobody takes it for emulated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotEmulated {
    pub(crate) logical_id: String,
    /// Its CloudFormation type, e.g. `AWS::CloudWatch::Alarm`.
    pub(crate) resource_type: &'static str,
}

/// One resource of the template.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resource<'a> {
    pub(crate) id: &'a str,
    pub(crate) kind: Kind,
    pub(crate) body: &'a Value,
}

impl Resource<'_> {
    /// `Resources.{id}`.
    pub(crate) fn path(&self) -> String {
        format!("Resources.{}", self.id)
    }

    /// The properties with every intrinsic function resolved.
    pub(crate) fn resolved_properties(&self, resolver: &Resolver) -> Result<Value, Located> {
        resolver.resolve(
            &Value::Object(properties(self.body).clone()),
            &format!("{}.Properties", self.path()),
        )
    }
}

/// Every resource that exists (no `Condition`, or a true one), by logical id; a type
/// the offline stack does not know is an error naming it.
pub(crate) fn list<'a>(
    template: &'a Value,
    resolver: &Resolver,
) -> Result<Vec<Resource<'a>>, Located> {
    let mut resources = Vec::new();
    for (id, body) in resource_map(template)? {
        let at = format!("Resources.{id}");
        if exists(body, resolver, &at)? {
            resources.push(Resource {
                id,
                kind: Kind::of(body, &at)?,
                body,
            });
        }
    }
    Ok(resources)
}

/// Whether the resource `body` (at `at`) exists: it has no `Condition`, or a true one.
pub(crate) fn exists(body: &Value, resolver: &Resolver, at: &str) -> Result<bool, Located> {
    let at = format!("{at}.Condition");
    match body.get("Condition") {
        None => Ok(true),
        Some(Value::String(name)) => resolver
            .condition(name)
            .ok_or_else(|| Problem::UnknownCondition(name.clone()).at(at)),
        Some(_) => Err(Problem::NotAString.at(at)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[test]
    fn resources_whose_condition_is_false_do_not_exist() {
        let mut resolver = Resolver::default();
        resolver.set_conditions(BTreeMap::from([
            ("On".to_owned(), true),
            ("Off".to_owned(), false),
        ]));
        let template = json!({"Resources": {
            "A": {"Type": "AWS::SNS::Topic", "Condition": "On"},
            "B": {"Type": "AWS::SNS::Topic", "Condition": "Off"},
            "C": {"Type": "AWS::CloudWatch::Alarm"},
            "D": {"Type": "AWS::Nope::Thing", "Condition": "Off"},
        }});
        let ids: Vec<_> = list(&template, &resolver)
            .unwrap()
            .iter()
            .map(|r| (r.id, r.kind.emulated()))
            .collect();
        assert_eq!(ids, [("A", false), ("C", false)]);
        let err = list(
            &json!({"Resources": {"X": {"Type": "AWS::SNS::Topic", "Condition": "Maybe"}}}),
            &resolver,
        )
        .unwrap_err();
        assert_eq!(err.path, "Resources.X.Condition");
        let err = list(
            &json!({"Resources": {"X": {"Type": "AWS::SQS::Queue"}}}),
            &resolver,
        )
        .unwrap_err();
        assert_eq!(err.path, "Resources.X.Type");
    }
}

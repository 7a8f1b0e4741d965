//! The resource types the offline stack emulates, and the template's resources by type.

use serde_json::Value;

use crate::template::error::{Located, Problem};
use crate::template::fields::{properties, resource_map, resource_type};
use crate::template::intrinsics::Resolver;

/// The resource types the offline stack emulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    UserPool,
    UserPoolClient,
    ResourceServer,
    Function,
    Api,
    LogGroup,
}

impl Kind {
    fn of(resource: &Value, at: &str) -> Result<Self, Located> {
        Ok(match resource_type(resource, at)? {
            "AWS::Cognito::UserPool" => Self::UserPool,
            "AWS::Cognito::UserPoolClient" => Self::UserPoolClient,
            "AWS::Cognito::UserPoolResourceServer" => Self::ResourceServer,
            "AWS::Serverless::Function" => Self::Function,
            "AWS::Serverless::Api" => Self::Api,
            "AWS::Logs::LogGroup" => Self::LogGroup,
            other => {
                return Err(Problem::UnsupportedResource(other.to_owned()).at(format!("{at}.Type")));
            }
        })
    }
}

/// One resource of the template.
#[derive(Debug, Clone, Copy)]
pub struct Resource<'a> {
    pub id: &'a str,
    pub kind: Kind,
    pub body: &'a Value,
}

impl Resource<'_> {
    /// `Resources.{id}`.
    pub fn path(&self) -> String {
        format!("Resources.{}", self.id)
    }

    /// The properties with every intrinsic function resolved.
    pub fn resolved_properties(&self, resolver: &Resolver) -> Result<Value, Located> {
        resolver.resolve(
            &Value::Object(properties(self.body).clone()),
            &format!("{}.Properties", self.path()),
        )
    }
}

/// Every resource, in the template's order; a type the offline stack does not emulate is an
/// error naming it.
pub fn list(template: &Value) -> Result<Vec<Resource<'_>>, Located> {
    resource_map(template)?
        .iter()
        .map(|(id, body)| {
            Ok(Resource {
                id,
                kind: Kind::of(body, &format!("Resources.{id}"))?,
                body,
            })
        })
        .collect()
}

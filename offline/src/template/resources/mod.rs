//! The template's resources, in the passes CloudFormation's references need: first what `Ref`
//! and `Fn::GetAtt` give for each resource (ids, then names that may refer to ids), then each
//! resource's properties, resolved, read by its kind.

pub mod cognito;
pub mod function;

use std::collections::BTreeMap;

use serde_json::Value;

use super::error::{Located, Problem};
use super::fields::{properties, resource_type, resources};
use super::intrinsics::Resolver;
use super::rest_api::API_ID;
use crate::state::{ClientCredentials, State};

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
    resources(template)?
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

/// What `Ref` gives for resources named by a property (functions, log groups, resource servers):
/// the property resolved, else CloudFormation's generated `{stack}-{id}`. Run once the ids are
/// known, since the names may refer to them.
pub fn declare_names(
    resolver: &mut Resolver,
    resources: &[Resource<'_>],
    stack_name: &str,
    region: &str,
) -> Result<(), Located> {
    for resource in resources {
        let named = |key: &str, resolver: &Resolver| match properties(resource.body).get(key) {
            Some(v) => resolver.string(v, &format!("{}.Properties.{key}", resource.path())),
            None => Ok(format!("{stack_name}-{}", resource.id)),
        };
        match resource.kind {
            Kind::Function => {
                let name = named("FunctionName", resolver)?;
                resolver.set_attribute(resource.id, "Arn", function::arn(region, &name));
                resolver.set_ref(resource.id, name);
            }
            Kind::LogGroup => {
                let name = named("LogGroupName", resolver)?;
                resolver.set_ref(resource.id, name);
            }
            Kind::ResourceServer => {
                let identifier = resolver.string(
                    properties(resource.body)
                        .get("Identifier")
                        .unwrap_or(&Value::Null),
                    &format!("{}.Properties.Identifier", resource.path()),
                )?;
                resolver.set_ref(resource.id, identifier);
            }
            Kind::UserPool | Kind::UserPoolClient | Kind::Api => {}
        }
    }
    Ok(())
}

/// What `Ref` and `Fn::GetAtt` give for resources whose value the offline stack chooses: the
/// local user pool's id and ARN, the app clients' ids (generated once and kept in `state`; their
/// credentials are returned by logical id), the API's id.
pub fn declare_ids(
    resolver: &mut Resolver,
    resources: &[Resource<'_>],
    pool: &cognito::LocalPool,
    state: &mut State,
) -> BTreeMap<String, ClientCredentials> {
    let mut credentials = BTreeMap::new();
    for resource in resources {
        match resource.kind {
            Kind::UserPool => {
                resolver.set_ref(resource.id, &pool.id);
                resolver.set_attribute(resource.id, "Arn", &pool.arn);
            }
            Kind::UserPoolClient => {
                let c = state.client(resource.id);
                resolver.set_ref(resource.id, &c.client_id);
                credentials.insert(resource.id.to_owned(), c);
            }
            Kind::Api => resolver.set_ref(resource.id, API_ID),
            Kind::ResourceServer | Kind::Function | Kind::LogGroup => {}
        }
    }
    credentials
}

//! What `Ref` and `Fn::GetAtt` give for each resource, in the two passes references need: the
//! ids first, then the names, which may refer to ids.

use std::collections::BTreeMap;

use serde_json::Value;

use super::cognito::LocalPool;
use super::function;
use super::kinds::{Kind, Resource};
use crate::state::ClientCredentials;
use crate::template::error::Located;
use crate::template::fields::properties;
use crate::template::ids::{ACCOUNT_ID, api_id};
use crate::template::intrinsics::Resolver;

/// What `Ref` (and `Fn::GetAtt`) give for resources named by a property (functions, log
/// groups, groups, topics, alarms, resource servers): the property resolved, else
/// CloudFormation's generated `{stack}-{id}`. Run once the ids are known, since the names may
/// refer to them.
pub(crate) fn declare_names(
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
        let id = resource.id;
        let arn =
            |service: &str, rest: &str| format!("arn:aws:{service}:{region}:{ACCOUNT_ID}:{rest}");
        match resource.kind {
            Kind::Function => {
                let name = named("FunctionName", resolver)?;
                resolver.set_attribute(id, "Arn", function::arn(region, &name));
                resolver.set_ref(id, name);
            }
            Kind::LogGroup => {
                let name = named("LogGroupName", resolver)?;
                resolver.set_attribute(id, "Arn", arn("logs", &format!("log-group:{name}:*")));
                resolver.set_ref(id, name);
            }
            Kind::UserPoolGroup => {
                let name = named("GroupName", resolver)?;
                resolver.set_ref(id, name);
            }
            Kind::SnsTopic => {
                let name = named("TopicName", resolver)?;
                resolver.set_attribute(id, "TopicName", &name);
                resolver.set_attribute(id, "TopicArn", arn("sns", &name));
                resolver.set_ref(id, arn("sns", &name));
            }
            Kind::SnsSubscription => {
                resolver.set_ref(id, arn("sns", &format!("{stack_name}-{id}:offline")));
            }
            Kind::Alarm => {
                let name = named("AlarmName", resolver)?;
                resolver.set_attribute(id, "Arn", arn("cloudwatch", &format!("alarm:{name}")));
                resolver.set_ref(id, name);
            }
            Kind::ResourceServer => {
                let identifier = resolver.string(
                    properties(resource.body)
                        .get("Identifier")
                        .unwrap_or(&Value::Null),
                    &format!("{}.Properties.Identifier", resource.path()),
                )?;
                resolver.set_ref(id, identifier);
            }
            Kind::LayerVersion => {
                let name = named("LayerName", resolver)?;
                resolver.set_ref(id, super::layer::arn(region, &name));
            }
            Kind::Permission => resolver.set_ref(id, format!("{stack_name}-{id}")),
            Kind::UserPoolDomain => {
                let domain = named("Domain", resolver)?;
                resolver.set_ref(id, domain);
            }
            Kind::UserPool | Kind::UserPoolClient | Kind::Api | Kind::HttpApi => {}
        }
    }
    Ok(())
}

/// What `Ref` and `Fn::GetAtt` give for resources whose value the offline stack chooses: the
/// local user pool's id and ARN, the app clients' ids (from their `credentials`, by logical id),
/// the APIs' ids (one each, in the template's order).
pub(crate) fn declare_ids(
    resolver: &mut Resolver,
    resources: &[Resource<'_>],
    pool: &LocalPool,
    credentials: &BTreeMap<String, ClientCredentials>,
) {
    let mut apis = 0;
    for resource in resources {
        match resource.kind {
            Kind::UserPool => {
                resolver.set_ref(resource.id, &pool.id);
                resolver.set_attribute(resource.id, "Arn", &pool.arn);
            }
            Kind::UserPoolClient => {
                if let Some(c) = credentials.get(resource.id) {
                    resolver.set_ref(resource.id, &c.client_id);
                }
            }
            Kind::Api | Kind::HttpApi => {
                resolver.set_ref(resource.id, api_id(apis));
                apis += 1;
            }
            _ => {}
        }
    }
}

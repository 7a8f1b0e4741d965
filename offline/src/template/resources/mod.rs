//! The template's resources, in the passes CloudFormation's references need: first what `Ref`
//! and `Fn::GetAtt` give for each resource (`references`: ids, then names that may refer to
//! ids), then each resource's properties, resolved, read by its kind (`cognito`, `function`).

pub(crate) mod cognito;
pub(crate) mod environment;
pub(crate) mod function;
pub(crate) mod kinds;
pub(crate) mod lambda_settings;
pub(crate) mod layer;
pub(crate) mod permission;
pub(crate) mod references;

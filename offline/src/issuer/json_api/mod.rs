//! Cognito's JSON API (`POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>` and
//! `Content-Type: application/x-amz-json-1.1`), the API that the AWS CLI, the SDKs and Amplify
//! call. One file per family of operations: `admin` (users and groups, IAM-signed), `admin_auth`
//! (`AdminInitiateAuth` and its challenge, IAM-signed), `pool`
//! (describing the pool and its clients, IAM-signed), `initiate` and `respond` (sign-in and its
//! challenges), `session` (`GetUser`, `RevokeToken`, `GlobalSignOut`); `iam` checks the callers
//! of IAM operations, `secret_hash` clients with a secret.
//!
//! `Admin*` and the other IAM operations must carry a SigV4 `Authorization: AWS4-HMAC-SHA256 ...`
//! header and no `Origin` (`iam`); the sign-in operations are unsigned, as on AWS. Answers, errors
//! included, carry `Access-Control-Allow-Origin: *`, as Cognito's API does for browser SDKs; the
//! preflight allows the headers those send, never `Authorization`.

pub(crate) mod admin;
pub(crate) mod admin_auth;
pub(crate) mod iam;
pub(crate) mod initiate;
pub(crate) mod pool;
pub(crate) mod respond;
pub(crate) mod secret_hash;
pub(crate) mod session;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Issuer;
use super::cognito_error::{AMZ_JSON, CognitoError};
use crate::message::{AuthorizerUse, Request, Response};

/// `X-Amz-Target`'s prefix.
pub(crate) const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// Whether `request` is for the JSON API: `/` with an `X-Amz-Target`, or its CORS preflight.
pub(crate) fn serves(request: &Request) -> bool {
    request.path == "/"
        && (request.header("x-amz-target").is_some()
            || request.method == "OPTIONS"
                && request
                    .header("access-control-request-headers")
                    .is_some_and(|h| h.to_ascii_lowercase().contains("x-amz-target")))
}

/// One call, as the operations take it.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    pub(crate) issuer: &'a Issuer,
    pub(crate) operation: &'a str,
    pub(crate) body: &'a Value,
    pub(crate) now: u64,
}

impl Call<'_> {
    /// The body as the operation's input; a type mismatch is a `SerializationException` that
    /// does not repeat the value (it may be a password).
    pub(crate) fn input<T: DeserializeOwned>(&self) -> Result<T, CognitoError> {
        T::deserialize(self.body).map_err(|_| {
            CognitoError::Serialization(format!(
                "The request body is not a valid {} input.",
                self.operation
            ))
        })
    }

    /// `UserPoolId` must be the local pool.
    pub(crate) fn check_pool(&self, pool_id: Option<&str>) -> Result<(), CognitoError> {
        let pool_id = pool_id.ok_or_else(|| CognitoError::missing("userPoolId"))?;
        if pool_id == self.issuer.pool().id() {
            Ok(())
        } else {
            Err(CognitoError::ResourceNotFound(format!(
                "User pool {pool_id} does not exist."
            )))
        }
    }
}

/// The answer to a JSON API request at `now`.
pub fn answer(issuer: &Issuer, request: &Request, now: u64) -> Response {
    if request.method == "OPTIONS" {
        return preflight(request);
    }
    let target = request.header("x-amz-target").unwrap_or_default();
    let operation = target.strip_prefix(TARGET_PREFIX).unwrap_or(target);
    let result = call(issuer, request, operation, now);
    let mut response = match result {
        Ok(body) => ok(&body, operation),
        Err(e) => e.response(),
    };
    response
        .headers
        .push(("access-control-allow-origin".to_owned(), "*".to_owned()));
    response
}

fn call(
    issuer: &Issuer,
    request: &Request,
    operation: &str,
    now: u64,
) -> Result<Value, CognitoError> {
    if request.method != "POST" {
        return Err(CognitoError::UnknownOperation(format!(
            "{} / is not an operation: the Cognito API takes POST",
            request.method
        )));
    }
    let body: Value = serde_json::from_slice(&request.body)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| {
            CognitoError::Serialization("The request body is not a JSON object.".to_owned())
        })?;
    let call = Call {
        issuer,
        operation,
        body: &body,
        now,
    };
    if let Some(iam_operation) = iam_operation(operation) {
        iam::check(request, operation)?;
        return iam_operation(&call);
    }
    route(&call)
}

/// An operation of the JSON API.
type Operation = fn(&Call<'_>) -> Result<Value, CognitoError>;

/// The IAM operation `name`, which only [`iam::check`]ed callers reach.
fn iam_operation(name: &str) -> Option<Operation> {
    Some(match name {
        "AdminCreateUser" => admin::create_user,
        "AdminSetUserPassword" => admin::set_user_password,
        "AdminGetUser" => admin::get_user,
        "AdminDeleteUser" => admin::delete_user,
        "AdminUpdateUserAttributes" => admin::update_user_attributes,
        "AdminEnableUser" => |call| admin::enable_user(call, true),
        "AdminDisableUser" => |call| admin::enable_user(call, false),
        "AdminAddUserToGroup" => admin::add_user_to_group,
        "AdminRemoveUserFromGroup" => admin::remove_user_from_group,
        "AdminListGroupsForUser" => admin::list_groups_for_user,
        "AdminUserGlobalSignOut" => admin::user_global_sign_out,
        "AdminInitiateAuth" => admin_auth::admin_initiate_auth,
        "AdminRespondToAuthChallenge" => admin_auth::admin_respond_to_auth_challenge,
        "ListUsers" => admin::list_users,
        "ListUserPools" => pool::list_user_pools,
        "DescribeUserPool" => pool::describe_user_pool,
        "ListUserPoolClients" => pool::list_user_pool_clients,
        "DescribeUserPoolClient" => pool::describe_user_pool_client,
        "ListGroups" => pool::list_groups,
        "GetGroup" => pool::get_group,
        _ => return None,
    })
}

/// The unsigned operations, and the answers to names that are not served.
fn route(call: &Call<'_>) -> Result<Value, CognitoError> {
    match call.operation {
        "InitiateAuth" => initiate::initiate_auth(call),
        "RespondToAuthChallenge" => respond::respond_to_auth_challenge(call),
        "GetUser" => session::get_user(call),
        "RevokeToken" => session::revoke_token(call),
        "GlobalSignOut" => session::global_sign_out(call),
        "" => Err(CognitoError::UnknownOperation(
            "X-Amz-Target must name an operation: AWSCognitoIdentityProviderService.<Operation>"
                .to_owned(),
        )),
        other if other.chars().all(|c| c.is_ascii_alphanumeric()) => {
            Err(CognitoError::UnsupportedOperation(format!(
                "{other} is not emulated by the offline stack (see docs/people.md for the operations it serves)"
            )))
        }
        _ => Err(CognitoError::UnknownOperation(
            "X-Amz-Target names no operation of AWSCognitoIdentityProviderService".to_owned(),
        )),
    }
}

fn ok(body: &Value, operation: &str) -> Response {
    Response {
        status: 200,
        headers: vec![
            ("content-type".to_owned(), AMZ_JSON.to_owned()),
            ("x-amzn-RequestId".to_owned(), authorizer::mint::random_id()),
        ],
        body: body.to_string().into_bytes(),
        reason: operation.to_owned(),
        authorizer: AuthorizerUse::None,
    }
}

/// The CORS preflight of a browser SDK: any origin, the headers it asks for but `Authorization`
/// (the unsigned sign-in operations do not need it; a page must not send IAM calls).
fn preflight(request: &Request) -> Response {
    let headers = request
        .header("access-control-request-headers")
        .unwrap_or("content-type,x-amz-target,x-amz-user-agent")
        .split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty() && !h.eq_ignore_ascii_case("authorization"))
        .collect::<Vec<_>>()
        .join(",");
    Response {
        status: 200,
        headers: vec![
            ("access-control-allow-origin".to_owned(), "*".to_owned()),
            ("access-control-allow-methods".to_owned(), "POST".to_owned()),
            ("access-control-allow-headers".to_owned(), headers),
            ("access-control-max-age".to_owned(), "86400".to_owned()),
        ],
        body: Vec::new(),
        reason: "preflight".to_owned(),
        authorizer: AuthorizerUse::None,
    }
}

//! API Gateway's own authorizers must trust the pool the offline stack plays: every
//! `UserPoolArn` of a Cognito authorizer is its ARN, every JWT authorizer's `issuer` its issuer
//! (`https://cognito-idp.{region}.amazonaws.com/{pool id}`, as its tokens' `iss` says). Tokens
//! of any other pool or issuer cannot exist offline, so such an authorizer stops the stack.

use super::api::{Api, BuiltinAuthorizer};
use super::error::{Located, Problem};
use super::resources::cognito::LocalPool;

/// Checks every built-in authorizer of `api` against `pool`.
pub(crate) fn check_builtin_pool(api: &Api, pool: &LocalPool) -> Result<(), Located> {
    let issuer = issuer(pool);
    for authorizer in api.builtin_authorizers.values() {
        let at = authorizer.trust_at();
        match authorizer {
            BuiltinAuthorizer::Cognito(cognito) => {
                if let Some(other) = cognito.user_pool_arns.iter().find(|a| **a != pool.arn) {
                    let problem = Problem::OtherUserPool {
                        given: other.clone(),
                        pool: pool.arn.clone(),
                    };
                    return Err(problem.at(at));
                }
            }
            BuiltinAuthorizer::Jwt(jwt) if jwt.issuer != issuer => {
                let problem = Problem::OtherIssuer {
                    given: jwt.issuer.clone(),
                    expected: issuer.clone(),
                };
                return Err(problem.at(at));
            }
            BuiltinAuthorizer::Jwt(_) => {}
        }
    }
    Ok(())
}

/// The issuer of the local pool's tokens (`iss`).
fn issuer(pool: &LocalPool) -> String {
    match authorizer::UserPool::from_id(&pool.id) {
        Ok(pool) => {
            let [issuer, _] = pool.issuers();
            issuer
        }
        Err(_) => String::new(),
    }
}

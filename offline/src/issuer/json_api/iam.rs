//! Who may call the IAM operations (`Admin*`, `List*`, `Describe*`, `GetGroup`): AWS requires a
//! SigV4 signature, so a call must carry `Authorization: AWS4-HMAC-SHA256 ...` (the signature is
//! not verified: there are no IAM credentials offline, any access key works). A call that also
//! carries `Origin` was sent by a browser, from whatever page it shows: it is refused, so that a
//! web page open while the stack runs cannot create users or read client secrets. Browsers cannot
//! send the header across origins anyway (the preflight does not allow `Authorization`); this
//! holds even for a page that gets past that.

use crate::issuer::cognito_error::CognitoError;
use crate::message::Request;

/// The SigV4 scheme an IAM call's `Authorization` header starts with.
const SIGV4: &str = "AWS4-HMAC-SHA256 ";

/// Whether `request` may call the IAM `operation`: `MissingAuthenticationTokenException` without
/// a SigV4 header (as AWS answers), `AccessDeniedException` from a browser (what AWS answers a
/// caller whose identity may not call the operation).
pub(crate) fn check(request: &Request, operation: &str) -> Result<(), CognitoError> {
    let signed = request
        .header("authorization")
        .is_some_and(|a| a.trim_start().starts_with(SIGV4));
    if !signed {
        return Err(CognitoError::MissingAuthenticationToken);
    }
    if request.header("origin").is_some() {
        return Err(CognitoError::AccessDenied(format!(
            "User: anonymous is not authorized to perform: cognito-idp:{operation} (the offline stack refuses IAM operations sent by a browser: the request has an Origin header)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(headers: &[(&str, &str)]) -> Request {
        Request {
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            ..Request::default()
        }
    }

    const SIGNED: (&str, &str) = (
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00",
    );

    #[test]
    fn only_signed_calls_without_origin_pass() {
        assert_eq!(check(&request(&[SIGNED]), "ListUsers"), Ok(()));
        assert_eq!(
            check(&request(&[]), "ListUsers"),
            Err(CognitoError::MissingAuthenticationToken)
        );
        assert_eq!(
            check(&request(&[("Authorization", "Bearer x")]), "ListUsers"),
            Err(CognitoError::MissingAuthenticationToken)
        );
        let browser = check(
            &request(&[SIGNED, ("Origin", "http://localhost:3001")]),
            "DescribeUserPoolClient",
        )
        .unwrap_err();
        assert_eq!(browser.type_name(), "AccessDeniedException");
        assert!(
            browser
                .to_string()
                .contains("cognito-idp:DescribeUserPoolClient")
        );
    }
}

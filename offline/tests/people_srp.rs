//! People sign in with USER_SRP_AUTH through amazon-cognito-identity-js (the Amplify team's
//! Cognito SRP client, run under Node), then use the local API with the tokens they got: a
//! reader 200 on GET and 403 on DELETE, an admin 200 on DELETE, the caller echoed with username
//! and groups, the ID token refused (401). Also: a wrong password, an unknown user, and a
//! temporary password answered through the SDK's NEW_PASSWORD_REQUIRED callback.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod people_support;
mod support;

use offline::Offline;
use people_support::{Api, PASSWORD, claims, people_client, srp_sign_in};
use serde_json::json;
use support::{Client, options};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Node.js and the npm packages of offline/tests/srp-client: run scripts/check.sh"]
async fn srp_sign_in_then_the_api_by_group() {
    let offline = Offline::start(options(&[])).await.unwrap();
    let api = Api::new(&offline);
    api.user("reader", PASSWORD, false, &["readers"]).await;
    api.user("admin", PASSWORD, false, &["admins"]).await;
    api.user("nobody", PASSWORD, false, &[]).await;

    let reader = srp_sign_in(&offline, "reader", PASSWORD, None).await;
    assert_eq!(reader["ok"], true, "{reader}");
    let access = reader["accessToken"].as_str().unwrap();
    let id = reader["idToken"].as_str().unwrap();
    let people_id = &people_client(&offline).credentials.client_id;
    let a = claims(access);
    assert_eq!(a["token_use"], "access");
    assert_eq!(a["username"], "reader");
    assert_eq!(a["cognito:groups"], json!(["readers"]));
    assert_eq!(a["scope"], "aws.cognito.signin.user.admin");
    assert_eq!(a["client_id"], people_id.as_str());
    assert_eq!(a["iss"], offline.issuer().signer().issuer());
    let i = claims(id);
    assert_eq!(
        (i["token_use"].as_str(), i["aud"].as_str()),
        (Some("id"), Some(people_id.as_str()))
    );
    assert_eq!(i["cognito:username"], "reader");
    assert_eq!(i["email"], "reader@example.com");
    assert_eq!(i["email_verified"], true);
    assert_eq!(i["origin_jti"], a["origin_jti"], "one sign-in");
    assert_eq!(i["event_id"], a["event_id"]);
    assert!(reader["refreshToken"].as_str().unwrap().split('.').count() == 5);

    let http = Client::new();
    let (status, _, body) = http.call(&offline, "GET", Some(access)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["caller"]["username"], "reader");
    assert_eq!(body["caller"]["groups"], json!(["readers"]));
    let (status, _, body) = http.call(&offline, "DELETE", Some(access)).await;
    assert_eq!(status, 403, "{body}");
    let (status, _, body) = http.call(&offline, "POST", Some(access)).await;
    assert_eq!(status, 403, "{body}");
    let (status, _, body) = http.call(&offline, "GET", Some(id)).await;
    assert_eq!(
        (status.as_u16(), body),
        (401, json!({"message": "Unauthorized"})),
        "the ID token"
    );

    let admin = srp_sign_in(&offline, "admin", PASSWORD, None).await;
    let access = admin["accessToken"].as_str().unwrap();
    for method in ["DELETE", "POST", "GET"] {
        let (status, _, body) = http.call(&offline, method, Some(access)).await;
        assert_eq!(status, 200, "{method}: {body}");
        assert_eq!(body["caller"]["groups"], json!(["admins"]));
    }

    let nobody = srp_sign_in(&offline, "nobody", PASSWORD, None).await;
    let access = nobody["accessToken"].as_str().unwrap();
    assert!(
        claims(access).get("cognito:groups").is_none(),
        "no group, no claim"
    );
    let (status, _, _) = http.call(&offline, "GET", Some(access)).await;
    assert_eq!(status, 403);
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Node.js and the npm packages of offline/tests/srp-client: run scripts/check.sh"]
async fn srp_refusals_and_a_temporary_password() {
    let offline = Offline::start(options(&[])).await.unwrap();
    let api = Api::new(&offline);
    api.user("carol", PASSWORD, false, &[]).await;
    let wrong = srp_sign_in(&offline, "carol", "Wrong-Horse-1", None).await;
    assert_eq!(
        wrong,
        json!({"ok": false, "code": "NotAuthorizedException", "message": "Incorrect username or password."})
    );
    // The people client prevents user-existence errors: an unknown user reads the same.
    let unknown = srp_sign_in(&offline, "nobody-here", PASSWORD, None).await;
    assert_eq!(unknown, wrong);
    // The pool's user names are case-insensitive.
    let upper = srp_sign_in(&offline, "CAROL", PASSWORD, None).await;
    assert_eq!(upper["ok"], true, "{upper}");
    assert_eq!(
        claims(upper["accessToken"].as_str().unwrap())["username"],
        "carol"
    );

    api.user("dave", "Temp-Pass-123", true, &["readers"]).await;
    let challenged = srp_sign_in(&offline, "dave", "Temp-Pass-123", None).await;
    assert_eq!(
        challenged["challenge"], "NEW_PASSWORD_REQUIRED",
        "{challenged}"
    );
    assert_eq!(challenged["userAttributes"]["email"], "dave@example.com");
    let weak = srp_sign_in(&offline, "dave", "Temp-Pass-123", Some("weak")).await;
    assert_eq!(weak["code"], "InvalidPasswordException", "{weak}");
    let changed = srp_sign_in(&offline, "dave", "Temp-Pass-123", Some("New-Horse-42")).await;
    assert_eq!(changed["ok"], true, "{changed}");
    let (status, _, _) = Client::new()
        .call(
            &offline,
            "GET",
            Some(changed["accessToken"].as_str().unwrap()),
        )
        .await;
    assert_eq!(status, 200);
    let again = srp_sign_in(&offline, "dave", "New-Horse-42", None).await;
    assert_eq!(again["ok"], true, "the new password is permanent: {again}");
    let user = api.admin("AdminGetUser", json!({"Username": "dave"})).await;
    assert_eq!(user["UserStatus"], "CONFIRMED");
    offline.stop().await;
}

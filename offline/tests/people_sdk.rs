//! The AWS SDK for Rust (`aws-sdk-cognitoidentityprovider`) against the offline stack, with an
//! endpoint override, dummy static credentials and the latest behaviour version, as an app or a
//! script would use it: the admin operations (signed with SigV4 by the SDK), USER_PASSWORD_AUTH,
//! REFRESH_TOKEN_AUTH, GetUser, RevokeToken and refresh after it, and the SDK's typed errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod people_support;
mod support;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cognitoidentityprovider::types::{
    AttributeType, AuthFlowType, ChallengeNameType, UserStatusType,
};
use offline::Offline;
use people_support::{PASSWORD, claims, people_client};
use serde_json::json;
use support::options;

fn sdk(offline: &Offline) -> Client {
    let config = aws_sdk_cognitoidentityprovider::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(offline.stack().region.clone()))
        .endpoint_url(offline.base_url())
        .credentials_provider(Credentials::new("offline", "offline", None, None, "test"))
        .build();
    Client::from_conf(config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_aws_sdk_for_rust_manages_users_and_signs_in() {
    let offline = Offline::start(options(&[
        "--parameter-overrides",
        "PeoplePasswordSignIn=true",
    ]))
    .await
    .unwrap();
    let cognito = sdk(&offline);
    let pool = offline.stack().pool_id.clone();
    let people = people_client(&offline).credentials.client_id.clone();

    let created = cognito
        .admin_create_user()
        .user_pool_id(&pool)
        .username("erin")
        .temporary_password("Temp-Pass-123")
        .user_attributes(
            AttributeType::builder()
                .name("email")
                .value("erin@example.com")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let user = created.user().unwrap();
    assert_eq!(user.username(), Some("erin"));
    assert_eq!(
        user.user_status(),
        Some(&UserStatusType::ForceChangePassword)
    );
    assert!(user.user_create_date().is_some());
    let err = cognito
        .admin_create_user()
        .user_pool_id(&pool)
        .username("erin")
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_username_exists_exception());

    // A temporary password: NEW_PASSWORD_REQUIRED, answered through RespondToAuthChallenge.
    let challenge = cognito
        .initiate_auth()
        .client_id(&people)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "erin")
        .auth_parameters("PASSWORD", "Temp-Pass-123")
        .send()
        .await
        .unwrap();
    assert_eq!(
        challenge.challenge_name(),
        Some(&ChallengeNameType::NewPasswordRequired)
    );
    let answered = cognito
        .respond_to_auth_challenge()
        .client_id(&people)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .session(challenge.session().unwrap())
        .challenge_responses("USERNAME", "erin")
        .challenge_responses("NEW_PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap();
    assert!(
        answered
            .authentication_result()
            .unwrap()
            .access_token()
            .is_some()
    );

    cognito
        .admin_add_user_to_group()
        .user_pool_id(&pool)
        .username("erin")
        .group_name("readers")
        .send()
        .await
        .unwrap();
    let err = cognito
        .admin_add_user_to_group()
        .user_pool_id(&pool)
        .username("erin")
        .group_name("nope")
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_resource_not_found_exception());
    let got = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username("erin")
        .send()
        .await
        .unwrap();
    assert_eq!(got.user_status(), Some(&UserStatusType::Confirmed));
    let listed = cognito
        .list_users()
        .user_pool_id(&pool)
        .filter("username = \"erin\"")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.users().len(), 1);

    // USER_PASSWORD_AUTH, GetUser, refresh.
    let signed_in = cognito
        .initiate_auth()
        .client_id(&people)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "erin")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap();
    let result = signed_in.authentication_result().unwrap();
    let access = result.access_token().unwrap().to_owned();
    let refresh = result.refresh_token().unwrap().to_owned();
    assert_eq!(result.expires_in(), 3600);
    assert_eq!(claims(&access)["cognito:groups"], json!(["readers"]));
    let me = cognito
        .get_user()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(me.username(), "erin");
    assert!(
        me.user_attributes()
            .iter()
            .any(|a| a.name() == "email" && a.value() == Some("erin@example.com"))
    );
    let renewed = cognito
        .initiate_auth()
        .client_id(&people)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", &refresh)
        .send()
        .await
        .unwrap();
    let renewed = renewed.authentication_result().unwrap();
    assert!(renewed.refresh_token().is_none());
    assert_eq!(
        claims(renewed.access_token().unwrap())["origin_jti"],
        claims(&access)["origin_jti"]
    );

    // Wrong password and unknown user read the same (PreventUserExistenceErrors: ENABLED).
    for (username, password) in [("erin", "Wrong-Horse-1"), ("ghost", PASSWORD)] {
        let err = cognito
            .initiate_auth()
            .client_id(&people)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", password)
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(err.is_not_authorized_exception(), "{username}: {err:?}");
        assert_eq!(
            err.meta().message(),
            Some("Incorrect username or password.")
        );
    }

    // RevokeToken, then refresh: refused.
    cognito
        .revoke_token()
        .client_id(&people)
        .token(&refresh)
        .send()
        .await
        .unwrap();
    let err = cognito
        .initiate_auth()
        .client_id(&people)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", &refresh)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_not_authorized_exception(), "{err:?}");
    assert_eq!(err.meta().message(), Some("Refresh Token has been revoked"));
    let err = cognito
        .get_user()
        .access_token(&access)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.meta().message(), Some("Access Token has been revoked"));

    cognito
        .admin_delete_user()
        .user_pool_id(&pool)
        .username("erin")
        .send()
        .await
        .unwrap();
    let err = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username("erin")
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_user_not_found_exception());
    offline.stop().await;
}

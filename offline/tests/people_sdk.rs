//! The AWS SDK for Rust (`aws-sdk-cognitoidentityprovider`) against the offline stack, with an
//! endpoint override, dummy static credentials and the latest behaviour version, as an app or a
//! script would use it: the admin operations (signed with SigV4 by the SDK), USER_PASSWORD_AUTH,
//! REFRESH_TOKEN_AUTH, GetUser, RevokeToken and refresh after it, and the SDK's typed errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod people_support;
mod support;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cognitoidentityprovider::operation::admin_add_user_to_group::AdminAddUserToGroupError;
use aws_sdk_cognitoidentityprovider::operation::admin_get_user::{
    AdminGetUserError, AdminGetUserOutput,
};
use aws_sdk_cognitoidentityprovider::operation::initiate_auth::{
    InitiateAuthError, InitiateAuthOutput,
};
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

/// The calls the test makes more than once, on the local pool and its people client.
struct Calls<'a> {
    cognito: &'a Client,
    pool: &'a str,
    people: &'a str,
}

impl Calls<'_> {
    async fn sign_in(
        &self,
        username: &str,
        password: &str,
    ) -> Result<InitiateAuthOutput, InitiateAuthError> {
        self.initiate(
            AuthFlowType::UserPasswordAuth,
            &[("USERNAME", username), ("PASSWORD", password)],
        )
        .await
    }

    async fn refresh(&self, refresh: &str) -> Result<InitiateAuthOutput, InitiateAuthError> {
        self.initiate(
            AuthFlowType::RefreshTokenAuth,
            &[("REFRESH_TOKEN", refresh)],
        )
        .await
    }

    async fn initiate(
        &self,
        flow: AuthFlowType,
        parameters: &[(&str, &str)],
    ) -> Result<InitiateAuthOutput, InitiateAuthError> {
        let mut call = self
            .cognito
            .initiate_auth()
            .client_id(self.people)
            .auth_flow(flow);
        for (name, value) in parameters {
            call = call.auth_parameters(*name, *value);
        }
        call.send().await.map_err(|e| e.into_service_error())
    }

    async fn add_to_group(
        &self,
        username: &str,
        group: &str,
    ) -> Result<(), AdminAddUserToGroupError> {
        let call = self
            .cognito
            .admin_add_user_to_group()
            .user_pool_id(self.pool);
        call.username(username)
            .group_name(group)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| e.into_service_error())
    }

    async fn get(&self, username: &str) -> Result<AdminGetUserOutput, AdminGetUserError> {
        let call = self.cognito.admin_get_user().user_pool_id(self.pool);
        call.username(username)
            .send()
            .await
            .map_err(|e| e.into_service_error())
    }
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
    let calls = Calls {
        cognito: &cognito,
        pool: &pool,
        people: &people,
    };

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
    let challenge = calls.sign_in("erin", "Temp-Pass-123").await.unwrap();
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

    calls.add_to_group("erin", "readers").await.unwrap();
    let err = calls.add_to_group("erin", "nope").await.unwrap_err();
    assert!(err.is_resource_not_found_exception());
    let got = calls.get("erin").await.unwrap();
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
    let signed_in = calls.sign_in("erin", PASSWORD).await.unwrap();
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
    let renewed = calls.refresh(&refresh).await.unwrap();
    let renewed = renewed.authentication_result().unwrap();
    assert!(renewed.refresh_token().is_none());
    assert_eq!(
        claims(renewed.access_token().unwrap())["origin_jti"],
        claims(&access)["origin_jti"]
    );

    // Wrong password and unknown user read the same (PreventUserExistenceErrors: ENABLED).
    for (username, password) in [("erin", "Wrong-Horse-1"), ("ghost", PASSWORD)] {
        let err = calls.sign_in(username, password).await.unwrap_err();
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
    let err = calls.refresh(&refresh).await.unwrap_err();
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
    let err = calls.get("erin").await.unwrap_err();
    assert!(err.is_user_not_found_exception());
    offline.stop().await;
}

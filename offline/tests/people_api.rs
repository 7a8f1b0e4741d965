//! Cognito's JSON API over HTTP, as raw requests: the admin operations and their errors
//! (unsigned calls, other pools, repeated users, unknown attributes and groups, the password
//! policy), the password flow where enabled (wrong password, unknown user, temporary password and
//! NEW_PASSWORD_REQUIRED), SRP with a client secret through the `cognito_srp` crate, SECRET_HASH,
//! GetUser, RevokeToken, GlobalSignOut and refresh after them, unsupported operations, a web page
//! refused the IAM operations, users that survive a restart in the owner-only state database, and
//! changes that cannot be saved not made; on the issuer's own clock, a challenge session that
//! refused passwords do not prolong.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod people_support;
mod support;

use std::collections::HashMap;

use offline::json_api::secret_hash;
use offline::{Offline, standalone_issuer};
use people_support::{Api, PASSWORD, answer_at, claims, machine_client, people_client};
use serde_json::{Value, json};
use support::{TempDir, changed_template, options};

fn password_sign_in() -> offline::Options {
    options(&["--parameter-overrides", "PeoplePasswordSignIn=true"])
}

fn auth(client_id: &str, username: &str, password: &str) -> Value {
    json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
           "AuthParameters": {"USERNAME": username, "PASSWORD": password}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_operations_and_their_errors() {
    let offline = Offline::start(options(&[])).await.unwrap();
    let api = Api::new(&offline);
    let pool = api.pool_id.clone();
    let create = json!({"UserPoolId": pool, "Username": "alice", "MessageAction": "SUPPRESS",
                        "UserAttributes": [{"Name": "email", "Value": "alice@example.com"}]});

    let (status, answer) = api.call("AdminCreateUser", create.clone(), false).await;
    assert_eq!(
        (status, answer["__type"].as_str()),
        (400, Some("MissingAuthenticationTokenException")),
        "unsigned"
    );
    let response = api
        .http
        .post(&api.url)
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            "AWSCognitoIdentityProviderService.AdminGetUser",
        )
        .body(json!({"UserPoolId": pool, "Username": "x"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["x-amzn-errortype"],
        "MissingAuthenticationTokenException:"
    );
    assert_eq!(
        response.headers()["content-type"],
        "application/x-amz-json-1.1"
    );

    let created = api.admin("AdminCreateUser", create.clone()).await;
    let user = &created["User"];
    assert_eq!(
        (user["Username"].as_str(), user["UserStatus"].as_str()),
        (Some("alice"), Some("FORCE_CHANGE_PASSWORD"))
    );
    assert_eq!(user["Attributes"][0]["Name"], "sub");
    let errors = [
        (
            "AdminCreateUser",
            create.clone(),
            "UsernameExistsException",
            "User account already exists",
        ),
        (
            "AdminCreateUser",
            json!({"UserPoolId": pool, "Username": "ALICE"}),
            "UsernameExistsException",
            "User account already exists",
        ),
        (
            "AdminCreateUser",
            json!({"UserPoolId": "us-east-1_Other1", "Username": "bob"}),
            "ResourceNotFoundException",
            "User pool us-east-1_Other1 does not exist.",
        ),
        (
            "AdminCreateUser",
            json!({"UserPoolId": pool, "Username": "bob", "UserAttributes": [{"Name": "custom:team", "Value": "x"}]}),
            "InvalidParameterException",
            "Attributes did not conform to the schema: custom:team: Attribute does not exist in the schema.\n",
        ),
        (
            "AdminCreateUser",
            json!({"UserPoolId": pool, "Username": "bob", "TemporaryPassword": "weak"}),
            "InvalidPasswordException",
            "Password does not conform to policy: Password not long enough",
        ),
        (
            "AdminSetUserPassword",
            json!({"UserPoolId": pool, "Username": "alice", "Password": "alllowercase1!", "Permanent": true}),
            "InvalidPasswordException",
            "Password does not conform to policy: Password must have uppercase characters",
        ),
        (
            "AdminSetUserPassword",
            json!({"UserPoolId": pool, "Username": "nobody", "Password": PASSWORD}),
            "UserNotFoundException",
            "User does not exist.",
        ),
        (
            "AdminGetUser",
            json!({"UserPoolId": pool, "Username": "nobody"}),
            "UserNotFoundException",
            "User does not exist.",
        ),
        (
            "AdminAddUserToGroup",
            json!({"UserPoolId": pool, "Username": "alice", "GroupName": "owners"}),
            "ResourceNotFoundException",
            "Group not found.",
        ),
        (
            "ListUsers",
            json!({"UserPoolId": pool, "Filter": "nonsense"}),
            "InvalidParameterException",
            "Error while parsing filter.",
        ),
    ];
    for (operation, body, kind, message) in errors {
        let (k, m) = api.error(operation, body.clone(), true).await;
        assert_eq!(
            (k.as_str(), m.as_str()),
            (kind, message),
            "{operation} {body}"
        );
    }

    api.admin(
        "AdminSetUserPassword",
        json!({"Username": "alice", "Password": PASSWORD, "Permanent": true}),
    )
    .await;
    api.admin(
        "AdminAddUserToGroup",
        json!({"Username": "alice", "GroupName": "readers"}),
    )
    .await;
    api.admin(
        "AdminAddUserToGroup",
        json!({"Username": "Alice", "GroupName": "readers"}),
    )
    .await;
    let groups = api
        .admin("AdminListGroupsForUser", json!({"Username": "alice"}))
        .await;
    assert_eq!(groups["Groups"].as_array().unwrap().len(), 1, "added once");
    assert_eq!(groups["Groups"][0]["GroupName"], "readers");
    let got = api
        .admin("AdminGetUser", json!({"Username": "alice"}))
        .await;
    assert_eq!(got["UserStatus"], "CONFIRMED");
    assert_eq!(
        got["UserAttributes"][1],
        json!({"Name": "email", "Value": "alice@example.com"})
    );
    api.user("bob", PASSWORD, false, &[]).await;
    let listed = api
        .admin(
            "ListUsers",
            json!({"Filter": "email = \"bob@example.com\""}),
        )
        .await;
    assert_eq!(listed["Users"].as_array().unwrap().len(), 1);
    assert_eq!(listed["Users"][0]["Username"], "bob");
    let page = api.admin("ListUsers", json!({"Limit": 1})).await;
    assert_eq!(page["Users"][0]["Username"], "alice");
    let next = api
        .admin(
            "ListUsers",
            json!({"Limit": 1, "PaginationToken": page["PaginationToken"]}),
        )
        .await;
    assert_eq!(next["Users"][0]["Username"], "bob");
    assert!(next.get("PaginationToken").is_none());
    let past = api
        .admin("ListUsers", json!({"Limit": 1, "PaginationToken": "99"}))
        .await;
    assert_eq!(past, json!({"Users": []}), "past the end: an empty page");
    for token in ["18446744073709551615", "18446744073709551600", "-1", "x"] {
        let (kind, message) = api
            .error(
                "ListUsers",
                json!({"UserPoolId": pool, "Limit": 60, "PaginationToken": token}),
                true,
            )
            .await;
        assert_eq!(
            (kind.as_str(), message.as_str()),
            ("InvalidParameterException", "Invalid pagination token."),
            "{token}"
        );
    }
    api.admin(
        "AdminRemoveUserFromGroup",
        json!({"Username": "alice", "GroupName": "readers"}),
    )
    .await;
    let groups = api
        .admin("AdminListGroupsForUser", json!({"Username": "alice"}))
        .await;
    assert_eq!(groups["Groups"], json!([]));
    api.admin("AdminDeleteUser", json!({"Username": "bob"}))
        .await;
    let (kind, _) = api
        .error(
            "AdminGetUser",
            json!({"UserPoolId": pool, "Username": "bob"}),
            true,
        )
        .await;
    assert_eq!(kind, "UserNotFoundException");

    // The pool and its clients, found by name as scripts do (the same commands work on AWS).
    let pools = api
        .call("ListUserPools", json!({"MaxResults": 60}), true)
        .await
        .1;
    assert_eq!(
        pools["UserPools"][0],
        json!({"Id": pool, "Name": "cognito-auth-pool", "LambdaConfig": {}, "CreationDate": 0, "LastModifiedDate": 0})
    );
    let clients = api
        .admin("ListUserPoolClients", json!({"MaxResults": 60}))
        .await;
    assert_eq!(
        clients["UserPoolClients"][1]["ClientName"],
        "echo-api-people-client"
    );
    let machine = machine_client(&offline);
    let described = api
        .admin(
            "DescribeUserPoolClient",
            json!({"ClientId": machine.credentials.client_id}),
        )
        .await;
    assert_eq!(
        described["UserPoolClient"]["ClientSecret"],
        machine.credentials.client_secret.as_str()
    );

    // Operations that are not emulated, or not operations at all, and bodies that are not JSON.
    let (kind, message) = api.error("SignUp", json!({}), false).await;
    assert_eq!(kind, "UnsupportedOperationException");
    assert!(message.contains("SignUp"), "{message}");
    let (status, answer) = api.call("", json!({}), false).await;
    assert_eq!(
        (status, answer["__type"].as_str()),
        (400, Some("UnknownOperationException"))
    );
    let raw = api
        .http
        .post(&api.url)
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            "AWSCognitoIdentityProviderService.InitiateAuth",
        )
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    assert_eq!(
        raw.json::<Value>().await.unwrap()["__type"],
        "SerializationException"
    );
    let (kind, message) = api
        .error(
            "InitiateAuth",
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": 7}),
            false,
        )
        .await;
    assert_eq!(kind, "SerializationException");
    assert!(!message.contains('7'));
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_flow_where_enabled() {
    let offline = Offline::start(options(&[])).await.unwrap();
    let api = Api::new(&offline);
    api.user("alice", PASSWORD, false, &["readers"]).await;
    let people = people_client(&offline).credentials.client_id.clone();
    let (kind, message) = api
        .error("InitiateAuth", auth(&people, "alice", PASSWORD), false)
        .await;
    assert_eq!(
        (kind.as_str(), message.as_str()),
        (
            "InvalidParameterException",
            "USER_PASSWORD_AUTH flow not enabled for this client"
        )
    );
    let (kind, message) = api
        .error(
            "InitiateAuth",
            auth("nosuchclient", "alice", PASSWORD),
            false,
        )
        .await;
    assert_eq!(
        (kind.as_str(), message.as_str()),
        (
            "ResourceNotFoundException",
            "User pool client nosuchclient does not exist."
        )
    );
    offline.stop().await;

    let offline = Offline::start(password_sign_in()).await.unwrap();
    let api = Api::new(&offline);
    api.user("alice", PASSWORD, false, &["readers"]).await;
    let people = people_client(&offline).credentials.client_id.clone();
    for (username, password) in [("alice", "Wrong-Horse-1"), ("nobody", PASSWORD)] {
        let (kind, message) = api
            .error("InitiateAuth", auth(&people, username, password), false)
            .await;
        assert_eq!(
            (kind.as_str(), message.as_str()),
            ("NotAuthorizedException", "Incorrect username or password."),
            "{username}"
        );
    }
    let (kind, message) = api
        .error("InitiateAuth", json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": people, "AuthParameters": {"USERNAME": "alice"}}), false)
        .await;
    assert_eq!(
        (kind.as_str(), message.as_str()),
        (
            "InvalidParameterException",
            "Missing required parameter PASSWORD"
        )
    );
    let (status, signed_in) = api
        .call("InitiateAuth", auth(&people, "alice", PASSWORD), false)
        .await;
    assert_eq!(status, 200, "{signed_in}");
    let result = &signed_in["AuthenticationResult"];
    assert_eq!(
        (result["TokenType"].as_str(), result["ExpiresIn"].as_u64()),
        (Some("Bearer"), Some(3600))
    );
    assert_eq!(signed_in["ChallengeParameters"], json!({}));
    let access = result["AccessToken"].as_str().unwrap().to_owned();
    let refresh = result["RefreshToken"].as_str().unwrap().to_owned();
    assert_eq!(claims(&access)["scope"], "aws.cognito.signin.user.admin");
    assert!(
        claims(&access).get("version").is_none(),
        "API-flow tokens carry no version"
    );

    let me = api
        .call("GetUser", json!({"AccessToken": access}), false)
        .await;
    assert_eq!(me.0, 200);
    assert_eq!(me.1["Username"], "alice");
    let refreshed = api
        .call("InitiateAuth", json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": people, "AuthParameters": {"REFRESH_TOKEN": refresh}}), false)
        .await;
    assert_eq!(refreshed.0, 200, "{}", refreshed.1);
    assert!(
        refreshed.1["AuthenticationResult"]
            .get("RefreshToken")
            .is_none()
    );
    assert!(refreshed.1["AuthenticationResult"]["IdToken"].is_string());

    // RevokeToken: the refresh token no longer renews and the sign-in's access tokens are refused.
    let (kind, _) = api
        .error(
            "RevokeToken",
            json!({"Token": access, "ClientId": people}),
            false,
        )
        .await;
    assert_eq!(kind, "UnsupportedTokenTypeException");
    let revoked = api
        .call(
            "RevokeToken",
            json!({"Token": refresh, "ClientId": people}),
            false,
        )
        .await;
    assert_eq!(revoked, (200, json!({})));
    let again = json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": people, "AuthParameters": {"REFRESH_TOKEN": refresh}});
    let (kind, message) = api.error("InitiateAuth", again, false).await;
    assert_eq!(
        (kind.as_str(), message.as_str()),
        ("NotAuthorizedException", "Refresh Token has been revoked")
    );
    let (kind, message) = api
        .error("GetUser", json!({"AccessToken": access}), false)
        .await;
    assert_eq!(
        (kind.as_str(), message.as_str()),
        ("NotAuthorizedException", "Access Token has been revoked")
    );
    let (kind, message) = api
        .error("InitiateAuth", json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": people, "AuthParameters": {"REFRESH_TOKEN": "made.up.token.of.parts"}}), false)
        .await;
    assert_eq!(
        (kind.as_str(), message.as_str()),
        ("NotAuthorizedException", "Invalid Refresh Token")
    );

    // GlobalSignOut ends every sign-in of the user.
    let first = api
        .call("InitiateAuth", auth(&people, "alice", PASSWORD), false)
        .await
        .1;
    let second = api
        .call("InitiateAuth", auth(&people, "alice", PASSWORD), false)
        .await
        .1;
    let out = api
        .call(
            "GlobalSignOut",
            json!({"AccessToken": first["AuthenticationResult"]["AccessToken"]}),
            false,
        )
        .await;
    assert_eq!(out, (200, json!({})));
    for sign_in in [&first, &second] {
        let body = json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": people,
                          "AuthParameters": {"REFRESH_TOKEN": sign_in["AuthenticationResult"]["RefreshToken"]}});
        let (_, message) = api.error("InitiateAuth", body, false).await;
        assert_eq!(message, "Refresh Token has been revoked");
    }
    let (_, message) = api
        .error("GetUser", json!({"AccessToken": "not.a.token"}), false)
        .await;
    assert_eq!(message, "Invalid Access Token");

    // A disabled user cannot sign in.
    api.admin("AdminDisableUser", json!({"Username": "alice"}))
        .await;
    let (_, message) = api
        .error("InitiateAuth", auth(&people, "alice", PASSWORD), false)
        .await;
    assert_eq!(message, "User is disabled.");
    offline.stop().await;
}

/// A NEW_PASSWORD_REQUIRED session lasts the client's `AuthSessionValidity` (3 minutes) from
/// `InitiateAuth`: a refused new password leaves it usable, but does not prolong it.
#[test]
fn a_refused_new_password_does_not_prolong_the_session() {
    let options = password_sign_in();
    let (stack, issuer) = standalone_issuer(&options.inputs, &options.state).unwrap();
    let client = stack
        .clients
        .iter()
        .find(|c| c.logical_id == "PeopleClient")
        .unwrap();
    let (people, lasts) = (
        &client.credentials.client_id,
        client.auth_session_minutes * 60,
    );
    assert_eq!(lasts, 180);
    let t0 = 1_800_000_000;
    let create = json!({"UserPoolId": stack.pool_id, "Username": "tess", "MessageAction": "SUPPRESS",
                        "TemporaryPassword": "Temp-Pass-123"});
    assert_eq!(
        answer_at(&issuer, "AdminCreateUser", create, true, t0).0,
        200
    );
    let (status, challenge) = answer_at(
        &issuer,
        "InitiateAuth",
        auth(people, "tess", "Temp-Pass-123"),
        false,
        t0,
    );
    assert_eq!(status, 200, "{challenge}");
    let respond = |password: &str, now: u64| {
        let body = json!({"ClientId": people, "ChallengeName": "NEW_PASSWORD_REQUIRED",
                          "Session": challenge["Session"],
                          "ChallengeResponses": {"USERNAME": "tess", "NEW_PASSWORD": password}});
        answer_at(&issuer, "RespondToAuthChallenge", body, false, now).1
    };
    for at in [t0 + 60, t0 + lasts - 1] {
        assert_eq!(
            respond("weak", at)["__type"],
            "InvalidPasswordException",
            "{at}"
        );
    }
    let late = respond("New-Horse-42", t0 + lasts);
    assert_eq!(
        (late["__type"].as_str(), late["message"].as_str()),
        (
            Some("NotAuthorizedException"),
            Some("Invalid session for the user, session is expired.")
        ),
        "3 minutes after InitiateAuth"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_temporary_password_asks_for_a_new_one() {
    let offline = Offline::start(password_sign_in()).await.unwrap();
    let api = Api::new(&offline);
    api.user("tim", "Temp-Pass-123", true, &["readers"]).await;
    let people = people_client(&offline).credentials.client_id.clone();
    let (status, challenge) = api
        .call("InitiateAuth", auth(&people, "tim", "Temp-Pass-123"), false)
        .await;
    assert_eq!(status, 200);
    assert_eq!(challenge["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    assert_eq!(challenge["ChallengeParameters"]["USER_ID_FOR_SRP"], "tim");
    let attributes: Value = serde_json::from_str(
        challenge["ChallengeParameters"]["userAttributes"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(attributes["email"], "tim@example.com");
    let session = challenge["Session"].as_str().unwrap();
    let respond = |session: &str, password: &str| {
        json!({"ClientId": people, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": session,
               "ChallengeResponses": {"USERNAME": "tim", "NEW_PASSWORD": password, "userAttributes.name": "Tim"}})
    };
    let (kind, message) = api
        .error(
            "RespondToAuthChallenge",
            respond("forged", "New-Horse-42"),
            false,
        )
        .await;
    assert_eq!(
        (kind.as_str(), message.as_str()),
        (
            "NotAuthorizedException",
            "Invalid session for the user, session is expired."
        )
    );
    let (kind, _) = api
        .error(
            "RespondToAuthChallenge",
            respond(session, "nouppercase1!"),
            false,
        )
        .await;
    assert_eq!(kind, "InvalidPasswordException");
    let (status, done) = api
        .call(
            "RespondToAuthChallenge",
            respond(session, "New-Horse-42"),
            false,
        )
        .await;
    assert_eq!(status, 200, "{done}");
    let id = claims(done["AuthenticationResult"]["IdToken"].as_str().unwrap());
    assert_eq!(id["name"], "Tim");
    let (kind, _) = api
        .error(
            "RespondToAuthChallenge",
            respond(session, "New-Horse-43"),
            false,
        )
        .await;
    assert_eq!(kind, "NotAuthorizedException", "a session is used once");
    let (status, _) = api
        .call("InitiateAuth", auth(&people, "tim", "New-Horse-42"), false)
        .await;
    assert_eq!(status, 200);
    offline.stop().await;
}

/// SRP through the machine client, which has a secret and Cognito's default flows (SRP
/// included): SECRET_HASH is required, and `cognito_srp` (a port of warrant) completes the
/// exchange. With `PreventUserExistenceErrors: LEGACY` an unknown user is `UserNotFoundException`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn srp_with_a_client_secret_and_legacy_user_existence_errors() {
    let dir = TempDir::new("legacy");
    let options = changed_template(
        &dir,
        "PreventUserExistenceErrors: ENABLED",
        "PreventUserExistenceErrors: LEGACY",
        &[],
    );
    let offline = Offline::start(options).await.unwrap();
    let api = Api::new(&offline);
    api.user("sam", PASSWORD, false, &["admins"]).await;
    let machine = machine_client(&offline).credentials.clone();
    let pool = offline.stack().pool_id.clone();

    let client = cognito_srp::SrpClient::new(
        "sam",
        PASSWORD,
        &pool,
        &machine.client_id,
        Some(&machine.client_secret),
    );
    let params = client.get_auth_params().unwrap();
    let mut no_hash = params.clone();
    no_hash.remove("SECRET_HASH");
    let body = |p: &HashMap<String, String>| json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": machine.client_id, "AuthParameters": p});
    let (kind, message) = api.error("InitiateAuth", body(&no_hash), false).await;
    assert_eq!(
        (kind.as_str(), message),
        (
            "NotAuthorizedException",
            format!(
                "Unable to verify secret hash for client {}",
                machine.client_id
            )
        )
    );
    for (srp_a, why) in [
        (
            "f".repeat(769),
            "SRP_A is longer than 768 hexadecimal digits",
        ),
        ("f".repeat(768), "SRP_A is not below N"),
    ] {
        let mut long_a = params.clone();
        long_a.insert("SRP_A".into(), srp_a);
        let (kind, message) = api.error("InitiateAuth", body(&long_a), false).await;
        assert_eq!(
            (kind.as_str(), message),
            ("InvalidParameterException", format!("SRP_A: {why}"))
        );
    }
    let (status, challenge) = api.call("InitiateAuth", body(&params), false).await;
    assert_eq!(status, 200, "{challenge}");
    assert_eq!(challenge["ChallengeName"], "PASSWORD_VERIFIER");
    let parameters: HashMap<String, String> =
        serde_json::from_value(challenge["ChallengeParameters"].clone()).unwrap();
    let mut responses = client.process_challenge(parameters).unwrap();
    responses.insert(
        "SECRET_HASH".into(),
        secret_hash(machine_client(&offline), "sam"),
    );
    let respond = json!({"ClientId": machine.client_id, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": responses});
    let (status, done) = api
        .call("RespondToAuthChallenge", respond.clone(), false)
        .await;
    assert_eq!(status, 200, "{done}");
    let access = claims(
        done["AuthenticationResult"]["AccessToken"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(
        (
            access["username"].as_str(),
            access["cognito:groups"].clone()
        ),
        (Some("sam"), json!(["admins"]))
    );
    let (_, message) = api.error("RespondToAuthChallenge", respond, false).await;
    assert_eq!(
        message, "Incorrect username or password.",
        "an exchange is answered once"
    );

    let stranger = cognito_srp::SrpClient::new(
        "stranger",
        PASSWORD,
        &pool,
        &machine.client_id,
        Some(&machine.client_secret),
    );
    let (kind, message) = api
        .error(
            "InitiateAuth",
            body(&stranger.get_auth_params().unwrap()),
            false,
        )
        .await;
    assert_eq!(
        (kind.as_str(), message.as_str()),
        ("UserNotFoundException", "User does not exist.")
    );
    offline.stop().await;
}

/// A page open in a browser while the stack runs cannot list pools, read a client secret or make
/// itself an admin: the preflight never allows `Authorization`, and a signed IAM call that carries
/// `Origin` is refused and changes nothing. The unsigned sign-in calls still work from a page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_page_cannot_call_the_iam_operations() {
    const PAGE: &str = "http://attacker.example";
    let offline = Offline::start(options(&[])).await.unwrap();
    let api = Api::new(&offline);
    let preflight = api
        .http
        .request(reqwest::Method::OPTIONS, &api.url)
        .header("origin", PAGE)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-amz-target,Authorization,x-amz-user-agent",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 200);
    assert_eq!(
        preflight.headers()["access-control-allow-headers"],
        "content-type,x-amz-target,x-amz-user-agent"
    );

    let pool = api.pool_id.clone();
    let people = people_client(&offline).credentials.client_id.clone();
    let create = json!({"UserPoolId": pool, "Username": "mallory", "MessageAction": "SUPPRESS",
                        "TemporaryPassword": PASSWORD});
    for (operation, body) in [
        ("ListUserPools", json!({"MaxResults": 60})),
        ("ListUserPoolClients", json!({"UserPoolId": pool})),
        (
            "DescribeUserPoolClient",
            json!({"UserPoolId": pool, "ClientId": people}),
        ),
        ("AdminCreateUser", create.clone()),
        (
            "AdminAddUserToGroup",
            json!({"UserPoolId": pool, "Username": "mallory", "GroupName": "admins"}),
        ),
    ] {
        let (status, answer) = api.call_from(Some(PAGE), operation, body, true).await;
        assert_eq!(
            (status, answer["__type"].as_str()),
            (400, Some("AccessDeniedException")),
            "{operation}: {answer}"
        );
        assert!(!answer.to_string().contains("ClientSecret"), "{answer}");
    }
    let (kind, _) = api
        .error(
            "AdminGetUser",
            json!({"UserPoolId": pool, "Username": "mallory"}),
            true,
        )
        .await;
    assert_eq!(kind, "UserNotFoundException", "nobody was created");

    api.user("paige", PASSWORD, false, &[]).await;
    let srp = cognito_srp::SrpClient::new("paige", PASSWORD, &pool, &people, None);
    let body = json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": people,
                      "AuthParameters": srp.get_auth_params().unwrap()});
    let (status, challenge) = api.call_from(Some(PAGE), "InitiateAuth", body, false).await;
    assert_eq!(status, 200, "{challenge}");
    assert_eq!(challenge["ChallengeName"], "PASSWORD_VERIFIER");
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_survive_a_restart_without_their_passwords_on_disk() {
    let dir = TempDir::new("people-state");
    let state = dir.path().join("state");
    let state_arg = state.display().to_string();
    let args = [
        "--state-dir",
        state_arg.as_str(),
        "--parameter-overrides",
        "PeoplePasswordSignIn=true",
    ];
    let offline = Offline::start(options(&args)).await.unwrap();
    let api = Api::new(&offline);
    api.user("paula", PASSWORD, false, &["admins"]).await;
    let people = people_client(&offline).credentials.client_id.clone();
    let first = api
        .call("InitiateAuth", auth(&people, "paula", PASSWORD), false)
        .await
        .1;
    offline.stop().await;

    // Everything the database holds, its write-ahead log included (if a stack left one).
    let mut bytes = std::fs::read(state.join("state.db")).unwrap();
    bytes.extend(std::fs::read(state.join("state.db-wal")).unwrap_or_default());
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("paula") && text.contains("pbkdf2-sha256$"));
    assert!(!text.contains(PASSWORD), "no password");
    assert!(
        !text.contains(
            first["AuthenticationResult"]["RefreshToken"]
                .as_str()
                .unwrap()
        ),
        "no refresh token"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(state.join("state.db"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let offline = Offline::start(options(&args)).await.unwrap();
    let api = Api::new(&offline);
    let (status, _) = api
        .call("InitiateAuth", auth(&people, "paula", PASSWORD), false)
        .await;
    assert_eq!(status, 200, "the user and the client id came back");
    let body = json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": people,
                      "AuthParameters": {"REFRESH_TOKEN": first["AuthenticationResult"]["RefreshToken"]}});
    assert_eq!(
        api.call("InitiateAuth", body, false).await.0,
        200,
        "the refresh token too"
    );
    offline.stop().await;
}

/// A change the state database cannot take is not made: the caller gets
/// `InternalErrorException` and the pool is as it was. (Here another program, the test, holds the
/// database's write lock longer than the stack waits; reads go on meanwhile.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_that_cannot_be_saved_is_not_made() {
    let dir = TempDir::new("unsaved");
    let state = dir.path().join("state");
    let state_arg = state.display().to_string();
    let offline = Offline::start(options(&["--state-dir", state_arg.as_str()]))
        .await
        .unwrap();
    let api = Api::new(&offline);
    let pool = api.pool_id.clone();
    api.user("kept", PASSWORD, false, &[]).await;

    let other = rusqlite::Connection::open(state.join("state.db")).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let failed = |(status, answer): (u16, Value)| {
        assert_eq!(
            (status, answer["__type"].as_str()),
            (500, Some("InternalErrorException")),
            "{answer}"
        );
        assert!(
            answer["message"].as_str().unwrap().contains("write lock"),
            "{answer}"
        );
    };
    let create = json!({"UserPoolId": pool, "Username": "lost", "MessageAction": "SUPPRESS"});
    failed(api.call("AdminCreateUser", create.clone(), true).await);
    let join = json!({"UserPoolId": pool, "Username": "kept", "GroupName": "admins"});
    failed(api.call("AdminAddUserToGroup", join, true).await);
    let kept = api.admin("AdminGetUser", json!({"Username": "kept"})).await;
    assert_eq!(kept["Enabled"], true, "read while another holds the lock");
    other.execute_batch("ROLLBACK").unwrap();

    let (kind, _) = api
        .error(
            "AdminGetUser",
            json!({"UserPoolId": pool, "Username": "lost"}),
            true,
        )
        .await;
    assert_eq!(kind, "UserNotFoundException", "not created");
    let groups = api
        .admin("AdminListGroupsForUser", json!({"Username": "kept"}))
        .await;
    assert_eq!(groups["Groups"], json!([]), "not an admin");
    api.admin("AdminCreateUser", create).await;
    let names: Vec<String> = other
        .prepare("SELECT username FROM users ORDER BY username")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(names, ["kept", "lost"]);
    offline.stop().await;
}

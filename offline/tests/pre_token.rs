//! Cognito's pre token generation trigger offline (`tests/fixtures/user-function/pre-token`: a
//! function of the template, run as its own process, answering every event with the same
//! overrides and handing the event back in the access token's `event` claim): the event Cognito
//! sends for each token path, the overrides applied as AWS documents them (claims added,
//! overridden and suppressed, complex values, protected claims left alone, scopes added and
//! suppressed, groups overridden), a failing trigger failing the sign-in with Cognito's
//! exception, V2_0 not run for client credentials but V3_0 run; custom attributes from the pool's
//! `Schema`; and the template mistakes refused at start.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod people_support;
mod support;

use offline::Offline;
use people_support::{Api, Browser, PASSWORD, claims, pkce, token};
use serde_json::{Value, json};
use support::{Client, TempDir, copy_fixture, template_alone};

/// The fixture's workspace copied into `dir`, its template with `from` replaced by `to`.
fn options(dir: &TempDir, from: &str, to: &str) -> offline::Options {
    let workspace = copy_fixture(dir, "user-function");
    let template = workspace.join("pre-token.yaml");
    let text = std::fs::read_to_string(&template).unwrap();
    let changed = text.replacen(from, to, 1);
    assert!(
        from.is_empty() || changed != text,
        "`{from}` is not in the template"
    );
    std::fs::write(&template, changed).unwrap();
    template_alone(&template)
}

fn client<'a>(offline: &'a Offline, id: &str) -> &'a offline::AppClient {
    offline
        .stack()
        .clients
        .iter()
        .find(|c| c.logical_id == id)
        .unwrap()
}

/// Creates `name` of tenant `acme`, with an e-mail address and a permanent password.
async fn user(api: &Api, name: &str) {
    api.admin(
        "AdminCreateUser",
        json!({"Username": name, "MessageAction": "SUPPRESS", "UserAttributes": [
            {"Name": "email", "Value": format!("{name}@example.com")},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:tenant_id", "Value": "acme"}]}),
    )
    .await;
    api.admin(
        "AdminSetUserPassword",
        json!({"Username": name, "Password": PASSWORD, "Permanent": true}),
    )
    .await;
}

/// `InitiateAuth` with `flow` and `params` through the people client: status and answer.
async fn initiate(offline: &Offline, api: &Api, flow: &str, params: Value) -> (u16, Value) {
    let people = &client(offline, "People").credentials.client_id;
    api.call(
        "InitiateAuth",
        json!({"AuthFlow": flow, "ClientId": people, "AuthParameters": params}),
        false,
    )
    .await
}

async fn machine_token(offline: &Offline, scope: &str) -> Value {
    let machine = &client(offline, "Machine").credentials;
    let (status, body) = Client::new()
        .token(
            offline,
            &machine.client_id,
            &machine.client_secret,
            Some(scope),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    claims(body["access_token"].as_str().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_v3_trigger_customises_every_token_path() {
    let dir = TempDir::new("pre-token-v3");
    let offline = Offline::start(options(&dir, "", "")).await.unwrap();
    let api = Api::new(&offline);
    user(&api, "alice").await;
    let (status, answer) = initiate(
        &offline,
        &api,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "alice", "PASSWORD": PASSWORD}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let result = &answer["AuthenticationResult"];
    let access = claims(result["AccessToken"].as_str().unwrap());
    let id = claims(result["IdToken"].as_str().unwrap());

    // The event Cognito sends.
    let event = &access["event"];
    let people = &client(&offline, "People").credentials.client_id;
    assert_eq!(event["version"], "3");
    assert_eq!(event["triggerSource"], "TokenGeneration_Authentication");
    assert_eq!(event["userName"], "alice");
    assert_eq!(event["userPoolId"], json!(offline.stack().pool_id));
    assert_eq!(event["callerContext"]["clientId"], json!(people));
    let attributes = &event["request"]["userAttributes"];
    assert_eq!(attributes["custom:tenant_id"], "acme");
    assert_eq!(attributes["sub"], access["sub"]);
    assert_eq!(attributes["cognito:user_status"], "CONFIRMED");
    assert_eq!(
        event["request"]["scopes"],
        json!(["aws.cognito.signin.user.admin"])
    );
    assert_eq!(
        event["response"],
        json!({"claimsAndScopeOverrideDetails": null})
    );

    // The access token: claims added (complex values as written), a claim added then
    // suppressed, protected claims unchanged, scopes added and suppressed, groups overridden.
    assert_eq!(access["tier"], json!({"level": 2}));
    assert_eq!(access["flags"], json!([1, true, "a"]));
    assert!(access.get("tmp").is_none(), "suppressed");
    assert_ne!(access["sub"], "forged");
    assert_eq!(access["client_id"], json!(people));
    assert!(
        access["origin_jti"].is_string(),
        "a protected claim is not suppressed"
    );
    assert_eq!(access["scope"], "orders/read");
    assert_eq!(access["cognito:groups"], json!(["tenant-admins"]));
    assert!(
        access.get("custom:tenant_id").is_none(),
        "custom attributes are ID token claims"
    );

    // The ID token: the user's attributes (custom ones included), overrides of its own.
    assert_eq!(id["custom:tenant_id"], "acme");
    assert_eq!(id["plan"], "gold");
    assert!(id.get("email").is_none(), "suppressed");
    assert_eq!(id["email_verified"], true, "cannot become an object");
    assert_eq!(id["cognito:groups"], json!(["tenant-admins"]));
    assert!(id.get("event").is_none());

    // A refresh runs it again, with its own trigger source.
    let refresh = result["RefreshToken"].as_str().unwrap();
    let (status, answer) = initiate(
        &offline,
        &api,
        "REFRESH_TOKEN_AUTH",
        json!({"REFRESH_TOKEN": refresh}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let renewed = claims(
        answer["AuthenticationResult"]["AccessToken"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(
        renewed["event"]["triggerSource"],
        "TokenGeneration_RefreshTokens"
    );
    assert_eq!(renewed["scope"], "orders/read");

    // A temporary password changed through NEW_PASSWORD_REQUIRED: its own trigger source.
    api.admin(
        "AdminCreateUser",
        json!({"Username": "dave", "MessageAction": "SUPPRESS", "TemporaryPassword": "Temp0rary-Pass!",
               "UserAttributes": [{"Name": "custom:tenant_id", "Value": "acme"}]}),
    )
    .await;
    let (status, challenge) = initiate(
        &offline,
        &api,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "dave", "PASSWORD": "Temp0rary-Pass!"}),
    )
    .await;
    assert_eq!(
        (status, &challenge["ChallengeName"]),
        (200, &json!("NEW_PASSWORD_REQUIRED"))
    );
    let (status, answer) = api
        .call(
            "RespondToAuthChallenge",
            json!({"ClientId": people, "ChallengeName": "NEW_PASSWORD_REQUIRED",
                   "Session": challenge["Session"],
                   "ChallengeResponses": {"USERNAME": "dave", "NEW_PASSWORD": PASSWORD}}),
            false,
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let changed = claims(
        answer["AuthenticationResult"]["AccessToken"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(
        changed["event"]["triggerSource"],
        "TokenGeneration_NewPasswordChallenge"
    );

    // Client credentials (V3_0 only): no user, the scopes asked for.
    let machine = machine_token(&offline, "orders/write").await;
    let event = &machine["event"];
    assert_eq!(event["triggerSource"], "TokenGeneration_ClientCredentials");
    assert_eq!(event["version"], "3");
    assert!(event.get("userName").is_none());
    assert_eq!(event["request"]["scopes"], json!(["orders/write"]));
    assert_eq!(machine["scope"], "orders/write orders/read");
    assert_eq!(machine["tier"], json!({"level": 2}));
    assert_eq!(machine["sub"], machine["client_id"]);
    assert_eq!(event["request"]["clientMetadata"], json!({}));
    // The token endpoint's `aws_client_metadata` reaches the trigger; a malformed one is refused.
    let credentials = &client(&offline, "Machine").credentials;
    let form = |metadata: &'static str| {
        [
            ("grant_type", "client_credentials"),
            ("client_id", credentials.client_id.as_str()),
            ("client_secret", credentials.client_secret.as_str()),
            ("aws_client_metadata", metadata),
        ]
    };
    let (status, body) = token(&offline, &form(r#"{"on_behalf_of": "u-1"}"#)).await;
    assert_eq!(status, 200, "{body}");
    let event = &claims(body["access_token"].as_str().unwrap())["event"];
    assert_eq!(
        event["request"]["clientMetadata"],
        json!({"on_behalf_of": "u-1"})
    );
    let (status, body) = token(&offline, &form(r#"["u-1"]"#)).await;
    assert_eq!((status, body), (400, json!({"error": "invalid_request"})));
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_trigger_fails_the_sign_in_as_cognito_does() {
    let dir = TempDir::new("pre-token-fail");
    let offline = Offline::start(options(&dir, "", "")).await.unwrap();
    let api = Api::new(&offline);
    for (name, kind, message) in [
        (
            "fail",
            "UserLambdaValidationException",
            "PreTokenGeneration failed with error the user belongs to no tenant.",
        ),
        (
            "garbage",
            "InvalidLambdaResponseException",
            "Unrecognizable lambda output",
        ),
        (
            // Past the function's 2 s Timeout: Lambda's error, as the function's own.
            "slow",
            "UserLambdaValidationException",
            "PreTokenGeneration failed with error Task timed out after 2.00 seconds.",
        ),
    ] {
        user(&api, name).await;
        let (status, answer) = initiate(
            &offline,
            &api,
            "USER_PASSWORD_AUTH",
            json!({"USERNAME": name, "PASSWORD": PASSWORD}),
        )
        .await;
        assert_eq!(status, 400, "{answer}");
        assert_eq!(
            (answer["__type"].as_str(), answer["message"].as_str()),
            (Some(kind), Some(message))
        );
    }
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_v2_trigger_is_not_run_for_client_credentials() {
    let dir = TempDir::new("pre-token-v2");
    let offline = Offline::start(options(&dir, "V3_0", "V2_0")).await.unwrap();
    let machine = machine_token(&offline, "orders/write").await;
    assert!(machine.get("event").is_none(), "{machine}");
    assert_eq!(machine["scope"], "orders/write");
    let api = Api::new(&offline);
    user(&api, "bob").await;
    let (status, answer) = initiate(
        &offline,
        &api,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "bob", "PASSWORD": PASSWORD}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let access = claims(
        answer["AuthenticationResult"]["AccessToken"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(access["event"]["version"], "2");
    assert_eq!(access["scope"], "orders/read");
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_attributes_follow_the_pools_schema() {
    let dir = TempDir::new("pre-token-schema");
    let offline = Offline::start(options(&dir, "", "")).await.unwrap();
    let api = Api::new(&offline);
    for (attribute, value, problem) in [
        (
            "custom:nope",
            "1",
            "custom:nope: Attribute does not exist in the schema.\n",
        ),
        (
            "custom:tenant_id",
            "",
            "custom:tenant_id: String must be no shorter than 1 characters",
        ),
        (
            "custom:tenant_id",
            "acme-corp",
            "custom:tenant_id: String must be no longer than 8 characters",
        ),
        (
            "custom:seats",
            "many",
            "custom:seats: Number must be a whole number",
        ),
        (
            "custom:seats",
            "101",
            "custom:seats: Number must be no greater than 100",
        ),
    ] {
        let (status, answer) = api
            .call(
                "AdminCreateUser",
                json!({"UserPoolId": api.pool_id, "Username": "carol", "MessageAction": "SUPPRESS",
                       "UserAttributes": [{"Name": attribute, "Value": value}]}),
                true,
            )
            .await;
        assert_eq!(status, 400, "{attribute}={value}: {answer}");
        assert_eq!(answer["__type"], "InvalidParameterException");
        assert_eq!(
            answer["message"],
            format!("Attributes did not conform to the schema: {problem}")
        );
    }
    let created = api
        .admin(
            "AdminCreateUser",
            json!({"Username": "carol", "MessageAction": "SUPPRESS", "UserAttributes": [
                {"Name": "custom:tenant_id", "Value": "globex"}, {"Name": "custom:seats", "Value": "12"}]}),
        )
        .await;
    let attributes = created["User"]["Attributes"].to_string();
    assert!(
        attributes.contains(r#"{"Name":"custom:tenant_id","Value":"globex"}"#),
        "{attributes}"
    );
    // Changed later: a mutable one may, an immutable one may not; the schema holds as at creation.
    api.admin(
        "AdminUpdateUserAttributes",
        json!({"Username": "carol", "UserAttributes": [{"Name": "custom:seats", "Value": "20"}]}),
    )
    .await;
    let read = api
        .admin("AdminGetUser", json!({"Username": "carol"}))
        .await;
    assert!(
        read["UserAttributes"]
            .to_string()
            .contains(r#"{"Name":"custom:seats","Value":"20"}"#),
        "{read}"
    );
    for (attribute, value, message) in [
        (
            "custom:tenant_id",
            "acme",
            "Cannot modify the non-mutable attribute custom:tenant_id",
        ),
        (
            "custom:nope",
            "1",
            "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\n",
        ),
        (
            "custom:seats",
            "0",
            "Attributes did not conform to the schema: custom:seats: Number must be no less than 1",
        ),
    ] {
        let (kind, text) = api
            .error(
                "AdminUpdateUserAttributes",
                json!({"UserPoolId": api.pool_id, "Username": "carol",
                       "UserAttributes": [{"Name": attribute, "Value": value}]}),
                true,
            )
            .await;
        assert_eq!(
            (kind.as_str(), text.as_str()),
            ("InvalidParameterException", message)
        );
    }
    offline.stop().await;
}

#[tokio::test]
async fn templates_the_trigger_cannot_run_from_are_refused_at_start() {
    for (from, to, needle) in [
        (
            "LambdaVersion: V3_0",
            "LambdaVersion: V1_0",
            "Resources.Pool.Properties.LambdaConfig.PreTokenGenerationConfig.LambdaVersion: `V1_0`: only V2_0 and V3_0",
        ),
        (
            "PreTokenGenerationConfig:\n          LambdaVersion: V3_0\n          LambdaArn: !GetAtt Trigger.Arn",
            "PreTokenGeneration: !GetAtt Trigger.Arn",
            "the legacy PreTokenGeneration trigger sends V1_0 events",
        ),
        (
            "Principal: cognito-idp.amazonaws.com",
            "Principal: apigateway.amazonaws.com",
            "Cognito may not invoke `Trigger`",
        ),
        (
            "LambdaArn: !GetAtt Trigger.Arn",
            "LambdaArn: arn:aws:lambda:us-east-1:123456789012:function:elsewhere",
            "is not the Arn of a function of the template",
        ),
    ] {
        let dir = TempDir::new("pre-token-refused");
        let err = Offline::start(options(&dir, from, to))
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains(needle), "{to}: {err}");
    }
}

/// The hosted UI's code, redeemed at `/oauth2/token` with its verifier: status and answer.
async fn hosted_sign_in(offline: &Offline, name: &str) -> (u16, Value) {
    let people = client(offline, "People").credentials.client_id.clone();
    let (verifier, challenge) = pkce();
    let mut browser = Browser::new(offline);
    let form = browser.login_form(&people, &challenge).await;
    let back = browser
        .submit(&form.action(), &form.csrf(), name, PASSWORD)
        .await;
    assert_eq!(back.status, 302, "{back:?}");
    let code = back.location_param("code").unwrap();
    token(
        offline,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &people),
            ("code", &code),
            ("redirect_uri", "http://localhost:3001/"),
            ("code_verifier", &verifier),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hosted_ui_runs_it_when_its_code_is_redeemed() {
    let dir = TempDir::new("pre-token-hosted");
    let offline = Offline::start(options(&dir, "", "")).await.unwrap();
    let api = Api::new(&offline);
    user(&api, "erin").await;
    let (status, answer) = hosted_sign_in(&offline, "erin").await;
    assert_eq!(status, 200, "{answer}");
    let access = claims(answer["access_token"].as_str().unwrap());
    assert_eq!(
        access["event"]["triggerSource"],
        "TokenGeneration_HostedAuth"
    );
    assert_eq!(access["event"]["request"]["scopes"], json!(["openid"]));
    assert_eq!(access["scope"], "openid orders/read");
    let id = claims(answer["id_token"].as_str().unwrap());
    assert_eq!((id["plan"].as_str(), id.get("email")), (Some("gold"), None));
    assert!(id["at_hash"].is_string(), "of the access token as changed");
    // A refresh at the token endpoint, with its own trigger source.
    let people = client(&offline, "People").credentials.client_id.clone();
    let refresh = answer["refresh_token"].as_str().unwrap();
    let (status, renewed) = token(
        &offline,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &people),
            ("refresh_token", refresh),
        ],
    )
    .await;
    assert_eq!(status, 200, "{renewed}");
    let access = claims(renewed["access_token"].as_str().unwrap());
    assert_eq!(
        access["event"]["triggerSource"],
        "TokenGeneration_RefreshTokens"
    );
    // A failing trigger: no tokens from the endpoint.
    user(&api, "fail").await;
    let (status, answer) = hosted_sign_in(&offline, "fail").await;
    assert_eq!((status, answer), (400, json!({"error": "invalid_request"})));
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_gives_up_after_three_calls_of_five_seconds() {
    let dir = TempDir::new("pre-token-wait");
    // A Timeout longer than Cognito waits: Cognito's limit decides.
    let offline = Offline::start(options(&dir, "Timeout: 2", "Timeout: 30"))
        .await
        .unwrap();
    let api = Api::new(&offline);
    user(&api, "slow").await;
    let started = std::time::Instant::now();
    let (status, answer) = initiate(
        &offline,
        &api,
        "USER_PASSWORD_AUTH",
        json!({"USERNAME": "slow", "PASSWORD": PASSWORD}),
    )
    .await;
    let waited = started.elapsed();
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["__type"], "UnexpectedLambdaException");
    assert_eq!(
        answer["message"],
        "PreTokenGeneration invocation failed due to error TimeoutException."
    );
    // Not a timing test: waits cannot end early, so three 5 s attempts take at least 15 s (one
    // would take 5); the message above says Cognito's limit fired, not the function's 30 s.
    assert!(waited.as_secs() >= 15, "{waited:?}");
    offline.stop().await;
}

//! Two stacks on one state folder (issue 20, finding 1: each used to write its whole memory over
//! the file, undoing the other's revocations and losing its users). They share the state as two
//! API stacks share one user pool: a sign-in through one refreshes through the other, a
//! revocation through either holds in both, and after a restart everything both did is there.
//! `--fresh` is refused while another stack uses the folder, naming its process.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod people_support;
mod support;

use offline::Offline;
use people_support::{Api, PASSWORD, people_client};
use serde_json::{Value, json};
use support::{TempDir, options};

fn stack_options(state: &str, fresh: bool) -> offline::Options {
    let mut args = vec![
        "--state-dir",
        state,
        "--parameter-overrides",
        "PeoplePasswordSignIn=true",
    ];
    if fresh {
        args.push("--fresh");
    }
    options(&args)
}

async fn refresh(api: &Api, client_id: &str, token: &str) -> (u16, Value) {
    let body = json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client_id,
                      "AuthParameters": {"REFRESH_TOKEN": token}});
    api.call("InitiateAuth", body, false).await
}

async fn exists(api: &Api, username: &str) -> bool {
    let body = json!({"UserPoolId": api.pool_id, "Username": username});
    api.call("AdminGetUser", body, true).await.0 == 200
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stacks_on_one_folder_share_users_and_revocations() {
    let dir = TempDir::new("shared-state");
    let state = dir.path().join("state").display().to_string();
    let first = Offline::start(stack_options(&state, false)).await.unwrap();
    let second = Offline::start(stack_options(&state, false)).await.unwrap();
    let (one, two) = (Api::new(&first), Api::new(&second));
    assert_eq!(one.pool_id, two.pool_id, "one pool");
    let people = people_client(&first).credentials.client_id.clone();
    assert_eq!(people, people_client(&second).credentials.client_id);

    one.user("alice", PASSWORD, false, &["readers"]).await;
    let body = json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": people,
                      "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD}});
    let (status, signed_in) = one.call("InitiateAuth", body, false).await;
    assert_eq!(status, 200, "{signed_in}");
    let token = signed_in["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, answer) = refresh(&two, &people, &token).await;
    assert_eq!(
        status, 200,
        "the second stack knows the first's sign-in: {answer}"
    );

    let revoked = two
        .call(
            "RevokeToken",
            json!({"Token": token, "ClientId": people}),
            false,
        )
        .await;
    assert_eq!(revoked, (200, json!({})));
    let (status, answer) = refresh(&one, &people, &token).await;
    assert_eq!(
        (status, answer["message"].as_str()),
        (400, Some("Refresh Token has been revoked")),
        "revoked through the second, refused by the first"
    );
    one.user("bob", PASSWORD, false, &[]).await;
    two.user("carol", PASSWORD, false, &[]).await;
    assert!(exists(&two, "bob").await && exists(&one, "carol").await);

    // --fresh would take the key and the users from under the running stacks.
    let refused = Offline::start(stack_options(&state, true))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains(&format!("in use by process {}", std::process::id()))
            && refused.contains("--fresh"),
        "{refused}"
    );
    first.stop().await;
    second.stop().await;

    let again = Offline::start(stack_options(&state, false)).await.unwrap();
    let api = Api::new(&again);
    for username in ["alice", "bob", "carol"] {
        assert!(exists(&api, username).await, "{username} survived");
    }
    let (status, answer) = refresh(&api, &people, &token).await;
    assert_eq!(
        (status, answer["message"].as_str()),
        (400, Some("Refresh Token has been revoked")),
        "the revocation survived"
    );
    again.stop().await;
}

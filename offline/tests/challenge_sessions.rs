//! A `NEW_PASSWORD_REQUIRED` session (Cognito's JSON API) or new-password form (the hosted UI) is
//! bound to the user as they were when the temporary password was proven: if the user is disabled
//! meanwhile, or an administrator sets another password, answering it neither sets a password nor
//! gives tokens (issue 20, finding 3).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod people_support;
mod support;

use offline::Offline;
use people_support::{Browser, Pool, T0, answer_at, pkce};
use serde_json::{Value, json};
use support::options;

const TEMPORARY: &str = "Temp-Pass-123";
const CHOSEN: &str = "New-Horse-42";
/// The password flow enabled.
fn pool() -> Pool {
    Pool::open(&options(&[
        "--parameter-overrides",
        "PeoplePasswordSignIn=true",
    ]))
}

impl Pool {
    fn sign_in(&self, username: &str, password: &str) -> (u16, Value) {
        let body = json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": self.people(),
                          "AuthParameters": {"USERNAME": username, "PASSWORD": password}});
        answer_at(&self.issuer, "InitiateAuth", body, false, T0)
    }

    /// A user with a temporary password, and the session of its `NEW_PASSWORD_REQUIRED`.
    fn challenged(&self, username: &str) -> String {
        self.admin(
            "AdminCreateUser",
            json!({"Username": username, "MessageAction": "SUPPRESS", "TemporaryPassword": TEMPORARY}),
        );
        let (status, challenge) = self.sign_in(username, TEMPORARY);
        assert_eq!(status, 200, "{challenge}");
        assert_eq!(challenge["ChallengeName"], "NEW_PASSWORD_REQUIRED");
        challenge["Session"].as_str().unwrap().to_owned()
    }

    fn answer(&self, username: &str, session: &str) -> (u16, Value) {
        let body = json!({"ClientId": self.people(), "ChallengeName": "NEW_PASSWORD_REQUIRED",
                          "Session": session,
                          "ChallengeResponses": {"USERNAME": username, "NEW_PASSWORD": CHOSEN}});
        answer_at(&self.issuer, "RespondToAuthChallenge", body, false, T0)
    }
}

fn refused(answer: &(u16, Value), message: &str) {
    assert_eq!(answer.0, 400, "{}", answer.1);
    assert_eq!(answer.1["__type"], "NotAuthorizedException", "{}", answer.1);
    assert_eq!(answer.1["message"], message);
    assert!(answer.1.get("AuthenticationResult").is_none());
}

#[test]
fn a_disabled_user_cannot_finish_the_challenge_nor_set_a_password() {
    let pool = pool();
    let session = pool.challenged("dora");
    pool.admin("AdminDisableUser", json!({"Username": "dora"}));
    refused(&pool.answer("dora", &session), "User is disabled.");
    pool.admin("AdminEnableUser", json!({"Username": "dora"}));
    refused(
        &pool.sign_in("dora", CHOSEN),
        "Incorrect username or password.",
    );
    let (status, still) = pool.sign_in("dora", TEMPORARY);
    assert_eq!(
        (status, still["ChallengeName"].as_str()),
        (200, Some("NEW_PASSWORD_REQUIRED")),
        "the temporary password is still the one: {still}"
    );
}

#[test]
fn a_password_an_administrator_set_meanwhile_ends_the_challenge() {
    let pool = pool();
    for (username, permanent) in [("pete", true), ("tina", false)] {
        let session = pool.challenged(username);
        let set_by_admin = "Admin-Set-Pass-9";
        pool.admin(
            "AdminSetUserPassword",
            json!({"Username": username, "Password": set_by_admin, "Permanent": permanent}),
        );
        refused(
            &pool.answer(username, &session),
            "Invalid session for the user, session is expired.",
        );
        refused(
            &pool.sign_in(username, CHOSEN),
            "Incorrect username or password.",
        );
        let (status, kept) = pool.sign_in(username, set_by_admin);
        assert_eq!(
            status, 200,
            "{username}: the administrator's password: {kept}"
        );
        let expected = if permanent {
            "AuthenticationResult"
        } else {
            "ChallengeName"
        };
        assert!(kept.get(expected).is_some(), "{username}: {kept}");
    }
}

/// The hosted UI's new-password form is bound the same way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hosted_ui_new_password_form_follows_the_user() {
    let offline = Offline::start(options(&[])).await.unwrap();
    let api = people_support::Api::new(&offline);
    let people = people_support::people_client(&offline)
        .credentials
        .client_id
        .clone();
    for (username, change) in [
        ("hana", json!({"op": "AdminDisableUser"})),
        (
            "hugo",
            json!({"op": "AdminSetUserPassword", "Password": "Admin-Set-Pass-9", "Permanent": true}),
        ),
    ] {
        api.user(username, TEMPORARY, true, &[]).await;
        let mut browser = Browser::new(&offline);
        let (_, challenge) = pkce();
        let form = browser.login_form(&people, &challenge).await;
        let (csrf, action) = (form.csrf(), form.action());
        let new_form = browser.submit(&action, &csrf, username, TEMPORARY).await;
        assert!(
            new_form.body.contains("new_password"),
            "{username}: {}",
            new_form.body
        );
        let mut body = change.clone();
        let operation = body["op"].as_str().unwrap().to_owned();
        body.as_object_mut().unwrap().remove("op");
        body["Username"] = json!(username);
        api.admin(&operation, body).await;
        let answer = browser
            .post(&action, &[("_csrf", &csrf), ("new_password", CHOSEN)])
            .await;
        assert!(answer.location.is_none(), "{username}: no code: {answer:?}");
        api.admin("AdminEnableUser", json!({"Username": username}))
            .await;
        let (_, challenge) = pkce();
        let again = Browser::new(&offline)
            .sign_in(&people, &challenge, username, CHOSEN)
            .await;
        assert!(again.location.is_none(), "{username}: {again:?}");
        assert!(
            again.body.contains("Incorrect username or password."),
            "{username}: the form's password was not set: {}",
            again.body
        );
    }
    offline.stop().await;
}

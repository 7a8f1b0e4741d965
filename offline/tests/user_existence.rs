//! `USER_SRP_AUTH` with `PreventUserExistenceErrors: ENABLED` (issue 20, finding 2). Cognito
//! answers the first step for a name nobody has with "a simulated response ... the same 'salt'
//! and internal user id in UUID format for the same user name and user pool combination", and a
//! known user's `USER_ID_FOR_SRP` is their user name, never the alias they typed (AWS:
//! cognito-user-pool-managing-errors, AdminInitiateAuth's ChallengeParameters). So: a stable salt
//! and user id for an unknown name (in any case, in a case-insensitive pool; across restarts),
//! shaped as a user's; a disabled user answered like any other until their password is proven.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod people_support;
mod support;

use std::collections::HashMap;

use people_support::{PASSWORD, Pool, T0, answer_at};
use serde_json::{Value, json};
use support::{TempDir, options, root};

impl Pool {
    fn user(&self, name: &str) {
        self.admin(
            "AdminCreateUser",
            json!({"Username": name, "MessageAction": "SUPPRESS",
                   "UserAttributes": [{"Name": "email", "Value": format!("{name}@example.com")},
                                      {"Name": "email_verified", "Value": "true"}]}),
        );
        self.admin(
            "AdminSetUserPassword",
            json!({"Username": name, "Password": PASSWORD, "Permanent": true}),
        );
    }

    fn client<'a>(&'a self, name: &'a str, password: &'a str) -> cognito_srp::SrpClient<'a> {
        cognito_srp::SrpClient::new(name, password, &self.stack.pool_id, self.people(), None)
    }

    /// The first step's `ChallengeParameters` for `name`.
    fn first_step(&self, name: &str) -> HashMap<String, String> {
        let params = self.client(name, PASSWORD).get_auth_params().unwrap();
        let body = json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": self.people(), "AuthParameters": params});
        let (status, answer) = answer_at(&self.issuer, "InitiateAuth", body, false, T0);
        assert_eq!(status, 200, "{name}: {answer}");
        assert_eq!(answer["ChallengeName"], "PASSWORD_VERIFIER");
        serde_json::from_value(answer["ChallengeParameters"].clone()).unwrap()
    }

    /// Both steps for `name` with `password`: the second step's answer.
    fn sign_in(&self, name: &str, password: &str) -> (u16, Value) {
        let client = self.client(name, password);
        let params = client.get_auth_params().unwrap();
        let body = json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": self.people(), "AuthParameters": params});
        let (_, challenge) = answer_at(&self.issuer, "InitiateAuth", body, false, T0);
        let parameters: HashMap<String, String> =
            serde_json::from_value(challenge["ChallengeParameters"].clone()).unwrap();
        let responses = client.process_challenge(parameters).unwrap();
        let body = json!({"ClientId": self.people(), "ChallengeName": "PASSWORD_VERIFIER",
                          "ChallengeResponses": responses});
        answer_at(&self.issuer, "RespondToAuthChallenge", body, false, T0)
    }
}

fn is_uuid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && text
            .chars()
            .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

fn is_salt(text: &str) -> bool {
    text.len() == 32 && text.chars().all(|c| c.is_ascii_hexdigit())
}

#[test]
fn an_unknown_name_gets_the_same_salt_and_a_user_id_every_time() {
    let dir = TempDir::new("existence");
    let state = dir.path().join("state").display().to_string();
    let options = options(&["--state-dir", &state]);
    let pool = Pool::open(&options);
    pool.user("reader");

    let known = pool.first_step("READER");
    assert_eq!(
        (
            known["USER_ID_FOR_SRP"].as_str(),
            known["USERNAME"].as_str()
        ),
        ("reader", "reader"),
        "a user's own name, in its case"
    );
    assert_eq!(pool.first_step("reader")["SALT"], known["SALT"]);

    let unknown = pool.first_step("nobody");
    assert!(is_uuid(&unknown["USER_ID_FOR_SRP"]), "{unknown:?}");
    assert_eq!(unknown["USERNAME"], unknown["USER_ID_FOR_SRP"]);
    assert!(is_salt(&unknown["SALT"]) && is_salt(&known["SALT"]));
    for again in [pool.first_step("nobody"), pool.first_step("NoBody")] {
        assert_eq!(again["SALT"], unknown["SALT"], "the same salt");
        assert_eq!(again["USER_ID_FOR_SRP"], unknown["USER_ID_FOR_SRP"]);
    }
    let other = pool.first_step("somebody-else");
    assert_ne!(other["SALT"], unknown["SALT"]);
    assert_ne!(other["USER_ID_FOR_SRP"], unknown["USER_ID_FOR_SRP"]);
    assert_ne!(other["SRP_B"], unknown["SRP_B"]);

    // The same pool, opened again (a restart, or another stack on the folder): the same answer.
    let again = Pool::open(&options);
    let later = again.first_step("nobody");
    assert_eq!(
        (&later["SALT"], &later["USER_ID_FOR_SRP"]),
        (&unknown["SALT"], &unknown["USER_ID_FOR_SRP"])
    );

    let (status, answer) = pool.sign_in("nobody", PASSWORD);
    assert_eq!(
        (status, answer["message"].as_str()),
        (400, Some("Incorrect username or password."))
    );
}

#[test]
fn a_disabled_user_is_told_so_only_after_their_password() {
    let pool = Pool::open(&options(&[]));
    pool.user("dave");
    pool.admin("AdminDisableUser", json!({"Username": "dave"}));
    let first = pool.first_step("dave");
    assert_eq!(first["USER_ID_FOR_SRP"], "dave");
    let (status, wrong) = pool.sign_in("dave", "Wrong-Horse-1");
    assert_eq!(
        (status, wrong["message"].as_str()),
        (400, Some("Incorrect username or password.")),
        "a wrong password reads as any other"
    );
    let (status, right) = pool.sign_in("dave", PASSWORD);
    assert_eq!(
        (status, right["message"].as_str()),
        (400, Some("User is disabled."))
    );
    pool.admin("AdminEnableUser", json!({"Username": "dave"}));
    let (status, signed_in) = pool.sign_in("dave", PASSWORD);
    assert_eq!(status, 200, "{signed_in}");
}

/// Signing in with an alias: `USER_ID_FOR_SRP` is the user name, and the proof is made with it.
#[test]
fn an_alias_answers_with_the_user_name() {
    let dir = TempDir::new("alias");
    let template = std::fs::read_to_string(root().join("auth/template.yaml")).unwrap();
    let aliased = template.replacen(
        "        CaseSensitive: false\n",
        "        CaseSensitive: false\n      AliasAttributes:\n        - email\n",
        1,
    );
    assert_ne!(aliased, template);
    let auth = dir.path().join("auth.yaml");
    std::fs::write(&auth, aliased).unwrap();
    let pool = Pool::open(&options(&["--auth-template", &auth.display().to_string()]));
    pool.user("erin");
    let first = pool.first_step("Erin@Example.com");
    assert_eq!(first["USER_ID_FOR_SRP"], "erin");
    let (status, signed_in) = pool.sign_in("erin@example.com", PASSWORD);
    assert_eq!(status, 200, "{signed_in}");
    assert!(is_uuid(
        &pool.first_step("nobody@example.com")["USER_ID_FOR_SRP"]
    ));
}

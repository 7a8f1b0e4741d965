//! Cognito's lockout after failed password sign-ins (issue 20, finding 4: guessing was unlimited
//! on `InitiateAuth`, and the hosted UI's count started over with each new login form). AWS:
//! after five failed attempts the user is locked out for one second, doubling with each further
//! failure up to about fifteen minutes (2^(n-5) s); attempts during a lockout get `Password
//! attempts exceeded` and do not count; a sign-in after a lockout, or fifteen minutes without an
//! attempt, start over. The same count for every way in: `USER_PASSWORD_AUTH`, SRP's second step,
//! `ADMIN_USER_PASSWORD_AUTH` and the hosted UI's form, keyed by the user whatever form or page.
//! Driven in-process on the issuer's own clock.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod people_support;
mod support;

use std::collections::HashMap;
use std::sync::Arc;

use offline::{Request, hosted_ui};
use people_support::{PASSWORD, Pool, T0, answer_at};
use serde_json::{Value, json};
use support::{TempDir, changed_template};

const WRONG: &str = "Wrong-Horse-1";
const EXCEEDED: &str = "Password attempts exceeded";
const INCORRECT: &str = "Incorrect username or password.";

/// A way of signing in with a password.
#[derive(Debug, Clone, Copy)]
enum Way {
    Password,
    Srp,
    Admin,
    HostedUi,
}

impl Pool {
    /// The project's stack with the people client allowing the password flows (admin too), and
    /// the users `alice` and `bob`.
    fn new() -> Self {
        let dir = TempDir::new("lockout");
        let options = changed_template(
            &dir,
            "[ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_PASSWORD_AUTH]",
            "[ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH]",
            &["--parameter-overrides", "PeoplePasswordSignIn=true"],
        );
        let pool = Self::open(&options);
        for name in ["alice", "bob"] {
            pool.admin(
                "AdminCreateUser",
                json!({"Username": name, "MessageAction": "SUPPRESS"}),
            );
            pool.admin(
                "AdminSetUserPassword",
                json!({"Username": name, "Password": PASSWORD, "Permanent": true}),
            );
        }
        pool
    }

    /// A sign-in as `name` with `password` at `now`: `Ok(())` for tokens, else the message.
    fn sign_in(&self, way: Way, name: &str, password: &str, now: u64) -> Result<(), String> {
        let (status, answer) = match way {
            Way::Password | Way::Admin => {
                let (operation, flow) = match way {
                    Way::Admin => ("AdminInitiateAuth", "ADMIN_USER_PASSWORD_AUTH"),
                    _ => ("InitiateAuth", "USER_PASSWORD_AUTH"),
                };
                let body = json!({"UserPoolId": self.stack.pool_id, "ClientId": self.people(),
                                  "AuthFlow": flow,
                                  "AuthParameters": {"USERNAME": name, "PASSWORD": password}});
                answer_at(&self.issuer, operation, body, true, now)
            }
            Way::Srp => self.srp(name, password, now),
            Way::HostedUi => return self.hosted(name, password, now),
        };
        match (status, answer.get("AuthenticationResult")) {
            (200, Some(_)) => Ok(()),
            _ => Err(answer["message"].as_str().unwrap_or_default().to_owned()),
        }
    }

    fn srp(&self, name: &str, password: &str, now: u64) -> (u16, Value) {
        let client =
            cognito_srp::SrpClient::new(name, password, &self.stack.pool_id, self.people(), None);
        let body = json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": self.people(),
                          "AuthParameters": client.get_auth_params().unwrap()});
        let (status, challenge) = answer_at(&self.issuer, "InitiateAuth", body, false, now);
        assert_eq!(
            status, 200,
            "the first step is always answered: {challenge}"
        );
        let parameters: HashMap<String, String> =
            serde_json::from_value(challenge["ChallengeParameters"].clone()).unwrap();
        let responses = client.process_challenge(parameters).unwrap();
        let body = json!({"ClientId": self.people(), "ChallengeName": "PASSWORD_VERIFIER",
                          "ChallengeResponses": responses});
        answer_at(&self.issuer, "RespondToAuthChallenge", body, false, now)
    }

    /// A new login form at `now`: its `_csrf` nonce (also its cookie) and its query.
    fn login_form(&self, now: u64) -> (String, String) {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("response_type", "code")
            .append_pair("client_id", self.people())
            .append_pair("redirect_uri", "http://localhost:3001/")
            .append_pair("scope", "openid")
            .append_pair("state", "s")
            .append_pair("code_challenge_method", "S256")
            .append_pair("code_challenge", &"c".repeat(43))
            .finish();
        let request = Request {
            method: "GET".to_owned(),
            path: "/login".to_owned(),
            query: Some(query.clone()),
            ..Request::default()
        };
        let page = hosted_ui::answer(&self.issuer, &request, now);
        assert_eq!(page.status, 200);
        let body = String::from_utf8(page.body).unwrap();
        let at = body.find("name=\"_csrf\" value=\"").unwrap() + 20;
        let nonce = body[at..].split('"').next().unwrap().to_owned();
        (nonce, query)
    }

    /// The login form `form` posted with `name` and `password` at `now`.
    fn post(
        &self,
        form: &(String, String),
        name: &str,
        password: &str,
        now: u64,
    ) -> Result<(), String> {
        let (nonce, query) = form;
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("_csrf", nonce)
            .append_pair("username", name)
            .append_pair("password", password)
            .finish();
        let request = Request {
            method: "POST".to_owned(),
            path: "/login".to_owned(),
            query: Some(query.clone()),
            headers: vec![("Cookie".to_owned(), format!("XSRF-TOKEN={nonce}"))],
            body: body.into_bytes(),
            ..Request::default()
        };
        let page = hosted_ui::answer(&self.issuer, &request, now);
        if page.status == 302 {
            return Ok(());
        }
        let text = String::from_utf8(page.body).unwrap();
        for message in [EXCEEDED, INCORRECT] {
            if text.contains(message) {
                return Err(message.to_owned());
            }
        }
        panic!("{}: {text}", page.status)
    }

    /// A sign-in through a new login form.
    fn hosted(&self, name: &str, password: &str, now: u64) -> Result<(), String> {
        let form = self.login_form(now);
        self.post(&form, name, password, now)
    }
}

fn incorrect() -> Result<(), String> {
    Err(INCORRECT.to_owned())
}

fn exceeded() -> Result<(), String> {
    Err(EXCEEDED.to_owned())
}

/// Every way: five wrong passwords, then even the right one is refused during the second's
/// lockout, and accepted once it ends; the other user is not affected.
#[test]
fn five_failures_lock_a_user_out_on_every_way_in() {
    for way in [Way::Password, Way::Srp, Way::Admin, Way::HostedUi] {
        let pool = Pool::new();
        for attempt in 1..=5 {
            assert_eq!(
                pool.sign_in(way, "alice", WRONG, T0),
                incorrect(),
                "{way:?} {attempt}"
            );
        }
        assert_eq!(
            pool.sign_in(way, "alice", PASSWORD, T0),
            exceeded(),
            "{way:?}"
        );
        assert_eq!(
            pool.sign_in(way, "bob", PASSWORD, T0),
            Ok(()),
            "{way:?}: bob"
        );
        assert_eq!(
            pool.sign_in(way, "alice", PASSWORD, T0 + 1),
            Ok(()),
            "{way:?}"
        );
    }
}

/// 2^(n-5) seconds for the nth failure, up to about fifteen minutes; attempts during a lockout
/// neither count nor lengthen it.
#[test]
fn the_lockout_doubles_up_to_fifteen_minutes() {
    let pool = Pool::new();
    let mut now = T0;
    for _ in 1..=4 {
        assert_eq!(
            pool.sign_in(Way::Password, "alice", WRONG, now),
            incorrect()
        );
    }
    for (n, seconds) in [
        (5, 1),
        (6, 2),
        (7, 4),
        (8, 8),
        (9, 16),
        (10, 32),
        (11, 64),
        (12, 128),
        (13, 256),
        (14, 512),
        (15, 900),
        (16, 900),
    ] {
        assert_eq!(
            pool.sign_in(Way::Password, "alice", WRONG, now),
            incorrect(),
            "n={n}"
        );
        for during in [now, now + seconds - 1] {
            assert_eq!(
                pool.sign_in(Way::Password, "alice", PASSWORD, during),
                exceeded(),
                "n={n}: locked {seconds} s"
            );
        }
        now += seconds;
    }
    assert_eq!(pool.sign_in(Way::Password, "alice", PASSWORD, now), Ok(()));
    // A sign-in after the lockout started the count over: four failures lock nothing.
    for _ in 1..=4 {
        assert_eq!(
            pool.sign_in(Way::Password, "alice", WRONG, now),
            incorrect()
        );
    }
    assert_eq!(pool.sign_in(Way::Password, "alice", PASSWORD, now), Ok(()));
}

/// Fifteen minutes without an attempt after a lockout start the count over.
#[test]
fn fifteen_quiet_minutes_start_the_count_over() {
    let pool = Pool::new();
    for _ in 1..=7 {
        let _ = pool.sign_in(Way::Password, "alice", WRONG, T0);
    }
    let later = T0 + 900;
    for _ in 1..=4 {
        assert_eq!(
            pool.sign_in(Way::Password, "alice", WRONG, later),
            incorrect()
        );
    }
    assert_eq!(
        pool.sign_in(Way::Password, "alice", WRONG, later),
        incorrect(),
        "the fifth failure since the count started over, not the sixth"
    );
    assert_eq!(
        pool.sign_in(Way::Password, "alice", PASSWORD, later),
        exceeded()
    );
    assert_eq!(
        pool.sign_in(Way::Password, "alice", PASSWORD, later + 1),
        Ok(())
    );
}

/// One count per user, whichever way and whichever page: failures through the JSON API and
/// through several login forms add up, and a new form does not start over.
#[test]
fn the_count_is_the_users_not_the_pages() {
    let pool = Pool::new();
    assert_eq!(pool.sign_in(Way::Password, "alice", WRONG, T0), incorrect());
    assert_eq!(pool.sign_in(Way::Srp, "alice", WRONG, T0), incorrect());
    let form = pool.login_form(T0);
    assert_eq!(pool.post(&form, "alice", WRONG, T0), incorrect());
    assert_eq!(pool.post(&form, "alice", WRONG, T0), incorrect());
    assert_eq!(pool.hosted("alice", WRONG, T0), incorrect(), "a new form");
    assert_eq!(pool.hosted("alice", PASSWORD, T0), exceeded(), "a new form");
    assert_eq!(pool.sign_in(Way::Admin, "alice", PASSWORD, T0), exceeded());
    assert_eq!(
        pool.post(&form, "alice", PASSWORD, T0 + 1),
        Ok(()),
        "the first form"
    );
}

/// Wrong passwords posted in parallel to one form check at most five passwords before the
/// lockout, each counted before its (slow) check.
#[test]
fn parallel_attempts_check_five_passwords_at_most() {
    let pool = Arc::new(Pool::new());
    let form = Arc::new(pool.login_form(T0));
    let threads: Vec<_> = (0..12)
        .map(|_| {
            let (pool, form) = (Arc::clone(&pool), Arc::clone(&form));
            std::thread::spawn(move || pool.post(&form, "alice", WRONG, T0))
        })
        .collect();
    let answers: Vec<Result<(), String>> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let count = |wanted: &Result<(), String>| answers.iter().filter(|a| *a == wanted).count();
    assert_eq!(
        (count(&incorrect()), count(&exceeded())),
        (5, 7),
        "{answers:?}"
    );
}

/// A name nobody has is counted too (the client hides who exists): its sixth attempt reads as a
/// user's would.
#[test]
fn an_unknown_name_is_locked_out_as_a_user_would_be() {
    let pool = Pool::new();
    for way in [
        Way::Password,
        Way::Srp,
        Way::Admin,
        Way::HostedUi,
        Way::Password,
    ] {
        assert_eq!(
            pool.sign_in(way, "Nobody", WRONG, T0),
            incorrect(),
            "{way:?}"
        );
    }
    for way in [Way::Password, Way::Srp, Way::Admin, Way::HostedUi] {
        assert_eq!(
            pool.sign_in(way, "nobody", PASSWORD, T0),
            exceeded(),
            "{way:?}"
        );
    }
}

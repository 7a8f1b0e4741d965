//! The hosted UI over HTTP, as a browser and a public app drive it: the code flow with PKCE
//! (authorize, the login form, the code redeemed once with its verifier), the session cookie
//! (a second authorize without the form), logout, userInfo, the refresh grant, revocation, CORS
//! for a page on another origin, and every refusal (wrong password, reuse of a code, wrong
//! `code_verifier`, `redirect_uri` not registered, no PKCE, a scope the client lacks, a forged
//! form). Then the tokens on the local API: reader, admin, the ID token refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod people_support;
mod support;

use offline::Offline;
use people_support::{Api, Browser, PASSWORD, claims, people_client, pkce, token};
use serde_json::json;
use support::{Client, options};

const CALLBACK: &str = "http://localhost:3001/";

/// A started stack with the user `reader` (in `readers`), and the people client's id.
async fn with_reader() -> (Offline, Api, String) {
    let offline = Offline::start(options(&[])).await.unwrap();
    let api = Api::new(&offline);
    api.user("reader", PASSWORD, false, &["readers"]).await;
    let client_id = people_client(&offline).credentials.client_id.clone();
    (offline, api, client_id)
}

/// The authorization-code grant of `code` as the public people client sends it.
fn code_grant<'a>(client_id: &'a str, code: &'a str, verifier: &'a str) -> [(&'a str, &'a str); 5] {
    [
        ("grant_type", "authorization_code"),
        ("client_id", client_id),
        ("code", code),
        ("redirect_uri", CALLBACK),
        ("code_verifier", verifier),
    ]
}

/// Redeems `code` at the token endpoint as the public people client does.
async fn redeem(
    offline: &Offline,
    client_id: &str,
    code: &str,
    verifier: &str,
) -> (u16, serde_json::Value) {
    token(offline, &code_grant(client_id, code, verifier)).await
}

/// Signs `username` in through the hosted UI in a new browser and redeems the code: the tokens.
async fn tokens_of(offline: &Offline, client_id: &str, username: &str) -> serde_json::Value {
    let (verifier, challenge) = pkce();
    let done = Browser::new(offline)
        .sign_in(client_id, &challenge, username, PASSWORD)
        .await;
    let code = done.location_param("code").expect("a code");
    let (status, tokens) = redeem(offline, client_id, &code, &verifier).await;
    assert_eq!(status, 200, "{tokens}");
    tokens
}

/// The refresh grant of `refresh` for the public people client.
async fn refresh_with(
    offline: &Offline,
    client_id: &str,
    refresh: &str,
) -> (u16, serde_json::Value) {
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", client_id),
        ("refresh_token", refresh),
    ];
    token(offline, &form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_code_flow_with_pkce_then_the_api() {
    let (offline, _api, client_id) = with_reader().await;
    let (verifier, challenge) = pkce();

    let mut browser = Browser::new(&offline);
    let to_login = browser.authorize(&client_id, &challenge, "openid").await;
    assert_eq!(to_login.status, 302);
    assert!(to_login.location.as_deref().unwrap().starts_with("/login?"));
    let form = browser.get(to_login.location.as_deref().unwrap()).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("<form method=\"post\""));
    assert!(!form.body.contains("<script"), "plain HTML");
    assert_eq!(browser.cookies.get("XSRF-TOKEN"), Some(&form.csrf()));
    let (csrf, action) = (form.csrf(), form.action());

    // A wrong password: the form again, the user name kept, the password not written back.
    let again = browser
        .submit(&action, &csrf, "reader", "Wrong-Horse-7")
        .await;
    assert_eq!(again.status, 200);
    assert!(again.body.contains("Incorrect username or password."));
    assert!(again.body.contains("value=\"reader\"") && !again.body.contains("Wrong-Horse-7"));

    let done = browser.submit(&action, &csrf, "reader", PASSWORD).await;
    assert_eq!(done.status, 302, "{}", done.body);
    assert!(
        done.location
            .as_deref()
            .unwrap()
            .starts_with(&format!("{CALLBACK}?"))
    );
    assert_eq!(done.location_param("state").as_deref(), Some("st4te"));
    assert!(browser.cookies.contains_key("cognito"), "session cookie");
    let code = done.location_param("code").unwrap();

    let (status, tokens) = redeem(&offline, &client_id, &code, &verifier).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(
        (tokens["token_type"].as_str(), tokens["expires_in"].as_u64()),
        (Some("Bearer"), Some(3600))
    );
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let id = tokens["id_token"].as_str().unwrap().to_owned();
    let a = claims(&access);
    assert_eq!(
        (a["scope"].as_str(), a["username"].as_str()),
        (Some("openid"), Some("reader"))
    );
    assert_eq!(
        (a["version"].as_u64(), a["cognito:groups"].clone()),
        (Some(2), json!(["readers"]))
    );
    let i = claims(&id);
    assert_eq!(
        (i["aud"].as_str(), i["cognito:username"].as_str()),
        (Some(client_id.as_str()), Some("reader"))
    );
    assert!(i["at_hash"].is_string());
    assert_eq!(i["origin_jti"], a["origin_jti"]);

    let (status, body) = redeem(&offline, &client_id, &code, &verifier).await;
    assert_eq!(
        (status, body),
        (400, json!({"error": "invalid_grant"})),
        "reuse of a code"
    );

    let http = Client::new();
    let (status, _, body) = http.call(&offline, "GET", Some(&access)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["caller"]["username"], "reader");
    assert_eq!(body["caller"]["groups"], json!(["readers"]));
    assert_eq!(http.call(&offline, "DELETE", Some(&access)).await.0, 403);
    assert_eq!(
        http.call(&offline, "GET", Some(&id)).await.0,
        401,
        "the ID token"
    );
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_cookie_userinfo_logout_and_an_admin() {
    let (offline, api, client_id) = with_reader().await;
    api.user("admin", PASSWORD, false, &["admins"]).await;
    let (verifier, challenge) = pkce();
    let mut browser = Browser::new(&offline);
    let done = browser
        .sign_in(&client_id, &challenge, "reader", PASSWORD)
        .await;
    let (_, tokens) = redeem(
        &offline,
        &client_id,
        &done.location_param("code").unwrap(),
        &verifier,
    )
    .await;
    let access = tokens["access_token"].as_str().unwrap().to_owned();

    // The browser is signed in: a second authorize gives a code without the form.
    let (verifier2, challenge2) = pkce();
    let direct = browser.authorize(&client_id, &challenge2, "openid").await;
    assert_eq!(direct.status, 302);
    let code2 = direct.location_param("code").expect("a code straight away");
    assert_eq!(
        redeem(&offline, &client_id, &code2, &verifier2).await.0,
        200
    );

    // userInfo, with Cognito's quirks.
    let info = reqwest::Client::new()
        .get(format!("{}/oauth2/userInfo", offline.base_url()))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), 200);
    let info: serde_json::Value = info.json().await.unwrap();
    assert_eq!(
        (info["username"].as_str(), info["email"].as_str()),
        (Some("reader"), Some("reader@example.com"))
    );
    assert_eq!(info["email_verified"], "true");

    // Logout ends the session: the next authorize shows the form again.
    let out = browser
        .get(&format!(
            "/logout?client_id={client_id}&logout_uri=http%3A%2F%2Flocalhost%3A3001%2F"
        ))
        .await;
    assert_eq!(
        (out.status, out.location.as_deref()),
        (302, Some("http://localhost:3001/"))
    );
    assert!(!browser.cookies.contains_key("cognito"));
    let (_, challenge3) = pkce();
    let after = browser.authorize(&client_id, &challenge3, "openid").await;
    assert!(
        after.location.as_deref().unwrap().starts_with("/login?"),
        "form again"
    );
    let bad = browser
        .get(&format!(
            "/logout?client_id={client_id}&logout_uri=https%3A%2F%2Fevil.example%2F"
        ))
        .await;
    assert!(
        bad.location
            .as_deref()
            .unwrap()
            .starts_with("/error?error=redirect_mismatch")
    );

    // An admin through the hosted UI may DELETE.
    let tokens = tokens_of(&offline, &client_id, "admin").await;
    let access = tokens["access_token"].as_str().unwrap();
    let (status, _, body) = Client::new().call(&offline, "DELETE", Some(access)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["caller"]["groups"], json!(["admins"]));
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_of_the_authorization_request_and_the_code() {
    let (offline, _api, client_id) = with_reader().await;
    let mut browser = Browser::new(&offline);
    let (_, challenge) = pkce();
    let base = format!("/oauth2/authorize?response_type=code&client_id={client_id}&state=s");
    let cb = "&redirect_uri=http%3A%2F%2Flocalhost%3A3001%2F";
    let pk = format!("&code_challenge_method=S256&code_challenge={challenge}");
    for (query, location, error) in [
        (
            format!("{base}&redirect_uri=https%3A%2F%2Fevil.example%2Fcb{pk}"),
            "/error?",
            "redirect_mismatch",
        ),
        (format!("{base}{pk}"), "/error?", "redirect_mismatch"),
        (
            format!("/oauth2/authorize?response_type=code&client_id=nope{cb}{pk}"),
            "/error?",
            "invalid_request",
        ),
        (format!("{base}{cb}"), CALLBACK, "invalid_request"),
        (
            format!("{base}{cb}&code_challenge_method=plain&code_challenge={challenge}"),
            CALLBACK,
            "invalid_request",
        ),
        (
            format!("{base}{cb}{pk}&scope=echo-api%2Fwrite"),
            CALLBACK,
            "invalid_scope",
        ),
        (
            format!("/oauth2/authorize?response_type=token&client_id={client_id}&state=s{cb}{pk}"),
            CALLBACK,
            "unauthorized_client",
        ),
        (
            format!("/oauth2/authorize?response_type=magic&client_id={client_id}&state=s{cb}{pk}"),
            CALLBACK,
            "unsupported_response_type",
        ),
    ] {
        let page = browser.get(&query).await;
        assert_eq!(page.status, 302, "{query}");
        let to = page.location.clone().unwrap();
        assert!(to.starts_with(location), "{query}: {to}");
        assert_eq!(
            page.location_param("error").as_deref(),
            Some(error),
            "{query}: {to}"
        );
        if location == CALLBACK {
            assert_eq!(
                page.location_param("state").as_deref(),
                Some("s"),
                "{query}"
            );
        }
    }
    let error_page = browser
        .get("/error?error=redirect_mismatch&error_description=%3Cb%3E")
        .await;
    assert_eq!(error_page.status, 400);
    assert!(error_page.body.contains("redirect_mismatch &lt;b&gt;"));

    // A wrong code_verifier, a redirect_uri other than the code's, another client: invalid_grant.
    let (verifier, challenge) = pkce();
    let machine = &people_support::machine_client(&offline).credentials;
    for attempt in ["verifier", "redirect", "client", "missing verifier"] {
        let done = Browser::new(&offline)
            .sign_in(&client_id, &challenge, "reader", PASSWORD)
            .await;
        let code = done.location_param("code").unwrap();
        let (wrong_verifier, _) = pkce();
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
        ];
        match attempt {
            "verifier" => form.extend([
                ("client_id", client_id.as_str()),
                ("redirect_uri", CALLBACK),
                ("code_verifier", &wrong_verifier),
            ]),
            "redirect" => form.extend([
                ("client_id", client_id.as_str()),
                ("redirect_uri", "http://localhost:3001/other"),
                ("code_verifier", &verifier),
            ]),
            "client" => form.extend([
                ("client_id", machine.client_id.as_str()),
                ("client_secret", &machine.client_secret),
                ("redirect_uri", CALLBACK),
                ("code_verifier", &verifier),
            ]),
            _ => form.extend([
                ("client_id", client_id.as_str()),
                ("redirect_uri", CALLBACK),
            ]),
        }
        let (status, body) = token(&offline, &form).await;
        let expected = if attempt == "client" {
            "unauthorized_client"
        } else {
            "invalid_grant"
        };
        assert_eq!(
            (status, body),
            (400, json!({"error": expected})),
            "{attempt}"
        );
        if attempt == "client" {
            // Refused before the code is looked at: a client without the code flow.
            continue;
        }
        // The code was spent by the failed attempt.
        let (status, _) = redeem(&offline, &client_id, &code, &verifier).await;
        assert_eq!(status, 400, "{attempt}: a code is good for one attempt");
    }
    let (status, body) = redeem(&offline, &client_id, "made-up", &verifier).await;
    assert_eq!((status, body), (400, json!({"error": "invalid_grant"})));
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_is_bound_to_its_request_and_its_browser() {
    let (offline, api, client_id) = with_reader().await;
    api.user("temp", "Temp-Pass-123", true, &["readers"]).await;
    let (_, challenge) = pkce();
    let mut browser = Browser::new(&offline);
    let form = browser.login_form(&client_id, &challenge).await;
    let (csrf, action) = (form.csrf(), form.action());

    // Another site posts the form: it has neither the cookie nor (unless it guesses) the nonce.
    let mut other = Browser::new(&offline);
    for fields in [
        vec![
            ("_csrf", csrf.as_str()),
            ("username", "reader"),
            ("password", PASSWORD),
        ],
        vec![("username", "reader"), ("password", PASSWORD)],
    ] {
        let page = other.post(&action, &fields).await;
        assert_eq!(page.status, 403, "{fields:?}");
        assert!(page.location.is_none());
    }
    // The right browser with a nonce that is not its own.
    let page = browser.submit(&action, "forged", "reader", PASSWORD).await;
    assert_eq!(page.status, 403);

    // A temporary password leads to the new-password form; the policy applies.
    let page = browser
        .submit(&action, &csrf, "temp", "Temp-Pass-123")
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"new_password\""));
    let page = browser
        .post(&action, &[("_csrf", &csrf), ("new_password", "short")])
        .await;
    assert!(
        page.body
            .contains("Password does not conform to policy: Password not long enough")
    );
    let page = browser
        .post(
            &action,
            &[("_csrf", &csrf), ("new_password", "New-Horse-42")],
        )
        .await;
    assert_eq!(page.status, 302, "{}", page.body);
    assert!(page.location_param("code").is_some());
    let user = api.admin("AdminGetUser", json!({"Username": "temp"})).await;
    assert_eq!(user["UserStatus"], "CONFIRMED");

    // A wrong password leaves the form usable (the lockout after five, per user whatever the
    // form, is tests/lockout.rs's, on the issuer's own clock).
    let mut browser = Browser::new(&offline);
    let form = browser.login_form(&client_id, &challenge).await;
    let (csrf, action) = (form.csrf(), form.action());
    let page = browser
        .submit(&action, &csrf, "reader", "Nope-Nope-1")
        .await;
    assert!(page.body.contains("Incorrect username or password."));
    assert!(!page.body.contains("Nope-Nope-1"), "never written back");
    let page = browser.submit(&action, &csrf, "reader", PASSWORD).await;
    assert_eq!(page.status, 302, "{}", page.body);
    offline.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_revoke_and_cors_for_a_page_elsewhere() {
    let (offline, api, client_id) = with_reader().await;
    let (verifier, challenge) = pkce();
    let done = Browser::new(&offline)
        .sign_in(&client_id, &challenge, "reader", PASSWORD)
        .await;
    let code = done.location_param("code").unwrap();

    // The app at http://localhost:3001 redeems the code with fetch: preflight, then the POST.
    let http = reqwest::Client::new();
    let origin = "http://localhost:3001";
    let preflight = http
        .request(reqwest::Method::OPTIONS, offline.token_url())
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 204);
    assert_eq!(preflight.headers()["access-control-allow-origin"], origin);
    assert!(
        preflight.headers()["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .contains("POST")
    );
    let answer = http
        .post(offline.token_url())
        .header("origin", origin)
        .form(&code_grant(&client_id, &code, &verifier))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.headers()["access-control-allow-origin"], origin);
    let tokens: serde_json::Value = answer.json().await.unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();

    // Refresh: new access and ID tokens of the same sign-in, the user's groups as they are now.
    api.admin(
        "AdminAddUserToGroup",
        json!({"Username": "reader", "GroupName": "admins"}),
    )
    .await;
    let (status, renewed) = refresh_with(&offline, &client_id, &refresh).await;
    assert_eq!(status, 200, "{renewed}");
    assert!(renewed.get("refresh_token").is_none(), "no rotation");
    let a = claims(renewed["access_token"].as_str().unwrap());
    assert_eq!(
        a["origin_jti"],
        claims(tokens["access_token"].as_str().unwrap())["origin_jti"]
    );
    assert_eq!(a["cognito:groups"], json!(["readers", "admins"]));
    let (status, _, _) = Client::new()
        .call(
            &offline,
            "DELETE",
            Some(renewed["access_token"].as_str().unwrap()),
        )
        .await;
    assert_eq!(status, 200, "the new group counts");

    // Revoke the refresh token: refreshing fails, userInfo refuses the sign-in's access token.
    let revoked = http
        .post(format!("{}/oauth2/revoke", offline.base_url()))
        .form(&[
            ("token", refresh.as_str()),
            ("client_id", client_id.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    let (status, body) = refresh_with(&offline, &client_id, &refresh).await;
    assert_eq!(
        (status, body),
        (400, json!({"error": "invalid_grant"})),
        "refresh after revoke"
    );
    let info = http
        .get(format!("{}/oauth2/userInfo", offline.base_url()))
        .bearer_auth(renewed["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), 401);
    assert!(
        info.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("invalid_token")
    );

    // The discovery document, as Cognito's, for OpenID clients.
    let config: serde_json::Value = http
        .get(format!(
            "{}/.well-known/openid-configuration",
            offline.base_url()
        ))
        .header("origin", origin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        config["authorization_endpoint"],
        format!("{}/oauth2/authorize", offline.base_url())
    );
    assert_eq!(
        config["userinfo_endpoint"],
        format!("{}/oauth2/userInfo", offline.base_url())
    );
    assert!(
        config["response_types_supported"]
            .as_array()
            .unwrap()
            .contains(&json!("code"))
    );
    for scope in ["openid", "email", "profile", "phone"] {
        assert!(
            config["scopes_supported"]
                .as_array()
                .unwrap()
                .contains(&json!(scope)),
            "{scope}"
        );
    }
    offline.stop().await;
}

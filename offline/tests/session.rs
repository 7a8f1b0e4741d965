//! The example session against the offline stack over real HTTP on 127.0.0.1: token endpoint,
//! 401/403/200 through the real authorizer and echo handler, the other forms of a path, people
//! (user tokens from the command line's library call, groups), a second instance's tokens, the
//! authorizer cache, and templates it must refuse.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::atomic::Ordering;

use offline::Offline;
use offline::cli::{self, UserToken};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Client, TempDir, changed_template, options, with_token};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seeds_session() {
    let a = Offline::start(options(&[])).await.unwrap();
    let http = Client::new();
    let creds = a.stack().clients[0].credentials.clone();

    // No token: 401 from the gateway, with the template's body and header.
    let (status, headers, body) = http.call(&a, "GET", None).await;
    assert_eq!(status, 401);
    assert_eq!(body, json!({"message": "Unauthorized"}));
    assert_eq!(headers["www-authenticate"], r#"Bearer realm="echo-api""#);
    // Garbage token: the authorizer runs and refuses it.
    let (status, _, body) = http.call(&a, "GET", Some("not.a.jwt")).await;
    assert_eq!(
        (status, body),
        (StatusCode::UNAUTHORIZED, json!({"message": "Unauthorized"}))
    );

    // Wrong secret, unknown client: invalid_client, as Cognito answers.
    let (status, body) = http.token(&a, &creds.client_id, "wrong-secret", None).await;
    assert_eq!(
        (status, body),
        (StatusCode::BAD_REQUEST, json!({"error": "invalid_client"}))
    );
    let (status, body) = http
        .token(&a, "unknownclient", &creds.client_secret, None)
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::BAD_REQUEST, json!({"error": "invalid_client"}))
    );

    // The read scope only.
    let read = http.access_token(&a, Some("echo-api/read")).await;
    let before = a.stats().authorizer_invocations.load(Ordering::Relaxed);
    let (status, _, body) = http.call(&a, "GET", Some(&read)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["message"], "Hello!");
    assert_eq!(body["caller"]["clientId"], creds.client_id.as_str());
    assert_eq!(body["caller"]["scopes"], json!(["echo-api/read"]));
    assert_eq!(body["request"]["method"], "GET");
    assert_eq!(body["request"]["path"], "/echo");
    assert!(
        body["request"]["headers"].get("authorization").is_none(),
        "the token is not echoed"
    );
    // POST needs write: 403 with the template's ACCESS_DENIED response, decided from the cached
    // policy (the cache never grants more than the token's scopes).
    let (status, headers, body) = http.call(&a, "POST", Some(&read)).await;
    assert_eq!(status, 403);
    assert_eq!(
        body,
        json!({"message": "Forbidden", "error": "insufficient_scope"})
    );
    assert_eq!(
        headers["www-authenticate"],
        r#"Bearer error="insufficient_scope""#
    );
    assert_eq!(
        a.stats().authorizer_invocations.load(Ordering::Relaxed),
        before + 1
    );

    // The same token again is answered from the authorizer cache.
    let hits = a.stats().authorizer_cache_hits.load(Ordering::Relaxed);
    let (status, _, _) = http.call(&a, "GET", Some(&read)).await;
    assert_eq!(status, 200);
    assert_eq!(
        a.stats().authorizer_invocations.load(Ordering::Relaxed),
        before + 1
    );
    assert_eq!(
        a.stats().authorizer_cache_hits.load(Ordering::Relaxed),
        hits + 1
    );

    // Other forms of the path. A REST API routes `/echo/` to `/echo`, and the gateway reads
    // `//echo`, `/x/../echo` and `/%65cho` the same way; the policy is evaluated against the
    // path as sent, so the authorizer's Deny of those forms holds for a route the token may not
    // call (the read token may not POST), while GET keeps working with a trailing slash.
    let answer = with_token(a.addr(), "GET", "/Prod/echo/", &read).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["request"]["path"], "/echo/");
    for target in [
        "/Prod/echo/",
        "/Prod//echo",
        "/Prod/x/../echo",
        "/Prod/%65cho",
    ] {
        let answer = with_token(a.addr(), "POST", target, &read).await;
        assert_eq!(answer.status, 403, "POST {target}: {}", answer.body);
        assert_eq!(
            answer.json()["error"],
            "insufficient_scope",
            "POST {target}"
        );
    }

    // No scope asked: all the client's scopes; read+write passes both routes.
    let both = http.access_token(&a, None).await;
    for method in ["GET", "POST"] {
        let (status, _, body) = http.call(&a, method, Some(&both)).await;
        assert_eq!(status, 200, "{method}: {body}");
        assert_eq!(
            body["caller"]["scopes"],
            json!(["echo-api/read", "echo-api/write"])
        );
    }
    let (_, _, body) = http.call(&a, "POST", Some(&both)).await;
    assert_eq!(body["request"]["body"], json!({"hello": "world"}));

    // A route the template does not define.
    let response = http
        .http
        .get(format!("{}/Prod/nope", a.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"message": "Missing Authentication Token"})
    );

    // A second instance (its own key) where GET /echo needs the `admins` group.
    let env = std::env::temp_dir().join(format!("offline-env-{}.json", std::process::id()));
    std::fs::write(
        &env,
        json!({"AuthorizerFunction": {"ROUTE_SCOPES": json!({"GET /echo": {"anyGroups": ["admins"]}, "POST /echo": "echo-api/write"}).to_string()}}).to_string(),
    )
    .unwrap();
    let b = Offline::start(options(&["--env-vars", env.to_str().unwrap()]))
        .await
        .unwrap();
    std::fs::remove_file(&env).unwrap();
    let now = authorizer::unix_now();
    let admin = b
        .issuer()
        .user_token("alice", &["admins"], &[], None, now, 600)
        .unwrap();
    let plain = b
        .issuer()
        .user_token("bob", &[], &[], None, now, 600)
        .unwrap();
    let (status, _, body) = http.call(&b, "GET", Some(&admin)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["caller"]["username"], "alice");
    assert_eq!(body["caller"]["groups"], json!(["admins"]));
    let (status, _, _) = http.call(&b, "GET", Some(&plain)).await;
    assert_eq!(status, 403, "a user outside the group is denied");

    // Tokens of one instance are foreign to the other: other key, 401.
    let (status, _, _) = http.call(&a, "GET", Some(&admin)).await;
    assert_eq!(status, 401);
    let from_b = http.access_token(&b, None).await;
    let (status, _, _) = http.call(&a, "GET", Some(&from_b)).await;
    assert_eq!(status, 401);

    b.stop().await;
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_endpoint_answers_as_cognito() {
    let a = Offline::start(options(&[])).await.unwrap();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let creds = a.stack().clients[0].credentials.clone();
    let post = |query: &str, content_type: Option<&str>, basic: bool, body: String| {
        let mut request = http.post(format!("{}{query}", a.token_url())).body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        if basic {
            request = request.basic_auth(&creds.client_id, Some(&creds.client_secret));
        }
        async move {
            let response = request.send().await.unwrap();
            (
                response.status().as_u16(),
                response.json::<Value>().await.unwrap(),
            )
        }
    };
    let form = Some("application/x-www-form-urlencoded");
    // The seed's exact request: grant_type in the query string, no body.
    let (status, body) = post("?grant_type=client_credentials", form, true, String::new()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body.as_object().unwrap().len(), 3);
    // Credentials in the form body instead of Basic.
    let in_body = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        creds.client_id, creds.client_secret
    );
    assert_eq!(post("", form, false, in_body.clone()).await.0, 200);
    for (query, content_type, basic, body, error) in [
        ("", form, true, "", "invalid_request"),
        (
            "",
            Some("application/json"),
            true,
            "grant_type=client_credentials",
            "invalid_request",
        ),
        (
            "",
            None,
            true,
            "grant_type=client_credentials",
            "invalid_request",
        ),
        (
            "",
            form,
            true,
            "grant_type=password",
            "unsupported_grant_type",
        ),
        (
            "",
            form,
            true,
            "grant_type=client_credentials&scope=echo-api/admin",
            "invalid_scope",
        ),
        (
            "",
            form,
            true,
            "grant_type=client_credentials&scope=echo-api/read%20other/x",
            "invalid_scope",
        ),
        (
            "",
            form,
            false,
            "grant_type=client_credentials",
            "invalid_client",
        ),
        ("", form, true, in_body.as_str(), "invalid_request"),
        (
            "?grant_type=client_credentials",
            form,
            true,
            "grant_type=client_credentials",
            "invalid_request",
        ),
    ] {
        let (status, answer) = post(query, content_type, basic, body.to_owned()).await;
        assert_eq!(
            (status, answer),
            (400, json!({"error": error})),
            "{query} {content_type:?} {basic} {body}"
        );
    }
    // A token's claims are Cognito's client-credentials set.
    let (_, body) = post(
        "",
        form,
        true,
        "grant_type=client_credentials&scope=echo-api/write".into(),
    )
    .await;
    let token = body["access_token"].as_str().unwrap();
    let payload: Value = {
        use base64::Engine;
        let part = token.split('.').nth(1).unwrap();
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(part)
                .unwrap(),
        )
        .unwrap()
    };
    let mut keys: Vec<&str> = payload
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "auth_time",
            "client_id",
            "exp",
            "iat",
            "iss",
            "jti",
            "scope",
            "sub",
            "token_use",
            "version"
        ]
    );
    assert_eq!(
        payload["iss"],
        format!(
            "https://cognito-idp.us-east-1.amazonaws.com/{}",
            a.stack().pool_id
        )
    );
    assert_eq!(payload["scope"], "echo-api/write");
    assert_eq!(payload["sub"], creds.client_id.as_str());

    // Discovery documents.
    let pool = &a.stack().pool_id;
    let get_json = |path: String| {
        let request = http.get(format!("{}{path}", a.base_url()));
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let jwks = get_json(format!("/{pool}/.well-known/jwks.json")).await;
    assert_eq!(jwks["keys"][0]["alg"], "RS256");
    let config = get_json(format!("/{pool}/.well-known/openid-configuration")).await;
    assert_eq!(config["issuer"], payload["iss"]);
    assert_eq!(config["token_endpoint"], a.token_url());
    let other = http
        .get(format!(
            "{}/us-east-1_Other/.well-known/jwks.json",
            a.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_are_admitted_by_their_groups() {
    let state = TempDir::new("people");
    let dir = state.path().display().to_string();
    let a = Offline::start(options(&["--state-dir", &dir]))
        .await
        .unwrap();
    // `offline user-token --username NAME --groups G`, through the library call the command
    // line makes, with the running stack's saved key.
    let token = |username: &str, groups: &[&str]| {
        let request = UserToken {
            username: username.to_owned(),
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
            scopes: Vec::new(),
            client_id: None,
            ttl: 600,
            claims: Vec::new(),
        };
        cli::user_token(&options(&["--state-dir", &dir]), &request).unwrap()
    };
    let (reader, admin, nobody) = (
        token("alice", &["readers"]),
        token("root", &["admins"]),
        token("bob", &[]),
    );
    let people_client = a
        .stack()
        .clients
        .iter()
        .find(|c| c.logical_id == "PeopleClient")
        .unwrap()
        .credentials
        .client_id
        .clone();
    let http = Client::new();

    let (status, _, body) = http.call(&a, "GET", Some(&reader)).await;
    assert_eq!(status, 200, "{body}");
    let caller = &body["caller"];
    assert_eq!(caller["username"], "alice");
    assert_eq!(caller["groups"], json!(["readers"]));
    assert_eq!(caller["clientId"], people_client.as_str());
    assert_eq!(caller["scopes"], json!(["aws.cognito.signin.user.admin"]));
    for method in ["POST", "DELETE"] {
        let (status, _, body) = http.call(&a, method, Some(&reader)).await;
        assert_eq!(status, 403, "a reader may not {method}: {body}");
    }
    for method in ["DELETE", "POST", "GET"] {
        let (status, _, body) = http.call(&a, method, Some(&admin)).await;
        assert_eq!(status, 200, "an admin may {method}: {body}");
        assert_eq!(body["caller"]["username"], "root");
        assert_eq!(body["caller"]["groups"], json!(["admins"]));
        assert_eq!(body["request"]["method"], method);
    }
    let (status, _, _) = http.call(&a, "GET", Some(&nobody)).await;
    assert_eq!(status, 403, "a user in no group may do nothing");
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_without_the_flow_is_unauthorized_client() {
    let dir = TempDir::new("flow");
    let options = changed_template(
        &dir,
        "        - client_credentials\n",
        "        - code\n",
        &[],
    );
    let a = Offline::start(options).await.unwrap();
    let creds = a.stack().clients[0].credentials.clone();
    let (status, body) = Client::new()
        .token(&a, &creds.client_id, &creds.client_secret, None)
        .await;
    assert_eq!(
        (status.as_u16(), body),
        (400, json!({"error": "unauthorized_client"}))
    );
    a.stop().await;
}

#[tokio::test]
async fn a_template_it_cannot_run_stops_it_naming_the_construct() {
    let dir = TempDir::new("bad");
    for (from, to, needle) in [
        // A REQUEST authorizer reads Identity.Headers; TOKEN's Identity.Header is refused.
        (
            "FunctionPayloadType: TOKEN",
            "FunctionPayloadType: REQUEST",
            "Identity.Header: not read",
        ),
        (
            "FunctionPayloadType: TOKEN",
            "FunctionPayloadType: COGNITO",
            "FunctionPayloadType: `COGNITO` authorizers are not emulated",
        ),
        ("Type: Api\n", "Type: HttpApi\n", "HttpApi"),
        (
            "CLIENT_IDS: !Sub '${AppClient},${PeopleClient}'",
            "CLIENT_IDS: !If [NoSuchCondition, a, b]",
            "`NoSuchCondition` is not a condition",
        ),
        (
            "Condition: AccessLoggingEnabled",
            "Condition: Nope",
            "Resources.AccessLogGroup.Condition: `Nope`",
        ),
        (
            "ReauthorizeEvery: !Ref AuthorizerResultTtlSeconds",
            "ReauthorizeEvery: !Ref Missing",
            "Ref Missing",
        ),
        ("Binary: echo-handler", "Binary: other", "`other`"),
        (
            "Type: AWS::CloudWatch::Alarm",
            "Type: AWS::CloudWatch::CompositeAlarm",
            "AWS::CloudWatch::CompositeAlarm",
        ),
        ("MaxAge: \"'600'\"", "MaxAge: 600", "Cors.MaxAge"),
        (
            "        - openid\n",
            "        - echo-api/admin\n",
            "`echo-api/admin` is not a scope",
        ),
        (
            "GenerateSecret: true",
            "GenerateSecret: false",
            "needs a client secret",
        ),
        (
            "        - COGNITO\n",
            "        - Google\n",
            "`Google` is not COGNITO",
        ),
        (
            "AddDefaultAuthorizerToCorsPreflight: false",
            "ApiKeyRequired: true",
            "Auth.ApiKeyRequired",
        ),
        (
            "OpenApiVersion: '3.0.1'",
            "BinaryMediaTypes: ['*/*']",
            "BinaryMediaTypes",
        ),
        (
            "ThrottlingBurstLimit: !Ref ThrottlingBurstLimit",
            "CachingEnabled: true",
            "CachingEnabled: response caching",
        ),
        (
            "CORS_ALLOW_ORIGIN: !Ref AllowedOrigin",
            "CORS_ALLOW_ORIGIN: 'null'",
            "EchoFunction's environment: CORS_ALLOW_ORIGIN",
        ),
    ] {
        let err = Offline::start(changed_template(&dir, from, to, &[]))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(needle) && err.contains("template.yaml"),
            "{from}: {err}"
        );
    }
}

//! The client against a stateful fake of the Customer/Auth API on loopback:
//! register → login → access token → switch account → reset account, with
//! the exact headers and bodies sent; then the API-error, HTTP-error and
//! garbage-body paths.

mod support;

use std::sync::{Arc, Mutex};

use generated_client::types::{LoginBody, RegisterBody};
use generated_client::{Client, Error};
use serde_json::json;
use support::{Reply, Request, serve};

const TOKEN: &str = "a541f9d5-2507-42b3-b790-59e1f755c380app";

fn envelope(data: serde_json::Value) -> serde_json::Value {
    json!({"code": "0", "msg": "Success", "ok": true, "fail": false, "trace": "x-1", "tm": 7, "bizCode": "", "msgParams": null, "data": data})
}

fn failure(code: &str, msg: &str) -> serde_json::Value {
    json!({"code": code, "msg": msg, "ok": false, "fail": true, "trace": "x-err", "bizCode": "customer", "msgParams": null})
}

/// The fake API: remembers registered users and issued tokens.
fn api(users: Arc<Mutex<Vec<(String, String)>>>) -> impl Fn(&Request) -> Reply + Send + Sync {
    move |r: &Request| {
        let body = r.json();
        let authorised = r.header("token") == Some(TOKEN);
        match r.path.as_str() {
            "/api/register/customer.app.CustomerWebApiService.register" => {
                let name = body["loginName"].as_str().unwrap_or_default().to_owned();
                let pwd = body["pwd"].as_str().unwrap_or_default().to_owned();
                if let Ok(mut u) = users.lock() {
                    u.push((name.clone(), pwd));
                }
                Reply::json(
                    200,
                    envelope(
                        json!({"customerNo": "86001175", "email": name, "id": 1176, "list": []}),
                    ),
                )
            }
            "/api/login/customer.app.CustomerWebApiService.login" => {
                let name = body["loginName"].as_str().unwrap_or_default();
                let pwd = body["loginPwd"].as_str().unwrap_or_default();
                let known = users
                    .lock()
                    .is_ok_and(|u| u.iter().any(|(n, p)| n == name && p == pwd));
                if known {
                    Reply::json(
                        200,
                        envelope(
                            json!({"id": 1176, "customerNo": "86001175", "token": TOKEN, "accountList": [{"accountId": 1}], "lastName": null}),
                        ),
                    )
                } else {
                    Reply::json(200, failure("1001", "wrong login name or password"))
                }
            }
            "/api/global/thirdExt/randomKey" => {
                Reply::json(200, envelope(json!("final-access-token")))
            }
            "/api/thirdExt/switchAccount"
            | "/api/global/customer.app.CustomerDubboApiService.resetAccount" => {
                if authorised {
                    Reply::json(200, json!({}))
                } else {
                    Reply::raw(401, "no session")
                }
            }
            "/api/boom" => Reply::raw(500, "upstream exploded"),
            _ => Reply::raw(404, "not found"),
        }
    }
}

fn client(url: &str) -> Client {
    Client::new(&format!("{url}/api"))
        .expect("base url")
        .with_company_id("360")
        .with_lang("zh-CN")
}

fn register_body() -> RegisterBody {
    RegisterBody::new("CN", "22@qq.com", 1, "ticket", 1, "123456")
        .pwd("dc483e80a7a0bd9ef71d8cf973673924")
}

fn login_body(pwd: &str) -> LoginBody {
    LoginBody::new(1, false, "22@qq.com", 1).login_pwd(pwd)
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.chars().filter(|c| *c == '-').count() == 4
        && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

#[tokio::test]
async fn register_login_token_switch_reset() {
    let server = serve(api(Arc::default())).await;
    let client = client(&server.url);

    let registered = client
        .register("203.0.113.7", register_body())
        .await
        .expect("register");
    assert_eq!(registered.customer_no.as_deref(), Some("86001175"));

    let customer = client
        .login(login_body("dc483e80a7a0bd9ef71d8cf973673924"))
        .await
        .expect("login");
    assert_eq!(customer.token.as_deref(), Some(TOKEN));
    client.set_token(customer.token.clone());

    let access = client.get_access_token().await.expect("access token");
    assert_eq!(access, "final-access-token");
    assert_eq!(client.switch_account().await.expect("switch"), json!({}));
    assert_eq!(client.reset_account().await.expect("reset"), json!({}));

    let sent = server.requests();
    let paths: Vec<&str> = sent.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/api/register/customer.app.CustomerWebApiService.register",
            "/api/login/customer.app.CustomerWebApiService.login",
            "/api/global/thirdExt/randomKey",
            "/api/thirdExt/switchAccount",
            "/api/global/customer.app.CustomerDubboApiService.resetAccount",
        ]
    );
    for r in &sent {
        assert_eq!(r.method, "POST");
        assert_eq!(r.header("companyId"), Some("360"), "{}", r.path);
        assert_eq!(r.header("lang"), Some("zh-CN"), "{}", r.path);
        assert_eq!(
            r.header("content-type"),
            Some("application/json"),
            "{}",
            r.path
        );
        assert!(
            r.header("trace").is_some_and(is_uuid),
            "{}: trace {:?}",
            r.path,
            r.header("trace")
        );
    }
    // A fresh trace per request.
    let traces: std::collections::BTreeSet<&str> =
        sent.iter().filter_map(|r| r.header("trace")).collect();
    assert_eq!(traces.len(), sent.len());
    // `version` only where the operation declares it, with its default.
    let versions: Vec<Option<&str>> = sent.iter().map(|r| r.header("version")).collect();
    assert_eq!(
        versions,
        [Some("0.0.1"), Some("0.0.1"), None, None, Some("0.0.1")]
    );
    // The token only after login, on the operations that take it.
    let tokens: Vec<Option<&str>> = sent.iter().map(|r| r.header("token")).collect();
    assert_eq!(tokens, [None, None, Some(TOKEN), Some(TOKEN), Some(TOKEN)]);
    assert_eq!(sent[0].header("X-Forwarded-For"), Some("203.0.113.7"));
    // Exact bodies.
    assert_eq!(
        sent[0].json(),
        json!({"country": "CN", "loginName": "22@qq.com", "type": 1, "registerSource": 1, "sendToken": "ticket", "verifyCode": "123456", "pwd": "dc483e80a7a0bd9ef71d8cf973673924"})
    );
    assert_eq!(
        sent[1].json(),
        json!({"type": 1, "device": 1, "loginName": "22@qq.com", "isThird": false, "loginPwd": "dc483e80a7a0bd9ef71d8cf973673924"})
    );
    for r in &sent[2..] {
        assert_eq!(r.body, b"{}", "{}", r.path);
    }
}

#[tokio::test]
async fn per_call_override_wins_over_the_client_setting() {
    let server = serve(api(Arc::default())).await;
    let client = client(&server.url).with_trace("fixed-trace");
    let _ = client.login(login_body("x")).lang("en-US").await;
    let sent = server.requests();
    assert_eq!(sent[0].header("lang"), Some("en-US"));
    assert_eq!(sent[0].header("trace"), Some("fixed-trace"));
}

#[tokio::test]
async fn failed_envelope_is_a_typed_api_error() {
    let server = serve(api(Arc::default())).await;
    let err = client(&server.url)
        .login(login_body("wrong"))
        .await
        .expect_err("must fail");
    match &err {
        Error::Api { status, envelope } => {
            assert_eq!(*status, 200);
            assert_eq!(envelope.code.as_deref(), Some("1001"));
            assert_eq!(
                envelope.msg.as_deref(),
                Some("wrong login name or password")
            );
            assert_eq!(envelope.biz_code.as_deref(), Some("customer"));
            assert_eq!(envelope.trace.as_deref(), Some("x-err"));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert!(err.to_string().contains("1001"), "{err}");
}

#[tokio::test]
async fn http_error_keeps_status_and_body() {
    let server = serve(api(Arc::default())).await;
    // No token: the fake answers 401.
    let err = client(&server.url).switch_account().await;
    // `token` is required on switchAccount and was never set: caught before sending.
    assert!(
        matches!(err, Err(Error::MissingParameter { name: "token" })),
        "{err:?}"
    );
    assert!(server.requests().is_empty(), "nothing may be sent");

    let err = client(&server.url)
        .with_token("stale")
        .switch_account()
        .await
        .expect_err("401");
    match err {
        Error::Status { status, body } => {
            assert_eq!(status, 401);
            assert_eq!(body, "no session");
        }
        other => panic!("expected Error::Status, got {other:?}"),
    }
}

#[tokio::test]
async fn garbage_body_is_a_decode_error() {
    let server = serve(|_: &Request| Reply::raw(200, "<html>maintenance</html>")).await;
    let err = client(&server.url)
        .get_access_token()
        .await
        .expect_err("garbage");
    match err {
        Error::Decode { status, body, .. } => {
            assert_eq!(status, 200);
            assert_eq!(body, "<html>maintenance</html>");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn missing_client_header_fails_before_sending() {
    let server = serve(api(Arc::default())).await;
    let client = Client::new(&server.url).expect("url").with_lang("en");
    let err = client.login(login_body("x")).await;
    assert!(
        matches!(err, Err(Error::MissingParameter { name: "companyId" })),
        "{err:?}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn debug_output_hides_secrets() {
    let client = client("http://127.0.0.1:9").with_token(TOKEN);
    let shown = format!("{client:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    let login = client.login(login_body("dc483e80a7a0bd9ef71d8cf973673924"));
    let switch = client.switch_account().token("per-call-secret");
    let shown = format!("{login:?} {switch:?}");
    for secret in [TOKEN, "dc483e80a7a0bd9ef71d8cf973673924", "per-call-secret"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[tokio::test]
async fn a_pending_request_is_sent_when_polled_and_can_be_spawned() {
    let server = serve(api(Arc::default())).await;
    let pending = {
        let client = client(&server.url);
        client.get_access_token().send()
    };
    // The future owns its request: the client is gone, nothing is sent yet.
    assert!(server.requests().is_empty());
    let token = tokio::spawn(pending).await.expect("task").expect("token");
    assert_eq!(token, "final-access-token");
    assert_eq!(server.requests().len(), 1);
}

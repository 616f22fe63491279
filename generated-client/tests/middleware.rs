//! A retry middleware turns a fake server's 503-then-200 into a success;
//! per-request timeout and extra headers reach the server.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use generated_client::{Client, Error};
use reqwest_middleware::{ClientBuilder, Middleware, Next};
use serde_json::json;
use support::{Reply, Request, serve};

/// Retries once when the server answers 503.
struct RetryOn503;

#[async_trait::async_trait]
impl Middleware for RetryOn503 {
    async fn handle(
        &self,
        req: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let retry = req.try_clone();
        let response = next.clone().run(req, extensions).await?;
        match retry {
            Some(again) if response.status() == reqwest::StatusCode::SERVICE_UNAVAILABLE => {
                next.run(again, extensions).await
            }
            _ => Ok(response),
        }
    }
}

fn envelope(data: serde_json::Value) -> serde_json::Value {
    json!({"code": "0", "msg": "Success", "ok": true, "fail": false, "data": data})
}

#[tokio::test]
async fn retry_middleware_turns_503_then_200_into_success() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&calls);
    let server = serve(move |_: &Request| {
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::raw(503, "try again")
        } else {
            Reply::json(200, envelope(json!("final-access-token")))
        }
    })
    .await;
    let http = ClientBuilder::new(reqwest::Client::new())
        .with(RetryOn503)
        .build();
    let client = Client::with_middleware(&server.url, http)
        .expect("url")
        .with_company_id("360")
        .with_lang("en");
    let token = client
        .get_access_token()
        .await
        .expect("retried into success");
    assert_eq!(token, "final-access-token");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let sent = server.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[0].body, sent[1].body,
        "the retry sends the same request"
    );
    assert_eq!(sent[0].header("companyId"), sent[1].header("companyId"));
}

#[tokio::test]
async fn without_the_middleware_503_is_a_status_error() {
    let server = serve(|_: &Request| Reply::raw(503, "try again")).await;
    let client = Client::new(&server.url)
        .expect("url")
        .with_company_id("360")
        .with_lang("en");
    let err = client.get_access_token().await.expect_err("503");
    assert!(matches!(err, Error::Status { status: 503, .. }), "{err:?}");
}

#[tokio::test]
async fn per_request_headers_and_timeout() {
    let server = serve(|_: &Request| Reply::json(200, envelope(json!("t")))).await;
    let client = Client::new(&server.url)
        .expect("url")
        .with_company_id("360")
        .with_lang("en");
    client
        .get_access_token()
        .with_header("X-Request-Id", "req-42")
        .with_timeout(Duration::from_secs(5))
        .await
        .expect("ok");
    assert_eq!(server.requests()[0].header("x-request-id"), Some("req-42"));

    // A server that never answers: the per-request timeout ends the call.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let _hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let client = Client::new(&url)
        .expect("url")
        .with_company_id("360")
        .with_lang("en");
    let err = client
        .get_access_token()
        .with_timeout(Duration::from_millis(200))
        .await
        .expect_err("timeout");
    match err {
        Error::Transport(e) => assert!(e.is_timeout(), "{e}"),
        other => panic!("expected a transport timeout, got {other:?}"),
    }
}

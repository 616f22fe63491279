//! Runs inside the crate generated from `spec.yaml`: pagination over three
//! pages in both styles, asserting the exact requests and the items, and a
//! malformed date-time that must be a decode error naming the field.

use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use paging_client::{Client, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

type Respond = fn(&str, &str) -> (String, String);

/// A loopback server answering `respond(target, base_url)` with extra
/// headers and a body; records each request's target (path and query).
async fn serve(respond: Respond) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = Arc::clone(&seen);
    let url = base.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 65536];
            let n = stream.read(&mut buf).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).into_owned();
            let target = head.split(' ').nth(1).unwrap_or("").to_owned();
            log.lock().expect("log").push(target.clone());
            let (extra, body) = respond(&target, &url);
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes()).await;
        }
    });
    (base, seen)
}

fn github(target: &str, base: &str) -> (String, String) {
    let link = |page: u32| {
        format!(
            "Link: <{base}/orgs/rust-lang/repos?per_page=2&page={page}>; rel=\"next\", <{base}/orgs/rust-lang/repos?per_page=2&page=3>; rel=\"last\"\r\n"
        )
    };
    match target {
        "/orgs/rust-lang/repos?per_page=2" => (
            link(2),
            r#"[{"id":1,"name":"rust"},{"id":2,"name":"cargo"}]"#.into(),
        ),
        "/orgs/rust-lang/repos?per_page=2&page=2" => (
            link(3),
            r#"[{"id":3,"name":"rustup"},{"id":4,"name":"crates.io"}]"#.into(),
        ),
        "/orgs/rust-lang/repos?per_page=2&page=3" => {
            (String::new(), r#"[{"id":5,"name":"book"}]"#.into())
        }
        _ => (String::new(), "[]".into()),
    }
}

fn stripe(target: &str, _: &str) -> (String, String) {
    let body = match target {
        "/v1/customers?limit=2" => {
            r#"{"object":"list","url":"/v1/customers","has_more":true,"data":[{"id":"cus_1"},{"id":"cus_2","email":null}]}"#
        }
        "/v1/customers?limit=2&starting_after=cus_2" => {
            r#"{"object":"list","has_more":true,"data":[{"id":"cus_3"},{"id":"cus_4"}]}"#
        }
        "/v1/customers?limit=2&starting_after=cus_4" => {
            r#"{"object":"list","has_more":false,"data":[{"id":"cus_5","email":"e@x"}]}"#
        }
        _ => r#"{"has_more":false,"data":[]}"#,
    };
    (String::new(), body.into())
}

fn bad_date(_: &str, _: &str) -> (String, String) {
    (
        String::new(),
        r#"{"id":"evt_1","created":"yesterday"}"#.into(),
    )
}

#[tokio::test]
async fn link_header_pagination_over_three_pages() {
    let (url, seen) = serve(github).await;
    let client = Client::new(&url).expect("url");
    let names: Vec<String> = client
        .repos_list_for_org("rust-lang")
        .per_page(2)
        .stream()
        .map(|r| r.expect("item").name)
        .collect()
        .await;
    assert_eq!(names, ["rust", "cargo", "rustup", "crates.io", "book"]);
    assert_eq!(
        *seen.lock().expect("log"),
        [
            "/orgs/rust-lang/repos?per_page=2",
            "/orgs/rust-lang/repos?per_page=2&page=2",
            "/orgs/rust-lang/repos?per_page=2&page=3",
        ]
    );
}

#[tokio::test]
async fn cursor_pagination_over_three_pages() {
    let (url, seen) = serve(stripe).await;
    let client = Client::new(&url).expect("url");
    let ids: Vec<String> = client
        .get_customers()
        .limit(2)
        .stream()
        .map(|r| r.expect("item").id)
        .collect()
        .await;
    assert_eq!(ids, ["cus_1", "cus_2", "cus_3", "cus_4", "cus_5"]);
    assert_eq!(
        *seen.lock().expect("log"),
        [
            "/v1/customers?limit=2",
            "/v1/customers?limit=2&starting_after=cus_2",
            "/v1/customers?limit=2&starting_after=cus_4",
        ]
    );
}

#[tokio::test]
async fn malformed_date_time_is_an_error_naming_the_field() {
    let (url, _) = serve(bad_date).await;
    let client = Client::new(&url).expect("url");
    match client.get_event("evt_1").await {
        Err(Error::Decode {
            status,
            message,
            body,
        }) => {
            assert_eq!(status, 200);
            assert!(message.starts_with("created: "), "{message}");
            assert!(body.contains("yesterday"), "{body}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

fn with_signature(_: &str, _: &str) -> (String, String) {
    (
        String::new(),
        r#"{"id":"evt_1","created":"2026-11-24T09:00:00Z","signature":"AJ/+_w=="}"#.into(),
    )
}

fn bad_signature(_: &str, _: &str) -> (String, String) {
    (
        String::new(),
        r#"{"id":"evt_1","created":"2026-11-24T09:00:00Z","signature":"not base64!"}"#.into(),
    )
}

#[tokio::test]
async fn byte_format_is_base64_decoded_bytes() {
    let (url, _) = serve(with_signature).await;
    let client = Client::new(&url).expect("url");
    let event = client.get_event("evt_1").await.expect("event");
    let signature = event.signature.expect("signature");
    // Standard and URL-safe alphabets, padding: 0x00 0x9f 0xfe 0xff.
    assert_eq!(signature.0, [0x00, 0x9f, 0xfe, 0xff]);
    assert_eq!(
        serde_json::to_string(&signature).expect("encode"),
        r#""AJ/+/w==""#
    );

    let (url, _) = serve(bad_signature).await;
    let client = Client::new(&url).expect("url");
    match client.get_event("evt_1").await {
        Err(Error::Decode { message, .. }) => {
            assert!(message.starts_with("signature: "), "{message}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

/// The README's promise for big APIs: a call with only the required
/// argument, and one with optional parameters, are one line each.
#[allow(dead_code)]
async fn one_line_calls(client: &Client) -> Result<(), Error> {
    let _all = client.repos_list_for_org("rust-lang").await?;
    let _some = client
        .repos_list_for_org("rust-lang")
        .per_page(100)
        .sort(paging_client::types::ReposListForOrgSort::Updated)
        .await?;
    Ok(())
}

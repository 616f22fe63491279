//! Runs inside the crate generated from the generator's
//! `fixtures/v32/methods.yaml`: OpenAPI 3.2's `query` and
//! `additionalOperations` go out with their own HTTP methods.

use v32_methods_client::Client;
use v32_methods_client::types::Search;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A loopback server that records each request's head and answers
/// `status` with `body`.
async fn serve(status: &'static str, body: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 65536];
            let n = stream.read(&mut buf).await.unwrap_or(0);
            let text = String::from_utf8_lossy(&buf[..n]).into_owned();
            record.lock().expect("lock").push(text);
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(body.as_bytes()).await;
        }
    });
    (base, seen)
}

#[tokio::test]
async fn query_sends_a_query_request_with_its_body() {
    let (base, seen) = serve("200 OK", r#"[{"id": "1", "name": "one"}]"#).await;
    let client = Client::new(&base).expect("url");
    let items = client.search_items(Search::new("rust")).await.expect("ok");
    assert_eq!(items[0].id, "1");
    let request = seen.lock().expect("lock")[0].clone();
    assert!(request.starts_with("QUERY /search HTTP/1.1\r\n"), "{request}");
    assert!(request.contains(r#"{"text":"rust"}"#), "{request}");
}

#[tokio::test]
async fn additional_operations_use_their_methods() {
    let (base, seen) = serve("204 No Content", "").await;
    let client = Client::new(&base).expect("url");
    client.copy_items_by_id("a", "/items/b").await.expect("copied");
    client.purge_item("a").await.expect("purged");
    let seen = seen.lock().expect("lock").clone();
    assert!(seen[0].starts_with("COPY /items/a HTTP/1.1\r\n"), "{}", seen[0]);
    assert!(seen[0].to_ascii_lowercase().contains("destination: /items/b"), "{}", seen[0]);
    assert!(seen[1].starts_with("PURGE /items/a HTTP/1.1\r\n"), "{}", seen[1]);
}

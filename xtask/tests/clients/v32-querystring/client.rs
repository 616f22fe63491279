//! Runs inside the crate generated from the generator's
//! `fixtures/v32/querystring.yaml`: a `querystring` parameter (an object as
//! `application/x-www-form-urlencoded`) is the request's whole query string.

use v32_querystring_client::Client;
use v32_querystring_client::types::Filter;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[tokio::test]
async fn the_object_is_the_query_string() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(String::new()));
    let record = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 65536];
            let n = stream.read(&mut buf).await.unwrap_or(0);
            *record.lock().expect("lock") = String::from_utf8_lossy(&buf[..n]).into_owned();
            let body = "[]";
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(body.as_bytes()).await;
        }
    });
    let client = Client::new(&base).expect("url");
    let filter = Filter::new("rust lang").limit(10).tags(vec!["a".into(), "b".into()]);
    client.search(filter).await.expect("ok");
    let request = seen.lock().expect("lock").clone();
    let line = request.lines().next().unwrap_or_default().to_owned();
    assert_eq!(line, "GET /search?limit=10&q=rust+lang&tags=a&tags=b HTTP/1.1", "{request}");
}

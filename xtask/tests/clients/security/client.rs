//! Runs inside the crate generated from the generator's `security.yaml`
//! fixture: credentials set on the client reach the server where each
//! operation's security requirement says, and `Debug` never shows them.

use std::sync::{Arc, Mutex};

use security_client::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A loopback server answering 200 to everything; records each request's
/// head (request line and headers, lower-cased names).
async fn serve() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 65536];
            let n = stream.read(&mut buf).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).to_ascii_lowercase();
            log.lock().expect("log").push(head);
            let reply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(reply.as_bytes()).await;
        }
    });
    (base, seen)
}

fn last(seen: &Arc<Mutex<Vec<String>>>) -> String {
    seen.lock().expect("log").last().cloned().expect("a request")
}

#[tokio::test]
async fn first_alternative_with_every_credential_set_is_sent() {
    let (url, seen) = serve().await;
    let client = Client::new(&url)
        .expect("url")
        .with_bearer_auth("tok")
        .with_api_key_header("key");
    client.me().await.expect("me");
    let head = last(&seen);
    assert!(head.contains("authorization: bearer tok\r\n"), "{head}");
    assert!(!head.contains("x-api-key"), "only the first alternative: {head}");

    client.set_bearer_auth(None);
    client.me().await.expect("me");
    let head = last(&seen);
    assert!(head.contains("x-api-key: key\r\n"), "{head}");
    assert!(!head.contains("authorization"), "{head}");
}

#[tokio::test]
async fn keys_in_query_and_cookie_and_basic() {
    let (url, seen) = serve().await;
    let client = Client::new(&url)
        .expect("url")
        .with_api_key_query("q k")
        .with_basic("user", "pa:ss");
    // `both` wants query key AND cookie key, or basic: the cookie is unset.
    client.both().await.expect("both");
    let head = last(&seen);
    // base64("user:pa:ss")
    assert!(head.contains("authorization: basic dxnlcjpwytpzcw==\r\n"), "{head}");
    assert!(head.starts_with("get /both http"), "{head}");

    client.set_api_key_cookie(Some("c".into()));
    client.both().await.expect("both");
    let head = last(&seen);
    assert!(head.starts_with("get /both?api_key=q+k http"), "{head}");
    assert!(head.contains("cookie: session=c\r\n"), "{head}");
    assert!(!head.contains("authorization"), "{head}");
}

#[tokio::test]
async fn public_operations_send_nothing_and_debug_hides_credentials() {
    let (url, seen) = serve().await;
    let client = Client::new(&url)
        .expect("url")
        .with_bearer_auth("s3cret-token")
        .with_basic("user", "s3cret-password");
    client.public().await.expect("public");
    assert!(!last(&seen).contains("authorization"));
    client.oauth().await.expect("oauth: no oauth token set, sent without");
    assert!(!last(&seen).contains("authorization"));
    let shown = format!("{client:?} {:?}", client.me());
    assert!(!shown.contains("s3cret"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

//! Runs inside the crate generated from the generator's
//! `formats-in-error-bodies.yaml` fixture: documented error bodies that are
//! a whole `format: byte` or `date-time` value decode into `ErrorBody`.

use error_formats_client::types::Base64;
use error_formats_client::{Client, Error, ErrorBody};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A loopback server answering every request with `status` and a JSON `body`.
async fn serve(status: &'static str, body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 65536];
            let _ = stream.read(&mut buf).await;
            let reply = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes()).await;
        }
    });
    base
}

#[tokio::test]
async fn byte_and_date_time_error_bodies_decode() {
    let client = Client::new(&serve("409 Conflict", r#""AAEC""#).await).expect("url");
    match client.get_blob("b").await {
        Err(Error::Response { status: 409, body }) => {
            assert!(
                matches!(&body, ErrorBody::BytesType(b) if *b == Base64(vec![0, 1, 2])),
                "{body:?}"
            );
        }
        other => panic!("not a documented error: {other:?}"),
    }
    let client = Client::new(&serve("410 Gone", r#""2026-11-24T09:00:00Z""#).await).expect("url");
    match client.get_blob("b").await {
        Err(Error::Response { status: 410, body }) => {
            assert!(matches!(&body, ErrorBody::DateTime(_)), "{body:?}");
        }
        other => panic!("not a documented error: {other:?}"),
    }
}

//! Runs inside the crate generated from the generator's `responses.yaml`
//! fixture: error statuses the API documents arrive as typed
//! `Error::Response` bodies; others, and bodies that do not match, as
//! `Error::Status` with the start of the body. Binary downloads come whole
//! or unread, to stream.

use responses_client::{Client, Error, ErrorBody};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A loopback server answering every request with `status` and `body`.
async fn serve(status: &'static str, body: &'static str) -> String {
    serve_bytes(status, body.as_bytes()).await
}

/// The same with any body.
async fn serve_bytes(status: &'static str, body: &'static [u8]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 65536];
            let _ = stream.read(&mut buf).await;
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(body).await;
        }
    });
    base
}

async fn get_repo(status: &'static str, body: &'static str) -> Error {
    let client = Client::new(&serve(status, body).await).expect("url");
    client.get_repo("r").await.expect_err("an error status")
}

#[tokio::test]
async fn documented_codes_decode_to_their_body() {
    match get_repo("404 Not Found", r#"{"message":"Not Found"}"#).await {
        Error::Response { status: 404, body } => match body {
            ErrorBody::BasicError(e) => assert_eq!(e.message.as_deref(), Some("Not Found")),
            other => panic!("wrong body: {other:?}"),
        },
        other => panic!("not a documented error: {other:?}"),
    }
    match get_repo("422 Unprocessable Entity", r#"{"message":"bad","errors":["name"]}"#).await {
        Error::Response { status: 422, body } => match body {
            ErrorBody::ValidationError(e) => {
                assert_eq!(e.message, "bad");
                assert_eq!(e.errors, Some(vec!["name".to_owned()]));
            }
            other => panic!("wrong body: {other:?}"),
        },
        other => panic!("not a documented error: {other:?}"),
    }
}

#[tokio::test]
async fn ranges_and_default_cover_the_rest() {
    let e = get_repo("503 Service Unavailable", r#"{"message":"later"}"#).await;
    assert!(
        matches!(&e, Error::Response { status: 503, body } if matches!(body, ErrorBody::BasicError(_))),
        "{e:?}"
    );
    let e = get_repo("418 I'm a teapot", r#"[{"title":"teapot"}]"#).await;
    assert!(
        matches!(&e, Error::Response { status: 418, body } if matches!(body, ErrorBody::ProblemList(_))),
        "{e:?}"
    );
    assert_eq!(e.status(), Some(418));
}

#[tokio::test]
async fn undocumented_or_mismatched_bodies_keep_the_text() {
    // 422 documents `ValidationError`, whose `message` is required.
    let e = get_repo("422 Unprocessable Entity", r#"{"errors":[]}"#).await;
    assert!(
        matches!(&e, Error::Status { status: 422, body } if body == r#"{"errors":[]}"#),
        "{e:?}"
    );
    // `ping` documents its 500 without a body.
    let client = Client::new(&serve("500 Internal Server Error", "oops").await).expect("url");
    let e = client.ping().await.expect_err("500");
    assert!(matches!(&e, Error::Status { status: 500, body } if body == "oops"), "{e:?}");
    assert_eq!(e.to_string(), "server answered 500: oops");
}

/// Every byte value, three times over: not text, not small.
static FILE: [u8; 768] = {
    let mut bytes = [0u8; 768];
    let mut i = 0;
    while i < bytes.len() {
        bytes[i] = (i % 256) as u8;
        i += 1;
    }
    bytes
};

#[tokio::test]
async fn binary_downloads_whole_or_streamed() {
    let client = Client::new(&serve_bytes("200 OK", &FILE).await).expect("url");
    assert_eq!(client.download("a.bin").await.expect("download"), FILE);

    let mut response = client
        .download("a.bin")
        .send_streaming()
        .await
        .expect("response");
    let mut got = Vec::new();
    while let Some(chunk) = response.chunk().await.expect("chunk") {
        got.extend_from_slice(&chunk);
    }
    assert_eq!(got, FILE);

    let client = Client::new(&serve("404 Not Found", r#"{"message":"no file"}"#).await).expect("url");
    let e = client
        .download("b.bin")
        .send_streaming()
        .await
        .expect_err("404");
    assert!(
        matches!(&e, Error::Response { status: 404, body } if matches!(body, ErrorBody::BasicError(_))),
        "{e:?}"
    );
}

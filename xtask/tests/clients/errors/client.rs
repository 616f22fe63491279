//! Runs inside the crate generated from `spec.yaml`: error statuses the API
//! documents arrive as typed `Error::Response` bodies; others, and bodies
//! that do not match, as `Error::Status` with the start of the body.

use errors_client::{Client, Error, ErrorBody};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A loopback server answering every request with `status` and `body`.
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

async fn get_repo(status: &'static str, body: &'static str) -> Error {
    let client = Client::new(&serve(status, body).await).expect("url");
    client.get_repo("r").await.expect_err("an error status")
}

#[tokio::test]
async fn documented_codes_decode_to_their_body() {
    match get_repo("404 Not Found", r#"{"message":"Not Found"}"#).await {
        Error::Response { status: 404, body } => match *body {
            ErrorBody::BasicError(e) => assert_eq!(e.message.as_deref(), Some("Not Found")),
            other => panic!("wrong body: {other:?}"),
        },
        other => panic!("not a documented error: {other:?}"),
    }
    match get_repo("422 Unprocessable Entity", r#"{"message":"bad","errors":["name"]}"#).await {
        Error::Response { status: 422, body } => match *body {
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
        matches!(&e, Error::Response { status: 503, body } if matches!(**body, ErrorBody::BasicError(_))),
        "{e:?}"
    );
    let e = get_repo("418 I'm a teapot", r#"[{"title":"teapot"}]"#).await;
    assert!(
        matches!(&e, Error::Response { status: 418, body } if matches!(**body, ErrorBody::ProblemList(_))),
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

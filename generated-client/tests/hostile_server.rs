//! The generated client against a hostile server: whatever comes back, an
//! operation returns an error value, never panics.
//!
//! A tiny fake HTTP server on 127.0.0.1 answers each request with one canned
//! response (then closes the connection); every case asserts the error
//! variant the client reports.

use generated_client::{Client, Error, types};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// How much of a body an error keeps (the generated `SNIPPET_LIMIT`), plus
/// the ellipsis that marks a cut.
const SNIPPET_MAX: usize = 1024 + '…'.len_utf8();

/// Serves `response` (raw bytes, status line included) to up to `requests`
/// connections, then stops. Returns the base URL.
async fn serve(response: Vec<u8>, requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        for _ in 0..requests {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            read_request(&mut socket).await;
            let _ = socket.write_all(&response).await;
            let _ = socket.shutdown().await;
        }
    });
    format!("http://{addr}/api")
}

/// Reads one request: headers, then as many body bytes as announced.
async fn read_request(socket: &mut tokio::net::TcpStream) {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let Ok(n) = socket.read(&mut buf).await else {
            return;
        };
        if n == 0 {
            return;
        }
        data.extend_from_slice(&buf[..n]);
        let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
            if data.len() > 1 << 20 {
                return;
            }
            continue;
        };
        let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        if data.len() >= end + 4 + length {
            return;
        }
    }
}

fn http(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

fn login_body() -> types::LoginBody {
    types::LoginBody::new(2, false, "user@example.com", 1).login_pwd("secret")
}

async fn login(base: &str) -> Result<types::LoginData, Error> {
    let client = Client::new(base)?.with_company_id("1").with_lang("en");
    client.login(login_body()).await
}

/// What a case expects.
enum Expect {
    Decode { status: u16 },
    Status { status: u16 },
    Transport,
}

fn check(case: &str, result: Result<types::LoginData, Error>, expect: Expect) {
    let err = match result {
        Ok(v) => panic!("{case}: expected an error, got {v:?}"),
        Err(e) => e,
    };
    // Every error displays without panicking, and keeps only a snippet.
    let shown = err.to_string();
    match (&expect, &err) {
        (
            Expect::Decode { status },
            Error::Decode {
                status: s,
                body,
                message,
            },
        ) => {
            assert_eq!(s, status, "{case}");
            assert!(
                body.len() <= SNIPPET_MAX,
                "{case}: body of {} bytes",
                body.len()
            );
            assert!(!message.is_empty(), "{case}");
        }
        (Expect::Status { status }, Error::Status { status: s, body }) => {
            assert_eq!(s, status, "{case}");
            assert!(
                body.len() <= SNIPPET_MAX,
                "{case}: body of {} bytes",
                body.len()
            );
        }
        (Expect::Transport, Error::Transport(_)) => {}
        _ => panic!("{case}: unexpected error {err:?}"),
    }
    assert!(
        shown.len() <= SNIPPET_MAX + 512,
        "{case}: message of {} bytes",
        shown.len()
    );
}

#[tokio::test]
async fn hostile_responses_are_errors() {
    let huge = vec![b'x'; 8 << 20];
    let mut huge_json = b"{\"code\": \"".to_vec();
    huge_json.extend(std::iter::repeat_n(b'a', 4 << 20));
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let cases: Vec<(&str, Vec<u8>, Expect)> = vec![
        ("malformed JSON", http("200 OK", "application/json", b"{\"code\": \"0\",,}"), Expect::Decode { status: 200 }),
        ("truncated JSON", http("200 OK", "application/json", b"{\"code\": \"0\", \"data\": {"), Expect::Decode { status: 200 }),
        ("wrong types", http("200 OK", "application/json", b"{\"code\": 0, \"ok\": \"yes\", \"tm\": \"soon\"}"), Expect::Decode { status: 200 }),
        ("an array instead of an object", http("200 OK", "application/json", b"[1, 2, 3]"), Expect::Decode { status: 200 }),
        ("null", http("200 OK", "application/json", b"null"), Expect::Decode { status: 200 }),
        ("empty 200", http("200 OK", "application/json", b""), Expect::Decode { status: 200 }),
        ("non-UTF-8", http("200 OK", "application/json", b"{\"code\": \"\xff\xfe\xc3\x28\"}"), Expect::Decode { status: 200 }),
        ("HTML error page with 200", http("200 OK", "text/html", b"<html><body>Oops</body></html>"), Expect::Decode { status: 200 }),
        ("huge non-JSON body", http("200 OK", "application/json", &huge), Expect::Decode { status: 200 }),
        ("huge unterminated string", http("200 OK", "application/json", &huge_json), Expect::Decode { status: 200 }),
        ("deeply nested JSON", http("200 OK", "application/json", deep.as_bytes()), Expect::Decode { status: 200 }),
        ("huge 500 body", http("500 Internal Server Error", "text/plain", &huge), Expect::Status { status: 500 }),
        ("non-UTF-8 404 body", http("404 Not Found", "text/plain", b"\xff\xfe not found"), Expect::Status { status: 404 }),
        (
            "body shorter than its Content-Length",
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"code\"".to_vec(),
            Expect::Transport,
        ),
        ("not HTTP at all", b"SSH-2.0-OpenSSH_9.6\r\n".to_vec(), Expect::Transport),
        ("connection closed without an answer", Vec::new(), Expect::Transport),
    ];
    for (case, response, expect) in cases {
        let base = serve(response, 1).await;
        check(case, login(&base).await, expect);
    }
}

#[tokio::test]
async fn a_well_formed_answer_still_decodes() {
    let body = br#"{"code":"0","msg":"ok","ok":true,"data":{"id":7,"token":"t"}}"#;
    let base = serve(http("200 OK", "application/json", body), 1).await;
    let response = login(&base).await.unwrap_or_else(|e| panic!("{e}"));
    // The envelope's `code` was "0": the payload is returned.
    assert_eq!(response.id, Some(7));
}

//! Runs inside the crate generated from the generator's
//! `formats-in-builders.yaml` fixture (split by tag): `format: byte`, `date`,
//! `date-time` and `uuid` values that only request builders spell out, as
//! parameters, whole bodies and whole responses, sent and read on loopback.

use std::sync::{Arc, Mutex};

use formats_client::Client;
use formats_client::types::Base64;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One request as the server read it.
#[derive(Clone, Debug, Default)]
struct Seen {
    target: String,
    headers: Vec<String>,
    body: String,
}

/// A loopback server answering every request with `body` (JSON), recording
/// each request.
async fn serve(body: &'static str) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut data = Vec::new();
            let mut buf = vec![0u8; 65536];
            // The head, then as many body bytes as it announces.
            let request = loop {
                let n = stream.read(&mut buf).await.unwrap_or(0);
                data.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&data).into_owned();
                if let Some((head, rest)) = text.split_once("\r\n\r\n") {
                    let length = head
                        .lines()
                        .filter_map(|l| l.split_once(':'))
                        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    if rest.len() >= length || n == 0 {
                        let mut lines = head.lines();
                        let target = lines
                            .next()
                            .and_then(|l| l.split(' ').nth(1))
                            .unwrap_or("")
                            .to_owned();
                        let headers = lines.map(str::to_ascii_lowercase).collect();
                        break Seen {
                            target,
                            headers,
                            body: rest.to_owned(),
                        };
                    }
                }
                if n == 0 {
                    break Seen::default();
                }
            };
            log.lock().expect("log").push(request);
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes()).await;
        }
    });
    (base, seen)
}

#[tokio::test]
async fn byte_format_parameters_and_bodies_travel_as_base64() {
    let (url, seen) = serve(r#""AAEC""#).await;
    let client = Client::new(&url).expect("url");
    // 0x00 0x9f 0xfe 0xff is `AJ/+/w==`: every character that needs escaping.
    let stored: Base64 = client
        .put_file(
            "a",
            Base64(vec![0x00, 0x9f, 0xfe, 0xff]),
            Base64(b"hi".to_vec()),
        )
        .x_signature(Base64(vec![1, 2]))
        .await
        .expect("put");
    assert_eq!(stored, Base64(vec![0, 1, 2]));
    let seen = seen.lock().expect("log").clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].target, "/files/a?checksum=AJ%2F%2B%2Fw%3D%3D");
    assert!(
        seen[0].headers.contains(&"x-signature: aqi=".to_owned()),
        "{seen:?}"
    );
    assert_eq!(seen[0].body, r#""aGk=""#);
}

#[tokio::test]
async fn date_and_uuid_parameters_bodies_and_responses() {
    let (url, seen) = serve(r#""67e55044-10b1-426f-9247-bb680e5fe0c8""#).await;
    let client = Client::new(&url).expect("url");
    let since = chrono::DateTime::parse_from_rfc3339("2026-11-24T09:00:00Z")
        .expect("date-time")
        .with_timezone(&chrono::Utc);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    let first: uuid::Uuid = client
        .list_events()
        .since(since)
        .day(day)
        .await
        .expect("events");
    assert_eq!(first.to_string(), "67e55044-10b1-426f-9247-bb680e5fe0c8");
    assert_eq!(
        seen.lock().expect("log")[0].target,
        "/events?since=2026-11-24T09%3A00%3A00Z&day=2026-11-24"
    );

    let (url, seen) = serve(r#""2026-11-24T00:00:00Z""#).await;
    let client = Client::new(&url).expect("url");
    let starts: chrono::DateTime<chrono::Utc> = client.add_day(day).await.expect("day");
    assert_eq!(starts.to_rfc3339(), "2026-11-24T00:00:00+00:00");
    assert_eq!(seen.lock().expect("log")[0].body, r#""2026-11-24""#);
}

#[tokio::test]
async fn a_tag_without_formats_still_works() {
    let (url, _) = serve("pong").await;
    let client = Client::new(&url).expect("url");
    assert_eq!(client.ping().await.expect("ping"), "pong");
}

//! Runs inside the crate generated from `examples/streaming.yaml`: a
//! loopback server sends streamed responses cut into awkward network
//! chunks (one byte at a time, events split mid-line, several events in
//! one write, CRLF and CR line ends, comments, `retry`, a BOM, `[DONE]`),
//! and each case's stream yields exactly the expected typed items; JSON
//! Lines and json-seq with a bad line; an error status before the stream;
//! an endless stream read incrementally and dropped; a line that never
//! ends, cut off at 16 MiB.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use streaming_client::types::{ChatRequest, FeedEventData, LogLine};
use streaming_client::{Client, Error, ErrorBody, Event};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server sends: the status line's code, the content type and the
/// body's pieces, each written (and flushed) on its own.
#[derive(Clone)]
struct Reply {
    status: u16,
    content_type: &'static str,
    pieces: Vec<Vec<u8>>,
}

/// A loopback server answering every request with `reply`; records each
/// request (head and body) as text.
async fn serve(reply: Reply) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let request = read_request(&mut stream).await;
            log.lock().expect("log").push(request);
            let head = format!(
                "HTTP/1.1 {} X\r\nContent-Type: {}\r\nConnection: close\r\n\r\n",
                reply.status, reply.content_type
            );
            let _ = stream.write_all(head.as_bytes()).await;
            for piece in &reply.pieces {
                if stream.write_all(piece).await.is_err() || stream.flush().await.is_err() {
                    break;
                }
                // Give the client a chance to read each piece on its own.
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
    });
    (base, seen)
}

/// A request's head and body (by `Content-Length`), as text.
async fn read_request(stream: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                return text;
            }
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// `text` cut every `size` bytes.
fn every(text: &[u8], size: usize) -> Vec<Vec<u8>> {
    text.chunks(size).map(<[u8]>::to_vec).collect()
}

/// The SSE body of the chat table: a BOM, a comment, `retry`, a data
/// field split over two lines, a field without a space after the colon, an
/// event that does not decode, `id` persisting then reset by a field
/// without a colon, an unknown field, `[DONE]`, and an event after it that
/// must never be read.
const CHAT: &str = "\u{feff}: a comment\n\
    retry: 3000\n\
    id: 1\n\
    data: {\"text\":\n\
    data: \"Hello\"}\n\
    \n\
    event: chunk\n\
    data:{\"text\":\" world\"}\n\
    \n\
    data: {\"text\": 5}\n\
    \n\
    unknown: field\n\
    id\n\
    data: {\"text\":\"!\",\"finish_reason\":\"stop\"}\n\
    \n\
    data: [DONE]\n\
    \n\
    data: {\"text\":\"never\"}\n\
    \n";

/// An item of the chat table as compared: (event, id, retry, text,
/// finish reason), or the error's message.
type Seen = Result<
    (
        Option<String>,
        Option<String>,
        Option<u64>,
        String,
        Option<String>,
    ),
    String,
>;

fn chat_expected() -> Vec<Seen> {
    vec![
        Ok((None, Some("1".into()), Some(3000), "Hello".into(), None)),
        Ok((
            Some("chunk".into()),
            Some("1".into()),
            None,
            " world".into(),
            None,
        )),
        Err("decode".into()),
        Ok((None, None, None, "!".into(), Some("stop".into()))),
    ]
}

fn seen(item: Result<Event<streaming_client::types::ChatChunk>, Error>) -> Seen {
    match item {
        Ok(e) => Ok((e.event, e.id, e.retry, e.data.text, e.data.finish_reason)),
        Err(Error::Decode { status: 200, .. }) => Err("decode".into()),
        Err(other) => Err(other.to_string()),
    }
}

#[tokio::test]
async fn sse_chunkings_yield_the_same_events() {
    let crlf = CHAT.replace('\n', "\r\n");
    let cr = CHAT.replace('\n', "\r");
    // Every chunking of every line-end style: (name, pieces).
    let mut table: Vec<(String, Vec<Vec<u8>>)> = Vec::new();
    for (ends, text) in [("LF", CHAT.to_owned()), ("CRLF", crlf), ("CR", cr)] {
        let bytes = text.as_bytes();
        table.push((format!("{ends}, whole"), vec![bytes.to_vec()]));
        table.push((format!("{ends}, one byte at a time"), every(bytes, 1)));
        table.push((format!("{ends}, 7 bytes (mid-line)"), every(bytes, 7)));
        table.push((
            format!("{ends}, 2 bytes (the BOM and CRLF split)"),
            every(bytes, 2),
        ));
        // Several events in one piece, then the rest.
        table.push((
            format!("{ends}, two pieces"),
            every(bytes, bytes.len() / 2 + 1),
        ));
    }
    for (name, pieces) in table {
        let (base, requests) = serve(Reply {
            status: 200,
            content_type: "text/event-stream",
            pieces,
        })
        .await;
        let client = Client::new(&base).expect("client");
        let got: Vec<Seen> = client
            .chat(ChatRequest::new("hi"))
            .with_header("x-trace", "7")
            .stream()
            .map(seen)
            .collect()
            .await;
        assert_eq!(got, chat_expected(), "{name}");
        // What `stream()` asks for, with the builder's options.
        let request = requests.lock().expect("log")[0].to_ascii_lowercase();
        assert!(request.contains("accept: text/event-stream"), "{request}");
        assert!(request.contains("x-trace: 7"), "{request}");
        assert!(request.contains("\"stream\":true"), "{request}");
    }
}

/// The event feed: the whole SSE event is described, its `data` a union.
#[tokio::test]
async fn sse_union_data() {
    let body = "event: created\ndata: {\"created\":\"a\"}\n\n: keep-alive\n\nevent: deleted\nid: 9\ndata: {\"deleted\":3}\n\n";
    let (base, _) = serve(Reply {
        status: 200,
        content_type: "text/event-stream",
        pieces: every(body.as_bytes(), 5),
    })
    .await;
    let client = Client::new(&base).expect("client");
    let events: Vec<Event<FeedEventData>> = client
        .events()
        .stream()
        .map(|e| e.expect("event"))
        .collect()
        .await;
    let got: Vec<(Option<&str>, Option<&str>, String)> = events
        .iter()
        .map(|e| {
            let data = match &e.data {
                FeedEventData::Created(c) => format!("created {}", c.created),
                FeedEventData::Deleted(d) => format!("deleted {}", d.deleted),
                other => format!("{other:?}"),
            };
            (e.event.as_deref(), e.id.as_deref(), data)
        })
        .collect();
    assert_eq!(
        got,
        [
            (Some("created"), None, "created a".to_owned()),
            (Some("deleted"), Some("9"), "deleted 3".to_owned()),
        ]
    );
}

/// An error status before the stream starts: the documented error body is
/// the only item, as `send()` would return it.
#[tokio::test]
async fn sse_error_status_before_the_stream() {
    let (base, _) = serve(Reply {
        status: 422,
        content_type: "application/json",
        pieces: vec![br#"{"detail":"no prompt"}"#.to_vec()],
    })
    .await;
    let client = Client::new(&base).expect("client");
    let items: Vec<_> = client.chat(ChatRequest::new("")).stream().collect().await;
    assert_eq!(items.len(), 1);
    match &items[0] {
        Err(Error::Response {
            status: 422,
            body: ErrorBody::Problem(p),
        }) => assert_eq!(p.detail, "no prompt"),
        other => panic!("{other:?}"),
    }
}

fn log_line(item: Result<LogLine, Error>) -> Result<String, String> {
    match item {
        Ok(l) => Ok(format!("{}: {}", l.level, l.message)),
        Err(Error::Decode { message, .. }) => Err(message),
        Err(other) => Err(other.to_string()),
    }
}

/// JSON Lines and json-seq, in awkward chunkings: blank lines skipped, a
/// bad line an error naming its number, the stream going on after it, a
/// last line without its newline read.
#[tokio::test]
async fn json_lines_and_sequences() {
    let lines = "{\"level\":\"info\",\"message\":\"up\"}\r\n\n{\"level\":\"warn\",\"message\":\"slow\"}\n{\"level\":3}\n   \n{\"level\":\"info\",\"message\":\"done\"}";
    let seq = "\u{1e}{\"level\":\"info\",\"message\":\"up\"}\n\u{1e}{\"level\":\"warn\",\"message\":\"slow\"}\n\u{1e}{\"level\":3}\n\u{1e}{\"level\":\"info\",\"message\":\"done\"}\n";
    let expected = |unit: &str, bad: usize| {
        vec![
            Ok("info: up".to_owned()),
            Ok("warn: slow".to_owned()),
            Err(format!("{unit} {bad}")),
            Ok("info: done".to_owned()),
        ]
    };
    for size in [1, 3, 1000] {
        let (base, requests) = serve(Reply {
            status: 200,
            content_type: "application/x-ndjson",
            pieces: every(lines.as_bytes(), size),
        })
        .await;
        let client = Client::new(&base).expect("client");
        let got: Vec<Result<String, String>> = client
            .logs()
            .follow(true)
            .stream()
            .map(log_line)
            .map(|r| r.map_err(|m| m.split(':').next().unwrap_or("").to_owned()))
            .collect()
            .await;
        assert_eq!(got, expected("line", 4), "JSON Lines, {size} bytes a piece");
        let request = requests.lock().expect("log")[0].to_ascii_lowercase();
        assert!(
            request.contains("accept: application/x-ndjson"),
            "{request}"
        );
        assert!(request.contains("follow=true"), "{request}");

        let (base, _) = serve(Reply {
            status: 200,
            content_type: "application/json-seq",
            pieces: every(seq.as_bytes(), size),
        })
        .await;
        let client = Client::new(&base).expect("client");
        let got: Vec<Result<String, String>> = client
            .records()
            .stream()
            .map(log_line)
            .map(|r| r.map_err(|m| m.split(':').next().unwrap_or("").to_owned()))
            .collect()
            .await;
        assert_eq!(got, expected("record", 3), "json-seq, {size} bytes a piece");
    }
}

/// A response that never ends: the first events are read as they arrive,
/// then the stream is dropped, which closes the connection (the server's
/// writes fail and it stops).
#[tokio::test]
async fn endless_stream_is_read_incrementally() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let stopped = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stopped);
    tokio::spawn(async move {
        let Ok((mut stream, _)) = listener.accept().await else {
            return;
        };
        read_request(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n";
        let _ = stream.write_all(head.as_bytes()).await;
        let mut n = 0u64;
        loop {
            let event = format!("id: {n}\ndata: {{\"text\":\"{n}\"}}\n\n");
            if stream.write_all(event.as_bytes()).await.is_err() {
                break;
            }
            n += 1;
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        flag.store(true, Ordering::SeqCst);
    });
    let client = Client::new(&base).expect("client");
    let first = tokio::time::timeout(Duration::from_secs(20), async {
        let mut stream = client.chat(ChatRequest::new("go")).stream();
        let mut texts = Vec::new();
        while texts.len() < 3 {
            match stream.next().await {
                Some(Ok(event)) => texts.push((event.id, event.data.text)),
                other => panic!("{other:?}"),
            }
        }
        texts
    })
    .await
    .expect("the first events arrive while the response goes on");
    let want: Vec<(Option<String>, String)> = (0..3)
        .map(|n| (Some(n.to_string()), n.to_string()))
        .collect();
    assert_eq!(first, want);
    // The stream was dropped: the server notices the closed connection.
    tokio::time::timeout(Duration::from_secs(20), async {
        while !stopped.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("dropping the stream closes the connection");
}

/// A line or an event that never ends is not held without bound: past 16
/// MiB it is an error item, and the stream ends there.
#[tokio::test]
async fn overlong_lines_end_the_stream() {
    let long = vec![b'x'; 1 << 20];
    let mut lines = vec![b"{\"level\":\"info\",\"message\":\"up\"}\n{\"level\":\"".to_vec()];
    let mut event = vec![b"data: {\"text\":\"a\"}\n\ndata: ".to_vec()];
    for _ in 0..17 {
        lines.push(long.clone());
        event.push(long.clone());
    }
    let (base, _) = serve(Reply {
        status: 200,
        content_type: "application/x-ndjson",
        pieces: lines,
    })
    .await;
    let client = Client::new(&base).expect("client");
    let got: Vec<Result<String, String>> = client.logs().stream().map(log_line).collect().await;
    assert_eq!(
        got,
        [
            Ok("info: up".to_owned()),
            Err(format!("line 2: longer than {} bytes", 16 << 20)),
        ]
    );
    let (base, _) = serve(Reply {
        status: 200,
        content_type: "text/event-stream",
        pieces: event,
    })
    .await;
    let client = Client::new(&base).expect("client");
    let got: Vec<Seen> = client
        .chat(ChatRequest::new("hi"))
        .stream()
        .map(|item| match item {
            Err(Error::Decode { message, .. }) => Err(message),
            other => seen(other),
        })
        .collect()
        .await;
    assert_eq!(
        got,
        [
            Ok((None, None, None, "a".to_owned(), None)),
            Err(format!("an event longer than {} bytes", 16 << 20)),
        ]
    );
}

//! Runs inside the crate generated from the generator's
//! `bodies-and-query-styles.yaml` fixture: the exact bytes a multipart
//! upload, a nested form body, a raw binary body and each query style put
//! on the wire. Run twice: with a plain `reqwest::Client` and with
//! `[client] middleware = true`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use bodies_client::Client;
use bodies_client::types::{
    CreateCustomerBody, CreateCustomerBodyItemsItem, SearchFilter, SearchFilterCreated,
    SearchPage, SearchRange, SearchWhereItem, UploadBody, UploadBodyMeta,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A loopback server answering 204; records each whole request (head and
/// body, read up to `Content-Length`).
async fn serve() -> (String, Arc<Mutex<Vec<Vec<u8>>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut request = Vec::new();
            let mut buf = vec![0u8; 65536];
            loop {
                let n = stream.read(&mut buf).await.unwrap_or(0);
                request.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&request).to_ascii_lowercase();
                let Some(end) = text.find("\r\n\r\n") else {
                    if n == 0 { break } else { continue }
                };
                let length: usize = text[..end]
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length: "))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                if n == 0 || request.len() >= end + 4 + length {
                    break;
                }
            }
            log.lock().expect("log").push(request);
            let reply = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(reply.as_bytes()).await;
        }
    });
    (base, seen)
}

fn last(seen: &Arc<Mutex<Vec<Vec<u8>>>>) -> (String, Vec<u8>) {
    let request = seen.lock().expect("log").last().cloned().expect("a request");
    let split = request
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of head");
    (
        String::from_utf8_lossy(&request[..split]).into_owned(),
        request[split + 4..].to_vec(),
    )
}

fn target(head: &str) -> String {
    head.split(' ').nth(1).unwrap_or_default().to_owned()
}

#[tokio::test]
async fn nested_form_body() {
    let (url, seen) = serve().await;
    let client = Client::new(&url).expect("url");
    let body = CreateCustomerBody::new()
        .email("a@b.c")
        .expand(vec!["x".into(), "y".into()])
        .include(vec!["tax".into()])
        .items(vec![CreateCustomerBodyItemsItem::new().price("price_1").quantity(2)])
        .metadata(BTreeMap::from([("order".to_owned(), "6735".to_owned())]));
    client.create_customer().body(body).await.expect("sent");
    let (head, body) = last(&seen);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/x-www-form-urlencoded"),
        "{head}"
    );
    assert_eq!(
        String::from_utf8_lossy(&body),
        "email=a%40b.c&expand=x&expand=y&include%5B0%5D=tax&items%5B0%5D%5Bprice%5D=price_1&items%5B0%5D%5Bquantity%5D=2&metadata%5Border%5D=6735"
    );
}

#[tokio::test]
async fn query_styles() {
    let (url, seen) = serve().await;
    let client = Client::new(&url).expect("url");
    client
        .search()
        .filter(SearchFilter::new().created(SearchFilterCreated::new().gt(5)).state("open now"))
        .page(SearchPage::new().after("c_1").size(10))
        .range(SearchRange::new().max(5))
        .words(vec!["a".into(), "b".into()])
        .ids(vec![1, 2])
        .tag(vec!["x".into(), "y".into()])
        .where_(vec![SearchWhereItem::new().field("n").value(1)])
        .label("a b")
        .await
        .expect("sent");
    let (head, _) = last(&seen);
    assert_eq!(
        target(&head),
        "/search?filter%5Bcreated%5D%5Bgt%5D=5&filter%5Bstate%5D=open+now&after=c_1&size=10&range=max%2C5&words=a+b&ids=1%7C2&tag=x&tag=y&where=%5B%7B%22field%22%3A%22n%22%2C%22value%22%3A1%7D%5D&label=%22a+b%22"
    );
}

#[tokio::test]
async fn multipart_upload() {
    let (url, seen) = serve().await;
    let client = Client::new(&url).expect("url");
    let body = UploadBody::new(vec![0, 159, 146, 150], "Report")
        .meta(UploadBodyMeta::new().a("b"))
        .note("*hi*")
        .tags(vec!["t1".into(), "t2".into()]);
    client.upload(body).await.expect("sent");
    let (head, body) = last(&seen);
    let boundary = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-type: multipart/form-data; boundary=").map(str::to_owned))
        .expect("multipart content type");
    let mut want = Vec::new();
    let mut part = |headers: &str, content: &[u8]| {
        want.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
        want.extend_from_slice(content);
        want.extend_from_slice(b"\r\n");
    };
    part(
        "Content-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: image/png",
        &[0, 159, 146, 150],
    );
    part(
        "Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json",
        br#"{"a":"b"}"#,
    );
    part(
        "Content-Disposition: form-data; name=\"note\"\r\nContent-Type: text/markdown; charset=utf-8",
        b"*hi*",
    );
    part("Content-Disposition: form-data; name=\"tags\"", b"t1");
    part("Content-Disposition: form-data; name=\"tags\"", b"t2");
    part("Content-Disposition: form-data; name=\"title\"", b"Report");
    want.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&body),
        String::from_utf8_lossy(&want)
    );
}

#[tokio::test]
async fn binary_body() {
    let (url, seen) = serve().await;
    let client = Client::new(&url).expect("url");
    client
        .put_blob("a b", vec![0, 1, 2, 255])
        .await
        .expect("sent");
    let (head, body) = last(&seen);
    assert_eq!(target(&head), "/blobs/a%20b");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/octet-stream"),
        "{head}"
    );
    assert_eq!(body, [0, 1, 2, 255]);
}

//! Runs inside the crate generated from the streaming corpus's model API
//! description (`../shared/corpus/streaming/mistral.yaml`): its chat
//! completion and conversation streams against a loopback server sending
//! events shaped like the spec's own schemas (`CompletionEvent`, whose
//! `data` is a `CompletionChunk`; `ConversationEvents`, whose `data` is one
//! of the conversation events), every event decoded into the spec's type.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use mistral_client::types::{
    ChatCompletionRequest, ConversationEventsData, ConversationInputs, ConversationStreamRequest,
    DeltaMessageContent,
};
use mistral_client::{Client, Event};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A loopback server answering every request with `body` as
/// `text/event-stream`, 11 bytes a write; records each request.
async fn serve(body: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 1 << 16];
            let mut read = 0;
            // The head and the (small) JSON body.
            while read < buf.len() {
                let n = stream.read(&mut buf[read..]).await.unwrap_or(0);
                read += n;
                let text = String::from_utf8_lossy(&buf[..read]);
                if n == 0 || text.contains("\r\n\r\n") && text.trim_end().ends_with('}') {
                    break;
                }
            }
            log.lock()
                .expect("log")
                .push(String::from_utf8_lossy(&buf[..read]).into_owned());
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            for piece in body.as_bytes().chunks(11) {
                if stream.write_all(piece).await.is_err() {
                    break;
                }
                let _ = stream.flush().await;
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
    });
    (base, seen)
}

/// Chat completion chunks as the API sends them, then `[DONE]`.
const CHAT: &str = "data: {\"id\":\"cmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1759496862,\"model\":\"mistral-small-latest\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\r\n\r\n\
data: {\"id\":\"cmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1759496862,\"model\":\"mistral-small-latest\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}\r\n\r\n\
: keep-alive\r\n\r\n\
data: {\"id\":\"cmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1759496862,\"model\":\"mistral-small-latest\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":2,\"total_tokens\":10}}\r\n\r\n\
data: [DONE]\r\n\r\n";

#[tokio::test]
async fn chat_completion_stream() {
    let (base, requests) = serve(CHAT).await;
    let client = Client::new(&base).expect("client");
    let body = ChatCompletionRequest::new(Vec::new(), "mistral-small-latest");
    let events: Vec<_> = client
        .chat_completion_v1_chat_completions_post(body)
        .stream()
        .collect()
        .await;
    assert_eq!(events.len(), 3, "{events:?}");
    let mut text = String::new();
    for event in &events {
        let Ok(event) = event else {
            panic!("{event:?}");
        };
        assert_eq!(event.data.id, "cmpl-1");
        assert_eq!(event.data.model, "mistral-small-latest");
        assert_eq!(event.data.choices.len(), 1);
        match &event.data.choices[0].delta.content {
            Some(DeltaMessageContent::String(s)) => text.push_str(s),
            None => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(text, "Hello there");
    let last = events[2].as_ref().expect("last");
    assert!(last.data.choices[0].finish_reason.is_some());
    assert_eq!(last.data.usage.as_ref().map(|u| u.total_tokens), Some(10));
    let request = requests.lock().expect("log")[0].to_ascii_lowercase();
    assert!(request.contains("accept: text/event-stream"), "{request}");
    assert!(request.contains("\"stream\":true"), "{request}");
}

/// A conversation's events, each `data` one of the spec's event types.
const CONVERSATION: &str = "event: conversation.response.started\n\
data: {\"type\":\"conversation.response.started\",\"created_at\":\"2025-10-03T13:07:42.000Z\",\"conversation_id\":\"conv_1\"}\n\n\
event: message.output.delta\n\
data: {\"type\":\"message.output.delta\",\"created_at\":\"2025-10-03T13:07:42.000Z\",\"output_index\":0,\"id\":\"msg_1\",\"content_index\":0,\"model\":\"mistral-medium-latest\",\"agent_id\":null,\"role\":\"assistant\",\"content\":\"Hi\"}\n\n\
event: conversation.response.done\n\
data: {\"type\":\"conversation.response.done\",\"created_at\":\"2025-10-03T13:07:43.000Z\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}\n\n";

#[tokio::test]
async fn conversation_stream() {
    let (base, requests) = serve(CONVERSATION).await;
    let client = Client::new(&base).expect("client");
    let body = ConversationStreamRequest::new(ConversationInputs::String("Hi".into()));
    let events: Vec<Event<ConversationEventsData>> = client
        .agents_api_v1_conversations_start_stream(body)
        .stream()
        .map(|e| e.expect("event"))
        .collect()
        .await;
    let kinds: Vec<(Option<&str>, &str)> = events
        .iter()
        .map(|e| {
            let kind = match &e.data {
                ConversationEventsData::ResponseStartedEvent(s) => {
                    assert_eq!(s.conversation_id, "conv_1");
                    "started"
                }
                ConversationEventsData::MessageOutputEvent(m) => {
                    assert_eq!(m.id, "msg_1");
                    "output"
                }
                ConversationEventsData::ResponseDoneEvent(d) => {
                    assert_eq!(d.usage.total_tokens, Some(4));
                    "done"
                }
                _ => "other",
            };
            (e.event.as_deref(), kind)
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (Some("conversation.response.started"), "started"),
            (Some("message.output.delta"), "output"),
            (Some("conversation.response.done"), "done"),
        ]
    );
    let request = requests.lock().expect("log")[0].to_ascii_lowercase();
    assert!(request.contains("accept: text/event-stream"), "{request}");
}

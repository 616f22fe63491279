//! The streaming test program (`tests/clients/streaming/client.rs`)
//! against the checked-in `examples/streaming-client`, generated from the
//! same spec: Server-Sent Events, JSON Lines and json-seq in awkward
//! chunkings, an error status before the stream and an endless stream, on
//! loopback, in plain `cargo test`. `cargo xtask test-clients` runs the
//! same program inside a freshly generated crate (and with middleware).

#[path = "clients/streaming/client.rs"]
mod client;

//! The paging test program (`tests/clients/paging/client.rs`) against the
//! checked-in `examples/paging-client`, generated from the same spec: both
//! kinds of paging, decode errors and base64 on loopback, in plain `cargo
//! test` and without building a crate of its own. `cargo xtask
//! test-clients` runs the same program inside a freshly generated crate.

#[path = "clients/paging/client.rs"]
mod client;

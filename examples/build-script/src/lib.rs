//! A client generated at build time: `build.rs` runs `generator::Builder`
//! on `../paging.yaml` with `overlay.yaml`, and the generated code (one file
//! with the crate's modules inlined) is included here. Nothing generated is
//! checked in; cargo regenerates it when the spec or the overlay changes.

include!(concat!(env!("OUT_DIR"), "/client.rs"));

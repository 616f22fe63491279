//! The project README, compiled: its Rust examples run as doc tests.
#![doc = include_str!("../../README.md")]

//! Helpers shared by integration tests. Each test binary uses a subset.
#![allow(dead_code)]

pub mod http_server;

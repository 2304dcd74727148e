//! attache: turns news URLs into structured diplomatic events.
//!
//! One module per pipeline stage, each with a plain core function that runs
//! without Kafka or a network:
//!
//! | stage     | module       | core function                          |
//! |-----------|--------------|----------------------------------------|
//! | consume   | [`consume`]  | [`consume::decode_input`], [`kafka::OffsetTracker`] |
//! | fetch     | [`fetch`]    | [`fetch::normalize_url`], [`fetch::decode_body`] |
//! | extract   | [`extract`]  | [`extract::extract_articles`]          |
//! | events    | [`events`]   | [`events::EventExtractor::extract`]    |
//! | publish   | [`publish`]  | [`publish::plan_records`]              |
//! | cluster   | [`cluster`]  | [`cluster::ClusterIndex::add`]         |
//! | metrics   | [`metrics`]  | [`metrics::Metrics`]                   |
//!
//! [`pipeline`] chains the stages for one message; [`worker`] runs the
//! pipeline over Kafka, with the client setup shared in [`kafka`]; [`outcome`]
//! names stages, outcomes and retry hints; [`cli`] is what `main` calls.

// jemalloc, not glibc malloc: its statistics feed `attache_heap_*` in
// /metrics, which tell a leak (allocated bytes grow) from fragmentation
// (only resident bytes grow). Declared in the library so that the binary,
// tests and benchmarks all run on the same allocator.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

pub mod cli;
pub mod cluster;
pub mod config;
pub mod consume;
pub mod events;
pub mod extract;
pub mod fetch;
pub mod kafka;
pub mod metrics;
pub mod outcome;
pub mod pipeline;
pub mod publish;
pub mod worker;

pub use outcome::{Outcome, RetryHint, Stage};

/// Every error that can reach the dead-letter topic names its stage and a
/// stable, low-cardinality kind. These strings become DLQ headers and metric
/// labels, so they must never carry URLs or other unbounded values.
pub trait Classified {
    /// The stage that failed: decode, fetch, extract or publish.
    fn stage(&self) -> Stage;
    /// e.g. `invalid_url`, `http_404`, `timeout`, `no_article`
    fn kind(&self) -> &'static str;
}

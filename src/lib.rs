//! attache: turns news URLs into structured diplomatic events.
//!
//! One module per pipeline stage, each with a plain core function that runs
//! without Kafka or a network:
//!
//! | stage     | module       | core function                          |
//! |-----------|--------------|----------------------------------------|
//! | consume   | [`consume`]  | [`consume::decode_input`], [`consume::OffsetTracker`] |
//! | fetch     | [`fetch`]    | [`fetch::normalize_url`], [`fetch::decode_body`] |
//! | extract   | [`extract`]  | [`extract::extract_articles`]          |
//! | events    | [`events`]   | [`events::EventExtractor::extract`]    |
//! | publish   | [`publish`]  | [`publish::plan_records`]              |
//! | cluster   | [`cluster`]  | [`cluster::ClusterIndex::add`]         |
//! | metrics   | [`metrics`]  | [`metrics::Metrics`]                   |
//!
//! [`pipeline`] chains the stages for one message; [`worker`] runs the
//! pipeline over Kafka; [`cli`] is what `main` calls.

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
pub mod metrics;
pub mod pipeline;
pub mod publish;
pub mod worker;

/// Every error that can reach the dead-letter topic names its stage and a
/// stable, low-cardinality kind. These strings become DLQ headers and metric
/// labels, so they must never carry URLs or other unbounded values.
pub trait Classified {
    /// `decode` | `fetch` | `extract` | `publish`
    fn stage(&self) -> &'static str;
    /// e.g. `invalid_url`, `http_404`, `timeout`, `no_article`
    fn kind(&self) -> &'static str;
}

//! Observability: Prometheus metrics and the health endpoints.
//!
//! [`Metrics`] owns a registry with every metric attache exports (all names
//! start with `attache_`; no label takes unbounded values such as URLs).
//! [`serve`] exposes `/metrics`, `/livez` and `/readyz`.
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge,
    IntGaugeVec, Opts, Registry, TextEncoder,
};
use tokio_util::sync::CancellationToken;

use crate::{Outcome, Stage};

#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    #[error("cannot register metric: {0}")]
    Register(#[from] prometheus::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

/// Every metric attache exports. Cloning shares the underlying series.
#[derive(Clone)]
pub struct Metrics {
    pub registry: Registry,
    pub messages_consumed: IntCounter,
    /// outcome: ok | no_events | failed
    pub urls_processed: IntCounterVec,
    pub fetch_duration: Histogram,
    /// status_class: 2xx | 3xx | 4xx | 5xx | error
    pub fetch_results: IntCounterVec,
    pub fetched_bytes: IntCounter,
    pub extract_duration: Histogram,
    /// type: event type
    pub events_published: IntCounterVec,
    pub articles_published: IntCounter,
    /// stage, kind
    pub dlq_records: IntCounterVec,
    /// stage, kind
    pub errors: IntCounterVec,
    pub in_flight: IntGauge,
    pub parked: IntGauge,
    /// topic, partition
    pub consumer_lag: IntGaugeVec,
    pub end_to_end_latency: Histogram,
    pub producer_queue_depth: IntGauge,
    pub commits: IntCounter,
    /// Output topics that refuse records as such (unknown, forbidden, or
    /// failing every retry); also named on `/readyz`.
    pub publish_refused_topics: IntGauge,
    /// Exactly-once: transactions committed and aborted.
    pub transactions: IntCounterVec,
    pub build_info: IntGaugeVec,
    /// stage: histogram of per-stage latency kept in one family for dashboards.
    pub stage_duration: HistogramVec,
    /// Refreshed at each scrape from jemalloc's statistics.
    pub heap_allocated: IntGauge,
    pub heap_resident: IntGauge,
}

fn seconds_buckets() -> Vec<f64> {
    vec![
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
    ]
}

impl Metrics {
    pub fn new() -> Result<Self, MetricsError> {
        let registry = Registry::new();
        let counter = |name: &str, help: &str| -> Result<IntCounter, MetricsError> {
            let c = IntCounter::new(name, help)?;
            registry.register(Box::new(c.clone()))?;
            Ok(c)
        };
        let counter_vec =
            |name: &str, help: &str, labels: &[&str]| -> Result<IntCounterVec, MetricsError> {
                let c = IntCounterVec::new(Opts::new(name, help), labels)?;
                registry.register(Box::new(c.clone()))?;
                Ok(c)
            };
        let histogram = |name: &str, help: &str| -> Result<Histogram, MetricsError> {
            let h =
                Histogram::with_opts(HistogramOpts::new(name, help).buckets(seconds_buckets()))?;
            registry.register(Box::new(h.clone()))?;
            Ok(h)
        };
        let gauge = |name: &str, help: &str| -> Result<IntGauge, MetricsError> {
            let g = IntGauge::new(name, help)?;
            registry.register(Box::new(g.clone()))?;
            Ok(g)
        };
        let gauge_vec =
            |name: &str, help: &str, labels: &[&str]| -> Result<IntGaugeVec, MetricsError> {
                let g = IntGaugeVec::new(Opts::new(name, help), labels)?;
                registry.register(Box::new(g.clone()))?;
                Ok(g)
            };
        let stage_duration = HistogramVec::new(
            HistogramOpts::new(
                "attache_stage_duration_seconds",
                "Time spent per pipeline stage for one message.",
            )
            .buckets(seconds_buckets()),
            &["stage"],
        )?;
        registry.register(Box::new(stage_duration.clone()))?;

        let metrics = Self {
            messages_consumed: counter(
                "attache_messages_consumed_total",
                "Input messages received from Kafka.",
            )?,
            urls_processed: counter_vec(
                "attache_urls_processed_total",
                "Input messages finished, by outcome (ok, no_events, failed).",
                &["outcome"],
            )?,
            fetch_duration: histogram(
                "attache_fetch_duration_seconds",
                "Time to fetch one URL, including retries and politeness waits.",
            )?,
            fetch_results: counter_vec(
                "attache_fetch_results_total",
                "Fetch results by HTTP status class (2xx, 3xx, 4xx, 5xx, error).",
                &["status_class"],
            )?,
            fetched_bytes: counter(
                "attache_fetched_bytes_total",
                "Decompressed body bytes received.",
            )?,
            extract_duration: histogram(
                "attache_extract_duration_seconds",
                "Time to extract articles and events from one page.",
            )?,
            events_published: counter_vec(
                "attache_events_published_total",
                "Events acknowledged by the broker, by event type.",
                &["type"],
            )?,
            articles_published: counter(
                "attache_articles_published_total",
                "Article records acknowledged by the broker.",
            )?,
            dlq_records: counter_vec(
                "attache_dlq_records_total",
                "Dead-letter records acknowledged by the broker, by stage and kind.",
                &["stage", "kind"],
            )?,
            errors: counter_vec(
                "attache_errors_total",
                "Errors by stage and kind, including retried and internal ones.",
                &["stage", "kind"],
            )?,
            in_flight: gauge(
                "attache_messages_in_flight",
                "Messages received and not yet finished.",
            )?,
            parked: gauge(
                "attache_messages_parked",
                "Messages held back because their host already has all its slots in flight.",
            )?,
            consumer_lag: gauge_vec(
                "attache_consumer_lag_messages",
                "Consumer lag per assigned partition, from librdkafka statistics.",
                &["topic", "partition"],
            )?,
            end_to_end_latency: histogram(
                "attache_end_to_end_latency_seconds",
                "From receiving a message until every output of it is acknowledged.",
            )?,
            producer_queue_depth: gauge(
                "attache_producer_queue_depth",
                "Records queued in the producer and not yet acknowledged.",
            )?,
            commits: counter(
                "attache_offset_commits_total",
                "Offset commits sent to the group coordinator.",
            )?,
            publish_refused_topics: gauge(
                "attache_publish_refused_topics",
                "Output topics currently refusing records (unknown topic, not authorized, or retries exhausted).",
            )?,
            transactions: counter_vec(
                "attache_transactions_total",
                "Exactly-once transactions (outputs and input offsets), by result (committed, aborted).",
                &["result"],
            )?,
            build_info: gauge_vec(
                "attache_build_info",
                "Always 1; the version label names the running build.",
                &["version"],
            )?,
            heap_allocated: gauge(
                "attache_heap_allocated_bytes",
                "Bytes allocated on the Rust heap (jemalloc stats.allocated); librdkafka's own buffers are not included.",
            )?,
            heap_resident: gauge(
                "attache_heap_resident_bytes",
                "Bytes of resident memory held by the Rust heap allocator (jemalloc stats.resident).",
            )?,
            stage_duration,
            registry,
        };
        metrics
            .build_info
            .with_label_values(&[env!("CARGO_PKG_VERSION")])
            .set(1);
        // Pre-create the label values dashboards and alerts expect, so the
        // series exist (at 0) before the first message.
        for outcome in Outcome::ALL {
            metrics
                .urls_processed
                .with_label_values(&[outcome.as_str()]);
        }
        for result in ["committed", "aborted"] {
            metrics.transactions.with_label_values(&[result]);
        }
        for class in ["2xx", "3xx", "4xx", "5xx", "error"] {
            metrics.fetch_results.with_label_values(&[class]);
        }
        Ok(metrics)
    }

    /// Counts an error in `attache_errors_total`.
    pub fn error(&self, stage: Stage, kind: &str) {
        self.errors.with_label_values(&[stage.as_str(), kind]).inc();
    }

    /// Counts a finished input message in `attache_urls_processed_total`.
    pub fn processed(&self, outcome: Outcome) {
        self.urls_processed
            .with_label_values(&[outcome.as_str()])
            .inc();
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        if let Some(heap) = heap_stats() {
            self.heap_allocated.set(heap.allocated as i64);
            self.heap_resident.set(heap.resident as i64);
        }
        let mut out = Vec::new();
        let encoder = TextEncoder::new();
        // Encoding into a Vec cannot fail for well-formed metric families.
        let _ = encoder.encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

/// What the heap allocator holds, in bytes.
#[derive(Debug, Clone, Copy)]
pub struct HeapStats {
    pub allocated: u64,
    pub resident: u64,
}

/// jemalloc's current statistics (it is the global allocator, see lib.rs).
/// Allocated bytes growing with the number of messages would be a leak;
/// resident bytes growing while allocated stays flat, fragmentation.
#[cfg(not(target_env = "msvc"))]
pub fn heap_stats() -> Option<HeapStats> {
    use tikv_jemalloc_ctl::{epoch, stats};
    // The statistics are a snapshot taken when the epoch advances.
    epoch::advance().ok()?;
    Some(HeapStats {
        allocated: stats::allocated::read().ok()? as u64,
        resident: stats::resident::read().ok()? as u64,
    })
}

#[cfg(target_env = "msvc")]
pub fn heap_stats() -> Option<HeapStats> {
    None
}

/// Readiness as seen by `/readyz`: the consumer is in its group and the
/// producer reaches the brokers. Each side keeps its own reason, so the
/// answer names what is wrong now, not what was wrong at start-up.
#[derive(Clone)]
pub struct Health {
    consumer: Arc<Mutex<Result<(), String>>>,
    producer: Arc<Mutex<Result<(), String>>>,
    /// Output topic -> why it refuses records. Cleared when a record for
    /// the topic is acknowledged again.
    refused_topics: Arc<Mutex<BTreeMap<String, String>>>,
}

impl Default for Health {
    fn default() -> Self {
        Self::new()
    }
}

impl Health {
    pub fn new() -> Self {
        Self {
            consumer: Arc::new(Mutex::new(Err("starting: not in its group yet".into()))),
            producer: Arc::new(Mutex::new(Err("starting: not connected yet".into()))),
            refused_topics: Arc::new(Mutex::new(BTreeMap::new())),
        }
    }

    /// An output topic refuses records (unknown, forbidden, every retry
    /// failed): not ready until one of its records is acknowledged again.
    /// Returns how many topics refuse records now.
    pub fn topic_refused(&self, topic: &str, reason: &str) -> usize {
        match self.refused_topics.lock() {
            Ok(mut topics) => {
                topics.insert(topic.to_string(), reason.to_string());
                topics.len()
            }
            Err(_) => 0,
        }
    }

    /// A record for `topic` was acknowledged. Returns how many topics still
    /// refuse records.
    pub fn topic_accepted(&self, topic: &str) -> usize {
        match self.refused_topics.lock() {
            Ok(mut topics) => {
                topics.remove(topic);
                topics.len()
            }
            Err(_) => 0,
        }
    }

    /// `Err(reason)` while the consumer is out of its group or cut off.
    pub fn set_consumer(&self, state: Result<(), String>) {
        if let Ok(mut slot) = self.consumer.lock() {
            *slot = state;
        }
    }

    /// `Err(reason)` while the producer reaches no broker.
    pub fn set_producer(&self, state: Result<(), String>) {
        if let Ok(mut slot) = self.producer.lock() {
            *slot = state;
        }
    }

    /// `Ok(())` when ready, else what is wrong, side by side.
    pub fn readiness(&self) -> Result<(), String> {
        let side = |name: &str, slot: &Mutex<Result<(), String>>| match slot.lock() {
            Ok(state) => state
                .as_ref()
                .err()
                .map(|reason| format!("{name}: {reason}")),
            Err(_) => Some(format!("{name}: health lock poisoned")),
        };
        let refused = match self.refused_topics.lock() {
            Ok(topics) if topics.is_empty() => None,
            Ok(topics) => Some(format!(
                "publish: {}",
                topics
                    .iter()
                    .map(|(topic, reason)| format!("topic {topic} refuses records ({reason})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Err(_) => Some("publish: health lock poisoned".into()),
        };
        let problems: Vec<String> = [
            side("consumer", &self.consumer),
            side("producer", &self.producer),
            refused,
        ]
        .into_iter()
        .flatten()
        .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!("not ready: {}", problems.join("; ")))
        }
    }
}

#[derive(Clone)]
struct AppState {
    metrics: Metrics,
    health: Health,
}

/// The HTTP router for `/metrics`, `/livez` and `/readyz`.
pub fn router(metrics: Metrics, health: Health) -> Router {
    Router::new()
        .route("/metrics", get(metrics_handler))
        .route("/livez", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz_handler))
        .with_state(AppState { metrics, health })
}

async fn metrics_handler(State(state): State<AppState>) -> impl IntoResponse {
    (
        [("content-type", "text/plain; version=0.0.4; charset=utf-8")],
        state.metrics.render(),
    )
}

async fn readyz_handler(State(state): State<AppState>) -> impl IntoResponse {
    match state.health.readiness() {
        Ok(()) => (StatusCode::OK, "ready\n".to_string()),
        Err(reason) => (StatusCode::SERVICE_UNAVAILABLE, format!("{reason}\n")),
    }
}

/// Binds `addr` and serves until `shutdown` is cancelled. Returns the bound
/// address (useful with port 0) and the server task.
pub async fn serve(
    addr: &str,
    metrics: Metrics,
    health: Health,
    shutdown: CancellationToken,
) -> Result<(SocketAddr, tokio::task::JoinHandle<()>), MetricsError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| MetricsError::Bind {
            addr: addr.to_string(),
            source,
        })?;
    let local = listener.local_addr().map_err(|source| MetricsError::Bind {
        addr: addr.to_string(),
        source,
    })?;
    let app = router(metrics, health);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move { shutdown.cancelled().await })
            .await;
    });
    Ok((local, task))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_prometheus_conventions() {
        let metrics = Metrics::new().unwrap();
        let families = metrics.registry.gather();
        // Label vectors with no series yet are not gathered; the rest must be.
        assert!(families.len() >= 10, "{}", families.len());
        for family in families {
            let name = family.name();
            assert!(name.starts_with("attache_"), "{name}");
            if family.get_field_type() == prometheus::proto::MetricType::COUNTER {
                assert!(name.ends_with("_total"), "{name}");
            }
        }
    }

    #[test]
    fn readiness_needs_both_clients() {
        let health = Health::new();
        assert!(health.readiness().unwrap_err().contains("consumer"));
        health.set_consumer(Ok(()));
        assert!(health.readiness().unwrap_err().contains("producer"));
        health.set_producer(Ok(()));
        assert!(health.readiness().is_ok());
        // An outage later names the side that lost the broker, and only it.
        health.set_producer(Err("no broker connection".into()));
        assert_eq!(
            health.readiness().unwrap_err(),
            "not ready: producer: no broker connection"
        );
    }

    #[test]
    fn a_refusing_output_topic_is_named_until_it_accepts_again() {
        let health = Health::new();
        health.set_consumer(Ok(()));
        health.set_producer(Ok(()));
        assert_eq!(health.topic_refused("attache.events.x", "unknown_topic"), 1);
        assert_eq!(
            health.readiness().unwrap_err(),
            "not ready: publish: topic attache.events.x refuses records (unknown_topic)"
        );
        assert_eq!(health.topic_accepted("attache.articles"), 1);
        assert!(health.readiness().is_err());
        assert_eq!(health.topic_accepted("attache.events.x"), 0);
        assert!(health.readiness().is_ok());
    }
}

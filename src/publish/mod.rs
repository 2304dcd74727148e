//! Publish stage: outputs of one input message -> Kafka records.
//!
//! Core functions: [`plan_records`] and [`plan_dead_letter`] build the exact
//! records (topic, key, headers, JSON payload) without Kafka; [`Publisher`]
//! sends them and waits until the broker acknowledges every one.
use std::time::Duration;

use rdkafka::error::KafkaError;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
use rdkafka::statistics::Statistics;
use rdkafka::{ClientConfig, ClientContext};
use sha2::{Digest, Sha256};

use crate::config::{Config, TopicsConfig};
use crate::consume::InputMessage;
use crate::events::{Event, EVENT_SCHEMA};
use crate::extract::{Article, ARTICLE_SCHEMA};
use crate::metrics::{Health, Metrics};

/// A record ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct OutRecord {
    pub topic: String,
    pub key: Option<String>,
    pub payload: Vec<u8>,
    pub headers: Vec<(String, Vec<u8>)>,
    /// `event`, `article` or `dlq`; for metrics and logs.
    pub kind: &'static str,
    /// Event type for events; for metrics.
    pub event_type: Option<String>,
}

/// Where a failed message came from, for the DLQ headers.
#[derive(Debug, Clone)]
pub struct SourcePosition {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
}

/// Why a message went to the DLQ.
#[derive(Debug, Clone)]
pub struct Failure {
    pub stage: &'static str,
    pub kind: &'static str,
    pub message: String,
    pub attempts: u32,
}

impl Failure {
    pub fn from_error<E: crate::Classified + std::fmt::Display>(err: &E, attempts: u32) -> Self {
        Self {
            stage: err.stage(),
            kind: err.kind(),
            message: err.to_string(),
            attempts,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("cannot serialize record: {0}")]
    Serialize(#[from] serde_json::Error),
    #[error("cannot create producer: {0}")]
    Client(String),
    #[error("broker did not acknowledge a record for {topic}: {reason}")]
    Delivery {
        topic: String,
        reason: String,
        /// Retrying cannot help (record too large, topic invalid or forbidden).
        permanent: bool,
    },
}

impl crate::Classified for PublishError {
    fn stage(&self) -> &'static str {
        "publish"
    }
    fn kind(&self) -> &'static str {
        match self {
            PublishError::Serialize(_) => "serialize",
            PublishError::Client(_) => "producer",
            PublishError::Delivery { .. } => "delivery",
        }
    }
}

/// Hex SHA-256 of a string; article keys and the like.
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Key of an article record: the hash of its canonical URL, with the story
/// index appended for second and later stories of a page so that each story
/// keeps its own key under log compaction.
pub fn article_key(article: &Article) -> String {
    let hash = sha256_hex(&article.canonical_url);
    if article.story_index == 0 {
        hash
    } else {
        format!("{hash}-{}", article.story_index)
    }
}

fn common_headers(input: &InputMessage) -> Vec<(String, Vec<u8>)> {
    let mut headers = vec![("source_url".to_string(), input.url.clone().into_bytes())];
    if let Some(id) = &input.id {
        headers.push(("id".to_string(), id.clone().into_bytes()));
    }
    headers
}

#[derive(serde::Serialize)]
struct Tagged<'a, T: serde::Serialize> {
    record: &'static str,
    #[serde(flatten)]
    inner: &'a T,
}

/// Serializes a record with its `"record": "event" | "article"` tag, the
/// same JSON the CLI prints.
pub fn to_tagged_json<T: serde::Serialize>(
    record: &'static str,
    inner: &T,
) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(&Tagged { record, inner })
}

/// Records for a successfully processed message: its events, then (if
/// enabled) its articles.
pub fn plan_records(
    input: &InputMessage,
    articles: &[Article],
    events: &[Event],
    topics: &TopicsConfig,
    publish_articles: bool,
) -> Result<Vec<OutRecord>, PublishError> {
    let mut records = Vec::with_capacity(events.len() + articles.len());
    for event in events {
        let mut headers = vec![
            (
                "event_type".to_string(),
                event.event_type.clone().into_bytes(),
            ),
            ("schema".to_string(), EVENT_SCHEMA.as_bytes().to_vec()),
        ];
        headers.extend(common_headers(input));
        records.push(OutRecord {
            topic: topics.event_topic(&event.event_type),
            key: Some(event.id.clone()),
            payload: to_tagged_json("event", event)?,
            headers,
            kind: "event",
            event_type: Some(event.event_type.clone()),
        });
    }
    if publish_articles {
        for article in articles {
            let mut headers = vec![("schema".to_string(), ARTICLE_SCHEMA.as_bytes().to_vec())];
            headers.extend(common_headers(input));
            records.push(OutRecord {
                topic: topics.articles.clone(),
                key: Some(article_key(article)),
                payload: to_tagged_json("article", article)?,
                headers,
                kind: "article",
                event_type: None,
            });
        }
    }
    Ok(records)
}

/// Header set on a DLQ record whose payload was cut; its value is the
/// original payload's length in bytes.
pub const TRUNCATED_HEADER: &str = "payload.truncated_from";

/// The DLQ record: the original payload byte for byte, the reason in headers.
///
/// A payload longer than `max_payload_bytes` is cut to that length and the
/// record gets a [`TRUNCATED_HEADER`] header with the original length: an
/// oversized input would otherwise be refused by the producer or the broker
/// as well, and its offset could never be committed.
pub fn plan_dead_letter(
    original_key: Option<&[u8]>,
    original_payload: Option<&[u8]>,
    source: &SourcePosition,
    failure: &Failure,
    topics: &TopicsConfig,
    max_payload_bytes: usize,
) -> OutRecord {
    let original_payload = original_payload.unwrap_or_default();
    let mut headers = vec![
        ("error.stage".to_string(), failure.stage.as_bytes().to_vec()),
        ("error.kind".to_string(), failure.kind.as_bytes().to_vec()),
        (
            "error.message".to_string(),
            truncate(&failure.message, 2048).into_bytes(),
        ),
        (
            "source.topic".to_string(),
            source.topic.clone().into_bytes(),
        ),
        (
            "source.partition".to_string(),
            source.partition.to_string().into_bytes(),
        ),
        (
            "source.offset".to_string(),
            source.offset.to_string().into_bytes(),
        ),
        (
            "attempts".to_string(),
            failure.attempts.to_string().into_bytes(),
        ),
    ];
    let kept = original_payload.len().min(max_payload_bytes);
    if kept < original_payload.len() {
        headers.push((
            TRUNCATED_HEADER.to_string(),
            original_payload.len().to_string().into_bytes(),
        ));
    }
    OutRecord {
        topic: topics.dlq.clone(),
        key: original_key.map(|k| String::from_utf8_lossy(k).into_owned()),
        payload: original_payload[..kept].to_vec(),
        headers,
        kind: "dlq",
        event_type: None,
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// librdkafka settings shared by every client attache creates.
pub fn client_config(config: &Config) -> ClientConfig {
    let mut client = ClientConfig::new();
    client.set("bootstrap.servers", &config.kafka.brokers);
    client
}

/// Applies the user's pass-through properties last, so they win.
pub fn apply_passthrough(client: &mut ClientConfig, config: &Config) {
    for (key, value) in &config.kafka.properties {
        client.set(key, value);
    }
}

/// Feeds producer statistics into readiness and the queue-depth gauge.
#[derive(Clone, Default)]
pub struct PublisherContext {
    health: Option<Health>,
    metrics: Option<Metrics>,
}

impl ClientContext for PublisherContext {
    fn stats(&self, statistics: Statistics) {
        if let Some(health) = &self.health {
            let up = statistics.brokers.values().any(|b| b.state == "UP");
            health.set_producer(if up {
                Ok(())
            } else {
                Err("no broker connection".into())
            });
        }
        if let Some(metrics) = &self.metrics {
            metrics.producer_queue_depth.set(statistics.msg_cnt as i64);
        }
    }

    fn error(&self, error: KafkaError, reason: &str) {
        tracing::warn!(%error, reason, "producer error");
    }
}

/// Errors that no amount of retrying fixes; everything else (broker down,
/// leader moves, timeouts) is worth another try.
fn is_permanent(err: &KafkaError) -> bool {
    use rdkafka::types::RDKafkaErrorCode as Code;
    matches!(
        err.rdkafka_error_code(),
        Some(
            Code::MessageSizeTooLarge
                | Code::InvalidMessageSize
                | Code::InvalidMessage
                | Code::InvalidRecord
                | Code::TopicAuthorizationFailed
                | Code::InvalidTopic
        )
    )
}

impl PublishError {
    pub fn is_permanent(&self) -> bool {
        match self {
            PublishError::Serialize(_) => true,
            PublishError::Client(_) => false,
            PublishError::Delivery { permanent, .. } => *permanent,
        }
    }
}

/// An idempotent, acks=all producer that reports per-record acknowledgement.
#[derive(Clone)]
pub struct Publisher {
    producer: FutureProducer<PublisherContext>,
}

impl Publisher {
    /// A producer for one-off use (the `produce` command).
    pub fn new(config: &Config) -> Result<Self, PublishError> {
        Self::with_observers(config, None, None)
    }

    /// A producer that reports readiness and queue depth.
    pub fn with_observers(
        config: &Config,
        health: Option<Health>,
        metrics: Option<Metrics>,
    ) -> Result<Self, PublishError> {
        let observed = health.is_some() || metrics.is_some();
        let mut client = client_config(config);
        client
            .set("enable.idempotence", "true")
            .set("acks", "all")
            .set("compression.type", "lz4")
            .set("linger.ms", "5")
            .set("message.timeout.ms", "60000")
            .set("message.max.bytes", "8000000")
            .set(
                "statistics.interval.ms",
                if observed { "1000" } else { "0" },
            );
        apply_passthrough(&mut client, config);
        let producer = client
            .create_with_context(PublisherContext { health, metrics })
            .map_err(|e| PublishError::Client(e.to_string()))?;
        Ok(Self { producer })
    }

    pub fn producer(&self) -> &FutureProducer<PublisherContext> {
        &self.producer
    }

    /// Sends all records concurrently and returns once the broker has
    /// acknowledged every one; the first failure is returned.
    pub async fn send_all(&self, records: &[OutRecord]) -> Result<(), PublishError> {
        let sends = records.iter().map(|record| self.send_one(record));
        let results = futures::future::join_all(sends).await;
        results.into_iter().collect()
    }

    /// Sends all records concurrently; one result per record, in order.
    pub async fn send_each(&self, records: &[OutRecord]) -> Vec<Result<(), PublishError>> {
        futures::future::join_all(records.iter().map(|record| self.send_one(record))).await
    }

    async fn send_one(&self, record: &OutRecord) -> Result<(), PublishError> {
        let mut headers = OwnedHeaders::new_with_capacity(record.headers.len());
        for (key, value) in &record.headers {
            headers = headers.insert(Header {
                key,
                value: Some(value.as_slice()),
            });
        }
        let mut future_record = FutureRecord::to(&record.topic)
            .payload(&record.payload)
            .headers(headers);
        if let Some(key) = &record.key {
            future_record = future_record.key(key.as_bytes());
        }
        self.producer
            .send(future_record, Duration::from_secs(0))
            .await
            .map(|_| ())
            .map_err(|(err, _)| PublishError::Delivery {
                topic: record.topic.clone(),
                permanent: is_permanent(&err),
                reason: err.to_string(),
            })
    }

    /// Messages queued in librdkafka but not yet acknowledged.
    pub fn queue_depth(&self) -> i32 {
        self.producer.in_flight_count()
    }

    pub fn flush(&self, timeout: Duration) {
        let _ = self.producer.flush(timeout);
    }
}

#[cfg(test)]
mod tests;

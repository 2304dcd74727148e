//! Publish stage: outputs of one input message -> Kafka records.
//!
//! Core functions: [`plan_records`] and [`plan_dead_letter`] build the exact
//! records (topic, key, headers, JSON payload) without Kafka;
//! [`crate::kafka::Publisher`] sends them.
use rdkafka::error::KafkaError;
use sha2::{Digest, Sha256};

use crate::config::TopicsConfig;
use crate::consume::InputMessage;
use crate::events::{Event, EVENT_SCHEMA};
use crate::extract::{Article, ARTICLE_SCHEMA};
use crate::{RetryHint, Stage};

/// A record ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct OutRecord {
    pub topic: String,
    /// Bytes, not text: a DLQ record keeps the input key byte for byte.
    pub key: Option<Vec<u8>>,
    pub payload: Vec<u8>,
    pub headers: Vec<(String, Vec<u8>)>,
    pub kind: RecordKind,
}

/// What a record carries; for metrics and logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordKind {
    Event {
        event_type: String,
    },
    Article,
    DeadLetter {
        stage: Stage,
        kind: &'static str,
    },
    /// A URL produced by `attache produce`.
    Input,
    /// A cluster record of `attache cluster --kafka`.
    Cluster,
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
    pub stage: Stage,
    pub kind: &'static str,
    pub message: String,
    pub attempts: Attempts,
}

/// How often the message was tried before it failed: the `attempts` and
/// `publish.attempts` headers of its DLQ record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attempts {
    /// HTTP requests made for the URL; 0 when it never reached a fetch
    /// (undecodable input, refused URL).
    pub fetch: u32,
    /// Sends of its outputs; 0 unless the publish stage failed.
    pub publish: u32,
}

impl Attempts {
    pub fn fetched(fetch: u32) -> Self {
        Self { fetch, publish: 0 }
    }
}

impl Failure {
    pub fn from_error<E: crate::Classified + std::fmt::Display>(
        err: &E,
        attempts: Attempts,
    ) -> Self {
        Self {
            stage: err.stage(),
            kind: err.kind(),
            message: err.to_string(),
            attempts,
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum PublishError {
    #[error("cannot serialize record: {0}")]
    Serialize(String),
    #[error("cannot create producer: {0}")]
    Client(String),
    #[error("broker did not acknowledge a record for {topic}: {reason}")]
    Delivery {
        topic: String,
        reason: String,
        /// Error kind: `unknown_topic`, `topic_authorization` or `delivery`.
        kind: &'static str,
        hint: RetryHint,
    },
    #[error("no acknowledgement for {topic} after {attempts} attempts; last error: {last}")]
    RetriesExhausted {
        topic: String,
        attempts: u32,
        last: String,
    },
    #[error("transaction failed: {reason}")]
    Transaction { reason: String, hint: RetryHint },
}

impl From<serde_json::Error> for PublishError {
    fn from(err: serde_json::Error) -> Self {
        PublishError::Serialize(err.to_string())
    }
}

impl crate::Classified for PublishError {
    fn stage(&self) -> Stage {
        Stage::Publish
    }
    fn kind(&self) -> &'static str {
        match self {
            PublishError::Serialize(_) => "serialize",
            PublishError::Client(_) => "producer",
            PublishError::Delivery { kind, .. } => kind,
            PublishError::RetriesExhausted { .. } => "retries_exhausted",
            PublishError::Transaction { .. } => "transaction",
        }
    }
}

impl PublishError {
    /// A refused record turned into an error, classified for retrying.
    pub fn delivery(topic: &str, err: &KafkaError) -> Self {
        let (kind, hint) = classify_refusal(err);
        PublishError::Delivery {
            topic: topic.to_string(),
            reason: err.to_string(),
            kind,
            hint,
        }
    }

    pub fn retry_hint(&self) -> RetryHint {
        match self {
            PublishError::Serialize(_) => RetryHint::Permanent,
            PublishError::Client(_) => RetryHint::Transient,
            PublishError::Delivery { hint, .. } | PublishError::Transaction { hint, .. } => *hint,
            PublishError::RetriesExhausted { .. } => RetryHint::Permanent,
        }
    }

    /// The output topic this error is about, when it names one that refuses
    /// records as such (not one bad record): surfaced on `/readyz`.
    pub fn refusing_topic(&self) -> Option<&str> {
        match self {
            PublishError::Delivery { topic, kind, .. }
                if *kind == "unknown_topic" || *kind == "topic_authorization" =>
            {
                Some(topic)
            }
            PublishError::RetriesExhausted { topic, .. } => Some(topic),
            _ => None,
        }
    }
}

/// Kind and retry hint of a record the producer or broker refused.
/// Permanent: no amount of retrying fixes it (record too large, topic
/// unknown, invalid or forbidden). Everything else (broker down, leader
/// moving, timeouts) is worth another try.
fn classify_refusal(err: &KafkaError) -> (&'static str, RetryHint) {
    use rdkafka::types::RDKafkaErrorCode as Code;
    match err.rdkafka_error_code() {
        Some(Code::UnknownTopicOrPartition | Code::UnknownTopic | Code::UnknownPartition) => {
            ("unknown_topic", RetryHint::Permanent)
        }
        Some(Code::TopicAuthorizationFailed) => ("topic_authorization", RetryHint::Permanent),
        Some(
            Code::MessageSizeTooLarge
            | Code::InvalidMessageSize
            | Code::InvalidMessage
            | Code::InvalidRecord
            | Code::InvalidTopic,
        ) => ("delivery", RetryHint::Permanent),
        _ => ("delivery", RetryHint::Transient),
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
            key: Some(event.id.clone().into_bytes()),
            payload: to_tagged_json("event", event)?,
            headers,
            kind: RecordKind::Event {
                event_type: event.event_type.clone(),
            },
        });
    }
    if publish_articles {
        for article in articles {
            let mut headers = vec![("schema".to_string(), ARTICLE_SCHEMA.as_bytes().to_vec())];
            headers.extend(common_headers(input));
            records.push(OutRecord {
                topic: topics.articles.clone(),
                key: Some(article_key(article).into_bytes()),
                payload: to_tagged_json("article", article)?,
                headers,
                kind: RecordKind::Article,
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
        (
            "error.stage".to_string(),
            failure.stage.as_str().as_bytes().to_vec(),
        ),
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
            failure.attempts.fetch.to_string().into_bytes(),
        ),
    ];
    if failure.attempts.publish > 0 {
        headers.push((
            "publish.attempts".to_string(),
            failure.attempts.publish.to_string().into_bytes(),
        ));
    }
    let kept = original_payload.len().min(max_payload_bytes);
    if kept < original_payload.len() {
        headers.push((
            TRUNCATED_HEADER.to_string(),
            original_payload.len().to_string().into_bytes(),
        ));
    }
    OutRecord {
        topic: topics.dlq.clone(),
        key: original_key.map(<[u8]>::to_vec),
        payload: original_payload[..kept].to_vec(),
        headers,
        kind: RecordKind::DeadLetter {
            stage: failure.stage,
            kind: failure.kind,
        },
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

#[cfg(test)]
mod tests;

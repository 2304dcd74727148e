//! The producer: idempotent, `acks=all`, one result per record. Under
//! exactly-once the same producer is transactional (one per worker; see
//! [`transactional_id`]).
use std::time::Duration;

use rdkafka::consumer::ConsumerGroupMetadata;
use rdkafka::error::KafkaError;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
use rdkafka::statistics::Statistics;
use rdkafka::{ClientContext, TopicPartitionList};

use crate::config::{Config, Delivery};
use crate::kafka::{apply_passthrough, client_config};
use crate::metrics::{Health, Metrics};
use crate::publish::{OutRecord, PublishError};
use crate::RetryHint;

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

/// The transactional id of this worker under exactly-once.
///
/// With KIP-447 the consumer group metadata sent with each transaction's
/// offsets fences a zombie that lost its partitions, so one producer per
/// worker suffices and the id need not follow the partitions. It must be
/// unique among running workers (two workers with one id fence each other)
/// and is best stable across restarts of the same worker: the restarted
/// worker's `init_transactions` then aborts the transaction its crashed
/// predecessor left open at once, instead of readers waiting up to
/// `transaction.timeout.ms` for it. Default: `<group>-<HOSTNAME>`, the pod
/// name in Kubernetes; set `kafka.transactional_id` to override.
pub fn transactional_id(config: &Config) -> String {
    config.kafka.transactional_id.clone().unwrap_or_else(|| {
        let host = std::env::var("HOSTNAME")
            .ok()
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "attache".into());
        format!("{}-{host}", config.kafka.group_id)
    })
}

/// How long a blocking transaction call may take.
const TRANSACTION_TIMEOUT: Duration = Duration::from_secs(30);

/// An idempotent, acks=all producer that reports per-record acknowledgement.
#[derive(Clone)]
pub struct Publisher {
    producer: FutureProducer<PublisherContext>,
    transactional: bool,
}

impl Publisher {
    /// A producer for one-off use (the `produce` command).
    pub fn new(config: &Config) -> Result<Self, PublishError> {
        Self::build(config, None, None, false)
    }

    /// The worker's producer; transactional under exactly-once.
    pub fn for_worker(
        config: &Config,
        health: Health,
        metrics: Metrics,
    ) -> Result<Self, PublishError> {
        Self::build(
            config,
            Some(health),
            Some(metrics),
            config.kafka.delivery == Delivery::ExactlyOnce,
        )
    }

    fn build(
        config: &Config,
        health: Option<Health>,
        metrics: Option<Metrics>,
        transactional: bool,
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
        if transactional {
            client.set("transactional.id", transactional_id(config));
        }
        apply_passthrough(&mut client, config);
        let producer = client
            .create_with_context(PublisherContext { health, metrics })
            .map_err(|e| PublishError::Client(e.to_string()))?;
        Ok(Self {
            producer,
            transactional,
        })
    }

    pub fn producer(&self) -> &FutureProducer<PublisherContext> {
        &self.producer
    }

    pub fn is_transactional(&self) -> bool {
        self.transactional
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
            future_record = future_record.key(key.as_slice());
        }
        self.producer
            .send(future_record, Duration::from_secs(0))
            .await
            .map(|_| ())
            .map_err(|(err, _)| PublishError::delivery(&record.topic, &err))
    }

    /// Messages queued in librdkafka but not yet acknowledged.
    pub fn queue_depth(&self) -> i32 {
        self.producer.in_flight_count()
    }

    pub fn flush(&self, timeout: Duration) {
        let _ = self.producer.flush(timeout);
    }

    // Transactions. These calls block (up to TRANSACTION_TIMEOUT): run them
    // off the async executor (`spawn_blocking`).

    /// Registers the transactional id, fencing earlier producers with the
    /// same id and aborting the transaction they left open.
    pub fn init_transactions(&self) -> Result<(), PublishError> {
        self.producer
            .init_transactions(Duration::from_secs(60))
            .map_err(transaction_error)
    }

    pub fn begin_transaction(&self) -> Result<(), PublishError> {
        self.producer.begin_transaction().map_err(transaction_error)
    }

    /// Adds the input offsets to the open transaction and commits it: the
    /// outputs sent since `begin_transaction` and the offsets become
    /// visible together, or not at all.
    pub fn commit_transaction(
        &self,
        offsets: &TopicPartitionList,
        group: &ConsumerGroupMetadata,
    ) -> Result<(), PublishError> {
        self.producer
            .send_offsets_to_transaction(offsets, group, TRANSACTION_TIMEOUT)
            .map_err(transaction_error)?;
        resuming(|| self.producer.commit_transaction(TRANSACTION_TIMEOUT))
    }

    pub fn abort_transaction(&self) -> Result<(), PublishError> {
        resuming(|| self.producer.abort_transaction(TRANSACTION_TIMEOUT))
    }

    /// The producer's fatal error, if it has one (e.g. fenced by a newer
    /// producer with the same transactional id): it cannot be used again.
    pub fn fatal_error(&self) -> Option<String> {
        self.producer
            .client()
            .fatal_error()
            .map(|(code, reason)| format!("{code:?}: {reason}"))
    }
}

/// Runs a commit or abort call again while it fails retriably: a timeout
/// while the transaction coordinator moves (a broker restart) leaves the
/// call resumable, and calling it again picks it up where it stopped.
fn resuming(call: impl Fn() -> Result<(), KafkaError>) -> Result<(), PublishError> {
    const TRIES: u32 = 4;
    let mut tries = 1;
    loop {
        match call() {
            Ok(()) => return Ok(()),
            Err(KafkaError::Transaction(e)) if e.is_retriable() && tries < TRIES => {
                tracing::warn!(error = %e, tries, "transaction call timed out; resuming it");
                tries += 1;
            }
            Err(e) => return Err(transaction_error(e)),
        }
    }
}

/// Transaction errors: retriable and abortable ones are transient (abort,
/// try again); fatal ones (fenced) are permanent for this producer.
fn transaction_error(err: KafkaError) -> PublishError {
    let hint = match &err {
        KafkaError::Transaction(e) if e.is_fatal() => RetryHint::Permanent,
        _ => RetryHint::Transient,
    };
    PublishError::Transaction {
        reason: err.to_string(),
        hint,
    }
}

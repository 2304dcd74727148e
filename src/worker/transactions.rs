//! Exactly-once: the outputs of finished messages and the input offsets
//! past them are committed in one Kafka transaction per batch.
//!
//! Jobs only plan their records; the consume loop buffers them per input
//! partition and offset. Every commit tick takes, per partition, the
//! finished messages below the committable offset (the contiguous finished
//! prefix, as at-least-once commits), sends their records inside a
//! transaction, adds the offsets with `send_offsets_to_transaction` and the
//! consumer's group metadata, and commits. Readers with
//! `isolation.level=read_committed` see all of a batch or none of it; a
//! crash before the commit leaves an open transaction that the restarted
//! worker's `init_transactions` aborts, and the offsets unmoved, so the
//! batch is done again exactly once.
//!
//! Zombies are fenced by the group metadata (KIP-447): a worker that lost
//! its partitions in a rebalance has an old generation, and the group
//! coordinator refuses its offsets, which aborts its transaction.
use std::collections::BTreeMap;
use std::time::Instant;

use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::message::OwnedMessage;
use rdkafka::{Offset, TopicPartitionList};
use tracing::{info, warn};

use crate::kafka::{GroupContext, OffsetTracker, Publisher, Ticket};
use crate::publish::{Attempts, Failure, OutRecord, PublishError};
use crate::{Classified, Outcome, RetryHint};

use super::job::{note_refusal, MessageJob, Planned};
use super::WorkerError;

/// What the records of a buffered message are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Outputs,
    DeadLetter,
    DeadLetterWithoutPayload,
}

/// A finished message waiting for its transaction.
struct Entry {
    message: OwnedMessage,
    planned: Planned,
    /// Transactions its outputs failed in.
    attempts: u32,
    phase: Phase,
}

/// The exactly-once half of the consume loop.
pub(super) struct Transactions {
    publisher: Publisher,
    max_attempts: u32,
    /// (topic, partition) -> offset -> finished message.
    finished: BTreeMap<(String, i32), BTreeMap<i64, Entry>>,
    buffered: usize,
    /// An abort (or a begin after a failed call) did not go through: the
    /// producer is still in the old transaction, so the next tick resumes
    /// the abort before anything else.
    abort_pending: bool,
}

/// Runs a blocking librdkafka transaction call off the async executor.
async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, PublishError> + Send + 'static,
) -> Result<T, PublishError> {
    tokio::task::spawn_blocking(call)
        .await
        .unwrap_or_else(|join| {
            Err(PublishError::Transaction {
                reason: format!("transaction call did not finish: {join}"),
                hint: RetryHint::Transient,
            })
        })
}

impl Transactions {
    /// Registers the transactional id (fencing an earlier incarnation and
    /// aborting what it left open).
    pub async fn start(publisher: Publisher, max_attempts: u32) -> Result<Self, WorkerError> {
        let init = publisher.clone();
        blocking(move || init.init_transactions())
            .await
            .map_err(WorkerError::Transactions)?;
        info!("transactional producer ready (exactly-once)");
        Ok(Self {
            publisher,
            max_attempts: max_attempts.max(1),
            finished: BTreeMap::new(),
            buffered: 0,
            abort_pending: false,
        })
    }

    /// Messages finished and waiting for a transaction.
    pub fn buffered(&self) -> usize {
        self.buffered
    }

    pub fn buffer(&mut self, ticket: &Ticket, message: OwnedMessage, planned: Planned) {
        let entry = Entry {
            message,
            planned,
            attempts: 0,
            phase: Phase::Outputs,
        };
        let previous = self
            .finished
            .entry((ticket.topic.clone(), ticket.partition))
            .or_default()
            .insert(ticket.offset, entry);
        if previous.is_none() {
            self.buffered += 1;
        }
    }

    /// Forgets the finished work of a partition given to another member:
    /// it redoes those messages from the last committed offset.
    pub fn drop_partition(&mut self, topic: &str, partition: i32) -> usize {
        let dropped = self
            .finished
            .remove(&(topic.to_string(), partition))
            .map_or(0, |entries| entries.len());
        self.buffered -= dropped;
        dropped
    }

    pub fn drop_all(&mut self) {
        self.finished.clear();
        self.buffered = 0;
    }

    /// Commits one transaction: the records of every finished message
    /// below the committable offsets, and those offsets. A refused record
    /// aborts it; the batch stays buffered for the next tick, with a
    /// message whose outputs keep failing (or fail for good) replaced by
    /// its DLQ record. Err only when the producer cannot go on (fenced).
    pub async fn commit(
        &mut self,
        tracker: &mut OffsetTracker,
        consumer: &StreamConsumer<GroupContext>,
        job: &MessageJob,
    ) -> Result<(), WorkerError> {
        if self.abort_pending {
            let publisher = self.publisher.clone();
            match blocking(move || publisher.abort_transaction()).await {
                Ok(()) => self.abort_pending = false,
                Err(error) if error.retry_hint() == RetryHint::Permanent => {
                    return Err(WorkerError::Transactions(error));
                }
                Err(error) => {
                    warn!(%error, "abort of the last transaction still pending");
                    return Ok(());
                }
            }
        }
        let due = tracker.commits_due();
        if due.is_empty() {
            return Ok(());
        }
        let Some(group) = consumer.group_metadata() else {
            warn!("no consumer group metadata yet; transaction postponed");
            return Ok(());
        };
        let mut batch = self.take_below(&due);
        let started = Instant::now();
        match self.run_transaction(&mut batch, &due, group, job).await {
            Ok(()) => {
                for (topic, partition, offset) in &due {
                    tracker.mark_committed(topic, *partition, *offset);
                }
                for (_, entry) in &batch {
                    let outcome = if entry.phase == Phase::Outputs {
                        entry.planned.outcome
                    } else {
                        Outcome::Failed
                    };
                    job.count_finished(&entry.planned.records, outcome, entry.planned.received);
                }
                job.metrics.commits.inc();
                job.metrics
                    .transactions
                    .with_label_values(&["committed"])
                    .inc();
                job.metrics
                    .stage_duration
                    .with_label_values(&["publish"])
                    .observe(started.elapsed().as_secs_f64());
                Ok(())
            }
            Err(error) => {
                job.metrics
                    .transactions
                    .with_label_values(&["aborted"])
                    .inc();
                job.metrics.error(error.stage(), error.kind());
                let fatal = self.publisher.fatal_error();
                if error.retry_hint() == RetryHint::Permanent || fatal.is_some() {
                    return Err(WorkerError::Transactions(PublishError::Transaction {
                        reason: fatal.unwrap_or_else(|| error.to_string()),
                        hint: RetryHint::Permanent,
                    }));
                }
                warn!(%error, messages = batch.len(), "transaction aborted; retrying at the next tick");
                self.put_back(batch);
                Ok(())
            }
        }
    }

    /// Removes and returns the buffered messages below each due offset.
    fn take_below(&mut self, due: &[(String, i32, i64)]) -> Vec<((String, i32, i64), Entry)> {
        let mut batch = Vec::new();
        for (topic, partition, next) in due {
            let Some(entries) = self.finished.get_mut(&(topic.clone(), *partition)) else {
                continue;
            };
            let later = entries.split_off(next);
            let taken = std::mem::replace(entries, later);
            self.buffered -= taken.len();
            batch.extend(
                taken
                    .into_iter()
                    .map(|(offset, entry)| ((topic.clone(), *partition, offset), entry)),
            );
        }
        batch
    }

    fn put_back(&mut self, batch: Vec<((String, i32, i64), Entry)>) {
        for ((topic, partition, offset), entry) in batch {
            self.finished
                .entry((topic, partition))
                .or_default()
                .insert(offset, entry);
            self.buffered += 1;
        }
    }

    async fn run_transaction(
        &mut self,
        batch: &mut [((String, i32, i64), Entry)],
        due: &[(String, i32, i64)],
        group: rdkafka::consumer::ConsumerGroupMetadata,
        job: &MessageJob,
    ) -> Result<(), PublishError> {
        let publisher = self.publisher.clone();
        if let Err(error) = blocking(move || publisher.begin_transaction()).await {
            // Still in a transaction that a failed call left behind.
            self.abort_pending = true;
            return Err(error);
        }
        let mut owners = Vec::new();
        let mut records: Vec<OutRecord> = Vec::new();
        for (index, (_, entry)) in batch.iter().enumerate() {
            for record in &entry.planned.records {
                owners.push(index);
                records.push(record.clone());
            }
        }
        let results = self.publisher.send_each(&records).await;
        let refused: Vec<(usize, PublishError)> = owners
            .into_iter()
            .zip(results)
            .filter_map(|(owner, result)| result.err().map(|error| (owner, error)))
            .collect();
        if let Some((_, first)) = refused.first() {
            let first = first.clone();
            self.abort().await;
            self.replace_refused(batch, refused, job);
            return Err(first);
        }
        let mut offsets = TopicPartitionList::new();
        for (topic, partition, offset) in due {
            offsets
                .add_partition_offset(topic, *partition, Offset::Offset(*offset))
                .map_err(|e| PublishError::Transaction {
                    reason: e.to_string(),
                    hint: RetryHint::Transient,
                })?;
        }
        let publisher = self.publisher.clone();
        let committed = blocking(move || publisher.commit_transaction(&offsets, &group)).await;
        if let Err(error) = &committed {
            if error.retry_hint() == RetryHint::Transient {
                self.abort().await;
            }
        }
        committed
    }

    /// Aborts the open transaction; if that fails too, the next tick
    /// resumes it.
    async fn abort(&mut self) {
        let publisher = self.publisher.clone();
        if let Err(error) = blocking(move || publisher.abort_transaction()).await {
            warn!(%error, "abort failed; resumed at the next tick");
            self.abort_pending = true;
        }
    }

    /// Counts a failed transaction against each message whose records were
    /// refused; a message past its attempts, or refused for good, is
    /// replaced by its DLQ record (stage `publish`).
    fn replace_refused(
        &self,
        batch: &mut [((String, i32, i64), Entry)],
        refused: Vec<(usize, PublishError)>,
        job: &MessageJob,
    ) {
        let mut seen = std::collections::BTreeSet::new();
        for (owner, error) in refused {
            job.metrics.error(error.stage(), error.kind());
            note_refusal(&job.metrics, &job.health, &error);
            if !seen.insert(owner) {
                continue;
            }
            let entry = &mut batch[owner].1;
            entry.attempts += 1;
            let exhausted = entry.phase == Phase::Outputs && entry.attempts >= self.max_attempts;
            let permanent = error.retry_hint() == RetryHint::Permanent;
            if !(exhausted || permanent) || entry.phase == Phase::DeadLetterWithoutPayload {
                continue;
            }
            let cause = if permanent {
                error
            } else {
                PublishError::RetriesExhausted {
                    topic: entry
                        .planned
                        .records
                        .first()
                        .map(|r| r.topic.clone())
                        .unwrap_or_default(),
                    attempts: entry.attempts,
                    last: error.to_string(),
                }
            };
            let failure = Failure::from_error(
                &cause,
                Attempts {
                    fetch: entry.planned.fetch_attempts,
                    publish: entry.attempts,
                },
            );
            if matches!(cause, PublishError::RetriesExhausted { .. }) {
                job.metrics.error(cause.stage(), cause.kind());
                note_refusal(&job.metrics, &job.health, &cause);
            }
            let (phase, cap) = match entry.phase {
                Phase::Outputs => (Phase::DeadLetter, job.config.worker.max_message_bytes),
                _ => (Phase::DeadLetterWithoutPayload, 0),
            };
            entry.phase = phase;
            entry.attempts = 0;
            entry.planned.records = vec![job.dead_letter(&entry.message, &failure, cap)];
        }
    }
}

//! The loop that owns the consumer's state: it polls, hands messages to
//! jobs, reacts to rebalances and commits.
//!
//! Everything that changes the offset tracker happens here, in one task:
//! rebalances and commit results arrive as [`GroupEvent`]s (see
//! [`crate::kafka::context`]), finished jobs as [`Done`] messages. No lock is
//! shared with librdkafka's callbacks or the jobs.
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::message::{Message, OwnedMessage};
use rdkafka::{Offset, TopicPartitionList};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn, Instrument};

use crate::config::Config;
use crate::consume::{decode_input, DecodeError, InputMessage};
use crate::fetch::host_key;
use crate::kafka::context::{apply_assign, apply_revoke, partition_names};
use crate::kafka::{GroupContext, GroupEvent, OffsetTracker, Publisher, Ticket};
use crate::metrics::Metrics;
use crate::publish::Failure;
use crate::Stage;

use super::delivery::{deliver, Fallback, RetryPolicy};
use super::hosts::HostShares;
use super::job::{MessageJob, Planned, RefusalObserver};
use super::transactions::Transactions;
use super::WorkerError;

/// One received message, decoded and tracked, ready to run.
struct Work {
    message: OwnedMessage,
    input: Result<InputMessage, DecodeError>,
    ticket: Ticket,
    /// `host:port` of the URL; None when the message did not decode.
    host: Option<String>,
    received: Instant,
}

/// What a job reports back to the loop.
struct Done {
    ticket: Ticket,
    host: Option<String>,
    result: JobResult,
}

enum JobResult {
    /// At-least-once: every record is acknowledged.
    Delivered,
    /// At-least-once: given up at a hard stop; not finished, redelivered later.
    Abandoned,
    /// Exactly-once: records planned, to be committed in a transaction.
    Planned(OwnedMessage, Planned),
}

pub(super) struct ConsumeLoop {
    // Dropped before `consumer`: once the loop is gone, the context makes
    // the assign/unassign calls librdkafka waits for itself.
    events: mpsc::UnboundedReceiver<GroupEvent>,
    consumer: StreamConsumer<GroupContext>,
    config: Arc<Config>,
    publisher: Publisher,
    job: MessageJob,
    metrics: Metrics,
    tracker: OffsetTracker,
    hosts: HostShares<Work>,
    /// Jobs running (holding an in-flight slot).
    open: usize,
    /// Some under exactly-once.
    transactions: Option<Transactions>,
    done_tx: mpsc::UnboundedSender<Done>,
    done_rx: mpsc::UnboundedReceiver<Done>,
    /// Cancelled on hard stop so stuck publish retries give up.
    abandon: CancellationToken,
}

impl ConsumeLoop {
    pub fn new(
        events: mpsc::UnboundedReceiver<GroupEvent>,
        consumer: StreamConsumer<GroupContext>,
        publisher: Publisher,
        job: MessageJob,
        transactions: Option<Transactions>,
    ) -> Self {
        let (done_tx, done_rx) = mpsc::unbounded_channel();
        let config = Arc::clone(&job.config);
        Self {
            events,
            consumer,
            hosts: HostShares::new(config.fetch.per_host_concurrency),
            metrics: job.metrics.clone(),
            config,
            publisher,
            job,
            tracker: OffsetTracker::new(),
            open: 0,
            transactions,
            done_tx,
            done_rx,
            abandon: CancellationToken::new(),
        }
    }

    pub async fn run(mut self, shutdown: CancellationToken) -> Result<(), WorkerError> {
        let mut commit_tick =
            tokio::time::interval(Duration::from_millis(self.config.worker.commit_interval_ms));
        commit_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let result = loop {
            let may_poll = self.may_poll();
            let step = tokio::select! {
                biased;
                _ = shutdown.cancelled() => break Ok(()),
                Some(event) = self.events.recv() => self.on_group_event(event).await,
                Some(done) = self.done_rx.recv() => {
                    self.on_done(done);
                    Ok(())
                }
                _ = commit_tick.tick() => self.commit_due(CommitMode::Async).await,
                received = self.consumer.recv(), if may_poll => {
                    match received {
                        Ok(message) => self.on_message(message.detach()),
                        Err(error) => {
                            warn!(%error, "consume error");
                            self.metrics.error(Stage::Consume, "kafka");
                        }
                    }
                    Ok(())
                }
            };
            if let Err(error) = step {
                break Err(error);
            }
        };
        if result.is_ok() {
            self.drain().await?;
        }
        self.publisher.flush(Duration::from_secs(5));
        // The receiver goes first: the consumer's close then makes the
        // unassign call itself.
        let Self {
            events, consumer, ..
        } = self;
        drop(events);
        consumer.unsubscribe();
        drop(consumer);
        info!("worker stopped");
        result
    }

    /// Polling pauses while every in-flight slot is taken, too many
    /// messages are parked, or (exactly-once) too many wait for their
    /// transaction.
    fn may_poll(&self) -> bool {
        let buffered = self.transactions.as_ref().map_or(0, Transactions::buffered);
        self.open < self.config.worker.max_in_flight
            && self.hosts.parked < self.config.worker.max_parked
            && buffered < self.config.worker.max_parked
    }

    /// Stop: finish in-flight work within the shutdown timeout, commit.
    /// Parked messages were never started; they stay uncommitted and are
    /// delivered again after the restart.
    async fn drain(&mut self) -> Result<(), WorkerError> {
        info!(
            open = self.open,
            parked = self.hosts.parked,
            "shutting down: draining in-flight messages"
        );
        let deadline =
            Instant::now() + Duration::from_secs(self.config.worker.shutdown_timeout_secs);
        while self.open > 0 {
            match tokio::time::timeout_at(deadline.into(), self.done_rx.recv()).await {
                Ok(Some(done)) => self.finish(done),
                Ok(None) => break,
                Err(_) => {
                    warn!(
                        open = self.open,
                        "shutdown timeout: unfinished messages will be redelivered"
                    );
                    break;
                }
            }
        }
        self.abandon.cancel();
        self.commit_due(CommitMode::Sync).await
    }

    /// Decodes a received message and starts tracking its offset, so no
    /// commit passes it whether it runs now or is parked first.
    fn on_message(&mut self, message: OwnedMessage) {
        self.metrics.messages_consumed.inc();
        let ticket = self
            .tracker
            .start(message.topic(), message.partition(), message.offset());
        let input = decode_input(message.payload(), self.config.worker.max_message_bytes);
        let host = input
            .as_ref()
            .ok()
            .and_then(|input| url::Url::parse(&input.url).ok())
            .map(|url| host_key(&url));
        let work = Work {
            message,
            input,
            ticket,
            host,
            received: Instant::now(),
        };
        let host = work.host.clone();
        if let Some(work) = self.hosts.admit(host.as_deref(), work) {
            self.launch(work);
        }
        self.metrics.parked.set(self.hosts.parked as i64);
    }

    /// Frees the job's slot and hands it to the host's next parked message.
    fn on_done(&mut self, done: Done) {
        let host = done.host.clone();
        self.finish(done);
        if let Some(next) = self.hosts.finished(host.as_deref()) {
            self.launch(next);
        }
        self.metrics.parked.set(self.hosts.parked as i64);
    }

    fn finish(&mut self, done: Done) {
        self.open -= 1;
        self.metrics.in_flight.dec();
        match done.result {
            JobResult::Delivered => {
                self.tracker.finish(&done.ticket);
            }
            JobResult::Abandoned => {}
            JobResult::Planned(message, planned) => {
                // A stale ticket: the partition went to another member,
                // which does this message again; its records are dropped.
                if self.tracker.finish(&done.ticket) {
                    if let Some(transactions) = &mut self.transactions {
                        transactions.buffer(&done.ticket, message, planned);
                    }
                }
            }
        }
    }

    /// Spawns the work for one message; it reports back on `done_tx`.
    fn launch(&mut self, work: Work) {
        self.open += 1;
        self.metrics.in_flight.inc();
        let Work {
            message,
            input,
            ticket,
            host,
            received,
        } = work;
        let span = tracing::info_span!(
            "message",
            topic = message.topic(),
            partition = message.partition(),
            offset = message.offset(),
            url = tracing::field::Empty,
        );
        let job = self.job.clone();
        let publisher = self.publisher.clone();
        let transactional = self.transactions.is_some();
        let done = self.done_tx.clone();
        let abandon = self.abandon.clone();
        tokio::spawn(
            async move {
                let planned = job.plan(&message, input, received).await;
                let result = if transactional {
                    JobResult::Planned(message, planned)
                } else {
                    publish(&job, &publisher, &message, planned, &abandon).await
                };
                // The loop may be gone after a hard stop; nothing to report then.
                let _ = done.send(Done {
                    ticket,
                    host,
                    result,
                });
            }
            .instrument(span),
        );
    }

    async fn on_group_event(&mut self, event: GroupEvent) -> Result<(), WorkerError> {
        match event {
            GroupEvent::Assigned(partitions) => {
                for element in partitions.elements() {
                    self.tracker.assign(element.topic(), element.partition());
                }
                if let Err(error) = apply_assign(&self.consumer, &partitions) {
                    warn!(%error, "assign failed");
                    self.metrics.error(Stage::Consume, "rebalance");
                }
                info!(assigned = ?partition_names(&partitions), "partitions assigned");
            }
            GroupEvent::Revoked { partitions, lost } => {
                self.revoke(&partitions, lost).await?;
                if let Err(error) = apply_revoke(&self.consumer, &partitions) {
                    warn!(%error, "unassign failed");
                    self.metrics.error(Stage::Consume, "rebalance");
                }
            }
            GroupEvent::RebalanceFailed(reason) => {
                warn!(%reason, "rebalance failed; all partition state dropped");
                self.tracker.forget_all();
                self.hosts.drop_parked(|_| true);
                if let Some(transactions) = &mut self.transactions {
                    transactions.drop_all();
                }
                self.metrics.parked.set(self.hosts.parked as i64);
            }
            GroupEvent::Committed(offsets) => {
                for (topic, partition, offset) in offsets {
                    self.tracker.mark_committed(&topic, partition, offset);
                }
            }
        }
        Ok(())
    }

    /// Before the partitions go: commit what is done (unless the
    /// assignment is already lost, when commits would be refused), then
    /// forget the rest. Parked work of those partitions is dropped, not
    /// run; in-flight work finishes with a stale ticket and is ignored. The
    /// next owner does all of it again from the committed offset.
    async fn revoke(
        &mut self,
        partitions: &TopicPartitionList,
        lost: bool,
    ) -> Result<(), WorkerError> {
        if !lost {
            self.commit_due(CommitMode::Sync).await?;
        }
        let revoked: BTreeSet<(String, i32)> = partitions
            .elements()
            .iter()
            .map(|e| (e.topic().to_string(), e.partition()))
            .collect();
        for (topic, partition) in &revoked {
            self.tracker.revoke(topic, *partition);
            if let Some(transactions) = &mut self.transactions {
                transactions.drop_partition(topic, *partition);
            }
        }
        let dropped = self.hosts.drop_parked(|work| {
            revoked.contains(&(work.ticket.topic.clone(), work.ticket.partition))
        });
        self.metrics.parked.set(self.hosts.parked as i64);
        info!(revoked = ?partition_names(partitions), lost, parked_dropped = dropped, "partitions revoked");
        Ok(())
    }

    /// Commits the offsets that moved: directly (at-least-once) or in a
    /// transaction with the finished messages' records (exactly-once).
    async fn commit_due(&mut self, mode: CommitMode) -> Result<(), WorkerError> {
        if let Some(transactions) = &mut self.transactions {
            return transactions
                .commit(&mut self.tracker, &self.consumer, &self.job)
                .await;
        }
        let due = self.tracker.commits_due();
        if due.is_empty() {
            return Ok(());
        }
        let mut list = TopicPartitionList::new();
        for (topic, partition, offset) in &due {
            let _ = list.add_partition_offset(topic, *partition, Offset::Offset(*offset));
        }
        match self.consumer.commit(&list, mode) {
            Ok(()) => {
                self.metrics.commits.inc();
                // An async commit is marked when its callback reports back.
                if matches!(mode, CommitMode::Sync) {
                    for (topic, partition, offset) in &due {
                        self.tracker.mark_committed(topic, *partition, *offset);
                    }
                }
            }
            Err(error) => {
                warn!(%error, "offset commit failed");
                self.metrics.error(Stage::Consume, "commit");
            }
        }
        Ok(())
    }
}

/// At-least-once: delivers a message's records (bounded retries, then its
/// DLQ record) and counts it.
async fn publish(
    job: &MessageJob,
    publisher: &Publisher,
    message: &OwnedMessage,
    planned: Planned,
    abandon: &CancellationToken,
) -> JobResult {
    let started = Instant::now();
    let observer = RefusalObserver {
        metrics: &job.metrics,
        health: &job.health,
    };
    let delivered = deliver(
        publisher,
        planned.records,
        RetryPolicy::new(job.config.worker.publish_max_attempts),
        &Fallback {
            fetch_attempts: planned.fetch_attempts,
            max_payload: job.config.worker.max_message_bytes,
            dead_letter: |failure: &Failure, cap| job.dead_letter(message, failure, cap),
        },
        &observer,
        abandon,
    )
    .await;
    job.metrics
        .stage_duration
        .with_label_values(&["publish"])
        .observe(started.elapsed().as_secs_f64());
    match delivered {
        Some(delivered) => {
            let outcome = if delivered.dead_lettered.is_some() {
                crate::Outcome::Failed
            } else {
                planned.outcome
            };
            job.count_finished(&delivered.acknowledged, outcome, planned.received);
            JobResult::Delivered
        }
        None => JobResult::Abandoned,
    }
}

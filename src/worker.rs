//! The Kafka edge: consume -> pipeline -> publish -> commit.
//!
//! Delivery is at-least-once. A message's offset becomes committable only
//! after every record derived from it (events and articles, or its DLQ
//! record) has been acknowledged by the broker; [`OffsetTracker`] makes sure
//! a commit never passes an unfinished message of the same partition.
//! Up to `worker.max_in_flight` messages are processed concurrently; when
//! that many are open the loop stops polling (backpressure). A host gets at
//! most `fetch.per_host_concurrency` of those slots; its further messages
//! are parked (tracked, so commits wait for them, but holding no slot) until
//! one of its own finishes, so a slow host delays only its own URLs.
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::consumer::{
    BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance, StreamConsumer,
};
use rdkafka::error::{KafkaError, KafkaResult};
use rdkafka::message::{Headers, Message, OwnedMessage};
use rdkafka::statistics::Statistics;
use rdkafka::{ClientContext, Offset, TopicPartitionList};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn, Instrument};

use crate::config::{Config, Delivery};
use crate::consume::{decode_input, DecodeError, InputMessage, OffsetTracker, Ticket};
use crate::fetch::host_key;
use crate::metrics::{Health, Metrics, MetricsError};
use crate::pipeline::{Pipeline, PipelineError};
use crate::publish::{
    apply_passthrough, client_config, plan_dead_letter, plan_records, Failure, OutRecord,
    PublishError, Publisher, SourcePosition,
};

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("delivery mode `exactly_once` is not implemented yet; use `at_least_once`")]
    ExactlyOnceUnsupported,
    #[error("cannot create Kafka consumer: {0}")]
    Consumer(KafkaError),
    #[error(transparent)]
    Publish(#[from] PublishError),
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    #[error(transparent)]
    Metrics(#[from] MetricsError),
    #[error("worker task failed: {0}")]
    Join(String),
}

/// A started worker: where its metrics listen and how to wait for it.
pub struct RunningWorker {
    pub metrics_addr: Option<SocketAddr>,
    pub metrics: Metrics,
    pub health: Health,
    pub task: tokio::task::JoinHandle<Result<(), WorkerError>>,
}

/// Runs the worker until `shutdown` is cancelled, then drains and exits.
pub async fn run(config: Arc<Config>, shutdown: CancellationToken) -> Result<(), WorkerError> {
    let worker = start(config, shutdown).await?;
    worker
        .task
        .await
        .map_err(|e| WorkerError::Join(e.to_string()))?
}

/// Creates the clients, binds the metrics port and spawns the consume loop.
pub async fn start(
    config: Arc<Config>,
    shutdown: CancellationToken,
) -> Result<RunningWorker, WorkerError> {
    if config.kafka.delivery == Delivery::ExactlyOnce {
        return Err(WorkerError::ExactlyOnceUnsupported);
    }
    let metrics = Metrics::new()?;
    let health = Health::new();
    let metrics_addr = if config.metrics.enabled {
        let (addr, _task) = crate::metrics::serve(
            &config.metrics.listen,
            metrics.clone(),
            health.clone(),
            shutdown.clone(),
        )
        .await?;
        info!(%addr, "serving /metrics, /livez and /readyz");
        Some(addr)
    } else {
        None
    };
    let publisher =
        Publisher::with_observers(&config, Some(health.clone()), Some(metrics.clone()))?;
    let pipeline = Arc::new(Pipeline::new(Arc::clone(&config), metrics.clone())?);
    let tracker = Arc::new(Mutex::new(OffsetTracker::new()));
    let context = ConsumerObserver {
        tracker: Arc::clone(&tracker),
        health: health.clone(),
        metrics: metrics.clone(),
    };
    let mut client = client_config(&config);
    client
        .set("group.id", &config.kafka.group_id)
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .set("auto.offset.reset", "earliest")
        .set(
            "session.timeout.ms",
            config.kafka.session_timeout_ms.to_string(),
        )
        .set("statistics.interval.ms", "1000")
        .set("partition.assignment.strategy", "range,roundrobin");
    apply_passthrough(&mut client, &config);
    let consumer: StreamConsumer<ConsumerObserver> = client
        .create_with_context(context)
        .map_err(WorkerError::Consumer)?;
    consumer
        .subscribe(&[&config.topics.input])
        .map_err(WorkerError::Consumer)?;
    info!(topic = %config.topics.input, group = %config.kafka.group_id, "subscribed");

    let consume_loop = ConsumeLoop {
        config,
        consumer: Arc::new(consumer),
        publisher,
        pipeline,
        tracker,
        metrics: metrics.clone(),
    };
    let task = tokio::spawn(consume_loop.run(shutdown));
    Ok(RunningWorker {
        metrics_addr,
        metrics,
        health,
        task,
    })
}

/// rdkafka callbacks: rebalances, statistics, errors.
struct ConsumerObserver {
    tracker: Arc<Mutex<OffsetTracker>>,
    health: Health,
    metrics: Metrics,
}

impl ClientContext for ConsumerObserver {
    fn stats(&self, statistics: Statistics) {
        let broker_up = statistics.brokers.values().any(|b| b.state == "UP");
        let in_group = statistics
            .cgrp
            .as_ref()
            .is_some_and(|g| g.state == "up" && g.join_state == "steady");
        self.health.set_consumer(if !broker_up {
            Err("no broker connection".into())
        } else if !in_group {
            Err(statistics
                .cgrp
                .as_ref()
                .map(|g| format!("group state {}/{}", g.state, g.join_state))
                .unwrap_or_else(|| "no group".into()))
        } else {
            Ok(())
        });
        for (topic, stats) in &statistics.topics {
            for (id, partition) in &stats.partitions {
                // -1 is librdkafka's internal "unassigned" partition; a
                // negative lag means "unknown" and is not exported.
                if partition.partition < 0 || partition.consumer_lag < 0 {
                    continue;
                }
                self.metrics
                    .consumer_lag
                    .with_label_values(&[topic.as_str(), &id.to_string()])
                    .set(partition.consumer_lag);
            }
        }
    }

    fn error(&self, error: KafkaError, reason: &str) {
        warn!(%error, reason, "consumer error");
        self.metrics.error("consume", "kafka");
    }
}

impl ConsumerContext for ConsumerObserver {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Revoke(partitions) = rebalance {
            // Commit what is done for the partitions we lose; unfinished work
            // is dropped here and redelivered to the next owner.
            let mut commits = TopicPartitionList::new();
            if let Ok(mut tracker) = self.tracker.lock() {
                for element in partitions.elements() {
                    if let Some(offset) = tracker.revoke(element.topic(), element.partition()) {
                        let _ = commits.add_partition_offset(
                            element.topic(),
                            element.partition(),
                            Offset::Offset(offset),
                        );
                    }
                }
            }
            if commits.count() > 0 {
                match consumer.commit(&commits, CommitMode::Sync) {
                    Ok(()) => self.metrics.commits.inc(),
                    Err(error) => {
                        warn!(%error, "commit on revoke failed; those messages will be redelivered")
                    }
                }
            }
            info!(partitions = partitions.count(), "partitions revoked");
        }
    }

    fn post_rebalance(&self, _consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Assign(partitions) => {
                if let Ok(mut tracker) = self.tracker.lock() {
                    for element in partitions.elements() {
                        tracker.assign(element.topic(), element.partition());
                    }
                }
                let assigned: Vec<String> = partitions
                    .elements()
                    .iter()
                    .map(|e| format!("{}[{}]", e.topic(), e.partition()))
                    .collect();
                info!(?assigned, "partitions assigned");
            }
            Rebalance::Revoke(_) => {
                // Lag of partitions we no longer own must not linger.
                self.metrics.consumer_lag.reset();
            }
            Rebalance::Error(error) => {
                warn!(%error, "rebalance error");
                self.metrics.error("consume", "rebalance");
            }
        }
    }

    fn commit_callback(&self, result: KafkaResult<()>, offsets: &TopicPartitionList) {
        match result {
            Ok(()) => {
                if let Ok(mut tracker) = self.tracker.lock() {
                    for element in offsets.elements() {
                        if let Offset::Offset(offset) = element.offset() {
                            tracker.mark_committed(element.topic(), element.partition(), offset);
                        }
                    }
                }
            }
            // Not marked committed: the next tick tries again.
            Err(error) => {
                warn!(%error, "offset commit failed");
                self.metrics.error("consume", "commit");
            }
        }
    }
}

struct ConsumeLoop {
    config: Arc<Config>,
    consumer: Arc<StreamConsumer<ConsumerObserver>>,
    publisher: Publisher,
    pipeline: Arc<Pipeline>,
    tracker: Arc<Mutex<OffsetTracker>>,
    metrics: Metrics,
}

impl ConsumeLoop {
    async fn run(self, shutdown: CancellationToken) -> Result<(), WorkerError> {
        let max_in_flight = self.config.worker.max_in_flight;
        let max_parked = self.config.worker.max_parked;
        let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Done>();
        let mut open = 0usize;
        let mut hosts = HostShares::new(self.config.fetch.per_host_concurrency);
        let mut commit_tick =
            tokio::time::interval(Duration::from_millis(self.config.worker.commit_interval_ms));
        commit_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // Cancelled on hard stop so stuck publish retries give up.
        let abandon = CancellationToken::new();

        loop {
            tokio::select! {
                biased;
                _ = shutdown.cancelled() => break,
                Some(done) = done_rx.recv() => {
                    open -= 1;
                    self.finish(&done.ticket);
                    if let Some(next) = hosts.finished(done.host.as_deref()) {
                        open += 1;
                        self.launch(next, done_tx.clone(), abandon.clone());
                    }
                    self.metrics.parked.set(hosts.parked as i64);
                }
                _ = commit_tick.tick() => self.commit_due(CommitMode::Async),
                received = self.consumer.recv(), if open < max_in_flight && hosts.parked < max_parked => {
                    match received {
                        Ok(message) => {
                            let work = self.receive(message.detach());
                            let host = work.host.clone();
                            if let Some(work) = hosts.admit(host.as_deref(), work) {
                                open += 1;
                                self.launch(work, done_tx.clone(), abandon.clone());
                            }
                            self.metrics.parked.set(hosts.parked as i64);
                        }
                        Err(error) => {
                            warn!(%error, "consume error");
                            self.metrics.error("consume", "kafka");
                        }
                    }
                }
            }
        }

        // Parked messages were never started; they stay uncommitted and are
        // delivered again after the restart.
        info!(
            open,
            parked = hosts.parked,
            "shutting down: draining in-flight messages"
        );
        let deadline =
            Instant::now() + Duration::from_secs(self.config.worker.shutdown_timeout_secs);
        while open > 0 {
            match tokio::time::timeout_at(deadline.into(), done_rx.recv()).await {
                Ok(Some(done)) => {
                    open -= 1;
                    self.finish(&done.ticket);
                }
                Ok(None) => break,
                Err(_) => {
                    warn!(
                        open,
                        "shutdown timeout: unfinished messages will be redelivered"
                    );
                    break;
                }
            }
        }
        abandon.cancel();
        self.commit_due(CommitMode::Sync);
        self.publisher.flush(Duration::from_secs(5));
        self.consumer.unsubscribe();
        info!("worker stopped");
        Ok(())
    }

    fn finish(&self, ticket: &Ticket) {
        self.metrics.in_flight.dec();
        if let Ok(mut tracker) = self.tracker.lock() {
            tracker.finish(ticket);
        }
    }

    fn commit_due(&self, mode: CommitMode) {
        let due = match self.tracker.lock() {
            Ok(tracker) => tracker.commits_due(),
            Err(_) => return,
        };
        if due.is_empty() {
            return;
        }
        let mut list = TopicPartitionList::new();
        for (topic, partition, offset) in &due {
            let _ = list.add_partition_offset(topic, *partition, Offset::Offset(*offset));
        }
        match self.consumer.commit(&list, mode) {
            Ok(()) => {
                self.metrics.commits.inc();
                if matches!(mode, CommitMode::Sync) {
                    if let Ok(mut tracker) = self.tracker.lock() {
                        for (topic, partition, offset) in &due {
                            tracker.mark_committed(topic, *partition, *offset);
                        }
                    }
                }
            }
            Err(error) => {
                warn!(%error, "offset commit failed");
                self.metrics.error("consume", "commit");
            }
        }
    }

    /// Decodes a received message and starts tracking its offset, so no
    /// commit passes it whether it runs now or is parked first.
    fn receive(&self, message: OwnedMessage) -> Work {
        self.metrics.messages_consumed.inc();
        let ticket = match self.tracker.lock() {
            Ok(mut tracker) => {
                tracker.start(message.topic(), message.partition(), message.offset())
            }
            Err(poisoned) => {
                poisoned
                    .into_inner()
                    .start(message.topic(), message.partition(), message.offset())
            }
        };
        let input = decode_input(message.payload(), self.config.worker.max_message_bytes);
        let host = input
            .as_ref()
            .ok()
            .and_then(|input| url::Url::parse(&input.url).ok())
            .map(|url| host_key(&url));
        Work {
            message,
            input,
            ticket,
            host,
        }
    }

    /// Spawns the work for one message; its ticket comes back on `done`
    /// once every output is acknowledged.
    fn launch(&self, work: Work, done: mpsc::UnboundedSender<Done>, abandon: CancellationToken) {
        self.metrics.in_flight.inc();
        let Work {
            message,
            input,
            ticket,
            host,
        } = work;
        let span = tracing::info_span!(
            "message",
            topic = message.topic(),
            partition = message.partition(),
            offset = message.offset(),
            url = tracing::field::Empty,
        );
        let job = MessageJob {
            config: Arc::clone(&self.config),
            pipeline: Arc::clone(&self.pipeline),
            publisher: self.publisher.clone(),
            metrics: self.metrics.clone(),
        };
        tokio::spawn(
            async move {
                job.process(&message, input, &abandon).await;
                // The loop may be gone after a hard stop; nothing to report then.
                let _ = done.send(Done { ticket, host });
            }
            .instrument(span),
        );
    }
}

/// One received message, decoded and tracked, ready to run.
struct Work {
    message: OwnedMessage,
    input: Result<InputMessage, DecodeError>,
    ticket: Ticket,
    /// `host:port` of the URL; None when the message did not decode.
    host: Option<String>,
}

/// What a finished job reports back to the loop.
struct Done {
    ticket: Ticket,
    host: Option<String>,
}

/// In-flight slots per host, and the work parked behind a full host.
struct HostShares<W> {
    per_host: usize,
    running: HashMap<String, usize>,
    waiting: HashMap<String, VecDeque<W>>,
    parked: usize,
}

impl<W> HostShares<W> {
    fn new(per_host: usize) -> Self {
        Self {
            per_host: per_host.max(1),
            running: HashMap::new(),
            waiting: HashMap::new(),
            parked: 0,
        }
    }

    /// The work back if it may run now; else it is parked behind its host.
    /// `host` None (an undecodable message) always runs: it only goes to the DLQ.
    fn admit(&mut self, host: Option<&str>, work: W) -> Option<W> {
        let Some(host) = host else {
            return Some(work);
        };
        let running = self.running.entry(host.to_string()).or_default();
        if *running < self.per_host {
            *running += 1;
            return Some(work);
        }
        self.waiting
            .entry(host.to_string())
            .or_default()
            .push_back(work);
        self.parked += 1;
        None
    }

    /// Frees the host's slot; returns its next parked message, which takes
    /// the slot over.
    fn finished(&mut self, host: Option<&str>) -> Option<W> {
        let host = host?;
        if let Some(next) = self.waiting.get_mut(host).and_then(VecDeque::pop_front) {
            self.parked -= 1;
            if self.waiting.get(host).is_some_and(VecDeque::is_empty) {
                self.waiting.remove(host);
            }
            return Some(next);
        }
        if let Some(running) = self.running.get_mut(host) {
            *running -= 1;
            if *running == 0 {
                self.running.remove(host);
            }
        }
        None
    }
}

/// What [`MessageJob::publish`] is currently trying to deliver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fallback {
    /// The message's own outputs (or its first DLQ record).
    Outputs,
    /// A DLQ record (stage `publish`) replacing refused outputs.
    DeadLetter,
    /// The last resort: a DLQ record without the payload.
    DeadLetterWithoutPayload,
}

/// Everything one message needs, cloned per message.
struct MessageJob {
    config: Arc<Config>,
    pipeline: Arc<Pipeline>,
    publisher: Publisher,
    metrics: Metrics,
}

impl MessageJob {
    async fn process(
        &self,
        message: &OwnedMessage,
        input: Result<InputMessage, DecodeError>,
        abandon: &CancellationToken,
    ) {
        let started = Instant::now();
        let source = SourcePosition {
            topic: message.topic().to_string(),
            partition: message.partition(),
            offset: message.offset(),
        };
        let outcome = match input {
            Err(error) => {
                use crate::Classified;
                self.metrics.error(error.stage(), error.kind());
                Err(Failure::from_error(&error, 1))
            }
            Ok(input) => {
                tracing::Span::current().record("url", input.url.as_str());
                match self.pipeline.process(&input).await {
                    Ok(analysis) => plan_records(
                        &input,
                        &analysis.articles,
                        &analysis.events,
                        &self.config.topics,
                        self.config.worker.publish_articles,
                    )
                    .map(|records| (records, !analysis.events.is_empty()))
                    .map_err(|error| Failure::from_error(&error, 1)),
                    Err(failure) => Err(failure),
                }
            }
        };
        let (records, label) = match outcome {
            Ok((records, has_events)) => (records, if has_events { "ok" } else { "no_events" }),
            Err(failure) => (vec![self.dead_letter(message, &source, &failure)], "failed"),
        };
        let publish_started = Instant::now();
        let published = self.publish(message, &source, records, abandon).await;
        self.metrics
            .stage_duration
            .with_label_values(&["publish"])
            .observe(publish_started.elapsed().as_secs_f64());
        let label = match published {
            Some(published_label) => published_label.unwrap_or(label),
            None => return, // abandoned at shutdown: not finished, will be redelivered
        };
        self.metrics
            .urls_processed
            .with_label_values(&[label])
            .inc();
        self.metrics
            .end_to_end_latency
            .observe(started.elapsed().as_secs_f64());
    }

    fn dead_letter(
        &self,
        message: &OwnedMessage,
        source: &SourcePosition,
        failure: &Failure,
    ) -> OutRecord {
        self.dead_letter_capped(
            message,
            source,
            failure,
            self.config.worker.max_message_bytes,
        )
    }

    fn dead_letter_capped(
        &self,
        message: &OwnedMessage,
        source: &SourcePosition,
        failure: &Failure,
        max_payload_bytes: usize,
    ) -> OutRecord {
        info!(stage = failure.stage, kind = failure.kind, error = %failure.message, "to dead-letter topic");
        plan_dead_letter(
            message.key(),
            message.payload(),
            source,
            failure,
            &self.config.topics,
            max_payload_bytes,
        )
    }

    /// Publishes until every record is acknowledged. A permanent failure
    /// turns the message into a DLQ record (stage `publish`); if that is
    /// refused permanently too, into one without the payload. Transient
    /// failures (and permanent ones past that) are retried with backoff.
    /// Returns None if abandoned at shutdown, and Some(Some("failed")) if
    /// the outputs were replaced by a DLQ record.
    async fn publish(
        &self,
        message: &OwnedMessage,
        source: &SourcePosition,
        mut records: Vec<OutRecord>,
        abandon: &CancellationToken,
    ) -> Option<Option<&'static str>> {
        let mut fallback = Fallback::Outputs;
        let mut backoff = Duration::from_millis(200);
        loop {
            match self.publisher.send_all(&records).await {
                Ok(()) => {
                    self.count_published(&records);
                    return Some((fallback != Fallback::Outputs).then_some("failed"));
                }
                Err(error)
                    if error.is_permanent() && fallback != Fallback::DeadLetterWithoutPayload =>
                {
                    use crate::Classified;
                    self.metrics.error(error.stage(), error.kind());
                    let failure = Failure::from_error(&error, 1);
                    // Retrying the same record cannot help; a smaller one might.
                    let (next, max_payload_bytes) = match fallback {
                        Fallback::Outputs => {
                            (Fallback::DeadLetter, self.config.worker.max_message_bytes)
                        }
                        _ => (Fallback::DeadLetterWithoutPayload, 0),
                    };
                    records =
                        vec![self.dead_letter_capped(message, source, &failure, max_payload_bytes)];
                    fallback = next;
                }
                Err(error) => {
                    use crate::Classified;
                    warn!(%error, retry_in_ms = backoff.as_millis() as u64, "publish failed; retrying");
                    self.metrics.error(error.stage(), error.kind());
                    tokio::select! {
                        _ = abandon.cancelled() => return None,
                        _ = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(30));
                }
            }
        }
    }

    fn count_published(&self, records: &[OutRecord]) {
        for record in records {
            match record.kind {
                "event" => {
                    let event_type = record.event_type.as_deref().unwrap_or("unknown");
                    self.metrics
                        .events_published
                        .with_label_values(&[event_type])
                        .inc();
                }
                "article" => self.metrics.articles_published.inc(),
                "dlq" => {
                    let header = |name: &str| {
                        record
                            .headers
                            .iter()
                            .find(|(k, _)| k == name)
                            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
                            .unwrap_or_default()
                    };
                    self.metrics
                        .dlq_records
                        .with_label_values(&[&header("error.stage"), &header("error.kind")])
                        .inc();
                }
                _ => {}
            }
        }
    }
}

/// Reads a header of a Kafka message as UTF-8.
pub fn header_value(message: &OwnedMessage, name: &str) -> Option<String> {
    let headers = message.headers()?;
    headers
        .iter()
        .find(|h| h.key == name)
        .and_then(|h| h.value)
        .map(|v| String::from_utf8_lossy(v).into_owned())
}

/// A token cancelled on SIGTERM or SIGINT.
pub fn shutdown_on_signals() -> CancellationToken {
    let token = CancellationToken::new();
    let trigger = token.clone();
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut term) => {
                    tokio::select! {
                        _ = ctrl_c => {},
                        _ = term.recv() => {},
                    }
                }
                Err(_) => {
                    let _ = ctrl_c.await;
                }
            }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
        info!("shutdown signal received");
        trigger.cancel();
    });
    token
}

#[cfg(test)]
mod host_share_tests {
    use super::HostShares;

    #[test]
    fn a_full_host_parks_its_work_and_hands_each_freed_slot_to_the_next() {
        let mut shares = HostShares::new(2);
        assert_eq!(shares.admit(Some("slow:80"), 1), Some(1));
        assert_eq!(shares.admit(Some("slow:80"), 2), Some(2));
        assert_eq!(shares.admit(Some("slow:80"), 3), None);
        assert_eq!(shares.admit(Some("slow:80"), 4), None);
        // Other hosts and undecodable messages are not held up.
        assert_eq!(shares.admit(Some("fast:80"), 5), Some(5));
        assert_eq!(shares.admit(None, 6), Some(6));
        assert_eq!(shares.parked, 2);

        // Parked work runs in arrival order, one per freed slot.
        assert_eq!(shares.finished(Some("slow:80")), Some(3));
        assert_eq!(shares.finished(Some("fast:80")), None);
        assert_eq!(shares.finished(None), None);
        assert_eq!(shares.finished(Some("slow:80")), Some(4));
        assert_eq!(shares.parked, 0);
        assert_eq!(shares.finished(Some("slow:80")), None);
        assert_eq!(shares.finished(Some("slow:80")), None);
        // All slots are free again, and empty hosts are forgotten.
        assert!(shares.running.is_empty() && shares.waiting.is_empty());
        assert_eq!(shares.admit(Some("slow:80"), 7), Some(7));
    }
}

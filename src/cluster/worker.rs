//! The Kafka edge of the cluster stage: `attache cluster --kafka`.
//!
//! Two loops in one process, as a Kafka Streams repartition would do it:
//! 1. **route**: consumes the event topics (group `<cluster.group_id>-route`)
//!    and re-publishes every event to `topics.cluster_reports`, on the
//!    partition of *each* country it names ([`super::shard`]: fan-out), so
//!    that every partition sees every report naming one of its countries;
//!    a report too large to be a cluster member goes to the DLQ here;
//! 2. **cluster**: consumes `topics.cluster_reports` (group
//!    `cluster.group_id`), keeps the clusters of its assigned partitions in
//!    memory ([`Shard`]), publishes each changed cluster it owns to the
//!    compacted `topics.clusters`, keyed by cluster id, and hands a cluster
//!    it does not own over to the owner's partition of the report topic.
//!    After every rebalance the shard is rebuilt from the cluster topic
//!    (every record one of its partitions holds): nothing else holds state.
//!
//! Records stay under `cluster.max_record_bytes` ([`super::paging`]): a
//! large cluster goes out in member pages, a large hand-over in parts.
//!
//! Delivery is at-least-once: an offset is stored only once everything
//! derived from its message is acknowledged. A replayed report is already a
//! member of its cluster and changes nothing, so a crash gives neither lost
//! nor duplicated members, and cluster ids stay the same.
//!
//! A send that librdkafka gives up on (after its own retries, within
//! `message.timeout.ms`) stops the worker with an error: retrying it here
//! could publish an older state of a cluster after a newer one. The next
//! start rebuilds from the topic and replays from the committed offsets.
use std::collections::BTreeSet;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::stream::{FuturesOrdered, StreamExt};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::{ClientContext, DefaultClientContext};
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext, Rebalance, StreamConsumer};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::producer::FutureRecord;
use rdkafka::{Offset, TopicPartitionList};
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};

use super::paging::{Pager, TopicState, MEMBER_PAGE_TAG};
use super::shard::{Shard, ShardOutput};
use super::{
    decode_record, new_index, ClusterError, ClusterIndex, EventView, Knowledge, CLUSTER_SCHEMA,
};
use crate::config::Config;
use crate::events::EventExtractor;
use crate::kafka::{apply_passthrough, client_config, Publisher};
use crate::metrics::{Health, Metrics};
use crate::publish::{
    plan_dead_letter, to_tagged_json, Attempts, Failure, OutRecord, PublishError, RecordKind,
    SourcePosition,
};
use crate::Stage;

/// Most messages whose outputs are awaited at once, per loop.
const MAX_IN_FLIGHT: usize = 10_000;
/// How long a topic just created may show no partitions.
const TOPIC_METADATA_WAIT: Duration = Duration::from_secs(15);
/// How long a state rebuild may take to read the cluster topic.
const REBUILD_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs both loops until `shutdown` is cancelled.
pub async fn run(config: Arc<Config>, shutdown: CancellationToken) -> Result<(), ClusterError> {
    let metrics = Metrics::new().map_err(|e| ClusterError::Kafka(e.to_string()))?;
    let health = Health::new();
    if config.metrics.enabled {
        let (addr, _task) = crate::metrics::serve(
            &config.metrics.listen,
            metrics.clone(),
            health.clone(),
            shutdown.clone(),
        )
        .await
        .map_err(|e| ClusterError::Kafka(e.to_string()))?;
        info!(%addr, "serving /metrics, /livez and /readyz");
    }
    let partitions = ensure_topics(&config).await?;
    let publisher = Arc::new(
        Publisher::for_worker(&config, health.clone(), metrics.clone())
            .map_err(|e| ClusterError::Kafka(e.to_string()))?,
    );
    let route = tokio::spawn(route_loop(
        Arc::clone(&config),
        Arc::clone(&publisher),
        metrics.clone(),
        partitions,
        shutdown.clone(),
    ));
    let cluster = tokio::spawn(cluster_loop(
        Arc::clone(&config),
        publisher,
        metrics,
        health,
        partitions,
        shutdown.clone(),
    ));
    let (route, cluster) = tokio::join!(route, cluster);
    // Either loop failing stops the other.
    let join = |r: Result<Result<(), ClusterError>, tokio::task::JoinError>| {
        r.map_err(|e| ClusterError::Kafka(format!("task failed: {e}")))?
    };
    let result = join(route).and(join(cluster));
    shutdown.cancel();
    result
}

/// The partition of a routing key (see [`super::shard::partition_of`]).
pub fn route_partition(key: &str, partitions: i32) -> i32 {
    super::shard::partition_of(key, partitions)
}

/// Creates the two topics when missing; returns the partition count of the
/// report topic, which the routing hashes over.
async fn ensure_topics(config: &Config) -> Result<i32, ClusterError> {
    let kafka = |e: KafkaError| ClusterError::Kafka(e.to_string());
    let mut client = client_config(config);
    apply_passthrough(&mut client, config);
    let admin: AdminClient<DefaultClientContext> = client.create().map_err(kafka)?;
    let compact = [("cleanup.policy", "compact")];
    let reports = NewTopic::new(
        &config.topics.cluster_reports,
        config.cluster.partitions,
        TopicReplication::Fixed(config.cluster.replication_factor),
    );
    let mut clusters = NewTopic::new(
        &config.topics.clusters,
        config.cluster.partitions,
        TopicReplication::Fixed(config.cluster.replication_factor),
    );
    for (key, value) in compact {
        clusters = clusters.set(key, value);
    }
    let results = admin
        .create_topics(&[reports, clusters], &AdminOptions::new())
        .await
        .map_err(kafka)?;
    for result in results {
        match result {
            Ok(_) | Err((_, rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((topic, code)) => {
                return Err(ClusterError::Kafka(format!(
                    "cannot create topic {topic}: {code}"
                )))
            }
        }
    }
    // Another worker starting at the same moment may have created the topic
    // a moment ago: its partitions show in the metadata shortly after.
    let started = Instant::now();
    loop {
        let metadata = admin
            .inner()
            .fetch_metadata(
                Some(&config.topics.cluster_reports),
                Duration::from_secs(10),
            )
            .map_err(kafka)?;
        let count = metadata
            .topics()
            .first()
            .map(|t| t.partitions().len() as i32)
            .unwrap_or(0);
        if count > 0 {
            return Ok(count);
        }
        if started.elapsed() > TOPIC_METADATA_WAIT {
            return Err(ClusterError::Kafka(format!(
                "topic {} has no partitions",
                config.topics.cluster_reports
            )));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Every event topic of the loaded rules.
fn event_topics(config: &Config) -> Result<Vec<String>, ClusterError> {
    let extractor =
        EventExtractor::load(&config.events).map_err(|e| ClusterError::Gazetteer(e.to_string()))?;
    let topics: BTreeSet<String> = extractor
        .event_types()
        .into_iter()
        .map(|t| config.topics.event_topic(t))
        .collect();
    Ok(topics.into_iter().collect())
}

fn consumer<C: ConsumerContext + 'static>(
    config: &Config,
    group: &str,
    context: C,
) -> Result<StreamConsumer<C>, ClusterError> {
    let mut client = client_config(config);
    client
        .set("group.id", group)
        .set("enable.auto.commit", "true")
        .set("enable.auto.offset.store", "false")
        .set(
            "auto.commit.interval.ms",
            config.worker.commit_interval_ms.to_string(),
        )
        .set("auto.offset.reset", "earliest")
        .set(
            "session.timeout.ms",
            config.kafka.session_timeout_ms.to_string(),
        )
        .set("isolation.level", "read_committed");
    apply_passthrough(&mut client, config);
    client
        .create_with_context(context)
        .map_err(|e| ClusterError::Kafka(e.to_string()))
}

/// Where a message came from, for storing its offset once its outputs are
/// acknowledged.
type Position = (String, i32, i64);

/// Route loop: event topics -> report topic, a copy on the partition of
/// each country the report names.
async fn route_loop(
    config: Arc<Config>,
    publisher: Arc<Publisher>,
    metrics: Metrics,
    partitions: i32,
    shutdown: CancellationToken,
) -> Result<(), ClusterError> {
    let topics = event_topics(&config)?;
    // Persons are resolved before the partitions are chosen, as the index
    // resolves them before the block key: both see the same countries.
    let knowledge = Knowledge::load(&config)?;
    let group = format!("{}-route", config.cluster.group_id);
    let consumer = consumer(&config, &group, rdkafka::consumer::DefaultConsumerContext)?;
    let names: Vec<&str> = topics.iter().map(String::as_str).collect();
    consumer
        .subscribe(&names)
        .map_err(|e| ClusterError::Kafka(e.to_string()))?;
    info!(topics = ?topics, %group, "cluster route: subscribed");
    let mut pending = FuturesOrdered::new();
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            Some(done) = pending.next(), if !pending.is_empty() => {
                store(&consumer, done)?;
            }
            message = consumer.recv(), if pending.len() < MAX_IN_FLIGHT => {
                let message = match message {
                    Ok(m) => m.detach(),
                    Err(e) => { warn!(error = %e, "cluster route: consume error"); continue; }
                };
                metrics.messages_consumed.inc();
                let position: Position = (message.topic().to_string(), message.partition(), message.offset());
                let record = route_record(&config, &knowledge, &message, partitions, &metrics);
                let publisher = Arc::clone(&publisher);
                let config = Arc::clone(&config);
                pending.push_back(async move {
                    let sent = match record {
                        Routed::Report { partitions, key, payload } => {
                            let sends = partitions.into_iter().map(|partition| {
                                let record = FutureRecord::to(&config.topics.cluster_reports)
                                    .partition(partition)
                                    .key(&key)
                                    .payload(&payload);
                                publisher.producer().send(record, Duration::from_secs(0))
                            });
                            futures::future::join_all(sends).await.into_iter().try_for_each(|r| r.map(|_| ()).map_err(|(e, _)| e.to_string()))
                        }
                        Routed::DeadLetter(record) => send_all(&publisher, &[record]).await.map_err(|e| e.to_string()),
                    };
                    sent.map(|()| position).map_err(ClusterError::Kafka)
                });
            }
        }
    }
    drain(&consumer, pending, &config).await
}

enum Routed {
    /// The same report to every partition that must see it.
    Report {
        partitions: BTreeSet<i32>,
        key: String,
        payload: Vec<u8>,
    },
    DeadLetter(OutRecord),
}

fn route_record(
    config: &Config,
    knowledge: &Knowledge,
    message: &rdkafka::message::OwnedMessage,
    partitions: i32,
    metrics: &Metrics,
) -> Routed {
    let payload = message.payload().unwrap_or_default();
    let event =
        EventView::from_json(payload).map_err(|error| (Stage::Decode, "invalid_event", error));
    // A report too large to be a cluster member under the record limit is
    // kept in the DLQ here, once, before it is copied to several partitions.
    let event = event.and_then(|event| {
        super::paging::member_fits(&event, config.cluster.max_record_bytes)
            .map(|()| event)
            .map_err(|error| (Stage::Publish, CLUSTER_RECORD_TOO_LARGE, error))
    });
    match event {
        Ok(mut event) => {
            knowledge.normalize(&mut event);
            Routed::Report {
                partitions: super::shard::report_partitions(&event, partitions),
                key: event.id,
                payload: payload.to_vec(),
            }
        }
        Err((stage, kind, error)) => {
            warn!(%error, kind, "cluster route: report to the DLQ");
            metrics.error(stage, kind);
            let failure = Failure {
                stage,
                kind,
                message: error.to_string(),
                attempts: Attempts::default(),
            };
            let source = SourcePosition {
                topic: message.topic().to_string(),
                partition: message.partition(),
                offset: message.offset(),
            };
            Routed::DeadLetter(plan_dead_letter(
                message.key(),
                Some(payload),
                &source,
                &failure,
                &config.topics,
                config.worker.max_message_bytes,
            ))
        }
    }
}

/// Rebalances, told to the cluster loop over a channel: the loop owns its
/// index, librdkafka's thread only reports.
struct RebalanceSignal {
    sender: mpsc::Sender<()>,
    health: Health,
}

impl ClientContext for RebalanceSignal {
    fn stats(&self, statistics: rdkafka::Statistics) {
        let up = statistics.brokers.values().any(|b| b.state == "UP");
        self.health.set_consumer(if up {
            Ok(())
        } else {
            Err("no broker connection".into())
        });
    }
}

impl ConsumerContext for RebalanceSignal {
    fn post_rebalance(&self, _: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if !matches!(rebalance, Rebalance::Error(_)) {
            let _ = self.sender.send(());
        }
    }
}

/// Cluster loop: report topic -> index -> cluster topic.
async fn cluster_loop(
    config: Arc<Config>,
    publisher: Arc<Publisher>,
    metrics: Metrics,
    health: Health,
    partitions: i32,
    shutdown: CancellationToken,
) -> Result<(), ClusterError> {
    let (sender, rebalances) = mpsc::channel();
    let context = RebalanceSignal { sender, health };
    let consumer = consumer(&config, &config.cluster.group_id, context)?;
    consumer
        .subscribe(&[&config.topics.cluster_reports])
        .map_err(|e| ClusterError::Kafka(e.to_string()))?;
    info!(topic = %config.topics.cluster_reports, group = %config.cluster.group_id, "cluster: subscribed");
    let mut shard: Option<Shard> = None;
    // Lays out large clusters from cached member JSON and leaves out the
    // member pages it sent unchanged before (a large cluster changes in its
    // last page).
    let mut pager = Pager::new(config.cluster.max_embedded_members);
    let mut pending = FuturesOrdered::new();
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            Some(done) = pending.next(), if !pending.is_empty() => {
                store(&consumer, done)?;
            }
            message = consumer.recv(), if pending.len() < MAX_IN_FLIGHT => {
                let message = match message {
                    Ok(m) => m.detach(),
                    Err(e) => { warn!(error = %e, "cluster: consume error"); continue; }
                };
                metrics.messages_consumed.inc();
                if rebalances.try_iter().count() > 0 || shard.is_none() {
                    // Outputs of the old assignment must land before the
                    // topic is read back.
                    while let Some(done) = pending.next().await {
                        store(&consumer, done)?;
                    }
                    let assigned = assigned_partitions(&consumer, &config.topics.cluster_reports)?;
                    let (rebuilt, repairs) = rebuild(&config, &assigned, partitions).await?;
                    let rebuilt = Shard::new(rebuilt, assigned, partitions);
                    // What a crash in the middle of a merge left half
                    // written, completed before anything new comes in (by
                    // the owner; another shard repairs its own).
                    let repairs: Vec<ShardOutput> = repairs.into_iter().filter(|r| rebuilt.owns(r)).map(|r| ShardOutput::Publish(r.id)).collect();
                    if !repairs.is_empty() {
                        warn!(records = repairs.len(), "cluster: repairing half-written merges");
                        let planned = plan_outputs(&config, &rebuilt, repairs, &mut pager)?;
                        for reason in &planned.too_large {
                            warn!(%reason, "cluster: a repaired cluster does not fit a record; left as it is");
                        }
                        send_planned(&publisher, &config, &planned).await?;
                    }
                    shard = Some(rebuilt);
                }
                let shard = shard.as_mut().expect("built above");
                let position: Position = (message.topic().to_string(), message.partition(), message.offset());
                let outputs = take_report(shard, &message, &config, &metrics);
                if outputs.iter().any(|o| matches!(o, ShardOutput::Forward { .. })) {
                    // A hand-over goes after every earlier record of this
                    // shard has landed: the owner may then write the same
                    // id (a tombstone), and must write it last.
                    while let Some(done) = pending.next().await {
                        store(&consumer, done)?;
                    }
                }
                let mut planned = plan_outputs(&config, shard, outputs, &mut pager)?;
                if !planned.too_large.is_empty() {
                    planned.records.push(too_large_dead_letter(&config, &message, &planned.too_large, &metrics));
                }
                let publisher = Arc::clone(&publisher);
                let config = Arc::clone(&config);
                pending.push_back(async move {
                    send_planned(&publisher, &config, &planned).await.map(|()| position)
                });
            }
        }
    }
    drain(&consumer, pending, &config).await
}

/// The dead letter of a report whose cluster cannot be published under
/// `cluster.max_record_bytes` even in pages (the record without its
/// members is too large): the report is kept there with the reason; the
/// other clusters of the message still go out. (A report too large to be a
/// member never reaches a shard: the route loop dead-letters it.)
fn too_large_dead_letter(
    config: &Config,
    message: &rdkafka::message::OwnedMessage,
    reasons: &[String],
    metrics: &Metrics,
) -> OutRecord {
    warn!(reasons = ?reasons, "cluster: a cluster does not fit a record; the report goes to the DLQ");
    metrics.error(Stage::Publish, CLUSTER_RECORD_TOO_LARGE);
    let failure = Failure {
        stage: Stage::Publish,
        kind: CLUSTER_RECORD_TOO_LARGE,
        message: reasons.join("; "),
        attempts: Attempts::default(),
    };
    let source = SourcePosition {
        topic: message.topic().to_string(),
        partition: message.partition(),
        offset: message.offset(),
    };
    plan_dead_letter(
        message.key(),
        message.payload(),
        &source,
        &failure,
        &config.topics,
        config.worker.max_message_bytes,
    )
}

/// The DLQ and metrics error kind of a cluster too large for one record.
const CLUSTER_RECORD_TOO_LARGE: &str = "cluster_record_too_large";

/// Header of a cluster record handed over on the report topic: how often it
/// was handed on.
const FORWARD_HOPS_HEADER: &str = "attache-forward-hops";

/// One message of the report topic into the shard: a report from the route
/// loop, or a cluster another shard handed over (tagged `"record":
/// "cluster"`).
fn take_report(
    shard: &mut Shard,
    message: &rdkafka::message::OwnedMessage,
    config: &Config,
    metrics: &Metrics,
) -> Vec<ShardOutput> {
    let payload = message.payload().unwrap_or_default();
    if super::record_tag(payload).as_deref() == Some("cluster") {
        return match decode_record(payload) {
            Ok(record) => shard.add_forwarded(record, forward_hops(message)),
            Err(error) => {
                warn!(%error, "cluster: handed-over record unreadable; skipped");
                metrics.error(Stage::Decode, "invalid_event");
                Vec::new()
            }
        };
    }
    match EventView::from_json(payload) {
        Ok(event) => {
            if let Err(error) = super::paging::member_fits(&event, config.cluster.max_record_bytes)
            {
                // The route loop dead-letters such a report; one here came
                // from elsewhere (or before a lower limit): left out.
                warn!(%error, "cluster: report too large for a cluster record; skipped");
                metrics.error(Stage::Publish, CLUSTER_RECORD_TOO_LARGE);
                return Vec::new();
            }
            shard.add_report(event)
        }
        Err(error) => {
            // The route loop validated it: only a foreign producer can put
            // a bad record here.
            warn!(%error, "cluster: not an event record; skipped");
            metrics.error(Stage::Decode, "invalid_event");
            Vec::new()
        }
    }
}

fn forward_hops(message: &rdkafka::message::OwnedMessage) -> u32 {
    use rdkafka::message::Headers;
    message
        .headers()
        .and_then(|headers| {
            headers
                .iter()
                .find(|h| h.key == FORWARD_HOPS_HEADER)
                .and_then(|h| h.value)
                .and_then(|v| std::str::from_utf8(v).ok()?.parse().ok())
        })
        .unwrap_or(0)
}

/// What one message of the report topic gives to send.
#[derive(Debug, Default)]
struct Planned {
    /// Member pages of large clusters: sent before the records that count them.
    pages: Vec<OutRecord>,
    records: Vec<OutRecord>,
    /// Hand-overs: (partition, key, payload, hops).
    forwards: Vec<(i32, String, Vec<u8>, String)>,
    /// Why a cluster could not be published or handed over under
    /// `cluster.max_record_bytes`; the message then goes to the DLQ.
    too_large: Vec<String>,
}

/// Turns the shard's outputs into records under `cluster.max_record_bytes`:
/// a large cluster in member pages (only pages that changed since this
/// process last sent them), a large hand-over in parts.
fn plan_outputs(
    config: &Config,
    shard: &Shard,
    outputs: Vec<ShardOutput>,
    pager: &mut Pager,
) -> Result<Planned, ClusterError> {
    let max_bytes = config.cluster.max_record_bytes;
    let mut planned = Planned::default();
    for output in outputs {
        match output {
            ShardOutput::Publish(id) => match shard
                .record(&id)
                .ok_or_else(|| ClusterError::BadCluster(format!("{id}: not in the shard")))
                .and_then(|record| pager.page(record, max_bytes))
            {
                Ok(paged) => {
                    for (page, payload) in paged.pages {
                        planned.pages.push(cluster_topic_record(
                            config,
                            page.key(),
                            payload,
                            MEMBER_PAGE_TAG,
                        ));
                    }
                    planned.records.push(cluster_topic_record(
                        config,
                        id,
                        paged.record,
                        CLUSTER_SCHEMA,
                    ));
                }
                Err(ClusterError::TooLarge(reason)) => planned.too_large.push(reason),
                Err(other) => return Err(other),
            },
            ShardOutput::Forward {
                partition,
                record,
                hops,
            } => {
                let parts = match super::paging::split_for_forward(&record, max_bytes) {
                    Ok(parts) => parts,
                    Err(ClusterError::TooLarge(reason)) => {
                        planned.too_large.push(reason);
                        continue;
                    }
                    Err(other) => return Err(other),
                };
                debug!(id = %record.id, partition, hops, members = record.members.len(), parts = parts.len(), "cluster: handed over to its owner partition");
                for part in parts {
                    let payload = to_tagged_json("cluster", &part)
                        .map_err(|e| ClusterError::BadCluster(e.to_string()))?;
                    planned.forwards.push((
                        partition,
                        record.id.clone(),
                        payload,
                        hops.to_string(),
                    ));
                }
            }
        }
    }
    Ok(planned)
}

/// Sends the pages, then the records and hand-overs together.
async fn send_planned(
    publisher: &Publisher,
    config: &Config,
    planned: &Planned,
) -> Result<(), ClusterError> {
    let kafka = |e: PublishError| ClusterError::Kafka(e.to_string());
    send_all(publisher, &planned.pages).await.map_err(kafka)?;
    let handed = planned
        .forwards
        .iter()
        .map(|(partition, key, payload, hops)| {
            let headers = rdkafka::message::OwnedHeaders::new().insert(rdkafka::message::Header {
                key: FORWARD_HOPS_HEADER,
                value: Some(hops.as_bytes()),
            });
            let record = FutureRecord::to(&config.topics.cluster_reports)
                .partition(*partition)
                .key(key)
                .payload(payload)
                .headers(headers);
            publisher.producer().send(record, Duration::from_secs(0))
        });
    let (sent, handed) = tokio::join!(
        send_all(publisher, &planned.records),
        futures::future::join_all(handed)
    );
    sent.map_err(kafka)?;
    for result in handed {
        result.map_err(|(e, _)| ClusterError::Kafka(e.to_string()))?;
    }
    Ok(())
}

/// Sends records together; the first failure, if any.
async fn send_all(publisher: &Publisher, records: &[OutRecord]) -> Result<(), PublishError> {
    publisher.send_each(records).await.into_iter().collect()
}

/// A record of the cluster topic; `schema` is its header (the member pages
/// carry their tag).
fn cluster_topic_record(config: &Config, key: String, payload: Vec<u8>, schema: &str) -> OutRecord {
    OutRecord {
        topic: config.topics.clusters.clone(),
        key: Some(key.into_bytes()),
        payload,
        headers: vec![("schema".to_string(), schema.as_bytes().to_vec())],
        kind: RecordKind::Cluster,
    }
}

fn assigned_partitions<C: ConsumerContext>(
    consumer: &StreamConsumer<C>,
    topic: &str,
) -> Result<BTreeSet<i32>, ClusterError> {
    let assignment = consumer
        .assignment()
        .map_err(|e| ClusterError::Kafka(e.to_string()))?;
    Ok(assignment
        .elements()
        .iter()
        .filter(|e| e.topic() == topic)
        .map(|e| e.partition())
        .collect())
}

/// Reads the whole cluster topic (member pages put back) and keeps the
/// clusters that an assigned partition holds ([`super::shard::record_partitions`]:
/// owned, or with a member routed there); the latest record of each key wins.
async fn rebuild(
    config: &Arc<Config>,
    assigned: &BTreeSet<i32>,
    partitions: i32,
) -> Result<(ClusterIndex, Vec<super::ClusterRecord>), ClusterError> {
    let config = Arc::clone(config);
    let assigned = assigned.clone();
    tokio::task::spawn_blocking(move || rebuild_blocking(&config, &assigned, partitions))
        .await
        .map_err(|e| ClusterError::Kafka(format!("rebuild task failed: {e}")))?
}

fn rebuild_blocking(
    config: &Config,
    assigned: &BTreeSet<i32>,
    partitions: i32,
) -> Result<(ClusterIndex, Vec<super::ClusterRecord>), ClusterError> {
    let kafka = |e: KafkaError| ClusterError::Kafka(e.to_string());
    let started = Instant::now();
    let mut index = new_index(config)?;
    let mut client = client_config(config);
    client
        .set("group.id", format!("{}-rebuild", config.cluster.group_id))
        .set("enable.auto.commit", "false")
        .set("isolation.level", "read_committed");
    apply_passthrough(&mut client, config);
    let reader: BaseConsumer = client.create().map_err(kafka)?;
    let topic = &config.topics.clusters;
    let metadata = reader
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .map_err(kafka)?;
    let mut list = TopicPartitionList::new();
    let mut remaining: Vec<(i32, i64)> = Vec::new();
    for partition in metadata.topics().iter().flat_map(|t| t.partitions()) {
        let (low, high) = reader
            .fetch_watermarks(topic, partition.id(), Duration::from_secs(10))
            .map_err(kafka)?;
        if high > low {
            remaining.push((partition.id(), high));
            list.add_partition_offset(topic, partition.id(), Offset::Beginning)
                .map_err(kafka)?;
        }
    }
    reader.assign(&list).map_err(kafka)?;
    let mut state = TopicState::default();
    while !remaining.is_empty() {
        if started.elapsed() > REBUILD_TIMEOUT {
            return Err(ClusterError::Kafka(format!(
                "reading {topic} back took over {} s",
                REBUILD_TIMEOUT.as_secs()
            )));
        }
        let Some(message) = reader.poll(Duration::from_millis(500)) else {
            continue;
        };
        let message = message.map_err(kafka)?;
        let (partition, offset) = (message.partition(), message.offset());
        remaining.retain(|(p, high)| !(*p == partition && offset + 1 >= *high));
        let Some(payload) = message.payload() else {
            continue;
        };
        // Per key, the latest record wins; ids come in any order.
        state.take(payload)?;
    }
    let (all, missing) = state.into_records();
    if !missing.is_empty() {
        warn!(pages = ?missing, "cluster: member pages missing from the cluster topic; their members are not restored");
    }
    let held: Vec<super::ClusterRecord> = all
        .into_iter()
        .filter(|r| !super::shard::record_partitions(r, partitions).is_disjoint(assigned))
        .collect();
    let records = held.len();
    let repairs = index.restore_all(held);
    info!(
        clusters = index.len(),
        records,
        partitions = ?assigned,
        ms = started.elapsed().as_millis() as u64,
        "cluster: state rebuilt from the cluster topic"
    );
    Ok((index, repairs))
}

fn store<C: ConsumerContext>(
    consumer: &StreamConsumer<C>,
    done: Result<Position, ClusterError>,
) -> Result<(), ClusterError> {
    let (topic, partition, offset) = done?;
    // A partition revoked meanwhile refuses the store: its next owner
    // replays the message, which changes nothing there.
    if let Err(e) = consumer.store_offset(&topic, partition, offset) {
        warn!(error = %e, %topic, partition, offset, "offset not stored");
    }
    Ok(())
}

/// On shutdown: awaits what is in flight (up to the worker's shutdown
/// timeout), stores its offsets and commits.
async fn drain<C: ConsumerContext, F>(
    consumer: &StreamConsumer<C>,
    mut pending: FuturesOrdered<F>,
    config: &Config,
) -> Result<(), ClusterError>
where
    F: std::future::Future<Output = Result<Position, ClusterError>>,
{
    let deadline = Duration::from_secs(config.worker.shutdown_timeout_secs);
    let drained = tokio::time::timeout(deadline, async {
        while let Some(done) = pending.next().await {
            store(consumer, done)?;
        }
        Ok::<(), ClusterError>(())
    })
    .await;
    match drained {
        Ok(result) => result?,
        Err(_) => warn!("shutdown: outputs still in flight; their messages will be replayed"),
    }
    if let Err(e) = consumer.commit_consumer_state(rdkafka::consumer::CommitMode::Sync) {
        // Nothing stored since the last commit is not an error.
        if !matches!(
            e,
            KafkaError::ConsumerCommit(rdkafka::types::RDKafkaErrorCode::NoOffset)
        ) {
            warn!(error = %e, "final commit failed; the uncommitted tail will be replayed");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing_spreads_keys_over_partitions() {
        let used: BTreeSet<i32> = [
            "CHN,FRA",
            "DEU,USA",
            "IND,JPN",
            "BRA,ZAF",
            "GBR,IRL",
            "KOR,PRK",
            "EGY,GRC",
            "multi|IDN",
        ]
        .iter()
        .map(|k| route_partition(k, 6))
        .collect();
        assert!(used.len() >= 3, "8 keys on 6 partitions used only {used:?}");
    }
}

//! The Kafka edge of the cluster stage: `attache cluster --kafka`.
//!
//! Two loops in one process, as a Kafka Streams repartition would do it:
//! 1. **route**: consumes the event topics (group `<cluster.group_id>-route`)
//!    and re-publishes every event to `topics.cluster_reports`, on the
//!    partition its route key hashes to ([`route_partition`]), so every
//!    report that could belong to one event reaches one partition;
//! 2. **cluster**: consumes `topics.cluster_reports` (group
//!    `cluster.group_id`), keeps the clusters of its assigned partitions in
//!    memory and publishes each changed cluster to the compacted
//!    `topics.clusters`, keyed by cluster id. After every rebalance the
//!    in-memory index is rebuilt from that topic: nothing else holds state.
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
use std::collections::{BTreeSet, HashMap};
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
pub fn route_partition(route_key: &str, partitions: i32) -> i32 {
    super::shard::partition_of(route_key, partitions)
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
    if count == 0 {
        return Err(ClusterError::Kafka(format!(
            "topic {} has no partitions",
            config.topics.cluster_reports
        )));
    }
    Ok(count)
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

/// Route loop: event topics -> report topic, partitioned by route key.
async fn route_loop(
    config: Arc<Config>,
    publisher: Arc<Publisher>,
    metrics: Metrics,
    partitions: i32,
    shutdown: CancellationToken,
) -> Result<(), ClusterError> {
    let topics = event_topics(&config)?;
    // Persons are resolved before the route key is taken, as the index
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
                            futures::future::join_all(sends).await.into_iter().map(|r| r.map(|_| ()).map_err(|(e, _)| e.to_string())).collect()
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
    match EventView::from_json(payload) {
        Ok(mut event) => {
            knowledge.normalize(&mut event);
            Routed::Report {
                partitions: super::shard::report_partitions(&event, partitions),
                key: event.id,
                payload: payload.to_vec(),
            }
        }
        Err(error) => {
            metrics.error(Stage::Decode, "invalid_event");
            let failure = Failure {
                stage: Stage::Decode,
                kind: "invalid_event",
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
                    let repairs: Vec<ShardOutput> = repairs.into_iter().filter(|r| rebuilt.owns(r)).map(ShardOutput::Publish).collect();
                    if !repairs.is_empty() {
                        warn!(records = repairs.len(), "cluster: repairing half-written merges");
                        send_outputs(&publisher, &config, &repairs).await?;
                    }
                    shard = Some(rebuilt);
                }
                let shard = shard.as_mut().expect("built above");
                let position: Position = (message.topic().to_string(), message.partition(), message.offset());
                let outputs = take_report(shard, &message, &metrics);
                if outputs.iter().any(|o| matches!(o, ShardOutput::Forward { .. })) {
                    // A hand-over goes after every earlier record of this
                    // shard has landed: the owner may then write the same
                    // id (a tombstone), and must write it last.
                    while let Some(done) = pending.next().await {
                        store(&consumer, done)?;
                    }
                }
                let publisher = Arc::clone(&publisher);
                let config = Arc::clone(&config);
                pending.push_back(async move {
                    send_outputs(&publisher, &config, &outputs).await.map(|()| position)
                });
            }
        }
    }
    drain(&consumer, pending, &config).await
}

/// Header of a cluster record handed over on the report topic: how often it
/// was handed on.
const FORWARD_HOPS_HEADER: &str = "attache-forward-hops";

/// One message of the report topic into the shard: a report from the route
/// loop, or a cluster another shard handed over (tagged `"record":
/// "cluster"`).
fn take_report(
    shard: &mut Shard,
    message: &rdkafka::message::OwnedMessage,
    metrics: &Metrics,
) -> Vec<ShardOutput> {
    let payload = message.payload().unwrap_or_default();
    if record_tag(payload).as_deref() == Some("cluster") {
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
        Ok(event) => shard.add_report(event),
        Err(error) => {
            // The route loop validated it: only a foreign producer can put
            // a bad record here.
            warn!(%error, "cluster: not an event record; skipped");
            metrics.error(Stage::Decode, "invalid_event");
            Vec::new()
        }
    }
}

fn record_tag(payload: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Tag {
        record: Option<String>,
    }
    serde_json::from_slice::<Tag>(payload).ok()?.record
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

/// Publishes the owned clusters and hands the others over, together.
async fn send_outputs(
    publisher: &Publisher,
    config: &Config,
    outputs: &[ShardOutput],
) -> Result<(), ClusterError> {
    let mut published = Vec::new();
    let mut forwards = Vec::new();
    for output in outputs {
        match output {
            ShardOutput::Publish(record) => published.push(cluster_out_record(config, record)?),
            ShardOutput::Forward {
                partition,
                record,
                hops,
            } => {
                debug!(id = %record.id, partition, hops, members = record.members.len(), "cluster: handed over to its owner partition");
                forwards.push((
                *partition,
                record.id.clone(),
                to_tagged_json("cluster", record)
                    .map_err(|e| ClusterError::BadCluster(e.to_string()))?,
                hops.to_string(),
            ))
            }
        }
    }
    let handed = forwards.iter().map(|(partition, key, payload, hops)| {
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
    let (sent, handed) = tokio::join!(send_all(publisher, &published), futures::future::join_all(handed));
    sent.map_err(|e| ClusterError::Kafka(e.to_string()))?;
    for result in handed {
        result.map_err(|(e, _)| ClusterError::Kafka(e.to_string()))?;
    }
    Ok(())
}

/// Sends records together; the first failure, if any.
async fn send_all(publisher: &Publisher, records: &[OutRecord]) -> Result<(), PublishError> {
    publisher.send_each(records).await.into_iter().collect()
}

fn cluster_out_record(
    config: &Config,
    record: &super::ClusterRecord,
) -> Result<OutRecord, ClusterError> {
    let payload =
        to_tagged_json("cluster", record).map_err(|e| ClusterError::BadCluster(e.to_string()))?;
    Ok(OutRecord {
        topic: config.topics.clusters.clone(),
        key: Some(record.id.clone().into_bytes()),
        payload,
        headers: vec![("schema".to_string(), CLUSTER_SCHEMA.as_bytes().to_vec())],
        kind: RecordKind::Cluster,
    })
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

/// Reads the whole cluster topic and keeps the clusters whose route key
/// falls on an assigned partition (the latest record of each id wins).
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
    let mut records = 0usize;
    let mut latest: HashMap<String, super::ClusterRecord> = HashMap::new();
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
        let record = decode_record(payload)?;
        let held = super::shard::record_partitions(&record, partitions);
        if !held.is_disjoint(assigned) {
            // Per id, the latest record wins; ids come in any order.
            latest.insert(record.id.clone(), record);
            records += 1;
        }
    }
    let repairs = index.restore_all(latest.into_values());
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

//! librdkafka callbacks of the worker's consumer.
//!
//! Rebalances and commit results are not handled here: they become
//! [`GroupEvent`]s on a channel to the consume loop, which owns the offset
//! tracker (no lock shared with librdkafka's callbacks, as in Vector's Kafka
//! source). The loop itself makes the assign/unassign call once it has
//! committed what is done and dropped the work of revoked partitions;
//! librdkafka waits for that call. Statistics and errors feed readiness and
//! metrics directly.
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext, RebalanceProtocol};
use rdkafka::error::{KafkaError, KafkaResult};
use rdkafka::statistics::Statistics;
use rdkafka::types::RDKafkaRespErr;
use rdkafka::{ClientContext, Offset, TopicPartitionList};
use tokio::sync::mpsc;
use tracing::warn;

use crate::metrics::{Health, Metrics};
use crate::Stage;

/// What the consumer group did, for the loop to act on.
#[derive(Debug)]
pub enum GroupEvent {
    /// Partitions given to this member. The loop starts tracking them, then
    /// calls [`apply_assign`].
    Assigned(TopicPartitionList),
    /// Partitions taken away. `lost` when the member was already out of the
    /// group (its commits would be refused). The loop commits what is done
    /// (unless lost), drops the rest, then calls [`apply_revoke`].
    Revoked {
        partitions: TopicPartitionList,
        lost: bool,
    },
    /// librdkafka reported a failed rebalance and has been unassigned.
    RebalanceFailed(String),
    /// An asynchronous offset commit was acknowledged.
    Committed(Vec<(String, i32, i64)>),
}

/// The consumer's context: forwards group events, reports health and lag.
pub struct GroupContext {
    events: mpsc::UnboundedSender<GroupEvent>,
    health: Health,
    metrics: Metrics,
}

impl GroupContext {
    pub fn new(
        events: mpsc::UnboundedSender<GroupEvent>,
        health: Health,
        metrics: Metrics,
    ) -> Self {
        Self {
            events,
            health,
            metrics,
        }
    }
}

/// `topic[partition]` names of a partition list, for logs.
pub fn partition_names(partitions: &TopicPartitionList) -> Vec<String> {
    partitions
        .elements()
        .iter()
        .map(|e| format!("{}[{}]", e.topic(), e.partition()))
        .collect()
}

/// Takes the partitions on; incremental under the cooperative protocol.
pub fn apply_assign<C: Consumer<X>, X: ConsumerContext>(
    consumer: &C,
    partitions: &TopicPartitionList,
) -> KafkaResult<()> {
    match consumer.rebalance_protocol() {
        RebalanceProtocol::Cooperative => consumer.incremental_assign(partitions),
        _ => consumer.assign(partitions),
    }
}

/// Gives the partitions up; incremental under the cooperative protocol.
pub fn apply_revoke<C: Consumer<X>, X: ConsumerContext>(
    consumer: &C,
    partitions: &TopicPartitionList,
) -> KafkaResult<()> {
    match consumer.rebalance_protocol() {
        RebalanceProtocol::Cooperative => consumer.incremental_unassign(partitions),
        _ => consumer.unassign(),
    }
}

impl ClientContext for GroupContext {
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
        self.metrics.error(Stage::Consume, "kafka");
    }
}

impl ConsumerContext for GroupContext {
    fn rebalance(
        &self,
        consumer: &BaseConsumer<Self>,
        err: RDKafkaRespErr,
        partitions: &mut TopicPartitionList,
    ) {
        // When the loop is gone (shutdown, consumer closing) nobody else
        // will make the call librdkafka waits for: make it here.
        match err {
            RDKafkaRespErr::RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS => {
                if self
                    .events
                    .send(GroupEvent::Assigned(partitions.clone()))
                    .is_err()
                {
                    let _ = apply_assign(consumer, partitions);
                }
            }
            RDKafkaRespErr::RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS => {
                // Lag of partitions we no longer own must not linger.
                self.metrics.consumer_lag.reset();
                let event = GroupEvent::Revoked {
                    partitions: partitions.clone(),
                    lost: consumer.assignment_lost(),
                };
                if self.events.send(event).is_err() {
                    let _ = apply_revoke(consumer, partitions);
                }
            }
            other => {
                let reason = rdkafka::error::RDKafkaErrorCode::from(other).to_string();
                warn!(%reason, "rebalance error; dropping the assignment");
                self.metrics.error(Stage::Consume, "rebalance");
                let _ = apply_revoke(consumer, partitions);
                let _ = self.events.send(GroupEvent::RebalanceFailed(reason));
            }
        }
    }

    fn commit_callback(&self, result: KafkaResult<()>, offsets: &TopicPartitionList) {
        match result {
            Ok(()) => {
                let committed = offsets
                    .elements()
                    .iter()
                    .filter_map(|e| match e.offset() {
                        Offset::Offset(offset) => {
                            Some((e.topic().to_string(), e.partition(), offset))
                        }
                        _ => None,
                    })
                    .collect();
                let _ = self.events.send(GroupEvent::Committed(committed));
            }
            // Not marked committed: the next tick tries again.
            Err(error) => {
                warn!(%error, "offset commit failed");
                self.metrics.error(Stage::Consume, "commit");
            }
        }
    }
}

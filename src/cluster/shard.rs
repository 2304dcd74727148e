//! How the Kafka cluster stage splits the work over partitions without
//! splitting an event.
//!
//! No single key keeps every report of one event together: a report naming
//! only China and one naming only France may both belong to the talks of Xi
//! and Macron. So the stage routes in two steps:
//!
//! 1. **fan-out**: a report of a bilateral event goes to the partition of
//!    *each* country it names ([`report_partitions`]); a gathering of three
//!    or more countries to the partition of its place, a report without any
//!    country to that of its block key. Every partition therefore sees every
//!    report naming one of its countries: a report naming one side meets, on
//!    its side's partition, the full reports it would meet offline.
//! 2. **hand-over**: each cluster has one owner, the partition of the first
//!    country (ISO order) that its members name together
//!    ([`owner_partition`]); only the owner publishes it. A shard that
//!    holds a cluster it does not own (a report naming only France joined
//!    the Xi-Macron talks on France's partition; China's owns them) forwards
//!    the cluster, with the members the owner never received, to the owner
//!    over the report topic ([`ShardOutput::Forward`]). The owner adds those
//!    members; where its own cluster of the event has another id, it
//!    publishes the forwarded id as a tombstone (`merged_into`), as a
//!    bridging merge does.
//!
//! The owner's country can only fall (in ISO order) as members join: a
//! forwarded cluster moves towards one partition and stops there. A
//! forwarded record is forwarded at most [`MAX_FORWARD_HOPS`] times; past
//! that (members that did not meet at the owner) it is published where it
//! is, with a warning.
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::index::member_view;
use super::matching;
use super::{cluster_id, ClusterIndex, ClusterRecord, EventView, Knowledge};
use crate::config::ClusterConfig;

/// Most times one record is handed on from partition to partition.
pub const MAX_FORWARD_HOPS: u32 = 4;

/// The partition of a routing key: stable across processes and versions
/// (SHA-256, not the client's partitioner).
pub fn partition_of(key: &str, partitions: i32) -> i32 {
    let digest = Sha256::digest(key.as_bytes());
    let n = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
    (n % partitions.max(1) as u32) as i32
}

/// Where a report is routed to: the keys (countries, or one fallback key)
/// whose partitions must see it. `event` is normalized
/// ([`super::Knowledge::normalize`]).
pub fn report_keys(event: &EventView) -> BTreeSet<String> {
    let countries = matching::countries(&event.event_type, &event.args);
    if countries.is_empty() || matching::is_multilateral(&event.event_type, &event.args, &countries)
    {
        return BTreeSet::from([fallback_key(&matching::block_key(event))]);
    }
    countries
}

/// The partitions of [`report_keys`].
pub fn report_partitions(event: &EventView, partitions: i32) -> BTreeSet<i32> {
    report_keys(event)
        .iter()
        .map(|key| partition_of(key, partitions))
        .collect()
}

/// A block key without its family (`dialogue|multi|IDN` -> `multi|IDN`):
/// the routing key of a gathering, or of a report without countries.
fn fallback_key(block_key: &str) -> String {
    block_key
        .split_once('|')
        .map_or(block_key.to_string(), |(_, rest)| rest.to_string())
}

/// The key of the partition that owns a cluster: the first country in ISO
/// order that its members name together, for a bilateral cluster; its block
/// key's place (or the block key) otherwise.
pub fn owner_key(record: &ClusterRecord) -> String {
    let bilateral = record
        .block_key
        .split_once('|')
        .is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with("multi|"));
    if bilateral {
        let first = record
            .members
            .iter()
            .flat_map(|m| matching::countries(&m.event_type, &m.args))
            .min();
        if let Some(country) = first {
            return country;
        }
    }
    fallback_key(&record.block_key)
}

pub fn owner_partition(record: &ClusterRecord, partitions: i32) -> i32 {
    partition_of(&owner_key(record), partitions)
}

/// [`owner_partition`] of a cluster held in `index`, from the countries the
/// index keeps for it (no walk over a large cluster's members).
fn owner_partition_in(index: &ClusterIndex, record: &ClusterRecord, partitions: i32) -> i32 {
    let bilateral = record
        .block_key
        .split_once('|')
        .is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with("multi|"));
    match index.countries_of(&record.id).and_then(|c| c.first()) {
        Some(first) if bilateral => partition_of(first, partitions),
        _ => owner_partition(record, partitions),
    }
}

/// Every partition that holds (part of) a cluster: its owner's and those
/// its members were routed to. At start-up a shard takes back each record
/// of the cluster topic that one of its partitions holds.
pub fn record_partitions(record: &ClusterRecord, partitions: i32) -> BTreeSet<i32> {
    let mut all: BTreeSet<i32> = record
        .members
        .iter()
        .flat_map(|m| report_partitions(&member_view(m), partitions))
        .collect();
    all.insert(owner_partition(record, partitions));
    all
}

/// What a shard does with a changed cluster.
#[derive(Debug, Clone, PartialEq)]
pub enum ShardOutput {
    /// This shard owns it: publish on the cluster topic the record of this
    /// id, as [`Shard::record`] gives it (not copied: a large cluster's
    /// record is only read, to be laid out).
    Publish(String),
    /// Another partition owns it: hand it over on the report topic.
    Forward {
        partition: i32,
        record: Box<ClusterRecord>,
        /// How often the record was handed on, this time included.
        hops: u32,
    },
}

/// The clusters of the partitions one worker is assigned, with the
/// ownership rule above. The Kafka loop feeds it; tests drive several
/// shards by hand.
#[derive(Debug)]
pub struct Shard {
    index: ClusterIndex,
    assigned: BTreeSet<i32>,
    partitions: i32,
}

impl Shard {
    pub fn new(index: ClusterIndex, assigned: BTreeSet<i32>, partitions: i32) -> Self {
        Self {
            index,
            assigned,
            partitions,
        }
    }

    pub fn index(&self) -> &ClusterIndex {
        &self.index
    }

    /// The live record or tombstone of an id.
    pub fn record(&self, id: &str) -> Option<&ClusterRecord> {
        self.index.get(id).or_else(|| self.index.tombstone(id))
    }

    pub fn owns(&self, record: &ClusterRecord) -> bool {
        self.assigned
            .contains(&owner_partition(record, self.partitions))
    }

    /// A report routed to one of this shard's partitions.
    pub fn add_report(&mut self, event: EventView) -> Vec<ShardOutput> {
        let changed: Vec<String> = self
            .index
            .add(event)
            .into_iter()
            .map(|r| r.id.clone())
            .collect();
        self.route(changed, 0)
    }

    /// A cluster another shard handed over (`hops`: how often it was handed
    /// on before). Its members are added, the one that gave it its id first,
    /// so that a cluster new here keeps that id; if they joined a cluster of
    /// another id here, the forwarded id becomes a tombstone pointing at it.
    pub fn add_forwarded(&mut self, record: ClusterRecord, hops: u32) -> Vec<ShardOutput> {
        let mut members = record.members.clone();
        members.sort_by_key(|m| cluster_id(&m.event_id) != record.id);
        let mut changed: BTreeSet<String> = BTreeSet::new();
        for member in &members {
            for r in self.index.add(member_view(member)) {
                changed.insert(r.id.clone());
            }
        }
        let target = members
            .first()
            .and_then(|m| self.index.cluster_of(&m.event_id))
            .map(str::to_string);
        if let Some(target) = target {
            if target != record.id && self.index.get(&record.id).is_none() {
                let mut tombstone = record;
                tombstone.merged_into = Some(target);
                changed.insert(tombstone.id.clone());
                self.index.restore(tombstone);
            }
        }
        self.route(changed.into_iter().collect(), hops)
    }

    /// Publish what this shard owns; hand over the rest, with the members
    /// the owner was not sent (a live cluster whose members all reached
    /// the owner is not handed over: the owner has them).
    fn route(&self, changed: Vec<String>, hops: u32) -> Vec<ShardOutput> {
        changed
            .into_iter()
            .filter_map(|id| {
                let record = self.record(&id)?;
                // A tombstone belongs with its survivor.
                let owner_of = match &record.merged_into {
                    Some(survivor) => self.index.get(survivor).unwrap_or(record),
                    None => record,
                };
                let owner = owner_partition_in(&self.index, owner_of, self.partitions);
                if self.assigned.contains(&owner) || hops >= MAX_FORWARD_HOPS {
                    if !self.assigned.contains(&owner) {
                        tracing::warn!(%id, owner, hops, "cluster: handed on too often; published here");
                    }
                    return Some(ShardOutput::Publish(id));
                }
                self.for_owner(record, owner)
                    .map(|record| ShardOutput::Forward {
                        partition: owner,
                        record: Box::new(record),
                        hops: hops + 1,
                    })
            })
            .collect()
    }

    /// The record as handed to `owner`: a live cluster with the member that
    /// gave it its id and those not routed to the owner (None when all reach
    /// the owner on their own); a tombstone whole.
    fn for_owner(&self, record: &ClusterRecord, owner: i32) -> Option<ClusterRecord> {
        if record.merged_into.is_some() {
            // A tombstone goes whole: it is the last state of its id.
            return Some(record.clone());
        }
        let partitions = self.partitions;
        let unseen =
            |m: &super::Member| !report_partitions(&member_view(m), partitions).contains(&owner);
        if !record.members.iter().any(unseen) {
            return None;
        }
        let kept: Vec<super::Member> = record
            .members
            .iter()
            .filter(|m| cluster_id(&m.event_id) == record.id || unseen(m))
            .cloned()
            .collect();
        let mut handed = super::paging::without_members(record);
        handed.members = kept;
        Some(handed)
    }
}

/// A message of the report topic.
#[derive(Debug, Clone)]
enum Queued {
    Report(EventView),
    Forward(ClusterRecord, u32),
}

/// The Kafka stage without Kafka: `workers` shards sharing `partitions`
/// (worker `w` owns the partitions `p` with `p % workers == w`), a queue
/// per partition for the report topic and a map for the compacted cluster
/// topic (latest record per id). The evaluation and the tests run the
/// partitioned stage with it and compare with one index.
#[derive(Debug)]
pub struct ShardedRun {
    partitions: i32,
    workers: usize,
    knowledge: Arc<Knowledge>,
    shards: Vec<Shard>,
    queues: Vec<VecDeque<Queued>>,
    /// The cluster topic as compaction keeps it: id -> latest record.
    pub topic: BTreeMap<String, ClusterRecord>,
    /// Records handed over between shards.
    pub forwards: usize,
}

impl ShardedRun {
    pub fn new(
        config: &ClusterConfig,
        knowledge: Arc<Knowledge>,
        partitions: i32,
        workers: usize,
    ) -> Self {
        let shards = (0..workers)
            .map(|w| {
                let assigned = (0..partitions)
                    .filter(|p| *p as usize % workers == w)
                    .collect();
                Shard::new(
                    ClusterIndex::new(config.clone(), Arc::clone(&knowledge)),
                    assigned,
                    partitions,
                )
            })
            .collect();
        Self {
            partitions,
            workers,
            knowledge,
            shards,
            queues: (0..partitions).map(|_| VecDeque::new()).collect(),
            topic: BTreeMap::new(),
            forwards: 0,
        }
    }

    /// Routes a report as the route loop does.
    pub fn send(&mut self, event: EventView) {
        let mut normalized = event.clone();
        self.knowledge.normalize(&mut normalized);
        for partition in report_partitions(&normalized, self.partitions) {
            self.queues[partition as usize].push_back(Queued::Report(event.clone()));
        }
    }

    /// Hands a cluster record over to its owner's shard directly, as a
    /// hand-over message would; the shard's outputs are applied and returned.
    pub fn hand_over(&mut self, record: ClusterRecord) -> Vec<ShardOutput> {
        let owner = owner_partition(&record, self.partitions) as usize;
        let worker = owner % self.workers;
        let outputs = self.shards[worker].add_forwarded(record, 1);
        self.apply(worker, outputs.clone());
        outputs
    }

    fn apply(&mut self, worker: usize, outputs: Vec<ShardOutput>) {
        for output in outputs {
            match output {
                ShardOutput::Publish(id) => {
                    let record = self.shards[worker]
                        .record(&id)
                        .expect("a published id is in its shard")
                        .clone();
                    self.topic.insert(id, record);
                }
                ShardOutput::Forward {
                    partition,
                    record,
                    hops,
                } => {
                    self.forwards += 1;
                    self.queues[partition as usize].push_back(Queued::Forward(*record, hops));
                }
            }
        }
    }

    /// Delivers one message of each non-empty partition queue; false when
    /// every queue was empty.
    pub fn step(&mut self) -> bool {
        let mut any = false;
        for partition in 0..self.partitions as usize {
            let Some(message) = self.queues[partition].pop_front() else {
                continue;
            };
            any = true;
            let worker = partition % self.workers;
            let shard = &mut self.shards[worker];
            let outputs = match message {
                Queued::Report(event) => shard.add_report(event),
                Queued::Forward(record, hops) => shard.add_forwarded(record, hops),
            };
            self.apply(worker, outputs);
        }
        any
    }

    /// Delivers until every queue is empty.
    pub fn settle(&mut self) {
        while self.step() {}
    }

    /// A crash of every worker: each shard is rebuilt from the cluster
    /// topic (the records one of its partitions holds, as the Kafka loop
    /// rebuilds), and what was queued is lost unless sent again.
    pub fn restart(&mut self, config: &ClusterConfig) {
        for shard in &mut self.shards {
            let mut index = ClusterIndex::new(config.clone(), Arc::clone(&self.knowledge));
            let held = self
                .topic
                .values()
                .filter(|r| !record_partitions(r, self.partitions).is_disjoint(&shard.assigned))
                .cloned();
            index.restore_all(held);
            shard.index = index;
        }
        for queue in &mut self.queues {
            queue.clear();
        }
    }

    /// The live clusters on the cluster topic (tombstones left out).
    pub fn clusters(&self) -> Vec<&ClusterRecord> {
        self.topic
            .values()
            .filter(|r| r.merged_into.is_none())
            .collect()
    }

    /// The live cluster on the topic that holds a report, following
    /// nothing: None when no published row holds it.
    pub fn cluster_of(&self, event_id: &str) -> Option<&str> {
        self.clusters()
            .into_iter()
            .find(|r| r.members.iter().any(|m| m.event_id == event_id))
            .map(|r| r.id.as_str())
    }
}

//! Cluster stage: the reports of many outlets -> one row per real-world event.
//!
//! GDELT counts reports, not events: twenty outlets covering one state visit
//! give twenty visits. This stage groups the events that `attache run`
//! publishes (one per story per page) into clusters, one per real event,
//! with the merged arguments, the outlets that told it and what became of it
//! (announced, cancelled, took place).
//!
//! Core: [`ClusterIndex::add`], pure and in memory. Two edges share it:
//! - `attache cluster FILE...` reads event NDJSON (as `attache extract`
//!   prints it) and prints the final clusters ([`cluster_reader`]);
//! - the Kafka worker consumes the event topics and keeps its state in the
//!   compacted cluster topic only.
//!
//! How reports are matched is in [`matching`]; how a cluster's arguments
//! are chosen among its members is in [`merge`].
use std::collections::BTreeSet;
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

pub mod actors;
pub mod corpus;
pub mod eval;
mod index;
pub mod input;
pub mod matching;
mod merge;
pub mod offline;
pub mod paging;
pub mod realset;
pub mod record;
pub mod shard;
#[cfg(test)]
mod tests;
pub mod worker;

pub use index::{cluster_id, outlet, ClusterIndex};
pub use input::EventView;
pub use record::{ClusterRecord, ClusterStatus, Member, CLUSTER_SCHEMA};

use crate::config::Config;
use crate::events::gazetteer::Gazetteer;
use crate::events::leaders::Leaders;

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("not an event record: {0}")]
    BadEvent(String),
    #[error("not a cluster record: {0}")]
    BadCluster(String),
    #[error("cannot read {source_name}: {reason}")]
    Read { source_name: String, reason: String },
    #[error("lookup tables: {0}")]
    Gazetteer(String),
    #[error("kafka: {0}")]
    Kafka(String),
    #[error("record too large: {0}")]
    TooLarge(String),
}

/// A fresh index with the configured matching rules and lookup tables.
pub fn new_index(config: &Config) -> Result<ClusterIndex, ClusterError> {
    Ok(ClusterIndex::new(
        config.cluster.clone(),
        Arc::new(Knowledge::load(config)?),
    ))
}

/// The lookup tables clustering reads: places and titles (gazetteer) and
/// persons with their offices over time (leaders knowledge base, optional
/// as in the event extractor).
#[derive(Debug)]
pub struct Knowledge {
    pub gazetteer: Gazetteer,
    pub leaders: Option<Leaders>,
}

impl Knowledge {
    pub fn load(config: &Config) -> Result<Knowledge, ClusterError> {
        let dir = Path::new(&config.events.gazetteer_dir);
        let gazetteer = Gazetteer::load(dir).map_err(|e| ClusterError::Gazetteer(e.to_string()))?;
        let leaders_file = dir.join("leaders.tsv");
        let leaders = if leaders_file.exists() {
            Some(Leaders::load(&leaders_file).map_err(|e| ClusterError::Gazetteer(e.to_string()))?)
        } else {
            None
        };
        Ok(Knowledge { gazetteer, leaders })
    }

    /// Resolves the report's persons through the leaders knowledge base
    /// (see [`actors`]). Every edge calls it before the block key is taken,
    /// so routing and matching see the same countries.
    pub fn normalize(&self, event: &mut EventView) {
        if let Some(leaders) = &self.leaders {
            let day = event.published_day();
            actors::resolve_actors(&self.gazetteer, leaders, &mut event.args, day);
        }
        if let Some(location) = &mut event.args.location {
            if location.country.is_none() {
                location.country = self.country_of_place(&location.name);
            }
        }
    }

    /// The country of a place named alone ("Geneva", "France"), when the
    /// gazetteer knows the whole name as a city or a country of exactly one
    /// country.
    fn country_of_place(&self, name: &str) -> Option<String> {
        let g = &self.gazetteer;
        let whole = |start: usize, end: usize| start == 0 && end == name.len();
        let mut found: BTreeSet<&str> = g
            .find_cities(name)
            .iter()
            .filter(|hit| whole(hit.start, hit.end))
            .map(|hit| g.cities[hit.entry].iso3.as_str())
            .collect();
        found.extend(
            g.find_countries(name)
                .iter()
                .filter(|(hit, _)| whole(hit.start, hit.end))
                .map(|(hit, _)| g.countries[hit.entry].iso3.as_str()),
        );
        match found.len() {
            1 => found.into_iter().next().map(str::to_string),
            _ => None,
        }
    }
}

/// A line of event NDJSON that could not be used, and why.
#[derive(Debug)]
pub struct SkippedLine {
    pub line: usize,
    pub error: ClusterError,
}

/// Feeds every event record of an NDJSON stream into `index`. Lines with
/// another `record` tag (articles, dead letters) are passed over; blank lines
/// too. A line that is not an event record is returned, not fatal: the
/// others still count.
pub fn cluster_reader(
    index: &mut ClusterIndex,
    source_name: &str,
    reader: impl BufRead,
) -> Result<Vec<SkippedLine>, ClusterError> {
    let mut skipped = Vec::new();
    for (number, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| ClusterError::Read {
            source_name: source_name.to_string(),
            reason: e.to_string(),
        })?;
        let line = line.trim();
        if line.is_empty() || !is_event_line(line) {
            continue;
        }
        match EventView::from_json(line.as_bytes()) {
            Ok(event) => {
                index.add(event);
            }
            Err(error) => skipped.push(SkippedLine {
                line: number + 1,
                error,
            }),
        }
    }
    Ok(skipped)
}

/// True unless the line says it is another kind of record.
fn is_event_line(line: &str) -> bool {
    match serde_json::from_str::<Tag>(line) {
        Ok(tag) => tag.record.map_or(true, |r| r == "event"),
        // Not JSON at all: let the event decoder report it.
        Err(_) => true,
    }
}

#[derive(serde::Deserialize)]
struct Tag {
    record: Option<String>,
}

/// The `record` tag of a JSON record, if it has one.
pub(crate) fn record_tag(payload: &[u8]) -> Option<String> {
    serde_json::from_slice::<Tag>(payload).ok()?.record
}

/// Decodes a record read back from the cluster topic.
pub fn decode_record(bytes: &[u8]) -> Result<ClusterRecord, ClusterError> {
    serde_json::from_slice(bytes).map_err(|e| ClusterError::BadCluster(e.to_string()))
}

//! The cluster record (`attache.cluster/v1`, `schemas/cluster.v1.json`):
//! one row per real-world event, with every report that tells it.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::input::{ActorView, CountView, EventArgs, LocationView};

pub const CLUSTER_SCHEMA: &str = "attache.cluster/v1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterRecord {
    pub schema: String,
    /// Derived from the first member's event id; never changes as members join.
    pub id: String,
    /// The family's main type: `state_visit_announced` for a visit, whatever
    /// became of it (see `status`).
    #[serde(rename = "type")]
    pub event_type: String,
    /// The blocking key the cluster lives under (set by its first report).
    pub block_key: String,
    pub status: ClusterStatus,
    /// Each change of status, in publication order of the reports.
    pub status_history: Vec<StatusChange>,
    pub actors: Vec<ActorView>,
    pub location: Option<LocationView>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub date_text: Option<String>,
    pub mode: Option<String>,
    pub visit_level: Option<String>,
    pub participants: Option<CountView>,
    pub countries: Option<CountView>,
    /// Distinct outlets (registrable domains) among the members.
    pub num_sources: usize,
    /// Earliest and latest publication time among the members.
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// Clusters of the same story in another family: the talks held during a
    /// visit, and the visit they were held during.
    pub linked_to: Vec<String>,
    pub members: Vec<Member>,
    /// Set on a record published in pages ([`super::paging`]): how many
    /// members the cluster has; `members` then holds only the one that gave
    /// the cluster its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members_total: Option<usize>,
    /// Set on a record published in pages: how many member pages (keys
    /// `<id>/members/0`...) hold its members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_pages: Option<usize>,
    /// Set when a later report showed this cluster to be the same event as
    /// an older one: the id of the cluster that now holds its members. The
    /// record is then a tombstone (its last state, members included, kept
    /// so that a reader of the old id learns where it went), not a row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
}

/// What became of the event, as the latest report tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClusterStatus {
    /// A visit announced and not (yet) reported cancelled.
    Announced,
    /// A visit reported cancelled or postponed after it was announced.
    Cancelled,
    /// Talks, meetings or signings that took place.
    Occurred,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    pub status: ClusterStatus,
    /// Publication time of the report that told it.
    pub at: Option<String>,
    pub event_id: String,
}

/// One report of the event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub event_id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub source_url: String,
    /// Registrable domain of the source URL ("bbc.co.uk").
    pub outlet: String,
    pub published: Option<String>,
    /// The event's own status (`occurred` | `planned`).
    pub status: String,
    /// What this report says, so that the merged arguments can be rebuilt
    /// from the record alone.
    pub args: EventArgs,
}

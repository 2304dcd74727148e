//! Cluster records that stay under the broker's message size.
//!
//! A story told by thousands of outlets gives a cluster whose record, with
//! every member and what it says, outgrows Kafka's 1 MB default
//! (`message.max.bytes`). Such a record is published in pages on the same
//! compacted topic:
//! - the cluster record itself (key: cluster id) with only the member that
//!   gave it its id in `members`, plus `members_total` and `member_pages`;
//! - `member_pages` member pages (key: `<id>/members/<n>`, tag `"record":
//!   "cluster_members"`), holding every member in order, packed greedily so
//!   that each page stays under the limit.
//!
//! The pages go out before the record that counts them, so the latest
//! record never counts a page that was not written; a reader (the rebuild
//! at start-up) takes the members of the pages it counts, together with the
//! embedded ones. A record that fits is published whole, as before.
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{cluster_id, ClusterError, ClusterRecord, EventView, Member};
use crate::publish::to_tagged_json;

/// The `record` tag of a member page.
pub const MEMBER_PAGE_TAG: &str = "cluster_members";

/// One page of a large cluster's members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberPage {
    pub cluster_id: String,
    pub page: usize,
    pub members: Vec<Member>,
}

impl MemberPage {
    /// The page's key on the cluster topic.
    pub fn key(&self) -> String {
        page_key(&self.cluster_id, self.page)
    }
}

pub fn page_key(cluster_id: &str, page: usize) -> String {
    format!("{cluster_id}/members/{page}")
}

/// A cluster record as published: the record (JSON, tagged) and, for a
/// large cluster, its member pages (JSON, tagged).
#[derive(Debug, Clone, PartialEq)]
pub struct Paged {
    pub record: Vec<u8>,
    pub pages: Vec<(MemberPage, Vec<u8>)>,
}

/// Splits a record whose JSON exceeds `max_bytes` into the record with one
/// embedded member and member pages, each under `max_bytes`. An error when
/// that cannot be done: a single member, or the record without its
/// members, is larger than the limit. Stateless: every page is returned
/// (the Kafka loop uses a [`Pager`], which remembers what it sent).
pub fn page_record(record: &ClusterRecord, max_bytes: usize) -> Result<Paged, ClusterError> {
    Pager::default().page(record, max_bytes)
}

/// Clusters up to this many members are serialized whole on every change;
/// larger ones from their members' cached JSON.
const CACHE_FROM_MEMBERS: usize = 64;

/// Lays out cluster records for the Kafka loop without re-serializing a
/// large cluster's members on every change: their JSON is cached (a member
/// never changes once it joined), a record is assembled from it, and a
/// page already sent with the same members is not returned again.
#[derive(Debug)]
pub struct Pager {
    /// Most members a record embeds and a page holds (besides the byte
    /// limit): a cluster with more goes out in pages, so that a change
    /// sends the record and the page that changed, not every member.
    max_members: usize,
    /// Event id -> its member JSON, for members of large clusters.
    member_json: HashMap<String, Vec<u8>>,
    /// Page key -> (first member, last member, count) as last returned.
    sent: HashMap<String, (String, String, usize)>,
}

impl Default for Pager {
    /// No member count limit: pages only past the byte limit.
    fn default() -> Self {
        Pager::new(usize::MAX)
    }
}

impl Pager {
    pub fn new(max_members: usize) -> Self {
        Self {
            max_members: max_members.max(1),
            member_json: HashMap::new(),
            sent: HashMap::new(),
        }
    }

    /// As [`page_record`], but pages whose members are those this pager
    /// returned last time for the same key are left out.
    pub fn page(
        &mut self,
        record: &ClusterRecord,
        max_bytes: usize,
    ) -> Result<Paged, ClusterError> {
        let few = record.members.len() <= self.max_members;
        if few && record.members.len() <= CACHE_FROM_MEMBERS {
            let whole = tagged("cluster", record)?;
            if whole.len() <= max_bytes {
                return Ok(Paged {
                    record: whole,
                    pages: Vec::new(),
                });
            }
        }
        let mut lens = Vec::with_capacity(record.members.len());
        for member in &record.members {
            lens.push(self.json(member)?.len());
        }
        let bare = without_members(record);
        let bare_json = tagged("cluster", &bare)?;
        let whole_len = bare_json.len() + lens.iter().map(|l| l + 1).sum::<usize>();
        if few && whole_len <= max_bytes {
            return Ok(Paged {
                record: splice_members(
                    &bare_json,
                    record
                        .members
                        .iter()
                        .map(|m| &self.member_json[&m.event_id]),
                ),
                pages: Vec::new(),
            });
        }
        let bounds = self.pack(record, &lens, max_bytes)?;
        let mut head = bare;
        head.members = record
            .members
            .iter()
            .find(|m| cluster_id(&m.event_id) == record.id)
            .or(record.members.first())
            .cloned()
            .into_iter()
            .collect();
        head.members_total = Some(record.members.len());
        head.member_pages = Some(bounds.len());
        let head = tagged("cluster", &head)?;
        if head.len() > max_bytes {
            return Err(ClusterError::TooLarge(format!(
                "cluster {} is {} bytes without its members (limit {max_bytes})",
                record.id,
                head.len()
            )));
        }
        let mut pages = Vec::new();
        for (n, range) in bounds.into_iter().enumerate() {
            let members = &record.members[range];
            let key = page_key(&record.id, n);
            let signature = (
                members[0].event_id.clone(),
                members[members.len() - 1].event_id.clone(),
                members.len(),
            );
            if self.sent.get(&key) == Some(&signature) {
                continue;
            }
            let empty = MemberPage {
                cluster_id: record.id.clone(),
                page: n,
                members: Vec::new(),
            };
            let json = splice_members(
                &tagged(MEMBER_PAGE_TAG, &empty)?,
                members.iter().map(|m| &self.member_json[&m.event_id]),
            );
            debug_assert!(json.len() <= max_bytes);
            self.sent.insert(key, signature);
            pages.push((
                MemberPage {
                    members: members.to_vec(),
                    ..empty
                },
                json,
            ));
        }
        Ok(Paged {
            record: head,
            pages,
        })
    }

    fn json(&mut self, member: &Member) -> Result<&Vec<u8>, ClusterError> {
        if !self.member_json.contains_key(&member.event_id) {
            let json =
                serde_json::to_vec(member).map_err(|e| ClusterError::BadCluster(e.to_string()))?;
            self.member_json.insert(member.event_id.clone(), json);
        }
        Ok(&self.member_json[&member.event_id])
    }

    /// The member ranges of the pages: in order, each page's JSON under
    /// `max_bytes`.
    fn pack(
        &self,
        record: &ClusterRecord,
        lens: &[usize],
        max_bytes: usize,
    ) -> Result<Vec<std::ops::Range<usize>>, ClusterError> {
        let empty = MemberPage {
            cluster_id: record.id.clone(),
            page: usize::MAX,
            members: Vec::new(),
        };
        let overhead = tagged(MEMBER_PAGE_TAG, &empty)?.len();
        let mut bounds = Vec::new();
        let mut start = 0;
        let mut size = overhead;
        for (n, len) in lens.iter().enumerate() {
            let bytes = len + 1;
            if overhead + bytes > max_bytes {
                return Err(ClusterError::TooLarge(format!(
                    "member {} of cluster {} is {bytes} bytes (limit {max_bytes})",
                    record.members[n].event_id, record.id
                )));
            }
            let full = size + bytes > max_bytes || n - start >= self.max_members;
            if full && n > start {
                bounds.push(start..n);
                start = n;
                size = overhead;
            }
            size += bytes;
        }
        bounds.push(start..lens.len());
        Ok(bounds)
    }
}

/// The record without its members (cheap: the members are not copied).
pub(crate) fn without_members(record: &ClusterRecord) -> ClusterRecord {
    ClusterRecord {
        schema: record.schema.clone(),
        id: record.id.clone(),
        event_type: record.event_type.clone(),
        block_key: record.block_key.clone(),
        status: record.status,
        status_history: record.status_history.clone(),
        actors: record.actors.clone(),
        location: record.location.clone(),
        start_date: record.start_date,
        end_date: record.end_date,
        date_text: record.date_text.clone(),
        mode: record.mode.clone(),
        visit_level: record.visit_level.clone(),
        participants: record.participants.clone(),
        countries: record.countries.clone(),
        num_sources: record.num_sources,
        first_seen: record.first_seen.clone(),
        last_seen: record.last_seen.clone(),
        linked_to: record.linked_to.clone(),
        members: Vec::new(),
        members_total: record.members_total,
        member_pages: record.member_pages,
        merged_into: record.merged_into.clone(),
    }
}

/// JSON with an empty `"members":[]` filled with the given member JSON. The
/// key can only be the object's own: quotes inside strings are escaped.
fn splice_members<'a>(json: &[u8], members: impl Iterator<Item = &'a Vec<u8>>) -> Vec<u8> {
    const EMPTY: &[u8] = b"\"members\":[]";
    let at = json
        .windows(EMPTY.len())
        .position(|w| w == EMPTY)
        .expect("serialized with an empty members list")
        + EMPTY.len()
        - 1;
    let mut out = Vec::with_capacity(json.len());
    out.extend_from_slice(&json[..at]);
    for (n, member) in members.enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(member);
    }
    out.extend_from_slice(&json[at..]);
    out
}

/// A record handed over between shards, in parts under `max_bytes`: each
/// part holds the member that gave the cluster its id (so that the owner
/// places every part by the same member) and a share of the others.
pub fn split_for_forward(
    record: &ClusterRecord,
    max_bytes: usize,
) -> Result<Vec<ClusterRecord>, ClusterError> {
    if tagged("cluster", record)?.len() <= max_bytes {
        return Ok(vec![record.clone()]);
    }
    let is_head = |m: &Member| cluster_id(&m.event_id) == record.id;
    let mut head = record.clone();
    head.members = record
        .members
        .iter()
        .filter(|m| is_head(m))
        .cloned()
        .collect();
    let budget = max_bytes.saturating_sub(tagged("cluster", &head)?.len());
    let mut parts: Vec<ClusterRecord> = Vec::new();
    let mut size = budget + 1;
    for member in record.members.iter().filter(|m| !is_head(m)) {
        let bytes = serde_json::to_vec(member)
            .map_err(|e| ClusterError::BadCluster(e.to_string()))?
            .len()
            + 1;
        if bytes > budget {
            return Err(ClusterError::TooLarge(format!(
                "member {} of cluster {} does not fit a hand-over of {max_bytes} bytes",
                member.event_id, record.id
            )));
        }
        if size + bytes > budget {
            parts.push(head.clone());
            size = 0;
        }
        parts
            .last_mut()
            .expect("pushed above")
            .members
            .push(member.clone());
        size += bytes;
    }
    if parts.is_empty() {
        parts.push(head);
    }
    Ok(parts)
}

/// Whether a report, as a member, fits a member page under `max_bytes`.
/// Checked before the report joins a cluster: one that cannot fit would
/// make its cluster unpublishable from then on.
pub fn member_fits(event: &EventView, max_bytes: usize) -> Result<(), ClusterError> {
    let member = super::index::to_member(event);
    let empty = MemberPage {
        cluster_id: cluster_id(&member.event_id),
        page: 0,
        members: Vec::new(),
    };
    let bytes = tagged(MEMBER_PAGE_TAG, &empty)?.len()
        + serde_json::to_vec(&member)
            .map_err(|e| ClusterError::BadCluster(e.to_string()))?
            .len();
    if bytes > max_bytes {
        return Err(ClusterError::TooLarge(format!(
            "report {} is {bytes} bytes as a cluster member (limit {max_bytes})",
            member.event_id
        )));
    }
    Ok(())
}

fn tagged<T: Serialize>(tag: &'static str, value: &T) -> Result<Vec<u8>, ClusterError> {
    to_tagged_json(tag, value).map_err(|e| ClusterError::BadCluster(e.to_string()))
}

/// What a reader of the cluster topic collects: the latest record of each
/// cluster id and the latest of each member page.
#[derive(Debug, Default)]
pub struct TopicState {
    pub records: HashMap<String, ClusterRecord>,
    pages: HashMap<(String, usize), Vec<Member>>,
}

impl TopicState {
    /// Takes one message of the cluster topic (later ones replace earlier
    /// ones of the same key).
    pub fn take(&mut self, payload: &[u8]) -> Result<(), ClusterError> {
        if super::record_tag(payload).as_deref() == Some(MEMBER_PAGE_TAG) {
            let page: MemberPage = serde_json::from_slice(payload)
                .map_err(|e| ClusterError::BadCluster(e.to_string()))?;
            self.pages
                .insert((page.cluster_id, page.page), page.members);
            return Ok(());
        }
        let record = super::decode_record(payload)?;
        self.records.insert(record.id.clone(), record);
        Ok(())
    }

    /// The records with all their members: a paged record gets the members
    /// of the pages it counts. A page it counts but that is missing (the
    /// pages go out before the record, so only a topic damaged by retention
    /// or by hand lacks one) is reported, and the record keeps the members
    /// that are there.
    pub fn into_records(self) -> (Vec<ClusterRecord>, Vec<String>) {
        let mut pages = self.pages;
        let mut missing = Vec::new();
        let records = self
            .records
            .into_values()
            .map(|mut record| {
                let Some(count) = record.member_pages else {
                    return record;
                };
                // The counted pages, and any page right after them: the
                // pages of the next state went out before its record, and
                // a crash in between leaves them (their members' reports
                // are replayed and change nothing).
                let mut members: Vec<Member> = Vec::new();
                let mut seen = std::collections::HashSet::new();
                let mut n = 0;
                loop {
                    match pages.remove(&(record.id.clone(), n)) {
                        Some(page) => members
                            .extend(page.into_iter().filter(|m| seen.insert(m.event_id.clone()))),
                        None if n < count => missing.push(page_key(&record.id, n)),
                        None => break,
                    }
                    n += 1;
                }
                for embedded in std::mem::take(&mut record.members) {
                    if seen.insert(embedded.event_id.clone()) {
                        members.push(embedded);
                    }
                }
                record.members = members;
                record.members_total = None;
                record.member_pages = None;
                record
            })
            .collect();
        (records, missing)
    }
}

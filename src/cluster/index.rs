//! The in-memory index of clusters: where a new report goes.
//!
//! Online: each report joins the best compatible cluster or starts a new
//! one; when it fits several clusters that also fit each other (it bridges
//! them: an early one-sided or undated report had started its own), they
//! are merged into the oldest, and the others become `merged_into`
//! tombstones, so that arrival order does not decide the clusters. A report
//! already a member (a replay after a crash) changes nothing, so
//! at-least-once input gives the same clusters.
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::input::{published_day, EventView};
use super::input::{ActorView, ArticleView, LocationView};
use super::matching::{self, Family, Level, Span};
use super::merge;
use super::record::{ClusterRecord, ClusterStatus, Member, CLUSTER_SCHEMA};
use super::Knowledge;
use crate::config::ClusterConfig;

#[derive(Debug)]
pub struct ClusterIndex {
    config: ClusterConfig,
    knowledge: Arc<Knowledge>,
    clusters: HashMap<String, ClusterRecord>,
    /// Block key -> cluster ids, in creation order.
    blocks: HashMap<String, Vec<String>>,
    /// `family|A,B` -> the (non-multilateral) clusters whose members name
    /// exactly those countries together, kept up to date as members join
    /// (a cluster started by a report naming one side moves to the set of
    /// both sides when a full report joins).
    clusters_of_set: HashMap<String, BTreeSet<String>>,
    /// `family|country` -> the set keys above that hold the country, with
    /// their sets: where a report naming one side, or one country too many,
    /// finds the sets it is compatible with.
    sets_of_country: HashMap<String, BTreeMap<String, BTreeSet<String>>>,
    /// Cluster id -> its set key above.
    set_of_cluster: HashMap<String, String>,
    /// Event id -> cluster id.
    member_of: HashMap<String, String>,
    /// Cluster id -> the union of its members' spans: a report whose span
    /// misses it cannot meet any member, so the cluster is passed over
    /// without looking at its members (blocks grow with time).
    reach: HashMap<String, Span>,
    /// Cluster id -> what matching needs of its members, kept up to date
    /// member by member so that a report is compared without rescanning a
    /// large cluster's members or the lookup tables.
    facts: HashMap<String, Facts>,
    /// Cluster id -> the tallies of its merged arguments.
    mergers: HashMap<String, merge::Merger>,
    /// Clusters absorbed by another one (a report bridged them): their last
    /// record with `merged_into` set, kept so that readers of an old id find
    /// where its members went.
    tombstones: HashMap<String, ClusterRecord>,
}

/// The matching-relevant summary of a cluster's members.
#[derive(Debug, Default)]
struct Facts {
    /// Level of the merged actors.
    level: Option<Level>,
    /// Distinct places the members name.
    places: Vec<LocationView>,
    /// Distinct spans of the members.
    spans: Vec<Span>,
    /// The countries its members name, together.
    countries: BTreeSet<String>,
    /// A visit: whether some member says where it goes (see
    /// [`matching::names_host`]).
    hosted: bool,
}

impl ClusterIndex {
    pub fn new(config: ClusterConfig, knowledge: Arc<Knowledge>) -> Self {
        Self {
            config,
            knowledge,
            clusters: HashMap::new(),
            blocks: HashMap::new(),
            clusters_of_set: HashMap::new(),
            sets_of_country: HashMap::new(),
            set_of_cluster: HashMap::new(),
            member_of: HashMap::new(),
            reach: HashMap::new(),
            facts: HashMap::new(),
            mergers: HashMap::new(),
            tombstones: HashMap::new(),
        }
    }

    /// Takes back a record read from the cluster topic at start-up. A later
    /// record for the same id replaces the earlier one. Use
    /// [`ClusterIndex::restore_all`] for a whole topic: records of different
    /// ids may be read in any order.
    pub fn restore(&mut self, record: ClusterRecord) {
        self.forget(&record.id);
        if record.merged_into.is_some() {
            self.tombstones.insert(record.id.clone(), record);
            return;
        }
        self.tombstones.remove(&record.id);
        let id = record.id.clone();
        for member in &record.members {
            self.member_of.insert(member.event_id.clone(), id.clone());
        }
        self.file_in_block(&record.block_key, &id);
        self.clusters.insert(id.clone(), record);
        self.refresh_cluster(&id);
    }

    /// Rebuilds the index from the latest record of every id (the state of
    /// a compacted cluster topic), whatever order they come in, and repairs
    /// what a crash between the two sends of a merge left behind: a cluster
    /// whose members all moved to an older one (its tombstone was not
    /// written) becomes a tombstone; members of a tombstone found in no live
    /// cluster (the survivor's new state was not written) go to the
    /// survivor. Returns the records changed by the repairs, to publish.
    pub fn restore_all(
        &mut self,
        records: impl IntoIterator<Item = ClusterRecord>,
    ) -> Vec<ClusterRecord> {
        let mut live = Vec::new();
        let mut dead = Vec::new();
        for record in records {
            if record.merged_into.is_some() {
                dead.push(record);
            } else {
                live.push(record);
            }
        }
        dead.sort_by(|a, b| a.id.cmp(&b.id));
        // Oldest first: a report held twice stays with the older cluster.
        live.sort_by_key(|r| {
            let first = r.first_seen.as_deref().and_then(utc);
            (first.is_none(), first, r.id.clone())
        });
        let mut repaired: BTreeSet<String> = BTreeSet::new();
        for mut record in live {
            let held: Vec<String> = record
                .members
                .iter()
                .filter_map(|m| self.member_of.get(&m.event_id).cloned())
                .collect();
            if !held.is_empty() && held.len() == record.members.len() {
                record.merged_into = Some(held[0].clone());
                repaired.insert(record.id.clone());
                self.tombstones.insert(record.id.clone(), record);
                continue;
            }
            if !held.is_empty() {
                record
                    .members
                    .retain(|m| !self.member_of.contains_key(&m.event_id));
                repaired.insert(record.id.clone());
            }
            self.restore(record);
        }
        for tombstone in dead {
            let orphans: Vec<Member> = tombstone
                .members
                .iter()
                .filter(|m| !self.member_of.contains_key(&m.event_id))
                .cloned()
                .collect();
            let id = tombstone.id.clone();
            let target = tombstone.merged_into.clone();
            self.tombstones.insert(id, tombstone);
            let Some(survivor) = target.and_then(|t| self.live_successor(&t)) else {
                continue;
            };
            if orphans.is_empty() {
                continue;
            }
            for member in &orphans {
                self.member_of
                    .insert(member.event_id.clone(), survivor.clone());
            }
            if let Some(record) = self.clusters.get_mut(&survivor) {
                record.members.extend(orphans);
            }
            self.refresh_cluster(&survivor);
            repaired.insert(survivor);
        }
        repaired
            .iter()
            .filter_map(|id| self.clusters.get(id).or_else(|| self.tombstones.get(id)))
            .cloned()
            .collect()
    }

    /// The live cluster an id ends at, following `merged_into`.
    fn live_successor(&self, id: &str) -> Option<String> {
        let mut current = id.to_string();
        for _ in 0..=self.tombstones.len() {
            if self.clusters.contains_key(&current) {
                return Some(current);
            }
            current = self.tombstones.get(&current)?.merged_into.clone()?;
        }
        None
    }

    /// Drops a live cluster (and the members that point at it) before its
    /// newer record is restored.
    fn forget(&mut self, id: &str) {
        self.unfile_countries(id);
        let Some(old) = self.clusters.remove(id) else {
            return;
        };
        for member in &old.members {
            if self.member_of.get(&member.event_id).map(String::as_str) == Some(id) {
                self.member_of.remove(&member.event_id);
            }
        }
        if let Some(ids) = self.blocks.get_mut(&old.block_key) {
            ids.retain(|other| other != id);
        }
        self.reach.remove(id);
        self.facts.remove(id);
        self.mergers.remove(id);
    }

    /// Adds one member's place and span to its cluster's facts.
    fn note_member(&self, facts: &mut Facts, member: &Member, span: Option<Span>) {
        if let Some(place) = &member.args.location {
            if !facts.places.contains(place) {
                facts.places.push(place.clone());
            }
        }
        if let Some(span) = span {
            if !facts.spans.contains(&span) {
                facts.spans.push(span);
            }
        }
        facts
            .countries
            .extend(matching::countries(&member.event_type, &member.args));
        facts.hosted |= matching::names_host(&member.args);
    }

    fn member_span(&self, member: &Member) -> Option<Span> {
        self.span_of(
            &member.event_type,
            &member.status,
            &member.args,
            published_day(member.published.as_deref()),
        )
    }

    fn extend_reach(&mut self, id: &str, span: Option<Span>) {
        let Some(span) = span else { return };
        self.reach
            .entry(id.to_string())
            .and_modify(|r| {
                r.start = r.start.min(span.start);
                r.end = r.end.max(span.end);
            })
            .or_insert(span);
    }

    /// Adds one report; returns every cluster record that changed (the one
    /// it joined or started, and clusters whose links changed), in a stable
    /// order. Borrowed, not copied: a large cluster's record is only read
    /// (to be published), never duplicated, on each report.
    pub fn add(&mut self, mut event: EventView) -> Vec<&ClusterRecord> {
        if self.member_of.contains_key(&event.id) {
            return Vec::new();
        }
        self.knowledge.normalize(&mut event);
        let key = matching::block_key(&event);
        let ranked = self.compatible_clusters(&key, &event);
        let target = match ranked.first() {
            Some(id) => id.clone(),
            None => self.start_cluster(&key, &event),
        };
        let member = to_member(&event);
        let span = self.member_span(&member);
        self.extend_reach(&target, span);
        let mut facts = self.facts.remove(&target).unwrap_or_default();
        self.note_member(&mut facts, &member, span);
        self.member_of.insert(event.id.clone(), target.clone());
        let record = self.clusters.get_mut(&target).expect("cluster just found");
        self.mergers
            .entry(target.clone())
            .or_default()
            .add(record, member);
        facts.level = matching::level(&self.knowledge.gazetteer, &record.actors);
        self.facts.insert(target.clone(), facts);
        self.file_countries(&target);
        let mut changed = vec![target.clone()];
        let (survivor, absorbed) = self.absorb_bridged(target, ranked.into_iter().skip(1));
        changed.push(survivor.clone());
        changed.extend(absorbed.iter().cloned());
        for gone in &absorbed {
            changed.extend(self.redirect_links(gone, &survivor));
        }
        changed.extend(self.relink(&survivor));
        changed.sort();
        changed.dedup();
        changed
            .iter()
            .filter_map(|id| self.clusters.get(id).or_else(|| self.tombstones.get(id)))
            .collect()
    }

    /// After a report joined `target`: every other cluster it was also
    /// compatible with (`others`, best first) that agrees with the target as
    /// a whole is merged with it. The report bridged them: an early
    /// one-sided or undated report started a cluster that the full reports
    /// could not join, or two partial reports each started one. The older
    /// cluster (earliest first report, then smaller id) keeps its id; the
    /// other becomes a tombstone. Returns the survivor and the absorbed ids.
    fn absorb_bridged(
        &mut self,
        target: String,
        others: impl Iterator<Item = String>,
    ) -> (String, Vec<String>) {
        let mut survivor = target;
        let mut absorbed = Vec::new();
        if !self.config.merge_bridged {
            return (survivor, absorbed);
        }
        for other in others {
            if other == survivor || !self.clusters.contains_key(&other) {
                continue;
            }
            if !self.clusters_agree(&survivor, &other) {
                continue;
            }
            let (keep, gone) = if self.is_older(&other, &survivor) {
                (other, survivor)
            } else {
                (survivor, other)
            };
            self.merge_into(&gone, &keep);
            absorbed.push(gone);
            survivor = keep;
        }
        (survivor, absorbed)
    }

    /// Whether two clusters can be one event: every member of the smaller
    /// one passes the checks a new report passes against the larger, and
    /// their levels agree. Keeps apart what a single report cannot tell
    /// apart (a report naming only Xi may fit his visits to France and to
    /// Serbia; the two clusters stay two).
    fn clusters_agree(&self, a: &str, b: &str) -> bool {
        let (Some(ra), Some(rb)) = (self.clusters.get(a), self.clusters.get(b)) else {
            return false;
        };
        if Family::of(&ra.event_type) != Family::of(&rb.event_type) {
            return false;
        }
        let level = |id: &str| self.facts.get(id).and_then(|f| f.level);
        if let (Some(x), Some(y)) = (level(a), level(b)) {
            if x != y {
                return false;
            }
        }
        let (small, large) = if ra.members.len() <= rb.members.len() {
            (ra, rb)
        } else {
            (rb, ra)
        };
        small.members.iter().all(|member| {
            let view = member_view(member);
            let key = matching::block_key(&view);
            let facts = self.event_facts(&key, &view);
            self.agreement(large, &view, &facts).is_some()
        })
    }

    /// Earlier first report, then smaller id: the id that survives a merge.
    fn is_older(&self, a: &str, b: &str) -> bool {
        let first = |id: &str| {
            self.clusters
                .get(id)
                .and_then(|r| r.first_seen.as_deref().and_then(utc))
        };
        // A cluster without any publication time counts as newest.
        let rank = |id: &str| (first(id).is_none(), first(id), id.to_string());
        rank(a) < rank(b)
    }

    /// Moves every member of `gone` into `keep` and leaves a tombstone.
    fn merge_into(&mut self, gone: &str, keep: &str) {
        self.unfile_countries(gone);
        let Some(gone_record) = self.clusters.remove(gone) else {
            return;
        };
        if let Some(ids) = self.blocks.get_mut(&gone_record.block_key) {
            ids.retain(|id| id != gone);
        }
        self.facts.remove(gone);
        self.reach.remove(gone);
        self.mergers.remove(gone);
        let record = self.clusters.get_mut(keep).expect("survivor is live");
        record.members.extend(gone_record.members.iter().cloned());
        for member in &gone_record.members {
            self.member_of
                .insert(member.event_id.clone(), keep.to_string());
        }
        self.refresh_cluster(keep);
        let mut tombstone = gone_record;
        tombstone.merged_into = Some(keep.to_string());
        self.tombstones.insert(gone.to_string(), tombstone);
    }

    /// Recomputes a live cluster's merged fields, tallies, facts and reach
    /// from its members.
    fn refresh_cluster(&mut self, id: &str) {
        self.unfile_countries(id);
        let Some(mut record) = self.clusters.remove(id) else {
            return;
        };
        self.reach.remove(id);
        let merger = merge::refresh(&mut record);
        let mut facts = Facts::default();
        for member in &record.members {
            let span = self.member_span(member);
            self.extend_reach(id, span);
            self.note_member(&mut facts, member, span);
        }
        facts.level = matching::level(&self.knowledge.gazetteer, &record.actors);
        self.facts.insert(id.to_string(), facts);
        self.mergers.insert(id.to_string(), merger);
        self.clusters.insert(id.to_string(), record);
        self.file_countries(id);
    }

    /// Links that pointed at an absorbed cluster now point at its survivor;
    /// returns the ids whose links changed.
    fn redirect_links(&mut self, gone: &str, keep: &str) -> Vec<String> {
        let partners = self
            .tombstones
            .get(gone)
            .map(|t| t.linked_to.clone())
            .unwrap_or_default();
        let mut changed = Vec::new();
        for partner in partners {
            if partner == keep {
                continue;
            }
            if let Some(record) = self.clusters.get_mut(&partner) {
                record.linked_to.retain(|l| l != gone);
            }
            link(&mut self.clusters, keep, &partner);
            changed.push(partner);
        }
        if let Some(record) = self.clusters.get_mut(keep) {
            record.linked_to.retain(|l| l != gone);
        }
        changed
    }

    /// Every cluster, ordered by first report then id.
    pub fn clusters(&self) -> Vec<&ClusterRecord> {
        let mut all: Vec<&ClusterRecord> = self.clusters.values().collect();
        all.sort_by(|a, b| (&a.first_seen, &a.id).cmp(&(&b.first_seen, &b.id)));
        all
    }

    /// The cluster a report joined.
    pub fn cluster_of(&self, event_id: &str) -> Option<&str> {
        self.member_of.get(event_id).map(String::as_str)
    }

    pub fn get(&self, cluster_id: &str) -> Option<&ClusterRecord> {
        self.clusters.get(cluster_id)
    }

    /// The countries a live cluster's members name together (kept up to
    /// date member by member).
    pub fn countries_of(&self, cluster_id: &str) -> Option<&BTreeSet<String>> {
        self.facts.get(cluster_id).map(|f| &f.countries)
    }

    /// The tombstone of a cluster merged into another (`merged_into`).
    pub fn tombstone(&self, cluster_id: &str) -> Option<&ClusterRecord> {
        self.tombstones.get(cluster_id)
    }

    pub fn len(&self) -> usize {
        self.clusters.len()
    }

    pub fn is_empty(&self) -> bool {
        self.clusters.is_empty()
    }

    fn start_cluster(&mut self, key: &str, event: &EventView) -> String {
        let id = cluster_id(&event.id);
        let family = Family::of(&event.event_type);
        let event_type = match family {
            Family::Visit => "state_visit_announced".to_string(),
            _ => event.event_type.clone(),
        };
        let record = ClusterRecord {
            schema: CLUSTER_SCHEMA.to_string(),
            id: id.clone(),
            event_type,
            block_key: key.to_string(),
            status: ClusterStatus::Occurred,
            status_history: Vec::new(),
            actors: Vec::new(),
            location: None,
            start_date: None,
            end_date: None,
            date_text: None,
            mode: None,
            visit_level: None,
            participants: None,
            countries: None,
            num_sources: 0,
            first_seen: None,
            last_seen: None,
            linked_to: Vec::new(),
            members: Vec::new(),
            members_total: None,
            member_pages: None,
            merged_into: None,
        };
        self.clusters.insert(id.clone(), record);
        self.file_in_block(key, &id);
        id
    }

    /// Puts a cluster in its block.
    fn file_in_block(&mut self, key: &str, id: &str) {
        self.blocks
            .entry(key.to_string())
            .or_default()
            .push(id.to_string());
    }

    /// Files a bilateral cluster under the set of countries its members
    /// name together.
    fn file_countries(&mut self, id: &str) {
        let (Some(record), Some(facts)) = (self.clusters.get(id), self.facts.get(id)) else {
            return;
        };
        let Some((family, _)) = block_countries(&record.block_key) else {
            return;
        };
        let list: Vec<&str> = facts.countries.iter().map(String::as_str).collect();
        let set_key = format!("{family}|{}", list.join(","));
        for country in &facts.countries {
            self.sets_of_country
                .entry(format!("{family}|{country}"))
                .or_default()
                .entry(set_key.clone())
                .or_insert_with(|| facts.countries.clone());
        }
        self.clusters_of_set
            .entry(set_key.clone())
            .or_default()
            .insert(id.to_string());
        self.set_of_cluster.insert(id.to_string(), set_key);
    }

    /// Undoes [`Self::file_countries`].
    fn unfile_countries(&mut self, id: &str) {
        if let Some(set_key) = self.set_of_cluster.remove(id) {
            if let Some(ids) = self.clusters_of_set.get_mut(&set_key) {
                ids.remove(id);
            }
        }
    }

    /// The clusters of the bilateral sets of `family` that are compatible
    /// with `countries` (one holds the other), sorted.
    fn clusters_compatible_with<'a>(
        &'a self,
        family: &str,
        countries: &BTreeSet<String>,
    ) -> Vec<&'a String> {
        let mut sets: Vec<&String> = countries
            .iter()
            .filter_map(|c| self.sets_of_country.get(&format!("{family}|{c}")))
            .flatten()
            .filter(|(_, theirs)| matching::countries_compatible(countries, theirs))
            .map(|(key, _)| key)
            .collect();
        sets.sort();
        sets.dedup();
        let mut ids: Vec<&String> = sets
            .into_iter()
            .filter_map(|k| self.clusters_of_set.get(k))
            .flatten()
            .collect();
        ids.sort();
        ids
    }

    /// The clusters a report of block `key` may join: those of its own
    /// (multilateral) block, or for a bilateral report every bilateral
    /// cluster of its family whose members' countries hold its set or are
    /// held by it.
    fn candidates<'a>(&'a self, key: &str) -> Vec<&'a String> {
        let Some((family, countries)) = block_countries(key) else {
            return self.blocks.get(key).into_iter().flatten().collect();
        };
        self.clusters_compatible_with(family, &countries)
    }

    /// What matching needs of a report of block `key`.
    fn event_facts<'a>(&self, key: &str, event: &'a EventView) -> EventFacts<'a> {
        EventFacts {
            countries: block_countries(key).map(|(_, countries)| countries),
            level: matching::level(&self.knowledge.gazetteer, &event.args.actors),
            place: event.args.location.as_ref(),
            span: self.span_of(
                &event.event_type,
                &event.status,
                &event.args,
                event.published_day(),
            ),
        }
    }

    /// Days two reports' dates may lie apart, by family.
    fn tolerance(&self, event_type: &str) -> i64 {
        match Family::of(event_type) {
            Family::Visit => self.config.visit_date_tolerance_days,
            _ => self.config.date_tolerance_days,
        }
    }

    /// Every cluster the report could join, the one that agrees best first
    /// (ties: smaller id).
    fn compatible_clusters(&self, key: &str, event: &EventView) -> Vec<String> {
        let mine = self.event_facts(key, event);
        let tolerance = self.tolerance(&event.event_type);
        let mut found: Vec<(u32, &String)> = self
            .candidates(key)
            .into_iter()
            .filter(|id| match (mine.span, self.reach.get(*id)) {
                (Some(span), Some(reach)) => reach.overlaps(&span, tolerance),
                _ => true,
            })
            .filter_map(|id| self.clusters.get(id))
            .filter_map(|cluster| {
                self.agreement(cluster, event, &mine)
                    .map(|score| (score, &cluster.id))
            })
            .collect();
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        found.dedup_by(|a, b| a.1 == b.1);
        found.into_iter().map(|(_, id)| id.clone()).collect()
    }

    /// None when the report cannot be the cluster's event; else how many of
    /// its arguments agree (exact dates, place, named persons).
    fn agreement(
        &self,
        cluster: &ClusterRecord,
        event: &EventView,
        mine: &EventFacts<'_>,
    ) -> Option<u32> {
        let args = &event.args;
        let empty = Facts::default();
        let facts = self.facts.get(&cluster.id).unwrap_or(&empty);
        if Family::of(&event.event_type) == Family::Visit {
            let roles_agree = |roles: &[&str]| {
                let mine = matching::role_countries(&args.actors, roles);
                let theirs = matching::role_countries(&cluster.actors, roles);
                mine.is_empty() || theirs.is_empty() || !mine.is_disjoint(&theirs)
            };
            if !roles_agree(&["visitor"]) || !roles_agree(&["host", "inviter"]) {
                return None;
            }
            // A visit told without where it goes ("Modi leaves on a
            // trip") fits any of the visitor's stops; only exact dates that
            // meet tie it to one that says where. Undated, it would go to
            // whichever stop came first, the other stop's reports then kept
            // out: arrival order would decide.
            if matching::names_host(args) != facts.hosted && !facts.spans.is_empty() {
                let tolerance = self.tolerance(&event.event_type);
                let exact_meet = mine.span.is_some_and(|span| {
                    span.exact
                        && facts
                            .spans
                            .iter()
                            .any(|s| s.exact && s.overlaps(&span, tolerance))
                });
                if !exact_meet {
                    return None;
                }
            }
        }
        if let Some(countries) = &mine.countries {
            if !matching::countries_compatible(countries, &facts.countries) {
                return None;
            }
        }
        if let (Some(a), Some(b)) = (mine.level, facts.level) {
            if a != b {
                return None;
            }
        }
        if persons_conflict(&args.actors, &cluster.actors) {
            return None;
        }
        if let Some(countries) = &mine.countries {
            if other_party_unmatched(&args.actors, countries, &cluster.actors, &facts.countries) {
                return None;
            }
        }
        if let Some(place) = mine.place {
            if !facts
                .places
                .iter()
                .all(|other| matching::places_compatible(place, other))
            {
                return None;
            }
        }
        let mut score = 0;
        if let Some(span) = mine.span {
            let member_spans = &facts.spans;
            let tolerance = self.tolerance(&event.event_type);
            // Exact dates on both sides must agree; a window must meet at
            // least one member's days.
            let exact_conflict = span.exact
                && member_spans
                    .iter()
                    .any(|s| s.exact && !s.overlaps(&span, tolerance));
            let meets_one = member_spans.is_empty()
                || member_spans.iter().any(|s| s.overlaps(&span, tolerance));
            if exact_conflict || !meets_one {
                return None;
            }
            if span.exact && member_spans.iter().any(|s| s.exact) {
                score += 2;
            }
        }
        if let (Some(a), Some(b)) = (&args.location, &cluster.location) {
            if a.name.eq_ignore_ascii_case(&b.name) {
                score += 1;
            }
        }
        let named = |a: &ActorView| a.kind == "person";
        if args
            .actors
            .iter()
            .filter(|a| named(a))
            .any(|a| cluster.actors.iter().any(|b| named(b) && same_person(a, b)))
        {
            score += 1;
        }
        Some(score)
    }

    fn span_of(
        &self,
        event_type: &str,
        status: &str,
        args: &super::input::EventArgs,
        published: Option<chrono::NaiveDate>,
    ) -> Option<Span> {
        matching::span(event_type, status, args, published, &self.config)
    }

    /// Links a cluster with the clusters of the other family (visit <->
    /// talks) whose days meet and whose members' countries hold, or are
    /// held by, its own with both sides in common (a report naming one side
    /// links nothing); returns the ids whose links changed.
    fn relink(&mut self, id: &str) -> Vec<String> {
        let (Some(cluster), Some(facts)) = (self.clusters.get(id), self.facts.get(id)) else {
            return Vec::new();
        };
        let Some((family, _)) = block_countries(&cluster.block_key) else {
            return Vec::new();
        };
        let other_family = match family {
            "visit" => "dialogue",
            "dialogue" => "visit",
            _ => return Vec::new(),
        };
        let mine = &facts.countries;
        let my_span = self.cluster_span(cluster);
        let mut partners: Vec<String> = self
            .clusters_compatible_with(other_family, mine)
            .into_iter()
            .filter(|other| {
                let (Some(record), Some(theirs)) = (
                    self.clusters.get(*other),
                    self.facts.get(*other).map(|f| &f.countries),
                ) else {
                    return false;
                };
                record.status != ClusterStatus::Cancelled
                    && cluster.status != ClusterStatus::Cancelled
                    && matching::countries_compatible(mine, theirs)
                    && mine.intersection(theirs).count() >= 2
                    && match (my_span, self.cluster_span(record)) {
                        // A visit's talks fall within the visit's days.
                        (Some(a), Some(b)) => a.overlaps(&b, self.config.date_tolerance_days),
                        _ => false,
                    }
            })
            .cloned()
            .collect();
        partners.sort();
        partners.dedup();
        let mut changed = Vec::new();
        for partner in partners {
            if link(&mut self.clusters, id, &partner) {
                changed.push(partner.clone());
                changed.push(id.to_string());
            }
        }
        changed
    }

    /// The cluster's days: its merged dates if exact, else the window of its
    /// earliest report.
    fn cluster_span(&self, cluster: &ClusterRecord) -> Option<Span> {
        if let Some(start) = cluster.start_date {
            let end = cluster.end_date.unwrap_or(start).max(start);
            return Some(Span {
                start,
                end,
                exact: true,
            });
        }
        cluster.members.iter().find_map(|m| {
            self.span_of(
                &m.event_type,
                &m.status,
                &m.args,
                published_day(m.published.as_deref()),
            )
        })
    }
}

/// What matching needs of the report being placed, computed once.
struct EventFacts<'a> {
    /// The report's countries when its block is bilateral: they must hold,
    /// or be held by, the countries of the cluster's members together (a
    /// cluster started by a report naming only Xi, then joined by reports
    /// of his visit to France, no longer takes his visit to Serbia).
    countries: Option<BTreeSet<String>>,
    level: Option<Level>,
    place: Option<&'a LocationView>,
    span: Option<Span>,
}

fn link(clusters: &mut HashMap<String, ClusterRecord>, a: &str, b: &str) -> bool {
    let mut changed = false;
    for (from, to) in [(a, b), (b, a)] {
        if let Some(record) = clusters.get_mut(from) {
            if !record.linked_to.iter().any(|l| l == to) {
                record.linked_to.push(to.to_string());
                record.linked_to.sort();
                changed = true;
            }
        }
    }
    changed
}

fn last_word(name: &str) -> &str {
    name.split_whitespace().last().unwrap_or(name)
}

/// One person under two name forms: the same Wikidata id when both were
/// resolved, else the same surname.
fn same_person(a: &ActorView, b: &ActorView) -> bool {
    match (&a.wikidata, &b.wikidata) {
        (Some(x), Some(y)) => x == y,
        _ => b.name.ends_with(last_word(&a.name)),
    }
}

/// Whether a report names, for some country, only persons that the
/// cluster's members never name for it while they name others: the visiting
/// minister's talks with the treasury secretary and with the vice president
/// on one trip, or two calls of one leader the same day, are two events.
/// Persons without a country, and countries one side names no person of,
/// say nothing.
fn persons_conflict(mine: &[ActorView], theirs: &[ActorView]) -> bool {
    let persons_of = |actors: &'_ [ActorView], country: &str| -> Vec<ActorView> {
        actors
            .iter()
            .filter(|a| a.kind == "person" && a.country.as_deref() == Some(country))
            .cloned()
            .collect()
    };
    let countries: BTreeSet<&str> = mine
        .iter()
        .filter(|a| a.kind == "person")
        .filter_map(|a| a.country.as_deref())
        .collect();
    countries.into_iter().any(|country| {
        let (ours, others) = (persons_of(mine, country), persons_of(theirs, country));
        !others.is_empty()
            && !ours
                .iter()
                .any(|a| others.iter().any(|b| may_be_same_person(a, b)))
    })
}

/// Whether the side naming fewer countries names a person of unknown
/// country (an envoy of an organisation, a religious leader) whom the other
/// side does not name: that person is its other party, so it is not a report
/// naming one side of the other's event (Clinton with King Hussein, Clinton
/// with the Dalai Lama).
fn other_party_unmatched(
    mine: &[ActorView],
    my_countries: &BTreeSet<String>,
    theirs: &[ActorView],
    their_countries: &BTreeSet<String>,
) -> bool {
    let unmatched = |narrow: &[ActorView], wide: &[ActorView]| {
        narrow
            .iter()
            .filter(|a| a.kind == "person" && a.country.is_none())
            .any(|a| !wide.iter().any(|b| may_be_same_person(a, b)))
    };
    if my_countries.len() < their_countries.len() {
        unmatched(mine, theirs)
    } else if their_countries.len() < my_countries.len() {
        unmatched(theirs, mine)
    } else {
        false
    }
}

/// Looser than [`same_person`], as a conflict must be certain: two
/// resolved persons are one only under one Wikidata id; otherwise one name's
/// last word is any word of the other's ("Yeol", "Yoon Suk-yeol", "Kim
/// Jong Un"), in any case, hyphens splitting words.
fn may_be_same_person(a: &ActorView, b: &ActorView) -> bool {
    if let (Some(x), Some(y)) = (&a.wikidata, &b.wikidata) {
        return x == y;
    }
    let words = |name: &str| -> Vec<String> {
        name.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (wa, wb) = (words(&a.name), words(&b.name));
    let last_in = |last: Option<&String>, all: &[String]| last.is_some_and(|l| all.contains(l));
    last_in(wa.last(), &wb) || last_in(wb.last(), &wa)
}

/// The family and country set of a bilateral block key (`visit|CHN,FRA`);
/// None for a multilateral block and for a report without countries.
fn block_countries(key: &str) -> Option<(&str, BTreeSet<String>)> {
    let (family, rest) = key.split_once('|')?;
    if rest.is_empty() || rest.starts_with("multi|") {
        return None;
    }
    Some((family, rest.split(',').map(str::to_string).collect()))
}

/// Stable for the cluster's life: the hash of the event that started it.
pub fn cluster_id(first_event_id: &str) -> String {
    let digest = Sha256::digest(first_event_id.as_bytes());
    format!("cl-{}", &hex::encode(digest)[..24])
}

/// A member seen again as the report it was, for matching.
pub(crate) fn member_view(member: &Member) -> EventView {
    EventView {
        id: member.event_id.clone(),
        event_type: member.event_type.clone(),
        status: member.status.clone(),
        args: member.args.clone(),
        article: ArticleView {
            source_url: member.source_url.clone(),
            canonical_url: None,
            published: member.published.clone(),
        },
    }
}

/// A publication time as an instant (RFC 3339), or midnight UTC of a bare
/// date: outlets in different time zones compare by the instant.
pub(crate) fn utc(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok()
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })
}

pub(crate) fn to_member(event: &EventView) -> Member {
    Member {
        event_id: event.id.clone(),
        event_type: event.event_type.clone(),
        source_url: event.url().to_string(),
        outlet: outlet(event.url()),
        published: event.article.published.clone(),
        status: event.status.clone(),
        args: event.args.clone(),
    }
}

/// The registrable domain of a URL ("https://www.bbc.co.uk/news/x" ->
/// "bbc.co.uk"), by the public suffix list; the host itself when the list
/// has no answer.
pub fn outlet(url: &str) -> String {
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_lowercase))
        .unwrap_or_default();
    psl::domain_str(&host).unwrap_or(&host).to_string()
}

#[cfg(test)]
mod person_rule_tests {
    use super::*;

    fn person(name: &str, country: Option<&str>) -> ActorView {
        ActorView {
            name: name.into(),
            role: "participant".into(),
            kind: "person".into(),
            title: None,
            country: country.map(str::to_string),
            wikidata: None,
            office: None,
        }
    }

    fn set(countries: &[&str]) -> BTreeSet<String> {
        countries.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn a_visitor_meeting_another_official_of_the_host_is_another_event() {
        let with_treasury = [
            person("Ann Visitor", Some("AAA")),
            person("Tom Treasurer", Some("BBB")),
        ];
        let with_deputy = [
            person("Visitor", Some("AAA")),
            person("Dora Deputy", Some("BBB")),
        ];
        assert!(persons_conflict(&with_deputy, &with_treasury));
    }

    #[test]
    fn name_forms_and_unnamed_sides_are_no_conflict() {
        let full = [
            person("Lee Min-ho", Some("AAA")),
            person("Jon Smith", Some("BBB")),
        ];
        let short = [person("Min-ho", Some("AAA"))];
        let hyphen_case = [person("Ho", Some("AAA")), person("SMITH", Some("BBB"))];
        assert!(!persons_conflict(&short, &full));
        assert!(!persons_conflict(&hyphen_case, &full));
        let mut resolved = person("Lee", Some("AAA"));
        resolved.wikidata = Some("Q1".into());
        let mut other = person("Lee", Some("AAA"));
        other.wikidata = Some("Q2".into());
        assert!(persons_conflict(&[resolved], &[other]));
    }

    #[test]
    fn a_report_whose_other_party_has_no_country_is_not_one_side_of_another_event() {
        let with_king = [
            person("Host Leader", Some("AAA")),
            person("King Kay", Some("BBB")),
        ];
        let with_sage = [
            person("Host Leader", Some("AAA")),
            person("Wandering Sage", None),
        ];
        assert!(other_party_unmatched(
            &with_sage,
            &set(&["AAA"]),
            &with_king,
            &set(&["AAA", "BBB"])
        ));
        assert!(other_party_unmatched(
            &with_king,
            &set(&["AAA", "BBB"]),
            &with_sage,
            &set(&["AAA"])
        ));
        // A report naming both without countries (the extractor missed them)
        // still fits the report that has them.
        let uncountried = [person("Leader", None), person("Kay", None)];
        assert!(!other_party_unmatched(
            &uncountried,
            &set(&[]),
            &with_king,
            &set(&["AAA", "BBB"])
        ));
    }
}

//! The in-memory index of clusters: where a new report goes.
//!
//! Online and greedy: each report joins the best compatible cluster of its
//! block or starts a new one. A report already a member (a replay after a
//! crash) changes nothing, so at-least-once input gives the same clusters.
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::input::{published_day, EventView};
use super::input::{ActorView, LocationView};
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
    /// `family|country` -> the (non-multilateral) block keys whose country
    /// set holds that country: where a report naming one side, or one
    /// country too many, finds the blocks of the sets it is compatible with.
    blocks_of_country: HashMap<String, Vec<String>>,
    /// Block key -> its country set, parsed once.
    block_sets: HashMap<String, BTreeSet<String>>,
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
}

/// The matching-relevant summary of a cluster's members.
#[derive(Debug, Default)]
struct Facts {
    /// Level of the merged actors.
    level: Option<Level>,
    /// Distinct places the members name, each with whether it is a whole
    /// country.
    places: Vec<(LocationView, bool)>,
    /// Distinct spans of the members.
    spans: Vec<Span>,
    /// The countries its members name, together.
    countries: BTreeSet<String>,
}

impl ClusterIndex {
    pub fn new(config: ClusterConfig, knowledge: Arc<Knowledge>) -> Self {
        Self {
            config,
            knowledge,
            clusters: HashMap::new(),
            blocks: HashMap::new(),
            blocks_of_country: HashMap::new(),
            block_sets: HashMap::new(),
            member_of: HashMap::new(),
            reach: HashMap::new(),
            facts: HashMap::new(),
            mergers: HashMap::new(),
        }
    }

    /// Takes back a record read from the cluster topic at start-up. A later
    /// record for the same id replaces the earlier one.
    pub fn restore(&mut self, mut record: ClusterRecord) {
        if let Some(old) = self.clusters.remove(&record.id) {
            for member in &old.members {
                self.member_of.remove(&member.event_id);
            }
        } else {
            self.file_in_block(&record.block_key, &record.id);
        }
        self.reach.remove(&record.id);
        let mut facts = Facts::default();
        for member in &record.members {
            self.member_of
                .insert(member.event_id.clone(), record.id.clone());
            let span = self.member_span(member);
            self.extend_reach(&record.id, span);
            self.note_member(&mut facts, member, span);
        }
        let merger = merge::refresh(&mut record);
        facts.level = matching::level(&self.knowledge.gazetteer, &record.actors);
        self.facts.insert(record.id.clone(), facts);
        self.mergers.insert(record.id.clone(), merger);
        self.clusters.insert(record.id.clone(), record);
    }

    /// Adds one member's place and span to its cluster's facts.
    fn note_member(&self, facts: &mut Facts, member: &Member, span: Option<Span>) {
        if let Some(place) = &member.args.location {
            if !facts.places.iter().any(|(p, _)| p == place) {
                let is_country = matching::is_country_level(&self.knowledge.gazetteer, place);
                facts.places.push((place.clone(), is_country));
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
        let target = match self.best_cluster(&key, &event) {
            Some(id) => id,
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
        let mut changed = vec![target.clone()];
        changed.extend(self.relink(&target));
        changed.sort();
        changed.dedup();
        changed
            .iter()
            .filter_map(|id| self.clusters.get(id))
            .collect()
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
        };
        self.clusters.insert(id.clone(), record);
        self.file_in_block(key, &id);
        id
    }

    /// Puts a cluster in its block; a new block is also filed under each of
    /// its countries.
    fn file_in_block(&mut self, key: &str, id: &str) {
        let ids = self.blocks.entry(key.to_string()).or_default();
        if ids.is_empty() {
            if let Some((family, countries)) = block_countries(key) {
                for country in &countries {
                    self.blocks_of_country
                        .entry(format!("{family}|{country}"))
                        .or_default()
                        .push(key.to_string());
                }
                self.block_sets.insert(key.to_string(), countries);
            }
        }
        ids.push(id.to_string());
    }

    /// The clusters a report of block `key` may join: those of its own
    /// block, and for a bilateral report those of every block whose country
    /// set holds the report's or is held by it.
    fn candidates<'a>(&'a self, key: &str) -> Vec<&'a String> {
        let Some((family, countries)) = block_countries(key) else {
            return self.blocks.get(key).into_iter().flatten().collect();
        };
        let mut keys: Vec<&String> = countries
            .iter()
            .filter_map(|c| self.blocks_of_country.get(&format!("{family}|{c}")))
            .flatten()
            .filter(|other| {
                self.block_sets
                    .get(*other)
                    .is_some_and(|theirs| matching::countries_compatible(&countries, theirs))
            })
            .collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .filter_map(|k| self.blocks.get(k))
            .flatten()
            .collect()
    }

    /// The compatible cluster of the block that agrees best with the report.
    fn best_cluster(&self, key: &str, event: &EventView) -> Option<String> {
        let ids = self.candidates(key);
        let span = self.span_of(
            &event.event_type,
            &event.status,
            &event.args,
            event.published_day(),
        );
        let tolerance = self.config.date_tolerance_days;
        let mine = EventFacts {
            countries: block_countries(key).map(|(_, countries)| countries),
            level: matching::level(&self.knowledge.gazetteer, &event.args.actors),
            place: event
                .args
                .location
                .as_ref()
                .map(|p| (p, matching::is_country_level(&self.knowledge.gazetteer, p))),
            span,
        };
        ids.into_iter()
            .filter(|id| match (span, self.reach.get(*id)) {
                (Some(span), Some(reach)) => reach.overlaps(&span, tolerance),
                _ => true,
            })
            .filter_map(|id| self.clusters.get(id))
            .filter_map(|cluster| {
                self.agreement(cluster, event, &mine)
                    .map(|score| (score, cluster))
            })
            .max_by_key(|(score, cluster)| (*score, std::cmp::Reverse(cluster.id.clone())))
            .map(|(_, cluster)| cluster.id.clone())
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
        if let Some(place) = mine.place {
            if !facts
                .places
                .iter()
                .all(|(other, is_country)| matching::places_compatible(place, (other, *is_country)))
            {
                return None;
            }
        }
        let mut score = 0;
        if let Some(span) = mine.span {
            let member_spans = &facts.spans;
            let tolerance = self.config.date_tolerance_days;
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
    /// talks) between the same countries whose days meet; returns the ids
    /// whose links changed.
    fn relink(&mut self, id: &str) -> Vec<String> {
        let Some(cluster) = self.clusters.get(id) else {
            return Vec::new();
        };
        let (family, rest) = match cluster.block_key.split_once('|') {
            Some(parts) => parts,
            None => return Vec::new(),
        };
        let other_family = match family {
            "visit" => "dialogue",
            "dialogue" => "visit",
            _ => return Vec::new(),
        };
        if rest.starts_with("multi|") {
            return Vec::new();
        }
        let other_key = format!("{other_family}|{rest}");
        let my_span = self.cluster_span(cluster);
        let partners: Vec<String> = self
            .blocks
            .get(&other_key)
            .into_iter()
            .flatten()
            .filter(|other| {
                let other = &self.clusters[*other];
                other.status != ClusterStatus::Cancelled
                    && cluster.status != ClusterStatus::Cancelled
                    && match (my_span, self.cluster_span(other)) {
                        (Some(a), Some(b)) => a.overlaps(&b, self.config.date_tolerance_days),
                        _ => false,
                    }
            })
            .cloned()
            .collect();
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
    place: Option<(&'a LocationView, bool)>,
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

fn to_member(event: &EventView) -> Member {
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

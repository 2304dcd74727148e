//! A clustering set from real reports: the gold events of the real-news
//! event corpus (`tests/corpus/events/<part>/`), grouped into the real-world
//! events they tell, and the stage scored on it (`cluster_eval --real`).
//!
//! The written set (`tests/corpus/cluster/`) was made for clustering; this
//! one was not: its items were labelled one by one for event extraction, and
//! several outlets (or several stories of one outlet) happen to tell the same
//! visit or talks. The gold clusters are derived from those labels by a
//! conservative rule ([`same_real_event`]), not by the clusterer's matching:
//!
//! - same family (a visit announced and cancelled is one family; talks are
//!   another), and not two events of one item (the labeller split them);
//! - the same non-empty set of actor countries;
//! - for each country whose persons both name, a person in common (the
//!   leaders knowledge base's identity, else the same surname): a visiting
//!   minister's talks with one host official and with others are two events;
//! - compatible places (same name, or same country, or either unknown; both
//!   named when only one country is: the other side is then unknown);
//! - times that agree: dated events overlap or are adjacent
//!   ([`DATE_SLACK_DAYS`]); an undated event's publication day falls within
//!   a window of the other's dates or publication ([`HELD_WINDOW_DAYS`] after
//!   talks, [`PLANNED_WINDOW_DAYS`] before a visit).
//!
//! Gold clusters are the connected groups of that relation. Left out of the
//! score (still fed to the clusterer, as any report would be): events with no
//! time at all (no dates and no publication day: nobody can place them), and
//! events the rule ties to two different events of one item (ambiguous).
//!
//! Distractors are pairs of gold events of one family and one country set in
//! different gold clusters: they must never share a predicted cluster.
//!
//! Tune and test stay apart as in the events corpus: each part is derived,
//! clustered and scored alone.
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;

use super::eval::{score, Item, Score};
use super::input::EventView;
use super::matching::{places_compatible, Family};
use super::{new_index, ClusterError, Knowledge};
use crate::config::Config;
use crate::events::eval::{article_from_text, load_items, Document, EvalError};
use crate::events::EventExtractor;
use crate::extract::PageInfo;
use crate::pipeline::analyze_html;
use crate::publish::to_tagged_json;

/// Dated events within this many days of each other are one event's
/// (adjacent days: an outlet dates talks by the day it files).
pub const DATE_SLACK_DAYS: i64 = 1;
/// Talks or a signing reported without dates happened within this many days
/// before the report's publication.
pub const HELD_WINDOW_DAYS: i64 = 7;
/// A visit announced without dates takes place within this many days after
/// the announcement's publication.
pub const PLANNED_WINDOW_DAYS: i64 = 60;

#[derive(Debug, thiserror::Error)]
pub enum RealSetError {
    #[error(transparent)]
    Corpus(#[from] EvalError),
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    #[error("{item}: {reason}")]
    Label { item: String, reason: String },
}

/// One gold event of the events corpus, as the clusterer reads it.
#[derive(Debug, Clone)]
pub struct SetEvent {
    /// `<source>/<item>#<n>`: the n-th gold event of the item.
    pub name: String,
    /// Index of its item in the part.
    pub item: usize,
    pub view: EventView,
    pub family: Family,
    pub countries: BTreeSet<String>,
    /// Per country, the persons named (Wikidata id, else folded surname).
    pub persons: BTreeMap<String, BTreeSet<String>>,
    pub published: Option<NaiveDate>,
}

impl SetEvent {
    fn dates(&self) -> Option<(NaiveDate, NaiveDate)> {
        let start = self.view.args.start_date?;
        Some((start, self.view.args.end_date.unwrap_or(start).max(start)))
    }

    fn has_time(&self) -> bool {
        self.dates().is_some() || self.published.is_some()
    }
}

/// Why a gold event is not scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exclusion {
    /// Neither dates nor a publication day.
    NoTime,
    /// Tied by the rule to two different events of one item.
    Ambiguous,
}

/// The derived set of one part.
#[derive(Debug, Clone)]
pub struct DerivedSet {
    pub items: Vec<crate::events::eval::Item>,
    pub events: Vec<SetEvent>,
    /// Gold cluster label per event; None when left out of the score.
    pub gold: Vec<Option<String>>,
    pub excluded: BTreeMap<usize, Exclusion>,
    /// Pairs of events (indexes) that must stay apart.
    pub distractor_pairs: Vec<(usize, usize)>,
}

impl DerivedSet {
    /// Gold clusters of two or more scored events, members by index.
    pub fn multi_member_clusters(&self) -> Vec<(String, Vec<usize>)> {
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (n, gold) in self.gold.iter().enumerate() {
            if let Some(gold) = gold {
                groups.entry(gold.clone()).or_default().push(n);
            }
        }
        groups.into_iter().filter(|(_, m)| m.len() > 1).collect()
    }
}

/// Loads a part of the events corpus and derives its gold clusters.
pub fn derive(dir: &Path, knowledge: &Knowledge) -> Result<DerivedSet, RealSetError> {
    let items = load_items(dir)?;
    let mut events = Vec::new();
    for (n, item) in items.iter().enumerate() {
        for (k, label) in item.label.events.iter().enumerate() {
            let name = format!("{}#{k}", item.name);
            let view =
                gold_view(label, &name, item, knowledge).map_err(|reason| RealSetError::Label {
                    item: name.clone(),
                    reason,
                })?;
            events.push(set_event(name, n, view, knowledge));
        }
    }
    Ok(group(items, events))
}

fn set_event(name: String, item: usize, mut view: EventView, knowledge: &Knowledge) -> SetEvent {
    let mut normalized = view.clone();
    knowledge.normalize(&mut normalized);
    view.args.location = normalized.args.location.clone();
    let mut persons: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for actor in normalized.args.actors.iter().filter(|a| a.kind == "person") {
        let key = actor
            .wikidata
            .clone()
            .unwrap_or_else(|| fold_surname(&actor.name));
        let country = actor.country.clone().unwrap_or_default();
        persons.entry(country).or_default().insert(key);
    }
    SetEvent {
        name,
        item,
        family: Family::of(&view.event_type),
        countries: view
            .args
            .actors
            .iter()
            .filter_map(|a| a.country.clone())
            .collect(),
        persons,
        published: view.published_day(),
        view,
    }
}

/// The last word of a name, lower case, letters only: "Reagan" and
/// "Ronald Reagan" are one person for the rule.
fn fold_surname(name: &str) -> String {
    name.split_whitespace()
        .last()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A label's event as the stage would read it: an id, the item's article,
/// and the actor fields the labels leave out (`kind` from the gazetteer,
/// `role` as a plain participant when the text did not settle it).
fn gold_view(
    label: &Value,
    name: &str,
    item: &crate::events::eval::Item,
    knowledge: &Knowledge,
) -> Result<EventView, String> {
    let mut value = label.clone();
    let object = value.as_object_mut().ok_or("event is not an object")?;
    if let Some(actors) = object.get_mut("actors").and_then(Value::as_array_mut) {
        for actor in actors.iter_mut().filter_map(Value::as_object_mut) {
            let name = actor.get("name").and_then(Value::as_str).unwrap_or("");
            let kind = actor_kind(knowledge, name);
            actor.entry("kind").or_insert(kind.into());
            actor.entry("role").or_insert("participant".into());
        }
    }
    object.insert("id".into(), format!("gold:{name}").into());
    let url = item.label.url.clone().unwrap_or_default();
    object.insert(
        "article".into(),
        serde_json::json!({"source_url": url, "canonical_url": url, "published": item.label.published}),
    );
    EventView::from_json(value.to_string().as_bytes()).map_err(|e| e.to_string())
}

/// A country or organisation when the gazetteer knows the whole name as
/// one, else a person (with or without a country: "Dalai Lama").
fn actor_kind(knowledge: &Knowledge, name: &str) -> &'static str {
    let g = &knowledge.gazetteer;
    let whole = |start: usize, end: usize| start == 0 && end == name.len();
    if g.find_countries(name)
        .iter()
        .any(|(hit, _)| whole(hit.start, hit.end))
    {
        "country"
    } else if g
        .find_organizations(name)
        .iter()
        .any(|hit| whole(hit.start, hit.end))
    {
        "organization"
    } else {
        "person"
    }
}

/// Whether two gold events of different items tell one real event
/// (the rule of the module's documentation).
pub fn same_real_event(a: &SetEvent, b: &SetEvent) -> bool {
    a.item != b.item
        && a.family == b.family
        && !a.countries.is_empty()
        && a.countries == b.countries
        && persons_agree(a, b)
        && places_agree(a, b)
        && times_agree(a, b)
}

fn persons_agree(a: &SetEvent, b: &SetEvent) -> bool {
    a.persons.iter().all(|(country, theirs)| {
        b.persons
            .get(country)
            .map_or(true, |ours| !ours.is_disjoint(theirs))
    })
}

/// With one country known the other side is unnamed, and only the place
/// says it is the same trip: both must name it.
fn places_agree(a: &SetEvent, b: &SetEvent) -> bool {
    match (&a.view.args.location, &b.view.args.location) {
        (Some(x), Some(y)) => places_compatible(x, y),
        _ => a.countries.len() > 1,
    }
}

fn times_agree(a: &SetEvent, b: &SetEvent) -> bool {
    let planned = a.family == Family::Visit;
    match (a.dates(), b.dates()) {
        (Some(x), Some(y)) => days_apart(x, y) <= DATE_SLACK_DAYS,
        (Some(dates), None) => b.published.is_some_and(|p| report_fits(p, dates, planned)),
        (None, Some(dates)) => a.published.is_some_and(|p| report_fits(p, dates, planned)),
        (None, None) => match (a.published, b.published) {
            (Some(p), Some(q)) => {
                let window = if planned {
                    PLANNED_WINDOW_DAYS
                } else {
                    HELD_WINDOW_DAYS
                };
                (p - q).num_days().abs() <= window
            }
            _ => false,
        },
    }
}

/// Days between two date ranges (0 when they overlap).
fn days_apart(a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate)) -> i64 {
    (a.0 - b.1).num_days().max((b.0 - a.1).num_days()).max(0)
}

/// Whether an undated report published on `published` can tell the event of
/// `dates`: talks at most a window before it, a visit at most a window after.
fn report_fits(published: NaiveDate, dates: (NaiveDate, NaiveDate), planned: bool) -> bool {
    let (start, end) = dates;
    if planned {
        published <= end && (start - published).num_days() <= PLANNED_WINDOW_DAYS
    } else {
        published >= start && (published - end).num_days() <= HELD_WINDOW_DAYS
    }
}

/// Links, exclusions, gold clusters and distractor pairs.
fn group(items: Vec<crate::events::eval::Item>, events: Vec<SetEvent>) -> DerivedSet {
    let mut excluded: BTreeMap<usize, Exclusion> = events
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.has_time())
        .map(|(n, _)| (n, Exclusion::NoTime))
        .collect();
    let linked = |a: usize, b: usize, excluded: &BTreeMap<usize, Exclusion>| {
        !excluded.contains_key(&a)
            && !excluded.contains_key(&b)
            && same_real_event(&events[a], &events[b])
    };
    // An event tied to two events of one item cannot tell both: ambiguous.
    let ambiguous: Vec<usize> = (0..events.len())
        .filter(|&a| {
            let mut items_seen = BTreeSet::new();
            (0..events.len())
                .filter(|&b| linked(a, b, &excluded))
                .any(|b| !items_seen.insert(events[b].item))
        })
        .collect();
    for n in ambiguous {
        excluded.insert(n, Exclusion::Ambiguous);
    }
    let mut root: Vec<usize> = (0..events.len()).collect();
    for a in 0..events.len() {
        for b in a + 1..events.len() {
            if linked(a, b, &excluded) {
                let (ra, rb) = (find(&mut root, a), find(&mut root, b));
                root[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let gold: Vec<Option<String>> = (0..events.len())
        .map(|n| {
            let r = find(&mut root, n);
            (!excluded.contains_key(&n)).then(|| events[r].name.clone())
        })
        .collect();
    let distractor_pairs = distractors(&events, &gold);
    DerivedSet {
        items,
        events,
        gold,
        excluded,
        distractor_pairs,
    }
}

fn find(root: &mut [usize], n: usize) -> usize {
    let mut r = n;
    while root[r] != r {
        r = root[r];
    }
    root[n] = r;
    r
}

/// Scored events of one family and one country set in different gold
/// clusters.
fn distractors(events: &[SetEvent], gold: &[Option<String>]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for a in 0..events.len() {
        for b in a + 1..events.len() {
            let (Some(ga), Some(gb)) = (&gold[a], &gold[b]) else {
                continue;
            };
            let (x, y) = (&events[a], &events[b]);
            if ga != gb
                && x.family == y.family
                && !x.countries.is_empty()
                && x.countries == y.countries
            {
                pairs.push((a, b));
            }
        }
    }
    pairs
}

/// Scores of one part.
#[derive(Debug, Clone)]
pub struct RealReport {
    pub part: String,
    pub items: usize,
    pub gold_events: usize,
    pub scored_events: usize,
    pub excluded: BTreeMap<Exclusion, usize>,
    pub multi_member_clusters: usize,
    pub distractor_pairs: usize,
    /// Clustering alone on the gold events, publication order and reversed.
    pub clustering: Score,
    pub clustering_reversed: Score,
    /// Extraction + event rules + clustering.
    pub pipeline: Score,
    /// Scored gold events the extractor gave no event of their family for.
    pub pipeline_unmatched: usize,
    /// Per scored event: name, gold cluster, gold-event cluster, pipeline
    /// cluster (for the verbose listing of the tune part).
    pub rows: Vec<(String, String, Option<String>, Option<String>)>,
    pub set: DerivedSet,
}

/// Derives, clusters and scores one part.
pub fn evaluate_part(
    dir: &Path,
    config: &Config,
    extractor: &EventExtractor,
) -> Result<RealReport, RealSetError> {
    let knowledge = Knowledge::load(config)?;
    let set = derive(dir, &knowledge)?;
    let gold_reports: Vec<EventView> = set.events.iter().map(|e| e.view.clone()).collect();
    let forward = cluster_all(config, &gold_reports, false)?;
    let backward = cluster_all(config, &gold_reports, true)?;
    let predicted = pipeline_events(&set, config, extractor)?;
    let all_predicted: Vec<EventView> = predicted.iter().flatten().cloned().collect();
    let pipeline_clusters = cluster_all(config, &all_predicted, false)?;
    let pipeline_of: Vec<Option<String>> = predicted
        .iter()
        .map(|e| {
            e.as_ref()
                .and_then(|e| pipeline_clusters.get(&e.id).cloned())
        })
        .collect();
    let of = |clusters: &BTreeMap<String, String>| -> Vec<Option<String>> {
        set.events
            .iter()
            .map(|e| clusters.get(&e.view.id).cloned())
            .collect()
    };
    let (gold_of, reversed_of) = (of(&forward), of(&backward));
    let score_of = |predicted: &[Option<String>]| score_pairs(&set, predicted);
    let scored: Vec<usize> = (0..set.events.len())
        .filter(|&n| set.gold[n].is_some())
        .collect();
    let mut excluded = BTreeMap::new();
    for why in set.excluded.values() {
        *excluded.entry(*why).or_insert(0) += 1;
    }
    Ok(RealReport {
        part: dir.display().to_string(),
        items: set.items.len(),
        gold_events: set.events.len(),
        scored_events: scored.len(),
        excluded,
        multi_member_clusters: set.multi_member_clusters().len(),
        distractor_pairs: set.distractor_pairs.len(),
        clustering: score_of(&gold_of),
        clustering_reversed: score_of(&reversed_of),
        pipeline: score_of(&pipeline_of),
        pipeline_unmatched: scored.iter().filter(|&&n| predicted[n].is_none()).count(),
        rows: scored
            .iter()
            .map(|&n| {
                (
                    set.events[n].name.clone(),
                    set.gold[n].clone().unwrap_or_default(),
                    gold_of[n].clone(),
                    pipeline_of[n].clone(),
                )
            })
            .collect(),
        set,
    })
}

/// The scored events as items of [`score`], with merged distractor pairs
/// counted by [`super::eval::pairs_merged`].
fn score_pairs(set: &DerivedSet, predicted: &[Option<String>]) -> Score {
    let items: Vec<Item> = set
        .events
        .iter()
        .zip(&set.gold)
        .zip(predicted)
        .map(|((event, gold), predicted)| Item {
            name: event.name.clone(),
            gold: gold.clone().unwrap_or_default(),
            distractor: false,
            predicted: predicted.clone(),
        })
        .collect();
    let keep: Vec<usize> = (0..items.len())
        .filter(|&n| set.gold[n].is_some())
        .collect();
    let position: BTreeMap<usize, usize> = keep.iter().enumerate().map(|(k, &n)| (n, k)).collect();
    let scored: Vec<Item> = keep.iter().map(|&n| items[n].clone()).collect();
    let pairs: Vec<(usize, usize)> = set
        .distractor_pairs
        .iter()
        .map(|(a, b)| (position[a], position[b]))
        .collect();
    let mut result = score(&scored);
    result.distractors_merged = super::eval::pairs_merged(&scored, &pairs);
    result
}

/// Event id -> cluster id, the reports added in publication order (ties by
/// input order), or in the reverse of that order.
fn cluster_all(
    config: &Config,
    reports: &[EventView],
    reversed: bool,
) -> Result<BTreeMap<String, String>, ClusterError> {
    let mut order: Vec<&EventView> = reports.iter().collect();
    order.sort_by_key(|e| e.article.published.as_deref().and_then(super::index::utc));
    if reversed {
        order.reverse();
    }
    let mut index = new_index(config)?;
    for event in &order {
        index.add((*event).clone());
    }
    Ok(reports
        .iter()
        .filter_map(|e| Some((e.id.clone(), index.cluster_of(&e.id)?.to_string())))
        .collect())
}

/// Every item through extraction and event rules; per gold event, the
/// extracted event paired with it (one to one within the item), if any.
/// All extracted events are returned in the pairing's slots or, unpaired,
/// appended after them, so that they are clustered too.
fn pipeline_events(
    set: &DerivedSet,
    config: &Config,
    extractor: &EventExtractor,
) -> Result<Vec<Option<EventView>>, RealSetError> {
    let mut slots: Vec<Option<EventView>> = vec![None; set.events.len()];
    let mut extra = Vec::new();
    for (n, item) in set.items.iter().enumerate() {
        let extracted = item_events(item, config, extractor)?;
        let gold: Vec<usize> = (0..set.events.len())
            .filter(|&e| set.events[e].item == n)
            .collect();
        let pairs = pair_with_gold(&gold, &set.events, &extracted);
        let mut used = vec![false; extracted.len()];
        for (g, p) in pairs {
            slots[g] = Some(extracted[p].clone());
            used[p] = true;
        }
        extra.extend(
            extracted
                .into_iter()
                .zip(used)
                .filter(|(_, used)| !used)
                .map(|(e, _)| Some(e)),
        );
    }
    slots.extend(extra);
    Ok(slots)
}

/// One-to-one pairs (gold event index, extracted index): same family, dates
/// that do not contradict, most shared countries first.
fn pair_with_gold(
    gold: &[usize],
    events: &[SetEvent],
    extracted: &[EventView],
) -> Vec<(usize, usize)> {
    let mut candidates = Vec::new();
    for &g in gold {
        let want = &events[g];
        for (p, got) in extracted.iter().enumerate() {
            if Family::of(&got.event_type) != want.family || !dates_meet(want, got) {
                continue;
            }
            let theirs: BTreeSet<String> = got
                .args
                .actors
                .iter()
                .filter_map(|a| a.country.clone())
                .collect();
            let shared = theirs.intersection(&want.countries).count();
            let extra = theirs.difference(&want.countries).count();
            candidates.push((std::cmp::Reverse(shared), extra, g, p));
        }
    }
    candidates.sort();
    let (mut gold_used, mut got_used) = (BTreeSet::new(), BTreeSet::new());
    let mut pairs = Vec::new();
    for (_, _, g, p) in candidates {
        if gold_used.insert(g) {
            if got_used.insert(p) {
                pairs.push((g, p));
            } else {
                gold_used.remove(&g);
            }
        }
    }
    pairs
}

fn dates_meet(want: &SetEvent, got: &EventView) -> bool {
    let (Some(x), Some(start)) = (want.dates(), got.args.start_date) else {
        return true;
    };
    let y = (start, got.args.end_date.unwrap_or(start).max(start));
    days_apart(x, y) <= DATE_SLACK_DAYS
}

/// The item's events as `attache run` would publish them, read back as the
/// cluster stage reads them; ids made unique per item (items without a URL
/// would otherwise share ids).
fn item_events(
    item: &crate::events::eval::Item,
    config: &Config,
    extractor: &EventExtractor,
) -> Result<Vec<EventView>, RealSetError> {
    let url = item.label.url.clone().unwrap_or_default();
    let events = match &item.document {
        Document::Html(path) => {
            let bytes = read(path)?;
            let (html, _charset) = crate::fetch::decode_body(&bytes, None);
            let page = PageInfo {
                source_url: &url,
                fetched_url: &url,
                published_hint: None,
            };
            analyze_html(&html, &page, config, extractor)
                .map(|a| a.events)
                .unwrap_or_default()
        }
        Document::Text(path) => {
            let text = String::from_utf8_lossy(&read(path)?).into_owned();
            let article = article_from_text(&text, &url, item.label.published.as_deref());
            let published = article.published.clone();
            extractor.extract(&article, published.as_deref())
        }
    };
    events
        .iter()
        .enumerate()
        .map(|(k, event)| {
            let json = to_tagged_json("event", event)
                .map_err(|e| ClusterError::BadEvent(e.to_string()))?;
            let mut view = EventView::from_json(&json)?;
            view.id = format!("pipeline:{}#{k}", item.name);
            Ok(view)
        })
        .collect()
}

fn read(path: &Path) -> Result<Vec<u8>, RealSetError> {
    std::fs::read(path).map_err(|source| {
        RealSetError::Corpus(EvalError::Io {
            path: path.to_path_buf(),
            source,
        })
    })
}

impl RealReport {
    /// Totals; with `verbose` the derived multi-member clusters and every
    /// scored event's clusters (only for a part whose failures may be read).
    pub fn render(&self, verbose: bool) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: {} items, {} gold events, {} scored ({:?} left out), {} gold clusters of 2+ events, {} distractor pairs",
            self.part,
            self.items,
            self.gold_events,
            self.scored_events,
            self.excluded,
            self.multi_member_clusters,
            self.distractor_pairs
        );
        for (name, s) in [
            ("clustering alone (gold events)", &self.clustering),
            ("clustering alone, reverse order", &self.clustering_reversed),
            ("pipeline (extraction + clustering)", &self.pipeline),
        ] {
            let _ = writeln!(out, "\n{name}");
            let _ = writeln!(out, "{}", super::eval::summary(s));
        }
        let _ = writeln!(
            out,
            "  gold events with no extracted event of their family: {}",
            self.pipeline_unmatched
        );
        if verbose {
            self.render_clusters(&mut out);
        }
        out
    }

    fn render_clusters(&self, out: &mut String) {
        let set = &self.set;
        let _ = writeln!(out, "\nderived gold clusters of 2+ events");
        for (label, members) in set.multi_member_clusters() {
            let _ = writeln!(out, "  {label}");
            for n in members {
                let e = &set.events[n];
                let _ = writeln!(
                    out,
                    "    {} {} {:?} {:?}..{:?} {:?} pub {:?}",
                    e.name,
                    e.view.event_type,
                    e.countries,
                    e.view.args.start_date,
                    e.view.args.end_date,
                    e.view.args.location.as_ref().map(|l| &l.name),
                    e.published
                );
            }
        }
        let _ = writeln!(
            out,
            "\ngold-event clusters holding events of 2+ gold clusters"
        );
        let mut by_cluster: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (n, (_, _, alone, _)) in self.rows.iter().enumerate() {
            if let Some(alone) = alone {
                by_cluster.entry(alone).or_default().push(n);
            }
        }
        for (cluster, members) in by_cluster {
            let golds: BTreeSet<&str> = members.iter().map(|&n| self.rows[n].1.as_str()).collect();
            if golds.len() > 1 {
                let names: Vec<&str> = members.iter().map(|&n| self.rows[n].0.as_str()).collect();
                let _ = writeln!(out, "  {cluster}: {}", names.join(", "));
            }
        }
        let _ = writeln!(out, "\nleft out");
        for (n, why) in &set.excluded {
            let _ = writeln!(out, "  {} {why:?}", set.events[*n].name);
        }
        let _ = writeln!(
            out,
            "\nevent | gold cluster | gold-event cluster | pipeline cluster"
        );
        for (name, gold, alone, pipeline) in &self.rows {
            let _ = writeln!(
                out,
                "{name} | {gold} | {} | {}",
                alone.as_deref().unwrap_or("-"),
                pipeline.as_deref().unwrap_or("-")
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::input::{ActorView, ArticleView, EventArgs, LocationView};

    fn event(
        item: usize,
        kind: &str,
        countries: &[&str],
        dates: Option<(&str, &str)>,
        published: Option<&str>,
    ) -> SetEvent {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let actors: Vec<ActorView> = countries
            .iter()
            .map(|c| ActorView {
                name: format!("Leader of {c}"),
                role: "participant".into(),
                kind: "person".into(),
                title: None,
                country: Some(c.to_string()),
                wikidata: None,
                office: None,
            })
            .collect();
        let view = EventView {
            id: format!("e{item}"),
            event_type: kind.into(),
            status: "occurred".into(),
            args: EventArgs {
                actors,
                start_date: dates.map(|d| day(d.0)),
                end_date: dates.map(|d| day(d.1)),
                ..EventArgs::default()
            },
            article: ArticleView {
                source_url: String::new(),
                canonical_url: None,
                published: published.map(str::to_string),
            },
        };
        SetEvent {
            name: format!("item{item}#0"),
            item,
            family: Family::of(kind),
            countries: countries.iter().map(|c| c.to_string()).collect(),
            persons: view
                .args
                .actors
                .iter()
                .map(|a| {
                    let key = [fold_surname(&a.name)].into();
                    (a.country.clone().unwrap_or_default(), key)
                })
                .collect(),
            published: view.published_day(),
            view,
        }
    }

    #[test]
    fn adjacent_dates_and_a_fresh_undated_report_tell_one_meeting() {
        let a = event(
            0,
            "dialogue_held",
            &["AAA", "BBB"],
            Some(("2020-03-02", "2020-03-02")),
            Some("2020-03-02"),
        );
        let b = event(
            1,
            "dialogue_held",
            &["AAA", "BBB"],
            Some(("2020-03-03", "2020-03-03")),
            Some("2020-03-03"),
        );
        let c = event(
            2,
            "dialogue_held",
            &["AAA", "BBB"],
            None,
            Some("2020-03-06"),
        );
        assert!(same_real_event(&a, &b));
        assert!(same_real_event(&a, &c));
    }

    #[test]
    fn other_countries_another_family_or_a_later_date_are_other_events() {
        let a = event(
            0,
            "dialogue_held",
            &["AAA", "BBB"],
            Some(("2020-03-02", "2020-03-02")),
            None,
        );
        let third = event(
            1,
            "dialogue_held",
            &["AAA", "BBB", "CCC"],
            Some(("2020-03-02", "2020-03-02")),
            None,
        );
        let visit = event(
            2,
            "state_visit_announced",
            &["AAA", "BBB"],
            Some(("2020-03-02", "2020-03-02")),
            None,
        );
        let later = event(
            3,
            "dialogue_held",
            &["AAA", "BBB"],
            Some(("2020-03-05", "2020-03-05")),
            None,
        );
        let stale = event(
            4,
            "dialogue_held",
            &["AAA", "BBB"],
            None,
            Some("2020-03-20"),
        );
        for other in [&third, &visit, &later, &stale] {
            assert!(!same_real_event(&a, other), "{}", other.name);
        }
    }

    #[test]
    fn two_events_of_one_item_never_merge_and_a_report_tied_to_both_is_left_out() {
        let first = event(
            0,
            "dialogue_held",
            &["AAA", "BBB"],
            Some(("2020-03-02", "2020-03-02")),
            None,
        );
        let mut second = event(
            0,
            "dialogue_held",
            &["AAA", "BBB"],
            Some(("2020-03-04", "2020-03-04")),
            None,
        );
        second.name = "item0#1".into();
        let undated = event(
            1,
            "dialogue_held",
            &["AAA", "BBB"],
            None,
            Some("2020-03-05"),
        );
        let timeless = event(2, "dialogue_held", &["AAA", "BBB"], None, None);
        let set = group(Vec::new(), vec![first, second, undated, timeless]);
        assert_ne!(set.gold[0], set.gold[1]);
        assert_eq!(set.excluded.get(&2), Some(&Exclusion::Ambiguous));
        assert_eq!(set.excluded.get(&3), Some(&Exclusion::NoTime));
        assert_eq!(set.distractor_pairs, vec![(0, 1)]);
    }

    #[test]
    fn with_one_country_known_both_reports_must_name_the_place() {
        let mut a = event(0, "dialogue_held", &["AAA"], None, Some("2020-03-02"));
        let mut b = event(1, "dialogue_held", &["AAA"], None, Some("2020-03-03"));
        assert!(!same_real_event(&a, &b));
        let place = LocationView {
            name: "Capital".into(),
            country: Some("BBB".into()),
        };
        a.view.args.location = Some(place.clone());
        assert!(!same_real_event(&a, &b));
        b.view.args.location = Some(place);
        assert!(same_real_event(&a, &b));
    }

    #[test]
    fn an_undated_announcement_fits_a_visit_weeks_later_not_one_before_it() {
        let visit = event(
            0,
            "state_visit_announced",
            &["AAA", "BBB"],
            Some(("2020-05-10", "2020-05-12")),
            None,
        );
        let early = event(
            1,
            "state_visit_announced",
            &["AAA", "BBB"],
            None,
            Some("2020-04-01"),
        );
        let after = event(
            2,
            "state_visit_announced",
            &["AAA", "BBB"],
            None,
            Some("2020-05-20"),
        );
        assert!(same_real_event(&visit, &early));
        assert!(!same_real_event(&visit, &after));
    }

    #[test]
    fn different_persons_of_the_same_countries_or_places_in_two_countries_are_other_events() {
        let a = event(
            0,
            "dialogue_held",
            &["AAA", "BBB"],
            Some(("2020-03-02", "2020-03-02")),
            None,
        );
        let mut b = a.clone();
        b.item = 1;
        b.persons
            .insert("BBB".into(), ["someone".to_string()].into());
        assert!(!same_real_event(&a, &b));
        let mut here = a.clone();
        here.view.args.location = Some(LocationView {
            name: "Here".into(),
            country: Some("AAA".into()),
        });
        let mut there = here.clone();
        there.item = 2;
        there.view.args.location = Some(LocationView {
            name: "There".into(),
            country: Some("BBB".into()),
        });
        assert!(!same_real_event(&here, &there));
    }
}

//! Scores the whole stage on a labelled page set (`tests/corpus/cluster/`,
//! format in its README): every page goes through extraction and event
//! rules as `attache run` would process it, all events are clustered
//! together with [`ClusterIndex`], and each page is scored by the cluster
//! that holds its event of the gold family. Used by
//! `examples/cluster_eval.rs` and `tests/cluster_eval.rs`.
//!
//! The same clustering is also scored on the gold events themselves (the
//! arguments a perfect extractor would give), so that clustering mistakes
//! show apart from extraction misses.
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::eval::{score, Item, Score};
use super::input::EventView;
use super::matching::{countries, Family};
use super::{new_index, ClusterError, ClusterIndex};
use crate::config::Config;
use crate::events::EventExtractor;
use crate::extract::PageInfo;
use crate::pipeline::analyze_html;
use crate::publish::to_tagged_json;

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid gold file {path}: {reason}")]
    Gold { path: PathBuf, reason: String },
    #[error(transparent)]
    Cluster(#[from] ClusterError),
}

#[derive(Debug, Clone, Deserialize)]
struct GoldFile {
    pages: Vec<GoldPage>,
}

/// One labelled page.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldPage {
    pub page: String,
    pub url: String,
    pub published: String,
    /// The real-world event the page tells.
    pub event: String,
    /// `visit` or `dialogue`.
    pub family: String,
    /// States taking part: picks the page's event when it yields several of
    /// the family.
    pub countries: BTreeSet<String>,
    pub distractor: bool,
    /// The event as a perfect extractor would publish it (without `id` and
    /// `article`), for scoring the clustering alone.
    pub gold_event: serde_json::Value,
}

/// What came out of one page.
#[derive(Debug, Clone)]
pub struct PageResult {
    pub gold: GoldPage,
    /// Types of every event extracted from the page.
    pub extracted: Vec<String>,
    /// The cluster holding the page's event of the gold family.
    pub cluster: Option<String>,
    /// The cluster of the page's gold event, when only gold events are
    /// clustered.
    pub gold_cluster: Option<String>,
    /// How its gold event was degraded, the clusters of the degraded event
    /// (publication order, reverse order) and its Kafka route key.
    pub degraded: (Degradation, Option<String>, Option<String>, String),
}

#[derive(Debug, Clone)]
pub struct CorpusReport {
    pub pages: Vec<PageResult>,
    /// Pipeline: extraction + event rules + clustering.
    pub pipeline: Score,
    /// Clustering alone, on the gold events.
    pub clustering: Score,
    /// The same, with the reports arriving in reverse publication order
    /// (the online clustering must not depend on arrival order).
    pub clustering_reversed: Score,
    /// Clustering alone on the gold events degraded the way the real
    /// extractor degrades them ([`Degradation`]), one kind per page in turn.
    pub clustering_degraded: Score,
    /// The same degraded events arriving in reverse publication order: an
    /// early partial report then comes last, a late full one first.
    pub clustering_degraded_reversed: Score,
    /// The degraded gold events through the partitioned Kafka stage run
    /// without Kafka ([`super::shard::ShardedRun`]: 4 partitions, 2 workers,
    /// fan-out and hand-over), in publication order then reversed; a page
    /// counts in the published row that holds its report.
    pub clustering_degraded_sharded: Score,
    pub clustering_degraded_sharded_reversed: Score,
    /// Records handed over between shards in those two runs.
    pub sharded_forwards: (usize, usize),
    /// True events whose reports get more than one Kafka route key
    /// ([`super::matching::route_key`]): on Kafka those would be split
    /// across workers. Pipeline events, then degraded gold events.
    pub route_splits: (usize, usize),
    /// The same count under the previous key (the whole country set).
    pub route_splits_by_country_set: (usize, usize),
    /// Clusters whose final status is `cancelled`, by gold event label of
    /// their pages.
    pub cancelled_events: BTreeSet<String>,
    /// The same for the clustering of the gold events.
    pub gold_cancelled_events: BTreeSet<String>,
}

/// Partitions and workers of the partitioned run of the evaluation.
const SHARDED_PARTITIONS: i32 = 4;
const SHARDED_WORKERS: usize = 2;

/// Runs the pipeline and the clustering over every page of `dir/gold.json`.
pub fn evaluate_corpus(
    dir: &Path,
    config: &Config,
    extractor: &EventExtractor,
) -> Result<CorpusReport, CorpusError> {
    let gold_path = dir.join("gold.json");
    let text = std::fs::read_to_string(&gold_path).map_err(|source| CorpusError::Io {
        path: gold_path.clone(),
        source,
    })?;
    let gold: GoldFile = serde_json::from_str(&text).map_err(|e| CorpusError::Gold {
        path: gold_path.clone(),
        reason: e.to_string(),
    })?;

    // Pipeline: every event of every page, as `attache run` publishes it.
    let mut reports: Vec<(usize, EventView)> = Vec::new();
    let mut extracted: Vec<Vec<String>> = Vec::new();
    for (n, page) in gold.pages.iter().enumerate() {
        let events = page_events(dir, page, config, extractor)?;
        extracted.push(events.iter().map(|e| e.event_type.clone()).collect());
        reports.extend(events.into_iter().map(|e| (n, e)));
    }
    let mut index = new_index(config)?;
    let pipeline_clusters = cluster_in_publication_order(&mut index, reports.clone());
    let chosen: Vec<Option<String>> = gold
        .pages
        .iter()
        .enumerate()
        .map(|(n, page)| {
            let mine = reports.iter().filter(|(p, _)| *p == n).map(|(_, e)| e);
            representative(page, mine)
                .and_then(|e| pipeline_clusters.cluster_of(&e.id).map(str::to_string))
        })
        .collect();
    let cancelled_events = cancelled(pipeline_clusters, &gold.pages, &chosen);

    // Clustering alone: one gold event per page.
    let mut gold_reports = Vec::new();
    for (n, page) in gold.pages.iter().enumerate() {
        gold_reports.push((
            n,
            gold_event(page).map_err(|reason| CorpusError::Gold {
                path: gold_path.clone(),
                reason: format!("{}: {reason}", page.page),
            })?,
        ));
    }
    let mut gold_index = new_index(config)?;
    let gold_clusters = cluster_in_publication_order(&mut gold_index, gold_reports.clone());
    let gold_chosen: Vec<Option<String>> = gold_reports
        .iter()
        .map(|(_, e)| gold_clusters.cluster_of(&e.id).map(str::to_string))
        .collect();
    let gold_cancelled_events = cancelled(gold_clusters, &gold.pages, &gold_chosen);
    let mut reversed_index = new_index(config)?;
    let mut reversed = gold_reports.clone();
    reversed.sort_by_key(|(n, e)| (utc(e.article.published.as_deref()), *n));
    for (_, event) in reversed.iter().rev() {
        reversed_index.add(event.clone());
    }
    let reversed_chosen: Vec<Option<String>> = gold_reports
        .iter()
        .map(|(_, e)| reversed_index.cluster_of(&e.id).map(str::to_string))
        .collect();

    let mut degraded_index = new_index(config)?;
    let degraded: Vec<(usize, EventView)> = gold_reports
        .iter()
        .map(|(n, e)| {
            (
                *n,
                Degradation::ALL[n % Degradation::ALL.len()].apply(e.clone()),
            )
        })
        .collect();
    let degraded_clusters = cluster_in_publication_order(&mut degraded_index, degraded.clone());
    let degraded_chosen: Vec<Option<String>> = degraded
        .iter()
        .map(|(_, e)| degraded_clusters.cluster_of(&e.id).map(str::to_string))
        .collect();
    let mut degraded_reversed_index = new_index(config)?;
    let mut degraded_reversed = degraded.clone();
    degraded_reversed.sort_by_key(|(n, e)| (utc(e.article.published.as_deref()), *n));
    for (_, event) in degraded_reversed.iter().rev() {
        degraded_reversed_index.add(event.clone());
    }
    let degraded_reversed_chosen: Vec<Option<String>> = degraded
        .iter()
        .map(|(_, e)| {
            degraded_reversed_index
                .cluster_of(&e.id)
                .map(str::to_string)
        })
        .collect();

    // The partitioned stage, both orders.
    let knowledge = super::Knowledge::load(config)?;
    let mut by_publication = degraded.clone();
    by_publication.sort_by_key(|(n, e)| (utc(e.article.published.as_deref()), *n));
    let mut sharded_runs = Vec::new();
    for order in [
        by_publication.clone(),
        by_publication.into_iter().rev().collect(),
    ] {
        let mut run = super::shard::ShardedRun::new(
            &config.cluster,
            std::sync::Arc::new(super::Knowledge::load(config)?),
            SHARDED_PARTITIONS,
            SHARDED_WORKERS,
        );
        for (_, event) in order {
            run.send(event);
            run.step();
        }
        run.settle();
        let chosen: Vec<Option<String>> = degraded
            .iter()
            .map(|(_, e)| run.cluster_of(&e.id).map(str::to_string))
            .collect();
        sharded_runs.push((chosen, run.forwards));
    }

    // Route keys, as the Kafka route loop took them before the fan-out.
    let pipeline_chosen_events: Vec<Option<EventView>> = gold
        .pages
        .iter()
        .enumerate()
        .map(|(n, page)| {
            let mine = reports.iter().filter(|(p, _)| *p == n).map(|(_, e)| e);
            representative(page, mine).cloned()
        })
        .collect();
    let degraded_events: Vec<Option<EventView>> =
        degraded.iter().map(|(_, e)| Some(e.clone())).collect();
    let splits = |events: &[Option<EventView>], key: &dyn Fn(&EventView) -> String| {
        route_splits(&gold.pages, events, &knowledge, key)
    };
    let by_route = |e: &EventView| super::matching::route_key(e);
    let by_set = |e: &EventView| {
        let key = super::matching::block_key(e);
        key.split_once('|')
            .map_or(key.clone(), |(_, rest)| rest.to_string())
    };
    let route_splits_now = (
        splits(&pipeline_chosen_events, &by_route),
        splits(&degraded_events, &by_route),
    );
    let route_splits_by_country_set = (
        splits(&pipeline_chosen_events, &by_set),
        splits(&degraded_events, &by_set),
    );

    let items = |predicted: &[Option<String>]| -> Vec<Item> {
        gold.pages
            .iter()
            .zip(predicted)
            .map(|(page, predicted)| Item {
                name: page.page.clone(),
                gold: page.event.clone(),
                distractor: page.distractor,
                predicted: predicted.clone(),
            })
            .collect()
    };
    let pipeline = score(&items(&chosen));
    let clustering = score(&items(&gold_chosen));
    let clustering_reversed = score(&items(&reversed_chosen));
    let clustering_degraded = score(&items(&degraded_chosen));
    let clustering_degraded_reversed = score(&items(&degraded_reversed_chosen));
    let clustering_degraded_sharded = score(&items(&sharded_runs[0].0));
    let clustering_degraded_sharded_reversed = score(&items(&sharded_runs[1].0));
    let sharded_forwards = (sharded_runs[0].1, sharded_runs[1].1);
    let degraded_rows: Vec<(Degradation, Option<String>, Option<String>, String)> = degraded
        .iter()
        .zip(degraded_chosen.iter().zip(&degraded_reversed_chosen))
        .map(|((n, event), (forward, backward))| {
            let mut event = event.clone();
            knowledge.normalize(&mut event);
            (
                Degradation::ALL[n % Degradation::ALL.len()],
                forward.clone(),
                backward.clone(),
                super::matching::route_key(&event),
            )
        })
        .collect();
    let pages = gold
        .pages
        .into_iter()
        .zip(extracted)
        .zip(chosen.into_iter().zip(gold_chosen))
        .zip(degraded_rows)
        .map(
            |(((gold, extracted), (cluster, gold_cluster)), degraded)| PageResult {
                gold,
                extracted,
                cluster,
                gold_cluster,
                degraded,
            },
        )
        .collect();
    Ok(CorpusReport {
        pages,
        pipeline,
        clustering,
        clustering_reversed,
        clustering_degraded,
        clustering_degraded_reversed,
        clustering_degraded_sharded,
        clustering_degraded_sharded_reversed,
        sharded_forwards,
        route_splits: route_splits_now,
        route_splits_by_country_set,
        cancelled_events,
        gold_cancelled_events,
    })
}

/// True events (not near misses) whose pages' events get more than one key.
fn route_splits(
    pages: &[GoldPage],
    events: &[Option<EventView>],
    knowledge: &super::Knowledge,
    key: &dyn Fn(&EventView) -> String,
) -> usize {
    let mut keys: std::collections::BTreeMap<&str, BTreeSet<String>> = Default::default();
    for (page, event) in pages.iter().zip(events) {
        let Some(event) = event else { continue };
        if page.distractor {
            continue;
        }
        let mut event = event.clone();
        knowledge.normalize(&mut event);
        keys.entry(page.event.as_str())
            .or_default()
            .insert(key(&event));
    }
    keys.values().filter(|k| k.len() > 1).count()
}

fn page_events(
    dir: &Path,
    page: &GoldPage,
    config: &Config,
    extractor: &EventExtractor,
) -> Result<Vec<EventView>, CorpusError> {
    let path = dir.join(&page.page);
    let bytes = std::fs::read(&path).map_err(|source| CorpusError::Io {
        path: path.clone(),
        source,
    })?;
    let (html, _charset) = crate::fetch::decode_body(&bytes, None);
    let info = PageInfo {
        source_url: &page.url,
        fetched_url: &page.url,
        published_hint: None,
    };
    let events = analyze_html(&html, &info, config, extractor)
        .map(|a| a.events)
        .unwrap_or_default();
    // Through the published JSON, exactly as the Kafka stage reads it.
    events
        .iter()
        .map(|event| {
            let json = to_tagged_json("event", event)
                .map_err(|e| ClusterError::BadEvent(e.to_string()))?;
            Ok(EventView::from_json(&json)?)
        })
        .collect()
}

/// Clusters reports in the order they were published (as a live stream
/// would mostly see them), ties by page order.
fn cluster_in_publication_order(
    index: &mut ClusterIndex,
    mut reports: Vec<(usize, EventView)>,
) -> &ClusterIndex {
    reports.sort_by_key(|(n, e)| (utc(e.article.published.as_deref()), *n));
    for (_, event) in reports {
        index.add(event);
    }
    index
}

fn utc(published: Option<&str>) -> Option<chrono::DateTime<chrono::Utc>> {
    published.and_then(super::index::utc)
}

/// The page's event of the gold family that shares the most countries with
/// the gold countries (fewest extra ones on a tie, then first).
fn representative<'a>(
    page: &GoldPage,
    events: impl Iterator<Item = &'a EventView>,
) -> Option<&'a EventView> {
    let family = gold_family(&page.family);
    events
        .filter(|e| Family::of(&e.event_type) == family)
        .enumerate()
        .max_by_key(|(n, e)| {
            let set = countries(&e.event_type, &e.args);
            let shared = set.intersection(&page.countries).count();
            let extra = set.difference(&page.countries).count();
            (shared, std::cmp::Reverse(extra), std::cmp::Reverse(*n))
        })
        .map(|(_, e)| e)
}

fn gold_family(label: &str) -> Family {
    match label {
        "visit" => Family::Visit,
        "dialogue" => Family::Dialogue,
        "agreement" => Family::Agreement,
        other => Family::Other(other.to_string()),
    }
}

fn gold_event(page: &GoldPage) -> Result<EventView, String> {
    let mut value = page.gold_event.clone();
    let object = value
        .as_object_mut()
        .ok_or("`gold_event` must be an object")?;
    object.insert("id".into(), format!("gold:{}", page.page).into());
    object.insert(
        "article".into(),
        serde_json::json!({"source_url": page.url, "canonical_url": page.url, "published": page.published}),
    );
    EventView::from_json(value.to_string().as_bytes()).map_err(|e| e.to_string())
}

/// What the real extractor does to an event's arguments on real text
/// (BENCHMARKS.md, "Event clustering"), applied to a gold event to score the
/// clustering's robustness apart from the extractor's recall. Generic: none
/// looks at a page's content beyond the field it degrades.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Degradation {
    None,
    /// No dates: the report stands for a window around its publication;
    /// held talks or a signing get the publication day, without words, as
    /// the extractor dates them (`undated_on_publication`).
    NoDates,
    /// Persons without a country.
    NoCountries,
    /// Persons by surname only, without titles ("Kishida said").
    SurnamesOnly,
    /// Only the first actor's side: the other side's actors are dropped.
    OneSide,
    /// No location.
    NoLocation,
    /// Surnames only and no dates.
    SurnamesNoDates,
    /// Only the first actor's side and no location: a report that names
    /// one party alone.
    OneSideNoPlace,
    /// What a headline gives: surnames without titles, no dates, no place.
    Headline,
}

impl Degradation {
    pub const ALL: [Degradation; 9] = [
        Degradation::None,
        Degradation::NoDates,
        Degradation::NoCountries,
        Degradation::SurnamesOnly,
        Degradation::OneSide,
        Degradation::NoLocation,
        Degradation::SurnamesNoDates,
        Degradation::OneSideNoPlace,
        Degradation::Headline,
    ];

    pub fn apply(self, mut event: EventView) -> EventView {
        let dated_by_publication = event.status == "occurred"
            && matches!(
                Family::of(&event.event_type),
                Family::Dialogue | Family::Agreement
            );
        let published = event.published_day().filter(|_| dated_by_publication);
        let args = &mut event.args;
        let no_dates = |args: &mut super::input::EventArgs| {
            args.start_date = published;
            args.end_date = published;
            args.date_text = None;
        };
        let surnames = |args: &mut super::input::EventArgs| {
            for actor in args.actors.iter_mut().filter(|a| a.kind == "person") {
                actor.name = actor
                    .name
                    .split_whitespace()
                    .last()
                    .unwrap_or_default()
                    .to_string();
                actor.title = None;
            }
        };
        match self {
            Degradation::None => {}
            Degradation::NoDates => no_dates(args),
            Degradation::NoCountries => {
                for actor in args.actors.iter_mut().filter(|a| a.kind == "person") {
                    actor.country = None;
                }
            }
            Degradation::SurnamesOnly => surnames(args),
            Degradation::OneSide => {
                let first = args.actors.first().and_then(|a| a.country.clone());
                if first.is_some() {
                    args.actors.retain(|a| a.country == first);
                }
            }
            Degradation::NoLocation => args.location = None,
            Degradation::SurnamesNoDates => {
                surnames(args);
                no_dates(args);
            }
            Degradation::OneSideNoPlace => {
                let first = args.actors.first().and_then(|a| a.country.clone());
                if first.is_some() {
                    args.actors.retain(|a| a.country == first);
                }
                args.location = None;
            }
            Degradation::Headline => {
                surnames(args);
                no_dates(args);
                args.location = None;
            }
        }
        event
    }
}

fn cancelled(
    index: &ClusterIndex,
    pages: &[GoldPage],
    chosen: &[Option<String>],
) -> BTreeSet<String> {
    pages
        .iter()
        .zip(chosen)
        .filter_map(|(page, cluster)| {
            let record = index.get(cluster.as_deref()?)?;
            (record.status == super::ClusterStatus::Cancelled).then(|| page.event.clone())
        })
        .collect()
}

impl CorpusReport {
    /// A plain-text report; `verbose` lists every page.
    pub fn render(&self, verbose: bool) -> String {
        let mut out = String::new();
        let true_pages = self.pages.iter().filter(|p| !p.gold.distractor).count();
        let _ = writeln!(
            out,
            "pages: {} ({} of true events, {} near misses); true events: {}",
            self.pages.len(),
            true_pages,
            self.pages.len() - true_pages,
            self.pipeline.true_events
        );
        let missing = self.pages.iter().filter(|p| p.cluster.is_none()).count();
        let _ = writeln!(out, "pages with no event of their family: {missing}");
        for (name, s) in [
            ("pipeline (extraction + clustering)", &self.pipeline),
            ("clustering alone (gold events)", &self.clustering),
            (
                "clustering alone, reverse arrival order",
                &self.clustering_reversed,
            ),
            (
                "clustering alone, degraded gold events",
                &self.clustering_degraded,
            ),
            (
                "clustering alone, degraded gold events, reverse arrival order",
                &self.clustering_degraded_reversed,
            ),
            (
                "degraded gold events, partitioned stage (4 partitions, 2 workers)",
                &self.clustering_degraded_sharded,
            ),
            (
                "degraded gold events, partitioned stage, reverse arrival order",
                &self.clustering_degraded_sharded_reversed,
            ),
        ] {
            let _ = writeln!(out, "\n{name}");
            let _ = writeln!(out, "{}", super::eval::summary(s));
        }
        let _ = writeln!(
            out,
            "\nrecords handed over between shards: {} (publication order), {} (reverse)",
            self.sharded_forwards.0, self.sharded_forwards.1
        );
        let _ = writeln!(
            out,
            "\ntrue events split across Kafka route keys: pipeline {}, degraded gold {} (by the whole country set: {}, {})",
            self.route_splits.0,
            self.route_splits.1,
            self.route_splits_by_country_set.0,
            self.route_splits_by_country_set.1
        );
        let _ = writeln!(
            out,
            "\nclusters ending cancelled: {:?} (gold events: {:?})",
            self.cancelled_events, self.gold_cancelled_events
        );
        if verbose {
            let _ = writeln!(
                out,
                "\npage | gold event | extracted | pipeline cluster | gold-event cluster"
            );
            for p in &self.pages {
                let _ = writeln!(
                    out,
                    "{} | {}{} | {:?} | {} | {}",
                    p.gold.page,
                    p.gold.event,
                    if p.gold.distractor {
                        " (near miss)"
                    } else {
                        ""
                    },
                    p.extracted,
                    p.cluster.as_deref().unwrap_or("-"),
                    p.gold_cluster.as_deref().unwrap_or("-"),
                );
            }
            let _ = writeln!(
                out,
                "\npage | degradation | degraded cluster | degraded, reverse order | route key"
            );
            for p in &self.pages {
                let (how, forward, backward, route) = &p.degraded;
                let _ = writeln!(
                    out,
                    "{} | {how:?} | {} | {} | {route}",
                    p.gold.page,
                    forward.as_deref().unwrap_or("-"),
                    backward.as_deref().unwrap_or("-"),
                );
            }
        }
        out
    }
}

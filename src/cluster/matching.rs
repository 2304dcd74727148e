//! When two reports tell the same real-world event.
//!
//! Reports are first grouped by a blocking key (family of the event type and
//! the sorted set of countries involved); a report is compared only with
//! the clusters whose countries hold its own or are held by them (or, for a
//! gathering of three or more countries, with those of its place). The
//! Kafka stage sends a report to the partition of each of its countries and
//! hands clusters over to one owner ([`super::shard`]).
//! A report joins a cluster when every check holds:
//! direction (visitor and host), level (leaders vs ministers), dates and
//! location. The checks are what keeps apart a return visit in the opposite
//! direction, the same leaders meeting a year later, and the foreign
//! ministers meeting on the day of their leaders' summit; a visitor's stop in
//! another country has a country set that neither holds nor is held by the
//! first stop's.
use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::input::{ActorView, EventArgs, EventView, LocationView};
use crate::config::ClusterConfig;
use crate::events::gazetteer::{Gazetteer, Rank};
use crate::events::leaders::Office;

/// Event types that describe one real-world happening in different states:
/// an announced visit that is later cancelled is one story.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// `state_visit_announced`, `visit_cancelled`
    Visit,
    /// `dialogue_held`
    Dialogue,
    /// `agreement_signed`
    Agreement,
    /// Any other type clusters only with itself.
    Other(String),
}

impl Family {
    pub fn of(event_type: &str) -> Family {
        match event_type {
            "state_visit_announced" | "visit_cancelled" => Family::Visit,
            "dialogue_held" => Family::Dialogue,
            "agreement_signed" => Family::Agreement,
            other => Family::Other(other.to_string()),
        }
    }

    fn label(&self) -> &str {
        match self {
            Family::Visit => "visit",
            Family::Dialogue => "dialogue",
            Family::Agreement => "agreement",
            Family::Other(t) => t,
        }
    }
}

/// Who took part, by the highest office among the persons named. Leaders and
/// their ministers meeting on the same day are two events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Leaders,
    Ministers,
    Officials,
}

/// Countries taking part: actors' countries, plus the host country of a
/// visit given only as its location.
///
/// For talks, a country named only as the host of the place (talks between
/// two other states on its soil, "Russia" for a meeting in Kazan) is the
/// venue, not a party: outlets that name it and outlets that do not must get
/// the same set.
pub fn countries(event_type: &str, args: &EventArgs) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = args
        .actors
        .iter()
        .filter_map(|a| a.country.clone())
        .collect();
    if Family::of(event_type) == Family::Dialogue {
        let venue = args.location.as_ref().and_then(|l| l.country.as_deref());
        let only_as_venue = |country: &str| {
            Some(country) == venue
                && args
                    .actors
                    .iter()
                    .filter(|a| a.country.as_deref() == Some(country))
                    .all(|a| a.kind == "country" && a.role == "host")
        };
        let venues: Vec<String> = set.iter().filter(|c| only_as_venue(c)).cloned().collect();
        if set.len() - venues.len() >= 2 {
            for venue in venues {
                set.remove(&venue);
            }
        }
    }
    if Family::of(event_type) == Family::Visit {
        if let Some(country) = args.location.as_ref().and_then(|l| l.country.clone()) {
            set.insert(country);
        }
    }
    set
}

/// A gathering of three or more countries, told with different subsets of
/// its participants by different outlets: blocked by place, not by countries.
/// A visit has one visitor and one host: a third country in its actors is
/// another stop or an extraction mistake, and its participants are a
/// delegation, not a gathering; only a count of countries makes it
/// multilateral.
pub fn is_multilateral(event_type: &str, args: &EventArgs, countries: &BTreeSet<String>) -> bool {
    let visit = Family::of(event_type) == Family::Visit;
    (countries.len() >= 3 && !visit)
        || args.countries.as_ref().is_some_and(|c| c.count >= 3)
        || (!visit && args.participants.as_ref().is_some_and(|c| c.count >= 3))
}

/// The blocking key: which clusters a report is compared with.
pub fn block_key(event: &EventView) -> String {
    let family = Family::of(&event.event_type);
    let countries = countries(&event.event_type, &event.args);
    if is_multilateral(&event.event_type, &event.args, &countries) {
        let place = event
            .args
            .location
            .as_ref()
            .map(|l| l.country.clone().unwrap_or_else(|| l.name.to_lowercase()))
            .unwrap_or_default();
        return format!("{}|multi|{place}", family.label());
    }
    let list: Vec<&str> = countries.iter().map(String::as_str).collect();
    format!("{}|{}", family.label(), list.join(","))
}

/// The Kafka routing key of a report *before* the fan-out of
/// [`super::shard`] (round 4): no longer used for routing, kept for the
/// evaluation's count of events it would split (`cluster_eval`).
///
/// No key can keep together every pair of reports that matching may put in
/// one cluster: a report naming only China and one naming only France may
/// both belong to the talks of Xi and Macron, so a key that never split
/// them would send every report to one partition. The key is therefore one
/// country that the reports of one event are most likely to share, not the
/// whole country set (which splits a report naming one side, or one more
/// country, from the rest):
/// - a visit: the host country (the place of the visit, else the host's or
///   inviter's country): outlets always say where a visit goes, while the
///   visitor may go unnamed or unresolved;
/// - talks and other bilateral events: the first of the parties' countries
///   in ISO order (talks have no side that every outlet names; a report
///   naming only the other party is the case this key splits);
/// - a gathering of three or more countries: its place, as the block key;
/// - no country at all: the block key.
///
/// A report naming only a visit's visitor without a place, or only the
/// second party of talks, lands elsewhere: offline, with one index, it
/// still joins; on Kafka it starts a cluster of its own on its partition
/// (BENCHMARKS.md counts how often on the development set).
pub fn route_key(event: &EventView) -> String {
    let family = Family::of(&event.event_type);
    let args = &event.args;
    let countries = countries(&event.event_type, args);
    if is_multilateral(&event.event_type, args, &countries) {
        let key = block_key(event);
        return key
            .split_once('|')
            .map_or(key.clone(), |(_, rest)| rest.to_string());
    }
    if family == Family::Visit {
        let host = args
            .location
            .as_ref()
            .and_then(|l| l.country.clone())
            .or_else(|| role_countries(&args.actors, &["host", "inviter"]).pop_first());
        if let Some(host) = host {
            return host;
        }
    }
    countries
        .into_iter()
        .next()
        .unwrap_or_else(|| block_key(event))
}

/// Whether a visit report says where the visit goes: a place with its
/// country, or a host or inviter with a country.
pub fn names_host(args: &EventArgs) -> bool {
    args.location.as_ref().is_some_and(|l| l.country.is_some())
        || !role_countries(&args.actors, &["host", "inviter"]).is_empty()
}

/// The level of the persons in an actor list: from the office a resolved
/// person held that day (leaders knowledge base), else from their titles'
/// ranks in the gazetteer (`titles.tsv`). A title of no known rank
/// ("counterpart") says nothing.
pub fn level(gazetteer: &Gazetteer, actors: &[ActorView]) -> Option<Level> {
    actors
        .iter()
        .filter(|a| a.kind == "person")
        .filter_map(|a| match a.office {
            Some(Office::ForeignMinister) => Some(Level::Ministers),
            Some(_) => Some(Level::Leaders),
            None => a.title.as_deref().and_then(|t| title_level(gazetteer, t)),
        })
        .min_by_key(|l| match l {
            Level::Leaders => 0,
            Level::Ministers => 1,
            Level::Officials => 2,
        })
}

fn title_level(gazetteer: &Gazetteer, title: &str) -> Option<Level> {
    if title.to_lowercase().contains("former") {
        return Some(Level::Officials);
    }
    let ranks = gazetteer
        .find_titles(title)
        .into_iter()
        .map(|hit| gazetteer.titles[hit.entry].rank);
    let mut level = None;
    for rank in ranks {
        match rank {
            Rank::Former | Rank::Deputy => return Some(Level::Officials),
            Rank::Monarch | Rank::HeadOfState | Rank::HeadOfGovernment => {
                level = Some(Level::Leaders)
            }
            Rank::Minister if level != Some(Level::Leaders) => level = Some(Level::Ministers),
            _ => level = level.or(Some(Level::Officials)),
        }
    }
    level
}

/// Whether two country sets can be one event's: one holds the other. A
/// report that names only one side, or adds a third country by mistake,
/// still meets the reports that name both sides; two sets that each have a
/// country the other lacks (Xi in France, Xi in Serbia) never meet.
pub fn countries_compatible(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    a.is_subset(b) || b.is_subset(a)
}

/// The countries in a role ("visitor", "host", "inviter").
pub fn role_countries(actors: &[ActorView], roles: &[&str]) -> BTreeSet<String> {
    actors
        .iter()
        .filter(|a| roles.contains(&a.role.as_str()))
        .filter_map(|a| a.country.clone())
        .collect()
}

/// The days an event may have happened on, as one report tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// From the report's own dates (not a window around publication).
    pub exact: bool,
}

impl Span {
    pub fn overlaps(&self, other: &Span, tolerance_days: i64) -> bool {
        let tolerance = Duration::days(tolerance_days);
        self.start <= other.end + tolerance && other.start <= self.end + tolerance
    }
}

/// A report's span: its dates if it gives them, else a window around its
/// publication day (before it for what happened, after it for what is
/// planned). None when it has neither.
pub fn span(
    event_type: &str,
    status: &str,
    args: &EventArgs,
    published: Option<NaiveDate>,
    config: &ClusterConfig,
) -> Option<Span> {
    if let Some(start) = args
        .start_date
        .filter(|_| !dated_by_publication(status, args, published))
    {
        let end = args.end_date.unwrap_or(start).max(start);
        return Some(Span {
            start,
            end,
            exact: true,
        });
    }
    let published = published?;
    let planned = status == "planned" || Family::of(event_type) == Family::Visit;
    let (before, after) = if planned {
        (config.window_before_days, config.window_planned_days)
    } else {
        (config.window_occurred_days, config.window_after_days)
    };
    Some(Span {
        start: published - Duration::days(before),
        end: published + Duration::days(after),
        exact: false,
    })
}

/// Whether a held event's only date is the day its report was published,
/// with no words for it: what the extractor gives talks that the article
/// does not date (`undated_on_publication`). That date says the story is
/// fresh, not when the talks were ("A week ago, the two leaders met",
/// dated the day of the review): the report is placed like an undated one,
/// by the window around its publication, and its date ranks below dates
/// told in words when the cluster's dates are merged.
pub fn dated_by_publication(status: &str, args: &EventArgs, published: Option<NaiveDate>) -> bool {
    status == "occurred"
        && args.date_text.is_none()
        && args.start_date.is_some()
        && args.start_date == published
        && args.end_date.map_or(true, |end| Some(end) == published)
}

/// Locations are compatible when either is unknown, both name the same place,
/// both lie in the same country, or one lies in a country the gazetteer
/// cannot tell: outlets place one summit in the city, the suburb, the venue
/// or the country ("San Francisco", "Woodside", "the Filoli estate", "the
/// United States"), and what keeps two events apart is their actors, level
/// and dates, not the town. A place of unknown country (a venue, a palace, a
/// small town the gazetteer lacks) says nothing about where it is.
pub fn locations_compatible(a: &EventArgs, b: &EventArgs) -> bool {
    let (Some(a), Some(b)) = (&a.location, &b.location) else {
        return true;
    };
    places_compatible(a, b)
}

/// [`locations_compatible`] for two known places.
pub fn places_compatible(a: &LocationView, b: &LocationView) -> bool {
    if a.name.eq_ignore_ascii_case(&b.name) {
        return true;
    }
    match (&a.country, &b.country) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

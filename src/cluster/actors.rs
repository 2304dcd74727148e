//! Who an actor is, across the name forms outlets use: "Fumio Kishida",
//! "Kishida" and "the Japanese prime minister" are one person on a day in
//! 2023. Persons are resolved through the leaders knowledge base
//! (`config/gazetteer/leaders.tsv`, [`Leaders`]) *as of the event's day*, so
//! "the Japanese prime minister" is Kishida in 2023 and Ishiba in 2025.
//!
//! A resolved person gets the knowledge base's name, its Wikidata id (the
//! identity that matching and merging compare), the office held that day
//! (the level of the meeting) and, where the report gave none or another
//! one, the country of that office: extractors miss or mistake a leader's
//! country more often than the table does.
use chrono::NaiveDate;

use super::input::{ActorView, EventArgs};
use crate::events::gazetteer::{Gazetteer, Rank};
use crate::events::leaders::{LeaderRef, Leaders, Office, Resolution};

/// Resolves every person of `args` on `day` (the event's first day, else
/// its publication day). Idempotent: an actor that already carries a
/// Wikidata id is left as it is.
pub fn resolve_actors(
    gazetteer: &Gazetteer,
    leaders: &Leaders,
    args: &mut EventArgs,
    day: Option<NaiveDate>,
) {
    let Some(day) = args.start_date.or(day) else {
        return;
    };
    for actor in args.actors.iter_mut().filter(|a| a.kind == "person") {
        if actor.wikidata.is_some() {
            continue;
        }
        if let Some(leader) = resolve_person(gazetteer, leaders, actor, day) {
            apply(actor, leader);
        }
    }
}

/// The office a title names ("Prime Minister" -> head of government,
/// "Foreign Minister" -> foreign minister), by the gazetteer's title ranks.
pub fn office_of_title(gazetteer: &Gazetteer, title: &str) -> Option<Office> {
    let lower = title.to_lowercase();
    let mut best: Option<Office> = None;
    for hit in gazetteer.find_titles(&lower) {
        let rank = gazetteer.titles[hit.entry].rank;
        if matches!(rank, Rank::Former | Rank::Deputy) {
            return None;
        }
        let office = match rank {
            Rank::Minister if lower.contains("foreign") => Some(Office::ForeignMinister),
            rank => Office::from_rank(rank),
        };
        best = best.or(office);
    }
    best
}

fn resolve_person(
    gazetteer: &Gazetteer,
    leaders: &Leaders,
    actor: &ActorView,
    day: NaiveDate,
) -> Option<LeaderRef> {
    let hint = actor
        .title
        .as_deref()
        .and_then(|t| office_of_title(gazetteer, t));
    match leaders.resolve(&actor.name, day, hint) {
        Resolution::Person(leader) => Some(leader),
        Resolution::Ambiguous(_) => None,
        Resolution::Unknown => by_description(gazetteer, leaders, actor, hint, day),
    }
}

/// A person named by office and country ("the Japanese prime minister",
/// or a title and a country without a name): the one holder of that office
/// in that country on `day`, if there is exactly one.
fn by_description(
    gazetteer: &Gazetteer,
    leaders: &Leaders,
    actor: &ActorView,
    title_hint: Option<Office>,
    day: NaiveDate,
) -> Option<LeaderRef> {
    // Only a name that is itself a description: a name the table does not
    // know, with a title, is someone else (a deputy, an envoy).
    let office = office_of_title(gazetteer, &actor.name)?;
    if title_hint.is_some_and(|hint| hint != office) {
        return None;
    }
    let country = gazetteer
        .find_countries(&actor.name)
        .first()
        .map(|(hit, _)| gazetteer.countries[hit.entry].iso3.clone())
        .or_else(|| actor.country.clone())?;
    let [person] = leaders.holders(&country, Some(office), day)[..] else {
        return None;
    };
    Some(LeaderRef {
        name: person.name.clone(),
        wikidata: person.wikidata.clone(),
        country,
        office: Some(office),
    })
}

fn apply(actor: &mut ActorView, leader: LeaderRef) {
    // The table's country wins only for an office held that day; out of
    // office, its country is a guess from the nearest tenure.
    if leader.office.is_some() || actor.country.is_none() {
        actor.country = Some(leader.country);
    }
    actor.office = leader.office;
    actor.name = leader.name;
    actor.wikidata = Some(leader.wikidata);
}

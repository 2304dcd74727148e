//! The merged arguments of a cluster, recomputed from its members.
//!
//! Every choice is a vote among members, ties broken by the earliest report,
//! so the result does not depend on arrival order beyond that.
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::input::{ActorView, CountView};
use super::record::{ClusterRecord, ClusterStatus, Member, StatusChange};

/// Recomputes every merged field of `record` from `record.members`.
pub fn refresh(record: &mut ClusterRecord) {
    record.members.sort_by(|a, b| {
        (a.published.as_deref(), a.event_id.as_str())
            .cmp(&(b.published.as_deref(), b.event_id.as_str()))
    });
    let members = &record.members;
    record.actors = merge_actors(members);
    record.location = vote(
        members
            .iter()
            .filter_map(|m| m.args.location.clone())
            .map(|l| (true, l)),
    );
    let (start, end, date_text) = best_dates(members);
    record.start_date = start;
    record.end_date = end;
    record.date_text = date_text;
    record.mode = vote(
        members
            .iter()
            .filter_map(|m| m.args.mode.clone())
            .map(|m| (true, m)),
    );
    record.visit_level = vote(
        members
            .iter()
            .filter_map(|m| m.args.visit_level.clone())
            .map(|v| (v != "unspecified", v)),
    );
    record.participants = best_count(members.iter().filter_map(|m| m.args.participants.clone()));
    record.countries = best_count(members.iter().filter_map(|m| m.args.countries.clone()));
    let outlets: BTreeSet<&str> = members.iter().map(|m| m.outlet.as_str()).collect();
    record.num_sources = outlets.len();
    let published: Vec<&str> = members
        .iter()
        .filter_map(|m| m.published.as_deref())
        .collect();
    record.first_seen = published.iter().min().map(|s| s.to_string());
    record.last_seen = published.iter().max().map(|s| s.to_string());
    record.status_history = history(members);
    record.status = record
        .status_history
        .last()
        .map(|c| c.status)
        .unwrap_or(ClusterStatus::Occurred);
}

/// The status a member tells.
pub fn member_status(member: &Member) -> ClusterStatus {
    match member.event_type.as_str() {
        "visit_cancelled" => ClusterStatus::Cancelled,
        "state_visit_announced" => ClusterStatus::Announced,
        _ if member.status == "planned" => ClusterStatus::Announced,
        _ => ClusterStatus::Occurred,
    }
}

fn history(members: &[Member]) -> Vec<StatusChange> {
    let mut history: Vec<StatusChange> = Vec::new();
    for member in members {
        let status = member_status(member);
        if history.last().map(|c| c.status) != Some(status) {
            history.push(StatusChange {
                status,
                at: member.published.clone(),
                event_id: member.event_id.clone(),
            });
        }
    }
    history
}

/// The value most members give; among equals, a specific one (`true`) over a
/// vague one, then the earliest report's.
fn vote<T: Clone + Ord>(values: impl Iterator<Item = (bool, T)>) -> Option<T> {
    let mut tally: BTreeMap<T, (bool, usize, usize)> = BTreeMap::new();
    for (order, (specific, value)) in values.enumerate() {
        let entry = tally.entry(value).or_insert((specific, 0, order));
        entry.1 += 1;
    }
    tally
        .into_iter()
        .max_by_key(|(_, (specific, count, first))| (*specific, *count, std::cmp::Reverse(*first)))
        .map(|(value, _)| value)
}

/// An exact range beats a single day, which beats a phrase without dates
/// ("next week"), which beats nothing; among equals, the most supported.
fn best_dates(members: &[Member]) -> (Option<NaiveDate>, Option<NaiveDate>, Option<String>) {
    type Dates = (Option<NaiveDate>, Option<NaiveDate>, Option<String>);
    let candidates = members.iter().map(|m| {
        let a = &m.args;
        let rank = match (a.start_date, a.end_date) {
            (Some(s), Some(e)) if e > s => 3,
            (Some(_), _) => 2,
            _ if a.date_text.is_some() => 1,
            _ => 0,
        };
        (rank, (a.start_date, a.end_date, a.date_text.clone()))
    });
    // (start, end) -> (rank, supporting members, first member, its text).
    type Tally =
        BTreeMap<(Option<NaiveDate>, Option<NaiveDate>), (u8, usize, usize, Option<String>)>;
    let mut tally: Tally = BTreeMap::new();
    for (order, (rank, (start, end, text))) in candidates.enumerate() {
        if rank == 0 {
            continue;
        }
        let entry = tally.entry((start, end)).or_insert((rank, 0, order, text));
        entry.1 += 1;
    }
    let best: Option<Dates> = tally
        .into_iter()
        .max_by_key(|(_, (rank, count, first, _))| (*rank, *count, std::cmp::Reverse(*first)))
        .map(|((start, end), (_, _, _, text))| (start, end, text));
    best.unwrap_or((None, None, None))
}

/// The most precise count: an exact figure over "at least", "more than" and
/// "about"; among equals the most supported, then the larger.
fn best_count(counts: impl Iterator<Item = CountView>) -> Option<CountView> {
    let precision = |q: &str| match q {
        "exact" => 3,
        "at_least" | "more_than" => 2,
        _ => 1,
    };
    let mut tally: BTreeMap<(u64, String), usize> = BTreeMap::new();
    for c in counts {
        *tally.entry((c.count, c.qualifier)).or_default() += 1;
    }
    tally
        .into_iter()
        .max_by_key(|((count, qualifier), n)| (precision(qualifier), *n, *count))
        .map(|((count, qualifier), _)| CountView { count, qualifier })
}

/// One actor per real person, organization or country across the members'
/// name forms: persons resolved through the leaders knowledge base are one
/// by their Wikidata id ("Fumio Kishida", "Kishida", "the Japanese prime
/// minister"); others by country and surname, joining a resolved person of
/// the same country and surname. A country stands on its own only where no
/// person of it is named in the same role.
fn merge_actors(members: &[Member]) -> Vec<ActorView> {
    let mut groups: Vec<(String, Vec<&ActorView>)> = Vec::new();
    let actors = members.iter().flat_map(|m| &m.args.actors);
    // Resolved persons first, so that a bare form finds its person
    // whichever report came first; the groups keep first-report order.
    let (resolved, rest): (Vec<&ActorView>, Vec<&ActorView>) =
        actors.partition(|a| a.wikidata.is_some());
    let mut order: Vec<String> = Vec::new();
    for actor in resolved.into_iter().chain(rest) {
        let key = actor_key(actor, &groups);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(actor),
            None => groups.push((key, vec![actor])),
        }
    }
    for actor in members.iter().flat_map(|m| &m.args.actors) {
        let key = actor_key(actor, &groups);
        if !order.contains(&key) {
            order.push(key);
        }
    }
    groups.sort_by_key(|(key, _)| order.iter().position(|k| k == key));
    let merged: Vec<ActorView> = groups
        .into_iter()
        .map(|(_, list)| merge_group(&list))
        .collect();
    let persons: BTreeSet<(Option<String>, String)> = merged
        .iter()
        .filter(|a| a.kind == "person")
        .map(|a| (a.country.clone(), a.role.clone()))
        .collect();
    merged
        .iter()
        .filter(|a| a.kind != "country" || !persons.contains(&(a.country.clone(), a.role.clone())))
        .cloned()
        .collect()
}

/// The group an actor belongs in, given the groups so far.
fn actor_key(actor: &ActorView, groups: &[(String, Vec<&ActorView>)]) -> String {
    if let Some(id) = &actor.wikidata {
        return format!("person|{id}");
    }
    if actor.kind == "person" {
        let surname = surname(&actor.name);
        let resolved = groups.iter().find(|(_, list)| {
            let first = list[0];
            first.wikidata.is_some()
                && (actor.country.is_none() || first.country == actor.country)
                && self::surname(&first.name) == surname
        });
        if let Some((key, _)) = resolved {
            return key.clone();
        }
    }
    match actor.kind.as_str() {
        "person" => format!(
            "person|{}|{}",
            actor.country.as_deref().unwrap_or(""),
            surname(&actor.name)
        ),
        "country" => format!(
            "country|{}",
            actor.country.as_deref().unwrap_or(&actor.name)
        ),
        kind => format!("{kind}|{}", fold(&actor.name)),
    }
}

/// The last word of a name, folded: the part every form of a name shares.
fn surname(name: &str) -> String {
    fold(name.split_whitespace().last().unwrap_or(name))
}

fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

fn merge_group(list: &[&ActorView]) -> ActorView {
    // The knowledge base's name of a resolved person, else the fullest name
    // form; the most frequent role and title.
    let resolved = list.iter().find(|a| a.wikidata.is_some());
    let name = list
        .iter()
        .filter(|a| resolved.is_none() || a.wikidata.is_some())
        .map(|a| a.name.as_str())
        .max_by_key(|n| (n.split_whitespace().count(), n.len()))
        .unwrap_or_default()
        .to_string();
    let role = vote(list.iter().map(|a| (true, a.role.clone()))).unwrap_or_default();
    let title = vote(
        list.iter()
            .filter_map(|a| a.title.clone())
            .map(|t| (true, t)),
    );
    ActorView {
        name,
        role,
        kind: list[0].kind.clone(),
        title,
        country: resolved
            .and_then(|a| a.country.clone())
            .or_else(|| list.iter().find_map(|a| a.country.clone())),
        wikidata: resolved.and_then(|a| a.wikidata.clone()),
        office: resolved.and_then(|a| a.office),
    }
}

//! The merged arguments of a cluster, recomputed from its members.
//!
//! Every choice is a vote among members, ties broken by the earliest report,
//! so the result does not depend on arrival order beyond that.
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::input::{ActorView, CountView, LocationView};
use super::matching;
use super::record::{ClusterRecord, ClusterStatus, Member, StatusChange};
use crate::events::leaders::Office;

/// Recomputes every merged field of `record` from `record.members` (after a
/// restart); returns the tallies that [`Merger::add`] then keeps up to date.
pub fn refresh(record: &mut ClusterRecord) -> Merger {
    record.members.sort_by_key(order_key);
    let mut merger = Merger::default();
    for member in &record.members {
        merger.count(member);
    }
    merger.write(record);
    record.status_history = history(&record.members);
    set_status(record);
    merger
}

/// Where a member stands among the others: publication instant (outlets
/// write times in their own zones: "23:00-05:00" comes after "01:00Z" of
/// the next day), then the text as given, then event id. Ties between
/// values are broken by the earliest report in this order.
type OrderKey = (
    Option<chrono::DateTime<chrono::Utc>>,
    Option<String>,
    String,
);

/// A report's (start, end) dates.
type DateSpan = (Option<NaiveDate>, Option<NaiveDate>);

fn order_key(member: &Member) -> OrderKey {
    (
        member.published.as_deref().and_then(super::index::utc),
        member.published.clone(),
        member.event_id.clone(),
    )
}

/// The tallies behind a cluster's merged arguments, kept member by member so
/// that a report joining a large cluster costs what its own arguments cost,
/// not what all members' do. The result is the same as a recount over the
/// members in publication order, whatever order they arrived in.
#[derive(Debug, Default)]
pub struct Merger {
    location: Tally<LocationView>,
    dates: Tally<DateSpan>,
    /// The `date_text` of the earliest report of each (start, end).
    date_texts: BTreeMap<DateSpan, (OrderKey, Option<String>)>,
    mode: Tally<String>,
    visit_level: Tally<String>,
    participants: BTreeMap<(u64, String), usize>,
    countries: BTreeMap<(u64, String), usize>,
    outlets: BTreeSet<String>,
    actors: ActorGroups,
}

impl Merger {
    /// Adds one member to `record` (kept in publication order) and updates
    /// the merged fields.
    pub fn add(&mut self, record: &mut ClusterRecord, member: Member) {
        let key = order_key(&member);
        let position = record.members.partition_point(|m| order_key(m) <= key);
        let appended = position == record.members.len();
        self.count(&member);
        record.members.insert(position, member);
        self.write(record);
        if appended {
            // Publication order: the history only grows at its end.
            let member = &record.members[position];
            let status = member_status(member);
            if record.status_history.last().map(|c| c.status) != Some(status) {
                record.status_history.push(StatusChange {
                    status,
                    at: member.published.clone(),
                    event_id: member.event_id.clone(),
                });
            }
        } else {
            record.status_history = history(&record.members);
        }
        set_status(record);
    }

    fn count(&mut self, member: &Member) {
        let order = order_key(member);
        let a = &member.args;
        if let Some(location) = &a.location {
            self.location.count(location.clone(), true, &order);
        }
        let published = super::input::published_day(member.published.as_deref());
        let rank = match (a.start_date, a.end_date) {
            _ if matching::dated_by_publication(&member.status, a, published) => 1,
            (Some(s), Some(e)) if e > s => 3,
            (Some(_), _) => 2,
            _ if a.date_text.is_some() => 1,
            _ => 0,
        };
        if rank > 0 {
            let span = (a.start_date, a.end_date);
            self.dates.count_ranked(span, rank, &order);
            let text = self
                .date_texts
                .entry(span)
                .or_insert_with(|| (order.clone(), a.date_text.clone()));
            if order < text.0 {
                *text = (order.clone(), a.date_text.clone());
            }
        }
        if let Some(mode) = &a.mode {
            self.mode.count(mode.clone(), true, &order);
        }
        if let Some(level) = &a.visit_level {
            self.visit_level
                .count(level.clone(), level != "unspecified", &order);
        }
        if let Some(c) = &a.participants {
            *self
                .participants
                .entry((c.count, c.qualifier.clone()))
                .or_default() += 1;
        }
        if let Some(c) = &a.countries {
            *self
                .countries
                .entry((c.count, c.qualifier.clone()))
                .or_default() += 1;
        }
        self.outlets.insert(member.outlet.clone());
        for (i, actor) in a.actors.iter().enumerate() {
            self.actors.count(actor, (order.clone(), i));
        }
    }

    /// Writes the merged fields (all but the status) into `record`, whose
    /// members are in publication order.
    fn write(&self, record: &mut ClusterRecord) {
        record.actors = self.actors.merged();
        record.location = self.location.best();
        let best = self.dates.best();
        record.start_date = best.and_then(|(s, _)| s);
        record.end_date = best.and_then(|(_, e)| e);
        record.date_text = best
            .and_then(|span| self.date_texts.get(&span))
            .and_then(|(_, text)| text.clone());
        record.mode = self.mode.best();
        record.visit_level = self.visit_level.best();
        record.participants = best_count(&self.participants);
        record.countries = best_count(&self.countries);
        record.num_sources = self.outlets.len();
        // Members are in publication order (reports without a time first).
        let published = |m: &Member| m.published.clone();
        record.first_seen = record.members.iter().find_map(published);
        record.last_seen = record.members.iter().rev().find_map(published);
    }
}

fn set_status(record: &mut ClusterRecord) {
    record.status = record
        .status_history
        .last()
        .map(|c| c.status)
        .unwrap_or(ClusterStatus::Occurred);
}

/// Votes for the values of one field: the value most members give; among
/// equals, a specific one over a vague one (or the higher rank), then the
/// earliest report's.
#[derive(Debug)]
struct Tally<T: Ord> {
    /// Value -> (rank, supporting members, earliest member).
    votes: BTreeMap<T, (u8, usize, OrderKey)>,
}

impl<T: Ord> Default for Tally<T> {
    fn default() -> Self {
        Self {
            votes: BTreeMap::new(),
        }
    }
}

impl<T: Ord + Clone> Tally<T> {
    fn count(&mut self, value: T, specific: bool, order: &OrderKey) {
        self.count_ranked(value, u8::from(specific), order);
    }

    fn count_ranked(&mut self, value: T, rank: u8, order: &OrderKey) {
        let entry = self.votes.entry(value).or_insert((rank, 0, order.clone()));
        entry.1 += 1;
        if *order < entry.2 {
            entry.2 = order.clone();
        }
    }

    fn best(&self) -> Option<T> {
        self.votes
            .iter()
            .max_by(|(_, a), (_, b)| (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| b.2.cmp(&a.2)))
            .map(|(value, _)| value.clone())
    }

    fn absorb(&mut self, other: Tally<T>) {
        for (value, (rank, n, order)) in other.votes {
            let entry = self.votes.entry(value).or_insert((rank, 0, order.clone()));
            entry.1 += n;
            if order < entry.2 {
                entry.2 = order;
            }
        }
    }
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

/// The most precise count: an exact figure over "at least", "more than" and
/// "about"; among equals the most supported, then the larger.
fn best_count(tally: &BTreeMap<(u64, String), usize>) -> Option<CountView> {
    let precision = |q: &str| match q {
        "exact" => 3,
        "at_least" | "more_than" => 2,
        _ => 1,
    };
    tally
        .iter()
        .max_by_key(|((count, qualifier), n)| (precision(qualifier), **n, *count))
        .map(|((count, qualifier), _)| CountView {
            count: *count,
            qualifier: qualifier.clone(),
        })
}

/// One actor per real person, organization or country across the members'
/// name forms: persons resolved through the leaders knowledge base are one
/// by their Wikidata id ("Fumio Kishida", "Kishida", "the Japanese prime
/// minister"); others by country and surname, and such a group joins a
/// resolved person of the same country and surname whichever came first.
/// A country stands on its own only where no person of it is named in the
/// same role.
#[derive(Debug, Default)]
struct ActorGroups {
    groups: Vec<ActorGroup>,
}

#[derive(Debug)]
struct ActorGroup {
    key: String,
    kind: String,
    /// The first mention: earliest member, then place in its actor list.
    first: (OrderKey, usize),
    /// Fullest name form: (from a resolved person, words, length, name).
    name: (bool, usize, usize, String),
    role: Tally<String>,
    title: Tally<String>,
    /// The country of the first mention that gives one.
    country: Option<((OrderKey, usize), String)>,
    /// Knowledge-base identity, from the first resolved mention.
    resolved: Option<(String, Option<String>, Option<Office>)>,
    surname: String,
}

impl ActorGroups {
    fn count(&mut self, actor: &ActorView, at: (OrderKey, usize)) {
        let key = self.key_of(actor);
        let index = match self.groups.iter().position(|g| g.key == key) {
            Some(i) => i,
            None => {
                self.groups.push(ActorGroup::new(key, actor, &at));
                self.groups.len() - 1
            }
        };
        self.groups[index].count(actor, at);
        if actor.wikidata.is_some() {
            self.absorb_bare_forms(index);
        }
    }

    /// The group an actor belongs in, given the groups so far.
    fn key_of(&self, actor: &ActorView) -> String {
        if let Some(id) = &actor.wikidata {
            return format!("person|{id}");
        }
        if actor.kind == "person" {
            let surname = surname(&actor.name);
            if let Some(group) = self.groups.iter().find(|g| {
                g.resolved.is_some()
                    && g.surname == surname
                    && (actor.country.is_none()
                        || g.country.as_ref().map(|(_, c)| c) == actor.country.as_ref())
            }) {
                return group.key.clone();
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

    /// A resolved person takes in the unresolved groups of its country and
    /// surname that came before it.
    fn absorb_bare_forms(&mut self, resolved: usize) {
        let (surname, country) = {
            let g = &self.groups[resolved];
            (
                g.surname.clone(),
                g.country.as_ref().map(|(_, c)| c.clone()),
            )
        };
        let bare_key = format!("person|{}|{surname}", country.as_deref().unwrap_or(""));
        let loose_key = format!("person||{surname}");
        let mut i = 0;
        while i < self.groups.len() {
            let g = &self.groups[i];
            if i != resolved && g.resolved.is_none() && (g.key == bare_key || g.key == loose_key) {
                let bare = self.groups.remove(i);
                let target = if i < resolved { resolved - 1 } else { resolved };
                self.groups[target].absorb(bare);
                return self.absorb_bare_forms(target);
            }
            i += 1;
        }
    }

    fn merged(&self) -> Vec<ActorView> {
        let mut groups: Vec<&ActorGroup> = self.groups.iter().collect();
        groups.sort_by(|a, b| a.first.cmp(&b.first));
        let merged: Vec<ActorView> = groups.into_iter().map(ActorGroup::merged).collect();
        let persons: BTreeSet<(Option<String>, String)> = merged
            .iter()
            .filter(|a| a.kind == "person")
            .map(|a| (a.country.clone(), a.role.clone()))
            .collect();
        merged
            .into_iter()
            .filter(|a| {
                a.kind != "country" || !persons.contains(&(a.country.clone(), a.role.clone()))
            })
            .collect()
    }
}

impl ActorGroup {
    fn new(key: String, actor: &ActorView, at: &(OrderKey, usize)) -> Self {
        Self {
            key,
            kind: actor.kind.clone(),
            first: at.clone(),
            name: (false, 0, 0, String::new()),
            role: Tally::default(),
            title: Tally::default(),
            country: None,
            resolved: None,
            surname: surname(&actor.name),
        }
    }

    fn count(&mut self, actor: &ActorView, at: (OrderKey, usize)) {
        let name = (
            actor.wikidata.is_some(),
            actor.name.split_whitespace().count(),
            actor.name.len(),
            actor.name.clone(),
        );
        if name > self.name {
            self.name = name;
        }
        self.role.count(actor.role.clone(), true, &at.0);
        if let Some(title) = &actor.title {
            self.title.count(title.clone(), true, &at.0);
        }
        if let Some(country) = &actor.country {
            let resolved_country = actor.wikidata.is_some();
            let earlier = self.country.as_ref().map_or(true, |(first, _)| at < *first);
            if earlier && (resolved_country || self.resolved.is_none()) {
                self.country = Some((at.clone(), country.clone()));
            }
        }
        if let (Some(id), None) = (&actor.wikidata, &self.resolved) {
            self.resolved = Some((actor.name.clone(), Some(id.clone()), actor.office));
            self.surname = surname(&actor.name);
            if let Some(country) = &actor.country {
                self.country = Some((at.clone(), country.clone()));
            }
        }
        if at < self.first {
            self.first = at;
        }
    }

    fn absorb(&mut self, other: ActorGroup) {
        if other.name > self.name {
            self.name = other.name;
        }
        self.role.absorb(other.role);
        self.title.absorb(other.title);
        if self.country.is_none() {
            self.country = other.country;
        }
        if other.first < self.first {
            self.first = other.first;
        }
    }

    fn merged(&self) -> ActorView {
        let (wikidata, office) = match &self.resolved {
            Some((_, id, office)) => (id.clone(), *office),
            None => (None, None),
        };
        ActorView {
            name: self.name.3.clone(),
            role: self.role.best().unwrap_or_default(),
            kind: self.kind.clone(),
            title: self.title.best(),
            country: self.country.as_ref().map(|(_, c)| c.clone()),
            wikidata,
            office,
        }
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

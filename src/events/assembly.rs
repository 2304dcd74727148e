//! Document-level assembly: repeated tellings of one event in an article
//! fold into one, bilateral tellings with other sides stay apart, and a
//! visit without a foreign host is refused once the whole article is read.
use once_cell::sync::Lazy;
use regex::Regex;

use super::dates;
use super::matcher::Candidate;
use super::{ActorKind, Event, Role};

/// "the phone call", "their talks", "the visit": a telling of an event
/// already told.
static DEFINITE_REFERENCE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:the|this|that|their|his|her) (?:[\w-]+ ){0,2}(?:call|talks|meeting|visit|conversation|summit|trip)\b").unwrap()
});

/// A visit needs a host country other than the visitor's: a leader's trip
/// inside their own country is no visit abroad.
pub fn has_foreign_host(event: &Event) -> bool {
    let visitor_countries: Vec<&str> = event
        .actors
        .iter()
        .filter(|a| a.role == Role::Visitor)
        .filter_map(|a| a.country.as_deref())
        .collect();
    event.actors.iter().any(|a| {
        a.role == Role::Host
            && a.country
                .as_deref()
                .is_some_and(|c| !visitor_countries.contains(&c))
    })
}

/// Two bilateral tellings are of different events when their sides differ
/// ("Trump met Xi ...", "Trump also met Modi ...").
fn different_sides(a: &Candidate, b: &Candidate) -> bool {
    sides_compared(a, b) == Some(false)
}

/// Two bilateral tellings with the same two sides, e.g. "After talks with
/// Putin, Trump said ..." after "Trump and Putin met in Helsinki".
fn same_sides(a: &Candidate, b: &Candidate) -> bool {
    sides_compared(a, b) == Some(true)
}

/// For two bilateral tellings with two sides or more each: whether one's
/// sides cover the other's.
fn sides_compared(a: &Candidate, b: &Candidate) -> Option<bool> {
    if a.multilateral || b.multilateral {
        return None;
    }
    let sides = |e: &Event| -> Vec<String> {
        let mut sides: Vec<String> = e
            .actors
            .iter()
            .map(|a| a.country.clone().unwrap_or_else(|| a.name.clone()))
            .collect();
        sides.sort();
        sides.dedup();
        sides
    };
    let (mine, theirs) = (sides(&a.event), sides(&b.event));
    if mine.len() < 2 || theirs.len() < 2 {
        return None;
    }
    let covered = |x: &[String], y: &[String]| x.iter().all(|s| y.contains(s));
    Some(covered(&mine, &theirs) || covered(&theirs, &mine))
}

/// Two tellings that each name two persons or more, none in common, are of
/// different meetings ("Abe met Trump ...", "Aso met Pence ...").
fn different_persons(a: &Event, b: &Event) -> bool {
    let persons = |e: &Event| -> Vec<String> {
        e.actors
            .iter()
            .filter(|a| a.kind == ActorKind::Person)
            .map(|a| a.name.clone())
            .collect()
    };
    let (mine, theirs) = (persons(a), persons(b));
    mine.len() >= 2
        && theirs.len() >= 2
        && !mine.iter().any(|n| theirs.iter().any(|t| same_name(n, t)))
}

/// Two tellings that name different persons for one country are of
/// different meetings ("the Pope received Milei", "talks between Milei and
/// Cardinal Parolin"; "the King received Zelensky", "Sunak welcomed
/// Zelensky").
fn different_persons_of_a_country(a: &Event, b: &Event) -> bool {
    let persons_of = |e: &'_ Event, country: &str| -> Vec<String> {
        e.actors
            .iter()
            .filter(|x| x.kind == ActorKind::Person && x.country.as_deref() == Some(country))
            .map(|x| x.name.clone())
            .collect()
    };
    a.actors
        .iter()
        .filter(|x| x.kind == ActorKind::Person)
        .filter_map(|x| x.country.as_deref())
        .any(|country| {
            let (mine, theirs) = (persons_of(a, country), persons_of(b, country));
            !theirs.is_empty() && !mine.iter().any(|n| theirs.iter().any(|t| same_name(n, t)))
        })
}

/// One person named in full and by surname: "Anthony Albanese", "Albanese".
fn same_name(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short == long
        || (!short.is_empty()
            && long.ends_with(short)
            && long[..long.len() - short.len()].ends_with(' '))
}

/// Whether `event` already has a host, of a country other than `country`.
fn other_host_country(event: &Event, country: Option<&str>) -> bool {
    event
        .actors
        .iter()
        .any(|a| a.role == Role::Host && a.country.is_some() && a.country.as_deref() != country)
}

/// The host or visitor role an event already gives to an actor of `country`.
fn side_of_country(event: &Event, country: Option<&str>) -> Option<Role> {
    let country = country?;
    event
        .actors
        .iter()
        .find(|a| {
            matches!(a.role, Role::Host | Role::Visitor) && a.country.as_deref() == Some(country)
        })
        .map(|a| a.role)
}

/// Folds repeated tellings of one event in one article into the first
/// telling: same type and kind of gathering, compatible dates, and a shared
/// non-participant actor, or a later telling that names no person and gives
/// no date ("The online meeting, which lasted an hour, ...").
pub fn merge(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut merged: Vec<Candidate> = Vec::new();
    for candidate in candidates {
        let event = &candidate.event;
        let key = |e: &Event| -> Vec<String> {
            e.actors
                .iter()
                .filter(|a| a.role != Role::Participant)
                .map(|a| a.name.clone())
                .collect()
        };
        // "The two-day meeting, organised by ...": a later telling without a
        // start date that names no person or refers back with "The".
        let anaphoric = event.start_date.is_none()
            && (!event.actors.iter().any(|a| a.kind == ActorKind::Person)
                || ["The ", "This ", "That "]
                    .iter()
                    .any(|w| event.evidence.text.starts_with(w)));
        // "A statement after the phone call said ...": told again, by reference
        let refers_back =
            event.start_date.is_none() && DEFINITE_REFERENCE.is_match(&event.evidence.text);
        let same = merged.iter_mut().rev().find(|m| {
            let other = &m.event;
            if other.event_type != event.event_type
                || (m.multilateral != candidate.multilateral && !anaphoric)
                || different_sides(m, &candidate)
                || different_persons(other, event)
                || different_persons_of_a_country(other, event)
                || (other.mode.is_some() && event.mode.is_some() && other.mode != event.mode)
            {
                return false;
            }
            let dates_compatible = other.start_date.is_none()
                || event.start_date.is_none()
                || other.start_date == event.start_date;
            let (mine, theirs) = (key(event), key(other));
            let shares_key_actor = mine.iter().any(|n| theirs.iter().any(|t| same_name(n, t)));
            let shares_actor = event
                .actors
                .iter()
                .any(|a| other.actors.iter().any(|b| same_name(&b.name, &a.name)));
            dates_compatible
                && (shares_key_actor
                    || refers_back
                    || same_sides(m, &candidate)
                    || anaphoric
                    || (shares_actor
                        && (mine.is_empty() || theirs.is_empty())
                        && other.start_date == event.start_date))
        });
        match same {
            Some(existing) => {
                if let (Some(start), Some(last), None) = (
                    existing
                        .event
                        .start_date
                        .as_deref()
                        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
                    candidate.until,
                    candidate.event.start_date.as_ref(),
                ) {
                    if existing.event.start_date == existing.event.end_date {
                        existing.event.end_date =
                            Some(dates::next_weekday_on_or_after(start, last).to_string());
                    }
                }
                let by_reference_only = refers_back
                    && !anaphoric
                    && !candidate.event.actors.iter().any(|a| {
                        existing
                            .event
                            .actors
                            .iter()
                            .any(|b| same_name(&b.name, &a.name))
                    });
                let target = &mut existing.event;
                let mut source = candidate.event;
                if by_reference_only {
                    // its names are what was said, not who took part
                    source.actors.clear();
                }
                if target.start_date.is_none() && source.start_date.is_some() {
                    target.start_date = source.start_date;
                    target.end_date = source.end_date;
                    target.date_text = source.date_text;
                }
                target.location = target.location.take().or(source.location);
                target.theme = target.theme.take().or(source.theme);
                target.name = target.name.take().or(source.name);
                target.participants = target.participants.take().or(source.participants);
                target.countries = target.countries.take().or(source.countries);
                for mut actor in source.actors {
                    // a visit has one host country: another one is another stop
                    if actor.role == Role::Host
                        && !target
                            .actors
                            .iter()
                            .any(|a| same_name(&a.name, &actor.name))
                        && other_host_country(target, actor.country.as_deref())
                    {
                        continue;
                    }
                    match target
                        .actors
                        .iter_mut()
                        .find(|a| same_name(&a.name, &actor.name))
                    {
                        Some(known) if known.role == Role::Participant => known.role = actor.role,
                        Some(_) => {}
                        None => {
                            // a newcomer sides with the actor of its country
                            // the first telling placed ("Russia" hosts, so
                            // "Putin" does), whatever its own telling said
                            if let Some(side) = side_of_country(target, actor.country.as_deref()) {
                                actor.role = side;
                            }
                            target.actors.push(actor)
                        }
                    }
                }
                target.confidence = target.confidence.max(source.confidence);
            }
            None => merged.push(candidate),
        }
    }
    merged
}

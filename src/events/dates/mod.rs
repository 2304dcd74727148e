//! A temporal tagger for event dates, on the model of HeidelTime and SUTime
//! for news: date phrases in a sentence, resolved to calendar days against
//! the story's publication date and the tense of the clause around them.
//!
//! Phases: [`phrases`] finds the phrases (calendar dates and day ranges,
//! numeric dates, ordinal days, weekdays, relative days, vague periods,
//! durations); this module picks the one that dates the event (not an
//! attribution date, near a trigger, most specific); [`tense`] reads the
//! clause's tense; [`resolve`] turns the phrase into days.
//!
//! Granularity decides what is vague. A phrase naming a day ("tomorrow",
//! "on Thursday", "the 8th", "May 5", "Thursday and Friday") resolves;
//! a phrase naming a coarser period ("this weekend", "next week", "later this
//! month", "in April", "next year") keeps its text with null dates. We never
//! guess a day inside a period. No rule depends on the calendar year.
use chrono::{Duration as Days, NaiveDate, Weekday};
use once_cell::sync::Lazy;
use regex::Regex;

mod lexicon;
pub use lexicon::CALENDAR_NAMES;
mod numeric;
mod phrases;
mod resolve;
mod tense;
#[cfg(test)]
mod tests;

pub use numeric::{numeric_order, NumericOrder};
pub use resolve::next_weekday_on_or_after;
pub use tense::Tense;

use phrases::{Kind, Phrase};

/// Bytes between a trigger and a date phrase, counted double before the
/// trigger, beyond which the phrase is not the event's date.
const MAX_DISTANCE: usize = 170;
/// Bytes between a duration ("a two-day visit") and the day it stretches.
const MAX_DURATION_DISTANCE: usize = 90;

/// A date right after these words dates the report, not the event
/// ("the ministry said on Wednesday", "told reporters Monday").
static ATTRIBUTION: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:said|says|announced|announces|told (?:\w+ ){0,2}|confirmed|reported|added|stated|statement|briefing|press conference|news conference|wrote|tweeted|posted|released|published|updated|interview|speaking|quoted)(?: \w+ly)?\s*$").unwrap()
});
/// A wire dateline before a date: "MOSCOW, May 7 (Reuters) -", "LONDON, 7
/// May 2025 -". The date is the story's, not the event's.
static DATELINE_BEFORE: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"^\s*(?:[A-Z][A-Z.'\- ]+(?:,\s*[A-Za-z.'\- ]+)?,\s*)?$").unwrap());
static DATELINE_AFTER: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"^\s*(?:\([A-Za-z .\-]+\)\s*)?(?:[-–—:]|/)").unwrap());
/// A deadline is not the event's date ("a deal is due by Friday").
static DEADLINE: Lazy<Regex> = Lazy::new(|| Regex::new(r"(?i)\b(?:by|no later than)\s*$").unwrap());
/// An end-only phrase: "runs until Wednesday", "closes on Thursday".
static UNTIL: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:until|till|through|runs until|closes(?: on)?|ends(?: on)?|concludes(?: on)?|wraps up(?: on)?)\s*$").unwrap()
});
/// Words between two date phrases that make the second one the end date.
/// A preposition must touch the second phrase ("from Monday to Friday");
/// a verb may stand a few words before it ("and closes on Wednesday").
static END_CUE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)(?:\b(?:until|till|through|to)\s+(?:the\s+)?|\b(?:closes?|closing|ends?|ending|concludes?|runs? until|wraps? up)\b[^.;]{0,15})$").unwrap()
});
/// Before a day: that day ends a stretch of known length ("a two-day summit
/// that ended on Tuesday").
static ENDED: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:ended|ends|ending|concluded|concludes|closed|closes|wrapped up|wraps up|until|till)\s+(?:on\s+)?$").unwrap()
});

/// What a sentence's dates resolve against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    /// The story's publication date; without it only dates that carry
    /// their year resolve.
    pub published: Option<NaiveDate>,
    /// The tense assumed where the sentence shows none (the rule's status).
    pub prior: Tense,
    /// How the page writes numeric dates ([`numeric_order`] over its text).
    pub numeric: NumericOrder,
}

/// The dates a sentence gives for an event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventDates {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// The phrase(s) the dates came from, as written.
    pub text: Option<String>,
    /// "runs until Wednesday" with no start in the sentence: the weekday an
    /// event told elsewhere ends on.
    pub until: Option<Weekday>,
    /// The tense of the clause around the date phrase as the sentence states
    /// it (`Unknown` when it shows none; the prior is not filled in), so a
    /// caller can tell a meeting held from one only announced.
    pub tense: Tense,
}

/// The tense of the clause around `sentence[start..end]` (a trigger word or
/// a phrase), from the words on both sides of it.
pub fn clause_tense(sentence: &str, start: usize, end: usize) -> Tense {
    tense::around(sentence, start, end)
}

/// Finds the date phrase(s) of a sentence and resolves them against
/// `published`. `planned` is the tense assumed where the sentence shows none
/// (future for planned events, past otherwise); `anchors` are the byte
/// offsets of the event's trigger words in `sentence`.
pub fn resolve_in(
    sentence: &str,
    published: Option<NaiveDate>,
    planned: bool,
    anchors: &[usize],
) -> EventDates {
    let reference = Reference {
        published,
        prior: Tense::from_planned(planned),
        numeric: NumericOrder::Unknown,
    };
    resolve_with(sentence, &reference, anchors)
}

/// [`resolve_in`] with the whole reference, including the page's numeric
/// date order.
pub fn resolve_with(sentence: &str, reference: &Reference, anchors: &[usize]) -> EventDates {
    let all = phrases::find(sentence);
    let order = numeric::in_phrases(&all).or(reference.numeric);
    let (mut candidates, until) = event_phrases(sentence, all, anchors);
    let Some(primary_index) = primary(sentence, &candidates, anchors) else {
        return EventDates {
            until: until.map(|(weekday, _)| weekday),
            ..EventDates::default()
        };
    };
    let primary = candidates.swap_remove(primary_index);
    // later phrases only, for the end-cue look-ahead
    candidates.retain(|p| p.start >= primary.end);
    candidates.sort_by_key(|p| p.start);
    let stated = tense::around(sentence, primary.start, primary.end);
    let resolve = |phrase: &Phrase| {
        let local = tense::around(sentence, phrase.start, phrase.end);
        // "before flying on for talks on Oct. 23": a written month and day
        // that no verb near it places is the one nearest the story, whatever
        // kind of event is sought; a bare weekday still takes the rule's tense.
        let tense = match phrase.kind {
            Kind::Calendar { .. } => local,
            _ => local.or(reference.prior),
        };
        resolve::resolve(&phrase.kind, reference.published, tense, order)
    };
    let (mut start, mut end) = resolve(&primary);
    let mut text_end = primary.end;
    if start.is_some() && start == end {
        if let Some((last, next_end)) = end_by_cue(sentence, &primary, &candidates, start, &resolve)
        {
            end = Some(last);
            text_end = next_end;
        }
    }
    if start.is_some() && start == end {
        if let Some((from, to)) = stretch(sentence, &primary, start) {
            start = Some(from);
            end = Some(to);
        }
    }
    if end.is_none() {
        start = None;
    }
    let mut until_weekday = until.map(|(weekday, _)| weekday);
    if let (Some(from), Some((last, until_end))) = (start.filter(|_| end == start), until) {
        end = Some(next_weekday_on_or_after(from, last));
        until_weekday = None;
        text_end = text_end.max(until_end);
    }
    EventDates {
        start,
        end,
        text: Some(sentence[primary.start..text_end].trim().to_string()),
        until: until_weekday,
        tense: stated,
    }
}

/// The phrases that may date the event: not attribution dates, not an
/// end-only "until Wednesday" (returned apart with its end offset), and
/// near a trigger.
fn event_phrases(
    sentence: &str,
    mut phrases: Vec<Phrase>,
    anchors: &[usize],
) -> (Vec<Phrase>, Option<(Weekday, usize)>) {
    phrases.retain(|p| {
        let before = &sentence[..p.start];
        let dateline =
            DATELINE_BEFORE.is_match(before) && DATELINE_AFTER.is_match(&sentence[p.end..]);
        !dateline && !ATTRIBUTION.is_match(before)
    });
    for phrase in &mut phrases {
        if DEADLINE.is_match(&sentence[..phrase.start]) {
            phrase.kind = Kind::Vague;
        }
    }
    let mut until = None;
    phrases.retain(|p| match (&p.kind, UNTIL.is_match(&sentence[..p.start])) {
        (Kind::Weekdays { first, .. }, true) => {
            until.get_or_insert((*first, p.end));
            false
        }
        _ => true,
    });
    phrases.retain(|p| distance(p, anchors) <= MAX_DISTANCE || frames_sentence(sentence, p));
    (phrases, until)
}

/// "On Wednesday in Murmansk, the ministers of ... signed": a date phrase
/// that opens the sentence dates all of it, however far the verb is.
fn frames_sentence(sentence: &str, phrase: &Phrase) -> bool {
    let before = &sentence[..phrase.start];
    !before.contains(',') && before.split_whitespace().count() <= 2
}

/// Bytes from the nearest trigger, counted double before it.
fn distance(phrase: &Phrase, anchors: &[usize]) -> usize {
    anchors
        .iter()
        .map(|&a| {
            if a <= phrase.start {
                phrase.start - a
            } else {
                (a - phrase.start) * 2
            }
        })
        .min()
        .unwrap_or(phrase.start)
}

/// Of the most specific phrases, the one nearest a trigger; a phrase that
/// opens a later coordinate clause ("..., and on Monday the two leaders
/// signed") dates that clause, so it comes last.
fn primary(sentence: &str, phrases: &[Phrase], anchors: &[usize]) -> Option<usize> {
    let best_rank = phrases.iter().map(|p| p.kind.rank()).max()?;
    let later_clause =
        |p: &Phrase| anchors.iter().all(|&a| a < p.start) && opens_clause(&sentence[..p.start]);
    (0..phrases.len())
        .filter(|&i| phrases[i].kind.rank() == best_rank)
        .min_by_key(|&i| {
            let p = &phrases[i];
            (later_clause(p), distance(p, anchors), p.start)
        })
}

/// Whether the text before a date phrase ends in a clause break: ", and
/// on", "; then", ", but by".
fn opens_clause(before: &str) -> bool {
    let trimmed = before.trim_end();
    let trimmed = ["on", "from", "by", "then", "later"]
        .iter()
        .find_map(|w| {
            trimmed
                .strip_suffix(w)
                .filter(|rest| rest.ends_with(' '))
                .map(str::trim_end)
        })
        .unwrap_or(trimmed);
    trimmed.ends_with(';')
        || [", and", ", but", ", while", ", then"]
            .iter()
            .any(|w| trimmed.ends_with(w))
}

/// "opened on Tuesday and closes on Wednesday": a later phrase of the same
/// rank introduced by an end cue ends a one-day date. Returns the end day
/// and the byte where the joined text ends.
fn end_by_cue(
    sentence: &str,
    primary: &Phrase,
    later: &[Phrase],
    start: Option<NaiveDate>,
    resolve: &dyn Fn(&Phrase) -> resolve::Span,
) -> Option<(NaiveDate, usize)> {
    let from = start?;
    let next = later.iter().find(|p| {
        p.kind.rank() == primary.kind.rank() && END_CUE.is_match(&sentence[primary.end..p.start])
    })?;
    let last = match &next.kind {
        Kind::Weekdays { first, .. } => Some(next_weekday_on_or_after(from, *first)),
        _ => resolve(next).0,
    }?;
    (last >= from).then_some((last, next.end))
}

/// "a two-day visit starting Monday", "a three-day summit that ended on
/// Tuesday": a duration near a one-day date stretches it forward, or
/// backward when the day is the end.
fn stretch(
    sentence: &str,
    primary: &Phrase,
    day: Option<NaiveDate>,
) -> Option<(NaiveDate, NaiveDate)> {
    let day = day?;
    // in the same clause: "After a two-day visit to Japan, he arrives in
    // Seoul on Monday" does not make Monday two days long
    let duration = phrases::durations(sentence).into_iter().find(|d| {
        let gap = if d.end <= primary.start {
            d.end..primary.start
        } else if d.start >= primary.end {
            primary.end..d.start
        } else {
            return false;
        };
        gap.len() <= MAX_DURATION_DISTANCE && !sentence[gap].contains([',', ';', '(']) && d.days > 1
    })?;
    let span = Days::days(duration.days as i64 - 1);
    if ENDED.is_match(&sentence[..primary.start]) {
        Some((day - span, day))
    } else {
        Some((day, day + span))
    }
}

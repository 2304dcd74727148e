//! Date phrases in a sentence and their resolution to calendar dates.
//!
//! Resolution uses the publication date and the event's tense: a past-tense
//! "on Monday" is the Monday on or before publication, a future "Jan 4" is
//! the next Jan 4 on or after it. Vague phrases ("next week", "in April")
//! keep their text but resolve to no date: we never guess.
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use once_cell::sync::Lazy;
use regex::{Captures, Regex};

const MONTH: &str = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const WEEKDAY: &str = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday";
const ORDINAL: &str = r"(?:st|nd|rd|th)?";
const RANGE: &str = r"\s*(?:-|–|—|to|until|till|through|and)\s*";

static ISO: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b").unwrap());
static MONTH_FIRST: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:from |on |between )?(?P<m>{MONTH})\.? (?P<d>\d{{1,2}}){ORDINAL}(?:,? (?P<y>\d{{4}}))?(?:{RANGE}(?:(?P<m2>{MONTH})\.? )?(?P<d2>\d{{1,2}}){ORDINAL}(?:,? (?P<y2>\d{{4}}))?)?\b"
    ))
    .unwrap()
});
static DAY_FIRST: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:from |on |between )?(?:the )?(?P<d>\d{{1,2}}){ORDINAL}(?:{RANGE}(?:the )?(?P<d2>\d{{1,2}}){ORDINAL})? (?:of )?(?P<m>{MONTH})\b\.?(?:,? (?P<y>\d{{4}}))?"
    ))
    .unwrap()
});
static WEEKDAYS: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:(?P<pre>on|last|this|next|from|between|coming) )?(?P<w>{WEEKDAY})(?:{RANGE}(?P<w2>{WEEKDAY}))?\b"
    ))
    .unwrap()
});
static RELATIVE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?P<r>today|yesterday|tomorrow|tonight|this morning|this afternoon|this evening|earlier today)\b").unwrap()
});
static VAGUE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:(?:next|this|last|later this|earlier this|the coming|coming|later in the|early next|late next) (?:week|month|year|weekend|spring|summer|autumn|fall|winter)|in the coming (?:days|weeks|months)|in (?:early |mid-|late |the middle of |the end of )?(?:{MONTH})(?: (?:19|20)\d\d)?|(?:at|by) the end of (?:the|this|next) (?:week|month|year)|soon)\b"
    ))
    .unwrap()
});
/// Bytes between a trigger and a date phrase, counted double before the
/// trigger, beyond which the phrase is not the event's date.
const MAX_DISTANCE: usize = 170;

/// A date right after these words dates the report, not the event
/// ("the ministry said on Wednesday").
static ATTRIBUTION: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:said|says|announced|announces|told (?:\w+ ){0,2}|confirmed|reported|added|stated|statement|briefing|press conference|wrote|tweeted)\s*$").unwrap()
});
/// An end-only phrase: "runs until Wednesday", "closes on Thursday".
static UNTIL: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:until|till|through|runs until|closes(?: on)?|ends(?: on)?|concludes(?: on)?|wraps up(?: on)?)\s*$").unwrap()
});
/// Words between two date phrases that make the second one the end date.
static END_CUE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:until|till|through|to|closes?|closing|ends?|ending|concludes?|runs? until|wraps? up)\b[^.;]{0,15}$").unwrap()
});

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Calendar {
        year: Option<i32>,
        month: u32,
        day: u32,
        end: Option<(Option<i32>, Option<u32>, u32)>,
    },
    Weekdays {
        prefix: Option<String>,
        first: Weekday,
        last: Option<Weekday>,
    },
    Relative(i64),
    Vague,
}

impl Kind {
    /// Higher is more specific; the most specific phrase in a sentence wins.
    fn rank(&self) -> u8 {
        match self {
            Kind::Calendar { .. } => 3,
            Kind::Weekdays { .. } => 2,
            Kind::Relative(_) => 1,
            Kind::Vague => 0,
        }
    }
}

/// A date phrase: byte range in the sentence and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Phrase {
    start: usize,
    end: usize,
    kind: Kind,
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
}

/// Finds the date phrase(s) of a sentence and resolves them against
/// `published`. `future` selects the tense used for phrases without a year.
pub fn resolve_in(
    sentence: &str,
    published: Option<NaiveDate>,
    future: bool,
    anchors: &[usize],
) -> EventDates {
    let mut phrases = find(sentence);
    phrases.retain(|p| !ATTRIBUTION.is_match(&sentence[..p.start]));
    let mut until = None;
    let mut until_end = 0;
    phrases.retain(|p| match (&p.kind, UNTIL.is_match(&sentence[..p.start])) {
        (Kind::Weekdays { first, .. }, true) => {
            if until.is_none() {
                until = Some(*first);
                until_end = p.end;
            }
            false
        }
        _ => true,
    });
    // Of the most specific phrases, the one nearest a trigger word; a
    // phrase far from every trigger dates something else in the sentence.
    let distance = |p: &Phrase| {
        anchors
            .iter()
            .map(|&a| {
                if a <= p.start {
                    p.start - a
                } else {
                    (a - p.start) * 2
                }
            })
            .min()
            .unwrap_or(p.start)
    };
    phrases.retain(|p| distance(p) <= MAX_DISTANCE);
    let Some(best_rank) = phrases.iter().map(|p| p.kind.rank()).max() else {
        return EventDates {
            until,
            ..EventDates::default()
        };
    };
    let primary_index = (0..phrases.len())
        .filter(|&i| phrases[i].kind.rank() == best_rank)
        .min_by_key(|&i| distance(&phrases[i]))
        .expect("a phrase has the best rank");
    let primary = &phrases[primary_index];
    let mut text_end = primary.end;
    let (mut start, mut end) = match published {
        Some(published) => resolve(&primary.kind, published, future),
        None => resolve_without_publication(&primary.kind),
    };
    // "opened on Tuesday and closes on Wednesday": a later phrase of the same
    // kind introduced by an end cue extends a one-day date.
    if start.is_some() && start == end {
        if let Some(next) = phrases[primary_index + 1..].iter().find(|p| {
            p.kind.rank() == best_rank && END_CUE.is_match(&sentence[primary.end..p.start])
        }) {
            let resolved_end = match (&next.kind, start) {
                (Kind::Weekdays { first, .. }, Some(from)) => {
                    Some(next_weekday_on_or_after(from, *first))
                }
                (kind, _) => match published {
                    Some(published) => resolve(kind, published, future).0,
                    None => resolve_without_publication(kind).0,
                },
            };
            if let Some(resolved_end) = resolved_end.filter(|e| Some(*e) >= start) {
                end = Some(resolved_end);
                text_end = next.end;
            }
        }
    }
    if end.is_none() {
        start = None;
    }
    if until.is_some() && end == start {
        if let (Some(from), Some(last)) = (start, until) {
            end = Some(next_weekday_on_or_after(from, last));
            until = None;
            text_end = text_end.max(until_end);
        }
    }
    EventDates {
        start,
        end,
        text: Some(sentence[primary.start..text_end].trim().to_string()),
        until,
    }
}

fn find(sentence: &str) -> Vec<Phrase> {
    let mut phrases: Vec<Phrase> = Vec::new();
    for caps in ISO.captures_iter(sentence) {
        let (Some(year), Some(month), Some(day)) =
            (number(&caps, "y"), number(&caps, "m"), number(&caps, "d"))
        else {
            continue;
        };
        push(
            &mut phrases,
            &caps,
            Kind::Calendar {
                year: Some(year as i32),
                month,
                day,
                end: None,
            },
        );
    }
    for caps in MONTH_FIRST.captures_iter(sentence) {
        let (Some(month), Some(day)) = (month_number(&caps, "m"), number(&caps, "d")) else {
            continue;
        };
        let end = number(&caps, "d2").map(|d2| {
            (
                number(&caps, "y2").map(|y| y as i32),
                month_number(&caps, "m2"),
                d2,
            )
        });
        push(
            &mut phrases,
            &caps,
            Kind::Calendar {
                year: number(&caps, "y").map(|y| y as i32),
                month,
                day,
                end,
            },
        );
    }
    for caps in DAY_FIRST.captures_iter(sentence) {
        let (Some(month), Some(day)) = (month_number(&caps, "m"), number(&caps, "d")) else {
            continue;
        };
        let year = number(&caps, "y").map(|y| y as i32);
        let end = number(&caps, "d2").map(|d2| (year, None, d2));
        push(
            &mut phrases,
            &caps,
            Kind::Calendar {
                year,
                month,
                day,
                end,
            },
        );
    }
    for caps in WEEKDAYS.captures_iter(sentence) {
        let Some(first) = caps.name("w").and_then(|w| weekday(w.as_str())) else {
            continue;
        };
        push(
            &mut phrases,
            &caps,
            Kind::Weekdays {
                prefix: caps.name("pre").map(|p| p.as_str().to_ascii_lowercase()),
                first,
                last: caps.name("w2").and_then(|w| weekday(w.as_str())),
            },
        );
    }
    for caps in RELATIVE.captures_iter(sentence) {
        let offset = match caps["r"].to_ascii_lowercase().as_str() {
            "yesterday" => -1,
            "tomorrow" => 1,
            _ => 0,
        };
        push(&mut phrases, &caps, Kind::Relative(offset));
    }
    for caps in VAGUE.captures_iter(sentence) {
        push(&mut phrases, &caps, Kind::Vague);
    }
    phrases.sort_by_key(|p| (p.start, std::cmp::Reverse(p.end)));
    // Overlaps: the earlier (and then longer) phrase wins.
    let mut kept: Vec<Phrase> = Vec::new();
    for phrase in phrases {
        match kept.last() {
            Some(last) if phrase.start < last.end => {
                // a calendar date beats a weekday or vague phrase it overlaps
                if phrase.kind.rank() > last.kind.rank() {
                    kept.pop();
                    kept.push(phrase);
                }
            }
            _ => kept.push(phrase),
        }
    }
    kept
}

fn push(phrases: &mut Vec<Phrase>, caps: &Captures<'_>, kind: Kind) {
    let whole = caps.get(0).expect("group 0 always matches");
    phrases.push(Phrase {
        start: whole.start(),
        end: whole.end(),
        kind,
    });
}

fn number(caps: &Captures<'_>, name: &str) -> Option<u32> {
    caps.name(name)?.as_str().parse().ok()
}

fn month_number(caps: &Captures<'_>, name: &str) -> Option<u32> {
    let text = caps.name(name)?.as_str().to_ascii_lowercase();
    const PREFIXES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    PREFIXES
        .iter()
        .position(|p| text.starts_with(p))
        .map(|i| i as u32 + 1)
}

fn weekday(text: &str) -> Option<Weekday> {
    text.to_ascii_lowercase().parse().ok()
}

fn resolve_without_publication(kind: &Kind) -> (Option<NaiveDate>, Option<NaiveDate>) {
    match kind {
        Kind::Calendar {
            year: Some(year),
            month,
            day,
            end,
        } => calendar(*year, *month, *day, end),
        _ => (None, None),
    }
}

fn resolve(
    kind: &Kind,
    published: NaiveDate,
    future: bool,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    match kind {
        Kind::Calendar {
            year: Some(year),
            month,
            day,
            end,
        } => calendar(*year, *month, *day, end),
        Kind::Calendar {
            year: None,
            month,
            day,
            end,
        } => {
            let Some(this_year) = NaiveDate::from_ymd_opt(published.year(), *month, *day) else {
                return (None, None);
            };
            let year = if future && this_year < published {
                published.year() + 1
            } else if !future && this_year > published {
                published.year() - 1
            } else {
                published.year()
            };
            calendar(year, *month, *day, end)
        }
        Kind::Weekdays {
            prefix,
            first,
            last,
        } => {
            let forward = match prefix.as_deref() {
                Some("last") => false,
                Some("next") | Some("coming") => true,
                _ => future,
            };
            let start = if forward {
                // strictly after: a future "on Monday" said on a Monday is next week's
                let delta = days_until(published.weekday(), *first);
                published + Duration::days(if delta == 0 { 7 } else { delta })
            } else {
                published - Duration::days(days_until(*first, published.weekday()))
            };
            let end = match last {
                Some(last) => next_weekday_on_or_after(start, *last),
                None => start,
            };
            (Some(start), Some(end))
        }
        Kind::Relative(offset) => {
            let day = published + Duration::days(*offset);
            (Some(day), Some(day))
        }
        Kind::Vague => (None, None),
    }
}

/// Days from weekday `from` forward to weekday `to` (0..=6).
fn days_until(from: Weekday, to: Weekday) -> i64 {
    (to.num_days_from_monday() as i64 - from.num_days_from_monday() as i64).rem_euclid(7)
}

pub fn next_weekday_on_or_after(day: NaiveDate, weekday: Weekday) -> NaiveDate {
    day + Duration::days(days_until(day.weekday(), weekday))
}

fn calendar(
    year: i32,
    month: u32,
    day: u32,
    end: &Option<(Option<i32>, Option<u32>, u32)>,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let Some(start) = NaiveDate::from_ymd_opt(year, month, day) else {
        return (None, None);
    };
    let end = match end {
        None => Some(start),
        Some((end_year, end_month, end_day)) => {
            let end_year = end_year.unwrap_or(year);
            let mut candidate =
                NaiveDate::from_ymd_opt(end_year, end_month.unwrap_or(month), *end_day);
            // "Dec 30 to 2" without a month runs into the next month
            if end_month.is_none() && candidate.is_some_and(|c| c < start) {
                let (y, m) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                candidate = NaiveDate::from_ymd_opt(y, m, *end_day);
            }
            candidate.filter(|c| *c >= start)
        }
    };
    match end {
        Some(end) => (Some(start), Some(end)),
        None => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn dates(
        sentence: &str,
        published: &str,
        future: bool,
    ) -> (Option<String>, Option<String>, Option<String>) {
        let d = resolve_in(sentence, Some(day(published)), future, &[0]);
        (
            d.start.map(|d| d.to_string()),
            d.end.map(|d| d.to_string()),
            d.text,
        )
    }

    #[test]
    fn past_weekday_is_on_or_before_publication() {
        // 2025-05-26 is a Monday
        let (s, e, t) = dates(
            "It was held in Beijing on Monday, gathering",
            "2025-05-26",
            false,
        );
        assert_eq!(
            (s.as_deref(), e.as_deref()),
            (Some("2025-05-26"), Some("2025-05-26"))
        );
        assert_eq!(t.as_deref(), Some("on Monday"));
        let (s, _, _) = dates("They spoke on Tuesday.", "2026-02-18", false);
        assert_eq!(s.as_deref(), Some("2026-02-17"));
        let (s, _, _) = dates("They spoke on Friday.", "2026-02-18", false);
        assert_eq!(s.as_deref(), Some("2026-02-13"));
    }

    #[test]
    fn future_weekday_is_after_publication() {
        let (s, _, _) = dates("He will arrive on Monday.", "2025-05-26", true);
        assert_eq!(s.as_deref(), Some("2025-06-02"));
        let (s, _, _) = dates("He will arrive on Wednesday.", "2025-05-26", true);
        assert_eq!(s.as_deref(), Some("2025-05-28"));
    }

    #[test]
    fn future_range_rolls_into_next_year() {
        let (s, e, t) = dates(
            "Lee will pay a state visit to China from Jan 4 to 7.",
            "2025-05-26",
            true,
        );
        assert_eq!(
            (s.as_deref(), e.as_deref()),
            (Some("2026-01-04"), Some("2026-01-07"))
        );
        assert_eq!(t.as_deref(), Some("from Jan 4 to 7"));
    }

    /// Asserts the resolved (start, end) of the phrase in `text`.
    fn assert_span(text: &str, published: &str, future: bool, start: &str, end: &str) {
        let (s, e, _) = dates(text, published, future);
        assert_eq!(
            (s.as_deref(), e.as_deref()),
            (Some(start), Some(end)),
            "{text} (published {published})"
        );
    }

    #[test]
    fn explicit_years_and_day_first() {
        assert_span(
            "signed on 12 March 2026 in Jakarta",
            "2026-03-20",
            false,
            "2026-03-12",
            "2026-03-12",
        );
        assert_span(
            "from 30 November to 2 December",
            "2026-11-01",
            true,
            "2026-11-30",
            "2026-12-02",
        );
        assert_span(
            "from 4-7 January",
            "2026-12-18",
            true,
            "2027-01-04",
            "2027-01-07",
        );
        assert_span(
            "from Dec. 30 to Jan. 2, 2027",
            "2026-11-01",
            true,
            "2026-12-30",
            "2027-01-02",
        );
    }

    #[test]
    fn weekday_span_with_end_cue() {
        // 2026-11-04 is a Wednesday
        let (s, e, t) = dates(
            "The meeting opened in Shenzhen on Tuesday and closes on Wednesday",
            "2026-11-04",
            false,
        );
        assert_eq!(
            (s.as_deref(), e.as_deref()),
            (Some("2026-11-03"), Some("2026-11-04"))
        );
        assert_eq!(t.as_deref(), Some("on Tuesday and closes on Wednesday"));
    }

    #[test]
    fn attribution_dates_are_not_event_dates() {
        let (s, _, t) = dates("He has cancelled his visit, which had been scheduled for next week, the spokesman said on Wednesday.", "2026-03-19", true);
        assert_eq!((s, t.as_deref()), (None, Some("next week")));
    }

    #[test]
    fn nearest_phrase_to_the_trigger_wins() {
        // "held talks" is at byte 77
        let d = resolve_in(
            "President Asante, who arrived in Rome on Monday for a state visit, held talks with Ferraro on Tuesday.",
            Some(day("2026-05-12")),
            false,
            &[67],
        );
        assert_eq!(d.start, Some(day("2026-05-12")));
    }

    #[test]
    fn until_weekday_ends_a_span() {
        let d = resolve_in(
            "The forum runs until Wednesday.",
            Some(day("2026-05-26")),
            false,
            &[4],
        );
        assert_eq!((d.start, d.until), (None, Some(Weekday::Wed)));
        let d = resolve_in(
            "The forum opened on Tuesday and runs until Wednesday.",
            Some(day("2026-05-26")),
            false,
            &[4],
        );
        assert_eq!(
            (d.start, d.end),
            (Some(day("2026-05-26")), Some(day("2026-05-27")))
        );
    }

    #[test]
    fn vague_phrases_keep_text_without_dates() {
        for sentence in [
            "They will meet next week.",
            "A visit is planned for later this month.",
            "He will travel in April.",
        ] {
            let d = resolve_in(sentence, Some(day("2026-03-01")), true, &[0]);
            assert_eq!((d.start, d.end), (None, None), "{sentence}");
            assert!(d.text.is_some(), "{sentence}");
        }
    }

    #[test]
    fn no_publication_date_means_only_explicit_years() {
        let d = resolve_in("They met on Monday.", None, false, &[5]);
        assert_eq!((d.start, d.text.as_deref()), (None, Some("on Monday")));
        let d = resolve_in("They met on May 5, 2025.", None, false, &[5]);
        assert_eq!(d.start, Some(day("2025-05-05")));
    }

    #[test]
    fn impossible_dates_resolve_to_nothing() {
        let d = resolve_in(
            "They met on February 30.",
            Some(day("2026-03-01")),
            false,
            &[5],
        );
        assert_eq!(d.start, None);
    }
}

//! Finding date phrases in a sentence: one compiled regex per form, then
//! overlaps settled in favour of the earlier, longer, more specific phrase.
use chrono::Weekday;
use once_cell::sync::Lazy;
use regex::{Captures, Regex};

use super::lexicon::{self, COUNT, DAY, MONTH, RANGE, WEEKDAY};

/// A day as written: what the text gives, the rest inferred later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRef {
    pub year: Option<i32>,
    pub month: Option<u32>,
    pub day: u32,
}

/// "of next month" after an ordinal day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthHint {
    This,
    Next,
    Last,
}

/// A weekday's own pointer, which beats the sentence's tense.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pointer {
    /// "last Monday", "this past Monday"
    Last,
    /// "next Monday", "this coming Monday"
    Next,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A calendar day or day range. `start.month` is `None` for "on the 8th".
    Calendar {
        weekday: Option<Weekday>,
        start: DayRef,
        end: Option<DayRef>,
        month_hint: Option<MonthHint>,
    },
    /// "12/05/2025": which number is the day is decided later.
    Numeric { first: u32, second: u32, year: Year },
    /// "on Thursday", "Thursday and Friday", "next Monday".
    Weekdays {
        pointer: Option<Pointer>,
        first: Weekday,
        last: Option<Weekday>,
    },
    /// "today", "tomorrow", "three days ago": days from publication.
    Relative(i64),
    /// A period coarser than a day ("next week", "in April", "this weekend"):
    /// its text is kept, its dates stay null.
    Vague,
}

/// A year as written in a numeric date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Year {
    Full(i32),
    /// "25" in "12/05/25": the century comes from the publication date.
    TwoDigit(u32),
}

impl Kind {
    /// Higher is more specific; the most specific phrase in a sentence wins.
    pub fn rank(&self) -> u8 {
        match self {
            Kind::Calendar { start, .. } if start.month.is_some() => 3,
            Kind::Numeric { .. } => 3,
            Kind::Calendar { .. } | Kind::Weekdays { .. } => 2,
            Kind::Relative(_) => 1,
            Kind::Vague => 0,
        }
    }
}

/// A date phrase: byte range in the sentence and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// "a two-day visit", "for three days": a length in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    pub start: usize,
    pub end: usize,
    pub days: u32,
}

/// Words that may open a phrase; kept in its text ("from Jan 4 to 7").
const LEAD: &str = r"(?:(?:from|on|between|since|starting|beginning|until|till|through)\s+)?";
/// Optional weekday before a calendar date: "Monday, May 5", "Thursday 8th".
const WEEKDAY_BEFORE: &str =
    r"(?:(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?";

static ISO: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"\b{LEAD}(?P<y>\d{{4}})(?P<s1>[-/])(?P<m>\d{{1,2}})(?P<s2>[-/])(?P<d>\d{{1,2}})\b"
    ))
    .unwrap()
});
static NUMERIC: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"\b{LEAD}(?P<a>\d{{1,2}})(?P<s1>[/.-])(?P<b>\d{{1,2}})(?P<s2>[/.-])(?P<y>\d{{4}}|\d{{2}})\b"
    ))
    .unwrap()
});
/// "May 5", "May 5, 2025", "Monday, May 5", "April 23 to 25", "Jan 4-7",
/// "June 30-July 2", "Dec. 30 to Jan. 2, 2027".
static MONTH_FIRST: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"\b{LEAD}{WEEKDAY_BEFORE}(?:the\s+)?(?P<m>{MONTH})\b\.?\s+(?P<d>{DAY})\b(?:,?\s+(?P<y>\d{{4}})\b)?(?:{RANGE}(?:(?P<m2>{MONTH})\b\.?\s+)?(?P<d2>{DAY})\b(?:,?\s+(?P<y2>\d{{4}})\b)?)?"
    ))
    .unwrap()
});
/// "5 May 2025", "23-25 April", "the 8th of May", "between 3 and 5 May".
static DAY_FIRST: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"\b{LEAD}{WEEKDAY_BEFORE}(?:the\s+)?(?P<d>{DAY})(?:\s+of)?(?:{RANGE}(?P<d2>{DAY})(?:\s+of)?)?\s+(?P<m>{MONTH})\b\.?(?:,?\s+(?P<y>\d{{4}})\b)?"
    ))
    .unwrap()
});
/// "from 30 June to 2 July", "30 June-2 July 2025".
static DAY_FIRST_ACROSS: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"\b{LEAD}{WEEKDAY_BEFORE}(?:the\s+)?(?P<d>{DAY})(?:\s+of)?\s+(?P<m>{MONTH})\b\.?(?:,?\s+(?P<y>\d{{4}})\b)?{RANGE}(?P<d2>{DAY})(?:\s+of)?\s+(?P<m2>{MONTH})\b\.?(?:,?\s+(?P<y2>\d{{4}})\b)?"
    ))
    .unwrap()
});
/// "on the 8th", "the 8th to the 10th", "Thursday the 8th", "on the 3rd of
/// next month".
static ORDINAL_DAY: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"\b(?P<lead>{LEAD}){WEEKDAY_BEFORE}(?P<the>the\s+)?(?P<d>\d{{1,2}}(?:st|nd|rd|th))\b(?:{RANGE}(?P<d2>\d{{1,2}}(?:st|nd|rd|th))\b)?(?:\s+of\s+(?P<hint>this|next|last|the)\s+month\b)?"
    ))
    .unwrap()
});
/// After an ordinal day, what may follow for it to be a date ("the 8th
/// round" is not one).
static AFTER_ORDINAL: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^(?:\s*(?:[,.;:!?)]|$)|\s+(?:to|and|through|until|till|in|at|for|when|with|as|after|before|during|or|but|while|where|on|from)\b)").unwrap()
});
static WEEKDAYS: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"\b(?:(?P<pre>on|from|between|since|starting|beginning|last|next|this|this past|this coming|coming|late on|early on|earlier on|later on|late|early)\s+)?(?P<w>{WEEKDAY})(?:['’]s)?(?:{RANGE}(?P<w2>{WEEKDAY}))?\b"
    ))
    .unwrap()
});
/// Holidays on a fixed day of the year.
static HOLIDAY: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"\b(?:on\s+)?(?P<h>Christmas Day|Christmas Eve|Boxing Day|New Year['’]s Day|New Year['’]s Eve)\b").unwrap()
});
static RELATIVE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:(?P<r>the day after tomorrow|the day before yesterday|today|yesterday|tomorrow|tonight|last night|this morning|this afternoon|this evening|earlier today|later today|earlier in the day|later in the day)|(?P<ago>{COUNT}) days? ago|in (?P<in>{COUNT}) days(?:['’]? time)?)\b"
    ))
    .unwrap()
});
/// Periods coarser than a day. "this weekend" is one: a weekend is two days
/// and the event is often only one of them.
static VAGUE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"\b(?:(?i:(?:next|this|last|later this|earlier this|the coming|coming|later in the|early next|late next|the following|the previous|over the|at the|this past|this coming|the past) (?:week|month|year|weekend|spring|summer|autumn|fall|winter))|(?i:in the (?:coming|next|past|last) (?:few )?(?:days|weeks|months))|(?:(?:in|by|until|since|during|through)\s+(?:(?i:early|mid|late)[-\s]+|the (?:middle|end|beginning|start) of\s+)?|(?i:early|mid|late)[-\s]+|the (?:middle|end|beginning|start) of\s+){MONTH}\b(?:\s+\d{{4}}\b)?|{MONTH}\s+\d{{4}}\b|(?i:(?:at|by|before|until) the (?:end|start) of (?:the|this|next) (?:week|month|year))|(?i:soon|shortly|later this year))\b"
    ))
    .unwrap()
});
static DURATION: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:(?P<n>{COUNT})[-\s]day\b|for (?P<n2>{COUNT}) days\b)"
    ))
    .unwrap()
});

/// Every date phrase of `sentence`, in text order, overlaps removed.
pub fn find(sentence: &str) -> Vec<Phrase> {
    let mut phrases: Vec<Phrase> = Vec::new();
    find_numeric(sentence, &mut phrases);
    find_calendar(sentence, &mut phrases);
    find_ordinal_days(sentence, &mut phrases);
    for caps in WEEKDAYS.captures_iter(sentence) {
        let Some(first) = caps.name("w").and_then(|w| lexicon::weekday(w.as_str())) else {
            continue;
        };
        let pointer = match caps.name("pre").map(|p| p.as_str()) {
            Some("last") | Some("this past") => Some(Pointer::Last),
            Some("next") | Some("this coming") | Some("coming") => Some(Pointer::Next),
            _ => None,
        };
        let last = caps
            .name("w2")
            .and_then(|w| lexicon::weekday(w.as_str()))
            .filter(|last| !joined_by_and(&caps, "w", "w2") || *last == first.succ());
        push(
            &mut phrases,
            &caps,
            Kind::Weekdays {
                pointer,
                first,
                last,
            },
        );
    }
    for caps in HOLIDAY.captures_iter(sentence) {
        let (month, day) = match caps["h"].split_whitespace().next() {
            Some("Boxing") => (12, 26),
            Some("Christmas") if caps["h"].ends_with("Eve") => (12, 24),
            Some("Christmas") => (12, 25),
            _ if caps["h"].ends_with("Eve") => (12, 31),
            _ => (1, 1),
        };
        let start = DayRef {
            year: None,
            month: Some(month),
            day,
        };
        push(&mut phrases, &caps, calendar(None, start, None));
    }
    for caps in RELATIVE.captures_iter(sentence) {
        let offset = if let Some(n) = caps.name("ago").and_then(|n| lexicon::count(n.as_str())) {
            -(n as i64)
        } else if let Some(n) = caps.name("in").and_then(|n| lexicon::count(n.as_str())) {
            n as i64
        } else {
            match caps["r"].to_ascii_lowercase().as_str() {
                "yesterday" | "last night" => -1,
                "tomorrow" => 1,
                "the day after tomorrow" => 2,
                "the day before yesterday" => -2,
                _ => 0,
            }
        };
        push(&mut phrases, &caps, Kind::Relative(offset));
    }
    for caps in VAGUE.captures_iter(sentence) {
        push(&mut phrases, &caps, Kind::Vague);
    }
    settle_overlaps(phrases)
}

/// "a two-day visit", "for three days" in `sentence`.
pub fn durations(sentence: &str) -> Vec<Duration> {
    DURATION
        .captures_iter(sentence)
        .filter_map(|caps| {
            let n = caps.name("n").or_else(|| caps.name("n2"))?;
            let days = lexicon::count(n.as_str()).filter(|d| (1..=31).contains(d))?;
            let whole = caps.get(0)?;
            Some(Duration {
                start: whole.start(),
                end: whole.end(),
                days,
            })
        })
        .collect()
}

fn settle_overlaps(mut phrases: Vec<Phrase>) -> Vec<Phrase> {
    phrases.sort_by_key(|p| (p.start, std::cmp::Reverse(p.end)));
    let mut kept: Vec<Phrase> = Vec::new();
    for phrase in phrases {
        match kept.last() {
            Some(last) if phrase.start < last.end => {
                // a more specific phrase beats the one it overlaps; of equal
                // rank the longer one (a range over a single day) wins
                let better = phrase.kind.rank() > last.kind.rank()
                    || (phrase.kind.rank() == last.kind.rank()
                        && phrase.end - phrase.start > last.end - last.start);
                if better {
                    kept.pop();
                    kept.push(phrase);
                }
            }
            _ => kept.push(phrase),
        }
    }
    kept
}

fn find_numeric(sentence: &str, phrases: &mut Vec<Phrase>) {
    for caps in ISO.captures_iter(sentence) {
        if caps["s1"] != caps["s2"] {
            continue;
        }
        let (Some(year), Some(month), Some(day)) =
            (number(&caps, "y"), number(&caps, "m"), number(&caps, "d"))
        else {
            continue;
        };
        let start = DayRef {
            year: Some(year as i32),
            month: Some(month),
            day,
        };
        push(phrases, &caps, calendar(None, start, None));
    }
    for caps in NUMERIC.captures_iter(sentence) {
        // one separator throughout; a two-digit year only after slashes
        // ("3.5.25" is a version, "10-12-25" a score line)
        let sep = &caps["s1"];
        if sep != &caps["s2"] || (caps["y"].len() == 2 && sep != "/") {
            continue;
        }
        let (Some(first), Some(second)) = (number(&caps, "a"), number(&caps, "b")) else {
            continue;
        };
        let year = match number(&caps, "y") {
            Some(y) if caps["y"].len() == 4 => Year::Full(y as i32),
            Some(y) => Year::TwoDigit(y),
            None => continue,
        };
        push(
            phrases,
            &caps,
            Kind::Numeric {
                first,
                second,
                year,
            },
        );
    }
}

fn find_calendar(sentence: &str, phrases: &mut Vec<Phrase>) {
    for caps in MONTH_FIRST.captures_iter(sentence) {
        let Some(start) = day_ref(&caps, "y", "m", "d") else {
            continue;
        };
        let end = caps
            .name("d2")
            .and_then(|_| day_ref(&caps, "y2", "m2", "d2"))
            .filter(|end| !two_separate_days(&caps, "d", "d2", start, *end));
        push(phrases, &caps, calendar(weekday_of(&caps), start, end));
    }
    for caps in DAY_FIRST.captures_iter(sentence) {
        let Some(start) = day_ref(&caps, "y", "m", "d") else {
            continue;
        };
        let end = caps
            .name("d2")
            .and_then(|d2| {
                Some(DayRef {
                    year: start.year,
                    month: None,
                    day: lexicon::day_number(d2.as_str())?,
                })
            })
            .filter(|end| !two_separate_days(&caps, "d", "d2", start, *end));
        push(phrases, &caps, calendar(weekday_of(&caps), start, end));
    }
    for caps in DAY_FIRST_ACROSS.captures_iter(sentence) {
        let (Some(start), Some(end)) = (
            day_ref(&caps, "y", "m", "d"),
            day_ref(&caps, "y2", "m2", "d2"),
        ) else {
            continue;
        };
        // "30 June to 2 July 2025": the year written once covers both ends
        let start = DayRef {
            year: start.year.or(end.year),
            ..start
        };
        push(
            phrases,
            &caps,
            calendar(weekday_of(&caps), start, Some(end)),
        );
    }
}

fn find_ordinal_days(sentence: &str, phrases: &mut Vec<Phrase>) {
    for caps in ORDINAL_DAY.captures_iter(sentence) {
        let whole = caps.get(0).expect("group 0 always matches");
        let has_lead = !caps["lead"].is_empty();
        let weekday = weekday_of(&caps);
        let is_range = caps.name("d2").is_some();
        // "the 8th" needs "on the", a range or a weekday to be a date
        let anchored = (caps.name("the").is_some() || weekday.is_some())
            && (has_lead || is_range || weekday.is_some());
        if !anchored || !AFTER_ORDINAL.is_match(&sentence[whole.end()..]) {
            continue;
        }
        let Some(day) = caps.name("d").and_then(|d| lexicon::day_number(d.as_str())) else {
            continue;
        };
        let start = DayRef {
            year: None,
            month: None,
            day,
        };
        let end = caps
            .name("d2")
            .and_then(|d2| {
                Some(DayRef {
                    year: None,
                    month: None,
                    day: lexicon::day_number(d2.as_str())?,
                })
            })
            .filter(|end| !two_separate_days(&caps, "d", "d2", start, *end));
        let month_hint = match caps.name("hint").map(|h| h.as_str()) {
            Some("next") => Some(MonthHint::Next),
            Some("last") => Some(MonthHint::Last),
            Some(_) => Some(MonthHint::This),
            None => None,
        };
        push(
            phrases,
            &caps,
            Kind::Calendar {
                weekday,
                start,
                end,
                month_hint,
            },
        );
    }
}

/// "and" joins a range only after "between" or between consecutive days:
/// "on Thursday and Friday" is one stretch, "met on 14 and 16 November" two
/// separate days (the first is kept).
fn joined_by_and(caps: &Captures<'_>, first: &str, second: &str) -> bool {
    let (Some(whole), Some(a), Some(b)) = (caps.get(0), caps.name(first), caps.name(second)) else {
        return false;
    };
    let joiner = &whole.as_str()[a.end() - whole.start()..b.start() - whole.start()];
    let between = whole
        .as_str()
        .get(..7)
        .is_some_and(|w| w.eq_ignore_ascii_case("between"));
    !between && joiner.split_whitespace().any(|w| w == "and")
}

fn two_separate_days(
    caps: &Captures<'_>,
    first: &str,
    second: &str,
    start: DayRef,
    end: DayRef,
) -> bool {
    let consecutive = match end.month {
        Some(month) if Some(month) != start.month => end.day == 1,
        _ => end.day == start.day + 1,
    };
    joined_by_and(caps, first, second) && !consecutive
}

fn calendar(weekday: Option<Weekday>, start: DayRef, end: Option<DayRef>) -> Kind {
    Kind::Calendar {
        weekday,
        start,
        end,
        month_hint: None,
    }
}

fn weekday_of(caps: &Captures<'_>) -> Option<Weekday> {
    caps.name("wd").and_then(|w| lexicon::weekday(w.as_str()))
}

fn day_ref(caps: &Captures<'_>, year: &str, month: &str, day: &str) -> Option<DayRef> {
    Some(DayRef {
        year: number(caps, year).map(|y| y as i32),
        month: caps
            .name(month)
            .and_then(|m| lexicon::month_number(m.as_str())),
        day: lexicon::day_number(caps.name(day)?.as_str())?,
    })
}

fn push(phrases: &mut Vec<Phrase>, caps: &Captures<'_>, kind: Kind) {
    let whole = caps.get(0).expect("group 0 always matches");
    // the dot after "Jan." belongs to the phrase, the one after "June" ends
    // the sentence
    let text = whole.as_str();
    let end = match text.strip_suffix('.') {
        Some(before) if !lexicon::is_abbreviated_month(before) => whole.end() - 1,
        _ => whole.end(),
    };
    phrases.push(Phrase {
        start: whole.start(),
        end,
        kind,
    });
}

fn number(caps: &Captures<'_>, name: &str) -> Option<u32> {
    caps.name(name)?.as_str().parse().ok()
}

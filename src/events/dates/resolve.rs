//! Resolving a phrase to calendar days against the publication date.
//!
//! A phrase without a year (or month) has several candidate days: the same
//! month-day in the years around publication, the same weekday in the weeks
//! around it. The tense picks one: past -> the latest on or before
//! publication, future -> on or after it (a weekday named on the story's own
//! weekday is that day, as wire style names today), present -> for a weekday
//! the first on or after it, for a date the nearest. A weekday written before a date ("Thursday, May 8") must agree.
use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};

use super::numeric::NumericOrder;
use super::phrases::{DayRef, Kind, MonthHint, Pointer, Year};
use super::tense::Tense;

pub type Span = (Option<NaiveDate>, Option<NaiveDate>);

/// A calendar date stated in the past may lie one day after publication:
/// the story's time zone is not the event's.
const PAST_SLACK_DAYS: i64 = 1;

pub fn resolve(
    kind: &Kind,
    published: Option<NaiveDate>,
    tense: Tense,
    order: NumericOrder,
) -> Span {
    match kind {
        Kind::Calendar {
            weekday,
            start,
            end,
            month_hint,
        } => calendar(
            *weekday,
            *start,
            end.as_ref(),
            *month_hint,
            published,
            tense,
        ),
        Kind::Numeric {
            first,
            second,
            year,
        } => numeric(*first, *second, *year, published, order),
        Kind::Weekdays {
            pointer,
            first,
            last,
        } => {
            let Some(published) = published else {
                return (None, None);
            };
            let start = weekday_from(published, *first, *pointer, tense);
            let end = match last {
                Some(last) => next_weekday_on_or_after(start, *last),
                None => start,
            };
            (Some(start), Some(end))
        }
        Kind::Relative(offset) => {
            let day = published.map(|p| p + Duration::days(*offset));
            (day, day)
        }
        Kind::Vague => (None, None),
    }
}

/// Days from weekday `from` forward to weekday `to` (0..=6).
pub fn days_until(from: Weekday, to: Weekday) -> i64 {
    (to.num_days_from_monday() as i64 - from.num_days_from_monday() as i64).rem_euclid(7)
}

pub fn next_weekday_on_or_after(day: NaiveDate, weekday: Weekday) -> NaiveDate {
    day + Duration::days(days_until(day.weekday(), weekday))
}

fn weekday_from(
    published: NaiveDate,
    weekday: Weekday,
    pointer: Option<Pointer>,
    tense: Tense,
) -> NaiveDate {
    let ahead = days_until(published.weekday(), weekday);
    let behind = days_until(weekday, published.weekday());
    let after = published + Duration::days(if ahead == 0 { 7 } else { ahead });
    let on_or_after = published + Duration::days(ahead);
    let on_or_before = published - Duration::days(behind);
    let before = published - Duration::days(if behind == 0 { 7 } else { behind });
    match (pointer, tense) {
        (Some(Pointer::Last), _) => before,
        (Some(Pointer::Next), _) => after,
        // "will fly to Vienna on Tuesday evening" in Tuesday's story is that
        // evening: a week ahead would be "next Tuesday"
        (None, Tense::Future) | (None, Tense::Present) => on_or_after,
        (None, Tense::Past) | (None, Tense::Unknown) => on_or_before,
    }
}

/// Picks from `candidates` (ascending) the one the tense points to.
fn choose(candidates: &[NaiveDate], published: NaiveDate, tense: Tense) -> Option<NaiveDate> {
    let nearest = || {
        candidates
            .iter()
            .copied()
            .min_by_key(|c| (*c - published).num_days().abs())
    };
    let picked = match tense {
        Tense::Past => candidates
            .iter()
            .rev()
            .copied()
            .find(|c| *c <= published + Duration::days(PAST_SLACK_DAYS)),
        Tense::Future => candidates.iter().copied().find(|c| *c >= published),
        // "arrives on March 5" in a story of March 11 is this year's: a
        // present tense with a written date is as often a report as a plan
        Tense::Present | Tense::Unknown => nearest(),
    };
    picked.or_else(nearest)
}

fn calendar(
    weekday: Option<Weekday>,
    start: DayRef,
    end: Option<&DayRef>,
    month_hint: Option<MonthHint>,
    published: Option<NaiveDate>,
    tense: Tense,
) -> Span {
    let Some(first) = start_day(weekday, start, end, month_hint, published, tense) else {
        return (None, None);
    };
    let last = match end {
        None => Some(first),
        Some(end) => end_day(first, end),
    };
    match last {
        Some(last) if last >= first => (Some(first), Some(last)),
        _ => (None, None),
    }
}

fn start_day(
    weekday: Option<Weekday>,
    start: DayRef,
    end: Option<&DayRef>,
    month_hint: Option<MonthHint>,
    published: Option<NaiveDate>,
    tense: Tense,
) -> Option<NaiveDate> {
    let agrees = |d: &NaiveDate| weekday.map_or(true, |w| d.weekday() == w);
    match (start.year, start.month) {
        (Some(year), Some(month)) => NaiveDate::from_ymd_opt(year, month, start.day),
        // "Dec. 30 to Jan. 2, 2027": the end's year dates the start
        (None, Some(month)) if end.is_some_and(|e| e.year.is_some()) => {
            let end_year = end.and_then(|e| e.year)?;
            let end_month = end.and_then(|e| e.month).unwrap_or(month);
            let year = if month > end_month {
                end_year - 1
            } else {
                end_year
            };
            NaiveDate::from_ymd_opt(year, month, start.day)
        }
        (None, Some(month)) => {
            let published = published?;
            let candidates: Vec<NaiveDate> = (-1..=1)
                .filter_map(|dy| NaiveDate::from_ymd_opt(published.year() + dy, month, start.day))
                .filter(agrees)
                .collect();
            choose(&candidates, published, tense)
        }
        (_, None) => {
            let published = published?;
            let this_month = published.with_day(1)?;
            let month_of = |delta: i32| -> Option<NaiveDate> {
                let first = if delta >= 0 {
                    this_month.checked_add_months(Months::new(delta as u32))?
                } else {
                    this_month.checked_sub_months(Months::new((-delta) as u32))?
                };
                NaiveDate::from_ymd_opt(first.year(), first.month(), start.day)
            };
            let deltas: &[i32] = match month_hint {
                Some(MonthHint::This) => &[0],
                Some(MonthHint::Next) => &[1],
                Some(MonthHint::Last) => &[-1],
                None => &[-1, 0, 1],
            };
            let candidates: Vec<NaiveDate> = deltas
                .iter()
                .filter_map(|d| month_of(*d))
                .filter(agrees)
                .collect();
            choose(&candidates, published, tense)
        }
    }
}

/// The end of a range given its start: a missing month is the start's (or
/// the next, "30 to 2"), a missing year the start's (or the next).
fn end_day(first: NaiveDate, end: &DayRef) -> Option<NaiveDate> {
    match (end.year, end.month) {
        (Some(year), Some(month)) => NaiveDate::from_ymd_opt(year, month, end.day),
        (year, None) => {
            let year = year.unwrap_or(first.year());
            let same = NaiveDate::from_ymd_opt(year, first.month(), end.day);
            match same {
                Some(d) if d >= first => Some(d),
                _ => {
                    let next = first.with_day(1)?.checked_add_months(Months::new(1))?;
                    NaiveDate::from_ymd_opt(next.year(), next.month(), end.day)
                }
            }
        }
        (None, Some(month)) => {
            let same = NaiveDate::from_ymd_opt(first.year(), month, end.day)?;
            if same >= first {
                Some(same)
            } else {
                NaiveDate::from_ymd_opt(first.year() + 1, month, end.day)
            }
        }
    }
}

fn numeric(
    first: u32,
    second: u32,
    year: Year,
    published: Option<NaiveDate>,
    order: NumericOrder,
) -> Span {
    let year = match year {
        Year::Full(y) => y,
        Year::TwoDigit(yy) => {
            // the century closest to the publication year; none without it
            let Some(published) = published else {
                return (None, None);
            };
            let century = published.year() - published.year().rem_euclid(100);
            [century - 100, century, century + 100]
                .into_iter()
                .map(|c| c + yy as i32)
                .min_by_key(|y| (y - published.year()).abs())
                .expect("three candidates")
        }
    };
    let (month, day) = match order.settle(first, second, year, published) {
        NumericOrder::DayFirst => (second, first),
        NumericOrder::MonthFirst => (first, second),
        NumericOrder::Unknown => return (None, None),
    };
    let day = NaiveDate::from_ymd_opt(year, month, day);
    (day, day)
}

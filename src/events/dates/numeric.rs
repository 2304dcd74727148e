//! Which number of "05/06/2025" is the day: decided by a value above 12,
//! else by the page's other numeric dates, else by the publication date
//! when only one reading lies near it. Otherwise the date stays unresolved.
use chrono::NaiveDate;
use once_cell::sync::Lazy;
use regex::Regex;

use super::phrases::{Kind, Phrase};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NumericOrder {
    /// 05/06/2025 is 5 June (most of the world).
    DayFirst,
    /// 05/06/2025 is May 6 (the United States).
    MonthFirst,
    #[default]
    Unknown,
}

/// A reading within this many days of publication, with the other reading
/// more than `FAR_DAYS` away, settles an ambiguous date.
const NEAR_DAYS: i64 = 14;
const FAR_DAYS: i64 = 60;

static NUMERIC_DATE: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"\b(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4})\b").unwrap());

impl NumericOrder {
    /// `self`, or `other` when unknown.
    pub fn or(self, other: NumericOrder) -> NumericOrder {
        match self {
            NumericOrder::Unknown => other,
            known => known,
        }
    }

    /// The order of one date `first/second/year`.
    pub fn settle(
        self,
        first: u32,
        second: u32,
        year: i32,
        published: Option<NaiveDate>,
    ) -> NumericOrder {
        if let Some(order) = by_value(first, second) {
            return order;
        }
        if self != NumericOrder::Unknown {
            return self;
        }
        let Some(published) = published else {
            return NumericOrder::Unknown;
        };
        let distance = |month: u32, day: u32| {
            NaiveDate::from_ymd_opt(year, month, day).map(|d| (d - published).num_days().abs())
        };
        match (distance(second, first), distance(first, second)) {
            (Some(day_first), Some(month_first))
                if day_first <= NEAR_DAYS && month_first > FAR_DAYS =>
            {
                NumericOrder::DayFirst
            }
            (Some(day_first), Some(month_first))
                if month_first <= NEAR_DAYS && day_first > FAR_DAYS =>
            {
                NumericOrder::MonthFirst
            }
            _ => NumericOrder::Unknown,
        }
    }
}

/// The order a single date proves by itself: a number above 12 is the day;
/// equal numbers read the same either way.
fn by_value(first: u32, second: u32) -> Option<NumericOrder> {
    match (first > 12, second > 12) {
        (true, false) => Some(NumericOrder::DayFirst),
        (false, true) => Some(NumericOrder::MonthFirst),
        _ if first == second => Some(NumericOrder::DayFirst),
        _ => None,
    }
}

/// The order a whole page uses, from its unambiguous numeric dates (and its
/// publication date written numerically). Meant to be computed once per
/// article and passed in [`super::Reference::numeric`].
pub fn numeric_order(document: &str, published: Option<NaiveDate>) -> NumericOrder {
    let (mut day_first, mut month_first) = (0usize, 0usize);
    for caps in NUMERIC_DATE.captures_iter(document) {
        if caps[2] != caps[4] {
            continue;
        }
        let (Ok(a), Ok(b), Ok(year)) = (
            caps[1].parse::<u32>(),
            caps[3].parse::<u32>(),
            caps[5].parse::<i32>(),
        ) else {
            continue;
        };
        let order = by_value(a, b).filter(|_| a != b).or_else(|| {
            // the page's own date written out: only one reading matches it
            let published = published?;
            let as_day_first = NaiveDate::from_ymd_opt(year, b, a) == Some(published);
            let as_month_first = NaiveDate::from_ymd_opt(year, a, b) == Some(published);
            match (as_day_first, as_month_first) {
                (true, false) => Some(NumericOrder::DayFirst),
                (false, true) => Some(NumericOrder::MonthFirst),
                _ => None,
            }
        });
        match order {
            Some(NumericOrder::DayFirst) => day_first += 1,
            Some(NumericOrder::MonthFirst) => month_first += 1,
            _ => {}
        }
    }
    match day_first.cmp(&month_first) {
        std::cmp::Ordering::Greater => NumericOrder::DayFirst,
        std::cmp::Ordering::Less => NumericOrder::MonthFirst,
        std::cmp::Ordering::Equal => NumericOrder::Unknown,
    }
}

/// The order the sentence's own numeric dates prove.
pub fn in_phrases(phrases: &[Phrase]) -> NumericOrder {
    phrases
        .iter()
        .find_map(|p| match p.kind {
            Kind::Numeric { first, second, .. } if first != second => by_value(first, second),
            _ => None,
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn page_order_from_unambiguous_dates() {
        let page = "Updated 25/03/2026. The talks on 04/05/2026 ... Posted 14/03/2026";
        assert_eq!(numeric_order(page, None), NumericOrder::DayFirst);
        let page = "Posted 03/25/2026 ... next round on 04/05/2026";
        assert_eq!(numeric_order(page, None), NumericOrder::MonthFirst);
        assert_eq!(numeric_order("on 04/05/2026", None), NumericOrder::Unknown);
        // the publication date written numerically settles it
        assert_eq!(
            numeric_order("Published 04/05/2026", Some(day("2026-04-05"))),
            NumericOrder::MonthFirst
        );
    }

    #[test]
    fn one_date_settles_by_value_then_page_then_publication() {
        let unknown = NumericOrder::Unknown;
        assert_eq!(unknown.settle(13, 5, 2026, None), NumericOrder::DayFirst);
        assert_eq!(unknown.settle(5, 13, 2026, None), NumericOrder::MonthFirst);
        assert_eq!(unknown.settle(4, 5, 2026, None), NumericOrder::Unknown);
        assert_eq!(
            NumericOrder::MonthFirst.settle(4, 5, 2026, None),
            NumericOrder::MonthFirst
        );
        // 4 May is near a 2026-05-06 story, April 5 a month away: not far enough
        assert_eq!(
            unknown.settle(4, 5, 2026, Some(day("2026-05-06"))),
            NumericOrder::Unknown
        );
        // 2 Sep is near a 2026-09-05 story, Feb 9 seven months away
        assert_eq!(
            unknown.settle(2, 9, 2026, Some(day("2026-09-05"))),
            NumericOrder::DayFirst
        );
    }
}

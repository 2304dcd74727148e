//! Words of dates: month and weekday names, number words, and the regex
//! fragments the phrase finder is built from.
use chrono::Weekday;

/// A month name as written in English copy, capitalized ("may" the verb and
/// "march" the noun are not months). The optional trailing dot of an
/// abbreviation is matched by the callers after a `\b`.
pub const MONTH: &str = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
/// A weekday name, capitalized as in running text.
pub const WEEKDAY: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
/// Month and weekday names written out in full, as running text
/// capitalizes them (the knowledge base keeps them from resolving as names).
pub const CALENDAR_NAMES: [&str; 19] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
/// A day of the month with an optional ordinal suffix.
pub const DAY: &str = r"\d{1,2}(?:st|nd|rd|th)?";
/// Between the two ends of a range: "23-25", "23–25", "23 to 25",
/// "Thursday and Friday", "Monday through Wednesday".
pub const RANGE: &str = r"(?:\s*[-–—]\s*|\s+(?:to|until|till|through|thru|and)\s+(?:the\s+)?)";
/// Small counts written as words ("a two-day visit", "three days ago").
pub const COUNT: &str = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)";

/// Month number (1-12) of a month name or abbreviation.
pub fn month_number(text: &str) -> Option<u32> {
    const PREFIXES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = text.to_ascii_lowercase();
    PREFIXES
        .iter()
        .position(|p| lower.starts_with(p))
        .map(|i| i as u32 + 1)
}

/// Whether `text` ends with a month abbreviation ("Dec", "Sept").
pub fn is_abbreviated_month(text: &str) -> bool {
    const ABBREVIATIONS: [&str; 11] = [
        "Jan", "Feb", "Mar", "Apr", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Jun",
    ];
    let last_word = text
        .rsplit(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    ABBREVIATIONS.contains(&last_word)
}

pub fn weekday(text: &str) -> Option<Weekday> {
    text.to_ascii_lowercase().parse().ok()
}

/// Value of a count written in digits or as a word.
pub fn count(text: &str) -> Option<u32> {
    const WORDS: [&str; 10] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    let lower = text.to_ascii_lowercase();
    WORDS
        .iter()
        .position(|w| *w == lower)
        .map(|i| i as u32 + 1)
        .or_else(|| lower.parse().ok())
}

/// Day of the month from "8", "8th", "23rd".
pub fn day_number(text: &str) -> Option<u32> {
    text.trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .ok()
        .filter(|d| (1..=31).contains(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        assert_eq!(month_number("Sept"), Some(9));
        assert_eq!(month_number("December"), Some(12));
        assert_eq!(month_number("Foo"), None);
        assert_eq!(weekday("Thursday"), Some(Weekday::Thu));
        assert_eq!(count("three"), Some(3));
        assert_eq!(count("4"), Some(4));
        assert_eq!(day_number("23rd"), Some(23));
        assert_eq!(day_number("32"), None);
    }
}

//! Date parsing for machine-readable values (JSON-LD, meta, `<time datetime>`),
//! visible date lines in several languages, and dates in URLs.
//!
//! Output format: RFC 3339 with offset when the zone is known, else
//! `YYYY-MM-DDTHH:MM:SS`, else `YYYY-MM-DD`.
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use once_cell::sync::Lazy;
use regex::Regex;

/// A parsed date with as much precision as the source gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageDate {
    Zoned(DateTime<chrono::FixedOffset>),
    Local(NaiveDateTime),
    Day(NaiveDate),
}

impl PageDate {
    /// The calendar day, whatever the precision.
    pub fn day(&self) -> NaiveDate {
        match self {
            PageDate::Zoned(dt) => dt.date_naive(),
            PageDate::Local(dt) => dt.date(),
            PageDate::Day(d) => *d,
        }
    }

    pub fn format(&self) -> String {
        match self {
            PageDate::Zoned(dt) => dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            PageDate::Local(dt) => dt.format("%Y-%m-%dT%H:%M:%S").to_string(),
            PageDate::Day(d) => d.format("%Y-%m-%d").to_string(),
        }
    }
}

fn plausible(date: NaiveDate) -> bool {
    (1995..=2100).contains(&chrono::Datelike::year(&date))
}

/// Parses a machine-readable date value (ISO 8601 / RFC 3339 and near variants).
pub fn parse_machine(value: &str) -> Option<PageDate> {
    let value = value.trim();
    if value.len() < 8 {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(value) {
        return plausible(dt.date_naive()).then_some(PageDate::Zoned(dt));
    }
    // Offsets without a colon or without seconds, and a space instead of 'T'.
    let normalized = value.replacen(' ', "T", 1);
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M%:z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(&normalized, format) {
            return plausible(dt.date_naive()).then_some(PageDate::Zoned(dt));
        }
    }
    if let Some(stripped) = normalized.strip_suffix('Z') {
        for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(stripped, format) {
                return plausible(naive.date())
                    .then_some(PageDate::Zoned(naive.and_utc().fixed_offset()));
            }
        }
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(&normalized, format) {
            return plausible(naive.date()).then_some(PageDate::Local(naive));
        }
    }
    if let Some(day) = value
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    {
        return plausible(day).then_some(PageDate::Day(day));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(value) {
        return plausible(dt.date_naive()).then_some(PageDate::Zoned(dt));
    }
    // Anything else (e.g. "March 3, 2024" in a meta tag) as visible text.
    parse_visible(value)
}

/// Month names and abbreviations in English, French, German, Spanish,
/// Italian, Portuguese and Dutch, lowercase without trailing dots.
fn month_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.').to_lowercase();
    let month = match word.as_str() {
        "january" | "jan" | "janvier" | "janv" | "januar" | "jän" | "enero" | "ene" | "gennaio"
        | "gen" | "janeiro" | "januari" => 1,
        "february" | "feb" | "février" | "fevrier" | "févr" | "fevr" | "februar" | "febrero"
        | "febbraio" | "fevereiro" | "fev" | "fév" | "februari" => 2,
        "march" | "mar" | "mars" | "märz" | "maerz" | "marzo" | "março" | "marco" | "maart"
        | "mrt" => 3,
        "april" | "apr" | "avril" | "avr" | "abril" | "abr" | "aprile" => 4,
        "may" | "mai" | "mayo" | "maggio" | "mag" | "maio" | "mei" => 5,
        "june" | "jun" | "juin" | "juni" | "junio" | "giugno" | "giu" | "junho" => 6,
        "july" | "jul" | "juillet" | "juil" | "juli" | "julio" | "luglio" | "lug" | "julho" => 7,
        "august" | "aug" | "août" | "aout" | "agosto" | "ago" | "augustus" => 8,
        "september" | "sep" | "sept" | "septembre" | "septiembre" | "settembre" | "set"
        | "setembro" => 9,
        "october" | "oct" | "octobre" | "oktober" | "okt" | "octubre" | "ottobre" | "ott"
        | "outubro" | "out" => 10,
        "november" | "nov" | "novembre" | "noviembre" | "novembro" => 11,
        "december" | "dec" | "décembre" | "decembre" | "déc" | "dezember" | "dez" | "diciembre"
        | "dic" | "dicembre" | "dezembro" => 12,
        _ => return None,
    };
    Some(month)
}

const MONTH: &str = r"([A-Za-zÀ-ÿ]{3,10}\.?)";

/// "2025-05-26 21:22", "2024/03/28"
static ISO_LIKE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"\b((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T,]+(\d{1,2}):(\d\d)(?::(\d\d))?)?\b",
    )
    .expect("static regex")
});
/// "28/03/2024", "20.06.2023, 18:05 Uhr" (day first, as outside the US)
static DAY_FIRST: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"\b(\d{1,2})([./-])(\d{1,2})([./-])((?:19|20)\d\d)\b(?:,?\s*(?:um\s+|à\s+|at\s+)?(\d{1,2})[:h](\d\d))?")
        .expect("static regex")
});
/// "3 March 2024", "Mardi 27 février 2018", "27. Februar 2018", "3 de marzo de 2024"
static DAY_MONTH_YEAR: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s+(?:de\s+)?{MONTH}\s+(?:de\s+)?((?:19|20)\d\d)\b(?:,?\s*(?:at\s+|à\s+|um\s+|-\s+)?(\d{{1,2}})[:h](\d\d))?"
    ))
    .expect("static regex")
});
/// "March 3, 2024", "Mar. 3 2024 10:15"
static MONTH_DAY_YEAR: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"\b{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b(?:,?\s*(?:at\s+)?(\d{{1,2}}):(\d\d)\s*([AaPp]\.?[Mm]\.?)?)?"
    ))
    .expect("static regex")
});

fn build(
    year: i32,
    month: u32,
    day: u32,
    hour: Option<u32>,
    minute: Option<u32>,
    second: Option<u32>,
) -> Option<PageDate> {
    let date = NaiveDate::from_ymd_opt(year, month, day).filter(|d| plausible(*d))?;
    match (hour, minute) {
        (Some(h), Some(m)) => {
            let time = NaiveTime::from_hms_opt(h, m, second.unwrap_or(0))?;
            Some(PageDate::Local(date.and_time(time)))
        }
        _ => Some(PageDate::Day(date)),
    }
}

fn num(caps: &regex::Captures<'_>, index: usize) -> Option<u32> {
    caps.get(index).and_then(|m| m.as_str().parse().ok())
}

/// Finds the first date written for people in `text`, in any supported format.
pub fn parse_visible(text: &str) -> Option<PageDate> {
    let mut best: Option<(usize, PageDate)> = None;
    let mut consider = |start: usize, date: Option<PageDate>| {
        if let Some(date) = date {
            if best.as_ref().map_or(true, |(at, _)| start < *at) {
                best = Some((start, date));
            }
        }
    };
    for caps in ISO_LIKE.captures_iter(text) {
        let year = num(&caps, 1).map(|y| y as i32);
        let date = year.and_then(|y| {
            build(
                y,
                num(&caps, 2)?,
                num(&caps, 3)?,
                num(&caps, 4),
                num(&caps, 5),
                num(&caps, 6),
            )
        });
        if date.is_some() {
            consider(caps.get(0).map_or(0, |m| m.start()), date);
            break;
        }
    }
    for caps in DAY_FIRST.captures_iter(text) {
        // Both separators must agree; "12-555-2024" style runs are not dates.
        if caps.get(2).map(|m| m.as_str()) != caps.get(4).map(|m| m.as_str()) {
            continue;
        }
        let date = (|| {
            build(
                num(&caps, 5)? as i32,
                num(&caps, 3)?,
                num(&caps, 1)?,
                num(&caps, 6),
                num(&caps, 7),
                None,
            )
        })();
        if date.is_some() {
            consider(caps.get(0).map_or(0, |m| m.start()), date);
            break;
        }
    }
    for caps in DAY_MONTH_YEAR.captures_iter(text) {
        let date = (|| {
            let month = month_number(caps.get(2)?.as_str())?;
            build(
                num(&caps, 3)? as i32,
                month,
                num(&caps, 1)?,
                num(&caps, 4),
                num(&caps, 5),
                None,
            )
        })();
        if date.is_some() {
            consider(caps.get(0).map_or(0, |m| m.start()), date);
            break;
        }
    }
    for caps in MONTH_DAY_YEAR.captures_iter(text) {
        let date = (|| {
            let month = month_number(caps.get(1)?.as_str())?;
            let mut hour = num(&caps, 4);
            if let (Some(h), Some(marker)) = (hour, caps.get(6)) {
                let pm = marker.as_str().to_ascii_lowercase().starts_with('p');
                hour = Some(match (h, pm) {
                    (12, false) => 0,
                    (12, true) => 12,
                    (h, true) => h + 12,
                    (h, false) => h,
                });
            }
            build(
                num(&caps, 3)? as i32,
                month,
                num(&caps, 2)?,
                hour,
                num(&caps, 5),
                None,
            )
        })();
        if date.is_some() {
            consider(caps.get(0).map_or(0, |m| m.start()), date);
            break;
        }
    }
    best.map(|(_, date)| date)
}

/// A visible numeric date such as `03/02/2014` is read day first. When the
/// page's URL carries the same date with day and month swapped, the page is
/// one that prints the month first, and the URL's order is taken.
pub fn settle_order_by_url(date: PageDate, url_date: Option<&PageDate>) -> PageDate {
    use chrono::Datelike;
    let Some(url_day) = url_date.map(PageDate::day) else {
        return date;
    };
    let day = date.day();
    let swapped = day.day() != day.month()
        && day.year() == url_day.year()
        && day.day() == url_day.month()
        && day.month() == url_day.day();
    if !swapped {
        return date;
    }
    match date {
        PageDate::Zoned(_) => date,
        PageDate::Local(dt) => PageDate::Local(url_day.and_time(dt.time())),
        PageDate::Day(_) => PageDate::Day(url_day),
    }
}

static URL_DATE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|-|_|\.|$)")
        .expect("static regex")
});

/// A full date in the URL path: `/2024/03/28/` or `/20240328-`. A year and
/// month alone are not a date.
pub fn parse_url(url: &str) -> Option<PageDate> {
    let path_start = url.find("://").map_or(0, |i| {
        url[i + 3..].find('/').map_or(url.len(), |p| i + 3 + p)
    });
    let path = &url[path_start..];
    let caps = URL_DATE.captures(path)?;
    build(
        num(&caps, 1)? as i32,
        num(&caps, 2)?,
        num(&caps, 3)?,
        None,
        None,
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visible(text: &str) -> Option<String> {
        parse_visible(text).map(|d| d.format())
    }

    #[test]
    fn machine_formats() {
        let cases = [
            ("2025-05-26T21:22:00+08:00", "2025-05-26T21:22:00+08:00"),
            ("2025-05-26T13:22:00Z", "2025-05-26T13:22:00+00:00"),
            ("2025-05-26T13:22:00.123Z", "2025-05-26T13:22:00+00:00"),
            ("2025-05-26T21:22:00+0800", "2025-05-26T21:22:00+08:00"),
            ("2025-05-26 21:22", "2025-05-26T21:22:00"),
            ("2025-05-26", "2025-05-26"),
            (
                "Tue, 27 Feb 2018 10:00:00 +0100",
                "2018-02-27T10:00:00+01:00",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(
                parse_machine(input).map(|d| d.format()).as_deref(),
                Some(want),
                "{input}"
            );
        }
        assert_eq!(parse_machine("not a date"), None);
        assert_eq!(parse_machine("0000-00-00"), None);
    }

    #[test]
    fn visible_formats_in_several_languages() {
        let cases = [
            ("Published 2025-05-26 21:22 Updated", "2025-05-26T21:22:00"),
            ("March 3, 2024", "2024-03-03"),
            ("Posted on Mar. 3, 2024 at 4:05 pm", "2024-03-03T16:05:00"),
            ("3 March 2024", "2024-03-03"),
            ("28/03/2024", "2024-03-28"),
            ("Mardi 27 février 2018", "2018-02-27"),
            ("Le 1er mars 2019 à 10h30", "2019-03-01T10:30:00"),
            ("20.06.2023, 18:05 Uhr", "2023-06-20T18:05:00"),
            ("27. Februar 2018", "2018-02-27"),
            ("3 de marzo de 2024", "2024-03-03"),
        ];
        for (input, want) in cases {
            assert_eq!(visible(input).as_deref(), Some(want), "{input}");
        }
    }

    #[test]
    fn phone_numbers_and_impossible_dates_are_not_dates() {
        for text in [
            "Call +1 (202) 555-0143",
            "Tel. 030 2024 5512",
            "12-555-2024",
            "31/02/2024",
            "45/13/2024",
            "Hotline 0800.12.2024",
        ] {
            assert_eq!(visible(text), None, "{text}");
        }
    }

    #[test]
    fn url_dates() {
        let url = |u: &str| parse_url(u).map(|d| d.format());
        assert_eq!(
            url("https://x.com/2024/03/28/story").as_deref(),
            Some("2024-03-28")
        );
        assert_eq!(
            url("https://x.com/news/20240328-story.html").as_deref(),
            Some("2024-03-28")
        );
        assert_eq!(url("https://x.com/2024/03/story").as_deref(), None);
        assert_eq!(url("https://2024.com/story-12345678").as_deref(), None);
    }

    #[test]
    fn a_url_with_the_month_first_settles_a_numeric_line() {
        let printed = parse_visible("Released: 03/02/2014 18:20").expect("a date");
        let settle = |url: &str| settle_order_by_url(printed.clone(), parse_url(url).as_ref());
        assert_eq!(
            settle("https://x.org/2014/03/02/call").format(),
            "2014-03-02T18:20:00"
        );
        // The URL agrees with the day-first reading, or names another day: kept.
        assert_eq!(
            settle("https://x.org/2014/02/03/call").format(),
            "2014-02-03T18:20:00"
        );
        assert_eq!(
            settle("https://x.org/2014/05/06/call").format(),
            "2014-02-03T18:20:00"
        );
    }
}

//! Resolution tests: the original cases, then tables of wire-copy phrasings.
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

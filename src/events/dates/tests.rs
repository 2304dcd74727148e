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
    // the story's own weekday is that day: wire style names today's weekday
    let (s, _, _) = dates("He will arrive on Monday.", "2025-05-26", true);
    assert_eq!(s.as_deref(), Some("2025-05-26"));
    let (s, _, _) = dates("He will arrive next Monday.", "2025-05-26", true);
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

// ---- tables of wire-copy phrasings ----
//
// Publication dates used below: 2026-03-11 is a Wednesday (so Mon 9, Tue 10,
// Thu 12, Fri 13, Sat 14, Sun 15, Mon 16); 2025-12-29 a Monday; 2026-01-02 a
// Friday.

const WED: &str = "2026-03-11";

/// One expected resolution: the sentence, the trigger word the event hangs
/// on, publication date, the rule's prior (planned?), start and end.
struct Case {
    sentence: &'static str,
    trigger: &'static str,
    published: &'static str,
    planned: bool,
    start: Option<&'static str>,
    end: Option<&'static str>,
}

const fn case(
    sentence: &'static str,
    trigger: &'static str,
    published: &'static str,
    planned: bool,
    span: (&'static str, &'static str),
) -> Case {
    Case {
        sentence,
        trigger,
        published,
        planned,
        start: Some(span.0),
        end: Some(span.1),
    }
}

/// A case whose dates must stay null.
const fn none(
    sentence: &'static str,
    trigger: &'static str,
    published: &'static str,
    planned: bool,
) -> Case {
    Case {
        sentence,
        trigger,
        published,
        planned,
        start: None,
        end: None,
    }
}

fn run(cases: &[Case]) {
    let mut failures = Vec::new();
    for c in cases {
        let anchor = c
            .sentence
            .find(c.trigger)
            .unwrap_or_else(|| panic!("trigger {:?} in {:?}", c.trigger, c.sentence));
        let d = resolve_in(c.sentence, Some(day(c.published)), c.planned, &[anchor]);
        let got = (d.start.map(|d| d.to_string()), d.end.map(|d| d.to_string()));
        let want = (c.start.map(str::to_string), c.end.map(str::to_string));
        if got != want {
            failures.push(format!(
                "{:?} (published {}, planned {}): got {:?} from {:?}, want {:?}",
                c.sentence, c.published, c.planned, got, d.text, want
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn weekdays_follow_the_tense_of_their_clause() {
    run(&[
        case("Chinese President Xi Jinping held talks with Russian President Vladimir Putin in Moscow on Monday.", "held talks", WED, false, ("2026-03-09", "2026-03-09")),
        case("The two leaders met Friday in Geneva, officials said.", "met", WED, false, ("2026-03-06", "2026-03-06")),
        case("Secretary of State Antony Blinken met Chinese officials Tuesday.", "met", WED, false, ("2026-03-10", "2026-03-10")),
        case("Macron and Scholz spoke by phone on Wednesday.", "spoke", WED, false, ("2026-03-11", "2026-03-11")),
        case("Modi will visit Tokyo on Thursday for talks with his Japanese counterpart.", "visit", WED, true, ("2026-03-12", "2026-03-12")),
        case("The Indonesian president is due to arrive in Canberra on Monday.", "arrive", WED, true, ("2026-03-16", "2026-03-16")),
        case("Erdogan is visiting Baghdad on Sunday, his office said.", "visiting", WED, true, ("2026-03-15", "2026-03-15")),
        case("The foreign ministers will meet in Cairo on Saturday.", "meet", WED, false, ("2026-03-14", "2026-03-14")),
        // the publication weekday is that day, whether "will" or a scheduled present
        case("The envoy will arrive in Seoul on Wednesday.", "arrive", WED, true, ("2026-03-11", "2026-03-11")),
        case("The pope arrives in Beirut on Wednesday for a state visit.", "state visit", WED, true, ("2026-03-11", "2026-03-11")),
        // the clause's tense beats the rule's prior
        case("Xi arrived in Moscow on Monday for a state visit.", "state visit", WED, true, ("2026-03-09", "2026-03-09")),
        case("Ramaphosa told parliament he would travel to Washington on Friday.", "travel", WED, false, ("2026-03-13", "2026-03-13")),
        // no tense marker: the prior decides
        case("State visit by Lula on Friday.", "State visit", WED, true, ("2026-03-13", "2026-03-13")),
        case("Talks with Sunak on Friday.", "Talks", WED, false, ("2026-03-06", "2026-03-06")),
        // weekday pointers beat tense
        case("Kishida plans to travel to Washington next Monday.", "travel", WED, true, ("2026-03-16", "2026-03-16")),
        case("The talks held last Tuesday ended without agreement.", "talks", WED, false, ("2026-03-10", "2026-03-10")),
        case("The ministers last met on Wednesday last week; they spoke again this past Wednesday.", "spoke", WED, false, ("2026-03-04", "2026-03-04")),
        case("Talks resume this coming Friday in Doha.", "Talks", WED, false, ("2026-03-13", "2026-03-13")),
        case("The leaders met late on Monday after a day of delays.", "met", WED, false, ("2026-03-09", "2026-03-09")),
        case("Xi will hold talks with Putin on Thursday's second day of the visit.", "talks", WED, true, ("2026-03-12", "2026-03-12")),
        // a clause of its own for each date
        case("He visited Paris on Monday and will travel to Rome on Friday.", "travel", WED, false, ("2026-03-13", "2026-03-13")),
        case("He visited Paris on Monday and will travel to Rome on Friday.", "visited", WED, true, ("2026-03-09", "2026-03-09")),
    ]);
}

#[test]
fn weekday_ranges_and_durations() {
    run(&[
        case(
            "The summit will be held on Thursday and Friday in Brussels.",
            "summit",
            WED,
            true,
            ("2026-03-12", "2026-03-13"),
        ),
        case(
            "The two presidents held talks on Monday and Tuesday.",
            "held talks",
            WED,
            false,
            ("2026-03-09", "2026-03-10"),
        ),
        case(
            "Lula will pay a state visit to Japan from Sunday to Tuesday.",
            "state visit",
            WED,
            true,
            ("2026-03-15", "2026-03-17"),
        ),
        case(
            "Talks are scheduled Monday through Wednesday in Vienna.",
            "Talks",
            WED,
            true,
            ("2026-03-16", "2026-03-18"),
        ),
        case(
            "Albanese will make a two-day visit to Jakarta starting Monday.",
            "visit",
            WED,
            true,
            ("2026-03-16", "2026-03-17"),
        ),
        case(
            "Lula begins a three-day visit to China from Sunday.",
            "visit",
            WED,
            true,
            ("2026-03-15", "2026-03-17"),
        ),
        case(
            "Xi arrived in Moscow on Monday for a three-day state visit.",
            "state visit",
            WED,
            true,
            ("2026-03-09", "2026-03-11"),
        ),
        case(
            "Leaders wrapped up a two-day summit that ended on Tuesday.",
            "summit",
            WED,
            false,
            ("2026-03-09", "2026-03-10"),
        ),
        case(
            "Lula will visit China for three days from Sunday.",
            "visit",
            WED,
            true,
            ("2026-03-15", "2026-03-17"),
        ),
        case(
            "The 2-day talks open in Geneva on Thursday.",
            "talks",
            WED,
            true,
            ("2026-03-12", "2026-03-13"),
        ),
        case(
            "The forum opened on Tuesday and closes on Thursday.",
            "forum",
            WED,
            false,
            ("2026-03-10", "2026-03-12"),
        ),
    ]);
}

#[test]
fn relative_days_and_vague_periods() {
    run(&[
        case(
            "The leaders will hold talks tomorrow in Ankara.",
            "talks",
            WED,
            true,
            ("2026-03-12", "2026-03-12"),
        ),
        case(
            "The foreign ministers held talks yesterday.",
            "talks",
            WED,
            false,
            ("2026-03-10", "2026-03-10"),
        ),
        case(
            "Macron hosts Modi at the Elysee today.",
            "hosts",
            WED,
            true,
            ("2026-03-11", "2026-03-11"),
        ),
        case(
            "The two leaders will dine together tonight.",
            "dine",
            WED,
            true,
            ("2026-03-11", "2026-03-11"),
        ),
        case(
            "The two presidents spoke by telephone last night.",
            "spoke",
            WED,
            false,
            ("2026-03-10", "2026-03-10"),
        ),
        case(
            "The ministers met two days ago in Riyadh.",
            "met",
            WED,
            false,
            ("2026-03-09", "2026-03-09"),
        ),
        case(
            "The delegation arrives in three days' time.",
            "delegation",
            WED,
            true,
            ("2026-03-14", "2026-03-14"),
        ),
        case(
            "The talks resume the day after tomorrow.",
            "talks",
            WED,
            true,
            ("2026-03-13", "2026-03-13"),
        ),
        none(
            "Xi will visit Moscow next week, the Kremlin said on Monday.",
            "visit",
            WED,
            true,
        ),
        none(
            "Modi will travel to Washington next month.",
            "travel",
            WED,
            true,
        ),
        none(
            "A state visit is planned for later this month.",
            "state visit",
            WED,
            true,
        ),
        none(
            "The two ministers met earlier this month in Doha.",
            "met",
            WED,
            false,
        ),
        none(
            "The leaders will meet this weekend at Camp David.",
            "meet",
            WED,
            true,
        ),
        none("The leaders met over the weekend.", "met", WED, false),
        none("He will travel to Beijing in April.", "travel", WED, true),
        none("A visit is expected in early April.", "visit", WED, true),
        none(
            "The king will visit Canada in mid-May 2026.",
            "visit",
            WED,
            true,
        ),
        none(
            "The two sides agreed to meet again in the coming weeks.",
            "meet",
            WED,
            true,
        ),
        none(
            "The president is expected to visit soon.",
            "visit",
            WED,
            true,
        ),
        none("He will visit Japan later this year.", "visit", WED, true),
    ]);
}

#[test]
fn ordinal_days_take_their_month_from_tense() {
    run(&[
        case(
            "The president will visit Paris on the 18th.",
            "visit",
            WED,
            true,
            ("2026-03-18", "2026-03-18"),
        ),
        case(
            "The talks were held on the 8th.",
            "talks",
            WED,
            false,
            ("2026-03-08", "2026-03-08"),
        ),
        case(
            "The envoy will visit on the 5th.",
            "visit",
            WED,
            true,
            ("2026-04-05", "2026-04-05"),
        ),
        case(
            "The ministers met on the 20th.",
            "met",
            WED,
            false,
            ("2026-02-20", "2026-02-20"),
        ),
        case(
            "The visit will run from the 23rd to the 25th.",
            "visit",
            WED,
            true,
            ("2026-03-23", "2026-03-25"),
        ),
        case(
            "Talks took place the 8th to the 10th in Oman.",
            "Talks",
            WED,
            false,
            ("2026-03-08", "2026-03-10"),
        ),
        case(
            "The leaders will meet on Friday the 13th.",
            "meet",
            WED,
            true,
            ("2026-03-13", "2026-03-13"),
        ),
        case(
            "The premier arrives on Monday 29th for talks.",
            "talks",
            "2026-06-27",
            true,
            ("2026-06-29", "2026-06-29"),
        ),
        case(
            "The summit will open on the 3rd of next month.",
            "summit",
            WED,
            true,
            ("2026-04-03", "2026-04-03"),
        ),
        case(
            "The talks, held on the 30th, ended late.",
            "talks",
            "2026-01-02",
            false,
            ("2025-12-30", "2025-12-30"),
        ),
        // ordinals that are not days
        none("It was the 8th round of talks.", "talks", WED, false),
        none("Leaders met for the 3rd time.", "met", WED, false),
        none(
            "Talks were held on the 5th floor of the ministry.",
            "Talks",
            WED,
            false,
        ),
        none(
            "A summit on the 21st century economy was held.",
            "summit",
            WED,
            false,
        ),
    ]);
}

#[test]
fn calendar_days_and_ranges() {
    run(&[
        case(
            "Lee will visit Beijing April 23 to 25.",
            "visit",
            WED,
            true,
            ("2026-04-23", "2026-04-25"),
        ),
        case(
            "The summit runs 23-25 April in Kigali.",
            "summit",
            WED,
            true,
            ("2026-04-23", "2026-04-25"),
        ),
        case(
            "The summit runs 23–25 April in Kigali.",
            "summit",
            WED,
            true,
            ("2026-04-23", "2026-04-25"),
        ),
        case(
            "Talks are planned for Apr. 23-25.",
            "Talks",
            WED,
            true,
            ("2026-04-23", "2026-04-25"),
        ),
        case(
            "The king will pay a state visit Jan 4-7.",
            "state visit",
            "2025-12-29",
            true,
            ("2026-01-04", "2026-01-07"),
        ),
        case(
            "The visit will run from 30 June to 2 July.",
            "visit",
            WED,
            true,
            ("2026-06-30", "2026-07-02"),
        ),
        case(
            "The visit will run June 30-July 2.",
            "visit",
            WED,
            true,
            ("2026-06-30", "2026-07-02"),
        ),
        case(
            "Talks will take place between May 3 and 5 in Oslo.",
            "Talks",
            WED,
            true,
            ("2026-05-03", "2026-05-05"),
        ),
        case(
            "The meeting will be held between 3 and 5 May.",
            "meeting",
            WED,
            true,
            ("2026-05-03", "2026-05-05"),
        ),
        case(
            "The visit runs from Dec. 30 to Jan. 2.",
            "visit",
            "2025-12-29",
            true,
            ("2025-12-30", "2026-01-02"),
        ),
        case(
            "The leaders met from Dec. 28 to 31 in Hanoi.",
            "met",
            "2026-01-02",
            false,
            ("2025-12-28", "2025-12-31"),
        ),
        case(
            "Talks were held on 30 and 31 December.",
            "Talks",
            "2026-01-02",
            false,
            ("2025-12-30", "2025-12-31"),
        ),
        // years roll over at year ends, both ways
        case(
            "The two presidents met on December 30 in Brasilia.",
            "met",
            "2026-01-02",
            false,
            ("2025-12-30", "2025-12-30"),
        ),
        case(
            "The chancellor will visit on January 5.",
            "visit",
            "2025-12-29",
            true,
            ("2026-01-05", "2026-01-05"),
        ),
        // a past date one day after publication is the other time zone's today
        case(
            "The leaders met on March 12 in Tokyo.",
            "met",
            WED,
            false,
            ("2026-03-12", "2026-03-12"),
        ),
        case(
            "The leaders met on March 20 in Tokyo.",
            "met",
            WED,
            false,
            ("2025-03-20", "2025-03-20"),
        ),
        // full dates in all common forms
        case(
            "The treaty was signed on May 5, 2025.",
            "signed",
            WED,
            false,
            ("2025-05-05", "2025-05-05"),
        ),
        case(
            "The treaty was signed on 5 May 2025.",
            "signed",
            WED,
            false,
            ("2025-05-05", "2025-05-05"),
        ),
        case(
            "The treaty was signed on 2025-05-05.",
            "signed",
            WED,
            false,
            ("2025-05-05", "2025-05-05"),
        ),
        case(
            "The treaty was signed on Monday, May 5, 2025.",
            "signed",
            WED,
            false,
            ("2025-05-05", "2025-05-05"),
        ),
        case(
            "The treaty was signed on the 5th of May 2025.",
            "signed",
            WED,
            false,
            ("2025-05-05", "2025-05-05"),
        ),
        case(
            "The treaty was signed May 5th.",
            "signed",
            "2025-05-20",
            false,
            ("2025-05-05", "2025-05-05"),
        ),
        case(
            "They met on Tuesday, 3 March, in Tokyo.",
            "met",
            WED,
            false,
            ("2026-03-03", "2026-03-03"),
        ),
        case(
            "Sept. 9 talks in Delhi were cancelled.",
            "talks",
            WED,
            false,
            ("2025-09-09", "2025-09-09"),
        ),
        // a weekday that disagrees with every nearby year leaves nothing
        none("The leaders met on Sunday, March 12.", "met", WED, false),
        none("They met on February 30.", "met", WED, false),
    ]);
}

#[test]
fn numeric_dates_in_both_orders() {
    run(&[
        case(
            "The delegation arrived on 25/03/2026.",
            "arrived",
            WED,
            false,
            ("2026-03-25", "2026-03-25"),
        ),
        case(
            "The delegation arrived on 03/25/2026.",
            "arrived",
            WED,
            false,
            ("2026-03-25", "2026-03-25"),
        ),
        case(
            "The delegation arrived on 12.03.2026.",
            "arrived",
            WED,
            false,
            ("2026-03-12", "2026-03-12"),
        ),
        case(
            "Talks were held on 09/03/26 in Riga.",
            "Talks",
            WED,
            false,
            ("2026-03-09", "2026-03-09"),
        ),
        // 13/05 proves the sentence day-first, so 05/06 is 5 June
        case(
            "Talks from 13/05/2026 to 05/06/2026 are planned.",
            "Talks",
            WED,
            true,
            ("2026-05-13", "2026-06-05"),
        ),
        none("Talks were held on 04/05/2026.", "Talks", WED, false),
        none(
            "The score was 3.5.25 in the final set.",
            "score",
            WED,
            false,
        ),
    ]);
}

#[test]
fn the_page_order_settles_ambiguous_numeric_dates() {
    let reference = |numeric| Reference {
        published: Some(day(WED)),
        prior: Tense::Past,
        numeric,
    };
    let sentence = "Talks were held on 04/05/2026.";
    let resolved = |order| resolve_with(sentence, &reference(order), &[0]).start;
    assert_eq!(resolved(NumericOrder::DayFirst), Some(day("2026-05-04")));
    assert_eq!(resolved(NumericOrder::MonthFirst), Some(day("2026-04-05")));
    assert_eq!(resolved(NumericOrder::Unknown), None);
    // a page that writes 25/03/2026 elsewhere is day-first
    let page = format!("Posted 25/03/2026. {sentence}");
    assert_eq!(
        resolved(numeric_order(&page, None)),
        Some(day("2026-05-04"))
    );
}

#[test]
fn attribution_and_false_dates() {
    run(&[
        case("The Kremlin said on Monday that Xi will visit Moscow on Thursday.", "visit", WED, true, ("2026-03-12", "2026-03-12")),
        case("Putin will travel to Beijing on Friday, Kremlin spokesman Dmitry Peskov told reporters Tuesday.", "travel", WED, true, ("2026-03-13", "2026-03-13")),
        none("Xi will visit Moscow, the Kremlin said Monday.", "visit", WED, true),
        none("Xi will visit Moscow, the ministry said in a statement on Monday.", "visit", WED, true),
        none("Xi will visit Moscow, a spokesman said late Monday.", "visit", WED, true),
        case("Theresa May held talks with Angela Merkel on Monday.", "held talks", WED, false, ("2026-03-09", "2026-03-09")),
        case("The 45-year-old minister met his counterpart on Tuesday.", "met", WED, false, ("2026-03-10", "2026-03-10")),
        case("Talks began at 10.30 on Thursday.", "Talks", WED, false, ("2026-03-05", "2026-03-05")),
        case("The two sides signed 12 agreements on Monday.", "signed", WED, false, ("2026-03-09", "2026-03-09")),
        case("Trump hosted Abe at Mar-a-Lago on Saturday.", "hosted", WED, false, ("2026-03-07", "2026-03-07")),
        none("They may meet again, officials said.", "meet", WED, true),
        none("The talks, attended by 30 delegations, were held in March.", "talks", WED, false),
        none("A 23-year-old man was arrested near the summit.", "summit", WED, false),
    ]);
}

#[test]
fn text_is_the_phrase_as_written() {
    let cases = [
        (
            "Lee will visit Beijing from April 23 to 25.",
            "from April 23 to 25",
        ),
        ("The summit runs 23–25 April in Kigali.", "23–25 April"),
        (
            "The visit will run from 30 June to 2 July.",
            "from 30 June to 2 July",
        ),
        (
            "The summit will be held on Thursday and Friday in Brussels.",
            "on Thursday and Friday",
        ),
        ("Modi will travel to Washington next month.", "next month"),
        (
            "The treaty was signed on Monday, May 5, 2025.",
            "on Monday, May 5, 2025",
        ),
        (
            "Talks took place the 8th to the 10th in Oman.",
            "the 8th to the 10th",
        ),
    ];
    for (sentence, text) in cases {
        let d = resolve_in(sentence, Some(day(WED)), true, &[0]);
        assert_eq!(d.text.as_deref(), Some(text), "{sentence}");
    }
}

#[test]
fn without_publication_date_only_written_years_resolve() {
    for (sentence, start) in [
        ("They met on 25/03/2026.", Some("2026-03-25")),
        ("They met on 5 May 2025.", Some("2025-05-05")),
        ("They met on the 8th.", None),
        ("They met yesterday.", None),
        ("They met on 09/03/26.", None),
    ] {
        let d = resolve_in(sentence, None, false, &[5]);
        assert_eq!(
            d.start.map(|d| d.to_string()).as_deref(),
            start,
            "{sentence}"
        );
    }
}

#[test]
fn no_rule_depends_on_the_calendar_year() {
    // the same sentences a century apart resolve the same way
    for (published, expected) in [
        ("1926-03-11", ("1926-03-08", "1926-03-10")),
        ("2026-03-11", ("2026-03-08", "2026-03-10")),
        ("2126-03-11", ("2126-03-08", "2126-03-10")),
    ] {
        run(&[case(
            "Talks took place the 8th to the 10th in Oman.",
            "Talks",
            published,
            false,
            expected,
        )]);
    }
}

#[test]
fn datelines_date_the_story_not_the_event() {
    run(&[
        case("MOSCOW, March 11 (Reuters) - Chinese President Xi Jinping will arrive in Moscow on Monday for talks.", "talks", WED, true, ("2026-03-16", "2026-03-16")),
        case("LONDON, 11 March 2026 - The prime minister held talks with Macron on Tuesday.", "held talks", WED, false, ("2026-03-10", "2026-03-10")),
        case("NEW DELHI, Mar. 11 (AP) — Modi met Albanese on Monday.", "met", WED, false, ("2026-03-09", "2026-03-09")),
        none("BEIJING, March 11 (Xinhua) -- Xi will visit Russia next week.", "visit", WED, true),
        // not a dateline: the date follows a verb
        case("The ministers met March 9 - a week before the summit.", "met", WED, false, ("2026-03-09", "2026-03-09")),
        // "invited" is a past verb when it is one
        case("Macron invited Modi to Paris on Monday.", "invited", WED, true, ("2026-03-09", "2026-03-09")),
    ]);
}

#[test]
fn and_joins_a_range_only_between_consecutive_days() {
    run(&[
        case("The co-chairs met the ministers separately on 9 and 11 March.", "met", WED, false, ("2026-03-09", "2026-03-09")),
        case("The envoy held talks on Monday and Wednesday.", "held talks", WED, false, ("2026-03-09", "2026-03-09")),
        case("The envoy held talks on March 9 and 10.", "held talks", WED, false, ("2026-03-09", "2026-03-10")),
        case("The talks will take place between the 16th and the 18th.", "talks", WED, true, ("2026-03-16", "2026-03-18")),
        case("The envoy will hold talks on the 16th and 18th.", "talks", WED, true, ("2026-03-16", "2026-03-16")),
        case("ISLAMABAD, March 11 (APP): The president will arrive on Thursday on a three-day (March 12-14) visit.", "visit", WED, true, ("2026-03-12", "2026-03-14")),
        case("The president will arrive on a three-day state visit on March 16.", "state visit", WED, true, ("2026-03-16", "2026-03-18")),
        case("Morsi is due in the country Monday, the foreign office said Saturday.", "due", WED, true, ("2026-03-16", "2026-03-16")),
        case("The president will embark on a six-day visit to Suriname and Serbia beginning Sunday.", "visit", WED, true, ("2026-03-15", "2026-03-20")),
    ]);
}

#[test]
fn the_stated_tense_comes_back_with_the_dates() {
    for (sentence, tense) in [
        (
            "The two foreign ministers will meet next week in Doha.",
            Tense::Future,
        ),
        (
            "The two foreign ministers met on Monday in Doha.",
            Tense::Past,
        ),
        (
            "The two foreign ministers are meeting on Thursday.",
            Tense::Present,
        ),
        ("Talks on Monday.", Tense::Unknown),
    ] {
        let d = resolve_in(sentence, Some(day(WED)), false, &[0]);
        assert_eq!(d.tense, tense, "{sentence}");
    }
    let sentence = "Blinken will hold talks with Wang in Beijing.";
    let at = sentence.find("talks").unwrap();
    assert_eq!(clause_tense(sentence, at, at + 5), Tense::Future);
}

#[test]
fn wire_phrasings_of_arrivals_and_stays() {
    run(&[
        case("COLOMBO, Sri Lanka, March 10 (APP): The prime minister arrived in Colombo on a two-day official visit on Tuesday.", "visit", "2026-03-10", true, ("2026-03-10", "2026-03-11")),
        case("The prime minister arrived in Khartoum on Wednesday on a two-day visit to Sudan.", "visit", "2026-03-12", true, ("2026-03-11", "2026-03-12")),
        case("The premier visited a temple in Bihar on Monday during his official visit.", "visit", "2026-03-09", true, ("2026-03-09", "2026-03-09")),
        case("He met the opposition leader later in the day.", "met", WED, false, ("2026-03-11", "2026-03-11")),
        case("The envoy is visiting the island from 23-24 February 2021.", "visiting", WED, true, ("2021-02-23", "2021-02-24")),
        case("The president will meet his counterpart at the presidency on Monday, where a banquet will be held.", "meet", WED, false, ("2026-03-16", "2026-03-16")),
    ]);
}

#[test]
fn holidays_deadlines_and_curly_apostrophes() {
    run(&[
        case(
            "The pope will celebrate Mass in Bethlehem on Christmas Eve.",
            "celebrate",
            WED,
            true,
            ("2026-12-24", "2026-12-24"),
        ),
        case(
            "The leaders spoke by phone on New Year’s Day.",
            "spoke",
            WED,
            false,
            ("2026-01-01", "2026-01-01"),
        ),
        case(
            "Thursday’s talks in Riyadh will run until the evening.",
            "talks",
            WED,
            true,
            ("2026-03-12", "2026-03-12"),
        ),
        case(
            "The delegation arrives in two days’ time.",
            "delegation",
            WED,
            true,
            ("2026-03-13", "2026-03-13"),
        ),
        none(
            "The two sides must reach a deal by Friday.",
            "deal",
            WED,
            true,
        ),
        none(
            "Talks are expected to conclude no later than March 20.",
            "Talks",
            WED,
            true,
        ),
        case(
            "Leaders gathered in Brussels ahead of Thursday's summit.",
            "summit",
            WED,
            true,
            ("2026-03-12", "2026-03-12"),
        ),
    ]);
}

#[test]
fn present_tense_dates_are_the_nearest() {
    run(&[
        case(
            "The pope arrives in Beirut on March 5 for a state visit.",
            "state visit",
            WED,
            true,
            ("2026-03-05", "2026-03-05"),
        ),
        case(
            "The pope arrives in Beirut on March 20 for a state visit.",
            "state visit",
            WED,
            true,
            ("2026-03-20", "2026-03-20"),
        ),
        case(
            "The summit is on the 9th.",
            "summit",
            WED,
            true,
            ("2026-03-09", "2026-03-09"),
        ),
        // a weekday told in the present is still the next one
        case(
            "The pope arrives in Beirut on Monday.",
            "arrives",
            WED,
            false,
            ("2026-03-16", "2026-03-16"),
        ),
    ]);
}

#[test]
fn a_duration_stretches_a_day_of_its_own_clause_only() {
    run(&[
        case(
            "After a two-day visit to Japan, the president will arrive in Seoul on Monday.",
            "arrive",
            WED,
            true,
            ("2026-03-16", "2026-03-16"),
        ),
        case(
            "The president will arrive in Seoul on Monday for a two-day visit.",
            "visit",
            WED,
            true,
            ("2026-03-16", "2026-03-17"),
        ),
    ]);
}

#[test]
fn a_speech_verb_or_a_participle_after_the_date_tells_no_tense() {
    // 2024-07-04 is a Thursday: a planned stop on July 9-10 is ahead
    let (s, e, _) = dates(
        "Austria on July 9-10, the foreign ministry said on Thursday.",
        "2024-07-04",
        true,
    );
    assert_eq!(
        (s.as_deref(), e.as_deref()),
        (Some("2024-07-09"), Some("2024-07-10"))
    );
    // "will leave ... starting Friday, hosted by": Friday still ahead
    let (s, _, _) = dates(
        "He will leave for Rome for a visit starting Friday, hosted by the president.",
        "2024-07-03",
        true,
    );
    assert_eq!(s.as_deref(), Some("2024-07-05"));
}

#[test]
fn a_date_opening_a_later_clause_dates_that_clause() {
    // 2018-07-09 is a Monday; the talks were on Sunday
    let d = resolve_in(
        "On Sunday, he flew to the capital for talks with the president, and on Monday the two leaders signed a declaration.",
        Some(day("2018-07-09")),
        false,
        &[46],
    );
    assert_eq!(
        d.start.map(|d| d.to_string()).as_deref(),
        Some("2018-07-08")
    );
}

#[test]
fn a_date_opening_the_sentence_dates_a_verb_far_from_it() {
    // 2019-03-15 is a Friday; the signing was on Wednesday the 13th
    let sentence = "On Wednesday in Reykjavik, Foreign Ministers Anna Example of Norway and Karl Example of Denmark signed a fisheries accord.";
    assert_eq!(
        past_start_from(sentence, "2019-03-15", "signed").as_deref(),
        Some("2019-03-13")
    );
}

#[test]
fn an_undated_telling_of_a_written_date_takes_the_nearest_year() {
    // The talks are ahead of the story; the attribution between them tells
    // when it was said, so neither a past nor the rule's tense decides.
    let sentence = "He will tour the region from Oct. 20, his office said on Monday, before flying to the capital for talks on Oct. 23 and 24.";
    assert_eq!(
        past_start_from(sentence, "2025-10-07", "talks").as_deref(),
        Some("2025-10-23")
    );
}

/// The start day an occurred-event rule reads, with the trigger at `word`.
fn past_start_from(sentence: &str, published: &str, word: &str) -> Option<String> {
    let at = sentence
        .find(word)
        .expect("the trigger word is in the sentence");
    resolve_in(sentence, Some(day(published)), false, &[at])
        .start
        .map(|d| d.to_string())
}

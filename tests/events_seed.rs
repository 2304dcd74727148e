//! Golden test on the seed page: exactly two events, with these arguments.
use attache::config::Config;
use attache::events::{Event, EventExtractor};
use attache::extract::PageInfo;
use attache::pipeline::analyze_html;

const SEED: &str = "../shared/fixtures/seed-page.html";
const URL: &str = "https://news.example.com/china/cpc-in-dialogue-with-political-parties-of-neighboring-countries-held-in-beijing";

fn seed_events(url: &str) -> Vec<Event> {
    let html = std::fs::read_to_string(SEED).expect("seed page (../shared/fixtures) is present");
    events_of(&html, url)
}

fn events_of(html: &str, url: &str) -> Vec<Event> {
    let config = Config::default();
    let extractor = EventExtractor::load(&config.events).expect("rules and tables load");
    let page = PageInfo {
        source_url: url,
        fetched_url: url,
        published_hint: None,
    };
    analyze_html(html, &page, &config, &extractor)
        .expect("seed page has articles")
        .events
}

fn actor<'a>(event: &'a Event, name_part: &str) -> &'a attache::events::Actor {
    event
        .actors
        .iter()
        .find(|a| a.name.contains(name_part))
        .unwrap_or_else(|| panic!("no actor like {name_part} in {:?}", event.actors))
}

#[test]
fn seed_page_gives_exactly_the_two_events() {
    let events = seed_events(URL);
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        ["dialogue_held", "state_visit_announced"],
        "{events:#?}"
    );

    let dialogue = &events[0];
    assert_eq!(dialogue.status, "occurred");
    let cpc = actor(dialogue, "Communist Party of China");
    assert_eq!(
        (cpc.role.as_str(), cpc.country.as_deref()),
        ("organizer", Some("CHN"))
    );
    let teo = actor(dialogue, "Teo Nie Ching");
    assert_eq!(
        (teo.role.as_str(), teo.country.as_deref()),
        ("participant", Some("MYS"))
    );
    let rupak = actor(dialogue, "Rupak Sapkota");
    assert_eq!(
        (rupak.role.as_str(), rupak.country.as_deref()),
        ("participant", Some("NPL"))
    );
    // Named only as the one Sapkota advises: not a participant.
    assert!(
        !dialogue.actors.iter().any(|a| a.name.contains("Prachanda")),
        "{:?}",
        dialogue.actors
    );
    let location = dialogue.location.as_ref().expect("location");
    assert_eq!(
        (location.name.as_str(), location.country.as_deref()),
        ("Beijing", Some("CHN"))
    );
    assert_eq!(dialogue.start_date.as_deref(), Some("2025-05-26"));
    assert_eq!(dialogue.end_date.as_deref(), Some("2025-05-26"));
    assert_eq!(dialogue.date_text.as_deref(), Some("on Monday"));
    assert_eq!(dialogue.mode.map(|m| m.as_str()), Some("in_person"));
    let participants = dialogue.participants.as_ref().expect("participants");
    assert_eq!(
        (participants.count, participants.qualifier.as_str()),
        (200, "more_than")
    );
    let countries = dialogue.countries.as_ref().expect("countries");
    assert_eq!(
        (countries.count, countries.qualifier.as_str()),
        (20, "more_than")
    );
    assert_eq!(
        dialogue.theme.as_deref(),
        Some("Building a Community with a Shared Future with Neighboring Countries: Political Parties in Action")
    );
    assert!(dialogue.cameo.starts_with("04"), "{}", dialogue.cameo);
    assert_eq!(dialogue.plover.plover_type, "CONSULT");
    assert_eq!(dialogue.plover.mode.as_deref(), Some("multilateral"));
    assert!(dialogue
        .evidence
        .text
        .contains("was held in Beijing on Monday"));

    let visit = &events[1];
    assert_eq!(visit.status, "planned");
    let lee = actor(visit, "Lee Jae Myung");
    assert_eq!(
        (lee.role.as_str(), lee.country.as_deref()),
        ("visitor", Some("KOR"))
    );
    assert_eq!(lee.title.as_deref(), Some("President"));
    let xi = actor(visit, "Xi Jinping");
    assert_eq!(
        (xi.role.as_str(), xi.country.as_deref()),
        ("inviter", Some("CHN"))
    );
    assert!(
        visit
            .actors
            .iter()
            .any(|a| a.role == "host" && a.country.as_deref() == Some("CHN")),
        "{:?}",
        visit.actors
    );
    assert_eq!(visit.start_date.as_deref(), Some("2026-01-04"));
    assert_eq!(visit.end_date.as_deref(), Some("2026-01-07"));
    assert_eq!(visit.visit_level.map(|l| l.as_str()), Some("state"));
    assert_eq!(visit.cameo, "036");
    assert_eq!(visit.plover.plover_type, "AGREE");
}

#[test]
fn evidence_offsets_are_char_offsets_into_the_body() {
    let html = std::fs::read_to_string(SEED).unwrap();
    let config = Config::default();
    let extractor = EventExtractor::load(&config.events).unwrap();
    let page = PageInfo {
        source_url: URL,
        fetched_url: URL,
        published_hint: None,
    };
    let analysis = analyze_html(&html, &page, &config, &extractor).unwrap();
    for event in &analysis.events {
        let body = analysis
            .articles
            .iter()
            .find(|a| a.title == event.article.title)
            .expect("the event's article");
        let slice: String = body
            .text
            .chars()
            .skip(event.evidence.start)
            .take(event.evidence.end - event.evidence.start)
            .collect();
        assert_eq!(slice, event.evidence.text);
    }
}

#[test]
fn replay_gives_identical_ids_and_another_url_other_ids() {
    let first = seed_events(URL);
    assert_eq!(first.len(), 2);
    let again = seed_events(URL);
    let ids = |events: &[Event]| events.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&first), ids(&again));
    assert_eq!(first, again, "the whole record is deterministic");
    // The id covers the canonical URL, not the fetched one: a mirror that
    // declares the same canonical URL tells the same events...
    let mirror = seed_events("https://mirror.example.org/story");
    assert_eq!(ids(&first), ids(&mirror));
    // ...while a page with another canonical URL gets other ids.
    let html = std::fs::read_to_string(SEED).unwrap().replace(
        "https://news.example.com/china/cpc-in-dialogue",
        "https://other.example.org/china/cpc-in-dialogue",
    );
    let elsewhere = events_of(&html, "https://other.example.org/story");
    for (a, b) in first.iter().zip(&elsewhere) {
        assert_ne!(a.id, b.id);
    }
    assert_eq!(first.len(), elsewhere.len());
    assert!(first
        .iter()
        .all(|e| e.id.len() == 32 && e.id.chars().all(|c| c.is_ascii_hexdigit())));
}

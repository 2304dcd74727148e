//! Unit tests for the events stage on hand-written sentences. Wording here is
//! deliberately different from the fixtures under tests/fixtures/events.
use std::path::Path;

use super::actors::{ArticleIndex, Entity};
use super::gazetteer::{CountryForm, Gazetteer, Rank};
use super::sentences::{self, Span};
use super::*;
use crate::config::EventsConfig;
use crate::extract::ARTICLE_SCHEMA;

fn gazetteer() -> Gazetteer {
    Gazetteer::load(Path::new("config/gazetteer")).unwrap()
}

fn extractor() -> EventExtractor {
    EventExtractor::load(&EventsConfig::default()).unwrap()
}

fn article(text: &str, published: Option<&str>, url: &str) -> Article {
    Article {
        schema: ARTICLE_SCHEMA.into(),
        source_url: url.into(),
        canonical_url: url.into(),
        title: None,
        text: text.into(),
        published: published.map(str::to_string),
        modified: None,
        authors: Vec::new(),
        language: Some("en".into()),
        site_name: None,
        section: None,
        word_count: text.split_whitespace().count(),
        story_index: 0,
        extractor: crate::extract::Extractor::Structured,
    }
}

fn events(text: &str, published: &str) -> Vec<Event> {
    extractor().extract(
        &article(text, Some(published), "https://news.example.com/a"),
        None,
    )
}

#[test]
fn sentences_respect_abbreviations_and_initialisms() {
    let text = "U.S. President Joe Biden met Mr. Lee on Jan. 5. They talked.\n\nA new paragraph";
    let spans = sentences::split(text);
    let parts: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
    assert_eq!(
        parts,
        [
            "U.S. President Joe Biden met Mr. Lee on Jan. 5.",
            "They talked.",
            "A new paragraph"
        ]
    );
}

#[test]
fn char_offsets_count_characters_not_bytes() {
    let text = "Señor Müller met them.";
    let byte = text.find("met").unwrap();
    assert_eq!(sentences::char_offset(text, byte), 13);
}

#[test]
fn gazetteer_covers_all_countries_and_short_forms() {
    let g = gazetteer();
    assert!(g.countries.len() >= 245, "{}", g.countries.len());
    for (term, iso3) in [
        ("ROK", "KOR"),
        ("DPRK", "PRK"),
        ("US", "USA"),
        ("UK", "GBR"),
        ("UAE", "ARE"),
        ("Nepalese", "NPL"),
        ("French", "FRA"),
        ("Dutch", "NLD"),
    ] {
        let hits = g.find_countries(term);
        assert_eq!(hits.len(), 1, "{term}");
        assert_eq!(g.countries[hits[0].0.entry].iso3, iso3, "{term}");
    }
    // whole words only, case-sensitive
    assert!(g.find_countries("the usual bus").is_empty());
    assert!(g.find_countries("Chinesefood").is_empty());
    assert_eq!(
        g.country_of_host("www.example.com.au")
            .map(|c| c.iso3.as_str()),
        Some("AUS")
    );
    assert_eq!(g.country_of_host("example.com"), None);
    assert_eq!(g.find_cities("talks in Beijing").len(), 1);
    let titles = g.find_titles("the Vice President and the President");
    assert_eq!(titles.len(), 2);
    assert_eq!(g.titles[titles[0].entry].rank, Rank::Deputy);
    assert_eq!(g.titles[titles[1].entry].rank, Rank::HeadOfState);
}

fn persons(text: &str) -> Vec<(String, Option<String>, Option<Rank>)> {
    let g = gazetteer();
    let index = ArticleIndex::build(&g, text, None, None);
    index
        .persons
        .iter()
        .map(|p| (p.name.clone(), p.country.clone(), p.rank))
        .collect()
}

#[test]
fn persons_take_nationality_from_their_title() {
    let found = persons(
        "Brazilian President Luiz Inacio Lula da Silva spoke to the President of the Republic of Korea (ROK) Lee Jae Myung, \
         and to Ahmad Zahid, deputy prime minister of Malaysia, and to former Nepalese Prime Minister Sher Bahadur Deuba.",
    );
    let names: Vec<&str> = found.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "Luiz Inacio Lula da Silva",
            "Lee Jae Myung",
            "Ahmad Zahid",
            "Sher Bahadur Deuba"
        ]
    );
    assert_eq!(found[0].1.as_deref(), Some("BRA"));
    assert_eq!(found[1].1.as_deref(), Some("KOR"));
    assert_eq!(found[2].1.as_deref(), Some("MYS"));
    assert_eq!(
        found[3],
        (
            "Sher Bahadur Deuba".into(),
            Some("NPL".into()),
            Some(Rank::Former)
        )
    );
}

#[test]
fn back_references_and_organizations_are_mentions() {
    let g = gazetteer();
    let text = "Vietnamese Prime Minister Pham Minh Chinh arrived. Later Pham met the Communist Party of China (CPC) and Kenya's Orange Democratic Movement Party.";
    let index = ArticleIndex::build(&g, text, None, None);
    let second = sentences::split(text)[1];
    let mentions = index.mentions_in(text, second);
    let described: Vec<String> = mentions
        .iter()
        .map(|m| match &m.entity {
            Entity::Person(p) => format!("person {}", index.persons[*p].name),
            Entity::Organization { name, country } => format!("org {name} {country:?}"),
            Entity::Country(c) => format!("country {}", g.countries[*c].iso3),
        })
        .collect();
    assert_eq!(
        described,
        [
            "person Pham Minh Chinh",
            "org Communist Party of China Some(\"CHN\")",
            "org Orange Democratic Movement Party Some(\"KEN\")",
        ]
    );
    assert_eq!(
        &text[mentions[1].start..mentions[1].end],
        "Communist Party of China (CPC)"
    );
}

#[test]
fn country_forms_are_told_apart() {
    let g = gazetteer();
    let hits = g.find_countries("Japan and Japanese");
    assert_eq!(
        hits.iter().map(|h| h.1).collect::<Vec<_>>(),
        [CountryForm::Name, CountryForm::Adjective]
    );
}

#[test]
fn bilateral_talks_with_host_and_visitor() {
    let found = events(
        "Egyptian President Abdel Fattah al-Sisi held talks with visiting Greek Prime Minister Kyriakos Mitsotakis in Cairo on Sunday. \
         The two leaders discussed migration and energy links.",
        "2026-02-16T09:00:00+02:00",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    let event = &found[0];
    assert_eq!(event.event_type, "dialogue_held");
    assert_eq!(event.start_date.as_deref(), Some("2026-02-15"));
    assert_eq!(
        event.location.as_ref().map(|l| l.name.as_str()),
        Some("Cairo")
    );
    let roles: Vec<(&str, &str)> = event
        .actors
        .iter()
        .map(|a| (a.role.as_str(), a.country.as_deref().unwrap_or("-")))
        .collect();
    assert_eq!(roles, [("host", "EGY"), ("visitor", "GRC")]);
    assert_eq!(
        (event.cameo.as_str(), event.plover.mode.as_deref()),
        ("043", Some("visit"))
    );
}

#[test]
fn phone_calls_have_no_location() {
    let found = events(
        "French President Emmanuel Macron and Indian Prime Minister Narendra Modi held a phone call on Thursday in which they discussed defence cooperation.",
        "2026-04-10T12:00:00Z",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].mode.map(Mode::as_str), Some("phone"));
    assert_eq!(found[0].location, None);
    assert_eq!(found[0].cameo, "041");
    assert_eq!(found[0].start_date.as_deref(), Some("2026-04-09"));
}

#[test]
fn future_meetings_speculation_ministers_and_sport_give_nothing() {
    // Talks to come are no dialogue held; with the host at home they
    // announce the guest's visit (tests/corpus/events/README.md).
    let talks_to_come = events(
        "German Chancellor Olaf Scholz will hold talks with Polish Prime Minister Donald Tusk in Warsaw next week.",
        "2026-02-16T09:00:00Z",
    );
    assert_eq!(talks_to_come.len(), 1, "{talks_to_come:#?}");
    assert_eq!(talks_to_come[0].event_type, "state_visit_announced");
    let roles: Vec<(&str, Role)> = talks_to_come[0]
        .actors
        .iter()
        .map(|a| (a.name.as_str(), a.role))
        .collect();
    assert!(roles.contains(&("Olaf Scholz", Role::Visitor)), "{roles:?}");
    assert!(roles.contains(&("Donald Tusk", Role::Host)), "{roles:?}");
    for text in [
        "Analysts say President Joe Biden might visit India later this year if the trade deal is done.",
        "Foreign Minister Wang Yi will pay an official visit to Egypt from March 3 to 5.",
        "The national football team will pay a state visit to the palace before the match against Brazil's squad.",
        "Shares of the shipping company rose after the board meeting on Monday.",
        "Ties have improved since President Xi Jinping and President Joe Biden met in November last year.",
    ] {
        let found = events(text, "2026-02-16T09:00:00Z");
        assert!(found.is_empty(), "{text}\n{found:#?}");
    }
}

#[test]
fn cancelled_visits_are_their_own_type() {
    let found = events(
        "Colombian President Gustavo Petro has postponed his state visit to Spain, scheduled for next week, because of floods at home.",
        "2026-02-16T09:00:00Z",
    );
    let types: Vec<&str> = found.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(types, ["visit_cancelled"], "{found:#?}");
    assert_eq!(found[0].start_date, None);
}

#[test]
fn counts_only_for_multilateral_gatherings() {
    let found = events(
        "The Boao Forum for Asia opened in Boao on Tuesday, bringing together about 2,000 delegates from more than 60 countries and regions.",
        "2026-03-24T18:00:00+08:00",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    let event = &found[0];
    assert_eq!(
        event
            .participants
            .as_ref()
            .map(|c| (c.count, c.qualifier.as_str())),
        Some((2000, "about"))
    );
    assert_eq!(
        event
            .countries
            .as_ref()
            .map(|c| (c.count, c.qualifier.as_str())),
        Some((60, "more_than"))
    );
    assert_eq!(event.plover.mode.as_deref(), Some("multilateral"));

    let bilateral = events(
        "Chinese President Xi Jinping met Brazilian President Luiz Inacio Lula da Silva in Brasilia on Wednesday, and the two leaders signed 37 agreements.",
        "2026-11-20T18:00:00Z",
    );
    let dialogue = bilateral
        .iter()
        .find(|e| e.event_type == "dialogue_held")
        .expect("talks");
    assert_eq!(
        (dialogue.participants.clone(), dialogue.countries.clone()),
        (None, None)
    );
}

#[test]
fn no_publication_date_means_no_relative_dates() {
    let found = extractor().extract(
        &article(
            "Thai Prime Minister Paetongtarn Shinawatra met Cambodian Prime Minister Hun Manet in Bangkok on Monday.",
            None,
            "https://news.example.com/b",
        ),
        None,
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].start_date.clone(), found[0].date_text.as_deref()),
        (None, Some("on Monday"))
    );
}

#[test]
fn page_date_stands_in_for_a_story_without_one() {
    let found = extractor().extract(
        &article(
            "Thai Prime Minister Paetongtarn Shinawatra met Cambodian Prime Minister Hun Manet in Bangkok on Monday.",
            None,
            "https://news.example.com/b",
        ),
        Some("2026-02-18T10:00:00+07:00"),
    );
    assert_eq!(found[0].start_date.as_deref(), Some("2026-02-16"));
    assert_eq!(
        found[0].article.published.as_deref(),
        Some("2026-02-18T10:00:00+07:00")
    );
}

#[test]
fn ids_cover_type_dates_place_key_actors_and_url() {
    let text = "Egyptian President Abdel Fattah al-Sisi held talks with visiting Greek Prime Minister Kyriakos Mitsotakis in Cairo on Sunday.";
    let x = extractor();
    let a = x.extract(
        &article(text, Some("2026-02-16"), "https://a.example/1"),
        None,
    );
    let b = x.extract(
        &article(
            &format!("Some preamble here. {text}"),
            Some("2026-02-16"),
            "https://a.example/1",
        ),
        None,
    );
    let c = x.extract(
        &article(text, Some("2026-02-16"), "https://a.example/2"),
        None,
    );
    assert_eq!(a[0].id, b[0].id, "moving the sentence does not move the id");
    assert_ne!(a[0].evidence.start, b[0].evidence.start);
    assert_ne!(a[0].id, c[0].id, "another article, another id");
    let mut other_day = a[0].clone();
    other_day.start_date = Some("2026-02-17".into());
    assert_ne!(id::event_id(&other_day), a[0].id);
}

#[test]
fn serialized_events_have_exactly_the_schema_fields() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("schemas/event.v1.json").unwrap()).unwrap();
    let mut required: Vec<String> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    required.sort();
    let found = events(
        "Egyptian President Abdel Fattah al-Sisi held talks with visiting Greek Prime Minister Kyriakos Mitsotakis in Cairo on Sunday.",
        "2026-02-16",
    );
    let value = serde_json::to_value(&found[0]).unwrap();
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, required);
    assert_eq!(value["schema"], EVENT_SCHEMA);
}

#[test]
fn articles_without_triggers_cost_one_pass_and_give_nothing() {
    let found = events(
        "Port throughput rose six percent in April, the authority said.",
        "2026-05-01",
    );
    assert!(found.is_empty());
    let _ = Span { start: 0, end: 0 };
}

/// (type, start date, "role:country" of each actor, location country)
type Summary = (String, Option<String>, Vec<String>, Option<String>);

fn summary(found: &[Event]) -> Vec<Summary> {
    found
        .iter()
        .map(|e| {
            (
                e.event_type.clone(),
                e.start_date.clone(),
                e.actors
                    .iter()
                    .map(|a| format!("{}:{}", a.role, a.country.as_deref().unwrap_or("-")))
                    .collect(),
                e.location.as_ref().and_then(|l| l.country.clone()),
            )
        })
        .collect()
}

#[test]
fn phone_calls_in_wire_wording_have_their_mode() {
    for text in [
        "BERLIN (Reuters) - German Chancellor Olaf Scholz spoke with Japanese Prime Minister Fumio Kishida by phone on Monday, a spokesman said.",
        "Austrian Chancellor Karl Nehammer held a telephone conversation with Egyptian President Abdel Fattah al-Sisi on Monday.",
    ] {
        let found = events(text, "2023-05-10");
        assert_eq!(found.len(), 1, "{text}: {found:#?}");
        assert_eq!(found[0].mode, Some(Mode::Phone));
        assert_eq!(found[0].start_date.as_deref(), Some("2023-05-08"));
        assert!(found[0].location.is_none());
    }
}

#[test]
fn a_tour_gives_one_visit_per_host() {
    let text = "Indonesian President Joko Widodo will visit Kenya, Tanzania and Mozambique next month, the foreign ministry said.";
    let found = events(text, "2023-07-01");
    let hosts: Vec<String> = found
        .iter()
        .map(|e| e.location.as_ref().unwrap().country.clone().unwrap())
        .collect();
    assert_eq!(hosts, ["KEN", "TZA", "MOZ"], "{found:#?}");
    assert!(found.iter().all(
        |e| e.actors[0].role == Role::Visitor && e.actors[0].country.as_deref() == Some("IDN")
    ));
}

#[test]
fn each_stop_of_a_tour_keeps_its_own_dates_and_later_stops_refer_back() {
    let text = "Indian Prime Minister Narendra Modi will travel to Berlin on May 2 for talks.\n\nHe will then fly to Copenhagen on May 3.";
    let found = summary(&events(text, "2022-04-27"));
    assert_eq!(
        found,
        [
            (
                "state_visit_announced".to_string(),
                Some("2022-05-02".to_string()),
                vec!["visitor:IND".to_string(), "host:DEU".to_string()],
                Some("DEU".to_string())
            ),
            (
                "state_visit_announced".to_string(),
                Some("2022-05-03".to_string()),
                vec!["visitor:IND".to_string(), "host:DNK".to_string()],
                Some("DNK".to_string())
            ),
        ]
    );
}

#[test]
fn a_trip_inside_the_leaders_own_country_is_no_visit() {
    let text = "Brazilian President Luiz Inacio Lula da Silva will travel to Salvador next week to open a hospital, his office said.";
    assert!(events(text, "2024-02-20").is_empty());
}

#[test]
fn a_meeting_told_in_the_present_for_later_in_the_week_is_not_held() {
    let text = "Japanese Prime Minister Fumio Kishida meets South Korean President Yoon Suk Yeol in Seoul on Thursday, officials said.";
    assert!(events(text, "2024-09-09").is_empty());
}

#[test]
fn sideline_meetings_are_each_their_own_dialogue() {
    let text = "NEW DELHI (AP) - U.S. President Joe Biden met Chinese Premier Li Qiang on the sidelines of the G20 summit on Saturday.\n\nBiden also met Brazilian President Luiz Inacio Lula da Silva on the sidelines of the summit.";
    let found = events(text, "2023-09-10");
    assert_eq!(found.len(), 2, "{found:#?}");
    let pairs: Vec<Vec<String>> = found
        .iter()
        .map(|e| e.actors.iter().filter_map(|a| a.country.clone()).collect())
        .collect();
    assert!(pairs[0].contains(&"CHN".to_string()) && pairs[1].contains(&"BRA".to_string()));
}

#[test]
fn the_two_leaders_refers_to_the_persons_named_before() {
    let text = "Kenyan President William Ruto welcomed Indonesian President Joko Widodo at State House on Monday.\n\nThe two leaders held talks on trade and health.";
    let found = events(text, "2023-08-22");
    assert_eq!(found.len(), 1, "{found:#?}");
    let countries: Vec<&str> = found[0]
        .actors
        .iter()
        .filter_map(|a| a.country.as_deref())
        .collect();
    assert!(countries.contains(&"KEN") && countries.contains(&"IDN"));
}

#[test]
fn history_with_an_earlier_year_is_no_event_but_since_a_year_is_news() {
    let history = "In 2009, Chinese President Hu Jintao held talks with Russian President Dmitry Medvedev in Moscow.";
    assert!(events(history, "2024-03-01").is_empty());
    let news = "Chinese President Xi Jinping held talks with Russian President Vladimir Putin in Moscow on Monday, their first meeting since 2019.";
    assert_eq!(events(news, "2023-03-21").len(), 1);
}

#[test]
fn a_dateline_is_no_actor_and_places_an_in_person_meeting() {
    let text = "OSAKA, Japan (AP) - U.S. President Donald Trump met Chinese President Xi Jinping on Saturday.";
    let found = events(text, "2019-06-29");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(!found[0].actors.iter().any(|a| a.name == "Japan"));
    assert_eq!(
        found[0]
            .location
            .as_ref()
            .and_then(|l| l.country.as_deref()),
        Some("JPN")
    );
}

#[test]
fn a_leader_named_without_nationality_gets_the_country_of_the_day() {
    let text = "Macron hosted Scholz at the Elysee on Tuesday, where the two leaders held talks on defence.";
    let found = events(text, "2023-07-05");
    assert_eq!(found.len(), 1, "{found:#?}");
    let countries: Vec<&str> = found[0]
        .actors
        .iter()
        .filter_map(|a| a.country.as_deref())
        .collect();
    assert_eq!(countries, ["FRA", "DEU"]);
}

fn countries_by_role(event: &Event) -> Vec<(Role, String)> {
    event
        .actors
        .iter()
        .map(|a| (a.role, a.country.clone().unwrap_or_default()))
        .collect()
}

#[test]
fn a_seat_of_government_is_the_place_not_an_actor() {
    let found = events(
        "Cuban President Miguel Diaz-Canel held talks with Russian President Vladimir Putin at the Kremlin on Tuesday.",
        "2026-05-14T10:00:00Z",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    let place = found[0].location.as_ref().expect("a location");
    assert_eq!(
        (place.name.as_str(), place.country.as_deref()),
        ("Moscow", Some("RUS"))
    );
    assert!(
        found[0].actors.iter().all(|a| a.name != "Kremlin"),
        "{found:#?}"
    );
}

#[test]
fn the_title_of_a_country_names_its_office_holder() {
    let found = events(
        "The President of France received the Prime Minister of Canada at the Elysee Palace on Monday for talks on trade.",
        "2026-03-03T10:00:00Z",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    let countries: Vec<String> = countries_by_role(&found[0])
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    assert!(countries.contains(&"FRA".to_string()), "{found:#?}");
    assert!(countries.contains(&"CAN".to_string()), "{found:#?}");
}

#[test]
fn the_antecedent_of_a_who_clause_is_the_visitor() {
    let found = events(
        "Kenyan President William Ruto, who will pay a state visit to Japan next month, said the trip would focus on investment.",
        "2026-01-20T08:00:00Z",
    );
    let visit = found
        .iter()
        .find(|e| e.event_type == "state_visit_announced")
        .unwrap_or_else(|| panic!("{found:#?}"));
    let roles = countries_by_role(visit);
    assert!(roles.contains(&(Role::Visitor, "KEN".into())), "{roles:?}");
    assert!(roles.contains(&(Role::Host, "JPN".into())), "{roles:?}");
}

#[test]
fn undated_talks_took_place_on_the_publication_date() {
    let found = events(
        "Brazilian President Luiz Inacio Lula da Silva held talks with Chilean President Gabriel Boric in Brasilia, discussing a new rail corridor.",
        "2026-06-02T18:00:00-03:00",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].start_date.as_deref(), Some("2026-06-02"));
}

#[test]
fn a_posting_after_a_title_is_not_part_of_the_name() {
    let found = events(
        "Indian ambassador to Egypt Ajit Gupte met Egyptian Foreign Minister Badr Abdelatty in Cairo on Sunday.",
        "2026-02-16T09:00:00Z",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    let names: Vec<&str> = found[0].actors.iter().map(|a| a.name.as_str()).collect();
    assert!(names.contains(&"Ajit Gupte"), "{names:?}");
    let roles = countries_by_role(&found[0]);
    assert!(roles.iter().any(|(_, c)| c == "IND"), "{roles:?}");
}

#[test]
fn a_hyphenated_country_pair_names_both_sides_of_the_talks() {
    let found = events(
        "Indonesia-Malaysia talks on border demarcation were held in Jakarta on Wednesday.",
        "2026-07-10T09:00:00Z",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    let mut countries: Vec<String> = countries_by_role(&found[0])
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    countries.sort();
    assert_eq!(countries, ["IDN", "MYS"], "{found:#?}");
}

#[test]
fn a_phone_call_and_a_meeting_between_the_same_sides_stay_two_events() {
    let found = events(
        "Japanese Prime Minister Shigeru Ishiba spoke by phone with South Korean President Lee Jae-myung on Monday. \
         Ishiba later met Lee in Tokyo on Friday for talks on security.",
        "2026-08-08T09:00:00Z",
    );
    let modes: Vec<Option<&str>> = found.iter().map(|e| e.mode.map(Mode::as_str)).collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(modes.contains(&Some("phone")), "{modes:?}");
}

fn sorted_countries(event: &Event) -> Vec<String> {
    let mut countries: Vec<String> = countries_by_role(event)
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    countries.sort();
    countries.dedup();
    countries
}

#[test]
fn adjectives_before_a_group_noun_speak_for_their_countries() {
    let found = events(
        "Chilean and Peruvian negotiators met in Lima on Tuesday to discuss fishing rights.",
        "2026-03-12T09:00:00Z",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(sorted_countries(&found[0]), ["CHL", "PER"], "{found:#?}");
    // the actor is named as the country, not the adjective
    assert!(
        found[0].actors.iter().any(|a| a.name == "Chile"),
        "{found:#?}"
    );
    let pair = events(
        "The Polish-Lithuanian talks held in Vilnius on Monday focused on energy.",
        "2026-03-12T09:00:00Z",
    );
    assert_eq!(pair.len(), 1, "{pair:#?}");
    assert_eq!(sorted_countries(&pair[0]), ["LTU", "POL"], "{pair:#?}");
}

#[test]
fn an_adjective_modifying_a_thing_is_no_side() {
    // "Chilean wine" speaks for no one: one side only, so no talks
    let found = events(
        "Peruvian officials met on Tuesday to discuss Chilean wine imports.",
        "2026-03-12T09:00:00Z",
    );
    assert!(
        found
            .iter()
            .all(|e| !sorted_countries(e).contains(&"CHL".to_string())),
        "{found:#?}"
    );
}

#[test]
fn each_stop_of_a_tour_keeps_its_own_dates_host_and_inviter() {
    let found = events(
        "Prime Minister Justin Trudeau will pay an official visit to Japan on May 3-4 at the invitation of Prime Minister Fumio Kishida and then travel to South Korea on May 5-6, his office said on Monday.",
        "2023-04-24T09:00:00Z",
    );
    assert_eq!(found.len(), 2, "{found:#?}");
    let korea = found
        .iter()
        .find(|e| e.location.as_ref().and_then(|l| l.country.as_deref()) == Some("KOR"))
        .expect("a stop in South Korea");
    // "said on Monday" dates the telling, not the stop
    assert_eq!(korea.start_date.as_deref(), Some("2023-05-05"));
    assert!(
        korea
            .actors
            .iter()
            .all(|a| a.country.as_deref() != Some("JPN")),
        "the Japanese inviter belongs to the other stop: {korea:#?}"
    );
}

#[test]
fn a_host_country_named_twice_is_one_stop() {
    let found = events(
        "President Lula will leave for Rome for a three-day visit starting Thursday, hosted by President Sergio Mattarella, and will then fly to Lisbon for talks with Prime Minister Luis Montenegro on Monday.",
        "2025-04-07T09:00:00Z",
    );
    let hosts: Vec<String> = found
        .iter()
        .filter_map(|e| e.location.as_ref().and_then(|l| l.country.clone()))
        .collect();
    assert_eq!(hosts.len(), 2, "{found:#?}");
    assert!(hosts.contains(&"ITA".to_string()) && hosts.contains(&"PRT".to_string()));
    let italy = found
        .iter()
        .find(|e| e.location.as_ref().and_then(|l| l.country.as_deref()) == Some("ITA"))
        .unwrap();
    // Lula visits; "hosted by" makes Mattarella the host, not a visitor
    assert!(italy
        .actors
        .iter()
        .any(|a| a.country.as_deref() == Some("BRA") && a.role == Role::Visitor));
    assert_eq!(
        italy.start_date.as_deref(),
        Some("2025-04-10"),
        "{italy:#?}"
    );
}

#[test]
fn a_visit_to_a_country_takes_the_city_the_story_names() {
    let found = events(
        "President Andrzej Duda will pay a state visit to Japan next month.\n\nIn Tokyo, Duda will meet Emperor Naruhito and Prime Minister Shigeru Ishiba.",
        "2025-01-10T09:00:00Z",
    );
    let visit = found
        .iter()
        .find(|e| e.event_type.as_str() == "state_visit_announced")
        .expect("a visit");
    assert_eq!(
        visit.location.as_ref().map(|l| l.name.as_str()),
        Some("Tokyo")
    );
}

#[test]
fn a_postponed_visit_by_decision_or_in_a_headline_is_cancelled() {
    for text in [
        "Chancellor Olaf Scholz has decided to postpone his visit to Brazil, planned for next week.",
        "Chancellor Olaf Scholz's visit to Brazil postponed",
    ] {
        let found = events(text, "2023-11-20T09:00:00Z");
        assert!(
            found
                .iter()
                .any(|e| e.event_type.as_str() == "visit_cancelled"),
            "{text}: {found:#?}"
        );
    }
}

#[test]
fn a_surname_and_a_full_name_are_one_person_across_tellings() {
    let found = events(
        "Prime Minister Christopher Luxon met the Prime Minister of Japan, Fumio Kishida, on the margins of the G7 summit in Hiroshima on Saturday.\n\nThe two prime ministers discussed trade. Luxon and Kishida agreed to meet again.",
        "2023-05-21T09:00:00Z",
    );
    let talks: Vec<&Event> = found
        .iter()
        .filter(|e| e.event_type.as_str() == "dialogue_held")
        .collect();
    assert_eq!(talks.len(), 1, "{found:#?}");
}

#[test]
fn different_persons_of_one_country_are_different_meetings() {
    let found = events(
        "King Harald received Ukrainian President Volodymyr Zelensky at the Royal Palace in Oslo on Wednesday.\n\nZelensky later held talks with Prime Minister Jonas Gahr Store on defence aid.",
        "2024-12-11T09:00:00Z",
    );
    let talks: Vec<&Event> = found
        .iter()
        .filter(|e| e.event_type.as_str() == "dialogue_held")
        .collect();
    assert_eq!(talks.len(), 2, "{found:#?}");
}

#[test]
fn spoke_with_a_leader_is_a_conversation() {
    let found = events(
        "President Emmanuel Macron spoke today with Prime Minister Narendra Modi about the situation in the Middle East.",
        "2024-10-02T09:00:00Z",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(sorted_countries(&found[0]), ["FRA", "IND"]);
    // "spoke with reporters" is no conversation between sides
    let reporters = events(
        "President Emmanuel Macron spoke today with reporters about the Middle East.",
        "2024-10-02T09:00:00Z",
    );
    assert!(reporters.is_empty(), "{reporters:#?}");
}

#[test]
fn a_travellers_destination_places_the_talks_and_the_host() {
    let found = events(
        "On Monday, Prime Minister Mark Carney flew to Mexico City for talks with President Claudia Sheinbaum.",
        "2025-09-19T09:00:00Z",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    let event = &found[0];
    assert_eq!(
        event.location.as_ref().map(|l| l.name.as_str()),
        Some("Mexico City")
    );
    let roles = countries_by_role(event);
    assert!(
        roles.contains(&(Role::Host, "MEX".to_string())),
        "{roles:?}"
    );
}

/// The visits of `found`, each as (visitor's country, host's country).
fn visits(found: &[Event]) -> Vec<(String, String)> {
    found
        .iter()
        .filter(|e| e.event_type.as_str() == "state_visit_announced")
        .map(|e| {
            let roles = countries_by_role(e);
            let of = |role: Role| {
                roles
                    .iter()
                    .find(|(r, _)| *r == role)
                    .map(|(_, c)| c.clone())
                    .unwrap_or_default()
            };
            (of(Role::Visitor), of(Role::Host))
        })
        .collect()
}

#[test]
fn he_is_the_leader_who_opened_an_earlier_sentence() {
    // The last leader named before "he" is the inviter of the previous
    // stop; the subject of the story's sentences is the traveller.
    let found = events(
        "Prime Minister Anthony Albanese leaves for Asia on Sunday. A stop in Tokyo comes first, at the invitation of Prime Minister Shigeru Ishiba.\n\nAfter that he will pay an official visit to Vietnam on the 14th and 15th.",
        "2025-05-08T09:00:00Z",
    );
    assert!(
        visits(&found).contains(&("AUS".into(), "VNM".into())),
        "{found:#?}"
    );
}

#[test]
fn an_organization_before_a_visit_verb_is_no_visitor() {
    let found = events(
        "President Lula da Silva leaves for Asia on Friday.\n\nAfter the BRICS summit in Kazan he will pay a state visit to Indonesia on the 26th and 27th.",
        "2024-10-17T09:00:00Z",
    );
    assert_eq!(visits(&found), [("BRA".into(), "IDN".into())], "{found:#?}");
}

#[test]
fn a_summits_venue_is_no_host_of_the_visit() {
    let found = events(
        "President Ramaphosa will pay a state visit to Kenya on Monday and end the trip at the African Union summit in Addis Ababa.",
        "2025-02-06T09:00:00Z",
    );
    assert_eq!(visits(&found), [("ZAF".into(), "KEN".into())], "{found:#?}");
}

#[test]
fn will_be_in_a_country_is_a_stop_of_the_tour() {
    let found = events(
        "President Lula da Silva will be in Angola from Aug. 24 to 26, his office said, before flying to Luanda's neighbour for a state visit to Namibia on Aug. 27.",
        "2025-08-11T09:00:00Z",
    );
    let stops = visits(&found);
    assert!(stops.contains(&("BRA".into(), "AGO".into())), "{found:#?}");
}

#[test]
fn travel_to_attend_a_gathering_is_no_visit_and_a_possible_meeting_no_talks() {
    let summit = events(
        "Prime Minister Christopher Luxon will fly to Brasilia on Sunday for the BRICS outreach summit.",
        "2025-07-02T09:00:00Z",
    );
    assert!(visits(&summit).is_empty(), "{summit:#?}");
    // a summit with the host is a visit
    let bilateral = events(
        "Prime Minister Christopher Luxon will fly to Canberra on Sunday for the annual leaders' summit with Anthony Albanese.",
        "2025-07-02T09:00:00Z",
    );
    assert_eq!(
        visits(&bilateral),
        [("NZL".into(), "AUS".into())],
        "{bilateral:#?}"
    );
    let possible = events(
        "The trip is laying the groundwork for a possible meeting between President Lula da Silva and Javier Milei.",
        "2025-07-02T09:00:00Z",
    );
    assert!(possible.is_empty(), "{possible:#?}");
}

#[test]
fn a_visit_without_a_future_verb_counts_only_when_dated_ahead() {
    // 2017-11-03 is a Friday; the stops lie ahead of the story
    let ahead = events(
        "President Moon Jae-in leaves on Sunday. He then makes a state visit to Indonesia on the 8th and 9th.",
        "2017-11-03T09:00:00Z",
    );
    assert_eq!(visits(&ahead), [("KOR".into(), "IDN".into())], "{ahead:#?}");
    // the same words about days already past report, they announce nothing
    let past = events(
        "President Moon Jae-in left on Sunday. He then makes a state visit to Indonesia on the 8th and 9th.",
        "2017-11-20T09:00:00Z",
    );
    assert!(visits(&past).is_empty(), "{past:#?}");
}

#[test]
fn two_sides_meeting_in_a_country_neither_is_from_meet_at_a_third_location() {
    let found = events(
        "NEW DELHI, Sept 9 (Reuters) - Leaders gathered for the Group of 20 summit on Saturday.\n\nPresident Emmanuel Macron met President Lula da Silva on Saturday in New Delhi to discuss trade.",
        "2023-09-09T18:00:00Z",
    );
    let talks = found
        .iter()
        .find(|e| e.event_type.as_str() == "dialogue_held" && sorted_countries(e) == ["BRA", "FRA"])
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(talks.cameo, "044", "{talks:#?}");
}

#[test]
fn a_conversation_in_a_story_about_a_call_is_a_call() {
    let text = "President Emmanuel Macron spoke with President Vladimir Putin for an hour on Sunday.\n\nThe Elysee said the call was frank.";
    let found = events(text, "2022-02-20T18:00:00Z");
    let talks = found
        .iter()
        .find(|e| e.event_type.as_str() == "dialogue_held")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(talks.mode, Some(Mode::Phone), "{talks:#?}");
    // a face-to-face cue in the sentence keeps it in person
    let met = events(
        "President Emmanuel Macron spoke with President Vladimir Putin in Moscow on Sunday.\n\nThe Elysee said the call for talks was heard.",
        "2022-02-20T18:00:00Z",
    );
    assert!(met.iter().all(|e| e.mode != Some(Mode::Phone)), "{met:#?}");
}

#[test]
fn a_pronoun_subject_travels_and_the_leaders_it_meets_host_each_stop() {
    let found = summary(&events(
        "Chilean President Gabriel Boric leaves on Sunday for three countries.\n\nHe is in Argentina from the 5th to the 6th for talks with Javier Milei, then makes a state visit to Uruguay on the 7th and 8th, hosted by Yamandu Orsi.",
        "2025-05-02",
    ));
    let stops: Vec<(Option<String>, Option<String>, bool)> = found
        .iter()
        .map(|(_, start, actors, place)| {
            (
                start.clone(),
                place.clone(),
                actors.contains(&"visitor:CHL".to_string()),
            )
        })
        .collect();
    assert_eq!(
        stops,
        [
            (Some("2025-05-05".into()), Some("ARG".into()), true),
            (Some("2025-05-07".into()), Some("URY".into()), true),
        ],
        "{found:#?}"
    );
}

#[test]
fn an_undated_signing_after_held_talks_took_place_on_their_day() {
    let found = events(
        "Spanish Prime Minister Pedro Sanchez held talks with Portuguese Prime Minister Antonio Costa in Lisbon on Monday.\n\nThe two leaders then signed a memorandum of understanding on a new rail link.",
        "2022-11-04",
    );
    let signing = found
        .iter()
        .find(|e| e.event_type == "agreement_signed")
        .expect("a signing");
    // the talks were on Monday, October 31, not on the story's Friday
    assert_eq!(
        signing.start_date.as_deref(),
        Some("2022-10-31"),
        "{found:#?}"
    );
}

#[test]
fn talks_with_a_governor_or_mayor_at_home_are_no_dialogue() {
    for text in [
        "Canadian Prime Minister Mark Carney toured a flooded town on Friday and held talks with the province's premier and the mayor, Jean Tremblay, on rebuilding.",
        "Indonesian President Prabowo Subianto visited the quake zone on Monday and met West Java Governor Dedi Mulyadi, his office said.",
    ] {
        assert!(events(text, "2025-06-14").is_empty(), "{text}");
    }
}

#[test]
fn a_bilateral_held_with_a_counterpart_is_a_dialogue() {
    let found = events(
        "Dutch Prime Minister Mark Rutte held a bilateral with his Belgian counterpart, Alexander De Croo, on Friday morning before the summit's last session.",
        "2023-06-30",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].event_type, "dialogue_held");
    assert_eq!(found[0].start_date.as_deref(), Some("2023-06-30"));
}

#[test]
fn officials_from_listed_countries_are_the_sides_of_the_talks() {
    let found = events(
        "Envoys from Armenia, Azerbaijan and the United States opened talks in Vienna on Monday.",
        "2026-03-11",
    );
    let sides = summary(&found);
    assert_eq!(sides.len(), 1, "{found:#?}");
    assert_eq!(sides[0].0, "dialogue_held");
    for iso3 in ["ARM", "AZE", "USA"] {
        assert!(
            sides[0].2.iter().any(|a| a.ends_with(iso3)),
            "{iso3}: {found:#?}"
        );
    }
    assert_eq!(sides[0].3.as_deref(), Some("AUT"));
}

#[test]
fn talks_under_way_that_will_go_on_are_no_plan() {
    let ongoing = events(
        "Delegations of Serbia and Kosovo began talks in Brussels on Tuesday and are expected to continue through Wednesday.",
        "2026-03-10",
    );
    assert_eq!(ongoing.len(), 1, "{ongoing:#?}");
    assert_eq!(ongoing[0].start_date.as_deref(), Some("2026-03-10"));
    // the same future words about talks not yet begun still tell a plan
    let planned = events(
        "Delegations of Serbia and Kosovo are expected to hold talks in Brussels on Tuesday.",
        "2026-03-08",
    );
    assert!(
        planned.iter().all(|e| e.event_type != "dialogue_held"),
        "{planned:#?}"
    );
}

#[test]
fn an_aide_named_after_a_leaders_possessive_serves_that_leaders_country() {
    let found = events(
        "Turkish President Recep Tayyip Erdogan sent a close aide to Athens.\n\nErdogan's adviser Ibrahim Kalin held talks with Greek Foreign Minister Nikos Dendias in Athens on Monday.",
        "2021-03-16",
    );
    let kalin = found
        .iter()
        .flat_map(|e| &e.actors)
        .find(|a| a.name == "Ibrahim Kalin")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(kalin.country.as_deref(), Some("TUR"));
}

#[test]
fn delegations_met_by_someone_are_not_meeting_each_other() {
    let found = events(
        "The visiting trade commissioner toured the fair on Tuesday and met delegations from Chile and Peru.",
        "2026-03-10",
    );
    assert!(
        !summary(&found).iter().any(
            |(_, _, actors, _)| actors.iter().any(|a| a.ends_with("CHL"))
                && actors.iter().any(|a| a.ends_with("PER"))
        ),
        "{found:#?}"
    );
}

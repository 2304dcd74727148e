//! Matching rules, one test per rule of the issue: what must merge and what
//! must never merge.
use serde_json::json;

use super::*;
use crate::config::Config;
use input::ActorView;

/// `ClusterIndex::add`, with the changed records copied out of the index.
fn added(index: &mut ClusterIndex, event: EventView) -> Vec<ClusterRecord> {
    index.add(event).into_iter().cloned().collect()
}

fn index() -> ClusterIndex {
    new_index(&Config::default()).expect("default lookup tables load")
}

/// An event record as `attache run` publishes it (only the fields used).
fn event(id: &str, url: &str, published: &str, body: serde_json::Value) -> EventView {
    let mut value = json!({
        "schema": "attache.event/v1",
        "record": "event",
        "id": id,
        "status": "occurred",
        "article": {"source_url": url, "canonical_url": url, "published": published},
    });
    for (k, v) in body.as_object().unwrap() {
        value[k] = v.clone();
    }
    EventView::from_json(value.to_string().as_bytes()).expect("valid event")
}

fn person(name: &str, title: &str, country: &str, role: &str) -> serde_json::Value {
    json!({"name": name, "title": title, "country": country, "role": role, "kind": "person"})
}

fn visit(
    id: &str,
    url: &str,
    published: &str,
    visitor: (&str, &str, &str),
    host: &str,
    dates: Option<(&str, &str)>,
) -> EventView {
    let (start, end) = dates.map_or((None, None), |(s, e)| (Some(s), Some(e)));
    event(
        id,
        url,
        published,
        json!({
            "type": "state_visit_announced",
            "status": "planned",
            "actors": [person(visitor.0, visitor.1, visitor.2, "visitor"),
                       {"name": host, "kind": "country", "role": "host", "country": host}],
            "location": {"name": host, "country": host},
            "start_date": start, "end_date": end,
        }),
    )
}

fn talks(
    id: &str,
    url: &str,
    published: &str,
    a: (&str, &str, &str),
    b: (&str, &str, &str),
    city: &str,
    day: Option<&str>,
) -> EventView {
    event(
        id,
        url,
        published,
        json!({
            "type": "dialogue_held",
            "actors": [person(a.0, a.1, a.2, "participant"), person(b.0, b.1, b.2, "participant")],
            "location": {"name": city, "country": a.2},
            "start_date": day, "end_date": day,
        }),
    )
}

const MACRON: (&str, &str, &str) = ("Emmanuel Macron", "President", "FRA");
const XI: (&str, &str, &str) = ("Xi Jinping", "President", "CHN");

#[test]
fn three_outlets_telling_one_visit_make_one_row_with_three_sources() {
    let mut index = index();
    index.add(visit(
        "e1",
        "https://www.lemonde.fr/a",
        "2023-03-20T08:00:00Z",
        MACRON,
        "CHN",
        Some(("2023-04-05", "2023-04-07")),
    ));
    index.add(visit(
        "e2",
        "https://www.reuters.com/b",
        "2023-03-21T09:00:00Z",
        ("Macron", "President", "FRA"),
        "CHN",
        None,
    ));
    let changed = added(
        &mut index,
        visit(
            "e3",
            "https://news.bbc.co.uk/c",
            "2023-03-22T10:00:00Z",
            MACRON,
            "CHN",
            Some(("2023-04-05", "2023-04-07")),
        ),
    );
    assert_eq!(index.len(), 1);
    let cluster = &changed[0];
    assert_eq!(cluster.members.len(), 3);
    assert_eq!(cluster.num_sources, 3);
    assert_eq!(cluster.members[2].outlet, "bbc.co.uk");
    assert_eq!(
        cluster.start_date.map(|d| d.to_string()).as_deref(),
        Some("2023-04-05")
    );
    assert_eq!(
        cluster.end_date.map(|d| d.to_string()).as_deref(),
        Some("2023-04-07")
    );
    let persons: Vec<&str> = cluster
        .actors
        .iter()
        .filter(|a| a.kind == "person")
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(persons, ["Emmanuel Macron"], "one person across name forms");
    assert_eq!(cluster.first_seen.as_deref(), Some("2023-03-20T08:00:00Z"));
    assert_eq!(cluster.last_seen.as_deref(), Some("2023-03-22T10:00:00Z"));
    assert_eq!(
        cluster.id,
        cluster_id("e1"),
        "the id comes from the first member"
    );
}

#[test]
fn a_return_visit_in_the_opposite_direction_is_another_event() {
    let mut index = index();
    index.add(visit(
        "e1",
        "https://a.com/1",
        "2023-03-20",
        MACRON,
        "CHN",
        None,
    ));
    index.add(visit(
        "e2",
        "https://b.com/2",
        "2023-03-25",
        XI,
        "FRA",
        None,
    ));
    assert_eq!(index.len(), 2);
}

#[test]
fn the_same_leaders_meeting_a_year_later_is_another_event() {
    let mut index = index();
    index.add(talks(
        "e1",
        "https://a.com/1",
        "2023-04-07",
        XI,
        MACRON,
        "Beijing",
        Some("2023-04-06"),
    ));
    index.add(talks(
        "e2",
        "https://b.com/2",
        "2024-05-07",
        XI,
        MACRON,
        "Beijing",
        Some("2024-05-06"),
    ));
    index.add(talks(
        "e3",
        "https://c.com/3",
        "2024-05-08",
        XI,
        MACRON,
        "Beijing",
        None,
    ));
    assert_eq!(index.len(), 2);
    let later = index
        .clusters()
        .into_iter()
        .find(|c| c.members.len() == 2)
        .expect("the 2024 talks have two reports");
    assert!(later.members.iter().any(|m| m.event_id == "e3"));
}

#[test]
fn foreign_ministers_meeting_on_the_day_of_their_leaders_summit_is_another_event() {
    let mut index = index();
    index.add(talks(
        "e1",
        "https://a.com/1",
        "2023-04-06",
        XI,
        MACRON,
        "Beijing",
        Some("2023-04-06"),
    ));
    index.add(talks(
        "e2",
        "https://b.com/2",
        "2023-04-06",
        ("Qin Gang", "Foreign Minister", "CHN"),
        ("Catherine Colonna", "Foreign Minister", "FRA"),
        "Beijing",
        Some("2023-04-06"),
    ));
    assert_eq!(index.len(), 2);
}

#[test]
fn the_same_visitors_stop_in_another_country_that_week_is_another_event() {
    let mut index = index();
    index.add(visit(
        "e1",
        "https://a.com/1",
        "2024-05-01",
        XI,
        "FRA",
        Some(("2024-05-05", "2024-05-07")),
    ));
    index.add(visit(
        "e2",
        "https://a.com/2",
        "2024-05-01",
        XI,
        "SRB",
        Some(("2024-05-07", "2024-05-08")),
    ));
    assert_eq!(index.len(), 2);
}

#[test]
fn a_cancellation_becomes_the_state_of_the_announced_visit() {
    let mut index = index();
    index.add(visit(
        "e1",
        "https://a.com/1",
        "2023-03-01",
        MACRON,
        "CHN",
        Some(("2023-04-05", "2023-04-07")),
    ));
    let mut cancelled = visit("e2", "https://b.com/2", "2023-03-15", MACRON, "CHN", None);
    cancelled.event_type = "visit_cancelled".into();
    let changed = added(&mut index, cancelled);
    assert_eq!(index.len(), 1);
    let cluster = &changed[0];
    assert_eq!(cluster.status, ClusterStatus::Cancelled);
    let history: Vec<ClusterStatus> = cluster.status_history.iter().map(|c| c.status).collect();
    assert_eq!(
        history,
        [ClusterStatus::Announced, ClusterStatus::Cancelled]
    );
    assert_eq!(cluster.event_type, "state_visit_announced");
}

#[test]
fn talks_held_during_a_visit_are_their_own_cluster_linked_to_it() {
    let mut index = index();
    index.add(visit(
        "v1",
        "https://a.com/1",
        "2023-03-20",
        MACRON,
        "CHN",
        Some(("2023-04-05", "2023-04-07")),
    ));
    let changed = added(
        &mut index,
        talks(
            "t1",
            "https://b.com/2",
            "2023-04-06",
            XI,
            MACRON,
            "Beijing",
            Some("2023-04-06"),
        ),
    );
    assert_eq!(index.len(), 2);
    let visit_id = cluster_id("v1");
    let talks_id = cluster_id("t1");
    let talks_cluster = changed
        .iter()
        .find(|c| c.id == talks_id)
        .expect("talks cluster changed");
    let visit_cluster = changed
        .iter()
        .find(|c| c.id == visit_id)
        .expect("visit cluster changed");
    assert_eq!(talks_cluster.linked_to, std::slice::from_ref(&visit_id));
    assert_eq!(visit_cluster.linked_to, [talks_id]);
}

#[test]
fn a_replayed_report_changes_nothing() {
    let mut index = index();
    let e = talks(
        "e1",
        "https://a.com/1",
        "2023-04-06",
        XI,
        MACRON,
        "Beijing",
        Some("2023-04-06"),
    );
    assert_eq!(index.add(e.clone()).len(), 1);
    assert!(index.add(e).is_empty());
    assert_eq!(index.clusters()[0].members.len(), 1);
}

#[test]
fn an_index_restored_from_its_records_clusters_the_next_report_the_same_way() {
    let mut first = index();
    first.add(visit(
        "e1",
        "https://a.com/1",
        "2023-03-20",
        MACRON,
        "CHN",
        Some(("2023-04-05", "2023-04-07")),
    ));
    first.add(visit(
        "e2",
        "https://b.com/2",
        "2023-03-21",
        MACRON,
        "CHN",
        None,
    ));
    let saved: Vec<ClusterRecord> = first.clusters().into_iter().cloned().collect();

    let mut restored = index();
    for record in saved {
        let bytes = serde_json::to_vec(&record).unwrap();
        restored.restore(decode_record(&bytes).expect("round trip"));
    }
    let next = visit("e3", "https://c.com/3", "2023-03-22", MACRON, "CHN", None);
    let a = first.add(next.clone());
    let b = restored.add(next);
    assert_eq!(a, b);
    assert_eq!(restored.len(), 1);
}

#[test]
fn ndjson_with_articles_blank_lines_and_a_bad_line_clusters_the_good_events() {
    let mut index = index();
    let good = serde_json::to_string(&json!({
        "record": "event", "id": "e1", "type": "dialogue_held", "status": "occurred",
        "actors": [], "article": {"source_url": "https://a.com/1"}
    }))
    .unwrap();
    let input = format!("{good}\n\n{{\"record\": \"article\", \"title\": \"x\"}}\n{{\"record\": \"event\"}}\nnot json\n");
    let skipped = cluster_reader(&mut index, "test", input.as_bytes()).unwrap();
    assert_eq!(index.len(), 1);
    let lines: Vec<usize> = skipped.iter().map(|s| s.line).collect();
    assert_eq!(
        lines,
        [4, 5],
        "the event without fields and the non-JSON line are reported"
    );
}

#[test]
fn cluster_records_have_exactly_the_schema_fields() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("schemas/cluster.v1.json").unwrap()).unwrap();
    let mut required: Vec<String> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    required.sort();
    let mut index = index();
    let changed = added(
        &mut index,
        visit("e1", "https://a.com/1", "2023-03-20", MACRON, "CHN", None),
    );
    let value = serde_json::to_value(&changed[0]).unwrap();
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, required);
    let member_required = &schema["properties"]["members"]["items"]["required"];
    let mut member_keys: Vec<String> = value["members"][0]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    member_keys.sort();
    let mut expected: Vec<String> = member_required
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    expected.sort();
    assert_eq!(member_keys, expected);
}

#[test]
fn the_block_key_never_splits_one_visit_told_with_and_without_a_host_leader() {
    // One outlet names the host country only as the location, another names
    // its leader: both give the same country set, hence the same key.
    let a = visit("e1", "https://a.com/1", "2023-03-20", MACRON, "CHN", None);
    let mut b = visit("e2", "https://b.com/2", "2023-03-21", MACRON, "CHN", None);
    b.args.actors[1] =
        serde_json::from_value(person("Xi Jinping", "President", "CHN", "inviter")).unwrap();
    assert_eq!(matching::block_key(&a), matching::block_key(&b));
    assert_eq!(matching::block_key(&a), "visit|CHN,FRA");
}

#[test]
fn talks_in_a_third_country_named_as_host_keep_the_key_of_the_two_parties() {
    // One outlet names Russia as the host of talks in Kazan between China
    // and India, another does not: one event, one key.
    let plain = talks(
        "e1",
        "https://a.com/1",
        "2024-10-23",
        XI,
        ("Narendra Modi", "Prime Minister", "IND"),
        "Kazan",
        Some("2024-10-23"),
    );
    let mut with_venue = talks(
        "e2",
        "https://b.com/2",
        "2024-10-23",
        XI,
        ("Narendra Modi", "Prime Minister", "IND"),
        "Kazan",
        Some("2024-10-23"),
    );
    with_venue.args.location =
        Some(serde_json::from_value(json!({"name": "Kazan", "country": "RUS"})).unwrap());
    with_venue.args.actors.push(
        serde_json::from_value(
            json!({"name": "Russia", "kind": "country", "role": "host", "country": "RUS"}),
        )
        .unwrap(),
    );
    assert_eq!(matching::block_key(&plain), "dialogue|CHN,IND");
    assert_eq!(
        matching::block_key(&plain),
        matching::block_key(&with_venue)
    );
    // A host country that takes part through a person is a party.
    let mut hosted = with_venue.clone();
    hosted.args.actors.push(
        serde_json::from_value(person("Vladimir Putin", "President", "RUS", "host")).unwrap(),
    );
    assert_eq!(matching::block_key(&hosted), "dialogue|multi|RUS");
}

// --- Name forms through the leaders knowledge base -------------------------

fn talks_with(
    id: &str,
    url: &str,
    published: &str,
    actors: serde_json::Value,
    location: serde_json::Value,
    day: Option<&str>,
) -> EventView {
    event(
        id,
        url,
        published,
        json!({
            "type": "dialogue_held",
            "actors": actors,
            "location": location,
            "start_date": day, "end_date": day,
        }),
    )
}

fn bare_person(name: &str, country: Option<&str>, role: &str) -> serde_json::Value {
    json!({"name": name, "title": null, "country": country, "role": role, "kind": "person"})
}

#[test]
fn full_name_surname_and_office_description_are_one_person_in_one_cluster() {
    let mut index = index();
    let tokyo = json!({"name": "Tokyo", "country": "JPN"});
    let yoon = person("Yoon Suk Yeol", "President", "KOR", "participant");
    index.add(talks_with(
        "k1",
        "https://www.a-news.com/1",
        "2023-03-16T12:00:00Z",
        json!([
            person("Fumio Kishida", "Prime Minister", "JPN", "participant"),
            yoon
        ]),
        tokyo.clone(),
        Some("2023-03-16"),
    ));
    index.add(talks_with(
        "k2",
        "https://www.b-news.com/2",
        "2023-03-16T18:00:00Z",
        json!([bare_person("Kishida", Some("JPN"), "participant"), yoon]),
        tokyo.clone(),
        None,
    ));
    let changed = added(
        &mut index,
        talks_with(
            "k3",
            "https://www.c-news.com/3",
            "2023-03-17T08:00:00Z",
            json!([
                bare_person("the Japanese prime minister", None, "participant"),
                yoon
            ]),
            tokyo,
            Some("2023-03-16"),
        ),
    );
    assert_eq!(index.len(), 1, "{:#?}", index.clusters());
    let cluster = &changed[0];
    assert_eq!(cluster.members.len(), 3);
    let japanese: Vec<&ActorView> = cluster
        .actors
        .iter()
        .filter(|a| a.country.as_deref() == Some("JPN"))
        .collect();
    assert_eq!(japanese.len(), 1, "{japanese:#?}");
    assert_eq!(japanese[0].name, "Fumio Kishida");
    assert!(japanese[0]
        .wikidata
        .as_deref()
        .is_some_and(|q| q.starts_with('Q')));
    assert_eq!(
        japanese[0].office,
        Some(crate::events::leaders::Office::HeadOfGovernment)
    );
}

#[test]
fn an_office_description_resolves_to_the_holder_of_the_events_day() {
    let knowledge = Knowledge::load(&Config::default()).unwrap();
    let leaders = knowledge.leaders.as_ref().expect("leaders.tsv ships");
    let resolve = |day: &str| {
        let mut args = input::EventArgs {
            actors: vec![ActorView {
                name: "the Japanese prime minister".into(),
                role: "participant".into(),
                kind: "person".into(),
                title: None,
                country: None,
                wikidata: None,
                office: None,
            }],
            ..Default::default()
        };
        let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        actors::resolve_actors(&knowledge.gazetteer, leaders, &mut args, Some(day));
        args.actors.remove(0)
    };
    let in_2023 = resolve("2023-03-16");
    assert_eq!(in_2023.name, "Fumio Kishida");
    assert_eq!(in_2023.country.as_deref(), Some("JPN"));
    let in_2020 = resolve("2020-01-15");
    assert_eq!(in_2020.name, "Shinzō Abe");
    assert_ne!(in_2023.wikidata, in_2020.wikidata);
}

#[test]
fn a_person_without_a_country_or_with_a_wrong_one_gets_the_country_of_the_office() {
    let mut index = index();
    let geneva = json!({"name": "Geneva", "country": "CHE"});
    let putin = person("Vladimir Putin", "President", "RUS", "participant");
    index.add(talks_with(
        "g1",
        "https://www.a-news.com/g1",
        "2021-06-16T20:00:00Z",
        json!([
            person("Joe Biden", "President", "USA", "participant"),
            putin
        ]),
        geneva.clone(),
        Some("2021-06-16"),
    ));
    // One outlet gives no country for Biden, another codes him as its own
    // country: both still name the same two states.
    index.add(talks_with(
        "g2",
        "https://www.b-news.com/g2",
        "2021-06-17T07:00:00Z",
        json!([bare_person("Biden", None, "participant"), putin]),
        geneva.clone(),
        None,
    ));
    index.add(talks_with(
        "g3",
        "https://www.c-news.com.au/g3",
        "2021-06-17T09:00:00Z",
        json!([
            person("Joe Biden", "President", "AUS", "participant"),
            putin
        ]),
        geneva,
        Some("2021-06-16"),
    ));
    assert_eq!(index.len(), 1, "{:#?}", index.clusters());
    let cluster = index.clusters()[0];
    assert_eq!(cluster.block_key, "dialogue|RUS,USA");
    assert!(cluster
        .actors
        .iter()
        .all(|a| a.country.as_deref() != Some("AUS")));
}

// --- Partial and noisy actor sets ------------------------------------------

fn visit_with(
    id: &str,
    url: &str,
    published: &str,
    actors: serde_json::Value,
    location: serde_json::Value,
    event_type: &str,
) -> EventView {
    event(
        id,
        url,
        published,
        json!({
            "type": event_type,
            "status": "planned",
            "actors": actors,
            "location": location,
        }),
    )
}

fn dated(mut event: EventView, start: &str, end: &str) -> EventView {
    event.args.start_date = Some(start.parse().unwrap());
    event.args.end_date = Some(end.parse().unwrap());
    event
}

#[test]
fn a_report_naming_one_side_or_a_third_country_by_mistake_joins_the_visit() {
    let mut index = index();
    let xi = person("Xi Jinping", "President", "CHN", "visitor");
    let france = json!({"name": "France", "kind": "country", "role": "host", "country": "FRA"});
    index.add(dated(
        visit_with(
            "x1",
            "https://www.a-news.com/x1",
            "2024-04-29T09:00:00Z",
            json!([xi, france]),
            json!({"name": "France", "country": "FRA"}),
            "state_visit_announced",
        ),
        "2024-05-05",
        "2024-05-07",
    ));
    // Only the visitor named, place a city of the host.
    index.add(visit_with(
        "x2",
        "https://www.b-news.com/x2",
        "2024-05-02T17:00:00Z",
        json!([xi]),
        json!({"name": "Paris", "country": "FRA"}),
        "state_visit_announced",
    ));
    // A third country named as a host by mistake.
    index.add(visit_with(
        "x3",
        "https://www.c-news.com/x3",
        "2024-05-03T10:00:00Z",
        json!([xi, france, {"name": "Ukraine", "kind": "country", "role": "host", "country": "UKR"}]),
        json!({"name": "France", "country": "FRA"}),
        "state_visit_announced",
    ));
    assert_eq!(index.len(), 1, "{:#?}", index.clusters());
    // The same visitor's stop in Serbia that week stays apart, told fully
    // or with the host only as the place.
    index.add(dated(
        visit_with(
            "s1",
            "https://www.d-news.com/s1",
            "2024-05-01T10:00:00Z",
            json!([xi, {"name": "Serbia", "kind": "country", "role": "host", "country": "SRB"}]),
            json!({"name": "Serbia", "country": "SRB"}),
            "state_visit_announced",
        ),
        "2024-05-07",
        "2024-05-08",
    ));
    index.add(visit_with(
        "s2",
        "https://www.e-news.com/s2",
        "2024-05-06T10:00:00Z",
        json!([xi]),
        json!({"name": "Belgrade", "country": "SRB"}),
        "state_visit_announced",
    ));
    assert_eq!(index.len(), 2, "{:#?}", index.clusters());
    assert_eq!(index.cluster_of("s1"), index.cluster_of("s2"));
    assert_ne!(index.cluster_of("s1"), index.cluster_of("x1"));
    assert_eq!(index.cluster_of("x2"), index.cluster_of("x1"));
}

#[test]
fn a_cancellation_naming_a_third_country_still_ends_the_announced_visit() {
    let mut index = index();
    let biden = person("Joe Biden", "President", "USA", "visitor");
    let png =
        json!({"name": "Papua New Guinea", "kind": "country", "role": "host", "country": "PNG"});
    let australia =
        json!({"name": "Australia", "kind": "country", "role": "host", "country": "AUS"});
    index.add(visit(
        "p1",
        "https://www.a-news.com/p1",
        "2023-05-03T10:00:00Z",
        ("Joe Biden", "President", "USA"),
        "PNG",
        Some(("2023-05-22", "2023-05-22")),
    ));
    // The trip's other stop, Australia, is another visit.
    index.add(visit(
        "a1",
        "https://www.a-news.com/a1",
        "2023-05-03T10:00:00Z",
        ("Joe Biden", "President", "USA"),
        "AUS",
        Some(("2023-05-24", "2023-05-24")),
    ));
    index.add(visit_with(
        "p2",
        "https://www.b-news.com/p2",
        "2023-05-17T09:00:00Z",
        json!([biden, png, australia]),
        json!({"name": "Papua New Guinea", "country": "PNG"}),
        "visit_cancelled",
    ));
    assert_eq!(index.len(), 2, "{:#?}", index.clusters());
    assert_eq!(index.cluster_of("p1"), index.cluster_of("p2"));
    let cluster = index.get(index.cluster_of("p1").unwrap()).unwrap();
    assert_eq!(cluster.status, ClusterStatus::Cancelled);
    let other = index.get(index.cluster_of("a1").unwrap()).unwrap();
    assert_eq!(other.status, ClusterStatus::Announced);
}

#[test]
fn a_title_of_no_known_rank_does_not_make_leaders_officials() {
    let mut index = index();
    let pyongyang = json!({"name": "Vostochny", "country": "RUS"});
    index.add(talks_with(
        "v1",
        "https://www.a-news.com/v1",
        "2023-09-13T12:00:00Z",
        json!([
            person("Vladimir Putin", "President", "RUS", "participant"),
            bare_person("Kim Jong-un", Some("PRK"), "participant")
        ]),
        pyongyang.clone(),
        Some("2023-09-13"),
    ));
    index.add(talks_with(
        "v2",
        "https://www.b-news.com/v2",
        "2023-09-14T06:00:00Z",
        json!([
            person("Vladimir Putin", "counterpart", "RUS", "participant"),
            bare_person("Kim Jong-un", Some("PRK"), "participant")
        ]),
        pyongyang,
        None,
    ));
    assert_eq!(index.len(), 1, "{:#?}", index.clusters());
}

#[test]
fn resolved_actors_have_only_schema_fields() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("schemas/cluster.v1.json").unwrap()).unwrap();
    let actor = &schema["$defs"]["actor"];
    let allowed: Vec<&str> = actor["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut index = index();
    let changed = added(
        &mut index,
        visit("e1", "https://a.com/1", "2023-03-20", MACRON, "CHN", None),
    );
    let value = serde_json::to_value(&changed[0]).unwrap();
    let macron = &value["actors"][0];
    assert_eq!(macron["name"], "Emmanuel Macron");
    assert_eq!(macron["office"], "head_of_state");
    for key in macron.as_object().unwrap().keys() {
        assert!(allowed.contains(&key.as_str()), "{key} not in the schema");
    }
    for key in actor["required"].as_array().unwrap() {
        assert!(macron.get(key.as_str().unwrap()).is_some(), "{key} missing");
    }
}

// --- Incremental merging ---------------------------------------------------

/// Reports of one visit with varied arguments: name forms, dates of every
/// precision, places, counts, a cancellation; published over two weeks.
fn varied_reports() -> Vec<EventView> {
    let forms = [
        ("Xi Jinping", Some("President")),
        ("Xi", None),
        ("Chinese President Xi Jinping", Some("President")),
        ("the Chinese president", None),
    ];
    let places = [
        json!({"name": "France", "country": "FRA"}),
        json!({"name": "Paris", "country": "FRA"}),
        json!(null),
    ];
    (0..24)
        .map(|i| {
            let (name, title) = forms[i % forms.len()];
            let dates = match i % 4 {
                0 => (Some("2024-05-05"), Some("2024-05-07")),
                1 => (Some("2024-05-06"), Some("2024-05-06")),
                _ => (None, None),
            };
            let event_type = if i == 17 {
                "visit_cancelled"
            } else {
                "state_visit_announced"
            };
            event(
                &format!("v{i}"),
                &format!("https://www.outlet{}.com/{i}", i % 7),
                &format!("2024-04-{:02}T{:02}:00:00Z", 20 + i % 10, i % 24),
                json!({
                    "type": event_type,
                    "status": "planned",
                    "actors": [
                        {"name": name, "title": title, "country": "CHN", "role": "visitor", "kind": "person"},
                        {"name": "France", "kind": "country", "role": "host", "country": "FRA"},
                    ],
                    "location": places[i % places.len()],
                    "start_date": dates.0, "end_date": dates.1,
                    "date_text": if i % 4 == 3 { Some("next month") } else { None },
                    "participants": if i % 5 == 0 { Some(json!({"count": 300 + i, "qualifier": "about"})) } else { None },
                }),
            )
        })
        .collect()
}

#[test]
fn merging_member_by_member_equals_a_recount_in_any_arrival_order() {
    let reports = varied_reports();
    let mut orders: Vec<Vec<EventView>> =
        vec![reports.clone(), reports.iter().rev().cloned().collect()];
    // An interleaving: every third report first, then the rest.
    let mut mixed: Vec<EventView> = reports.iter().step_by(3).cloned().collect();
    mixed.extend(
        reports
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 != 0)
            .map(|(_, e)| e.clone()),
    );
    orders.push(mixed);
    let mut results = Vec::new();
    for order in orders {
        let mut index = index();
        for event in order {
            index.add(event);
        }
        assert_eq!(index.len(), 1, "{:#?}", index.clusters());
        let record = index.clusters()[0].clone();
        let mut recount = record.clone();
        merge::refresh(&mut recount);
        assert_eq!(record, recount, "incremental tallies differ from a recount");
        results.push(record);
    }
    let without_id = |r: &ClusterRecord| ClusterRecord {
        id: String::new(),
        block_key: String::new(),
        ..r.clone()
    };
    for r in &results[1..] {
        assert_eq!(without_id(r), without_id(&results[0]));
    }
    let cluster = &results[0];
    assert_eq!(cluster.members.len(), 24);
    assert_eq!(
        cluster.status,
        ClusterStatus::Announced,
        "{:?}",
        cluster.status_history
    );
    assert_eq!(
        cluster.status_history.len(),
        3,
        "announced, cancelled, announced again"
    );
    let chinese: Vec<&ActorView> = cluster
        .actors
        .iter()
        .filter(|a| a.country.as_deref() == Some("CHN"))
        .collect();
    assert_eq!(chinese.len(), 1, "{chinese:#?}");
    assert_eq!(chinese[0].name, "Xi Jinping");
    assert_eq!(
        cluster.start_date.map(|d| d.to_string()).as_deref(),
        Some("2024-05-05")
    );
    assert_eq!(cluster.num_sources, 7);
}

// --- Places ----------------------------------------------------------------

#[test]
fn a_summit_placed_in_a_suburb_a_city_or_the_country_is_one_event_and_a_year_later_another() {
    let mut index = index();
    let biden = person("Joe Biden", "President", "USA", "participant");
    let xi = person("Xi Jinping", "President", "CHN", "participant");
    let places = [
        json!({"name": "Woodside", "country": "USA"}),
        // No country given: the gazetteer knows the city.
        json!({"name": "San Francisco", "country": null}),
        json!({"name": "United States", "country": "USA"}),
    ];
    for (i, place) in places.iter().enumerate() {
        index.add(talks_with(
            &format!("w{i}"),
            &format!("https://www.outlet{i}.com/w"),
            "2023-11-16T08:00:00Z",
            json!([biden, xi]),
            place.clone(),
            if i == 1 { None } else { Some("2023-11-15") },
        ));
    }
    assert_eq!(index.len(), 1, "{:#?}", index.clusters());
    // The same two leaders in Bali a year earlier, and in the same country
    // but at another time, stay apart.
    index.add(talks_with(
        "b1",
        "https://www.outlet9.com/b",
        "2022-11-14T12:00:00Z",
        json!([biden, xi]),
        json!({"name": "Bali", "country": "IDN"}),
        Some("2022-11-14"),
    ));
    index.add(talks_with(
        "b2",
        "https://www.outlet8.com/b",
        "2024-11-16T12:00:00Z",
        json!([biden, xi]),
        json!({"name": "San Francisco", "country": "USA"}),
        Some("2024-11-16"),
    ));
    assert_eq!(index.len(), 3, "{:#?}", index.clusters());
}

#[test]
fn a_cluster_started_by_a_report_naming_one_side_keeps_to_the_other_side_it_learns() {
    let mut index = index();
    let xi = person("Xi Jinping", "President", "CHN", "participant");
    // First report: only Xi, no place.
    index.add(talks_with(
        "p1",
        "https://www.a-news.com/p1",
        "2024-05-06T20:00:00Z",
        json!([xi]),
        json!(null),
        Some("2024-05-06"),
    ));
    index.add(talks_with(
        "f1",
        "https://www.b-news.com/f1",
        "2024-05-06T21:00:00Z",
        json!([
            xi,
            person("Emmanuel Macron", "President", "FRA", "participant")
        ]),
        json!(null),
        Some("2024-05-06"),
    ));
    // His talks with Serbia's president two days later, told without a
    // place: the dates alone would let them in (tolerance one day on each
    // side of a span), the countries must not.
    index.add(talks_with(
        "s1",
        "https://www.c-news.com/s1",
        "2024-05-08T18:00:00Z",
        json!([
            xi,
            person("Aleksandar Vucic", "President", "SRB", "participant")
        ]),
        json!(null),
        Some("2024-05-07"),
    ));
    assert_eq!(index.cluster_of("p1"), index.cluster_of("f1"));
    assert_ne!(index.cluster_of("f1"), index.cluster_of("s1"));
}

// --- Order: a report that bridges two clusters merges them ----------------

/// Xi and Macron's talks told first from each side alone (two clusters that
/// cannot meet: {CHN} and {FRA}), then by a report naming both.
fn one_event_told_from_each_side_then_fully() -> Vec<EventView> {
    let xi = person("Xi Jinping", "President", "CHN", "participant");
    let macron = person("Emmanuel Macron", "President", "FRA", "participant");
    let paris = json!({"name": "Paris", "country": "FRA"});
    vec![
        talks_with(
            "side-a",
            "https://www.a-news.com/1",
            "2024-05-06T10:00:00Z",
            json!([xi]),
            json!(null),
            Some("2024-05-06"),
        ),
        talks_with(
            "side-b",
            "https://www.b-news.com/2",
            "2024-05-06T11:00:00Z",
            json!([macron]),
            paris.clone(),
            None,
        ),
        talks_with(
            "both",
            "https://www.c-news.com/3",
            "2024-05-06T18:00:00Z",
            json!([xi, macron]),
            paris,
            Some("2024-05-06"),
        ),
    ]
}

#[test]
fn a_report_bridging_two_clusters_merges_them_and_the_older_id_survives() {
    let mut index = index();
    let reports = one_event_told_from_each_side_then_fully();
    index.add(reports[0].clone());
    index.add(reports[1].clone());
    assert_eq!(index.len(), 2, "one side each: nothing yet says they meet");
    let changed = added(&mut index, reports[2].clone());
    assert_eq!(index.len(), 1, "{:#?}", index.clusters());
    let survivor = cluster_id("side-a");
    let gone = cluster_id("side-b");
    for id in ["side-a", "side-b", "both"] {
        assert_eq!(index.cluster_of(id), Some(survivor.as_str()), "{id}");
    }
    let record = index.get(&survivor).unwrap();
    assert_eq!(record.members.len(), 3);
    assert_eq!(record.num_sources, 3);
    assert!(record.merged_into.is_none());
    let countries: BTreeSet<&str> = record
        .actors
        .iter()
        .filter_map(|a| a.country.as_deref())
        .collect();
    assert_eq!(countries, BTreeSet::from(["CHN", "FRA"]));
    // The absorbed cluster is published once more, as a tombstone.
    let tombstone = changed
        .iter()
        .find(|r| r.id == gone)
        .expect("tombstone published");
    assert_eq!(tombstone.merged_into.as_deref(), Some(survivor.as_str()));
    assert_eq!(index.tombstone(&gone), Some(tombstone));
    // The tombstone is a valid v1 record: only fields the schema names.
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("schemas/cluster.v1.json").unwrap()).unwrap();
    let value = serde_json::to_value(tombstone).unwrap();
    for key in value.as_object().unwrap().keys() {
        assert!(
            schema["properties"].get(key).is_some(),
            "{key} not in the schema"
        );
    }
    assert!(!tombstone.members.is_empty(), "members kept: minItems 1");
    assert!(index.get(&gone).is_none());
    assert!(changed.iter().any(|r| r.id == survivor));
}

#[test]
fn the_clusters_do_not_depend_on_arrival_order_when_a_later_report_bridges() {
    let reports = one_event_told_from_each_side_then_fully();
    let orders: [[usize; 3]; 6] = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    for order in orders {
        let mut index = index();
        for n in order {
            index.add(reports[n].clone());
        }
        assert_eq!(index.len(), 1, "order {order:?}: {:#?}", index.clusters());
        let record = index.clusters()[0];
        assert_eq!(record.members.len(), 3, "order {order:?}");
    }
}

#[test]
fn a_report_fitting_two_different_events_joins_one_and_merges_nothing() {
    let mut index = index();
    let xi = person("Xi Jinping", "President", "CHN", "visitor");
    let host = |name: &str, iso: &str| json!({"name": name, "kind": "country", "role": "host", "country": iso});
    index.add(dated(
        visit_with(
            "fra",
            "https://www.a-news.com/f",
            "2024-04-29T09:00:00Z",
            json!([xi, host("France", "FRA")]),
            json!({"name": "France", "country": "FRA"}),
            "state_visit_announced",
        ),
        "2024-05-05",
        "2024-05-07",
    ));
    index.add(dated(
        visit_with(
            "srb",
            "https://www.b-news.com/s",
            "2024-05-01T10:00:00Z",
            json!([xi, host("Serbia", "SRB")]),
            json!({"name": "Serbia", "country": "SRB"}),
            "state_visit_announced",
        ),
        "2024-05-07",
        "2024-05-08",
    ));
    // Xi's European tour, no host named, its days meeting both stops':
    // fits both, bridges neither.
    let changed = added(
        &mut index,
        dated(
            visit_with(
                "tour",
                "https://www.c-news.com/t",
                "2024-05-02T10:00:00Z",
                json!([xi]),
                json!(null),
                "state_visit_announced",
            ),
            "2024-05-06",
            "2024-05-08",
        ),
    );
    assert_eq!(index.len(), 2, "{:#?}", index.clusters());
    assert_ne!(index.cluster_of("fra"), index.cluster_of("srb"));
    assert!(changed.iter().all(|r| r.merged_into.is_none()));
}

#[test]
fn leaders_and_ministers_clusters_are_never_bridged_by_a_report_without_persons() {
    let mut index = index();
    let tokyo = json!({"name": "Tokyo", "country": "JPN"});
    index.add(talks_with(
        "leaders",
        "https://www.a-news.com/l",
        "2023-03-16T12:00:00Z",
        json!([
            person("Fumio Kishida", "Prime Minister", "JPN", "participant"),
            person("Yoon Suk Yeol", "President", "KOR", "participant")
        ]),
        tokyo.clone(),
        Some("2023-03-16"),
    ));
    index.add(talks_with(
        "ministers",
        "https://www.b-news.com/m",
        "2023-03-16T13:00:00Z",
        json!([
            person("Park Jin", "Foreign Minister", "KOR", "participant"),
            person(
                "Yoshimasa Hayashi",
                "Foreign Minister",
                "JPN",
                "participant"
            )
        ]),
        tokyo.clone(),
        Some("2023-03-16"),
    ));
    index.add(talks_with(
        "countries-only",
        "https://www.c-news.com/c",
        "2023-03-16T14:00:00Z",
        json!([
            {"name": "Japan", "kind": "country", "role": "participant", "country": "JPN"},
            {"name": "South Korea", "kind": "country", "role": "participant", "country": "KOR"}
        ]),
        tokyo,
        Some("2023-03-16"),
    ));
    assert_eq!(index.len(), 2, "{:#?}", index.clusters());
    assert_ne!(index.cluster_of("leaders"), index.cluster_of("ministers"));
}

#[test]
fn the_topic_state_after_a_merge_rebuilds_the_same_index_in_any_read_order() {
    let mut first = index();
    let mut published: Vec<ClusterRecord> = Vec::new();
    for report in one_event_told_from_each_side_then_fully() {
        published.extend(added(&mut first, report));
    }
    // Compaction keeps the latest record per id; a restart reads the ids in
    // any order.
    let mut latest: std::collections::BTreeMap<String, ClusterRecord> = Default::default();
    for record in &published {
        latest.insert(record.id.clone(), record.clone());
    }
    for reversed in [false, true] {
        let mut records: Vec<ClusterRecord> = latest.values().cloned().collect();
        if reversed {
            records.reverse();
        }
        let mut restored = index();
        let repairs = restored.restore_all(records);
        assert!(repairs.is_empty(), "nothing half written: {repairs:#?}");
        assert_eq!(restored.len(), 1);
        assert_eq!(restored.clusters(), first.clusters());
        for id in ["side-a", "side-b", "both"] {
            assert_eq!(restored.cluster_of(id), first.cluster_of(id));
        }
        assert!(restored.tombstone(&cluster_id("side-b")).is_some());
    }
}

#[test]
fn a_merge_half_written_before_a_crash_is_completed_at_rebuild() {
    let reports = one_event_told_from_each_side_then_fully();
    let mut first = index();
    let mut published: Vec<ClusterRecord> = Vec::new();
    for report in &reports {
        published.extend(added(&mut first, report.clone()));
    }
    let survivor = cluster_id("side-a");
    let gone = cluster_id("side-b");
    let before_merge = |id: &str| {
        published
            .iter()
            .filter(|r| r.id == id && r.merged_into.is_none())
            .find(|r| r.members.len() == 1)
            .cloned()
            .unwrap()
    };
    let after_merge = |id: &str| {
        published
            .iter()
            .rev()
            .find(|r| r.id == id)
            .cloned()
            .unwrap()
    };

    // The survivor's new state landed, the tombstone did not.
    let mut restored = index();
    let repairs = restored.restore_all(vec![before_merge(&gone), after_merge(&survivor)]);
    assert_eq!(restored.len(), 1);
    assert_eq!(restored.cluster_of("side-b"), Some(survivor.as_str()));
    assert_eq!(repairs.len(), 1);
    assert_eq!(repairs[0].id, gone);
    assert_eq!(repairs[0].merged_into.as_deref(), Some(survivor.as_str()));

    // The tombstone landed, the survivor's new state did not: the moved
    // member is not lost, and the bridging report, replayed, joins.
    let mut restored = index();
    let repairs = restored.restore_all(vec![after_merge(&gone), before_merge(&survivor)]);
    assert_eq!(restored.cluster_of("side-b"), Some(survivor.as_str()));
    assert_eq!(repairs.len(), 1);
    assert_eq!(repairs[0].id, survivor);
    restored.add(reports[2].clone());
    assert_eq!(restored.len(), 1);
    assert_eq!(restored.clusters(), first.clusters());
}

// --- Kafka routing key ------------------------------------------------------

#[test]
fn the_route_key_keeps_a_visit_together_however_partly_it_is_told() {
    let knowledge = Knowledge::load(&Config::default()).unwrap();
    let key = |mut event: EventView| {
        knowledge.normalize(&mut event);
        matching::route_key(&event)
    };
    let xi = person("Xi Jinping", "President", "CHN", "visitor");
    let france = json!({"name": "France", "kind": "country", "role": "host", "country": "FRA"});
    let macron = person("Emmanuel Macron", "President", "FRA", "host");
    let forms = [
        // Fully told.
        visit_with(
            "a",
            "https://a.com/a",
            "2024-05-01",
            json!([xi, france]),
            json!({"name": "France", "country": "FRA"}),
            "state_visit_announced",
        ),
        // The host only as the place.
        visit_with(
            "b",
            "https://b.com/b",
            "2024-05-01",
            json!([xi]),
            json!({"name": "Paris", "country": "FRA"}),
            "state_visit_announced",
        ),
        // The visitor unresolved (no country), the host's leader named.
        visit_with(
            "c",
            "https://c.com/c",
            "2024-05-01",
            json!([bare_person("the guest", None, "visitor"), macron]),
            json!(null),
            "state_visit_announced",
        ),
        // A third country by mistake.
        visit_with(
            "d",
            "https://d.com/d",
            "2024-05-01",
            json!([xi, france, {"name": "Ukraine", "kind": "country", "role": "host", "country": "UKR"}]),
            json!({"name": "France", "country": "FRA"}),
            "state_visit_announced",
        ),
        // Its cancellation.
        visit_with(
            "e",
            "https://e.com/e",
            "2024-05-01",
            json!([xi, france]),
            json!({"name": "France", "country": "FRA"}),
            "visit_cancelled",
        ),
    ];
    let keys: BTreeSet<String> = forms.into_iter().map(key).collect();
    assert_eq!(keys, BTreeSet::from(["FRA".to_string()]));
}

#[test]
fn the_route_key_of_talks_is_their_first_party_and_a_report_naming_only_the_other_is_the_limit() {
    let knowledge = Knowledge::load(&Config::default()).unwrap();
    let key = |mut event: EventView| {
        knowledge.normalize(&mut event);
        matching::route_key(&event)
    };
    let xi = person("Xi Jinping", "President", "CHN", "participant");
    let macron = person("Emmanuel Macron", "President", "FRA", "participant");
    let both = talks_with(
        "a",
        "https://a.com/a",
        "2024-05-06",
        json!([macron, xi]),
        json!({"name": "Paris", "country": "FRA"}),
        Some("2024-05-06"),
    );
    let no_place = talks_with(
        "b",
        "https://b.com/b",
        "2024-05-06",
        json!([xi, macron]),
        json!(null),
        None,
    );
    let xi_only = talks_with(
        "c",
        "https://c.com/c",
        "2024-05-06",
        json!([xi]),
        json!(null),
        None,
    );
    let surname = talks_with(
        "d",
        "https://d.com/d",
        "2024-05-06",
        json!([
            bare_person("Xi", None, "participant"),
            bare_person("Macron", None, "participant")
        ]),
        json!(null),
        None,
    );
    for event in [both.clone(), no_place, xi_only, surname] {
        assert_eq!(key(event), "CHN");
    }
    // The limit (documented on `route_key`): a report naming only France's
    // side is routed by France. Offline, one index still joins it.
    let macron_only = talks_with(
        "e",
        "https://e.com/e",
        "2024-05-06",
        json!([macron]),
        json!({"name": "Paris", "country": "FRA"}),
        None,
    );
    assert_eq!(key(macron_only.clone()), "FRA");
    let mut index = index();
    index.add(both);
    index.add(macron_only);
    assert_eq!(index.len(), 1);
}

// --- A visit told as talks by one outlet, as a visit by another -------------

#[test]
fn talks_told_by_one_outlet_link_to_the_visit_another_tells_even_with_partial_countries() {
    // Decision: a state visit and the talks held during it are two events
    // (issue 15): one outlet's `dialogue_held` ("Modi held talks with
    // Biden") is not merged into another's `state_visit_announced` ("Modi's
    // state visit to the US"); the two clusters are linked. The visit names
    // a third country by mistake; the one-sided talks report links nothing.
    let mut index = index();
    let modi = person("Narendra Modi", "Prime Minister", "IND", "visitor");
    let usa = json!({"name": "United States", "kind": "country", "role": "host", "country": "USA"});
    let egypt = json!({"name": "Egypt", "kind": "country", "role": "host", "country": "EGY"});
    index.add(dated(
        visit_with(
            "visit",
            "https://a.com/v",
            "2023-06-15T10:00:00Z",
            json!([modi, usa, egypt]),
            json!({"name": "Washington", "country": "USA"}),
            "state_visit_announced",
        ),
        "2023-06-21",
        "2023-06-23",
    ));
    let mut told = talks_with(
        "talks",
        "https://b.com/t",
        "2023-06-22T20:00:00Z",
        json!([
            person("Narendra Modi", "Prime Minister", "IND", "participant"),
            person("Joe Biden", "President", "USA", "participant")
        ]),
        json!({"name": "White House", "country": "USA"}),
        Some("2023-06-22"),
    );
    // The day is told in words (a day given only by the publication is a
    // window: `talks_dated_only_by_their_reports_publication_day_...`).
    told.args.date_text = Some("on Thursday".into());
    index.add(told);
    index.add(talks_with(
        "one-side",
        "https://c.com/o",
        "2023-06-22T21:00:00Z",
        json!([person(
            "Narendra Modi",
            "Prime Minister",
            "IND",
            "participant"
        )]),
        json!(null),
        Some("2023-06-20"),
    ));
    let visit_id = index.cluster_of("visit").unwrap().to_string();
    let talks_id = index.cluster_of("talks").unwrap().to_string();
    assert_ne!(visit_id, talks_id, "two events, two rows");
    assert_eq!(
        index.get(&visit_id).unwrap().linked_to,
        std::slice::from_ref(&talks_id)
    );
    assert_eq!(
        index.get(&talks_id).unwrap().linked_to,
        std::slice::from_ref(&visit_id)
    );
    // Modi alone, two days earlier (another meeting): its own row, and a
    // report naming one side links to no visit.
    let one_side = index.cluster_of("one-side").unwrap();
    assert_ne!(one_side, talks_id);
    assert!(index.get(one_side).unwrap().linked_to.is_empty());
}

#[test]
fn a_visit_told_without_its_host_first_is_not_captured_by_the_visitors_other_stop() {
    // Reverse of the usual order: a report naming only Modi (dated, no
    // host) arrives first, then an undated headline of his Egypt stop, then
    // the dated reports of his US visit.
    let mut index = index();
    let modi = person("Narendra Modi", "Prime Minister", "IND", "visitor");
    let host = |name: &str, iso: &str| json!({"name": name, "kind": "country", "role": "host", "country": iso});
    index.add(dated(
        visit_with(
            "hostless",
            "https://a.com/h",
            "2023-06-20T02:00:00Z",
            json!([modi]),
            json!(null),
            "state_visit_announced",
        ),
        "2023-06-22",
        "2023-06-22",
    ));
    index.add(visit_with(
        "egypt",
        "https://b.com/e",
        "2023-06-18T12:00:00Z",
        json!([modi, host("Egypt", "EGY")]),
        json!(null),
        "state_visit_announced",
    ));
    index.add(dated(
        visit_with(
            "usa",
            "https://c.com/u",
            "2023-05-11T04:00:00Z",
            json!([modi, host("United States", "USA")]),
            json!({"name": "United States", "country": "USA"}),
            "state_visit_announced",
        ),
        "2023-06-22",
        "2023-06-22",
    ));
    assert_ne!(index.cluster_of("egypt"), index.cluster_of("usa"));
    assert_eq!(index.cluster_of("hostless"), index.cluster_of("usa"));
    assert_eq!(index.len(), 2, "{:#?}", index.clusters());
}

#[test]
fn reports_dated_by_different_days_of_a_state_visit_are_one_visit() {
    let mut index = index();
    let xi = person("Xi Jinping", "President", "CHN", "visitor");
    let france = json!({"name": "France", "kind": "country", "role": "host", "country": "FRA"});
    // Arrival on Sunday; the Pyrenees leg on Tuesday; talks on Monday.
    for (id, day, place) in [
        ("arrival", "2024-05-05", "Paris"),
        ("pyrenees", "2024-05-07", "Tarbes"),
        ("monday", "2024-05-06", "Paris"),
    ] {
        index.add(dated(
            visit_with(
                id,
                &format!("https://{id}.com/x"),
                "2024-05-04T10:00:00Z",
                json!([xi, france]),
                json!({"name": place, "country": "FRA"}),
                "state_visit_announced",
            ),
            day,
            day,
        ));
    }
    assert_eq!(index.len(), 1, "{:#?}", index.clusters());
    // His stop in Serbia two days later stays apart (another host).
    index.add(dated(
        visit_with(
            "serbia",
            "https://s.com/x",
            "2024-05-06T10:00:00Z",
            json!([xi, {"name": "Serbia", "kind": "country", "role": "host", "country": "SRB"}]),
            json!({"name": "Belgrade", "country": "SRB"}),
            "state_visit_announced",
        ),
        "2024-05-08",
        "2024-05-08",
    ));
    assert_eq!(index.len(), 2);
}

#[test]
fn talks_placed_at_a_venue_the_gazetteer_does_not_know_join_the_same_talks() {
    let mut index = index();
    let biden = person("Joe Biden", "President", "USA", "participant");
    let xi = person("Xi Jinping", "President", "CHN", "participant");
    for (id, place) in [
        ("city", json!({"name": "San Francisco", "country": "USA"})),
        ("estate", json!({"name": "Filoli estate", "country": null})),
        ("suburb", json!({"name": "Woodside", "country": null})),
    ] {
        index.add(talks_with(
            id,
            &format!("https://{id}.com/x"),
            "2023-11-16T06:00:00Z",
            json!([biden, xi]),
            place,
            Some("2023-11-15"),
        ));
    }
    assert_eq!(index.len(), 1, "{:#?}", index.clusters());
}

#[test]
fn reports_are_ordered_by_instant_across_time_zones() {
    // Announced in Tokyo's morning (18:00 UTC the day before), cancelled two
    // hours later by a UTC outlet: as text, the cancellation sorts first.
    let mut index = index();
    let biden = ("Joe Biden", "President", "USA");
    index.add(visit(
        "announced",
        "https://a.co.jp/a",
        "2024-05-02T03:00:00+09:00",
        biden,
        "PNG",
        Some(("2024-05-22", "2024-05-22")),
    ));
    let mut cancelled = visit(
        "cancelled",
        "https://b.com/c",
        "2024-05-01T20:00:00+00:00",
        biden,
        "PNG",
        None,
    );
    cancelled.event_type = "visit_cancelled".into();
    index.add(cancelled);
    assert_eq!(index.len(), 1);
    let cluster = index.clusters()[0];
    assert_eq!(cluster.status, ClusterStatus::Cancelled);
    assert_eq!(
        cluster.first_seen.as_deref(),
        Some("2024-05-02T03:00:00+09:00")
    );
    assert_eq!(cluster.members[0].event_id, "announced");
}

/// Talks as the extractor publishes them, with the words that gave the date.
fn talks_told(
    id: &str,
    url: &str,
    published: &str,
    day: &str,
    date_text: Option<&str>,
) -> EventView {
    let mut event = talks(
        id,
        url,
        published,
        ("Donald Trump", "President", "USA"),
        ("Kim Jong Un", "leader", "PRK"),
        "Singapore",
        Some(day),
    );
    event.args.location = Some(input::LocationView {
        name: "Singapore".into(),
        country: Some("SGP".into()),
    });
    event.args.date_text = date_text.map(str::to_string);
    event
}

#[test]
fn talks_dated_only_by_their_reports_publication_day_join_the_talks_of_the_week_before() {
    let mut index = index();
    index.add(talks_told(
        "e1",
        "https://www.courier.example/summit",
        "2018-06-12T09:45:00-04:00",
        "2018-06-12",
        Some("on Tuesday"),
    ));
    // "A week ago, Trump and Kim met in Singapore": no date in words, so the
    // extractor dates it the day the review was published.
    let changed = added(
        &mut index,
        talks_told(
            "e2",
            "https://www.review.example/one-week-on",
            "2018-06-19T07:00:00-04:00",
            "2018-06-19",
            None,
        ),
    );
    assert_eq!(index.len(), 1);
    assert_eq!(changed[0].members.len(), 2);
    // The date told in words wins over the publication day.
    assert_eq!(
        changed[0].start_date.map(|d| d.to_string()).as_deref(),
        Some("2018-06-12")
    );
    assert_eq!(changed[0].date_text.as_deref(), Some("on Tuesday"));
    // The same leaders meeting again, a day told in words a week later, are
    // another event.
    index.add(talks_told(
        "e3",
        "https://www.gazette.example/second-meeting",
        "2018-06-19T18:00:00-04:00",
        "2018-06-19",
        Some("on Tuesday"),
    ));
    assert_eq!(index.len(), 2);
}

// --- Partitioned stage: fan-out and hand-over -------------------------------

/// A partition count under which China's and France's reports go to
/// different partitions, each its own worker.
fn partitions_splitting(a: &str, b: &str) -> i32 {
    (2..32)
        .find(|&n| shard::partition_of(a, n) != shard::partition_of(b, n))
        .expect("some count separates two keys")
}

fn sharded(partitions: i32) -> shard::ShardedRun {
    let config = Config::default();
    shard::ShardedRun::new(
        &config.cluster,
        std::sync::Arc::new(Knowledge::load(&config).unwrap()),
        partitions,
        partitions as usize,
    )
}

/// The reports of the Xi-Macron talks: both sides, and each side alone
/// (the only-France report is what one route key split off).
fn xi_macron_talks() -> Vec<EventView> {
    let xi = person("Xi Jinping", "President", "CHN", "participant");
    let macron = person("Emmanuel Macron", "President", "FRA", "participant");
    vec![
        talks_with(
            "both",
            "https://a.com/a",
            "2024-05-06",
            json!([macron, xi]),
            json!({"name": "Paris", "country": "FRA"}),
            Some("2024-05-06"),
        ),
        talks_with(
            "macron-only",
            "https://b.com/b",
            "2024-05-06",
            json!([macron]),
            json!({"name": "Paris", "country": "FRA"}),
            None,
        ),
        talks_with(
            "xi-only",
            "https://c.com/c",
            "2024-05-07",
            json!([xi]),
            json!(null),
            None,
        ),
        talks_with(
            "both-later",
            "https://d.com/d",
            "2024-05-07",
            json!([xi, macron]),
            json!(null),
            Some("2024-05-06"),
        ),
    ]
}

fn members_of(record: &ClusterRecord) -> BTreeSet<String> {
    record.members.iter().map(|m| m.event_id.clone()).collect()
}

#[test]
fn reports_naming_either_side_end_in_one_row_whatever_the_partitions_and_order() {
    let partitions = partitions_splitting("CHN", "FRA");
    let reports = xi_macron_talks();
    let all: BTreeSet<String> = reports.iter().map(|r| r.id.clone()).collect();
    // Every arrival order of the four reports.
    let orders = [
        [0, 1, 2, 3],
        [1, 0, 2, 3],
        [1, 2, 0, 3],
        [2, 1, 3, 0],
        [3, 2, 1, 0],
        [1, 2, 3, 0],
    ];
    for order in orders {
        let mut run = sharded(partitions);
        for n in order {
            run.send(reports[n].clone());
            run.step();
        }
        run.settle();
        let rows = run.clusters();
        assert_eq!(rows.len(), 1, "order {order:?}: {rows:#?}");
        assert_eq!(members_of(rows[0]), all, "order {order:?}");
        assert!(run.forwards > 0, "order {order:?}: nothing was handed over");
        // Every other id published is a tombstone that leads to the row.
        for record in run.topic.values().filter(|r| r.merged_into.is_some()) {
            let mut id = record.id.clone();
            while let Some(next) = run.topic.get(&id).and_then(|r| r.merged_into.clone()) {
                id = next;
            }
            assert_eq!(
                id, rows[0].id,
                "order {order:?}: {} leads elsewhere",
                record.id
            );
        }
    }
}

#[test]
fn the_partitioned_stage_gives_the_rows_of_one_index() {
    let partitions = partitions_splitting("CHN", "FRA");
    let mut reports = xi_macron_talks();
    // A near miss of each kind beside it: the same leaders a year later
    // and a return visit.
    let xi = person("Xi Jinping", "President", "CHN", "participant");
    let macron = person("Emmanuel Macron", "President", "FRA", "participant");
    reports.push(talks_with(
        "year-later",
        "https://e.com/e",
        "2025-05-06",
        json!([xi, macron]),
        json!({"name": "Beijing", "country": "CHN"}),
        Some("2025-05-06"),
    ));
    let mut one = index();
    let mut run = sharded(partitions);
    for report in &reports {
        one.add(report.clone());
        run.send(report.clone());
    }
    run.settle();
    let expected: BTreeSet<BTreeSet<String>> = one.clusters().into_iter().map(members_of).collect();
    let found: BTreeSet<BTreeSet<String>> = run.clusters().into_iter().map(members_of).collect();
    assert_eq!(found, expected);
    assert_eq!(found.len(), 2);
}

#[test]
fn a_restart_of_every_shard_rebuilds_the_same_rows_with_the_same_ids() {
    let partitions = partitions_splitting("CHN", "FRA");
    let config = Config::default();
    let reports = xi_macron_talks();
    let mut run = sharded(partitions);
    // Half in, crash (queued hand-overs lost), then everything replayed.
    for report in &reports[..2] {
        run.send(report.clone());
    }
    run.step();
    run.restart(&config.cluster);
    for report in &reports {
        run.send(report.clone());
    }
    run.settle();
    let before = run.topic.clone();
    let rows: Vec<&ClusterRecord> = run.clusters();
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0].members.len(), reports.len());
    // A second crash and a full replay change no record.
    run.restart(&config.cluster);
    for report in &reports {
        run.send(report.clone());
    }
    run.settle();
    assert_eq!(run.topic, before);
}

// --- Records under the broker's message size --------------------------------

/// One event told by `count` outlets: a cluster whose record outgrows 1 MB.
fn big_story(count: usize) -> ClusterRecord {
    let xi = person("Xi Jinping", "President", "CHN", "participant");
    let macron = person("Emmanuel Macron", "President", "FRA", "participant");
    let mut index = index();
    for n in 0..count {
        index.add(talks_with(
            &format!("report-{n:05}"),
            &format!("https://outlet{n}.example/world/xi-macron-talks-in-paris"),
            &format!(
                "2024-05-{:02}T{:02}:{:02}:00Z",
                6 + n % 2,
                n / 60 % 24,
                n % 60
            ),
            json!([xi, macron]),
            json!({"name": "Paris", "country": "FRA"}),
            Some("2024-05-06"),
        ));
    }
    assert_eq!(index.len(), 1);
    index.clusters()[0].clone()
}

#[test]
fn a_cluster_of_thousands_of_reports_goes_out_in_pages_under_the_limit_and_reads_back_whole() {
    let record = big_story(4000);
    let whole = crate::publish::to_tagged_json("cluster", &record).unwrap();
    assert!(
        whole.len() > 1_000_000,
        "the story is {} bytes",
        whole.len()
    );
    let limit = Config::default().cluster.max_record_bytes;
    let paged = paging::page_record(&record, limit).unwrap();
    assert!(paged.pages.len() >= 2, "{} pages", paged.pages.len());
    assert!(paged.record.len() <= limit);
    for (page, payload) in &paged.pages {
        assert!(
            payload.len() <= limit,
            "page {} is {} bytes",
            page.page,
            payload.len()
        );
    }
    let head: ClusterRecord = serde_json::from_slice(&paged.record).unwrap();
    assert_eq!(head.id, record.id);
    assert_eq!(head.members.len(), 1);
    assert_eq!(cluster_id(&head.members[0].event_id), record.id);
    assert_eq!(head.members_total, Some(4000));
    assert_eq!(head.member_pages, Some(paged.pages.len()));
    // Read back as the rebuild reads the topic, in any order of keys.
    let mut state = paging::TopicState::default();
    for (_, payload) in paged.pages.iter().rev() {
        state.take(payload).unwrap();
    }
    state.take(&paged.record).unwrap();
    let (records, missing) = state.into_records();
    assert!(missing.is_empty());
    assert_eq!(records, vec![record.clone()]);
    // And a fresh index takes it back: a replayed report changes nothing.
    let mut restored = index();
    restored.restore_all(records);
    assert_eq!(restored.clusters(), vec![&record]);
}

#[test]
fn pages_of_the_next_state_written_before_a_crash_are_read_with_the_older_record() {
    let limit = 64 * 1024;
    let before = big_story(300);
    let after = big_story(400);
    let old = paging::page_record(&before, limit).unwrap();
    let new = paging::page_record(&after, limit).unwrap();
    assert!(new.pages.len() > old.pages.len());
    let mut state = paging::TopicState::default();
    for (_, payload) in old.pages.iter().chain(&new.pages) {
        state.take(payload).unwrap();
    }
    // The crash came before the new record: the old one counts fewer pages.
    state.take(&old.record).unwrap();
    let (records, missing) = state.into_records();
    assert!(missing.is_empty());
    assert_eq!(records[0].members.len(), 400);
}

#[test]
fn a_missing_member_page_is_reported_and_the_rest_kept() {
    let paged = paging::page_record(&big_story(300), 64 * 1024).unwrap();
    let mut state = paging::TopicState::default();
    for (_, payload) in paged.pages.iter().skip(1) {
        state.take(payload).unwrap();
    }
    state.take(&paged.record).unwrap();
    let (records, missing) = state.into_records();
    assert_eq!(missing, vec![paging::page_key(&records[0].id, 0)]);
    assert!(!records[0].members.is_empty() && records[0].members.len() < 300);
}

#[test]
fn a_report_too_large_for_any_record_is_an_error_not_a_broken_record() {
    let mut record = big_story(3);
    let many: Vec<ActorView> = (0..200)
        .map(|n| ActorView {
            name: format!("Delegate number {n} of a very long list of delegates"),
            role: "participant".into(),
            kind: "person".into(),
            title: Some("Deputy minister".into()),
            country: Some("FRA".into()),
            wikidata: None,
            office: None,
        })
        .collect();
    record.members[1].args.actors = many;
    let error = paging::page_record(&record, 8192).unwrap_err();
    assert!(matches!(error, ClusterError::TooLarge(_)), "{error}");
    assert!(
        error.to_string().contains(&record.members[1].event_id),
        "{error}"
    );
    let error = paging::split_for_forward(&record, 8192).unwrap_err();
    assert!(matches!(error, ClusterError::TooLarge(_)), "{error}");
}

#[test]
fn a_large_hand_over_goes_in_parts_each_with_the_member_that_names_the_cluster() {
    let record = big_story(600);
    let limit = 64 * 1024;
    let parts = paging::split_for_forward(&record, limit).unwrap();
    assert!(parts.len() >= 2);
    let mut all = BTreeSet::new();
    for part in &parts {
        let json = crate::publish::to_tagged_json("cluster", part).unwrap();
        assert!(json.len() <= limit, "{} bytes", json.len());
        assert!(part
            .members
            .iter()
            .any(|m| cluster_id(&m.event_id) == record.id));
        all.extend(part.members.iter().map(|m| m.event_id.clone()));
    }
    assert_eq!(all, members_of(&record));
    // The owner, given the parts, holds the whole cluster under its id.
    let mut owner = sharded(1);
    for part in parts {
        let outputs = owner.hand_over(part);
        assert!(outputs
            .iter()
            .all(|o| matches!(o, shard::ShardOutput::Publish(_))));
    }
    let rows = owner.clusters();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].id, record.id);
    assert_eq!(members_of(rows[0]), members_of(&record));
}

#[test]
fn the_pager_sends_again_only_the_pages_that_changed() {
    let limit = 64 * 1024;
    let before = big_story(300);
    let after = big_story(301);
    let mut pager = paging::Pager::default();
    let first = pager.page(&before, limit).unwrap();
    assert!(first.pages.len() >= 2);
    // The same state again: no page to send, the record still goes out.
    let again = pager.page(&before, limit).unwrap();
    assert!(again.pages.is_empty());
    assert_eq!(again.record, first.record);
    // One member more: what the topic then holds reads back as the new state.
    let second = pager.page(&after, limit).unwrap();
    assert!(second.pages.len() < first.pages.len() + 1);
    let mut state = paging::TopicState::default();
    for (_, payload) in first.pages.iter().chain(&second.pages) {
        state.take(payload).unwrap();
    }
    state.take(&second.record).unwrap();
    let (records, missing) = state.into_records();
    assert!(missing.is_empty());
    assert_eq!(records, vec![after.clone()]);
    // The cached layout is the JSON serde gives.
    let fresh = paging::page_record(&after, limit).unwrap();
    for (page, payload) in &fresh.pages {
        let parsed: paging::MemberPage = serde_json::from_slice(payload).unwrap();
        assert_eq!(&parsed, page);
    }
}

#[test]
fn a_cluster_of_more_members_than_embedded_goes_out_in_pages_of_that_many() {
    let record = big_story(250);
    let max_members = Config::default().cluster.max_embedded_members;
    assert!(record.members.len() > max_members);
    let paged = paging::Pager::new(max_members)
        .page(&record, Config::default().cluster.max_record_bytes)
        .unwrap();
    let head: ClusterRecord = serde_json::from_slice(&paged.record).unwrap();
    assert_eq!(head.members.len(), 1);
    assert_eq!(head.member_pages, Some(paged.pages.len()));
    assert!(paged
        .pages
        .iter()
        .all(|(p, _)| p.members.len() <= max_members));
    let total: usize = paged.pages.iter().map(|(p, _)| p.members.len()).sum();
    assert_eq!(total, 250);
    // A small cluster stays whole.
    let small = big_story(5);
    let paged = paging::Pager::new(max_members)
        .page(&small, 900_000)
        .unwrap();
    assert!(paged.pages.is_empty());
    assert_eq!(
        serde_json::from_slice::<ClusterRecord>(&paged.record).unwrap(),
        small
    );
}

#[test]
fn many_events_told_partly_give_the_same_rows_partitioned_as_in_one_index() {
    let pairs = [
        ("CHN", "FRA"),
        ("DEU", "USA"),
        ("IND", "JPN"),
        ("BRA", "ZAF"),
        ("EGY", "GRC"),
        ("KEN", "TZA"),
    ];
    let country = |code: &str| json!({"name": code, "kind": "country", "role": "participant", "country": code});
    let mut reports = Vec::new();
    for (n, (a, b)) in pairs.iter().enumerate() {
        for round in 0..3 {
            let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 10).unwrap()
                + chrono::Duration::days(40 * round + n as i64);
            let sides = [
                json!([country(a), country(b)]),
                json!([country(a)]),
                json!([country(b)]),
                json!([country(b), country(a)]),
            ];
            for (k, actors) in sides.into_iter().enumerate() {
                reports.push(talks_with(
                    &format!("{a}{b}-{round}-{k}"),
                    &format!("https://outlet{k}.example/{a}{b}/{round}"),
                    &format!("{day}T1{k}:00:00Z"),
                    actors,
                    json!(null),
                    Some(&day.to_string()),
                ));
            }
        }
    }
    // A fixed shuffle: one-sided reports often come first.
    let mut order: Vec<usize> = (0..reports.len()).collect();
    order.sort_by_key(|i| (i * 7919) % reports.len());
    let rows = |found: Vec<&ClusterRecord>| -> BTreeSet<BTreeSet<String>> {
        found.into_iter().map(members_of).collect()
    };
    let mut one = index();
    for &i in &order {
        one.add(reports[i].clone());
    }
    let expected = rows(one.clusters());
    assert_eq!(expected.len(), pairs.len() * 3, "one row per real event");
    for (partitions, workers) in [(4, 2), (6, 6), (3, 1)] {
        let config = Config::default();
        let mut run = shard::ShardedRun::new(
            &config.cluster,
            std::sync::Arc::new(Knowledge::load(&config).unwrap()),
            partitions,
            workers,
        );
        for &i in &order {
            run.send(reports[i].clone());
            run.step();
        }
        run.settle();
        assert_eq!(
            rows(run.clusters()),
            expected,
            "{partitions} partitions, {workers} workers"
        );
    }
}

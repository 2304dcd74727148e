//! Event extraction quality floors.
//!
//! - The 39 development fixtures (tests/fixtures/events, written for this
//!   project and tuned on) stay as regression tests.
//! - The CI floor that matters is on the held-out *test* part of the
//!   real-news corpus (tests/corpus/events/test, split from the tune part by
//!   outlet). Its floors sit a little under what the code measured when they
//!   were set (see BENCHMARKS.md, "Event extraction"); raise them as the
//!   rules improve, never lower them to pass.
//!
//! The same reports: `cargo run --release --example events_eval -- [DIR]`.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use attache::config::Config;
use attache::events::eval::{evaluate_dir, fmt, load_items, Report};
use attache::events::EventExtractor;

const FIXTURES: &str = "tests/fixtures/events";
const CORPUS: &str = "tests/corpus/events";

/// Development fixtures: measured 2026-12-07 with one-to-one argument
/// matching and roles scored, P 1.000, R 1.000, F1 1.000, argument
/// accuracy 0.984 (BENCHMARKS.md).
const FIXTURE_FLOORS: Floors = Floors {
    precision: Some(0.95),
    recall: Some(0.90),
    f1: 0.92,
    argument_accuracy: 0.90,
};

/// Held-out real-news test part (287 items, 180 gold events since round 3;
/// 307 items, 192 events since round 7 added a Korean dailies source).
/// Round 2 measured F1 0.286 and argument accuracy 0.695 on its 171 items;
/// round 3 (broader meeting patterns, headline, definite descriptions,
/// visits announced through a host at home) F1 0.603 (P 0.736, R 0.511) and
/// argument accuracy 0.786 on all 287; round 4 F1 0.610 and argument
/// accuracy 0.823; round 5 F1 0.652 and argument accuracy 0.815, with 25
/// more events matched; round 7, with the new source, F1 0.637 and argument
/// accuracy 0.834 (BENCHMARKS.md). The floors sit a margin under that.
/// Raise with the rules, never lower.
const CORPUS_TEST_FLOORS: Floors = Floors {
    precision: None,
    recall: None,
    f1: 0.61,
    argument_accuracy: 0.78,
};

/// Test part of the spec-style set written blind to the rules
/// (tests/corpus/spec, batches 5-8, 11-12 and 16). Round 5 measured F1
/// 0.713 and argument accuracy 0.870 on batches 5-8; round 6, with batches
/// 11-12 added, 0.699 and 0.842; round 7, with batch 16, 0.798 and 0.858
/// (BENCHMARKS.md).
const SPEC_TEST_FLOORS: Floors = Floors {
    precision: None,
    recall: None,
    f1: 0.75,
    argument_accuracy: 0.83,
};

/// F1 and argument accuracy always have a floor; precision and recall
/// only where given.
struct Floors {
    precision: Option<f64>,
    recall: Option<f64>,
    f1: f64,
    argument_accuracy: f64,
}

fn evaluate(dir: &str) -> Report {
    let config = Config::default();
    let extractor = EventExtractor::load(&config.events).unwrap();
    evaluate_dir(Path::new(dir), &config, &extractor).unwrap()
}

/// An undefined ratio (nothing predicted, nothing labelled) fails a floor.
fn assert_floors(report: &Report, floors: &Floors) {
    let checks = [
        ("precision", report.precision(), floors.precision),
        ("recall", report.recall(), floors.recall),
        ("F1", report.f1(), Some(floors.f1)),
        (
            "argument accuracy",
            report.argument_accuracy(),
            Some(floors.argument_accuracy),
        ),
    ];
    for (name, value, floor) in checks {
        let Some(floor) = floor else { continue };
        assert!(
            value.is_some_and(|v| v >= floor),
            "{name} {} is under the floor {floor:.3}",
            fmt(value)
        );
    }
}

#[test]
fn development_fixtures_meet_the_floors() {
    let report = evaluate(FIXTURES);
    println!("{}", report.render(true, true));
    assert!(
        report.items.len() >= 39,
        "only {} fixtures",
        report.items.len()
    );
    assert_floors(&report, &FIXTURE_FLOORS);
}

#[test]
fn fixture_hard_negatives_yield_nothing() {
    let report = evaluate(FIXTURES);
    let noisy: Vec<String> = report
        .hard_negatives()
        .filter(|f| f.totals.predicted > 0)
        .map(|f| format!("{}: {:?}", f.name, f.notes))
        .collect();
    assert!(report.hard_negatives().count() >= 5);
    assert!(noisy.is_empty(), "{noisy:#?}");
}

#[test]
fn corpus_test_part_meets_the_floors() {
    let report = evaluate(&format!("{CORPUS}/test"));
    // the score only: the test part's failures must not guide the rules
    println!("{}", report.render(false, false));
    assert_floors(&report, &CORPUS_TEST_FLOORS);
}

#[test]
fn spec_set_test_part_meets_the_floors() {
    let report = evaluate("tests/corpus/spec/test");
    // the score only, as for the real-news test part
    println!("{}", report.render(false, false));
    assert_floors(&report, &SPEC_TEST_FLOORS);
}

/// Provenance and split rules of tests/corpus/events (README there).
#[test]
fn corpus_items_record_their_provenance_and_parts_share_no_outlet() {
    let mut outlets_by_part: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut sources_by_part: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for part in ["tune", "test"] {
        let dir = format!("{CORPUS}/{part}");
        let items = load_items(Path::new(&dir)).unwrap();
        assert!(items.len() >= 20, "{part}: only {} items", items.len());
        for item in &items {
            let raw: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(format!("{dir}/{}.json", item.name)).unwrap(),
            )
            .unwrap();
            for key in ["description", "outlet", "source", "licence"] {
                assert!(
                    raw[key].as_str().is_some_and(|v| !v.trim().is_empty()),
                    "{part}/{}: `{key}` missing",
                    item.name
                );
            }
            assert!(
                raw.get("published").is_some(),
                "{part}/{}: `published` missing (use null when unknown)",
                item.name
            );
            let source = item.name.split('/').next().unwrap().to_string();
            sources_by_part.entry(part).or_default().insert(source);
            outlets_by_part
                .entry(part)
                .or_default()
                .insert(item.label.outlet.clone().unwrap());
        }
    }
    let shared_outlets: Vec<_> = outlets_by_part["tune"]
        .intersection(&outlets_by_part["test"])
        .collect();
    assert!(
        shared_outlets.is_empty(),
        "in both parts: {shared_outlets:?}"
    );
    let shared_sources: Vec<_> = sources_by_part["tune"]
        .intersection(&sources_by_part["test"])
        .collect();
    assert!(
        shared_sources.is_empty(),
        "in both parts: {shared_sources:?}"
    );
    let listed = std::fs::read_to_string(format!("{CORPUS}/SOURCES.md")).unwrap();
    for source in sources_by_part.values().flatten() {
        assert!(
            listed.contains(&format!("`{source}`")),
            "source `{source}` is not listed in SOURCES.md"
        );
    }
}

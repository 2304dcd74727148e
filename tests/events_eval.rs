//! Evaluation on the labelled development set (tests/fixtures/events):
//! prints the per-fixture table and asserts quality floors.
//! The same report: `cargo run --release --example events_eval -- --verbose`.
use std::path::Path;

use attache::config::Config;
use attache::events::eval::evaluate_dir;
use attache::events::EventExtractor;

/// Floors a little under the measured figures (see BENCHMARKS.md).
/// Measured 2026-11-29 with the baseline article extractor: P 1.000,
/// R 1.000, F1 1.000, argument accuracy 0.968.
const MIN_PRECISION: f64 = 0.95;
const MIN_RECALL: f64 = 0.90;
const MIN_F1: f64 = 0.92;
const MIN_ARGUMENT_ACCURACY: f64 = 0.90;

#[test]
fn development_set_meets_the_floors() {
    let config = Config::default();
    let extractor = EventExtractor::load(&config.events).unwrap();
    let report = evaluate_dir(Path::new("tests/fixtures/events"), &config, &extractor).unwrap();
    println!("{}", report.render(true));
    assert!(
        report.fixtures.len() >= 30,
        "only {} fixtures",
        report.fixtures.len()
    );
    assert!(
        report.precision() >= MIN_PRECISION,
        "precision {:.3}",
        report.precision()
    );
    assert!(
        report.recall() >= MIN_RECALL,
        "recall {:.3}",
        report.recall()
    );
    assert!(report.f1() >= MIN_F1, "F1 {:.3}", report.f1());
    assert!(
        report.argument_accuracy() >= MIN_ARGUMENT_ACCURACY,
        "argument accuracy {:.3}",
        report.argument_accuracy()
    );
}

#[test]
fn hard_negatives_yield_nothing() {
    let config = Config::default();
    let extractor = EventExtractor::load(&config.events).unwrap();
    let report = evaluate_dir(Path::new("tests/fixtures/events"), &config, &extractor).unwrap();
    let noisy: Vec<String> = report
        .fixtures
        .iter()
        .filter(|f| f.gold == 0 && f.predicted > 0)
        .map(|f| format!("{}: {:?}", f.name, f.notes))
        .collect();
    let negatives = report.fixtures.iter().filter(|f| f.gold == 0).count();
    assert!(negatives >= 5, "only {negatives} hard negatives");
    assert!(noisy.is_empty(), "{noisy:#?}");
}

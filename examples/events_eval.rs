//! Event extraction report over a labelled directory: the development
//! fixtures (default) or a part of the real-news corpus.
//!
//! `cargo run --release --example events_eval [-- DIR] [--items] [--verbose]`
//!
//! e.g. `-- tests/corpus/events/tune --verbose` to study the tune part's
//! misses. On `tests/corpus/events/test` look at the score only: its
//! failures must not guide the rules (GUIDE.md), so `--items`/`--verbose`
//! are refused there unless `--show-test-failures` is given too.
use std::path::PathBuf;

use anyhow::bail;
use attache::config::Config;
use attache::events::eval::evaluate_dir;
use attache::events::EventExtractor;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |names: &[&str]| args.iter().any(|a| names.contains(&a.as_str()));
    let verbose = flag(&["--verbose", "-v"]);
    let items = flag(&["--items"]);
    let dir = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("tests/fixtures/events"));
    let is_test_part = dir.components().any(|c| c.as_os_str() == "test");
    if is_test_part && (verbose || items) && !flag(&["--show-test-failures"]) {
        bail!(
            "{} is a held-out test part: report its score only (drop --items/--verbose), \
             or pass --show-test-failures when not tuning rules",
            dir.display()
        );
    }
    let config = Config::default();
    let extractor = EventExtractor::load(&config.events)?;
    let report = evaluate_dir(&dir, &config, &extractor)?;
    print!("{}", report.render(items, verbose));
    Ok(())
}

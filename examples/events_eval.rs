//! Event extraction report over the labelled fixtures:
//! `cargo run --release --example events_eval [-- DIR] [--verbose]`
use std::path::PathBuf;

use attache::config::Config;
use attache::events::eval::evaluate_dir;
use attache::events::EventExtractor;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose" || a == "-v");
    let dir = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("tests/fixtures/events"));
    let config = Config::default();
    let extractor = EventExtractor::load(&config.events)?;
    let report = evaluate_dir(&dir, &config, &extractor)?;
    print!("{}", report.render(verbose));
    Ok(())
}

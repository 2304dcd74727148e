//! Clustering report over the labelled page set:
//! `cargo run --release --example cluster_eval [-- DIR] [--verbose] [--no-merge]`
//!
//! `--no-merge` turns off `cluster.merge_bridged` (the ablation row of
//! BENCHMARKS.md).
//!
//! Every page goes through extraction, event rules and clustering as in
//! `attache run` + `attache cluster`; the clustering is also scored alone on
//! the gold events (see `attache::cluster::corpus`).
//!
//! `--real tune|test` scores instead the set derived from the real-news
//! event corpus (`tests/corpus/events/<part>`, see
//! `attache::cluster::realset`). `--verbose` lists the derived clusters and
//! every event's clusters; it is refused on the held-out test part.
use std::path::PathBuf;

use anyhow::bail;
use attache::cluster::corpus::evaluate_corpus;
use attache::cluster::realset::evaluate_part;
use attache::config::Config;
use attache::events::EventExtractor;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose" || a == "-v");
    let real_part = args
        .iter()
        .position(|a| a == "--real")
        .map(|n| args.get(n + 1).cloned().unwrap_or_default());
    let mut config = Config::default();
    if args.iter().any(|a| a == "--no-merge") {
        config.cluster.merge_bridged = false;
    }
    let extractor = EventExtractor::load(&config.events)?;
    if let Some(part) = real_part {
        if !matches!(part.as_str(), "tune" | "test") {
            bail!("--real takes `tune` or `test`");
        }
        if part == "test" && verbose {
            bail!("the test part is held out: totals only (no --verbose)");
        }
        let dir = PathBuf::from("tests/corpus/events").join(&part);
        let report = evaluate_part(&dir, &config, &extractor)?;
        print!("{}", report.render(verbose));
        return Ok(());
    }
    let dir = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("tests/corpus/cluster"));
    let report = evaluate_corpus(&dir, &config, &extractor)?;
    print!("{}", report.render(verbose));
    Ok(())
}

//! Clustering report over the labelled page set:
//! `cargo run --release --example cluster_eval [-- DIR] [--verbose] [--no-merge]`
//!
//! `--no-merge` turns off `cluster.merge_bridged` (the ablation row of
//! BENCHMARKS.md).
//!
//! Every page goes through extraction, event rules and clustering as in
//! `attache run` + `attache cluster`; the clustering is also scored alone on
//! the gold events (see `attache::cluster::corpus`).
use std::path::PathBuf;

use attache::cluster::corpus::evaluate_corpus;
use attache::config::Config;
use attache::events::EventExtractor;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose" || a == "-v");
    let dir = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("tests/corpus/cluster"));
    let mut config = Config::default();
    if args.iter().any(|a| a == "--no-merge") {
        config.cluster.merge_bridged = false;
    }
    let extractor = EventExtractor::load(&config.events)?;
    let report = evaluate_corpus(&dir, &config, &extractor)?;
    print!("{}", report.render(verbose));
    Ok(())
}

//! Why did the events stage say nothing about a story? Runs the extractor on
//! one corpus item (`.txt` or `.html` with its `.json` label next to it) and
//! logs, for every trigger sentence, the phase that dropped it.
//!
//! `cargo run --release --example events_explain -- tests/corpus/events/tune/SOURCE/ITEM`
//!
//! Meant for fixtures and the tune part only: the test part's failures must
//! not guide the rules (GUIDE.md).
use std::path::PathBuf;

use anyhow::{bail, Context};
use attache::config::Config;
use attache::events::eval::article_from_text;
use attache::events::EventExtractor;
use attache::extract::PageInfo;
use attache::pipeline::analyze_html;

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "attache::events=debug".into()),
        )
        .with_writer(std::io::stderr)
        .without_time()
        .init();
    let Some(stem) = std::env::args().nth(1).map(PathBuf::from) else {
        bail!("usage: events_explain PATH/TO/ITEM (without extension)");
    };
    if stem.components().any(|c| c.as_os_str() == "test") {
        bail!(
            "{} is in a held-out test part: explain tune items only",
            stem.display()
        );
    }
    let label: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(stem.with_extension("json")).context("reading the label")?,
    )?;
    let published = label["published"].as_str();
    let url = label["url"].as_str().unwrap_or_default();
    let config = Config::default();
    let extractor = EventExtractor::load(&config.events)?;
    let events = if stem.with_extension("html").exists() {
        let bytes = std::fs::read(stem.with_extension("html"))?;
        let (html, _) = attache::fetch::decode_body(&bytes, None);
        let page = PageInfo {
            source_url: url,
            fetched_url: url,
            published_hint: None,
        };
        analyze_html(&html, &page, &config, &extractor)?.events
    } else {
        let text = std::fs::read_to_string(stem.with_extension("txt"))?;
        let article = article_from_text(&text, url, published);
        extractor.extract(&article, published)
    };
    for event in &events {
        println!("{}", serde_json::to_string(event)?);
    }
    println!("gold: {}", label["events"]);
    Ok(())
}

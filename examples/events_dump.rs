//! Prints the events of one HTML file as JSON lines:
//! `cargo run --example events_dump -- PAGE.html [URL]`
use attache::config::Config;
use attache::events::EventExtractor;
use attache::extract::PageInfo;
use attache::pipeline::analyze_html;

fn main() -> anyhow::Result<()> {
    // RUST_LOG=attache=trace shows every candidate sentence
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: events_dump PAGE.html [URL]"))?;
    let url = args.next().unwrap_or_else(|| path.clone());
    let html = std::fs::read_to_string(&path)?;
    let config = Config::default();
    let extractor = EventExtractor::load(&config.events)?;
    let page = PageInfo {
        source_url: &url,
        fetched_url: &url,
        published_hint: None,
    };
    let analysis = analyze_html(&html, &page, &config, &extractor)?;
    for event in analysis.events {
        println!("{}", serde_json::to_string_pretty(&event)?);
    }
    Ok(())
}

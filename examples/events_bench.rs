//! Cost of event extraction relative to article extraction, per page:
//! `cargo run --release --example events_bench [-- DIR] [ROUNDS]`
//! (DIR defaults to ../shared/bench/article-extraction/html, *.html.gz).
use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use attache::config::Config;
use attache::events::EventExtractor;
use attache::extract::{extract_articles, PageInfo};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/bench/article-extraction/html"));
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.to_string_lossy().ends_with(".html.gz") {
            let mut html = String::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&path)?).read_to_string(&mut html)?;
            pages.push((path.display().to_string(), html));
        }
    }
    pages.sort();
    anyhow::ensure!(!pages.is_empty(), "no *.html.gz pages in {}", dir.display());
    let config = Config::default();
    let load_started = Instant::now();
    let extractor = EventExtractor::load(&config.events)?;
    let load_time = load_started.elapsed();

    let (mut extract_time, mut events_time) = (Duration::ZERO, Duration::ZERO);
    // rule regexes compile on first use, during the first round: the rounds
    // after it show the steady cost per page
    let (mut later_extract, mut later_events) = (Duration::ZERO, Duration::ZERO);
    let (mut articles, mut events) = (0usize, 0usize);
    for round in 0..rounds {
        for (url, html) in &pages {
            let page = PageInfo {
                source_url: url,
                fetched_url: url,
                published_hint: None,
            };
            let started = Instant::now();
            let extracted = extract_articles(html, &page, &config.extract);
            let took = started.elapsed();
            extract_time += took;
            if round > 0 {
                later_extract += took;
            }
            let Ok(extracted) = extracted else { continue };
            let page_published = extracted.iter().find_map(|a| a.published.clone());
            let started = Instant::now();
            let mut found = 0;
            for article in &extracted {
                found +=
                    std::hint::black_box(extractor.extract(article, page_published.as_deref()))
                        .len();
            }
            let took = started.elapsed();
            events_time += took;
            if round > 0 {
                later_events += took;
            }
            if round == 0 {
                articles += extracted.len();
                events += found;
            }
        }
    }
    let per_page = |d: Duration| d.as_secs_f64() * 1000.0 / (pages.len() * rounds) as f64;
    println!(
        "pages {}  rounds {rounds}  articles {articles}  events {events}",
        pages.len()
    );
    println!(
        "rule + table load: {:.1} ms (once per process)",
        load_time.as_secs_f64() * 1000.0
    );
    println!("article extraction: {:.3} ms/page", per_page(extract_time));
    println!("event extraction:   {:.3} ms/page", per_page(events_time));
    println!(
        "events / extraction: {:.1}%",
        100.0 * events_time.as_secs_f64() / extract_time.as_secs_f64()
    );
    if rounds > 1 {
        println!(
            "after round 1 (regexes compiled): events / extraction: {:.1}% ({:.3} ms/page events)",
            100.0 * later_events.as_secs_f64() / later_extract.as_secs_f64(),
            later_events.as_secs_f64() * 1000.0 / (pages.len() * (rounds - 1)) as f64
        );
    }
    Ok(())
}

//! Cost of finding leaders in article text relative to article extraction,
//! and the knowledge base's load time and memory:
//! `cargo run --release --example leaders_bench [-- DIR] [--mentions]`
//! (DIR defaults to ../shared/bench/article-extraction/html, *.html.gz).
//! Articles without a publication date are read as of 2015-06-01.
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use attache::config::Config;
use attache::events::leaders::{Leaders, Resolution};
use attache::extract::{extract_articles, PageInfo};
use chrono::NaiveDate;

fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show_mentions = args.iter().any(|a| a == "--mentions");
    let dir = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/bench/article-extraction/html"));
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

    let before = resident_kib();
    let started = Instant::now();
    let leaders = Leaders::load_dir(Path::new("config/gazetteer"))?;
    let load_time = started.elapsed();
    let loaded_kib = resident_kib().saturating_sub(before);

    let config = Config::default();
    let fallback = NaiveDate::from_ymd_opt(2015, 6, 1).expect("valid date");
    let (mut extract_time, mut find_time) = (Duration::ZERO, Duration::ZERO);
    let (mut articles, mut bytes, mut mentions) = (0usize, 0usize, 0usize);
    for (url, html) in &pages {
        let page = PageInfo {
            source_url: url,
            fetched_url: url,
            published_hint: None,
        };
        let started = Instant::now();
        let Ok(extracted) = extract_articles(html, &page, &config.extract) else {
            continue;
        };
        extract_time += started.elapsed();
        for article in &extracted {
            let as_of = article
                .published
                .as_deref()
                .and_then(|p| NaiveDate::parse_from_str(p.get(..10)?, "%Y-%m-%d").ok())
                .unwrap_or(fallback);
            let text = format!(
                "{}\n{}",
                article.title.as_deref().unwrap_or(""),
                article.text
            );
            let started = Instant::now();
            let found = std::hint::black_box(leaders.find(&text, as_of));
            find_time += started.elapsed();
            articles += 1;
            bytes += text.len();
            mentions += found.len();
            if show_mentions {
                for m in &found {
                    let what = match &m.resolution {
                        Resolution::Person(p) => format!("{} {} {:?}", p.name, p.country, p.office),
                        other => format!("{other:?}"),
                    };
                    println!("{as_of} {:?} -> {what}", &text[m.start..m.end]);
                }
            }
        }
    }
    println!(
        "persons {}  tenures {}  load {:.1} ms  resident +{} KiB",
        leaders.persons.len(),
        leaders.tenures.len(),
        load_time.as_secs_f64() * 1000.0,
        loaded_kib
    );
    println!(
        "pages {}  articles {articles}  text {} KiB  mentions {mentions}",
        pages.len(),
        bytes / 1024
    );
    let per_article = |d: Duration| d.as_secs_f64() * 1000.0 / articles.max(1) as f64;
    println!(
        "article extraction: {:.3} ms/article",
        per_article(extract_time)
    );
    println!(
        "leaders.find:       {:.3} ms/article ({:.0} ns/byte)",
        per_article(find_time),
        find_time.as_nanos() as f64 / bytes.max(1) as f64
    );
    println!(
        "find / extraction:  {:.1}%",
        100.0 * find_time.as_secs_f64() / extract_time.as_secs_f64()
    );
    Ok(())
}

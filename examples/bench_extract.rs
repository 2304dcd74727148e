//! Article-extraction benchmark: F1 (shingle metric) and single-thread throughput.
//!
//! ```text
//! cargo run --release --example bench_extract -- [--data DIR] [--score-file FILE.json]
//!     [--dump DIR] [--rounds N] [--parse-only] [--show ID_PREFIX]
//! ```
//! Without `--score-file` it runs attache's extractor on every page; with it,
//! it scores someone else's outputs (`{"<id>": "<text>", ...}`) with the same
//! metric, so both rows of scripts/bench-extract.sh are scored by one code path.
//! Only extraction is timed: pages are gunzipped and held in memory first.
use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use attache::config::ExtractConfig;
use attache::extract::eval::{score_corpus, score_page};
use attache::extract::{extract_articles, PageInfo};

struct Page {
    id: String,
    url: String,
    html: String,
    expected: String,
}

fn load(dir: &std::path::Path) -> Result<Vec<Page>> {
    let truth_path = dir.join("ground-truth.json");
    let truth: BTreeMap<String, serde_json::Value> = serde_json::from_slice(
        &std::fs::read(&truth_path).with_context(|| format!("reading {}", truth_path.display()))?,
    )?;
    let mut pages = Vec::new();
    for (id, entry) in truth {
        let path = dir.join("html").join(format!("{id}.html.gz"));
        let mut html = String::new();
        flate2::read::GzDecoder::new(
            std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?,
        )
        .read_to_string(&mut html)
        .with_context(|| format!("gunzipping {}", path.display()))?;
        pages.push(Page {
            id,
            url: entry["url"].as_str().unwrap_or_default().to_string(),
            html,
            expected: entry["articleBody"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        });
    }
    Ok(pages)
}

/// Which story of a page is scored.
#[derive(Clone, Copy)]
enum Pick {
    /// The main story (`story_index` 0).
    Main,
    /// The longest story (the rule of the independent evaluation).
    Longest,
}

/// The picked story's text, or "" when extraction failed (scored as a miss).
fn story_text(page: &Page, config: &ExtractConfig, pick: Pick) -> String {
    let info = PageInfo {
        source_url: &page.url,
        fetched_url: &page.url,
        published_hint: None,
    };
    let Ok(articles) = extract_articles(&page.html, &info, config) else {
        return String::new();
    };
    let picked = match pick {
        Pick::Main => articles.into_iter().next(),
        Pick::Longest => articles.into_iter().max_by_key(|a| a.text.len()),
    };
    picked.map(|a| a.text).unwrap_or_default()
}

fn main_text(page: &Page, config: &ExtractConfig) -> String {
    story_text(page, config, Pick::Main)
}

fn main() -> Result<()> {
    let mut data = PathBuf::from("../shared/bench/article-extraction");
    let mut score_file: Option<PathBuf> = None;
    let mut dump: Option<PathBuf> = None;
    let mut rounds = 3usize;
    let mut parse_only = false;
    let mut show: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--data" => data = args.next().context("--data needs a value")?.into(),
            "--score-file" => {
                score_file = Some(args.next().context("--score-file needs a value")?.into())
            }
            "--dump" => dump = Some(args.next().context("--dump needs a value")?.into()),
            "--rounds" => rounds = args.next().context("--rounds needs a value")?.parse()?,
            "--parse-only" => parse_only = true,
            "--show" => show = Some(args.next().context("--show needs a page id prefix")?),
            other => bail!("unknown argument {other}"),
        }
    }
    let pages = load(&data)?;
    if pages.is_empty() {
        bail!("no pages under {}", data.display());
    }
    let total_bytes: usize = pages.iter().map(|p| p.html.len()).sum();

    if let Some(file) = score_file {
        let outputs: BTreeMap<String, String> = serde_json::from_slice(
            &std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?,
        )?;
        let score = score_corpus(pages.iter().map(|p| {
            (
                p.expected.as_str(),
                outputs.get(&p.id).map(String::as_str).unwrap_or(""),
            )
        }));
        println!(
            "{{\"pages\":{},\"precision\":{:.4},\"recall\":{:.4},\"f1\":{:.4},\"accuracy\":{:.4}}}",
            score.pages, score.precision, score.recall, score.f1, score.accuracy
        );
        return Ok(());
    }

    let config = ExtractConfig::default();
    if let Some(prefix) = show {
        for page in pages.iter().filter(|p| p.id.starts_with(&prefix)) {
            let info = PageInfo {
                source_url: &page.url,
                fetched_url: &page.url,
                published_hint: None,
            };
            println!(
                "{} {}\n{:#?}",
                page.id,
                page.url,
                extract_articles(&page.html, &info, &config)
            );
        }
        return Ok(());
    }
    if parse_only {
        let started = Instant::now();
        let mut nodes = 0usize;
        for page in &pages {
            nodes += attache::extract::dom::Document::parse(&page.html).len();
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "parse only: {} pages, {nodes} nodes, {:.1} pages/s, {:.1} MB/s",
            pages.len(),
            pages.len() as f64 / secs,
            total_bytes as f64 / secs / 1e6
        );
        return Ok(());
    }

    let texts: Vec<String> = pages.iter().map(|p| main_text(p, &config)).collect();
    let score = score_corpus(
        pages
            .iter()
            .zip(&texts)
            .map(|(p, t)| (p.expected.as_str(), t.as_str())),
    );
    let longest: Vec<String> = pages
        .iter()
        .map(|p| story_text(p, &config, Pick::Longest))
        .collect();
    let longest_score = score_corpus(
        pages
            .iter()
            .zip(&longest)
            .map(|(p, t)| (p.expected.as_str(), t.as_str())),
    );
    let empty = texts.iter().filter(|t| t.is_empty()).count();

    // Best of several rounds: the machine is shared with other builds.
    let mut best = f64::INFINITY;
    for _ in 0..rounds.max(1) {
        let started = Instant::now();
        for page in &pages {
            std::hint::black_box(main_text(page, &config));
        }
        best = best.min(started.elapsed().as_secs_f64());
    }

    if let Some(dir) = dump {
        std::fs::create_dir_all(&dir)?;
        let mut worst: Vec<(f64, &str)> = Vec::new();
        for (page, text) in pages.iter().zip(&texts) {
            let s = score_page(&page.expected, text);
            let f1 = if s.precision() + s.recall() == 0.0 {
                0.0
            } else {
                2.0 * s.precision() * s.recall() / (s.precision() + s.recall())
            };
            worst.push((f1, &page.id));
            std::fs::write(dir.join(format!("{}.got.txt", page.id)), text)?;
            std::fs::write(dir.join(format!("{}.want.txt", page.id)), &page.expected)?;
            std::fs::write(
                dir.join(format!("{}.scores", page.id)),
                format!(
                    "p={:.3} r={:.3} f1={:.3} {}\n",
                    s.precision(),
                    s.recall(),
                    f1,
                    page.url
                ),
            )?;
        }
        worst.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (f1, id) in worst.iter().take(25) {
            eprintln!("{f1:.3} {id}");
        }
    }

    println!(
        "{{\"pages\":{},\"precision\":{:.4},\"recall\":{:.4},\"f1\":{:.4},\"accuracy\":{:.4},\"f1_longest\":{:.4},\"empty\":{empty},\"pages_per_sec\":{:.1},\"ms_per_page\":{:.3},\"mb_per_sec\":{:.1}}}",
        score.pages, score.precision, score.recall, score.f1, score.accuracy, longest_score.f1,
        pages.len() as f64 / best, best * 1000.0 / pages.len() as f64, total_bytes as f64 / best / 1e6
    );
    Ok(())
}

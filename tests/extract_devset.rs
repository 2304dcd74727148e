//! CI floor of the extraction development set (`tests/corpus/extract`, see
//! its SOURCES.md): the test split of every part, read as totals only, as
//! `cargo run --release --example extract_devset -- --split test` prints
//! them. Each floor sits just under the score measured when it was set
//! (BENCHMARKS.md, "Article extraction", round 8), so a change that costs a
//! part more than noise fails here; empty answers may not grow.
//! Run with `cargo test --release --test extract_devset` (a debug build
//! takes several times longer).
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use attache::config::ExtractConfig;
use attache::extract::eval::score_corpus;
use attache::extract::{extract_articles, PageInfo};

struct Page {
    url: String,
    html: String,
    truth: serde_json::Value,
}

/// The test split of one part, decoded as the worker decodes a body.
fn test_pages(part: &str) -> Vec<Page> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/extract")
        .join(part);
    let truth: BTreeMap<String, serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.join("truth.json")).expect("truth.json"))
            .expect("truth.json parses");
    truth
        .into_iter()
        .filter(|(_, entry)| entry["split"] == "test")
        .map(|(id, entry)| {
            let path = dir.join("pages").join(format!("{id}.html.gz"));
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("page file"))
                .read_to_end(&mut bytes)
                .expect("gzip");
            let (html, _) = attache::fetch::decode_body(&bytes, None);
            let url = entry["url"].as_str().map_or_else(
                || format!("https://{}/{id}", entry["site"].as_str().unwrap_or("x")),
                str::to_string,
            );
            Page {
                url,
                html,
                truth: entry,
            }
        })
        .collect()
}

/// The longest story's text, or "" for an empty answer.
fn longest_body(page: &Page) -> String {
    let info = PageInfo {
        source_url: &page.url,
        fetched_url: &page.url,
        published_hint: None,
    };
    extract_articles(&page.html, &info, &ExtractConfig::default())
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.text)
        .max_by_key(String::len)
        .unwrap_or_default()
}

/// (F1, empty answers) of a part whose truth is a whole body (`expected`).
fn body_part(part: &str) -> (f64, usize) {
    let pages = test_pages(part);
    let bodies: Vec<String> = pages.iter().map(longest_body).collect();
    let empty = bodies.iter().filter(|b| b.is_empty()).count();
    let score = score_corpus(
        pages
            .iter()
            .zip(&bodies)
            .map(|(p, b)| (p.truth["expected"].as_str().unwrap_or(""), b.as_str())),
    );
    (score.f1, empty)
}

/// (F1, empty answers) of the snippet part, counted as trafilatura's
/// evaluation counts them.
fn snippet_part(part: &str) -> (f64, usize) {
    let normalized = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (mut tp, mut fn_, mut fp, mut empty) = (0usize, 0usize, 0usize, 0usize);
    for page in test_pages(part) {
        let body = normalized(&longest_body(&page));
        empty += usize::from(body.is_empty());
        let found = |s: &serde_json::Value| {
            !body.is_empty() && body.contains(&normalized(s.as_str().unwrap_or("")))
        };
        for snippet in page.truth["with"].as_array().into_iter().flatten() {
            if found(snippet) {
                tp += 1;
            } else {
                fn_ += 1;
            }
        }
        for snippet in page.truth["without"].as_array().into_iter().flatten() {
            fp += usize::from(found(snippet));
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    (2.0 * precision * recall / (precision + recall), empty)
}

fn assert_floor(part: &str, (f1, empty): (f64, usize), min_f1: f64, max_empty: usize) {
    eprintln!("{part}: test F1 {f1:.4}, empty answers {empty}");
    assert!(f1 >= min_f1, "{part}: test F1 {f1:.4} < floor {min_f1}");
    assert!(
        empty <= max_empty,
        "{part}: {empty} empty answers > {max_empty}"
    );
}

#[test]
fn readability_pages_hold_their_floor() {
    assert_floor("readability", body_part("readability"), 0.865, 3);
}

#[test]
fn trafilatura_pages_hold_their_floor() {
    assert_floor("trafilatura", snippet_part("trafilatura"), 0.897, 2);
}

#[test]
fn newspaper_pages_hold_their_floor() {
    assert_floor("newspaper", body_part("newspaper"), 0.899, 0);
}

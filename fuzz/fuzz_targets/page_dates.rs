//! Date parsing through the extractor's public entry point (the date parser
//! itself is private to `extract`): fuzzed text lands in the places dates
//! are read from (a meta tag, `<time datetime>`, a visible dateline, the URL
//! path and the input's publication hint), and whatever the extractor
//! reports must keep the documented `Article::published` format.
#![no_main]

use attache::config::ExtractConfig;
use attache::extract::{extract_articles, PageInfo};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use libfuzzer_sys::fuzz_target;

const BODY: &str = "The foreign ministers of both countries met in the capital on \
    Tuesday and agreed to resume regular consultations on trade, security and \
    cultural exchange, officials said after the talks. The two sides also \
    discussed the schedule for a state visit later this year.";

/// RFC 3339 with offset, or `YYYY-MM-DDTHH:MM:SS`, or `YYYY-MM-DD`.
fn documented_format(value: &str) -> bool {
    DateTime::parse_from_rfc3339(value).is_ok()
        || NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S").is_ok()
        || NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Fields separated by '|': meta, time, dateline, URL path, hint.
    let mut fields = text.splitn(5, '|');
    let mut next = || fields.next().unwrap_or("");
    let (meta, time, dateline, path, hint) = (next(), next(), next(), next(), next());
    let html = format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Talks</title>
<meta property="article:published_time" content="{}"></head><body><article>
<h1>Ministers agree to resume consultations</h1><p class="dateline"><time datetime="{}">{}</time></p>
<p>{BODY}</p><p>{BODY}</p></article></body></html>"#,
        escape(meta),
        escape(time),
        escape(dateline),
    );
    let url = format!(
        "https://news.example.com/{}",
        path.chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'))
            .collect::<String>()
    );
    let page = PageInfo {
        source_url: &url,
        fetched_url: &url,
        published_hint: (!hint.is_empty()).then_some(hint),
    };
    if let Ok(articles) = extract_articles(&html, &page, &ExtractConfig::default()) {
        for article in &articles {
            for value in [&article.published, &article.modified]
                .into_iter()
                .flatten()
            {
                assert!(
                    documented_format(value),
                    "undocumented date format {value:?}"
                );
            }
            if article.published.is_some() {
                assert!(article.published_date().is_some());
            }
        }
    }
});

//! HTML extraction: any page either yields articles that keep the
//! extractor's promises or fails with `no_article`; it never panics.
#![no_main]

use attache::config::ExtractConfig;
use attache::extract::{extract_articles, PageInfo};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A leading line is the publication hint, so hint parsing is fuzzed too.
    let text = String::from_utf8_lossy(data);
    let (hint, html) = match text.split_once('\n') {
        Some((hint, html)) if hint.len() < 64 => (Some(hint), html),
        _ => (None, text.as_ref()),
    };
    let page = PageInfo {
        source_url: "https://news.example.com/2025/03/04/story",
        fetched_url: "https://news.example.com/2025/03/04/story",
        published_hint: hint,
    };
    let config = ExtractConfig::default();
    if let Ok(articles) = extract_articles(html, &page, &config) {
        assert!(!articles.is_empty());
        for (index, article) in articles.iter().enumerate() {
            assert_eq!(article.story_index, index);
            assert_eq!(article.source_url, page.source_url);
            assert!(!article.text.trim().is_empty());
            let _ = article.published_date();
        }
    }
});

//! The whole pure pipeline (extraction, then event extraction with the
//! shipped rules and gazetteers): never panics, and events are unique.
#![no_main]

use std::collections::HashSet;
use std::path::Path;
use std::sync::LazyLock;

use attache::config::Config;
use attache::events::EventExtractor;
use attache::extract::PageInfo;
use attache::pipeline::analyze_html;
use libfuzzer_sys::fuzz_target;

static SETUP: LazyLock<(Config, EventExtractor)> = LazyLock::new(|| {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut config = Config::default();
    config.events.rules_dir = repo.join("config/events");
    config.events.gazetteer_dir = repo.join("config/gazetteer");
    let extractor = EventExtractor::load(&config.events).expect("shipped rules load");
    (config, extractor)
});

fuzz_target!(|data: &[u8]| {
    let (config, extractor) = &*SETUP;
    let html = String::from_utf8_lossy(data);
    let page = PageInfo {
        source_url: "https://news.example.com/world/a",
        fetched_url: "https://news.example.com/world/a",
        published_hint: Some("2025-03-04T10:00:00+00:00"),
    };
    if let Ok(analysis) = analyze_html(&html, &page, config, extractor) {
        let ids: HashSet<&str> = analysis.events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), analysis.events.len(), "event ids are unique");
    }
});

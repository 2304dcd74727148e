//! Golden test on the seed page: a main story and a second full story below it.
use attache::config::ExtractConfig;
use attache::extract::{extract_articles, Article, PageInfo, ARTICLE_SCHEMA};

const SEED_HTML: &str = include_str!("fixtures/extract/seed-page.html");
/// How a reader sees the page (all text, boilerplate included).
const SEED_TEXT: &str = include_str!("fixtures/extract/seed-page.txt");

const TITLE_1: &str =
    "CPC in Dialogue with Political Parties of Neighboring Countries held in Beijing";
const TITLE_2: &str =
    "ROK president eyes mutually beneficial relationship with China amid competitions";

fn seed_articles() -> Vec<Article> {
    let page = PageInfo {
        source_url: "seed-page.html",
        fetched_url: "https://news.example.com/china/seed",
        published_hint: None,
    };
    extract_articles(SEED_HTML, &page, &ExtractConfig::default()).expect("seed page has stories")
}

/// The reader's paragraphs that are story prose (long enough to be sentences),
/// in page order.
fn reader_body_paragraphs() -> Vec<&'static str> {
    SEED_TEXT
        .split("\n\n")
        .map(str::trim)
        .filter(|p| p.split_whitespace().count() > 15)
        .collect()
}

#[test]
fn splits_into_exactly_two_stories_with_their_titles() {
    let articles = seed_articles();
    assert_eq!(articles.len(), 2, "{articles:#?}");
    assert_eq!(articles[0].title.as_deref(), Some(TITLE_1));
    assert_eq!(articles[1].title.as_deref(), Some(TITLE_2));
    assert_eq!(articles[0].story_index, 0);
    assert_eq!(articles[1].story_index, 1);
}

#[test]
fn dates_come_from_each_story() {
    let articles = seed_articles();
    assert_eq!(
        articles[0].published.as_deref(),
        Some("2025-05-26T21:22:00+08:00")
    );
    assert_eq!(
        articles[0].modified.as_deref(),
        Some("2025-05-26T21:47:00+08:00")
    );
    // The second story prints no date of its own.
    assert_eq!(articles[1].published, None);
}

#[test]
fn bodies_match_the_reader_paragraphs() {
    let articles = seed_articles();
    let got: Vec<&str> = articles.iter().flat_map(|a| a.text.split("\n\n")).collect();
    assert_eq!(got, reader_body_paragraphs());
    // 7 paragraphs in the first story, 4 in the second.
    assert_eq!(articles[0].text.split("\n\n").count(), 7);
    assert_eq!(articles[1].text.split("\n\n").count(), 4);
}

#[test]
fn no_recommendations_captions_or_navigation_in_bodies() {
    for article in seed_articles() {
        for unwanted in [
            "Recommended Articles",
            "Premier holds talks with visiting leader in Beijing",
            "Foreign ministers to meet next week in Jakarta",
            "Port throughput rises 6 percent in April",
            "Feature Image",
            "Skip to Content",
            "Last Updated At",
            "All rights reserved",
            TITLE_1,
            TITLE_2,
        ] {
            assert!(
                !article.text.contains(unwanted),
                "story {} contains {unwanted:?}",
                article.story_index
            );
        }
    }
}

#[test]
fn page_metadata_is_filled() {
    let articles = seed_articles();
    let first = &articles[0];
    assert_eq!(first.schema, ARTICLE_SCHEMA);
    assert_eq!(first.source_url, "seed-page.html");
    assert_eq!(
        first.canonical_url,
        "https://news.example.com/china/cpc-in-dialogue-with-political-parties-of-neighboring-countries-held-in-beijing"
    );
    assert_eq!(first.language.as_deref(), Some("en"));
    assert_eq!(first.site_name.as_deref(), Some("News Desk"));
    assert_eq!(first.section.as_deref(), Some("China"));
    assert_eq!(first.word_count, first.text.split_whitespace().count());
}

#[test]
fn records_match_the_json_schema_file() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schemas/article.v1.json")).expect("schema is JSON");
    assert_eq!(schema["$id"], ARTICLE_SCHEMA);
    let mut required: Vec<&str> = schema["required"]
        .as_array()
        .expect("required")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    required.sort_unstable();
    let date = regex::Regex::new(
        schema["properties"]["published"]["pattern"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    for article in seed_articles() {
        let record = serde_json::to_value(&article).expect("serializes");
        let mut keys: Vec<&str> = record
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, required, "record fields and schema disagree");
        let extractors = schema["properties"]["extractor"]["enum"]
            .as_array()
            .expect("extractor is an enum in the schema");
        assert!(
            extractors.contains(&record["extractor"]),
            "extractor {} is not in the schema's enum",
            record["extractor"]
        );
        assert_eq!(record["extractor"], "structured");
        for field in ["published", "modified"] {
            if let Some(value) = record[field].as_str() {
                assert!(
                    date.is_match(value),
                    "{field} {value:?} does not match the schema pattern"
                );
            }
        }
    }
}

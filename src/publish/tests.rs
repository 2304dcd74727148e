use super::*;
use crate::config::TopicsConfig;

fn input() -> InputMessage {
    InputMessage {
        url: "https://news.example.com/a".into(),
        published: None,
        id: Some("caller-7".into()),
    }
}

#[test]
fn dead_letter_keeps_payload_and_names_the_reason() {
    let payload = [0xffu8, 0x00, 0x41];
    let record = plan_dead_letter(
        None,
        Some(&payload),
        &SourcePosition {
            topic: "attache.urls".into(),
            partition: 2,
            offset: 41,
        },
        &Failure {
            stage: "decode",
            kind: "invalid_utf8",
            message: "bad".into(),
            attempts: 1,
        },
        &TopicsConfig::default(),
        1024,
    );
    assert_eq!(record.topic, "attache.urls.dlq");
    assert_eq!(record.payload, payload);
    assert!(
        !record.headers.iter().any(|(k, _)| k == TRUNCATED_HEADER),
        "a payload within the limit is not marked truncated"
    );
    let header = |name: &str| {
        record
            .headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| String::from_utf8(v.clone()).unwrap())
    };
    assert_eq!(header("error.stage").as_deref(), Some("decode"));
    assert_eq!(header("error.kind").as_deref(), Some("invalid_utf8"));
    assert_eq!(header("source.partition").as_deref(), Some("2"));
    assert_eq!(header("source.offset").as_deref(), Some("41"));
    assert_eq!(header("attempts").as_deref(), Some("1"));
}

#[test]
fn articles_are_keyed_by_canonical_url_hash() {
    let article = crate::extract::Article {
        schema: ARTICLE_SCHEMA.into(),
        source_url: "https://news.example.com/a?utm_source=x".into(),
        canonical_url: "https://news.example.com/a".into(),
        title: Some("T".into()),
        text: "body".into(),
        published: None,
        modified: None,
        authors: vec![],
        language: Some("en".into()),
        site_name: None,
        section: None,
        word_count: 1,
        story_index: 0,
        extractor: crate::extract::Extractor::Structured,
    };
    let mut second = article.clone();
    second.story_index = 1;
    let records = plan_records(
        &input(),
        &[article, second],
        &[],
        &TopicsConfig::default(),
        true,
    )
    .unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].topic, "attache.articles");
    assert_eq!(
        records[0].key.as_deref(),
        Some(sha256_hex("https://news.example.com/a").as_str())
    );
    assert_ne!(records[0].key, records[1].key);
    let json: serde_json::Value = serde_json::from_slice(&records[0].payload).unwrap();
    assert_eq!(json["record"], "article");
    assert_eq!(
        json["source_url"],
        "https://news.example.com/a?utm_source=x"
    );
    assert!(records[0]
        .headers
        .iter()
        .any(|(k, v)| k == "id" && v == b"caller-7"));
}

#[test]
fn dead_letter_of_an_oversized_payload_keeps_a_prefix_and_says_so() {
    let payload: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    let failure = Failure {
        stage: "decode",
        kind: "too_large",
        message: "too big".into(),
        attempts: 1,
    };
    let source = SourcePosition {
        topic: "attache.urls".into(),
        partition: 0,
        offset: 7,
    };
    let record = plan_dead_letter(
        Some(b"k"),
        Some(&payload),
        &source,
        &failure,
        &TopicsConfig::default(),
        4096,
    );
    assert_eq!(record.payload, payload[..4096]);
    let truncated_from = record
        .headers
        .iter()
        .find(|(k, _)| k == TRUNCATED_HEADER)
        .map(|(_, v)| String::from_utf8(v.clone()).unwrap());
    assert_eq!(truncated_from.as_deref(), Some("10000"));
    assert_eq!(record.key.as_deref(), Some("k"));

    // Exactly at the limit: kept whole, not marked.
    let record = plan_dead_letter(
        None,
        Some(&payload[..4096]),
        &source,
        &failure,
        &TopicsConfig::default(),
        4096,
    );
    assert_eq!(record.payload.len(), 4096);
    assert!(!record.headers.iter().any(|(k, _)| k == TRUNCATED_HEADER));
}

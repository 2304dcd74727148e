use super::*;
use crate::config::TopicsConfig;
use crate::Stage;

/// A header of a planned record, as text.
fn header_of(record: &OutRecord, name: &str) -> Option<String> {
    record
        .headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| String::from_utf8(v.clone()).unwrap())
}

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
            stage: Stage::Decode,
            kind: "invalid_utf8",
            message: "bad".into(),
            attempts: Attempts::fetched(1),
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
    let header = |name: &str| header_of(&record, name);
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
        Some(sha256_hex("https://news.example.com/a").as_bytes())
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
        stage: Stage::Decode,
        kind: "too_large",
        message: "too big".into(),
        attempts: Attempts::fetched(1),
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
    assert_eq!(record.key.as_deref(), Some(&b"k"[..]));

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

#[test]
fn dead_letter_keeps_a_binary_key_byte_for_byte() {
    // Not UTF-8: a lossy conversion would change the key, and with it the
    // DLQ partition the record lands on.
    let key = [0xffu8, 0x00, 0x80, b'k'];
    let record = plan_dead_letter(
        Some(&key),
        Some(b"x"),
        &SourcePosition {
            topic: "attache.urls".into(),
            partition: 0,
            offset: 1,
        },
        &Failure {
            stage: Stage::Decode,
            kind: "invalid_url",
            message: "bad".into(),
            attempts: Attempts::default(),
        },
        &TopicsConfig::default(),
        1024,
    );
    let kept: Option<&[u8]> = record.key.as_ref().map(AsRef::<[u8]>::as_ref);
    assert_eq!(kept, Some(&key[..]));
}

#[test]
fn an_unknown_topic_is_a_permanent_refusal() {
    use rdkafka::types::RDKafkaErrorCode as Code;
    for code in [Code::UnknownTopicOrPartition, Code::UnknownTopic] {
        let refusal =
            PublishError::delivery("attache.events.x", &KafkaError::MessageProduction(code));
        assert_eq!(refusal.retry_hint(), RetryHint::Permanent, "{code:?}");
        assert_eq!(crate::Classified::kind(&refusal), "unknown_topic");
        assert_eq!(refusal.refusing_topic(), Some("attache.events.x"));
    }
}

#[test]
fn a_publish_failure_names_its_fetch_and_publish_attempts() {
    let record = plan_dead_letter(
        None,
        Some(b"https://x.org/"),
        &SourcePosition {
            topic: "attache.urls".into(),
            partition: 0,
            offset: 1,
        },
        &Failure {
            stage: Stage::Publish,
            kind: "retries_exhausted",
            message: "no ack".into(),
            attempts: Attempts {
                fetch: 2,
                publish: 5,
            },
        },
        &TopicsConfig::default(),
        1024,
    );
    let header = |name: &str| header_of(&record, name);
    assert_eq!(header("error.stage").as_deref(), Some("publish"));
    assert_eq!(header("attempts").as_deref(), Some("2"));
    assert_eq!(header("publish.attempts").as_deref(), Some("5"));
}

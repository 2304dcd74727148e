use std::collections::HashMap;
use std::sync::Mutex;

use super::*;
use crate::publish::RecordKind;
use crate::Stage;

/// A broker stand-in: per topic, how many sends fail (transiently) before
/// the first success, or whether the topic refuses records for good.
#[derive(Default)]
struct FakeBroker {
    transient_failures: Mutex<HashMap<String, u32>>,
    unknown_topics: Vec<String>,
    /// Every send, by topic and key.
    sent: Mutex<Vec<(String, Vec<u8>)>>,
}

impl RecordSink for FakeBroker {
    fn send_each<'a>(
        &'a self,
        records: &'a [OutRecord],
    ) -> impl Future<Output = Vec<Result<(), PublishError>>> + Send + 'a {
        let results = records
            .iter()
            .map(|record| {
                self.sent
                    .lock()
                    .unwrap()
                    .push((record.topic.clone(), record.key.clone().unwrap_or_default()));
                if self.unknown_topics.contains(&record.topic) {
                    return Err(PublishError::Delivery {
                        topic: record.topic.clone(),
                        reason: "Broker: Unknown topic or partition".into(),
                        kind: "unknown_topic",
                        hint: RetryHint::Permanent,
                    });
                }
                let mut failures = self.transient_failures.lock().unwrap();
                match failures.get_mut(&record.topic) {
                    Some(left) if *left > 0 => {
                        *left -= 1;
                        Err(PublishError::Delivery {
                            topic: record.topic.clone(),
                            reason: "Local: Message timed out".into(),
                            kind: "delivery",
                            hint: RetryHint::Transient,
                        })
                    }
                    _ => Ok(()),
                }
            })
            .collect();
        std::future::ready(results)
    }
}

impl FakeBroker {
    fn sends_of(&self, topic: &str) -> usize {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .filter(|(t, _)| t == topic)
            .count()
    }
}

struct Refusals(Mutex<Vec<String>>);

impl DeliveryObserver for Refusals {
    fn refused(&self, record: &OutRecord, error: &PublishError) {
        self.0
            .lock()
            .unwrap()
            .push(format!("{} {}", record.topic, error.kind()));
    }
}

fn record(topic: &str, key: &str) -> OutRecord {
    OutRecord {
        topic: topic.into(),
        key: Some(key.as_bytes().to_vec()),
        payload: b"{}".to_vec(),
        headers: Vec::new(),
        kind: RecordKind::Article,
    }
}

fn dead_letter(failure: &Failure, cap: usize) -> OutRecord {
    OutRecord {
        topic: "dlq".into(),
        key: Some(format!("{}:{}:{cap}", failure.kind, failure.attempts.publish).into_bytes()),
        payload: Vec::new(),
        headers: Vec::new(),
        kind: RecordKind::DeadLetter {
            stage: failure.stage,
            kind: failure.kind,
        },
    }
}

fn fast(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        first_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
    }
}

async fn run(
    broker: &FakeBroker,
    records: Vec<OutRecord>,
    policy: RetryPolicy,
) -> (Delivered, Vec<String>) {
    let refusals = Refusals(Mutex::new(Vec::new()));
    let delivered = deliver(
        broker,
        records,
        policy,
        &Fallback {
            fetch_attempts: 3,
            max_payload: 1024,
            dead_letter,
        },
        &refusals,
        &CancellationToken::new(),
    )
    .await
    .expect("not abandoned");
    (delivered, refusals.0.into_inner().unwrap())
}

#[tokio::test]
async fn a_retry_resends_only_the_records_not_yet_acknowledged() {
    let broker = FakeBroker::default();
    broker
        .transient_failures
        .lock()
        .unwrap()
        .insert("events".into(), 2);
    let (delivered, _) = run(
        &broker,
        vec![record("articles", "a"), record("events", "e")],
        fast(5),
    )
    .await;
    assert!(delivered.dead_lettered.is_none());
    assert_eq!(delivered.acknowledged.len(), 2);
    assert_eq!(
        broker.sends_of("articles"),
        1,
        "acknowledged once, never re-sent"
    );
    assert_eq!(broker.sends_of("events"), 3);
}

#[tokio::test]
async fn an_unknown_topic_dead_letters_at_once_with_stage_publish() {
    let broker = FakeBroker {
        unknown_topics: vec!["events.typo".into()],
        ..FakeBroker::default()
    };
    let (delivered, refusals) = run(
        &broker,
        vec![record("articles", "a"), record("events.typo", "e")],
        fast(5),
    )
    .await;
    let failure = delivered.dead_lettered.expect("dead-lettered");
    assert_eq!(failure.stage, Stage::Publish);
    assert_eq!(failure.kind, "unknown_topic");
    assert_eq!(
        failure.attempts,
        Attempts {
            fetch: 3,
            publish: 1
        }
    );
    assert_eq!(
        broker.sends_of("events.typo"),
        1,
        "a permanent refusal is not retried"
    );
    assert_eq!(refusals, ["events.typo unknown_topic"]);
    let topics: Vec<&str> = delivered
        .acknowledged
        .iter()
        .map(|r| r.topic.as_str())
        .collect();
    assert_eq!(topics, ["articles", "dlq"]);
}

#[tokio::test]
async fn retries_are_bounded_then_the_message_is_dead_lettered() {
    let broker = FakeBroker::default();
    broker
        .transient_failures
        .lock()
        .unwrap()
        .insert("events".into(), u32::MAX);
    let (delivered, refusals) = run(&broker, vec![record("events", "e")], fast(4)).await;
    let failure = delivered.dead_lettered.expect("dead-lettered");
    assert_eq!(failure.kind, "retries_exhausted");
    assert_eq!(failure.attempts.publish, 4);
    assert_eq!(broker.sends_of("events"), 4);
    assert_eq!(refusals.len(), 4);
    assert_eq!(delivered.acknowledged.len(), 1);
    assert_eq!(
        delivered.acknowledged[0].key.as_deref(),
        Some(&b"retries_exhausted:4:1024"[..])
    );
}

#[tokio::test]
async fn a_refused_dead_letter_record_is_sent_again_without_its_payload() {
    let broker = FakeBroker {
        unknown_topics: vec!["events.typo".into()],
        ..FakeBroker::default()
    };
    // The DLQ itself refuses twice (transiently): it is retried, not dropped.
    broker
        .transient_failures
        .lock()
        .unwrap()
        .insert("dlq".into(), 2);
    let (delivered, _) = run(&broker, vec![record("events.typo", "e")], fast(1)).await;
    assert!(delivered.dead_lettered.is_some());
    assert_eq!(broker.sends_of("dlq"), 3);
    assert_eq!(delivered.acknowledged.len(), 1);
}

#[tokio::test]
async fn a_stop_abandons_a_delivery_that_cannot_finish() {
    let broker = FakeBroker::default();
    broker
        .transient_failures
        .lock()
        .unwrap()
        .insert("dlq".into(), u32::MAX);
    let abandon = CancellationToken::new();
    abandon.cancel();
    let refusals = Refusals(Mutex::new(Vec::new()));
    let delivered = deliver(
        &broker,
        vec![record("dlq", "d")],
        fast(1),
        &Fallback {
            fetch_attempts: 0,
            max_payload: 1024,
            dead_letter,
        },
        &refusals,
        &abandon,
    )
    .await;
    assert!(delivered.is_none());
}

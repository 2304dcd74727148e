//! The worker end to end on a real broker (Apache Kafka) and a local HTTP server.
#[path = "support/kafka.rs"]
mod kafka;
#[path = "support/metric_names.rs"]
mod metric_names;
#[path = "support/pages.rs"]
mod pages;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use attache::worker::{start, RunningWorker};
use kafka::{ensure_broker, produce, read_topics, TestTopics};
use pages::PageServer;
use tokio_util::sync::CancellationToken;

const WAIT: Duration = Duration::from_secs(60);

async fn start_worker(config: attache::config::Config) -> (RunningWorker, CancellationToken) {
    let shutdown = CancellationToken::new();
    let worker = start(Arc::new(config), shutdown.clone())
        .await
        .expect("worker starts");
    (worker, shutdown)
}

async fn stop_worker(worker: RunningWorker, shutdown: CancellationToken) {
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(30), worker.task)
        .await
        .expect("worker stops in time")
        .expect("worker task joins")
        .expect("worker exits cleanly");
}

async fn wait_ready(worker: &RunningWorker) {
    for _ in 0..300 {
        if worker.health.readiness().is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("worker not ready: {:?}", worker.health.readiness());
}

fn source_urls(records: &[kafka::Received]) -> Vec<String> {
    records
        .iter()
        .map(|r| r.headers.get("source_url").cloned().unwrap_or_default())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn seed_page_yields_its_events_and_articles() {
    ensure_broker();
    let topics = TestTopics::new("seed");
    topics.create(2).await;
    let server = PageServer::start(HashMap::from([(
        "seed.html".to_string(),
        pages::seed_page(),
    )]))
    .await;
    let url = server.url("p/seed.html");
    let (worker, shutdown) = start_worker(topics.config()).await;
    let message = serde_json::json!({"url": url, "id": "caller-42"}).to_string();
    produce(&topics.input, &[message.into_bytes()]).await;

    let dialogue_topic = topics.event_topic("dialogue_held");
    let visit_topic = topics.event_topic("state_visit_announced");
    let records = read_topics(
        &[&dialogue_topic, &visit_topic, &topics.articles, &topics.dlq],
        4,
        WAIT,
        Duration::from_secs(2),
    )
    .await;
    stop_worker(worker, shutdown).await;

    let dlq: Vec<_> = records.iter().filter(|r| r.topic == topics.dlq).collect();
    assert!(
        dlq.is_empty(),
        "seed page must not fail: {:?}",
        dlq.first().map(|r| &r.headers)
    );
    let articles: Vec<_> = records
        .iter()
        .filter(|r| r.topic == topics.articles)
        .collect();
    assert_eq!(articles.len(), 2, "two stories on the seed page");
    let titles: HashSet<String> = articles
        .iter()
        .map(|r| r.json()["title"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(titles.contains(
        "CPC in Dialogue with Political Parties of Neighboring Countries held in Beijing"
    ));
    assert!(titles.contains(
        "ROK president eyes mutually beneficial relationship with China amid competitions"
    ));
    for article in &articles {
        assert_eq!(article.json()["record"], "article");
        assert_eq!(article.json()["source_url"], url.as_str());
        assert_eq!(
            article.headers.get("id").map(String::as_str),
            Some("caller-42")
        );
    }

    let events: Vec<_> = records
        .iter()
        .filter(|r| r.topic == dialogue_topic || r.topic == visit_topic)
        .collect();
    assert_eq!(events.len(), 2, "exactly two events on the seed page");
    for (topic, event_type) in [
        (&dialogue_topic, "dialogue_held"),
        (&visit_topic, "state_visit_announced"),
    ] {
        let event = events
            .iter()
            .find(|r| &r.topic == topic)
            .unwrap_or_else(|| panic!("no {event_type} event"));
        let json = event.json();
        assert_eq!(json["record"], "event");
        assert_eq!(json["type"], event_type);
        assert_eq!(
            event.key.as_deref(),
            json["id"].as_str(),
            "keyed by event id"
        );
        assert_eq!(
            event.headers.get("event_type").map(String::as_str),
            Some(event_type)
        );
        assert_eq!(
            event.headers.get("schema").map(String::as_str),
            Some("attache.event/v1")
        );
        assert_eq!(event.headers.get("source_url"), Some(&url));
        assert_eq!(
            event.headers.get("id").map(String::as_str),
            Some("caller-42")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bad_messages_go_to_the_dead_letter_topic_and_the_worker_keeps_going() {
    ensure_broker();
    let topics = TestTopics::new("dlq");
    topics.create(1).await;
    let server = PageServer::start(HashMap::new()).await;
    let (worker, shutdown) = start_worker(topics.config()).await;

    let cases: Vec<(Vec<u8>, &str, &str)> = vec![
        (vec![0x9f, 0x00, 0xff, 0x13, 0x37], "decode", "invalid_utf8"),
        (Vec::new(), "decode", "empty_message"),
        (
            br#"{"link": "https://example.com/"}"#.to_vec(),
            "decode",
            "missing_url",
        ),
        (
            b"ftp://example.com/file.html".to_vec(),
            "decode",
            "invalid_url",
        ),
        (b"file:///etc/passwd".to_vec(), "decode", "invalid_url"),
        (
            b"https://user:secret@example.com/".to_vec(),
            "decode",
            "invalid_url",
        ),
        (
            server.url("missing/page.html").into_bytes(),
            "fetch",
            "http_404",
        ),
    ];
    let good = server.url("n/after-the-bad-ones");
    let mut payloads: Vec<Vec<u8>> = cases.iter().map(|(p, _, _)| p.clone()).collect();
    payloads.push(good.clone().into_bytes());
    produce(&topics.input, &payloads).await;

    let records = read_topics(
        &[&topics.dlq, &topics.articles],
        cases.len() + 1,
        WAIT,
        Duration::from_secs(1),
    )
    .await;
    stop_worker(worker, shutdown).await;

    let dead: Vec<_> = records.iter().filter(|r| r.topic == topics.dlq).collect();
    assert_eq!(dead.len(), cases.len(), "one DLQ record per bad message");
    for (payload, stage, kind) in &cases {
        let record = dead
            .iter()
            .find(|r| &r.payload == payload)
            .unwrap_or_else(|| panic!("no DLQ record keeps payload {payload:?} byte for byte"));
        assert_eq!(record.headers["error.stage"], *stage, "{payload:?}");
        assert_eq!(record.headers["error.kind"], *kind, "{payload:?}");
        assert!(!record.headers["error.message"].is_empty());
        assert_eq!(record.headers["source.topic"], topics.input);
        assert_eq!(record.headers["source.partition"], "0");
        assert!(record.headers["source.offset"].parse::<i64>().is_ok());
        assert!(record.headers["attempts"].parse::<u32>().unwrap() >= 1);
    }
    let articles: Vec<_> = records
        .iter()
        .filter(|r| r.topic == topics.articles)
        .collect();
    assert_eq!(
        source_urls(&articles.into_iter().cloned().collect::<Vec<_>>()),
        vec![good]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn restart_resumes_from_committed_offsets_without_reprocessing() {
    ensure_broker();
    let topics = TestTopics::new("restart");
    topics.create(1).await;
    let server = PageServer::start(HashMap::new()).await;
    let first: Vec<String> = (0..5)
        .map(|i| server.url(&format!("n/first-{i}")))
        .collect();
    let second: Vec<String> = (0..5)
        .map(|i| server.url(&format!("n/second-{i}")))
        .collect();

    let (worker, shutdown) = start_worker(topics.config()).await;
    produce(
        &topics.input,
        &first
            .iter()
            .map(|u| u.clone().into_bytes())
            .collect::<Vec<_>>(),
    )
    .await;
    let seen = read_topics(&[&topics.articles], first.len(), WAIT, Duration::ZERO).await;
    assert_eq!(seen.len(), first.len());
    stop_worker(worker, shutdown).await;

    produce(
        &topics.input,
        &second
            .iter()
            .map(|u| u.clone().into_bytes())
            .collect::<Vec<_>>(),
    )
    .await;
    let (worker, shutdown) = start_worker(topics.config()).await;
    let all = read_topics(
        &[&topics.articles],
        first.len() + second.len(),
        WAIT,
        Duration::from_secs(3),
    )
    .await;
    stop_worker(worker, shutdown).await;

    let mut urls = source_urls(&all);
    urls.sort();
    let mut expected: Vec<String> = first.iter().chain(&second).cloned().collect();
    expected.sort();
    assert_eq!(
        urls, expected,
        "each URL exactly once across a clean restart"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_split_the_partitions_and_process_each_url_once() {
    ensure_broker();
    let topics = TestTopics::new("scale");
    topics.create(4).await;
    let server = PageServer::start(HashMap::new()).await;
    let (a, stop_a) = start_worker(topics.config()).await;
    let (b, stop_b) = start_worker(topics.config()).await;
    wait_ready(&a).await;
    wait_ready(&b).await;
    // Both must be in the group before producing, or the first takes everything.
    tokio::time::sleep(Duration::from_secs(2)).await;

    let urls: Vec<String> = (0..40)
        .map(|i| server.url(&format!("n/scale-{i}")))
        .collect();
    let producer = kafka::producer();
    for (i, url) in urls.iter().enumerate() {
        // Keys spread the URLs over all four partitions.
        producer
            .send(
                rdkafka::producer::FutureRecord::to(&topics.input)
                    .key(&format!("k{i}"))
                    .payload(url.as_bytes()),
                Duration::from_secs(10),
            )
            .await
            .map_err(|(e, _)| e)
            .expect("produce");
    }
    let records = read_topics(
        &[&topics.articles],
        urls.len(),
        WAIT,
        Duration::from_secs(3),
    )
    .await;
    let consumed_a = a.metrics.messages_consumed.get();
    let consumed_b = b.metrics.messages_consumed.get();
    stop_worker(a, stop_a).await;
    stop_worker(b, stop_b).await;

    let mut got = source_urls(&records);
    got.sort();
    let mut expected = urls.clone();
    expected.sort();
    assert_eq!(got, expected, "each URL processed exactly once");
    assert_eq!(consumed_a + consumed_b, urls.len() as u64);
    assert!(
        consumed_a > 0 && consumed_b > 0,
        "both workers got partitions: {consumed_a} / {consumed_b}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn readyz_turns_ready_after_the_group_join_and_metrics_move() {
    ensure_broker();
    let topics = TestTopics::new("ready");
    topics.create(1).await;
    let server = PageServer::start(HashMap::from([(
        "seed.html".to_string(),
        pages::seed_page(),
    )]))
    .await;
    let (worker, shutdown) = start_worker(topics.config()).await;
    let base = format!("http://{}", worker.metrics_addr.expect("metrics enabled"));
    let client = reqwest::Client::new();

    let before = client.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(
        before.status().as_u16(),
        503,
        "not ready before the group join"
    );
    assert!(before.text().await.unwrap().contains("not ready"));
    let live = client.get(format!("{base}/livez")).send().await.unwrap();
    assert_eq!(live.status().as_u16(), 200);

    wait_ready(&worker).await;
    let after = client.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(after.status().as_u16(), 200);

    produce(
        &topics.input,
        &[
            server.url("p/seed.html").into_bytes(),
            server.url("n/metrics").into_bytes(),
            b"not a url".to_vec(),
        ],
    )
    .await;
    // 2 seed articles + 1 article + 1 dead letter.
    read_topics(&[&topics.articles, &topics.dlq], 4, WAIT, Duration::ZERO).await;
    // Statistics (lag, queue depth) arrive once a second.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let scrape = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    stop_worker(worker, shutdown).await;

    let value = |series: &str| -> f64 {
        scrape
            .lines()
            .find(|l| l.starts_with(series))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{series} missing from scrape"))
    };
    assert_eq!(value("attache_messages_consumed_total"), 3.0);
    assert_eq!(value("attache_urls_processed_total{outcome=\"ok\"}"), 1.0);
    assert_eq!(
        value("attache_urls_processed_total{outcome=\"no_events\"}"),
        1.0
    );
    assert_eq!(
        value("attache_urls_processed_total{outcome=\"failed\"}"),
        1.0
    );
    assert_eq!(
        value("attache_dlq_records_total{kind=\"invalid_url\",stage=\"decode\"}"),
        1.0
    );
    assert_eq!(
        value("attache_errors_total{kind=\"invalid_url\",stage=\"decode\"}"),
        1.0
    );
    assert_eq!(value("attache_articles_published_total"), 3.0);
    assert_eq!(
        value("attache_events_published_total{type=\"dialogue_held\"}"),
        1.0
    );
    assert!(value("attache_fetch_duration_seconds_count") >= 2.0);
    assert!(value("attache_end_to_end_latency_seconds_count") >= 3.0);
    assert!(value("attache_consumer_lag_messages{") >= 0.0);
    assert_eq!(value("attache_build_info{version=\""), 1.0);

    // A dashboard panel or alert pointing at a name the worker does not
    // export would silently show nothing: every reference must resolve.
    let expressions =
        metric_names::load_referenced_expressions(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
            .unwrap();
    let families = metric_names::families_in_exposition(&scrape);
    let problems = metric_names::reference_problems(&expressions, &families);
    assert!(
        problems.is_empty(),
        "dashboard/alerts reference what the scrape lacks:\n{}",
        problems.join("\n")
    );
}

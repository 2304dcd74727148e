//! HTTP faults end to end: slow, huge, 5xx, redirect-loop, private-address
//! redirect, 404 and non-HTML URLs interleaved with good ones, on a real
//! broker and two local HTTP servers (the fault server of `http_server.rs`
//! and the page server: two `host:port`s, so two politeness queues). Every bad
//! URL gets a DLQ record with its kind; every good URL gets its article, and
//! the good host's URLs are all done before the first slow page has even
//! timed out, so faults on one host do not hold up another.
#[path = "support/kafka.rs"]
mod kafka;
#[path = "support/outputs.rs"]
mod outputs;
#[path = "support/pages.rs"]
mod pages;
mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kafka::{ensure_broker, produce, Collector, Received, TestTopics};
use outputs::input_url;
use pages::PageServer;
use support::http_server::{Robots, TestServer};
use tokio_util::sync::CancellationToken;

const FETCH_TIMEOUT_MS: u64 = 8_000;
const MAX_BODY_BYTES: usize = 256 * 1024;
const GOOD_URLS: usize = 12;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn http_faults_are_dead_lettered_with_their_kind_and_do_not_delay_other_hosts() {
    ensure_broker();
    let topics = TestTopics::new("faults");
    topics.create(1).await;
    let bad = TestServer::start(Robots::Missing).await;
    let good = PageServer::start(HashMap::new()).await;

    let mut config = topics.config();
    // The guard stays on; only the two test servers' host is let through,
    // so a redirect to another loopback address is refused.
    config.fetch.allow_private_networks = false;
    config.fetch.ssrf_exempt_hosts = vec!["127.0.0.1".into()];
    config.fetch.total_timeout_ms = FETCH_TIMEOUT_MS;
    config.fetch.max_body_bytes = MAX_BODY_BYTES;
    config.fetch.max_redirects = 3;
    config.fetch.per_host_concurrency = 2;
    config.fetch.per_host_min_delay_ms = 100;
    config.fetch.retry_max_attempts = 2;
    config.fetch.retry_initial_backoff_ms = 100;
    config.fetch.retry_max_backoff_ms = 200;

    let private_target = format!("http://127.0.0.2:{}/ok", bad.addr.port());
    let faults: Vec<(String, &str)> = vec![
        (bad.url("/slow-headers?case=1"), "timeout"),
        (bad.url("/large?case=2"), "too_large"),
        (bad.url("/status/500?case=3"), "http_5xx"),
        (bad.url("/always/503?case=4"), "http_5xx"),
        (bad.url("/loop/a?case=5"), "too_many_redirects"),
        (
            bad.url(&format!("/redirect?to={private_target}")),
            "private_address",
        ),
        (bad.url("/status/404?case=7"), "http_404"),
        (bad.url("/gzip-bomb?case=8"), "too_large"),
        (bad.url("/endless?case=9"), "too_large"),
        (bad.url("/type/pdf?case=10"), "not_html"),
        (bad.url("/slow-body?case=11"), "timeout"),
    ];
    let goods: Vec<String> = (0..GOOD_URLS)
        .map(|i| good.url(&format!("n/fault-good-{i}")))
        .collect();
    // Interleaved on one partition: a fault, then good ones, and so on.
    let mut payloads = Vec::new();
    let mut good_iter = goods.iter();
    for (url, _) in &faults {
        payloads.push(url.clone().into_bytes());
        for good_url in good_iter.by_ref().take(2) {
            payloads.push(good_url.clone().into_bytes());
        }
    }
    for good_url in good_iter {
        payloads.push(good_url.clone().into_bytes());
    }

    let collector = Collector::start(&topics.output_topics());
    let shutdown = CancellationToken::new();
    let worker = attache::worker::start(Arc::new(config), shutdown.clone())
        .await
        .expect("worker starts");
    produce(&topics.input, &payloads).await;

    let expected = faults.len() + goods.len();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let done = collector.with(|records| {
            records
                .iter()
                .map(|r| input_url(r, &topics.dlq))
                .collect::<std::collections::HashSet<_>>()
                .len()
        });
        if done >= expected || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(60), worker.task)
        .await
        .expect("worker stops in time")
        .expect("worker task joins")
        .expect("worker exits cleanly");
    let records = collector.snapshot();

    for (url, kind) in &faults {
        let dead: Vec<&Received> = records
            .iter()
            .filter(|r| r.topic == topics.dlq && input_url(r, &topics.dlq) == *url)
            .collect();
        assert_eq!(dead.len(), 1, "{url}: one DLQ record");
        assert_eq!(dead[0].headers["error.stage"], "fetch", "{url}");
        assert_eq!(dead[0].headers["error.kind"], *kind, "{url}");
    }
    for url in &goods {
        assert!(
            records
                .iter()
                .any(|r| r.topic == topics.articles && input_url(r, &topics.dlq) == *url),
            "{url}: no article"
        );
    }
    assert!(
        !records
            .iter()
            .any(|r| r.topic == topics.dlq && input_url(r, &topics.dlq).starts_with(&good.url("/"))),
        "no good URL was dead-lettered"
    );

    // Ordering, not a duration: the last good article arrived before the
    // first timeout was dead-lettered (the slow pages take >= 8 s to fail,
    // the good host needs about GOOD_URLS x 100 ms of politeness).
    let last_good = records
        .iter()
        .rposition(|r| r.topic == topics.articles)
        .expect("good articles");
    let first_timeout = records
        .iter()
        .position(|r| r.topic == topics.dlq && r.headers["error.kind"] == "timeout")
        .expect("timeouts");
    assert!(
        last_good < first_timeout,
        "a good URL waited for a slow page on another host"
    );
}

/// A backlog for one rate-limited host must not hold the in-flight slots:
/// 30 URLs of a host allowed one request per 300 ms, then 5 URLs of another
/// host, on one partition, with only 4 slots. The other host's articles all
/// come out before the busy host's 10th; with the busy host holding every
/// slot they would come after its 27th (ordering, not a duration).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_busy_host_does_not_hold_every_in_flight_slot() {
    ensure_broker();
    let topics = TestTopics::new("busyhost");
    topics.create(1).await;
    let busy = PageServer::start(HashMap::new()).await;
    let other = PageServer::start(HashMap::new()).await;

    let mut config = topics.config();
    config.worker.max_in_flight = 4;
    config.fetch.per_host_concurrency = 1;
    config.fetch.per_host_min_delay_ms = 300;
    let busy_urls: Vec<String> = (0..30).map(|i| busy.url(&format!("n/busy-{i}"))).collect();
    let other_urls: Vec<String> = (0..5).map(|i| other.url(&format!("n/other-{i}"))).collect();
    let payloads: Vec<Vec<u8>> = busy_urls
        .iter()
        .chain(&other_urls)
        .map(|u| u.clone().into_bytes())
        .collect();

    let collector = Collector::start(std::slice::from_ref(&topics.articles));
    let shutdown = CancellationToken::new();
    let worker = attache::worker::start(Arc::new(config), shutdown.clone())
        .await
        .expect("worker starts");
    produce(&topics.input, &payloads).await;
    let deadline = Instant::now() + Duration::from_secs(90);
    while collector.len() < payloads.len() {
        assert!(
            Instant::now() < deadline,
            "only {} of {} articles",
            collector.len(),
            payloads.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(60), worker.task)
        .await
        .expect("worker stops in time")
        .expect("worker task joins")
        .expect("worker exits cleanly");

    // The articles topic has one partition: its order is the publish order.
    let order: Vec<String> =
        collector.with(|records| records.iter().map(|r| input_url(r, &topics.dlq)).collect());
    let last_other = order
        .iter()
        .rposition(|u| other_urls.contains(u))
        .expect("the other host's articles");
    let busy_done_before = order[..last_other]
        .iter()
        .filter(|u| busy_urls.contains(u))
        .count();
    assert!(
        busy_done_before < 10,
        "the other host's last article came after {busy_done_before} of the busy host's"
    );
}

//! Broker restart: the broker is killed with SIGKILL while one worker is
//! busy, left down for a while, and started again on the same storage. The
//! worker must say it is not ready while the broker is gone, reconnect on
//! its own, and leave no input without its output.
//!
//! The broker is an Apache Kafka node of this test's own (not the shared
//! test broker), killed with SIGKILL and started again on the same log dirs
//! by scripts/kafka-dev.sh.
#[path = "support/kafka.rs"]
mod kafka;
#[path = "support/outputs.rs"]
mod outputs;
#[path = "support/pages.rs"]
mod pages;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kafka::{Collector, DevNode, TestTopics};
use outputs::{distinct_inputs, Audit};
use pages::PageServer;
use tokio_util::sync::CancellationToken;

const URLS: usize = 600;
const PARTITIONS: i32 = 2;
/// Every this-many-th URL is a copy of the seed page (two stories, events).
const SEED_EVERY: usize = 10;
/// Every this-many-th URL is a 404, so DLQ records cross the outage too.
const MISSING_EVERY: usize = 50;
/// The broker is killed once this many URLs have their outputs.
const KILL_AT: usize = URLS / 4;
/// How long the broker stays down once the worker has noticed.
const OUTAGE: Duration = Duration::from_secs(5);
const WAIT: Duration = Duration::from_secs(120);

fn url_for(server: &PageServer, i: usize) -> String {
    if i % MISSING_EVERY == MISSING_EVERY - 1 {
        server.url(&format!("missing/restart-{i}"))
    } else if i % SEED_EVERY == 3 {
        server.url(&format!("seed/restart-{i}"))
    } else {
        server.url(&format!("n/restart-{i}"))
    }
}

/// Polls `/readyz` until its status is `want`; returns the body then.
async fn wait_for_readyz(base: &str, want: u16, within: Duration) -> String {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + within;
    let mut last = String::new();
    loop {
        if let Ok(response) = client.get(format!("{base}/readyz")).send().await {
            let status = response.status().as_u16();
            let body = response.text().await.unwrap_or_default();
            if status == want {
                return body;
            }
            last = format!("{status} {body}");
        }
        assert!(
            Instant::now() < deadline,
            "/readyz did not turn {want} within {within:?}; last answer: {last}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn wait_for_outputs(collector: &Collector, dlq: &str, at_least: usize, broker: &DevNode) {
    let deadline = Instant::now() + WAIT;
    while distinct_inputs(collector, dlq) < at_least {
        assert!(
            Instant::now() < deadline,
            "only {} of {at_least} URLs had outputs within {WAIT:?}; broker log:\n{}",
            distinct_inputs(collector, dlq),
            broker.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Reads every output topic from the beginning with a new group until all
/// inputs have outputs and nothing new arrived for two seconds.
async fn read_outputs_afresh(broker: &DevNode, topics: &TestTopics) -> Vec<kafka::Received> {
    let reader = Collector::start_on(&broker.address(), &topics.output_topics());
    wait_for_outputs(&reader, &topics.dlq, URLS, broker).await;
    let mut seen = reader.len();
    loop {
        tokio::time::sleep(Duration::from_secs(2)).await;
        if reader.len() == seen {
            return reader.snapshot();
        }
        seen = reader.len();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn broker_killed_and_restarted_mid_run_loses_nothing() {
    let broker = DevNode::start(kafka::slots::BROKER_RESTART);
    let topics = TestTopics::on_broker("restart", &broker.address());
    topics.create(PARTITIONS).await;
    let server = PageServer::start(HashMap::new()).await;
    let urls: Vec<String> = (0..URLS).map(|i| url_for(&server, i)).collect();
    kafka::produce_urls(&broker.address(), &topics.input, &urls).await;

    // Paced so that the run spans the outage: 8 in flight and a 20 ms gap
    // between requests to the one page host make about 50 URLs a second.
    let mut config = topics.config();
    config.worker.max_in_flight = 8;
    config.fetch.per_host_min_delay_ms = 20;
    let shutdown = CancellationToken::new();
    let worker = attache::worker::start(Arc::new(config), shutdown.clone())
        .await
        .expect("worker starts");
    let base = format!("http://{}", worker.metrics_addr.expect("metrics enabled"));
    let collector = Collector::start_on(&broker.address(), &topics.output_topics());

    wait_for_readyz(&base, 200, WAIT).await;
    wait_for_outputs(&collector, &topics.dlq, KILL_AT, &broker).await;
    let committed_before_kill = topics.committed_input_offsets(PARTITIONS);
    broker.kill();
    let killed_at = Instant::now();
    let done_at_kill = distinct_inputs(&collector, &topics.dlq);

    // The outage shows on /readyz (statistics arrive once a second, and
    // librdkafka needs a moment to give up on the connection).
    let reason = wait_for_readyz(&base, 503, Duration::from_secs(30)).await;
    assert!(
        reason.contains("no broker connection"),
        "/readyz names the outage: {reason}"
    );
    let noticed_after = killed_at.elapsed();
    tokio::time::sleep(OUTAGE).await;
    let live = reqwest::get(format!("{base}/livez")).await.unwrap();
    assert_eq!(
        live.status().as_u16(),
        200,
        "alive (not restarted by k8s) during the outage"
    );
    assert!(!worker.task.is_finished(), "the worker keeps running");
    let done_during_outage = distinct_inputs(&collector, &topics.dlq);

    broker.restart();
    let restarted_at = Instant::now();
    let committed_after_restart = topics.committed_input_offsets(PARTITIONS);
    // The worker may commit once more between the reading and the kill.
    for (partition, before) in &committed_before_kill {
        let after = committed_after_restart.get(partition).copied();
        assert!(
            after >= Some(*before),
            "partition {partition}: committed {before} before the kill, {after:?} after the restart"
        );
    }
    wait_for_readyz(&base, 200, WAIT).await;
    let ready_after = restarted_at.elapsed();
    wait_for_outputs(&collector, &topics.dlq, URLS, &broker).await;

    // Let late replays arrive and offsets be committed, then stop cleanly.
    tokio::time::sleep(Duration::from_secs(2)).await;
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(40), worker.task)
        .await
        .expect("worker stops after shutdown")
        .unwrap()
        .expect("clean worker exit");
    tokio::time::sleep(Duration::from_secs(1)).await;

    // What downstream consumers see: every output topic read afresh from
    // the restarted broker (the in-run collector may have re-read records
    // when its own group was rebuilt, which would look like duplicates).
    drop(collector);
    let records = read_outputs_afresh(&broker, &topics).await;
    let audit = Audit::of(&records, &urls, &topics.dlq);
    let mut per_seed_page = std::collections::HashSet::new();
    for (i, url) in urls.iter().enumerate() {
        let distinct = audit.distinct(url);
        if i % MISSING_EVERY == MISSING_EVERY - 1 {
            assert_eq!(
                distinct.len(),
                1,
                "{url}: one DLQ record, same key on replay"
            );
            for record in &audit.by_url[url] {
                assert_eq!(record.topic, topics.dlq, "{url}");
                assert_eq!(record.headers["error.kind"], "http_404", "{url}");
            }
        } else if i % SEED_EVERY == 3 {
            per_seed_page.insert(distinct.len());
        } else if !distinct.is_empty() {
            assert_eq!(distinct.len(), 1, "{url}: one article, same key on replay");
        }
    }
    let committed: i64 = topics.committed_input_offsets(PARTITIONS).values().sum();
    println!(
        "broker restart: {URLS} URLs, broker SIGKILLed at {done_at_kill} done, /readyz 503 after \
         {noticed_after:.1?}, {done_during_outage} done when restarted, ready again after \
         {ready_after:.1?}, committed offsets kept {committed_before_kill:?}; lost {}, {} records ({} distinct outputs), duplicates {} (ratio \
         {:.4}), committed offsets {committed}",
        audit.lost.len(),
        records.len(),
        audit.distinct_outputs,
        audit.duplicates,
        audit.duplicate_ratio()
    );
    assert!(
        audit.lost.is_empty(),
        "{} URLs lost, e.g. {:?}",
        audit.lost.len(),
        audit.lost.iter().take(5).collect::<Vec<_>>()
    );
    assert!(audit.unexpected.is_empty(), "{:?}", audit.unexpected);
    // Two articles and two events per seed page, whatever was replayed.
    assert_eq!(
        per_seed_page,
        std::collections::HashSet::from([4]),
        "distinct outputs per seed page"
    );
    assert_eq!(
        committed, URLS as i64,
        "after the clean stop every input offset is committed"
    );
}

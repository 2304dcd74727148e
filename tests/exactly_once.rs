//! Exactly-once (`kafka.delivery = "exactly_once"`) on Apache Kafka: outputs
//! and input offsets committed in one transaction per batch, read back with
//! `isolation.level=read_committed`.
//!
//! The crash test kills the real binary with SIGKILL three times while it
//! works through 2,000 URLs: every (source URL, topic, key) output must be
//! committed exactly once, none lost, none twice.
#[path = "support/crash.rs"]
mod crash;
#[path = "support/failover.rs"]
mod failover;
#[path = "support/kafka.rs"]
mod kafka;
#[path = "support/outputs.rs"]
mod outputs;
#[path = "support/pages.rs"]
mod pages;
#[path = "support/worker_process.rs"]
mod worker_process;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use attache::config::Delivery;
use kafka::{ensure_broker, Collector, TestTopics};
use outputs::{distinct_inputs, Audit};
use pages::PageServer;
use tokio_util::sync::CancellationToken;
use worker_process::{WorkerProcess, WorkerSetup};

const URLS: usize = 2_000;
const PARTITIONS: i32 = 4;
/// Every this-many-th URL is a 404, so DLQ records are in the transactions too.
const MISSING_EVERY: usize = 40;
/// Every this-many-th URL is a copy of the seed page (two stories, events).
const SEED_EVERY: usize = 10;
const PROGRESS_TIMEOUT: Duration = Duration::from_secs(240);

/// Stops an in-process worker and checks it exits cleanly.
async fn stop(worker: attache::worker::RunningWorker, shutdown: CancellationToken) {
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(30), worker.task)
        .await
        .expect("stops in time")
        .expect("joins")
        .expect("exits cleanly");
}

fn url_of(server: &PageServer, i: usize) -> String {
    if i % MISSING_EVERY == MISSING_EVERY - 1 {
        server.url(&format!("missing/eos-{i}"))
    } else if i % SEED_EVERY == 4 {
        server.url(&format!("seed/eos-{i}"))
    } else {
        server.url(&format!("n/eos-{i}"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn outputs_and_offsets_commit_together() {
    ensure_broker();
    let topics = TestTopics::new("eos-basic");
    topics.create(2).await;
    let server = PageServer::start(HashMap::new()).await;
    let mut config = topics.config();
    config.kafka.delivery = Delivery::ExactlyOnce;
    config.kafka.transactional_id = Some(format!("{}-tx", topics.group));
    let shutdown = CancellationToken::new();
    let worker = attache::worker::start(Arc::new(config), shutdown.clone())
        .await
        .expect("exactly-once worker starts");
    let collector = Collector::start_on(&topics.broker, &topics.output_topics());
    let urls: Vec<String> = (0..40).map(|i| url_of(&server, i)).collect();
    kafka::produce_urls(&topics.broker, &topics.input, &urls).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while distinct_inputs(&collector, &topics.dlq) < urls.len() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let scrape = worker.metrics.render();
    stop(worker, shutdown).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let records = collector.snapshot();
    let audit = Audit::of(&records, &urls, &topics.dlq);
    assert!(audit.lost.is_empty(), "lost: {:?}", audit.lost);
    assert_eq!(audit.duplicates, 0);
    let committed: i64 = topics.committed_input_offsets(2).values().sum();
    assert_eq!(committed, urls.len() as i64);
    let committed_transactions = scrape
        .lines()
        .find(|l| l.starts_with("attache_transactions_total{result=\"committed\"}"))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0);
    assert!(committed_transactions >= 1.0, "{scrape}");
}

/// Exactly-once, with the same transactional id on every restart: the new
/// worker aborts at once the transaction its killed predecessor left open.
fn exactly_once_setup(topics: &TestTopics) -> WorkerSetup {
    WorkerSetup {
        env: vec![
            ("ATTACHE_KAFKA__DELIVERY".into(), "exactly_once".into()),
            (
                "ATTACHE_KAFKA__TRANSACTIONAL_ID".into(),
                format!("{}-tx", topics.group),
            ),
        ],
        config_file: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_three_times_commits_every_output_exactly_once() {
    ensure_broker();
    let started = Instant::now();
    let topics = TestTopics::new("eos-crash");
    topics.create(PARTITIONS).await;
    let server = PageServer::start(HashMap::new()).await;
    let logs = tempfile::tempdir().unwrap();
    let binary = worker_process::private_binary(logs.path());
    let urls: Vec<String> = (0..URLS).map(|i| url_of(&server, i)).collect();
    kafka::produce_urls(&topics.broker, &topics.input, &urls).await;
    let collector = Collector::start_on(&topics.broker, &topics.output_topics());

    let setup = exactly_once_setup(&topics);
    crash::kill_three_times(
        &binary,
        &topics,
        logs.path(),
        &setup,
        &collector,
        URLS,
        PROGRESS_TIMEOUT,
    )
    .await;

    let mut worker = WorkerProcess::spawn(&binary, "final", &topics, &setup, logs.path());
    crash::wait_for_progress(&collector, &topics.dlq, URLS, &mut worker, PROGRESS_TIMEOUT).await;
    // Give a wrongly repeated transaction time to show up before stopping.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let status = worker.terminate(Duration::from_secs(40)).await;
    assert!(status.success(), "clean exit after SIGTERM: {status}");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let records = collector.snapshot();
    let audit = Audit::of(&records, &urls, &topics.dlq);
    let committed: i64 = topics.committed_input_offsets(PARTITIONS).values().sum();
    let dead_letters = records.iter().filter(|r| r.topic == topics.dlq).count();
    println!(
        "exactly-once crash test: {URLS} URLs, 3 x SIGKILL, lost {}, duplicates {}, \
         records {} ({} distinct outputs, {dead_letters} DLQ), committed offsets {committed}, wall {:.1?}",
        audit.lost.len(),
        audit.duplicates,
        records.len(),
        audit.distinct_outputs,
        started.elapsed()
    );
    assert!(
        audit.lost.is_empty(),
        "{} URLs lost, e.g. {:?}",
        audit.lost.len(),
        audit.lost.iter().take(5).collect::<Vec<_>>()
    );
    assert!(audit.unexpected.is_empty(), "{:?}", audit.unexpected);
    assert_eq!(
        audit.duplicates, 0,
        "every (source URL, topic, key) is committed exactly once"
    );
    assert_eq!(records.len(), audit.distinct_outputs);
    assert_eq!(dead_letters, URLS / MISSING_EVERY);
    assert_eq!(committed, URLS as i64);
}

/// A second worker joins mid-stream: partitions move between two
/// transactional producers (cooperative-sticky rebalance). Finished work of
/// a revoked partition is committed before it goes or dropped, never
/// committed by both, so nothing is lost or doubled.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rebalance_mid_stream_neither_loses_nor_doubles_an_output() {
    ensure_broker();
    let topics = TestTopics::new("eos-rebalance");
    topics.create(PARTITIONS).await;
    let server = PageServer::start(HashMap::new()).await;
    let urls: Vec<String> = (0..600).map(|i| url_of(&server, i)).collect();
    let collector = Collector::start_on(&topics.broker, &topics.output_topics());
    let start_worker = |id: &str| {
        let mut config = topics.config();
        config.kafka.delivery = Delivery::ExactlyOnce;
        config.kafka.transactional_id = Some(format!("{}-{id}", topics.group));
        // Slower, so the join lands while work is in flight.
        config.worker.max_in_flight = 8;
        let shutdown = CancellationToken::new();
        let token = shutdown.clone();
        async move {
            let worker = attache::worker::start(Arc::new(config), token)
                .await
                .expect("worker starts");
            (worker, shutdown)
        }
    };
    let (first, first_stop) = start_worker("a").await;
    let (early, late) = urls.split_at(urls.len() / 2);
    kafka::produce_urls(&topics.broker, &topics.input, early).await;
    let deadline = Instant::now() + Duration::from_secs(120);
    while distinct_inputs(&collector, &topics.dlq) < urls.len() / 4 {
        assert!(Instant::now() < deadline, "no progress");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let joined_at = distinct_inputs(&collector, &topics.dlq);
    let (second, second_stop) = start_worker("b").await;
    // Only once the second worker owns a partition (it reports that
    // partition's lag) does the rest arrive: on an idle machine the first
    // worker could otherwise finish everything before the group rebalanced.
    while !second
        .metrics
        .render()
        .contains("attache_consumer_lag_messages{")
    {
        assert!(
            Instant::now() < deadline,
            "the second worker got no partition"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The rest arrives on every partition, whoever owns it by then.
    kafka::produce_urls(&topics.broker, &topics.input, late).await;
    while distinct_inputs(&collector, &topics.dlq) < urls.len() {
        assert!(
            Instant::now() < deadline,
            "stuck at {} of {}",
            distinct_inputs(&collector, &topics.dlq),
            urls.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let second_consumed = second.metrics.messages_consumed.get();
    tokio::time::sleep(Duration::from_secs(2)).await;
    for (worker, stop_token) in [(first, first_stop), (second, second_stop)] {
        stop(worker, stop_token).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let records = collector.snapshot();
    let audit = Audit::of(&records, &urls, &topics.dlq);
    println!(
        "exactly-once rebalance: second worker joined at {joined_at} of {} URLs and consumed \
         {second_consumed}; lost {}, duplicates {}, records {}",
        urls.len(),
        audit.lost.len(),
        audit.duplicates,
        records.len()
    );
    assert!(second_consumed > 0, "the second worker got partitions");
    assert!(audit.lost.is_empty(), "lost: {:?}", audit.lost);
    assert_eq!(audit.duplicates, 0);
    let committed: i64 = topics.committed_input_offsets(PARTITIONS).values().sum();
    assert_eq!(committed, urls.len() as i64);
}

/// Runs one in-process worker over `count` fresh numbered URLs; returns
/// URLs/s from its first consumed message until every URL is finished
/// (counted once acknowledged, or once its transaction committed).
async fn measure(server: &PageServer, delivery: Delivery, count: usize) -> f64 {
    let topics = TestTopics::new("eos-rate");
    topics.create(PARTITIONS).await;
    let urls: Vec<String> = (0..count)
        .map(|i| server.url(&format!("n/rate-{i}")))
        .collect();
    kafka::produce_urls(&topics.broker, &topics.input, &urls).await;
    let mut config = topics.config();
    config.kafka.delivery = delivery;
    config.kafka.transactional_id = Some(format!("{}-tx", topics.group));
    // The shipped default, not the tests' faster commits.
    config.worker.commit_interval_ms = 1_000;
    let shutdown = CancellationToken::new();
    let worker = attache::worker::start(Arc::new(config), shutdown.clone())
        .await
        .expect("worker starts");
    let deadline = Instant::now() + Duration::from_secs(600);
    let mut started = None;
    loop {
        assert!(
            Instant::now() < deadline,
            "{delivery:?}: not finished in time"
        );
        if worker.metrics.messages_consumed.get() > 0 {
            started.get_or_insert_with(Instant::now);
        }
        let finished: u64 = ["ok", "no_events", "failed"]
            .iter()
            .map(|o| worker.metrics.urls_processed.with_label_values(&[o]).get())
            .sum();
        if finished as usize >= count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let rate = count as f64 / started.unwrap().elapsed().as_secs_f64();
    stop(worker, shutdown).await;
    rate
}

/// The throughput cost of exactly-once against at-least-once, same build,
/// same broker, interleaved runs. A measurement, run by hand:
/// `cargo test --release --test exactly_once throughput -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "a measurement; run by hand"]
async fn throughput_of_exactly_once_against_at_least_once() {
    ensure_broker();
    let count: usize = std::env::var("RATE_URLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let server = PageServer::start(HashMap::new()).await;
    let mut at_least_once = Vec::new();
    let mut exactly_once = Vec::new();
    for round in 0..2 {
        // ALO, EOS, then EOS, ALO: drift on a shared machine hits both.
        let order = if round == 0 {
            [Delivery::AtLeastOnce, Delivery::ExactlyOnce]
        } else {
            [Delivery::ExactlyOnce, Delivery::AtLeastOnce]
        };
        for delivery in order {
            let rate = measure(&server, delivery, count).await;
            println!("{delivery:?}: {count} URLs at {rate:.0} URLs/s");
            match delivery {
                Delivery::AtLeastOnce => at_least_once.push(rate),
                Delivery::ExactlyOnce => exactly_once.push(rate),
            }
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    println!(
        "| delivery | URLs/s (runs) | mean |\n|---|---|---|\n| at_least_once | {:.0?} | {:.0} |\n| exactly_once | {:.0?} | {:.0} |\nratio exactly/at-least: {:.2}",
        at_least_once,
        mean(&at_least_once),
        exactly_once,
        mean(&exactly_once),
        mean(&exactly_once) / mean(&at_least_once)
    );
}

/// Broker failover on the three-node cluster (the leader of the input's
/// first partition SIGKILLed mid-run, then a rolling restart of all three)
/// under exactly-once: the shared scenario asserts 0 lost and 0 duplicates
/// read with `read_committed`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "flaky: stalled after the rolling restart stopped node 3 in 2 of 3 runs; see BENCHMARKS.md"]
async fn leader_killed_and_rolling_restart_neither_lose_nor_double_exactly_once() {
    let report = failover::broker_failover(
        kafka::slots::FAILOVER_EXACTLY_ONCE,
        failover::DeliveryMode::exactly_once(),
    )
    .await;
    println!(
        "failover (exactly-once): {} URLs, node {} SIGKILLed at {} done, lost {}, \
         duplicates {} of {} distinct outputs, wall {:.1?}",
        report.produced,
        report.killed_node,
        report.done_at_kill,
        report.lost,
        report.duplicates,
        report.distinct_outputs,
        report.wall
    );
}

//! End-to-end throughput and memory of the worker on this machine.
//!
//! `cargo bench --bench pipeline [-- URLS]` starts the local broker (Apache
//! Kafka, scripts/kafka-dev.sh), serves
//! synthetic article pages from 127.0.0.1, produces URLS (default 20000)
//! input messages, then runs, in the same run and on the same broker:
//! - the peer: a Kafka Connect-style pass-through on rdkafka (consume each
//!   URL, hand it to a batching producer, flush and commit asynchronously
//!   every second), the ceiling any Kafka worker on this broker can reach;
//! - attache: the real binary (`attache run`, release build, default
//!   `max_in_flight`), fetching, extracting and publishing every page.
//!
//! It prints URLs/s of both, their ratio, and attache's peak RSS.
#[path = "../tests/support/kafka.rs"]
mod kafka;
#[path = "../tests/support/pages.rs"]
mod pages;

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::producer::FutureRecord;
use rdkafka::ClientConfig;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo test --all-targets` runs harness-less benches too; only
    // `cargo bench` (which passes --bench) should start this long run.
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("pipeline bench: run it with `cargo bench --bench pipeline`");
        return;
    }
    let urls: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(20_000);
    kafka::ensure_broker();
    let server = pages::PageServer::start(HashMap::new()).await;
    let topics = kafka::TestTopics::new("bench");
    topics.create(4).await;
    let passthrough_out = format!("{}.passthrough", topics.input);
    kafka::create_topics(&[&passthrough_out], 1).await;

    let payloads: Vec<Vec<u8>> = (0..urls)
        .map(|i| server.url(&format!("n/{i}")).into_bytes())
        .collect();
    let producer = kafka::producer();
    let sends = payloads.iter().enumerate().map(|(i, p)| {
        let key = format!("{i}");
        let producer = producer.clone();
        let topic = topics.input.clone();
        async move {
            producer
                .send(
                    FutureRecord::to(&topic).key(&key).payload(p),
                    Duration::from_secs(30),
                )
                .await
                .map_err(|(e, _)| e)
                .expect("produce");
        }
    });
    futures::future::join_all(sends).await;
    eprintln!("produced {urls} URLs to {}", topics.input);

    let peer = passthrough(&topics.input, &passthrough_out, urls).await;
    let (attache_rate, peak_rss_kib) = run_attache(&topics, urls).await;

    println!();
    println!("| system | URLs | URLs/s | ratio to peer |");
    println!("|---|---|---|---|");
    println!("| Connect-style rdkafka pass-through (peer) | {urls} | {peer:.0} | 1.00 |");
    println!(
        "| attache run (fetch+extract+events+publish) | {urls} | {attache_rate:.0} | {:.2} |",
        attache_rate / peer
    );
    println!();
    println!(
        "attache peak RSS: {:.1} MiB (VmHWM)",
        peak_rss_kib as f64 / 1024.0
    );
}

/// How the peer batches, as a Kafka Connect or MirrorMaker 2 task would:
/// records are handed to the producer without waiting for each ack (the
/// producer batches them with `linger.ms`), and offsets are committed
/// asynchronously every `COMMIT_EVERY` once everything sent before has been
/// acknowledged (Connect's flush-then-commit), so nothing is committed
/// ahead of its output.
const PEER_COMMIT_EVERY: Duration = Duration::from_secs(1);
/// Records handed to the producer and not yet acknowledged, at most.
const PEER_MAX_IN_FLIGHT: usize = 50_000;

/// The peer: a Kafka Connect-style pass-through (consume, produce batched,
/// flush, commit async), with attache's producer settings (idempotent,
/// acks=all, lz4, linger.ms=5). The ceiling of any worker that does
/// nothing per record on this broker.
async fn passthrough(input: &str, output: &str, count: usize) -> f64 {
    use futures::StreamExt;
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", kafka::BROKER.as_str())
        .set("group.id", kafka::unique("passthrough"))
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .set("session.timeout.ms", "6000")
        .set("fetch.min.bytes", "65536")
        .set("fetch.wait.max.ms", "50")
        .create()
        .unwrap();
    consumer.subscribe(&[input]).unwrap();
    let producer: rdkafka::producer::FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", kafka::BROKER.as_str())
        .set("enable.idempotence", "true")
        .set("acks", "all")
        .set("compression.type", "lz4")
        .set("linger.ms", "5")
        .set("batch.size", "1000000")
        .set("queue.buffering.max.messages", "200000")
        .create()
        .unwrap();
    let mut started: Option<Instant> = None;
    let mut pending: futures::stream::FuturesUnordered<
        std::pin::Pin<
            Box<dyn std::future::Future<Output = rdkafka::error::KafkaResult<()>> + Send>,
        >,
    > = futures::stream::FuturesUnordered::new();
    let mut acknowledged = 0usize;
    let mut received = 0usize;
    let mut commits = 0usize;
    let mut next_commit = Instant::now() + PEER_COMMIT_EVERY;
    while acknowledged < count {
        if Instant::now() >= next_commit || received == count {
            // Flush, then commit what was consumed: every record before the
            // consumer's position now has its output.
            while let Some(ack) = pending.next().await {
                ack.expect("passthrough produce");
                acknowledged += 1;
            }
            if received > 0 {
                consumer
                    .commit_consumer_state(CommitMode::Async)
                    .expect("async commit");
                commits += 1;
            }
            next_commit = Instant::now() + PEER_COMMIT_EVERY;
            continue;
        }
        tokio::select! {
            Some(ack) = pending.next(), if !pending.is_empty() => {
                ack.expect("passthrough produce");
                acknowledged += 1;
            }
            message = consumer.recv(), if received < count && pending.len() < PEER_MAX_IN_FLIGHT => {
                let message = message.unwrap();
                started.get_or_insert_with(Instant::now);
                received += 1;
                let record = FutureRecord::to(output)
                    .payload(rdkafka::Message::payload(&message).unwrap_or_default())
                    .key(rdkafka::Message::key(&message).unwrap_or_default());
                let delivery = producer
                    .send_result(record)
                    .map_err(|(e, _)| e)
                    .expect("producer queue has room");
                pending.push(Box::pin(async move {
                    delivery
                        .await
                        .expect("delivery future")
                        .map(|_| ())
                        .map_err(|(e, _)| e)
                }));
            }
            _ = tokio::time::sleep_until(next_commit.into()) => {}
        }
    }
    let elapsed = started.unwrap().elapsed().as_secs_f64();
    eprintln!("peer: {count} records, {commits} async commits, {elapsed:.2} s");
    count as f64 / elapsed
}

/// Runs the release binary until every URL has an outcome; returns URLs/s
/// (from the first message consumed) and peak RSS in KiB.
async fn run_attache(topics: &kafka::TestTopics, count: usize) -> (f64, u64) {
    let metrics_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_attache"))
        .arg("run")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ATTACHE_KAFKA__BROKERS", kafka::BROKER.as_str())
        .env("ATTACHE_KAFKA__GROUP_ID", &topics.group)
        .env("ATTACHE_KAFKA__SESSION_TIMEOUT_MS", "6000")
        .env("ATTACHE_TOPICS__INPUT", &topics.input)
        .env("ATTACHE_TOPICS__ARTICLES", &topics.articles)
        .env("ATTACHE_TOPICS__DLQ", &topics.dlq)
        .env(
            "ATTACHE_TOPICS__EVENTS_DEFAULT",
            format!("{}.{{type}}", topics.events_prefix),
        )
        .env("ATTACHE_FETCH__ALLOW_PRIVATE_NETWORKS", "true")
        .env("ATTACHE_FETCH__PER_HOST_MIN_DELAY_MS", "0")
        .env("ATTACHE_FETCH__PER_HOST_CONCURRENCY", "1000")
        .env(
            "ATTACHE_METRICS__LISTEN",
            format!("127.0.0.1:{metrics_port}"),
        )
        .env("ATTACHE_LOG__LEVEL", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("start attache");
    let client = reqwest::Client::new();
    let scrape = |name: &'static str| {
        let client = client.clone();
        async move {
            let text = client
                .get(format!("http://127.0.0.1:{metrics_port}/metrics"))
                .send()
                .await
                .ok()?
                .text()
                .await
                .ok()?;
            Some(
                text.lines()
                    .filter(|l| l.starts_with(name))
                    .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
                    .sum::<f64>(),
            )
        }
    };
    let mut started: Option<Instant> = None;
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        assert!(Instant::now() < deadline, "attache did not finish in time");
        tokio::time::sleep(Duration::from_millis(20)).await;
        let consumed = scrape("attache_messages_consumed_total")
            .await
            .unwrap_or(0.0);
        if consumed > 0.0 && started.is_none() {
            started = Some(Instant::now());
        }
        let finished = scrape("attache_urls_processed_total").await.unwrap_or(0.0);
        if finished as usize >= count {
            break;
        }
    }
    let elapsed = started.unwrap().elapsed().as_secs_f64();
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
    let peak_kib = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0);
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    (count as f64 / elapsed, peak_kib)
}

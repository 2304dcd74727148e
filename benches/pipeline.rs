//! End-to-end throughput and memory of the worker on this machine.
//!
//! `cargo bench --bench pipeline [-- URLS]` starts the local broker, serves
//! synthetic article pages from 127.0.0.1, produces URLS (default 20000)
//! input messages, then runs, in the same run and on the same broker:
//! - the peer: a bare rdkafka pass-through (consume each URL, produce it to
//!   an output topic, wait for the ack, commit), the ceiling any Kafka
//!   worker on this broker can reach;
//! - attache: the real binary (`attache run`, release build, default
//!   `max_in_flight`), fetching, extracting and publishing every page.
//!
//! It prints URLs/s of both, their ratio, and attache's peak RSS.
//! `BENCH_DELIVERY=exactly_once` runs attache with Kafka transactions.
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
    let delivery = std::env::var("BENCH_DELIVERY").unwrap_or_else(|_| "at_least_once".into());
    let (attache_rate, peak_rss_kib) = run_attache(&topics, urls, &delivery).await;

    println!();
    println!("| system | URLs | URLs/s | ratio to peer |");
    println!("|---|---|---|---|");
    println!("| rdkafka pass-through (peer) | {urls} | {peer:.0} | 1.00 |");
    println!(
        "| attache run (fetch+extract+events+publish, {delivery}) | {urls} | {attache_rate:.0} | {:.2} |",
        attache_rate / peer
    );
    println!();
    println!(
        "attache peak RSS: {:.1} MiB (VmHWM)",
        peak_rss_kib as f64 / 1024.0
    );
}

/// Consume -> produce -> ack -> commit, 64 in flight, like a minimal connector.
async fn passthrough(input: &str, output: &str, count: usize) -> f64 {
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", kafka::BROKER.as_str())
        .set("group.id", kafka::unique("passthrough"))
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .set("session.timeout.ms", "6000")
        .create()
        .unwrap();
    consumer.subscribe(&[input]).unwrap();
    let producer: rdkafka::producer::FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", kafka::BROKER.as_str())
        .set("enable.idempotence", "true")
        .set("linger.ms", "5")
        .create()
        .unwrap();
    let mut started: Option<Instant> = None;
    let mut pending = futures::stream::FuturesUnordered::new();
    let mut done = 0usize;
    let mut received = 0usize;
    use futures::StreamExt;
    while done < count {
        tokio::select! {
            Some(()) = pending.next(), if !pending.is_empty() => { done += 1; }
            message = consumer.recv(), if received < count && pending.len() < 64 => {
                let message = message.unwrap();
                started.get_or_insert_with(Instant::now);
                received += 1;
                let payload = rdkafka::Message::payload(&message).unwrap_or_default().to_vec();
                let producer = producer.clone();
                let output = output.to_string();
                pending.push(async move {
                    producer
                        .send(FutureRecord::<(), _>::to(&output).payload(&payload), Duration::from_secs(30))
                        .await
                        .map_err(|(e, _)| e)
                        .expect("passthrough produce");
                });
                if received % 1000 == 0 {
                    let _ = consumer.commit_consumer_state(CommitMode::Async);
                }
            }
        }
    }
    let elapsed = started.unwrap().elapsed().as_secs_f64();
    count as f64 / elapsed
}

/// Runs the release binary until every URL has an outcome; returns URLs/s
/// (from the first message consumed) and peak RSS in KiB.
async fn run_attache(topics: &kafka::TestTopics, count: usize, delivery: &str) -> (f64, u64) {
    let metrics_port = 19898;
    let mut child = Command::new(env!("CARGO_BIN_EXE_attache"))
        .arg("run")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ATTACHE_KAFKA__BROKERS", kafka::BROKER.as_str())
        .env("ATTACHE_KAFKA__GROUP_ID", &topics.group)
        .env("ATTACHE_KAFKA__SESSION_TIMEOUT_MS", "6000")
        .env("ATTACHE_KAFKA__DELIVERY", delivery)
        .env(
            "ATTACHE_KAFKA__TRANSACTIONAL_ID",
            format!("{}-tx", topics.group),
        )
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

//! Broker failover on a three-node cluster (replication factor 3,
//! `min.insync.replicas=2`), for either delivery mode: while URLs are
//! produced and processed, the leader of the input's first partition is
//! SIGKILLed and later started again, then all three nodes are restarted
//! one by one (graceful stop, start, wait until every replica is back in
//! sync). Nothing the test producer got acknowledged may lose its output.
//!
//! The including test crate must also include `support/kafka.rs` as
//! `kafka`, `support/outputs.rs` as `outputs`, `support/pages.rs` as
//! `pages` and `support/worker_process.rs` as `worker_process`.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::producer::FutureRecord;

use crate::kafka::{Collector, DevCluster, Received, TestTopics};
use crate::outputs::{distinct_inputs, Audit};
use crate::pages::PageServer;
use crate::worker_process::{private_binary, WorkerProcess, WorkerSetup};

/// The delivery mode under test and what it promises.
#[derive(Debug, Clone)]
pub struct DeliveryMode {
    pub label: &'static str,
    /// `ATTACHE_*` settings that select the mode.
    pub env: Vec<(String, String)>,
    /// Exactly-once: every (source URL, topic, key) output exactly once.
    pub no_duplicates: bool,
}

impl DeliveryMode {
    pub fn at_least_once() -> Self {
        Self {
            label: "at-least-once",
            env: vec![("ATTACHE_KAFKA__DELIVERY".into(), "at_least_once".into())],
            no_duplicates: false,
        }
    }

    pub fn exactly_once() -> Self {
        Self {
            label: "exactly-once",
            env: vec![("ATTACHE_KAFKA__DELIVERY".into(), "exactly_once".into())],
            no_duplicates: true,
        }
    }
}

const INPUT_PARTITIONS: i32 = 3;
/// URLs produced per second while the brokers fail and restart, up to
/// [`MAX_URLS`] (the producer stops earlier once the failures are over).
const PRODUCE_PER_SEC: u64 = 20;
const MAX_URLS: usize = 30_000;
/// Every this-many-th URL is a copy of the seed page (two stories, events).
const SEED_EVERY: usize = 10;
/// Every this-many-th URL is a 404, so DLQ records cross the failures too.
const MISSING_EVERY: usize = 50;
/// URLs that must get their outputs between two failure steps.
const STEP_PROGRESS: usize = 60;
const WAIT: Duration = Duration::from_secs(180);

fn url_for(server: &PageServer, i: usize) -> String {
    if i % MISSING_EVERY == MISSING_EVERY - 1 {
        server.url(&format!("missing/failover-{i}"))
    } else if i % SEED_EVERY == 3 {
        server.url(&format!("seed/failover-{i}"))
    } else {
        server.url(&format!("n/failover-{i}"))
    }
}

/// One `/readyz` answer that differed from the one before.
#[derive(Debug, Clone)]
pub struct ReadyzChange {
    pub at: Duration,
    pub status: Option<u16>,
    pub body: String,
}

/// What one failover run saw.
#[derive(Debug)]
pub struct FailoverReport {
    pub mode: &'static str,
    pub produced: usize,
    pub killed_node: i32,
    pub done_at_kill: usize,
    /// From the SIGKILL until [`STEP_PROGRESS`] more URLs had outputs.
    pub progress_after_kill: Duration,
    pub readyz_changes: Vec<ReadyzChange>,
    /// When each step of the scenario ended, from the start.
    pub phases: Vec<(String, Duration)>,
    pub lost: usize,
    pub duplicates: usize,
    pub distinct_outputs: usize,
    pub committed: i64,
    pub wall: Duration,
}

/// Produces URLs at a steady rate until `stop`; returns the URLs whose
/// records the cluster acknowledged (all of them, or the test fails).
struct SteadyProducer {
    stop: tokio_util::sync::CancellationToken,
    task: tokio::task::JoinHandle<Vec<String>>,
}

impl SteadyProducer {
    fn start(topics: &TestTopics, server: Arc<PageServer>) -> Self {
        let producer = rdkafka::ClientConfig::new()
            .set("bootstrap.servers", &topics.broker)
            .set("acks", "all")
            .set("enable.idempotence", "true")
            // Long enough to ride out a leader election and a restart.
            .set("message.timeout.ms", "120000")
            .create::<rdkafka::producer::FutureProducer>()
            .expect("input producer");
        let stop = tokio_util::sync::CancellationToken::new();
        let (input, until) = (topics.input.clone(), stop.clone());
        let task = tokio::spawn(async move {
            let mut ticker = tokio::time::interval(Duration::from_millis(1000 / PRODUCE_PER_SEC));
            let mut sends = Vec::new();
            let mut i = 0usize;
            while !until.is_cancelled() && i < MAX_URLS {
                ticker.tick().await;
                let url = url_for(&server, i);
                let (producer, input) = (producer.clone(), input.clone());
                sends.push(tokio::spawn(async move {
                    let key = format!("k{i}");
                    producer
                        .send(
                            FutureRecord::to(&input).key(&key).payload(&url),
                            Duration::from_secs(120),
                        )
                        .await
                        .map(|_| url)
                        .map_err(|(e, _)| e)
                }));
                i += 1;
            }
            let mut acknowledged = Vec::new();
            for send in sends {
                let url = send
                    .await
                    .unwrap()
                    .expect("the cluster acknowledges every input URL");
                acknowledged.push(url);
            }
            acknowledged
        });
        Self { stop, task }
    }

    async fn finish(self) -> Vec<String> {
        self.stop.cancel();
        self.task.await.unwrap()
    }
}

/// Polls a worker's `/readyz` every 200 ms and keeps each change.
fn watch_readyz(
    base: String,
    started: Instant,
) -> (Arc<Mutex<Vec<ReadyzChange>>>, tokio::task::JoinHandle<()>) {
    let changes: Arc<Mutex<Vec<ReadyzChange>>> = Arc::default();
    let sink = Arc::clone(&changes);
    let task = tokio::spawn(async move {
        let client = reqwest::Client::new();
        loop {
            let answer = match client
                .get(format!("{base}/readyz"))
                .timeout(Duration::from_secs(2))
                .send()
                .await
            {
                Ok(response) => {
                    let status = response.status().as_u16();
                    (Some(status), response.text().await.unwrap_or_default())
                }
                Err(e) => (None, e.to_string()),
            };
            {
                let mut changes = sink.lock().unwrap();
                let changed = changes.last().map_or(true, |last| {
                    (last.status, &last.body) != (answer.0, &answer.1)
                });
                if changed {
                    changes.push(ReadyzChange {
                        at: started.elapsed(),
                        status: answer.0,
                        body: answer.1,
                    });
                }
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    (changes, task)
}

async fn wait_for_outputs(
    collector: &Collector,
    dlq: &str,
    at_least: usize,
    worker: &mut WorkerProcess,
    what: &str,
) {
    let deadline = Instant::now() + WAIT;
    while distinct_inputs(collector, dlq) < at_least {
        if let Some(status) = worker.exited() {
            panic!(
                "worker exited ({status}) during {what}; log:\n{}",
                worker.log_text()
            );
        }
        if Instant::now() >= deadline {
            let log = worker.log_text();
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            panic!(
                "{what}: only {} of {at_least} URLs had outputs within {WAIT:?}; worker log (last lines):\n{}",
                distinct_inputs(collector, dlq),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Reads every output topic afresh (read_committed, librdkafka's default)
/// until all `urls` have outputs and nothing new arrived for two seconds.
async fn read_outputs_afresh(topics: &TestTopics, urls: &[String]) -> Vec<Received> {
    let reader = Collector::start_on(&topics.broker, &topics.output_topics());
    let deadline = Instant::now() + WAIT;
    while distinct_inputs(&reader, &topics.dlq) < urls.len() {
        assert!(
            Instant::now() < deadline,
            "reading afresh: {} of {} URLs",
            distinct_inputs(&reader, &topics.dlq),
            urls.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut seen = reader.len();
    loop {
        tokio::time::sleep(Duration::from_secs(2)).await;
        if reader.len() == seen {
            return reader.snapshot();
        }
        seen = reader.len();
    }
}

/// The whole scenario on a fresh cluster in `slot` (see `kafka::slots`).
/// Asserts 0 lost (and 0 duplicates for exactly-once); returns the figures.
pub async fn broker_failover(slot: u16, mode: DeliveryMode) -> FailoverReport {
    let started = Instant::now();
    let mut phases: Vec<(String, Duration)> = Vec::new();
    let mut phase = |name: &str| {
        println!("failover: {name} at {:.1?}", started.elapsed());
        phases.push((name.to_string(), started.elapsed()));
    };
    let cluster = DevCluster::start(slot);
    phase("cluster started");
    let topics = TestTopics::on_cluster("failover", &cluster);
    topics.create(INPUT_PARTITIONS).await;
    cluster.wait_in_sync(&topics.all_topics(), WAIT);
    let server = Arc::new(PageServer::start(HashMap::new()).await);
    let dir = tempfile::tempdir().unwrap();
    let binary = private_binary(dir.path());
    let setup = WorkerSetup {
        env: mode.env.clone(),
        config_file: None,
    };
    let mut worker = WorkerProcess::spawn(&binary, "failover-worker", &topics, &setup, dir.path());
    worker.wait_readyz(200, WAIT).await;
    phase("worker ready");
    let (readyz, watcher) = watch_readyz(worker.base.clone(), started);
    let collector = Collector::start_on(&topics.broker, &topics.output_topics());
    let producer = SteadyProducer::start(&topics, Arc::clone(&server));
    wait_for_outputs(
        &collector,
        &topics.dlq,
        STEP_PROGRESS,
        &mut worker,
        "warm-up",
    )
    .await;

    // 1. SIGKILL the leader of the input's first partition.
    let killed_node = cluster.leader(&topics.input, 0);
    assert!(killed_node > 0, "input partition 0 has a leader");
    let done_at_kill = distinct_inputs(&collector, &topics.dlq);
    cluster.kill_node(killed_node);
    let killed_at = Instant::now();
    phase(&format!("node {killed_node} killed"));
    wait_for_outputs(
        &collector,
        &topics.dlq,
        done_at_kill + STEP_PROGRESS,
        &mut worker,
        "the leader's outage",
    )
    .await;
    let progress_after_kill = killed_at.elapsed();
    let new_leader = cluster.leader(&topics.input, 0);
    assert!(
        new_leader > 0 && new_leader != killed_node,
        "input partition 0 moved from node {killed_node} to a live node, not {new_leader}"
    );
    phase("progress without it");
    cluster.start_node(killed_node);
    phase(&format!("node {killed_node} restarted"));
    cluster.wait_in_sync(&topics.all_topics(), WAIT);
    phase("in sync");

    // 2. Rolling restart: each node stopped, the work goes on, started again
    //    and caught up before the next one goes.
    for node in 1..=3 {
        let done = distinct_inputs(&collector, &topics.dlq);
        cluster.stop_node(node);
        phase(&format!("node {node} stopped"));
        wait_for_outputs(
            &collector,
            &topics.dlq,
            done + STEP_PROGRESS,
            &mut worker,
            &format!("the restart of node {node}"),
        )
        .await;
        phase("progress without it");
        cluster.start_node(node);
        phase(&format!("node {node} started"));
        cluster.wait_in_sync(&topics.all_topics(), WAIT);
        phase("in sync");
    }

    let urls = producer.finish().await;
    wait_for_outputs(
        &collector,
        &topics.dlq,
        urls.len(),
        &mut worker,
        "the tail of the run",
    )
    .await;
    phase("all outputs");
    tokio::time::sleep(Duration::from_secs(2)).await;
    watcher.abort();
    let status = worker.terminate(Duration::from_secs(40)).await;
    assert!(status.success(), "clean exit after SIGTERM: {status}");
    drop(collector);

    let records = read_outputs_afresh(&topics, &urls).await;
    let audit = Audit::of(&records, &urls, &topics.dlq);
    let committed: i64 = topics
        .committed_input_offsets(INPUT_PARTITIONS)
        .values()
        .sum();
    let readyz_changes = readyz.lock().unwrap().clone();
    let report = FailoverReport {
        mode: mode.label,
        produced: urls.len(),
        killed_node,
        done_at_kill,
        progress_after_kill,
        readyz_changes,
        phases,
        lost: audit.lost.len(),
        duplicates: audit.duplicates,
        distinct_outputs: audit.distinct_outputs,
        committed,
        wall: started.elapsed(),
    };
    println!("broker failover: {report:#?}");
    assert!(
        audit.lost.is_empty(),
        "{}: {} URLs lost, e.g. {:?}",
        mode.label,
        audit.lost.len(),
        audit.lost.iter().take(5).collect::<Vec<_>>()
    );
    assert!(audit.unexpected.is_empty(), "{:?}", audit.unexpected);
    if mode.no_duplicates {
        assert_eq!(audit.duplicates, 0, "{}: duplicates", mode.label);
    }
    for (i, url) in urls.iter().enumerate() {
        let distinct = audit.distinct(url).len();
        let want = if i % MISSING_EVERY == MISSING_EVERY - 1 {
            1 // one dead letter
        } else if i % SEED_EVERY == 3 {
            4 // two articles, two events
        } else {
            1 // one article
        };
        assert_eq!(distinct, want, "{url}: distinct outputs");
    }
    assert_eq!(
        committed,
        urls.len() as i64,
        "after the clean stop every input offset is committed"
    );
    for change in &report.readyz_changes {
        if change.status != Some(200) {
            assert!(
                change.body.starts_with("not ready:"),
                "a not-ready answer names its cause: {change:?}"
            );
        }
    }
    report
}

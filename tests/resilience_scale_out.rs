//! Group scale-out: three worker processes share one group on a
//! 6-partition input; a fourth joins mid-stream, then one of the first three
//! is SIGKILLed. With `partition.assignment.strategy=cooperative-sticky`
//! only the partitions that move are revoked. Nothing may be lost;
//! duplicates (replays of the killed worker's uncommitted work) are
//! counted and reported.
#[path = "support/kafka.rs"]
mod kafka;
#[path = "support/outputs.rs"]
mod outputs;
#[path = "support/pages.rs"]
mod pages;
#[path = "support/worker_process.rs"]
mod worker_process;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use kafka::{ensure_broker, Collector, TestTopics};
use outputs::{distinct_inputs, Audit};
use pages::PageServer;
use worker_process::{private_binary, WorkerProcess, WorkerSetup};

const URLS: usize = 3_000;
const PARTITIONS: i32 = 6;
/// Every this-many-th URL is a copy of the seed page (two stories, events).
const SEED_EVERY: usize = 10;
/// Every this-many-th URL is a 404 (a dead letter).
const MISSING_EVERY: usize = 50;
const WAIT: Duration = Duration::from_secs(240);

fn url_for(server: &PageServer, i: usize) -> String {
    if i % MISSING_EVERY == MISSING_EVERY - 1 {
        server.url(&format!("missing/scale-{i}"))
    } else if i % SEED_EVERY == 5 {
        server.url(&format!("seed/scale-{i}"))
    } else {
        server.url(&format!("n/scale-{i}"))
    }
}

/// How many input messages each worker consumed, from its own metrics.
async fn consumed(worker: &WorkerProcess) -> Option<f64> {
    let text = reqwest::get(format!("{}/metrics", worker.base))
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    Some(
        text.lines()
            .filter(|l| l.starts_with("attache_messages_consumed_total"))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum(),
    )
}

async fn wait_for_outputs(
    collector: &Collector,
    dlq: &str,
    at_least: usize,
    workers: &mut [WorkerProcess],
) {
    let deadline = Instant::now() + WAIT;
    while distinct_inputs(collector, dlq) < at_least {
        for worker in workers.iter_mut() {
            if let Some(status) = worker.exited() {
                panic!(
                    "{} exited on its own ({status}); log:\n{}",
                    worker.name,
                    worker.log_text()
                );
            }
        }
        assert!(
            Instant::now() < deadline,
            "only {} of {at_least} URLs had outputs within {WAIT:?}",
            distinct_inputs(collector, dlq)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_fourth_worker_joins_and_one_is_killed_without_losing_a_url() {
    ensure_broker();
    let started = Instant::now();
    let topics = TestTopics::new("scale");
    topics.create(PARTITIONS).await;
    let server = PageServer::start(HashMap::new()).await;
    let urls: Vec<String> = (0..URLS).map(|i| url_for(&server, i)).collect();
    kafka::produce_urls(&topics.broker, &topics.input, &urls).await;

    let dir = tempfile::tempdir().unwrap();
    let binary = private_binary(dir.path());
    let config_file = dir.path().join("scale-out.toml");
    std::fs::write(
        &config_file,
        "[kafka.properties]\n\"partition.assignment.strategy\" = \"cooperative-sticky\"\n",
    )
    .unwrap();
    let setup = WorkerSetup {
        // Paced (a 20 ms gap between requests to the one page host per
        // worker) so that the run spans the join and the kill.
        env: vec![
            ("ATTACHE_FETCH__PER_HOST_MIN_DELAY_MS".into(), "20".into()),
            ("ATTACHE_WORKER__MAX_IN_FLIGHT".into(), "8".into()),
        ],
        config_file: Some(config_file),
    };
    let collector = Collector::start(&topics.output_topics());
    let mut workers: Vec<WorkerProcess> = (1..=3)
        .map(|n| WorkerProcess::spawn(&binary, &format!("worker-{n}"), &topics, &setup, dir.path()))
        .collect();
    for worker in &mut workers {
        worker.wait_readyz(200, WAIT).await;
    }

    wait_for_outputs(&collector, &topics.dlq, URLS / 5, &mut workers).await;
    let joined_at = distinct_inputs(&collector, &topics.dlq);
    workers.push(WorkerProcess::spawn(
        &binary,
        "worker-4",
        &topics,
        &setup,
        dir.path(),
    ));
    workers[3].wait_readyz(200, WAIT).await;

    wait_for_outputs(&collector, &topics.dlq, URLS / 2, &mut workers).await;
    // The fourth must have taken partitions over: it consumes on its own.
    let deadline = Instant::now() + WAIT;
    while consumed(&workers[3]).await.unwrap_or(0.0) < 1.0 {
        assert!(
            Instant::now() < deadline,
            "worker-4 got no partition; log:\n{}",
            workers[3].log_text()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut consumed_before_kill = Vec::new();
    for worker in &workers {
        consumed_before_kill.push(consumed(worker).await.unwrap_or(0.0));
    }
    let killed_at = distinct_inputs(&collector, &topics.dlq);
    let mut killed = workers.remove(1);
    killed.kill();
    let kill_time = Instant::now();

    wait_for_outputs(&collector, &topics.dlq, URLS, &mut workers).await;
    let finished_after_kill = kill_time.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    for worker in &mut workers {
        let status = worker.terminate(Duration::from_secs(40)).await;
        assert!(status.success(), "{}: clean exit: {status}", worker.name);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;

    let records = collector.snapshot();
    let audit = Audit::of(&records, &urls, &topics.dlq);
    let committed: i64 = topics.committed_input_offsets(PARTITIONS).values().sum();
    println!(
        "scale-out: {URLS} URLs on {PARTITIONS} partitions, 3 workers, a 4th joined at {joined_at} \
         done, worker-2 SIGKILLed at {killed_at} done (consumed per worker before the kill \
         {consumed_before_kill:?}), all done {finished_after_kill:.1?} after the kill; lost {}, \
         {} records ({} distinct outputs), duplicates {} (ratio {:.4}), committed {committed}, \
         wall {:.1?}",
        audit.lost.len(),
        records.len(),
        audit.distinct_outputs,
        audit.duplicates,
        audit.duplicate_ratio(),
        started.elapsed()
    );
    assert!(
        audit.lost.is_empty(),
        "{} URLs lost, e.g. {:?}",
        audit.lost.len(),
        audit.lost.iter().take(5).collect::<Vec<_>>()
    );
    assert!(audit.unexpected.is_empty(), "{:?}", audit.unexpected);
    for (i, url) in urls.iter().enumerate() {
        let want = if i % SEED_EVERY == 5 && i % MISSING_EVERY != MISSING_EVERY - 1 {
            4 // two articles, two events
        } else {
            1 // one article, or one dead letter
        };
        assert_eq!(audit.distinct(url).len(), want, "{url}: distinct outputs");
    }
    assert_eq!(
        committed, URLS as i64,
        "after the clean stop every input offset is committed"
    );
}

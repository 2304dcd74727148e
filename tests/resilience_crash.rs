//! Crash and restart: the real binary is killed with SIGKILL three times
//! while it works through 2,000 URLs, and restarted each time. At the end
//! every URL has its output (an article, or a DLQ record for the 404s):
//! nothing is lost. Replays are allowed (at-least-once) but a replayed
//! output carries the same key as the first one.
#[path = "support/crash.rs"]
mod crash;
#[path = "support/kafka.rs"]
mod kafka;
#[path = "support/outputs.rs"]
mod outputs;
#[path = "support/pages.rs"]
mod pages;
#[path = "support/worker_process.rs"]
mod worker_process;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use kafka::{ensure_broker, Collector, Received, TestTopics};
use outputs::Audit;
use pages::PageServer;
use worker_process::{WorkerProcess, WorkerSetup};

const URLS: usize = 2_000;
const PARTITIONS: i32 = 4;
/// Every this-many-th URL is a 404, so the DLQ path is crashed too.
const MISSING_EVERY: usize = 40;
const PROGRESS_TIMEOUT: Duration = Duration::from_secs(180);

/// Every this-many-th URL is a copy of the seed page (two stories, events).
const SEED_EVERY: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PageKind {
    Numbered,
    Seed,
    Missing,
}

fn page_kind(i: usize) -> PageKind {
    if i % MISSING_EVERY == MISSING_EVERY - 1 {
        PageKind::Missing
    } else if i % SEED_EVERY == 4 {
        PageKind::Seed
    } else {
        PageKind::Numbered
    }
}

/// Article keys are the hash of the canonical URL (plus the story index
/// after the first story); event keys are the event id.
fn check_output_key(record: &Received, topics: &TestTopics, url: &str) {
    assert_ne!(
        record.topic, topics.dlq,
        "{url}: a good page was dead-lettered"
    );
    let json = record.json();
    if record.topic == topics.articles {
        let article: attache::extract::Article =
            serde_json::from_value(json).expect("article record");
        assert_eq!(
            record.key.as_deref(),
            Some(attache::publish::article_key(&article).as_str()),
            "{url}: article key"
        );
    } else {
        assert_eq!(json["record"], "event", "{url}: {}", record.topic);
        assert_eq!(
            record.key.as_deref(),
            json["id"].as_str(),
            "{url}: event key"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_three_times_loses_no_url() {
    ensure_broker();
    let started = Instant::now();
    let topics = TestTopics::new("crash");
    topics.create(PARTITIONS).await;
    let server = PageServer::start(HashMap::new()).await;
    let logs = tempfile::tempdir().unwrap();
    let binary = worker_process::private_binary(logs.path());

    let urls: Vec<String> = (0..URLS)
        .map(|i| match page_kind(i) {
            PageKind::Missing => server.url(&format!("missing/crash-{i}")),
            PageKind::Seed => server.url(&format!("seed/crash-{i}")),
            PageKind::Numbered => server.url(&format!("n/crash-{i}")),
        })
        .collect();
    let keys = kafka::produce_urls(&kafka::BROKER, &topics.input, &urls).await;

    let collector = Collector::start(&topics.output_topics());
    crash::kill_three_times(
        &binary,
        &topics,
        logs.path(),
        &WorkerSetup::default(),
        &collector,
        URLS,
        PROGRESS_TIMEOUT,
    )
    .await;

    let mut worker = WorkerProcess::spawn(
        &binary,
        "final",
        &topics,
        &WorkerSetup::default(),
        logs.path(),
    );
    crash::wait_for_progress(&collector, &topics.dlq, URLS, &mut worker, PROGRESS_TIMEOUT).await;
    // Let late replays arrive and offsets be committed before stopping.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let status = worker.terminate(Duration::from_secs(40)).await;
    assert!(status.success(), "clean exit after SIGTERM: {status}");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let records = collector.snapshot();

    let audit = Audit::of(&records, &urls, &topics.dlq);
    let key_by_url: HashMap<&String, &String> = urls.iter().zip(&keys).collect();
    let mut dead_letters = 0usize;
    let mut seed_outputs: HashSet<usize> = HashSet::new();
    for (i, url) in urls.iter().enumerate() {
        let Some(records) = audit.by_url.get(url) else {
            continue;
        };
        let distinct = audit.distinct(url);
        match page_kind(i) {
            PageKind::Missing => {
                dead_letters += 1;
                assert_eq!(
                    distinct.len(),
                    1,
                    "{url}: one DLQ record, same key on replay"
                );
                for record in records {
                    assert_eq!(record.topic, topics.dlq, "{url}");
                    assert_eq!(record.key.as_deref(), Some(key_by_url[url].as_str()));
                    assert_eq!(record.headers["error.kind"], "http_404");
                }
            }
            kind => {
                for record in records {
                    check_output_key(record, &topics, url);
                }
                if kind == PageKind::Numbered {
                    assert_eq!(distinct.len(), 1, "{url}: one article, same key on replay");
                } else {
                    seed_outputs.insert(distinct.len());
                }
            }
        }
    }
    // Every copy of the seed page makes the same outputs; a replay with a
    // different event id or article key would show up as a larger set.
    assert_eq!(
        seed_outputs.len(),
        1,
        "seed-page URLs differ in distinct outputs: {seed_outputs:?}"
    );
    let committed: i64 = topics.committed_input_offsets(PARTITIONS).values().sum();

    println!(
        "crash test: {URLS} URLs, 3 x SIGKILL, lost {}, records {} ({} distinct \
         outputs, {dead_letters} DLQ, {:?} per seed page), duplicates {} \
         (ratio {:.4} of distinct outputs), committed offsets {committed}, wall {:.1?}",
        audit.lost.len(),
        records.len(),
        audit.distinct_outputs,
        seed_outputs,
        audit.duplicates,
        audit.duplicate_ratio(),
        started.elapsed()
    );
    assert!(
        audit.lost.is_empty(),
        "{} URLs lost, e.g. {:?}; worker log: {}",
        audit.lost.len(),
        audit.lost.iter().take(5).collect::<Vec<_>>(),
        worker.log_text()
    );
    assert!(
        audit.unexpected.is_empty(),
        "outputs for unknown inputs: {:?}",
        audit.unexpected
    );
    assert_eq!(dead_letters, URLS / MISSING_EVERY);
    assert_eq!(
        committed, URLS as i64,
        "after the clean stop every input offset is committed"
    );
}

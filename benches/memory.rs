//! Peak memory of the real binary over a long run: 10,000 URLs (half the
//! small synthetic page, half the seed page with its two stories) at
//! `worker.max_in_flight = 256`, against Apache Kafka (scripts/kafka-dev.sh)
//! and a local page server.
//! Prints the attache process's peak RSS (VmHWM) and current RSS at the first
//! output and after every tenth of the URLs has its outputs; a flat VmHWM
//! means memory does not grow with the number of URLs processed. A soak run
//! is the same with more URLs (`MEMORY_URLS=100000`).
//!
//!   scripts/kafka-dev.sh start && cargo bench --bench memory
//!
//! MEMORY_URLS and MEMORY_IN_FLIGHT override the defaults.
#[path = "../tests/support/kafka.rs"]
mod kafka;
#[path = "../tests/support/pages.rs"]
mod pages;

use std::collections::{HashMap, HashSet};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kafka::{Collector, TestTopics};
use pages::PageServer;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `VmHWM` and `VmRSS` of a process, in KiB.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} missing from /proc/{pid}/status"))
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// `attache_heap_allocated_bytes` and `attache_heap_resident_bytes` from the
/// worker's /metrics: the Rust heap alone, without librdkafka's buffers.
async fn heap_bytes(port: u16) -> (f64, f64) {
    let text = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
        .await
        .expect("scrape /metrics")
        .text()
        .await
        .unwrap();
    let value = |name: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("{name} missing from /metrics"))
    };
    (
        value("attache_heap_allocated_bytes"),
        value("attache_heap_resident_bytes"),
    )
}

fn main() {
    // `cargo bench` passes --bench; a plain `cargo test --benches` run passes
    // nothing and should not spend minutes here.
    if !std::env::args().any(|a| a == "--bench") {
        println!("memory bench: skipped (run with `cargo bench --bench memory`)");
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

async fn run() {
    let total = env_or("MEMORY_URLS", 10_000);
    let in_flight = env_or("MEMORY_IN_FLIGHT", 256);
    // The first output shows the footprint once the worker has joined and
    // warmed up; then one line per tenth of the run.
    let checkpoints: Vec<usize> = std::iter::once(1)
        .chain((1..=10).map(|tenth| (total * tenth / 10).max(1)))
        .collect();

    kafka::ensure_broker();
    let topics = TestTopics::new("memory");
    topics.create(4).await;
    let server = PageServer::start(HashMap::new()).await;
    let urls: Vec<String> = (0..total)
        .map(|i| {
            if i % 2 == 0 {
                server.url(&format!("n/mem-{i}"))
            } else {
                server.url(&format!("seed/mem-{i}"))
            }
        })
        .collect();
    kafka::produce_urls(&kafka::BROKER, &topics.input, &urls).await;

    // A private copy: a shared target directory may be rebuilt meanwhile.
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("attache");
    std::fs::copy(env!("CARGO_BIN_EXE_attache"), &binary).unwrap();
    let metrics_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let collector = Collector::start(&topics.output_topics());
    let started = Instant::now();
    let mut worker = Command::new(&binary)
        .arg("run")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_LOG")
        .envs(topics.env())
        .env("ATTACHE_WORKER__MAX_IN_FLIGHT", in_flight.to_string())
        // Every page comes from one host: let it use every slot, or the
        // worker would park all but per_host_concurrency of them.
        .env("ATTACHE_FETCH__PER_HOST_CONCURRENCY", in_flight.to_string())
        .env("ATTACHE_LOG__LEVEL", "warn")
        .env(
            "ATTACHE_METRICS__LISTEN",
            format!("127.0.0.1:{metrics_port}"),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start attache");
    let pid = worker.id();

    println!("memory bench: {total} URLs, max_in_flight {in_flight}, attache pid {pid}");
    println!("| URLs done | VmHWM (peak RSS) | VmRSS | heap allocated | heap resident | elapsed |");
    println!("|---:|---:|---:|---:|---:|---:|");
    let mut next = 0;
    let mut seen_inputs: HashSet<String> = HashSet::new();
    let mut records_read = 0;
    let deadline = Instant::now() + Duration::from_secs(900 * total.div_ceil(10_000) as u64);
    while next < checkpoints.len() {
        collector.with(|records| {
            for r in &records[records_read..] {
                seen_inputs.insert(
                    r.headers
                        .get("source_url")
                        .cloned()
                        .unwrap_or_else(|| String::from_utf8_lossy(&r.payload).into_owned()),
                );
            }
            records_read = records.len();
        });
        let done = seen_inputs.len();
        while next < checkpoints.len() && done >= checkpoints[next] {
            let (hwm, rss) = memory_kib(pid);
            let (allocated, resident) = heap_bytes(metrics_port).await;
            let mib = |bytes: f64| bytes / (1024.0 * 1024.0);
            println!(
                "| {} | {:.1} MiB | {:.1} MiB | {:.1} MiB | {:.1} MiB | {:.1} s |",
                checkpoints[next],
                hwm as f64 / 1024.0,
                rss as f64 / 1024.0,
                mib(allocated),
                mib(resident),
                started.elapsed().as_secs_f64()
            );
            next += 1;
        }
        if let Some(status) = worker.try_wait().unwrap() {
            panic!("attache exited early: {status}");
        }
        assert!(
            Instant::now() < deadline,
            "only {done} of {total} URLs done in time"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let dead_letters = collector.with(|r| r.iter().filter(|r| r.topic == topics.dlq).count());
    println!("outputs: {} records, {dead_letters} DLQ", collector.len());
    Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    let status = worker.wait().unwrap();
    assert!(status.success(), "attache exit status {status}");
}

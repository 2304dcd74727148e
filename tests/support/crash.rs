//! The real binary under SIGKILL: three kills at random points of progress.
//! The including test crate must also include `support/kafka.rs` as
//! `kafka`, `support/outputs.rs` as `outputs` and
//! `support/worker_process.rs` as `worker_process`.
#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};

use crate::kafka::{Collector, TestTopics};
use crate::outputs::distinct_inputs;
use crate::worker_process::{WorkerProcess, WorkerSetup};

/// Waits until `at_least` inputs have output; fails if the worker exits or
/// nothing moves within `timeout`.
pub async fn wait_for_progress(
    collector: &Collector,
    dlq: &str,
    at_least: usize,
    worker: &mut WorkerProcess,
    timeout: Duration,
) {
    let deadline = Instant::now() + timeout;
    loop {
        if distinct_inputs(collector, dlq) >= at_least {
            return;
        }
        if let Some(status) = worker.exited() {
            panic!(
                "worker exited on its own ({status}) before {at_least} URLs were done; log:\n{}",
                worker.log_text()
            );
        }
        assert!(
            Instant::now() < deadline,
            "no progress to {at_least} URLs within {timeout:?} (have {})",
            distinct_inputs(collector, dlq)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Starts the worker and kills it with SIGKILL three times, when a random
/// share of the `urls` inputs have output (drawn from 10–30 %, 35–55 % and
/// 60–80 %, plus 0–300 ms), so each kill lands while it is busy.
/// `CRASH_SEED=<n>` replays the kill points.
pub async fn kill_three_times(
    binary: &Path,
    topics: &TestTopics,
    dir: &Path,
    setup: &WorkerSetup,
    collector: &Collector,
    urls: usize,
    timeout: Duration,
) {
    let seed: u64 = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    println!("crash test seed {seed} (set CRASH_SEED to replay the kill points)");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let bands = [(0.10, 0.30), (0.35, 0.55), (0.60, 0.80)];
    for (round, (low, high)) in bands.into_iter().enumerate() {
        let threshold = (urls as f64 * rng.random_range(low..high)) as usize;
        let jitter = Duration::from_millis(rng.random_range(0..300));
        let mut worker = WorkerProcess::spawn(binary, "worker", topics, setup, dir);
        wait_for_progress(collector, &topics.dlq, threshold, &mut worker, timeout).await;
        tokio::time::sleep(jitter).await;
        worker.kill();
        let done = distinct_inputs(collector, &topics.dlq);
        println!(
            "kill {}: SIGKILL at >= {threshold} URLs (+{jitter:?}); {done} URLs had output",
            round + 1
        );
        assert!(
            done < urls,
            "kill {} came after all work was done",
            round + 1
        );
    }
}

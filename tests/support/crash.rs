//! The real binary under SIGKILL: a private copy of it, started with a
//! test's topics, three kills at random points of progress, a clean stop.
//! The including test crate must also include `support/kafka.rs` as `kafka`
//! and `support/outputs.rs` as `outputs`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};

use crate::kafka::{Collector, TestTopics};
use crate::outputs::distinct_inputs;

/// A private copy of the binary under test. Several checkouts may share one
/// cargo target directory, and a build elsewhere would replace
/// `CARGO_BIN_EXE_attache` between two restarts of a test.
pub fn copy_binary(dir: &Path) -> PathBuf {
    let copy = dir.join("attache");
    std::fs::copy(env!("CARGO_BIN_EXE_attache"), &copy).expect("copy the attache binary");
    copy
}

/// `attache run` for `topics`, with `extra_env` on top; stderr appended to `log`.
pub fn spawn_worker(
    binary: &Path,
    topics: &TestTopics,
    log: &Path,
    extra_env: &[(String, String)],
) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .expect("worker log file");
    Command::new(binary)
        .arg("run")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_LOG")
        .envs(topics.env())
        .envs(extra_env.iter().cloned())
        .env("ATTACHE_LOG__LEVEL", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start attache")
}

/// Waits until `at_least` inputs have output; fails if the worker exits or
/// nothing moves within `timeout`.
pub async fn wait_for_progress(
    collector: &Collector,
    dlq: &str,
    at_least: usize,
    worker: &mut Child,
    log: &Path,
    timeout: Duration,
) {
    let deadline = Instant::now() + timeout;
    loop {
        if distinct_inputs(collector, dlq) >= at_least {
            return;
        }
        if let Some(status) = worker.try_wait().unwrap() {
            panic!(
                "worker exited on its own ({status}) before {at_least} URLs were done; log:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
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
    log: &Path,
    extra_env: &[(String, String)],
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
        let mut worker = spawn_worker(binary, topics, log, extra_env);
        wait_for_progress(collector, &topics.dlq, threshold, &mut worker, log, timeout).await;
        tokio::time::sleep(jitter).await;
        worker.kill().expect("SIGKILL the worker");
        worker.wait().unwrap();
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

/// SIGTERM, then the exit status within 40 s; asserts a clean exit.
pub async fn stop_with_sigterm(worker: &mut Child) {
    let term = Command::new("kill")
        .args(["-TERM", &worker.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let stop_deadline = Instant::now() + Duration::from_secs(40);
    let status = loop {
        if let Some(status) = worker.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < stop_deadline, "did not exit after SIGTERM");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(status.success(), "clean exit after SIGTERM: {status}");
}

//! The real `attache` binary as a child process, for tests that SIGKILL a
//! worker or run several in one group. The including test crate must also
//! include `support/kafka.rs` as `kafka`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::kafka::TestTopics;

/// A private copy of the binary under test. Several checkouts may share one
/// cargo target directory, and a build elsewhere would replace
/// `CARGO_BIN_EXE_attache` between two starts within one test.
pub fn private_binary(dir: &Path) -> PathBuf {
    let copy = dir.join("attache");
    std::fs::copy(env!("CARGO_BIN_EXE_attache"), &copy).expect("copy the attache binary");
    copy
}

/// A free port on 127.0.0.1 for a worker's metrics listener.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct WorkerProcess {
    pub name: String,
    child: Child,
    /// `http://127.0.0.1:PORT` of its /metrics, /readyz and /livez.
    pub base: String,
    pub log: PathBuf,
}

/// How to start a worker beyond the topics' settings.
#[derive(Debug, Clone, Default)]
pub struct WorkerSetup {
    /// Extra `ATTACHE_*` variables (they override the topics' ones).
    pub env: Vec<(String, String)>,
    /// A TOML config file (`attache run --config`), e.g. for `kafka.properties`
    /// whose dotted keys cannot be spelt as environment variables.
    pub config_file: Option<PathBuf>,
}

impl WorkerProcess {
    /// Starts `attache run` with `topics`' settings; its log (stderr) goes
    /// to `dir/<name>.log`.
    pub fn spawn(
        binary: &Path,
        name: &str,
        topics: &TestTopics,
        setup: &WorkerSetup,
        dir: &Path,
    ) -> Self {
        let log = dir.join(format!("{name}.log"));
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("worker log file");
        let port = free_port();
        let mut command = Command::new(binary);
        command.arg("run");
        if let Some(file) = &setup.config_file {
            command.arg("--config").arg(file);
        }
        let child = command
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("RUST_LOG")
            .envs(topics.env())
            .env("ATTACHE_LOG__LEVEL", "warn")
            .env("ATTACHE_METRICS__LISTEN", format!("127.0.0.1:{port}"))
            .envs(setup.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("start attache");
        Self {
            name: name.to_string(),
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `Some(status)` once the process has exited.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().expect("poll the worker")
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no shutdown, no final commit.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL the worker");
        self.child.wait().unwrap();
    }

    /// SIGTERM, then waits up to `within` for the exit status.
    pub async fn terminate(&mut self, within: Duration) -> ExitStatus {
        let term = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(term.success(), "SIGTERM {}", self.name);
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.exited() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "{} did not exit within {within:?} of SIGTERM",
                self.name
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// `/readyz` now: `(status, body)`, or `None` while nothing answers.
    pub async fn readyz(&self) -> Option<(u16, String)> {
        let response = reqwest::Client::new()
            .get(format!("{}/readyz", self.base))
            .timeout(Duration::from_secs(2))
            .send()
            .await
            .ok()?;
        let status = response.status().as_u16();
        Some((status, response.text().await.unwrap_or_default()))
    }

    /// Polls `/readyz` until it answers `want`; returns the body then.
    pub async fn wait_readyz(&mut self, want: u16, within: Duration) -> String {
        let deadline = Instant::now() + within;
        let mut last = None;
        loop {
            if let Some((status, body)) = self.readyz().await {
                if status == want {
                    return body;
                }
                last = Some((status, body));
            }
            if let Some(status) = self.exited() {
                panic!(
                    "{} exited ({status}) while waiting for /readyz {want}; log:\n{}",
                    self.name,
                    self.log_text()
                );
            }
            assert!(
                Instant::now() < deadline,
                "{}: /readyz not {want} within {within:?}; last answer {last:?}",
                self.name
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

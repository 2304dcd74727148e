//! The `attache` binary: extract, produce, run (config errors and SIGTERM).
#[path = "support/kafka.rs"]
mod kafka;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn attache() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_attache"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.env_remove("RUST_LOG");
    cmd
}

fn seed_path() -> String {
    format!(
        "{}/../shared/fixtures/seed-page.html",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every stdout line is JSON"))
        .collect()
}

#[test]
fn extract_prints_ndjson_for_a_file_with_articles() {
    let seed = seed_path();
    let out = attache()
        .args(["extract", "--articles", &seed])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = lines(&out.stdout);
    let articles: Vec<_> = records
        .iter()
        .filter(|r| r["record"] == "article")
        .collect();
    let events: Vec<_> = records.iter().filter(|r| r["record"] == "event").collect();
    assert_eq!(articles.len(), 2);
    assert_eq!(events.len(), 2, "the seed page's two events");
    for record in &records {
        let source = if record["record"] == "event" {
            &record["article"]["source_url"]
        } else {
            &record["source_url"]
        };
        assert_eq!(
            source,
            seed.as_str(),
            "source_url is the input exactly as given"
        );
    }
}

#[test]
fn extract_without_articles_flag_prints_only_events() {
    let out = attache().args(["extract", &seed_path()]).output().unwrap();
    assert!(out.status.success());
    assert!(lines(&out.stdout).iter().all(|r| r["record"] == "event"));
}

#[test]
fn extract_reads_stdin() {
    let mut child = attache()
        .args(["extract", "--articles", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let html = std::fs::read(seed_path()).unwrap();
    child.stdin.take().unwrap().write_all(&html).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let records = lines(&out.stdout);
    assert!(records
        .iter()
        .any(|r| r["record"] == "article" && r["source_url"] == "-"));
}

#[test]
fn one_failing_input_is_reported_and_the_others_still_run() {
    let seed = seed_path();
    let out = attache()
        .args(["extract", "--articles", "/no/such/page.html", &seed])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("/no/such/page.html"),
        "stderr names the input: {stderr}"
    );
    assert!(lines(&out.stdout).iter().any(|r| r["record"] == "article"));
}

#[test]
fn a_page_without_an_article_fails_with_no_article() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index.html");
    std::fs::write(
        &path,
        "<html><body><nav><a href='/a'>A</a> <a href='/b'>B</a></nav><ul><li><a href='/x'>Some headline</a></li></ul></body></html>",
    )
    .unwrap();
    let out = attache()
        .args(["extract", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no_article"));
}

#[test]
fn invalid_config_stops_start_up_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "[worker]\nmax_in_flihgt = 3\n").unwrap();
    let out = attache()
        .args(["run", "--config", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("max_in_flihgt"));

    let out = attache()
        .args(["extract", &seed_path()])
        .env("ATTACHE_FETCH__MAX_BODY_BYTES", "0")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fetch.max_body_bytes"));
}

#[test]
fn produce_reports_acknowledged_urls() {
    kafka::ensure_broker();
    let topic = kafka::unique("cli-produce");
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(kafka::create_topics(&[&topic], 1));
    let out = attache()
        .args([
            "produce",
            "--topic",
            &topic,
            "https://example.com/a",
            "https://example.com/b",
        ])
        .env("ATTACHE_KAFKA__BROKERS", kafka::BROKER.as_str())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("2 of 2 URLs acknowledged"));
}

#[test]
fn run_exits_cleanly_on_sigterm() {
    kafka::ensure_broker();
    let topics = kafka::TestTopics::new("sigterm");
    let mut child = attache()
        .arg("run")
        .env("ATTACHE_KAFKA__BROKERS", kafka::BROKER.as_str())
        .env("ATTACHE_KAFKA__GROUP_ID", &topics.group)
        .env("ATTACHE_TOPICS__INPUT", &topics.input)
        .env("ATTACHE_METRICS__LISTEN", "127.0.0.1:0")
        .env("ATTACHE_LOG__FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(40),
            "did not exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    let last: serde_json::Value =
        serde_json::from_str(stderr.lines().last().unwrap()).expect("JSON logs");
    assert_eq!(last["fields"]["message"], "worker stopped");
}

/// `tail` started before its topic exists (the demo's order on a fresh
/// broker) waits for it instead of giving up after `--idle-secs`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tail_waits_for_a_topic_created_after_it_started() {
    kafka::ensure_broker();
    let topic = kafka::unique("cli-tail");
    let child = attache()
        .args([
            "tail",
            "--topic",
            &topic,
            "--count",
            "1",
            "--idle-secs",
            "5",
        ])
        .env("ATTACHE_KAFKA__BROKERS", kafka::BROKER.as_str())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Longer than --idle-secs: a tail that counted the wait as idle is gone.
    tokio::time::sleep(Duration::from_secs(8)).await;
    kafka::create_topics(&[&topic], 1).await;
    kafka::produce(&topic, &[b"https://example.com/late".to_vec()]).await;
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let records = lines(&out.stdout);
    assert_eq!(records.len(), 1, "one record; stderr: {stderr}");
    assert_eq!(records[0]["topic"], topic.as_str());
    assert_eq!(records[0]["value"], "https://example.com/late");
}

/// The demo's whole flow (scripts/demo.sh with the binary under test):
/// topics created, URLs produced, every URL accounted for, events printed,
/// the seed page's two among them.
#[test]
fn demo_script_prints_the_seed_pages_events() {
    kafka::ensure_broker();
    let free_port = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
            .to_string()
    };
    let out = Command::new("bash")
        .arg(format!("{}/scripts/demo.sh", env!("CARGO_MANIFEST_DIR")))
        .env("DEMO_BIN", env!("CARGO_BIN_EXE_attache"))
        .env("DEMO_PORT", free_port())
        .env("DEMO_METRICS_PORT", free_port())
        .env("DEMO_TIMEOUT", "180")
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "demo failed:\n{stderr}");
    let events = lines(&out.stdout);
    let seed_types: std::collections::BTreeSet<String> = events
        .iter()
        .filter(|e| {
            e["article"]["source_url"]
                .as_str()
                .is_some_and(|u| u.ends_with("/seed-page.html"))
        })
        .map(|e| e["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        seed_types,
        ["dialogue_held", "state_visit_announced"]
            .map(String::from)
            .into(),
        "the seed page's two events; stderr:\n{stderr}"
    );
    assert!(events.iter().all(|e| e["record"] == "event"));
    assert!(
        stderr.contains("waiting for each to have an article, an event or a dead letter"),
        "{stderr}"
    );
}

/// An event record as `attache extract` prints it (the fields clustering reads).
fn talks_event(id: &str, url: &str, published: &str, day: &str) -> String {
    serde_json::json!({
        "record": "event", "schema": "attache.event/v1", "id": id,
        "type": "dialogue_held", "status": "occurred",
        "actors": [
            {"name": "Joe Biden", "title": "President", "country": "USA", "role": "participant", "kind": "person"},
            {"name": "Xi Jinping", "title": "President", "country": "CHN", "role": "participant", "kind": "person"}
        ],
        "location": {"name": "Woodside", "country": "USA"},
        "start_date": day, "end_date": day,
        "article": {"source_url": url, "canonical_url": url, "published": published}
    })
    .to_string()
}

#[test]
fn cluster_prints_one_row_per_event_and_names_a_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.ndjson");
    let lines_in = [
        talks_event(
            "a",
            "https://www.one.com/x",
            "2023-11-15T20:00:00Z",
            "2023-11-15",
        ),
        "{\"record\": \"article\", \"title\": \"passed over\"}".to_string(),
        talks_event(
            "b",
            "https://news.two.co.uk/y",
            "2023-11-16T08:00:00Z",
            "2023-11-15",
        ),
        "not json".to_string(),
        talks_event(
            "c",
            "https://www.one.com/z",
            "2022-11-14T20:00:00Z",
            "2022-11-14",
        ),
    ];
    std::fs::write(&path, lines_in.join("\n")).unwrap();
    let out = attache()
        .args(["cluster", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a bad line fails the run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("events.ndjson:4"),
        "stderr names file and line: {stderr}"
    );
    let clusters = lines(&out.stdout);
    assert_eq!(
        clusters.len(),
        2,
        "the 2023 talks and the 2022 talks: {clusters:#?}"
    );
    assert!(clusters.iter().all(|c| c["record"] == "cluster"));
    let woodside = clusters
        .iter()
        .find(|c| c["members"].as_array().unwrap().len() == 2)
        .expect("two reports of the 2023 talks in one row");
    assert_eq!(woodside["num_sources"], 2);
    let outlets: Vec<&str> = woodside["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["outlet"].as_str().unwrap())
        .collect();
    assert_eq!(outlets, ["one.com", "two.co.uk"]);
}

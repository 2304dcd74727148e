//! The cluster stage on the real broker: `attache cluster --kafka` is killed
//! with SIGKILL while events stream in, and restarted. Afterwards the
//! compacted cluster topic (latest record per cluster id) holds exactly the
//! expected clusters, with the ids they had before the crash; no cluster is
//! lost and no report is a member twice.
//!
//! Input: events produced directly onto the event topics by two producers
//! (standing in for two `attache run` workers), in exactly the format
//! `attache run` publishes: real `Event` structs, taken from a fixture page
//! by the real extractor, varied, serialized by `publish::to_tagged_json`
//! and keyed by event id as `publish::plan_records` does.
#[path = "support/kafka.rs"]
mod kafka;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use attache::cluster::{cluster_id, ClusterRecord};
use attache::config::Config;
use attache::events::{Event, EventExtractor};
use attache::extract::PageInfo;
use kafka::{create_topics_on, ensure_broker, producer_on, unique, Collector, TestTopics};
use rdkafka::producer::{FutureProducer, FutureRecord};

const PAIRS: [(&str, &str); 8] = [
    ("IDN", "VNM"),
    ("FRA", "DEU"),
    ("JPN", "KOR"),
    ("USA", "MEX"),
    ("BRA", "ARG"),
    ("IND", "BGD"),
    ("EGY", "SAU"),
    ("KEN", "TZA"),
];
/// Real events per country pair, 40 days apart (beyond every window).
const DATES_PER_PAIR: usize = 5;
/// Outlets telling each real event.
const REPORTS: usize = 8;
const PARTITIONS: i32 = 4;
const SEND_GAP: Duration = Duration::from_millis(15);
const SETTLE_TIMEOUT: Duration = Duration::from_secs(180);

/// The cluster stage's topics, group and partition count for a test whose
/// names start with `base`.
fn cluster_stage_env(base: &str, clusters_topic: &str) -> [(String, String); 4] {
    [
        (
            "ATTACHE_TOPICS__CLUSTERS".to_string(),
            clusters_topic.to_string(),
        ),
        (
            "ATTACHE_TOPICS__CLUSTER_REPORTS".to_string(),
            format!("{base}.reports"),
        ),
        (
            "ATTACHE_CLUSTER__GROUP_ID".to_string(),
            format!("{base}.group"),
        ),
        (
            "ATTACHE_CLUSTER__PARTITIONS".to_string(),
            PARTITIONS.to_string(),
        ),
    ]
}

/// Publishes one event as `attache run` tags it, keyed by its id, and waits
/// for the broker's acknowledgement.
async fn send_event(producer: &FutureProducer, topic: &str, event: &Event) {
    let payload = attache::publish::to_tagged_json("event", event).unwrap();
    producer
        .send(
            FutureRecord::to(topic).key(&event.id).payload(&payload),
            Duration::from_secs(10),
        )
        .await
        .map_err(|(e, _)| e)
        .expect("event acknowledged");
}

/// A dialogue_held event as the real extractor gives it for a fixture page.
fn template() -> Event {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let html =
        std::fs::read_to_string(root.join("tests/fixtures/events/bilateral_talks_capital.html"))
            .unwrap();
    let url = "https://www.southeastwire.com/politics/2026/03/12/indonesia-vietnam-leaders-hold-talks-in-jakarta";
    let config = Config::default();
    let extractor = EventExtractor::load(&config.events).unwrap();
    let page = PageInfo {
        source_url: url,
        fetched_url: url,
        published_hint: None,
    };
    let analysis = attache::pipeline::analyze_html(&html, &page, &config, &extractor).unwrap();
    analysis
        .events
        .into_iter()
        .find(|e| e.event_type == "dialogue_held" && e.start_date.is_some() && e.actors.len() >= 2)
        .expect("the fixture gives dialogue_held with dates and two actors")
}

/// One report of real event `group` by outlet `report`.
fn report(template: &Event, group: usize, report: usize) -> Event {
    let (a, b) = PAIRS[group / DATES_PER_PAIR];
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()
        + chrono::Duration::days(40 * (group % DATES_PER_PAIR) as i64);
    let mut event = template.clone();
    event.id = format!("ev-{group}-{report}");
    event.actors.truncate(2);
    event.actors[0].country = Some(a.into());
    event.actors[1].country = Some(b.into());
    event.location = Some(attache::events::Location {
        name: format!("Capital of {a}"),
        country: Some(a.into()),
    });
    event.start_date = Some(day.to_string());
    event.end_date = Some(day.to_string());
    let url = format!("https://www.outlet{report}-news.com/world/{group}");
    event.article.source_url = url.clone();
    event.article.canonical_url = url;
    event.article.published = Some(format!(
        "{}T18:00:00Z",
        day + chrono::Duration::days(report as i64 % 3)
    ));
    event
}

fn spawn_cluster_worker(binary: &Path, env: &[(String, String)], log: &Path) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    Command::new(binary)
        .args(["cluster", "--kafka"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_LOG")
        .env("ATTACHE_LOG__LEVEL", "info")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start attache cluster --kafka")
}

/// The latest record of each live cluster id, as compaction keeps it (a
/// cluster merged into another is left out: see [`merged`]).
fn latest(collector: &Collector) -> BTreeMap<String, ClusterRecord> {
    let mut all = latest_records(collector);
    all.retain(|_, record| record.merged_into.is_none());
    all
}

/// Cluster id -> the cluster it was merged into.
fn merged(collector: &Collector) -> BTreeMap<String, String> {
    latest_records(collector)
        .into_iter()
        .filter_map(|(id, record)| record.merged_into.map(|to| (id, to)))
        .collect()
}

fn latest_records(collector: &Collector) -> BTreeMap<String, ClusterRecord> {
    collector.with(|records| {
        let mut latest = BTreeMap::new();
        for r in records {
            let record: ClusterRecord = serde_json::from_slice(&r.payload).expect("cluster record");
            assert_eq!(
                r.key.as_deref(),
                Some(record.id.as_str()),
                "keyed by cluster id"
            );
            latest.insert(record.id.clone(), record);
        }
        latest
    })
}

fn members(clusters: &BTreeMap<String, ClusterRecord>) -> usize {
    clusters.values().map(|c| c.members.len()).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_mid_stream_keeps_every_cluster_and_its_id() {
    ensure_broker();
    let topics = TestTopics::new("cluster");
    topics.create(1).await;
    let extra: Vec<String> = ["agreement_signed", "visit_cancelled"]
        .iter()
        .map(|t| topics.event_topic(t))
        .collect();
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    create_topics_on(&topics.broker, &extra, 1).await;
    let base = unique("clusterstage");
    let clusters_topic = format!("{base}.clusters");
    let mut env = topics.env();
    env.extend(cluster_stage_env(&base, &clusters_topic));
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("attache");
    std::fs::copy(env!("CARGO_BIN_EXE_attache"), &binary).unwrap();
    let log = dir.path().join("cluster.log");
    let log_text = || std::fs::read_to_string(&log).unwrap_or_default();

    let template = template();
    let groups = PAIRS.len() * DATES_PER_PAIR;
    let total = groups * REPORTS;
    let mut worker = spawn_cluster_worker(&binary, &env, &log);
    let collector = Collector::start_on(&topics.broker, std::slice::from_ref(&clusters_topic));

    // Two producers, as two `attache run` workers would publish: worker 0
    // the even outlets, worker 1 the odd ones, interleaved in time.
    let topic = topics.event_topic("dialogue_held");
    let producers: Vec<_> = (0..2)
        .map(|worker_no| {
            let template = template.clone();
            let topic = topic.clone();
            let broker = topics.broker.clone();
            tokio::spawn(async move {
                let producer = producer_on(&broker);
                for r in (worker_no..REPORTS).step_by(2) {
                    for g in 0..groups {
                        let event = report(&template, g, r);
                        send_event(&producer, &topic, &event).await;
                        tokio::time::sleep(SEND_GAP).await;
                    }
                }
            })
        })
        .collect();

    // Mid-stream: some clusters out, far from all reports in.
    let deadline = Instant::now() + SETTLE_TIMEOUT;
    while members(&latest(&collector)) < total / 5 {
        if let Some(status) = worker.try_wait().unwrap() {
            panic!("cluster worker exited ({status}); log:\n{}", log_text());
        }
        assert!(
            Instant::now() < deadline,
            "no clusters within {SETTLE_TIMEOUT:?}; log:\n{}",
            log_text()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    worker.kill().unwrap();
    worker.wait().unwrap();
    let before = latest(&collector);
    let members_before = members(&before);
    assert!(
        members_before < total,
        "the kill came after the stream ended ({members_before} of {total})"
    );

    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut worker = spawn_cluster_worker(&binary, &env, &log);
    for p in producers {
        p.await.unwrap();
    }
    let after = loop {
        let now = latest(&collector);
        if members(&now) >= total {
            // Keep reading a little for late duplicates.
            tokio::time::sleep(Duration::from_secs(2)).await;
            break latest(&collector);
        }
        if let Some(status) = worker.try_wait().unwrap() {
            panic!(
                "restarted cluster worker exited ({status}); log:\n{}",
                log_text()
            );
        }
        assert!(
            Instant::now() < deadline,
            "only {} of {total} reports in clusters within {SETTLE_TIMEOUT:?}; log:\n{}",
            members(&now),
            log_text()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    worker.kill().unwrap();
    worker.wait().unwrap();

    // No report twice: not in two clusters, not twice in one.
    let mut cluster_of: HashMap<String, String> = HashMap::new();
    for cluster in after.values() {
        for m in &cluster.members {
            if let Some(other) = cluster_of.insert(m.event_id.clone(), cluster.id.clone()) {
                panic!("{} is a member of {} and {}", m.event_id, other, cluster.id);
            }
        }
    }
    assert_eq!(cluster_of.len(), total, "every report is a member once");

    // The expected clusters: one per real event, all its reports.
    let found: BTreeSet<BTreeSet<String>> = after
        .values()
        .map(|c| c.members.iter().map(|m| m.event_id.clone()).collect())
        .collect();
    let expected: BTreeSet<BTreeSet<String>> = (0..groups)
        .map(|g| (0..REPORTS).map(|r| format!("ev-{g}-{r}")).collect())
        .collect();
    assert_eq!(found, expected, "one cluster per real event");
    for cluster in after.values() {
        assert_eq!(
            cluster.num_sources, REPORTS,
            "{}: distinct outlets",
            cluster.id
        );
        assert!(
            cluster
                .members
                .iter()
                .any(|m| cluster_id(&m.event_id) == cluster.id),
            "{}: the id comes from one of its members",
            cluster.id
        );
    }

    // No cluster lost, none renamed: every cluster out before the crash is
    // still there under the same id, with all the members it had.
    // A cluster may have been merged into an older one (a report bridged
    // them): its members are then found at the end of its `merged_into`.
    let redirects = merged(&collector);
    for (id, old) in &before {
        let mut current = id.clone();
        while let Some(next) = redirects.get(&current) {
            current = next.clone();
        }
        let new = after
            .get(&current)
            .unwrap_or_else(|| panic!("cluster {id} lost after the restart"));
        for m in &old.members {
            assert!(
                new.members.iter().any(|n| n.event_id == m.event_id),
                "{id}: member {} lost after the restart",
                m.event_id
            );
        }
    }
    assert!(
        log_text().contains("state rebuilt from the cluster topic"),
        "restart rebuilt its state; log:\n{}",
        log_text()
    );
    println!(
        "clusters: {} before the kill ({members_before} reports), {} after ({total} reports)",
        before.len(),
        after.len()
    );
}

/// Country pairs (first < second in ISO order) on different partitions,
/// one pair for every two partitions: whichever partitions each of two
/// workers gets, some pairs have their sides on different workers.
fn pairs_across_partitions(partitions: i32) -> Vec<(String, String)> {
    use attache::cluster::shard::partition_of;
    let codes = [
        "ARG", "AUS", "AUT", "BEL", "BRA", "CAN", "CHL", "CHN", "COL", "DEU", "DNK", "EGY", "ESP",
        "FIN", "FRA", "GBR", "GRC", "IDN", "IND", "IRL", "ITA", "JPN", "KEN", "KOR", "MEX", "NGA",
        "NLD", "NOR", "PER", "POL", "PRT", "SAU", "SWE", "THA", "TUR", "USA", "VNM", "ZAF",
    ];
    let mut used: BTreeSet<&str> = BTreeSet::new();
    let mut pairs = Vec::new();
    for i in 0..partitions {
        for j in i + 1..partitions {
            let found = codes.iter().enumerate().find_map(|(n, a)| {
                codes[n + 1..].iter().find_map(|b| {
                    let sides = (partition_of(a, partitions), partition_of(b, partitions));
                    let fits = sides == (i, j) || sides == (j, i);
                    (fits && !used.contains(a) && !used.contains(b)).then_some((*a, *b))
                })
            });
            let (a, b) = found.expect("a pair of codes for every two partitions");
            used.extend([a, b]);
            pairs.push((a.to_string(), b.to_string()));
        }
    }
    pairs
}

fn country(code: &str) -> attache::events::Actor {
    attache::events::Actor {
        name: format!("Country {code}"),
        role: attache::events::Role::Participant,
        kind: attache::events::ActorKind::Country,
        title: None,
        country: Some(code.to_string()),
    }
}

/// Talks of `pair` number `n` told by outlet `outlet`, naming both sides,
/// only the first or only the second.
fn talks_report(
    template: &Event,
    n: usize,
    pair: &(String, String),
    outlet: usize,
    sides: &str,
) -> Event {
    let day =
        chrono::NaiveDate::from_ymd_opt(2026, 2, 2).unwrap() + chrono::Duration::days(n as i64);
    let mut event = template.clone();
    event.id = format!("talks-{n}-{outlet}-{sides}");
    event.actors = match sides {
        "first" => vec![country(&pair.0)],
        "second" => vec![country(&pair.1)],
        _ => vec![country(&pair.0), country(&pair.1)],
    };
    event.location = None;
    event.start_date = Some(day.to_string());
    event.end_date = Some(day.to_string());
    let url = format!("https://www.outlet{outlet}-news.com/world/talks-{n}");
    event.article.source_url = url.clone();
    event.article.canonical_url = url;
    event.article.published = Some(format!("{day}T1{outlet}:00:00Z"));
    event
}

/// Two cluster workers share the partitions. Each real event (talks of two
/// countries whose partitions differ) is told by two outlets naming both
/// sides and two naming one side each: the report naming only one side
/// reaches only that side's partition, possibly on the other worker, and
/// is handed over to the owner. Every event must end as one row with all
/// its reports; ids lead there through `merged_into`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_keep_the_reports_naming_one_side_with_their_event() {
    ensure_broker();
    let topics = TopicStage::new("cluster2w").await;
    let pairs = pairs_across_partitions(PARTITIONS);
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("attache");
    std::fs::copy(env!("CARGO_BIN_EXE_attache"), &binary).unwrap();
    let logs = [dir.path().join("w1.log"), dir.path().join("w2.log")];
    let log_text = |n: usize| std::fs::read_to_string(&logs[n]).unwrap_or_default();
    let mut env = topics.env.clone();
    env.push((
        "ATTACHE_LOG__LEVEL".to_string(),
        "info,attache::cluster::worker=debug".to_string(),
    ));
    let mut workers = [
        spawn_cluster_worker(&binary, &env, &logs[0]),
        spawn_cluster_worker(&binary, &env, &logs[1]),
    ];
    let collector = Collector::start_on(&topics.broker, std::slice::from_ref(&topics.clusters));
    // Both in the group before the reports come.
    let deadline = Instant::now() + SETTLE_TIMEOUT;
    while !(0..2).all(|n| log_text(n).contains("cluster: subscribed")) {
        for (n, worker) in workers.iter_mut().enumerate() {
            if let Some(status) = worker.try_wait().unwrap() {
                panic!("worker {n} exited ({status}); log:\n{}", log_text(n));
            }
        }
        assert!(
            Instant::now() < deadline,
            "workers did not subscribe; logs:\n{}\n---\n{}",
            log_text(0),
            log_text(1)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(8)).await;

    let template = template();
    let mut events = Vec::new();
    for (n, pair) in pairs.iter().enumerate() {
        let mut told = vec![
            talks_report(&template, n, pair, 1, "both"),
            talks_report(&template, n, pair, 2, "first"),
            talks_report(&template, n, pair, 3, "second"),
            talks_report(&template, n, pair, 4, "both"),
        ];
        // Half the events start with a one-sided report, half end with one.
        if n % 2 == 1 {
            told.rotate_left(1);
        }
        events.extend(told);
    }
    let producer = producer_on(&topics.broker);
    let topic = topics.event_topic.clone();
    for event in &events {
        send_event(&producer, &topic, event).await;
        tokio::time::sleep(SEND_GAP).await;
    }

    let expected: BTreeSet<BTreeSet<String>> = (0..pairs.len())
        .map(|n| {
            events
                .iter()
                .filter(|e| e.id.starts_with(&format!("talks-{n}-")))
                .map(|e| e.id.clone())
                .collect()
        })
        .collect();
    let found = loop {
        let rows = latest(&collector);
        let found: BTreeSet<BTreeSet<String>> = rows
            .values()
            .map(|c| c.members.iter().map(|m| m.event_id.clone()).collect())
            .collect();
        if found == expected {
            tokio::time::sleep(Duration::from_secs(2)).await;
            break latest(&collector);
        }
        for (n, worker) in workers.iter_mut().enumerate() {
            if let Some(status) = worker.try_wait().unwrap() {
                panic!("worker {n} exited ({status}); log:\n{}", log_text(n));
            }
        }
        if Instant::now() > deadline {
            panic!(
                "rows {found:#?}\nexpected {expected:#?}\nlogs:\n{}\n---\n{}",
                log_text(0),
                log_text(1)
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    for worker in &mut workers {
        worker.kill().unwrap();
        worker.wait().unwrap();
    }
    let rows: BTreeSet<BTreeSet<String>> = found
        .values()
        .map(|c| c.members.iter().map(|m| m.event_id.clone()).collect())
        .collect();
    assert_eq!(rows, expected, "one row per real event, all its reports");
    // Every id ever published leads to a row.
    let redirects = merged(&collector);
    for id in redirects.keys() {
        let mut current = id.clone();
        while let Some(next) = redirects.get(&current) {
            current = next.clone();
        }
        assert!(found.contains_key(&current), "{id} leads to no row");
    }
    // The workers did split the partitions: some report was handed over.
    let handed: usize = (0..2)
        .map(|n| {
            log_text(n)
                .matches("handed over to its owner partition")
                .count()
        })
        .sum();
    assert!(
        handed > 0,
        "no hand-over: the two workers did not split the partitions; logs:\n{}\n---\n{}",
        log_text(0),
        log_text(1)
    );
    println!(
        "{} events, {} rows, {} tombstones, {handed} hand-overs",
        pairs.len(),
        found.len(),
        redirects.len()
    );
}

/// The topics and environment of one run of the cluster stage.
struct TopicStage {
    broker: String,
    clusters: String,
    dlq: String,
    event_topic: String,
    env: Vec<(String, String)>,
}

impl TopicStage {
    async fn new(name: &str) -> Self {
        let topics = TestTopics::new(name);
        topics.create(1).await;
        let extra: Vec<String> = ["agreement_signed", "visit_cancelled"]
            .iter()
            .map(|t| topics.event_topic(t))
            .collect();
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        create_topics_on(&topics.broker, &extra, 1).await;
        let base = unique(name);
        let clusters = format!("{base}.clusters");
        let mut env = topics.env();
        env.extend(cluster_stage_env(&base, &clusters));
        Self {
            broker: topics.broker.clone(),
            dlq: topics.dlq.clone(),
            clusters,
            event_topic: topics.event_topic("dialogue_held"),
            env,
        }
    }
}

/// The clusters as a reader of the compacted topic rebuilds them (member
/// pages put back), and the largest record seen.
fn assembled(collector: &Collector) -> (BTreeMap<String, ClusterRecord>, usize) {
    collector.with(|records| {
        let mut state = attache::cluster::paging::TopicState::default();
        let mut largest = 0;
        for r in records {
            largest = largest.max(r.payload.len());
            state
                .take(&r.payload)
                .expect("a cluster record or a member page");
        }
        let (all, missing) = state.into_records();
        assert!(missing.is_empty(), "member pages missing: {missing:?}");
        let live = all
            .into_iter()
            .filter(|r| r.merged_into.is_none())
            .map(|r| (r.id.clone(), r))
            .collect();
        (live, largest)
    })
}

/// One story told by many outlets, with a record limit of 16 KiB: every
/// record on the cluster topic stays under it (the cluster goes out in
/// member pages), the cluster survives a SIGKILL and restart with its id
/// and every member, and a report that cannot fit any record goes to the
/// DLQ with its reason instead of breaking its cluster.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_story_of_many_reports_stays_under_the_record_limit_and_survives_a_restart() {
    const LIMIT: usize = 16 * 1024;
    const FIRST: usize = 120;
    const MORE: usize = 10;
    ensure_broker();
    let stage = TopicStage::new("clusterbig").await;
    let mut env = stage.env.clone();
    env.push((
        "ATTACHE_CLUSTER__MAX_RECORD_BYTES".to_string(),
        LIMIT.to_string(),
    ));
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("attache");
    std::fs::copy(env!("CARGO_BIN_EXE_attache"), &binary).unwrap();
    let log = dir.path().join("cluster.log");
    let log_text = || std::fs::read_to_string(&log).unwrap_or_default();
    let clusters = Collector::start_on(&stage.broker, std::slice::from_ref(&stage.clusters));
    let dead = Collector::start_on(&stage.broker, std::slice::from_ref(&stage.dlq));
    let template = template();
    let pair = ("DEU".to_string(), "FRA".to_string());
    let report = |outlet: usize| {
        let mut event = talks_report(&template, 0, &pair, 1, "both");
        event.id = format!("big-{outlet:04}");
        let url = format!("https://www.outlet{outlet}-news.com/world/talks");
        event.article.source_url = url.clone();
        event.article.canonical_url = url;
        event
    };
    let producer = producer_on(&stage.broker);
    let send = |event: Event| {
        let producer = producer.clone();
        let topic = stage.event_topic.clone();
        async move { send_event(&producer, &topic, &event).await }
    };
    let wait_for = |members: usize, worker: &mut Child| {
        let deadline = Instant::now() + SETTLE_TIMEOUT;
        loop {
            let (rows, largest) = assembled(&clusters);
            // Member pages go out before the record that counts them: until
            // that record is read too, the pages can hold a member that the
            // record's totals (one outlet per member here) do not count yet.
            let settled =
                |r: &ClusterRecord| r.members.len() == members && r.num_sources == members;
            if rows.len() == 1 && rows.values().all(settled) {
                return (rows, largest);
            }
            if let Some(status) = worker.try_wait().unwrap() {
                panic!("cluster worker exited ({status}); log:\n{}", log_text());
            }
            assert!(
                Instant::now() < deadline,
                "{} rows, members and sources {:?}; log:\n{}",
                rows.len(),
                rows.values()
                    .map(|r| (r.members.len(), r.num_sources))
                    .collect::<Vec<_>>(),
                log_text()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    };

    let mut worker = spawn_cluster_worker(&binary, &env, &log);
    // A report with a delegation too long for any record, among the others.
    let mut huge = report(9999);
    huge.actors.extend((0..400).map(|n| attache::events::Actor {
        name: format!("Delegate number {n} of a very long list of delegates"),
        role: attache::events::Role::Participant,
        kind: attache::events::ActorKind::Person,
        title: None,
        country: Some("FRA".into()),
    }));
    for n in 0..FIRST {
        send(report(n)).await;
        if n == FIRST / 2 {
            send(huge.clone()).await;
        }
    }
    let (before, largest) = wait_for(FIRST, &mut worker);
    assert!(largest <= LIMIT, "a record of {largest} bytes");
    let whole: usize = before
        .values()
        .map(|r| {
            attache::publish::to_tagged_json("cluster", r)
                .unwrap()
                .len()
        })
        .sum();
    assert!(whole > 4 * LIMIT, "the story is only {whole} bytes");
    worker.kill().unwrap();
    worker.wait().unwrap();

    let mut worker = spawn_cluster_worker(&binary, &env, &log);
    for n in FIRST..FIRST + MORE {
        send(report(n)).await;
    }
    let (after, largest) = wait_for(FIRST + MORE, &mut worker);
    worker.kill().unwrap();
    worker.wait().unwrap();
    assert!(largest <= LIMIT, "a record of {largest} bytes");
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "same id"
    );
    let row = after.values().next().unwrap();
    let ids: BTreeSet<String> = row.members.iter().map(|m| m.event_id.clone()).collect();
    let expected: BTreeSet<String> = (0..FIRST + MORE).map(|n| format!("big-{n:04}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(row.num_sources, FIRST + MORE);
    assert!(log_text().contains("state rebuilt from the cluster topic"));
    // The report that could not fit: in the DLQ with its reason.
    let dead = dead.snapshot();
    let kinds: Vec<_> = dead.iter().map(|d| d.headers.clone()).collect();
    assert_eq!(dead.len(), 1, "one dead letter: {kinds:?}");
    assert_eq!(
        dead[0].headers.get("error.kind").map(String::as_str),
        Some("cluster_record_too_large")
    );
    let kept: Event = serde_json::from_slice(&dead[0].payload).expect("the report itself");
    assert_eq!(kept.id, huge.id);
}

//! Test helpers for the real broker (Apache Kafka 4.4 on 127.0.0.1:$KAFKA_PORT,
//! started by scripts/kafka-dev.sh), for the brokers and three-node clusters
//! failure tests start for themselves, and for reading what attache published.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::sync::Once;
use std::time::{Duration, Instant};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::message::{Headers, Message};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::ClientConfig;

/// The test broker: 127.0.0.1:$KAFKA_PORT (default 9092), the port
/// scripts/kafka-dev.sh starts it on, so several checkouts can each run their own.
pub static BROKER: once_cell::sync::Lazy<String> = once_cell::sync::Lazy::new(|| {
    format!(
        "127.0.0.1:{}",
        std::env::var("KAFKA_PORT").unwrap_or_else(|_| "9092".into())
    )
});

static START: Once = Once::new();

/// Starts the broker once per test binary (installing it if needed).
pub fn ensure_broker() {
    START.call_once(|| {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/kafka-dev.sh");
        let status = Command::new("bash")
            .arg(script)
            .arg("start")
            .status()
            .expect("run scripts/kafka-dev.sh");
        assert!(status.success(), "scripts/kafka-dev.sh start failed");
    });
}

/// A unique name prefix so tests sharing the broker never see each other's data.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{prefix}-{}-{nanos}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

pub async fn create_topics(names: &[&str], partitions: i32) {
    create_topics_on(&BROKER, names, partitions).await
}

pub async fn create_topics_on(broker: &str, names: &[&str], partitions: i32) {
    create_replicated_topics_on(broker, names, partitions, 1).await
}

/// Creates topics with `replication` copies (3 on a [`DevCluster`]).
pub async fn create_replicated_topics_on(
    broker: &str,
    names: &[&str],
    partitions: i32,
    replication: i32,
) {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new()
        .set("bootstrap.servers", broker)
        .create()
        .expect("admin client");
    let topics: Vec<NewTopic> = names
        .iter()
        .map(|n| NewTopic::new(n, partitions, TopicReplication::Fixed(replication)))
        .collect();
    let results = admin
        .create_topics(&topics, &AdminOptions::new())
        .await
        .expect("create topics");
    for result in results {
        if let Err((topic, code)) = result {
            assert!(
                code == rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists,
                "create {topic}: {code:?}"
            );
        }
    }
}

/// Largest record the test producer will send (librdkafka's own default is
/// about 1 MB); poison tests produce values of 10 MiB.
pub const TEST_PRODUCER_MAX_BYTES: usize = 16 * 1024 * 1024;

pub fn producer() -> FutureProducer {
    producer_on(&BROKER)
}

pub fn producer_on(broker: &str) -> FutureProducer {
    ClientConfig::new()
        .set("bootstrap.servers", broker)
        .set("message.timeout.ms", "10000")
        .set("message.max.bytes", TEST_PRODUCER_MAX_BYTES.to_string())
        .create()
        .expect("producer")
}

/// Produces raw values (with optional keys); panics unless all are acknowledged.
pub async fn produce(topic: &str, values: &[Vec<u8>]) {
    let producer = producer();
    for value in values {
        producer
            .send(
                FutureRecord::<(), _>::to(topic).payload(value),
                Duration::from_secs(10),
            )
            .await
            .map_err(|(e, _)| e)
            .expect("produce acknowledged");
    }
}

/// Produces every URL with key `k<index>`, all at once; panics unless all
/// are acknowledged. Returns the keys, in the order of `urls`.
pub async fn produce_urls(broker: &str, topic: &str, urls: &[String]) -> Vec<String> {
    let producer = producer_on(broker);
    let keys: Vec<String> = (0..urls.len()).map(|i| format!("k{i}")).collect();
    let sends = urls.iter().zip(&keys).map(|(url, key)| {
        producer.send(
            FutureRecord::to(topic)
                .key(key.as_str())
                .payload(url.as_str()),
            Duration::from_secs(30),
        )
    });
    for result in futures::future::join_all(sends).await {
        result.map_err(|(e, _)| e).expect("produce acknowledged");
    }
    keys
}

/// One record read back from a topic.
#[derive(Debug, Clone)]
pub struct Received {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub key: Option<String>,
    pub payload: Vec<u8>,
    pub headers: HashMap<String, String>,
}

impl Received {
    pub fn from_message<M: Message>(message: &M) -> Self {
        let headers = message
            .headers()
            .map(|h| {
                h.iter()
                    .map(|h| {
                        (
                            h.key.to_string(),
                            String::from_utf8_lossy(h.value.unwrap_or_default()).into_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        Received {
            topic: message.topic().to_string(),
            partition: message.partition(),
            offset: message.offset(),
            key: message
                .key()
                .map(|k| String::from_utf8_lossy(k).into_owned()),
            payload: message.payload().unwrap_or_default().to_vec(),
            headers,
        }
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.payload).expect("JSON payload")
    }
}

/// Reads `topics` from the beginning until `want` records arrived, or until
/// `timeout`, then keeps reading for `settle` to catch extras (duplicates).
pub async fn read_topics(
    topics: &[&str],
    want: usize,
    timeout: Duration,
    settle: Duration,
) -> Vec<Received> {
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", BROKER.as_str())
        .set("group.id", unique("reader"))
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .set("session.timeout.ms", "6000")
        .create()
        .expect("reader consumer");
    consumer.subscribe(topics).expect("subscribe");
    let mut out = Vec::new();
    let deadline = Instant::now() + timeout;
    let mut settle_deadline: Option<Instant> = None;
    loop {
        let now = Instant::now();
        let until = match settle_deadline {
            Some(s) => s,
            None => deadline,
        };
        if now >= until {
            break;
        }
        match tokio::time::timeout(until - now, consumer.recv()).await {
            Ok(Ok(message)) => {
                out.push(Received::from_message(&message));
                if out.len() >= want && settle_deadline.is_none() {
                    settle_deadline = Some(Instant::now() + settle);
                }
            }
            Ok(Err(e)) => panic!("reader error: {e}"),
            Err(_) => break,
        }
    }
    out
}

/// Topic names for one test, all unique.
#[derive(Debug, Clone)]
pub struct TestTopics {
    pub input: String,
    pub articles: String,
    pub dlq: String,
    pub events_prefix: String,
    pub group: String,
    /// `bootstrap.servers` for the worker and the test's own clients.
    pub broker: String,
    /// Copies of every topic: 1 on a single node, 3 on a [`DevCluster`].
    pub replication: i32,
}

impl TestTopics {
    pub fn new(name: &str) -> Self {
        Self::on_broker(name, &BROKER)
    }

    /// Topics on another broker than the shared test broker.
    pub fn on_broker(name: &str, broker: &str) -> Self {
        let base = unique(name);
        Self {
            input: format!("{base}.urls"),
            articles: format!("{base}.articles"),
            dlq: format!("{base}.urls.dlq"),
            events_prefix: format!("{base}.events"),
            group: format!("{base}.group"),
            broker: broker.to_string(),
            replication: 1,
        }
    }

    /// Topics on a three-node cluster, each with three replicas.
    pub fn on_cluster(name: &str, cluster: &DevCluster) -> Self {
        Self {
            replication: 3,
            ..Self::on_broker(name, &cluster.bootstrap())
        }
    }

    /// The input and output topics, for [`DevCluster::wait_in_sync`].
    pub fn all_topics(&self) -> Vec<String> {
        let mut all = vec![self.input.clone()];
        all.extend(self.output_topics());
        all
    }

    pub fn event_topic(&self, event_type: &str) -> String {
        format!("{}.{event_type}", self.events_prefix)
    }

    pub async fn create(&self, input_partitions: i32) {
        create_replicated_topics_on(
            &self.broker,
            &[&self.input],
            input_partitions,
            self.replication,
        )
        .await;
        let dialogue = self.event_topic("dialogue_held");
        let visit = self.event_topic("state_visit_announced");
        create_replicated_topics_on(
            &self.broker,
            &[&self.articles, &self.dlq, &dialogue, &visit],
            1,
            self.replication,
        )
        .await;
    }

    /// A worker config for these topics, with fast fetch settings for a
    /// local server.
    pub fn config(&self) -> attache::config::Config {
        let mut config = attache::config::Config::default();
        config.kafka.brokers = self.broker.clone();
        config.kafka.group_id = self.group.clone();
        config.kafka.session_timeout_ms = 6000;
        config.topics.input = self.input.clone();
        config.topics.articles = self.articles.clone();
        config.topics.dlq = self.dlq.clone();
        config.topics.events_default = format!("{}.{{type}}", self.events_prefix);
        config.worker.commit_interval_ms = 200;
        config.worker.shutdown_timeout_secs = 10;
        config.fetch.allow_private_networks = true;
        config.fetch.per_host_min_delay_ms = 0;
        config.fetch.per_host_concurrency = 64;
        config.fetch.retry_max_attempts = 1;
        config.metrics.listen = "127.0.0.1:0".into();
        config.events.rules_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/events");
        config.events.gazetteer_dir =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("config/gazetteer");
        config
    }
}

impl TestTopics {
    /// The same settings as [`TestTopics::config`], as `ATTACHE_*` environment
    /// variables for running the real binary.
    pub fn env(&self) -> Vec<(String, String)> {
        let config = self.config();
        let pairs = [
            ("KAFKA__BROKERS", config.kafka.brokers),
            ("KAFKA__GROUP_ID", config.kafka.group_id),
            (
                "KAFKA__SESSION_TIMEOUT_MS",
                config.kafka.session_timeout_ms.to_string(),
            ),
            ("TOPICS__INPUT", config.topics.input),
            ("TOPICS__ARTICLES", config.topics.articles),
            ("TOPICS__DLQ", config.topics.dlq),
            ("TOPICS__EVENTS_DEFAULT", config.topics.events_default),
            (
                "WORKER__COMMIT_INTERVAL_MS",
                config.worker.commit_interval_ms.to_string(),
            ),
            (
                "WORKER__SHUTDOWN_TIMEOUT_SECS",
                config.worker.shutdown_timeout_secs.to_string(),
            ),
            (
                "FETCH__ALLOW_PRIVATE_NETWORKS",
                config.fetch.allow_private_networks.to_string(),
            ),
            (
                "FETCH__PER_HOST_MIN_DELAY_MS",
                config.fetch.per_host_min_delay_ms.to_string(),
            ),
            (
                "FETCH__PER_HOST_CONCURRENCY",
                config.fetch.per_host_concurrency.to_string(),
            ),
            (
                "FETCH__RETRY_MAX_ATTEMPTS",
                config.fetch.retry_max_attempts.to_string(),
            ),
            ("METRICS__LISTEN", config.metrics.listen),
            (
                "EVENTS__RULES_DIR",
                config.events.rules_dir.display().to_string(),
            ),
            (
                "EVENTS__GAZETTEER_DIR",
                config.events.gazetteer_dir.display().to_string(),
            ),
        ];
        pairs
            .into_iter()
            .map(|(key, value)| (format!("ATTACHE_{key}"), value))
            .collect()
    }

    /// Every topic the worker may write to (events, articles, DLQ).
    pub fn output_topics(&self) -> Vec<String> {
        vec![
            self.event_topic("dialogue_held"),
            self.event_topic("state_visit_announced"),
            self.articles.clone(),
            self.dlq.clone(),
        ]
    }

    /// Offsets the worker's group has committed on the input topic, per
    /// partition (partitions without a commit are left out). Retries while
    /// the group coordinator is not there yet (NOT_COORDINATOR until
    /// __consumer_offsets exists, or while its leader moves).
    pub fn committed_input_offsets(&self, partitions: i32) -> HashMap<i32, i64> {
        let consumer: rdkafka::consumer::BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", &self.broker)
            .set("group.id", &self.group)
            .set("enable.auto.commit", "false")
            .create()
            .expect("offset reader");
        let mut list = rdkafka::TopicPartitionList::new();
        for partition in 0..partitions {
            list.add_partition(&self.input, partition);
        }
        let committed =
            retry_coordinator(|| consumer.committed_offsets(list.clone(), Duration::from_secs(10)))
                .expect("committed offsets");
        committed
            .elements()
            .iter()
            .filter_map(|e| match e.offset() {
                rdkafka::Offset::Offset(o) => Some((e.partition(), o)),
                _ => None,
            })
            .collect()
    }
}

/// Calls `call` again while the group coordinator is loading, moving or not
/// there yet, for up to 30 s.
pub fn retry_coordinator<T>(
    mut call: impl FnMut() -> rdkafka::error::KafkaResult<T>,
) -> rdkafka::error::KafkaResult<T> {
    use rdkafka::types::RDKafkaErrorCode::{
        CoordinatorLoadInProgress, CoordinatorNotAvailable, NotCoordinator, RequestTimedOut,
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match call() {
            Err(e)
                if Instant::now() < deadline
                    && matches!(
                        e.rdkafka_error_code(),
                        Some(
                            NotCoordinator
                                | CoordinatorNotAvailable
                                | CoordinatorLoadInProgress
                                | RequestTimedOut
                        )
                    ) =>
            {
                std::thread::sleep(Duration::from_millis(200));
            }
            other => return other,
        }
    }
}

/// Reads topics from the beginning in the background, keeping every record,
/// so a test can watch progress while the worker runs.
pub struct Collector {
    records: std::sync::Arc<std::sync::Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Collector {
    pub fn start(topics: &[String]) -> Self {
        Self::start_on(&BROKER, topics)
    }

    pub fn start_on(broker: &str, topics: &[String]) -> Self {
        let consumer: StreamConsumer = ClientConfig::new()
            .set("bootstrap.servers", broker)
            .set("group.id", unique("collector"))
            .set("auto.offset.reset", "earliest")
            .set("enable.auto.commit", "false")
            .set("session.timeout.ms", "6000")
            .create()
            .expect("collector consumer");
        let names: Vec<&str> = topics.iter().map(String::as_str).collect();
        consumer.subscribe(&names).expect("subscribe");
        let records = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = std::sync::Arc::clone(&records);
        let task = tokio::spawn(async move {
            loop {
                match consumer.recv().await {
                    Ok(message) => sink.lock().unwrap().push(Received::from_message(&message)),
                    // A broker outage surfaces here; librdkafka reconnects
                    // and the read goes on, so the test sees the gap only
                    // as missing records.
                    Err(e) => {
                        eprintln!("collector: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            }
        });
        Self { records, task }
    }

    pub fn snapshot(&self) -> Vec<Received> {
        self.records.lock().unwrap().clone()
    }

    pub fn len(&self) -> usize {
        self.records.lock().unwrap().len()
    }

    /// Applies `f` to the records received so far without copying them.
    pub fn with<T>(&self, f: impl FnOnce(&[Received]) -> T) -> T {
        f(&self.records.lock().unwrap())
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// `$KAFKA_PORT` (default 9092): the shared test broker's port.
pub fn kafka_port() -> u16 {
    std::env::var("KAFKA_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(9092)
}

/// Brokers that failure tests start for themselves sit above `$KAFKA_PORT`
/// in steps of ten, one slot per test, so several checkouts (each with its
/// own `$KAFKA_PORT`) and several tests never share one. A single node
/// takes two ports of its slot, a cluster six.
pub mod slots {
    /// tests/resilience_broker_restart.rs
    pub const BROKER_RESTART: u16 = 1;
    /// The broker-failover test, at-least-once.
    pub const FAILOVER_AT_LEAST_ONCE: u16 = 2;
    /// The broker-failover test, exactly-once.
    pub const FAILOVER_EXACTLY_ONCE: u16 = 3;
    /// Free for further failure tests (up to 9 with `$KAFKA_PORT` 19092).
    pub const SPARE: u16 = 4;
}

/// The first port of a slot (see [`slots`]).
pub fn slot_port(slot: u16) -> u16 {
    kafka_port() + 10 * slot
}

/// Runs scripts/kafka-dev.sh with `args` and `env`; panics with its output
/// unless it succeeds. Blocks (the script waits for the broker); inside a
/// multi-threaded runtime the other tasks keep running.
fn kafka_dev(args: &[&str], env: &[(&str, String)]) -> String {
    let run = || {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/kafka-dev.sh");
        let output = Command::new("bash")
            .arg(script)
            .args(args)
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .output()
            .expect("run scripts/kafka-dev.sh");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            output.status.success(),
            "scripts/kafka-dev.sh {} failed:\n{text}",
            args.join(" ")
        );
        text
    };
    blocking(run)
}

/// Runs blocking `f` so that, inside a multi-threaded runtime, the other
/// tasks (collectors, page servers) keep running meanwhile.
pub fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

/// The last `lines` lines of a broker's log, for failure messages.
fn log_tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn tools_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools")
}

/// A single combined broker-controller of a test's own (not the shared
/// broker), started fresh; `kill` and `restart` keep its log dirs, as a
/// crashed broker's disk survives. Deleted on drop.
pub struct DevNode {
    port: u16,
}

impl DevNode {
    pub fn start(slot: u16) -> Self {
        let node = Self {
            port: slot_port(slot),
        };
        node.run("destroy");
        node.run("start");
        node
    }

    fn run(&self, command: &str) -> String {
        kafka_dev(&[command], &[("KAFKA_PORT", self.port.to_string())])
    }

    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// SIGKILL: no controlled shutdown, no flush.
    pub fn kill(&self) {
        self.run("kill");
    }

    /// Starts the node again on the log dirs it had.
    pub fn restart(&self) {
        self.run("start");
    }

    pub fn log(&self) -> String {
        log_tail(
            &tools_dir().join(format!("kafka-{}/server.log", self.port)),
            40,
        )
    }
}

impl Drop for DevNode {
    fn drop(&mut self) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/kafka-dev.sh");
        let _ = Command::new("bash")
            .arg(script)
            .arg("destroy")
            .env("KAFKA_PORT", self.port.to_string())
            .output();
    }
}

/// Three combined broker-controllers (nodes 1-3, replication factor 3,
/// `min.insync.replicas=2`), started fresh for one test and deleted on drop.
pub struct DevCluster {
    base_port: u16,
}

impl DevCluster {
    pub fn start(slot: u16) -> Self {
        let cluster = Self {
            base_port: slot_port(slot),
        };
        cluster.run(&["destroy-cluster"]);
        cluster.run(&["start-cluster"]);
        cluster
    }

    fn run(&self, args: &[&str]) -> String {
        kafka_dev(args, &[("KAFKA_CLUSTER_PORT", self.base_port.to_string())])
    }

    /// `bootstrap.servers` naming all three nodes.
    pub fn bootstrap(&self) -> String {
        (1..=3)
            .map(|n| self.node_address(n))
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn node_address(&self, node: i32) -> String {
        format!("127.0.0.1:{}", self.base_port + node as u16 - 1)
    }

    /// SIGKILL one node (its log dirs stay).
    pub fn kill_node(&self, node: i32) {
        self.run(&["kill-node", &node.to_string()]);
    }

    /// Graceful stop (SIGTERM: controlled shutdown moves its leaders away).
    pub fn stop_node(&self, node: i32) {
        self.run(&["stop-node", &node.to_string()]);
    }

    /// Starts a stopped or killed node again on its log dirs.
    pub fn start_node(&self, node: i32) {
        self.run(&["start-node", &node.to_string()]);
    }

    pub fn log(&self, node: i32) -> String {
        log_tail(
            &tools_dir().join(format!(
                "kafka-cluster-{}/node-{node}/server.log",
                self.base_port
            )),
            40,
        )
    }

    fn metadata(&self) -> rdkafka::metadata::Metadata {
        let client: rdkafka::consumer::BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", self.bootstrap())
            .create()
            .expect("metadata client");
        client
            .fetch_metadata(None, Duration::from_secs(10))
            .expect("cluster metadata")
    }

    /// The node leading `topic`'s `partition` now (-1 while it has none).
    pub fn leader(&self, topic: &str, partition: i32) -> i32 {
        blocking(|| self.metadata())
            .topics()
            .iter()
            .find(|t| t.name() == topic)
            .and_then(|t| t.partitions().iter().find(|p| p.id() == partition))
            .map_or(-1, |p| p.leader())
    }

    /// Waits until every partition of `topics` (and of the group and
    /// transaction state topics, where they exist) has a leader and all
    /// three replicas in sync: a restarted node has caught up.
    pub fn wait_in_sync(&self, topics: &[String], timeout: Duration) {
        let wanted: std::collections::HashSet<&str> = topics
            .iter()
            .map(String::as_str)
            .chain(["__consumer_offsets", "__transaction_state"])
            .collect();
        let deadline = Instant::now() + timeout;
        blocking(|| loop {
            let lagging: Vec<String> = self
                .metadata()
                .topics()
                .iter()
                .filter(|t| wanted.contains(t.name()))
                .flat_map(|t| {
                    t.partitions()
                        .iter()
                        .filter(|p| p.leader() < 0 || p.isr().len() < 3)
                        .map(move |p| format!("{}/{} isr {:?}", t.name(), p.id(), p.isr()))
                })
                .collect();
            if lagging.is_empty() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "partitions not in sync after {timeout:?}: {lagging:?}"
            );
            std::thread::sleep(Duration::from_millis(250));
        })
    }
}

impl Drop for DevCluster {
    fn drop(&mut self) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/kafka-dev.sh");
        let _ = Command::new("bash")
            .arg(script)
            .arg("destroy-cluster")
            .env("KAFKA_CLUSTER_PORT", self.base_port.to_string())
            .output();
    }
}

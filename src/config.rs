//! All configuration in one place: typed structs whose defaults live in code.
//!
//! Sources, later ones winning: built-in defaults, the TOML file given with
//! `--config`, then environment variables `ATTACHE_<SECTION>__<KEY>` (for
//! example `ATTACHE_KAFKA__BROKERS`). Unknown keys and invalid values stop
//! start-up with an error that names the key.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config file {0} does not exist")]
    Missing(PathBuf),
    #[error("invalid configuration: {0}")]
    Parse(String),
    #[error("invalid value for `{key}`: {reason}")]
    Invalid { key: &'static str, reason: String },
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub kafka: KafkaConfig,
    pub topics: TopicsConfig,
    pub worker: WorkerConfig,
    pub fetch: FetchConfig,
    pub extract: ExtractConfig,
    pub events: EventsConfig,
    pub cluster: ClusterConfig,
    pub metrics: MetricsConfig,
    pub log: LogConfig,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    AtLeastOnce,
    ExactlyOnce,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KafkaConfig {
    /// Comma-separated bootstrap servers.
    pub brokers: String,
    pub group_id: String,
    pub session_timeout_ms: u32,
    pub delivery: Delivery,
    /// Exactly-once only: this worker's transactional id. Unique per running
    /// worker, ideally stable across its restarts; default `<group_id>-<HOSTNAME>`.
    pub transactional_id: Option<String>,
    /// Passed through to librdkafka as-is (SASL, TLS, tuning). Applied to the
    /// consumer and the producer, after attache's own settings.
    pub properties: BTreeMap<String, String>,
}

impl Default for KafkaConfig {
    fn default() -> Self {
        Self {
            brokers: "127.0.0.1:9092".into(),
            group_id: "attache".into(),
            session_timeout_ms: 10_000,
            delivery: Delivery::AtLeastOnce,
            transactional_id: None,
            properties: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TopicsConfig {
    pub input: String,
    pub articles: String,
    pub dlq: String,
    /// Cluster records (`attache.cluster/v1`), keyed by cluster id; compacted:
    /// the cluster worker rebuilds its state from it at start-up.
    pub clusters: String,
    /// Events re-keyed by the cluster worker so that every report of one
    /// event lands on one partition (internal to `attache cluster --kafka`).
    pub cluster_reports: String,
    /// Topic for event types not in `events`; `{type}` is replaced by the type.
    pub events_default: String,
    /// Event type -> topic. Several types may share one topic.
    pub events: BTreeMap<String, String>,
}

impl Default for TopicsConfig {
    fn default() -> Self {
        Self {
            input: "attache.urls".into(),
            articles: "attache.articles".into(),
            dlq: "attache.urls.dlq".into(),
            clusters: "attache.clusters".into(),
            cluster_reports: "attache.cluster.reports".into(),
            events_default: "attache.events.{type}".into(),
            events: BTreeMap::new(),
        }
    }
}

impl TopicsConfig {
    pub fn event_topic(&self, event_type: &str) -> String {
        match self.events.get(event_type) {
            Some(topic) => topic.clone(),
            None => self.events_default.replace("{type}", event_type),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkerConfig {
    /// Messages processed concurrently; polling stops while this many are open.
    pub max_in_flight: usize,
    /// Messages held back because their host already has
    /// `fetch.per_host_concurrency` messages in flight. They take no
    /// in-flight slot, so one slow or rate-limited host cannot hold them all;
    /// polling stops while this many are parked.
    pub max_parked: usize,
    /// How long SIGTERM waits for in-flight work before committing and exiting.
    pub shutdown_timeout_secs: u64,
    /// How often stored offsets are committed.
    pub commit_interval_ms: u64,
    /// Input messages larger than this go to the DLQ unread.
    pub max_message_bytes: usize,
    /// Publish normalized article records to `topics.articles`.
    pub publish_articles: bool,
    /// Sends of a message's outputs before it is dead-lettered (stage
    /// `publish`, kind `retries_exhausted`). A refusal that retrying cannot
    /// fix (unknown topic, record too large) dead-letters at once.
    pub publish_max_attempts: u32,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            max_in_flight: 64,
            max_parked: 1_024,
            shutdown_timeout_secs: 25,
            commit_interval_ms: 1_000,
            max_message_bytes: 64 * 1024,
            publish_articles: true,
            publish_max_attempts: 5,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FetchConfig {
    /// Sent as User-Agent; its product token is also the robots.txt agent.
    pub user_agent: String,
    pub connect_timeout_ms: u64,
    /// Whole request, headers and body, per attempt.
    pub total_timeout_ms: u64,
    /// Decoded (decompressed) body cap; the stream is aborted past it.
    pub max_body_bytes: usize,
    pub max_redirects: usize,
    pub per_host_concurrency: usize,
    pub per_host_min_delay_ms: u64,
    /// robots.txt Crawl-delay is honoured up to this many seconds.
    pub max_crawl_delay_secs: u64,
    pub obey_robots: bool,
    pub robots_ttl_secs: u64,
    /// How long a robots.txt that answered 429 or 5xx keeps its host blocked.
    pub robots_error_ttl_secs: u64,
    /// DANGER: turns the SSRF guard off. Only for tests and local demos.
    pub allow_private_networks: bool,
    /// Host names (as written in URLs) the SSRF guard lets through even when
    /// they resolve to private addresses, e.g. an internal news mirror.
    pub ssrf_exempt_hosts: Vec<String>,
    pub retry_max_attempts: u32,
    pub retry_initial_backoff_ms: u64,
    pub retry_max_backoff_ms: u64,
    /// Upper bound on all attempts and waits for one URL.
    pub retry_max_total_ms: u64,
    /// Query parameters removed during URL normalization (`*` suffix = prefix).
    pub strip_query_params: Vec<String>,
}

impl Default for FetchConfig {
    fn default() -> Self {
        Self {
            user_agent: format!("attache/{}", env!("CARGO_PKG_VERSION")),
            connect_timeout_ms: 5_000,
            total_timeout_ms: 20_000,
            max_body_bytes: 5 * 1024 * 1024,
            max_redirects: 5,
            per_host_concurrency: 2,
            per_host_min_delay_ms: 1_000,
            max_crawl_delay_secs: 10,
            obey_robots: true,
            robots_ttl_secs: 6 * 3600,
            robots_error_ttl_secs: 60,
            allow_private_networks: false,
            ssrf_exempt_hosts: Vec::new(),
            retry_max_attempts: 4,
            retry_initial_backoff_ms: 500,
            retry_max_backoff_ms: 10_000,
            retry_max_total_ms: 60_000,
            strip_query_params: [
                "utm_*", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "yclid",
                "igshid", "_ga", "ref_src", "cmpid", "ocid",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExtractConfig {
    /// A story needs at least this many words of body text to count.
    pub min_story_words: usize,
}

impl Default for ExtractConfig {
    fn default() -> Self {
        Self {
            min_story_words: 40,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EventsConfig {
    /// Directory of event rule files (`*.toml`, one per event type).
    pub rules_dir: PathBuf,
    /// Directory of lookup tables: countries, cities, titles.
    pub gazetteer_dir: PathBuf,
    /// Only these types are emitted; empty means every type with a rule file.
    pub enabled_types: Vec<String>,
    /// Events below this confidence are dropped.
    pub min_confidence: f64,
}

impl Default for EventsConfig {
    fn default() -> Self {
        Self {
            rules_dir: "config/events".into(),
            gazetteer_dir: "config/gazetteer".into(),
            enabled_types: Vec::new(),
            min_confidence: 0.5,
        }
    }
}

/// The clustering stage (`attache cluster`): when two reports are one event.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClusterConfig {
    /// Consumer group of the cluster worker (separate from `kafka.group_id`).
    pub group_id: String,
    /// Partitions of the cluster topics when the worker creates them; the
    /// most cluster workers that can share the load.
    pub partitions: i32,
    /// Replication factor of the cluster topics when the worker creates them.
    pub replication_factor: i32,
    /// Days two reports' dates may lie apart and still be one event.
    pub date_tolerance_days: i64,
    /// The same for a visit: a state visit lasts several days and outlets
    /// date it by the day they write about (arrival, talks, a later leg).
    pub visit_date_tolerance_days: i64,
    /// A report of talks held, without dates, took place up to this many
    /// days before its publication...
    pub window_occurred_days: i64,
    /// ...or this many days after it (a story filed before the talks ended).
    pub window_after_days: i64,
    /// A planned visit without dates takes place from this many days before
    /// its announcement's publication...
    pub window_before_days: i64,
    /// ...up to this many days after it.
    pub window_planned_days: i64,
    /// Merge two clusters when a later report fits both and they fit each
    /// other (an early one-sided or undated report had started a cluster of
    /// its own); the older id survives. Off: a report joins one cluster
    /// only, and the result depends on arrival order.
    pub merge_bridged: bool,
    /// Largest cluster-topic record the Kafka stage publishes (bytes of
    /// JSON; keep it under the broker's `message.max.bytes`, 1 MB by
    /// default). A larger cluster is published in member pages.
    pub max_record_bytes: usize,
    /// Most members a cluster record embeds (and a member page holds): a
    /// larger cluster goes out in pages, so that a change sends its record
    /// and the page that changed instead of every member.
    pub max_embedded_members: usize,
}

/// The smallest `cluster.max_record_bytes`: room for a cluster record
/// without its members, or a page with one report.
pub const MIN_CLUSTER_RECORD_BYTES: usize = 4096;

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            group_id: "attache-cluster".into(),
            partitions: 6,
            replication_factor: 1,
            date_tolerance_days: 1,
            visit_date_tolerance_days: 3,
            window_occurred_days: 7,
            window_after_days: 1,
            window_before_days: 1,
            window_planned_days: 60,
            merge_bridged: true,
            max_record_bytes: 900_000,
            max_embedded_members: 200,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    pub enabled: bool,
    /// Serves /metrics, /livez and /readyz.
    pub listen: String,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            listen: "0.0.0.0:9898".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    pub format: LogFormat,
    /// A tracing filter, e.g. `info` or `attache=debug,rdkafka=warn`.
    pub level: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            level: "info".into(),
        }
    }
}

impl Config {
    /// Defaults, then `file` (if any), then `ATTACHE_*` environment variables.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            if !path.exists() {
                return Err(ConfigError::Missing(path.to_path_buf()));
            }
            figment = figment.merge(Toml::file(path));
        }
        figment = figment.merge(Env::prefixed("ATTACHE_").split("__"));
        Self::from_figment(figment)
    }

    /// Parses a TOML string over the defaults (no environment); for tests.
    pub fn from_toml_str(text: &str) -> Result<Config, ConfigError> {
        Self::from_figment(
            Figment::from(Serialized::defaults(Config::default())).merge(Toml::string(text)),
        )
    }

    fn from_figment(figment: Figment) -> Result<Config, ConfigError> {
        let config: Config = figment.extract().map_err(|err| {
            // figment's messages name the offending key path; keep them all.
            let messages: Vec<String> = err
                .into_iter()
                .map(|e| {
                    let path = e.path.join(".");
                    if path.is_empty() {
                        e.kind.to_string()
                    } else {
                        format!("`{path}`: {}", e.kind)
                    }
                })
                .collect();
            ConfigError::Parse(messages.join("; "))
        })?;
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        fn positive(key: &'static str, value: u64) -> Result<(), ConfigError> {
            if value == 0 {
                return Err(ConfigError::Invalid {
                    key,
                    reason: "must be greater than 0".into(),
                });
            }
            Ok(())
        }
        if self.kafka.brokers.trim().is_empty() {
            return Err(ConfigError::Invalid {
                key: "kafka.brokers",
                reason: "must not be empty".into(),
            });
        }
        if self.kafka.group_id.trim().is_empty() {
            return Err(ConfigError::Invalid {
                key: "kafka.group_id",
                reason: "must not be empty".into(),
            });
        }
        for (key, topic) in [
            ("topics.input", &self.topics.input),
            ("topics.articles", &self.topics.articles),
            ("topics.dlq", &self.topics.dlq),
            ("topics.clusters", &self.topics.clusters),
            ("topics.cluster_reports", &self.topics.cluster_reports),
            ("cluster.group_id", &self.cluster.group_id),
            ("topics.events_default", &self.topics.events_default),
        ] {
            if topic.trim().is_empty() {
                return Err(ConfigError::Invalid {
                    key,
                    reason: "must not be empty".into(),
                });
            }
        }
        for (key, days) in [
            (
                "cluster.date_tolerance_days",
                self.cluster.date_tolerance_days,
            ),
            (
                "cluster.visit_date_tolerance_days",
                self.cluster.visit_date_tolerance_days,
            ),
            (
                "cluster.window_occurred_days",
                self.cluster.window_occurred_days,
            ),
            ("cluster.window_after_days", self.cluster.window_after_days),
            (
                "cluster.window_before_days",
                self.cluster.window_before_days,
            ),
            (
                "cluster.window_planned_days",
                self.cluster.window_planned_days,
            ),
        ] {
            if !(0..=3660).contains(&days) {
                return Err(ConfigError::Invalid {
                    key,
                    reason: format!("{days} is not a number of days from 0 to 3660"),
                });
            }
        }
        positive("cluster.partitions", self.cluster.partitions.max(0) as u64)?;
        positive(
            "cluster.max_embedded_members",
            self.cluster.max_embedded_members as u64,
        )?;
        if self.cluster.max_record_bytes < MIN_CLUSTER_RECORD_BYTES {
            return Err(ConfigError::Invalid {
                key: "cluster.max_record_bytes",
                reason: format!(
                    "{} is below {MIN_CLUSTER_RECORD_BYTES}: a member page must hold a report",
                    self.cluster.max_record_bytes
                ),
            });
        }
        positive(
            "cluster.replication_factor",
            self.cluster.replication_factor.max(0) as u64,
        )?;
        positive("worker.max_in_flight", self.worker.max_in_flight as u64)?;
        positive("worker.max_parked", self.worker.max_parked as u64)?;
        positive("worker.commit_interval_ms", self.worker.commit_interval_ms)?;
        positive(
            "worker.publish_max_attempts",
            u64::from(self.worker.publish_max_attempts),
        )?;
        if self
            .kafka
            .transactional_id
            .as_deref()
            .is_some_and(|id| id.trim().is_empty())
        {
            return Err(ConfigError::Invalid {
                key: "kafka.transactional_id",
                reason: "must not be empty when set".into(),
            });
        }
        positive(
            "worker.max_message_bytes",
            self.worker.max_message_bytes as u64,
        )?;
        positive("fetch.connect_timeout_ms", self.fetch.connect_timeout_ms)?;
        positive("fetch.total_timeout_ms", self.fetch.total_timeout_ms)?;
        positive("fetch.max_body_bytes", self.fetch.max_body_bytes as u64)?;
        positive(
            "fetch.per_host_concurrency",
            self.fetch.per_host_concurrency as u64,
        )?;
        positive(
            "fetch.retry_max_attempts",
            self.fetch.retry_max_attempts as u64,
        )?;
        positive("fetch.retry_max_total_ms", self.fetch.retry_max_total_ms)?;
        if self.fetch.user_agent.trim().is_empty() {
            return Err(ConfigError::Invalid {
                key: "fetch.user_agent",
                reason: "must not be empty".into(),
            });
        }
        if !(0.0..=1.0).contains(&self.events.min_confidence) {
            return Err(ConfigError::Invalid {
                key: "events.min_confidence",
                reason: format!("{} is not within 0..=1", self.events.min_confidence),
            });
        }
        if self.metrics.enabled && self.metrics.listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(ConfigError::Invalid {
                key: "metrics.listen",
                reason: format!("`{}` is not a socket address", self.metrics.listen),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        Config::default().validate().unwrap();
    }

    #[test]
    fn unknown_key_is_named() {
        let err = Config::from_toml_str("[kafka]\nbrokerz = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("brokerz"), "{err}");
    }

    #[test]
    fn invalid_value_is_named() {
        let err = Config::from_toml_str("[worker]\nmax_in_flight = 0\n").unwrap_err();
        assert!(err.to_string().contains("worker.max_in_flight"), "{err}");
        let err = Config::from_toml_str("[worker]\nmax_in_flight = \"many\"\n").unwrap_err();
        assert!(err.to_string().contains("max_in_flight"), "{err}");
    }

    #[test]
    fn event_routing_table_and_default() {
        let cfg =
            Config::from_toml_str("[topics.events]\nvisit_cancelled = \"attache.events.all\"\n")
                .unwrap();
        assert_eq!(
            cfg.topics.event_topic("visit_cancelled"),
            "attache.events.all"
        );
        assert_eq!(
            cfg.topics.event_topic("dialogue_held"),
            "attache.events.dialogue_held"
        );
    }
}

#[cfg(test)]
// figment's Jail API returns its large error type by design.
#[allow(clippy::result_large_err)]
mod documented_defaults {
    use super::*;

    /// config/attache.toml documents every key with its default; if the two
    /// drift apart, this fails.
    #[test]
    fn shipped_config_file_equals_the_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/attache.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let from_file = Config::from_toml_str(&text).unwrap();
        let defaults = Config::default();
        assert_eq!(
            toml::to_string(&from_file).unwrap(),
            toml::to_string(&defaults).unwrap()
        );
    }

    #[test]
    fn environment_overrides_the_file() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("a.toml", "[kafka]\nbrokers = \"file:9092\"\n")?;
            jail.set_env("ATTACHE_KAFKA__BROKERS", "env:9092");
            jail.set_env("ATTACHE_WORKER__MAX_IN_FLIGHT", "7");
            let config = Config::load(Some(Path::new("a.toml"))).unwrap();
            assert_eq!(config.kafka.brokers, "env:9092");
            assert_eq!(config.worker.max_in_flight, 7);
            Ok(())
        });
    }

    #[test]
    fn bad_environment_value_is_named() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("ATTACHE_WORKER__MAX_IN_FLIGHT", "lots");
            let err = Config::load(None).unwrap_err().to_string();
            assert!(err.contains("max_in_flight"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn missing_file_is_an_error() {
        let err = Config::load(Some(Path::new("/nonexistent/attache.toml"))).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/attache.toml"));
    }
}

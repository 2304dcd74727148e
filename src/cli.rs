//! Command line: `attache run | extract | produce`.
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::config::{Config, LogFormat};
use crate::events::EventExtractor;
use crate::extract::PageInfo;
use crate::fetch::Fetcher;
use crate::pipeline::{analyze_html, Analysis};
use crate::publish::to_tagged_json;

#[derive(Debug, Parser)]
#[command(
    name = "attache",
    version,
    about = "Turns news URLs into structured diplomatic events"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Kafka worker until SIGTERM/SIGINT.
    Run {
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Extract events from URLs, HTML files or `-` (stdin); prints NDJSON. No Kafka needed.
    Extract {
        #[arg(long)]
        config: Option<PathBuf>,
        /// Also print one line per article record.
        #[arg(long)]
        articles: bool,
        /// An http(s) URL, a local HTML file, or `-` for stdin.
        #[arg(required = true)]
        inputs: Vec<String>,
    },
    /// Put URLs (arguments, or stdin lines) onto the input topic.
    Produce {
        #[arg(long)]
        config: Option<PathBuf>,
        /// Defaults to `topics.input`.
        #[arg(long)]
        topic: Option<String>,
        urls: Vec<String>,
    },
    /// Group events into one row per real-world event. With files (or `-`):
    /// reads event NDJSON as `extract` prints it and prints the final
    /// clusters. With `--kafka`: the cluster worker, until SIGTERM/SIGINT.
    Cluster {
        #[arg(long)]
        config: Option<PathBuf>,
        /// Run the Kafka worker instead of reading files.
        #[arg(long, conflicts_with = "inputs")]
        kafka: bool,
        /// Event NDJSON files, or `-` for stdin.
        #[arg(required_unless_present = "kafka")]
        inputs: Vec<String>,
    },
    /// Print records of topics as NDJSON (value, plus topic/partition/offset/key/headers).
    Tail {
        #[arg(long)]
        config: Option<PathBuf>,
        /// Topics to read from the beginning; defaults to every event topic
        /// of the routing table plus the DLQ.
        #[arg(long = "topic")]
        topics: Vec<String>,
        /// Stop after this many records.
        #[arg(long)]
        count: Option<usize>,
        /// Stop after this many seconds without a new record.
        #[arg(long, default_value_t = 10)]
        idle_secs: u64,
        /// Read only committed records (`isolation.level=read_committed`), as
        /// downstream readers of an exactly-once worker do. On by default when
        /// `kafka.delivery = "exactly_once"`.
        #[arg(long)]
        read_committed: bool,
    },
}

pub fn main(cli: Cli) -> ExitCode {
    let config_path = match &cli.command {
        Command::Run { config }
        | Command::Extract { config, .. }
        | Command::Produce { config, .. }
        | Command::Cluster { config, .. }
        | Command::Tail { config, .. } => config.clone(),
    };
    let config = match Config::load(config_path.as_deref()) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("attache: {err}");
            return ExitCode::from(2);
        }
    };
    init_logging(&config);
    // `extract` works one input at a time: worker threads would only add
    // start-up time
    let mut builder = match cli.command {
        Command::Extract { .. } => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    };
    let runtime = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("attache: cannot start the async runtime: {err}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Run { .. } => runtime.block_on(async {
            match crate::worker::run(Arc::new(config), crate::worker::shutdown_on_signals()).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    tracing::error!(error = %err, "worker stopped with an error");
                    eprintln!("attache: {err}");
                    ExitCode::FAILURE
                }
            }
        }),
        Command::Extract {
            articles, inputs, ..
        } => runtime.block_on(extract_command(&config, articles, &inputs)),
        Command::Produce { topic, urls, .. } => {
            runtime.block_on(produce_command(&config, topic, urls))
        }
        Command::Cluster {
            kafka: false,
            inputs,
            ..
        } => crate::cluster::offline::run(&config, &inputs),
        Command::Cluster { kafka: true, .. } => runtime.block_on(async {
            match crate::cluster::worker::run(
                Arc::new(config),
                crate::worker::shutdown_on_signals(),
            )
            .await
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    tracing::error!(error = %err, "cluster worker stopped with an error");
                    eprintln!("attache: {err}");
                    ExitCode::FAILURE
                }
            }
        }),
        Command::Tail {
            topics,
            count,
            idle_secs,
            read_committed,
            ..
        } => {
            let read_committed =
                read_committed || config.kafka.delivery == crate::config::Delivery::ExactlyOnce;
            runtime.block_on(tail_command(
                &config,
                topics,
                count,
                idle_secs,
                read_committed,
            ))
        }
    }
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&config.log.level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second init (tests) is harmless: keep the first subscriber.
    let _ = match config.log.format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

async fn extract_command(config: &Config, print_articles: bool, inputs: &[String]) -> ExitCode {
    let extractor = match EventExtractor::load(&config.events) {
        Ok(e) => e,
        Err(err) => {
            eprintln!("attache: {err}");
            return ExitCode::from(2);
        }
    };
    let mut fetcher: Option<Fetcher> = None;
    let mut failed = false;
    // one buffered writer for the run: stdout's own line buffering costs a
    // write call per record
    let mut out = std::io::BufWriter::with_capacity(64 << 10, std::io::stdout().lock());
    for input in inputs {
        match analyze_input(config, &extractor, &mut fetcher, input).await {
            Ok(analysis) => {
                if let Err(err) = print_analysis(&mut out, &analysis, print_articles) {
                    eprintln!("attache: cannot write output: {err}");
                    return ExitCode::FAILURE;
                }
            }
            Err(message) => {
                // what was printed so far comes before the error
                if let Err(err) = out.flush() {
                    eprintln!("attache: cannot write output: {err}");
                    return ExitCode::FAILURE;
                }
                eprintln!("attache: {input}: {message}");
                failed = true;
            }
        }
    }
    if let Err(err) = out.flush() {
        eprintln!("attache: cannot write output: {err}");
        return ExitCode::FAILURE;
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

async fn analyze_input(
    config: &Config,
    extractor: &EventExtractor,
    fetcher: &mut Option<Fetcher>,
    input: &str,
) -> Result<Analysis, String> {
    let is_url = input.starts_with("http://") || input.starts_with("https://");
    let (html, fetched_url) = if is_url {
        if fetcher.is_none() {
            *fetcher = Some(Fetcher::new(&config.fetch).map_err(|e| e.to_string())?);
        }
        let fetcher = fetcher.as_ref().expect("created above");
        let page = fetcher
            .fetch(input)
            .await
            .map_err(|e| format!("fetch failed ({}): {e}", crate::Classified::kind(&e)))?;
        (page.html, page.final_url)
    } else {
        let bytes = if input == "-" {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            buf
        } else {
            std::fs::read(input).map_err(|e| format!("cannot read file: {e}"))?
        };
        let (html, _charset) = crate::fetch::decode_body_owned(bytes, None);
        (html, input.to_string())
    };
    let page = PageInfo {
        source_url: input,
        fetched_url: &fetched_url,
        published_hint: None,
    };
    analyze_html(&html, &page, config, extractor)
        .map_err(|e| format!("extraction failed ({}): {e}", crate::Classified::kind(&e)))
}

fn print_analysis(
    out: &mut impl Write,
    analysis: &Analysis,
    print_articles: bool,
) -> std::io::Result<()> {
    if print_articles {
        for article in &analysis.articles {
            out.write_all(&to_tagged_json("article", article)?)?;
            out.write_all(b"\n")?;
        }
    }
    for event in &analysis.events {
        out.write_all(&to_tagged_json("event", event)?)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

async fn produce_command(config: &Config, topic: Option<String>, urls: Vec<String>) -> ExitCode {
    let topic = topic.unwrap_or_else(|| config.topics.input.clone());
    let urls: Vec<String> = if urls.is_empty() {
        let mut text = String::new();
        if let Err(err) = std::io::stdin().read_to_string(&mut text) {
            eprintln!("attache: cannot read stdin: {err}");
            return ExitCode::FAILURE;
        }
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    } else {
        urls
    };
    let publisher = match crate::kafka::Publisher::new(config) {
        Ok(p) => p,
        Err(err) => {
            eprintln!("attache: {err}");
            return ExitCode::FAILURE;
        }
    };
    let records: Vec<_> = urls
        .iter()
        .map(|url| crate::publish::OutRecord {
            topic: topic.clone(),
            key: None,
            payload: url.as_bytes().to_vec(),
            headers: Vec::new(),
            kind: crate::publish::RecordKind::Input,
        })
        .collect();
    let mut acknowledged = 0usize;
    let mut failures = 0usize;
    // Chunks keep memory bounded for very long stdin lists.
    for chunk in records.chunks(1000) {
        for result in publisher.send_each(chunk).await {
            match result {
                Ok(()) => acknowledged += 1,
                Err(err) => {
                    failures += 1;
                    if failures <= 5 {
                        eprintln!("attache: {err}");
                    }
                }
            }
        }
    }
    publisher.flush(Duration::from_secs(10));
    println!(
        "{acknowledged} of {} URLs acknowledged by the broker on {topic}",
        records.len()
    );
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Which of `topics` the broker does not know; none when it cannot be
/// asked (then the idle limit decides).
fn missing_topics(consumer: &rdkafka::consumer::StreamConsumer, topics: &[String]) -> Vec<String> {
    use rdkafka::consumer::Consumer;
    let Ok(metadata) = consumer.fetch_metadata(None, Duration::from_secs(5)) else {
        return Vec::new();
    };
    let existing: std::collections::HashSet<&str> = metadata
        .topics()
        .iter()
        .filter(|t| t.error().is_none())
        .map(|t| t.name())
        .collect();
    topics
        .iter()
        .filter(|t| !existing.contains(t.as_str()))
        .cloned()
        .collect()
}

/// librdkafka reports a subscribed topic that does not exist (yet) as a
/// consumption error, again on every metadata refresh until it appears.
fn is_missing_topic(err: &rdkafka::error::KafkaError) -> bool {
    use rdkafka::types::RDKafkaErrorCode::{UnknownTopic, UnknownTopicOrPartition};
    matches!(
        err.rdkafka_error_code(),
        Some(UnknownTopicOrPartition | UnknownTopic)
    )
}

async fn tail_command(
    config: &Config,
    topics: Vec<String>,
    count: Option<usize>,
    idle_secs: u64,
    read_committed: bool,
) -> ExitCode {
    use rdkafka::consumer::{Consumer, StreamConsumer};
    use rdkafka::message::{Headers, Message};

    let topics = if topics.is_empty() {
        // Every event type the loaded rules emit, routed, plus the DLQ.
        let types = match crate::events::configured_event_types(&config.events) {
            Ok(types) => types,
            Err(err) => {
                eprintln!("attache: {err}");
                return ExitCode::FAILURE;
            }
        };
        let mut all: Vec<String> = types.iter().map(|t| config.topics.event_topic(t)).collect();
        all.push(config.topics.dlq.clone());
        all.sort();
        all.dedup();
        all
    } else {
        topics
    };
    let mut client = crate::kafka::reader_config(
        config,
        &format!("attache-tail-{}", std::process::id()),
        read_committed,
    );
    client.set("topic.metadata.refresh.interval.ms", "2000");
    let consumer: StreamConsumer = match client.create() {
        Ok(c) => c,
        Err(err) => {
            eprintln!("attache: cannot create consumer: {err}");
            return ExitCode::FAILURE;
        }
    };
    let names: Vec<&str> = topics.iter().map(String::as_str).collect();
    if let Err(err) = consumer.subscribe(&names) {
        eprintln!("attache: cannot subscribe: {err}");
        return ExitCode::FAILURE;
    }
    let mut printed = 0usize;
    let idle = Duration::from_secs(idle_secs);
    let mut idle_until = tokio::time::Instant::now() + idle;
    let mut told_missing = false;
    while count.map_or(true, |c| printed < c) {
        let message = match tokio::time::timeout_at(idle_until, consumer.recv()).await {
            // Idle while a topic is missing: the limit restarts once all exist.
            Err(_) if told_missing => {
                told_missing = !missing_topics(&consumer, &topics).is_empty();
                idle_until = tokio::time::Instant::now() + idle;
                continue;
            }
            Err(_) => break,
            // A topic not created yet (the worker's outputs on a fresh
            // broker): wait for it; the idle limit counts once it exists.
            Ok(Err(err)) if is_missing_topic(&err) => {
                if !told_missing {
                    eprintln!("attache: {err}; waiting until every topic exists");
                    told_missing = true;
                }
                idle_until = tokio::time::Instant::now() + idle;
                continue;
            }
            Ok(Err(err)) => {
                eprintln!("attache: {err}");
                continue;
            }
            Ok(Ok(message)) => {
                idle_until = tokio::time::Instant::now() + idle;
                message
            }
        };
        let value = message
            .payload()
            .map(|p| {
                serde_json::from_slice::<serde_json::Value>(p).unwrap_or_else(|_| {
                    serde_json::Value::String(String::from_utf8_lossy(p).into_owned())
                })
            })
            .unwrap_or(serde_json::Value::Null);
        let headers: serde_json::Map<String, serde_json::Value> = message
            .headers()
            .map(|h| {
                h.iter()
                    .map(|h| {
                        (
                            h.key.to_string(),
                            serde_json::Value::String(
                                String::from_utf8_lossy(h.value.unwrap_or_default()).into_owned(),
                            ),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let line = serde_json::json!({
            "topic": message.topic(),
            "partition": message.partition(),
            "offset": message.offset(),
            "key": message.key().map(|k| String::from_utf8_lossy(k).into_owned()),
            "headers": headers,
            "value": value,
        });
        println!("{line}");
        printed += 1;
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use crate::config::EventsConfig;

    /// `attache tail` reads the topics of the types the loaded rules emit:
    /// a new rule file adds its topic, `enabled_types` narrows them.
    #[test]
    fn tail_topics_follow_the_rule_files() {
        let dir = tempfile::tempdir().unwrap();
        let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/events");
        let dialogue = std::fs::read_to_string(shipped.join("dialogue_held.toml")).unwrap();
        std::fs::write(dir.path().join("dialogue_held.toml"), &dialogue).unwrap();
        std::fs::write(
            dir.path().join("summit_held.toml"),
            dialogue.replace("type = \"dialogue_held\"", "type = \"summit_held\""),
        )
        .unwrap();
        let mut events = EventsConfig {
            rules_dir: dir.path().to_path_buf(),
            ..EventsConfig::default()
        };
        let types = crate::events::configured_event_types(&events).unwrap();
        assert_eq!(types, ["dialogue_held", "summit_held"]);
        events.enabled_types = vec!["summit_held".into()];
        let types = crate::events::configured_event_types(&events).unwrap();
        assert_eq!(types, ["summit_held"]);
    }
}

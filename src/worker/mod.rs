//! The Kafka edge: consume -> pipeline -> publish -> commit.
//!
//! By role: [`consume_loop`] polls, tracks offsets, reacts to rebalances
//! and commits; [`job`] turns one message into records; [`delivery`]
//! publishes them at-least-once with bounded retries; [`transactions`]
//! commits them with the input offsets under exactly-once; [`hosts`] shares
//! in-flight slots between hosts. Client setup lives in [`crate::kafka`].
//!
//! A message's offset becomes committable only after every record derived
//! from it (events and articles, or its DLQ record) has been acknowledged
//! (at-least-once) or is in the same transaction (exactly-once);
//! [`crate::kafka::OffsetTracker`] makes sure a commit never passes an
//! unfinished message of the same partition. Up to `worker.max_in_flight`
//! messages are processed concurrently; when that many are open the loop
//! stops polling (backpressure). A host gets at most
//! `fetch.per_host_concurrency` of those slots; its further messages are
//! parked (tracked, so commits wait for them, but holding no slot) until one
//! of its own finishes, so a slow host delays only its own URLs.
mod consume_loop;
mod delivery;
mod hosts;
mod job;
mod transactions;

use std::net::SocketAddr;
use std::sync::Arc;

use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{Headers, Message, OwnedMessage};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::info;

use crate::config::{Config, Delivery};
use crate::kafka::{consumer_config, GroupContext, Publisher};
use crate::metrics::{Health, Metrics, MetricsError};
use crate::pipeline::{Pipeline, PipelineError};
use crate::publish::PublishError;

use consume_loop::ConsumeLoop;
use job::MessageJob;
use transactions::Transactions;

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("cannot create Kafka consumer: {0}")]
    Consumer(KafkaError),
    #[error(transparent)]
    Publish(#[from] PublishError),
    #[error("exactly-once delivery stopped: {0}")]
    Transactions(PublishError),
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    #[error(transparent)]
    Metrics(#[from] MetricsError),
    #[error("worker task failed: {0}")]
    Join(String),
}

/// A started worker: where its metrics listen and how to wait for it.
pub struct RunningWorker {
    pub metrics_addr: Option<SocketAddr>,
    pub metrics: Metrics,
    pub health: Health,
    pub task: tokio::task::JoinHandle<Result<(), WorkerError>>,
}

/// Runs the worker until `shutdown` is cancelled, then drains and exits.
pub async fn run(config: Arc<Config>, shutdown: CancellationToken) -> Result<(), WorkerError> {
    let worker = start(config, shutdown).await?;
    worker
        .task
        .await
        .map_err(|e| WorkerError::Join(e.to_string()))?
}

/// Creates the clients, binds the metrics port and spawns the consume loop.
pub async fn start(
    config: Arc<Config>,
    shutdown: CancellationToken,
) -> Result<RunningWorker, WorkerError> {
    let metrics = Metrics::new()?;
    let health = Health::new();
    let metrics_addr = if config.metrics.enabled {
        let (addr, _task) = crate::metrics::serve(
            &config.metrics.listen,
            metrics.clone(),
            health.clone(),
            shutdown.clone(),
        )
        .await?;
        info!(%addr, "serving /metrics, /livez and /readyz");
        Some(addr)
    } else {
        None
    };
    let publisher = Publisher::for_worker(&config, health.clone(), metrics.clone())?;
    let transactions = match config.kafka.delivery {
        Delivery::ExactlyOnce => {
            Some(Transactions::start(publisher.clone(), config.worker.publish_max_attempts).await?)
        }
        Delivery::AtLeastOnce => None,
    };
    let job = MessageJob {
        config: Arc::clone(&config),
        pipeline: Arc::new(Pipeline::new(Arc::clone(&config), metrics.clone())?),
        metrics: metrics.clone(),
        health: health.clone(),
    };
    let (events_tx, events) = mpsc::unbounded_channel();
    let context = GroupContext::new(events_tx, health.clone(), metrics.clone());
    let consumer: StreamConsumer<GroupContext> = consumer_config(&config)
        .create_with_context(context)
        .map_err(WorkerError::Consumer)?;
    consumer
        .subscribe(&[&config.topics.input])
        .map_err(WorkerError::Consumer)?;
    info!(
        topic = %config.topics.input,
        group = %config.kafka.group_id,
        delivery = ?config.kafka.delivery,
        "subscribed"
    );
    let consume_loop = ConsumeLoop::new(events, consumer, publisher, job, transactions);
    let task = tokio::spawn(consume_loop.run(shutdown));
    Ok(RunningWorker {
        metrics_addr,
        metrics,
        health,
        task,
    })
}

/// Reads a header of a Kafka message as UTF-8.
pub fn header_value(message: &OwnedMessage, name: &str) -> Option<String> {
    let headers = message.headers()?;
    headers
        .iter()
        .find(|h| h.key == name)
        .and_then(|h| h.value)
        .map(|v| String::from_utf8_lossy(v).into_owned())
}

/// A token cancelled on SIGTERM or SIGINT.
pub fn shutdown_on_signals() -> CancellationToken {
    let token = CancellationToken::new();
    let trigger = token.clone();
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut term) => {
                    tokio::select! {
                        _ = ctrl_c => {},
                        _ = term.recv() => {},
                    }
                }
                Err(_) => {
                    let _ = ctrl_c.await;
                }
            }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
        info!("shutdown signal received");
        trigger.cancel();
    });
    token
}

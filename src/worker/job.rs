//! One input message: decode -> pipeline -> records to publish.
use std::sync::Arc;
use std::time::Instant;

use rdkafka::message::{Message, OwnedMessage};
use tracing::info;

use crate::config::Config;
use crate::consume::{DecodeError, InputMessage};
use crate::metrics::{Health, Metrics};
use crate::pipeline::Pipeline;
use crate::publish::{
    plan_dead_letter, plan_records, Attempts, Failure, OutRecord, PublishError, RecordKind,
    SourcePosition,
};
use crate::{Classified, Outcome};

use super::delivery::DeliveryObserver;

/// A message's records, planned and not yet sent.
pub(super) struct Planned {
    pub records: Vec<OutRecord>,
    pub outcome: Outcome,
    pub fetch_attempts: u32,
    pub received: Instant,
}

/// Everything one message needs, cloned per message.
#[derive(Clone)]
pub(super) struct MessageJob {
    pub config: Arc<Config>,
    pub pipeline: Arc<Pipeline>,
    pub metrics: Metrics,
    pub health: Health,
}

impl MessageJob {
    /// Runs the pipeline and plans the records: the outputs, or the DLQ
    /// record of a failure.
    pub async fn plan(
        &self,
        message: &OwnedMessage,
        input: Result<InputMessage, DecodeError>,
        received: Instant,
    ) -> Planned {
        let planned = match input {
            Err(error) => {
                self.metrics.error(error.stage(), error.kind());
                // Decoding fails before any fetch: no HTTP attempt was made.
                Err(Failure::from_error(&error, Attempts::default()))
            }
            Ok(input) => {
                tracing::Span::current().record("url", input.url.as_str());
                match self.pipeline.process(&input).await {
                    Ok(analysis) => plan_records(
                        &input,
                        &analysis.articles,
                        &analysis.events,
                        &self.config.topics,
                        self.config.worker.publish_articles,
                    )
                    .map(|records| {
                        let outcome = if analysis.events.is_empty() {
                            Outcome::NoEvents
                        } else {
                            Outcome::Ok
                        };
                        (records, outcome, analysis.fetch_attempts)
                    })
                    .map_err(|error| {
                        Failure::from_error(&error, Attempts::fetched(analysis.fetch_attempts))
                    }),
                    Err(failure) => Err(failure),
                }
            }
        };
        match planned {
            Ok((records, outcome, fetch_attempts)) => Planned {
                records,
                outcome,
                fetch_attempts,
                received,
            },
            Err(failure) => Planned {
                fetch_attempts: failure.attempts.fetch,
                records: vec![self.dead_letter(
                    message,
                    &failure,
                    self.config.worker.max_message_bytes,
                )],
                outcome: Outcome::Failed,
                received,
            },
        }
    }

    /// The DLQ record of `message`, its payload capped at `max_payload`.
    pub fn dead_letter(
        &self,
        message: &OwnedMessage,
        failure: &Failure,
        max_payload: usize,
    ) -> OutRecord {
        info!(stage = %failure.stage, kind = failure.kind, error = %failure.message, "to dead-letter topic");
        plan_dead_letter(
            message.key(),
            message.payload(),
            &SourcePosition {
                topic: message.topic().to_string(),
                partition: message.partition(),
                offset: message.offset(),
            },
            failure,
            &self.config.topics,
            max_payload,
        )
    }

    /// Counts a message whose records are all acknowledged (or committed).
    pub fn count_finished(&self, acknowledged: &[OutRecord], outcome: Outcome, received: Instant) {
        count_published(&self.metrics, &self.health, acknowledged);
        self.metrics.processed(outcome);
        self.metrics
            .end_to_end_latency
            .observe(received.elapsed().as_secs_f64());
    }
}

/// Counts acknowledged records by kind, and clears the readiness complaint
/// of a topic that accepts records again.
pub(super) fn count_published(metrics: &Metrics, health: &Health, records: &[OutRecord]) {
    let mut last_topic: Option<&str> = None;
    for record in records {
        match &record.kind {
            RecordKind::Event { event_type } => metrics
                .events_published
                .with_label_values(&[event_type.as_str()])
                .inc(),
            RecordKind::Article => metrics.articles_published.inc(),
            RecordKind::DeadLetter { stage, kind } => metrics
                .dlq_records
                .with_label_values(&[stage.as_str(), kind])
                .inc(),
            RecordKind::Input | RecordKind::Cluster => {}
        }
        if last_topic != Some(record.topic.as_str()) {
            metrics
                .publish_refused_topics
                .set(health.topic_accepted(&record.topic) as i64);
            last_topic = Some(record.topic.as_str());
        }
    }
}

/// Logs and counts refused sends; names a refusing topic on `/readyz`.
pub(super) struct RefusalObserver<'a> {
    pub metrics: &'a Metrics,
    pub health: &'a Health,
}

impl DeliveryObserver for RefusalObserver<'_> {
    fn refused(&self, _record: &OutRecord, error: &PublishError) {
        self.metrics.error(error.stage(), error.kind());
        note_refusal(self.metrics, self.health, error);
    }

    fn gave_up(&self, cause: &PublishError) {
        if matches!(cause, PublishError::RetriesExhausted { .. }) {
            self.metrics.error(cause.stage(), cause.kind());
            note_refusal(self.metrics, self.health, cause);
        }
    }
}

/// Names a topic that refuses records as such on `/readyz` and in
/// `attache_publish_refused_topics`.
pub(super) fn note_refusal(metrics: &Metrics, health: &Health, error: &PublishError) {
    if let Some(refusing) = error.refusing_topic() {
        metrics
            .publish_refused_topics
            .set(health.topic_refused(refusing, error.kind()) as i64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rdkafka::Timestamp;

    fn job() -> MessageJob {
        let config = Arc::new(Config::default());
        let metrics = Metrics::new().unwrap();
        MessageJob {
            pipeline: Arc::new(Pipeline::new(Arc::clone(&config), metrics.clone()).unwrap()),
            config,
            metrics,
            health: Health::new(),
        }
    }

    fn header<'a>(record: &'a OutRecord, name: &str) -> Option<&'a [u8]> {
        record
            .headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_slice())
    }

    #[tokio::test]
    async fn an_undecodable_message_is_dead_lettered_with_zero_fetch_attempts() {
        let job = job();
        let key = vec![0xfe, 0x01];
        let message = OwnedMessage::new(
            Some(b"not a url".to_vec()),
            Some(key.clone()),
            "attache.urls".into(),
            Timestamp::NotAvailable,
            3,
            17,
            None,
        );
        let input = crate::consume::decode_input(message.payload(), 1024);
        let planned = job.plan(&message, input, Instant::now()).await;
        assert_eq!(planned.outcome, Outcome::Failed);
        let [record] = planned.records.as_slice() else {
            panic!("one DLQ record expected");
        };
        assert_eq!(header(record, "error.stage"), Some(&b"decode"[..]));
        // No HTTP request was made for it; "1" claimed one.
        assert_eq!(header(record, "attempts"), Some(&b"0"[..]));
        assert_eq!(header(record, "publish.attempts"), None);
        assert_eq!(record.key.as_deref(), Some(key.as_slice()));
    }
}

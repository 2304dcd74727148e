//! At-least-once delivery of one message's records: bounded retries that
//! re-send only what the broker has not acknowledged, and dead-lettering
//! (stage `publish`) when the outputs cannot be delivered.
use std::future::Future;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tracing::warn;

use crate::kafka::Publisher;
use crate::publish::{Attempts, Failure, OutRecord, PublishError};
use crate::{Classified, RetryHint};

/// Where records go; the Kafka producer, or a fake in tests.
pub trait RecordSink {
    /// Sends every record; one result per record, in order.
    fn send_each<'a>(
        &'a self,
        records: &'a [OutRecord],
    ) -> impl Future<Output = Vec<Result<(), PublishError>>> + Send + 'a;
}

impl RecordSink for Publisher {
    fn send_each<'a>(
        &'a self,
        records: &'a [OutRecord],
    ) -> impl Future<Output = Vec<Result<(), PublishError>>> + Send + 'a {
        Publisher::send_each(self, records)
    }
}

/// How hard to try before giving up on a message's outputs.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Sends of the outputs before they are replaced by a DLQ record.
    pub max_attempts: u32,
    pub first_backoff: Duration,
    pub max_backoff: Duration,
}

impl RetryPolicy {
    pub fn new(max_attempts: u32) -> Self {
        Self {
            max_attempts: max_attempts.max(1),
            first_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(30),
        }
    }
}

/// What is being delivered: the message's own outputs or their stand-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// The message's outputs (events, articles), or its first DLQ record.
    Outputs,
    /// A DLQ record (stage `publish`) replacing outputs that could not go out.
    DeadLetter,
    /// The last resort: a DLQ record without the payload. Retried until the
    /// broker takes it: dropping it would lose the message.
    DeadLetterWithoutPayload,
}

/// What replaces outputs that cannot be delivered: the message's DLQ
/// record, built by `dead_letter(failure, payload cap)`.
pub struct Fallback<D> {
    /// HTTP attempts the message took, for the DLQ record's `attempts`.
    pub fetch_attempts: u32,
    /// Payload cap of the first DLQ record; the second has none.
    pub max_payload: usize,
    pub dead_letter: D,
}

/// The end of a delivery.
#[derive(Debug)]
pub struct Delivered {
    /// Every record the broker acknowledged, in acknowledgement order.
    pub acknowledged: Vec<OutRecord>,
    /// Set when (some of) the outputs were replaced by a DLQ record.
    pub dead_lettered: Option<Failure>,
}

/// Callbacks of a delivery, for logs, metrics and readiness.
pub trait DeliveryObserver {
    /// A send failed; it will be retried or dead-lettered.
    fn refused(&self, record: &OutRecord, error: &PublishError);
    /// The outputs are given up for `cause` and dead-lettered.
    fn gave_up(&self, _cause: &PublishError) {}
}

/// Delivers `records`: failed ones (and only those) are sent again with
/// backoff. A permanent refusal, or `policy.max_attempts` failed sends,
/// replaces what is left by the `fallback` DLQ record: with the payload
/// capped first, without it if that is refused permanently too. Records already acknowledged stay
/// out; they are not withdrawn. None if `abandon` fires first (shutdown):
/// then the message is not finished and will be delivered again.
pub async fn deliver<S, O, D>(
    sink: &S,
    records: Vec<OutRecord>,
    policy: RetryPolicy,
    fallback: &Fallback<D>,
    observer: &O,
    abandon: &CancellationToken,
) -> Option<Delivered>
where
    S: RecordSink,
    O: DeliveryObserver,
    D: Fn(&Failure, usize) -> OutRecord,
{
    let mut pending = records;
    let mut acknowledged = Vec::with_capacity(pending.len());
    let mut dead_lettered = None;
    let mut phase = Phase::Outputs;
    let mut attempts = 0u32;
    let mut backoff = policy.first_backoff;
    loop {
        attempts += 1;
        let results = sink.send_each(&pending).await;
        let mut failed = Vec::new();
        let mut permanent: Option<PublishError> = None;
        let mut last: Option<PublishError> = None;
        for (record, result) in pending.into_iter().zip(results) {
            match result {
                Ok(()) => acknowledged.push(record),
                Err(error) => {
                    observer.refused(&record, &error);
                    if error.retry_hint() == RetryHint::Permanent && permanent.is_none() {
                        permanent = Some(error.clone());
                    }
                    last = Some(error);
                    failed.push(record);
                }
            }
        }
        let Some(last) = last else {
            return Some(Delivered {
                acknowledged,
                dead_lettered,
            });
        };
        let exhausted = phase == Phase::Outputs && attempts >= policy.max_attempts;
        let give_up =
            (permanent.is_some() || exhausted) && phase != Phase::DeadLetterWithoutPayload;
        if give_up {
            let cause = permanent.unwrap_or_else(|| PublishError::RetriesExhausted {
                topic: failed[0].topic.clone(),
                attempts,
                last: last.to_string(),
            });
            let failure = Failure::from_error(
                &cause,
                Attempts {
                    fetch: fallback.fetch_attempts,
                    publish: attempts,
                },
            );
            warn!(kind = cause.kind(), error = %cause, "outputs not deliverable; dead-lettering");
            observer.gave_up(&cause);
            // Retrying the same records cannot help; a DLQ record (smaller
            // still, without payload, on a second refusal) might.
            let (next, cap) = match phase {
                Phase::Outputs => (Phase::DeadLetter, fallback.max_payload),
                _ => (Phase::DeadLetterWithoutPayload, 0),
            };
            pending = vec![(fallback.dead_letter)(&failure, cap)];
            dead_lettered = Some(failure);
            phase = next;
            attempts = 0;
            backoff = policy.first_backoff;
            continue;
        }
        warn!(error = %last, retry_in_ms = backoff.as_millis() as u64, failed = failed.len(), "publish failed; retrying");
        tokio::select! {
            _ = abandon.cancelled() => return None,
            _ = tokio::time::sleep(backoff) => {}
        }
        backoff = (backoff * 2).min(policy.max_backoff);
        pending = failed;
    }
}

#[cfg(test)]
mod tests;

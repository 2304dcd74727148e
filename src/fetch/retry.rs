//! Retry policy: which failures are transient, the backoff schedule, and
//! `Retry-After`.
use std::time::{Duration, SystemTime};

use backon::{Backoff, BackoffBuilder, ExponentialBuilder};

use super::{FetchError, FetchErrorKind};
use crate::config::FetchConfig;

/// Connect errors, timeouts, a body cut off mid-way, 429, 502, 503 and 504
/// may succeed on a later try; everything else is final.
pub fn is_transient(error: &FetchError) -> bool {
    match error.error_kind() {
        FetchErrorKind::Connect
        | FetchErrorKind::Timeout
        | FetchErrorKind::BodyRead
        | FetchErrorKind::Http429 => true,
        FetchErrorKind::Http5xx => matches!(error.status(), Some(502..=504)),
        _ => false,
    }
}

/// Waits before the 2nd, 3rd, ... attempt: exponential from
/// `retry_initial_backoff_ms`, jittered upwards, each clamped to
/// `retry_max_backoff_ms`, at most `retry_max_attempts - 1` of them, summing
/// to at most `retry_max_total_ms`.
pub fn backoff_schedule(config: &FetchConfig) -> impl Backoff {
    let initial = Duration::from_millis(config.retry_initial_backoff_ms);
    let max = Duration::from_millis(config.retry_max_backoff_ms).max(initial);
    let retries = config.retry_max_attempts.saturating_sub(1) as usize;
    ExponentialBuilder::new()
        .with_min_delay(initial)
        .with_max_delay(max)
        .with_max_times(retries)
        .with_total_delay(Some(Duration::from_millis(config.retry_max_total_ms)))
        .with_jitter()
        .build()
        // backon's jitter adds up to 100%: keep the configured ceiling.
        .map(move |delay| delay.min(max))
}

/// Parses a `Retry-After` value: delta-seconds or an HTTP date (relative to
/// `now`; a date in the past means "now"). Anything else is `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Absurdly long numbers saturate; the retry budget rejects them anyway.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

//! The typed vocabulary of what happened to a message: the stage that
//! failed, how a message ended, and whether an error is worth retrying.
//!
//! Stages and outcomes become DLQ headers and metric labels; their string
//! forms are stable and low-cardinality, so they are spelled out once here.
use std::fmt;

use serde::Serialize;

/// Where something went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Talking to the consumer group (errors only; never a DLQ stage).
    Consume,
    Decode,
    Fetch,
    Extract,
    Publish,
}

impl Stage {
    /// The stages a dead-lettered message can name.
    pub const DEAD_LETTER: [Stage; 4] =
        [Stage::Decode, Stage::Fetch, Stage::Extract, Stage::Publish];

    pub const fn as_str(self) -> &'static str {
        match self {
            Stage::Consume => "consume",
            Stage::Decode => "decode",
            Stage::Fetch => "fetch",
            Stage::Extract => "extract",
            Stage::Publish => "publish",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Stage {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Stage {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// How an input message ended once all its records were acknowledged
/// (label `outcome` of `attache_urls_processed_total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Events found and published.
    Ok,
    /// Articles but no event: a success.
    NoEvents,
    /// The message went to the dead-letter topic.
    Failed,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Ok, Outcome::NoEvents, Outcome::Failed];

    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::NoEvents => "no_events",
            Outcome::Failed => "failed",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What retrying an error can achieve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryHint {
    /// Another attempt may succeed (broker down, leader moving, timeout).
    Transient,
    /// The same record will be refused again (too large, unknown or
    /// forbidden topic): replace it, do not retry it.
    Permanent,
}

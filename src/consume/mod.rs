//! Consume stage: input messages -> validated URL requests, and the offset
//! bookkeeping that makes delivery at-least-once.
//!
//! Core functions: [`decode_input`] (payload -> [`InputMessage`]) and
//! [`OffsetTracker`] (which offset is safe to commit). Both are pure; the
//! Kafka consumer loop lives in [`crate::worker`].
use std::collections::{BTreeSet, HashMap};

use serde::Deserialize;

/// One request to process a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputMessage {
    pub url: String,
    /// RFC 3339 publication hint from the producer.
    pub published: Option<String>,
    /// The caller's own id, echoed as a header on every output.
    pub id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("message has no value")]
    Empty,
    #[error("message value is {size} bytes, more than the {max} allowed")]
    TooLarge { size: usize, max: usize },
    #[error("message value is not valid UTF-8 (at byte {0})")]
    NotUtf8(usize),
    #[error("message value is not valid JSON: {0}")]
    BadJson(String),
    #[error("JSON message has no string field `url`")]
    MissingUrl,
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
    #[error("`published` is not an RFC 3339 timestamp: {0}")]
    BadPublished(String),
}

impl crate::Classified for DecodeError {
    fn stage(&self) -> &'static str {
        "decode"
    }
    fn kind(&self) -> &'static str {
        match self {
            DecodeError::Empty => "empty_message",
            DecodeError::TooLarge { .. } => "too_large",
            DecodeError::NotUtf8(_) => "invalid_utf8",
            DecodeError::BadJson(_) => "invalid_json",
            DecodeError::MissingUrl => "missing_url",
            DecodeError::InvalidUrl(_) => "invalid_url",
            DecodeError::BadPublished(_) => "invalid_published",
        }
    }
}

#[derive(Deserialize)]
struct JsonInput {
    url: Option<serde_json::Value>,
    published: Option<String>,
    id: Option<serde_json::Value>,
}

/// Longest URL accepted; longer ones are almost certainly garbage.
pub const MAX_URL_BYTES: usize = 8 * 1024;

/// Decodes a message value: a bare URL, or JSON `{"url", "published"?, "id"?}`.
pub fn decode_input(payload: Option<&[u8]>, max_bytes: usize) -> Result<InputMessage, DecodeError> {
    let bytes = payload.ok_or(DecodeError::Empty)?;
    if bytes.len() > max_bytes {
        return Err(DecodeError::TooLarge {
            size: bytes.len(),
            max: max_bytes,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| DecodeError::NotUtf8(e.valid_up_to()))?;
    let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if text.is_empty() {
        return Err(DecodeError::Empty);
    }
    let message = if text.starts_with('{') {
        let json: JsonInput =
            serde_json::from_str(text).map_err(|e| DecodeError::BadJson(e.to_string()))?;
        let url = match json.url {
            Some(serde_json::Value::String(url)) => url,
            _ => return Err(DecodeError::MissingUrl),
        };
        if let Some(published) = &json.published {
            chrono::DateTime::parse_from_rfc3339(published)
                .map_err(|e| DecodeError::BadPublished(format!("{published:?}: {e}")))?;
        }
        let id = match json.id {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s),
            Some(other) => Some(other.to_string()),
        };
        InputMessage {
            url,
            published: json.published,
            id,
        }
    } else {
        InputMessage {
            url: text.to_string(),
            published: None,
            id: None,
        }
    };
    if message.url.len() > MAX_URL_BYTES {
        return Err(DecodeError::InvalidUrl(format!(
            "URL is {} bytes, more than {MAX_URL_BYTES}",
            message.url.len()
        )));
    }
    crate::fetch::normalize_url(&message.url)
        .map_err(|e| DecodeError::InvalidUrl(e.to_string()))?;
    Ok(message)
}

/// Per-partition bookkeeping of which offsets are done.
///
/// Messages of one partition start in offset order but may finish in any
/// order. The committable offset is the lowest unfinished one (or one past
/// the highest seen when nothing is open), so a commit never passes a
/// message that is still being worked on.
#[derive(Debug, Default)]
pub struct OffsetTracker {
    partitions: HashMap<(String, i32), PartitionState>,
    next_epoch: u64,
}

#[derive(Debug)]
struct PartitionState {
    /// Bumped on every assignment so late completions from a previous
    /// ownership of the partition are ignored.
    epoch: u64,
    open: BTreeSet<i64>,
    highest_started: Option<i64>,
    last_committed: Option<i64>,
}

/// Identifies one message's place in the tracker.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ticket {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    epoch: u64,
}

impl OffsetTracker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets any previous state of the partition (new ownership).
    pub fn assign(&mut self, topic: &str, partition: i32) {
        self.next_epoch += 1;
        self.partitions.insert(
            (topic.to_string(), partition),
            PartitionState {
                epoch: self.next_epoch,
                open: BTreeSet::new(),
                highest_started: None,
                last_committed: None,
            },
        );
    }

    /// Stops tracking the partition; returns the offset to commit for what
    /// was done (if it moved). Unfinished work is dropped and will be
    /// redelivered to the next owner.
    pub fn revoke(&mut self, topic: &str, partition: i32) -> Option<i64> {
        let key = (topic.to_string(), partition);
        let commit = self
            .partitions
            .get(&key)
            .and_then(PartitionState::to_commit);
        self.partitions.remove(&key);
        commit
    }

    /// Records that a message has been received and work on it began.
    pub fn start(&mut self, topic: &str, partition: i32, offset: i64) -> Ticket {
        let key = (topic.to_string(), partition);
        if !self.partitions.contains_key(&key) {
            // Messages can arrive before the assign callback is seen by us.
            self.assign(topic, partition);
        }
        let state = self.partitions.get_mut(&key).expect("assigned above");
        state.open.insert(offset);
        state.highest_started = Some(state.highest_started.map_or(offset, |h| h.max(offset)));
        Ticket {
            topic: key.0,
            partition,
            offset,
            epoch: state.epoch,
        }
    }

    /// Marks a message done. Returns false when the ticket is stale (the
    /// partition was revoked or reassigned meanwhile).
    pub fn finish(&mut self, ticket: &Ticket) -> bool {
        match self
            .partitions
            .get_mut(&(ticket.topic.clone(), ticket.partition))
        {
            Some(state) if state.epoch == ticket.epoch => state.open.remove(&ticket.offset),
            _ => false,
        }
    }

    /// Offsets (next offset to read, Kafka's convention) that moved since the
    /// last call to [`OffsetTracker::mark_committed`].
    pub fn commits_due(&self) -> Vec<(String, i32, i64)> {
        let mut due: Vec<_> = self
            .partitions
            .iter()
            .filter_map(|((topic, partition), state)| {
                state
                    .to_commit()
                    .map(|offset| (topic.clone(), *partition, offset))
            })
            .collect();
        due.sort();
        due
    }

    pub fn mark_committed(&mut self, topic: &str, partition: i32, offset: i64) {
        if let Some(state) = self.partitions.get_mut(&(topic.to_string(), partition)) {
            state.last_committed = Some(state.last_committed.map_or(offset, |c| c.max(offset)));
        }
    }

    /// Messages started and not yet finished, over all partitions.
    pub fn open_count(&self) -> usize {
        self.partitions.values().map(|s| s.open.len()).sum()
    }

    pub fn partitions(&self) -> Vec<(String, i32)> {
        self.partitions.keys().cloned().collect()
    }
}

impl PartitionState {
    fn committable(&self) -> Option<i64> {
        match self.open.first() {
            Some(lowest_open) => Some(*lowest_open),
            None => self.highest_started.map(|h| h + 1),
        }
    }

    fn to_commit(&self) -> Option<i64> {
        let next = self.committable()?;
        match self.last_committed {
            Some(done) if done >= next => None,
            _ => Some(next),
        }
    }
}

#[cfg(test)]
mod tests;

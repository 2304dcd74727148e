//! Consume stage: input messages -> validated URL requests.
//!
//! Core function: [`decode_input`] (payload -> [`InputMessage`]), pure. The
//! offset bookkeeping is [`crate::kafka::OffsetTracker`]; the consumer loop
//! lives in [`crate::worker`].

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
    fn stage(&self) -> crate::Stage {
        crate::Stage::Decode
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

#[cfg(test)]
mod tests;

//! Fetch stage: URL -> decoded HTML, politely and safely.
//!
//! Core functions: [`normalize_url`] and [`decode_body`] are pure; [`Fetcher`]
//! is the network edge.
use std::time::Duration;

use url::Url;

use crate::config::FetchConfig;

/// A page as the extractor needs it.
#[derive(Debug, Clone)]
pub struct FetchedPage {
    /// After redirects, normalized.
    pub final_url: String,
    pub status: u16,
    pub html: String,
    /// Bytes received (decompressed).
    pub body_bytes: usize,
    /// Label of the charset used to decode the body.
    pub charset: &'static str,
    /// Attempts made, including the successful one.
    pub attempts: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
    #[error("HTTP status {0}")]
    Status(u16),
    #[error("timed out")]
    Timeout,
    #[error("connection failed: {0}")]
    Connect(String),
    #[error("body larger than {0} bytes")]
    TooLarge(usize),
    #[error("content type {0} is not HTML")]
    NotHtml(String),
    #[error("request failed: {0}")]
    Other(String),
}

impl FetchError {
    /// Attempts made before giving up.
    pub fn attempts(&self) -> u32 {
        1
    }
}

impl crate::Classified for FetchError {
    fn stage(&self) -> &'static str {
        "fetch"
    }
    fn kind(&self) -> &'static str {
        match self {
            FetchError::InvalidUrl(_) => "invalid_url",
            FetchError::Status(404) => "http_404",
            FetchError::Status(410) => "http_410",
            FetchError::Status(429) => "http_429",
            FetchError::Status(s) if *s >= 500 => "http_5xx",
            FetchError::Status(_) => "http_4xx",
            FetchError::Timeout => "timeout",
            FetchError::Connect(_) => "connect",
            FetchError::TooLarge(_) => "too_large",
            FetchError::NotHtml(_) => "not_html",
            FetchError::Other(_) => "fetch_failed",
        }
    }
}

/// Parses and normalizes a URL: http(s) only, no userinfo, no fragment.
pub fn normalize_url(input: &str) -> Result<Url, FetchError> {
    let mut url = Url::parse(input.trim()).map_err(|e| FetchError::InvalidUrl(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchError::InvalidUrl(format!(
            "scheme `{}` is not http(s)",
            url.scheme()
        )));
    }
    if url.host_str().is_none() {
        return Err(FetchError::InvalidUrl("no host".into()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(FetchError::InvalidUrl("userinfo is not allowed".into()));
    }
    url.set_fragment(None);
    Ok(url)
}

/// Decodes a body to text; baseline: UTF-8 with replacement.
pub fn decode_body(bytes: &[u8], _content_type: Option<&str>) -> (String, &'static str) {
    (String::from_utf8_lossy(bytes).into_owned(), "UTF-8")
}

pub struct Fetcher {
    client: reqwest::Client,
    max_body_bytes: usize,
}

impl Fetcher {
    pub fn new(config: &FetchConfig) -> Result<Self, FetchError> {
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(Duration::from_millis(config.connect_timeout_ms))
            .timeout(Duration::from_millis(config.total_timeout_ms))
            .redirect(reqwest::redirect::Policy::limited(config.max_redirects))
            .build()
            .map_err(|e| FetchError::Other(e.to_string()))?;
        Ok(Self {
            client,
            max_body_bytes: config.max_body_bytes,
        })
    }

    pub async fn fetch(&self, input: &str) -> Result<FetchedPage, FetchError> {
        let url = normalize_url(input)?;
        let resp = self.client.get(url).send().await.map_err(|e| {
            if e.is_timeout() {
                FetchError::Timeout
            } else {
                FetchError::Connect(e.to_string())
            }
        })?;
        let status = resp.status().as_u16();
        if !resp.status().is_success() {
            return Err(FetchError::Status(status));
        }
        let final_url = resp.url().to_string();
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| FetchError::Other(e.to_string()))?;
        if bytes.len() > self.max_body_bytes {
            return Err(FetchError::TooLarge(self.max_body_bytes));
        }
        let (html, charset) = decode_body(&bytes, content_type.as_deref());
        Ok(FetchedPage {
            final_url,
            status,
            html,
            body_bytes: bytes.len(),
            charset,
            attempts: 1,
        })
    }
}

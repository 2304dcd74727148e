//! Fetch stage: URL -> decoded HTML, politely and safely.
//!
//! Pure cores, unit-tested in `tests.rs`: [`normalize_url`], [`decode_body`]
//! and [`decide_charset`], [`is_forbidden_ip`], [`parse_retry_after`],
//! [`backoff_schedule`], [`effective_delay`]. [`Fetcher`] is the network
//! edge: it follows redirects itself so every hop passes the SSRF guard,
//! robots.txt and the per-host limits again.
mod charset;
mod politeness;
mod retry;
mod robots;
mod ssrf;
#[cfg(test)]
mod tests;
mod url_norm;

use std::error::Error as _;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use backon::Retryable;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use tokio::time::Instant;
use url::Url;

pub use charset::{
    charset_param, decide_charset, decide_charset_from, decode_body, decode_body_from,
    decode_body_owned, meta_charset, CharsetSource,
};
pub use politeness::{effective_delay, host_key};
pub use retry::{backoff_schedule, is_transient, parse_retry_after};
pub use robots::agent_token;
pub use ssrf::is_forbidden_ip;
pub use url_norm::{normalize_url, normalize_url_with, QueryFilter};

use crate::config::FetchConfig;
use politeness::{HostPool, HostState};
use robots::{RobotsEntry, RobotsRules, RobotsVerdict, MAX_ROBOTS_BYTES};
use ssrf::{AddressPolicy, GuardedResolver};

/// Redirects followed while looking for robots.txt (RFC 9309 asks for 5).
const MAX_ROBOTS_REDIRECTS: usize = 5;

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

/// Why a fetch failed; [`FetchErrorKind::as_str`] is the stable label used in
/// DLQ headers and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchErrorKind {
    InvalidUrl,
    Http404,
    Http410,
    Http429,
    Http4xx,
    Http5xx,
    /// Any other final status outside 2xx (1xx leaks, 3xx is a redirect).
    HttpOther,
    Timeout,
    Connect,
    Dns,
    /// The connection broke while the body was being read.
    BodyRead,
    /// The body did not decompress (corrupt gzip, br or deflate).
    BadCompression,
    TooLarge,
    NotHtml,
    RobotsDisallowed,
    /// robots.txt answered 429 or 5xx: fetch nothing there until it is asked again.
    RobotsUnavailable,
    PrivateAddress,
    TooManyRedirects,
    BadRedirect,
    /// A request failure reqwest could not attribute to anything above.
    Request,
    /// The HTTP client could not be built from the configuration.
    Setup,
}

impl FetchErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FetchErrorKind::InvalidUrl => "invalid_url",
            FetchErrorKind::Http404 => "http_404",
            FetchErrorKind::Http410 => "http_410",
            FetchErrorKind::Http429 => "http_429",
            FetchErrorKind::Http4xx => "http_4xx",
            FetchErrorKind::Http5xx => "http_5xx",
            FetchErrorKind::HttpOther => "http_other",
            FetchErrorKind::Timeout => "timeout",
            FetchErrorKind::Connect => "connect",
            FetchErrorKind::Dns => "dns",
            FetchErrorKind::BodyRead => "body_read",
            FetchErrorKind::BadCompression => "bad_compression",
            FetchErrorKind::TooLarge => "too_large",
            FetchErrorKind::NotHtml => "not_html",
            FetchErrorKind::RobotsDisallowed => "robots_disallowed",
            FetchErrorKind::RobotsUnavailable => "robots_unavailable",
            FetchErrorKind::PrivateAddress => "private_address",
            FetchErrorKind::TooManyRedirects => "too_many_redirects",
            FetchErrorKind::BadRedirect => "bad_redirect",
            FetchErrorKind::Request => "request_failed",
            FetchErrorKind::Setup => "setup",
        }
    }

    /// The kind for a final HTTP status that is not a success.
    pub fn for_status(status: u16) -> FetchErrorKind {
        match status {
            404 => FetchErrorKind::Http404,
            410 => FetchErrorKind::Http410,
            429 => FetchErrorKind::Http429,
            400..=499 => FetchErrorKind::Http4xx,
            500..=599 => FetchErrorKind::Http5xx,
            _ => FetchErrorKind::HttpOther,
        }
    }
}

impl std::fmt::Display for FetchErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed fetch: a stable kind, a human message, and how many attempts
/// were made.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct FetchError {
    kind: FetchErrorKind,
    message: String,
    status: Option<u16>,
    retry_after: Option<Duration>,
    attempts: u32,
}

impl FetchError {
    pub fn new(kind: FetchErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            status: None,
            retry_after: None,
            attempts: 0,
        }
    }

    /// A final non-success status; `retry_after` from its header, if any.
    pub fn from_status(status: u16, retry_after: Option<Duration>) -> Self {
        Self {
            status: Some(status),
            retry_after,
            ..Self::new(
                FetchErrorKind::for_status(status),
                format!("HTTP status {status}"),
            )
        }
    }

    /// Named `error_kind` so it does not shadow [`crate::Classified::kind`].
    pub fn error_kind(&self) -> FetchErrorKind {
        self.kind
    }

    /// The HTTP status, for failures that are one.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The server's `Retry-After`, for 429 and 503 that sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// HTTP attempts made before giving up (0 if the URL was refused first).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }
}

impl crate::Classified for FetchError {
    fn stage(&self) -> crate::Stage {
        crate::Stage::Fetch
    }
    fn kind(&self) -> &'static str {
        self.kind.as_str()
    }
}

/// Maps a reqwest error to a kind. Errors our resolver raised (dns,
/// private_address) travel inside reqwest's source chain and win. reqwest
/// nests errors (a body cut off mid-way surfaces as a decode error wrapping
/// a body error), so the whole chain is read, not just the outer kind.
fn classify_reqwest(err: reqwest::Error) -> FetchError {
    let err = err.without_url();
    let mut message = err.to_string();
    let (mut timeout, mut connect, mut body, mut corrupt) = (false, false, false, false);
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(current) = cause {
        if let Some(ours) = current.downcast_ref::<FetchError>() {
            return FetchError::new(ours.kind, ours.message.clone());
        }
        if let Some(inner) = current.downcast_ref::<reqwest::Error>() {
            timeout |= inner.is_timeout();
            connect |= inner.is_connect() || inner.is_request();
            body |= inner.is_body();
            // A decompressor's complaint is an io::Error straight under
            // reqwest's; a transport failure has a hyper error in between.
            corrupt |= inner
                .source()
                .and_then(|source| source.downcast_ref::<std::io::Error>())
                .is_some_and(|io| {
                    use std::io::ErrorKind::{InvalidData, UnexpectedEof};
                    matches!(io.kind(), InvalidData | UnexpectedEof)
                });
        }
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            timeout |= io.kind() == std::io::ErrorKind::TimedOut;
        }
        if !std::ptr::addr_eq(current, &err) {
            message.push_str(": ");
            message.push_str(&current.to_string());
        }
        cause = current.source();
    }
    let kind = if timeout {
        FetchErrorKind::Timeout
    } else if connect {
        // is_request covers a connection closed before the response started.
        FetchErrorKind::Connect
    } else if err.is_decode() && (corrupt || !body) {
        FetchErrorKind::BadCompression
    } else if body {
        FetchErrorKind::BodyRead
    } else {
        FetchErrorKind::Request
    };
    FetchError::new(kind, message)
}

/// `now + budget`, saturating: absurd configured budgets must not panic.
fn deadline_in(budget: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(budget)
        .unwrap_or_else(|| now + Duration::from_secs(365 * 24 * 3600))
}

fn timed_out(what: &str, after: Duration) -> FetchError {
    FetchError::new(
        FetchErrorKind::Timeout,
        format!("{what} timed out after {} ms", after.as_millis()),
    )
}

/// Only HTML is fetched; a response without a Content-Type is let through
/// for the extractor to judge.
fn check_html(content_type: Option<&str>) -> Result<(), FetchError> {
    let essence = content_type
        .and_then(|ct| ct.split(';').next())
        .map(|e| e.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if essence.is_empty() || essence == "text/html" || essence == "application/xhtml+xml" {
        Ok(())
    } else {
        Err(FetchError::new(
            FetchErrorKind::NotHtml,
            format!("content type `{essence}` is not HTML"),
        ))
    }
}

fn header_str(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// What to do when a body exceeds its cap.
#[derive(Clone, Copy)]
enum Overflow {
    Fail,
    Truncate,
}

/// Streams a body into memory, never holding more than `cap` bytes (after
/// decompression, so a compression bomb stays bounded too).
async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
    overflow: Overflow,
    deadline: Instant,
    budget: Duration,
) -> Result<Vec<u8>, FetchError> {
    let mut body = Vec::with_capacity(
        response
            .content_length()
            .map_or(0, |len| len.min(cap as u64) as usize),
    );
    loop {
        let chunk = tokio::time::timeout_at(deadline, response.chunk())
            .await
            .map_err(|_| timed_out("request", budget))?
            .map_err(classify_reqwest)?;
        let Some(chunk) = chunk else {
            return Ok(body);
        };
        if body.len() + chunk.len() > cap {
            return match overflow {
                Overflow::Fail => Err(FetchError::new(
                    FetchErrorKind::TooLarge,
                    format!("body larger than {cap} bytes"),
                )),
                Overflow::Truncate => {
                    body.extend_from_slice(&chunk[..cap - body.len()]);
                    Ok(body)
                }
            };
        }
        body.extend_from_slice(&chunk);
    }
}

/// Fetches pages; one per process, shared by all in-flight messages.
pub struct Fetcher {
    client: reqwest::Client,
    config: FetchConfig,
    query_filter: QueryFilter,
    policy: AddressPolicy,
    hosts: HostPool,
    agent: String,
}

impl Fetcher {
    pub fn new(config: &FetchConfig) -> Result<Self, FetchError> {
        if config.allow_private_networks {
            tracing::warn!("fetch.allow_private_networks is on: the SSRF guard is OFF");
        }
        let policy = AddressPolicy::new(!config.allow_private_networks, &config.ssrf_exempt_hosts);
        let mut headers = HeaderMap::new();
        headers.insert(
            ACCEPT,
            HeaderValue::from_static("text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"),
        );
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .default_headers(headers)
            .connect_timeout(Duration::from_millis(config.connect_timeout_ms))
            .timeout(Duration::from_millis(config.total_timeout_ms))
            // Redirects are followed by hand so each hop is checked again.
            .redirect(reqwest::redirect::Policy::none())
            // A proxy would resolve names itself, out of the guard's reach.
            .no_proxy()
            .referer(false)
            .dns_resolver(Arc::new(GuardedResolver::new(policy.clone())))
            .build()
            .map_err(|e| {
                FetchError::new(FetchErrorKind::Setup, format!("HTTP client setup: {e}"))
            })?;
        Ok(Self {
            client,
            query_filter: QueryFilter::new(&config.strip_query_params),
            policy,
            hosts: HostPool::new(
                config.per_host_concurrency,
                Duration::from_millis(config.per_host_min_delay_ms),
                Duration::from_secs(config.max_crawl_delay_secs),
            ),
            agent: agent_token(&config.user_agent).to_string(),
            config: config.clone(),
        })
    }

    /// Fetches one URL, retrying transient failures within
    /// `retry_max_total_ms` (which also bounds waiting for a host slot).
    pub async fn fetch(&self, input: &str) -> Result<FetchedPage, FetchError> {
        let url = normalize_url_with(input, &self.query_filter)?;
        let budget = Duration::from_millis(self.config.retry_max_total_ms);
        let deadline = deadline_in(budget);
        let attempts = AtomicU32::new(0);
        let one_attempt = || {
            attempts.fetch_add(1, Ordering::Relaxed);
            self.attempt(&url)
        };
        let retrying = one_attempt
            .retry(backoff_schedule(&self.config))
            .sleep(tokio::time::sleep)
            .when(is_transient)
            .notify(|err: &FetchError, wait: Duration| {
                tracing::debug!(url = %url, kind = err.kind.as_str(), ?wait, "fetch failed, retrying");
            })
            .adjust(|err: &FetchError, planned: Option<Duration>| {
                // Honour Retry-After, but never wait past the budget.
                let planned = planned?;
                let wait = err.retry_after.map_or(planned, |asked| asked.max(planned));
                Instant::now()
                    .checked_add(wait)
                    .is_some_and(|resume| resume < deadline)
                    .then_some(wait)
            });
        let outcome = tokio::time::timeout_at(deadline, retrying).await;
        let attempts = attempts.load(Ordering::Relaxed);
        match outcome {
            Ok(Ok(page)) => Ok(FetchedPage { attempts, ..page }),
            Ok(Err(err)) => Err(err.with_attempts(attempts)),
            Err(_) => Err(timed_out("fetch with retries", budget).with_attempts(attempts)),
        }
    }

    /// One try: up to `max_redirects` hops, each checked like the first.
    async fn attempt(&self, url: &Url) -> Result<FetchedPage, FetchError> {
        let mut current = url.clone();
        for _hop in 0..=self.config.max_redirects {
            self.policy.check_url_host(&current)?;
            let host = self.hosts.host(&current);
            if self.config.obey_robots {
                self.check_robots(&host, &current).await?;
            }
            let _slot = self.hosts.acquire(&host).await;
            let (response, deadline) = self.send(&current).await?;
            if response.status().is_redirection() {
                current = self.redirect_target(&current, response.headers())?;
                continue;
            }
            return self.read_page(current, response, deadline).await;
        }
        Err(FetchError::new(
            FetchErrorKind::TooManyRedirects,
            format!("more than {} redirects", self.config.max_redirects),
        ))
    }

    /// Sends a GET; returns the response and the deadline for its body.
    async fn send(&self, url: &Url) -> Result<(reqwest::Response, Instant), FetchError> {
        let budget = Duration::from_millis(self.config.total_timeout_ms);
        let deadline = deadline_in(budget);
        let response = tokio::time::timeout_at(deadline, self.client.get(url.as_str()).send())
            .await
            .map_err(|_| timed_out("request", budget))?
            .map_err(classify_reqwest)?;
        Ok((response, deadline))
    }

    fn redirect_target(&self, from: &Url, headers: &HeaderMap) -> Result<Url, FetchError> {
        let bad = |reason: String| {
            FetchError::new(
                FetchErrorKind::BadRedirect,
                format!("bad redirect: {reason}"),
            )
        };
        let location =
            header_str(headers, LOCATION).ok_or_else(|| bad("no usable Location header".into()))?;
        let target = from
            .join(location.trim())
            .map_err(|e| bad(format!("Location is not a URL: {e}")))?;
        url_norm::normalize_parsed(target, &self.query_filter).map_err(bad)
    }

    async fn read_page(
        &self,
        url: Url,
        response: reqwest::Response,
        deadline: Instant,
    ) -> Result<FetchedPage, FetchError> {
        let status = response.status().as_u16();
        let headers = response.headers();
        if !response.status().is_success() {
            let retry_after = header_str(headers, RETRY_AFTER)
                .and_then(|value| parse_retry_after(value, SystemTime::now()));
            return Err(FetchError::from_status(status, retry_after));
        }
        let content_type = header_str(headers, CONTENT_TYPE).map(str::to_string);
        check_html(content_type.as_deref())?;
        let cap = self.config.max_body_bytes;
        if response
            .content_length()
            .is_some_and(|len| len > cap as u64)
        {
            return Err(FetchError::new(
                FetchErrorKind::TooLarge,
                format!("Content-Length above {cap} bytes"),
            ));
        }
        let budget = Duration::from_millis(self.config.total_timeout_ms);
        let body = read_capped(response, cap, Overflow::Fail, deadline, budget).await?;
        let body_bytes = body.len();
        let tld = url
            .domain()
            .and_then(|domain| domain.rsplit('.').next())
            .map(str::to_string);
        // Charset detection and decoding of megabytes is CPU work: keep it
        // off the async executor threads.
        let (html, charset) = tokio::task::spawn_blocking(move || {
            decode_body_from(&body, content_type.as_deref(), tld.as_deref())
        })
        .await
        .map_err(|e| {
            FetchError::new(
                FetchErrorKind::Request,
                format!("decoding task failed: {e}"),
            )
        })?;
        Ok(FetchedPage {
            final_url: url.to_string(),
            status,
            html,
            body_bytes,
            charset,
            attempts: 0,
        })
    }

    /// Refuses `url` if the host's robots.txt (downloaded once per TTL,
    /// shared by concurrent requests) disallows it or was unavailable.
    async fn check_robots(&self, host: &HostState, url: &Url) -> Result<(), FetchError> {
        let mut cached = host.robots.lock().await;
        let entry = match cached.take() {
            Some(entry) if entry.is_fresh() => entry,
            _ => {
                let rules = self.download_robots(url).await?;
                self.hosts.set_crawl_delay(host, rules.crawl_delay());
                RobotsEntry::new(
                    rules,
                    Duration::from_secs(self.config.robots_ttl_secs),
                    Duration::from_secs(self.config.robots_error_ttl_secs),
                )
            }
        };
        let verdict = entry.rules.verdict(url.as_str());
        *cached = Some(entry);
        match verdict {
            RobotsVerdict::Allowed => Ok(()),
            RobotsVerdict::Disallowed => Err(FetchError::new(
                FetchErrorKind::RobotsDisallowed,
                "robots.txt disallows this URL",
            )),
            RobotsVerdict::Unavailable => Err(FetchError::new(
                FetchErrorKind::RobotsUnavailable,
                "robots.txt answered with a server error; the host is skipped until it is asked again",
            )),
        }
    }

    /// Downloads and interprets the robots.txt of `page`'s origin. Network
    /// failures are returned (and not cached); HTTP answers become rules.
    async fn download_robots(&self, page: &Url) -> Result<RobotsRules, FetchError> {
        let mut current = page.join("/robots.txt").map_err(|e| {
            FetchError::new(FetchErrorKind::InvalidUrl, format!("robots.txt URL: {e}"))
        })?;
        for _hop in 0..=MAX_ROBOTS_REDIRECTS {
            self.policy.check_url_host(&current)?;
            let host = self.hosts.host(&current);
            let _slot = self.hosts.acquire(&host).await;
            let (response, deadline) = self.send(&current).await?;
            let status = response.status();
            if status.is_redirection() {
                match self.redirect_target(&current, response.headers()) {
                    Ok(next) => {
                        current = next;
                        continue;
                    }
                    // RFC 9309: a robots.txt that cannot be reached by redirects is absent.
                    Err(_) => return Ok(RobotsRules::AllowAll),
                }
            }
            let body = if status.is_success() {
                let budget = Duration::from_millis(self.config.total_timeout_ms);
                read_capped(
                    response,
                    MAX_ROBOTS_BYTES,
                    Overflow::Truncate,
                    deadline,
                    budget,
                )
                .await?
            } else {
                Vec::new()
            };
            return Ok(RobotsRules::from_response(
                &self.agent,
                status.as_u16(),
                &body,
            ));
        }
        Ok(RobotsRules::AllowAll)
    }
}

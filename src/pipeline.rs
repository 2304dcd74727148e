//! One input message through every stage: fetch -> extract -> events.
//!
//! [`analyze_html`] is the pure core (HTML in, articles and events out) that
//! the CLI, the worker and the benchmarks share.
use std::sync::Arc;
use std::time::Instant;

use crate::config::Config;
use crate::consume::InputMessage;
use crate::events::{Event, EventExtractor, EventsError};
use crate::extract::{extract_articles, Article, ExtractError, PageInfo};
use crate::fetch::{FetchError, Fetcher};
use crate::metrics::Metrics;
use crate::publish::Failure;
use crate::Classified;

/// What one page yields.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub articles: Vec<Article>,
    pub events: Vec<Event>,
}

/// Splits the page into articles and extracts events from each one.
pub fn analyze_html(
    html: &str,
    page: &PageInfo<'_>,
    config: &Config,
    extractor: &EventExtractor,
) -> Result<Analysis, ExtractError> {
    let articles = extract_articles(html, page, &config.extract)?;
    let page_published = articles.iter().find_map(|a| a.published.clone());
    let mut events: Vec<Event> = Vec::new();
    for article in &articles {
        for event in extractor.extract(article, page_published.as_deref()) {
            // The same event told twice on one page keeps its first telling.
            if !events.iter().any(|e| e.id == event.id) {
                events.push(event);
            }
        }
    }
    Ok(Analysis { articles, events })
}

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Events(#[from] EventsError),
}

/// The stages after decoding, shared by every in-flight message.
pub struct Pipeline {
    config: Arc<Config>,
    fetcher: Fetcher,
    extractor: Arc<EventExtractor>,
    metrics: Metrics,
    /// Extraction is CPU-bound: running more at once than there are cores
    /// only adds blocking threads (and their malloc arenas) without speed.
    extract_slots: Arc<tokio::sync::Semaphore>,
}

impl Pipeline {
    pub fn new(config: Arc<Config>, metrics: Metrics) -> Result<Self, PipelineError> {
        let fetcher = Fetcher::new(&config.fetch)?;
        let extractor = Arc::new(EventExtractor::load(&config.events)?);
        Ok(Self {
            config,
            fetcher,
            extractor,
            metrics,
            extract_slots: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )),
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Fetches and analyzes one URL. A failure names its stage and kind.
    pub async fn process(&self, input: &InputMessage) -> Result<Analysis, Failure> {
        let started = Instant::now();
        let fetched = self.fetcher.fetch(&input.url).await;
        let fetch_seconds = started.elapsed().as_secs_f64();
        self.metrics.fetch_duration.observe(fetch_seconds);
        self.metrics
            .stage_duration
            .with_label_values(&["fetch"])
            .observe(fetch_seconds);
        let page = match fetched {
            Ok(page) => {
                self.metrics
                    .fetch_results
                    .with_label_values(&[status_class(page.status)])
                    .inc();
                self.metrics.fetched_bytes.inc_by(page.body_bytes as u64);
                page
            }
            Err(err) => {
                let class = err.status().map_or("error", status_class);
                self.metrics.fetch_results.with_label_values(&[class]).inc();
                self.metrics.error(err.stage(), err.kind());
                return Err(Failure::from_error(&err, err.attempts()));
            }
        };

        // Extraction is CPU-bound: keep it off the async executor threads.
        let config = Arc::clone(&self.config);
        let extractor = Arc::clone(&self.extractor);
        let source_url = input.url.clone();
        let hint = input.published.clone();
        let attempts = page.attempts;
        // The semaphore is never closed, so acquiring cannot fail.
        let slot = Arc::clone(&self.extract_slots).acquire_owned().await.ok();
        let extract_started = Instant::now();
        let analysis = tokio::task::spawn_blocking(move || {
            let _slot = slot;
            let info = PageInfo {
                source_url: &source_url,
                fetched_url: &page.final_url,
                published_hint: hint.as_deref(),
            };
            analyze_html(&page.html, &info, &config, &extractor)
        })
        .await;
        let extract_seconds = extract_started.elapsed().as_secs_f64();
        self.metrics.extract_duration.observe(extract_seconds);
        self.metrics
            .stage_duration
            .with_label_values(&["extract"])
            .observe(extract_seconds);
        match analysis {
            Ok(Ok(analysis)) => Ok(analysis),
            Ok(Err(err)) => {
                self.metrics.error(err.stage(), err.kind());
                Err(Failure::from_error(&err, attempts))
            }
            Err(join) => {
                // A panic in extraction is a bug; the message still must not be lost.
                self.metrics.error("extract", "panic");
                Err(Failure {
                    stage: "extract",
                    kind: "panic",
                    message: format!("extractor panicked: {join}"),
                    attempts,
                })
            }
        }
    }
}

fn status_class(status: u16) -> &'static str {
    match status {
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        500..=599 => "5xx",
        _ => "error",
    }
}

//! One input message through every stage: fetch -> extract -> events.
//!
//! [`analyze_html`] is the pure core (HTML in, articles and events out) that
//! the CLI, the worker and the benchmarks share.
use std::sync::{mpsc, Arc, Mutex};
use std::time::Instant;

use crate::config::Config;
use crate::consume::InputMessage;
use crate::events::{Event, EventExtractor, EventsError};
use crate::extract::{extract_articles, Article, ExtractError, PageInfo};
use crate::fetch::{FetchError, Fetcher};
use crate::metrics::Metrics;
use crate::publish::{Attempts, Failure};
use crate::Classified;

/// What one page yields.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub articles: Vec<Article>,
    pub events: Vec<Event>,
    /// HTTP requests the fetch took (0 when analyzed from given HTML).
    pub fetch_attempts: u32,
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
    Ok(Analysis {
        articles,
        events,
        fetch_attempts: 0,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Events(#[from] EventsError),
    #[error("cannot start the extraction threads: {0}")]
    Threads(std::io::Error),
}

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of long-lived threads for CPU-bound extraction, one per core.
///
/// Not `spawn_blocking`: tokio's blocking pool starts and retires threads as
/// load changes, and regex-automata keeps lazy-DFA caches per regex for each
/// thread that ran it, so the heap grew with every new thread (BENCHMARKS.md,
/// "Memory"). A fixed set keeps one warm set of caches per thread.
struct ExtractionPool {
    jobs: mpsc::Sender<Job>,
    /// One permit per thread: a job is only queued when a thread is free,
    /// so waiting happens here, asynchronously, not in the channel.
    free_threads: Arc<tokio::sync::Semaphore>,
}

impl ExtractionPool {
    fn start(threads: usize) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for index in 0..threads {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("attache-extract-{index}"))
                .spawn(move || loop {
                    let next = match queue.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    // Err: every sender is gone, the pipeline was dropped.
                    match next {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                })?;
        }
        Ok(Self {
            jobs,
            free_threads: Arc::new(tokio::sync::Semaphore::new(threads)),
        })
    }

    /// Runs `work` on a pool thread once one is free. A panic in `work` is
    /// caught (the thread lives on) and returned as its message.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, String> {
        // The semaphore is never closed, so acquiring cannot fail.
        let _permit = self.free_threads.acquire().await.ok();
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
                .map_err(|panic| panic_message(panic.as_ref()));
            let _ = done.send(outcome);
        });
        self.jobs
            .send(job)
            .map_err(|_| "the extraction threads have stopped".to_string())?;
        result
            .await
            .map_err(|_| "an extraction thread exited".to_string())?
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// The stages after decoding, shared by every in-flight message.
pub struct Pipeline {
    config: Arc<Config>,
    fetcher: Fetcher,
    extractor: Arc<EventExtractor>,
    metrics: Metrics,
    /// Extraction is CPU-bound: running more at once than there are cores
    /// adds no speed, only memory.
    extraction: ExtractionPool,
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
            extraction: ExtractionPool::start(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )
            .map_err(PipelineError::Threads)?,
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
                return Err(Failure::from_error(&err, Attempts::fetched(err.attempts())));
            }
        };

        // Extraction is CPU-bound: keep it off the async executor threads.
        let config = Arc::clone(&self.config);
        let extractor = Arc::clone(&self.extractor);
        let source_url = input.url.clone();
        let hint = input.published.clone();
        let attempts = page.attempts;
        let extract_started = Instant::now();
        let analysis = self
            .extraction
            .run(move || {
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
            Ok(Ok(analysis)) => Ok(Analysis {
                fetch_attempts: attempts,
                ..analysis
            }),
            Ok(Err(err)) => {
                self.metrics.error(err.stage(), err.kind());
                Err(Failure::from_error(&err, Attempts::fetched(attempts)))
            }
            Err(panic) => {
                // A panic in extraction is a bug; the message still must not be lost.
                self.metrics.error(crate::Stage::Extract, "panic");
                Err(Failure {
                    stage: crate::Stage::Extract,
                    kind: "panic",
                    message: format!("extractor panicked: {panic}"),
                    attempts: Attempts::fetched(attempts),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn extraction_pool_survives_a_panic_and_reports_it() {
        let pool = ExtractionPool::start(1).unwrap();
        let failed = pool
            .run(|| -> usize { panic!("bad page") })
            .await
            .unwrap_err();
        assert_eq!(failed, "bad page");
        // The only thread is still there to take the next job.
        assert_eq!(pool.run(|| 6 * 7).await, Ok(42));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn extraction_pool_runs_at_most_one_job_per_thread() {
        let pool = Arc::new(ExtractionPool::start(2).unwrap());
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let jobs = (0..16).map(|_| {
            let (pool, running, most) = (pool.clone(), running.clone(), most.clone());
            tokio::spawn(async move {
                pool.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    running.fetch_sub(1, Ordering::SeqCst);
                    std::thread::current().name().map(str::to_string)
                })
                .await
            })
        });
        let mut threads = std::collections::BTreeSet::new();
        for job in futures::future::join_all(jobs).await {
            threads.insert(job.unwrap().unwrap().unwrap());
        }
        let most = most.load(Ordering::SeqCst);
        assert!(
            (1..=2).contains(&most),
            "{most} jobs ran at once on 2 threads"
        );
        // Only the pool's own, long-lived threads ran the work.
        assert!(
            threads
                .iter()
                .all(|name| name.starts_with("attache-extract-"))
                && threads.len() <= 2,
            "{threads:?}"
        );
    }
}

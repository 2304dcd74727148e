//! Per-host politeness: a concurrency cap and a minimum gap between request
//! starts, raised by robots.txt Crawl-delay. All state is per host, so a slow
//! host only ever queues its own requests.
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

use super::robots::RobotsEntry;

/// Hosts kept before idle ones are forgotten (their robots.txt with them).
const MAX_IDLE_HOSTS: usize = 4096;

/// The gap between two request starts to one host: the configured minimum,
/// raised by a Crawl-delay that is capped at `max_crawl_delay`. Negative,
/// NaN or infinite Crawl-delays are ignored, and infinity hits the cap.
pub fn effective_delay(
    min_delay: Duration,
    crawl_delay_secs: Option<f32>,
    max_crawl_delay: Duration,
) -> Duration {
    let crawl = crawl_delay_secs
        .filter(|secs| *secs > 0.0 && !secs.is_nan())
        .map(|secs| Duration::from_secs_f64(f64::from(secs).min(max_crawl_delay.as_secs_f64())))
        .unwrap_or_default();
    min_delay.max(crawl)
}

/// `host:port`, the unit of politeness and of robots.txt caching.
pub fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(0)
    )
}

pub struct HostState {
    permits: Arc<Semaphore>,
    limiter: Mutex<Option<Arc<DefaultDirectRateLimiter>>>,
    delay: Mutex<Duration>,
    /// The cached robots.txt decision; the async lock also makes concurrent
    /// first requests to a host share one robots.txt download.
    pub robots: tokio::sync::Mutex<Option<RobotsEntry>>,
}

/// A request slot at one host; dropping it frees the slot.
pub struct HostSlot {
    _permit: OwnedSemaphorePermit,
}

pub struct HostPool {
    hosts: Mutex<HashMap<String, Arc<HostState>>>,
    concurrency: usize,
    min_delay: Duration,
    max_crawl_delay: Duration,
}

fn limiter_for(delay: Duration) -> Option<Arc<DefaultDirectRateLimiter>> {
    let quota = Quota::with_period(delay)?.allow_burst(NonZeroU32::MIN);
    Some(Arc::new(RateLimiter::direct(quota)))
}

impl HostPool {
    pub fn new(concurrency: usize, min_delay: Duration, max_crawl_delay: Duration) -> Self {
        Self {
            hosts: Mutex::new(HashMap::new()),
            concurrency: concurrency.clamp(1, Semaphore::MAX_PERMITS),
            min_delay,
            max_crawl_delay,
        }
    }

    pub fn host(&self, url: &Url) -> Arc<HostState> {
        let mut hosts = self.hosts.lock().expect("host map lock poisoned");
        if hosts.len() >= MAX_IDLE_HOSTS {
            // Only this map holds an idle host's state.
            hosts.retain(|_, state| Arc::strong_count(state) > 1);
        }
        let state = hosts.entry(host_key(url)).or_insert_with(|| {
            Arc::new(HostState {
                permits: Arc::new(Semaphore::new(self.concurrency)),
                limiter: Mutex::new(limiter_for(self.min_delay)),
                delay: Mutex::new(self.min_delay),
                robots: tokio::sync::Mutex::new(None),
            })
        });
        Arc::clone(state)
    }

    /// Waits for a free slot at the host, then for its turn in the gap.
    pub async fn acquire(&self, host: &HostState) -> HostSlot {
        let permit = Arc::clone(&host.permits)
            .acquire_owned()
            .await
            .expect("host semaphore is never closed");
        let limiter = host.limiter.lock().expect("limiter lock poisoned").clone();
        if let Some(limiter) = limiter {
            limiter.until_ready().await;
        }
        HostSlot { _permit: permit }
    }

    /// Applies a robots.txt Crawl-delay (or its absence) to the host.
    pub fn set_crawl_delay(&self, host: &HostState, crawl_delay_secs: Option<f32>) {
        let delay = effective_delay(self.min_delay, crawl_delay_secs, self.max_crawl_delay);
        let mut current = host.delay.lock().expect("delay lock poisoned");
        if *current == delay {
            return;
        }
        *current = delay;
        let limiter = limiter_for(delay);
        if let Some(limiter) = &limiter {
            // The request that just happened used the old limiter: start the
            // new one with its first slot taken so the gap still holds.
            let _ = limiter.check();
        }
        *host.limiter.lock().expect("limiter lock poisoned") = limiter;
    }
}

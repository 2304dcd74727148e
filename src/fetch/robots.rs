//! robots.txt: the agent token, what a robots.txt response means, and the
//! cached result. Downloading is done by the fetcher (it needs the client,
//! the SSRF guard and the host slots).
use std::time::{Duration, Instant};

use texting_robots::Robot;

/// RFC 9309 asks crawlers to read at least 500 KiB; the rest is ignored.
pub const MAX_ROBOTS_BYTES: usize = 512 * 1024;

/// The robots.txt agent: the User-Agent's product token (`attache` in
/// `attache/0.1.0 (+https://...)`).
pub fn agent_token(user_agent: &str) -> &str {
    let token = user_agent
        .split(|c: char| c == '/' || c.is_whitespace())
        .find(|t| !t.is_empty())
        .unwrap_or(user_agent);
    token
}

pub enum RobotsRules {
    AllowAll,
    /// The server failed (5xx, 429): nothing may be fetched until it is asked again.
    Unavailable,
    Parsed(Robot),
}

impl std::fmt::Debug for RobotsRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RobotsRules::AllowAll => f.write_str("AllowAll"),
            RobotsRules::Unavailable => f.write_str("Unavailable"),
            RobotsRules::Parsed(robot) => write!(f, "Parsed(delay={:?})", robot.delay),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RobotsVerdict {
    Allowed,
    Disallowed,
    Unavailable,
}

impl RobotsRules {
    /// What a robots.txt response means. Success: parse it (an unparsable
    /// file allows everything). 429 and 5xx: unavailable, so disallow for
    /// now. Other 4xx (and redirects that went nowhere): no rules.
    pub fn from_response(agent: &str, status: u16, body: &[u8]) -> RobotsRules {
        match status {
            200..=299 => match Robot::new(agent, body) {
                Ok(robot) => RobotsRules::Parsed(robot),
                Err(_) => RobotsRules::AllowAll,
            },
            429 | 500..=599 => RobotsRules::Unavailable,
            _ => RobotsRules::AllowAll,
        }
    }

    pub fn verdict(&self, url: &str) -> RobotsVerdict {
        match self {
            RobotsRules::AllowAll => RobotsVerdict::Allowed,
            RobotsRules::Unavailable => RobotsVerdict::Unavailable,
            RobotsRules::Parsed(robot) if robot.allowed(url) => RobotsVerdict::Allowed,
            RobotsRules::Parsed(_) => RobotsVerdict::Disallowed,
        }
    }

    pub fn crawl_delay(&self) -> Option<f32> {
        match self {
            RobotsRules::Parsed(robot) => robot.delay,
            _ => None,
        }
    }
}

/// Rules with the moment they stop being trusted.
#[derive(Debug)]
pub struct RobotsEntry {
    pub rules: RobotsRules,
    pub expires: Instant,
}

impl RobotsEntry {
    /// Failures are cached for `error_ttl` so the host is asked again soon.
    pub fn new(rules: RobotsRules, ttl: Duration, error_ttl: Duration) -> Self {
        let ttl = match rules {
            RobotsRules::Unavailable => error_ttl,
            _ => ttl,
        };
        let now = Instant::now();
        // A huge configured TTL must not overflow the clock.
        let expires = now
            .checked_add(ttl)
            .unwrap_or_else(|| now + Duration::from_secs(365 * 24 * 3600));
        Self { rules, expires }
    }

    pub fn is_fresh(&self) -> bool {
        Instant::now() < self.expires
    }
}

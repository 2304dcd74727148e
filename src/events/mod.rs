//! Events stage: article -> diplomatic events (`attache.event/v1`).
//!
//! Core function: [`EventExtractor::extract`]. Rules and lookup tables are
//! data files under `config/`, loaded once at start-up.
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::EventsConfig;
use crate::extract::Article;

pub const EVENT_SCHEMA: &str = "attache.event/v1";

/// One event record (`attache.event/v1`, see `schemas/event.v1.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub schema: String,
    /// Deterministic: see [`EventExtractor`] docs for what it covers.
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    /// `occurred` | `planned`
    pub status: String,
    pub name: Option<String>,
    pub actors: Vec<Actor>,
    pub location: Option<Location>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub date_text: Option<String>,
    /// dialogue_held: `in_person` | `phone` | `video`
    pub mode: Option<String>,
    /// state_visit_announced: `state` | `official` | `working` | `unspecified`
    pub visit_level: Option<String>,
    pub participants: Option<Count>,
    pub countries: Option<Count>,
    pub theme: Option<String>,
    pub cameo: String,
    pub plover: Plover,
    pub evidence: Evidence,
    pub confidence: f64,
    pub article: ArticleRef,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub name: String,
    /// host | visitor | inviter | participant | organizer
    pub role: String,
    /// person | organization | country
    pub kind: String,
    pub title: Option<String>,
    /// ISO 3166-1 alpha-3
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub name: String,
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Count {
    pub count: u64,
    /// exact | more_than | about | at_least
    pub qualifier: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plover {
    #[serde(rename = "type")]
    pub plover_type: String,
    pub mode: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub text: String,
    /// Char (not byte) offsets into the article body.
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRef {
    pub source_url: String,
    pub canonical_url: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
}

impl From<&Article> for ArticleRef {
    fn from(a: &Article) -> Self {
        Self {
            source_url: a.source_url.clone(),
            canonical_url: a.canonical_url.clone(),
            title: a.title.clone(),
            published: a.published.clone(),
            language: a.language.clone(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EventsError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid rule file {path}: {reason}")]
    Rules { path: String, reason: String },
}

/// Loaded rules and lookup tables; cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct EventExtractor {
    _private: (),
}

impl EventExtractor {
    pub fn load(config: &EventsConfig) -> Result<Self, EventsError> {
        let _ = (Path::new(&config.rules_dir), &config.gazetteer_dir);
        Ok(Self { _private: () })
    }

    /// All events the article's body supports, deduplicated.
    ///
    /// Relative dates resolve against the article's own `published`, else
    /// `page_published` (the date of the page's main story), for later
    /// stories on a page that carry no date of their own.
    pub fn extract(&self, _article: &Article, _page_published: Option<&str>) -> Vec<Event> {
        Vec::new()
    }
}

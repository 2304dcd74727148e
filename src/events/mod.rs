//! Events stage: article -> diplomatic events (`attache.event/v1`).
//!
//! Core function: [`EventExtractor::extract`]. Rules (`config/events/*.toml`,
//! one event type per file) and lookup tables (`config/gazetteer/*.tsv`) are
//! data files loaded once at start-up; a new event type needs only a new
//! rule file.
//!
//! How an article is read:
//! 1. one Aho-Corasick pass finds every rule's trigger words; an article
//!    without one costs nothing more;
//! 2. only sentences holding a trigger are matched against that rule's
//!    regexes (confirm, reject, tense window around the trigger);
//! 3. actors come from the lookup tables (titled persons, organizations,
//!    countries, back-references such as "Lee"), roles from the rule's role
//!    patterns, dates from [`dates`] resolved against the publication date;
//! 4. repeated tellings of one event in an article are merged, and each
//!    event gets a deterministic id (see [`id`] for exactly what it covers).
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod actors;
mod assembly;
pub mod dates;
pub mod eval;
pub mod gazetteer;
pub mod id;
pub mod leaders;
mod matcher;
mod patterns;
mod patterns_alphabet;
pub mod rules;
pub mod sentences;
#[cfg(test)]
mod tests;
pub mod vocab;

use crate::config::EventsConfig;
use crate::extract::Article;

pub use vocab::{ActorKind, Mode, Qualifier, Role, Status, VisitLevel};

pub const EVENT_SCHEMA: &str = "attache.event/v1";

/// One event record (`attache.event/v1`, see `schemas/event.v1.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub schema: String,
    /// Deterministic: see [`id`] for exactly what it covers.
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub status: Status,
    pub name: Option<String>,
    pub actors: Vec<Actor>,
    pub location: Option<Location>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub date_text: Option<String>,
    /// dialogue_held only.
    pub mode: Option<Mode>,
    /// Visits only.
    pub visit_level: Option<VisitLevel>,
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
    pub role: Role,
    pub kind: ActorKind,
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
    pub qualifier: Qualifier,
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
    /// Char (not byte) offsets into the article body, or into the headline
    /// when `part` says so.
    pub start: usize,
    pub end: usize,
    /// Which part of the article the sentence is from; absent means the body.
    #[serde(default, skip_serializing_if = "TextPart::is_body")]
    pub part: TextPart,
}

/// The part of an article an evidence sentence was read from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextPart {
    #[default]
    Body,
    Headline,
}

impl TextPart {
    fn is_body(&self) -> bool {
        *self == TextPart::Body
    }
}

/// The text events are read from: the body, then the headline as a
/// paragraph of its own when the body does not repeat it. The headline
/// comes last so that a body telling of the same event is the one kept as
/// evidence, while an event only the headline tells ("Putin will visit India
/// on December 6") is still found.
fn text_with_headline(article: &Article) -> std::borrow::Cow<'_, str> {
    let body = article.text.as_str();
    match article.title.as_deref().map(str::trim) {
        Some(title) if !title.is_empty() && !body.contains(title) => {
            std::borrow::Cow::Owned(format!("{body}{HEADLINE_SEPARATOR}{title}"))
        }
        _ => std::borrow::Cow::Borrowed(body),
    }
}

const HEADLINE_SEPARATOR: &str = "\n\n";

/// Evidence read from the headline gets offsets into the headline.
fn locate_evidence(evidence: &mut Evidence, body_chars: usize) {
    let headline_start = body_chars + HEADLINE_SEPARATOR.chars().count();
    if evidence.start >= headline_start {
        evidence.start -= headline_start;
        evidence.end -= headline_start;
        evidence.part = TextPart::Headline;
    }
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
    #[error("invalid lookup table {path} line {line}: {reason}")]
    Table {
        path: String,
        line: usize,
        reason: String,
    },
    #[error("events.enabled_types names `{0}`, which no rule file defines")]
    UnknownType(String),
}

/// Loaded rules and lookup tables; cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct EventExtractor {
    rules: Vec<rules::Rule>,
    gazetteer: gazetteer::Gazetteer,
    /// Optional: `leaders.tsv` in the gazetteer directory.
    leaders: Option<leaders::Leaders>,
    /// Every trigger word of every enabled rule.
    triggers: AhoCorasick,
    /// Trigger pattern -> the rules it belongs to.
    trigger_rules: Vec<Vec<usize>>,
    min_confidence: f64,
}

/// The event types the configured rules emit (every rule file, narrowed
/// by `enabled_types`), without building an extractor.
pub fn configured_event_types(config: &EventsConfig) -> Result<Vec<String>, EventsError> {
    let rules = rules::load_dir(Path::new(&config.rules_dir))?;
    let mut types: Vec<String> = rules.into_iter().map(|r| r.event_type).collect();
    if !config.enabled_types.is_empty() {
        types.retain(|t| config.enabled_types.contains(t));
    }
    Ok(types)
}

impl EventExtractor {
    pub fn load(config: &EventsConfig) -> Result<Self, EventsError> {
        let mut rules = rules::load_dir(Path::new(&config.rules_dir))?;
        for wanted in &config.enabled_types {
            if !rules.iter().any(|r| &r.event_type == wanted) {
                return Err(EventsError::UnknownType(wanted.clone()));
            }
        }
        if !config.enabled_types.is_empty() {
            rules.retain(|r| config.enabled_types.contains(&r.event_type));
        }
        let gazetteer = gazetteer::Gazetteer::load(Path::new(&config.gazetteer_dir))?;
        let leaders_file = Path::new(&config.gazetteer_dir).join("leaders.tsv");
        let leaders = if leaders_file.exists() {
            Some(leaders::Leaders::load(&leaders_file)?)
        } else {
            None
        };
        let mut words: Vec<String> = Vec::new();
        let mut trigger_rules: Vec<Vec<usize>> = Vec::new();
        for (rule_index, rule) in rules.iter().enumerate() {
            for word in &rule.triggers {
                match words.iter().position(|w| w == word) {
                    Some(i) => trigger_rules[i].push(rule_index),
                    None => {
                        words.push(word.clone());
                        trigger_rules.push(vec![rule_index]);
                    }
                }
            }
        }
        let triggers = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(&words)
            .map_err(|e| EventsError::Rules {
                path: config.rules_dir.display().to_string(),
                reason: format!("triggers: {e}"),
            })?;
        Ok(Self {
            rules,
            gazetteer,
            leaders,
            triggers,
            trigger_rules,
            min_confidence: config.min_confidence,
        })
    }

    /// The event types this extractor emits.
    pub fn event_types(&self) -> Vec<&str> {
        self.rules.iter().map(|r| r.event_type.as_str()).collect()
    }

    /// All events the article's body supports, deduplicated.
    ///
    /// Relative dates resolve against the article's own `published`, else
    /// `page_published` (the date of the page's main story), for later
    /// stories on a page that carry no date of their own.
    pub fn extract(&self, article: &Article, page_published: Option<&str>) -> Vec<Event> {
        let full_text = text_with_headline(article);
        let text = full_text.as_ref();
        let body_chars = article.text.chars().count();
        // (rule, trigger start) pairs, found in one pass over the body
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for found in self.triggers.find_overlapping_iter(text) {
            let whole_word = text[..found.start()]
                .chars()
                .next_back()
                .map_or(true, |c| !c.is_alphanumeric())
                && text[found.end()..]
                    .chars()
                    .next()
                    .map_or(true, |c| !c.is_alphanumeric());
            if whole_word {
                for &rule in &self.trigger_rules[found.pattern().as_usize()] {
                    hits.push((rule, found.start()));
                }
            }
        }
        tracing::trace!(
            chars = text.len(),
            triggers = hits.len(),
            "events: trigger pass"
        );
        if hits.is_empty() {
            return Vec::new();
        }
        let published = article.published_date().or_else(|| {
            page_published
                .and_then(|p| p.get(..10))
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        });
        let mut reference = ArticleRef::from(article);
        if reference.published.is_none() {
            reference.published = page_published.map(str::to_string);
        }
        let home = [&article.canonical_url, &article.source_url]
            .into_iter()
            .filter_map(|u| url::Url::parse(u).ok())
            .find_map(|u| {
                u.host_str()
                    .and_then(|h| self.gazetteer.country_of_host(h))
                    .map(|c| c.iso3.clone())
            });
        let ctx = matcher::Context {
            gazetteer: &self.gazetteer,
            leaders: self.leaders.as_ref(),
            text,
            index: once_cell::unsync::OnceCell::new(),
            home,
            published,
            article: &reference,
            dateline: matcher::dateline(&self.gazetteer, text),
        };
        let mut candidates = Vec::new();
        for span in sentences::split(text) {
            for (rule_index, rule) in self.rules.iter().enumerate() {
                let triggers: Vec<usize> = hits
                    .iter()
                    .filter(|(r, at)| *r == rule_index && *at >= span.start && *at < span.end)
                    .map(|(_, at)| *at)
                    .collect();
                if triggers.is_empty() {
                    continue;
                }
                for (event, multilateral, until) in
                    matcher::match_sentence(&ctx, rule, span, &triggers)
                {
                    candidates.push(matcher::Candidate {
                        event,
                        rule: rule_index,
                        multilateral,
                        sentence_end: span.end,
                        until,
                    });
                }
            }
        }
        let mut merged = assembly::merge(candidates);
        // Persons quoted after a multilateral gathering took part in it.
        if let Some(first) = merged
            .iter_mut()
            .find(|c| c.multilateral && self.rules[c.rule].article_participants)
        {
            let index = ctx.index();
            for person in index.persons_after(first.sentence_end) {
                let person = &index.persons[person];
                // A "former" leader in an attribution ("advisor to former
                // Prime Minister X") is a relation of the speaker, not a guest.
                if person.country.is_none()
                    || person.rank == Some(gazetteer::Rank::Former)
                    || first.event.actors.iter().any(|a| a.name == person.name)
                {
                    continue;
                }
                first.event.actors.push(Actor {
                    name: person.name.clone(),
                    role: Role::Participant,
                    kind: ActorKind::Person,
                    title: person.title.clone(),
                    country: person.country.clone(),
                });
            }
        }
        merged.retain(|c| {
            !self.rules[c.rule].visit.foreign_host || assembly::has_foreign_host(&c.event)
        });
        // A headline sums up the story: when the body tells an event of the
        // same type, the headline's is that one, told with fewer details.
        let body_bytes = article.text.len();
        let body_types: Vec<usize> = merged
            .iter()
            .filter(|c| c.sentence_end <= body_bytes)
            .map(|c| c.rule)
            .collect();
        merged.retain(|c| c.sentence_end <= body_bytes || !body_types.contains(&c.rule));
        for at in 0..merged.len() {
            if self.rules[merged[at].rule].undated_on_publication {
                if let Some(day) = day_of_the_occasion(&merged, at) {
                    let event = &mut merged[at].event;
                    event.start_date = Some(day.clone());
                    event.end_date = Some(day);
                }
            }
        }
        for candidate in &mut merged {
            if self.rules[candidate.rule].undated_on_publication {
                date_by_publication(&mut candidate.event, published);
            }
            city_for_country(&mut candidate.event, &ctx);
        }
        merged
            .into_iter()
            .map(|c| c.event)
            .filter(|e| e.confidence >= self.min_confidence)
            .map(|mut e| {
                locate_evidence(&mut e.evidence, body_chars);
                e.id = id::event_id(&e);
                e
            })
            .collect()
    }
}

/// A meeting or visit placed only in a country ("will visit Russia") took
/// place in the first city of that country the article names ("In Moscow,
/// the two leaders will ...").
fn city_for_country(event: &mut Event, ctx: &matcher::Context<'_>) {
    let Some(location) = &event.location else {
        return;
    };
    let gazetteer = ctx.gazetteer;
    let is_city = gazetteer.cities.iter().any(|c| c.name == location.name);
    let Some(country) = location.country.as_deref().filter(|_| !is_city) else {
        return;
    };
    let dateline_end = ctx.dateline.as_ref().map_or(0, |d| d.end);
    let city = ctx
        .index()
        .city_hits
        .iter()
        .filter(|hit| hit.start >= dateline_end)
        .map(|hit| &gazetteer.cities[hit.entry])
        .find(|city| city.iso3 == country);
    if let Some(city) = city {
        event.location = Some(Location {
            name: city.seat_in.clone().unwrap_or_else(|| city.name.clone()),
            country: Some(city.iso3.clone()),
        });
    }
}

/// News tells the day's events: a held event the article gives no date for,
/// not even a vague one, took place on the day of publication.
/// How far back an undated signing looks for the talks it was part of.
const OCCASION_WINDOW: usize = 1200;

/// "The two governments then signed a memorandum": an undated signing told
/// after held talks of one of its sides took place on the talks' day, when
/// they were held on one day.
fn day_of_the_occasion(candidates: &[matcher::Candidate], at: usize) -> Option<String> {
    let this = &candidates[at];
    let same_day = |text: &str| {
        let text = text.to_ascii_lowercase();
        text.contains("same day") || text.contains("that day")
    };
    if this.event.start_date.is_some()
        || this
            .event
            .date_text
            .as_deref()
            .is_some_and(|t| !same_day(t))
    {
        return None;
    }
    let countries: Vec<&str> = this
        .event
        .actors
        .iter()
        .filter_map(|a| a.country.as_deref())
        .collect();
    candidates
        .iter()
        .filter(|c| {
            c.sentence_end < this.sentence_end
                && c.sentence_end + OCCASION_WINDOW >= this.sentence_end
                && c.event.status == Status::Occurred
                && c.event.start_date.is_some()
                && c.event.start_date == c.event.end_date
                && c.event
                    .actors
                    .iter()
                    .any(|a| a.country.as_deref().is_some_and(|c| countries.contains(&c)))
        })
        .max_by_key(|c| c.sentence_end)
        .and_then(|c| c.event.start_date.clone())
}

fn date_by_publication(event: &mut Event, published: Option<NaiveDate>) {
    if event.start_date.is_some() || event.date_text.is_some() {
        return;
    }
    if let Some(day) = published {
        event.start_date = Some(day.to_string());
        event.end_date = Some(day.to_string());
    }
}

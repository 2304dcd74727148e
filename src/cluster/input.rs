//! What the clustering stage reads: event records as `attache run` publishes
//! them (`attache.event/v1` JSON). Decoding the published contract, not the
//! in-process `Event` struct, keeps this stage a consumer like any other: it
//! accepts what is on the topic, including events of older builds.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ClusterError;
use crate::events::leaders::Office;

/// The parts of an event record that clustering uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub status: String,
    #[serde(flatten)]
    pub args: EventArgs,
    pub article: ArticleView,
}

/// The arguments one report gives for an event; kept per member in the
/// cluster record so that the merged arguments can be recomputed from the
/// record alone after a restart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventArgs {
    #[serde(default)]
    pub actors: Vec<ActorView>,
    #[serde(default)]
    pub location: Option<LocationView>,
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    #[serde(default)]
    pub date_text: Option<String>,
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(default)]
    pub visit_level: Option<String>,
    #[serde(default)]
    pub participants: Option<CountView>,
    #[serde(default)]
    pub countries: Option<CountView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ActorView {
    pub name: String,
    pub role: String,
    pub kind: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    /// Set by the cluster stage for a person the leaders knowledge base
    /// resolves (`actors.rs`): its Wikidata id, the identity compared
    /// across name forms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<String>,
    /// The office the resolved person held on the event's day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<Office>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LocationView {
    pub name: String,
    #[serde(default)]
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CountView {
    pub count: u64,
    pub qualifier: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleView {
    pub source_url: String,
    #[serde(default)]
    pub canonical_url: Option<String>,
    /// RFC 3339 or a bare date, as the page gave it.
    #[serde(default)]
    pub published: Option<String>,
}

impl EventView {
    /// Decodes one event record; `record` and unknown fields are ignored.
    pub fn from_json(bytes: &[u8]) -> Result<EventView, ClusterError> {
        let event: EventView =
            serde_json::from_slice(bytes).map_err(|e| ClusterError::BadEvent(e.to_string()))?;
        if event.id.is_empty() {
            return Err(ClusterError::BadEvent("empty `id`".into()));
        }
        Ok(event)
    }

    /// The calendar day the report was published, if it says.
    pub fn published_day(&self) -> Option<NaiveDate> {
        published_day(self.article.published.as_deref())
    }

    /// The URL that names the report: canonical if known.
    pub fn url(&self) -> &str {
        self.article
            .canonical_url
            .as_deref()
            .filter(|u| !u.is_empty())
            .unwrap_or(&self.article.source_url)
    }
}

pub fn published_day(published: Option<&str>) -> Option<NaiveDate> {
    published
        .and_then(|p| p.get(..10))
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

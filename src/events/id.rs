//! Deterministic event ids.
//!
//! `id` = first 32 hex digits of SHA-256 over, joined with U+001F:
//! 1. the event type;
//! 2. the start date (`YYYY-MM-DD`, empty when unknown);
//! 3. the location's country (ISO alpha-3, empty when none);
//! 4. the key actors: the normalized names (lower case, letters and digits,
//!    single spaces) of every actor whose role is not `participant`, sorted
//!    and deduplicated; when no actor has such a role, all actors' names;
//! 5. the article's canonical URL.
//!
//! So the same event told by the same article gets the same id on every run
//! (replays deduplicate), wording changes elsewhere in the article do not move
//! it, and the same event from another article (another canonical URL) gets
//! another id.
use sha2::{Digest, Sha256};

use super::{Event, Role};

pub fn event_id(event: &Event) -> String {
    let mut key_actors: Vec<String> = event
        .actors
        .iter()
        .filter(|a| a.role != Role::Participant)
        .map(|a| normalize(&a.name))
        .collect();
    if key_actors.is_empty() {
        key_actors = event.actors.iter().map(|a| normalize(&a.name)).collect();
    }
    key_actors.sort();
    key_actors.dedup();
    let fields = [
        event.event_type.as_str(),
        event.start_date.as_deref().unwrap_or(""),
        event
            .location
            .as_ref()
            .and_then(|l| l.country.as_deref())
            .unwrap_or(""),
        &key_actors.join("\u{1e}"),
        event.article.canonical_url.as_str(),
    ];
    let digest = Sha256::digest(fields.join("\u{1f}").as_bytes());
    hex::encode(&digest[..16])
}

fn normalize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

//! Scores extracted events against labelled fixtures
//! (`tests/fixtures/events/NAME.html` + `NAME.json`, format in that folder's
//! README). Used by `tests/events_eval.rs` and `examples/events_eval.rs`.
//!
//! Matching: predicted and gold events pair up by type, each gold event
//! taking the unused prediction with the best overlap (dates, location
//! country, actors). Precision and recall count pairs; argument accuracy is
//! matching argument values / labelled argument values over matched pairs,
//! where only keys present in a gold event are scored and each gold actor is
//! one value (matched by name containment, either way, and country).
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Event, EventExtractor};
use crate::config::Config;
use crate::extract::PageInfo;
use crate::pipeline::analyze_html;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid label file {path}: {reason}")]
    Label { path: PathBuf, reason: String },
}

#[derive(Debug, Clone, Default)]
pub struct FixtureScore {
    pub name: String,
    pub gold: usize,
    pub predicted: usize,
    pub true_positives: usize,
    pub arguments_correct: usize,
    pub arguments_total: usize,
    /// Human-readable notes on misses, for the report.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub fixtures: Vec<FixtureScore>,
}

impl Report {
    fn sum(&self, f: impl Fn(&FixtureScore) -> usize) -> usize {
        self.fixtures.iter().map(f).sum()
    }
    pub fn precision(&self) -> f64 {
        ratio(self.sum(|f| f.true_positives), self.sum(|f| f.predicted))
    }
    pub fn recall(&self) -> f64 {
        ratio(self.sum(|f| f.true_positives), self.sum(|f| f.gold))
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    pub fn argument_accuracy(&self) -> f64 {
        ratio(
            self.sum(|f| f.arguments_correct),
            self.sum(|f| f.arguments_total),
        )
    }

    /// Per-fixture table, then the totals.
    pub fn render(&self, verbose: bool) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<45} {:>4} {:>4} {:>3} {:>3} {:>3} {:>7}",
            "fixture", "gold", "pred", "tp", "fp", "fn", "args"
        );
        for f in &self.fixtures {
            let _ = writeln!(
                out,
                "{:<45} {:>4} {:>4} {:>3} {:>3} {:>3} {:>3}/{:<3}",
                f.name,
                f.gold,
                f.predicted,
                f.true_positives,
                f.predicted - f.true_positives,
                f.gold - f.true_positives,
                f.arguments_correct,
                f.arguments_total
            );
            if verbose {
                for note in &f.notes {
                    let _ = writeln!(out, "    {note}");
                }
            }
        }
        let _ = writeln!(
            out,
            "\n{} fixtures, {} gold events, {} predicted, {} matched",
            self.fixtures.len(),
            self.sum(|f| f.gold),
            self.sum(|f| f.predicted),
            self.sum(|f| f.true_positives)
        );
        let _ = writeln!(
            out,
            "precision {:.3}  recall {:.3}  F1 {:.3}  argument accuracy {:.3} ({}/{})",
            self.precision(),
            self.recall(),
            self.f1(),
            self.argument_accuracy(),
            self.sum(|f| f.arguments_correct),
            self.sum(|f| f.arguments_total)
        );
        out
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Runs [`analyze_html`] on every fixture in `dir` and scores it.
pub fn evaluate_dir(
    dir: &Path,
    config: &Config,
    extractor: &EventExtractor,
) -> Result<Report, EvalError> {
    let entries = std::fs::read_dir(dir).map_err(|source| EvalError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut labels: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    labels.sort();
    let mut report = Report::default();
    for label_path in labels {
        let html_path = label_path.with_extension("html");
        let label_text = read(&label_path)?;
        let label: Value = serde_json::from_str(&label_text).map_err(|e| EvalError::Label {
            path: label_path.clone(),
            reason: e.to_string(),
        })?;
        let html_bytes = std::fs::read(&html_path).map_err(|source| EvalError::Io {
            path: html_path.clone(),
            source,
        })?;
        let (html, _charset) = crate::fetch::decode_body(&html_bytes, None);
        let url = label["url"].as_str().unwrap_or_default().to_string();
        let gold = label["events"]
            .as_array()
            .cloned()
            .ok_or_else(|| EvalError::Label {
                path: label_path.clone(),
                reason: "`events` must be an array".into(),
            })?;
        let page = PageInfo {
            source_url: &url,
            fetched_url: &url,
            published_hint: None,
        };
        let predicted = analyze_html(&html, &page, config, extractor)
            .map(|a| a.events)
            .unwrap_or_default();
        let name = label_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        report.fixtures.push(score_fixture(name, &gold, &predicted));
    }
    Ok(report)
}

fn read(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Pairs gold and predicted events and scores the pairs.
pub fn score_fixture(name: String, gold: &[Value], predicted: &[Event]) -> FixtureScore {
    let mut score = FixtureScore {
        name,
        gold: gold.len(),
        predicted: predicted.len(),
        ..FixtureScore::default()
    };
    let predicted_json: Vec<Value> = predicted
        .iter()
        .map(|e| serde_json::to_value(e).expect("events serialize"))
        .collect();
    let mut used = vec![false; predicted.len()];
    for gold_event in gold {
        let best = predicted_json
            .iter()
            .enumerate()
            .filter(|(i, p)| !used[*i] && p["type"] == gold_event["type"])
            .max_by_key(|(i, p)| (overlap(gold_event, p), std::cmp::Reverse(*i)));
        match best {
            Some((i, p)) => {
                used[i] = true;
                score.true_positives += 1;
                let (correct, total, misses) = arguments(gold_event, p);
                score.arguments_correct += correct;
                score.arguments_total += total;
                for miss in misses {
                    score.notes.push(format!(
                        "{}: {miss}",
                        gold_event["type"].as_str().unwrap_or("?")
                    ));
                }
            }
            None => score.notes.push(format!("missed {}", short(gold_event))),
        }
    }
    for (i, p) in predicted_json.iter().enumerate() {
        if !used[i] {
            score.notes.push(format!(
                "spurious {} from \"{}\"",
                short(p),
                p["evidence"]["text"].as_str().unwrap_or("")
            ));
        }
    }
    score
}

fn short(event: &Value) -> String {
    format!(
        "{} {}..{}",
        event["type"].as_str().unwrap_or("?"),
        event["start_date"].as_str().unwrap_or("-"),
        event["end_date"].as_str().unwrap_or("-")
    )
}

fn overlap(gold: &Value, predicted: &Value) -> usize {
    let mut score = 0;
    for key in ["start_date", "end_date"] {
        if gold.get(key).is_some() && gold[key] == predicted[key] {
            score += 1;
        }
    }
    if gold.get("location").is_some()
        && gold["location"]["country"] == predicted["location"]["country"]
    {
        score += 1;
    }
    if let Some(actors) = gold["actors"].as_array() {
        score += actors.iter().filter(|a| actor_found(a, predicted)).count();
    }
    score
}

fn actor_found(gold_actor: &Value, predicted: &Value) -> bool {
    let name = gold_actor["name"]
        .as_str()
        .unwrap_or_default()
        .to_lowercase();
    predicted["actors"].as_array().is_some_and(|actors| {
        actors.iter().any(|a| {
            let candidate = a["name"].as_str().unwrap_or_default().to_lowercase();
            let names_match = !name.is_empty()
                && !candidate.is_empty()
                && (candidate.contains(&name) || name.contains(&candidate));
            let country_matches =
                gold_actor["country"].is_null() || gold_actor["country"] == a["country"];
            names_match && country_matches
        })
    })
}

/// (correct, total, notes on wrong values) over the keys the gold labels.
fn arguments(gold: &Value, predicted: &Value) -> (usize, usize, Vec<String>) {
    let (mut correct, mut total, mut misses) = (0, 0, Vec::new());
    let Some(object) = gold.as_object() else {
        return (0, 0, misses);
    };
    for (key, expected) in object {
        match key.as_str() {
            "type" => {}
            "actors" => {
                for actor in expected.as_array().into_iter().flatten() {
                    total += 1;
                    if actor_found(actor, predicted) {
                        correct += 1;
                    } else {
                        misses.push(format!(
                            "actor {actor} not found in {}",
                            predicted["actors"]
                        ));
                    }
                }
            }
            _ => {
                total += 1;
                let got = &predicted[key.as_str()];
                if value_matches(key, expected, got) {
                    correct += 1;
                } else {
                    misses.push(format!("{key}: expected {expected}, got {got}"));
                }
            }
        }
    }
    (correct, total, misses)
}

fn value_matches(key: &str, expected: &Value, got: &Value) -> bool {
    match key {
        "location" => match (expected.is_null(), got.is_null()) {
            (true, true) => true,
            (false, false) => {
                let name = |v: &Value| v["name"].as_str().unwrap_or_default().to_lowercase();
                let (e, g) = (name(expected), name(got));
                expected["country"] == got["country"] && (e.contains(&g) || g.contains(&e))
            }
            _ => false,
        },
        "theme" => {
            let norm = |v: &Value| {
                v.as_str()
                    .unwrap_or_default()
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            };
            expected.is_null() == got.is_null() && norm(expected) == norm(got)
        }
        "plover" => {
            expected["type"] == got["type"]
                && (expected.get("mode").is_none() || expected["mode"] == got["mode"])
        }
        _ => expected == got,
    }
}

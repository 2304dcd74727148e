//! Scores extracted events against labelled items: the development fixtures
//! (`tests/fixtures/events/NAME.html` + `NAME.json`) and the real-news corpus
//! (`tests/corpus/events/<part>/<source>/<item>.{html,txt}` + `<item>.json`).
//! Label format: `tests/fixtures/events/README.md`; corpus layout:
//! `tests/corpus/events/README.md`. Used by `tests/events_eval.rs` and
//! `examples/events_eval.rs`.
//!
//! Matching: a prediction can only pair with a gold event of the same type
//! whose arguments agree with it: their date ranges overlap (when both give
//! dates) and they share a party (a gold actor found among the predicted
//! actors, or a country among actors and location) whenever the gold event
//! names any. Compatible pairs are taken greedily, most shared arguments
//! first, each gold event and each prediction at most once. Precision and
//! recall count pairs. Argument accuracy is matching values / labelled
//! values over the pairs, where only keys present in a gold event are scored
//! and each gold actor is one value (name containment either way, country
//! and role). A ratio over zero items is undefined (`None`), never 1.0.
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;

use super::{Event, EventExtractor};
use crate::config::Config;
use crate::extract::{Article, PageInfo, ARTICLE_SCHEMA};
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
    #[error("label {path} has no document beside it (expected {stem}.html or {stem}.txt)")]
    NoDocument { path: PathBuf, stem: String },
    #[error("label {path} has both {stem}.html and {stem}.txt beside it; keep one")]
    TwoDocuments { path: PathBuf, stem: String },
    #[error("no labelled items under {0}")]
    Empty(PathBuf),
}

/// The labels of one item (`NAME.json`). Provenance keys (`outlet`,
/// `source`, `licence`, `description`) are for people, not for scoring.
#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    #[serde(default)]
    pub url: Option<String>,
    /// `YYYY-MM-DD` or null: the story's publication date. Text items get
    /// it as their article date; HTML items must find their own.
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub outlet: Option<String>,
    pub events: Vec<Value>,
}

/// Counts for one event type, or for all types together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub gold: usize,
    pub predicted: usize,
    pub true_positives: usize,
    pub arguments_correct: usize,
    pub arguments_total: usize,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.gold += other.gold;
        self.predicted += other.predicted;
        self.true_positives += other.true_positives;
        self.arguments_correct += other.arguments_correct;
        self.arguments_total += other.arguments_total;
    }
    /// `None` when nothing was predicted.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.true_positives, self.predicted)
    }
    /// `None` when nothing is labelled.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.true_positives, self.gold)
    }
    /// `None` when precision or recall is undefined.
    pub fn f1(&self) -> Option<f64> {
        let (p, r) = (self.precision()?, self.recall()?);
        Some(if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        })
    }
    /// `None` when no matched pair has a labelled argument.
    pub fn argument_accuracy(&self) -> Option<f64> {
        ratio(self.arguments_correct, self.arguments_total)
    }
}

/// The score of one labelled item.
#[derive(Debug, Clone, Default)]
pub struct ItemScore {
    /// Path of the item relative to the evaluated directory, without extension.
    pub name: String,
    pub totals: Counts,
    pub by_type: BTreeMap<String, Counts>,
    /// Human-readable notes on misses, for the report.
    pub notes: Vec<String>,
}

impl ItemScore {
    /// The first folder of the item's name (the corpus source), or "" for
    /// items directly in the evaluated directory.
    pub fn source(&self) -> &str {
        self.name.rsplit_once('/').map_or("", |(dir, _)| dir)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub items: Vec<ItemScore>,
}

impl Report {
    pub fn totals(&self) -> Counts {
        let mut sum = Counts::default();
        for item in &self.items {
            sum.add(&item.totals);
        }
        sum
    }
    pub fn by_type(&self) -> BTreeMap<String, Counts> {
        let mut out: BTreeMap<String, Counts> = BTreeMap::new();
        for item in &self.items {
            for (kind, counts) in &item.by_type {
                out.entry(kind.clone()).or_default().add(counts);
            }
        }
        out
    }
    pub fn by_source(&self) -> BTreeMap<String, (usize, Counts)> {
        let mut out: BTreeMap<String, (usize, Counts)> = BTreeMap::new();
        for item in &self.items {
            let entry = out.entry(item.source().to_string()).or_default();
            entry.0 += 1;
            entry.1.add(&item.totals);
        }
        out
    }
    pub fn precision(&self) -> Option<f64> {
        self.totals().precision()
    }
    pub fn recall(&self) -> Option<f64> {
        self.totals().recall()
    }
    pub fn f1(&self) -> Option<f64> {
        self.totals().f1()
    }
    pub fn argument_accuracy(&self) -> Option<f64> {
        self.totals().argument_accuracy()
    }
    /// Items labelled `"events": []`.
    pub fn hard_negatives(&self) -> impl Iterator<Item = &ItemScore> {
        self.items.iter().filter(|i| i.totals.gold == 0)
    }

    /// Totals, per type and per source; with `items` the per-item table,
    /// with `verbose` also the notes on every miss.
    pub fn render(&self, items: bool, verbose: bool) -> String {
        let mut out = String::new();
        if items || verbose {
            self.render_items(&mut out, verbose);
        }
        let t = self.totals();
        let _ = writeln!(
            out,
            "{} items ({} hard negatives), {} gold events, {} predicted, {} matched",
            self.items.len(),
            self.hard_negatives().count(),
            t.gold,
            t.predicted,
            t.true_positives
        );
        let _ = writeln!(
            out,
            "precision {}  recall {}  F1 {}  argument accuracy {} ({}/{})\n",
            fmt(t.precision()),
            fmt(t.recall()),
            fmt(t.f1()),
            fmt(t.argument_accuracy()),
            t.arguments_correct,
            t.arguments_total
        );
        let _ = writeln!(
            out,
            "{:<24} {:>4} {:>4} {:>4} {:>6} {:>6} {:>6} {:>6}",
            "type", "gold", "pred", "tp", "P", "R", "F1", "args"
        );
        for (kind, c) in self.by_type() {
            render_counts_row(&mut out, &kind, &c);
        }
        let sources = self.by_source();
        if sources.len() > 1 {
            let _ = writeln!(
                out,
                "\n{:<24} {:>5} {:>4} {:>4} {:>4} {:>6} {:>6} {:>6} {:>6}",
                "source", "items", "gold", "pred", "tp", "P", "R", "F1", "args"
            );
            for (source, (n, c)) in sources {
                let _ = write!(out, "{:<24} {:>5} ", source, n);
                render_counts_row(&mut out, "", &c);
            }
        }
        out
    }

    fn render_items(&self, out: &mut String, verbose: bool) {
        let _ = writeln!(
            out,
            "{:<55} {:>4} {:>4} {:>3} {:>3} {:>3} {:>7}",
            "item", "gold", "pred", "tp", "fp", "fn", "args"
        );
        for item in &self.items {
            let t = &item.totals;
            let _ = writeln!(
                out,
                "{:<55} {:>4} {:>4} {:>3} {:>3} {:>3} {:>3}/{:<3}",
                item.name,
                t.gold,
                t.predicted,
                t.true_positives,
                t.predicted - t.true_positives,
                t.gold - t.true_positives,
                t.arguments_correct,
                t.arguments_total
            );
            if verbose {
                for note in &item.notes {
                    let _ = writeln!(out, "    {note}");
                }
            }
        }
        out.push('\n');
    }
}

fn render_counts_row(out: &mut String, label: &str, c: &Counts) {
    if !label.is_empty() {
        let _ = write!(out, "{label:<24} ");
    }
    let _ = writeln!(
        out,
        "{:>4} {:>4} {:>4} {:>6} {:>6} {:>6} {:>6}",
        c.gold,
        c.predicted,
        c.true_positives,
        fmt(c.precision()),
        fmt(c.recall()),
        fmt(c.f1()),
        fmt(c.argument_accuracy())
    );
}

/// Three decimals, or `n/a` for an undefined ratio.
pub fn fmt(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"))
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// What the extractor reads for one item.
#[derive(Debug, Clone)]
pub enum Document {
    /// A whole page, through the article extractor.
    Html(PathBuf),
    /// Plain article text: the first line is the headline, the rest the body.
    Text(PathBuf),
}

/// One labelled item found under the evaluated directory.
#[derive(Debug, Clone)]
pub struct Item {
    pub name: String,
    pub label: Label,
    pub document: Document,
}

/// Every `*.json` label under `dir` (recursively, in path order) with the
/// `.html` or `.txt` document beside it.
pub fn load_items(dir: &Path) -> Result<Vec<Item>, EvalError> {
    let mut labels = Vec::new();
    collect_labels(dir, &mut labels)?;
    labels.sort();
    let mut items = Vec::with_capacity(labels.len());
    for path in labels {
        items.push(load_item(dir, &path)?);
    }
    if items.is_empty() {
        return Err(EvalError::Empty(dir.to_path_buf()));
    }
    Ok(items)
}

fn collect_labels(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), EvalError> {
    let entries = std::fs::read_dir(dir).map_err(|source| EvalError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let path = entry
            .map_err(|source| EvalError::Io {
                path: dir.to_path_buf(),
                source,
            })?
            .path();
        if path.is_dir() {
            collect_labels(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "json") {
            out.push(path);
        }
    }
    Ok(())
}

fn load_item(root: &Path, label_path: &Path) -> Result<Item, EvalError> {
    let label_error = |reason: String| EvalError::Label {
        path: label_path.to_path_buf(),
        reason,
    };
    let label: Label =
        serde_json::from_str(&read(label_path)?).map_err(|e| label_error(e.to_string()))?;
    if let Some(published) = &label.published {
        NaiveDate::parse_from_str(published, "%Y-%m-%d")
            .map_err(|_| label_error(format!("`published` {published:?} is not YYYY-MM-DD")))?;
    }
    for event in &label.events {
        validate_event(event).map_err(|reason| label_error(format!("{reason} in {event}")))?;
    }
    let (html, text) = (
        label_path.with_extension("html"),
        label_path.with_extension("txt"),
    );
    let stem = label_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let document = match (html.is_file(), text.is_file()) {
        (true, false) => Document::Html(html),
        (false, true) => Document::Text(text),
        (false, false) => {
            return Err(EvalError::NoDocument {
                path: label_path.to_path_buf(),
                stem,
            })
        }
        (true, true) => {
            return Err(EvalError::TwoDocuments {
                path: label_path.to_path_buf(),
                stem,
            })
        }
    };
    let relative = label_path.strip_prefix(root).unwrap_or(label_path);
    let name = relative
        .with_extension("")
        .to_string_lossy()
        .replace('\\', "/");
    Ok(Item {
        name,
        label,
        document,
    })
}

const EVENT_TYPES: [&str; 4] = [
    "dialogue_held",
    "state_visit_announced",
    "visit_cancelled",
    "agreement_signed",
];
const ROLES: [&str; 5] = ["host", "visitor", "inviter", "participant", "organizer"];

/// Catches label typos: a known type and role, ISO alpha-3 countries,
/// ISO dates in order.
fn validate_event(event: &Value) -> Result<(), String> {
    let kind = event["type"].as_str().unwrap_or_default();
    if !EVENT_TYPES.contains(&kind) {
        return Err(format!("unknown event type {:?}", event["type"]));
    }
    let is_country = |v: &Value| {
        v.is_null()
            || v.as_str()
                .is_some_and(|c| c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()))
    };
    for actor in event["actors"].as_array().into_iter().flatten() {
        if let Some(role) = actor.get("role") {
            if !role.as_str().is_some_and(|r| ROLES.contains(&r)) {
                return Err(format!("unknown role {role}"));
            }
        }
        if !is_country(&actor["country"]) {
            return Err(format!("country {} is not ISO alpha-3", actor["country"]));
        }
    }
    if !is_country(&event["location"]["country"]) {
        return Err(format!(
            "location country {} is not ISO alpha-3",
            event["location"]["country"]
        ));
    }
    let mut dates = Vec::new();
    for key in ["start_date", "end_date"] {
        match &event[key] {
            Value::Null => {}
            Value::String(text) => dates.push(
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| format!("`{key}` {text:?} is not YYYY-MM-DD"))?,
            ),
            other => return Err(format!("`{key}` {other} is not a date")),
        }
    }
    if let [start, end] = dates[..] {
        if end < start {
            return Err("`end_date` before `start_date`".into());
        }
    }
    Ok(())
}

/// Runs the extractor on every labelled item under `dir` and scores it.
pub fn evaluate_dir(
    dir: &Path,
    config: &Config,
    extractor: &EventExtractor,
) -> Result<Report, EvalError> {
    let mut report = Report::default();
    for item in load_items(dir)? {
        let (predicted, failure) = predict(&item, config, extractor)?;
        let mut score = score_item(item.name, &item.label.events, &predicted);
        if let Some(failure) = failure {
            score.notes.insert(0, failure);
        }
        report.items.push(score);
    }
    Ok(report)
}

/// The item's predicted events, and a note when the article extractor gave
/// up on the page (which then counts as predicting nothing).
fn predict(
    item: &Item,
    config: &Config,
    extractor: &EventExtractor,
) -> Result<(Vec<Event>, Option<String>), EvalError> {
    let url = item.label.url.clone().unwrap_or_default();
    match &item.document {
        Document::Html(path) => {
            let bytes = std::fs::read(path).map_err(|source| EvalError::Io {
                path: path.clone(),
                source,
            })?;
            let (html, _charset) = crate::fetch::decode_body(&bytes, None);
            let page = PageInfo {
                source_url: &url,
                fetched_url: &url,
                published_hint: None,
            };
            Ok(match analyze_html(&html, &page, config, extractor) {
                Ok(analysis) => (analysis.events, None),
                Err(e) => (Vec::new(), Some(format!("extraction failed: {e}"))),
            })
        }
        Document::Text(path) => {
            let article = article_from_text(&read(path)?, &url, item.label.published.as_deref());
            let published = article.published.clone();
            Ok((extractor.extract(&article, published.as_deref()), None))
        }
    }
}

/// An article from plain text: the first non-empty line is the headline,
/// the rest the body (paragraphs separated by blank lines).
pub fn article_from_text(text: &str, url: &str, published: Option<&str>) -> Article {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let (title, body) = text.split_once('\n').unwrap_or((text, ""));
    let body = body.trim().to_string();
    Article {
        schema: ARTICLE_SCHEMA.into(),
        source_url: url.into(),
        canonical_url: url.into(),
        title: Some(title.trim().to_string()).filter(|t| !t.is_empty()),
        word_count: body.split_whitespace().count(),
        text: body,
        published: published.map(str::to_string),
        modified: None,
        authors: Vec::new(),
        language: Some("en".into()),
        site_name: None,
        section: None,
        story_index: 0,
        // Plain text needs no extraction; the field only says which HTML
        // path found a body.
        extractor: crate::extract::Extractor::Structured,
    }
}

fn read(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Pairs gold and predicted events one-to-one by their arguments and scores
/// the pairs.
pub fn score_item(name: String, gold: &[Value], predicted: &[Event]) -> ItemScore {
    let predicted_json: Vec<Value> = predicted
        .iter()
        .map(|e| serde_json::to_value(e).expect("events serialize"))
        .collect();
    let mut score = ItemScore {
        name,
        ..ItemScore::default()
    };
    for g in gold {
        score.by_type.entry(type_of(g)).or_default().gold += 1;
    }
    for p in &predicted_json {
        score.by_type.entry(type_of(p)).or_default().predicted += 1;
    }
    let pairs = pair_up(gold, &predicted_json);
    let mut gold_matched = vec![false; gold.len()];
    let mut predicted_matched = vec![false; predicted_json.len()];
    for (g, p) in pairs {
        gold_matched[g] = true;
        predicted_matched[p] = true;
        let (correct, total, misses) = arguments(&gold[g], &predicted_json[p]);
        let counts = score.by_type.entry(type_of(&gold[g])).or_default();
        counts.true_positives += 1;
        counts.arguments_correct += correct;
        counts.arguments_total += total;
        for miss in misses {
            score.notes.push(format!("{}: {miss}", type_of(&gold[g])));
        }
    }
    for (g, matched) in gold.iter().zip(&gold_matched) {
        if !matched {
            score.notes.push(format!("missed {}", short(g)));
        }
    }
    for (p, matched) in predicted_json.iter().zip(&predicted_matched) {
        if !matched {
            score.notes.push(format!(
                "spurious {} from \"{}\"",
                short(p),
                p["evidence"]["text"].as_str().unwrap_or("")
            ));
        }
    }
    for counts in score.by_type.values() {
        score.totals.add(counts);
    }
    score
}

/// One-to-one pairs (gold index, predicted index) of compatible events,
/// taken greedily by the number of shared arguments.
fn pair_up(gold: &[Value], predicted: &[Value]) -> Vec<(usize, usize)> {
    let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
    for (g, gold_event) in gold.iter().enumerate() {
        for (p, predicted_event) in predicted.iter().enumerate() {
            if compatible(gold_event, predicted_event) {
                candidates.push((overlap(gold_event, predicted_event), g, p));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut gold_used, mut predicted_used) =
        (vec![false; gold.len()], vec![false; predicted.len()]);
    let mut pairs = Vec::new();
    for (_, g, p) in candidates {
        if !gold_used[g] && !predicted_used[p] {
            gold_used[g] = true;
            predicted_used[p] = true;
            pairs.push((g, p));
        }
    }
    pairs
}

fn type_of(event: &Value) -> String {
    event["type"].as_str().unwrap_or("?").to_string()
}

/// Same type, overlapping dates, and a shared party when the gold names any.
fn compatible(gold: &Value, predicted: &Value) -> bool {
    gold["type"] == predicted["type"]
        && dates_compatible(gold, predicted)
        && parties_overlap(gold, predicted)
}

/// `(start, end)` when the event gives a start date.
fn date_range(event: &Value) -> Option<(&str, &str)> {
    let start = event["start_date"].as_str()?;
    Some((start, event["end_date"].as_str().unwrap_or(start)))
}

/// Date ranges intersect, or one side gives no date (then the dates are
/// scored as arguments, not used to refuse the pair).
fn dates_compatible(gold: &Value, predicted: &Value) -> bool {
    match (date_range(gold), date_range(predicted)) {
        // ISO dates compare as strings
        (Some((gs, ge)), Some((ps, pe))) => gs <= pe && ps <= ge,
        _ => true,
    }
}

fn parties_overlap(gold: &Value, predicted: &Value) -> bool {
    let gold_actors = gold["actors"].as_array().map_or(&[][..], Vec::as_slice);
    let gold_countries = countries(gold);
    if gold_actors.is_empty() && gold_countries.is_empty() {
        return true;
    }
    gold_actors.iter().any(|a| actor_found(a, predicted, false))
        || !gold_countries.is_disjoint(&countries(predicted))
}

/// Countries of the actors and of the location.
fn countries(event: &Value) -> BTreeSet<&str> {
    let actors = event["actors"].as_array().into_iter().flatten();
    actors
        .filter_map(|a| a["country"].as_str())
        .chain(event["location"]["country"].as_str())
        .collect()
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
        score += actors
            .iter()
            .filter(|a| actor_found(a, predicted, false))
            .count();
    }
    score
}

/// A predicted actor whose name contains the gold name or is contained in
/// it, with the gold country (when labelled) and, if `with_role`, the gold
/// role.
fn actor_found(gold_actor: &Value, predicted: &Value, with_role: bool) -> bool {
    let name = fold_name(gold_actor["name"].as_str().unwrap_or_default());
    predicted["actors"].as_array().is_some_and(|actors| {
        actors.iter().any(|a| {
            let candidate = fold_name(a["name"].as_str().unwrap_or_default());
            let names_match = !name.is_empty()
                && !candidate.is_empty()
                && (candidate.contains(&name) || name.contains(&candidate));
            let country_matches =
                gold_actor["country"].is_null() || gold_actor["country"] == a["country"];
            let role_matches =
                !with_role || gold_actor.get("role").is_none() || gold_actor["role"] == a["role"];
            names_match && country_matches && role_matches
        })
    })
}

/// Lower case without Latin diacritics: "Erdoğan" and "Erdogan", "Støre"
/// and "Store" are one name written two ways.
fn fold_name(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'ç' | 'ć' | 'č' => "c",
            'ď' | 'đ' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
            'ğ' => "g",
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => "i",
            'ł' => "l",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
            'ř' => "r",
            'ś' | 'š' | 'ş' | 'ș' => "s",
            'ť' | 'ţ' | 'ț' => "t",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
            'ý' | 'ÿ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            'ß' => "ss",
            _ => {
                folded.push(c);
                continue;
            }
        };
        folded.push_str(plain);
    }
    folded
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
                    if actor_found(actor, predicted, true) {
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
                let name = |v: &Value| fold_name(v["name"].as_str().unwrap_or_default());
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

fn short(event: &Value) -> String {
    let actors: Vec<String> = event["actors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| {
            format!(
                "{}/{}",
                a["name"].as_str().unwrap_or("?"),
                a["country"].as_str().unwrap_or("-")
            )
        })
        .collect();
    format!(
        "{} {}..{} [{}]",
        event["type"].as_str().unwrap_or("?"),
        event["start_date"].as_str().unwrap_or("-"),
        event["end_date"].as_str().unwrap_or("-"),
        actors.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(value: Value) -> Event {
        let mut base = json!({
            "schema": "attache.event/v1", "id": "x", "type": "dialogue_held",
            "status": "occurred", "name": null, "actors": [], "location": null,
            "start_date": null, "end_date": null, "date_text": null, "mode": "in_person",
            "visit_level": null, "participants": null, "countries": null, "theme": null,
            "cameo": "040", "plover": {"type": "CONSULT", "mode": null},
            "evidence": {"text": "", "start": 0, "end": 0}, "confidence": 0.5,
            "article": {"source_url": "", "canonical_url": "", "title": null,
                        "published": null, "language": null}
        });
        for (k, v) in value.as_object().unwrap() {
            base[k] = v.clone();
        }
        serde_json::from_value(base).expect("test event deserializes")
    }

    #[test]
    fn names_match_without_their_diacritics() {
        assert_eq!(fold_name("Recep Tayyip Erdoğan"), "recep tayyip erdogan");
        assert_eq!(fold_name("Jonas Gahr Støre"), "jonas gahr store");
        assert_ne!(fold_name("Lee"), fold_name("Li"));
    }

    fn actor(name: &str, role: &str, country: &str) -> Value {
        json!({"name": name, "role": role, "kind": "person", "title": null, "country": country})
    }

    fn gold_talks() -> Value {
        json!({"type": "dialogue_held", "start_date": "2004-10-05", "end_date": "2004-10-05",
               "actors": [{"name": "Hu Jintao", "role": "host", "country": "CHN"},
                          {"name": "Vladimir Putin", "role": "visitor", "country": "RUS"}]})
    }

    #[test]
    fn a_prediction_of_the_right_type_about_other_parties_is_not_a_match() {
        let wrong = event(json!({"actors": [actor("Tony Blair", "host", "GBR"),
                                            actor("Ahmed Qurei", "visitor", "PSE")]}));
        let score = score_item("x".into(), &[gold_talks()], &[wrong]);
        assert_eq!(score.totals.true_positives, 0);
        assert_eq!((score.totals.gold, score.totals.predicted), (1, 1));
    }

    #[test]
    fn a_prediction_with_disjoint_dates_is_not_a_match() {
        let other_day = event(json!({
            "start_date": "2004-11-20", "end_date": "2004-11-20",
            "actors": [actor("Hu Jintao", "host", "CHN"), actor("Vladimir Putin", "visitor", "RUS")]}));
        let score = score_item("x".into(), &[gold_talks()], &[other_day]);
        assert_eq!(score.totals.true_positives, 0);
    }

    #[test]
    fn matching_is_one_to_one_and_prefers_the_closer_prediction() {
        let gold = [
            gold_talks(),
            json!({"type": "dialogue_held", "actors": [{"name": "Tony Blair", "country": "GBR"}]}),
        ];
        let blair = event(json!({"actors": [actor("Blair", "participant", "GBR")]}));
        let putin = event(json!({
            "start_date": "2004-10-05", "end_date": "2004-10-05",
            "actors": [actor("Hu Jintao", "host", "CHN"), actor("Putin", "visitor", "RUS")]}));
        let duplicate = putin.clone();
        let score = score_item("x".into(), &gold, &[blair, duplicate, putin]);
        assert_eq!(score.totals.true_positives, 2);
        assert_eq!(score.totals.predicted, 3);
        // every argument of both pairs agrees
        assert_eq!(score.totals.arguments_correct, score.totals.arguments_total);
    }

    #[test]
    fn a_swapped_role_is_a_wrong_argument() {
        let swapped = event(json!({
            "start_date": "2004-10-05", "end_date": "2004-10-05",
            "actors": [actor("Hu Jintao", "visitor", "CHN"), actor("Putin", "host", "RUS")]}));
        let score = score_item("x".into(), &[gold_talks()], &[swapped]);
        assert_eq!(score.totals.true_positives, 1);
        assert_eq!(
            (score.totals.arguments_correct, score.totals.arguments_total),
            (2, 4)
        );
    }

    #[test]
    fn ratios_over_nothing_are_undefined() {
        let empty = Counts::default();
        assert_eq!(empty.precision(), None);
        assert_eq!(empty.recall(), None);
        assert_eq!(empty.f1(), None);
        assert_eq!(empty.argument_accuracy(), None);
        let all_missed = Counts {
            gold: 2,
            ..Counts::default()
        };
        assert_eq!(all_missed.recall(), Some(0.0));
        assert_eq!(all_missed.f1(), None, "precision over no prediction");
        assert_eq!(fmt(None), "n/a");
    }

    #[test]
    fn per_type_counts_add_up_to_the_totals() {
        let gold = [
            gold_talks(),
            json!({"type": "visit_cancelled", "actors": [{"name": "Bush", "country": "USA"}]}),
        ];
        let score = score_item(
            "x".into(),
            &gold,
            &[event(json!({"type": "agreement_signed"}))],
        );
        assert_eq!(score.by_type["dialogue_held"].gold, 1);
        assert_eq!(score.by_type["agreement_signed"].predicted, 1);
        assert_eq!(score.totals.gold, 2);
        assert_eq!(score.totals.predicted, 1);
        assert_eq!(score.totals.true_positives, 0);
    }

    /// A fresh directory under the system temp dir.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("attache-eval-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        dir
    }

    #[test]
    fn items_are_found_in_subfolders_with_their_document() {
        let dir = scratch("layout");
        let label = r#"{"description": "d", "url": null, "published": "2004-10-14", "events": []}"#;
        std::fs::write(dir.join("src/a.json"), label).unwrap();
        std::fs::write(dir.join("src/a.txt"), "Headline\n\nBody.").unwrap();
        let items = load_items(&dir).unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].name, "src/a");
        assert!(matches!(items[0].document, Document::Text(_)));
        assert_eq!(items[0].label.published.as_deref(), Some("2004-10-14"));

        std::fs::write(dir.join("src/a.html"), "<html></html>").unwrap();
        assert!(matches!(
            load_items(&dir),
            Err(EvalError::TwoDocuments { .. })
        ));
        std::fs::remove_file(dir.join("src/a.html")).unwrap();
        std::fs::remove_file(dir.join("src/a.txt")).unwrap();
        assert!(matches!(
            load_items(&dir),
            Err(EvalError::NoDocument { .. })
        ));

        std::fs::remove_file(dir.join("src/a.json")).unwrap();
        assert!(matches!(load_items(&dir), Err(EvalError::Empty(_))));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_bad_publication_date_is_a_label_error() {
        let dir = scratch("published");
        let label = r#"{"description": "d", "published": "14 Oct 2004", "events": []}"#;
        std::fs::write(dir.join("src/a.json"), label).unwrap();
        std::fs::write(dir.join("src/a.txt"), "Headline").unwrap();
        let err = load_items(&dir).unwrap_err();
        assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn label_typos_are_refused() {
        let good = gold_talks();
        assert_eq!(validate_event(&good), Ok(()));
        let mut bad_type = good.clone();
        bad_type["type"] = json!("dialog_held");
        assert!(validate_event(&bad_type).is_err());
        let mut bad_country = good.clone();
        bad_country["actors"][0]["country"] = json!("China");
        assert!(validate_event(&bad_country).is_err());
        let mut bad_role = good.clone();
        bad_role["actors"][1]["role"] = json!("guest");
        assert!(validate_event(&bad_role).is_err());
        let mut reversed = good;
        reversed["end_date"] = json!("2004-10-01");
        assert!(validate_event(&reversed).is_err());
    }

    #[test]
    fn text_items_take_the_first_line_as_headline() {
        let article = article_from_text(
            "\u{feff}Putin arrives in Beijing\n\nRussian President Vladimir Putin arrived.\n\nMore.\n",
            "https://example.org/a",
            Some("2004-10-14"),
        );
        assert_eq!(article.title.as_deref(), Some("Putin arrives in Beijing"));
        assert!(article.text.starts_with("Russian President"));
        assert_eq!(article.published.as_deref(), Some("2004-10-14"));
        assert_eq!(
            article.published_date(),
            NaiveDate::from_ymd_opt(2004, 10, 14)
        );
    }
}

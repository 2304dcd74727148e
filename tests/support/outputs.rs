//! Auditing what a worker published for a list of input URLs: which inputs
//! have no output at all (lost), and which outputs were published more than
//! once (duplicates, allowed under at-least-once if they repeat the key).
//! The including test crate must also include `support/kafka.rs` as `kafka`.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};

use crate::kafka::{Collector, Received};

/// The input URL an output record belongs to: the `source_url` header of
/// events and articles, the payload of a DLQ record.
pub fn input_url(record: &Received, dlq: &str) -> String {
    if record.topic == dlq {
        String::from_utf8_lossy(&record.payload).into_owned()
    } else {
        record.headers["source_url"].clone()
    }
}

/// How many distinct inputs have at least one output so far.
pub fn distinct_inputs(collector: &Collector, dlq: &str) -> usize {
    collector.with(|records| {
        records
            .iter()
            .map(|r| input_url(r, dlq))
            .collect::<HashSet<_>>()
            .len()
    })
}

pub struct Audit<'a> {
    /// Every output record, grouped by the input URL it came from.
    pub by_url: HashMap<String, Vec<&'a Received>>,
    /// Inputs without any output.
    pub lost: Vec<String>,
    /// Outputs naming an input that was never produced.
    pub unexpected: Vec<String>,
    /// Distinct (topic, key) outputs over all inputs.
    pub distinct_outputs: usize,
    /// Records beyond the first of each (topic, key) of an input.
    pub duplicates: usize,
}

impl<'a> Audit<'a> {
    pub fn of(records: &'a [Received], urls: &[String], dlq: &str) -> Self {
        let mut by_url: HashMap<String, Vec<&Received>> = HashMap::new();
        for record in records {
            by_url
                .entry(input_url(record, dlq))
                .or_default()
                .push(record);
        }
        let lost = urls
            .iter()
            .filter(|u| !by_url.contains_key(*u))
            .cloned()
            .collect();
        let known: HashSet<&String> = urls.iter().collect();
        let unexpected = by_url
            .keys()
            .filter(|u| !known.contains(u))
            .cloned()
            .collect();
        let mut audit = Audit {
            by_url,
            lost,
            unexpected,
            distinct_outputs: 0,
            duplicates: 0,
        };
        for url in urls {
            let distinct = audit.distinct(url).len();
            let all = audit.by_url.get(url).map_or(0, Vec::len);
            audit.distinct_outputs += distinct;
            audit.duplicates += all - distinct;
        }
        audit
    }

    /// The distinct (topic, key) pairs published for one input: a replay
    /// that repeats its outputs' keys adds nothing here.
    pub fn distinct(&self, url: &str) -> HashSet<(&'a str, Option<&'a str>)> {
        self.by_url
            .get(url)
            .map(|records| {
                records
                    .iter()
                    .map(|r| (r.topic.as_str(), r.key.as_deref()))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn duplicate_ratio(&self) -> f64 {
        self.duplicates as f64 / self.distinct_outputs.max(1) as f64
    }
}

//! Scores a clustering against gold labels: pairwise precision/recall/F1,
//! B-cubed F1, rows per true event, and distractors merged.
//!
//! Items are reports (one page's event); each has a gold label (the real
//! event it tells) and the predicted cluster it landed in. An item the
//! pipeline found no event for is its own singleton prediction, so a missed
//! report costs recall instead of vanishing from the score.
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub name: String,
    /// The real-world event the report tells.
    pub gold: String,
    /// A near miss of some true event (must stay apart from it).
    pub distractor: bool,
    /// The cluster it was put in; None when no event came out of it.
    pub predicted: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub items: usize,
    pub true_events: usize,
    pub pairwise_precision: Option<f64>,
    pub pairwise_recall: Option<f64>,
    pub pairwise_f1: Option<f64>,
    pub bcubed_f1: Option<f64>,
    /// Predicted clusters holding reports of a true (non-distractor) event,
    /// per such event: 1.0 is one row per event.
    pub rows_per_true_event: Option<f64>,
    /// Distractors that share a cluster with an item of another gold event.
    pub distractors_merged: usize,
    /// Items for which no event came out.
    pub unclustered: usize,
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

fn f1(p: Option<f64>, r: Option<f64>) -> Option<f64> {
    match (p, r) {
        (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
        (Some(_), Some(_)) => Some(0.0),
        _ => None,
    }
}

pub fn score(items: &[Item]) -> Score {
    let predicted: Vec<String> = items
        .iter()
        .map(|i| {
            i.predicted
                .clone()
                .unwrap_or_else(|| format!("(none)|{}", i.name))
        })
        .collect();
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for a in 0..items.len() {
        for b in a + 1..items.len() {
            let same_gold = items[a].gold == items[b].gold;
            let same_pred = predicted[a] == predicted[b];
            match (same_gold, same_pred) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fn_ += 1,
                (false, false) => {}
            }
        }
    }
    let precision = ratio(tp as f64, (tp + fp) as f64);
    let recall = ratio(tp as f64, (tp + fn_) as f64);

    // B-cubed: per item, the share of its predicted cluster that is its
    // gold event, and the share of its gold event in its predicted cluster.
    let (mut bp, mut br) = (0.0, 0.0);
    for a in 0..items.len() {
        let in_pred = (0..items.len()).filter(|&b| predicted[b] == predicted[a]);
        let in_gold = (0..items.len()).filter(|&b| items[b].gold == items[a].gold);
        let both = (0..items.len())
            .filter(|&b| predicted[b] == predicted[a] && items[b].gold == items[a].gold)
            .count() as f64;
        bp += both / in_pred.count() as f64;
        br += both / in_gold.count() as f64;
    }
    let n = items.len() as f64;
    let bcubed = f1(ratio(bp, n), ratio(br, n));

    let mut rows: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (item, pred) in items.iter().zip(&predicted) {
        if !item.distractor && item.predicted.is_some() {
            rows.entry(item.gold.as_str()).or_default().insert(pred);
        }
    }
    let true_events: BTreeSet<&str> = items
        .iter()
        .filter(|i| !i.distractor)
        .map(|i| i.gold.as_str())
        .collect();
    let rows_total: usize = rows.values().map(BTreeSet::len).sum();
    let distractors_merged = items
        .iter()
        .zip(&predicted)
        .filter(|(item, pred)| {
            item.distractor
                && items
                    .iter()
                    .zip(&predicted)
                    .any(|(other, p)| p == *pred && other.gold != item.gold)
        })
        .count();
    Score {
        items: items.len(),
        true_events: true_events.len(),
        pairwise_precision: precision,
        pairwise_recall: recall,
        pairwise_f1: f1(precision, recall),
        bcubed_f1: bcubed,
        rows_per_true_event: ratio(rows_total as f64, rows.len() as f64),
        distractors_merged,
        unclustered: items.iter().filter(|i| i.predicted.is_none()).count(),
    }
}

/// Pairs of items (indexes into `items`) that share a predicted cluster:
/// distractors given as pairs of events that must stay apart.
pub fn pairs_merged(items: &[Item], pairs: &[(usize, usize)]) -> usize {
    pairs
        .iter()
        .filter(|(a, b)| {
            let (x, y) = (&items[*a].predicted, &items[*b].predicted);
            x.is_some() && x == y
        })
        .count()
}

/// A score as the reports print it, one figure a line.
pub fn summary(s: &Score) -> String {
    let f = |v: Option<f64>| v.map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"));
    format!(
        "  pairwise P/R/F1  {} / {} / {}\n  B-cubed F1       {}\n  rows/true event  {}\n  distractors merged {}\n  unclustered pages  {}",
        f(s.pairwise_precision),
        f(s.pairwise_recall),
        f(s.pairwise_f1),
        f(s.bcubed_f1),
        f(s.rows_per_true_event),
        s.distractors_merged,
        s.unclustered
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, gold: &str, predicted: Option<&str>) -> Item {
        Item {
            name: name.into(),
            gold: gold.into(),
            distractor: gold.starts_with('d'),
            predicted: predicted.map(str::to_string),
        }
    }

    #[test]
    fn a_perfect_clustering_scores_one() {
        let items = [
            item("a1", "A", Some("x")),
            item("a2", "A", Some("x")),
            item("b1", "B", Some("y")),
            item("b2", "B", Some("y")),
        ];
        let s = score(&items);
        assert_eq!(s.pairwise_f1, Some(1.0));
        assert_eq!(s.bcubed_f1, Some(1.0));
        assert_eq!(s.rows_per_true_event, Some(1.0));
        assert_eq!(s.distractors_merged, 0);
    }

    #[test]
    fn merging_everything_is_punished_in_precision_and_a_merged_distractor_is_counted() {
        let items = [
            item("a1", "A", Some("x")),
            item("a2", "A", Some("x")),
            item("d1", "dA", Some("x")),
        ];
        let s = score(&items);
        assert_eq!(s.pairwise_precision, Some(1.0 / 3.0));
        assert_eq!(s.pairwise_recall, Some(1.0));
        assert_eq!(s.distractors_merged, 1);
    }

    #[test]
    fn a_split_event_costs_recall_and_rows() {
        let items = [
            item("a1", "A", Some("x")),
            item("a2", "A", Some("y")),
            item("a3", "A", None),
        ];
        let s = score(&items);
        assert_eq!(s.pairwise_recall, Some(0.0));
        assert_eq!(
            s.pairwise_precision, None,
            "no predicted pair: undefined, not 1.0"
        );
        assert_eq!(s.pairwise_f1, None);
        assert_eq!(s.rows_per_true_event, Some(2.0));
        assert_eq!(s.unclustered, 1);
    }

    #[test]
    fn a_distractor_pair_counts_only_when_both_share_a_cluster() {
        let items = [
            item("a1", "A", Some("x")),
            item("b1", "B", Some("x")),
            item("c1", "C", Some("y")),
            item("c2", "D", None),
        ];
        assert_eq!(pairs_merged(&items, &[(0, 1), (0, 2), (2, 3)]), 1);
    }
}

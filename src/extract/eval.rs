//! The article-extraction benchmark metric (scrapinghub/article-extraction-benchmark).
//!
//! Text becomes `\w+` tokens (Unicode, case kept), then a multiset of 4-token
//! shingles. Per page, true positives, false positives and false negatives are
//! scaled to sum to 1 so that every page weighs the same; precision and recall
//! are averaged over pages and F1 is the harmonic mean of the two averages.
use std::collections::HashMap;

use once_cell::sync::Lazy;
use regex::Regex;

static WORD: Lazy<Regex> = Lazy::new(|| Regex::new(r"\w+").expect("static regex"));

const SHINGLE: usize = 4;

/// Scaled counts for one page; `tp + fp + fn_ == 1` unless both texts are empty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageScore {
    pub tp: f64,
    pub fp: f64,
    pub fn_: f64,
}

impl PageScore {
    /// Precision with the benchmark's convention: an empty prediction scores 0
    /// unless the truth is empty too.
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0.0 {
            if self.fn_ == 0.0 {
                1.0
            } else {
                0.0
            }
        } else {
            self.tp / (self.tp + self.fp)
        }
    }

    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0.0 {
            if self.fp == 0.0 {
                1.0
            } else {
                0.0
            }
        } else {
            self.tp / (self.tp + self.fn_)
        }
    }
}

fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let tokens: Vec<&str> = WORD.find_iter(text).map(|m| m.as_str()).collect();
    let mut counts = HashMap::new();
    if tokens.is_empty() {
        return counts;
    }
    // Texts shorter than one shingle still count as one (shorter) shingle.
    let width = SHINGLE.min(tokens.len());
    for window in tokens.windows(width) {
        *counts.entry(window.to_vec()).or_insert(0) += 1;
    }
    counts
}

/// Scores one extracted text against the expected text.
pub fn score_page(expected: &str, extracted: &str) -> PageScore {
    let truth = shingles(expected);
    let predicted = shingles(extracted);
    let mut tp = 0usize;
    let mut fp = 0usize;
    for (shingle, &count) in &predicted {
        let hit = truth.get(shingle).copied().unwrap_or(0).min(count);
        tp += hit;
        fp += count - hit;
    }
    let truth_total: usize = truth.values().sum();
    let fn_ = truth_total - tp;
    let total = (tp + fp + fn_) as f64;
    if total == 0.0 {
        return PageScore {
            tp: 0.0,
            fp: 0.0,
            fn_: 0.0,
        };
    }
    PageScore {
        tp: tp as f64 / total,
        fp: fp as f64 / total,
        fn_: fn_ as f64 / total,
    }
}

/// Corpus-level figures: averaged precision and recall, their harmonic mean,
/// and the share of pages whose token lists match exactly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CorpusScore {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub accuracy: f64,
    pub pages: usize,
}

/// Scores `(expected, extracted)` pairs as the benchmark does.
pub fn score_corpus<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> CorpusScore {
    let mut precision = 0.0;
    let mut recall = 0.0;
    let mut exact = 0usize;
    let mut pages = 0usize;
    for (expected, extracted) in pairs {
        let page = score_page(expected, extracted);
        precision += page.precision();
        recall += page.recall();
        let same = WORD
            .find_iter(expected)
            .map(|m| m.as_str())
            .eq(WORD.find_iter(extracted).map(|m| m.as_str()));
        exact += usize::from(same);
        pages += 1;
    }
    if pages == 0 {
        return CorpusScore {
            precision: 0.0,
            recall: 0.0,
            f1: 0.0,
            accuracy: 0.0,
            pages,
        };
    }
    let precision = precision / pages as f64;
    let recall = recall / pages as f64;
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    CorpusScore {
        precision,
        recall,
        f1,
        accuracy: exact as f64 / pages as f64,
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_score_one() {
        let text = "The quick brown fox jumps over the lazy dog";
        let page = score_page(text, text);
        assert_eq!(page.precision(), 1.0);
        assert_eq!(page.recall(), 1.0);
    }

    #[test]
    fn extra_text_costs_precision_only() {
        let expected = "one two three four five";
        let extracted = "one two three four five six seven";
        let page = score_page(expected, extracted);
        // truth shingles: 2; predicted: 4, of which 2 match.
        assert!((page.tp - 0.5).abs() < 1e-9, "{page:?}");
        assert!((page.fp - 0.5).abs() < 1e-9, "{page:?}");
        assert_eq!(page.fn_, 0.0);
        assert_eq!(page.recall(), 1.0);
        assert!((page.precision() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn empty_extraction_scores_zero() {
        let page = score_page("one two three four five", "");
        assert_eq!(page.precision(), 0.0);
        assert_eq!(page.recall(), 0.0);
    }

    #[test]
    fn corpus_averages_pages_equally() {
        let corpus = score_corpus([("a b c d", "a b c d"), ("a b c d", "")]);
        assert!((corpus.precision - 0.5).abs() < 1e-9);
        assert!((corpus.recall - 0.5).abs() < 1e-9);
        assert!((corpus.f1 - 0.5).abs() < 1e-9);
        assert!((corpus.accuracy - 0.5).abs() < 1e-9);
    }
}

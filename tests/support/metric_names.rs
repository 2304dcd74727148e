//! Which `attache_*` metrics the operability files (the Grafana dashboard and
//! the Prometheus alert rules) query, and checks of those references against
//! the families attache exports.
//!
//! Shared by tests: include it with
//! `#[path = "support/metric_names.rs"] mod metric_names;`.
//! The families can come from the registry (`Metrics::new()`) or from a real
//! scrape, as in an end-to-end test:
//!
//! ```ignore
//! let expressions = metric_names::load_referenced_expressions(Path::new(env!("CARGO_MANIFEST_DIR")))?;
//! let scraped = metric_names::families_in_exposition(&body_of_get_metrics);
//! let problems = metric_names::reference_problems(&expressions, &scraped);
//! ```
//!
//! A labelled family appears in a scrape only once one of its label sets
//! was used (e.g. `attache_dlq_records_total` after the first dead letter),
//! so against a scrape either drive the worker through those paths or
//! filter the problems for the families you expect.
#![allow(dead_code)] // each including test uses a different subset

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use regex::Regex;

/// Dashboard, relative to the crate root.
pub const DASHBOARD: &str = "deploy/grafana/attache.json";
/// Alert rules, relative to the crate root.
pub const ALERTS: &str = "deploy/prometheus/alerts.yaml";

/// Labels Prometheus adds to every scraped series (target labels), plus `le`
/// on histogram buckets; expressions may use them on any attache metric.
pub const TARGET_LABELS: &[&str] = &[
    "job",
    "instance",
    "namespace",
    "pod",
    "container",
    "service",
    "endpoint",
];

/// One PromQL expression and where it was found (for error messages).
#[derive(Debug, Clone)]
pub struct Expression {
    pub source: String,
    pub expr: String,
}

/// A metric family as exported: its type (`counter`, `gauge`, `histogram`,
/// ...) and label names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    pub kind: String,
    pub labels: BTreeSet<String>,
}

fn metric_name_regex() -> Regex {
    // Preceded by start or a non-name character, so `my_attache_x` and
    // `foo:attache_x` are not attache metrics.
    Regex::new(r"(?:^|[^A-Za-z0-9_:])(attache_[A-Za-z0-9_:]*)").expect("valid regex")
}

/// Every `attache_*` name in a PromQL expression (string literals, such as
/// label values, are skipped).
pub fn metric_names_in(expr: &str) -> BTreeSet<String> {
    let literal = Regex::new(r#""(?:[^"\\]|\\.)*""#).expect("regex");
    let code = literal.replace_all(expr, "\"\"");
    metric_name_regex()
        .captures_iter(&code)
        .map(|c| c[1].to_string())
        .collect()
}

/// `(metric, label)` for every label matcher in a selector such as
/// `attache_x{a="1", b=~"2"}`.
pub fn selector_labels_in(expr: &str) -> Vec<(String, String)> {
    let selector =
        Regex::new(r"(?:^|[^A-Za-z0-9_:])(attache_[A-Za-z0-9_:]*)\s*\{([^}]*)\}").expect("regex");
    let matcher = Regex::new(r#"([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)\s*""#).expect("regex");
    let mut out = Vec::new();
    for captures in selector.captures_iter(expr) {
        for m in matcher.captures_iter(&captures[2]) {
            out.push((captures[1].to_string(), m[1].to_string()));
        }
    }
    out
}

/// Label names in `by`/`without` grouping and `on`/`ignoring`/`group_*` matching clauses.
pub fn grouping_labels_in(expr: &str) -> BTreeSet<String> {
    let grouping = Regex::new(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")
        .expect("regex");
    grouping
        .captures_iter(expr)
        .flat_map(|c| {
            c[1].split(',')
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every PromQL expression in a Grafana dashboard: panel (and nested row
/// panel) target `expr`s and templating variable queries.
pub fn dashboard_expressions(dashboard: &serde_json::Value) -> Vec<Expression> {
    fn panels(list: &serde_json::Value, out: &mut Vec<Expression>) {
        for panel in list.as_array().into_iter().flatten() {
            let title = panel["title"].as_str().unwrap_or("(untitled)");
            for target in panel["targets"].as_array().into_iter().flatten() {
                if let Some(expr) = target["expr"].as_str() {
                    out.push(Expression {
                        source: format!("dashboard panel `{title}`"),
                        expr: expr.to_string(),
                    });
                }
            }
            panels(&panel["panels"], out);
        }
    }
    let mut out = Vec::new();
    panels(&dashboard["panels"], &mut out);
    for variable in dashboard["templating"]["list"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if variable["type"] != "query" {
            continue;
        }
        let name = variable["name"].as_str().unwrap_or("?");
        let query = match &variable["query"] {
            serde_json::Value::String(q) => Some(q.as_str()),
            other => other["query"].as_str(),
        };
        if let Some(query) = query {
            out.push(Expression {
                source: format!("dashboard variable `{name}`"),
                expr: query.to_string(),
            });
        }
    }
    out
}

/// Every rule `expr` in PrometheusRule YAML (one or more documents; both the
/// CRD form `spec.groups` and the plain rule-file form `groups` are read).
pub fn alert_expressions(yaml: &str) -> Result<Vec<Expression>, String> {
    use serde::Deserialize;
    let mut out = Vec::new();
    for (index, document) in serde_norway::Deserializer::from_str(yaml).enumerate() {
        let value = serde_norway::Value::deserialize(document)
            .map_err(|e| format!("alert rules document {index}: {e}"))?;
        let groups = value
            .get("spec")
            .and_then(|s| s.get("groups"))
            .or_else(|| value.get("groups"));
        for group in groups.and_then(|g| g.as_sequence()).into_iter().flatten() {
            for rule in group
                .get("rules")
                .and_then(|r| r.as_sequence())
                .into_iter()
                .flatten()
            {
                let name = rule
                    .get("alert")
                    .or_else(|| rule.get("record"))
                    .and_then(|n| n.as_str())
                    .unwrap_or("(unnamed)");
                let expr = rule.get("expr").and_then(|e| e.as_str()).ok_or_else(|| {
                    format!("rule `{name}` in document {index} has no string `expr`")
                })?;
                out.push(Expression {
                    source: format!("alert rule `{name}`"),
                    expr: expr.to_string(),
                });
            }
        }
    }
    Ok(out)
}

/// The expressions of the dashboard and the alert rules under `crate_root`.
pub fn load_referenced_expressions(crate_root: &Path) -> Result<Vec<Expression>, String> {
    let read = |relative: &str| {
        std::fs::read_to_string(crate_root.join(relative))
            .map_err(|e| format!("cannot read {relative}: {e}"))
    };
    let dashboard: serde_json::Value = serde_json::from_str(&read(DASHBOARD)?)
        .map_err(|e| format!("{DASHBOARD} is not valid JSON: {e}"))?;
    let mut expressions = dashboard_expressions(&dashboard);
    expressions.extend(alert_expressions(&read(ALERTS)?).map_err(|e| format!("{ALERTS}: {e}"))?);
    Ok(expressions)
}

/// Metric name -> the places that reference it.
pub fn referenced_metric_names(expressions: &[Expression]) -> BTreeMap<String, BTreeSet<String>> {
    let mut names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in expressions {
        for name in metric_names_in(&e.expr) {
            names.entry(name).or_default().insert(e.source.clone());
        }
    }
    names
}

/// The family a series name belongs to: the name itself, or for
/// `_bucket`/`_sum`/`_count` the histogram (or summary) it comes from.
pub fn family_of<'a>(series: &'a str, families: &BTreeMap<String, Family>) -> Option<&'a str> {
    if families.contains_key(series) {
        return Some(series);
    }
    for suffix in ["_bucket", "_sum", "_count"] {
        if let Some(base) = series.strip_suffix(suffix) {
            let is_distribution = families.get(base).is_some_and(|f| {
                f.kind == "histogram" || (f.kind == "summary" && suffix != "_bucket")
            });
            if is_distribution {
                return Some(base);
            }
        }
    }
    None
}

/// Everything wrong with the references in `expressions` against the
/// exported `families`: unknown metric names, and label names that no
/// referenced metric (nor Prometheus itself) has. Empty means all is well.
pub fn reference_problems(
    expressions: &[Expression],
    families: &BTreeMap<String, Family>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for e in expressions {
        let names = metric_names_in(&e.expr);
        if names.is_empty() {
            continue;
        }
        let mut labels_in_scope: BTreeSet<String> =
            TARGET_LABELS.iter().map(|l| l.to_string()).collect();
        labels_in_scope.insert("le".into());
        for name in &names {
            match family_of(name, families) {
                Some(family) => labels_in_scope.extend(families[family].labels.iter().cloned()),
                None => problems.push(format!(
                    "{}: `{name}` is not a metric attache exports",
                    e.source
                )),
            }
        }
        for (metric, label) in selector_labels_in(&e.expr) {
            let Some(family) = family_of(&metric, families) else {
                continue; // already reported
            };
            let known = families[family].labels.contains(&label)
                || TARGET_LABELS.contains(&label.as_str())
                || (label == "le" && metric.ends_with("_bucket"));
            if !known {
                problems.push(format!("{}: `{metric}` has no label `{label}`", e.source));
            }
        }
        for label in grouping_labels_in(&e.expr) {
            if !labels_in_scope.contains(&label) {
                problems.push(format!(
                    "{}: groups by `{label}`, which none of {names:?} has",
                    e.source
                ));
            }
        }
    }
    problems
}

/// Families in a Prometheus text exposition (`/metrics` body): name -> type
/// and label names (from `# TYPE` lines and the samples).
pub fn families_in_exposition(text: &str) -> BTreeMap<String, Family> {
    let mut families: BTreeMap<String, Family> = BTreeMap::new();
    let label = Regex::new(r#"([A-Za-z_][A-Za-z0-9_]*)=""#).expect("regex");
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let mut parts = rest.split_whitespace();
            if let (Some(name), Some(kind)) = (parts.next(), parts.next()) {
                families.entry(name.to_string()).or_insert(Family {
                    kind: kind.to_string(),
                    labels: BTreeSet::new(),
                });
            }
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let name_end = line.find(['{', ' ']).unwrap_or(line.len());
        let series = &line[..name_end];
        let Some(family) = family_of(series, &families).map(str::to_string) else {
            continue;
        };
        if let Some(open) = line[name_end..].strip_prefix('{') {
            let body = open.split('}').next().unwrap_or("");
            let entry = families.get_mut(&family).expect("present");
            for c in label.captures_iter(body) {
                if &c[1] != "le" && &c[1] != "quantile" {
                    entry.labels.insert(c[1].to_string());
                }
            }
        }
    }
    families
}

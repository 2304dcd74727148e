//! Page-level metadata: `<meta>` tags, JSON-LD, `<link rel=canonical>`, `lang`.
use serde_json::Value;

use super::dates::{parse_machine, PageDate};
use super::dom::{collapse_whitespace, decode_entities, Document, NodeKind, ROOT};

#[derive(Debug, Default, Clone)]
pub struct PageMeta {
    pub title_tag: Option<String>,
    pub og_title: Option<String>,
    pub headline: Option<String>,
    pub site_name: Option<String>,
    pub section: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<PageDate>,
    pub modified: Option<PageDate>,
    pub canonical: Option<String>,
    pub og_url: Option<String>,
    pub lang: Option<String>,
}

/// JSON-LD types that describe the page's story.
fn is_article_type(value: &Value) -> bool {
    let matches = |t: &str| {
        matches!(
            t,
            "NewsArticle"
                | "ReportageNewsArticle"
                | "AnalysisNewsArticle"
                | "OpinionNewsArticle"
                | "BackgroundNewsArticle"
                | "LiveBlogPosting"
                | "Article"
                | "BlogPosting"
                | "Report"
                | "ScholarlyArticle"
                | "TechArticle"
                | "SocialMediaPosting"
        )
    };
    match value.get("@type") {
        Some(Value::String(t)) => matches(
            t.trim_start_matches("https://schema.org/")
                .trim_start_matches("http://schema.org/"),
        ),
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).any(matches),
        _ => false,
    }
}

/// Every object in a JSON-LD value: top-level, in arrays and in `@graph`.
fn collect_objects<'v>(value: &'v Value, out: &mut Vec<&'v Value>) {
    match value {
        Value::Array(items) => items.iter().for_each(|item| collect_objects(item, out)),
        Value::Object(map) => {
            out.push(value);
            if let Some(graph) = map.get("@graph") {
                collect_objects(graph, out);
            }
            if let Some(main) = map.get("mainEntity") {
                collect_objects(main, out);
            }
        }
        _ => {}
    }
}

fn string_of(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => return items.iter().find_map(string_of),
        Value::Object(map) => return map.get("name").and_then(string_of),
        _ => return None,
    };
    let text = collapse_whitespace(&decode_entities(&text));
    (!text.is_empty()).then_some(text)
}

fn names_of(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => items.iter().for_each(|item| names_of(item, out)),
        other => {
            if let Some(name) = string_of(other) {
                push_author(out, &name);
            }
        }
    }
}

fn push_author(out: &mut Vec<String>, name: &str) {
    let name = name
        .trim()
        .trim_start_matches("By ")
        .trim_start_matches("by ")
        .trim();
    // Profile URLs are not names.
    if name.is_empty() || name.starts_with("http") || name.len() > 80 {
        return;
    }
    if !out.iter().any(|known| known.eq_ignore_ascii_case(name)) {
        out.push(name.to_string());
    }
}

pub fn read(doc: &Document<'_>) -> PageMeta {
    let mut meta = PageMeta::default();
    let mut meta_published: Option<PageDate> = None;
    let mut meta_modified: Option<PageDate> = None;
    let mut meta_authors = Vec::new();
    let mut ld_found = false;
    for id in doc.descendants(ROOT) {
        match doc.name(id) {
            Some("html") if meta.lang.is_none() => {
                meta.lang = doc
                    .attr(id, "lang")
                    .or_else(|| doc.attr(id, "xml:lang"))
                    .map(|l| l.into_owned());
            }
            Some("title") if meta.title_tag.is_none() => {
                let text = doc.nodes[id]
                    .children
                    .iter()
                    .filter_map(|&c| match doc.nodes[c].kind {
                        NodeKind::Text(raw) => Some(decode_entities(raw).into_owned()),
                        _ => None,
                    })
                    .collect::<String>();
                let text = collapse_whitespace(&text);
                if !text.is_empty() {
                    meta.title_tag = Some(text);
                }
            }
            Some("link") => {
                let rel = doc.attr(id, "rel").unwrap_or_default().to_ascii_lowercase();
                if rel.split_whitespace().any(|r| r == "canonical") && meta.canonical.is_none() {
                    meta.canonical = doc
                        .attr(id, "href")
                        .map(|h| h.trim().to_string())
                        .filter(|h| !h.is_empty());
                }
            }
            Some("meta") => {
                let key = doc
                    .attr(id, "property")
                    .or_else(|| doc.attr(id, "name"))
                    .or_else(|| doc.attr(id, "itemprop"))
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let Some(content) = doc.attr(id, "content").map(|c| collapse_whitespace(&c)) else {
                    continue;
                };
                if content.is_empty() {
                    continue;
                }
                match key.as_str() {
                    "og:title" | "twitter:title" if meta.og_title.is_none() => {
                        meta.og_title = Some(content)
                    }
                    "og:site_name" if meta.site_name.is_none() => meta.site_name = Some(content),
                    "og:url" if meta.og_url.is_none() => meta.og_url = Some(content),
                    "article:section" | "section" | "parsely-section" if meta.section.is_none() => {
                        meta.section = Some(content)
                    }
                    "article:published_time"
                    | "og:published_time"
                    | "datepublished"
                    | "pubdate"
                    | "publishdate"
                    | "publish-date"
                    | "date"
                    | "dc.date"
                    | "dc.date.issued"
                    | "dcterms.created"
                    | "parsely-pub-date"
                    | "sailthru.date"
                    | "article.published"
                    | "cxenseparse:recs:publishtime" => {
                        meta_published = meta_published.or_else(|| parse_machine(&content));
                    }
                    "article:modified_time"
                    | "og:updated_time"
                    | "datemodified"
                    | "dcterms.modified"
                    | "last-modified"
                    | "article.updated" => {
                        meta_modified = meta_modified.or_else(|| parse_machine(&content));
                    }
                    "author" | "article:author" | "parsely-author" | "sailthru.author"
                    | "dc.creator" => push_author(&mut meta_authors, &content),
                    _ => {}
                }
            }
            Some("script") => {
                let is_ld = doc
                    .attr(id, "type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                if !is_ld {
                    continue;
                }
                let raw = doc.nodes[id]
                    .children
                    .first()
                    .and_then(|&c| match doc.nodes[c].kind {
                        NodeKind::Text(raw) => Some(raw),
                        _ => None,
                    })
                    .unwrap_or("");
                let Ok(value) = serde_json::from_str::<Value>(raw.trim().trim_end_matches(';'))
                else {
                    continue;
                };
                let mut objects = Vec::new();
                collect_objects(&value, &mut objects);
                for object in objects.into_iter().filter(|o| is_article_type(o)) {
                    if ld_found {
                        break;
                    }
                    ld_found = true;
                    meta.headline = object.get("headline").and_then(string_of);
                    if let Some(published) = object.get("datePublished").and_then(string_of) {
                        meta.published = parse_machine(&published);
                    }
                    if let Some(modified) = object.get("dateModified").and_then(string_of) {
                        meta.modified = parse_machine(&modified);
                    }
                    if let Some(author) = object.get("author") {
                        names_of(author, &mut meta.authors);
                    }
                    if meta.section.is_none() {
                        meta.section = object.get("articleSection").and_then(string_of);
                    }
                    if meta.site_name.is_none() {
                        meta.site_name = object.get("publisher").and_then(string_of);
                    }
                }
            }
            _ => {}
        }
    }
    meta.published = meta.published.or(meta_published);
    meta.modified = meta.modified.or(meta_modified);
    if meta.authors.is_empty() {
        meta.authors = meta_authors;
    }
    meta
}

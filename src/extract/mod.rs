//! Normalize stage: decoded HTML -> one article record per story on the page.
//!
//! Core function: [`extract_articles`]. It is pure: no network, no Kafka.
use chrono::NaiveDate;
use scraper::{Html, Selector};
use serde::{Deserialize, Serialize};

use crate::config::ExtractConfig;

pub const ARTICLE_SCHEMA: &str = "attache.article/v1";

/// A normalized article (`attache.article/v1`, see `schemas/article.v1.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub schema: String,
    /// The input exactly as given (message URL, CLI argument or file path).
    pub source_url: String,
    pub canonical_url: String,
    pub title: Option<String>,
    /// Body text, paragraphs separated by blank lines.
    pub text: String,
    /// RFC 3339 with offset when the page gives a time zone, else
    /// `YYYY-MM-DDTHH:MM:SS` or `YYYY-MM-DD`.
    pub published: Option<String>,
    pub modified: Option<String>,
    pub authors: Vec<String>,
    /// ISO 639-1.
    pub language: Option<String>,
    pub site_name: Option<String>,
    pub section: Option<String>,
    pub word_count: usize,
    /// 0 for the page's main story, 1.. for further stories on the same page.
    pub story_index: usize,
}

impl Article {
    /// The calendar date of publication, as printed (the page's local date).
    pub fn published_date(&self) -> Option<NaiveDate> {
        let text = self.published.as_deref()?;
        NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
    }
}

/// What the caller knows about the page besides its HTML.
#[derive(Debug, Clone, Default)]
pub struct PageInfo<'a> {
    /// The input exactly as given; copied to `Article::source_url`.
    pub source_url: &'a str,
    /// The URL the HTML was finally served from (after redirects, normalized);
    /// the canonical-URL fallback. Equal to `source_url` for local files.
    pub fetched_url: &'a str,
    /// A publication-time hint from the input message (RFC 3339).
    pub published_hint: Option<&'a str>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("no article found on the page")]
    NoArticle,
}

impl crate::Classified for ExtractError {
    fn stage(&self) -> &'static str {
        "extract"
    }
    fn kind(&self) -> &'static str {
        match self {
            ExtractError::NoArticle => "no_article",
        }
    }
}

/// Splits a page into its stories and normalizes each one.
///
/// Fails with [`ExtractError::NoArticle`] when the page holds no story
/// (index pages, error pages); it never invents a body.
pub fn extract_articles(
    html: &str,
    page: &PageInfo<'_>,
    config: &ExtractConfig,
) -> Result<Vec<Article>, ExtractError> {
    // Baseline until the real extractor lands: one story per <article>,
    // body = its <p> elements.
    let doc = Html::parse_document(html);
    let article_sel = Selector::parse("article").unwrap();
    let p_sel = Selector::parse("p").unwrap();
    let title_sel = Selector::parse("h1, h2").unwrap();
    let meta_sel = Selector::parse(r#"meta[property="article:published_time"]"#).unwrap();
    let published = doc
        .select(&meta_sel)
        .next()
        .and_then(|m| m.value().attr("content"))
        .map(str::to_string)
        .or_else(|| page.published_hint.map(str::to_string));
    let mut roots: Vec<_> = doc.select(&article_sel).collect();
    if roots.is_empty() {
        roots.push(doc.root_element());
    }
    let mut articles = Vec::new();
    for root in roots {
        let paragraphs: Vec<String> = root
            .select(&p_sel)
            .map(|p| p.text().collect::<String>().trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        let text = paragraphs.join("\n\n");
        let word_count = text.split_whitespace().count();
        if word_count < config.min_story_words {
            continue;
        }
        let title = root
            .select(&title_sel)
            .next()
            .map(|h| h.text().collect::<String>().trim().to_string());
        articles.push(Article {
            schema: ARTICLE_SCHEMA.into(),
            source_url: page.source_url.into(),
            canonical_url: page.fetched_url.into(),
            title,
            text,
            published: published.clone(),
            modified: None,
            authors: Vec::new(),
            language: None,
            site_name: None,
            section: None,
            word_count,
            story_index: articles.len(),
        });
    }
    if articles.is_empty() {
        return Err(ExtractError::NoArticle);
    }
    Ok(articles)
}

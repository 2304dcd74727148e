//! Normalize stage: decoded HTML -> one article record per story on the page.
//!
//! Core function: [`extract_articles`]. It is pure: no network, no Kafka.
//!
//! Steps: [`dom`] builds a light tree; `metadata` reads meta tags, JSON-LD,
//! canonical link and `lang`; `content` marks boilerplate, cuts the page into
//! text blocks and picks the element holding the story; the page is then
//! split into stories (several full `<article>`s with headings), and each gets
//! its title, body and date (`dates`). [`eval`] is the benchmark metric.
mod content;
mod dates;
pub mod dom;
pub mod eval;
mod fallback;
mod lead;
mod metadata;
mod tail;
mod teasers;
mod threads;
mod title;
mod tunables;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use content::Block;
use dates::PageDate;
use dom::{Document, NodeId, ROOT};

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
    /// The path that found the body: `structured`, `density` or `fallback`.
    #[serde(default)]
    pub extractor: Extractor,
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
    fn stage(&self) -> crate::Stage {
        crate::Stage::Extract
    }
    fn kind(&self) -> &'static str {
        match self {
            ExtractError::NoArticle => "no_article",
        }
    }
}

/// Which path of the extractor produced an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Extractor {
    /// Boilerplate marks (structure and class names), the best-scoring
    /// container, and the page's story elements.
    #[default]
    Structured,
    /// Text and link density over the whole page, class names ignored.
    Density,
    /// jusText-style paragraph classifier over the whole page.
    Fallback,
}

/// Splits a page into its stories and normalizes each one.
///
/// Tries the structured path first; when it finds no story, the density path,
/// then the paragraph classifier ([`fallback`]), first over what a browser
/// shows, then with hidden elements revealed, then with misused wrappers and
/// comment-named containers read too; then the documents a page embeds for
/// browsers without frames (`<noframes>`, `<iframe srcdoc>`, `<iframe>`
/// fallback content); then a short dated item. Fails with
/// [`ExtractError::NoArticle`] only when none finds prose (index pages, error
/// pages, login walls); it never invents a body.
pub fn extract_articles(
    html: &str,
    page: &PageInfo<'_>,
    config: &ExtractConfig,
) -> Result<Vec<Article>, ExtractError> {
    extract_page(html, page, config, Nesting::Page)
}

/// Whether a document is the page itself or one it embeds (read once, never
/// recursively, so a page cannot nest its way into unbounded work).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nesting {
    Page,
    Embedded,
}

fn extract_page(
    html: &str,
    page: &PageInfo<'_>,
    config: &ExtractConfig,
    nesting: Nesting,
) -> Result<Vec<Article>, ExtractError> {
    let doc = Document::parse(html);
    let meta = metadata::read(&doc);
    let mut skip = content::structural_marks(&doc);
    let all_blocks = content::blocks(&doc, &skip);
    let structural_weights = content::weights(&doc, &all_blocks, &skip);
    content::add_class_marks(&doc, &mut skip, &structural_weights);
    threads::add_thread_marks(&doc, &mut skip, &all_blocks, &structural_weights);
    let page_title = page_title(&meta, page, &all_blocks);

    let found = match structured_drafts(&doc, &skip, &all_blocks, config, page_title.as_deref()) {
        Some(drafts) => Some((drafts, Extractor::Structured)),
        None => [
            fallback::Visibility::Shown,
            fallback::Visibility::Revealed,
            fallback::Visibility::Lenient,
        ]
        .into_iter()
        .find_map(|visibility| fallback_draft(&doc, page_title.as_deref(), visibility)),
    };
    let Some((drafts, extractor)) = found else {
        if nesting == Nesting::Page {
            if let Some(embedded) = embedded_document(&doc) {
                if let Ok(articles) = extract_page(&embedded, page, config, Nesting::Embedded) {
                    return Ok(articles);
                }
            }
        }
        let draft = short_item_draft(&doc, &meta, page, &all_blocks, page_title.as_deref())
            .ok_or(ExtractError::NoArticle)?;
        let articles = finish(
            &doc,
            &meta,
            page,
            &skip,
            &all_blocks,
            vec![draft],
            Extractor::Fallback,
        );
        return (!articles.is_empty())
            .then_some(articles)
            .ok_or(ExtractError::NoArticle);
    };
    let articles = finish(&doc, &meta, page, &skip, &all_blocks, drafts, extractor);
    if articles.is_empty() {
        return Err(ExtractError::NoArticle);
    }
    Ok(articles)
}

/// The markup a page shows where frames or inline frames are not shown:
/// `<noframes>` and `<noembed>` content, `<iframe>` fallback content and
/// `srcdoc` documents, joined into one document. The parser keeps all of it
/// as raw text, so the page's own passes never read it.
fn embedded_document(doc: &Document<'_>) -> Option<String> {
    let mut parts = String::new();
    for id in 1..doc.len() {
        let Some(name) = doc.name(id) else {
            continue;
        };
        if !matches!(name, "noframes" | "noembed" | "iframe") {
            continue;
        }
        if name == "iframe" {
            if let Some(srcdoc) = doc.attr(id, "srcdoc") {
                parts.push_str(&srcdoc);
                parts.push('\n');
            }
        }
        for &child in &doc.nodes[id].children {
            if let dom::NodeKind::Text(raw) = &doc.nodes[child].kind {
                parts.push_str(raw);
                parts.push('\n');
            }
        }
    }
    // One wrapper, so the embedded paragraphs have a parent to be scored as.
    (!parts.trim().is_empty()).then(|| format!("<html><body><div>{parts}</div></body></html>"))
}

/// The last resort for a news item shorter than the other paths' minimums
/// (a brief of one or two sentences): the densest element's text when it
/// reads as prose (a sentence of at least `SHORT_ITEM_MIN_WORDS`) and the page
/// is dated (metadata, URL or a printed date line), which sets an item apart
/// from error pages and login walls of the same length.
fn short_item_draft(
    doc: &Document<'_>,
    meta: &metadata::PageMeta,
    page: &PageInfo<'_>,
    all_blocks: &[Block],
    page_title: Option<&str>,
) -> Option<Draft> {
    let (skip, light_blocks) = fallback::marks(doc, fallback::Visibility::Lenient);
    let blocks = fallback::refine(&light_blocks, &skip);
    let container = fallback::density_container(doc, &blocks, &skip)?;
    let mut title = story_title(doc, container, 0, page_title);
    let mut text = story_text(doc, &blocks, container, title.as_deref());
    // A headline or date printed over the item (a bold label and a date line
    // over one sentence) is its title or date, not its body.
    while let Some((first, rest)) = text.split_once("\n\n") {
        let words = content::count_words(first);
        if words <= tunables::DATELINE_MAX_WORDS && dates::parse_visible(first).is_some() {
            text = rest.to_string();
        } else if words <= tunables::HEADING_MAX_WORDS && !fallback::has_sentence(first) {
            title.get_or_insert_with(|| first.to_string());
            text = rest.to_string();
        } else {
            break;
        }
    }
    if content::count_words(&text) < tunables::SHORT_ITEM_MIN_WORDS
        || !fallback::has_sentence(&text)
    {
        return None;
    }
    let dated = meta.published.is_some()
        || page.published_hint.is_some()
        || dates::parse_url(page.fetched_url).is_some()
        || dates::parse_url(page.source_url).is_some()
        || dateline_date(doc, all_blocks, container).is_some();
    dated.then_some(Draft {
        element: container,
        body: container,
        title,
        text,
    })
}

/// A story found by one of the paths, before dates and metadata are added.
struct Draft {
    /// The element holding the story's headline and date line.
    element: NodeId,
    /// The element holding its body (where datelines are looked for).
    body: NodeId,
    title: Option<String>,
    text: String,
}

/// The structured path: boilerplate marked by structure and class names,
/// the best container, split into the page's stories. `None` when it finds
/// no story of `min_story_words`.
fn structured_drafts(
    doc: &Document<'_>,
    skip: &[bool],
    all_blocks: &[Block],
    config: &ExtractConfig,
    page_title: Option<&str>,
) -> Option<Vec<Draft>> {
    let blocks: Vec<Block> = all_blocks
        .iter()
        .filter(|b| !skip[b.owner])
        .cloned()
        .collect();
    let weights = content::weights(doc, &blocks, skip);
    let container = content::best_container(doc, &weights)?;
    if weights.good_words[container] < config.min_story_words {
        return None;
    }
    let stories = split_stories(doc, skip, &weights, container, config);
    let mut drafts = Vec::new();
    for (index, story) in stories.iter().enumerate() {
        let title = story_title(doc, story.element, index, page_title);
        let mut text = story_text(doc, &blocks, story.body, title.as_deref());
        if index == 0 {
            text = with_lead(doc, skip, story.body, title.as_deref(), text);
        }
        if content::count_words(&text) >= config.min_story_words {
            drafts.push(Draft {
                element: story.element,
                body: story.body,
                title,
                text,
            });
        }
    }
    (!drafts.is_empty()).then_some(drafts)
}

/// The density path, then the paragraph classifier; one story at most.
fn fallback_draft(
    doc: &Document<'_>,
    page_title: Option<&str>,
    visibility: fallback::Visibility,
) -> Option<(Vec<Draft>, Extractor)> {
    let (skip, light_blocks) = fallback::marks(doc, visibility);
    let blocks = fallback::refine(&light_blocks, &skip);
    if let Some(container) = fallback::density_container(doc, &blocks, &skip) {
        let title = story_title(doc, container, 0, page_title);
        let text = story_text(doc, &blocks, container, title.as_deref());
        let text = with_lead(doc, &skip, container, title.as_deref(), text);
        if content::count_words(&text) >= tunables::DENSITY_MIN_WORDS {
            let draft = Draft {
                element: container,
                body: container,
                title,
                text,
            };
            return Some((vec![draft], Extractor::Density));
        }
    }
    let (good, any_good) = fallback::good_paragraphs(&blocks);
    if !any_good {
        return text_mass_draft(doc, &blocks, page_title);
    }
    let title = story_title(doc, ROOT, 0, page_title);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut first_owner = None;
    for (block, _) in blocks.iter().zip(&good).filter(|(_, &g)| g) {
        if content::is_noise(block, None, title.as_deref(), doc) {
            continue;
        }
        first_owner.get_or_insert(block.owner);
        paragraphs.extend(fallback::paragraph_lines(block, title.as_deref()));
    }
    if let Some(title) = &title {
        paragraphs.retain(|p| !p.eq_ignore_ascii_case(title));
    }
    let text = paragraphs.join("\n\n");
    if content::count_words(&text) < tunables::FALLBACK_MIN_WORDS {
        // Good paragraphs that were all noise (captions, date lines): the
        // page may still hold a table or list of text.
        return text_mass_draft(doc, &blocks, page_title);
    }
    let draft = Draft {
        element: ROOT,
        body: first_owner.unwrap_or(ROOT),
        title,
        text,
    };
    Some((vec![draft], Extractor::Fallback))
}

/// The last resort: the element with the most link-free text, its link-light
/// lines as the body.
fn text_mass_draft(
    doc: &Document<'_>,
    blocks: &[Block],
    page_title: Option<&str>,
) -> Option<(Vec<Draft>, Extractor)> {
    let container = fallback::text_mass_container(doc, blocks, tunables::MASS_MIN_WORDS)?;
    let title = story_title(doc, container, 0, page_title);
    let lines: Vec<&str> = blocks
        .iter()
        .filter(|b| {
            doc.is_within(b.owner, container) && b.link_density() <= tunables::LINE_MAX_LINK_DENSITY
        })
        .filter(|b| title.as_deref() != Some(b.text.as_str()))
        .flat_map(|b| b.text.split('\n'))
        .collect();
    let text = lines.join("\n\n");
    (content::count_words(&text) >= tunables::MASS_MIN_WORDS).then(|| {
        let draft = Draft {
            element: container,
            body: container,
            title,
            text,
        };
        (vec![draft], Extractor::Fallback)
    })
}

/// Adds dates, authors, language and URLs to the drafts.
fn finish(
    doc: &Document<'_>,
    meta: &metadata::PageMeta,
    page: &PageInfo<'_>,
    skip: &[bool],
    all_blocks: &[Block],
    drafts: Vec<Draft>,
    extractor: Extractor,
) -> Vec<Article> {
    let canonical_url = canonical_url(meta, page);
    let language_hint = meta.lang.as_deref().and_then(iso_639_1_from_tag);
    let mut articles = Vec::new();
    for (story_index, mut draft) in drafts.into_iter().enumerate() {
        draft.text = tail::without_label_lines(&tail::without_tail_furniture(&draft.text));
        let word_count = content::count_words(&draft.text);
        let published = if story_index == 0 {
            let url_date =
                dates::parse_url(page.fetched_url).or_else(|| dates::parse_url(page.source_url));
            let settle = |date| dates::settle_order_by_url(date, url_date.as_ref());
            meta.published
                .clone()
                .or_else(|| element_date(doc, skip, draft.element).map(settle))
                .or_else(|| page.published_hint.and_then(dates::parse_machine))
                .or_else(|| url_date.clone())
                .or_else(|| dateline_date(doc, all_blocks, draft.body))
        } else {
            element_date(doc, skip, draft.element)
        };
        let modified = if story_index == 0 {
            meta.modified.clone()
        } else {
            None
        };
        let language = language_hint
            .clone()
            .or_else(|| detect_language(&draft.text));
        articles.push(Article {
            schema: ARTICLE_SCHEMA.into(),
            source_url: page.source_url.into(),
            canonical_url: canonical_url.clone(),
            title: draft.title,
            text: draft.text,
            published: published.as_ref().map(PageDate::format),
            modified: modified.as_ref().map(PageDate::format),
            authors: if story_index == 0 {
                meta.authors.clone()
            } else {
                Vec::new()
            },
            language,
            site_name: meta.site_name.clone(),
            section: meta.section.clone(),
            word_count,
            story_index,
            extractor,
        });
    }
    articles
}

/// A date printed near the top of the story when no markup names one: the
/// first short line parsed as a date among the blocks just before the body
/// and its first few blocks (old pages print "Posted March 3, 2009" there).
fn dateline_date(doc: &Document<'_>, all_blocks: &[Block], body: NodeId) -> Option<PageDate> {
    let first = all_blocks
        .iter()
        .position(|b| doc.is_within(b.owner, body))?;
    let from = first.saturating_sub(tunables::DATELINE_BLOCKS_BEFORE);
    let to = (first + tunables::DATELINE_BLOCKS_INSIDE).min(all_blocks.len());
    all_blocks[from..to]
        .iter()
        .flat_map(|b| b.text.split('\n'))
        .filter(|line| content::count_words(line) <= tunables::DATELINE_MAX_WORDS)
        .find_map(dates::parse_visible)
}

/// One story on the page: where its body text comes from, and the element
/// that holds its headline and date line.
struct Story {
    body: NodeId,
    element: NodeId,
}

fn is_story_element(doc: &Document<'_>, id: NodeId) -> bool {
    let has_heading = || ["h1", "h2", "h3"].iter().any(|h| doc.find(id, h).is_some());
    (doc.name(id) == Some("article") && has_heading())
        || doc.attr(id, "itemtype").is_some_and(|t| {
            t.ends_with("/NewsArticle") || t.ends_with("/Article") || t.ends_with("/BlogPosting")
        })
}

/// Story elements below `within` that carry a full story of their own, outermost only.
fn full_stories_below(
    doc: &Document<'_>,
    skip: &[bool],
    weights: &content::Weights,
    within: NodeId,
    min_words: usize,
) -> Vec<NodeId> {
    let mut found: Vec<NodeId> = Vec::new();
    for id in doc.descendants(within) {
        if skip[id] || !is_story_element(doc, id) || weights.good_words[id] < min_words {
            continue;
        }
        if found.last().is_some_and(|&outer| doc.is_within(id, outer)) {
            continue;
        }
        found.push(id);
    }
    found
}

/// Cuts the page into stories. A page holds several when the chosen container
/// spans several full `<article>`s, or when the story's `<article>` is
/// followed by sibling `<article>`s with full stories of their own.
fn split_stories(
    doc: &Document<'_>,
    skip: &[bool],
    weights: &content::Weights,
    container: NodeId,
    config: &ExtractConfig,
) -> Vec<Story> {
    let min_words = config.min_story_words;
    let inner = full_stories_below(doc, skip, weights, container, min_words);
    if inner.len() >= 2 {
        return inner
            .into_iter()
            .map(|id| Story {
                body: id,
                element: id,
            })
            .collect();
    }
    // The nearest story element at or above the container, if any.
    let mut element = container;
    let mut story_element = None;
    loop {
        if is_story_element(doc, element) {
            story_element = Some(element);
            break;
        }
        if element == ROOT {
            break;
        }
        element = doc.nodes[element].parent;
    }
    let Some(story_element) = story_element else {
        let element = inner.first().copied().unwrap_or(container);
        return vec![Story {
            body: container,
            element,
        }];
    };
    let mut stories = vec![Story {
        body: container,
        element: story_element,
    }];
    let parent = doc.nodes[story_element].parent;
    let siblings = &doc.nodes[parent].children;
    let position = siblings
        .iter()
        .position(|&s| s == story_element)
        .unwrap_or(0);
    for &sibling in &siblings[position + 1..] {
        if !skip[sibling]
            && is_story_element(doc, sibling)
            && weights.good_words[sibling] >= min_words
        {
            stories.push(Story {
                body: sibling,
                element: sibling,
            });
        }
    }
    stories
}

/// The body with the lead printed between the headline and the body
/// container ([`lead`]) put before it.
fn with_lead(
    doc: &Document<'_>,
    skip: &[bool],
    body: NodeId,
    title: Option<&str>,
    text: String,
) -> String {
    let Some(title) = title else {
        return text;
    };
    let mut paragraphs = lead::paragraphs(doc, skip, body, title, &text);
    if paragraphs.is_empty() {
        return text;
    }
    if !text.is_empty() {
        paragraphs.push(text);
    }
    paragraphs.join("\n\n")
}

fn story_text(doc: &Document<'_>, blocks: &[Block], body: NodeId, title: Option<&str>) -> String {
    let inside: Vec<&Block> = blocks
        .iter()
        .filter(|b| doc.is_within(b.owner, body))
        .collect();
    let total_words: usize = inside.iter().map(|b| b.words).sum();
    let mut words_so_far = 0;
    // Each block read, and whether it is kept.
    let mut read: Vec<(&Block, bool)> = Vec::new();
    let mut index = 0;
    while index < inside.len() {
        let block = inside[index];
        // A "More from ..." heading after a real stretch of story (100 words and
        // a quarter of the container) starts the teaser tail; earlier ones are
        // more likely inline boxes.
        if words_so_far >= (total_words / 4).max(100) && content::is_tail_heading(block) {
            match resume_after_inline_box(doc, &inside, index, body) {
                Some(next) => {
                    index = next;
                    continue;
                }
                None => break,
            }
        }
        index += 1;
        words_so_far += block.words;
        let previous = index.checked_sub(2).map(|i| inside[i]);
        let noise = content::is_noise(block, previous, title, doc) || titles_a_box(doc, block);
        read.push((block, !noise));
    }
    drop_orphan_headings(doc, &mut read);
    let dropped = teaser_drops(doc, &read);
    let mut paragraphs: Vec<String> = read
        .iter()
        .zip(&dropped)
        .filter(|((_, kept), _)| *kept)
        .flat_map(|((block, _), dropped)| fallback::paragraph_lines_except(block, title, dropped))
        .collect();
    // Drop captions and other lines that repeat the headline.
    if let Some(title) = title {
        paragraphs.retain(|p| !p.eq_ignore_ascii_case(title));
    }
    paragraphs.join("\n\n")
}

/// Per block read, the lines [`teasers`] drops (teaser lists and labels over
/// dropped link lists), judged over the lines of all blocks in order.
fn teaser_drops(doc: &Document<'_>, read: &[(&Block, bool)]) -> Vec<Vec<bool>> {
    let mut lines = Vec::new();
    // The block where the last run of link-heavy lines began (a headline
    // and the linked meta line under it are one run), and whether a run is open.
    let mut last_heavy: Option<usize> = None;
    let mut in_heavy_run = false;
    for (at, (block, kept)) in read.iter().enumerate() {
        let kept_lines = if *kept {
            fallback::kept_line_mask(block)
        } else {
            Vec::new()
        };
        for (index, line) in block.text.split('\n').enumerate() {
            let words = content::count_words(line);
            // A printed address is content to copy (a list of products and
            // their links), not a teaser's headline.
            let link_heavy = fallback::is_link_heavy(line, block.line_links.get(index).copied())
                && !is_printed_address(line);
            let kept = kept_lines.get(index).copied().unwrap_or(false);
            // Only a kept line right after a run of links can open a summary,
            // so only there is the markup walked.
            let opens_group = kept && !link_heavy && in_heavy_run;
            lines.push(teasers::Line {
                words,
                link_heavy,
                kept,
                label: words <= tunables::HEADING_MAX_WORDS && !ends_sentence(line),
                beside_link: opens_group
                    && last_heavy.is_some_and(|heavy| shares_item(doc, read, heavy, at)),
            });
            if link_heavy && !in_heavy_run {
                last_heavy = Some(at);
            }
            // Dropped unlinked lines (date lines) neither open nor close a run.
            if link_heavy || kept {
                in_heavy_run = link_heavy;
            }
        }
    }
    let drops = teasers::extra_drops(&lines);
    let mut at = 0;
    read.iter()
        .map(|(block, _)| {
            let count = block.text.split('\n').count();
            at += count;
            drops[at - count..at].to_vec()
        })
        .collect()
}

/// Whether block `at` belongs with the link line in block `heavy` as one
/// teaser: the same block, siblings (a headline beside its summary), or
/// their nearest common wrapper opens with the link (an item, however deep
/// its headline and summary sit in it). A paragraph beside a box of links
/// embedded in the story (their common wrapper is the story's, holding
/// paragraphs before the box) is the story's, not the box's.
fn shares_item(doc: &Document<'_>, read: &[(&Block, bool)], heavy: usize, at: usize) -> bool {
    let owner = read[at].0.owner;
    let link_owner = read[heavy].0.owner;
    if heavy == at || doc.nodes[owner].parent == doc.nodes[link_owner].parent {
        return true;
    }
    let mut wrapper = doc.nodes[owner].parent;
    while wrapper != ROOT && !doc.is_within(link_owner, wrapper) {
        wrapper = doc.nodes[wrapper].parent;
    }
    wrapper != ROOT
        && heavy
            .checked_sub(1)
            .map_or(true, |before| !doc.is_within(read[before].0.owner, wrapper))
}

/// A line that is one web address ("http://...", "www...").
fn is_printed_address(line: &str) -> bool {
    let line = line.trim();
    !line.contains(char::is_whitespace)
        && (line.contains("://") || line.to_ascii_lowercase().starts_with("www."))
}

/// Whether a line ends with sentence punctuation (closing quotes and
/// brackets aside).
fn ends_sentence(line: &str) -> bool {
    line.trim_end_matches(['"', '\'', '”', '’', ')'])
        .ends_with(['.', '!', '?', '。', '؟'])
}

/// A heading or label line with nothing of the story under it: every block
/// up to the next heading was dropped (a "Related" or "Tags" heading over its
/// link list, a "Share" label over its buttons), or, for a heading element,
/// the body ends after it. Sections of the story keep their headings.
fn drop_orphan_headings(doc: &Document<'_>, read: &mut [(&Block, bool)]) {
    let heading: Vec<bool> = read
        .iter()
        .map(|(block, _)| is_heading_like(doc, block))
        .collect();
    for start in 0..read.len() {
        if !read[start].1 || !heading[start] {
            continue;
        }
        // The section runs to the next kept heading; one kept block in it
        // and the heading stays (so each scan stops at the first kept block).
        let mut nothing_kept = true;
        // Dropped blocks that held words (not spacer lines).
        let mut something_dropped = false;
        let mut body_ends = true;
        for (next, &(block, kept)) in read.iter().enumerate().skip(start + 1) {
            if kept {
                nothing_kept = heading[next];
                body_ends = false;
                break;
            }
            something_dropped |= block.text.chars().any(char::is_alphanumeric);
        }
        let element = is_heading_element(doc, read[start].0.owner)
            || (body_ends && is_printed_heading(doc, read[start].0));
        if nothing_kept && (something_dropped || (body_ends && element)) {
            read[start].1 = false;
        }
    }
}

/// A heading whose next element is a container firmly named after
/// boilerplate (a "related" or "comments" box): the heading is that box's
/// title. Ad slots (only probably boilerplate) often follow story section
/// headings, so they do not count.
fn titles_a_box(doc: &Document<'_>, block: &Block) -> bool {
    let owner = block.owner;
    if !is_heading_element(doc, owner) {
        return false;
    }
    let siblings = &doc.nodes[doc.nodes[owner].parent].children;
    let Some(position) = siblings.iter().position(|&s| s == owner) else {
        return false;
    };
    siblings[position + 1..]
        .iter()
        .find(|&&s| doc.name(s).is_some())
        .is_some_and(|&next| {
            matches!(
                doc.name(next),
                Some("div" | "section" | "ul" | "ol" | "aside" | "nav")
            ) && content::is_named_boilerplate(doc, next)
        })
}

/// How many nodes of a block's element are searched for its heading markup
/// (a heading line's element is small; larger ones are not headings).
const PRINTED_HEADING_SCAN_NODES: usize = 64;

/// Elements old layouts print headings with.
const HEADING_PRINT_TAGS: &[&str] = &["b", "strong", "font", "big"];

/// A block printed as a heading without a heading element: its whole text
/// inside one `<b>`, `<strong>`, `<font>` or `<big>` (old layouts' "Leave a
/// Reply" or "Related" over the story's tail), unlike a plain sign-off line.
fn is_printed_heading(doc: &Document<'_>, block: &Block) -> bool {
    if block.text.contains('\n') {
        return false;
    }
    doc.descendants(block.owner)
        .take(PRINTED_HEADING_SCAN_NODES)
        .filter(|&id| {
            doc.name(id)
                .is_some_and(|name| HEADING_PRINT_TAGS.contains(&name))
        })
        .any(|id| dom::collapse_whitespace(&doc.text(id)) == block.text)
}

fn is_heading_element(doc: &Document<'_>, id: NodeId) -> bool {
    matches!(doc.name(id), Some("h2" | "h3" | "h4" | "h5" | "h6"))
}

/// A heading element, or a short line without sentence punctuation at its
/// end (a bold label such as "Tags:") outside table cells and list items,
/// where short lines are data, not labels.
fn is_heading_like(doc: &Document<'_>, block: &Block) -> bool {
    is_heading_element(doc, block.owner)
        || (block.words <= tunables::HEADING_MAX_WORDS
            && !matches!(
                doc.name(block.owner),
                Some("td" | "th" | "li" | "dt" | "dd" | "tr" | "table")
            )
            && !block.text.contains('\n')
            && !ends_sentence(&block.text))
}

/// Where the story goes on after a tail heading that only opens an inline box
/// (e.g. "More from ..." links embedded between paragraphs): the box is the
/// largest element around the heading that holds none of the story before it
/// (and more than the heading), and the story resumes when the next block after the box sits beside the
/// paragraph that preceded the heading. `None` when the heading starts the tail.
fn resume_after_inline_box(
    doc: &Document<'_>,
    inside: &[&Block],
    heading: usize,
    body: NodeId,
) -> Option<usize> {
    let before = inside[..heading].last()?.owner;
    let mut inline_box = inside[heading].owner;
    while inline_box != body {
        let parent = doc.nodes[inline_box].parent;
        if parent == body || doc.is_within(before, parent) {
            break;
        }
        inline_box = parent;
    }
    // A bare heading among the story's paragraphs opens a flat tail, not a box.
    if inline_box == inside[heading].owner || doc.is_within(before, inline_box) {
        return None;
    }
    let next = heading
        + inside[heading..]
            .iter()
            .position(|b| !doc.is_within(b.owner, inline_box))?;
    let owner = inside[next].owner;
    (owner != before && doc.nodes[owner].parent == doc.nodes[before].parent).then_some(next)
}

/// Title of the page as a whole: JSON-LD headline, OpenGraph, then `<title>`
/// without the site name around it.
fn page_title(meta: &metadata::PageMeta, page: &PageInfo<'_>, blocks: &[Block]) -> Option<String> {
    meta.headline
        .clone()
        .or_else(|| meta.og_title.clone())
        .or_else(|| {
            let tag = meta.title_tag.as_deref()?;
            let printed = title::printed_part(tag, blocks.iter().flat_map(|b| b.text.split('\n')));
            if printed.is_some() {
                return printed;
            }
            let host = url::Url::parse(page.fetched_url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string));
            Some(title::clean_title_tag(
                tag,
                meta.site_name.as_deref(),
                host.as_deref(),
            ))
        })
}

fn story_title(
    doc: &Document<'_>,
    element: NodeId,
    index: usize,
    page_title: Option<&str>,
) -> Option<String> {
    let heading_levels: &[&str] = if index == 0 {
        &["h1"]
    } else {
        &["h1", "h2", "h3"]
    };
    for level in heading_levels {
        if let Some(heading) = doc.find(element, level) {
            let text = doc.text(heading);
            if !text.is_empty() {
                return Some(text);
            }
        }
    }
    if index > 0 {
        return None;
    }
    // The main story: a page-wide h1 that agrees with the metadata, else the metadata.
    if let Some(h1) = doc
        .find(ROOT, "h1")
        .map(|h| doc.text(h))
        .filter(|t| !t.is_empty())
    {
        if page_title.map_or(true, |meta| meta.contains(h1.as_str()) || h1.contains(meta)) {
            return Some(h1);
        }
    }
    page_title.map(str::to_string)
}

/// The story's own date: `<time datetime>` first, then visible date lines,
/// never from boilerplate (sidebars, comments, related boxes).
fn element_date(doc: &Document<'_>, skip: &[bool], element: NodeId) -> Option<PageDate> {
    let not_boilerplate = |id: NodeId| !skip[id] || is_date_line(doc, id);
    for id in doc.descendants(element) {
        if doc.name(id) == Some("time") && not_boilerplate(id) && !in_comments(doc, id, element) {
            if let Some(date) = doc
                .attr(id, "datetime")
                .and_then(|v| dates::parse_machine(&v))
            {
                return Some(date);
            }
        }
        if doc
            .attr(id, "itemprop")
            .is_some_and(|p| p == "datePublished")
        {
            if let Some(date) = doc
                .attr(id, "content")
                .or_else(|| doc.attr(id, "datetime"))
                .and_then(|v| dates::parse_machine(&v))
            {
                return Some(date);
            }
        }
    }
    for id in doc.descendants(element) {
        if is_date_line(doc, id) && !in_comments(doc, id, element) {
            let text = doc.text(id);
            if text.len() < 200 {
                if let Some(date) = dates::parse_visible(&text) {
                    return Some(date);
                }
            }
        }
    }
    None
}

/// Elements that typically print the story's date (they are boilerplate for the body).
fn is_date_line(doc: &Document<'_>, id: NodeId) -> bool {
    if doc.name(id) == Some("time") {
        return true;
    }
    let class = doc.class_and_id(id);
    ["date", "dateline", "time", "published", "byline", "meta"]
        .iter()
        .any(|w| class.contains(w))
        && !["update", "comment", "related", "sidebar"]
            .iter()
            .any(|w| class.contains(w))
}

/// Whether `id` sits in a comments, sidebar or related section below `limit`.
fn in_comments(doc: &Document<'_>, mut id: NodeId, limit: NodeId) -> bool {
    while id != limit && id != ROOT {
        let name = doc.name(id).unwrap_or("");
        if matches!(name, "aside" | "footer" | "nav") {
            return true;
        }
        let class = doc.class_and_id(id);
        if [
            "comment",
            "sidebar",
            "related",
            "recommend",
            "most-read",
            "popular",
        ]
        .iter()
        .any(|w| class.contains(w))
        {
            return true;
        }
        id = doc.nodes[id].parent;
    }
    false
}

fn canonical_url(meta: &metadata::PageMeta, page: &PageInfo<'_>) -> String {
    let base = url::Url::parse(page.fetched_url).ok();
    for candidate in [meta.canonical.as_deref(), meta.og_url.as_deref()]
        .into_iter()
        .flatten()
    {
        let resolved = match &base {
            Some(base) => base.join(candidate).ok(),
            None => url::Url::parse(candidate).ok(),
        };
        if let Some(url) = resolved.filter(|u| matches!(u.scheme(), "http" | "https")) {
            return url.to_string();
        }
    }
    page.fetched_url.to_string()
}

/// "en-US" -> "en"; anything that is not a two-letter code gives None.
fn iso_639_1_from_tag(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() == 2 && primary.bytes().all(|b| b.is_ascii_lowercase())).then_some(primary)
}

fn detect_language(text: &str) -> Option<String> {
    let info = whatlang::detect(text)?;
    if !info.is_reliable() {
        return None;
    }
    use whatlang::Lang::*;
    let code = match info.lang() {
        Afr => "af",
        Aka => "ak",
        Amh => "am",
        Ara => "ar",
        Aze => "az",
        Bel => "be",
        Ben => "bn",
        Bul => "bg",
        Cat => "ca",
        Ces => "cs",
        Cmn => "zh",
        Dan => "da",
        Deu => "de",
        Ell => "el",
        Eng => "en",
        Epo => "eo",
        Est => "et",
        Fin => "fi",
        Fra => "fr",
        Guj => "gu",
        Heb => "he",
        Hin => "hi",
        Hrv => "hr",
        Hun => "hu",
        Hye => "hy",
        Ind => "id",
        Ita => "it",
        Jav => "jv",
        Jpn => "ja",
        Kan => "kn",
        Kat => "ka",
        Khm => "km",
        Kor => "ko",
        Lat => "la",
        Lav => "lv",
        Lit => "lt",
        Mal => "ml",
        Mar => "mr",
        Mkd => "mk",
        Mya => "my",
        Nep => "ne",
        Nld => "nl",
        Nob => "nb",
        Ori => "or",
        Pan => "pa",
        Pes => "fa",
        Pol => "pl",
        Por => "pt",
        Ron => "ro",
        Rus => "ru",
        Sin => "si",
        Slk => "sk",
        Slv => "sl",
        Sna => "sn",
        Spa => "es",
        Srp => "sr",
        Swe => "sv",
        Tam => "ta",
        Tel => "te",
        Tgl => "tl",
        Tha => "th",
        Tuk => "tk",
        Tur => "tr",
        Ukr => "uk",
        Urd => "ur",
        Uzb => "uz",
        Vie => "vi",
        Yid => "yi",
        Zul => "zu",
    };
    Some(code.to_string())
}

//! Main-content detection: boilerplate marking, text blocks, and the choice of
//! the element that holds the story.
//!
//! The page is cut into text blocks at block-level elements. Each block is
//! "good" (prose: long enough, few links) or "bad" (link lists, menus). The
//! story container is the element maximizing good minus weighted bad text in
//! its subtree: the smallest element that still holds nearly all the prose.
use once_cell::sync::Lazy;
use regex::Regex;

use super::dom::{collapse_whitespace, decode_entities, Document, NodeId, NodeKind, ROOT};

/// Elements whose content is never article text.
const SKIP_TAGS: &[&str] = &[
    "head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "button", "input", "select", "textarea", "option", "label", "nav",
    "footer", "aside", "header", "figure", "figcaption", "dialog", "menu", "picture", "map", "form",
];

/// Block-level elements: they start and end text blocks.
const BLOCK_TAGS: &[&str] = &[
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td",
    "th", "tr", "table", "dt", "dd", "dl", "section", "article", "main", "body", "address", "center",
    "hr", "caption", "tbody", "thead", "tfoot", "details", "summary",
];

/// Class or id words that mark boilerplate containers.
static NEGATIVE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)(^|[^a-z])(comments?|commentlist|disqus|share|sharing|social|related|recommend\w*|newsletter|subscribe|subscription|cookies?|consent|gdpr|promo|advert\w*|ads?|adslot|ad-slot|sponsor\w*|sidebar|breadcrumbs?|byline|bylines|author|authors|tags?|taglist|footer|navbar|nav|navigation|menu|popup|modal|most-?read|most-?popular|popular|trending|also-?read|read-?more|readmore|more-stories|signup|paywall|toolbar|skip|print|caption|credits?|disclaimer|pagination|pager|widget|rail|outbrain|taboola|jump-?links?|toc|masthead|dateline|timestamp|meta|post-meta|entry-meta|article-meta|hidden|visually-hidden|sr-only|screen-reader-text|teaser|promo-box|inline-related|seealso|see-also)([^a-z]|$)",
    )
    .expect("static regex")
});

/// Class or id words that mark the story itself; they protect a container
/// that also matches a boilerplate word (e.g. `article-body has-sidebar`).
static POSITIVE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)(^|[^a-z])(article|article-?body|articlebody|body|content|entry|main|post|story|text|blog|prose)([^a-z]|$)")
        .expect("static regex")
});

/// Boilerplate lines that sit inside the story container.
static BOILERPLATE_LINE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)^(also read|read also|read more|related|recommended|most read|more from|advertisement|sponsored|share this|share on|follow us|sign up|subscribe|click here|watch:|listen:|photo:|image:|getty images|copyright|©|\(c\) )",
    )
    .expect("static regex")
});

static BYLINE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)^(by|von|par|por|di|door|posted by|written by|reporting by)\s+\S").expect("static regex")
});

fn is_block(name: &str) -> bool {
    BLOCK_TAGS.contains(&name)
}

#[derive(Debug, Clone)]
pub struct Block {
    /// The nearest block-level element holding this text.
    pub owner: NodeId,
    /// Lines within the block (split at `<br>`), whitespace collapsed.
    pub text: String,
    /// Non-whitespace characters, all and inside links.
    pub chars: usize,
    pub link_chars: usize,
    pub words: usize,
}

impl Block {
    pub fn link_density(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f64 / self.chars as f64
        }
    }

    /// Prose weight: long, punctuated text with few links.
    fn good(&self) -> f64 {
        let density = self.link_density();
        if density > 0.35 {
            return 0.0;
        }
        let sentence = self.text.contains(['.', '!', '?', '。', '،', '」']);
        if self.chars >= 70 || (sentence && self.chars >= 40) {
            self.chars as f64 * (1.0 - density)
        } else {
            0.0
        }
    }

    /// Boilerplate weight: link lists and link-heavy blocks.
    fn bad(&self) -> f64 {
        let density = self.link_density();
        if density > 0.5 {
            self.chars as f64
        } else if self.good() == 0.0 {
            // Short, link-free lines are mostly labels and bylines.
            0.3 * self.chars as f64
        } else {
            0.0
        }
    }
}

/// Per-node boilerplate marks: true for the node and everything below it.
pub fn boilerplate_marks(doc: &Document<'_>) -> Vec<bool> {
    let mut skip = vec![false; doc.len()];
    for id in 1..doc.len() {
        let parent = doc.nodes[id].parent;
        skip[id] = skip[parent] || is_boilerplate(doc, id);
    }
    skip
}

fn is_boilerplate(doc: &Document<'_>, id: NodeId) -> bool {
    let NodeKind::Element { name, .. } = &doc.nodes[id].kind else { return false };
    let name = name.as_ref();
    if SKIP_TAGS.contains(&name) {
        return true;
    }
    let mut class_and_id = String::new();
    for attr in doc.attrs(id) {
        match attr.name.as_ref() {
            "hidden" => return true,
            "aria-hidden" if attr.raw_value.eq_ignore_ascii_case("true") => return true,
            "style" => {
                let style = attr.raw_value.to_ascii_lowercase().replace(' ', "");
                if style.contains("display:none") || style.contains("visibility:hidden") {
                    return true;
                }
            }
            "role" => {
                if matches!(
                    attr.raw_value.to_ascii_lowercase().as_str(),
                    "navigation" | "complementary" | "banner" | "contentinfo" | "dialog" | "alertdialog" | "menu" | "menubar"
                ) {
                    return true;
                }
            }
            "class" | "id" => {
                class_and_id.push(' ');
                class_and_id.push_str(attr.raw_value);
            }
            _ => {}
        }
    }
    if matches!(name, "html" | "body" | "main" | "article") || class_and_id.is_empty() {
        return false;
    }
    NEGATIVE.is_match(&class_and_id) && !POSITIVE.is_match(&class_and_id)
}

struct Linearizer<'d, 'a> {
    doc: &'d Document<'a>,
    skip: &'d [bool],
    blocks: Vec<Block>,
    text: String,
    link_chars: usize,
    owner: NodeId,
    in_link: usize,
}

impl Linearizer<'_, '_> {
    fn flush(&mut self) {
        if self.text.trim().is_empty() {
            self.text.clear();
            self.link_chars = 0;
            return;
        }
        let mut lines = String::new();
        for line in self.text.split('\n') {
            let line = collapse_whitespace(line);
            if line.is_empty() {
                continue;
            }
            if !lines.is_empty() {
                lines.push('\n');
            }
            lines.push_str(&line);
        }
        self.text.clear();
        let chars = lines.chars().filter(|c| !c.is_whitespace()).count();
        let words = lines.split_whitespace().count();
        if chars > 0 {
            self.blocks.push(Block {
                owner: self.owner,
                text: lines,
                chars,
                link_chars: self.link_chars.min(chars),
                words,
            });
        }
        self.link_chars = 0;
    }

    fn walk(&mut self, id: NodeId, depth: usize) {
        for &child in &self.doc.nodes[id].children {
            match &self.doc.nodes[child].kind {
                NodeKind::Text(raw) => {
                    let decoded = decode_entities(raw);
                    if self.in_link > 0 {
                        self.link_chars += decoded.chars().filter(|c| !c.is_whitespace()).count();
                    }
                    self.text.push_str(&decoded);
                }
                NodeKind::Element { name, .. } => {
                    if self.skip[child] {
                        // Keep words on both sides of a removed inline element apart.
                        self.text.push(' ');
                        continue;
                    }
                    let name = name.as_ref();
                    if name == "br" {
                        self.text.push('\n');
                    } else if depth > 512 {
                        // Pathological nesting: keep the text, stop recursing blocks.
                        self.text.push_str(&self.doc.text(child));
                    } else if is_block(name) {
                        self.flush();
                        let outer = self.owner;
                        self.owner = child;
                        self.walk(child, depth + 1);
                        self.flush();
                        self.owner = outer;
                    } else if name == "a" {
                        self.in_link += 1;
                        self.walk(child, depth + 1);
                        self.in_link -= 1;
                    } else {
                        // Inline elements that browsers render as separate words.
                        let spaced = matches!(name, "td" | "img" | "span" | "time");
                        if spaced {
                            self.text.push(' ');
                        }
                        self.walk(child, depth + 1);
                        if spaced {
                            self.text.push(' ');
                        }
                    }
                }
                NodeKind::Root => {}
            }
        }
    }
}

/// Text blocks of the page in document order, boilerplate left out.
pub fn blocks(doc: &Document<'_>, skip: &[bool]) -> Vec<Block> {
    let mut linearizer = Linearizer { doc, skip, blocks: Vec::new(), text: String::new(), link_chars: 0, owner: ROOT, in_link: 0 };
    linearizer.walk(ROOT, 0);
    linearizer.flush();
    linearizer.blocks
}

/// Subtree sums of block weights, one entry per node.
pub struct Weights {
    pub score: Vec<f64>,
    pub good_words: Vec<usize>,
}

/// Weight of bad text against good text in the container choice.
const BAD_WEIGHT: f64 = 0.5;

pub fn weights(doc: &Document<'_>, blocks: &[Block]) -> Weights {
    let mut score = vec![0.0; doc.len()];
    let mut good_words = vec![0usize; doc.len()];
    for block in blocks {
        let good = block.good();
        let value = good - BAD_WEIGHT * block.bad();
        let words = if good > 0.0 { block.words } else { 0 };
        let mut id = block.owner;
        loop {
            score[id] += value;
            good_words[id] += words;
            if id == ROOT {
                break;
            }
            id = doc.nodes[id].parent;
        }
    }
    Weights { score, good_words }
}

/// The element holding the story: the best subtree score, deeper on ties.
pub fn best_container(doc: &Document<'_>, weights: &Weights) -> Option<NodeId> {
    let mut best: Option<(f64, NodeId)> = None;
    for id in 1..doc.len() {
        let score = weights.score[id];
        if score <= 0.0 || doc.name(id).is_none() {
            continue;
        }
        if best.map_or(true, |(top, _)| score >= top) {
            best = Some((score, id));
        }
    }
    best.map(|(_, id)| id)
}

/// Whether a block inside the container is still boilerplate to drop.
pub fn is_noise(block: &Block, title: Option<&str>, doc: &Document<'_>) -> bool {
    let text = block.text.as_str();
    if block.link_density() > 0.5 {
        return true;
    }
    if doc.name(block.owner) == Some("h1") {
        return true;
    }
    if let Some(title) = title {
        if text.eq_ignore_ascii_case(title) {
            return true;
        }
    }
    if block.words <= 12 && (BOILERPLATE_LINE.is_match(text) || BYLINE.is_match(text)) {
        return true;
    }
    if block.words <= 3 && text.eq_ignore_ascii_case("advertisement") {
        return true;
    }
    false
}

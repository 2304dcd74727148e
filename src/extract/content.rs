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
use super::tunables::UNCLOSED_LINK_MAX_WORDS;

/// Elements whose content is never article text.
const SKIP_TAGS: &[&str] = &[
    "head",
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "button",
    "input",
    "select",
    "textarea",
    "option",
    "label",
    "nav",
    "footer",
    "aside",
    "header",
    "figure",
    "figcaption",
    "dialog",
    "menu",
    "picture",
    "map",
];

/// Block-level elements: they start and end text blocks.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "td",
    "th",
    "tr",
    "table",
    "dt",
    "dd",
    "dl",
    "section",
    "article",
    "main",
    "body",
    "address",
    "center",
    "hr",
    "caption",
    "tbody",
    "thead",
    "tfoot",
    "details",
    "summary",
    "form",
    "fieldset",
];

/// Class or id words that always mark boilerplate containers.
static NEGATIVE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)(^|[^a-z])(comments?|commentlist|disqus|share|sharing|social|related|recommend\w*|newsletter|subscribe|cookies?|consent|gdpr|sidebar|breadcrumbs?|byline|bylines|author|authors|footer|navbar|nav|navigation|menu|popup|modal|most-?read|most-?popular|also-?read|read-?more|readmore|more-stories|signup|outbrain|taboola|jump-?links?|masthead|dateline|timestamp|post-meta|entry-meta|article-meta|visually-hidden|sr-only|screen-reader-text|inline-related|seealso|see-also|tags|taglist|tag-list)([^a-z]|$)",
    )
    .expect("static regex")
});

/// Class or id words that mark boilerplate, except on containers holding a
/// large part of the prose: site wrappers get named after ads or paywalls.
static WEAK_NEGATIVE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)(^|[^a-z])(promo|advert\w*|ads?|adslot|ad-slot|sponsor\w*|popular|trending|paywall|toolbar|skip|print|caption|credits?|disclaimer|pagination|pager|widget|rail|toc|meta|hidden|teaser|tag)([^a-z]|$)",
    )
    .expect("static regex")
});

/// Comment threads are boilerplate even when named `comment-body` or built of `<article>`s.
static COMMENTS: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)(^|[^a-z])(comments?|commentlist|comment-list|comment-body|disqus|respond)([^a-z]|$)",
    )
    .expect("static regex")
});

/// Class or id words that mark the story itself; they protect a container
/// that also matches a boilerplate word (e.g. `article-body has-sidebar`, or a
/// `social-embed` wrapper around a quoted tweet, which is part of the story).
static POSITIVE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)(^|[^a-z])(article|article-?body|articlebody|body|content|entry|main|post|story|text|blog|prose|embed|tweet)([^a-z]|$)")
        .expect("static regex")
});

/// Boilerplate lines that sit inside the story container.
static BOILERPLATE_LINE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)^(also read|read also|read more|related|recommended|most read|more from|advertisement|sponsored|share this|share on|follow us|sign up|subscribe|click here|watch:|listen:|photo:|image:|getty images|copyright|©|\(c\) )",
    )
    .expect("static regex")
});

/// Headings that open the tail of a page (teasers, link lists) below the story.
static TAIL_HEADING: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)^(more (from|on|in|stories|news|articles|coverage)\b|more [a-z]+( [a-z]+)?$|related\b|recommended\b|read (more|next)\b|you (may|might) (also )?like|popular\b|most (read|viewed|popular|shared)\b|trending\b|latest (news|stories)|top stories|editor'?s picks|around the web|share your thoughts|what to read next|further reading)",
    )
    .expect("static regex")
});

/// A copyright notice or photo credit: a short line with a `©` sign (story
/// sentences spell the word out).
pub fn is_copyright_line(line: &str) -> bool {
    line.contains('©') && count_words(line) <= COPYRIGHT_MAX_WORDS
}

/// The longest line (words) read as a copyright notice.
const COPYRIGHT_MAX_WORDS: usize = 15;

/// Whether a short block is a heading that starts the page's tail.
pub fn is_tail_heading(block: &Block) -> bool {
    block.words <= 6 && TAIL_HEADING.is_match(&block.text)
}

static BYLINE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)^(by|von|par|por|di|door|posted by|written by|reporting by)\s+\S")
        .expect("static regex")
});

/// Sentence punctuation of the scripts news is written in: Latin, CJK, Arabic
/// and Urdu, Devanagari and Bengali (danda), Ethiopic, Armenian, Burmese.
pub const SENTENCE_MARKS: [char; 13] = [
    '.', '!', '?', '。', '،', '」', '؟', '।', '॥', '۔', '።', '։', '။',
];

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

/// Text weight in "Latin characters": a CJK character carries about as much
/// as a three-letter syllable, so it counts three times.
pub fn text_weight(text: &str) -> usize {
    // runs of ASCII byte by byte (most of any page), the rest by character
    let mut weight = 0;
    let mut rest = text;
    loop {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        weight += rest.as_bytes()[..ascii]
            .iter()
            .filter(|&&b| !is_ascii_space(b))
            .count();
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else {
            return weight;
        };
        if !c.is_whitespace() {
            weight += if is_cjk(c) { 3 } else { 1 };
        }
        rest = &rest[c.len_utf8()..];
    }
}

/// `char::is_whitespace` on an ASCII byte (with the vertical tab, which
/// `u8::is_ascii_whitespace` leaves out).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r')
}

/// Words, counting two CJK characters as one word (they are not space-separated).
pub fn count_words(text: &str) -> usize {
    let mut words = 0;
    let mut cjk = 0;
    for token in text.split_whitespace() {
        if token.is_ascii() {
            words += 1; // no CJK, and not empty
            continue;
        }
        let han = token.chars().filter(|&c| is_cjk(c)).count();
        cjk += han;
        if han == 0 || token.chars().any(|c| c.is_alphanumeric() && !is_cjk(c)) {
            words += 1;
        }
    }
    words + cjk.div_ceil(2)
}

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
    /// Link characters per line of `text` (the fallback paths split blocks at
    /// link-heavy lines).
    pub line_links: Vec<usize>,
    /// Per line of `text`: whether it is a paragraph of its own, set apart
    /// from the lines before and after it by two `<br>`s or more (or the
    /// block's edge), as old layouts write paragraphs without `<p>`.
    pub line_alone: Vec<bool>,
    /// Per line of `text`: whether only a newline of the source, no `<br>`,
    /// parts it from the line before (a browser shows the two as one line;
    /// the lines stay apart for the analysis and are joined in the output).
    pub line_joined: Vec<bool>,
}

impl Block {
    pub fn link_density(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f64 / self.chars as f64
        }
    }

    /// Teaser summaries cut off with an ellipsis ("... may soon...").
    pub fn is_truncated_teaser(&self) -> bool {
        self.chars < 400 && (self.text.ends_with("...") || self.text.ends_with('…'))
    }

    /// Prose weight: long, punctuated text with few links.
    pub fn good(&self) -> f64 {
        if self.is_truncated_teaser() {
            return 0.0;
        }
        let density = self.link_density();
        let sentence = self.text.contains(SENTENCE_MARKS);
        if density > 0.6 || (density > 0.35 && self.chars < 200) {
            return 0.0;
        }
        if self.chars >= 70 || (sentence && self.chars >= 40) {
            self.chars as f64 * (1.0 - density)
        } else {
            0.0
        }
    }

    /// Boilerplate weight: link lists and link-heavy blocks.
    fn bad(&self) -> f64 {
        if self.is_truncated_teaser() {
            return self.chars as f64;
        }
        let density = self.link_density();
        if density > 0.5 && self.good() == 0.0 {
            self.chars as f64
        } else if self.good() == 0.0 {
            // Short, link-free lines are mostly labels and bylines.
            0.3 * self.chars as f64
        } else {
            0.0
        }
    }
}

/// Per-node marks of structural boilerplate (navigation, asides, hidden and
/// interactive elements): true for the node and everything below it.
pub fn structural_marks(doc: &Document<'_>) -> Vec<bool> {
    let mut skip = vec![false; doc.len()];
    for id in 1..doc.len() {
        let parent = doc.nodes[id].parent;
        skip[id] = skip[parent] || is_structural_boilerplate(doc, id);
    }
    skip
}

/// Adds containers whose class or id names boilerplate (share bars, related
/// boxes, comments), unless they hold a large part of the page's prose: site
/// wrappers are often named after ads or paywalls.
pub fn add_class_marks(doc: &Document<'_>, skip: &mut [bool], weights: &Weights) {
    let total = weights.good_chars[ROOT];
    // Containers that hold the story's own element are never boilerplate,
    // whatever the theme named them (e.g. `penci_sidebar` around the post).
    let mut holds_story = vec![false; doc.len()];
    for id in (1..doc.len()).rev() {
        let marker = (matches!(doc.name(id), Some("article" | "main")) && !is_comment(doc, id))
            || doc
                .attrs(id)
                .iter()
                .any(|a| a.name == "itemprop" && a.raw_value == "articleBody");
        if marker || holds_story[id] {
            holds_story[doc.nodes[id].parent] = true;
            holds_story[id] = true;
        }
    }
    for id in 1..doc.len() {
        let parent = doc.nodes[id].parent;
        if skip[parent] {
            skip[id] = true;
            continue;
        }
        if holds_story[id] && !skip[id] {
            continue;
        }
        skip[id] = match boilerplate_class(doc, id) {
            ClassVerdict::Boilerplate => true,
            ClassVerdict::Probably => weights.good_chars[id] < 0.3 * total,
            ClassVerdict::Content => skip[id],
        } || (is_input_form(doc, id)
            && weights.good_chars[id] < INPUT_FORM_MAX_PROSE_SHARE * total);
    }
}

/// A form holding more than this share of the page's prose is a page
/// wrapper (ASP.NET pages put the whole page in one), not a comment form.
pub const INPUT_FORM_MAX_PROSE_SHARE: f64 = 0.5;

/// A form for writing text (a comment or contact form): its explanations
/// ("required fields are marked") are not the story, whatever the class
/// names say or whether there are any.
pub fn is_input_form(doc: &Document<'_>, id: NodeId) -> bool {
    doc.name(id) == Some("form") && doc.find(id, "textarea").is_some()
}

pub fn is_structural_boilerplate(doc: &Document<'_>, id: NodeId) -> bool {
    is_non_text_element(doc, id) || is_hidden(doc, id)
}

/// Elements whose content is never article text ([`SKIP_TAGS`]) and ARIA
/// navigation, dialog and menu roles.
fn is_non_text_element(doc: &Document<'_>, id: NodeId) -> bool {
    let NodeKind::Element { name, .. } = &doc.nodes[id].kind else {
        return false;
    };
    if SKIP_TAGS.contains(&name.as_ref()) {
        return true;
    }
    doc.attrs(id).iter().any(|attr| {
        attr.name == "role"
            && matches!(
                attr.raw_value.to_ascii_lowercase().as_str(),
                "navigation"
                    | "complementary"
                    | "banner"
                    | "contentinfo"
                    | "dialog"
                    | "alertdialog"
                    | "menu"
                    | "menubar"
            )
    })
}

/// Hidden until a script shows it: `hidden`, `aria-hidden`, or an inline
/// `display:none` / `visibility:hidden` style.
fn is_hidden(doc: &Document<'_>, id: NodeId) -> bool {
    doc.attrs(id).iter().any(|attr| match attr.name.as_ref() {
        "hidden" => true,
        "aria-hidden" => attr.raw_value.eq_ignore_ascii_case("true"),
        "style" => {
            let style = attr.raw_value.to_ascii_lowercase().replace(' ', "");
            style.contains("display:none") || style.contains("visibility:hidden")
        }
        _ => false,
    })
}

/// Structural boilerplate for the last pass over a page where nothing
/// visible held a story: hidden elements count as shown (old pages hide the
/// whole `<body>` until a script runs, or keep the story in a hidden tab),
/// except those named after boilerplate (cookie banners, pop-ups, menus).
/// `<noscript>` content counts as shown too: it is what a browser without
/// scripts shows, and some pages print their story only there.
pub fn is_structural_boilerplate_when_revealed(doc: &Document<'_>, id: NodeId) -> bool {
    (is_non_text_element(doc, id) && doc.name(id) != Some("noscript"))
        || (is_hidden(doc, id) && is_class_boilerplate(doc, id))
}

/// Elements skipped as interactive that old pages misuse as plain wrappers:
/// a `<label>` or `<menu>` around a story paragraph shows its text like a
/// `<span>` or `<ul>`.
const WRAPPER_MISUSED_TAGS: &[&str] = &["label", "menu"];

/// Structural boilerplate for the very last pass, on a page where nothing
/// else held a story: as [`is_structural_boilerplate_when_revealed`], but
/// `<label>` and `<menu>` are read as the wrappers a browser shows.
pub fn is_structural_boilerplate_when_lenient(doc: &Document<'_>, id: NodeId) -> bool {
    is_structural_boilerplate_when_revealed(doc, id)
        && !doc
            .name(id)
            .is_some_and(|name| WRAPPER_MISUSED_TAGS.contains(&name))
}

/// Page regions that are boilerplate by their role, not because they are
/// hidden: `nav`, `header`, `footer`, `aside` and their ARIA roles. Broken
/// pages leave one unclosed around the story, so the fallback paths weigh
/// them instead of dropping them unseen.
pub fn is_region_boilerplate(doc: &Document<'_>, id: NodeId) -> bool {
    if matches!(doc.name(id), Some("nav" | "header" | "footer" | "aside")) {
        return true;
    }
    doc.attrs(id).iter().any(|a| {
        a.name == "role"
            && matches!(
                a.raw_value.to_ascii_lowercase().as_str(),
                "navigation" | "complementary" | "banner" | "contentinfo"
            )
    })
}

enum ClassVerdict {
    Boilerplate,
    Probably,
    Content,
}

pub fn is_comment(doc: &Document<'_>, id: NodeId) -> bool {
    doc.attrs(id)
        .iter()
        .any(|a| matches!(a.name.as_ref(), "class" | "id") && COMMENTS.is_match(a.raw_value))
}

fn boilerplate_class(doc: &Document<'_>, id: NodeId) -> ClassVerdict {
    if matches!(doc.name(id), Some("html" | "body" | "main") | None) {
        return ClassVerdict::Content;
    }
    if is_comment(doc, id) {
        return ClassVerdict::Boilerplate;
    }
    if doc.name(id) == Some("article") {
        return ClassVerdict::Content;
    }
    let mut class_and_id = String::new();
    for attr in doc.attrs(id) {
        if matches!(attr.name.as_ref(), "class" | "id") {
            class_and_id.push(' ');
            class_and_id.push_str(attr.raw_value);
        }
    }
    if class_and_id.is_empty() || POSITIVE.is_match(&class_and_id) {
        ClassVerdict::Content
    } else if NEGATIVE.is_match(&class_and_id) {
        ClassVerdict::Boilerplate
    } else if WEAK_NEGATIVE.is_match(&class_and_id) {
        ClassVerdict::Probably
    } else {
        ClassVerdict::Content
    }
}

struct Linearizer<'d, 'a> {
    doc: &'d Document<'a>,
    skip: &'d [bool],
    blocks: Vec<Block>,
    text: String,
    link_chars: usize,
    /// Link characters of each raw line of `text` so far.
    line_links: Vec<usize>,
    /// Whether each raw line of `text` so far ended at a shown line break
    /// (`<br>`, or a newline inside `<pre>`), not at a newline of the source
    /// that a browser shows as a space.
    line_br: Vec<bool>,
    owner: NodeId,
    in_link: usize,
    /// Depth of `<pre>` elements, where the source's newlines are shown.
    in_pre: usize,
}

impl Linearizer<'_, '_> {
    fn flush(&mut self) {
        if self.text.trim().is_empty() {
            self.reset_text();
            return;
        }
        let mut lines = String::new();
        let mut line_links = Vec::new();
        // Raw index of each kept line, and the `<br>`s before it since the
        // previous kept line.
        let mut kept: Vec<(usize, usize)> = Vec::new();
        let mut brs = 0;
        for (index, line) in self.text.split('\n').enumerate() {
            let line = collapse_whitespace(line);
            if !line.is_empty() {
                if !lines.is_empty() {
                    lines.push('\n');
                }
                let weight = text_weight(&line);
                line_links.push(self.line_links.get(index).copied().unwrap_or(0).min(weight));
                lines.push_str(&line);
                kept.push((index, brs));
                brs = 0;
            }
            if self.line_br.get(index).copied().unwrap_or(false) {
                brs += 1;
            }
        }
        let line_joined: Vec<bool> = (0..kept.len()).map(|i| i > 0 && kept[i].1 == 0).collect();
        let line_alone: Vec<bool> = (0..kept.len())
            .map(|i| {
                let apart_before = i == 0 || kept[i].1 >= 2;
                let apart_after = i + 1 == kept.len() || kept[i + 1].1 >= 2;
                apart_before && apart_after
            })
            .collect();
        let link_chars = self.link_chars;
        self.reset_text();
        let chars = text_weight(&lines);
        let words = count_words(&lines);
        if chars > 0 {
            self.blocks.push(Block {
                owner: self.owner,
                text: lines,
                chars,
                link_chars: link_chars.min(chars),
                words,
                line_links,
                line_alone,
                line_joined,
            });
        }
    }

    fn reset_text(&mut self) {
        self.text.clear();
        self.link_chars = 0;
        self.line_links.clear();
        self.line_links.push(0);
        self.line_br.clear();
        self.line_br.push(false);
    }

    /// A line break: shown (`<br>`, or inside `<pre>`; `from_br`) or a
    /// newline of the source text.
    fn push_newline(&mut self, from_br: bool) {
        if let Some(last) = self.line_br.last_mut() {
            *last = from_br;
        }
        self.text.push('\n');
        self.line_links.push(0);
        self.line_br.push(false);
    }

    /// Appends text, keeping the per-line link tally in step with its newlines.
    fn push_text(&mut self, text: &str) {
        for (index, segment) in text.split('\n').enumerate() {
            if index > 0 {
                self.push_newline(self.in_pre > 0);
            }
            if self.in_link > 0 {
                let weight = text_weight(segment);
                self.link_chars += weight;
                if let Some(last) = self.line_links.last_mut() {
                    *last += weight;
                }
            }
            self.text.push_str(segment);
        }
    }

    fn walk(&mut self, id: NodeId, depth: usize) {
        for &child in &self.doc.nodes[id].children {
            match &self.doc.nodes[child].kind {
                NodeKind::Text(raw) => {
                    let decoded = decode_entities(raw);
                    self.push_text(&decoded);
                }
                NodeKind::Element { name, .. } => {
                    if self.skip[child] {
                        // Keep words on both sides of a removed inline element apart.
                        self.text.push(' ');
                        continue;
                    }
                    let name = name.as_ref();
                    if name == "br" {
                        self.push_newline(true);
                    } else if depth > 512 {
                        // Pathological nesting: keep the text, stop recursing blocks.
                        let text = self.doc.text(child);
                        self.push_text(&text);
                    } else if is_block(name) {
                        self.flush();
                        let outer = self.owner;
                        self.owner = child;
                        let pre = usize::from(name == "pre");
                        self.in_pre += pre;
                        self.walk(child, depth + 1);
                        self.in_pre -= pre;
                        self.flush();
                        self.owner = outer;
                    } else if name == "a" {
                        let link = usize::from(is_link(self.doc, child));
                        self.in_link += link;
                        self.walk(child, depth + 1);
                        self.in_link -= link;
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

/// An `<a>` whose text counts as link text: all but named targets without
/// `href` (`<a name=story>`, often left open around a whole old page, so
/// that the story read as one long link), and links closed neither by
/// `</a>` nor by the next `<a>` that run over more than
/// [`UNCLOSED_LINK_MAX_WORDS`] words (an old page's byline or source link
/// left open over the story). An `<a>` without `href`
/// or `name` stays a link: scripts make menus of those.
fn is_link(doc: &Document<'_>, id: NodeId) -> bool {
    if doc.name(id) != Some("a") {
        return false;
    }
    let attrs = doc.attrs(id);
    let href = attrs.iter().any(|attr| attr.name == "href");
    if !href && attrs.iter().any(|attr| attr.name == "name") {
        return false;
    }
    doc.nodes[id].ended || count_words(&doc.text(id)) <= UNCLOSED_LINK_MAX_WORDS
}

/// Text blocks of the page in document order, boilerplate left out.
pub fn blocks(doc: &Document<'_>, skip: &[bool]) -> Vec<Block> {
    let mut linearizer = Linearizer {
        doc,
        skip,
        blocks: Vec::new(),
        text: String::new(),
        link_chars: 0,
        line_links: vec![0],
        line_br: vec![false],
        owner: ROOT,
        in_link: 0,
        in_pre: 0,
    };
    linearizer.walk(ROOT, 0);
    linearizer.flush();
    linearizer.blocks
}

/// Text blocks below one element (the element included), in document order.
pub fn blocks_within(doc: &Document<'_>, skip: &[bool], id: NodeId) -> Vec<Block> {
    if skip[id] {
        return Vec::new();
    }
    let mut linearizer = Linearizer {
        doc,
        skip,
        blocks: Vec::new(),
        text: String::new(),
        link_chars: 0,
        line_links: vec![0],
        line_br: vec![false],
        owner: id,
        in_link: usize::from(is_link(doc, id)),
        in_pre: usize::from(doc.name(id) == Some("pre")),
    };
    linearizer.walk(id, 0);
    linearizer.flush();
    linearizer.blocks
}

/// Whether the element's own class or id names boilerplate, firmly or
/// probably (its ancestors are not looked at).
pub fn is_class_boilerplate(doc: &Document<'_>, id: NodeId) -> bool {
    !matches!(boilerplate_class(doc, id), ClassVerdict::Content)
}

/// Whether the element's own class or id firmly names boilerplate (related,
/// comments, share...), not just probably (ads, widgets).
pub fn is_named_boilerplate(doc: &Document<'_>, id: NodeId) -> bool {
    matches!(boilerplate_class(doc, id), ClassVerdict::Boilerplate)
}

/// Subtree sums of block weights, one entry per node.
pub struct Weights {
    pub score: Vec<f64>,
    pub good_chars: Vec<f64>,
    pub good_words: Vec<usize>,
}

/// Captions: at most this many words, in an element (or a wrapper of at most
/// this many children) that also holds an image.
const CAPTION_MAX_WORDS: usize = 15;
const CAPTION_MAX_SIBLINGS: usize = 5;
const CAPTION_SCAN_NODES: usize = 64;

/// Weight of bad text against good text in the container choice.
const BAD_WEIGHT: f64 = 0.5;

/// Sums block weights over subtrees; blocks under `skip`ped owners count for nothing.
pub fn weights(doc: &Document<'_>, blocks: &[Block], skip: &[bool]) -> Weights {
    let mut score = vec![0.0; doc.len()];
    let mut good_chars = vec![0.0; doc.len()];
    let mut good_words = vec![0usize; doc.len()];
    for block in blocks.iter().filter(|b| !skip[b.owner]) {
        let good = block.good();
        let value = good - BAD_WEIGHT * block.bad();
        let words = if good > 0.0 { block.words } else { 0 };
        let mut id = block.owner;
        loop {
            score[id] += value;
            good_chars[id] += good;
            good_words[id] += words;
            if id == ROOT {
                break;
            }
            id = doc.nodes[id].parent;
        }
    }
    Weights {
        score,
        good_chars,
        good_words,
    }
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
/// `previous` is the block before it in the container, if any.
pub fn is_noise(
    block: &Block,
    previous: Option<&Block>,
    title: Option<&str>,
    doc: &Document<'_>,
) -> bool {
    let text = block.text.as_str();
    // Markup that reached the text (e.g. escaped tracking pixels in noscript).
    if text.starts_with('<') && text.ends_with('>') {
        return true;
    }
    if block.link_density() > 0.5 {
        return true;
    }
    // A cut-off paragraph right after a story paragraph of the same run is the
    // story's paywall cut; after anything else (a headline) it is a teaser.
    let continues_story = previous.is_some_and(|p| {
        p.good() > 0.0 && doc.nodes[p.owner].parent == doc.nodes[block.owner].parent
    });
    if block.is_truncated_teaser() && !continues_story {
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
    if is_copyright_line(text) {
        return true;
    }
    if block.words <= 12 && (BOILERPLATE_LINE.is_match(text) || BYLINE.is_match(text)) {
        return true;
    }
    // Date lines ("Mardi 27 février 2018", "Updated 2024-03-03 10:00").
    if block.words <= 8 && super::dates::parse_visible(text).is_some() {
        return true;
    }
    is_caption(block, doc)
}

/// A caption or photo credit: a short block whose own element, or the
/// wrapper right above it, also holds an image (old layouts put the photo and
/// its caption in one table cell or `div`, without `<figure>`).
fn is_caption(block: &Block, doc: &Document<'_>) -> bool {
    if block.words > CAPTION_MAX_WORDS || block.text.contains('\n') {
        return false;
    }
    let owner = block.owner;
    let parent = doc.nodes[owner].parent;
    // Caption wrappers are small: larger elements are not searched, and the
    // search stops after a few nodes, so pages of many short lines stay linear.
    let holds_image = |id: NodeId| {
        doc.nodes[id].children.len() <= CAPTION_SCAN_NODES
            && doc
                .descendants(id)
                .take(CAPTION_SCAN_NODES)
                .any(|d| doc.name(d) == Some("img"))
    };
    holds_image(owner)
        || (parent != ROOT
            && doc.nodes[parent].children.len() <= CAPTION_MAX_SIBLINGS
            && holds_image(parent))
}

#[cfg(test)]
mod weight_tests {
    use super::*;

    #[test]
    fn weights_and_word_counts_read_ascii_runs_as_characters() {
        let reference_weight = |t: &str| -> usize {
            t.chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| if is_cjk(c) { 3 } else { 1 })
                .sum()
        };
        for text in [
            "",
            "  ",
            "Talks in Ankara\x0B\x0Cended.\r\n",
            "Erdo\u{11f}an \u{2019}s \u{a0}visit\u{2003}ended \u{201c}ok\u{201d}",
            "\u{65e5}\u{672c} and \u{d55c}\u{ad6d}: \u{4e2d}\u{56fd}\u{653f}\u{5e9c}",
        ] {
            assert_eq!(text_weight(text), reference_weight(text), "{text:?}");
        }
        assert_eq!(
            count_words("Talks in\x0BAnkara, \u{201c}2026\u{201d} ..."),
            5
        );
        assert_eq!(count_words("\u{65e5}\u{672c}\u{653f}\u{5e9c} said"), 3);
    }
}

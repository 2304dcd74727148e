//! A small, fast, forgiving HTML tree builder for extraction.
//!
//! html5ever (via scraper) parses the benchmark pages at ~4.5 ms each on one
//! core, more than the whole extraction budget, so this builds a lighter tree:
//! text and attribute values stay borrowed from the input and are decoded only
//! when read. It follows the HTML rules that change which text belongs to
//! which element (raw-text elements, void elements, comments, implied ends of
//! `p`, `li`, `dt`/`dd`, table cells and rows, unmatched end tags) and skips
//! the rest of the tree-construction algorithm.
use std::borrow::Cow;

use memchr::{memchr, memmem};

pub type NodeId = usize;

/// Index of the synthetic root node.
pub const ROOT: NodeId = 0;

#[derive(Debug, Clone)]
pub enum NodeKind<'a> {
    Root,
    /// Lowercase tag name and the range of its attributes in `Document::attrs`.
    Element {
        name: Cow<'a, str>,
        attrs: std::ops::Range<usize>,
    },
    /// Raw (still entity-encoded) text.
    Text(&'a str),
}

#[derive(Debug, Clone)]
pub struct Node<'a> {
    pub kind: NodeKind<'a>,
    pub parent: NodeId,
    pub children: Vec<NodeId>,
    /// Closed by its own end tag, or (`<a>`) by the next `<a>`; not by an
    /// ancestor's end or the end of the page.
    pub ended: bool,
}

#[derive(Debug, Clone)]
pub struct Attr<'a> {
    pub name: Cow<'a, str>,
    /// Raw (still entity-encoded) value.
    pub raw_value: &'a str,
}

#[derive(Debug)]
pub struct Document<'a> {
    pub nodes: Vec<Node<'a>>,
    pub attrs: Vec<Attr<'a>>,
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
];
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];
/// Opening one of these closes an open `<p>` (HTML "close a p element").
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "dialog",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
    "li",
    "dd",
    "dt",
];
/// What may stand in `<head>`; any other start tag ends an unclosed head
/// (HTML's "in head" insertion mode), so the page is not taken for metadata.
const HEAD_CONTENT: &[&str] = &[
    "base", "basefont", "bgsound", "link", "meta", "title", "noscript", "noframes", "style",
    "script", "template", "head", "html",
];
/// Elements that bound the search for an element to close implicitly.
const SCOPE: &[&str] = &[
    "html", "table", "td", "th", "caption", "button", "object", "template", "body",
];

fn lowercase(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

fn is_name_byte(b: u8) -> bool {
    !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>')
}

impl<'a> Document<'a> {
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    pub fn parse(html: &'a str) -> Document<'a> {
        Builder::new(html).run()
    }

    pub fn name(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id].kind {
            NodeKind::Element { name, .. } => Some(name),
            _ => None,
        }
    }

    pub fn attrs(&self, id: NodeId) -> &[Attr<'a>] {
        match &self.nodes[id].kind {
            NodeKind::Element { attrs, .. } => &self.attrs[attrs.clone()],
            _ => &[],
        }
    }

    /// The decoded value of an attribute.
    pub fn attr(&self, id: NodeId, name: &str) -> Option<Cow<'a, str>> {
        self.attrs(id)
            .iter()
            .find(|a| a.name == name)
            .map(|a| decode_entities(a.raw_value))
    }

    /// `class` and `id` joined and lowercased: what boilerplate words are matched against.
    pub fn class_and_id(&self, id: NodeId) -> String {
        format!(
            "{} {}",
            self.attr(id, "class").unwrap_or_default(),
            self.attr(id, "id").unwrap_or_default()
        )
        .to_ascii_lowercase()
    }

    pub fn has_attr(&self, id: NodeId, name: &str) -> bool {
        self.attrs(id).iter().any(|a| a.name == name)
    }

    /// Elements in document order, depth first, starting below `from`.
    pub fn descendants(&self, from: NodeId) -> Descendants<'_, 'a> {
        Descendants {
            doc: self,
            stack: self.nodes[from].children.iter().rev().copied().collect(),
        }
    }

    /// The first element named `name` in document order.
    pub fn find(&self, from: NodeId, name: &str) -> Option<NodeId> {
        self.descendants(from)
            .find(|&id| self.name(id) == Some(name))
    }

    /// All text below `id`, decoded, whitespace collapsed to single spaces.
    pub fn text(&self, id: NodeId) -> String {
        let mut out = String::new();
        self.collect_text(id, &mut out);
        collapse_whitespace(&out)
    }

    fn collect_text(&self, id: NodeId, out: &mut String) {
        match &self.nodes[id].kind {
            NodeKind::Text(raw) => out.push_str(&decode_entities(raw)),
            NodeKind::Element { name, .. }
                if matches!(name.as_ref(), "script" | "style" | "template") => {}
            _ => {
                for &child in &self.nodes[id].children {
                    self.collect_text(child, out);
                }
                if matches!(self.name(id), Some("br" | "p" | "div" | "li" | "td" | "th")) {
                    out.push(' ');
                }
            }
        }
    }

    /// True when `ancestor` is `id` or one of its ancestors.
    pub fn is_within(&self, mut id: NodeId, ancestor: NodeId) -> bool {
        loop {
            if id == ancestor {
                return true;
            }
            if id == ROOT {
                return false;
            }
            id = self.nodes[id].parent;
        }
    }
}

pub struct Descendants<'d, 'a> {
    doc: &'d Document<'a>,
    stack: Vec<NodeId>,
}

impl Iterator for Descendants<'_, '_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        loop {
            let id = self.stack.pop()?;
            let node = &self.doc.nodes[id];
            self.stack.extend(node.children.iter().rev().copied());
            if matches!(node.kind, NodeKind::Element { .. }) {
                return Some(id);
            }
        }
    }
}

struct Builder<'a> {
    html: &'a str,
    pos: usize,
    doc: Document<'a>,
    open: Vec<NodeId>,
    head_open: bool,
}

impl<'a> Builder<'a> {
    fn new(html: &'a str) -> Self {
        let mut nodes = Vec::with_capacity(html.len() / 40);
        nodes.push(Node {
            kind: NodeKind::Root,
            parent: ROOT,
            children: Vec::new(),
            ended: true,
        });
        Builder {
            html,
            pos: 0,
            doc: Document {
                nodes,
                attrs: Vec::new(),
            },
            open: vec![ROOT],
            head_open: false,
        }
    }

    fn in_foreign_content(&self) -> bool {
        (1..self.open.len()).any(|i| matches!(self.open_name(i), "svg" | "math"))
    }

    fn current(&self) -> NodeId {
        *self.open.last().unwrap_or(&ROOT)
    }

    fn push_node(&mut self, kind: NodeKind<'a>) -> NodeId {
        let parent = self.current();
        let id = self.doc.nodes.len();
        self.doc.nodes.push(Node {
            kind,
            parent,
            children: Vec::new(),
            ended: false,
        });
        self.doc.nodes[parent].children.push(id);
        id
    }

    fn open_name(&self, index: usize) -> &str {
        self.doc.name(self.open[index]).unwrap_or("")
    }

    /// Pops up to and including the nearest open `name`, searching no further
    /// than the first scope boundary. Returns whether it was found.
    fn close_in_scope(&mut self, name: &str, extra_boundaries: &[&str]) -> bool {
        self.close_any_in_scope(&[name], extra_boundaries)
    }

    /// Like [`Self::close_in_scope`], for the nearest of several names.
    fn close_any_in_scope(&mut self, names: &[&str], extra_boundaries: &[&str]) -> bool {
        for index in (1..self.open.len()).rev() {
            let open = self.open_name(index);
            if names.contains(&open) {
                self.open.truncate(index);
                return true;
            }
            if SCOPE.contains(&open) || extra_boundaries.contains(&open) {
                return false;
            }
        }
        false
    }

    fn text(&mut self, text: &'a str) {
        if !text.is_empty() {
            self.push_node(NodeKind::Text(text));
        }
    }

    fn run(mut self) -> Document<'a> {
        let bytes = self.html.as_bytes();
        while self.pos < bytes.len() {
            let Some(offset) = memchr(b'<', &bytes[self.pos..]) else {
                self.text(&self.html[self.pos..]);
                break;
            };
            let lt = self.pos + offset;
            self.text(&self.html[self.pos..lt]);
            self.pos = lt;
            let rest = &bytes[lt + 1..];
            match rest.first() {
                Some(b'!') => self.skip_markup_declaration(),
                Some(b'?') => self.skip_past(b">"),
                Some(b'/') => self.end_tag(),
                Some(b) if b.is_ascii_alphabetic() => self.start_tag(),
                _ => {
                    // A lone '<' is text.
                    self.text(&self.html[lt..lt + 1]);
                    self.pos = lt + 1;
                }
            }
        }
        self.doc
    }

    fn skip_past(&mut self, needle: &[u8]) {
        let bytes = &self.html.as_bytes()[self.pos..];
        self.pos = match memmem::find(bytes, needle) {
            Some(at) => self.pos + at + needle.len(),
            None => self.html.len(),
        };
    }

    fn skip_markup_declaration(&mut self) {
        if self.html[self.pos..].starts_with("<!--") {
            self.pos += 4;
            self.skip_past(b"-->");
        } else if self.html[self.pos..].starts_with("<![CDATA[") {
            self.pos += 9;
            self.skip_past(b"]]>");
        } else {
            self.skip_past(b">");
        }
    }

    fn end_tag(&mut self) {
        let bytes = self.html.as_bytes();
        let start = self.pos + 2;
        let mut end = start;
        while end < bytes.len() && is_name_byte(bytes[end]) {
            end += 1;
        }
        let name = lowercase(&self.html[start..end]);
        self.skip_past(b">");
        if name.is_empty() {
            return;
        }
        match name.as_ref() {
            "p" => {
                // A stray `</p>` (no open p) would make an empty paragraph: nothing to keep.
                self.close_in_scope("p", &[]);
            }
            "br" => {
                self.push_node(NodeKind::Element {
                    name: Cow::Borrowed("br"),
                    attrs: 0..0,
                });
            }
            _ => {
                if name == "head" {
                    self.head_open = false;
                }
                if let Some(index) = (1..self.open.len())
                    .rev()
                    .find(|&i| self.open_name(i) == name)
                {
                    let id = self.open[index];
                    self.doc.nodes[id].ended = true;
                    self.open.truncate(index);
                }
            }
        }
    }

    fn start_tag(&mut self) {
        let bytes = self.html.as_bytes();
        let start = self.pos + 1;
        let mut at = start;
        while at < bytes.len() && is_name_byte(bytes[at]) {
            at += 1;
        }
        let name = lowercase(&self.html[start..at]);
        let attrs_start = self.doc.attrs.len();
        let mut self_closing = false;
        // Attributes.
        loop {
            while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                at += 1;
            }
            if at >= bytes.len() {
                break;
            }
            match bytes[at] {
                b'>' => {
                    at += 1;
                    break;
                }
                b'/' => {
                    at += 1;
                    if bytes.get(at) == Some(&b'>') {
                        self_closing = true;
                    }
                    continue;
                }
                _ => {}
            }
            let name_start = at;
            while at < bytes.len() && is_name_byte(bytes[at]) && bytes[at] != b'=' {
                at += 1;
            }
            if at == name_start {
                // A stray '=' or similar: skip one byte.
                at += 1;
                continue;
            }
            let attr_name = lowercase(&self.html[name_start..at]);
            while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            let mut value = "";
            if bytes.get(at) == Some(&b'=') {
                at += 1;
                while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                match bytes.get(at) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let value_start = at + 1;
                        let value_end = memchr(quote, &bytes[value_start..])
                            .map_or(bytes.len(), |o| value_start + o);
                        value = &self.html[value_start..value_end];
                        at = (value_end + 1).min(bytes.len());
                    }
                    _ => {
                        let value_start = at;
                        while at < bytes.len()
                            && !bytes[at].is_ascii_whitespace()
                            && bytes[at] != b'>'
                        {
                            at += 1;
                        }
                        value = &self.html[value_start..at];
                    }
                }
            }
            self.doc.attrs.push(Attr {
                name: attr_name,
                raw_value: value,
            });
        }
        self.pos = at.min(bytes.len());
        let attrs = attrs_start..self.doc.attrs.len();

        let tag = name.as_ref();
        if self.head_open && !HEAD_CONTENT.contains(&tag) {
            self.head_open = false;
            if let Some(index) = (1..self.open.len())
                .rev()
                .find(|&i| self.open_name(i) == "head")
            {
                self.open.truncate(index);
            }
        }
        if tag == "head" {
            self.head_open = true;
        }
        if CLOSES_P.contains(&tag) {
            self.close_in_scope("p", &[]);
        }
        match tag {
            "li" => {
                self.close_in_scope("li", &["ul", "ol"]);
            }
            "dt" | "dd" => {
                self.close_any_in_scope(&["dd", "dt"], &["dl"]);
            }
            "td" | "th" => {
                self.close_any_in_scope(&["td", "th"], &["tr"]);
            }
            "tr" => {
                self.close_in_scope("tr", &["tbody", "thead", "tfoot"]);
            }
            "option" => {
                self.close_in_scope("option", &["select"]);
            }
            "a" => {
                // A link never nests: a new `<a>` ends an open one (old menus
                // leave each `<a>` open), as its own end tag would.
                if let Some(&open_link) = self
                    .open
                    .iter()
                    .rev()
                    .find(|&&id| self.doc.name(id) == Some("a"))
                {
                    if self.close_in_scope("a", &[]) {
                        self.doc.nodes[open_link].ended = true;
                    }
                }
            }
            _ => {}
        }
        let is_void = VOID.contains(&tag);
        // In SVG and MathML a self-closing `<title/>` or `<style/>` is closed
        // (foreign content honours the slash); in HTML the slash is ignored.
        let is_raw = RAW_TEXT.contains(&tag) && !(self_closing && self.in_foreign_content());
        let id = self.push_node(NodeKind::Element { name, attrs });
        if is_void || (self_closing && !is_raw) {
            return;
        }
        if is_raw {
            let tag = self.doc.name(id).unwrap_or("").to_string();
            // A raw-text element never closed would swallow the rest of the
            // page; broken pages do that, so without an end tag it is empty.
            let Some(end) = find_raw_end(&self.html[self.pos..], &tag).map(|o| self.pos + o) else {
                return;
            };
            let text = &self.html[self.pos..end];
            let id_parent = self.open.len();
            self.open.push(id);
            self.text(text);
            self.open.truncate(id_parent);
            self.pos = end;
            if end < self.html.len() {
                self.skip_past(b">");
            }
            return;
        }
        self.open.push(id);
    }
}

/// Offset of `</tag` (ASCII case-insensitive) in `rest`.
fn find_raw_end(rest: &str, tag: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let finder = memmem::Finder::new(b"</");
    let mut from = 0;
    while let Some(offset) = finder.find(&bytes[from..]) {
        let at = from + offset;
        let name = bytes.get(at + 2..at + 2 + tag.len())?;
        if name.eq_ignore_ascii_case(tag.as_bytes())
            && bytes
                .get(at + 2 + tag.len())
                .map_or(true, |&b| !b.is_ascii_alphanumeric())
        {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// Decodes character references (all HTML5 named ones, decimal and hex).
pub fn decode_entities(raw: &str) -> Cow<'_, str> {
    let Some(first) = memchr(b'&', raw.as_bytes()) else {
        return Cow::Borrowed(raw);
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let mut rest = &raw[first..];
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let (decoded, used) = decode_one(rest);
        match decoded {
            Some(text) => {
                out.push_str(&text);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Decodes the reference at the start of `s` (which begins with '&').
fn decode_one(s: &str) -> (Option<String>, usize) {
    let bytes = s.as_bytes();
    if bytes.get(1) == Some(&b'#') {
        let (radix, digits_start) = match bytes.get(2) {
            Some(b'x' | b'X') => (16, 3),
            _ => (10, 2),
        };
        let mut end = digits_start;
        while end < bytes.len() && end - digits_start < 8 && (bytes[end] as char).is_digit(radix) {
            end += 1;
        }
        if end == digits_start {
            return (None, 0);
        }
        let code = u32::from_str_radix(&s[digits_start..end], radix).unwrap_or(0xFFFD);
        let ch = match code {
            0x80..=0x9F => windows_1252_c1(code),
            _ => char::from_u32(code)
                .filter(|&c| c != '\0')
                .unwrap_or('\u{FFFD}'),
        };
        let used = if bytes.get(end) == Some(&b';') {
            end + 1
        } else {
            end
        };
        return (Some(ch.to_string()), used);
    }
    // Named: longest name up to 32 bytes, with or without ';'.
    let mut end = 1;
    while end < bytes.len() && end < 33 && bytes[end].is_ascii_alphanumeric() {
        end += 1;
    }
    if end == 1 {
        return (None, 0);
    }
    if bytes.get(end) == Some(&b';') {
        if let Some(&(a, b)) = markup5ever::data::NAMED_ENTITIES
            .get(&s[1..=end])
            .filter(|e| e.0 != 0)
        {
            return (Some(entity_chars(a, b)), end + 1);
        }
    }
    // Legacy references without ';' (e.g. "&amp" or "&nbsp"). The table also
    // lists every name prefix with code 0 (for streaming tokenizers): skip those.
    for len in (2..=end.min(7)).rev() {
        if let Some(&(a, b)) = markup5ever::data::NAMED_ENTITIES
            .get(&s[1..len])
            .filter(|e| e.0 != 0)
        {
            return (Some(entity_chars(a, b)), len);
        }
    }
    (None, 0)
}

fn entity_chars(a: u32, b: u32) -> String {
    let mut out = String::new();
    out.extend(char::from_u32(a));
    if b != 0 {
        out.extend(char::from_u32(b));
    }
    out
}

/// Numeric references in 0x80..0x9F mean windows-1252 characters.
fn windows_1252_c1(code: u32) -> char {
    const TABLE: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    TABLE[(code - 0x80) as usize]
}

/// Collapses runs of whitespace (including no-break spaces) to one space and trims.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_nested_tree_with_decoded_text() {
        let doc = Document::parse("<html><body><div id=a><p>One &amp; two</p><p>Caf&eacute; &#233;&#x41;</div></body></html>");
        let div = doc.find(ROOT, "div").expect("div");
        assert_eq!(doc.attr(div, "id").as_deref(), Some("a"));
        let paragraphs: Vec<_> = doc
            .descendants(div)
            .filter(|&n| doc.name(n) == Some("p"))
            .collect();
        assert_eq!(paragraphs.len(), 2);
        assert_eq!(doc.text(paragraphs[0]), "One & two");
        assert_eq!(doc.text(paragraphs[1]), "Café éA");
    }

    #[test]
    fn a_link_ends_the_open_one_and_records_how_it_closed() {
        let doc = Document::parse("<td><a href=/1>One<br><a href=/2>Two</td><p><a href=/3>Three</a> <a href=/4>Four words left open");
        let links: Vec<NodeId> = (0..doc.nodes.len())
            .filter(|&id| doc.name(id) == Some("a"))
            .collect();
        assert_eq!(links.len(), 4);
        // No link holds another.
        for &link in &links {
            assert!(doc.find(link, "a").is_none_or(|found| found == link));
        }
        let ended: Vec<bool> = links.iter().map(|&id| doc.nodes[id].ended).collect();
        // Ended by the next <a>; by </td>; by </a>; by the end of the page.
        assert_eq!(ended, vec![true, false, true, false]);
    }

    #[test]
    fn implied_paragraph_and_list_item_ends() {
        let doc = Document::parse("<ul><li>a<li>b</ul><p>one<p>two<div>three</div>");
        let items: Vec<_> = doc
            .descendants(ROOT)
            .filter(|&n| doc.name(n) == Some("li"))
            .collect();
        assert_eq!(items.len(), 2);
        assert_eq!(doc.nodes[items[1]].parent, doc.nodes[items[0]].parent);
        let div = doc.find(ROOT, "div").expect("div");
        // The div is not inside the second p.
        assert_eq!(doc.name(doc.nodes[div].parent), None);
    }

    #[test]
    fn script_content_is_raw_text_and_comments_are_skipped() {
        let doc = Document::parse(
            "<div><script>if (a < b) { x = '</div>'; }</script><!-- <p>hidden</p> -->shown</div>",
        );
        let div = doc.find(ROOT, "div").expect("div");
        assert_eq!(doc.text(div), "shown");
        assert!(doc.find(ROOT, "p").is_none());
    }

    #[test]
    fn unmatched_end_tags_are_ignored_and_attributes_parse_in_all_forms() {
        let doc = Document::parse("<DIV Class='x y' data-a=1 hidden></span><IMG src=\"a.jpg\" alt=\"&quot;q&quot;\"/>t</div>");
        let div = doc.find(ROOT, "div").expect("div");
        assert_eq!(doc.attr(div, "class").as_deref(), Some("x y"));
        assert_eq!(doc.attr(div, "data-a").as_deref(), Some("1"));
        assert!(doc.has_attr(div, "hidden"));
        let img = doc.find(div, "img").expect("img");
        assert_eq!(doc.attr(img, "alt").as_deref(), Some("\"q\""));
        assert_eq!(doc.text(div), "t");
    }

    #[test]
    fn self_closing_svg_title_and_unclosed_raw_text_do_not_swallow_the_page() {
        let doc = Document::parse(
            "<a><svg><title/><path d='M0'/></svg></a><article><p>Story text</p></article>",
        );
        let article = doc.find(ROOT, "article").expect("article after the svg");
        assert_eq!(doc.text(article), "Story text");
        let doc = Document::parse("<div><textarea>draft<p>Story text</p></div>");
        assert_eq!(doc.text(doc.find(ROOT, "p").expect("p")), "Story text");
    }

    #[test]
    fn body_content_ends_an_unclosed_head() {
        let doc = Document::parse(
            "<html><head><title>t</title><meta charset=utf-8><div><p>Story</p></div></html>",
        );
        let div = doc.find(ROOT, "div").expect("div");
        assert_eq!(doc.name(doc.nodes[div].parent), Some("html"));
        let head = doc.find(ROOT, "head").expect("head");
        assert!(doc.find(head, "meta").is_some());
    }

    #[test]
    fn legacy_and_unknown_entities() {
        assert_eq!(
            decode_entities("a &amp b &nosuch; c &#150; &"),
            "a & b &nosuch; c – &"
        );
    }
}

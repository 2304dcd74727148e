//! The lead (standfirst) printed between a story's headline and its body.
//!
//! Many templates put the headline, a one- or two-sentence summary and a
//! byline in a header block, and the body in a container of its own after it
//! (often behind a share bar). The container choice then starts below the
//! lead. Here the text between the headline and the container is read again,
//! `<header>` included, and its prose paragraphs are kept: at least
//! [`LEAD_MIN_SENTENCES`] sentences (one sentence under a headline is a deck,
//! which news bodies leave out), few links, not a byline or date line, and no
//! more than [`LEAD_MAX_PARAGRAPHS`]. When the headline is far from the body (more than
//! [`LEAD_MAX_BLOCKS_BETWEEN`] blocks), it is not taken for the story's own.
use super::content::{self, Block};
use super::dom::{Document, NodeId, ROOT};
use super::fallback::has_sentence;
use super::tunables::{
    LEAD_MAX_BLOCKS_BETWEEN, LEAD_MAX_PARAGRAPHS, LEAD_MIN_CHARS, LEAD_MIN_SENTENCES,
    PARAGRAPH_MAX_LINK_DENSITY,
};

/// Lead paragraphs of the story whose body is `container` and whose headline
/// reads `title`, in page order; empty when there are none.
pub fn paragraphs(
    doc: &Document<'_>,
    skip: &[bool],
    container: NodeId,
    title: &str,
    body_text: &str,
) -> Vec<String> {
    let Some(headline) = headline_before(doc, container, title) else {
        return Vec::new();
    };
    let Some(blocks) = blocks_between(doc, skip, headline, container) else {
        return Vec::new();
    };
    blocks
        .iter()
        .filter(|b| is_lead_prose(b, doc, title))
        .filter(|b| !body_text.contains(b.text.as_str()))
        .take(LEAD_MAX_PARAGRAPHS)
        .map(|b| b.text.replace('\n', " "))
        .collect()
}

/// The last `<h1>` before the container (outside it) that reads as the title
/// and does not sit in a boilerplate region other than a `<header>`.
fn headline_before(doc: &Document<'_>, container: NodeId, title: &str) -> Option<NodeId> {
    let wanted = normalized(title);
    (1..container)
        .rev()
        .filter(|&id| doc.name(id) == Some("h1") && !doc.is_within(container, id))
        .find(|&id| normalized(&doc.text(id)) == wanted)
        .filter(|&id| !in_boilerplate(doc, id))
}

fn normalized(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether the element or an ancestor is boilerplate by structure (a
/// `<header>` aside) or by its class.
fn in_boilerplate(doc: &Document<'_>, mut id: NodeId) -> bool {
    while id != ROOT {
        if own_boilerplate(doc, id) {
            return true;
        }
        id = doc.nodes[id].parent;
    }
    false
}

/// Boilerplate by the element's own markup, a `<header>` not counted: the
/// story's header holds its headline and lead.
fn own_boilerplate(doc: &Document<'_>, id: NodeId) -> bool {
    (content::is_structural_boilerplate(doc, id) && doc.name(id) != Some("header"))
        || content::is_class_boilerplate(doc, id)
}

/// Text blocks after the headline's subtree and before the container, in
/// document order (node ids are in document order). `None` when there are
/// more than [`LEAD_MAX_BLOCKS_BETWEEN`].
fn blocks_between(
    doc: &Document<'_>,
    skip: &[bool],
    headline: NodeId,
    container: NodeId,
) -> Option<Vec<Block>> {
    let after_headline = subtree_end(doc, headline) + 1;
    // Marks for this stretch only: each element by its own markup and its
    // ancestors within the stretch, so a story `<header>` is read.
    let mut local_skip = skip.to_vec();
    let mut blocks = Vec::new();
    let mut id = after_headline;
    while id < container {
        if doc.is_within(container, id) {
            // An ancestor of the body: its children before the body are read.
            id += 1;
            continue;
        }
        let end = subtree_end(doc, id);
        for inner in id..=end {
            let parent = doc.nodes[inner].parent;
            let inherited = inner != id && local_skip[parent];
            local_skip[inner] = inherited || own_boilerplate(doc, inner);
        }
        blocks.extend(content::blocks_within(doc, &local_skip, id));
        if blocks.len() > LEAD_MAX_BLOCKS_BETWEEN {
            return None;
        }
        id = end + 1;
    }
    Some(blocks)
}

/// The last node id of the subtree at `id`.
fn subtree_end(doc: &Document<'_>, mut id: NodeId) -> NodeId {
    while let Some(&last) = doc.nodes[id].children.last() {
        id = last;
    }
    id
}

/// Sentences ended by `.`, `!` or `?` at the end of a word; initials and
/// dotted abbreviations ("U.S.", "J.") end none.
fn sentence_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|word| {
            let word = word.trim_end_matches(['"', '\'', '”', '’', '»', ')']);
            let Some(stem) = word.strip_suffix(['.', '!', '?', '。', '؟']) else {
                return false;
            };
            stem.chars().count() > 1 && !stem.contains('.')
        })
        .count()
}

/// A paragraph of prose, not a one-line deck: news templates print a
/// one-sentence subtitle under the headline that is no part of the body,
/// while a lead is a paragraph of its own.
fn is_lead_prose(block: &Block, doc: &Document<'_>, title: &str) -> bool {
    block.chars >= LEAD_MIN_CHARS
        && sentence_count(&block.text) >= LEAD_MIN_SENTENCES
        && block.link_density() <= PARAGRAPH_MAX_LINK_DENSITY
        && has_sentence(&block.text)
        && !matches!(
            doc.name(block.owner),
            Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6")
        )
        && !content::is_noise(block, None, Some(title), doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEAD: &str = "The two foreign ministers agreed on Tuesday to resume talks on the border. The pause had lasted three years.";
    const BODY: &str = "The ministers met for four hours in the old town hall. Both sides called the meeting useful and open, and said that the next round would be held before the summer in the other capital.";

    fn lead_of(html: &str) -> Vec<String> {
        let doc = Document::parse(html);
        let skip = content::structural_marks(&doc);
        let container = doc
            .descendants(ROOT)
            .find(|&id| doc.attr(id, "id").as_deref() == Some("body"))
            .expect("body container");
        paragraphs(&doc, &skip, container, "Talks resume", BODY)
    }

    #[test]
    fn lead_in_the_story_header_is_found() {
        let html = format!(
            "<html><body><nav><a href=/>Home</a></nav><header><h1>Talks resume</h1>\
             <p class=lead>{LEAD}</p><div class=meta>By A. Writer, 3 March 2009</div></header>\
             <div class=share><a href=#>Share</a></div><div id=body><p>{BODY}</p></div></body></html>"
        );
        assert_eq!(lead_of(&html), vec![LEAD.to_string()]);
    }

    #[test]
    fn no_lead_when_the_headline_is_not_the_title_or_text_is_not_prose() {
        let other = format!(
            "<html><body><h1>Another story</h1><p>{LEAD}</p><div id=body><p>{BODY}</p></div></body></html>"
        );
        assert!(lead_of(&other).is_empty());
        let labels = format!(
            "<html><body><h1>Talks resume</h1><p>Politics</p><p><a href=/a>{LEAD}</a></p>\
             <div id=body><p>{BODY}</p></div></body></html>"
        );
        assert!(lead_of(&labels).is_empty());
    }

    #[test]
    fn a_one_sentence_deck_is_not_a_lead() {
        let html = format!(
            "<html><body><h1>Talks resume</h1><p>Why the talks matter to both sides, and what comes next.</p>\
             <div id=body><p>{BODY}</p></div></body></html>"
        );
        assert!(lead_of(&html).is_empty());
        assert_eq!(sentence_count("U.S. talks resume. Both sides agree!"), 2);
        assert_eq!(sentence_count("He said: “We agree.” Talks go on"), 1);
    }

    #[test]
    fn a_headline_far_above_the_body_gives_no_lead() {
        let filler: String = (0..12).map(|i| format!("<p>Item {i}.</p>")).collect();
        let html = format!(
            "<html><body><h1>Talks resume</h1>{filler}<p>{LEAD}</p><div id=body><p>{BODY}</p></div></body></html>"
        );
        assert!(lead_of(&html).is_empty());
    }
}

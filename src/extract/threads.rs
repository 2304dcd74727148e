//! Comment threads found by their shape, not their names.
//!
//! Class-less pages (old templates, or markup stripped of its names) put the
//! comments in the story's container, where the structured path takes them
//! for story text. A thread repeats one shape: sibling items of the same tag,
//! each opened by a short header that carries a date ("Ann says: July 11,
//! 2011 at 12:25 pm") or an age ("2 weeks ago"), each holding a little prose
//! (a small share of the page's; replies nested in an item are not its own),
//! after the story (a scroll of dated stories starts with the page's own). A
//! story is one item, not a run of dated siblings, so such runs are marked as
//! boilerplate, unless they hold nearly all of the page's prose (a blog's
//! front page of dated posts, which the story splitter reads as several
//! stories).
use once_cell::sync::Lazy;
use regex::Regex;

use super::content::{self, Block, Weights};
use super::dates;
use super::dom::{Document, NodeId, ROOT};
use super::tunables::{
    THREAD_HEADER_BLOCKS, THREAD_HEADER_MAX_WORDS, THREAD_ITEM_MAX_PROSE_SHARE,
    THREAD_MAX_PROSE_SHARE, THREAD_MIN_ITEMS, THREAD_STORY_BEFORE_ITEMS,
};

/// Marks the dated items of every comment thread in `skip` (the item and
/// everything below it).
pub fn add_thread_marks(
    doc: &Document<'_>,
    skip: &mut [bool],
    blocks: &[Block],
    weights: &Weights,
) {
    let first_block = first_blocks(doc, blocks);
    let total = weights.good_chars[ROOT];
    // Prose read before each block: a thread follows its story, while a
    // scroll of dated stories starts with the page's own.
    let mut prose_before = Vec::with_capacity(blocks.len());
    let mut so_far = 0.0;
    for block in blocks {
        prose_before.push(so_far);
        if !skip[block.owner] {
            so_far += block.good();
        }
    }
    // The item opens with a dated header and has prose after it (a comment);
    // a dated line at the item's end is a quoted post's signature, and a
    // dated line alone a list entry.
    let dated_item = |item: NodeId| {
        let Some(first) = first_block[item] else {
            return false;
        };
        let inside = || {
            blocks[first..]
                .iter()
                .take_while(|b| doc.is_within(b.owner, item))
        };
        inside()
            .take(THREAD_HEADER_BLOCKS)
            .position(is_dated_header)
            .is_some_and(|header| inside().skip(header + 1).any(|b| b.good() > 0.0))
    };
    let mut marked = Vec::new();
    for parent in 0..doc.len() {
        if skip[parent] || doc.nodes[parent].children.len() < THREAD_MIN_ITEMS {
            continue;
        }
        let items: Vec<NodeId> = doc.nodes[parent]
            .children
            .iter()
            .copied()
            .filter(|&child| {
                !skip[child]
                    && doc.name(child).is_some()
                    && weights.good_chars[child] > 0.0
                    && !has_story_heading(doc, child)
                    && dated_item(child)
            })
            .collect();
        // Items of one tag only: a thread repeats one shape.
        let Some(&first) = items.first() else {
            continue;
        };
        let same_tag = items
            .iter()
            .filter(|&&i| doc.name(i) == doc.name(first))
            .count();
        if same_tag < THREAD_MIN_ITEMS || same_tag != items.len() {
            continue;
        }
        let prose: f64 = items.iter().map(|&i| weights.good_chars[i]).sum();
        let largest = items
            .iter()
            .map(|&i| own_prose(doc, weights, i))
            .fold(0.0, f64::max);
        let before = first_block[first].map_or(0.0, |b| prose_before[b]);
        // Every item small (one large dated item makes the run a page of
        // posts, not a thread), the run short of the page, and after the story.
        if largest < THREAD_ITEM_MAX_PROSE_SHARE * total
            && prose < THREAD_MAX_PROSE_SHARE * total
            && before >= THREAD_STORY_BEFORE_ITEMS * largest
        {
            marked.extend(items);
        }
    }
    for item in marked {
        skip[item] = true;
    }
    for id in 1..doc.len() {
        let parent = doc.nodes[id].parent;
        skip[id] |= skip[parent];
    }
}

/// A list item's prose without the replies nested in it (items of a list of
/// the same kind below it): a comment that drew a long chain of replies is
/// still one comment, not a story. Only lists: a `<div>` holds `<div>`s
/// whether or not they are replies.
fn own_prose(doc: &Document<'_>, weights: &Weights, item: NodeId) -> f64 {
    let tag = doc.name(item);
    if tag != Some("li") {
        return weights.good_chars[item];
    }
    let list = doc.name(doc.nodes[item].parent);
    let mut replies = 0.0;
    let mut last_reply: Option<NodeId> = None;
    for id in doc.descendants(item) {
        if last_reply.is_some_and(|reply| doc.is_within(id, reply)) {
            continue;
        }
        if doc.name(id) == tag && doc.name(doc.nodes[id].parent) == list {
            replies += weights.good_chars[id];
            last_reply = Some(id);
        }
    }
    weights.good_chars[item] - replies
}

/// Index of the first block inside each node, in reading order.
fn first_blocks(doc: &Document<'_>, blocks: &[Block]) -> Vec<Option<usize>> {
    let mut first = vec![None; doc.len()];
    for (index, block) in blocks.iter().enumerate() {
        let mut id = block.owner;
        while first[id].is_none() {
            first[id] = Some(index);
            if id == ROOT {
                break;
            }
            id = doc.nodes[id].parent;
        }
    }
    first
}

/// A comment's age as comment systems print it instead of a date
/// ("2 weeks ago", "vor 3 Tagen"): a date too, for a header.
static RELATIVE_AGE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)\b(?:\d+|an?|one)\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago\b|\bvor\s+(?:\d+|einer?|einem)\s+(?:Sekunden?|Minuten?|Stunden?|Tag(?:en)?|Wochen?|Monat(?:en)?|Jahr(?:en)?)\b",
    )
    .expect("static regex")
});

/// A short line carrying a date or a comment's age: a comment's "name,
/// date" header.
fn is_dated_header(block: &Block) -> bool {
    block.text.split('\n').any(|line| {
        content::count_words(line) <= THREAD_HEADER_MAX_WORDS
            && (dates::parse_visible(line).is_some() || RELATIVE_AGE.is_match(line))
    })
}

/// Posts on a blog's front page carry headings; comments do not.
fn has_story_heading(doc: &Document<'_>, id: NodeId) -> bool {
    ["h1", "h2", "h3"].iter().any(|h| doc.find(id, h).is_some())
}

#[cfg(test)]
mod tests {
    use super::RELATIVE_AGE;

    #[test]
    fn comment_ages_count_as_dates_and_durations_in_prose_do_not() {
        for age in ["Pat Doe • 2 weeks ago", "an hour ago", "Kim, vor 3 Tagen"] {
            assert!(RELATIVE_AGE.is_match(age), "{age}");
        }
        for prose in [
            "The talks lasted 2 weeks",
            "ago, he said",
            "vor dem Rathaus",
        ] {
            assert!(!RELATIVE_AGE.is_match(prose), "{prose}");
        }
    }
}

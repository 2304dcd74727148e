//! Teaser lists and orphan labels inside the story's container, found line
//! by line.
//!
//! On class-less markup the story container is often the page wrapper, so
//! what follows the story (boxes of "more stories", a label over a link
//! list) is read with it. The block rules drop link-heavy lines and blocks,
//! but two shapes survive them:
//! - a **teaser list**: linked headlines (or "read more" links), each
//!   followed by a short unlinked summary. The links go, the summaries stay
//!   and read as short paragraphs. The shape is the alternation: at least
//!   [`TEASER_MIN_ITEMS`] short unlinked groups, each right after link-heavy
//!   lines and in one item with them, and followed by more of them or by
//!   the body's end; the list must close the story (text before it, little
//!   after it). A story's "read also" link between two paragraphs gives one
//!   such group, and a story's paragraphs beside embedded boxes of links do
//!   not share an item with the links.
//! - an **orphan label**: a short line without sentence punctuation whose
//!   section (up to the next label or the end) held only link lines that
//!   were dropped ("Related posts" over its links, inside one table cell or
//!   one `<br>` run, which the block-level heading rule does not see).
//!
//! The rules see the body as one sequence of lines across its blocks, with
//! each line's link share, so they work whether the markup gives each
//! teaser its own elements or writes the list as `<br>` lines. Linear in the
//! lines.
use super::tunables::{TEASER_MIN_ITEMS, TEASER_SUMMARY_MAX_LINES, TEASER_SUMMARY_MAX_WORDS};

/// One line of the story's container as the block rules left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub words: usize,
    /// More than half of its text is link text.
    pub link_heavy: bool,
    /// Kept by the block and line rules so far.
    pub kept: bool,
    /// Short, without sentence punctuation at its end (a label or heading).
    pub label: bool,
    /// In one item with the last link-heavy line before it (same block,
    /// sibling elements, or one wrapper opening with the link), not beside
    /// a box of links embedded in the story.
    pub beside_link: bool,
}

/// The lines the two rules drop, beyond those already dropped.
pub fn extra_drops(lines: &[Line]) -> Vec<bool> {
    let mut drop = vec![false; lines.len()];
    teaser_runs(lines, &mut drop);
    orphan_labels(lines, &mut drop);
    drop
}

/// A maximal run of lines of one kind: link-heavy or kept unlinked ones.
struct Group {
    heavy: bool,
    /// Indices into the lines, in order.
    members: Vec<usize>,
    words: usize,
}

/// Link-heavy lines and kept unlinked lines, grouped by kind; dropped
/// unlinked lines (date lines, bylines, captions) are passed over, as a
/// teaser's date line sits between its headline and its summary.
fn groups(lines: &[Line]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if !line.link_heavy && !line.kept {
            continue;
        }
        match out.last_mut() {
            Some(group) if group.heavy == line.link_heavy => {
                group.members.push(index);
                group.words += line.words;
            }
            _ => out.push(Group {
                heavy: line.link_heavy,
                members: vec![index],
                words: line.words,
            }),
        }
    }
    out
}

/// Whether the unlinked group at `at` reads as a teaser's summary: short,
/// after links and in one item with them, and followed by links or the
/// body's end. Without the item condition a story of one-sentence
/// paragraphs between embedded boxes of links ("read also" headlines) lost
/// half its text on the benchmark. Any length from one word up (tried with at least 3, 5 and 8 words, to spare values and
/// dates between links: each lost trafilatura tune F1 on class-less markup,
/// 0.0017-0.0042, and the position condition already spares them in a post).
fn is_summary(lines: &[Line], groups: &[Group], at: usize) -> bool {
    let group = &groups[at];
    !group.heavy
        && at > 0
        && groups[at - 1].heavy
        && lines[group.members[0]].beside_link
        && group.members.len() <= TEASER_SUMMARY_MAX_LINES
        && group.words <= TEASER_SUMMARY_MAX_WORDS
        && groups.get(at + 1).map_or(true, |next| next.heavy)
}

/// Marks the summaries of teaser lists, and their links, in `drop`.
fn teaser_runs(lines: &[Line], drop: &mut [bool]) {
    let groups = groups(lines);
    let mut at = 1;
    while at < groups.len() {
        // Summaries two groups apart, with links between, are one list.
        let mut end = at;
        while end < groups.len() && is_summary(lines, &groups, end) {
            end += 2;
        }
        let items = (end - at) / 2;
        let run = &groups[at - 1..end.min(groups.len())];
        if items >= TEASER_MIN_ITEMS && ends_the_story(lines, run) {
            for group in run {
                group.members.iter().for_each(|&i| drop[i] = true);
            }
            at = end + 1;
        } else {
            // A maximal run is judged once, so the scan stays linear.
            at = if end > at { end + 1 } else { at + 1 };
        }
    }
}

/// Whether a run of teasers closes the story: the kept unlinked text before
/// it is at least as long as the run's summaries, and the text after it no
/// longer (page furniture). A page that is a list of teasers (an index
/// page), and a list of links with comments or values in the middle of a
/// post, keep theirs. Tried with the text before only having to outweigh
/// the text after: trafilatura tune +0.002 more on class-less markup, but
/// readability tune -0.0005 to -0.0012 more (lists of links in posts).
fn ends_the_story(lines: &[Line], run: &[Group]) -> bool {
    let (Some(first), Some(last)) = (
        run.first().and_then(|g| g.members.first()),
        run.last().and_then(|g| g.members.last()),
    ) else {
        return false;
    };
    let prose = |range: &[Line]| -> usize {
        range
            .iter()
            .filter(|l| l.kept && !l.link_heavy)
            .map(|l| l.words)
            .sum()
    };
    let summaries: usize = run.iter().filter(|g| !g.heavy).map(|g| g.words).sum();
    let before = prose(&lines[..*first]);
    before >= summaries && prose(&lines[last + 1..]) <= summaries
}

/// Marks kept labels whose section held only dropped link lines.
fn orphan_labels(lines: &[Line], drop: &mut [bool]) {
    let kept = |i: usize, drop: &[bool]| lines[i].kept && !drop[i];
    for start in 0..lines.len() {
        if !lines[start].label || !kept(start, drop) {
            continue;
        }
        let mut dropped_links = false;
        let mut orphan = true;
        for (next, line) in lines.iter().enumerate().skip(start + 1) {
            if kept(next, drop) {
                // Another label ends the section; prose keeps this one.
                orphan = line.label;
                break;
            }
            dropped_links |= line.link_heavy;
        }
        if orphan && dropped_links {
            drop[start] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(words: usize) -> Line {
        Line {
            words,
            link_heavy: false,
            kept: true,
            label: false,
            beside_link: true,
        }
    }

    fn link(kept: bool) -> Line {
        Line {
            words: 6,
            link_heavy: true,
            kept,
            label: false,
            beside_link: true,
        }
    }

    fn label() -> Line {
        Line {
            words: 2,
            link_heavy: false,
            kept: true,
            label: true,
            beside_link: true,
        }
    }

    fn dropped(lines: &[Line]) -> Vec<usize> {
        extra_drops(lines)
            .iter()
            .enumerate()
            .filter_map(|(i, &d)| d.then_some(i))
            .collect()
    }

    #[test]
    fn headlines_with_short_summaries_after_the_story_go_with_their_summaries() {
        // story, then three linked headlines each over a two-sentence summary
        let lines = [
            prose(80),
            prose(60),
            link(false),
            prose(25),
            link(true),
            prose(18),
            link(false),
            prose(30),
        ];
        assert_eq!(dropped(&lines), vec![2, 3, 4, 5, 6, 7]);
    }

    #[test]
    fn one_read_also_link_between_paragraphs_keeps_the_story() {
        let lines = [prose(50), link(false), prose(20), prose(45)];
        assert!(dropped(&lines).is_empty());
        // two links, but the paragraph after the second runs on into more story
        let lines = [
            prose(50),
            link(false),
            prose(20),
            link(false),
            prose(30),
            prose(40),
        ];
        assert!(dropped(&lines).is_empty());
    }

    #[test]
    fn long_paragraphs_between_links_are_not_summaries() {
        let lines = [link(false), prose(70), link(false), prose(90), link(false)];
        assert!(dropped(&lines).is_empty());
    }

    #[test]
    fn a_page_of_teasers_and_a_list_in_mid_post_keep_their_summaries() {
        // nothing before the list: the list is the page
        let lines = [
            link(false),
            prose(25),
            link(false),
            prose(18),
            link(false),
            prose(30),
        ];
        assert!(dropped(&lines).is_empty());
        // links with comments, then more of the post
        let lines = [
            prose(40),
            link(true),
            prose(12),
            link(true),
            prose(15),
            link(true),
            prose(200),
        ];
        assert!(dropped(&lines).is_empty());
    }

    #[test]
    fn values_between_links_in_the_middle_of_a_post_stay() {
        // a table of names (links) and sizes, then the post goes on
        let lines = [
            prose(120),
            link(false),
            prose(2),
            link(false),
            prose(3),
            link(false),
            prose(2),
            prose(150),
        ];
        assert!(dropped(&lines).is_empty());
    }

    #[test]
    fn short_paragraphs_beside_embedded_link_boxes_are_the_story() {
        let apart = |words| Line {
            beside_link: false,
            ..prose(words)
        };
        let lines = [
            prose(150),
            link(false),
            apart(20),
            link(false),
            apart(15),
            link(false),
            apart(12),
        ];
        assert!(dropped(&lines).is_empty());
    }

    #[test]
    fn a_date_line_between_headline_and_summary_does_not_break_the_list() {
        let date = Line {
            words: 3,
            link_heavy: false,
            kept: false,
            label: false,
            beside_link: true,
        };
        let lines = [
            prose(90),
            link(false),
            date,
            prose(20),
            link(false),
            date,
            prose(22),
        ];
        assert_eq!(dropped(&lines), vec![1, 3, 4, 6]);
    }

    #[test]
    fn a_label_over_a_dropped_link_list_goes_and_a_section_heading_stays() {
        let lines = [prose(90), label(), link(false), link(false), link(false)];
        assert_eq!(dropped(&lines), vec![1]);
        let lines = [label(), prose(40), label(), link(false), label(), prose(30)];
        assert_eq!(dropped(&lines), vec![2]);
        // a label with nothing dropped under it (a sign-off at the end) stays
        let lines = [prose(90), label()];
        assert!(dropped(&lines).is_empty());
    }
}

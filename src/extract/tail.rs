//! The story's end: page furniture printed after the story's last paragraph.
//!
//! On class-less markup the story container is often the page wrapper, and
//! what follows the story (a newsletter sign-up, "Posted in ... | Tags ..."
//! lines, "Leave a comment", share and print labels, the site's copyright
//! and privacy lines) comes in with it. The story is found as the run of
//! paragraphs with the most prose, lines that are not prose counting against
//! it (a maximum-sum run, linear in the paragraphs); after that run, short
//! paragraphs holding a word of page furniture ([`TAIL_BOILERPLATE_WORDS`])
//! are dropped, unless the paragraphs after the run hold more words than the
//! run itself (then the run is not the whole story: hard-wrapped lines of a
//! plain-text page, a long list closing a changelog). Nothing before or
//! inside the run is touched, so lists, code and signatures that close a
//! story stay unless they speak of comments, sharing or subscriptions.
use once_cell::sync::Lazy;
use regex::Regex;

use super::content::{count_words, text_weight, SENTENCE_MARKS};
use super::tunables::{
    LABEL_LINE_MAX_WORDS, LABEL_LINE_WORDS, STORY_GAP_LINE, STORY_GAP_WEIGHT,
    STORY_PROSE_MIN_WORDS, TAIL_BOILERPLATE_MAX_WORDS, TAIL_BOILERPLATE_WORDS,
};

/// The furniture words as one case-insensitive whole-word pattern, compiled once.
static FURNITURE: Lazy<Regex> = Lazy::new(|| {
    let words: Vec<String> = TAIL_BOILERPLATE_WORDS
        .iter()
        .map(|w| regex::escape(w).replace(' ', r"\s+"))
        .collect();
    Regex::new(&format!(r"(?i)\b(?:{})\b", words.join("|"))).expect("static regex")
});

/// A label word opening a line, then `:` or `|`, compiled once.
static LABEL: Lazy<Regex> = Lazy::new(|| {
    let words: Vec<String> = LABEL_LINE_WORDS
        .iter()
        .map(|w| regex::escape(w).replace(' ', r"\s+"))
        .collect();
    Regex::new(&format!(r"(?i)^(?:{})\s*[:|]", words.join("|"))).expect("static regex")
});

/// A caption credit or filing line: "Photo: ...", "Tags: ...".
fn is_label_line(paragraph: &str) -> bool {
    count_words(paragraph) <= LABEL_LINE_MAX_WORDS && LABEL.is_match(paragraph)
}

/// The body without label lines (see [`is_label_line`]), unless that would
/// leave nothing.
pub fn without_label_lines(text: &str) -> String {
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    if !paragraphs.iter().any(|p| is_label_line(p)) || paragraphs.iter().all(|p| is_label_line(p)) {
        return text.to_string();
    }
    let kept: Vec<&str> = paragraphs
        .into_iter()
        .filter(|p| !is_label_line(p))
        .collect();
    kept.join("\n\n")
}

fn is_prose(paragraph: &str) -> bool {
    paragraph.contains(SENTENCE_MARKS) && count_words(paragraph) >= STORY_PROSE_MIN_WORDS
}

/// The story's run: the paragraphs (first and last index) with the largest
/// sum of prose weight minus the weight of the lines between them. `None`
/// when no paragraph is prose.
fn story_run(paragraphs: &[&str]) -> Option<(usize, usize)> {
    let mut best: Option<(f64, usize, usize)> = None;
    let mut running = 0.0;
    let mut start = 0;
    for (index, paragraph) in paragraphs.iter().enumerate() {
        let weight = text_weight(paragraph) as f64;
        let prose = is_prose(paragraph);
        let value = if prose {
            weight
        } else {
            -(STORY_GAP_WEIGHT * weight + STORY_GAP_LINE)
        };
        if running > 0.0 {
            running += value;
        } else {
            running = value;
            start = index;
        }
        if prose && best.map_or(true, |(top, _, _)| running > top) {
            best = Some((running, start, index));
        }
    }
    best.map(|(_, start, end)| (start, end))
}

/// The body without the furniture after the story's end (paragraphs are
/// separated by blank lines, as in [`super::Article::text`]).
pub fn without_tail_furniture(text: &str) -> String {
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    let Some((start, end)) = story_run(&paragraphs) else {
        return text.to_string();
    };
    // A tail longer than the run means the run is not the whole story
    // (hard-wrapped lines, a long list closing it): nothing is its tail.
    let words = |run: &[&str]| run.iter().map(|p| count_words(p)).sum::<usize>();
    if words(&paragraphs[end + 1..]) > words(&paragraphs[start..=end]) {
        return text.to_string();
    }
    let furniture = |paragraph: &str| {
        count_words(paragraph) <= TAIL_BOILERPLATE_MAX_WORDS && FURNITURE.is_match(paragraph)
    };
    if !paragraphs[end + 1..].iter().any(|p| furniture(p)) {
        return text.to_string();
    }
    let kept: Vec<&str> = paragraphs[..=end]
        .iter()
        .copied()
        .chain(
            paragraphs[end + 1..]
                .iter()
                .copied()
                .filter(|p| !furniture(p)),
        )
        .collect();
    kept.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The ministers met in Geneva on Tuesday to discuss the ceasefire.\n\n\
        Both delegations said the talks would resume next month in Vienna.";

    #[test]
    fn furniture_after_the_story_goes() {
        // The story's run outweighs what follows it (else nothing is cut).
        let story = format!(
            "{STORY}\n\nThe foreign ministers of both countries will join the next round, \
             officials said after the meeting."
        );
        let text = format!(
            "{story}\n\nPosted in World News | Tags: Geneva, talks\n\n\
             Sign up for our newsletter to get the latest news in your inbox.\n\nLeave a comment"
        );
        assert_eq!(without_tail_furniture(&text), story);
    }

    #[test]
    fn the_story_itself_and_plain_closing_lines_stay() {
        // A story paragraph that speaks of comments is inside the story's run.
        let text = format!(
            "{STORY}\n\nThe spokesman declined to comment on the terms of the deal.\n\n\
             Reporting by Jane Doe; editing by John Roe"
        );
        assert_eq!(without_tail_furniture(&text), text);
    }

    #[test]
    fn prose_after_a_short_gap_is_still_the_story() {
        // A subheading between story paragraphs does not end the story, so
        // what follows it is not read as furniture.
        let text = format!(
            "{STORY}\n\nWhat comes next\n\nOfficials would not comment on when the new terms of \
             the agreement would be shared with the press."
        );
        assert_eq!(without_tail_furniture(&text), text);
    }

    #[test]
    fn a_tail_longer_than_the_story_run_is_not_cut() {
        // Hard-wrapped lines without sentence marks: the prose run is short
        // and the lines after it are the rest of the story.
        let wrapped = "A response is sent for each request\n\nthat the server accepts, with a status line\n\n\
            and the headers the client asked for";
        let text = format!("{STORY}\n\n{wrapped}\n\n{wrapped}\n\n{wrapped}");
        assert_eq!(without_tail_furniture(&text), text);
    }

    #[test]
    fn label_lines_go_wherever_they_stand() {
        let text = format!("Photo: Jane Doe / Agency\n\n{STORY}\n\nTags: Geneva | talks");
        assert_eq!(without_label_lines(&text), STORY);
        // A sentence that only starts like a label stays.
        let sentence = format!(
            "{STORY}\n\nSource: the ministry said in a statement on \
            Wednesday that the talks had ended without an agreement on the key points."
        );
        assert_eq!(without_label_lines(&sentence), sentence);
        assert_eq!(without_label_lines("Tags: one"), "Tags: one");
    }

    #[test]
    fn text_without_prose_is_left_alone() {
        let text = "Share\n\nComments\n\nTags";
        assert_eq!(without_tail_furniture(text), text);
    }
}

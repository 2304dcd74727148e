//! Sentence splitting with byte spans into the article body.

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sgt", "capt", "sen", "rep", "gov", "st",
    "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "approx", "dept", "est", "fig",
    "h.e",
];

/// A sentence as a byte range of the text it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// Splits text into sentences. Paragraph breaks always end a sentence; `.`,
/// `!` and `?` end one when followed by whitespace and an upper-case letter,
/// a digit or an opening quote, unless the stop belongs to an abbreviation
/// ("Mr.", "Jan.") or an initialism ("U.S.").
pub fn split(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let is_break = if b == b'\n' {
            // a blank line (or any newline) ends a paragraph
            true
        } else if matches!(b, b'.' | b'!' | b'?') {
            ends_sentence(text, i)
        } else {
            false
        };
        if is_break {
            // keep closing quotes and brackets with the sentence
            let mut end = i + 1;
            while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')') {
                end += 1;
            }
            if text[end..].starts_with('”') || text[end..].starts_with('’') {
                end += 3;
            }
            push_trimmed(text, start, end, &mut spans);
            start = end;
            i = end;
            continue;
        }
        i += 1;
    }
    push_trimmed(text, start, text.len(), &mut spans);
    spans
}

fn push_trimmed(text: &str, start: usize, end: usize, spans: &mut Vec<Span>) {
    let slice = &text[start..end];
    let trimmed_start = start + (slice.len() - slice.trim_start().len());
    let trimmed_end = end - (slice.len() - slice.trim_end().len());
    if trimmed_end > trimmed_start {
        spans.push(Span {
            start: trimmed_start,
            end: trimmed_end,
        });
    }
}

fn ends_sentence(text: &str, stop: usize) -> bool {
    let after = &text[stop + 1..];
    let after = after.trim_start_matches(['"', '\'', ')', '”', '’']);
    let rest = after.trim_start_matches([' ', '\t']);
    if rest.len() == after.len() && !after.is_empty() {
        return false; // no whitespace after the stop: "U.S." or "3.5"
    }
    match rest.chars().next() {
        None => return true,
        Some(c) if c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '\'') => {}
        Some(_) => return false,
    }
    if text.as_bytes()[stop] != b'.' {
        return true;
    }
    let before = &text[..stop];
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || *c == '(' || *c == '"')
        .map(|(p, c)| p + c.len_utf8())
        .unwrap_or(0);
    let word = &before[word_start..];
    if word.is_empty() {
        return true;
    }
    let lower = word.to_ascii_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return false;
    }
    // Initials and initialisms: "J.", "U.S", "U.N"
    let letters: Vec<char> = word.chars().filter(|c| *c != '.').collect();
    if word.contains('.') && letters.iter().all(|c| c.is_uppercase()) {
        return false;
    }
    !(letters.len() == 1 && letters[0].is_uppercase())
}

/// Byte offset -> char offset, for a sorted walk over one text.
pub fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

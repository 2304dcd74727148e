//! The tense of the clause around a date phrase, from a small lexicon of
//! auxiliaries and verb forms (no part-of-speech tagger): the nearest marker
//! wins, words before the phrase counting half as far as words after it.
use once_cell::sync::Lazy;
use regex::Regex;

/// Which way a phrase without a year or month points from the publication
/// date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tense {
    /// "met", "was held", "has signed": the latest such day on or before
    /// publication.
    Past,
    /// "is visiting", "arrives", "is": the first such weekday on or after
    /// publication; the nearest such date.
    Present,
    /// "will", "is due to", "is expected to", "plans to visit": the first
    /// such day after publication.
    Future,
    /// No marker found: the caller's prior decides.
    #[default]
    Unknown,
}

impl Tense {
    /// The prior of a rule: `planned` events are told in the future.
    pub fn from_planned(planned: bool) -> Tense {
        if planned {
            Tense::Future
        } else {
            Tense::Past
        }
    }

    /// `self`, or `prior` when no marker was found.
    pub fn or(self, prior: Tense) -> Tense {
        match self {
            Tense::Unknown => prior,
            known => known,
        }
    }
}

static WORD: Lazy<Regex> = Lazy::new(|| Regex::new(r"[A-Za-z]+(?:'[a-z]+)?").unwrap());

/// Words looked at on each side of the phrase.
const WORDS_BEFORE: usize = 15;
const WORDS_AFTER: usize = 10;

/// The tense of the clause holding `sentence[start..end]`.
pub fn around(sentence: &str, start: usize, end: usize) -> Tense {
    // A semicolon ends a clause; a comma does not ("Xi, who arrived on
    // Monday, will meet ...").
    let clause_start = sentence[..start].rfind(';').map_or(0, |i| i + 1);
    let clause_end = sentence[end..]
        .find(';')
        .map_or(sentence.len(), |i| end + i);
    let before_text = &sentence[clause_start..start];
    let before: Vec<&str> = WORD.find_iter(before_text).map(|m| m.as_str()).collect();
    // "..., his office announced on Monday, before flying on for talks on
    // Oct. 23": an attribution set off by a comma before the phrase tells
    // when it was said, not the event's tense
    let attribution_before = |word: &str| {
        is_any(word, SPEECH_VERBS)
            && before_text
                .rfind(word)
                .is_some_and(|at| before_text[at..].contains(','))
    };
    let after: Vec<&str> = WORD
        .find_iter(&sentence[end..clause_end])
        .take(WORDS_AFTER + 1)
        .map(|m| m.as_str())
        .collect();
    let backward = (0..before.len()).rev().take(WORDS_BEFORE).find_map(|i| {
        if attribution_before(before[i]) {
            return None;
        }
        let prev = i.checked_sub(1).map(|p| before[p]);
        marker(prev, before[i], before.get(i + 1).copied(), Side::Before)
            .map(|t| (before.len() - i, t))
    });
    let forward = (0..after.len().min(WORDS_AFTER)).find_map(|i| {
        // "..., the ministry said on Thursday": a speech verb after the
        // phrase dates the telling, not the event
        if is_any(after[i], SPEECH_VERBS) {
            return None;
        }
        let prev = if i == 0 {
            before.last().copied()
        } else {
            Some(after[i - 1])
        };
        marker(prev, after[i], after.get(i + 1).copied(), Side::After).map(|t| ((i + 1) * 2, t))
    });
    match (backward, forward) {
        (Some((db, tb)), Some((df, tf))) => {
            if db <= df {
                tb
            } else {
                tf
            }
        }
        (Some((_, t)), None) | (None, Some((_, t))) => t,
        (None, None) => Tense::Unknown,
    }
}

fn is_any(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Verbs of attribution ("officials said").
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "announced",
    "reported",
    "stated",
    "confirmed",
];
const BE_PRESENT: &[&str] = &[
    "is", "are", "am", "it's", "he's", "she's", "they're", "we're",
];
const FUTURE_WORDS: &[&str] = &[
    "will",
    "shall",
    "won't",
    "would",
    "due",
    "upcoming",
    "forthcoming",
    "scheduled",
    "slated",
    "planned",
    "plans",
    "planning",
    "intends",
    "expected",
];
const PAST_AUXILIARIES: &[&str] = &["was", "were", "had", "did", "has", "have", "ago"];
/// Irregular past forms common in news copy.
const IRREGULAR_PAST: &[&str] = &[
    "met",
    "held",
    "spoke",
    "said",
    "went",
    "came",
    "flew",
    "left",
    "began",
    "took",
    "gave",
    "told",
    "made",
    "saw",
    "paid",
    "led",
    "sat",
    "stood",
    "won",
    "sent",
    "brought",
    "wrote",
    "found",
    "kept",
    "got",
    "broke",
    "chose",
    "drove",
    "fell",
    "fought",
    "grew",
    "heard",
    "knew",
    "lost",
    "rode",
    "rose",
    "sought",
    "sold",
    "shook",
    "struck",
    "swore",
    "thought",
    "threw",
    "understood",
    "wore",
    "withdrew",
    "became",
    "undertook",
    "oversaw",
    "spent",
    "hosted",
];
/// Words ending in "-ed" that are not past verbs, or that point forward.
const NOT_PAST_ED: &[&str] = &[
    "united",
    "hundred",
    "need",
    "indeed",
    "speed",
    "proceed",
    "exceed",
    "succeed",
    "seed",
    "feed",
    "breed",
    "embed",
    "based",
    "related",
    "limited",
    "advanced",
    "armed",
    "allied",
    "supposed",
    "so-called",
    "detailed",
    "concerned",
    "interested",
    "proposed",
    "anticipated",
];
/// Third-person present forms that tell a scheduled event ("Xi arrives in
/// Moscow on Monday").
const PRESENT_VERBS: &[&str] = &[
    "arrives",
    "visits",
    "meets",
    "holds",
    "begins",
    "starts",
    "opens",
    "travels",
    "heads",
    "hosts",
    "leaves",
    "returns",
    "ends",
    "concludes",
    "runs",
    "kicks",
    "goes",
    "flies",
    "lands",
    "tours",
    "attends",
    "signs",
    "takes",
    "embarks",
    "wraps",
    "closes",
];
/// Verbs whose infinitive points forward ("invited to visit on Monday").
const FORWARD_INFINITIVES: &[&str] = &[
    "visit", "meet", "travel", "hold", "attend", "host", "sign", "arrive", "make", "pay", "go",
    "begin", "start", "open", "discuss", "fly", "tour", "head", "receive", "welcome", "join",
    "take", "lead", "hold", "be",
];

/// Which side of the date phrase a word is on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Before,
    After,
}

/// The tense `word` marks, given its neighbours.
fn marker(prev: Option<&str>, word: &str, next: Option<&str>, side: Side) -> Option<Tense> {
    let lower = word.to_ascii_lowercase();
    let prev_is = |list: &[&str]| prev.is_some_and(|p| is_any(p, list));
    if lower.ends_with("'ll") || is_any(&lower, FUTURE_WORDS) {
        return Some(Tense::Future);
    }
    if (lower == "going" || lower == "set") && next.is_some_and(|n| n.eq_ignore_ascii_case("to")) {
        return Some(Tense::Future);
    }
    // "ahead of Thursday's summit": the day lies after the clause's time
    if lower == "ahead" && next.is_some_and(|n| n.eq_ignore_ascii_case("of")) {
        return Some(Tense::Future);
    }
    // "telephoned him on Tuesday to discuss": after the phrase an infinitive
    // tells the purpose, not the time
    if side == Side::Before
        && prev.is_some_and(|p| p.eq_ignore_ascii_case("to"))
        && is_any(&lower, FORWARD_INFINITIVES)
    {
        return Some(Tense::Future);
    }
    if is_any(&lower, BE_PRESENT) {
        return Some(Tense::Present);
    }
    if is_any(&lower, PAST_AUXILIARIES) {
        return Some(Tense::Past);
    }
    if lower.ends_with("ing") && prev_is(BE_PRESENT) {
        return Some(Tense::Present);
    }
    if is_any(&lower, PRESENT_VERBS) && word.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some(Tense::Present);
    }
    let regular_past = lower.len() >= 5
        && lower.ends_with("ed")
        && word.starts_with(|c: char| c.is_ascii_lowercase())
        && !is_any(&lower, NOT_PAST_ED);
    if regular_past || is_any(&lower, IRREGULAR_PAST) {
        // "is held": the auxiliary decides; "been invited": look further.
        if prev_is(BE_PRESENT) {
            return Some(Tense::Present);
        }
        if prev_is(&["be", "been", "being", "to"]) {
            return None;
        }
        // ", hosted by X": a participle after the phrase describes, it does
        // not tell the time
        if side == Side::After && next.is_some_and(|n| n.eq_ignore_ascii_case("by")) {
            return None;
        }
        return Some(Tense::Past);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tense_of(sentence: &str, phrase: &str) -> Tense {
        let start = sentence.find(phrase).expect("phrase in sentence");
        around(sentence, start, start + phrase.len())
    }

    #[test]
    fn markers_near_the_phrase_decide() {
        let cases = [
            (
                "Xi will visit Moscow on Monday.",
                "on Monday",
                Tense::Future,
            ),
            ("Xi met Putin on Monday.", "on Monday", Tense::Past),
            (
                "The leaders held talks in Beijing on Monday.",
                "on Monday",
                Tense::Past,
            ),
            (
                "The talks were held Thursday in Geneva.",
                "Thursday",
                Tense::Past,
            ),
            (
                "Modi is visiting Japan on Thursday.",
                "on Thursday",
                Tense::Present,
            ),
            (
                "Albanese arrives in Jakarta on Sunday.",
                "on Sunday",
                Tense::Present,
            ),
            (
                "The two are due to meet on Friday.",
                "on Friday",
                Tense::Future,
            ),
            (
                "She is expected to arrive on Tuesday.",
                "on Tuesday",
                Tense::Future,
            ),
            ("On Monday, Xi met Putin.", "On Monday", Tense::Past),
            ("On Monday, Xi will meet Putin.", "On Monday", Tense::Future),
            (
                "He visited Paris on May 3 and will travel to Rome on Friday.",
                "on May 3",
                Tense::Past,
            ),
            (
                "He visited Paris on May 3 and will travel to Rome on Friday.",
                "on Friday",
                Tense::Future,
            ),
            (
                "Xi, who arrived on Monday, will meet Putin on Tuesday.",
                "on Monday",
                Tense::Past,
            ),
            (
                "Xi, who arrived on Monday, will meet Putin on Tuesday.",
                "on Tuesday",
                Tense::Future,
            ),
            (
                "The Kremlin said Xi would visit on Monday.",
                "on Monday",
                Tense::Future,
            ),
            (
                "Lee has been invited to visit on the 8th.",
                "on the 8th",
                Tense::Future,
            ),
            (
                "The United States and Japan on Monday.",
                "on Monday",
                Tense::Unknown,
            ),
            ("Talks on Monday.", "on Monday", Tense::Unknown),
        ];
        for (sentence, phrase, expected) in cases {
            assert_eq!(
                tense_of(sentence, phrase),
                expected,
                "{sentence} / {phrase}"
            );
        }
    }

    #[test]
    fn prior_fills_unknown_only() {
        assert_eq!(Tense::Unknown.or(Tense::Future), Tense::Future);
        assert_eq!(Tense::Past.or(Tense::Future), Tense::Past);
        assert_eq!(Tense::from_planned(true), Tense::Future);
    }
}

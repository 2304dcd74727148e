//! A small alphabet for the rule gates' lazy DFAs.
//!
//! Compiling a Unicode class such as `\w` or `\p{Lu}` into a byte automaton
//! expands its hundreds of ranges into UTF-8 sequences, again for every
//! occurrence (`(?:[\w-]+ ){0,3}` holds four): that was most of the time a
//! pattern set's first use took, and the states it makes slow the lazy DFA
//! down while it builds its states.
//!
//! A gate only asks whether a text matches, so it can run on a recoded text
//! instead. The non-ASCII characters are split into *atoms*: characters that
//! every class of the patterns (and every non-ASCII literal) either holds or
//! does not hold together. Each atom stands for one character of its own
//! (`U+0080` + its number); each class is rewritten to its ASCII part plus
//! the stand-ins of the atoms it holds, each non-ASCII literal to its atom's
//! stand-in (a literal character is an atom by itself), and the text's
//! non-ASCII characters to their atoms' stand-ins before the search. A
//! character is in a class exactly when its stand-in is in the rewritten
//! class, so the recoded pattern matches the recoded text exactly when the
//! pattern matches the text. ASCII is left as it is, so ASCII word
//! boundaries and line anchors read the same bytes.
//!
//! A regex whose match positions are read ([`RecodedRegex`]) uses
//! stand-ins as long in UTF-8 as the characters they replace (an atom gets
//! one stand-in per length of its characters), so every offset into the
//! recoded text is the same offset into the text. Such a regex may also
//! hold Unicode word boundaries: the word characters then form atoms of
//! their own, and a word atom's stand-ins are word characters, the other
//! atoms' stand-ins are not, so a boundary falls where it falls in the
//! text.
use std::borrow::Cow;
use std::collections::HashMap;

use regex::Regex;
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};

/// Short stand-ins are `U+0080 + atom`, two UTF-8 bytes each up to
/// `U+07FF`; the others are taken in order from the code points of their
/// length.
const FIRST_STAND_IN: u32 = 0x80;
const MAX_ATOMS: usize = 0x800 - 0x80;
/// The first and last code point of each UTF-8 length from 2 to 4.
const CODE_POINTS: [(u32, u32); 3] = [(0x80, 0x7FF), (0x800, 0xFFFF), (0x1_0000, 0x10_FFFF)];

/// How an alphabet writes its stand-ins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StandIns {
    /// One two-byte stand-in per atom: the fewest states for a gate.
    Short,
    /// One stand-in per atom and UTF-8 length, as long as the character it
    /// replaces: match offsets stay valid in the text.
    SameLength,
}

/// The atoms of one group of patterns and the table that recodes a text.
#[derive(Debug)]
pub struct Alphabet {
    /// Non-ASCII code point intervals in order, `(first, last, atom)`,
    /// covering `0x80..=0x10FFFF`.
    intervals: Vec<(u32, u32, u32)>,
    /// Per distinct non-ASCII set (a class's non-ASCII part, or one literal
    /// character): the atoms it holds.
    atoms_of_set: Vec<Vec<u32>>,
    set_ids: HashMap<Vec<(u32, u32)>, usize>,
    /// The atoms of `U+0080..COMMON_END` (Latin letters with accents,
    /// general punctuation: most of a news text's non-ASCII characters),
    /// looked up without a search.
    common: Vec<u16>,
    /// Per atom, its stand-in for a character of 2, 3 and 4 bytes (all
    /// three the same for short stand-ins; `'\0'` for a length the atom
    /// has no character of).
    stand_ins: Vec<[char; 3]>,
    /// Per atom, the UTF-8 lengths of its characters (bit `n - 2` for `n`
    /// bytes).
    lengths: Vec<u8>,
}

/// The end of the characters [`Alphabet::common`] holds.
const COMMON_END: u32 = 0x2070;

impl Alphabet {
    /// The alphabet of `hirs` and the patterns rewritten to it, or `None`
    /// when a pattern uses what the recoding cannot keep (byte classes
    /// over non-ASCII bytes, Unicode word boundaries) or needs too many
    /// atoms: the caller then compiles the patterns as they are.
    pub fn recode(hirs: &[&Hir]) -> Option<(Alphabet, Vec<Hir>)> {
        Self::recode_with(hirs, StandIns::Short)
    }

    /// As [`Alphabet::recode`], with stand-ins as long as the characters
    /// they replace, so that match offsets carry over to the text.
    pub fn recode_keeping_offsets(hirs: &[&Hir]) -> Option<(Alphabet, Vec<Hir>)> {
        Self::recode_with(hirs, StandIns::SameLength)
    }

    fn recode_with(hirs: &[&Hir], stand_ins: StandIns) -> Option<(Alphabet, Vec<Hir>)> {
        let mut sets = Vec::new();
        let mut word_looks = false;
        for hir in hirs {
            collect_sets(hir, &mut sets, &mut word_looks)?;
        }
        if word_looks {
            if stand_ins == StandIns::Short {
                // the gates' lazy DFAs do not take Unicode word boundaries
                return None;
            }
            sets.push(perl_word().to_vec());
        }
        let alphabet = Alphabet::from_sets(sets, stand_ins, word_looks)?;
        let rewritten = hirs
            .iter()
            .map(|hir| alphabet.rewrite(hir))
            .collect::<Option<Vec<_>>>()?;
        Some((alphabet, rewritten))
    }

    fn from_sets(sets: Vec<Vec<(u32, u32)>>, kind: StandIns, word_looks: bool) -> Option<Alphabet> {
        let mut set_ids: HashMap<Vec<(u32, u32)>, usize> = HashMap::new();
        let mut distinct: Vec<Vec<(u32, u32)>> = Vec::new();
        for set in sets {
            if !set_ids.contains_key(&set) {
                set_ids.insert(set.clone(), distinct.len());
                distinct.push(set);
            }
        }
        // Elementary intervals: between consecutive range edges every set
        // holds all of an interval or none of it.
        let mut edges: Vec<u32> = vec![FIRST_STAND_IN, 0x11_0000];
        for set in &distinct {
            for &(first, last) in set {
                edges.push(first);
                edges.push(last + 1);
            }
        }
        edges.sort_unstable();
        edges.dedup();
        let count = edges.len() - 1;
        let words = distinct.len().div_ceil(64).max(1);
        let mut signatures = vec![0u64; count * words];
        for (id, set) in distinct.iter().enumerate() {
            for &(first, last) in set {
                let mut at = edges.partition_point(|&e| e < first);
                while at < count && edges[at] <= last {
                    signatures[at * words + id / 64] |= 1 << (id % 64);
                    at += 1;
                }
            }
        }
        // Intervals with one signature form one atom.
        let mut atom_of_signature: HashMap<&[u64], u32> = HashMap::new();
        let mut intervals: Vec<(u32, u32, u32)> = Vec::with_capacity(count);
        let mut atoms_of_set: Vec<Vec<u32>> = vec![Vec::new(); distinct.len()];
        for at in 0..count {
            let signature = &signatures[at * words..(at + 1) * words];
            let next = atom_of_signature.len() as u32;
            let atom = *atom_of_signature.entry(signature).or_insert(next);
            if atom == next {
                for (id, atoms) in atoms_of_set.iter_mut().enumerate() {
                    if signature[id / 64] & (1 << (id % 64)) != 0 {
                        atoms.push(atom);
                    }
                }
            }
            let (first, last) = (edges[at], edges[at + 1] - 1);
            match intervals.last_mut() {
                Some(previous) if previous.2 == atom && previous.1 + 1 == first => {
                    previous.1 = last
                }
                _ => intervals.push((first, last, atom)),
            }
        }
        if atom_of_signature.len() > MAX_ATOMS {
            return None;
        }
        let mut lengths = vec![0u8; atom_of_signature.len()];
        for &(first, last, atom) in &intervals {
            for length in utf8_length(first)..=utf8_length(last) {
                lengths[atom as usize] |= 1 << (length - 2);
            }
        }
        let stand_ins = match kind {
            StandIns::Short => (0..lengths.len() as u32)
                .map(|atom| [char::from_u32(FIRST_STAND_IN + atom).expect("below U+0800"); 3])
                .collect(),
            StandIns::SameLength => same_length_stand_ins(&intervals, &lengths, word_looks)?,
        };
        let mut common = Vec::with_capacity((COMMON_END - FIRST_STAND_IN) as usize);
        for &(first, last, atom) in &intervals {
            if first >= COMMON_END {
                break;
            }
            let through = last.min(COMMON_END - 1);
            common.resize(common.len() + (through - first + 1) as usize, atom as u16);
        }
        Some(Alphabet {
            intervals,
            atoms_of_set,
            set_ids,
            common,
            stand_ins,
            lengths,
        })
    }

    fn atom_of(&self, c: u32) -> u32 {
        if let Some(&atom) = self.common.get(c.wrapping_sub(FIRST_STAND_IN) as usize) {
            return u32::from(atom);
        }
        let at = self.intervals.partition_point(|&(_, last, _)| last < c);
        self.intervals[at].2
    }

    /// The stand-in of `atom` for a character of `length` UTF-8 bytes.
    fn stand_in(&self, atom: u32, length: usize) -> char {
        self.stand_ins[atom as usize][length - 2]
    }

    /// Every stand-in of `atom`, one per length its characters have (one
    /// in all for short stand-ins).
    fn stand_ins_of(&self, atom: u32) -> impl Iterator<Item = char> + '_ {
        let lengths = self.lengths[atom as usize];
        let mut seen: Vec<char> = Vec::with_capacity(3);
        (0..3)
            .filter(move |bit| lengths & (1 << bit) != 0)
            .map(move |bit| self.stand_ins[atom as usize][bit])
            .filter(move |c| {
                let new = !seen.contains(c);
                seen.push(*c);
                new
            })
    }

    /// `text` with each non-ASCII character replaced by its atom's
    /// stand-in; borrowed when the text is ASCII.
    pub fn recode_text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if text.is_ascii() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c);
            } else {
                out.push(self.stand_in(self.atom_of(c as u32), c.len_utf8()));
            }
        }
        Cow::Owned(out)
    }

    fn rewrite(&self, hir: &Hir) -> Option<Hir> {
        Some(match hir.kind() {
            HirKind::Empty => Hir::empty(),
            HirKind::Look(look) => Hir::look(*look),
            HirKind::Literal(literal) => {
                let text = std::str::from_utf8(&literal.0).ok()?;
                let mut out = String::with_capacity(text.len());
                for c in text.chars() {
                    if c.is_ascii() {
                        out.push(c);
                    } else {
                        let id = self.set_ids[&[(c as u32, c as u32)][..]];
                        let atoms = &self.atoms_of_set[id];
                        debug_assert_eq!(atoms.len(), 1, "a literal character is an atom");
                        out.push(self.stand_in(atoms[0], c.len_utf8()));
                    }
                }
                Hir::literal(out.into_bytes())
            }
            HirKind::Class(Class::Unicode(class)) => {
                let mut ranges: Vec<ClassUnicodeRange> = class
                    .ranges()
                    .iter()
                    .filter(|r| r.start().is_ascii())
                    .map(|r| ClassUnicodeRange::new(r.start(), r.end().min('\x7F')))
                    .collect();
                let wide = non_ascii_part(class);
                if !wide.is_empty() {
                    for &atom in &self.atoms_of_set[self.set_ids[&wide]] {
                        for c in self.stand_ins_of(atom) {
                            ranges.push(ClassUnicodeRange::new(c, c));
                        }
                    }
                }
                Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
            }
            HirKind::Class(Class::Bytes(class)) => Hir::class(Class::Bytes(class.clone())),
            HirKind::Repetition(repetition) => {
                let mut repetition = repetition.clone();
                repetition.sub = Box::new(self.rewrite(&repetition.sub)?);
                Hir::repetition(repetition)
            }
            HirKind::Capture(capture) => {
                let mut capture = capture.clone();
                capture.sub = Box::new(self.rewrite(&capture.sub)?);
                Hir::capture(capture)
            }
            HirKind::Concat(subs) => Hir::concat(
                subs.iter()
                    .map(|s| self.rewrite(s))
                    .collect::<Option<_>>()?,
            ),
            HirKind::Alternation(subs) => Hir::alternation(
                subs.iter()
                    .map(|s| self.rewrite(s))
                    .collect::<Option<_>>()?,
            ),
        })
    }
}

/// Per atom, a stand-in for each UTF-8 length its characters have, taken
/// in order from the code points of that length; with `word_looks`, a
/// word character for a word atom and a non-word character for the
/// others (the word class is one of the sets, so an atom is all word or
/// all non-word). `None` when the code points run out.
fn same_length_stand_ins(
    intervals: &[(u32, u32, u32)],
    lengths: &[u8],
    word_looks: bool,
) -> Option<Vec<[char; 3]>> {
    let word = perl_word();
    let is_word = |c: u32| {
        let at = word.partition_point(|&(_, last)| last < c);
        word.get(at).is_some_and(|&(first, _)| first <= c)
    };
    let mut wordy = vec![false; lengths.len()];
    if word_looks {
        let mut seen = vec![false; lengths.len()];
        for &(first, _, atom) in intervals {
            if !std::mem::replace(&mut seen[atom as usize], true) {
                wordy[atom as usize] = is_word(first);
            }
        }
    }
    // next code point to try, per length and (with word looks) wordness
    let mut next = CODE_POINTS.map(|(first, _)| [first; 2]);
    let mut table = Vec::with_capacity(lengths.len());
    for (atom, &mask) in lengths.iter().enumerate() {
        let mut entry = ['\0'; 3];
        for (bit, slot) in entry.iter_mut().enumerate() {
            if mask & (1 << bit) == 0 {
                continue;
            }
            let class = usize::from(wordy[atom]);
            let cursor = &mut next[bit][class];
            *slot = loop {
                if *cursor > CODE_POINTS[bit].1 {
                    return None;
                }
                let c = *cursor;
                *cursor += 1;
                match char::from_u32(c) {
                    Some(ch) if !word_looks || is_word(c) == wordy[atom] => break ch,
                    _ => {}
                }
            };
        }
        table.push(entry);
    }
    Some(table)
}

/// The non-ASCII part of Unicode `\w` (what a Unicode word boundary
/// reads), as code point intervals in order.
fn perl_word() -> &'static [(u32, u32)] {
    static WORD: std::sync::OnceLock<Vec<(u32, u32)>> = std::sync::OnceLock::new();
    WORD.get_or_init(|| {
        let hir = regex_syntax::Parser::new()
            .parse(r"\w")
            .expect("\\w parses");
        match hir.kind() {
            HirKind::Class(Class::Unicode(class)) => non_ascii_part(class),
            _ => unreachable!("\\w is a Unicode class"),
        }
    })
}

/// How many bytes UTF-8 takes for the non-ASCII code point `c`.
fn utf8_length(c: u32) -> usize {
    match c {
        0..=0x7FF => 2,
        0x800..=0xFFFF => 3,
        _ => 4,
    }
}

/// A regex whose Unicode classes compile to a few stand-ins: it searches
/// a text recoded by [`RecodedRegex::recode`], whose offsets are the
/// text's own. Read what matched from the text, by offsets
/// (`caps.get(1).map(|m| &text[m.range()])`), never from the recoded text.
#[derive(Debug)]
pub struct RecodedRegex {
    /// `None` when the pattern cannot be recoded: the regex reads the text.
    alphabet: Option<Alphabet>,
    regex: Regex,
}

impl RecodedRegex {
    /// Compiles `pattern` (a valid pattern: this is for the program's own
    /// static regexes).
    pub fn new(pattern: &str) -> RecodedRegex {
        let hir = regex_syntax::Parser::new()
            .parse(pattern)
            .expect("a valid static pattern");
        let (alphabet, regex) = match Alphabet::recode_keeping_offsets(&[&hir]) {
            Some((alphabet, recoded)) => (Some(alphabet), Regex::new(&recoded[0].to_string())),
            None => (None, Regex::new(pattern)),
        };
        RecodedRegex {
            alphabet,
            regex: regex.expect("a recoded pattern compiles as the original does"),
        }
    }

    /// `text` as the regex reads it: same length, same character
    /// boundaries; borrowed when nothing changes.
    pub fn recode<'t>(&self, text: &'t str) -> Cow<'t, str> {
        match &self.alphabet {
            Some(alphabet) => alphabet.recode_text(text),
            None => Cow::Borrowed(text),
        }
    }

    /// The compiled regex, to run on [`RecodedRegex::recode`]'s text.
    pub fn regex(&self) -> &Regex {
        &self.regex
    }

    /// `Regex::is_match` on `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(&self.recode(text))
    }
}

/// A class's ranges at or above `U+0080`, as code points.
fn non_ascii_part(class: &ClassUnicode) -> Vec<(u32, u32)> {
    class
        .ranges()
        .iter()
        .filter(|r| !r.end().is_ascii())
        .map(|r| ((r.start() as u32).max(FIRST_STAND_IN), r.end() as u32))
        .collect()
}

/// Gathers the non-ASCII sets `hir` tells apart; `None` for what the
/// recoding cannot keep.
/// `word_looks` is set when a Unicode word boundary is seen.
fn collect_sets(hir: &Hir, sets: &mut Vec<Vec<(u32, u32)>>, word_looks: &mut bool) -> Option<()> {
    match hir.kind() {
        HirKind::Empty => {}
        HirKind::Look(look) => {
            if reads_unicode_words(*look) {
                *word_looks = true;
            } else if !keeps_meaning(*look) {
                return None;
            }
        }
        HirKind::Literal(literal) => {
            let text = std::str::from_utf8(&literal.0).ok()?;
            for c in text.chars().filter(|c| !c.is_ascii()) {
                sets.push(vec![(c as u32, c as u32)]);
            }
        }
        HirKind::Class(Class::Unicode(class)) => {
            let wide = non_ascii_part(class);
            if !wide.is_empty() {
                sets.push(wide);
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            if class.ranges().iter().any(|r| !r.end().is_ascii()) {
                return None;
            }
        }
        HirKind::Repetition(repetition) => collect_sets(&repetition.sub, sets, word_looks)?,
        HirKind::Capture(capture) => collect_sets(&capture.sub, sets, word_looks)?,
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            for sub in subs {
                collect_sets(sub, sets, word_looks)?;
            }
        }
    }
    Some(())
}

/// Unicode word boundaries: they keep their meaning only with stand-ins of
/// the same wordness as their atoms.
fn reads_unicode_words(look: Look) -> bool {
    matches!(
        look,
        Look::WordUnicode
            | Look::WordUnicodeNegate
            | Look::WordStartUnicode
            | Look::WordEndUnicode
            | Look::WordStartHalfUnicode
            | Look::WordEndHalfUnicode
    )
}

/// Assertions that read only ASCII bytes (or none) mean the same on the
/// recoded text; Unicode word boundaries would not.
fn keeps_meaning(look: Look) -> bool {
    matches!(
        look,
        Look::Start
            | Look::End
            | Look::StartLF
            | Look::EndLF
            | Look::StartCRLF
            | Look::EndCRLF
            | Look::WordAscii
            | Look::WordAsciiNegate
            | Look::WordStartAscii
            | Look::WordEndAscii
            | Look::WordStartHalfAscii
            | Look::WordEndHalfAscii
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hir(pattern: &str) -> Hir {
        regex_syntax::Parser::new().parse(pattern).unwrap()
    }

    /// Whether the recoded pattern matches the recoded text exactly when
    /// the pattern matches the text.
    fn agrees(patterns: &[&str], texts: &[&str]) {
        let hirs: Vec<Hir> = patterns.iter().map(|&p| hir(p)).collect();
        let refs: Vec<&Hir> = hirs.iter().collect();
        let (alphabet, rewritten) = Alphabet::recode(&refs).expect("recodable");
        for (pattern, recoded) in patterns.iter().zip(&rewritten) {
            let original = regex::Regex::new(pattern).unwrap();
            let recoded = regex::Regex::new(&recoded.to_string()).unwrap();
            for text in texts {
                assert_eq!(
                    recoded.is_match(&alphabet.recode_text(text)),
                    original.is_match(text),
                    "{pattern} on {text:?}"
                );
            }
        }
    }

    const TEXTS: &[&str] = &[
        "Erdoğan met Macron in Paris.",
        "Erdoğan’s visit — «historic» — ended",
        "ÉMILE MET ÜBER",
        "the \u{212A}elvin sign and the long \u{17F}",
        "Präsident Steinmeier empfing Xi Jinping",
        "“If talks resume,” he said",
        "emoji 🎉 and \u{E000}masked\u{E001} mentions",
        "café; noir. fin",
        "Ιταλία και Ελλάδα",
        "",
        "plain ascii only",
    ];

    #[test]
    fn recoded_patterns_answer_as_the_originals() {
        agrees(
            &[
                r"(?i)(?-u:\b)(?:met|meets) (?:with )?(?-i:\p{Lu})",
                r"(?i)(?:[\w-]+ ){0,3}visit",
                r"(?i)met[^.;]{0,20}macron",
                r"(?i)\p{Lu}\w+’s",
                r"(?i)kelvin|long s",
                r"(?i)[\w'’-]+ (?:ended|said)",
                r"\u{E000}\w+\u{E001}",
                r"(?i)ü",
                r"\p{Greek}+",
                r"\s\W\s",
                r"^\W*if(?-u:\b)",
            ],
            TEXTS,
        );
    }

    #[test]
    fn recoded_regexes_find_the_originals_spans() {
        let patterns = [
            r"(?m)^(?P<place>\p{Lu}[\p{Lu} .'’-]{2,40}?)(?:, (?P<region>[^-–—:(\n]{2,40}?))?,? *(?:[-–—]{1,2}|:)\s+",
            r"(?P<name>\p{Lu}[\p{L}'’.-]+(?: \p{Lu}[\p{L}'’.-]+){0,4}), (?:[\p{Ll}][\p{Ll}-]* ){0,4}$",
            r"(?i)(?:[\w-]+ ){0,3}visit|[\p{Greek}🎉]+|\u{E000}\w+",
            r"\b(?:\p{Lu}[\p{L}'’-]*\s+){1,5}(?:Party|Met)\b",
            r"\b(?P<before>\w+)?\W{0,3}\b(?P<year>1[89]\d\d|2[01]\d\d)\b",
            r"(?i)\b(?:met|visit\w*|ended)\b|\b(?:in|at) (?-i:\p{Lu})|\B\d",
        ];
        let more = [
            "ANKARA — Erdoğan met Macron",
            "SÃO PAULO, Brazil: talks",
            "Ümit Özdağ, the “leader” of ",
            "Ιταλία 🎉🎉 \u{E000}masked and visit",
            "Émile’s Front Party, Ülkü Party and Ελλάδα Party met in 2019",
            "in Öland 1999 x2020 é2021 2022é 2023’ “2024”",
        ];
        for pattern in patterns {
            let original = Regex::new(pattern).unwrap();
            let recoded = RecodedRegex::new(pattern);
            assert!(recoded.alphabet.is_some(), "{pattern}");
            for text in TEXTS.iter().chain(&more) {
                let spans = |caps: regex::Captures<'_>| -> Vec<Option<std::ops::Range<usize>>> {
                    caps.iter().map(|m| m.map(|m| m.range())).collect()
                };
                let coded = recoded.recode(text);
                assert_eq!(coded.len(), text.len());
                let want: Vec<_> = original.captures_iter(text).map(spans).collect();
                let got: Vec<_> = recoded.regex().captures_iter(&coded).map(spans).collect();
                assert_eq!(got, want, "{pattern} on {text:?}");
            }
        }
    }

    #[test]
    fn word_stand_ins_are_word_characters() {
        let hirs = [hir(r"\b\p{Lu}[’\p{Greek}]\s")];
        let (alphabet, _) = Alphabet::recode_keeping_offsets(&[&hirs[0]]).unwrap();
        let word = Regex::new(r"\w").unwrap();
        for text in TEXTS {
            for c in text.chars().filter(|c| !c.is_ascii()) {
                let stand_in = alphabet
                    .recode_text(c.encode_utf8(&mut [0; 4]))
                    .into_owned();
                assert_eq!(stand_in.len(), c.len_utf8(), "{c}");
                assert_eq!(
                    word.is_match(&stand_in),
                    word.is_match(&c.to_string()),
                    "{c}"
                );
            }
        }
    }

    #[test]
    fn a_pattern_set_with_no_non_ascii_class_keeps_ascii_text_as_is() {
        let hirs = [hir(r"(?-u:\b)talks(?-u:\b)")];
        let (alphabet, _) = Alphabet::recode(&[&hirs[0]]).unwrap();
        assert!(matches!(alphabet.recode_text("talks"), Cow::Borrowed(_)));
        assert_eq!(alphabet.recode_text("é").chars().count(), 1);
    }

    #[test]
    fn unicode_word_boundaries_are_not_recoded() {
        assert!(Alphabet::recode(&[&hir(r"\btalks\b")]).is_none());
    }

    #[test]
    fn every_non_ascii_character_has_an_atom() {
        let hirs = [hir(r"\w"), hir(r"é")];
        let (alphabet, _) = Alphabet::recode(&[&hirs[0], &hirs[1]]).unwrap();
        let mut previous = FIRST_STAND_IN - 1;
        for &(first, last, _) in &alphabet.intervals {
            assert_eq!(first, previous + 1);
            previous = last;
        }
        assert_eq!(previous, 0x10_FFFF);
        // the table of common characters answers as the intervals do
        for c in FIRST_STAND_IN..COMMON_END + 16 {
            let at = alphabet.intervals.partition_point(|&(_, last, _)| last < c);
            assert_eq!(alphabet.atom_of(c), alphabet.intervals[at].2, "U+{c:04X}");
        }
    }
}

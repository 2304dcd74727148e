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
use std::borrow::Cow;
use std::collections::HashMap;

use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};

/// Stand-ins are `U+0080 + atom`, two UTF-8 bytes each up to `U+07FF`.
const FIRST_STAND_IN: u32 = 0x80;
const MAX_ATOMS: usize = 0x800 - 0x80;

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
}

/// The end of the characters [`Alphabet::common`] holds.
const COMMON_END: u32 = 0x2070;

impl Alphabet {
    /// The alphabet of `hirs` and the patterns rewritten to it, or `None`
    /// when a pattern uses what the recoding cannot keep (byte classes
    /// over non-ASCII bytes, Unicode word boundaries) or needs too many
    /// atoms: the caller then compiles the patterns as they are.
    pub fn recode(hirs: &[&Hir]) -> Option<(Alphabet, Vec<Hir>)> {
        let mut sets = Vec::new();
        for hir in hirs {
            collect_sets(hir, &mut sets)?;
        }
        let alphabet = Alphabet::from_sets(sets)?;
        let rewritten = hirs
            .iter()
            .map(|hir| alphabet.rewrite(hir))
            .collect::<Option<Vec<_>>>()?;
        Some((alphabet, rewritten))
    }

    fn from_sets(sets: Vec<Vec<(u32, u32)>>) -> Option<Alphabet> {
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
        })
    }

    fn atom_of(&self, c: u32) -> u32 {
        if let Some(&atom) = self.common.get(c.wrapping_sub(FIRST_STAND_IN) as usize) {
            return u32::from(atom);
        }
        let at = self.intervals.partition_point(|&(_, last, _)| last < c);
        self.intervals[at].2
    }

    fn stand_in(atom: u32) -> char {
        char::from_u32(FIRST_STAND_IN + atom).expect("stand-ins stay below U+0800")
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
                out.push(Self::stand_in(self.atom_of(c as u32)));
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
                        out.push(Self::stand_in(atoms[0]));
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
                        let c = Self::stand_in(atom);
                        ranges.push(ClassUnicodeRange::new(c, c));
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
fn collect_sets(hir: &Hir, sets: &mut Vec<Vec<(u32, u32)>>) -> Option<()> {
    match hir.kind() {
        HirKind::Empty => {}
        HirKind::Look(look) => {
            if !keeps_meaning(*look) {
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
        HirKind::Repetition(repetition) => collect_sets(&repetition.sub, sets)?,
        HirKind::Capture(capture) => collect_sets(&capture.sub, sets)?,
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            for sub in subs {
                collect_sets(sub, sets)?;
            }
        }
    }
    Some(())
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

//! Rule files (config/events/*.toml): one event type per file.
//!
//! A rule file names the type, its trigger words, the regexes that confirm a
//! sentence, the cues that reject it (tense, negation, cancellation,
//! speculation), role patterns and the CAMEO/PLOVER codes. Adding a file adds
//! a type; no Rust code knows the type names. See config/events/README.md.
use std::collections::BTreeMap;
use std::path::Path;

use once_cell::sync::OnceCell;
use regex::Regex;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::util::prefilter::Prefilter;
use regex_automata::{Input, MatchKind};
use regex_syntax::hir::{Hir, HirKind};
use serde::Deserialize;

use super::gazetteer::Rank;
use super::patterns_alphabet::Alphabet;
use super::vocab::{Mode, Role, Status, VisitLevel};
use super::EventsError;

/// Stands for one actor mention in the masked sentence role patterns run on.
pub const MENTION_OPEN: char = '\u{E000}';
pub const MENTION_CLOSE: char = '\u{E001}';

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(rename = "type")]
    event_type: String,
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    status: String,
    #[serde(default = "default_confidence")]
    base_confidence: f64,
    triggers: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    patterns_dated_ahead: Vec<String>,
    #[serde(default)]
    reject: Vec<String>,
    #[serde(default)]
    tense: TenseFile,
    #[serde(default = "one")]
    min_actors: usize,
    #[serde(default = "one")]
    min_actors_multilateral: usize,
    #[serde(default)]
    min_actors_named_gathering: Option<usize>,
    #[serde(default = "participant")]
    default_role: String,
    #[serde(default)]
    counterpart_roles: BTreeMap<String, String>,
    #[serde(default = "yes")]
    keep_unassigned: bool,
    #[serde(default)]
    visitor_ranks: Vec<String>,
    #[serde(default = "sentence")]
    location: String,
    #[serde(default)]
    no_location_modes: Vec<Mode>,
    #[serde(default)]
    counts: bool,
    #[serde(default)]
    theme: bool,
    #[serde(default)]
    article_participants: bool,
    #[serde(default)]
    infer_host_from_location: bool,
    #[serde(default)]
    undated_on_publication: bool,
    #[serde(default)]
    visit: VisitFile,
    #[serde(default)]
    antecedents: bool,
    #[serde(default)]
    two_sides: bool,
    #[serde(default)]
    name_patterns: Vec<String>,
    #[serde(default)]
    theme_patterns: Vec<String>,
    #[serde(default)]
    role_patterns: Vec<String>,
    #[serde(default)]
    mode_default: Option<Mode>,
    #[serde(default)]
    modes: Vec<ChoiceFile<Mode>>,
    #[serde(default)]
    levels: Vec<ChoiceFile<VisitLevel>>,
    #[serde(default)]
    level_default: Option<VisitLevel>,
    #[serde(default)]
    multilateral: MultilateralFile,
    #[serde(default)]
    counts_config: Option<CountsFile>,
    codes: Vec<CodeFile>,
}

fn default_confidence() -> f64 {
    0.6
}
fn one() -> usize {
    1
}
fn participant() -> String {
    "participant".into()
}
fn yes() -> bool {
    true
}
fn sentence() -> String {
    "sentence".into()
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TenseFile {
    #[serde(default = "window")]
    window_before: usize,
    #[serde(default = "window")]
    window_after: usize,
    #[serde(default)]
    require: Vec<String>,
    #[serde(default)]
    reject: Vec<String>,
    /// A meeting under way: "began talks ... and are set to continue".
    #[serde(default)]
    ongoing: Vec<String>,
}

fn window() -> usize {
    80
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChoiceFile<T> {
    value: T,
    patterns: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MultilateralFile {
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    third_location: Vec<String>,
    #[serde(default)]
    bilateral_if_two_countries: bool,
}

/// `[visit]`: what makes a visit a visit.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitFile {
    /// A host country other than the visitor's is required; an event
    /// without one after the whole article is read is dropped.
    #[serde(default)]
    pub foreign_host: bool,
    /// A city after "to", "in" or "for" names the host ("will travel to
    /// Beijing") when no country does.
    #[serde(default)]
    pub hosts_from_places: bool,
    /// A tour of several hosts gives one event per host, each with the
    /// dates told next to it.
    #[serde(default)]
    pub one_event_per_host: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CountsFile {
    #[serde(default = "three")]
    min: u64,
    participants: Vec<String>,
    countries: Vec<String>,
    #[serde(default)]
    more_than: Vec<String>,
    #[serde(default)]
    about: Vec<String>,
    #[serde(default)]
    at_least: Vec<String>,
}

fn three() -> u64 {
    3
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeFile {
    #[serde(default)]
    when: When,
    cameo: String,
    plover: PloverFile,
}

/// Conditions of a `[[codes]]` entry; an absent key always holds.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    pub mode: Option<Mode>,
    pub multilateral: Option<bool>,
    pub third_location: Option<bool>,
    pub hosted: Option<bool>,
    pub source_role: Option<Role>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PloverFile {
    #[serde(rename = "type")]
    plover_type: String,
    #[serde(default)]
    mode: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocationSource {
    Sentence,
    Host,
    None,
}

#[derive(Debug)]
pub struct Choice<T> {
    pub value: T,
    pub patterns: Vec<RuleRegex>,
}

#[derive(Debug)]
pub struct Counts {
    pub min: u64,
    pub participants: RuleRegex,
    pub countries: RuleRegex,
    pub more_than: Vec<String>,
    pub about: Vec<String>,
    pub at_least: Vec<String>,
}

#[derive(Debug)]
pub struct Code {
    pub when: When,
    pub cameo: String,
    pub plover_type: String,
    pub plover_mode: Option<String>,
}

/// One compiled rule file.
#[derive(Debug)]
pub struct Rule {
    pub event_type: String,
    pub status: Status,
    pub base_confidence: f64,
    pub triggers: Vec<String>,
    pub patterns: PatternSet,
    /// Confirm a planned event without a future verb ("then makes a state
    /// visit to X on the 7th") only when its date lies after the story's.
    pub patterns_dated_ahead: PatternSet,
    pub reject: PatternSet,
    pub tense_window_before: usize,
    pub tense_window_after: usize,
    pub tense_require: PatternSet,
    pub tense_reject: PatternSet,
    /// Phrases telling a meeting already under way; their future words
    /// ("set to continue") do not make it planned.
    pub tense_ongoing: Vec<RuleRegex>,
    pub min_actors: usize,
    pub min_actors_multilateral: usize,
    /// For a multilateral gathering with a proper name or stated counts.
    pub min_actors_named_gathering: usize,
    pub default_role: Role,
    pub counterpart_roles: BTreeMap<Role, Role>,
    pub keep_unassigned: bool,
    pub visitor_ranks: Vec<Rank>,
    pub location: LocationSource,
    pub no_location_modes: Vec<Mode>,
    pub counts: Option<Counts>,
    pub theme: bool,
    pub article_participants: bool,
    pub infer_host_from_location: bool,
    /// An event told with no date anywhere in the article took place on the
    /// day the story was published.
    pub undated_on_publication: bool,
    pub visit: VisitFile,
    /// "the two leaders", "He", "the visit": actors from earlier sentences.
    pub antecedents: bool,
    /// A bilateral event needs actors of two countries (or one known and
    /// one unknown): a cabinet meeting is no diplomacy.
    pub two_sides: bool,
    pub bilateral_if_two_countries: bool,
    pub name_patterns: Vec<RuleRegex>,
    pub theme_patterns: Vec<RuleRegex>,
    /// Role patterns over the masked sentence, with the role of each group.
    pub role_patterns: Vec<(RuleRegex, Vec<(String, Role)>)>,
    pub mode_default: Option<Mode>,
    pub modes: Vec<Choice<Mode>>,
    pub levels: Vec<Choice<VisitLevel>>,
    pub level_default: Option<VisitLevel>,
    pub multilateral: Vec<RuleRegex>,
    pub third_location: Vec<RuleRegex>,
    pub codes: Vec<Code>,
}

impl Rule {
    /// The future tense decides how dates without a year resolve.
    pub fn is_planned(&self) -> bool {
        self.status == Status::Planned
    }

    /// Whether a tense window tells the event as future or background
    /// (`tense.reject`), not counting the words of a phrase that tells it
    /// under way (`tense.ongoing`).
    pub fn rejects_tense(&self, window: &str) -> bool {
        if !self.tense_reject.is_match(window) {
            return false;
        }
        let mut ongoing = self
            .tense_ongoing
            .iter()
            .flat_map(|regex| regex.captures_iter(window))
            .filter_map(|captures| captures.get(0))
            .peekable();
        if ongoing.peek().is_none() {
            return true;
        }
        let mut rest = window.to_string();
        for phrase in ongoing {
            rest.replace_range(phrase.range(), &" ".repeat(phrase.len()));
        }
        self.tense_reject.is_match(&rest)
    }
}

/// Loads every `*.toml` in `dir`, sorted by file name.
pub fn load_dir(dir: &Path) -> Result<Vec<Rule>, EventsError> {
    let entries = std::fs::read_dir(dir).map_err(|source| EventsError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut rules: Vec<Rule> = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|source| EventsError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let rule = parse(&text).map_err(|reason| EventsError::Rules {
            path: path.display().to_string(),
            reason,
        })?;
        if rules.iter().any(|r| r.event_type == rule.event_type) {
            return Err(EventsError::Rules {
                path: path.display().to_string(),
                reason: format!("type `{}` is defined twice", rule.event_type),
            });
        }
        rules.push(rule);
    }
    if rules.is_empty() {
        return Err(EventsError::Rules {
            path: dir.display().to_string(),
            reason: "no rule files (*.toml)".into(),
        });
    }
    Ok(rules)
}

/// Parses and compiles one rule file; the error names the offending key.
pub fn parse(text: &str) -> Result<Rule, String> {
    let file: RuleFile = toml::from_str(text).map_err(|e| {
        e.to_string()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    })?;
    if file.event_type.is_empty()
        || !file
            .event_type
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(format!(
            "`type` must be snake_case ascii, got `{}`",
            file.event_type
        ));
    }
    let status = Status::parse(&file.status).ok_or_else(|| {
        format!(
            "`status` must be one of {}, got `{}`",
            Status::spellings(),
            file.status
        )
    })?;
    if !(0.0..=1.0).contains(&file.base_confidence) {
        return Err("`base_confidence` must be within 0..=1".into());
    }
    if file.triggers.iter().all(|t| t.trim().is_empty()) {
        return Err("`triggers` must name at least one word".into());
    }
    if file.codes.is_empty() {
        return Err("`codes` needs at least one entry".into());
    }
    let default_role = check_role("default_role", &file.default_role)?;
    let counterpart_roles = file
        .counterpart_roles
        .iter()
        .map(|(from, to)| {
            Ok((
                check_role("counterpart_roles", from)?,
                check_role("counterpart_roles", to)?,
            ))
        })
        .collect::<Result<BTreeMap<_, _>, String>>()?;
    let visitor_ranks = file
        .visitor_ranks
        .iter()
        .map(|r| Rank::parse(r).ok_or_else(|| format!("`visitor_ranks`: unknown rank `{r}`")))
        .collect::<Result<Vec<_>, _>>()?;
    let location = match file.location.as_str() {
        "sentence" => LocationSource::Sentence,
        "host" => LocationSource::Host,
        "none" => LocationSource::None,
        other => {
            return Err(format!(
                "`location` must be sentence, host or none, got `{other}`"
            ))
        }
    };
    let counts = match (&file.counts_config, file.counts) {
        (Some(c), true) => Some(Counts {
            min: c.min,
            participants: count_regex("counts_config.participants", &c.participants, c)?,
            countries: count_regex("counts_config.countries", &c.countries, c)?,
            more_than: lower(&c.more_than),
            about: lower(&c.about),
            at_least: lower(&c.at_least),
        }),
        (None, true) => return Err("`counts = true` needs a [counts_config] table".into()),
        _ => None,
    };
    let name_patterns = regexes("name_patterns", &file.name_patterns)?;
    if let Some(bad) = name_patterns.iter().find(|r| !has_group(r, "name")) {
        return Err(format!(
            "`name_patterns`: `{bad}` has no (?P<name>...) group"
        ));
    }
    let theme_patterns = regexes("theme_patterns", &file.theme_patterns)?;
    if let Some(bad) = theme_patterns.iter().find(|r| !has_group(r, "theme")) {
        return Err(format!(
            "`theme_patterns`: `{bad}` has no (?P<theme>...) group"
        ));
    }
    let role_patterns = file
        .role_patterns
        .iter()
        .map(|p| role_regex(p))
        .collect::<Result<Vec<_>, _>>()?;
    let codes = file
        .codes
        .iter()
        .map(|c| {
            Ok(Code {
                when: c.when.clone(),
                cameo: c.cameo.clone(),
                plover_type: c.plover.plover_type.clone(),
                plover_mode: c.plover.mode.clone(),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Rule {
        event_type: file.event_type,
        status,
        base_confidence: file.base_confidence,
        triggers: file
            .triggers
            .iter()
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect(),
        patterns: PatternSet::compile("patterns", &file.patterns)?,
        patterns_dated_ahead: PatternSet::compile(
            "patterns_dated_ahead",
            &file.patterns_dated_ahead,
        )?,
        reject: PatternSet::compile("reject", &file.reject)?,
        tense_window_before: file.tense.window_before,
        tense_window_after: file.tense.window_after,
        tense_require: PatternSet::compile("tense.require", &file.tense.require)?,
        tense_reject: PatternSet::compile("tense.reject", &file.tense.reject)?,
        tense_ongoing: regexes("tense.ongoing", &file.tense.ongoing)?,
        min_actors: file.min_actors,
        min_actors_multilateral: file.min_actors_multilateral,
        min_actors_named_gathering: file
            .min_actors_named_gathering
            .unwrap_or(file.min_actors_multilateral),
        default_role,
        counterpart_roles,
        keep_unassigned: file.keep_unassigned,
        visitor_ranks,
        location,
        no_location_modes: file.no_location_modes,
        counts,
        theme: file.theme,
        article_participants: file.article_participants,
        infer_host_from_location: file.infer_host_from_location,
        undated_on_publication: file.undated_on_publication,
        visit: file.visit,
        antecedents: file.antecedents,
        two_sides: file.two_sides,
        bilateral_if_two_countries: file.multilateral.bilateral_if_two_countries,
        name_patterns,
        theme_patterns,
        role_patterns,
        mode_default: file.mode_default,
        modes: choices("modes", &file.modes)?,
        levels: choices("levels", &file.levels)?,
        level_default: file.level_default,
        multilateral: regexes("multilateral.patterns", &file.multilateral.patterns)?,
        third_location: regexes(
            "multilateral.third_location",
            &file.multilateral.third_location,
        )?,
        codes,
    })
}

fn check_role(key: &str, role: &str) -> Result<Role, String> {
    Role::parse(role).ok_or_else(|| {
        format!(
            "`{key}`: unknown role `{role}` (one of {})",
            Role::spellings()
        )
    })
}

fn has_group(regex: &RuleRegex, name: &str) -> bool {
    hir_has_group(&regex.hir, name)
}

fn hir_has_group(hir: &Hir, name: &str) -> bool {
    match hir.kind() {
        HirKind::Capture(c) => c.name.as_deref() == Some(name) || hir_has_group(&c.sub, name),
        HirKind::Repetition(r) => hir_has_group(&r.sub, name),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().any(|h| hir_has_group(h, name))
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => false,
    }
}

fn lower(words: &[String]) -> Vec<String> {
    words.iter().map(|w| w.to_lowercase()).collect()
}

fn compile(key: &str, pattern: &str) -> Result<RuleRegex, String> {
    RuleRegex::new(format!("(?i){}", ascii_word_boundaries(pattern)))
        .map_err(|e| format!("`{key}`: bad regex `{pattern}`: {e}"))
}

/// Parses a pattern as `Regex::new` does (same syntax defaults), without
/// compiling it; the error as its message. Also returns the source to
/// compile: the same pattern without needless case folding (same HIR).
fn parse_pattern(source: &str) -> Result<(Hir, String), String> {
    let parse = |text: &str| {
        regex_syntax::Parser::new()
            .parse(text)
            .map_err(|e| e.to_string())
    };
    match super::patterns::without_needless_folding(source) {
        Some(unfolded) => match parse(&unfolded) {
            Ok(hir) => Ok((hir, unfolded)),
            // report the error as the rule file writes the pattern
            Err(_) => parse(source).map(|hir| (hir, source.to_string())),
        },
        None => parse(source).map(|hir| (hir, source.to_string())),
    }
}

/// A rule regex, checked when the rule loads and compiled on first use: a
/// run reaches the later phases of few rules, and compiling every regex of
/// every rule up front was a large part of start-up.
///
/// `is_match`, `captures` and `captures_iter` first ask a forward-only lazy
/// DFA without capture groups (a third of the compile work of a `Regex`,
/// which also builds reverse automata); the full `Regex` is compiled only
/// once a text matches. Most rule regexes never match in a run.
pub struct RuleRegex {
    source: String,
    /// `source` without needless case folding: what compiles.
    compiled_source: String,
    hir: Hir,
    compiled: OnceCell<Regex>,
    gate: OnceCell<Option<RecodedDfas>>,
}

impl RuleRegex {
    fn new(source: String) -> Result<RuleRegex, String> {
        let (hir, compiled_source) = parse_pattern(&source)?;
        Ok(RuleRegex {
            source,
            compiled_source,
            hir,
            compiled: OnceCell::new(),
            gate: OnceCell::new(),
        })
    }

    /// Compiles now (tests, and callers that want every error at load).
    pub fn compile(&self) -> Result<&Regex, regex::Error> {
        self.compiled
            .get_or_try_init(|| Regex::new(&self.compiled_source))
    }

    /// `Regex::is_match`, from the gate while the regex is not compiled.
    pub fn is_match(&self, text: &str) -> bool {
        if let Some(regex) = self.compiled.get() {
            return regex.is_match(text);
        }
        match self
            .gate
            .get_or_init(|| RecodedDfas::build(&[&self.hir], &[vec![0]]))
        {
            Some(gate) => gate.is_match(text),
            // a pattern the lazy DFA cannot take (a Unicode word boundary)
            None => std::ops::Deref::deref(self).is_match(text),
        }
    }

    /// `Regex::captures`; the regex compiles only for a text that matches.
    pub fn captures<'h>(&self, text: &'h str) -> Option<regex::Captures<'h>> {
        if !self.is_match(text) {
            return None;
        }
        std::ops::Deref::deref(self).captures(text)
    }

    /// `Regex::captures_iter`; the regex compiles only for a text that
    /// matches.
    pub fn captures_iter<'r, 'h>(
        &'r self,
        text: &'h str,
    ) -> std::iter::Flatten<std::option::IntoIter<regex::CaptureMatches<'r, 'h>>> {
        self.is_match(text)
            .then(|| std::ops::Deref::deref(self).captures_iter(text))
            .into_iter()
            .flatten()
    }
}

impl std::ops::Deref for RuleRegex {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            Regex::new(&self.compiled_source).unwrap_or_else(|e| {
                // The syntax was checked at load; only a size limit is left.
                tracing::error!(pattern = %self.source, error = %e, "events: rule regex too large, it matches nothing");
                Regex::new(r"[^\s\S]").expect("an empty class is a valid regex")
            })
        })
    }
}

impl std::fmt::Display for RuleRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.source)
    }
}

impl std::fmt::Debug for RuleRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("RuleRegex").field(&self.source).finish()
    }
}

fn regexes(key: &str, patterns: &[String]) -> Result<Vec<RuleRegex>, String> {
    patterns.iter().map(|p| compile(key, p)).collect()
}

/// A rule's `\b` means a boundary between ASCII words: Unicode word
/// boundaries make the regex engine leave its fast DFA on any text with a
/// curly quote or an accent, and every rule word is ASCII.
fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(next) => {
                out.push(c);
                out.push(next);
            }
            None => out.push(c),
        }
    }
    out
}

const PATTERN_SET_DFA_BYTES: usize = 16 << 20;

/// Alternatives tested over the text; empty matches nothing.
///
/// The patterns are parsed when the rule loads and compiled on first use,
/// forward only and without capture groups: a set only answers "does any
/// pattern match", which needs neither the reverse automata nor the
/// captures a `RegexSet` builds (most of its compile time).
///
/// Patterns with a wide counted window (`[^.;]{0,160}`) each get a lazy
/// DFA of their own and the others share one: in one automaton the
/// windows' counters multiply into states that are new in nearly every
/// sentence, and building states was most of the matching time.
pub struct PatternSet {
    sources: Vec<String>,
    /// The sources without needless case folding (same HIRs).
    compiled_sources: Vec<String>,
    hirs: Vec<Hir>,
    engine: OnceCell<SetEngine>,
}

type CachePool = Pool<Cache, Box<dyn Fn() -> Cache + Send + Sync>>;

/// A counted repetition up to this many times or more makes a pattern
/// "windowed" (see [`PatternSet`]).
const WINDOW_REPETITIONS: u32 = 5;

enum SetEngine {
    /// Lazy DFAs that never give up (they clear their cache instead), so
    /// they answer every text; the set matches when any of them does.
    Dfas(RecodedDfas),
    /// Patterns the lazy DFA cannot take (a Unicode word boundary).
    Set(regex::RegexSet),
}

/// Lazy DFAs reading one recoded alphabet (see [`Alphabet`]): a text is
/// recoded once per question, whichever DFA answers it.
struct RecodedDfas {
    /// `None` when the patterns cannot be recoded: the DFAs read the text.
    alphabet: Option<Alphabet>,
    dfas: Vec<LazyDfa>,
}

impl RecodedDfas {
    /// One DFA per group of `hirs` (indexes), in order. Recoded patterns
    /// compile to a fraction of the states: their Unicode classes become a
    /// few stand-in characters.
    fn build(hirs: &[&Hir], groups: &[Vec<usize>]) -> Option<RecodedDfas> {
        let (alphabet, recoded) = match Alphabet::recode(hirs) {
            Some((alphabet, recoded)) => (Some(alphabet), recoded),
            None => (None, Vec::new()),
        };
        let read: Vec<&Hir> = if alphabet.is_some() {
            recoded.iter().collect()
        } else {
            hirs.to_vec()
        };
        let dfas = groups
            .iter()
            .map(|group| LazyDfa::build(&group.iter().map(|&i| read[i]).collect::<Vec<_>>()))
            .collect::<Option<Vec<_>>>()?;
        Some(RecodedDfas { alphabet, dfas })
    }

    fn is_match(&self, text: &str) -> bool {
        let text = match &self.alphabet {
            Some(alphabet) => alphabet.recode_text(text),
            None => std::borrow::Cow::Borrowed(text),
        };
        self.dfas.iter().any(|dfa| dfa.is_match(&text))
    }
}

struct LazyDfa {
    dfa: std::sync::Arc<DFA>,
    caches: CachePool,
}

impl LazyDfa {
    fn build(hirs: &[&Hir]) -> Option<LazyDfa> {
        let nfa = thompson::Compiler::new()
            .configure(thompson::Config::new().which_captures(WhichCaptures::None))
            .build_many_from_hir(hirs)
            .ok()?;
        // Skips to where one of the patterns' leading words could start (a
        // windowed pattern mostly opens with a list of words); none when the
        // patterns have no literal prefix.
        let prefilter = Prefilter::from_hirs_prefix(MatchKind::LeftmostFirst, hirs);
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .cache_capacity(PATTERN_SET_DFA_BYTES)
                    .minimum_cache_clear_count(None)
                    .prefilter(prefilter),
            )
            .build_from_nfa(nfa)
            .ok()?;
        let dfa = std::sync::Arc::new(dfa);
        let for_pool = std::sync::Arc::clone(&dfa);
        let caches: CachePool = Pool::new(Box::new(move || for_pool.create_cache()));
        Some(LazyDfa { dfa, caches })
    }

    fn is_match(&self, text: &str) -> bool {
        let mut cache = self.caches.get();
        self.dfa
            .try_search_fwd(&mut cache, &Input::new(text).earliest(true))
            .expect("a lazy DFA without quit bytes and without a clear limit cannot fail")
            .is_some()
    }
}

/// Whether the pattern holds a counted repetition of at least
/// [`WINDOW_REPETITIONS`] (`{0,40}`, `{1,12}`).
fn has_wide_window(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Repetition(r) => {
            r.max.is_some_and(|max| max >= WINDOW_REPETITIONS) || has_wide_window(&r.sub)
        }
        HirKind::Capture(c) => has_wide_window(&c.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().any(has_wide_window),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => false,
    }
}

impl PatternSet {
    fn compile(key: &str, patterns: &[String]) -> Result<PatternSet, String> {
        let sources: Vec<String> = patterns
            .iter()
            .map(|p| format!("(?i){}", ascii_word_boundaries(p)))
            .collect();
        let (hirs, compiled_sources) = sources
            .iter()
            .zip(patterns)
            .map(|(source, pattern)| {
                parse_pattern(source).map_err(|e| format!("`{key}`: bad regex `{pattern}`: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .unzip();
        Ok(PatternSet {
            sources,
            compiled_sources,
            hirs,
            engine: OnceCell::new(),
        })
    }

    fn engine(&self) -> &SetEngine {
        self.engine.get_or_init(|| {
            self.lazy_dfas().map(SetEngine::Dfas).unwrap_or_else(|| {
                SetEngine::Set(
                    regex::RegexSetBuilder::new(&self.compiled_sources)
                        .dfa_size_limit(PATTERN_SET_DFA_BYTES)
                        .build()
                        .unwrap_or_else(|e| {
                            tracing::error!(error = %e, "events: rule pattern set too large, it matches nothing");
                            regex::RegexSet::empty()
                        }),
                )
            })
        })
    }

    /// One DFA for the patterns without a wide window (tried first), then
    /// one per windowed pattern, in file order.
    fn lazy_dfas(&self) -> Option<RecodedDfas> {
        let (windowed, plain): (Vec<usize>, Vec<usize>) =
            (0..self.hirs.len()).partition(|&i| has_wide_window(&self.hirs[i]));
        let mut groups = Vec::with_capacity(windowed.len() + 1);
        if !plain.is_empty() {
            groups.push(plain);
        }
        groups.extend(windowed.into_iter().map(|i| vec![i]));
        let hirs: Vec<&Hir> = self.hirs.iter().collect();
        RecodedDfas::build(&hirs, &groups)
    }

    pub fn is_empty(&self) -> bool {
        self.hirs.is_empty()
    }

    /// The first pattern that matches `text`, for explaining a decision in
    /// debug logs: compiles each pattern on the spot, so never on a hot path.
    pub fn first_matching(&self, text: &str) -> Option<&str> {
        self.sources
            .iter()
            .find(|source| regex::Regex::new(source).is_ok_and(|r| r.is_match(text)))
            .map(String::as_str)
    }

    pub fn is_match(&self, text: &str) -> bool {
        if self.hirs.is_empty() {
            return false;
        }
        match self.engine() {
            SetEngine::Dfas(dfas) => dfas.is_match(text),
            SetEngine::Set(set) => set.is_match(text),
        }
    }
}

impl std::fmt::Debug for PatternSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("PatternSet").field(&self.sources).finish()
    }
}

fn choices<T: Copy>(key: &str, items: &[ChoiceFile<T>]) -> Result<Vec<Choice<T>>, String> {
    items
        .iter()
        .map(|c| {
            Ok(Choice {
                value: c.value,
                patterns: regexes(key, &c.patterns)?,
            })
        })
        .collect()
}

/// `(qualifier)? (number) (up to three words)? (noun)`; numbers as digits.
fn count_regex(key: &str, nouns: &[String], c: &CountsFile) -> Result<RuleRegex, String> {
    let alternatives = |words: &[String]| {
        words
            .iter()
            .map(|w| regex::escape(w.trim()))
            .collect::<Vec<_>>()
            .join("|")
    };
    let qualifiers: Vec<String> = c
        .more_than
        .iter()
        .chain(&c.about)
        .chain(&c.at_least)
        .cloned()
        .collect();
    if nouns.is_empty() {
        return Err(format!("`{key}` must name at least one noun"));
    }
    let pattern = format!(
        r"(?:\b(?P<q>{})\s+)?\b(?P<n>\d[\d,]*)\s+(?:[\w'-]+\s+){{0,3}}?(?:{})\b",
        if qualifiers.is_empty() {
            "(?!)".to_string()
        } else {
            alternatives(&qualifiers)
        },
        alternatives(nouns)
    );
    compile(key, &pattern)
}

/// Replaces `{role}` placeholders with numbered groups matching one masked
/// actor mention; the group list maps each group to its role.
fn role_regex(pattern: &str) -> Result<(RuleRegex, Vec<(String, Role)>), String> {
    let mut out = String::new();
    let mut groups = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| open + c);
        let name = close.map(|c| &rest[open + 1..c]);
        match (close, name, name.and_then(Role::parse)) {
            (Some(close), Some(name), Some(role)) => {
                out.push_str(&rest[..open]);
                let group = format!("{name}_{}", groups.len());
                out.push_str(&format!(
                    "{}(?P<{group}>\\d+){}",
                    regex::escape(&MENTION_OPEN.to_string()),
                    regex::escape(&MENTION_CLOSE.to_string())
                ));
                groups.push((group, role));
                rest = &rest[close + 1..];
            }
            (Some(_), Some(name), None)
                if !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphabetic() || c == '_') =>
            {
                return Err(format!(
                    "`role_patterns`: unknown placeholder `{{{name}}}` in `{pattern}` (use one of {})",
                    Role::spellings()
                ));
            }
            _ => {
                // a regex repetition such as {0,3}
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    if groups.is_empty() {
        return Err(format!(
            "`role_patterns`: `{pattern}` names no role placeholder"
        ));
    }
    Ok((compile("role_patterns", &out)?, groups))
}

#[cfg(test)]
mod pattern_set_tests {
    use super::*;

    fn set(patterns: &[&str]) -> PatternSet {
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        PatternSet::compile("patterns", &patterns).unwrap()
    }

    /// The lazy DFAs answer as a `RegexSet` of the same patterns does.
    #[test]
    fn a_pattern_set_agrees_with_a_regex_set() {
        let patterns = [
            r"\b(?:met|meets) (?:with )?(?:her |his )?(?-i:\p{Lu})",
            r"\bmet\b[^.;]{0,80}\bon the sidelines\b",
            r"^\W*if\b",
        ];
        let ours = set(&patterns);
        // the two plain patterns share a DFA, the windowed one has its own
        assert!(matches!(ours.engine(), SetEngine::Dfas(d) if d.dfas.len() == 2));
        let reference = regex::RegexSet::new(
            patterns
                .iter()
                .map(|p| format!("(?i){}", ascii_word_boundaries(p))),
        )
        .unwrap();
        for text in [
            "The president met with Macron on Monday.",
            "The president met with reporters.",
            "She MET them on the sidelines of the summit",
            "“If talks resume, we will go,” he said.",
            "Nothing here; met; on the sidelines",
            "Emmet waited on the sidelines",
            "They met, on the SIDELINES of it",
            "Er traf sich mit ’Ötzi’ — met Über",
            "",
        ] {
            assert_eq!(ours.is_match(text), reference.is_match(text), "{text}");
        }
        assert!(ours.is_match("The president met with Macron on Monday."));
        assert!(!ours.is_match("The president met with reporters."));
    }

    #[test]
    fn a_gated_rule_regex_answers_as_its_regex() {
        let texts = [
            "Erdoğan met Macron in Paris on Monday.",
            "The talks, held in Ankara, ended.",
            "nothing here",
            "",
        ];
        for source in [
            r"(?i)(?-u:\b)(?:met|held) (?P<rest>[\w-]+)",
            r"(?i)(?P<name>\p{Lu}\w+) met",
            // a Unicode word boundary: no lazy DFA, the regex answers
            r"(?i)\btalks\b",
        ] {
            let regex = Regex::new(source).unwrap();
            let gated = RuleRegex::new(source.to_string()).unwrap();
            let pattern = source;
            for text in texts {
                assert_eq!(
                    gated.is_match(text),
                    regex.is_match(text),
                    "{pattern} on {text}"
                );
                let spans = |caps: Option<regex::Captures>| {
                    caps.map(|c| c.iter().map(|m| m.map(|m| m.range())).collect::<Vec<_>>())
                };
                assert_eq!(spans(gated.captures(text)), spans(regex.captures(text)));
                assert_eq!(
                    gated.captures_iter(text).count(),
                    regex.captures_iter(text).count()
                );
            }
            let has_gate = gated.gate.get().is_some_and(Option::is_some);
            assert_eq!(has_gate, !source.ends_with(r"\btalks\b"), "{source}");
        }
    }

    #[test]
    fn an_empty_set_matches_nothing() {
        let empty = set(&[]);
        assert!(empty.is_empty());
        assert!(!empty.is_match("anything at all"));
    }

    /// A Unicode word boundary (`\<`, which the rule loader leaves alone)
    /// keeps the lazy DFA out; the set still works.
    #[test]
    fn a_unicode_word_boundary_falls_back_to_a_regex_set() {
        let ours = set(&[r"\<café\>"]);
        assert!(ours.is_match("un café noir"));
        assert!(!ours.is_match("cafés"));
        assert!(matches!(ours.engine(), SetEngine::Set(_)));
    }

    /// Rule regexes compile on first use; every shipped one must compile.
    #[test]
    fn every_shipped_rule_regex_compiles() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/events");
        let rules = load_dir(&dir).unwrap();
        assert!(!rules.is_empty());
        for rule in &rules {
            let singles = rule
                .name_patterns
                .iter()
                .chain(&rule.theme_patterns)
                .chain(rule.role_patterns.iter().map(|(r, _)| r))
                .chain(rule.modes.iter().flat_map(|m| &m.patterns))
                .chain(rule.levels.iter().flat_map(|l| &l.patterns))
                .chain(&rule.multilateral)
                .chain(&rule.third_location)
                .chain(
                    rule.counts
                        .iter()
                        .flat_map(|c| [&c.participants, &c.countries]),
                );
            let original = |source: &str| regex_syntax::Parser::new().parse(source).unwrap();
            for regex in singles {
                regex.compile().unwrap_or_else(|e| panic!("{regex}: {e}"));
                // what compiles means what the rule file says
                assert_eq!(regex.hir, original(&regex.source), "{regex}");
                assert_eq!(original(&regex.compiled_source), regex.hir, "{regex}");
            }
            for patterns in [
                &rule.patterns,
                &rule.reject,
                &rule.tense_require,
                &rule.tense_reject,
            ] {
                for ((source, compiled), hir) in patterns
                    .sources
                    .iter()
                    .zip(&patterns.compiled_sources)
                    .zip(&patterns.hirs)
                {
                    assert_eq!(hir, &original(source), "{source}");
                    assert_eq!(&original(compiled), hir, "{source}");
                }
                if !patterns.is_empty() {
                    assert!(
                        matches!(patterns.engine(), SetEngine::Dfas(_)),
                        "{}: {patterns:?}",
                        rule.event_type
                    );
                }
            }
        }
    }

    /// Lines of the event fixtures and corpora (markup split off), and of
    /// a few texts heavy in non-ASCII characters.
    fn sample_texts() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = [
            "Erdoğan met Macron; ’talks’ — «Über» ÉMILE MET \u{212A}ELVIN",
            "Präsident Steinmeier empfing Xi Jinping in Berlin.",
            "Ιταλία και Ελλάδα \u{E000}Macron\u{E001} met \u{E000}Xi\u{E001} 🎉",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        let mut dirs = vec![
            root.join("tests/fixtures/events"),
            root.join("tests/corpus/spec"),
            root.join("tests/corpus/events"),
        ];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let ext = path.extension().and_then(|e| e.to_str());
                if !matches!(ext, Some("html" | "txt")) {
                    continue;
                }
                let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
                for line in text.split(['\n', '<', '>']) {
                    if !line.trim().is_empty() && line.len() < 4000 {
                        texts.push(line.to_string());
                    }
                }
            }
        }
        texts
    }

    /// The shipped pattern sets' lazy DFAs (reading recoded texts) answer
    /// as a `RegexSet` of the same patterns does, on real sentences.
    #[test]
    fn shipped_pattern_sets_agree_with_regex_sets_on_the_corpora() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/events");
        let rules = load_dir(&dir).unwrap();
        let texts = sample_texts();
        assert!(texts.len() > 1000, "{} texts", texts.len());
        let mut matched = 0;
        for rule in &rules {
            for patterns in [
                &rule.patterns,
                &rule.reject,
                &rule.tense_require,
                &rule.tense_reject,
            ] {
                if patterns.is_empty() {
                    continue;
                }
                let SetEngine::Dfas(dfas) = patterns.engine() else {
                    panic!("{}: no lazy DFAs", rule.event_type);
                };
                assert!(dfas.alphabet.is_some(), "recoded");
                let reference = regex::RegexSet::new(&patterns.sources).unwrap();
                for text in &texts {
                    let expected = reference.is_match(text);
                    assert_eq!(patterns.is_match(text), expected, "{patterns:?} on {text}");
                    matched += usize::from(expected);
                }
            }
        }
        assert!(
            matched > 100,
            "only {matched} matches: the check would be weak"
        );
    }

    /// The set is compiled first; a bad pattern must still be named.
    #[test]
    fn a_bad_pattern_is_named_in_the_error() {
        let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("config/events/dialogue_held.toml");
        let text = std::fs::read_to_string(shipped).unwrap();
        assert!(parse(&text).is_ok());
        let broken = text.replacen(
            "\npatterns = [",
            "\npatterns = [\n  \"talks (unclosed\",",
            1,
        );
        let err = parse(&broken).unwrap_err();
        assert!(
            err.contains("`patterns`: bad regex `talks (unclosed`"),
            "{err}"
        );
    }
}

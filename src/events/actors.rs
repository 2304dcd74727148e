//! Actor mentions: titled persons, organizations and countries, with the
//! country each belongs to, and short back-references ("Lee") to persons
//! named in full earlier in the article.
use once_cell::sync::Lazy;
use regex::Regex;

use chrono::NaiveDate;

use super::gazetteer::{CountryForm, Gazetteer, Hit, Rank};
use super::leaders::{Leaders, Office, Resolution};
use super::patterns_alphabet::RecodedRegex;
use super::sentences::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub name: String,
    pub title: Option<String>,
    pub rank: Option<Rank>,
    pub country: Option<String>,
    /// The country was not stated next to the person but inferred from the
    /// title, the publication's country or the dateline.
    pub country_inferred: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Entity {
    /// Index into [`ArticleIndex::persons`].
    Person(usize),
    Organization {
        name: String,
        country: Option<String>,
    },
    /// Index into the gazetteer's countries.
    Country(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub entity: Entity,
}

/// Words that never start or continue a person's name.
const NOT_NAME: &[&str] = &[
    "The",
    "A",
    "An",
    "On",
    "In",
    "At",
    "And",
    "Of",
    "For",
    "With",
    "During",
    "After",
    "Before",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "His",
    "Her",
    "This",
    "That",
    "But",
    "As",
    "By",
    "From",
    "To",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Palace",
    "House",
    "Hall",
    "Office",
    "Party",
    "Government",
    "Ministry",
    "Council",
    "Committee",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Madam",
];
/// Lower-case particles inside names ("Ursula von der Leyen").
const NAME_PARTICLES: &[&str] = &[
    "bin", "binti", "van", "von", "der", "de", "da", "dos", "del", "al", "la", "le", "du",
];

/// Recoded (see [`RecodedRegex`]): its letter classes in counted
/// repetitions were most of the actor regexes' first-use compile.
static APPOSITIVE: Lazy<RecodedRegex> = Lazy::new(|| {
    RecodedRegex::new(
        r"(?P<name>\p{Lu}[\p{L}'’.-]+(?: (?:\p{Lu}[\p{L}'’.-]+|bin|binti|van|von|der|de|da)){0,4}), (?:(?:the|a|an|former|[\p{Ll}][\p{Ll}-]*) ){0,4}$",
    )
});
static PARTY: Lazy<RecodedRegex> = Lazy::new(|| {
    RecodedRegex::new(r"\b(?:\p{Lu}[\p{L}'’-]*\s+){1,5}(?:Party|Front|Congress|Alliance)\b")
});
static GOVERNMENT_OF: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?:Parliament|National Assembly|Government|Senate|Ministry of Foreign Affairs|Foreign Ministry|People's Assembly) of (?:the )?$").unwrap()
});
static ADJECTIVE_BODY: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^ (?:party |government |parliamentary |foreign ministry |military )?(?:delegation|government|parliament|foreign ministry)\b").unwrap()
});
static WORD: Lazy<RecodedRegex> = Lazy::new(|| RecodedRegex::new(r"[\p{L}\p{N}'’-]+"));
static ABBREVIATION: Lazy<RecodedRegex> =
    Lazy::new(|| RecodedRegex::new(r"^ \(\p{Lu}[\p{Lu}.]{1,7}\)"));
/// The longest [`ABBREVIATION`] match in bytes: " (" + 8 characters of up
/// to 4 bytes + ")".
const ABBREVIATION_BYTES: usize = 3 + 8 * 4;
/// A body of an organization named after it: "African Union Commission".
static BODY_SUFFIX: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"^ (?:Commission|Secretariat|Council|Summit|Parliament|Assembly|Central Committee)\b",
    )
    .unwrap()
});

/// Article-wide index of mentions, built once per article with a trigger.
#[derive(Debug)]
pub struct ArticleIndex {
    pub persons: Vec<Person>,
    /// Full (titled) person mentions, sorted by start.
    person_mentions: Vec<Mention>,
    organization_mentions: Vec<Mention>,
    pub country_hits: Vec<(Hit, CountryForm)>,
    pub city_hits: Vec<Hit>,
}

impl ArticleIndex {
    /// `home`: the publication's country (from its web domain), if known;
    /// `leaders`: the knowledge base and the day names resolve on.
    pub fn build(
        gazetteer: &Gazetteer,
        text: &str,
        home: Option<&str>,
        leaders: Option<(&Leaders, Option<NaiveDate>)>,
    ) -> ArticleIndex {
        let country_hits = gazetteer.find_countries(text);
        let city_hits = gazetteer.find_cities(text);
        let organization_mentions = find_organizations(gazetteer, text, &country_hits);
        let mut index = ArticleIndex {
            persons: Vec::new(),
            person_mentions: Vec::new(),
            organization_mentions,
            country_hits,
            city_hits,
        };
        // titles are scanned once: persons and "the Japanese prime minister"
        let title_hits = gazetteer.find_titles(text);
        index.find_persons(gazetteer, text, &title_hits);
        if let Some((kb, published)) = leaders {
            let as_of = published.unwrap_or_else(|| chrono::Utc::now().date_naive());
            index.add_leaders(kb, text, as_of);
        }
        index.add_descriptions(gazetteer, text, &title_hits, leaders);
        index.infer_countries(gazetteer, text, home);
        index
    }

    /// Leaders the knowledge base knows on the article's date: a titled
    /// person without a stated country gets the country of their office; a
    /// bare name ("Macron said", "Lula") becomes a person of its own.
    fn add_leaders(&mut self, kb: &Leaders, text: &str, as_of: NaiveDate) {
        // KB person (wikidata id) -> the person already indexed for them
        let mut known: Vec<(String, usize)> = Vec::new();
        for found in kb.find(text, as_of) {
            let Resolution::Person(leader) = found.resolution else {
                continue;
            };
            let titled = self
                .person_mentions
                .iter()
                .find(|m| m.start <= found.start && found.end <= m.end)
                .map(|m| m.entity.clone());
            if let Some(Entity::Person(p)) = titled {
                known.push((leader.wikidata.clone(), p));
                let person = &mut self.persons[p];
                // a nationality holds before and after the office
                if person.country.is_none() {
                    person.country = Some(leader.country);
                }
                // "Chinese leader Xi Jinping": the office in force that day
                // outranks a vague title
                if let (Some(Rank::Official) | None, Some(office)) = (person.rank, leader.office) {
                    person.rank = Some(office_rank(office));
                }
                continue;
            }
            // Out of office that day: a short name means someone else.
            let rank = match leader.office {
                Some(office) => office_rank(office),
                // named in full: the person, whenever in office
                None if text[found.start..found.end].contains(' ') => Rank::Official,
                None => continue,
            };
            let overlaps = |m: &Mention| found.start < m.end && m.start < found.end;
            if self.person_mentions.iter().any(overlaps)
                || self.organization_mentions.iter().any(overlaps)
                || self
                    .country_hits
                    .iter()
                    .any(|(h, _)| found.start < h.end && h.start < found.end)
            {
                continue;
            }
            // "Lee" after "President ... Lee Jae Myung": the same person
            if let Some(&(_, p)) = known.iter().find(|(id, _)| *id == leader.wikidata) {
                self.person_mentions.push(Mention {
                    start: found.start,
                    end: found.end,
                    entity: Entity::Person(p),
                });
                continue;
            }
            let wikidata = leader.wikidata.clone();
            let person = self.add_person(Person {
                name: leader.name,
                title: None,
                rank: Some(rank),
                country: Some(leader.country),
                country_inferred: false,
            });
            known.push((wikidata, person));
            self.person_mentions.push(Mention {
                start: found.start,
                end: found.end,
                entity: Entity::Person(person),
            });
        }
        self.person_mentions.sort_by_key(|m| m.start);
    }

    /// "the Palestinian president", "the Japanese prime minister": the
    /// person of that country with that title named before, or else the
    /// one the knowledge base has in that office on the story's day.
    fn add_descriptions(
        &mut self,
        gazetteer: &Gazetteer,
        text: &str,
        title_hits: &[Hit],
        leaders: Option<(&Leaders, Option<NaiveDate>)>,
    ) {
        let definite = |at: usize| text[..at].ends_with("the ") || text[..at].ends_with("The ");
        for title_hit in title_hits {
            let rank = gazetteer.titles[title_hit.entry].rank;
            // "the Japanese prime minister", else "the President of Russia"
            let (country_hit, start, end) = match self.country_before(text, title_hit.start) {
                Some(&(hit, _)) if definite(hit.start) => (hit, hit.start, title_hit.end),
                Some(_) => continue,
                None => match self.country_after_of(text, title_hit.end) {
                    Some(&(hit, _)) if definite(title_hit.start) => (hit, title_hit.start, hit.end),
                    _ => continue,
                },
            };
            let covered = self
                .person_mentions
                .iter()
                .any(|m| m.start < end && start < m.end);
            if covered || self.named_right_after(text, end) {
                continue;
            }
            let iso3 = gazetteer.countries[country_hit.entry].iso3.clone();
            let title = text[title_hit.start..title_hit.end].to_lowercase();
            let named_before = self
                .person_mentions
                .iter()
                .rev()
                .find_map(|m| match m.entity {
                    Entity::Person(p)
                        if m.end <= start
                            && self.persons[p].country.as_deref() == Some(iso3.as_str())
                            && self.persons[p].rank == Some(rank) =>
                    {
                        Some(p)
                    }
                    _ => None,
                });
            let person = named_before.or_else(|| {
                let (kb, Some(day)) = leaders? else {
                    return None;
                };
                let office = Office::from_rank(rank)?;
                match kb.holders(&iso3, Some(office), day).as_slice() {
                    [only] => Some(self.add_person(Person {
                        name: only.name.clone(),
                        title: Some(title.clone()),
                        rank: Some(rank),
                        country: Some(iso3.clone()),
                        country_inferred: false,
                    })),
                    _ => None,
                }
            });
            if let Some(person) = person {
                self.person_mentions.push(Mention {
                    start,
                    end,
                    entity: Entity::Person(person),
                });
            }
        }
        self.person_mentions.sort_by_key(|m| m.start);
    }

    /// A leader named without nationality ("President Kang Min-seok") is
    /// most often the publication's own: take a country the title implies
    /// ("Taoiseach"), else the publication's country, else the dateline's.
    fn infer_countries(&mut self, gazetteer: &Gazetteer, text: &str, home: Option<&str>) {
        // the country the story is filed from
        let dateline = super::matcher::dateline(gazetteer, text)
            .and_then(|d| d.place)
            .and_then(|place| place.country);
        let possessed: Vec<Option<String>> = (0..self.persons.len())
            .map(|person| self.possessor_country(text, person))
            .collect();
        for (person, possessor_country) in self.persons.iter_mut().zip(possessed) {
            if person.country.is_some() {
                continue;
            }
            // "Trump's envoy Steve Witkoff" serves the leader's country
            if possessor_country.is_some() {
                person.country = possessor_country;
                person.country_inferred = true;
                continue;
            }
            let title = person.title.as_deref().unwrap_or_default().to_lowercase();
            let from_title = gazetteer
                .titles
                .iter()
                .find(|t| t.text == title)
                .and_then(|t| t.country.clone());
            let national = matches!(
                person.rank,
                Some(
                    Rank::Monarch
                        | Rank::HeadOfState
                        | Rank::HeadOfGovernment
                        | Rank::Deputy
                        | Rank::Minister
                )
            );
            let inferred = from_title.or_else(|| {
                national
                    .then(|| home.map(str::to_string).or_else(|| dateline.clone()))
                    .flatten()
            });
            if inferred.is_some() {
                person.country = inferred;
                person.country_inferred = true;
            }
        }
    }

    /// The country of the person whose possessive opens a mention of
    /// `person`: "Putin's aide Yuri Ushakov" serves Russia.
    fn possessor_country(&self, text: &str, person: usize) -> Option<String> {
        self.person_mentions
            .iter()
            .filter(|m| m.entity == Entity::Person(person))
            .find_map(|mention| {
                let before = &text[..mention.start];
                let owner = before
                    .strip_suffix("'s ")
                    .or_else(|| before.strip_suffix("’s "))?;
                let word_start = owner
                    .rfind(|c: char| !(c.is_alphabetic() || c == '-'))
                    .map_or(0, |i| {
                        i + owner[i..].chars().next().map_or(1, char::len_utf8)
                    });
                let surname = &owner[word_start..];
                self.persons
                    .iter()
                    .enumerate()
                    .filter(|(other, p)| *other != person && p.country.is_some())
                    .find(|(_, p)| {
                        !surname.is_empty() && p.name.rsplit(' ').next() == Some(surname)
                    })
                    .and_then(|(_, p)| p.country.clone())
            })
    }

    /// The country right after a title's "of" ("President of the Republic
    /// of Korea").
    fn country_after_of(&self, text: &str, title_end: usize) -> Option<&(Hit, CountryForm)> {
        let rest = text[title_end..].strip_prefix(" of ")?;
        let at = title_end + 4 + if rest.starts_with("the ") { 4 } else { 0 };
        self.country_hits.iter().find(|(hit, _)| hit.start == at)
    }

    /// A capitalized word right after a description is the start of a name
    /// the person finder did not take ("the President of Russia Vladimir
    /// Putin"); the description then is no stand-alone mention.
    fn named_right_after(&self, text: &str, end: usize) -> bool {
        text[end..]
            .strip_prefix(' ')
            .and_then(|rest| rest.chars().next())
            .is_some_and(char::is_uppercase)
    }

    fn country_before(&self, text: &str, at: usize) -> Option<&(Hit, CountryForm)> {
        self.country_hits
            .iter()
            .rev()
            .find(|(hit, _)| hit.end <= at && matches!(&text[hit.end..at], " " | "'s " | "’s "))
    }

    fn find_persons(&mut self, gazetteer: &Gazetteer, text: &str, title_hits: &[Hit]) {
        let mut consumed_until = 0;
        for title_hit in title_hits {
            if title_hit.start < consumed_until {
                continue;
            }
            let mut rank = gazetteer.titles[title_hit.entry].rank;
            let title_text = text[title_hit.start..title_hit.end].to_string();
            let mut start = title_hit.start;
            let mut country = None;
            if let Some((hit, _)) = self.country_before(text, title_hit.start) {
                country = Some(gazetteer.countries[hit.entry].iso3.clone());
                start = hit.start;
            }
            if text[..start].ends_with("former ") || text[..start].ends_with("Former ") {
                rank = Rank::Former;
            }
            // "President of the Republic of Korea (ROK) Lee Jae Myung"
            let mut pos = title_hit.end;
            if let Some(of_rest) = text[pos..].strip_prefix(" of ") {
                let mut at = pos + 4;
                if of_rest.starts_with("the ") {
                    at += 4;
                }
                if let Some((hit, _)) = self
                    .country_hits
                    .iter()
                    .find(|(h, form)| h.start == at && *form == CountryForm::Name)
                {
                    if country.is_none() {
                        country = Some(gazetteer.countries[hit.entry].iso3.clone());
                    }
                    pos = hit.end;
                    if let Some(end) = abbreviation_end(&text[pos..]) {
                        pos += end;
                    }
                }
            }
            // "envoy in Sudan Andrew Natsios", "ambassador to China Nicholas
            // Burns": the country is the posting, not the nationality
            if pos == title_hit.end {
                pos = self.posting_end(text, pos).unwrap_or(pos);
            }
            let name_from = if text[pos..].starts_with(", ") {
                pos + 2
            } else if text[pos..].starts_with(' ') {
                pos + 1
            } else {
                pos
            };
            if name_from > pos {
                if let Some(name_end) = name_run(gazetteer, text, name_from) {
                    let name = clean_name(&text[name_from..name_end]);
                    // "counterpart, Tom Rawiri," needs the closing comma
                    let comma_ok = !text[pos..].starts_with(", ")
                        || text[name_end..].starts_with(',')
                        || text[name_end..].starts_with('.');
                    if comma_ok && !name.is_empty() {
                        let person = self.add_person(Person {
                            name,
                            title: Some(title_text),
                            rank: Some(rank),
                            country,
                            country_inferred: false,
                        });
                        self.person_mentions.push(Mention {
                            start,
                            end: name_end,
                            entity: Entity::Person(person),
                        });
                        consumed_until = name_end;
                        continue;
                    }
                }
            }
            // "Teo Nie Ching, vice chairwoman of Malaysia's ..." (appositive)
            let window_start = floor_boundary(text, title_hit.start.saturating_sub(120));
            let window = &text[window_start..title_hit.start];
            // the pattern needs ", ": most windows have none
            let recoded = window.contains(", ").then(|| APPOSITIVE.recode(window));
            let appositive = recoded
                .as_deref()
                .and_then(|recoded| APPOSITIVE.regex().captures(recoded))
                .map(|caps| caps.name("name").expect("group").range());
            if let Some(name_range) = appositive {
                // offsets into the recoded window are offsets into the window
                let name = clean_name(&window[name_range.clone()]);
                let name_start = window_start + name_range.start;
                if name.split(' ').all(|w| !NOT_NAME.contains(&w))
                    && !self.is_country_at(name_start)
                {
                    let sentence_end = text[title_hit.end..]
                        .find(['.', '"', '“', '”', ';', ','])
                        .map(|e| title_hit.end + e)
                        .unwrap_or(text.len())
                        .min(title_hit.end + 160);
                    let country = self
                        .country_hits
                        .iter()
                        .find(|(h, _)| h.start >= title_hit.end && h.end <= sentence_end)
                        .map(|(h, _)| gazetteer.countries[h.entry].iso3.clone());
                    let title = text[window_start + name_range.end + 2..title_hit.end]
                        .trim()
                        .to_string();
                    let person = self.add_person(Person {
                        name,
                        title: Some(title),
                        rank: Some(rank),
                        country,
                        country_inferred: false,
                    });
                    self.person_mentions.push(Mention {
                        start: name_start,
                        end: title_hit.end,
                        entity: Entity::Person(person),
                    });
                    consumed_until = title_hit.end;
                }
            }
        }
        self.person_mentions.sort_by_key(|m| m.start);
    }

    /// The end of a posting after a title (" to China", " in the
    /// Philippines"), when a country name follows "to" or "in".
    fn posting_end(&self, text: &str, title_end: usize) -> Option<usize> {
        let rest = &text[title_end..];
        let skip = [" to the ", " in the ", " to ", " in "]
            .iter()
            .find(|p| rest.starts_with(*p))?
            .len();
        self.country_hits
            .iter()
            .find(|(h, form)| h.start == title_end + skip && *form == CountryForm::Name)
            .map(|(h, _)| h.end)
    }

    fn is_country_at(&self, at: usize) -> bool {
        self.country_hits.iter().any(|(h, _)| h.start == at)
    }

    /// Adds a person or merges it into one already known by the same name.
    fn add_person(&mut self, person: Person) -> usize {
        if let Some(i) = self.persons.iter().position(|p| p.name == person.name) {
            let known = &mut self.persons[i];
            if known.country.is_none() {
                known.country = person.country;
            }
            return i;
        }
        self.persons.push(person);
        self.persons.len() - 1
    }

    /// Every actor mention inside `span`, in text order, without overlaps.
    pub fn mentions_in(&self, text: &str, span: Span) -> Vec<Mention> {
        let inside = |m: &Mention| m.start >= span.start && m.end <= span.end;
        let mut mentions: Vec<Mention> = self
            .person_mentions
            .iter()
            .filter(|m| inside(m))
            .cloned()
            .collect();
        mentions.extend(
            self.organization_mentions
                .iter()
                .filter(|m| inside(m))
                .cloned(),
        );
        mentions.extend(self.back_references(text, span));
        for (hit, form) in &self.country_hits {
            if *form == CountryForm::Name && hit.start >= span.start && hit.end <= span.end {
                mentions.push(Mention {
                    start: hit.start,
                    end: hit.end,
                    entity: Entity::Country(hit.entry),
                });
            }
        }
        // earlier first, then longer first; drop anything overlapping a kept one
        mentions.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        let mut kept: Vec<Mention> = Vec::new();
        for mention in mentions {
            if kept
                .iter()
                .all(|k| mention.end <= k.start || mention.start >= k.end)
            {
                kept.push(mention);
            }
        }
        kept.sort_by_key(|m| m.start);
        kept
    }

    /// Capitalized words that repeat part of a person's name given in full
    /// before this span ("Lee" after "President ... Lee Jae Myung").
    fn back_references(&self, text: &str, span: Span) -> Vec<Mention> {
        let mut found = Vec::new();
        let slice = &text[span.start..span.end];
        let recoded = WORD.recode(slice);
        for word_match in WORD.regex().find_iter(&recoded) {
            let word_start = span.start + word_match.start();
            // offsets into the recoded slice are offsets into the slice
            let word = slice[word_match.range()]
                .trim_end_matches("'s")
                .trim_end_matches("’s");
            if word.len() < 2 || !word.chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            // the most recently introduced person whose name has this word
            let person = self
                .person_mentions
                .iter()
                .rev()
                .filter(|m| m.end <= word_start)
                .find_map(|m| match m.entity {
                    Entity::Person(p) => {
                        let parts: Vec<&str> = self.persons[p].name.split(' ').collect();
                        let first = parts.first().copied();
                        let last = parts.last().copied();
                        (first == Some(word) || last == Some(word)).then_some(p)
                    }
                    _ => None,
                });
            if let Some(person) = person {
                found.push(Mention {
                    start: word_start,
                    end: word_start + word.len(),
                    entity: Entity::Person(person),
                });
            }
        }
        found
    }

    /// Persons named (with a title) before `at`, the most recent first.
    pub fn persons_before(&self, at: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for mention in self.person_mentions.iter().rev() {
            if let Entity::Person(p) = mention.entity {
                if mention.end <= at && !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Start of the last titled mention of `person` that ends before `at`.
    pub fn last_mention_before(&self, person: usize, at: usize) -> Option<usize> {
        self.person_mentions
            .iter()
            .rev()
            .find(|m| m.end <= at && m.entity == Entity::Person(person))
            .map(|m| m.start)
    }

    /// The last person before `at` that `accept`s and that opens its
    /// sentence as its subject ("Trump leaves on Sunday", "On Monday, the
    /// Japanese prime minister ..."): the one a later "he" or "she" most
    /// likely refers to, whoever else was named in between.
    pub fn last_subject_before(
        &self,
        text: &str,
        at: usize,
        accept: impl Fn(usize) -> bool,
    ) -> Option<(usize, usize)> {
        self.person_mentions
            .iter()
            .rev()
            .filter(|m| m.end <= at)
            .find_map(|m| match m.entity {
                Entity::Person(p) if accept(p) && opens_sentence(text, m) => Some((p, m.start)),
                _ => None,
            })
    }

    /// Persons named (with a title) at or after `from`, in order.
    pub fn persons_after(&self, from: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for mention in &self.person_mentions {
            if let Entity::Person(p) = mention.entity {
                if mention.start >= from && !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        out
    }
}

/// Words a sentence's subject may follow: a short fronted phrase or title.
const SUBJECT_MAX_WORDS_BEFORE: usize = 5;

/// Whether `mention` is its sentence's subject: at most a few words before
/// it since the sentence began, and not a possessive ("at Xi's invitation").
fn opens_sentence(text: &str, mention: &Mention) -> bool {
    let before = &text[..mention.start];
    let sentence_start = before.rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    let words_before = before[sentence_start..].split_whitespace().count();
    let after = &text[mention.end..];
    words_before <= SUBJECT_MAX_WORDS_BEFORE && !after.starts_with("'s") && !after.starts_with("’s")
}

fn office_rank(office: Office) -> Rank {
    match office {
        Office::Monarch => Rank::Monarch,
        Office::HeadOfState => Rank::HeadOfState,
        Office::HeadOfGovernment => Rank::HeadOfGovernment,
        Office::ForeignMinister => Rank::Minister,
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// End of a run of capitalized name words starting at `from`, if any.
fn name_run(gazetteer: &Gazetteer, text: &str, from: usize) -> Option<usize> {
    let mut end = None;
    let mut pos = from;
    let mut words = 0;
    loop {
        let rest = &text[pos..];
        let word_len = rest
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '\'' | '’' | '.')))
            .unwrap_or(rest.len());
        let raw = &rest[..word_len];
        let word = raw.trim_end_matches('.');
        let word = word.trim_end_matches("'s").trim_end_matches("’s");
        if word.is_empty() {
            break;
        }
        let capitalized = word.chars().next().is_some_and(char::is_uppercase);
        let particle = NAME_PARTICLES.contains(&word);
        if !(capitalized || (particle && words > 0)) {
            break;
        }
        if NOT_NAME.contains(&word)
            || gazetteer
                .find_titles(word)
                .first()
                .is_some_and(|h| h.end == word.len())
        {
            break;
        }
        if gazetteer
            .find_countries(word)
            .first()
            .is_some_and(|(h, _)| h.end == word.len())
        {
            break;
        }
        words += 1;
        if capitalized {
            end = Some(pos + word.len());
        }
        if words >= 5 || raw.len() != word.len() {
            // a possessive or a full stop ends the name
            break;
        }
        if !text[pos + word_len..].starts_with(' ') {
            break;
        }
        pos += word_len + 1;
    }
    end
}

fn clean_name(name: &str) -> String {
    name.trim()
        .trim_end_matches("'s")
        .trim_end_matches("’s")
        .trim_end_matches(['.', ','])
        .to_string()
}

/// `regex.find(text)` for a regex anchored on `^ `: texts that do not start
/// with a space (most) skip the regex.
fn starts_with_space<'t>(text: &'t str, regex: &Regex) -> Option<regex::Match<'t>> {
    text.starts_with(' ').then(|| regex.find(text)).flatten()
}

/// The end of an [`ABBREVIATION`] opening `text`: only as much of the
/// text as a match can span is recoded.
fn abbreviation_end(text: &str) -> Option<usize> {
    if !text.starts_with(' ') {
        return None;
    }
    let head = &text[..floor_boundary(text, text.len().min(ABBREVIATION_BYTES + 3))];
    let recoded = ABBREVIATION.recode(head);
    ABBREVIATION.regex().find(&recoded).map(|m| m.end())
}

fn find_organizations(
    gazetteer: &Gazetteer,
    text: &str,
    country_hits: &[(Hit, CountryForm)],
) -> Vec<Mention> {
    let country_before = |at: usize| {
        country_hits
            .iter()
            .rev()
            .find(|(h, _)| h.end <= at && matches!(&text[h.end..at], " " | "'s " | "’s "))
            .map(|(h, _)| gazetteer.countries[h.entry].iso3.clone())
    };
    let mut mentions: Vec<Mention> = Vec::new();
    for hit in gazetteer.find_organizations(text) {
        let organization = &gazetteer.organizations[hit.entry];
        let mut end = hit.end;
        let mut name = organization.name.clone();
        if let Some(body) = starts_with_space(&text[end..], &BODY_SUFFIX) {
            name = format!("{name}{}", body.as_str());
            end += body.end();
        }
        if let Some(abbr_end) = abbreviation_end(&text[end..]) {
            end += abbr_end;
        }
        mentions.push(Mention {
            start: hit.start,
            end,
            entity: Entity::Organization {
                name,
                country: organization
                    .iso3
                    .clone()
                    .or_else(|| country_before(hit.start)),
            },
        });
    }
    let overlaps = |mentions: &[Mention], start: usize, end: usize| {
        mentions.iter().any(|m| start < m.end && m.start < end)
    };
    // "Malaysia's Democratic Action Party", "the Workers Front"
    // the pattern ends in one of these words: skip the scan without them
    let may_name_party = ["Party", "Front", "Congress", "Alliance"]
        .iter()
        .any(|word| text.contains(word));
    let recoded = PARTY.recode(if may_name_party { text } else { "" });
    // offsets into the recoded text are offsets into the text
    for found in PARTY.regex().find_iter(&recoded) {
        let mut start = found.start();
        let mut country = None;
        // a leading country name or adjective belongs to the party's country
        if let Some((hit, _)) = country_hits.iter().find(|(h, _)| h.start == start) {
            country = Some(gazetteer.countries[hit.entry].iso3.clone());
            start = hit.end;
            for suffix in ["'s", "’s"] {
                if text[start..].starts_with(suffix) {
                    start += suffix.len();
                }
            }
            start += text[start..].len() - text[start..].trim_start().len();
        } else {
            country = country.or_else(|| country_before(start));
        }
        let name = &text[start..found.end()];
        if name.split(' ').count() < 2 || overlaps(&mentions, start, found.end()) {
            continue;
        }
        // the mention keeps the leading "Kenya's", the name does not
        mentions.push(Mention {
            start: found.start(),
            end: found.end(),
            entity: Entity::Organization {
                name: name.to_string(),
                country,
            },
        });
    }
    for (hit, form) in country_hits {
        let iso3 = &gazetteer.countries[hit.entry].iso3;
        // "Parliament of Kazakhstan"
        if *form == CountryForm::Name {
            let before = &text[floor_boundary(text, hit.start.saturating_sub(40))..hit.start];
            // the pattern ends in "of " or "of the "
            let government_of = (before.ends_with("of ") || before.ends_with("of the "))
                .then(|| GOVERNMENT_OF.find(before))
                .flatten();
            if let Some(found) = government_of {
                let start = floor_boundary(text, hit.start.saturating_sub(40)) + found.start();
                if !overlaps(&mentions, start, hit.end) {
                    mentions.push(Mention {
                        start,
                        end: hit.end,
                        entity: Entity::Organization {
                            name: text[start..hit.end].to_string(),
                            country: Some(iso3.clone()),
                        },
                    });
                }
            }
        }
        // "the Vietnamese party delegation", "the Chinese government"
        if let Some(found) = starts_with_space(&text[hit.end..], &ADJECTIVE_BODY) {
            let end = hit.end + found.end();
            if !overlaps(&mentions, hit.start, end) {
                mentions.push(Mention {
                    start: hit.start,
                    end,
                    entity: Entity::Organization {
                        name: text[hit.start..end].to_string(),
                        country: Some(iso3.clone()),
                    },
                });
            }
        }
    }
    mentions.sort_by_key(|m| m.start);
    mentions
}

//! Sentence-level matching of one rule, and merging per article.
use chrono::NaiveDate;

use super::actors::{ArticleIndex, Entity, Mention};
use super::dates;
use super::gazetteer::{CountryForm, Gazetteer};
use super::rules::{Counts, LocationSource, Rule, MENTION_CLOSE, MENTION_OPEN};
use super::sentences::{self, Span};
use super::{Actor, ArticleRef, Count, Event, Evidence, Location, Plover, EVENT_SCHEMA};

/// Everything a rule needs about the article it runs on.
pub struct Context<'a> {
    pub gazetteer: &'a Gazetteer,
    pub text: &'a str,
    /// Built on first use: most trigger sentences fail the cheap checks.
    pub index: once_cell::unsync::OnceCell<ArticleIndex>,
    pub home: Option<String>,
    pub published: Option<NaiveDate>,
    pub article: &'a ArticleRef,
}

impl Context<'_> {
    pub fn index(&self) -> &ArticleIndex {
        self.index
            .get_or_init(|| ArticleIndex::build(self.gazetteer, self.text, self.home.as_deref()))
    }
}

/// A candidate event plus what merging needs to know.
pub struct Candidate {
    pub event: Event,
    pub rule: usize,
    pub multilateral: bool,
    pub sentence_end: usize,
    /// "runs until Wednesday" in a sentence without a start date.
    pub until: Option<chrono::Weekday>,
}

/// Tries `rule` on one sentence whose trigger words start at `triggers`
/// (byte offsets into the article text).
pub fn match_sentence(
    ctx: &Context<'_>,
    rule: &Rule,
    span: Span,
    triggers: &[usize],
) -> Option<(Event, bool, Option<chrono::Weekday>)> {
    let sentence = &ctx.text[span.start..span.end];
    if !rule.patterns.is_empty() && !rule.patterns.iter().any(|p| p.is_match(sentence)) {
        return None;
    }
    if rule.reject.iter().any(|p| p.is_match(sentence)) {
        return None;
    }
    let tense_ok = triggers.iter().any(|&at| {
        let at = at - span.start;
        let from = floor(sentence, at.saturating_sub(rule.tense_window_before));
        let to = ceil(sentence, (at + rule.tense_window_after).min(sentence.len()));
        let window = &sentence[from..to];
        (rule.tense_require.is_empty() || rule.tense_require.iter().any(|p| p.is_match(window)))
            && !rule.tense_reject.iter().any(|p| p.is_match(window))
    });
    tracing::trace!(rule = %rule.event_type, tense_ok, sentence, "events: trigger sentence");
    if !tense_ok {
        return None;
    }

    let mode = rule
        .modes
        .iter()
        .find(|m| m.patterns.iter().any(|p| p.is_match(sentence)))
        .map(|m| m.value.clone())
        .or_else(|| rule.mode_default.clone());
    let third_location = rule.third_location.iter().any(|p| p.is_match(sentence));
    let counts = match &rule.counts {
        Some(counts) if !third_location => (
            count(counts, &counts.participants, sentence),
            count(counts, &counts.countries, sentence),
        ),
        _ => (None, None),
    };
    let multilateral = !third_location
        && (counts.0.is_some()
            || counts.1.is_some()
            || rule.multilateral.iter().any(|p| p.is_match(sentence)));

    let index = ctx.index();
    // Mentions, minus the country that is only the place ("in China").
    let mut mentions = index.mentions_in(ctx.text, span);
    let place = sentence_location(ctx, span, &mentions);
    if let Some((_, Some(used))) = &place {
        mentions.retain(|m| m.start != *used);
    }
    let roles = assign_roles(rule, sentence, span, &mentions, multilateral);

    // Actors in text order.
    let mut actors: Vec<Actor> = Vec::new();
    let mut first_hosting_role: Option<String> = None;
    let mut named_countries: Vec<usize> = Vec::new();
    let has_person_or_org = mentions
        .iter()
        .any(|m| !matches!(m.entity, Entity::Country(_)));
    for (mention, role) in mentions.iter().zip(&roles) {
        let named_by_pattern = role.is_some();
        if named_by_pattern {
            named_countries.push(mention.start);
        }
        let role = match role {
            Some(role) => role.clone(),
            None if rule.keep_unassigned => rule.default_role.clone(),
            None => continue,
        };
        let actor = to_actor(ctx, mention, &role);
        // A country used as a modifier ("US dollars", "China's economy") or
        // already present through one of its leaders is no actor of its own,
        // unless a role pattern named it.
        if matches!(mention.entity, Entity::Country(_))
            && !named_by_pattern
            && (is_modifier(ctx.text, mention.end)
                || is_topic_or_place(ctx.text, mention.start)
                || (has_person_or_org
                    && mentions.iter().any(|m| {
                        !matches!(m.entity, Entity::Country(_))
                            && to_actor(ctx, m, "participant").country == actor.country
                    })))
        {
            continue;
        }
        if matches!(role.as_str(), "host" | "visitor") && first_hosting_role.is_none() {
            first_hosting_role = Some(role.clone());
        }
        match actors.iter_mut().find(|a| a.name == actor.name) {
            Some(existing) if existing.role == rule.default_role => existing.role = actor.role,
            Some(_) => {}
            None => actors.push(actor),
        }
    }

    if !rule.visitor_ranks.is_empty() {
        let is_leader = |m: &Mention| match m.entity {
            Entity::Person(p) => ctx.index().persons[p]
                .rank
                .is_some_and(|r| rule.visitor_ranks.contains(&r)),
            _ => false,
        };
        let visitor_mention = mentions
            .iter()
            .zip(&roles)
            .find(|(_, role)| role.as_deref() == Some("visitor"))
            .map(|(m, _)| m);
        match visitor_mention {
            Some(m) if is_leader(m) => {}
            Some(_) => return None,
            None => {
                // no pattern named the visitor: the first leader named
                let leader = mentions.iter().find(|m| is_leader(m))?;
                let actor = to_actor(ctx, leader, "visitor");
                actors.retain(|a| a.name != actor.name);
                actors.insert(0, actor);
            }
        }
    }
    tracing::trace!(rule = %rule.event_type, ?actors, multilateral, "events: candidate sentence");
    // "X and Y held a summit": two persons from two countries, no counts.
    let mut multilateral = multilateral;
    if multilateral && rule.bilateral_if_two_countries && counts.0.is_none() && counts.1.is_none() {
        let persons: Vec<&Actor> = actors.iter().filter(|a| a.kind == "person").collect();
        let mut countries: Vec<&str> = persons
            .iter()
            .filter_map(|a| a.country.as_deref())
            .collect();
        countries.sort();
        countries.dedup();
        if persons.len() == 2 && countries.len() == 2 && actors.len() == 2 {
            multilateral = false;
        }
    }
    let name = rule.name_patterns.iter().find_map(|p| {
        p.captures(sentence)
            .and_then(|c| c.name("name"))
            .map(|m| m.as_str().trim().to_string())
    });
    // A lone country is weak evidence of an actor ("because of India's
    // election"); two or more, or one a role pattern named, count.
    let countries = actors.iter().filter(|a| a.kind == "country").count();
    let named_by_pattern = |actor: &Actor| {
        mentions.iter().any(|m| {
            named_countries.contains(&m.start)
                && matches!(m.entity, Entity::Country(_))
                && to_actor(ctx, m, "participant").name == actor.name
        })
    };
    let counted = actors
        .iter()
        .filter(|a| {
            a.kind != "country"
                || countries >= 2
                || a.role != rule.default_role
                || named_by_pattern(a)
        })
        .count();
    let needed = if multilateral && (name.is_some() || counts.0.is_some() || counts.1.is_some()) {
        rule.min_actors_named_gathering
    } else if multilateral {
        rule.min_actors_multilateral
    } else {
        rule.min_actors
    };
    if counted < needed {
        return None;
    }

    let location = if mode
        .as_ref()
        .is_some_and(|m| rule.no_location_modes.contains(m))
    {
        None
    } else {
        match rule.location {
            LocationSource::None => None,
            LocationSource::Sentence => place.map(|(location, _)| location),
            LocationSource::Host => host_location(ctx, &actors, span),
        }
    };

    if rule.infer_host_from_location
        && !multilateral
        && !third_location
        && location.is_some()
        && !actors
            .iter()
            .any(|a| a.role == "host" || a.role == "visitor")
    {
        let place = location.as_ref().and_then(|l| l.country.clone());
        let at_home = actors
            .iter()
            .filter(|a| a.country.is_some() && a.country == place)
            .count();
        let away = actors
            .iter()
            .filter(|a| a.country.is_some() && a.country != place)
            .count();
        if at_home >= 1 && away >= 1 && at_home + away == actors.len() {
            for actor in &mut actors {
                actor.role = if actor.country == place {
                    "host"
                } else {
                    "visitor"
                }
                .into();
            }
            first_hosting_role = actors.first().map(|a| a.role.clone());
        }
    }
    let anchors: Vec<usize> = triggers.iter().map(|t| t - span.start).collect();
    let event_dates = dates::resolve_in(sentence, ctx.published, rule.is_planned(), &anchors);
    let event_dates_until = event_dates.until;
    let theme = if rule.theme && multilateral {
        let rest = &ctx.text[span.start..ceil(ctx.text, (span.start + 3000).min(ctx.text.len()))];
        rule.theme_patterns.iter().find_map(|p| {
            p.captures(rest)
                .and_then(|c| c.name("theme"))
                .map(|m| m.as_str().trim().to_string())
        })
    } else {
        None
    };
    let visit_level = rule
        .levels
        .iter()
        .find(|l| l.patterns.iter().any(|p| p.is_match(sentence)))
        .map(|l| l.value.clone())
        .or_else(|| rule.level_default.clone());

    // A person of one side without a stated country belongs to that side's
    // country ("a delegation of the Communist Party of Vietnam led by ...").
    for i in 0..actors.len() {
        if actors[i].kind != "person"
            || actors[i].country.is_some()
            || actors[i].role == rule.default_role
        {
            continue;
        }
        let mut side: Vec<&String> = actors
            .iter()
            .filter(|a| a.role == actors[i].role)
            .filter_map(|a| a.country.as_ref())
            .collect();
        side.sort();
        side.dedup();
        if let [only] = side.as_slice() {
            actors[i].country = Some((*only).clone());
        }
    }
    // An inferred nationality cannot be the country visited.
    let host_country = actors
        .iter()
        .find(|a| a.role == "host")
        .and_then(|a| a.country.clone());
    for (mention, role) in mentions.iter().zip(&roles) {
        if let (Entity::Person(p), Some("visitor")) = (&mention.entity, role.as_deref()) {
            let person = &ctx.index().persons[*p];
            if person.country_inferred && person.country.is_some() && person.country == host_country
            {
                if let Some(actor) = actors.iter_mut().find(|a| a.name == person.name) {
                    actor.country = None;
                }
            }
        }
    }
    let hosted = actors
        .iter()
        .any(|a| a.role == "host" || a.role == "visitor");
    let code = rule.codes.iter().find(|code| {
        let when = &code.when;
        when.mode
            .as_ref()
            .map_or(true, |m| mode.as_ref() == Some(m))
            && when.multilateral.map_or(true, |v| v == multilateral)
            && when.third_location.map_or(true, |v| v == third_location)
            && when.hosted.map_or(true, |v| v == hosted)
            && when
                .source_role
                .as_ref()
                .map_or(true, |r| first_hosting_role.as_ref() == Some(r))
    })?;

    let mut confidence = rule.base_confidence;
    if event_dates.start.is_some() {
        confidence += 0.1;
    }
    if location.is_some() {
        confidence += 0.1;
    }
    if !actors.is_empty() && actors.iter().all(|a| a.country.is_some()) {
        confidence += 0.1;
    }
    let event = Event {
        schema: EVENT_SCHEMA.into(),
        id: String::new(),
        event_type: rule.event_type.clone(),
        status: rule.status.clone(),
        name,
        actors,
        location,
        start_date: event_dates.start.map(|d| d.to_string()),
        end_date: event_dates.end.map(|d| d.to_string()),
        date_text: event_dates.text,
        mode,
        visit_level,
        participants: if multilateral { counts.0 } else { None },
        countries: if multilateral { counts.1 } else { None },
        theme,
        cameo: code.cameo.clone(),
        plover: Plover {
            plover_type: code.plover_type.clone(),
            mode: code.plover_mode.clone(),
        },
        evidence: Evidence {
            text: sentence.to_string(),
            start: sentences::char_offset(ctx.text, span.start),
            end: sentences::char_offset(ctx.text, span.end),
        },
        confidence: (confidence.min(0.95) * 100.0).round() / 100.0,
        article: ctx.article.clone(),
    };
    Some((event, multilateral, event_dates_until))
}

/// Role of each mention from the rule's role patterns over the masked
/// sentence, then counterpart roles.
fn assign_roles(
    rule: &Rule,
    sentence: &str,
    span: Span,
    mentions: &[Mention],
    multilateral: bool,
) -> Vec<Option<String>> {
    let mut masked = String::with_capacity(sentence.len());
    let mut last = 0;
    for (i, mention) in mentions.iter().enumerate() {
        masked.push_str(&sentence[last..mention.start - span.start]);
        masked.push(MENTION_OPEN);
        masked.push_str(&i.to_string());
        masked.push(MENTION_CLOSE);
        last = mention.end - span.start;
    }
    masked.push_str(&sentence[last..]);
    let mut roles: Vec<Option<String>> = vec![None; mentions.len()];
    for (pattern, groups) in &rule.role_patterns {
        for caps in pattern.captures_iter(&masked) {
            for (group, role) in groups {
                let index = caps
                    .name(group)
                    .and_then(|m| m.as_str().parse::<usize>().ok());
                if let Some(slot) = index.and_then(|i| roles.get_mut(i)) {
                    if slot.is_none() {
                        *slot = Some(role.clone());
                    }
                }
            }
        }
    }
    // "King Willem-Alexander and Queen Máxima will make a state visit":
    // persons joined by "and" share a role.
    for i in 1..mentions.len() {
        let joined = &sentence[mentions[i - 1].end - span.start..mentions[i].start - span.start];
        let both_persons = matches!(mentions[i - 1].entity, Entity::Person(_))
            && matches!(mentions[i].entity, Entity::Person(_));
        if both_persons && matches!(joined, " and " | ", ") {
            match (roles[i - 1].clone(), roles[i].clone()) {
                (Some(role), None) => roles[i] = Some(role),
                (None, Some(role)) => roles[i - 1] = Some(role),
                _ => {}
            }
        }
    }
    if multilateral {
        return roles;
    }
    let given: Vec<String> = roles.iter().flatten().cloned().collect();
    if let Some(counterpart) = given.iter().find_map(|r| rule.counterpart_roles.get(r)) {
        for (slot, mention) in roles.iter_mut().zip(mentions) {
            if slot.is_none() && !matches!(mention.entity, Entity::Country(_)) {
                *slot = Some(counterpart.clone());
            }
        }
    }
    roles
}

fn to_actor(ctx: &Context<'_>, mention: &Mention, role: &str) -> Actor {
    match &mention.entity {
        Entity::Person(p) => {
            let person = &ctx.index().persons[*p];
            Actor {
                name: person.name.clone(),
                role: role.into(),
                kind: "person".into(),
                title: person.title.clone(),
                country: person.country.clone(),
            }
        }
        Entity::Organization { name, country } => Actor {
            name: name.clone(),
            role: role.into(),
            kind: "organization".into(),
            title: None,
            country: country.clone(),
        },
        Entity::Country(c) => {
            let country = &ctx.gazetteer.countries[*c];
            Actor {
                // as written ("Britain", "Turkey"), not the table's name
                name: surface(ctx.text, mention.start, mention.end),
                role: role.into(),
                kind: "country".into(),
                title: None,
                country: Some(country.iso3.clone()),
            }
        }
    }
}

/// The place named in the sentence: a city after "in/at/of", else a
/// country after "in". Returns the start of a country mention it used.
fn sentence_location(
    ctx: &Context<'_>,
    span: Span,
    mentions: &[Mention],
) -> Option<(Location, Option<usize>)> {
    let preceded_by_place_word = |start: usize| {
        let before = ctx.text[span.start..start].to_ascii_lowercase();
        [
            "in ",
            "at ",
            "of ",
            "in the ",
            "at the ",
            "in the chinese city of ",
        ]
        .iter()
        .any(|w| before.ends_with(w))
    };
    let inside_mention = |start: usize| {
        mentions
            .iter()
            .any(|m| start >= m.start && start < m.end && !matches!(m.entity, Entity::Country(_)))
    };
    for hit in &ctx.index().city_hits {
        if hit.start >= span.start
            && hit.end <= span.end
            && preceded_by_place_word(hit.start)
            && !inside_mention(hit.start)
        {
            let city = &ctx.gazetteer.cities[hit.entry];
            return Some((
                Location {
                    name: city.name.clone(),
                    country: Some(city.iso3.clone()),
                },
                None,
            ));
        }
    }
    for (hit, form) in &ctx.index().country_hits {
        if *form == CountryForm::Name
            && hit.start >= span.start
            && hit.end <= span.end
            && !inside_mention(hit.start)
            && ctx.text[span.start..hit.start].ends_with("in ")
        {
            let country = &ctx.gazetteer.countries[hit.entry];
            return Some((
                Location {
                    name: surface(ctx.text, hit.start, hit.end),
                    country: Some(country.iso3.clone()),
                },
                Some(hit.start),
            ));
        }
    }
    None
}

/// A visit's place: a city of the host country named in the sentence, else
/// the host country.
fn host_location(ctx: &Context<'_>, actors: &[Actor], span: Span) -> Option<Location> {
    let host = actors.iter().find(|a| a.role == "host")?;
    let iso3 = host.country.clone()?;
    for hit in &ctx.index().city_hits {
        let city = &ctx.gazetteer.cities[hit.entry];
        if hit.start >= span.start && hit.end <= span.end && city.iso3 == iso3 {
            return Some(Location {
                name: city.name.clone(),
                country: Some(iso3),
            });
        }
    }
    let name = match host.kind.as_str() {
        "country" => host.name.clone(),
        _ => ctx.gazetteer.country(&iso3)?.name.clone(),
    };
    Some(Location {
        name,
        country: Some(iso3),
    })
}

fn count(counts: &Counts, pattern: &regex::Regex, sentence: &str) -> Option<Count> {
    for caps in pattern.captures_iter(sentence) {
        let whole = caps.get(0)?;
        if sentence[..whole.start()]
            .to_ascii_lowercase()
            .ends_with("the ")
        {
            continue; // "the two leaders", "the 27 member states" of a known body
        }
        let number: u64 = caps["n"].replace(',', "").parse().ok()?;
        if number < counts.min {
            continue;
        }
        let qualifier = caps.name("q").map(|q| q.as_str().to_lowercase());
        let qualifier = match qualifier {
            None => "exact",
            Some(q) if counts.more_than.contains(&q) => "more_than",
            Some(q) if counts.about.contains(&q) => "about",
            Some(q) if counts.at_least.contains(&q) => "at_least",
            Some(_) => "exact",
        };
        return Some(Count {
            count: number,
            qualifier: qualifier.into(),
        });
    }
    None
}

fn surface(text: &str, start: usize, end: usize) -> String {
    let written = &text[start..end];
    written
        .strip_suffix("'s")
        .or_else(|| written.strip_suffix("’s"))
        .unwrap_or(written)
        .to_string()
}

/// Words before a country that make it a topic or a place, not an actor.
const BEFORE_NON_ACTOR: &[&str] = &[
    "about",
    "on",
    "over",
    "regarding",
    "concerning",
    "in",
    "to",
    "from",
    "against",
    "toward",
    "towards",
    "into",
    "across",
    "throughout",
    "within",
    "of",
    "for",
    "like",
    "including",
];

fn is_topic_or_place(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    BEFORE_NON_ACTOR.contains(&word.to_lowercase().as_str())
}

/// Function words that may follow a country named as an actor.
const AFTER_ACTOR: &[&str] = &[
    "on",
    "in",
    "and",
    "or",
    "for",
    "with",
    "to",
    "at",
    "over",
    "after",
    "before",
    "as",
    "of",
    "from",
    "by",
    "during",
    "since",
    "said",
    "says",
    "held",
    "has",
    "have",
    "had",
    "is",
    "are",
    "was",
    "were",
    "will",
    "would",
    "signed",
    "agreed",
    "met",
    "imposed",
    "announced",
];

/// "US dollars", "China's economy": a country followed by a lower-case
/// word that is not a function word modifies that word.
fn is_modifier(text: &str, end: usize) -> bool {
    let rest = text[end..]
        .strip_prefix("'s")
        .or_else(|| text[end..].strip_prefix("’s"))
        .unwrap_or(&text[end..]);
    let Some(rest) = rest.strip_prefix(' ') else {
        return false;
    };
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == '-')
        .collect();
    word.chars().next().is_some_and(char::is_lowercase) && !AFTER_ACTOR.contains(&word.as_str())
}

fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil(text: &str, mut at: usize) -> usize {
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// Folds repeated tellings of one event in one article into the first
/// telling: same type and kind of gathering, compatible dates, and a shared
/// non-participant actor, or a later telling that names no person and gives
/// no date ("The online meeting, which lasted an hour, ...").
pub fn merge(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut merged: Vec<Candidate> = Vec::new();
    for candidate in candidates {
        let event = &candidate.event;
        let key = |e: &Event| -> Vec<String> {
            e.actors
                .iter()
                .filter(|a| a.role != "participant")
                .map(|a| a.name.clone())
                .collect()
        };
        // "The two-day meeting, organised by ...": a later telling without a
        // start date that names no person or refers back with "The".
        let anaphoric = event.start_date.is_none()
            && (!event.actors.iter().any(|a| a.kind == "person")
                || ["The ", "This ", "That "]
                    .iter()
                    .any(|w| event.evidence.text.starts_with(w)));
        let same = merged.iter_mut().rev().find(|m| {
            let other = &m.event;
            if other.event_type != event.event_type
                || (m.multilateral != candidate.multilateral && !anaphoric)
            {
                return false;
            }
            let dates_compatible = other.start_date.is_none()
                || event.start_date.is_none()
                || other.start_date == event.start_date;
            let (mine, theirs) = (key(event), key(other));
            let shares_key_actor = mine.iter().any(|n| theirs.contains(n));
            let shares_actor = event
                .actors
                .iter()
                .any(|a| other.actors.iter().any(|b| b.name == a.name));
            dates_compatible
                && (shares_key_actor
                    || anaphoric
                    || (shares_actor
                        && (mine.is_empty() || theirs.is_empty())
                        && other.start_date == event.start_date))
        });
        match same {
            Some(existing) => {
                if let (Some(start), Some(last), None) = (
                    existing
                        .event
                        .start_date
                        .as_deref()
                        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
                    candidate.until,
                    candidate.event.start_date.as_ref(),
                ) {
                    if existing.event.start_date == existing.event.end_date {
                        existing.event.end_date =
                            Some(dates::next_weekday_on_or_after(start, last).to_string());
                    }
                }
                let target = &mut existing.event;
                let source = candidate.event;
                if target.start_date.is_none() && source.start_date.is_some() {
                    target.start_date = source.start_date;
                    target.end_date = source.end_date;
                    target.date_text = source.date_text;
                }
                target.location = target.location.take().or(source.location);
                target.theme = target.theme.take().or(source.theme);
                target.name = target.name.take().or(source.name);
                target.participants = target.participants.take().or(source.participants);
                target.countries = target.countries.take().or(source.countries);
                for actor in source.actors {
                    match target.actors.iter_mut().find(|a| a.name == actor.name) {
                        Some(known) if known.role == "participant" => known.role = actor.role,
                        Some(_) => {}
                        None => target.actors.push(actor),
                    }
                }
                target.confidence = target.confidence.max(source.confidence);
            }
            None => merged.push(candidate),
        }
    }
    merged
}

//! Sentence-level matching of one rule, and merging per article.
use chrono::{Datelike, NaiveDate};
use once_cell::sync::Lazy;
use regex::Regex;

use super::actors::{ArticleIndex, Entity, Mention};
use super::dates;
use super::gazetteer::{CountryForm, Gazetteer, Hit, Rank};
use super::leaders::Leaders;
use super::patterns_alphabet::RecodedRegex;
use super::rules::{Code, Counts, LocationSource, Rule, MENTION_CLOSE, MENTION_OPEN};
use super::sentences::{self, Span};
use super::{
    Actor, ActorKind, ArticleRef, Count, Event, Evidence, Location, Mode, Plover, Qualifier, Role,
    VisitLevel, EVENT_SCHEMA,
};

/// Everything a rule needs about the article it runs on.
pub struct Context<'a> {
    pub gazetteer: &'a Gazetteer,
    /// Leaders with their tenures, when `leaders.tsv` is present.
    pub leaders: Option<&'a Leaders>,
    pub text: &'a str,
    /// Built on first use: most trigger sentences fail the cheap checks.
    pub index: once_cell::unsync::OnceCell<ArticleIndex>,
    pub home: Option<String>,
    pub published: Option<NaiveDate>,
    pub article: &'a ArticleRef,
    /// "OSAKA, Japan (AP) -": mentions before `end` are no actors.
    pub dateline: Option<Dateline>,
}

/// The place a story is filed from, told before its first sentence.
#[derive(Debug, Clone)]
pub struct Dateline {
    pub end: usize,
    pub place: Option<Location>,
}

/// Recoded: `\p{Lu}` inside `{2,40}?` compiled some 80 copies of a
/// 650-range class, forward and reverse, for a regex that runs on a few
/// heads.
static DATELINE: Lazy<RecodedRegex> = Lazy::new(|| {
    RecodedRegex::new(
        r"(?m)^(?P<place>\p{Lu}[\p{Lu} .'’-]{2,40}?)(?:, (?P<region>[^-–—:(\n]{2,40}?))?,? *(?:\([^)\n]{1,40}\))? *(?:[-–—]{1,2}|:)\s+",
    )
});

/// How far into the text a dateline may start: a desk note or a byline
/// line may come first.
const DATELINE_REACH: usize = 400;

/// The dateline of a story's first paragraphs, if it has one: the first
/// line opening with a known city in capitals, else the first opening with
/// capitals at all (its place then unknown).
pub fn dateline(gazetteer: &Gazetteer, text: &str) -> Option<Dateline> {
    let mut first: Option<Dateline> = None;
    // a dateline line starts within the reach: no need to search further
    let head = &text[..floor(text, text.len().min(DATELINE_REACH + 120))];
    if !may_open_dateline(head) {
        return None;
    }
    let recoded = DATELINE.recode(head);
    for caps in DATELINE.regex().captures_iter(&recoded) {
        let whole = caps.get(0).expect("group 0");
        if whole.start() > DATELINE_REACH {
            break;
        }
        // offsets into the recoded head are offsets into the head
        let written = head[caps.name("place").expect("a group of the match").range()].trim();
        let place = gazetteer
            .cities
            .iter()
            // `c.name.to_uppercase() == written`, without a string per city
            .find(|c| {
                c.name
                    .chars()
                    .flat_map(char::to_uppercase)
                    .eq(written.chars())
            })
            .map(|c| Location {
                name: c.name.clone(),
                country: Some(c.iso3.clone()),
            });
        let found = Dateline {
            end: whole.end(),
            place,
        };
        if found.place.is_some() {
            return Some(found);
        }
        first.get_or_insert(found);
    }
    first
}

/// Whether a line of `head` opens as a [`DATELINE`] match must: a capital
/// and two more capitals, spaces, dots, apostrophes or hyphens (`char::
/// is_uppercase` takes in all of `\p{Lu}`). Most texts have no such line
/// and skip the regex.
fn may_open_dateline(head: &str) -> bool {
    head.split('\n').any(|line| {
        let mut chars = line.chars();
        chars.next().is_some_and(char::is_uppercase)
            && chars
                .take(2)
                .filter(|&c| c.is_uppercase() || matches!(c, ' ' | '.' | '\'' | '’' | '-'))
                .count()
                == 2
    })
}

impl Context<'_> {
    pub fn index(&self) -> &ArticleIndex {
        self.index.get_or_init(|| {
            let leaders = self.leaders.map(|kb| (kb, self.published));
            ArticleIndex::build(self.gazetteer, self.text, self.home.as_deref(), leaders)
        })
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
) -> Vec<(Event, bool, Option<chrono::Weekday>)> {
    let mut m = SentenceMatch::new(ctx, rule, span, triggers);
    // Which phase dropped a trigger sentence: `RUST_LOG=attache::events=debug`
    // (see examples/events_explain.rs).
    let dropped = |phase: &str, m: &SentenceMatch<'_, '_>| {
        tracing::debug!(rule = %rule.event_type, phase, actors = ?m.actors, sentence = m.sentence, "events: dropped");
        Vec::new()
    };
    match m.gates() {
        Gate::Closed => return dropped("gates", &m),
        Gate::Open => {}
        Gate::OpenIfDatedAhead => m.needs_date_ahead = true,
    }
    m.shape();
    if m.actors().is_none() {
        return dropped("actors", &m);
    }
    if m.roles().is_none() {
        return dropped("roles", &m);
    }
    m.location();
    m.sides();
    if !m.dates() {
        return dropped("dates", &m);
    }
    let Some(code) = m.codes() else {
        return dropped("codes", &m);
    };
    let confidence = m.confidence();
    m.build(code, confidence)
}

/// One rule tried on one sentence: each phase fills in its part.
struct SentenceMatch<'c, 'a> {
    ctx: &'c Context<'a>,
    rule: &'c Rule,
    span: Span,
    sentence: &'a str,
    triggers: &'c [usize],
    // shape
    mode: Option<Mode>,
    third_location: bool,
    participants: Option<Count>,
    countries: Option<Count>,
    multilateral: bool,
    // actors and roles
    mentions: Vec<Mention>,
    /// The sentence's place, and the country mention it used up.
    place: Option<(Location, Option<usize>)>,
    roles: Vec<Option<Role>>,
    actors: Vec<Actor>,
    /// Role of the first host or visitor named.
    first_hosting_role: Option<Role>,
    /// Starts of mentions a role pattern named.
    named_by_pattern: Vec<usize>,
    /// Starts of countries a group noun after them makes a side
    /// ("Chinese and Japanese officials").
    country_groups: Vec<usize>,
    name: Option<String>,
    /// Where each host found from a place is named: (start, iso3).
    host_places: Vec<(usize, String)>,
    // location and dates
    location: Option<Location>,
    dates: dates::EventDates,
    /// Confirmed only by `patterns_dated_ahead`: kept if dated after the story.
    needs_date_ahead: bool,
}

/// What the cheap checks decided.
enum Gate {
    Closed,
    Open,
    OpenIfDatedAhead,
}

impl<'c, 'a> SentenceMatch<'c, 'a> {
    fn new(ctx: &'c Context<'a>, rule: &'c Rule, span: Span, triggers: &'c [usize]) -> Self {
        Self {
            ctx,
            rule,
            span,
            sentence: &ctx.text[span.start..span.end],
            triggers,
            mode: None,
            third_location: false,
            participants: None,
            countries: None,
            multilateral: false,
            mentions: Vec::new(),
            place: None,
            roles: Vec::new(),
            actors: Vec::new(),
            first_hosting_role: None,
            named_by_pattern: Vec::new(),
            country_groups: Vec::new(),
            name: None,
            host_places: Vec::new(),
            location: None,
            dates: dates::EventDates::default(),
            needs_date_ahead: false,
        }
    }

    /// Cheap checks first: confirming patterns, rejects, tense window.
    fn gates(&self) -> Gate {
        let (rule, sentence) = (self.rule, self.sentence);
        let confirmed = rule.patterns.is_empty() || rule.patterns.is_match(sentence);
        let dated_ahead = !confirmed && rule.patterns_dated_ahead.is_match(sentence);
        if !(confirmed || dated_ahead) {
            return Gate::Closed;
        }
        if rule.reject.is_match(sentence) {
            if tracing::enabled!(tracing::Level::DEBUG) {
                let pattern = rule.reject.first_matching(sentence);
                tracing::debug!(rule = %rule.event_type, ?pattern, sentence, "events: rejected");
            }
            return Gate::Closed;
        }
        let tense_ok = self.triggers.iter().any(|&at| {
            let at = at - self.span.start;
            let from = floor(sentence, at.saturating_sub(rule.tense_window_before));
            let to = ceil(sentence, (at + rule.tense_window_after).min(sentence.len()));
            let window = &sentence[from..to];
            // without a future verb the date is what must say "ahead"
            (dated_ahead || rule.tense_require.is_empty() || rule.tense_require.is_match(window))
                && !rule.rejects_tense(window)
                && !tells_history(window, self.ctx.published)
        });
        tracing::trace!(rule = %rule.event_type, tense_ok, sentence, "events: trigger sentence");
        match (tense_ok, dated_ahead) {
            (false, _) => Gate::Closed,
            (true, false) => Gate::Open,
            (true, true) => Gate::OpenIfDatedAhead,
        }
    }

    /// Mode, third location, counts, and whether the gathering is multilateral.
    fn shape(&mut self) {
        let (rule, sentence) = (self.rule, self.sentence);
        self.mode = rule
            .modes
            .iter()
            .find(|m| m.patterns.iter().any(|p| p.is_match(sentence)))
            .map(|m| m.value)
            .or_else(|| self.conversation_told_as_a_call())
            .or(rule.mode_default);
        self.third_location = rule.third_location.iter().any(|p| p.is_match(sentence));
        if let (Some(counts), false) = (&rule.counts, self.third_location) {
            self.participants = count(counts, &counts.participants, sentence);
            self.countries = count(counts, &counts.countries, sentence);
        }
        self.multilateral = !self.third_location
            && (self.has_counts() || rule.multilateral.iter().any(|p| p.is_match(sentence)));
    }

    /// "Macron spoke with Putin for an hour" in a story that elsewhere calls
    /// it a phone call: a conversation told without a meeting or a place
    /// takes the story's phone mode.
    fn conversation_told_as_a_call(&self) -> Option<Mode> {
        let phone_mode = self.rule.modes.iter().find(|m| m.value == Mode::Phone)?;
        let told_as_call = CONVERSATION_ONLY.is_match(self.sentence)
            && !IN_PERSON_CUE.is_match(self.sentence)
            && PHONE_IN_STORY.is_match(self.ctx.text);
        told_as_call.then_some(phone_mode.value)
    }

    fn has_counts(&self) -> bool {
        self.participants.is_some() || self.countries.is_some()
    }

    /// Actor mentions with their roles, in text order; `None` when the rule
    /// wants a leader as visitor and the sentence has none.
    fn actors(&mut self) -> Option<()> {
        let ctx = self.ctx;
        let index = ctx.index();
        // Mentions, minus the country that is only the place ("in China").
        self.mentions = index.mentions_in(ctx.text, self.span);
        let dateline_end = ctx.dateline.as_ref().map_or(0, |d| d.end);
        self.mentions.retain(|m| m.start >= dateline_end);
        self.country_groups = add_country_groups(ctx, self.span, &mut self.mentions);
        self.place = sentence_location(ctx, self.span, &self.mentions);
        if let Some((_, Some(used))) = &self.place {
            let used = *used;
            self.mentions.retain(|m| m.start != used);
        }
        self.roles = assign_roles(
            self.rule,
            self.sentence,
            self.span,
            &self.mentions,
            self.multilateral,
        );
        self.collect_actors();
        if self.rule.visit.hosts_from_places {
            self.hosts_from_places();
        }
        if self.rule.antecedents {
            self.two_sides_from_antecedents();
        }
        self.leader_as_visitor()
    }

    /// "will travel to Paris", "is due in Cambodia", "Paris and Berlin":
    /// the country of each place after the trigger hosts the visit.
    fn hosts_from_places(&mut self) {
        let (ctx, span) = (self.ctx, self.span);
        let first_trigger = self.triggers.iter().copied().min().unwrap_or(span.start);
        let mut last_place_end: Option<usize> = self
            .mentions
            .iter()
            .zip(&self.roles)
            .filter(|(_, r)| **r == Some(Role::Host))
            .map(|(m, _)| m.end)
            .max();
        let visitor_country = self
            .actors
            .iter()
            .find(|a| a.role == Role::Visitor)
            .and_then(|a| a.country.clone());
        // cities and country names, in text order
        let places = self.named_places(first_trigger.max(span.start));
        for NamedPlace {
            start,
            end,
            iso3,
            is_country,
        } in places
        {
            let before = ctx.text[span.start..start].to_ascii_lowercase();
            let chained = last_place_end.is_some_and(|e| {
                e <= start && matches!(&ctx.text[e..start], ", " | " and " | ", and ")
            });
            let introduced = PLACE_INTRODUCERS.iter().any(|w| before.ends_with(w));
            if !(chained || introduced) || GATHERING_VENUE.is_match(&before) {
                continue;
            }
            last_place_end = Some(end);
            if visitor_country.as_deref() == Some(iso3)
                || self
                    .actors
                    .iter()
                    .any(|a| a.role == Role::Host && a.country.as_deref() == Some(iso3))
            {
                continue;
            }
            let name = match is_country {
                true => surface(ctx.text, start, end),
                false => match ctx.gazetteer.country(iso3) {
                    Some(country) => country.name.clone(),
                    None => continue,
                },
            };
            // a country named without a role is a host now
            self.actors
                .retain(|a| a.country.as_deref() != Some(iso3) || a.kind != ActorKind::Country);
            self.actors.push(Actor {
                name,
                role: Role::Host,
                kind: ActorKind::Country,
                title: None,
                country: Some(iso3.to_string()),
            });
            self.host_places.push((start, iso3.to_string()));
        }
    }

    /// "The two leaders met ...", "He held talks with ...": the persons
    /// named last before this sentence stand in for the missing sides.
    fn two_sides_from_antecedents(&mut self) {
        let persons_here = self
            .actors
            .iter()
            .filter(|a| a.kind == ActorKind::Person)
            .count();
        // "he held talks with Bush, Shultz and Baldrige": all one side
        let countries = self.distinct_countries();
        let one_side = countries.len() == 1 && self.actors.iter().all(|a| a.country.is_some());
        let wanted = if TWO_SIDES.is_match(self.sentence) {
            2usize.saturating_sub(persons_here)
        } else if SUBJECT_PRONOUN.is_match(self.sentence) && (persons_here < 2 || one_side) {
            1
        } else {
            return;
        };
        let index = self.ctx.index();
        let window_start = self.span.start.saturating_sub(ANTECEDENT_WINDOW);
        let mut added = 0;
        for p in index.persons_before(self.span.start) {
            if added == wanted {
                break;
            }
            let Some(last) = index.last_mention_before(p, self.span.start) else {
                continue;
            };
            if last < window_start {
                break;
            }
            let person = &index.persons[p];
            // a country standing in for a side gives way to its leader
            // ("the two leaders ... the Russian-Belarusian talks")
            let same_side = self.actors.iter().any(|a| {
                a.name == person.name
                    || (a.kind != ActorKind::Country
                        && a.country.is_some()
                        && a.country == person.country)
            });
            if same_side || person.country.is_none() || person.rank == Some(Rank::Former) {
                continue;
            }
            let mention = Mention {
                start: last,
                end: last,
                entity: Entity::Person(p),
            };
            let role = self.rule.default_role;
            self.actors
                .retain(|a| a.kind != ActorKind::Country || a.country != person.country);
            self.actors.push(to_actor(self.ctx, &mention, role));
            added += 1;
        }
    }

    fn collect_actors(&mut self) {
        let (ctx, rule) = (self.ctx, self.rule);
        let has_person_or_org = self
            .mentions
            .iter()
            .any(|m| !matches!(m.entity, Entity::Country(_)));
        // end of the last country skipped as a topic ("talks on Syria")
        let mut topic_end: Option<usize> = None;
        let mut stood_in: Vec<Actor> = Vec::new();
        for (mention, role) in self.mentions.iter().zip(&self.roles) {
            let named_by_pattern = role.is_some();
            let stands_for_side = self.country_groups.contains(&mention.start);
            if named_by_pattern {
                self.named_by_pattern.push(mention.start);
            }
            let role = match role {
                Some(role) => *role,
                None if rule.keep_unassigned => rule.default_role,
                None => continue,
            };
            // "former U.S. Ambassador X" speaks for no one now
            if let Entity::Person(p) = mention.entity {
                if ctx.index().persons[p].rank == Some(Rank::Former) && role != Role::Visitor {
                    continue;
                }
            }
            let actor = to_actor(ctx, mention, role);
            // a governor or mayor the leader meets at home is no other side
            if actor.kind == ActorKind::Person
                && actor.country.is_none()
                && names_subnational_office(self.sentence)
            {
                continue;
            }
            // A country used as a modifier ("US dollars", "China's economy") or
            // already present through one of its leaders is no actor of its own,
            // unless a role pattern named it.
            // "on Syria and Ukraine": a country listed after a topic is one too
            let listed_topic = topic_end.is_some_and(|end| {
                end <= mention.start
                    && matches!(
                        &ctx.text[end..mention.start],
                        " and " | ", " | ", and " | " or "
                    )
            });
            let is_country = matches!(mention.entity, Entity::Country(_));
            if is_country && (is_topic_or_place(ctx.text, mention.start) || listed_topic) {
                topic_end = Some(mention.end);
            }
            if is_country
                && !named_by_pattern
                && !stands_for_side
                && (is_modifier(ctx.text, mention.end)
                    || is_topic_or_place(ctx.text, mention.start)
                    || listed_topic)
            {
                continue;
            }
            let present_through_person = has_person_or_org
                && self.mentions.iter().any(|m| {
                    !matches!(m.entity, Entity::Country(_))
                        && to_actor(ctx, m, Role::Participant).country == actor.country
                });
            if is_country && !named_by_pattern && present_through_person {
                stood_in.push(actor);
                continue;
            }
            if matches!(role, Role::Host | Role::Visitor) && self.first_hosting_role.is_none() {
                self.first_hosting_role = Some(role);
            }
            match self.actors.iter_mut().find(|a| a.name == actor.name) {
                Some(existing) if existing.role == rule.default_role => existing.role = actor.role,
                Some(_) => {}
                None => self.actors.push(actor),
            }
        }
        // A country left out for a person of its own who then was no actor
        // ("North Korean and U.S. officials met ..., a North Korean
        // spokesman said") stands for itself after all.
        for actor in stood_in {
            if !self.actors.iter().any(|a| a.country == actor.country) {
                self.actors.push(actor);
            }
        }
    }

    /// Rules with `visitor_ranks`: the visitor a pattern named must be a
    /// leader; without one, the first leader named is the visitor.
    fn leader_as_visitor(&mut self) -> Option<()> {
        let rule = self.rule;
        if rule.visitor_ranks.is_empty() {
            return Some(());
        }
        let index = self.ctx.index();
        let is_leader = |m: &Mention| match m.entity {
            Entity::Person(p) => index.persons[p]
                .rank
                .is_some_and(|r| rule.visitor_ranks.contains(&r)),
            _ => false,
        };
        self.unseat_organization_visitor();
        let visitor_mention = self
            .mentions
            .iter()
            .zip(&self.roles)
            .find(|(_, role)| **role == Some(Role::Visitor))
            .map(|(m, _)| m);
        match visitor_mention {
            Some(m) if is_leader(m) => Some(()),
            Some(_) => None,
            None => {
                let text = self.ctx.text;
                let sentence_start = self.span.start;
                // "He will then visit Rwanda, where he meets President
                // Kagame": in a sentence whose subject is a pronoun, leaders
                // named as objects are met, not the traveller.
                let pronoun_subject = OPENING_PRONOUN.is_match(self.sentence)
                    && self.mentions.iter().filter(|m| is_leader(m)).all(|m| {
                        let before = &text
                            [floor(text, m.start.saturating_sub(60).max(sentence_start))..m.start];
                        NAMED_AS_OBJECT.is_match(before)
                    });
                // (at home, "he will hold talks with X in Moscow", he hosts)
                let place = self.place_country();
                if let Some(antecedent) = pronoun_subject
                    .then(|| self.antecedent_leader())
                    .flatten()
                    .filter(|a| place.is_none() || a.country != place)
                {
                    self.actors.retain(|a| a.name != antecedent.name);
                    self.actors.insert(0, antecedent);
                    return Some(());
                }
                // "Putin will hold talks with Vucic in Sochi": of two leaders
                // meeting in one's country, the other is the visitor
                if let Some(host_country) = self.place_country() {
                    let leaders: Vec<&Mention> =
                        self.mentions.iter().filter(|m| is_leader(m)).collect();
                    let country_of = |m: &Mention| to_actor(self.ctx, m, Role::Participant).country;
                    let at_home = leaders
                        .iter()
                        .find(|m| country_of(m).as_deref() == Some(host_country.as_str()));
                    let abroad = leaders
                        .iter()
                        .find(|m| country_of(m).is_some_and(|c| c != host_country));
                    if let (Some(&host), Some(&visitor)) = (at_home, abroad) {
                        let host = to_actor(self.ctx, host, Role::Host);
                        let visitor = to_actor(self.ctx, visitor, Role::Visitor);
                        self.actors
                            .retain(|a| a.name != host.name && a.name != visitor.name);
                        self.actors.insert(0, host);
                        self.actors.insert(0, visitor);
                        return Some(());
                    }
                }
                let actor = match self.mentions.iter().find(|m| is_leader(m)) {
                    Some(leader) => to_actor(self.ctx, leader, Role::Visitor),
                    None => self.antecedent_leader()?,
                };
                self.actors.retain(|a| a.name != actor.name);
                self.actors.insert(0, actor);
                Some(())
            }
        }
    }

    /// "After the APEC summit in Da Nang he will pay a visit to Vietnam": an
    /// organization a role pattern took for the visitor is no traveller, so
    /// the visitor is looked for as if no pattern had named one.
    fn unseat_organization_visitor(&mut self) {
        let is_organization_visitor = |(m, role): (&Mention, &Option<Role>)| {
            *role == Some(Role::Visitor) && matches!(m.entity, Entity::Organization { .. })
        };
        let Some(at) = self
            .mentions
            .iter()
            .zip(&self.roles)
            .position(is_organization_visitor)
        else {
            return;
        };
        let organization = to_actor(self.ctx, &self.mentions[at], Role::Visitor);
        self.roles[at] = None;
        self.actors
            .retain(|a| !(a.role == Role::Visitor && a.name == organization.name));
    }

    /// The country of the place the sentence names ("in Sochi").
    fn place_country(&self) -> Option<String> {
        self.place
            .as_ref()
            .and_then(|(location, _)| location.country.clone())
    }

    /// "He will then travel to ...", "The president is due in ...": the
    /// leader named last before this sentence, when its subject refers back.
    fn antecedent_leader(&self) -> Option<Actor> {
        if !self.rule.antecedents || !LEADER_PRONOUN.is_match(self.sentence) {
            return None;
        }
        let index = self.ctx.index();
        let ranked = |p: usize| {
            index.persons[p]
                .rank
                .is_some_and(|r| self.rule.visitor_ranks.contains(&r))
        };
        let (leader, last) = index
            .last_subject_before(self.ctx.text, self.span.start, ranked)
            .filter(|&(_, start)| start + ANTECEDENT_WINDOW >= self.span.start)
            .or_else(|| {
                let leader = index
                    .persons_before(self.span.start)
                    .into_iter()
                    .find(|&p| ranked(p))?;
                Some((leader, index.last_mention_before(leader, self.span.start)?))
            })?;
        if last + ANTECEDENT_WINDOW < self.span.start {
            return None;
        }
        let mention = Mention {
            start: last,
            end: last,
            entity: Entity::Person(leader),
        };
        Some(to_actor(self.ctx, &mention, Role::Visitor))
    }

    /// Bilateral after all? The event's name, and enough actors for its kind.
    fn roles(&mut self) -> Option<()> {
        let rule = self.rule;
        tracing::trace!(rule = %rule.event_type, actors = ?self.actors, multilateral = self.multilateral, "events: candidate sentence");
        // "X and Y held a summit": two persons from two countries, no counts.
        if self.multilateral && rule.bilateral_if_two_countries && !self.has_counts() {
            let persons: Vec<&Actor> = self
                .actors
                .iter()
                .filter(|a| a.kind == ActorKind::Person)
                .collect();
            let mut countries: Vec<&str> = persons
                .iter()
                .filter_map(|a| a.country.as_deref())
                .collect();
            countries.sort();
            countries.dedup();
            if persons.len() == 2 && countries.len() == 2 && self.actors.len() == 2 {
                self.multilateral = false;
            }
        }
        self.name = rule.name_patterns.iter().find_map(|p| {
            p.captures(self.sentence)
                .and_then(|c| c.name("name"))
                .map(|m| m.as_str().trim().to_string())
        });
        if self.rule.two_sides
            && !self.multilateral
            && !self.third_location
            && !self.has_two_sides()
        {
            return None;
        }
        (self.counted_actors() >= self.actors_needed()).then_some(())
    }

    /// The known countries of the actors so far, sorted, each once.
    fn distinct_countries(&self) -> Vec<&str> {
        let mut countries: Vec<&str> = self
            .actors
            .iter()
            .filter_map(|a| a.country.as_deref())
            .collect();
        countries.sort_unstable();
        countries.dedup();
        countries
    }

    /// A bilateral event needs two sides: not all from one country (a
    /// cabinet meeting), and not all of unknown country.
    fn has_two_sides(&self) -> bool {
        let known = self.distinct_countries();
        let unknown = self.actors.iter().filter(|a| a.country.is_none()).count();
        match known.len() {
            0 => false,
            1 => unknown > 0,
            _ => true,
        }
    }

    /// A lone country is weak evidence of an actor ("because of India's
    /// election"); two or more, or one a role pattern named, count.
    fn counted_actors(&self) -> usize {
        let countries = self
            .actors
            .iter()
            .filter(|a| a.kind == ActorKind::Country)
            .count();
        let named_by_pattern = |actor: &Actor| {
            self.mentions.iter().any(|m| {
                self.named_by_pattern.contains(&m.start)
                    && matches!(m.entity, Entity::Country(_))
                    && to_actor(self.ctx, m, Role::Participant).name == actor.name
            })
        };
        self.actors
            .iter()
            .filter(|a| {
                a.kind != ActorKind::Country
                    || countries >= 2
                    || a.role != self.rule.default_role
                    || named_by_pattern(a)
            })
            .count()
    }

    fn actors_needed(&self) -> usize {
        let rule = self.rule;
        if self.multilateral && (self.name.is_some() || self.has_counts()) {
            rule.min_actors_named_gathering
        } else if self.multilateral {
            rule.min_actors_multilateral
        } else {
            rule.min_actors
        }
    }

    /// Where: none for calls; the sentence's place or the host's country;
    /// then hosts and visitors from who is at home there.
    fn location(&mut self) {
        let rule = self.rule;
        self.location = if self
            .mode
            .is_some_and(|m| rule.no_location_modes.contains(&m))
        {
            None
        } else {
            match rule.location {
                LocationSource::None => None,
                LocationSource::Sentence => self
                    .place
                    .take()
                    .map(|(location, _)| location)
                    .or_else(|| self.place_from_dateline()),
                LocationSource::Host => host_location(self.ctx, &self.actors, self.span),
            }
        };
        if !self.multilateral && self.place_of_neither_side() {
            self.third_location = true;
        }
        if rule.infer_host_from_location
            && !self.multilateral
            && !self.third_location
            && self.location.is_some()
            && !self
                .actors
                .iter()
                .any(|a| matches!(a.role, Role::Host | Role::Visitor))
        {
            self.infer_host_from_location();
        }
    }

    /// "Trump also met Erdogan on Saturday" in a story filed from Osaka: two
    /// sides of known countries meeting in a country neither is from meet
    /// at a third location.
    fn place_of_neither_side(&self) -> bool {
        let Some(place_country) = self.location.as_ref().and_then(|l| l.country.as_deref()) else {
            return false;
        };
        let countries = self.distinct_countries();
        countries.len() >= 2
            && !countries.contains(&place_country)
            && self.actors.iter().all(|a| a.country.is_some())
    }

    /// An in-person meeting told without a place was held where the story
    /// is filed from ("OSAKA, Japan (AP) - ... met ... on Saturday").
    fn place_from_dateline(&self) -> Option<Location> {
        if self.mode != Some(Mode::InPerson) || self.multilateral {
            return None;
        }
        self.ctx.dateline.as_ref().and_then(|d| d.place.clone())
    }

    /// Bilateral, in person, no host or visitor named: the actor whose
    /// country is the meeting's country is the host, the others visitors.
    fn infer_host_from_location(&mut self) {
        let place = self.location.as_ref().and_then(|l| l.country.clone());
        let at_home = self
            .actors
            .iter()
            .filter(|a| a.country.is_some() && a.country == place)
            .count();
        let away = self
            .actors
            .iter()
            .filter(|a| a.country.is_some() && a.country != place)
            .count();
        // an actor of unknown country keeps its default role
        if at_home >= 1 && away >= 1 {
            for actor in self.actors.iter_mut().filter(|a| a.country.is_some()) {
                actor.role = if actor.country == place {
                    Role::Host
                } else {
                    Role::Visitor
                };
            }
            self.first_hosting_role = self.actors.first().map(|a| a.role);
        }
    }

    /// Countries of persons from their side, and an inferred nationality
    /// that would make a visitor visit their own country dropped.
    fn sides(&mut self) {
        let rule = self.rule;
        // A person of one side without a stated country belongs to that side's
        // country ("a delegation of the Communist Party of Vietnam led by ...").
        for i in 0..self.actors.len() {
            let actor = &self.actors[i];
            if actor.kind != ActorKind::Person
                || actor.country.is_some()
                || actor.role == rule.default_role
            {
                continue;
            }
            let mut side: Vec<&String> = self
                .actors
                .iter()
                .filter(|a| a.role == actor.role)
                .filter_map(|a| a.country.as_ref())
                .collect();
            side.sort();
            side.dedup();
            if let [only] = side.as_slice() {
                self.actors[i].country = Some((*only).clone());
            }
        }
        // An inferred nationality cannot be the country visited.
        let host_country = self
            .actors
            .iter()
            .find(|a| a.role == Role::Host)
            .and_then(|a| a.country.clone());
        let index = self.ctx.index();
        for (mention, role) in self.mentions.iter().zip(&self.roles) {
            if let (Entity::Person(p), Some(Role::Visitor)) = (&mention.entity, role) {
                let person = &index.persons[*p];
                if person.country_inferred
                    && person.country.is_some()
                    && person.country == host_country
                {
                    if let Some(actor) = self.actors.iter_mut().find(|a| a.name == person.name) {
                        actor.country = None;
                    }
                }
            }
        }
    }

    /// Dates of the phrase nearest a trigger, in the clause's tense. `false`
    /// when an event of an `occurred` rule is told in the future or dated
    /// after the story ("Kishida meets Yoon in Seoul on Thursday").
    fn dates(&mut self) -> bool {
        // "WASHINGTON, March 4 -" dates the story, not the event
        let from = self.ctx.dateline.as_ref().map_or(self.span.start, |d| {
            d.end.clamp(self.span.start, self.span.end)
        });
        let sentence = &self.ctx.text[from..self.span.end];
        let anchors: Vec<usize> = self
            .triggers
            .iter()
            .map(|t| t.saturating_sub(from))
            .collect();
        let planned = self.rule.is_planned();
        self.dates = event_dates(sentence, self.ctx.published, planned, &anchors);
        if planned {
            return !self.needs_date_ahead
                || matches!(
                    (self.dates.start, self.ctx.published),
                    (Some(start), Some(published)) if start > published
                );
        }
        // told as still to come: not held (yet)
        let after_story = matches!(
            (self.dates.start, self.ctx.published),
            (Some(start), Some(published)) if start > published
        );
        if after_story || self.dates.tense == dates::Tense::Future {
            return false;
        }
        // "meets ... on Thursday": the present tense also tells what is to come
        let Some(published) = self.ctx.published else {
            return true;
        };
        if !PRESENT_TENSE.is_match(sentence) {
            return true;
        }
        let present_trigger = anchors.iter().any(|&at| {
            // an empty span, so the trigger verb itself is read
            let at = floor(sentence, at.min(sentence.len()));
            dates::clause_tense(sentence, at, at) == dates::Tense::Present
        });
        let ahead = event_dates(sentence, Some(published), true, &anchors);
        let dated_elsewhere = self.dates.start.is_some_and(|start| start != published);
        !(ahead.start.is_some_and(|start| start > published)
            || (present_trigger && dated_elsewhere))
    }

    /// The first `[[codes]]` entry whose conditions hold.
    fn codes(&self) -> Option<&'c Code> {
        let hosted = self
            .actors
            .iter()
            .any(|a| matches!(a.role, Role::Host | Role::Visitor));
        self.rule.codes.iter().find(|code| {
            let when = &code.when;
            when.mode.map_or(true, |m| self.mode == Some(m))
                && when.multilateral.map_or(true, |v| v == self.multilateral)
                && when
                    .third_location
                    .map_or(true, |v| v == self.third_location)
                && when.hosted.map_or(true, |v| v == hosted)
                && when
                    .source_role
                    .map_or(true, |r| self.first_hosting_role == Some(r))
        })
    }

    /// Base confidence plus 0.1 each for a date, a place and countries for
    /// all actors.
    fn confidence(&self) -> f64 {
        let mut confidence = self.rule.base_confidence;
        if self.dates.start.is_some() {
            confidence += 0.1;
        }
        if self.location.is_some() {
            confidence += 0.1;
        }
        if !self.actors.is_empty() && self.actors.iter().all(|a| a.country.is_some()) {
            confidence += 0.1;
        }
        (confidence.min(0.95) * 100.0).round() / 100.0
    }

    fn theme(&self) -> Option<String> {
        if !(self.rule.theme && self.multilateral) {
            return None;
        }
        let text = self.ctx.text;
        let rest = &text[self.span.start..ceil(text, (self.span.start + 3000).min(text.len()))];
        self.rule.theme_patterns.iter().find_map(|p| {
            p.captures(rest)
                .and_then(|c| c.name("theme"))
                .map(|m| m.as_str().trim().to_string())
        })
    }

    fn visit_level(&self) -> Option<VisitLevel> {
        self.rule
            .levels
            .iter()
            .find(|l| l.patterns.iter().any(|p| p.is_match(self.sentence)))
            .map(|l| l.value)
            .or(self.rule.level_default)
    }

    /// One event, or one per host of a tour, each host with its own place
    /// and the dates told next to it.
    fn build(self, code: &Code, confidence: f64) -> Vec<(Event, bool, Option<chrono::Weekday>)> {
        if let Some((subject, counterparts)) = self.separate_counterparts() {
            return counterparts
                .into_iter()
                .map(|counterpart| {
                    let mut event = self.build_one(code, confidence).0;
                    event.actors = vec![subject.clone(), counterpart];
                    (event, false, None)
                })
                .collect();
        }
        let hosts: Vec<(usize, Actor)> = self.hosts_in_order();
        if !self.rule.visit.one_event_per_host || hosts.len() < 2 {
            return vec![self.build_one(code, confidence)];
        }
        // one stop per host country: "Singapore ... Prime Minister Lee"
        let mut stops: Vec<(usize, Actor)> = Vec::new();
        for (at, host) in hosts {
            if !stops
                .iter()
                .any(|(_, s)| s.country.is_some() && s.country == host.country)
            {
                stops.push((at, host));
            }
        }
        let hosts = stops;
        if hosts.len() < 2 {
            return vec![self.build_one(code, confidence)];
        }
        let (ctx, span) = (self.ctx, self.span);
        let planned = self.rule.is_planned();
        let mut out = Vec::new();
        for (i, (at, host)) in hosts.iter().enumerate() {
            let until = hosts.get(i + 1).map_or(span.end, |(next, _)| *next);
            let clause = &ctx.text[*at..until];
            let own = event_dates(clause, ctx.published, planned, &[0]);
            let mut event = self.build_one(code, confidence).0;
            // the other stops' hosts and inviters belong to their own visits
            let other_hosts: Vec<&str> = hosts
                .iter()
                .filter(|(_, h)| h.country != host.country)
                .filter_map(|(_, h)| h.country.as_deref())
                .collect();
            event.actors.retain(|a| {
                let of_other_stop = a.role != Role::Visitor
                    && a.country
                        .as_deref()
                        .is_some_and(|c| other_hosts.contains(&c));
                let this_host =
                    a.name == host.name || (host.country.is_some() && a.country == host.country);
                (a.role != Role::Host || this_host) && !of_other_stop
            });
            let host_only = [host.clone()];
            event.location = host_location(ctx, &host_only, span);
            if own.start.is_some() {
                event.start_date = own.start.map(|d| d.to_string());
                event.end_date = own.end.map(|d| d.to_string());
                event.date_text = own.text;
            }
            out.push((event, false, None));
        }
        out
    }

    /// "Putin had telephone conversations with the presidents of A, B and
    /// C", "on the sidelines, Modi met X and Y": one subject talking with
    /// several counterparts one at a time, so one bilateral event each.
    fn separate_counterparts(&self) -> Option<(Actor, Vec<Actor>)> {
        let calls = matches!(self.mode, Some(Mode::Phone | Mode::Video))
            && SEVERAL_CALLS.is_match(self.sentence);
        if !(calls || self.third_location) || self.has_counts() {
            return None;
        }
        let first_trigger = self.triggers.iter().copied().min()?;
        let named_at = |actor: &Actor| {
            self.mentions
                .iter()
                .find(|m| to_actor(self.ctx, m, Role::Participant).name == actor.name)
                .map(|m| m.start)
        };
        // an actor not named in the sentence came from an antecedent: a subject
        let (subjects, others): (Vec<&Actor>, Vec<&Actor>) = self
            .actors
            .iter()
            .partition(|a| named_at(a).map_or(true, |at| at < first_trigger));
        let [subject] = subjects.as_slice() else {
            return None;
        };
        let mut countries: Vec<&str> = Vec::new();
        let mut counterparts = Vec::new();
        for actor in others {
            let country = actor.country.as_deref()?;
            if actor.kind != ActorKind::Person
                || subject.country.as_deref() == Some(country)
                || countries.contains(&country)
            {
                return None;
            }
            countries.push(country);
            counterparts.push(actor.clone());
        }
        (counterparts.len() >= 2).then(|| ((*subject).clone(), counterparts))
    }

    /// Cities and country names of the sentence from byte `from` on, in
    /// text order.
    fn named_places(&self, from: usize) -> Vec<NamedPlace<'a>> {
        let (ctx, span) = (self.ctx, self.span);
        let index = ctx.index();
        let gazetteer: &'a Gazetteer = ctx.gazetteer;
        let cities = index.city_hits.iter().map(|h| NamedPlace {
            start: h.start,
            end: h.end,
            iso3: gazetteer.cities[h.entry].iso3.as_str(),
            is_country: false,
        });
        let countries = index
            .country_hits
            .iter()
            .filter(|(_, form)| *form == CountryForm::Name)
            .map(|(h, _)| NamedPlace {
                start: h.start,
                end: h.end,
                iso3: gazetteer.countries[h.entry].iso3.as_str(),
                is_country: true,
            });
        let mut places: Vec<NamedPlace<'a>> = cities
            .chain(countries)
            .filter(|p| p.start >= from && p.end <= span.end)
            .collect();
        places.sort_by_key(|p| p.start);
        places
    }

    /// Host actors with where each is named in the sentence, in text order.
    fn hosts_in_order(&self) -> Vec<(usize, Actor)> {
        let places = self.named_places(self.span.start);
        let mut hosts: Vec<(usize, Actor)> = Vec::new();
        for actor in self.actors.iter().filter(|a| a.role == Role::Host) {
            let named_at = self
                .mentions
                .iter()
                .find(|m| to_actor(self.ctx, m, Role::Host).name == actor.name)
                .map(|m| m.start)
                .or_else(|| {
                    self.host_places
                        .iter()
                        .find(|(_, iso3)| actor.country.as_deref() == Some(iso3.as_str()))
                        .map(|(at, _)| *at)
                });
            // "is in Japan ... for talks with Abe": the stop starts where
            // its country or a city of it is first named
            let place_at = actor
                .country
                .as_deref()
                .and_then(|iso3| places.iter().find(|p| p.iso3 == iso3).map(|p| p.start));
            let earliest = named_at.map(|at| place_at.map_or(at, |place| at.min(place)));
            if let Some(at) = earliest {
                hosts.push((at, actor.clone()));
            }
        }
        hosts.sort_by_key(|(at, _)| *at);
        hosts
    }

    fn build_one(&self, code: &Code, confidence: f64) -> (Event, bool, Option<chrono::Weekday>) {
        let (ctx, rule) = (self.ctx, self.rule);
        let theme = self.theme();
        let visit_level = self.visit_level();
        let multilateral = self.multilateral;
        let event = Event {
            schema: EVENT_SCHEMA.into(),
            id: String::new(),
            event_type: rule.event_type.clone(),
            status: rule.status,
            name: self.name.clone(),
            actors: self.actors.clone(),
            location: self.location.clone(),
            start_date: self.dates.start.map(|d| d.to_string()),
            end_date: self.dates.end.map(|d| d.to_string()),
            date_text: self.dates.text.clone(),
            mode: self.mode,
            visit_level,
            participants: self.participants.clone().filter(|_| multilateral),
            countries: self.countries.clone().filter(|_| multilateral),
            theme,
            cameo: code.cameo.clone(),
            plover: Plover {
                plover_type: code.plover_type.clone(),
                mode: code.plover_mode.clone(),
            },
            evidence: Evidence {
                text: self.sentence.to_string(),
                start: sentences::char_offset(ctx.text, self.span.start),
                end: sentences::char_offset(ctx.text, self.span.end),
                part: super::TextPart::Body,
            },
            confidence,
            article: ctx.article.clone(),
        };
        (event, multilateral, self.dates.until)
    }
}

/// Role of each mention from the rule's role patterns over the masked
/// sentence, then counterpart roles.
fn assign_roles(
    rule: &Rule,
    sentence: &str,
    span: Span,
    mentions: &[Mention],
    multilateral: bool,
) -> Vec<Option<Role>> {
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
    let mut roles: Vec<Option<Role>> = vec![None; mentions.len()];
    for (pattern, groups) in &rule.role_patterns {
        for caps in pattern.captures_iter(&masked) {
            let whole_end = caps.get(0).map_or(0, |m| m.end());
            for (group, role) in groups {
                let captured = caps.name(group);
                // "talks with X, then makes a visit to Y": X is the object of
                // the first clause, not the subject of the next one
                if *role == Role::Visitor
                    && captured.is_some_and(|m| {
                        CLAUSE_BREAK.is_match(&masked[m.end()..whole_end.max(m.end())])
                    })
                {
                    continue;
                }
                let index = captured.and_then(|m| m.as_str().parse::<usize>().ok());
                if let Some(slot) = index.and_then(|i| roles.get_mut(i)) {
                    if slot.is_none() {
                        *slot = Some(*role);
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
        // "Indonesia-Malaysia talks": the two sides of a country pair too.
        let both_countries = matches!(mentions[i - 1].entity, Entity::Country(_))
            && matches!(mentions[i].entity, Entity::Country(_));
        if (both_persons && matches!(joined, " and " | ", "))
            || (both_countries && matches!(joined, "-" | "–" | "/"))
        {
            match (roles[i - 1], roles[i]) {
                (Some(role), None) => roles[i] = Some(role),
                (None, Some(role)) => roles[i - 1] = Some(role),
                _ => {}
            }
        }
    }
    // "will visit France, Serbia and Hungary": countries listed after a
    // host host too.
    if rule.visit.one_event_per_host {
        for i in 1..mentions.len() {
            let joined =
                &sentence[mentions[i - 1].end - span.start..mentions[i].start - span.start];
            let country = matches!(mentions[i].entity, Entity::Country(_));
            if country
                && roles[i].is_none()
                && roles[i - 1] == Some(Role::Host)
                && matches!(joined, ", " | " and " | ", and " | " and then " | ", then ")
            {
                roles[i] = Some(Role::Host);
            }
        }
    }
    if multilateral {
        return roles;
    }
    let counterpart = roles
        .iter()
        .flatten()
        .find_map(|r| rule.counterpart_roles.get(r).copied());
    if let Some(counterpart) = counterpart {
        for (slot, mention) in roles.iter_mut().zip(mentions) {
            if slot.is_none() && !matches!(mention.entity, Entity::Country(_)) {
                *slot = Some(counterpart);
            }
        }
    }
    roles
}

fn to_actor(ctx: &Context<'_>, mention: &Mention, role: Role) -> Actor {
    match &mention.entity {
        Entity::Person(p) => {
            let person = &ctx.index().persons[*p];
            Actor {
                name: person.name.clone(),
                role,
                kind: ActorKind::Person,
                title: person.title.clone(),
                country: person.country.clone(),
            }
        }
        Entity::Organization { name, country } => Actor {
            name: name.clone(),
            role,
            kind: ActorKind::Organization,
            title: None,
            country: country.clone(),
        },
        Entity::Country(c) => {
            let country = &ctx.gazetteer.countries[*c];
            // country hits are in text order, one per start
            let hits = &ctx.index().country_hits;
            let adjective = hits
                .binary_search_by_key(&mention.start, |(hit, _)| hit.start)
                .is_ok_and(|i| hits[i].1 == CountryForm::Adjective);
            Actor {
                // as written ("Britain", "Turkey"), not the table's name;
                // "North Korean officials" stand for "North Korea"
                name: if adjective {
                    country.name.clone()
                } else {
                    surface(ctx.text, mention.start, mention.end)
                },
                role,
                kind: ActorKind::Country,
                title: None,
                country: Some(country.iso3.clone()),
            }
        }
    }
}

/// "Russian-Belarusian talks", "U.S.-China summit": the two countries of a
/// hyphenated pair before a meeting noun are its sides, whatever their form.
/// Countries that stand for a side because a group noun or a meeting noun
/// follows them: "Indonesia-Malaysia talks", "Russian-Belarusian talks",
/// "North Korean and U.S. officials met", "Chinese diplomats". Adds their
/// country mentions and returns the starts of every country in such a group.
fn add_country_groups(ctx: &Context<'_>, span: Span, mentions: &mut Vec<Mention>) -> Vec<usize> {
    let hits: Vec<&(Hit, CountryForm)> = ctx
        .index()
        .country_hits
        .iter()
        .filter(|(h, _)| h.start >= span.start && h.end <= span.end)
        .collect();
    let mut grouped = Vec::new();
    let mut chain_start = 0;
    for i in 0..hits.len() {
        let next_joins = hits.get(i + 1).map(|(next, _)| {
            let joined = &ctx.text[hits[i].0.end..next.start];
            (
                matches!(joined, "-" | "–" | "/"),
                matches!(
                    joined,
                    " and " | ", " | ", and " | " and the " | ", the " | ", and the "
                ),
            )
        });
        if let Some((hyphen, listed)) = next_joins {
            if hyphen || listed {
                continue;
            }
        }
        // the chain hits[chain_start..=i] ends here
        let chain = &hits[chain_start..=i];
        chain_start = i + 1;
        let after = &ctx.text[chain[chain.len() - 1].0.end..span.end];
        let hyphenated = chain.len() > 1
            && chain
                .windows(2)
                .all(|w| matches!(&ctx.text[w[0].0.end..w[1].0.start], "-" | "–" | "/"));
        let before = &ctx.text[span.start..chain[0].0.start];
        let speaks = GROUP_NOUN_AFTER.is_match(after)
            && (chain.len() > 1 || chain[0].1 == CountryForm::Adjective)
            || chain[0].1 != CountryForm::Adjective && GROUP_NOUN_BEFORE.is_match(before);
        if !(speaks || hyphenated && MEETING_NOUN_AFTER.is_match(after)) {
            continue;
        }
        for (hit, _) in chain {
            grouped.push(hit.start);
            if mentions
                .iter()
                .all(|m| hit.end <= m.start || hit.start >= m.end)
            {
                mentions.push(Mention {
                    start: hit.start,
                    end: hit.end,
                    entity: Entity::Country(hit.entry),
                });
            }
        }
    }
    mentions.sort_by_key(|m| m.start);
    grouped
}

/// The place named in the sentence: a city after "in/at/of", else a
/// country after "in". Returns the start of the mention it used up (a country,
/// or a seat of government that also names an organization).
fn sentence_location(
    ctx: &Context<'_>,
    span: Span,
    mentions: &[Mention],
) -> Option<(Location, Option<usize>)> {
    let preceded_by_place_word = |start: usize| {
        let before = ctx.text[span.start..start].to_ascii_lowercase();
        // "flew to Asmara for talks", "during a visit to Hanoi": the
        // traveller's destination is where the talks were held
        [
            "in ",
            "at ",
            "of ",
            "in the ",
            "at the ",
            "flew to ",
            "travelled to ",
            "traveled to ",
            "went to ",
            "came to ",
            "visit to ",
            "trip to ",
            "visited ",
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
        let city = &ctx.gazetteer.cities[hit.entry];
        // a seat named as a place ("at the Kremlin") is no actor there
        let is_seat = city.seat_in.is_some();
        if hit.start >= span.start
            && hit.end <= span.end
            && preceded_by_place_word(hit.start)
            && (is_seat || !inside_mention(hit.start))
        {
            return Some((
                Location {
                    name: city.place_name().to_string(),
                    country: Some(city.iso3.clone()),
                },
                is_seat.then_some(hit.start),
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
    let host = actors.iter().find(|a| a.role == Role::Host)?;
    let iso3 = host.country.clone()?;
    for hit in &ctx.index().city_hits {
        let city = &ctx.gazetteer.cities[hit.entry];
        if hit.start >= span.start && hit.end <= span.end && city.iso3 == iso3 {
            return Some(Location {
                name: city.place_name().to_string(),
                country: Some(iso3),
            });
        }
    }
    let name = match host.kind {
        ActorKind::Country => host.name.clone(),
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
            None => Qualifier::Exact,
            Some(q) if counts.more_than.contains(&q) => Qualifier::MoreThan,
            Some(q) if counts.about.contains(&q) => Qualifier::About,
            Some(q) if counts.at_least.contains(&q) => Qualifier::AtLeast,
            Some(_) => Qualifier::Exact,
        };
        return Some(Count {
            count: number,
            qualifier,
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
    "bordering",
    "near",
];

/// Nouns after which "of <country>" names who acts ("the foreign
/// ministers of India and Pakistan"), not a topic.
static OF_ACTOR: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:ministers?|presidents?|leaders?|officials?|delegations?|representatives?|envoys?|governments?|heads of (?:state|government)|kings?|prime ministers?|diplomats|negotiators) of (?:the )?$").unwrap()
});

fn is_topic_or_place(text: &str, start: usize) -> bool {
    if OF_ACTOR.is_match(&text[floor(text, start.saturating_sub(60))..start]) {
        return false;
    }
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
    "on", "in", "and", "or", "for", "with", "to", "at", "over", "after", "before", "as", "of",
    "from", "by", "during", "since", "said", "says", "held", "has", "have", "had", "is", "are",
    "was", "were", "will", "would", "met", "began",
];

/// "US dollars", "China's economy": a country followed by a lower-case
/// word that is not a function word modifies that word.
fn is_modifier(text: &str, end: usize) -> bool {
    let rest = text[end..]
        .strip_prefix("'s")
        .or_else(|| text[end..].strip_prefix("’s"))
        .unwrap_or(&text[end..]);
    if rest.starts_with('-') {
        return true; // "North Korea-born", "US-led"
    }
    let Some(rest) = rest.strip_prefix(' ') else {
        return false;
    };
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == '-')
        .collect();
    // a verb in the past tense makes the country its subject: "Ukraine and
    // Russia concluded a round of talks" (modified nouns rarely end so)
    let past_tense = word.len() > 4 && word.ends_with("ed");
    word.chars().next().is_some_and(char::is_lowercase)
        && !past_tense
        && !AFTER_ACTOR.contains(&word.as_str())
        && !SPEAKS_FOR_COUNTRY.contains(&word.as_str())
}

/// Nouns after a country adjective that make the country the actor
/// ("North Korean and U.S. officials met", "a Chinese delegation").
const SPEAKS_FOR_COUNTRY: &[&str] = &[
    "officials",
    "official",
    "diplomats",
    "diplomat",
    "delegation",
    "delegations",
    "delegates",
    "negotiators",
    "envoys",
    "envoy",
    "leaders",
    "ministers",
    "counterparts",
    "counterpart",
    "government",
    "authorities",
    "representatives",
    "emissaries",
    "emissary",
    "team",
];

/// Words before a place that make it a destination.
const PLACE_INTRODUCERS: &[&str] = &[
    "to ",
    "to the ",
    "in ",
    "in the ",
    "for ",
    "visit ",
    "visit the ",
    "visiting ",
    "tour of ",
];

/// "end the trip at the ASEAN summit in Manila": a gathering's venue is no
/// host of a visit (as a meeting at a summit abroad is none, see the rules).
static GATHERING_VENUE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"\b(?:summit|conference|forum|gathering|assembly)s? (?:in|at)(?: the)? $").unwrap()
});

/// A conversation verb that says nothing of how the sides met.
static CONVERSATION_ONLY: Lazy<RecodedRegex> = Lazy::new(|| {
    RecodedRegex::new(r"(?i)\b(?:spoke|speaks|talked|conversed) (?:[\w-]+ ){0,2}?(?:with|to)\b")
});
/// Words that place a conversation face to face.
static IN_PERSON_CUE: Lazy<RecodedRegex> = Lazy::new(|| {
    RecodedRegex::new(
        r"(?i)\b(?:met|meets|meeting|visit\w*|hosted|received|welcomed|arrived|in person|face to face|sidelines|margins)\b|\b(?:in|at) (?-i:\p{Lu})",
    )
});
/// The story calls its conversation a phone call somewhere.
static PHONE_IN_STORY: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:phone|telephone|phoned)\b|\b(?:phone |telephone )?calls? (?:with|between)\b|\b(?:the|a|their|this) (?:phone |telephone )?call\b").unwrap()
});

/// How far back (bytes) "he" or "the two leaders" may refer.
const ANTECEDENT_WINDOW: usize = 1500;

/// A meeting noun right after a country pair, at most two words on.
static MEETING_NOUN_AFTER: Lazy<RecodedRegex> = Lazy::new(|| {
    RecodedRegex::new(
        r"^(?: [\w-]+){0,2}? (?:talks|summit|meeting|meetings|negotiations|consultations|dialogue|call|conversation)\b",
    )
});
/// A group that speaks for its country right after a country list, at most
/// two words on: "North Korean and U.S. officials", "Chinese trade negotiators".
static GROUP_NOUN_AFTER: Lazy<RecodedRegex> = Lazy::new(|| {
    RecodedRegex::new(
        r"^(?: [a-z][\w-]*){0,2}? (?:officials|diplomats|delegations|delegation|delegates|negotiators|envoys|leaders|ministers|foreign ministers|counterparts|representatives|emissaries)\b",
    )
});
/// The same group named before its countries, as the subject of its clause
/// or after "between": "Officials from Russia, Ukraine and the United
/// States began talks". Not as an object: in "met delegations from Chile
/// and Peru" the two are not meeting each other.
static GROUP_NOUN_BEFORE: Lazy<RecodedRegex> = Lazy::new(|| {
    RecodedRegex::new(
        r"(?i)(?:^|[,;:(] |[-–—] |(?:and|while|as|after|when|between) )(?:the |senior |top |[\w-]+-level )?(?:officials|diplomats|delegations|delegates|negotiators|negotiating teams|envoys|leaders|ministers|foreign ministers|representatives|emissaries|mediators) (?:from|of) (?:the )?$",
    )
});
static TWO_SIDES: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:the two|both) (?:leaders|presidents|prime ministers|premiers|sides|men|women|ministers|foreign ministers|heads of state|heads of government|counterparts|chancellors)\b").unwrap()
});
/// Calls in the plural: several conversations, one per counterpart.
static SEVERAL_CALLS: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:conversations|calls|phone talks|telephone talks|spoke separately|separate (?:calls|conversations))\b").unwrap()
});
static SUBJECT_PRONOUN: Lazy<RecodedRegex> = Lazy::new(|| {
    RecodedRegex::new(
        r"^(?:[^,]{0,40}, )?(?:He|She|(?i:the) (?:president|prime minister|premier|chancellor|king|queen|prince|crown prince|emir|sultan|monarch|emperor|leader|minister|foreign minister|secretary|envoy|pope))\b|\b(?:he|she)(?: [\w-]+){0,3} (?:met|meets|held|holds|hosted|received|welcomed|spoke|talked|telephoned|phoned)\b|(?i:\b(?:his|her) (?:[\w-]+ ){0,2}counterparts?\b)",
    )
});
/// A city or country name found in a sentence.
struct NamedPlace<'g> {
    start: usize,
    end: usize,
    iso3: &'g str,
    is_country: bool,
}

/// Offices below the national government: "Ishikawa Governor X", "the
/// mayor, X", "Saxony's minister-president".
static SUBNATIONAL_OFFICE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:governors?|mayors?|minister-presidents?|chief ministers?|state premiers?|provincial (?:governor|premier|leader)s?|prefects?)\b").unwrap()
});

/// Whether the sentence names a sub-national office (a central bank's
/// governor is a national official).
fn names_subnational_office(sentence: &str) -> bool {
    SUBNATIONAL_OFFICE.find_iter(sentence).any(|m| {
        let before = sentence[..m.start()].trim_end().to_ascii_lowercase();
        !(before.ends_with("bank") || before.ends_with("reserve") || before.ends_with("general"))
    })
}

/// A comma or "and" opening a new clause whose subject is left out.
static CLAUSE_BREAK: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?:, (?:and )?|\band )then\b|, (?:before|after) \w+ing\b|;").unwrap()
});
/// What stands before a person named as an object: "talks with (Chinese
/// President) X", "is to meet X", "hosted by X".
static NAMED_AS_OBJECT: Lazy<RecodedRegex> = Lazy::new(|| {
    RecodedRegex::new(
        r"\b(?:with|meet|meets|meeting|by|host|hosts|hosting|receive|receives|see|sees|call|calls|invitation of) (?:the )?(?:\p{Lu}[\w'’.-]* ){0,4}$",
    )
});
/// A sentence whose subject is "he" or "she" (after an opening phrase).
static OPENING_PRONOUN: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"^(?:[^,]{0,40}, )?(?:He|She)\b").unwrap());
static LEADER_PRONOUN: Lazy<RecodedRegex> = Lazy::new(|| {
    RecodedRegex::new(
        r"^(?:[^,]{0,40}, )?(?:He|She|(?i:the) (?:president|prime minister|premier|chancellor|king|queen|monarch|emperor|leader|pope))\b|^[^,]{0,40}, (?:he|she) |\b(?:he|she) (?:will|would|is to|is due to|plans to) (?:make|pay|travel|visit)\b",
    )
});
/// Present-tense verbs a story also uses for what is still to come.
static PRESENT_TENSE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:meets|meet|holds|hosts|receives|welcomes|visits|signs|sign|are meeting|is meeting|hold talks)\b").unwrap()
});

/// The one call into the temporal tagger.
fn event_dates(
    text: &str,
    published: Option<NaiveDate>,
    planned: bool,
    anchors: &[usize],
) -> dates::EventDates {
    dates::resolve_in(text, published, planned, anchors)
}

static YEAR: Lazy<RecodedRegex> =
    Lazy::new(|| RecodedRegex::new(r"\b(?P<before>\w+)?\W{0,3}\b(?P<year>1[89]\d\d|2[01]\d\d)\b"));

/// A year before the story's own places the telling in the past ("in May
/// 1975", "during his 2014 visit"), except after "since" ("the first
/// visit since 2015" is news today). Without a publication date any year
/// after "in" counts as the past.
fn tells_history(window: &str, published: Option<NaiveDate>) -> bool {
    // most windows hold no four-digit number: skip the capturing search
    let has_four_digits = window
        .as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit));
    if !has_four_digits {
        return false;
    }
    let recoded = YEAR.recode(window);
    YEAR.regex().captures_iter(&recoded).any(|caps| {
        // offsets into the recoded window are offsets into the window
        let before = caps
            .name("before")
            .map(|w| window[w.range()].to_ascii_lowercase());
        if before.as_deref() == Some("since") {
            return false;
        }
        let year = caps.name("year").expect("a group of the match");
        let year: i32 = window[year.range()].parse().unwrap_or_default();
        match published {
            Some(published) => year < published.year(),
            None => before.as_deref() == Some("in"),
        }
    })
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

#[cfg(test)]
mod dateline_tests {
    use super::*;

    /// The literal check never hides a line the regex would match.
    #[test]
    fn the_dateline_check_lets_every_dateline_through() {
        for (text, dateline) in [
            ("WASHINGTON — The president met", true),
            (
                "Headline here\nKUALA LUMPUR, Dec 6 (Bernama) -- Malaysia",
                true,
            ),
            ("ST. PETERSBURG: Talks", true),
            ("A — short", false),
            ("The minister said - nothing", false),
            ("Xi meets Lula\nBEIJING, Nov 3: Xi", true),
            ("ÉVIAN-LES-BAINS – Les", true),
            ("", false),
        ] {
            let recoded = DATELINE.recode(text);
            assert_eq!(DATELINE.regex().is_match(&recoded), dateline, "{text}");
            assert!(!dateline || may_open_dateline(text), "{text}");
        }
        assert!(!may_open_dateline("The minister\nsaid so"));
    }
}

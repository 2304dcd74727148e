//! Lookup tables (config/gazetteer/*.tsv): countries with names, aliases and
//! adjectives; cities; leader titles and their ranks; organizations.
//!
//! Every table is a tab-separated data file; lines starting with `#` are
//! comments. Lookups are Aho-Corasick automata built once at load.
use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::EventsError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    pub iso3: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountryForm {
    /// "China", "ROK", "Malaysia's"
    Name,
    /// "Chinese", "Nepalese"
    Adjective,
}

/// A rank from titles.tsv.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rank {
    Monarch,
    HeadOfState,
    HeadOfGovernment,
    Deputy,
    Minister,
    Official,
    Party,
    /// "former Prime Minister": no longer in office.
    Former,
}

impl Rank {
    pub fn parse(text: &str) -> Option<Rank> {
        Some(match text {
            "monarch" => Rank::Monarch,
            "head_of_state" => Rank::HeadOfState,
            "head_of_government" => Rank::HeadOfGovernment,
            "deputy" => Rank::Deputy,
            "minister" => Rank::Minister,
            "official" => Rank::Official,
            "party" => Rank::Party,
            "former" => Rank::Former,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct City {
    pub name: String,
    pub iso3: String,
    /// For a seat of government or official residence ("the Kremlin"): the
    /// city it stands in, which is what a meeting held there reports.
    pub seat_in: Option<String>,
}

impl City {
    /// The place name a meeting held here reports.
    pub fn place_name(&self) -> &str {
        self.seat_in.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    pub name: String,
    pub iso3: Option<String>,
}

/// One match of a table entry in a text (byte offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    /// Index into the table's entries (`countries`, `cities`, ...).
    pub entry: usize,
}

#[derive(Debug)]
pub struct Gazetteer {
    pub countries: Vec<Country>,
    country_terms: Vec<(usize, CountryForm)>,
    country_matcher: AhoCorasick,
    pub cities: Vec<City>,
    city_matcher: AhoCorasick,
    pub titles: Vec<Title>,
    title_matcher: AhoCorasick,
    pub organizations: Vec<Organization>,
    organization_terms: Vec<usize>,
    organization_matcher: AhoCorasick,
    /// (country-code top-level domain without the dot, country index)
    domain_countries: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    /// Lower case.
    pub text: String,
    pub rank: Rank,
    /// Set for titles that only one country uses ("taoiseach").
    pub country: Option<String>,
}

impl Gazetteer {
    pub fn load(dir: &Path) -> Result<Gazetteer, EventsError> {
        let mut countries = Vec::new();
        let mut country_patterns = Vec::new();
        let mut country_terms = Vec::new();
        let mut domain_countries = Vec::new();
        let countries_path = dir.join("countries.tsv");
        for (line_no, fields) in read_table(&countries_path)? {
            let [iso3, name, aliases, adjectives, domains] =
                fields_n::<5>(&countries_path, line_no, &fields)?;
            if iso3.len() != 3 || !iso3.chars().all(|c| c.is_ascii_uppercase()) {
                return Err(table_error(
                    &countries_path,
                    line_no,
                    format!("`{iso3}` is not an ISO alpha-3 code"),
                ));
            }
            let index = countries.len();
            for domain in split_list(domains) {
                domain_countries.push((domain.trim_start_matches('.').to_ascii_lowercase(), index));
            }
            countries.push(Country {
                iso3: iso3.to_string(),
                name: name.to_string(),
            });
            for term in std::iter::once(name).chain(split_list(aliases)) {
                country_patterns.push(term.to_string());
                country_terms.push((index, CountryForm::Name));
            }
            for term in split_list(adjectives) {
                country_patterns.push(term.to_string());
                country_terms.push((index, CountryForm::Adjective));
            }
        }
        if countries.is_empty() {
            return Err(table_error(&countries_path, 0, "no countries".into()));
        }

        let mut cities = Vec::new();
        for file in ["capitals.tsv", "cities.tsv"] {
            let path = dir.join(file);
            if !path.exists() && file == "cities.tsv" {
                continue;
            }
            for (line_no, fields) in read_table(&path)? {
                let [name, iso3, _kind] = fields_n::<3>(&path, line_no, &fields)?;
                if !countries.iter().any(|c| c.iso3 == iso3) {
                    return Err(table_error(
                        &path,
                        line_no,
                        format!("unknown country `{iso3}`"),
                    ));
                }
                if !cities.iter().any(|c: &City| c.name == name) {
                    cities.push(City {
                        name: name.to_string(),
                        iso3: iso3.to_string(),
                        seat_in: None,
                    });
                }
            }
        }
        add_seats(&dir.join("seats.tsv"), &countries, &mut cities)?;

        let titles_path = dir.join("titles.tsv");
        let mut titles = Vec::new();
        for (line_no, fields) in read_table(&titles_path)? {
            let [title, rank, iso3] = fields_n::<3>(&titles_path, line_no, &fields)?;
            let rank = Rank::parse(rank).ok_or_else(|| {
                table_error(&titles_path, line_no, format!("unknown rank `{rank}`"))
            })?;
            if !iso3.is_empty() && !countries.iter().any(|c| c.iso3 == iso3) {
                return Err(table_error(
                    &titles_path,
                    line_no,
                    format!("unknown country `{iso3}`"),
                ));
            }
            titles.push(Title {
                text: title.to_lowercase(),
                rank,
                country: (!iso3.is_empty()).then(|| iso3.to_string()),
            });
        }

        let organizations_path = dir.join("organizations.tsv");
        let mut organizations = Vec::new();
        let mut organization_patterns = Vec::new();
        let mut organization_terms = Vec::new();
        for (line_no, fields) in read_table(&organizations_path)? {
            let [name, aliases, iso3] = fields_n::<3>(&organizations_path, line_no, &fields)?;
            if !iso3.is_empty() && !countries.iter().any(|c| c.iso3 == iso3) {
                return Err(table_error(
                    &organizations_path,
                    line_no,
                    format!("unknown country `{iso3}`"),
                ));
            }
            let index = organizations.len();
            organizations.push(Organization {
                name: name.to_string(),
                iso3: (!iso3.is_empty()).then(|| iso3.to_string()),
            });
            for term in std::iter::once(name).chain(split_list(aliases)) {
                organization_patterns.push(term.to_string());
                organization_terms.push(index);
            }
        }

        let exact = |patterns: &[String]| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(patterns)
                .map_err(|e| EventsError::Rules {
                    path: dir.display().to_string(),
                    reason: e.to_string(),
                })
        };
        let city_names: Vec<String> = cities.iter().map(|c| c.name.clone()).collect();
        let title_names: Vec<String> = titles.iter().map(|t| t.text.clone()).collect();
        let title_matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&title_names)
            .map_err(|e| EventsError::Rules {
                path: titles_path.display().to_string(),
                reason: e.to_string(),
            })?;
        Ok(Gazetteer {
            country_matcher: exact(&country_patterns)?,
            countries,
            country_terms,
            city_matcher: exact(&city_names)?,
            cities,
            titles,
            title_matcher,
            organization_matcher: exact(&organization_patterns)?,
            organizations,
            organization_terms,
            domain_countries,
        })
    }

    /// The country of a web host's country-code domain ("x.com.au" -> AUS).
    pub fn country_of_host(&self, host: &str) -> Option<&Country> {
        let top = host.rsplit('.').next()?.to_ascii_lowercase();
        self.domain_countries
            .iter()
            .find(|(domain, _)| *domain == top)
            .map(|(_, index)| &self.countries[*index])
    }

    /// Country names and adjectives, whole words only, case-sensitive.
    pub fn find_countries(&self, text: &str) -> Vec<(Hit, CountryForm)> {
        whole_words(&self.country_matcher, text)
            .map(|(start, end, pattern)| {
                let (entry, form) = self.country_terms[pattern];
                (Hit { start, end, entry }, form)
            })
            .collect()
    }

    pub fn find_cities(&self, text: &str) -> Vec<Hit> {
        whole_words(&self.city_matcher, text)
            .map(|(start, end, entry)| Hit { start, end, entry })
            .collect()
    }

    /// Titles, whole words only, any case.
    pub fn find_titles(&self, text: &str) -> Vec<Hit> {
        whole_words(&self.title_matcher, text)
            .map(|(start, end, entry)| Hit { start, end, entry })
            .collect()
    }

    pub fn find_organizations(&self, text: &str) -> Vec<Hit> {
        whole_words(&self.organization_matcher, text)
            .map(|(start, end, pattern)| Hit {
                start,
                end,
                entry: self.organization_terms[pattern],
            })
            .collect()
    }

    pub fn country(&self, iso3: &str) -> Option<&Country> {
        self.countries.iter().find(|c| c.iso3 == iso3)
    }
}

fn whole_words<'a>(
    matcher: &'a AhoCorasick,
    text: &'a str,
) -> impl Iterator<Item = (usize, usize, usize)> + 'a {
    matcher.find_iter(text).filter_map(move |m| {
        let before_ok = text[..m.start()]
            .chars()
            .next_back()
            .map_or(true, |c| !c.is_alphanumeric());
        let after_ok = text[m.end()..]
            .chars()
            .next()
            .map_or(true, |c| !c.is_alphanumeric());
        (before_ok && after_ok).then(|| (m.start(), m.end(), m.pattern().as_usize()))
    })
}

/// Seats of government and official residences, each name and alias a
/// place entry that reports the city it stands in. The file is optional.
fn add_seats(
    path: &Path,
    countries: &[Country],
    cities: &mut Vec<City>,
) -> Result<(), EventsError> {
    if !path.exists() {
        return Ok(());
    }
    for (line_no, fields) in read_table(path)? {
        let [name, aliases, city, iso3] = fields_n::<4>(path, line_no, &fields)?;
        if !countries.iter().any(|c| c.iso3 == iso3) || city.is_empty() {
            return Err(table_error(
                path,
                line_no,
                format!("unknown country `{iso3}` or no city"),
            ));
        }
        for term in std::iter::once(name).chain(split_list(aliases)) {
            if !cities.iter().any(|c: &City| c.name == term) {
                cities.push(City {
                    name: term.to_string(),
                    iso3: iso3.to_string(),
                    seat_in: Some(city.to_string()),
                });
            }
        }
    }
    Ok(())
}

fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split('|').map(str::trim).filter(|t| !t.is_empty())
}

type Rows = Vec<(usize, Vec<String>)>;

fn read_table(path: &Path) -> Result<Rows, EventsError> {
    let text = std::fs::read_to_string(path).map_err(|source| EventsError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(i, line)| {
            (
                i + 1,
                line.split('\t').map(|f| f.trim().to_string()).collect(),
            )
        })
        .collect())
}

fn fields_n<'a, const N: usize>(
    path: &Path,
    line_no: usize,
    fields: &'a [String],
) -> Result<[&'a str; N], EventsError> {
    if fields.len() > N || fields.is_empty() || fields[0].is_empty() {
        return Err(table_error(
            path,
            line_no,
            format!("expected {N} tab-separated columns, found {}", fields.len()),
        ));
    }
    let mut out = [""; N];
    for (slot, field) in out.iter_mut().zip(fields) {
        *slot = field.as_str();
    }
    Ok(out)
}

fn table_error(path: &Path, line: usize, reason: String) -> EventsError {
    EventsError::Table {
        path: PathBuf::from(path).display().to_string(),
        line,
        reason,
    }
}

//! Headlines from `<title>`: the site name that pages add before or after the
//! headline ("Talks resume in Geneva | The Ledger", "Ledger :: Talks resume")
//! is taken off. Without metadata naming the site, the part of the `<title>`
//! that the page prints as a line of its own is the headline.
use super::tunables::TITLE_MIN_WORDS;

/// Separators between a headline and a site name, strongest first.
const SEPARATORS: &[&str] = &[
    " | ", " :: ", " « ", " » ", " — ", " – ", " - ", " · ", " : ",
];

/// Letters and digits only, lowercased: "The-Ledger.com" and "The Ledger" compare.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `part` names the site: the site name, or the host's labels.
fn names_site(part: &str, site_name: Option<&str>, host: Option<&str>) -> bool {
    let squeezed = squeeze(part);
    if squeezed.is_empty() {
        return true;
    }
    if site_name.is_some_and(|site| {
        let site = squeeze(site);
        !site.is_empty() && (site == squeezed || site.contains(&squeezed))
    }) {
        return true;
    }
    host.is_some_and(|host| {
        let host = squeeze(host.trim_start_matches("www."));
        squeezed.len() >= 3 && host.contains(&squeezed)
    })
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// The headline in a `<title>`: parts naming the site are dropped; failing
/// that, a long part beside short ones (site names, sections) is kept.
/// Titles without a separator come back unchanged.
pub fn clean_title_tag(title: &str, site_name: Option<&str>, host: Option<&str>) -> String {
    let title = title.trim();
    let Some(separator) = SEPARATORS.iter().find(|s| title.contains(**s)) else {
        return title.to_string();
    };
    let parts: Vec<&str> = title
        .split(separator)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return title.to_string();
    }
    let kept: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|p| !names_site(p, site_name, host))
        .collect();
    if kept.len() == 1 && kept.len() < parts.len() {
        return kept[0].to_string();
    }
    // Only the first or last part can be a site name or a section: a longest
    // part at an end, beside short ones, is the headline.
    let candidates = if kept.is_empty() { &parts } else { &kept };
    let longest = candidates
        .iter()
        .copied()
        .max_by_key(|p| words(p))
        .unwrap_or(title);
    let at_an_end = parts.first() == Some(&longest) || parts.last() == Some(&longest);
    let others_short = parts
        .iter()
        .filter(|p| **p != longest)
        .all(|p| words(p) < TITLE_MIN_WORDS.max(words(longest) / 2));
    if at_an_end && others_short && words(longest) >= TITLE_MIN_WORDS {
        return if kept.len() < parts.len() || parts.len() == 2 {
            longest.to_string()
        } else {
            title.to_string()
        };
    }
    title.to_string()
}

/// The part of a `<title>` (split at its strongest separator), or the whole
/// of it, that the page prints as a line of its own: old layouts set the
/// headline in `<font>` or `<b>` without a heading element, and the other
/// parts (site name, section) are not printed as such. The longest printed
/// candidate wins; `None` when none is printed or the title is too short.
pub fn printed_part<'l>(title: &str, lines: impl Iterator<Item = &'l str>) -> Option<String> {
    let title = title.trim();
    let mut candidates: Vec<&str> = vec![title];
    if let Some(separator) = SEPARATORS.iter().find(|s| title.contains(**s)) {
        candidates.extend(title.split(separator).map(str::trim));
    }
    candidates.retain(|c| words(c) >= TITLE_MIN_WORDS);
    if candidates.is_empty() {
        return None;
    }
    let wanted: Vec<String> = candidates.iter().map(|c| squeeze(c)).collect();
    let mut best: Option<usize> = None;
    for line in lines {
        if words(line) > PRINTED_TITLE_MAX_WORDS {
            continue;
        }
        let line = squeeze(line);
        if let Some(found) = wanted.iter().position(|w| *w == line) {
            if best.map_or(true, |b| wanted[found].len() > wanted[b].len()) {
                best = Some(found);
            }
        }
    }
    best.map(|b| candidates[b].to_string())
}

/// The longest line (words) compared with the `<title>`'s parts.
const PRINTED_TITLE_MAX_WORDS: usize = 40;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_name_suffix_and_prefix_are_removed() {
        assert_eq!(
            clean_title_tag(
                "Ministers resume border talks in Geneva | The Ledger",
                Some("The Ledger"),
                None
            ),
            "Ministers resume border talks in Geneva"
        );
        assert_eq!(
            clean_title_tag(
                "LEDGER.COM :: Ministers resume border talks",
                None,
                Some("www.ledger.com")
            ),
            "Ministers resume border talks"
        );
    }

    #[test]
    fn the_title_part_printed_on_the_page_is_the_headline() {
        let lines = [
            "Home",
            "World News",
            "Ministers resume border talks",
            "The talks began on Tuesday.",
        ];
        assert_eq!(
            printed_part(
                "World News - Ministers resume border talks - Old Gazette Online",
                lines.into_iter()
            )
            .as_deref(),
            Some("Ministers resume border talks")
        );
        // Printed whole, a title with inner dashes stays whole.
        let whole = "Talks resume - and stall again - as ministers meet";
        assert_eq!(
            printed_part(whole, [whole, "Talks resume"].into_iter()).as_deref(),
            Some(whole)
        );
        assert_eq!(
            printed_part("Ministers meet | Gazette", lines.into_iter()),
            None
        );
    }

    #[test]
    fn short_part_beside_a_headline_is_dropped_without_site_metadata() {
        assert_eq!(
            clean_title_tag(
                "Ministers resume border talks in Geneva - Daily Herald",
                None,
                None
            ),
            "Ministers resume border talks in Geneva"
        );
    }

    #[test]
    fn headlines_with_inner_dashes_or_no_separator_stay_whole() {
        let title = "Talks resume - and stall again - as ministers meet in Geneva";
        assert_eq!(clean_title_tag(title, None, None), title);
        assert_eq!(
            clean_title_tag("Ministers meet in Geneva", None, None),
            "Ministers meet in Geneva"
        );
        // A two-word title that is not a site name is kept as is.
        assert_eq!(
            clean_title_tag("Weather - Geneva", None, None),
            "Weather - Geneva"
        );
    }
}

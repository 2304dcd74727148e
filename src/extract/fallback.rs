//! The paths that run when the structured path finds no story.
//!
//! Old layouts defeat the structured path in a few typical ways: the story is
//! a run of `<br>`-separated lines in the same table cell as the navigation
//! (one block, link-heavy as a whole), the site wrapper carries a boilerplate
//! class name, or the item is shorter than a full story. Both paths here work
//! on *refined* blocks (blocks split at link-heavy lines) and ignore class
//! names except for comment threads:
//! 1. density: readability/boilerpipe style, the subtree with the most
//!    link-free text ([`density_container`]);
//! 2. paragraphs: a jusText-style classifier over the whole page, each
//!    paragraph judged by its length, link share and sentence punctuation, and
//!    short ones by their neighbours ([`good_paragraphs`]).
use super::content::{self, Block};
use super::dom::{Document, NodeId, ROOT};
use super::tunables::{
    LINE_MAX_LINK_DENSITY, LONG_CHARS, MENU_LINE_SEPARATORS, MENU_RUN_LINES,
    PARAGRAPH_MAX_LINK_DENSITY, REGION_MAX_PROSE_SHARE, SHORT_CHARS,
};

/// Which elements the fallback paths read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// What a browser shows before any script runs.
    Shown,
    /// Hidden elements too, unless named after boilerplate: the pass after
    /// `Shown`, on pages where nothing shown held a story.
    Revealed,
    /// As `Revealed`, and `<label>`/`<menu>` read as wrappers and containers
    /// named after comments read too: the last pass, where a page's only
    /// prose sits in markup that usually holds none (a story in a
    /// `comments_area` cell, or wrapped in a `<label>`).
    Lenient,
}

/// What the fallback paths leave out, and the blocks left: hidden (unless
/// `visibility` reveals them) and non-text elements, comment threads, and
/// page regions (`nav`, `header`,
/// `footer`, `aside`) unless one holds most of the page's prose (an unclosed
/// `<header>` around the whole page). Other class names are not trusted here:
/// old sites name their whole page wrapper after menus or ads.
pub fn marks(doc: &Document<'_>, visibility: Visibility) -> (Vec<bool>, Vec<Block>) {
    let structural = match visibility {
        Visibility::Shown => content::is_structural_boilerplate,
        Visibility::Revealed => content::is_structural_boilerplate_when_revealed,
        Visibility::Lenient => content::is_structural_boilerplate_when_lenient,
    };
    let drop_comments = visibility != Visibility::Lenient;
    let mut light = vec![false; doc.len()];
    for id in 1..doc.len() {
        let parent = doc.nodes[id].parent;
        light[id] = light[parent]
            || (structural(doc, id) && !content::is_region_boilerplate(doc, id))
            || (drop_comments && content::is_comment(doc, id));
    }
    let blocks = content::blocks(doc, &light);
    let weights = content::weights(doc, &blocks, &light);
    let total = weights.good_chars[ROOT];
    let mut skip = light;
    for id in 1..doc.len() {
        let parent = doc.nodes[id].parent;
        skip[id] = skip[id]
            || skip[parent]
            || ((content::is_region_boilerplate(doc, id) || content::is_input_form(doc, id))
                && weights.good_chars[id] < REGION_MAX_PROSE_SHARE * total);
    }
    let blocks = blocks.into_iter().filter(|b| !skip[b.owner]).collect();
    (skip, blocks)
}

/// Splits every block at its link-heavy lines: each link-heavy line becomes
/// a block of its own, and the runs of lines between them stay together.
pub fn refine(blocks: &[Block], skip: &[bool]) -> Vec<Block> {
    let mut refined = Vec::with_capacity(blocks.len());
    for block in blocks.iter().filter(|b| !skip[b.owner]) {
        if block.line_links.len() <= 1 || block.link_chars == 0 {
            refined.push(block.clone());
            continue;
        }
        let mut run: Vec<RunLine<'_>> = Vec::new();
        let alone = block.line_alone.iter().chain(std::iter::repeat(&false));
        let joined = block.line_joined.iter().chain(std::iter::repeat(&false));
        let lines = block.text.split('\n').zip(&block.line_links);
        for (((text, &links), &alone), &joined) in lines.zip(alone).zip(joined) {
            let weight = content::text_weight(text);
            let heavy = weight > 0 && links as f64 / weight as f64 > LINE_MAX_LINK_DENSITY;
            let line = RunLine {
                text,
                links,
                alone,
                joined,
            };
            if heavy {
                push_run(&mut refined, block.owner, &mut run);
                run.push(line);
                push_run(&mut refined, block.owner, &mut run);
            } else {
                run.push(line);
            }
        }
        push_run(&mut refined, block.owner, &mut run);
    }
    refined
}

/// The lines of a block without its menus (see [`kept_lines`]).
#[cfg(test)]
fn link_light_lines(block: &Block) -> Vec<&str> {
    let lines: Vec<&str> = block.text.split('\n').collect();
    kept_lines(block, &lines)
        .into_iter()
        .map(|index| lines[index])
        .collect()
}

/// The block's paragraphs for the story text: [`kept_lines`] without
/// lines that repeat the headline, lines parted only by a newline of the
/// source joined by a space (as a browser shows them).
pub fn paragraph_lines(block: &Block, title: Option<&str>) -> Vec<String> {
    paragraph_lines_except(block, title, &[])
}

/// [`paragraph_lines`] without the lines marked in `dropped` (by index in
/// the block; lines past its end are kept).
pub fn paragraph_lines_except(block: &Block, title: Option<&str>, dropped: &[bool]) -> Vec<String> {
    let lines: Vec<&str> = block.text.split('\n').collect();
    let mut out: Vec<String> = Vec::new();
    let mut previous: Option<usize> = None;
    for index in kept_lines(block, &lines) {
        if dropped.get(index).copied().unwrap_or(false) {
            continue;
        }
        let line = lines[index];
        if title.is_some_and(|t| line.eq_ignore_ascii_case(t)) {
            continue;
        }
        let joined = block.line_joined.get(index).copied().unwrap_or(false);
        match out.last_mut() {
            Some(last) if joined && previous == Some(index - 1) => {
                last.push(' ');
                last.push_str(line);
            }
            _ => out.push(line.to_string()),
        }
        previous = Some(index);
    }
    out
}

/// Indices of the lines of a block without its menus: runs of [`MENU_RUN_LINES`] or
/// more link-heavy lines (a menu before `<br>`-separated story lines in one
/// table cell), and single link-heavy lines of [`MENU_LINE_SEPARATORS`] or
/// more separators ("Home | News | Sport"). A link-heavy line that is a
/// paragraph of its own (`<br><br>` on both sides, [`Block::line_alone`]) goes
/// as a link-heavy `<p>` would ("Read also: <a>other story</a>" between
/// `<br>`-separated paragraphs). Other single linked lines stay: inside a
/// paragraph they are often sentences. Short copyright lines go too
/// ([`content::is_copyright_line`]).
fn kept_lines(block: &Block, lines: &[&str]) -> Vec<usize> {
    if lines.len() < 2 {
        return (0..lines.len()).collect();
    }
    let heavy: Vec<bool> = lines
        .iter()
        .zip(block.line_links.iter().chain(std::iter::repeat(&0)))
        .map(|(line, &links)| is_link_heavy(line, Some(links)))
        .collect();
    let mut keep = vec![true; lines.len()];
    let mut start = 0;
    while start < lines.len() {
        let run = heavy[start..].iter().take_while(|&&h| h).count();
        if run >= MENU_RUN_LINES {
            keep[start..start + run].iter_mut().for_each(|k| *k = false);
        } else {
            for index in start..start + run {
                let alone = block.line_alone.get(index).copied().unwrap_or(false);
                keep[index] = !alone && !is_separated_menu(lines[index]);
            }
        }
        start += run.max(1);
    }
    for (line, keep) in lines.iter().zip(keep.iter_mut()) {
        *keep &= !content::is_copyright_line(line);
    }
    keep.iter()
        .enumerate()
        .filter_map(|(index, &keep)| keep.then_some(index))
        .collect()
}

/// Per line of the block, whether [`kept_lines`] keeps it.
pub fn kept_line_mask(block: &Block) -> Vec<bool> {
    let lines: Vec<&str> = block.text.split('\n').collect();
    let mut mask = vec![false; lines.len()];
    for index in kept_lines(block, &lines) {
        mask[index] = true;
    }
    mask
}

/// Whether a line with `links` link characters is mostly link text.
pub fn is_link_heavy(line: &str, links: Option<usize>) -> bool {
    let weight = content::text_weight(line);
    weight > 0 && links.unwrap_or(0) as f64 / weight as f64 > LINE_MAX_LINK_DENSITY
}

/// Whether a line reads as an inline menu: its links apart by separators.
fn is_separated_menu(line: &str) -> bool {
    line.chars()
        .filter(|c| matches!(c, '|' | '•' | '·' | '»' | '›'))
        .count()
        >= MENU_LINE_SEPARATORS
}

/// A line of a block on its way into a refined block.
struct RunLine<'a> {
    text: &'a str,
    links: usize,
    alone: bool,
    joined: bool,
}

fn push_run(out: &mut Vec<Block>, owner: NodeId, run: &mut Vec<RunLine<'_>>) {
    if run.is_empty() {
        return;
    }
    let text = run
        .iter()
        .map(|line| line.text)
        .collect::<Vec<_>>()
        .join("\n");
    let line_links: Vec<usize> = run.iter().map(|line| line.links).collect();
    let line_alone: Vec<bool> = run.iter().map(|line| line.alone).collect();
    // A refined block starts a line of its own.
    let line_joined: Vec<bool> = run
        .iter()
        .enumerate()
        .map(|(i, line)| i > 0 && line.joined)
        .collect();
    let chars = content::text_weight(&text);
    out.push(Block {
        owner,
        words: content::count_words(&text),
        link_chars: line_links.iter().sum::<usize>().min(chars),
        chars,
        text,
        line_links,
        line_alone,
        line_joined,
    });
    run.clear();
}

/// Density path: the element with the best balance of link-free prose
/// against link lists, over refined blocks.
pub fn density_container(doc: &Document<'_>, blocks: &[Block], skip: &[bool]) -> Option<NodeId> {
    let weights = content::weights(doc, blocks, skip);
    content::best_container(doc, &weights)
}

/// Last resort for pages of short lines without a sentence among them (a
/// results table, a price list, verse): the element holding the most
/// link-free text, weighed against its link text. `None` when it holds less
/// than `min_words` of link-free words, as on link lists and error pages.
pub fn text_mass_container(
    doc: &Document<'_>,
    blocks: &[Block],
    min_words: usize,
) -> Option<NodeId> {
    let mut mass = vec![0.0f64; doc.len()];
    let mut words = vec![0usize; doc.len()];
    for block in blocks {
        let light = block.link_density() <= PARAGRAPH_MAX_LINK_DENSITY;
        let value = if light {
            (block.chars - block.link_chars) as f64
        } else {
            -(block.chars as f64)
        };
        let mut id = block.owner;
        loop {
            mass[id] += value;
            if light {
                words[id] += block.words;
            }
            if id == ROOT {
                break;
            }
            id = doc.nodes[id].parent;
        }
    }
    let best = (1..doc.len())
        .filter(|&id| doc.name(id).is_some() && mass[id] > 0.0)
        .max_by(|&a, &b| mass[a].total_cmp(&mass[b]).then(b.cmp(&a)))?;
    (words[best] >= min_words).then_some(best)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Good,
    NearGood,
    Short,
    Bad,
}

pub fn has_sentence(text: &str) -> bool {
    text.contains(content::SENTENCE_MARKS)
}

/// A paragraph's class on its own merits.
fn intrinsic_class(block: &Block) -> Class {
    if block.link_density() > PARAGRAPH_MAX_LINK_DENSITY {
        return Class::Bad;
    }
    if block.is_truncated_teaser() {
        return Class::Bad;
    }
    if block.chars < SHORT_CHARS {
        return Class::Short;
    }
    let sentence = has_sentence(&block.text);
    if block.chars >= LONG_CHARS && sentence {
        Class::Good
    } else if sentence || block.chars >= LONG_CHARS {
        Class::NearGood
    } else {
        Class::Bad
    }
}

/// The class of the nearest paragraph in `order` that is neither short nor,
/// when `skip_near_good`, near-good; the page edges count as bad.
fn neighbour(classes: &[Class], order: impl Iterator<Item = usize>, skip_near_good: bool) -> Class {
    for index in order {
        match classes[index] {
            Class::Short => continue,
            Class::NearGood if skip_near_good => continue,
            class => return class,
        }
    }
    Class::Bad
}

/// jusText's context pass: which paragraphs are story text. Returns one flag
/// per block and whether any paragraph was good on its own merits.
pub fn good_paragraphs(blocks: &[Block]) -> (Vec<bool>, bool) {
    let classes: Vec<Class> = blocks.iter().map(intrinsic_class).collect();
    let any_good = classes.contains(&Class::Good);
    let n = classes.len();
    let mut resolved = classes.clone();
    for i in 0..n {
        let before = || (0..i).rev();
        let after = || i + 1..n;
        resolved[i] = match classes[i] {
            Class::Short => {
                let prev = neighbour(&classes, before(), true);
                let next = neighbour(&classes, after(), true);
                match (prev, next) {
                    (Class::Good, Class::Good) => Class::Good,
                    (Class::Bad, Class::Bad) => Class::Bad,
                    _ => {
                        let prev_near = prev == Class::Bad
                            && neighbour(&classes, before(), false) == Class::NearGood;
                        let next_near = next == Class::Bad
                            && neighbour(&classes, after(), false) == Class::NearGood;
                        if prev_near || next_near {
                            Class::Good
                        } else {
                            Class::Bad
                        }
                    }
                }
            }
            Class::NearGood => {
                let prev = neighbour(&classes, before(), true);
                let next = neighbour(&classes, after(), true);
                if prev == Class::Bad && next == Class::Bad {
                    Class::Bad
                } else {
                    Class::Good
                }
            }
            class => class,
        };
    }
    (
        resolved.into_iter().map(|c| c == Class::Good).collect(),
        any_good,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str, link_chars: usize) -> Block {
        let chars = content::text_weight(text);
        Block {
            owner: 0,
            text: text.to_string(),
            chars,
            link_chars,
            words: content::count_words(text),
            line_links: vec![link_chars],
            line_alone: vec![true],
            line_joined: vec![false],
        }
    }

    const LONG: &str = "The delegations met for three hours in the old town hall and agreed to meet again before the summer, officials said on Tuesday after the talks had ended. Both sides called the meeting useful and open, and said the next round would follow soon.";

    #[test]
    fn short_line_between_good_paragraphs_is_kept_and_menus_are_not() {
        let blocks = vec![
            block("Home News Sport Weather Contact", 31),
            block(LONG, 0),
            block("He declined to comment.", 0),
            block(LONG, 0),
            block("Copyright 2009", 0),
            block("About us Privacy Terms Archive Login", 36),
        ];
        let (good, any_good) = good_paragraphs(&blocks);
        assert!(any_good);
        assert_eq!(good, vec![false, true, true, true, false, false]);
    }

    #[test]
    fn a_page_of_links_and_labels_has_no_good_paragraph() {
        let blocks = vec![
            block("Home News Sport", 15),
            block("Log in to read this page", 0),
        ];
        let (good, any_good) = good_paragraphs(&blocks);
        assert!(!any_good);
        assert!(good.iter().all(|g| !g));
    }

    #[test]
    fn danda_and_urdu_full_stop_end_sentences() {
        let hindi = "विदेश मंत्रियों ने मंगलवार को पुराने टाउन हॉल में मुलाकात की और व्यापार तथा सीमा पर बातचीत की। अधिकारियों ने कहा कि संयुक्त बयान जल्द ही जारी किया जाएगा।";
        assert!(has_sentence(hindi));
        assert!(has_sentence(
            "حکام نے کہا کہ مشترکہ بیان جلد جاری کیا جائے گا۔"
        ));
        assert!(!has_sentence("Home News Sport"));
        let paragraph = format!("{hindi} {hindi}");
        let (good, any_good) = good_paragraphs(&[block(&paragraph, 0)]);
        assert!(any_good);
        assert_eq!(good, vec![true]);
    }

    #[test]
    fn menu_lines_go_and_linked_sentences_stay() {
        let menu = "Home | World | Sport | Contact";
        let sentence = "Read the full statement on the ministry site";
        let text = format!("{menu}\n{LONG}\n{sentence}");
        let cell = Block {
            owner: 0,
            chars: content::text_weight(&text),
            link_chars: content::text_weight(menu) - 3 + content::text_weight(sentence),
            words: content::count_words(&text),
            line_links: vec![
                content::text_weight(menu) - 3,
                0,
                content::text_weight(sentence),
            ],
            line_alone: vec![false; 3],
            line_joined: vec![false; 3],
            text,
        };
        assert_eq!(link_light_lines(&cell), vec![LONG, sentence]);
    }

    #[test]
    fn a_linked_line_standing_as_its_own_paragraph_goes() {
        let teaser = "Read also: Talks on the border resume in the spring";
        let text = format!("{LONG}\n{teaser}\n{LONG}");
        let links = content::text_weight(teaser) - 9;
        let cell = Block {
            owner: 0,
            chars: content::text_weight(&text),
            link_chars: links,
            words: content::count_words(&text),
            line_links: vec![0, links, 0],
            line_alone: vec![true; 3],
            line_joined: vec![false; 3],
            text,
        };
        assert_eq!(link_light_lines(&cell), vec![LONG, LONG]);
    }

    #[test]
    fn refine_splits_a_cell_at_its_link_lines() {
        let text = format!("Home\nWorld\n{LONG}\n{LONG}\nNext story");
        let cell = Block {
            owner: 0,
            chars: content::text_weight(&text),
            link_chars: 4 + 5 + 9,
            words: content::count_words(&text),
            line_links: vec![4, 5, 0, 0, 9],
            line_alone: vec![false; 5],
            line_joined: vec![false; 5],
            text,
        };
        let refined = refine(&[cell], &[false]);
        let texts: Vec<&str> = refined.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            vec!["Home", "World", &format!("{LONG}\n{LONG}"), "Next story"]
        );
        assert_eq!(refined[2].link_chars, 0);
    }
}

//! Extraction development set: pages the extractor was not written against.
//!
//! ```text
//! cargo run --release --example extract_devset -- [--corpus DIR] [--split tune|test|all]
//!     [--worst N] [--show PAGE_ID [--html]] [--misses] [--dump FILE]
//!     [--variant original|old-layout|old-layout-bare|old-tables]
//! ```
//! Three parts under `tests/corpus/extract/` (sources and licences in its
//! SOURCES.md), each split by site into `tune` and `test`:
//! - `readability`: mozilla/readability's test pages; the expected text is
//!   readability's own output, scored with the benchmark's shingle F1
//!   ([`attache::extract::eval`]) on the longest story of the page;
//! - `newspaper`: news pages of 2013-2015 from newspaper's full-text
//!   fixtures; the expected text is newspaper's output as its maintainers
//!   accepted it, scored the same way;
//! - `trafilatura`: trafilatura's evaluation pages with snippets that must
//!   (`with`) and must not (`without`) appear in the body; scored as
//!   trafilatura's evaluation does (snippet precision, recall, F1).
//!
//! All count empty answers (`no_article` or no text). Dates and titles are
//! checked where the part records them. `--worst` lists the lowest pages, for
//! the tune split only: the test split is looked at through its totals.
//! `--misses` prints, per tune page of the trafilatura part, the snippets
//! the body lacks and the boilerplate snippets it holds. `--show ID --html`
//! prints a tune page's markup as scored (after `--variant`). `--dump FILE`
//! writes one JSON line per tune page (id, longest body, truth), to try a
//! rule on the bodies without a rebuild.
//!
//! `--variant old-layout` scores every page after [`old_layout::strip`] has
//! rewritten it the way pages of the 2000s were built: no JSON-LD, no
//! `og:`/`twitter:`/`article:` meta, no microdata, no HTML5 sectioning
//! elements, `<p>` turned into `<br><br>` runs, headings into `<font><b>`, the
//! body wrapped in a layout `<table><td><font>`. `old-layout-bare` also drops
//! every `class` and `id`; `old-tables` also turns every `<div>` into a
//! one-cell layout table and every list into `<br>` lines. The text and so the truth stay the same; what
//! changes is the markup the structured path relies on.
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use attache::config::ExtractConfig;
use attache::extract::eval::{score_corpus, score_page};
use attache::extract::{extract_articles, Article, PageInfo};

struct Page {
    id: String,
    url: String,
    split: String,
    html: String,
    truth: serde_json::Value,
}

fn load_part(dir: &Path) -> Result<Vec<Page>> {
    let truth_path = dir.join("truth.json");
    let truth: BTreeMap<String, serde_json::Value> = serde_json::from_slice(
        &std::fs::read(&truth_path).with_context(|| format!("reading {}", truth_path.display()))?,
    )?;
    let mut pages = Vec::new();
    for (id, entry) in truth {
        let path = dir.join("pages").join(format!("{id}.html.gz"));
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(
            std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?,
        )
        .read_to_end(&mut bytes)
        .with_context(|| format!("gunzipping {}", path.display()))?;
        // As the worker does: no HTTP header here, so BOM, <meta>, then the bytes decide.
        let (html, _) = attache::fetch::decode_body(&bytes, None);
        let url = entry["url"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| format!("https://{}/{id}", entry["site"].as_str().unwrap_or("x")));
        pages.push(Page {
            id,
            url,
            split: entry["split"].as_str().unwrap_or("tune").to_string(),
            html,
            truth: entry,
        });
    }
    Ok(pages)
}

fn extract(page: &Page, config: &ExtractConfig) -> Vec<Article> {
    let info = PageInfo {
        source_url: &page.url,
        fetched_url: &page.url,
        published_hint: None,
    };
    extract_articles(&page.html, &info, config).unwrap_or_default()
}

/// The page's longest story (the rule the external scoring uses).
fn longest(articles: &[Article]) -> Option<&Article> {
    articles.iter().max_by_key(|a| a.text.len())
}

fn normalized(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn same_title(want: &str, got: Option<&str>) -> bool {
    got.is_some_and(|got| normalized(want).to_lowercase() == normalized(got).to_lowercase())
}

#[derive(Default)]
struct Tally {
    pages: usize,
    empty: usize,
    dates: usize,
    dates_right: usize,
    titles: usize,
    titles_right: usize,
    by_extractor: BTreeMap<String, usize>,
    empty_ids: Vec<String>,
}

impl Tally {
    fn count(&mut self, articles: &[Article], page: &Page) {
        self.pages += 1;
        match longest(articles) {
            Some(article) if !article.text.is_empty() => {
                let kind = serde_json::to_value(article.extractor)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                *self.by_extractor.entry(kind).or_default() += 1;
            }
            _ => {
                self.empty += 1;
                self.empty_ids.push(page.id.clone());
            }
        }
        if let Some(want) = page.truth["date"].as_str().filter(|d| d.len() >= 10) {
            self.dates += 1;
            let got = articles.first().and_then(|a| a.published.as_deref());
            self.dates_right += usize::from(got.and_then(|g| g.get(..10)) == want.get(..10));
        }
        if let Some(want) = page.truth["title"].as_str().filter(|t| !t.is_empty()) {
            self.titles += 1;
            let got = articles.first().and_then(|a| a.title.as_deref());
            self.titles_right += usize::from(same_title(want, got));
        }
    }

    fn extras(&self) -> String {
        let share = |right: usize, all: usize| {
            if all == 0 {
                "-".to_string()
            } else {
                format!("{:.3} ({right}/{all})", right as f64 / all as f64)
            }
        };
        format!(
            "empty {}/{}  dates {}  titles {}  extractor {:?}",
            self.empty,
            self.pages,
            share(self.dates_right, self.dates),
            share(self.titles_right, self.titles),
            self.by_extractor
        )
    }
}

fn page_f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// Scores a part whose truth is a whole body (`expected`): the benchmark's
/// shingle F1 on the page's longest story.
fn run_expected(part: &str, pages: &[&Page], config: &ExtractConfig, worst: usize, split: &str) {
    let mut tally = Tally::default();
    let mut pairs = Vec::new();
    for page in pages {
        let articles = extract(page, config);
        tally.count(&articles, page);
        let text = longest(&articles)
            .map(|a| a.text.clone())
            .unwrap_or_default();
        pairs.push((
            page.truth["expected"].as_str().unwrap_or("").to_string(),
            text,
            page.id.as_str(),
        ));
    }
    let score = score_corpus(pairs.iter().map(|(w, g, _)| (w.as_str(), g.as_str())));
    println!(
        "{part:<11} {split:<5} pages {:>4}  P {:.4} R {:.4} F1 {:.4}  {}",
        score.pages,
        score.precision,
        score.recall,
        score.f1,
        tally.extras()
    );
    if worst > 0 && split == "tune" {
        println!("  empty: {:?}", tally.empty_ids);
        let mut ranked: Vec<(f64, &str)> = pairs
            .iter()
            .map(|(w, g, id)| {
                let s = score_page(w, g);
                (page_f1(s.precision(), s.recall()), *id)
            })
            .collect();
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (f1, id) in ranked.iter().take(worst) {
            println!("  {f1:.3} {id}");
        }
    }
}

/// Snippet counts for one page, as trafilatura's evaluation counts them.
fn snippet_counts(page: &Page, text: &str) -> (usize, usize, usize, usize) {
    let body = normalized(text);
    let (mut tp, mut fn_, mut fp, mut tn) = (0, 0, 0, 0);
    for snippet in page.truth["with"].as_array().into_iter().flatten() {
        let snippet = normalized(snippet.as_str().unwrap_or(""));
        if !body.is_empty() && body.contains(&snippet) {
            tp += 1;
        } else {
            fn_ += 1;
        }
    }
    for snippet in page.truth["without"].as_array().into_iter().flatten() {
        let snippet = normalized(snippet.as_str().unwrap_or(""));
        if !body.is_empty() && body.contains(&snippet) {
            fp += 1;
        } else {
            tn += 1;
        }
    }
    (tp, fn_, fp, tn)
}

fn run_trafilatura(pages: &[&Page], config: &ExtractConfig, worst: usize, split: &str) {
    let mut tally = Tally::default();
    let (mut tp, mut fn_, mut fp, mut tn) = (0, 0, 0, 0);
    let mut ranked: Vec<(usize, usize, &str)> = Vec::new();
    for page in pages {
        let articles = extract(page, config);
        tally.count(&articles, page);
        let text = longest(&articles).map(|a| a.text.as_str()).unwrap_or("");
        let (a, b, c, d) = snippet_counts(page, text);
        tp += a;
        fn_ += b;
        fp += c;
        tn += d;
        ranked.push((b + c, a + d, page.id.as_str()));
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    let accuracy = (tp + tn) as f64 / (tp + tn + fp + fn_).max(1) as f64;
    println!(
        "trafilatura {split:<5} pages {:>4}  P {precision:.4} R {recall:.4} F1 {:.4} acc {accuracy:.4}  {}",
        pages.len(),
        page_f1(precision, recall),
        tally.extras()
    );
    if worst > 0 && split == "tune" {
        println!("  empty: {:?}", tally.empty_ids);
        ranked.sort_by_key(|r| std::cmp::Reverse(r.0));
        for (wrong, right, id) in ranked.iter().take(worst) {
            println!("  wrong {wrong} right {right} {id}");
        }
    }
}

/// `--misses`: for each tune page of the trafilatura part, the `with`
/// snippets the body lacks (`-`) and the `without` snippets it holds (`+`).
fn print_misses(pages: &[&Page], config: &ExtractConfig) {
    for page in pages {
        let articles = extract(page, config);
        let article = longest(&articles);
        let body = normalized(article.map(|a| a.text.as_str()).unwrap_or(""));
        let found = |s: &str| !body.is_empty() && body.contains(&normalized(s));
        let snippets = |key: &str| -> Vec<String> {
            page.truth[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        };
        let lacks: Vec<String> = snippets("with").into_iter().filter(|s| !found(s)).collect();
        let holds: Vec<String> = snippets("without")
            .into_iter()
            .filter(|s| found(s))
            .collect();
        if lacks.is_empty() && holds.is_empty() {
            continue;
        }
        let kind = article
            .map(|a| format!("{:?}", a.extractor))
            .unwrap_or_default();
        println!(
            "{} {} {kind} words={}",
            page.id,
            page.url,
            body.split(' ').count()
        );
        lacks.iter().for_each(|s| println!("  - {s}"));
        holds.iter().for_each(|s| println!("  + {s}"));
    }
}

/// `--dump FILE`: one JSON line per tune page (id, part, longest body, truth),
/// for looking at the tune split's bodies with other tools.
fn dump_tune<'p>(
    path: &Path,
    pages: impl Iterator<Item = &'p Page>,
    config: &ExtractConfig,
) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for page in pages.filter(|p| p.split == "tune") {
        let articles = extract(page, config);
        let text = longest(&articles).map(|a| a.text.as_str()).unwrap_or("");
        let line = serde_json::json!({"id": page.id, "text": text, "truth": page.truth});
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Which markup the pages are scored with (`--variant`).
#[derive(Clone, Copy)]
enum Variant {
    Original,
    OldLayout,
    OldLayoutBare,
    OldTables,
}

impl Variant {
    fn apply(self, mut pages: Vec<Page>) -> Vec<Page> {
        let level = match self {
            Variant::Original => return pages,
            Variant::OldLayout => old_layout::Level::Semantic,
            Variant::OldLayoutBare => old_layout::Level::Bare,
            Variant::OldTables => old_layout::Level::Tables,
        };
        for page in &mut pages {
            page.html = old_layout::strip(&page.html, level);
        }
        pages
    }
}

fn of_split<'p>(pages: &'p [Page], split: &str) -> Vec<&'p Page> {
    pages.iter().filter(|p| p.split == split).collect()
}

fn main() -> Result<()> {
    let mut corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/extract");
    let mut splits = vec!["tune".to_string(), "test".to_string()];
    let mut worst = 0usize;
    let mut show: Option<String> = None;
    let mut show_html = false;
    let mut misses = false;
    let mut dump: Option<PathBuf> = None;
    let mut variant = Variant::Original;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--corpus" => corpus = args.next().context("--corpus needs a value")?.into(),
            "--split" => {
                let split = args.next().context("--split needs a value")?;
                splits = match split.as_str() {
                    "all" => vec!["tune".into(), "test".into()],
                    "tune" | "test" => vec![split],
                    other => bail!("unknown split {other}"),
                };
            }
            "--worst" => worst = args.next().context("--worst needs a value")?.parse()?,
            "--show" => show = Some(args.next().context("--show needs a page id")?),
            "--misses" => misses = true,
            "--dump" => dump = Some(args.next().context("--dump needs a file")?.into()),
            "--html" => show_html = true,
            "--variant" => {
                variant = match args.next().context("--variant needs a value")?.as_str() {
                    "original" => Variant::Original,
                    "old-layout" => Variant::OldLayout,
                    "old-layout-bare" => Variant::OldLayoutBare,
                    "old-tables" => Variant::OldTables,
                    other => bail!("unknown variant {other}"),
                }
            }
            other => bail!("unknown argument {other}"),
        }
    }
    let config = ExtractConfig::default();
    let readability = variant.apply(load_part(&corpus.join("readability"))?);
    let trafilatura = variant.apply(load_part(&corpus.join("trafilatura"))?);
    let newspaper = variant.apply(load_part(&corpus.join("newspaper"))?);
    if let Some(id) = show {
        for page in readability
            .iter()
            .chain(&trafilatura)
            .chain(&newspaper)
            .filter(|p| p.id == id)
        {
            if page.split != "tune" {
                bail!("{id} is in the test split: look at its totals only");
            }
            if show_html {
                println!("{}", page.html);
                continue;
            }
            println!("{} {}\n{:#?}", page.id, page.url, extract(page, &config));
            println!("truth: {:#}", page.truth);
        }
        return Ok(());
    }
    if let Some(path) = dump {
        return dump_tune(
            &path,
            readability.iter().chain(&trafilatura).chain(&newspaper),
            &config,
        );
    }
    if misses {
        print_misses(&of_split(&trafilatura, "tune"), &config);
        return Ok(());
    }
    for split in &splits {
        run_expected(
            "readability",
            &of_split(&readability, split),
            &config,
            worst,
            split,
        );
        run_trafilatura(&of_split(&trafilatura, split), &config, worst, split);
        run_expected(
            "newspaper",
            &of_split(&newspaper, split),
            &config,
            worst,
            split,
        );
    }
    Ok(())
}

/// A synthetic old-layout variant of a page (see the module docs). String
/// rewriting, not a parser: the extractor under test must not be the tool
/// that builds its own test input.
mod old_layout {
    use once_cell::sync::Lazy;
    use regex::{Regex, RegexBuilder};

    fn rx(pattern: &str) -> Regex {
        RegexBuilder::new(pattern)
            .case_insensitive(true)
            .dot_matches_new_line(true)
            .build()
            .expect("static regex")
    }

    static JSON_LD: Lazy<Regex> =
        Lazy::new(|| rx(r#"<script[^>]*application/ld\+json[^>]*>.*?</script\s*>"#));
    /// Every `<meta>` but the charset declarations.
    static META: Lazy<Regex> = Lazy::new(|| rx(r#"<meta\b[^>]*>"#));
    static MICRODATA: Lazy<Regex> = Lazy::new(|| {
        rx(
            r#"\s(?:(?:itemprop|itemtype|itemid|role|property|typeof|datetime)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)|itemscope(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)"#,
        )
    });
    static SECTIONING: Lazy<Regex> = Lazy::new(|| {
        rx(r"<(/?)(?:article|main|section|header|footer|nav|aside|figure|figcaption)\b")
    });
    static TIME: Lazy<Regex> = Lazy::new(|| rx(r"<(/?)time\b"));
    static P_OPEN: Lazy<Regex> = Lazy::new(|| rx(r"<p\b[^>]*>"));
    static P_CLOSE: Lazy<Regex> = Lazy::new(|| rx(r"</p\s*>"));
    static H_OPEN: Lazy<Regex> = Lazy::new(|| rx(r"<h[1-6]\b[^>]*>"));
    static H_CLOSE: Lazy<Regex> = Lazy::new(|| rx(r"</h[1-6]\s*>"));
    static BODY_OPEN: Lazy<Regex> = Lazy::new(|| rx(r"<body\b[^>]*>"));
    static BODY_CLOSE: Lazy<Regex> = Lazy::new(|| rx(r"</body\s*>"));
    static DIV_OPEN: Lazy<Regex> = Lazy::new(|| rx(r"<div\b[^>]*>"));
    static DIV_CLOSE: Lazy<Regex> = Lazy::new(|| rx(r"</div\s*>"));
    static LIST_OPEN: Lazy<Regex> = Lazy::new(|| rx(r"<(?:ul|ol)\b[^>]*>"));
    static LIST_CLOSE: Lazy<Regex> = Lazy::new(|| rx(r"</(?:ul|ol)\s*>"));
    static LI_OPEN: Lazy<Regex> = Lazy::new(|| rx(r"<li\b[^>]*>"));
    static LI_CLOSE: Lazy<Regex> = Lazy::new(|| rx(r"</li\s*>"));
    static CLASS_ID: Lazy<Regex> =
        Lazy::new(|| rx(r#"\s(?:class|id)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)"#));

    const WRAP_OPEN: &str =
        "<table width=\"760\" border=\"0\" cellpadding=\"4\"><tr><td valign=\"top\"><font face=\"Verdana, Arial\" size=\"2\">";
    const WRAP_CLOSE: &str = "</font></td></tr></table>";

    /// How far [`strip`] goes.
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    pub enum Level {
        /// Semantic markup and `<p>` gone, body in a layout table.
        Semantic,
        /// Also every `class` and `id`.
        Bare,
        /// Also every `<div>` turned into a one-cell layout table and every
        /// list into `<br>`-separated lines (menus of the 1990s and 2000s).
        Tables,
    }

    pub fn strip(html: &str, level: Level) -> String {
        let bare = level >= Level::Bare;
        let html = JSON_LD.replace_all(html, "");
        let html = META.replace_all(&html, |c: &regex::Captures<'_>| {
            let tag = &c[0];
            if tag.to_ascii_lowercase().contains("charset") {
                tag.to_string()
            } else {
                String::new()
            }
        });
        let html = MICRODATA.replace_all(&html, "");
        let html = SECTIONING.replace_all(&html, "<${1}div");
        let html = TIME.replace_all(&html, "<${1}span");
        let html = P_OPEN.replace_all(&html, "");
        let html = P_CLOSE.replace_all(&html, "<br><br>\n");
        let html = H_OPEN.replace_all(&html, "<font size=\"4\"><b>");
        let html = H_CLOSE.replace_all(&html, "</b></font><br>\n");
        let html = if bare {
            CLASS_ID.replace_all(&html, "")
        } else {
            html
        };
        if !BODY_OPEN.is_match(&html) {
            return format!("{WRAP_OPEN}{html}{WRAP_CLOSE}");
        }
        let html = if level >= Level::Tables {
            let html = DIV_OPEN.replace_all(&html, "<table><tr><td>");
            let html = DIV_CLOSE.replace_all(&html, "</td></tr></table>");
            let html = LIST_OPEN.replace_all(&html, "");
            let html = LIST_CLOSE.replace_all(&html, "<br>");
            let html = LI_OPEN.replace_all(&html, "");
            LI_CLOSE.replace_all(&html, "<br>\n").into_owned().into()
        } else {
            html
        };
        let html = BODY_OPEN.replace(&html, |c: &regex::Captures<'_>| {
            format!("{}{WRAP_OPEN}", &c[0])
        });
        let wrapped = BODY_CLOSE.replace(&html, |c: &regex::Captures<'_>| {
            format!("{WRAP_CLOSE}{}", &c[0])
        });
        wrapped.into_owned()
    }
}

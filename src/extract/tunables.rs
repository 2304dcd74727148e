//! Every threshold of the extractor's fallback chain, named in one place.
//!
//! The structured path's own weights stay beside the code they weigh
//! (`content.rs`); these are the knobs of the paths that run when it finds no
//! story, and of the title and dateline heuristics shared by all paths.

/// Density path: the least body (words) it answers with. Lower than
/// `min_story_words` because it runs only where the structured path found
/// nothing, on pages that are often short old-style news items.
pub const DENSITY_MIN_WORDS: usize = 25;

/// Fallback paths: a `nav`/`header`/`footer`/`aside` holding less than this
/// share of the page's prose is boilerplate; more, and it is kept.
pub const REGION_MAX_PROSE_SHARE: f64 = 0.5;

/// A line of a multi-line block (lines split at `<br>`) whose link share is
/// above this is navigation: it splits the block for the fallback paths.
pub const LINE_MAX_LINK_DENSITY: f64 = 0.5;

/// This many link-heavy lines in a row inside one block are a menu, left out
/// of the body on every path.
pub const MENU_RUN_LINES: usize = 3;

/// A single link-heavy line with this many separators (`|`, `•`, `·`, `»`,
/// `›`) between its words is an inline menu, left out on every path.
pub const MENU_LINE_SEPARATORS: usize = 2;

/// Paragraph classifier (jusText's defaults, with sentence punctuation in
/// place of its per-language stop-word lists): below `SHORT_CHARS` a
/// paragraph is short and decided by its neighbours; at `LONG_CHARS` with a
/// sentence it is good on its own; between the two it is near-good. Counted
/// in non-space characters (jusText's 70 and 200 count spaces, about one
/// character in six of prose).
pub const SHORT_CHARS: usize = 60;
pub const LONG_CHARS: usize = 170;
/// Paragraphs with more link text than this share are boilerplate.
pub const PARAGRAPH_MAX_LINK_DENSITY: f64 = 0.2;
/// The paragraph path answers only with at least this many words.
pub const FALLBACK_MIN_WORDS: usize = 20;

/// Short dated items (a news brief under the other paths' minimums): the
/// least words of prose answered, on a dated page only.
pub const SHORT_ITEM_MIN_WORDS: usize = 8;

/// Text-mass last resort (pages without a sentence): the least link-free
/// words it answers with.
pub const MASS_MIN_WORDS: usize = 60;

/// A `<title>` part shorter than this (words) is taken for a site name when
/// the other part is the longest.
pub const TITLE_MIN_WORDS: usize = 3;

/// Datelines: how many blocks before the body's first block, and how many of
/// its first blocks, are read for a printed date; and the longest line (words)
/// that counts as a date line.
pub const DATELINE_BLOCKS_BEFORE: usize = 8;
pub const DATELINE_BLOCKS_INSIDE: usize = 3;
pub const DATELINE_MAX_WORDS: usize = 25;

/// Lead paragraphs between the headline and the body container: the most
/// blocks read between them (further apart, the headline is not the story's
/// own), how many prose blocks are taken as the lead, and the least size
/// (non-space characters) of one.
pub const LEAD_MAX_BLOCKS_BETWEEN: usize = 10;
pub const LEAD_MAX_PARAGRAPHS: usize = 2;
pub const LEAD_MIN_CHARS: usize = 60;
/// A lead holds at least this many sentences; one sentence under a headline
/// is a deck (subtitle), which news bodies leave out.
pub const LEAD_MIN_SENTENCES: usize = 2;

/// A line of at most this many words without sentence punctuation at its end
/// is read as a heading or label (dropped when nothing of the story follows
/// it before the next heading).
pub const HEADING_MAX_WORDS: usize = 6;

/// A link closed neither by `</a>` nor by the next `<a>` (so by its parent's
/// end or the page's) that runs over more words than this is an open tag
/// over the text (a byline or source link left open over an old page's
/// story), not link text. Menus left open stay links: each `<a>` ends the
/// one before it.
pub const UNCLOSED_LINK_MAX_WORDS: usize = 15;

/// Comment threads by shape (`threads.rs`): at least this many sibling items
/// of one tag, each with a dated header line of at most
/// `THREAD_HEADER_MAX_WORDS` words among its first `THREAD_HEADER_BLOCKS`
/// blocks, prose after it, and under `THREAD_ITEM_MAX_PROSE_SHARE` of the
/// page's prose (replies nested in it not counted); a run holding
/// `THREAD_MAX_PROSE_SHARE` of the page's prose or more is the page itself
/// (dated posts), not a thread. Old forums and news sites print threads
/// longer than their story, so the cap sits well above a half. Two items are
/// enough once the thread must follow the story (`THREAD_STORY_BEFORE_ITEMS`);
/// without that condition a story's dated author box and its body read as a
/// thread of two.
pub const THREAD_MIN_ITEMS: usize = 2;
pub const THREAD_HEADER_MAX_WORDS: usize = 12;
pub const THREAD_HEADER_BLOCKS: usize = 3;
pub const THREAD_ITEM_MAX_PROSE_SHARE: f64 = 0.25;
pub const THREAD_MAX_PROSE_SHARE: f64 = 0.8;
/// A thread follows its story: the prose before its first item is at least
/// this many times its largest item's.
pub const THREAD_STORY_BEFORE_ITEMS: f64 = 2.0;

/// The story's end (`tail.rs`): paragraphs are scored as a maximum-sum run,
/// a prose paragraph (a sentence mark and at least `STORY_PROSE_MIN_WORDS`
/// words) adding its weight (non-space characters), any other line taking
/// `STORY_GAP_WEIGHT` times its weight plus `STORY_GAP_LINE` away; the best
/// run is the story. After it, a paragraph of at most
/// `TAIL_BOILERPLATE_MAX_WORDS` words holding a word of
/// [`TAIL_BOILERPLATE_WORDS`] is the page's furniture (sign-up prose,
/// "Posted in / Tags" lines, comment and share labels), not the story.
/// Nothing is cut when the paragraphs after the run hold more words than
/// the run (hard-wrapped text, a long closing list: the run is not the
/// whole story); tried without that condition, readability tune -0.0011.
pub const STORY_PROSE_MIN_WORDS: usize = 8;
pub const STORY_GAP_WEIGHT: f64 = 2.0;
pub const STORY_GAP_LINE: f64 = 50.0;
pub const TAIL_BOILERPLATE_MAX_WORDS: usize = 40;
/// Generic words of page furniture (whole words, any case), English and
/// German (the languages of most development pages): sign-up, comment,
/// share, tag and category, advertising, privacy and copyright vocabulary.
/// Read only after the story's end, never inside it.
pub const TAIL_BOILERPLATE_WORDS: &[&str] = &[
    // English
    "newsletter",
    "newsletters",
    "subscribe",
    "subscriber",
    "subscribers",
    "subscription",
    "signup",
    "sign up",
    "signed up",
    "unsubscribe",
    "inbox",
    "email address",
    "e-mail address",
    "spam",
    "comment",
    "comments",
    "reply",
    "replies",
    "response",
    "responses",
    "posted in",
    "filed under",
    "tagged",
    "tag",
    "tags",
    "category",
    "categories",
    "share",
    "print",
    "related",
    "recommended",
    "follow us",
    "advertising",
    "advertisement",
    "advertisers",
    "affiliate",
    "cookie",
    "cookies",
    "privacy",
    "terms",
    "copyright",
    "all rights reserved",
    "login",
    "log in",
    "register",
    // German
    "kommentar",
    "kommentare",
    "kommentieren",
    "teilen",
    "abonnieren",
    "anmelden",
    "weitere",
];

/// Label lines (`tail.rs`): a paragraph of at most `LABEL_LINE_MAX_WORDS`
/// words that opens with one of [`LABEL_LINE_WORDS`] and a `:` or `|` is a
/// caption credit or a filing line ("Photo: ...", "Tags: ...", "Filed
/// under: ..."), dropped wherever it stands. Tried: trafilatura tune
/// +0.0002 (original) to +0.0013 (`old-tables`).
pub const LABEL_LINE_MAX_WORDS: usize = 12;
pub const LABEL_LINE_WORDS: &[&str] = &[
    "photo",
    "photos",
    "foto",
    "fotos",
    "image",
    "images",
    "bild",
    "picture",
    "credit",
    "credits",
    "source",
    "quelle",
    "posted in",
    "filed under",
    "tags",
    "tagged",
    "categories",
    "category",
    "share this",
    "share",
];

/// Teaser lists inside the story's container (`teasers.rs`): unlinked
/// groups of at most `TEASER_SUMMARY_MAX_LINES` lines and
/// `TEASER_SUMMARY_MAX_WORDS` words, each right after link-heavy lines and
/// followed by more of them or the body's end, are summaries; at least
/// `TEASER_MIN_ITEMS` in a row are a list, dropped with its links when it
/// closes the story. Tried 3 items: trafilatura tune -0.0007 (original)
/// to -0.0018 (`old-tables`), readability tune unchanged.
pub const TEASER_MIN_ITEMS: usize = 2;
pub const TEASER_SUMMARY_MAX_LINES: usize = 3;
pub const TEASER_SUMMARY_MAX_WORDS: usize = 40;

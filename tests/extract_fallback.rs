//! The fallback chain on old layouts: table layouts, `<br>`-separated text,
//! `<font>` runs, boilerplate-named wrappers, short items. Each page holds a
//! story that the structured path does not find; the record says which path
//! answered, and pages without prose still answer `no_article`.
use attache::config::ExtractConfig;
use attache::extract::{extract_articles, Article, ExtractError, Extractor, PageInfo};

const SENTENCES: [&str; 4] = [
    "The foreign ministers of the two countries met on Tuesday in the old town hall and talked for more than three hours about trade and the border.",
    "Officials said afterwards that a joint statement would follow once both governments had consulted their regional partners and the parliament.",
    "The talks were the first at this level since the crossings were closed last year, and both sides described them as frank but useful.",
    "A second round is planned for the spring, when working groups on energy and transport are due to report on their progress to the ministers.",
];

fn extract(html: &str) -> Result<Vec<Article>, ExtractError> {
    let page = PageInfo {
        source_url: "https://old.example.org/news/item.php?id=17",
        fetched_url: "https://old.example.org/news/item.php?id=17",
        published_hint: None,
    };
    extract_articles(html, &page, &ExtractConfig::default())
}

fn nav_links() -> String {
    (0..12)
        .map(|i| format!("<a href=\"/section{i}.html\">Section number {i}</a><br>"))
        .collect()
}

fn assert_has_story(article: &Article) {
    for sentence in SENTENCES {
        assert!(
            article.text.contains(sentence),
            "missing {sentence:?} in {:?}",
            article.text
        );
    }
    assert!(
        !article.text.contains("Section number"),
        "navigation in the body: {:?}",
        article.text
    );
}

#[test]
fn story_sharing_a_table_cell_with_the_navigation_keeps_only_the_story_lines() {
    // One <td> holds the menu lines and the story, split by <br> only.
    let html = format!(
        "<html><head><title>Ministers meet at the border - Old Gazette</title></head><body>\
         <table width=760><tr><td bgcolor=#eeeeee><font face=Arial size=2>{nav}<br>{body}</font></td></tr></table></body></html>",
        nav = nav_links(),
        body = SENTENCES.join("<br>\n"),
    );
    let articles = extract(&html).expect("a story");
    assert_eq!(articles.len(), 1);
    let article = &articles[0];
    assert_has_story(article);
    assert_eq!(
        article.title.as_deref(),
        Some("Ministers meet at the border")
    );
}

#[test]
fn wrapper_named_after_the_menu_does_not_hide_the_story() {
    let body: String = SENTENCES.iter().map(|s| format!("<p>{s}</p>")).collect();
    let html = format!(
        "<html><body><div id=\"menu-wrapper\"><div class=\"sidebar-layout\">{body}</div>\
         <ul><li><a href=/a>Archive</a></li><li><a href=/b>Contact</a></li></ul></div></body></html>"
    );
    let article = extract(&html).expect("a story").remove(0);
    assert_has_story(&article);
    assert_ne!(article.extractor, Extractor::Structured);
}

#[test]
fn short_news_item_in_font_runs_is_kept() {
    // About 35 words: below min_story_words, still a story.
    let html = format!(
        "<html><body><table><tr><td>{nav}</td><td><font size=3><b>Border talks</b></font><br><br>\
         <font size=2>{} {}</font></td></tr></table></body></html>",
        SENTENCES[0],
        "Both sides called them useful, officials said.",
        nav = nav_links(),
    );
    let article = extract(&html).expect("a short story").remove(0);
    assert!(article.text.contains(SENTENCES[0]), "{:?}", article.text);
    assert!(article.word_count < ExtractConfig::default().min_story_words);
    assert_ne!(article.extractor, Extractor::Structured);
}

#[test]
fn unclosed_header_around_the_page_does_not_hide_the_story() {
    let body: String = SENTENCES.iter().map(|s| format!("<p>{s}</p>")).collect();
    let html = format!(
        "<html><body><header id=branding><div><a href=/>Logo</a></div><div class=entry>{body}</div></body></html>"
    );
    let article = extract(&html).expect("a story").remove(0);
    assert_has_story(&article);
}

#[test]
fn results_table_without_sentences_is_answered_by_the_last_resort() {
    let rows: String = (0..30)
        .map(|i| {
            format!(
                "<tr><td>{i}.</td><td>Runner Name{i}, Club Town{i}</td><td>12,{i} sec</td></tr>"
            )
        })
        .collect();
    let html = format!(
        "<html><body><div>{nav}</div><table>{rows}</table></body></html>",
        nav = nav_links()
    );
    let article = extract(&html).expect("the table's text").remove(0);
    assert_eq!(article.extractor, Extractor::Fallback);
    assert!(article.text.contains("Runner Name7, Club Town7"));
    assert!(!article.text.contains("Section number"));
}

#[test]
fn story_hidden_until_a_script_runs_is_read_when_nothing_shown_holds_one() {
    // Old pages hide the whole body (or the story's tab) until a script shows it.
    let body = SENTENCES.join("<br><br>");
    for html in [
        format!(
            "<html><body style=\"display:none\"><table><tr><td>{nav}</td><td>{body}</td></tr></table></body></html>",
            nav = nav_links()
        ),
        format!(
            "<html><body>{nav}<div class=tab style=\"visibility: hidden\">{body}</div></body></html>",
            nav = nav_links()
        ),
    ] {
        let article = extract(&html).expect("the hidden story").remove(0);
        assert_has_story(&article);
        assert_eq!(article.extractor, Extractor::Density);
    }
}

#[test]
fn linked_teaser_paragraphs_between_br_paragraphs_are_left_out_and_linked_words_in_a_paragraph_stay(
) {
    // Paragraphs written as <br><br> runs; a "read also" link stands as a
    // paragraph of its own between them, as a link-heavy <p> would.
    let teaser = "<strong>Read also:&nbsp;<a href=\"/news/2\">Ministers of the region to meet again in the capital next month</a></strong>";
    let linked_sentence = format!(
        "{}<br>\n<a href=\"/statement\">The statement is published on the ministry's website in full today.</a>",
        SENTENCES[1]
    );
    let html = format!(
        "<html><body><table><tr><td>{nav}</td><td><font size=2>{s0}<br><br>\n{teaser}<br><br>\n{linked_sentence}<br><br>{s2}<br><br>{teaser}<br>\n<br>{s3}</font></td></tr></table></body></html>",
        nav = nav_links(),
        s0 = SENTENCES[0],
        s2 = SENTENCES[2],
        s3 = SENTENCES[3],
    );
    let article = extract(&html).expect("a story").remove(0);
    assert_has_story(&article);
    assert!(!article.text.contains("Read also"), "{:?}", article.text);
    assert!(
        !article.text.contains("capital next month"),
        "{:?}",
        article.text
    );
    assert!(
        article.text.contains("The statement is published"),
        "a linked line inside a paragraph stays: {:?}",
        article.text
    );
}

#[test]
fn newlines_of_the_source_join_as_spaces_and_pre_keeps_its_lines() {
    // A browser shows a newline inside a paragraph as a space: the sentence
    // stays one paragraph of the story text.
    let wrapped: Vec<String> = SENTENCES
        .iter()
        .map(|s| {
            let (head, tail) = s.split_at(s.find(" and ").expect("a break point"));
            format!("<p>{head}\n{}</p>", tail.trim_start())
        })
        .collect();
    let html = format!(
        "<html><body><div>{nav}</div><div>{}</div></body></html>",
        wrapped.concat(),
        nav = nav_links()
    );
    assert_one_paragraph_per_sentence(&html);
    // Inside <pre> the newlines are shown, so its lines stay apart.
    let pre = format!(
        "<html><body><div>{nav}</div><pre>{}</pre></body></html>",
        SENTENCES.join("\n\n"),
        nav = nav_links()
    );
    assert_one_paragraph_per_sentence(&pre);
}

fn assert_one_paragraph_per_sentence(html: &str) {
    let article = extract(html).expect("a story").remove(0);
    assert_has_story(&article);
    assert_eq!(
        article.text.split("\n\n").count(),
        SENTENCES.len(),
        "{:?}",
        article.text
    );
}

#[test]
fn story_inside_an_open_named_anchor_is_not_link_text() {
    // `<a name=...>` left open around the story: a target, not a link.
    let html = format!(
        "<HTML><BODY><TABLE><TR><TD>{nav}</TD><TD><A NAME=\"story\"><FONT SIZE=2>{body}</FONT></TD></TR></TABLE></BODY></HTML>",
        nav = nav_links(),
        body = SENTENCES.join("<BR><BR>"),
    );
    assert_has_story(&extract(&html).expect("the story in the anchor").remove(0));
    // Script menus of `<a>` without `href` or `name` are still links.
    let items: String = (0..30)
        .map(|i| format!("<li><a class=item onclick=\"go({i})\">Headline number {i} about the day's news in the region</a></li>"))
        .collect();
    let menu = format!("<html><body><ul>{items}</ul></body></html>");
    assert!(matches!(extract(&menu), Err(ExtractError::NoArticle)));
}

#[test]
fn story_under_a_link_left_open_is_read_and_menus_left_open_stay_links() {
    // The byline's link is never closed: the story is inside it.
    let open_byline = format!(
        "<html><body><table><tr><td>{nav}</td><td><div><a href=/author/7>By our correspondent <p>{}</p></div></td></tr></table></body></html>",
        SENTENCES.join("</p><p>"),
        nav = nav_links(),
    );
    assert_has_story(
        &extract(&open_byline)
            .expect("the story under the open link")
            .remove(0),
    );
    // A menu whose links are all left open, beside the story: each <a> ends
    // the one before, so the menu is still links and stays out.
    let menu: String = (0..12)
        .map(|i| format!("<a href=\"/section{i}.html\">Section number {i}<br>"))
        .collect();
    let html = format!(
        "<html><body><table><tr><td>{menu}</td><td>{}</td></tr></table></body></html>",
        SENTENCES.join("<br><br>")
    );
    assert_has_story(
        &extract(&html)
            .expect("the story beside an open menu")
            .remove(0),
    );
}

#[test]
fn story_printed_only_for_browsers_without_scripts_is_read() {
    let html = format!(
        "<html><body>{nav}<div id=app></div><noscript><div>{body}</div></noscript></body></html>",
        nav = nav_links(),
        body = SENTENCES.join("<br><br>"),
    );
    assert_has_story(&extract(&html).expect("the noscript story").remove(0));
    // A script-only page's short notice is still no story.
    let notice = format!(
        "<html><body>{nav}<div id=app></div><noscript>You need to enable JavaScript to run this app.</noscript></body></html>",
        nav = nav_links()
    );
    assert!(matches!(extract(&notice), Err(ExtractError::NoArticle)));
}

#[test]
fn shown_story_wins_over_hidden_text_and_hidden_banners_stay_out() {
    let shown = SENTENCES[..2].join(" ");
    let hidden = SENTENCES[2..].join(" ");
    let html = format!(
        "<html><body>{nav}<div><p>{shown}</p><p>{shown}</p></div><div style=display:none><p>{hidden}</p></div></body></html>",
        nav = nav_links()
    );
    let article = extract(&html).expect("a story").remove(0);
    assert!(article.text.contains(SENTENCES[0]));
    assert!(!article.text.contains(SENTENCES[2]), "{:?}", article.text);
    // A hidden cookie notice is not a story, revealed or not.
    let notice = format!(
        "<html><body>{nav}<div id=cookie-consent style=display:none><p>{}</p></div></body></html>",
        SENTENCES.join(" "),
        nav = nav_links()
    );
    assert!(matches!(extract(&notice), Err(ExtractError::NoArticle)));
}

#[test]
fn inline_menu_line_in_the_story_cell_is_left_out() {
    let menu: String = (0..8)
        .map(|i| format!("<a href=/s{i}>Section number {i}</a> | "))
        .collect();
    let html = format!(
        "<html><body><table><tr><td>{menu}<br>{body}<br>{menu}</td></tr></table></body></html>",
        body = SENTENCES.join("<br><br>")
    );
    let article = extract(&html).expect("a story").remove(0);
    assert_has_story(&article);
}

#[test]
fn sentences_in_devanagari_and_urdu_punctuation_count_as_prose() {
    let hindi = "विदेश मंत्रियों ने मंगलवार को पुराने टाउन हॉल में मुलाकात की और व्यापार तथा सीमा पर तीन घंटे से अधिक समय तक बातचीत की। अधिकारियों ने कहा कि संयुक्त बयान जल्द ही जारी किया जाएगा। दोनों पक्षों ने बातचीत को उपयोगी बताया।";
    let urdu = "وزرائے خارجہ نے منگل کو پرانے ٹاؤن ہال میں ملاقات کی اور تجارت اور سرحد پر تین گھنٹے سے زیادہ بات چیت کی۔ حکام نے کہا کہ مشترکہ بیان جلد جاری کیا جائے گا۔";
    for story in [hindi, urdu] {
        let html = format!(
            "<html><body><table><tr><td>{nav}</td><td>{story}<br><br>{story}</td></tr></table></body></html>",
            nav = nav_links()
        );
        let article = extract(&html).expect("a story").remove(0);
        assert!(article.text.contains(story), "{:?}", article.text);
        assert!(!article.text.contains("Section number"));
    }
}

#[test]
fn comment_form_and_copyright_line_without_class_names_stay_out() {
    // No class or id anywhere: the form is known by its text area, the
    // notice by its sign.
    let story: String = SENTENCES.iter().map(|s| format!("{s}<br><br>")).collect();
    let html = format!(
        "<html><body><table><tr><td>{nav}</td><td>{story}\
         <form action=/post><b>Leave a reply</b><br>Your e-mail address will not be published, and the fields marked with a star are required before the comment can be sent.<br>\
         <textarea name=c></textarea><input type=submit></form>\
         Old Gazette and its writers 2001-2009 &copy; all rights reserved<br></td></tr></table></body></html>",
        nav = nav_links(),
    );
    let article = extract(&html).expect("a story").remove(0);
    assert_has_story(&article);
    assert!(
        !article.text.contains("will not be published"),
        "{:?}",
        article.text
    );
    assert!(
        !article.text.contains("rights reserved"),
        "{:?}",
        article.text
    );
    // A page wrapped whole in a form (ASP.NET) keeps its story.
    let wrapped = format!(
        "<html><body><form id=aspnetForm><table><tr><td>{nav}</td><td>{story}<textarea name=q></textarea></td></tr></table></form></body></html>",
        nav = nav_links(),
    );
    assert_has_story(&extract(&wrapped).expect("a story").remove(0));
}

#[test]
fn pages_without_prose_still_have_no_article() {
    let login = "<html><body><h1>Members only</h1><form><label>User</label><input name=u>\
                 <label>Password</label><input type=password name=p><button>Log in</button></form>\
                 <p>Please log in to read this page.</p><p><a href=/register>Register</a></p></body></html>";
    let index = format!(
        "<html><body><table><tr><td>{}</td><td>{}</td></tr></table></body></html>",
        nav_links(),
        nav_links()
    );
    for html in [login, index.as_str(), "<html><body></body></html>", "   "] {
        assert!(
            matches!(extract(html), Err(ExtractError::NoArticle)),
            "{html}"
        );
    }
}

#[test]
fn dateline_and_title_tag_give_date_and_headline_without_metadata() {
    let body: String = SENTENCES.iter().map(|s| format!("{s}<br><br>")).collect();
    let html = format!(
        "<html><head><title>OLD GAZETTE :: Ministers meet at the border</title></head><body>\
         <table><tr><td>{nav}</td><td><b>Ministers meet at the border</b><br>Posted on March 3, 2009 by staff<br><br>{body}</td></tr></table></body></html>",
        nav = nav_links(),
    );
    let article = extract(&html).expect("a story").remove(0);
    assert_has_story(&article);
    assert_eq!(
        article.title.as_deref(),
        Some("Ministers meet at the border")
    );
    assert_eq!(article.published.as_deref(), Some("2009-03-03"));
}

#[test]
fn broken_markup_and_the_fuzz_seeds_never_panic() {
    let mut inputs: Vec<String> = [
        "<svg><title/><p>x",
        "<head><title>t",
        "<td><a>x<br><br><a>y<br>",
        "<table><tr><td><font><br></font></td></tr></table>",
        "<header><nav><header><p>Sentence one. Sentence two.</p>",
        "<br><br><br>",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let seeds =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/extract_articles");
    for entry in std::fs::read_dir(&seeds).expect("fuzz seeds") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("seed");
        inputs.push(attache::fetch::decode_body(&bytes, None).0);
    }
    for html in &inputs {
        if let Ok(articles) = extract(html) {
            assert!(articles.iter().all(|a| !a.text.is_empty()), "{html}");
        }
    }
}

fn extract_from(html: &str, url: &str) -> Result<Vec<Article>, ExtractError> {
    let page = PageInfo {
        source_url: url,
        fetched_url: url,
        published_hint: None,
    };
    extract_articles(html, &page, &ExtractConfig::default())
}

#[test]
fn story_wrapped_in_a_label_or_a_menu_is_read() {
    let body = SENTENCES.join("<br><br>");
    for wrapper in ["label", "menu", "LABEL"] {
        let html = format!(
            "<html><body><table><tr><td>{nav}</td><td><{wrapper}><font size=2>{body}</font></{wrapper}></td></tr></table></body></html>",
            nav = nav_links(),
        );
        let article = extract(&html).expect("a story").remove(0);
        assert_has_story(&article);
        assert_eq!(article.extractor, Extractor::Density, "{wrapper}");
    }
    // A form's labels stay labels where a story exists elsewhere.
    let story: String = SENTENCES.iter().map(|s| format!("<p>{s}</p>")).collect();
    let html = format!(
        "<html><body><div>{story}</div><form><label>Your e-mail address for our weekly letter</label><input name=e></form></body></html>"
    );
    let article = extract(&html).expect("a story").remove(0);
    assert_has_story(&article);
    assert!(
        !article.text.contains("weekly letter"),
        "{:?}",
        article.text
    );
}

#[test]
fn story_whose_only_container_is_named_after_comments_is_read() {
    let body: String = SENTENCES.iter().map(|s| format!("<p>{s}</p>")).collect();
    let html = format!(
        "<html><body><div id=nav>{nav}</div><div id=comments_area>{body}</div></body></html>",
        nav = nav_links(),
    );
    let article = extract(&html).expect("a story").remove(0);
    assert_has_story(&article);
    // Where the page has a story of its own, the comment thread stays out.
    let thread = "<p>I could not agree more with the minister, this was long overdue and everyone knew it.</p>".repeat(3);
    let html =
        format!("<html><body><div>{body}</div><div id=comments_area>{thread}</div></body></html>");
    let article = extract(&html).expect("a story").remove(0);
    assert_has_story(&article);
    assert!(!article.text.contains("agree more"), "{:?}", article.text);
}

#[test]
fn story_printed_for_browsers_without_frames_is_read() {
    let body: String = SENTENCES.iter().map(|s| format!("<p>{s}</p>")).collect();
    let frameset = format!(
        "<html><head><title>Ministers meet at the border</title></head><frameset cols=\"20%,80%\">\
         <frame src=menu.html><frame src=story.html><noframes><body>{nav}{body}</body></noframes></frameset></html>",
        nav = nav_links(),
    );
    let srcdoc = format!(
        "<html><body>{nav}<iframe srcdoc=\"{}\"></iframe></body></html>",
        body.replace('"', "&quot;"),
        nav = nav_links(),
    );
    let iframe_fallback = format!(
        "<html><body>{nav}<iframe src=story.html>{body}</iframe></body></html>",
        nav = nav_links()
    );
    for (i, html) in [frameset, srcdoc, iframe_fallback].into_iter().enumerate() {
        let article = extract(&html)
            .unwrap_or_else(|e| panic!("{i} {e}"))
            .remove(0);
        assert_has_story(&article);
    }
    // A frameset whose fallback only says so has no article.
    let notice = "<html><frameset cols=\"20%,80%\"><frame src=a.html><frame src=b.html>\
                  <noframes>Your browser does not support frames.</noframes></frameset></html>";
    assert!(matches!(extract(notice), Err(ExtractError::NoArticle)));
}

#[test]
fn short_dated_item_is_read_and_short_undated_notices_are_not() {
    let item = format!(
        "<html><body><table><tr><td>{nav}</td><td><b>Talks resume</b><br><br>\
         Border talks between the two ministers resume on Monday, officials said.</td></tr></table></body></html>",
        nav = nav_links(),
    );
    let article = extract_from(&item, "https://old.example.org/2009/03/03/talks.html")
        .expect("a short item")
        .remove(0);
    assert_eq!(
        article.text,
        "Border talks between the two ministers resume on Monday, officials said."
    );
    assert_eq!(article.extractor, Extractor::Fallback);
    assert_eq!(article.published.as_deref(), Some("2009-03-03"));
    // A printed date line dates the page as well as its URL does.
    let dateline = item.replace("<br><br>", "<br>March 3, 2009<br><br>");
    let article = extract(&dateline).expect("a short item").remove(0);
    assert!(
        article.text.starts_with("Border talks"),
        "{:?}",
        article.text
    );
    // Undated, the same length is an error page's or a notice's.
    assert!(matches!(extract(&item), Err(ExtractError::NoArticle)));
    let error = format!(
        "<html><body>{nav}<h1>Not found</h1><p>The page you requested could not be found on this server.</p></body></html>",
        nav = nav_links(),
    );
    assert!(matches!(extract(&error), Err(ExtractError::NoArticle)));
    // Dated but not a sentence (a heading and a link list) is no item either.
    let dated_index = format!(
        "<html><body><h1>Archive of March 2009</h1>{}</body></html>",
        nav_links()
    );
    assert!(matches!(
        extract_from(
            &dated_index,
            "https://old.example.org/2009/03/03/index.html"
        ),
        Err(ExtractError::NoArticle)
    ));
}

#[test]
fn comment_thread_without_class_names_stays_out_and_dated_posts_stay_in() {
    let story: String = SENTENCES.iter().map(|s| format!("<p>{s}</p>")).collect();
    let comment = |i: usize| {
        format!(
            "<li><div><img src=a{i}.png> <cite><a href=/u{i}>Reader {i}</a></cite> says:</div>\
             <div><a href=#c{i}>July 1{i}, 2011 at 12:25 pm</a></div>\
             I could not agree more with the minister, this was long overdue and everyone in town knew it.<br><br>\
             <div><a href=?reply={i}>Reply</a></div></li>"
        )
    };
    let thread: String = (1..=4).map(comment).collect();
    let html = format!(
        "<html><body><table><tr><td>{nav}</td><td><div><div>{story}</div><ol>{thread}</ol></div></td></tr></table></body></html>",
        nav = nav_links(),
    );
    let article = extract(&html).expect("a story").remove(0);
    assert_has_story(&article);
    assert!(!article.text.contains("agree more"), "{:?}", article.text);
    // A page made of dated posts keeps them: they hold its prose.
    let posts: String = SENTENCES
        .iter()
        .enumerate()
        .map(|(i, s)| format!("<div><div>March {}, 2009</div><p>{s} {s}</p></div>", i + 1))
        .collect();
    let html = format!("<html><body><div>{posts}</div></body></html>");
    let article = extract(&html).expect("the posts").remove(0);
    assert_has_story(&article);
}

#[test]
fn comment_thread_dated_by_age_longer_than_the_story_or_with_long_replies_stays_out() {
    let story: String = SENTENCES.iter().map(|s| format!("<p>{s}</p>")).collect();
    // Headers that print the comment's age instead of a date.
    let aged = |i: usize| {
        format!(
            "<li><div><b>Reader {i}</b> &bull; {i} weeks ago</div>\
             <div>I could not agree more with the minister, this was long overdue and everyone in town knew it.</div></li>"
        )
    };
    // Dated comments that together hold more prose than the story.
    let long = |i: usize| {
        format!(
            "<li><div><b>Reader {i}</b> wrote on July 1{i}, 2011 at 12:25 pm:</div>\
             <div>{}</div></li>",
            "I could not agree more with the minister, this was long overdue and everyone knew it. ".repeat(2)
        )
    };
    // A comment whose nested replies together outweigh half the story.
    let replied = |i: usize| {
        if i > 1 {
            return long(i);
        }
        let replies: String = (1..=3).map(long).collect();
        long(i).replace("</li>", &format!("<ul>{replies}</ul></li>"))
    };
    for item in [&aged as &dyn Fn(usize) -> String, &long, &replied] {
        let thread: String = (1..=6).map(item).collect();
        let html = format!(
            "<html><body><table><tr><td>{nav}</td><td><div><div>{story}</div><ul>{thread}</ul></div></td></tr></table></body></html>",
            nav = nav_links(),
        );
        let article = extract(&html).expect("a story").remove(0);
        assert_has_story(&article);
        assert!(!article.text.contains("agree more"), "{:?}", article.text);
    }
}

#[test]
fn bold_label_ending_the_body_goes_and_a_plain_sign_off_stays() {
    let body: String = SENTENCES.iter().map(|s| format!("<p>{s}</p>")).collect();
    let page = |tail: &str| {
        format!(
            "<html><body><div>{nav}</div><div>{body}<div>{tail}</div></div></body></html>",
            nav = nav_links(),
        )
    };
    let article = extract(&page("<font size=4><b>Post a Reply</b></font>"))
        .expect("a story")
        .remove(0);
    assert_has_story(&article);
    assert!(!article.text.contains("Post a Reply"), "{:?}", article.text);
    let article = extract(&page("Cheers, Tom")).expect("a story").remove(0);
    assert!(article.text.ends_with("Cheers, Tom"), "{:?}", article.text);
}

/// The story, then a box of three other stories (a linked headline over a
/// short summary each), all in one class-less wrapper.
fn story_then_teasers(teaser_box: &str) -> String {
    format!(
        "<html><head><title>Ministers meet at the border</title></head><body><div><div>{body}</div>{teaser_box}</div></body></html>",
        body = SENTENCES.map(|s| format!("<p>{s}</p>")).join(""),
    )
}

#[test]
fn a_box_of_linked_headlines_and_summaries_after_the_story_is_left_out() {
    let items: String = (1..=3)
        .map(|i| {
            format!(
                "<div><h3><a href=\"/other{i}.html\">Another headline number {i} here</a></h3>\
                 <p>A short summary of the other story number {i}, in one sentence.</p></div>"
            )
        })
        .collect();
    let html = story_then_teasers(&format!("<div><b>More news</b>{items}</div>"));
    let article = &extract(&html).expect("a story")[0];
    assert_has_story(article);
    assert!(
        !article.text.contains("short summary") && !article.text.contains("More news"),
        "teasers in the body: {:?}",
        article.text
    );
}

#[test]
fn the_same_box_written_as_br_lines_is_left_out_too() {
    let items: String = (1..=3)
        .map(|i| {
            format!(
                "<font><b><a href=\"/other{i}.html\">Another headline number {i} here</a></b></font><br>\
                 A short summary of the other story number {i}, in one sentence.<br><br>"
            )
        })
        .collect();
    let html = story_then_teasers(&format!("<div>{items}</div>"));
    let article = &extract(&html).expect("a story")[0];
    assert_has_story(article);
    assert!(
        !article.text.contains("short summary"),
        "{:?}",
        article.text
    );
}

#[test]
fn short_paragraphs_between_embedded_link_boxes_stay_in_the_story() {
    // A news story of one-line paragraphs with "read also" boxes between them.
    let boxed = |i: usize| {
        format!("<div><ul><li><h3><a href=\"/other{i}.html\">Another headline number {i} here</a></h3></li></ul></div>")
    };
    let short = [
        "The suspect was taken away by the police in the evening.",
        "Neighbours said they had heard shouting for an hour before that.",
        "The case goes to court next month, a spokesman said.",
    ];
    let html = format!(
        "<html><body><div><div>{body}{b1}<p>{s0}</p>{b2}<p>{s1}</p>{b3}<p>{s2}</p></div></div></body></html>",
        body = SENTENCES.map(|s| format!("<p>{s}</p>")).join(""),
        b1 = boxed(1),
        b2 = boxed(2),
        b3 = boxed(3),
        s0 = short[0],
        s1 = short[1],
        s2 = short[2],
    );
    let article = &extract(&html).expect("a story")[0];
    assert_has_story(article);
    for line in short {
        assert!(
            article.text.contains(line),
            "lost {line:?}: {:?}",
            article.text
        );
    }
}

#[test]
fn a_closing_list_of_items_and_their_printed_addresses_stays() {
    let items: String = (1..=3)
        .map(|i| {
            format!(
                "{i}) The collected edition number {i} on three discs<br>\
                 <a href=\"https://shop.example.com/item{i}\">https://shop.example.com/item{i}</a><br>"
            )
        })
        .collect();
    let html = story_then_teasers(&format!("<div>{items}</div>"));
    let article = &extract(&html).expect("a story")[0];
    assert_has_story(article);
    assert!(
        article.text.contains("The collected edition number 2"),
        "{:?}",
        article.text
    );
}

#[test]
fn a_label_over_a_list_of_links_in_one_cell_is_left_out() {
    let links: String = (1..=4)
        .map(|i| format!("<a href=\"/post{i}.html\">An older post title {i}</a><br>"))
        .collect();
    let html = story_then_teasers(&format!("<div><b>Similar posts</b><br>{links}</div>"));
    let article = &extract(&html).expect("a story")[0];
    assert_has_story(article);
    assert!(
        !article.text.contains("Similar posts"),
        "{:?}",
        article.text
    );
}

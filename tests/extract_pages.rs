//! Extraction behaviour on small pages: encodings, dates, pages without a
//! story, and boilerplate removal.
use attache::config::ExtractConfig;
use attache::extract::{extract_articles, Article, ExtractError, PageInfo};
use attache::Classified;

const PROSE: [&str; 3] = [
    "The two delegations met for more than three hours and discussed trade, energy security and the reopening of border crossings that were closed last year.",
    "Officials said a joint statement would follow after consultations with regional partners, and that working groups would meet again before the summer.",
    "Analysts described the talks as constructive, noting that both sides had avoided the public disputes that marked their previous meeting in the capital.",
];

fn prose() -> String {
    PROSE
        .iter()
        .map(|p| format!("<p>{p}</p>"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn extract_at(html: &str, url: &str) -> Result<Vec<Article>, ExtractError> {
    let page = PageInfo {
        source_url: url,
        fetched_url: url,
        published_hint: None,
    };
    extract_articles(html, &page, &ExtractConfig::default())
}

fn extract(html: &str) -> Result<Vec<Article>, ExtractError> {
    extract_at(html, "https://news.example.com/world/talks")
}

fn main_story(html: &str) -> Article {
    extract(html).expect("a story").remove(0)
}

#[test]
fn windows_1252_page_keeps_accented_names() {
    let bytes: &[u8] = include_bytes!("fixtures/extract/windows-1252.html");
    // 0xE9 is "é" in windows-1252 and never a valid UTF-8 byte on its own.
    assert!(bytes.contains(&0xE9), "fixture must really be windows-1252");
    let (html, _, had_errors) = encoding_rs::WINDOWS_1252.decode(bytes);
    assert!(!had_errors);
    let article = main_story(&html);
    for name in [
        "José Álvarez",
        "François Lefèvre",
        "Zoë Müller",
        "Hélène Dubœuf",
        "Genève",
    ] {
        assert!(
            article.text.contains(name),
            "missing {name:?} in {:?}",
            article.text
        );
    }
    assert_eq!(
        article.title.as_deref(),
        Some("Rencontre à Genève entre les ministres")
    );
    assert_eq!(article.language.as_deref(), Some("fr"));
    assert_eq!(article.published.as_deref(), Some("2018-02-27"));
    assert!(!article.text.contains("Accueil"));
    assert!(!article.text.contains("Mardi 27 février 2018"));
}

#[test]
fn json_ld_date_inside_graph() {
    let html = format!(
        r#"<html><head><script type="application/ld+json">
        {{"@context":"https://schema.org","@graph":[{{"@type":"WebSite","name":"X"}},
          {{"@type":["ReportageNewsArticle"],"headline":"Talks resume","datePublished":"2024-03-28T08:30:00+02:00",
            "dateModified":"2024-03-28T10:00:00+02:00","author":[{{"@type":"Person","name":"Ana Lima"}},{{"@type":"Person","name":"Bo Chen"}}],
            "publisher":{{"@type":"Organization","name":"Example News"}},"articleSection":"World"}}]}}
        </script></head><body><article>{}</article></body></html>"#,
        prose()
    );
    let article = main_story(&html);
    assert_eq!(
        article.published.as_deref(),
        Some("2024-03-28T08:30:00+02:00")
    );
    assert_eq!(
        article.modified.as_deref(),
        Some("2024-03-28T10:00:00+02:00")
    );
    assert_eq!(
        article.authors,
        vec!["Ana Lima".to_string(), "Bo Chen".to_string()]
    );
    assert_eq!(article.title.as_deref(), Some("Talks resume"));
    assert_eq!(article.site_name.as_deref(), Some("Example News"));
    assert_eq!(article.section.as_deref(), Some("World"));
}

#[test]
fn json_ld_live_blog_in_an_array() {
    let html = format!(
        r#"<html><head><script type="application/ld+json">
        [{{"@type":"BreadcrumbList"}},{{"@type":"LiveBlogPosting","datePublished":"2023-06-20T18:05:00Z"}}]
        </script></head><body><main>{}</main></body></html>"#,
        prose()
    );
    assert_eq!(
        main_story(&html).published.as_deref(),
        Some("2023-06-20T18:05:00+00:00")
    );
}

#[test]
fn meta_dates_are_read_and_published_wins_over_modified() {
    let html = format!(
        r#"<html><head><meta property="article:modified_time" content="2024-05-02T10:00:00Z">
        <meta itemprop="datePublished" content="2024-05-01"></head><body><article>{}</article></body></html>"#,
        prose()
    );
    let article = main_story(&html);
    assert_eq!(article.published.as_deref(), Some("2024-05-01"));
    assert_eq!(
        article.modified.as_deref(),
        Some("2024-05-02T10:00:00+00:00")
    );
}

#[test]
fn visible_date_lines_in_several_formats_and_languages() {
    let cases = [
        ("2025-05-26 21:22", "2025-05-26T21:22:00"),
        ("March 3, 2024", "2024-03-03"),
        ("3 March 2024", "2024-03-03"),
        ("28/03/2024", "2024-03-28"),
        ("Mardi 27 février 2018", "2018-02-27"),
        ("20.06.2023, 18:05 Uhr", "2023-06-20T18:05:00"),
        ("Publicado el 3 de marzo de 2024", "2024-03-03"),
    ];
    for (line, want) in cases {
        let html = format!(
            r#"<html><body><article><h1>Talks</h1><div class="article-date">{line}</div>{}</article></body></html>"#,
            prose()
        );
        let article = main_story(&html);
        assert_eq!(article.published.as_deref(), Some(want), "{line}");
        assert!(
            !article.text.contains(line),
            "date line leaked into body: {line}"
        );
    }
}

#[test]
fn time_element_datetime_is_used() {
    let html = format!(
        r#"<html><body><article><h1>Talks</h1><time datetime="2022-11-05T07:00:00-05:00">Nov 5</time>{}</article></body></html>"#,
        prose()
    );
    assert_eq!(
        main_story(&html).published.as_deref(),
        Some("2022-11-05T07:00:00-05:00")
    );
}

#[test]
fn url_date_is_the_last_fallback() {
    let html = format!(
        "<html><body><article><h1>Talks</h1>{}</article></body></html>",
        prose()
    );
    let articles =
        extract_at(&html, "https://news.example.com/2021/09/14/talks-resume").expect("story");
    assert_eq!(articles[0].published.as_deref(), Some("2021-09-14"));
    let undated = extract_at(&html, "https://news.example.com/world/talks-resume").expect("story");
    assert_eq!(undated[0].published, None);
}

#[test]
fn phone_number_is_not_a_date() {
    let html = format!(
        r#"<html><body><article><h1>Talks</h1><div class="meta">Newsroom: +49 30 2024 1103, fax 030-12-2024</div>{}</article></body></html>"#,
        prose()
    );
    assert_eq!(main_story(&html).published, None);
}

#[test]
fn sidebar_and_comment_dates_do_not_win() {
    let html = format!(
        r#"<html><body>
        <aside class="sidebar"><time datetime="2019-01-01T00:00:00Z">Jan 1</time><div class="date">1 January 2019</div></aside>
        <article><h1>Talks</h1>{}
        <section class="comments"><div class="comment-date">2 February 2020</div><p>Nice article, thank you for writing it up.</p></section>
        </article>
        <div class="related"><span class="date">March 5, 2018</span></div>
        </body></html>"#,
        prose()
    );
    assert_eq!(main_story(&html).published, None);
    let with_own = html.replace(
        "<h1>Talks</h1>",
        r#"<h1>Talks</h1><p class="dateline">3 March 2024</p>"#,
    );
    assert_eq!(
        main_story(&with_own).published.as_deref(),
        Some("2024-03-03")
    );
}

#[test]
fn index_page_has_no_article() {
    let items: String = (0..30)
        .map(|i| format!(r#"<li><a href="/story-{i}">Headline number {i} about the day's news in the region</a></li>"#))
        .collect();
    let html = format!("<html><body><nav><a href='/'>Home</a></nav><h1>World news</h1><ul>{items}</ul></body></html>");
    let err = extract(&html).expect_err("index pages have no story");
    assert!(matches!(err, ExtractError::NoArticle));
    assert_eq!(err.kind(), "no_article");
    assert_eq!(err.stage(), "extract");
}

#[test]
fn error_page_has_no_article() {
    let html = r#"<html><head><title>404 Not Found</title></head><body><header><nav><a href="/">Home</a></nav></header>
        <h1>Page not found</h1><p>Sorry, the page you requested could not be found.</p>
        <p><a href="/">Go back to the homepage</a></p><footer>© News</footer></body></html>"#;
    assert!(matches!(extract(html), Err(ExtractError::NoArticle)));
    assert!(matches!(extract(""), Err(ExtractError::NoArticle)));
    assert!(matches!(
        extract("not html at all"),
        Err(ExtractError::NoArticle)
    ));
}

#[test]
fn boilerplate_is_removed() {
    let html = include_str!("fixtures/extract/boilerplate.html");
    let articles = extract_at(html, "https://ledger.example/world/treaty").expect("story");
    assert_eq!(articles.len(), 1, "{articles:#?}");
    let article = &articles[0];
    let paragraphs: Vec<&str> = article.text.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 4, "{paragraphs:#?}");
    assert!(paragraphs[0].starts_with("Foreign ministers from the three river states"));
    assert!(paragraphs[3].starts_with("Environmental groups welcomed the deal"));
    for unwanted in [
        "cookies",
        "Accept",
        "Skip to content",
        "Home",
        "By Jane Roe",
        "Share on",
        "ALSO READ",
        "Drought threatens harvest",
        "Related",
        "Talks on the river treaty",
        "Most read",
        "lighthouse",
        "Comments",
        "great step forward",
        "I disagree",
        "Copyright",
        "Ministers agree on river treaty",
    ] {
        assert!(
            !article.text.contains(unwanted),
            "body contains {unwanted:?}"
        );
    }
    assert_eq!(
        article.title.as_deref(),
        Some("Ministers agree on river treaty")
    );
    assert_eq!(article.authors, vec!["Jane Roe".to_string()]);
    assert_eq!(
        article.published.as_deref(),
        Some("2024-03-03T09:15:00+01:00")
    );
}

#[test]
fn canonical_url_is_made_absolute_and_falls_back_to_fetched_url() {
    let body = format!("<body><article>{}</article></body></html>", prose());
    let relative = format!(
        r#"<html><head><link rel="canonical" href="/world/talks?id=1&amp;p=2"></head>{body}"#
    );
    let page = PageInfo {
        source_url: "in",
        fetched_url: "https://news.example.com/a/b",
        published_hint: None,
    };
    let article = extract_articles(&relative, &page, &ExtractConfig::default())
        .expect("story")
        .remove(0);
    assert_eq!(
        article.canonical_url,
        "https://news.example.com/world/talks?id=1&p=2"
    );
    assert_eq!(article.source_url, "in");
    let og = format!(
        r#"<html><head><meta property="og:url" content="https://news.example.com/og"></head>{body}"#
    );
    assert_eq!(main_story(&og).canonical_url, "https://news.example.com/og");
    let none = format!("<html><head></head>{body}");
    assert_eq!(
        main_story(&none).canonical_url,
        "https://news.example.com/world/talks"
    );
}

#[test]
fn language_falls_back_to_detection() {
    let html = "<html><body><article><p>Die beiden Delegationen trafen sich mehr als drei Stunden lang und sprachen über Handel, Energiesicherheit und die Wiedereröffnung von Grenzübergängen, die im vergangenen Jahr geschlossen worden waren.</p><p>Beamte sagten, eine gemeinsame Erklärung werde nach Beratungen mit regionalen Partnern folgen, und Arbeitsgruppen würden sich vor dem Sommer erneut treffen.</p></article></body></html>";
    assert_eq!(main_story(html).language.as_deref(), Some("de"));
}

#[test]
fn a_list_of_links_is_not_a_second_story() {
    let html = format!(
        r#"<html><body><article><h1>Talks</h1>{}</article>
        <article class="teaser"><h2>More news</h2><ul><li><a href="/1">One headline that goes on for a while about something</a></li>
        <li><a href="/2">Another headline that goes on for a while about something else</a></li></ul></article></body></html>"#,
        prose()
    );
    assert_eq!(extract(&html).expect("story").len(), 1);
}

#[test]
fn teaser_tail_below_the_story_is_cut() {
    let teasers: String = (0..4)
        .map(|i| format!("<h4>Other story {i}</h4><p>A summary of another story that the site wants readers to open next, cut short...</p>"))
        .collect();
    let html = format!(
        r#"<html><body><div class="wrap"><h1>Talks</h1>{}{}<h3>More from the Daily Ledger</h3>{teasers}</div></body></html>"#,
        prose(),
        prose()
    );
    let article = main_story(&html);
    // The cut needs 100 words of story before the heading (both prose copies).
    assert_eq!(article.text.split("\n\n").count(), 6, "{:?}", article.text);
    assert!(!article.text.contains("More from"));
    assert!(!article.text.contains("cut short"));
}

#[test]
fn inline_more_from_box_does_not_end_the_story() {
    let html = format!(
        r#"<html><body><div class="wrap"><h1>Talks</h1><div class="story">{}{}<div class="widget"><h3>More from the Daily Ledger</h3><ul><li><a href="/a">Another headline</a></li><li><a href="/b">Yet another headline</a></li></ul></div><p>After the box the story goes on with the envoys agreeing to meet again in Geneva next month.</p></div></div></body></html>"#,
        prose(),
        prose()
    );
    let article = main_story(&html);
    assert!(
        article.text.contains("meet again in Geneva"),
        "{:?}",
        article.text
    );
    assert!(!article.text.contains("More from"));
    assert!(!article.text.contains("Another headline"));
}

#[test]
fn embedded_tweet_in_a_social_wrapper_stays_in_the_story() {
    let html = format!(
        r#"<html><body><div class="wrap"><h1>Talks</h1>{}<div class="social-media-embed"><blockquote class="twitter-tweet"><p>The minister just confirmed that the talks resume in Geneva next week, which nobody expected.</p></blockquote></div>{}</div></body></html>"#,
        prose(),
        prose()
    );
    let article = main_story(&html);
    assert!(
        article.text.contains("talks resume in Geneva"),
        "{:?}",
        article.text
    );
}

#[test]
fn cut_off_paragraph_after_story_prose_is_kept_but_teasers_are_not() {
    let html = format!(
        r#"<html><body><div class="wrap"><h1>Talks</h1><div class="story">{}<p>The envoys are expected to return to the table next week, officials said, although the schedule may...</p></div><div class="more"><h4>Another story</h4><p>A summary of another story that the site wants readers to open next, cut short...</p></div></div></body></html>"#,
        prose()
    );
    let article = main_story(&html);
    assert!(
        article.text.contains("return to the table"),
        "{:?}",
        article.text
    );
    assert!(!article.text.contains("cut short"), "{:?}", article.text);
}

#[test]
fn heading_over_a_link_list_is_dropped_and_section_headings_stay() {
    let html = format!(
        "<html><head><title>Talks resume</title></head><body><div id=main>\
         <h1>Talks resume</h1>{}<h2>Next steps</h2><p>{}</p>\
         <h3>Further coverage</h3><ul><li><a href=/a>Ministers meet again in spring</a></li>\
         <li><a href=/b>Border crossings to reopen</a></li><li><a href=/c>Trade deal in view</a></li></ul>\
         </div></body></html>",
        prose(),
        PROSE[0]
    );
    let article = main_story(&html);
    assert!(article.text.contains("Next steps"), "{:?}", article.text);
    assert!(
        !article.text.contains("Further coverage"),
        "{:?}",
        article.text
    );
    assert!(!article.text.contains("Trade deal in view"));
}

#[test]
fn lead_between_headline_and_body_is_kept() {
    let lead = "Both governments agreed on Tuesday to reopen talks on the border. The last round ended three years ago.";
    let html = format!(
        "<html><head><title>Talks resume</title></head><body>\
         <header><h1>Talks resume</h1><div class=intro>{lead}</div></header>\
         <div class=share-bar><a href=#>Share</a> <a href=#>Post</a></div>\
         <div class=story>{}</div></body></html>",
        prose()
    );
    let article = main_story(&html);
    assert!(article.text.starts_with(lead), "{:?}", article.text);
    assert!(article.text.contains(PROSE[2]));
    assert!(!article.text.contains("Share"));
}

#[test]
fn caption_beside_a_photo_in_an_old_layout_cell_is_dropped() {
    let html = format!(
        "<html><head><title>Talks resume</title></head><body><table><tr><td>\
         <p>{}</p><table><tr><td><img src=/p.jpg><br>The ministers in Geneva. Photo: Agency</td></tr></table>\
         <p>{}</p><div><img src=/q.jpg><div>Delegates at the hall</div></div><p>{}</p></td></tr></table></body></html>",
        PROSE[0], PROSE[1], PROSE[2]
    );
    let article = main_story(&html);
    assert!(article.text.contains(PROSE[2]), "{:?}", article.text);
    assert!(
        !article.text.contains("Photo: Agency"),
        "{:?}",
        article.text
    );
    assert!(!article.text.contains("Delegates at the hall"));
}

#[test]
fn heading_of_a_related_box_is_dropped_with_the_box() {
    let html = format!(
        "<html><head><title>Talks resume</title></head><body><div id=main>\
         <h1>Talks resume</h1>{}<h3>Elsewhere</h3><div class=related-news><ul>\
         <li><a href=/a>Ministers meet again in spring</a></li></ul></div>\
         <p>{}</p></div></body></html>",
        prose(),
        PROSE[1]
    );
    let article = main_story(&html);
    assert!(!article.text.contains("Elsewhere"), "{:?}", article.text);
    assert!(article.text.contains(PROSE[2]));
}

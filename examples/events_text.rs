//! Events of plain-text stories, one line each, for trying wording quickly:
//! `cargo run --example events_text -- STORIES.txt`
//! A story is `YYYY-MM-DD | headline | body`, body paragraphs split by ` // `.
use attache::config::Config;
use attache::events::eval::article_from_text;
use attache::events::EventExtractor;

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: events_text STORIES.txt"))?;
    let config = Config::default();
    let extractor = EventExtractor::load(&config.events)?;
    for (n, line) in std::fs::read_to_string(&path)?.lines().enumerate() {
        let mut parts = line.splitn(3, " | ");
        let (Some(date), Some(title), Some(body)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let text = body.replace(" // ", "\n\n");
        let url = format!("https://news.example.org/{n}");
        let article = article_from_text(&format!("{title}\n{text}"), &url, Some(date));
        println!("## {n}: {title}");
        for e in extractor.extract(&article, None) {
            let actors: Vec<String> = e
                .actors
                .iter()
                .map(|a| {
                    format!(
                        "{}:{}:{}",
                        a.name,
                        a.role,
                        a.country.as_deref().unwrap_or("-")
                    )
                })
                .collect();
            println!(
                "  {} {} {}..{} mode={} loc={} [{}]",
                e.event_type,
                e.status,
                e.start_date.as_deref().unwrap_or("-"),
                e.end_date.as_deref().unwrap_or("-"),
                e.mode.map_or("-", |m| m.as_str()),
                e.location.as_ref().map_or("-".to_string(), |l| format!(
                    "{}/{}",
                    l.name,
                    l.country.as_deref().unwrap_or("-")
                )),
                actors.join(", ")
            );
        }
    }
    Ok(())
}

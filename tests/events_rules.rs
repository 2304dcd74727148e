//! Rule files and lookup tables are data: a new type needs no Rust change,
//! and every bad file is refused with an error that names it.
use std::path::Path;

use attache::config::EventsConfig;
use attache::events::{EventExtractor, EventsError};
use attache::extract::{Article, ARTICLE_SCHEMA};

fn article(text: &str) -> Article {
    Article {
        schema: ARTICLE_SCHEMA.into(),
        source_url: "https://example.org/a".into(),
        canonical_url: "https://example.org/a".into(),
        title: None,
        text: text.into(),
        published: Some("2026-03-12T10:00:00+00:00".into()),
        modified: None,
        authors: Vec::new(),
        language: Some("en".into()),
        site_name: None,
        section: None,
        word_count: text.split_whitespace().count(),
        story_index: 0,
        extractor: attache::extract::Extractor::Structured,
    }
}

fn config_with_rules(dir: &Path) -> EventsConfig {
    EventsConfig {
        rules_dir: dir.to_path_buf(),
        ..EventsConfig::default()
    }
}

const SANCTIONS_RULE: &str = r#"
type = "sanctions_imposed"
status = "occurred"
triggers = ["sanctions"]
patterns = ['\b(?:imposed|announced) (?:new )?sanctions on\b']
reject = ['\b(?:could|might|may|threatened to)\b']
min_actors = 2
role_patterns = ['{host} (?:imposed|announced)', 'sanctions on {participant}']
[[codes]]
when = {}
cameo = "163"
plover = { type = "SANCTION" }
"#;

#[test]
fn a_type_defined_only_in_a_rule_file_produces_events() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sanctions_imposed.toml"), SANCTIONS_RULE).unwrap();
    let extractor = EventExtractor::load(&config_with_rules(dir.path())).unwrap();
    assert_eq!(extractor.event_types(), ["sanctions_imposed"]);
    let events = extractor.extract(
        &article("The European Union imposed new sanctions on Russia on Monday over the war in Ukraine, officials said."),
        None,
    );
    assert_eq!(events.len(), 1, "{events:#?}");
    let event = &events[0];
    assert_eq!(event.event_type, "sanctions_imposed");
    assert_eq!(event.cameo, "163");
    assert_eq!(event.plover.plover_type, "SANCTION");
    assert_eq!(event.start_date.as_deref(), Some("2026-03-09"));
    assert!(event
        .actors
        .iter()
        .any(|a| a.name == "European Union" && a.role == "host"));
    assert!(event
        .actors
        .iter()
        .any(|a| a.country.as_deref() == Some("RUS")));
    // the reject cue of the same file applies
    let none = extractor.extract(
        &article("The European Union could impose new sanctions on Russia, and announced sanctions on Iran may follow."),
        None,
    );
    assert!(none.is_empty(), "{none:#?}");
}

#[test]
fn shipped_extra_types_work_without_rust_changes() {
    let extractor = EventExtractor::load(&EventsConfig::default()).unwrap();
    let types = extractor.event_types();
    for wanted in [
        "agreement_signed",
        "dialogue_held",
        "state_visit_announced",
        "visit_cancelled",
    ] {
        assert!(types.contains(&wanted), "{types:?}");
    }
    let signed = extractor.extract(
        &article("Indonesian Foreign Minister Retno Sari and Japanese Foreign Minister Taro Kono signed a maritime cooperation agreement in Tokyo on Tuesday."),
        None,
    );
    assert_eq!(signed.len(), 1, "{signed:#?}");
    assert_eq!(
        (signed[0].event_type.as_str(), signed[0].cameo.as_str()),
        ("agreement_signed", "057")
    );
    let cancelled = extractor.extract(
        &article("French President Claire Dufresne has cancelled her state visit to Brazil because of strikes at home, the Elysee said on Wednesday."),
        None,
    );
    assert_eq!(cancelled.len(), 1, "{cancelled:#?}");
    assert_eq!(cancelled[0].event_type, "visit_cancelled");
    assert_eq!(cancelled[0].plover.plover_type, "REDUCE");
}

fn load_error(rule: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), rule).unwrap();
    match EventExtractor::load(&config_with_rules(dir.path())) {
        Ok(_) => panic!("rule file was accepted:\n{rule}"),
        Err(err) => {
            assert!(matches!(err, EventsError::Rules { .. }), "{err:?}");
            let message = err.to_string();
            assert!(message.contains("bad.toml"), "{message}");
            message
        }
    }
}

#[test]
fn bad_rule_files_are_refused_with_the_reason() {
    let base = SANCTIONS_RULE;
    assert!(
        load_error(&base.replace("status = \"occurred\"", "status = \"maybe\"")).contains("status")
    );
    assert!(load_error(&base.replace(r"\b(?:imposed", r"\b(?:imposed(")).contains("patterns"));
    assert!(load_error(&base.replace("{host}", "{guest}")).contains("{guest}"));
    assert!(load_error(&base.replace("min_actors = 2", "min_actorz = 2")).contains("min_actorz"));
    assert!(
        load_error(&base.replace("triggers = [\"sanctions\"]", "triggers = []"))
            .contains("triggers")
    );
    let no_codes = base.split("[[codes]]").next().unwrap().to_string();
    assert!(load_error(&no_codes).contains("codes"));
    assert!(load_error("this is not toml = = =").contains("TOML"));
    assert!(load_error(&base.replace(
        "role_patterns = ['{host} (?:imposed|announced)', 'sanctions on {participant}']",
        "role_patterns = ['imposed by']"
    ))
    .contains("placeholder"));
}

#[test]
fn empty_or_missing_rule_directories_are_refused() {
    let empty = tempfile::tempdir().unwrap();
    let err = EventExtractor::load(&config_with_rules(empty.path())).unwrap_err();
    assert!(err.to_string().contains("no rule files"), "{err}");
    let err = EventExtractor::load(&config_with_rules(&empty.path().join("missing"))).unwrap_err();
    assert!(matches!(err, EventsError::Io { .. }), "{err:?}");
}

#[test]
fn duplicate_types_and_unknown_enabled_types_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.toml"), SANCTIONS_RULE).unwrap();
    std::fs::write(dir.path().join("b.toml"), SANCTIONS_RULE).unwrap();
    let err = EventExtractor::load(&config_with_rules(dir.path())).unwrap_err();
    assert!(err.to_string().contains("defined twice"), "{err}");
    let config = EventsConfig {
        enabled_types: vec!["no_such_type".into()],
        ..EventsConfig::default()
    };
    let err = EventExtractor::load(&config).unwrap_err();
    assert!(matches!(err, EventsError::UnknownType(_)), "{err:?}");
}

#[test]
fn enabled_types_limit_the_output() {
    let config = EventsConfig {
        enabled_types: vec!["agreement_signed".into()],
        ..EventsConfig::default()
    };
    let extractor = EventExtractor::load(&config).unwrap();
    assert_eq!(extractor.event_types(), ["agreement_signed"]);
    let events = extractor.extract(
        &article("Chinese President Xi Jinping held talks with visiting Russian President Vladimir Putin in Beijing on Tuesday."),
        None,
    );
    assert!(events.is_empty(), "{events:#?}");
}

fn copy_gazetteer(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir("config/gazetteer").unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

#[test]
fn bad_lookup_tables_are_refused_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    copy_gazetteer(dir.path());
    let titles = dir.path().join("titles.tsv");
    let mut text = std::fs::read_to_string(&titles).unwrap();
    text.push_str("grand vizier\tvery_important\n");
    std::fs::write(&titles, text).unwrap();
    let config = EventsConfig {
        gazetteer_dir: dir.path().to_path_buf(),
        ..EventsConfig::default()
    };
    let err = EventExtractor::load(&config).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, EventsError::Table { .. }), "{err:?}");
    assert!(
        message.contains("titles.tsv") && message.contains("very_important"),
        "{message}"
    );

    let dir = tempfile::tempdir().unwrap();
    copy_gazetteer(dir.path());
    std::fs::write(dir.path().join("cities.tsv"), "Atlantis\tXXX\tcity\n").unwrap();
    let config = EventsConfig {
        gazetteer_dir: dir.path().to_path_buf(),
        ..EventsConfig::default()
    };
    let message = EventExtractor::load(&config).unwrap_err().to_string();
    assert!(
        message.contains("cities.tsv line 1") && message.contains("XXX"),
        "{message}"
    );

    std::fs::remove_file(dir.path().join("countries.tsv")).unwrap();
    let err = EventExtractor::load(&config).unwrap_err();
    assert!(matches!(err, EventsError::Io { .. }), "{err:?}");
}

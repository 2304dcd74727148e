use std::net::IpAddr;
use std::time::{Duration, SystemTime};

use encoding_rs::{Encoding, EUC_KR, GB18030, GBK, SHIFT_JIS, UTF_8, WINDOWS_1252};

use super::*;
use crate::config::FetchConfig;
use crate::Classified;

// ---- URL normalization ----

fn norm(input: &str) -> String {
    normalize_url(input).unwrap().to_string()
}

fn invalid(input: &str) -> FetchError {
    let err = normalize_url(input).unwrap_err();
    assert_eq!(err.kind(), "invalid_url", "{input}: {err}");
    err
}

#[test]
fn normalize_drops_fragment_and_lowercases_host() {
    assert_eq!(
        norm("  HTTPS://News.Example.COM:443/World/Story?id=7#comments "),
        "https://news.example.com/World/Story?id=7"
    );
    assert_eq!(norm("http://example.com"), "http://example.com/");
    assert_eq!(
        norm("http://example.com:8080/a"),
        "http://example.com:8080/a"
    );
}

#[test]
fn normalize_strips_tracking_parameters_only() {
    assert_eq!(
        norm("https://example.com/a?utm_source=x&id=3&UTM_Medium=y&fbclid=z&gclid=q&page=2"),
        "https://example.com/a?id=3&page=2"
    );
    assert_eq!(
        norm("https://example.com/a?utm_source=x&fbclid=z"),
        "https://example.com/a"
    );
    // A parameter that merely contains a tracking name is kept.
    assert_eq!(
        norm("https://example.com/a?not_fbclid=1"),
        "https://example.com/a?not_fbclid=1"
    );
    // An untouched query keeps its exact encoding.
    assert_eq!(
        norm("https://example.com/a?q=a%20b&x=%2F"),
        "https://example.com/a?q=a%20b&x=%2F"
    );
}

#[test]
fn normalize_uses_the_configured_parameter_list() {
    let filter = QueryFilter::new(&["session", "x_*"]);
    let url = normalize_url_with("https://e.com/?session=1&x_a=2&utm_source=3", &filter).unwrap();
    assert_eq!(url.as_str(), "https://e.com/?utm_source=3");
}

#[test]
fn normalize_rejects_bad_input_with_invalid_url() {
    invalid("");
    invalid("not a url");
    invalid("ftp://example.com/file");
    invalid("file:///etc/passwd");
    invalid("javascript:alert(1)");
    invalid("http://");
    let err = invalid("https://user:pass@example.com/");
    assert!(err.to_string().contains("userinfo"), "{err}");
    invalid("https://user@example.com/");
    assert_eq!(err.attempts(), 0);
}

#[test]
fn normalize_reads_obfuscated_ipv4_as_an_address() {
    // The WHATWG parser turns these into 127.0.0.1, which the SSRF guard sees.
    assert_eq!(norm("http://2130706433/"), "http://127.0.0.1/");
    assert_eq!(norm("http://0x7f.1/"), "http://127.0.0.1/");
}

// ---- charset decision ----

const FRENCH: &str = "Le ministre des Affaires étrangères a reçu l'ambassadeur à Paris. \
    La délégation française a présenté ses condoléances et réaffirmé l'amitié entre les deux pays. \
    Les négociations reprendront après l'été, a déclaré le porte-parole du Quai d'Orsay.";
const CHINESE: &str = "外交部长今天在北京会见了来访的美国国务卿，双方就双边关系和共同关心的国际及地区问题交换了意见。\
    中方表示愿同美方加强沟通，妥善管控分歧，推动两国关系健康稳定发展。外交部发言人在例行记者会上介绍了会谈情况。";
const JAPANESE: &str = "外務大臣は本日、来日中の米国国務長官と東京で会談し、日米同盟の強化について意見を交換しました。\
    両外相は地域の安全保障情勢について緊密に連携していくことで一致しました。外務省の報道官が記者会見で明らかにしました。";
const KOREAN: &str = "외교부 장관은 오늘 서울에서 미국 국무장관과 회담을 갖고 한미 동맹 강화 방안에 대해 논의했다. \
    양국 장관은 북한 문제와 지역 안보 정세에 대해 긴밀히 협력하기로 합의했다. 외교부 대변인은 정례 브리핑에서 회담 결과를 발표했다.";

fn page(body: &str, meta: Option<&str>) -> String {
    let meta = meta
        .map(|label| format!("<meta charset=\"{label}\">"))
        .unwrap_or_default();
    format!("<!doctype html><html><head>{meta}<title>t</title></head><body><p>{body}</p><p>{body}</p></body></html>")
}

fn encode(text: &str, encoding: &'static Encoding) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(
        !unmappable,
        "sample not representable in {}",
        encoding.name()
    );
    bytes.into_owned()
}

/// Each legacy charset decodes correctly whether declared in the header, in
/// a <meta>, or not at all.
#[test]
fn legacy_charsets_decode_from_every_source() {
    let cases: [(&str, &str, &'static Encoding, &'static Encoding); 6] = [
        (FRENCH, "windows-1252", WINDOWS_1252, WINDOWS_1252),
        (FRENCH, "ISO-8859-1", WINDOWS_1252, WINDOWS_1252),
        (CHINESE, "GBK", GBK, GBK),
        (CHINESE, "gb18030", GB18030, GB18030),
        (JAPANESE, "Shift_JIS", SHIFT_JIS, SHIFT_JIS),
        (KOREAN, "EUC-KR", EUC_KR, EUC_KR),
    ];
    for (text, label, encoder, expected) in cases {
        let html = page(text, None);
        let bytes = encode(&html, encoder);

        let header = format!("text/html; charset={label}");
        assert_eq!(
            decide_charset(&bytes, Some(&header)),
            (expected, CharsetSource::Header),
            "{label} in header"
        );
        let (decoded, name) = decode_body(&bytes, Some(&header));
        assert_eq!(decoded, html, "{label} in header");
        assert_eq!(name, expected.name());

        let with_meta = encode(&page(text, Some(label)), encoder);
        assert_eq!(
            decide_charset(&with_meta, Some("text/html")),
            (expected, CharsetSource::Meta),
            "{label} in meta"
        );
        assert_eq!(decode_body(&with_meta, None).0, page(text, Some(label)));

        // Undeclared: chardetng must find a decoder that gives the same text.
        let (guessed, source) = decide_charset(&bytes, None);
        assert_eq!(source, CharsetSource::Guess, "{label} undeclared");
        assert_eq!(
            decode_body(&bytes, None).0,
            html,
            "{label} guessed as {}",
            guessed.name()
        );
    }
}

#[test]
fn http_equiv_declaration_is_read() {
    let html = format!(
        "<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=shift_jis\"></head><body>{JAPANESE}</body></html>"
    );
    let bytes = encode(&html, SHIFT_JIS);
    assert_eq!(
        decide_charset(&bytes, None),
        (SHIFT_JIS, CharsetSource::Meta)
    );
    assert_eq!(decode_body(&bytes, None).0, html);
}

#[test]
fn header_wins_over_bom_and_meta_when_it_fits() {
    let html = page(FRENCH, Some("utf-8"));
    let bytes = encode(&html, WINDOWS_1252);
    assert_eq!(
        decide_charset(&bytes, Some("text/html; charset=windows-1252")),
        (WINDOWS_1252, CharsetSource::Header)
    );
    // A matching BOM is not part of the text.
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(page(FRENCH, None).as_bytes());
    let (text, name) = decode_body(&with_bom, Some("text/html; charset=\"UTF-8\""));
    assert_eq!(
        (text.as_str(), name),
        (page(FRENCH, None).as_str(), "UTF-8")
    );
}

#[test]
fn bom_decides_when_the_header_is_silent() {
    let html = page(CHINESE, Some("gbk"));
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(html.encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(
        decide_charset(&bytes, Some("text/html")),
        (encoding_rs::UTF_16LE, CharsetSource::Bom)
    );
    assert_eq!(decode_body(&bytes, None).0, html);
}

#[test]
fn wrong_declarations_are_skipped() {
    // Served as UTF-8 but really windows-1252: the bytes are not UTF-8.
    let html = page(FRENCH, None);
    let bytes = encode(&html, WINDOWS_1252);
    let (decoded, name) = decode_body(&bytes, Some("text/html; charset=utf-8"));
    assert_eq!((decoded.as_str(), name), (html.as_str(), "windows-1252"));

    // Header claims Shift_JIS, meta says the truth (EUC-KR).
    let html = page(KOREAN, Some("euc-kr"));
    let bytes = encode(&html, EUC_KR);
    assert_eq!(
        decide_charset(&bytes, Some("text/html; charset=shift_jis")),
        (EUC_KR, CharsetSource::Meta)
    );

    // Unknown labels are ignored.
    let html = page(FRENCH, Some("no-such-charset"));
    let bytes = encode(&html, UTF_8);
    assert_eq!(
        decide_charset(&bytes, Some("text/html; charset=bogus")),
        (UTF_8, CharsetSource::Guess)
    );
    assert_eq!(decode_body(&bytes, None).0, html);
}

#[test]
fn meta_cannot_declare_utf16() {
    let html = page(FRENCH, Some("utf-16"));
    assert_eq!(
        decide_charset(html.as_bytes(), None),
        (UTF_8, CharsetSource::Meta)
    );
}

#[test]
fn decoding_an_owned_body_gives_the_same_answer() {
    let french = page(FRENCH, None);
    let (latin1, _, _) = WINDOWS_1252.encode(&french);
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(french.as_bytes());
    let mut stray = french.clone().into_bytes();
    stray.push(0x92);
    let bodies: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"<p>plain ascii</p>".to_vec(),
        french.clone().into_bytes(),
        page(FRENCH, Some("windows-1252")).into_bytes(),
        page(FRENCH, Some("utf-16")).into_bytes(),
        latin1.into_owned(),
        with_bom.clone(),
        b"\xEF\xBB\xBF<p>ascii</p>".to_vec(),
        stray,
        vec![0xFF, 0xFE, b'a', 0],
    ];
    for body in bodies {
        for content_type in [
            None,
            Some("text/html; charset=utf-8"),
            Some("text/html; charset=iso-8859-1"),
            Some("text/html; charset=utf-16le"),
        ] {
            assert_eq!(
                decode_body_owned(body.clone(), content_type),
                decode_body(&body, content_type),
                "{body:?} {content_type:?}"
            );
        }
    }
}

#[test]
fn content_type_charset_parameter_parsing() {
    assert_eq!(charset_param("text/html; charset=UTF-8"), Some("UTF-8"));
    assert_eq!(
        charset_param("text/html;CHARSET=\"gbk\" ; q=1"),
        Some("gbk")
    );
    assert_eq!(charset_param("text/html"), None);
    assert_eq!(charset_param("text/html; charset="), None);
    assert_eq!(meta_charset(b"<meta charset='euc-kr'>"), Some("euc-kr"));
    assert_eq!(meta_charset(b"<p>charset=utf-8</p>"), None);
}

#[test]
fn empty_and_binary_bodies_do_not_panic() {
    assert_eq!(decode_body(b"", None).0, "");
    let noise: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let (text, _) = decode_body(&noise, Some("text/html; charset=utf-8"));
    assert!(!text.is_empty());
}

// ---- SSRF address classifier ----

#[test]
fn forbidden_addresses() {
    for address in [
        "127.0.0.1",
        "127.255.0.9",
        "10.1.2.3",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "169.254.0.1",
        "100.64.0.1",
        "100.127.255.254",
        "224.0.0.1",
        "239.255.255.250",
        "0.0.0.0",
        "0.1.2.3",
        "255.255.255.255",
        "240.0.0.1",
        "192.0.0.170",
        "198.18.0.1",
        "::",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "fec0::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::ffff:10.0.0.1",
        "::127.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "2002:7f00:1::",
        "2001:db8::1",
        "2001::1",
    ] {
        let ip: IpAddr = address.parse().unwrap();
        assert!(is_forbidden_ip(ip), "{address} must be refused");
    }
}

#[test]
fn public_addresses_pass() {
    for address in [
        "8.8.8.8",
        "1.1.1.1",
        "93.184.216.34",
        "100.63.255.255",
        "100.128.0.1",
        "172.15.255.255",
        "172.32.0.1",
        "169.253.0.1",
        "223.255.255.255",
        "2606:4700:4700::1111",
        "2a00:1450:4001:80b::200e",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::",
    ] {
        let ip: IpAddr = address.parse().unwrap();
        assert!(!is_forbidden_ip(ip), "{address} must be allowed");
    }
}

// ---- Retry-After and backoff ----

#[test]
fn retry_after_seconds_and_dates() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    assert_eq!(
        parse_retry_after("120", now),
        Some(Duration::from_secs(120))
    );
    assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
    let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
    assert_eq!(
        parse_retry_after(&later, now),
        Some(Duration::from_secs(30))
    );
    let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
    assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
    assert_eq!(
        parse_retry_after("99999999999999999999999", now),
        Some(Duration::from_secs(u64::MAX))
    );
    for junk in ["", "soon", "-5", "1.5", "Mon, 99 Foo 2020"] {
        assert_eq!(parse_retry_after(junk, now), None, "{junk:?}");
    }
}

#[test]
fn backoff_stays_within_its_bounds() {
    let config = FetchConfig {
        retry_max_attempts: 6,
        retry_initial_backoff_ms: 100,
        retry_max_backoff_ms: 400,
        retry_max_total_ms: 60_000,
        ..FetchConfig::default()
    };
    for _ in 0..200 {
        let delays: Vec<Duration> = backoff_schedule(&config).collect();
        assert_eq!(delays.len(), 5, "attempts - 1 waits");
        assert!(delays[0] >= Duration::from_millis(100), "{delays:?}");
        assert!(
            delays.iter().all(|d| *d <= Duration::from_millis(400)),
            "{delays:?}"
        );
    }
    // The total budget cuts the schedule short.
    let tight = FetchConfig {
        retry_max_total_ms: 250,
        ..config.clone()
    };
    let total: Duration = backoff_schedule(&tight).sum();
    assert!(total <= Duration::from_millis(250), "{total:?}");
    // A single attempt means no waits at all.
    let once = FetchConfig {
        retry_max_attempts: 1,
        ..config
    };
    assert_eq!(backoff_schedule(&once).count(), 0);
}

#[test]
fn backoff_is_jittered() {
    let config = FetchConfig {
        retry_initial_backoff_ms: 1_000,
        retry_max_backoff_ms: 10_000,
        ..FetchConfig::default()
    };
    let firsts: std::collections::HashSet<Duration> = (0..20)
        .filter_map(|_| backoff_schedule(&config).next())
        .collect();
    assert!(firsts.len() > 1, "20 schedules all started with {firsts:?}");
}

#[test]
fn transient_and_permanent_failures() {
    let transient = [
        FetchError::new(FetchErrorKind::Connect, "x"),
        FetchError::new(FetchErrorKind::Timeout, "x"),
        FetchError::new(FetchErrorKind::BodyRead, "x"),
        FetchError::from_status(429, None),
        FetchError::from_status(502, None),
        FetchError::from_status(503, Some(Duration::from_secs(1))),
        FetchError::from_status(504, None),
    ];
    for err in &transient {
        assert!(is_transient(err), "{} should be retried", err.kind());
    }
    let permanent = [
        FetchError::from_status(404, None),
        FetchError::from_status(410, None),
        FetchError::from_status(403, None),
        FetchError::from_status(500, None),
        FetchError::new(FetchErrorKind::NotHtml, "x"),
        FetchError::new(FetchErrorKind::TooLarge, "x"),
        FetchError::new(FetchErrorKind::RobotsDisallowed, "x"),
        FetchError::new(FetchErrorKind::PrivateAddress, "x"),
        FetchError::new(FetchErrorKind::InvalidUrl, "x"),
        FetchError::new(FetchErrorKind::Dns, "x"),
    ];
    for err in &permanent {
        assert!(!is_transient(err), "{} must not be retried", err.kind());
    }
}

#[test]
fn status_kinds_are_stable() {
    let kind = |s| FetchError::from_status(s, None).kind();
    assert_eq!(kind(404), "http_404");
    assert_eq!(kind(410), "http_410");
    assert_eq!(kind(429), "http_429");
    assert_eq!(kind(451), "http_4xx");
    assert_eq!(kind(500), "http_5xx");
    assert_eq!(kind(503), "http_5xx");
    assert_eq!(kind(304), "http_other");
    assert_eq!(FetchError::from_status(503, None).stage(), "fetch");
}

// ---- politeness and robots ----

#[test]
fn crawl_delay_raises_the_gap_up_to_the_cap() {
    let min = Duration::from_millis(1_000);
    let cap = Duration::from_secs(10);
    assert_eq!(effective_delay(min, None, cap), min);
    assert_eq!(effective_delay(min, Some(0.5), cap), min);
    assert_eq!(effective_delay(min, Some(3.0), cap), Duration::from_secs(3));
    assert_eq!(effective_delay(min, Some(120.0), cap), cap);
    assert_eq!(effective_delay(min, Some(f32::INFINITY), cap), cap);
    assert_eq!(effective_delay(min, Some(f32::NAN), cap), min);
    assert_eq!(effective_delay(min, Some(-4.0), cap), min);
}

#[test]
fn robots_agent_is_the_product_token() {
    assert_eq!(agent_token("attache/0.1.0"), "attache");
    assert_eq!(
        agent_token("attache/0.1.0 (+https://x.example/bot)"),
        "attache"
    );
    assert_eq!(agent_token("MyBot"), "MyBot");
    assert_eq!(agent_token(&FetchConfig::default().user_agent), "attache");
}

#[test]
fn robots_responses_become_rules() {
    use robots::{RobotsRules, RobotsVerdict};
    let txt =
        b"User-agent: *\nDisallow: /\n\nUser-agent: attache\nDisallow: /private\nCrawl-delay: 2\n";
    let rules = RobotsRules::from_response("attache", 200, txt);
    assert_eq!(
        rules.verdict("https://e.com/private/x"),
        RobotsVerdict::Disallowed
    );
    assert_eq!(
        rules.verdict("https://e.com/news/1"),
        RobotsVerdict::Allowed
    );
    assert_eq!(rules.crawl_delay(), Some(2.0));
    // Another agent falls under `*`.
    let other = RobotsRules::from_response("otherbot", 200, txt);
    assert_eq!(
        other.verdict("https://e.com/news/1"),
        RobotsVerdict::Disallowed
    );

    for status in [404, 401, 403, 410] {
        let rules = RobotsRules::from_response("attache", status, b"Disallow: /");
        assert_eq!(
            rules.verdict("https://e.com/x"),
            RobotsVerdict::Allowed,
            "{status}"
        );
    }
    for status in [429, 500, 503] {
        let rules = RobotsRules::from_response("attache", status, b"");
        assert_eq!(
            rules.verdict("https://e.com/x"),
            RobotsVerdict::Unavailable,
            "{status}"
        );
    }
}

#[test]
fn content_type_gate() {
    for ok in [
        None,
        Some("text/html"),
        Some("TEXT/HTML; charset=gbk"),
        Some("application/xhtml+xml"),
    ] {
        assert!(check_html(ok).is_ok(), "{ok:?}");
    }
    for bad in [
        "application/pdf",
        "image/png",
        "application/json",
        "text/plain",
        "text/htmlx",
    ] {
        assert_eq!(
            check_html(Some(bad)).unwrap_err().kind(),
            "not_html",
            "{bad}"
        );
    }
}

#[test]
fn host_key_includes_the_port() {
    let key = |u: &str| host_key(&url::Url::parse(u).unwrap());
    assert_eq!(key("https://Example.com/a"), "example.com:443");
    assert_eq!(key("http://example.com/a"), "example.com:80");
    assert_eq!(key("http://127.0.0.2:8080/"), "127.0.0.2:8080");
}

#[test]
fn long_undeclared_pages_are_guessed_from_a_prefix() {
    // Well past the guess sample, so only its first 64 KiB are examined.
    let html = page(&JAPANESE.repeat(800), None);
    let bytes = encode(&html, SHIFT_JIS);
    assert!(bytes.len() > 200 * 1024);
    assert_eq!(
        decide_charset(&bytes, None),
        (SHIFT_JIS, CharsetSource::Guess)
    );
    assert_eq!(decode_body(&bytes, None).0, html);
}

#[test]
fn tld_hint_is_sanitized() {
    let bytes = encode(&page(KOREAN, None), EUC_KR);
    for tld in [
        Some("kr"),
        Some("KR"),
        Some("xn--3e0b707e"),
        Some(""),
        Some("a.b"),
        Some("한국"),
        None,
    ] {
        let (text, name) = decode_body_from(&bytes, None, tld);
        assert_eq!(
            (text.as_str(), name),
            (page(KOREAN, None).as_str(), "EUC-KR"),
            "{tld:?}"
        );
    }
}

#[test]
fn normalize_punycodes_international_hosts() {
    assert_eq!(
        norm("https://Bücher.Example/ß?x=1"),
        "https://xn--bcher-kva.example/%C3%9F?x=1"
    );
}

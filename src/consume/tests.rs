use super::*;
use crate::Classified;

fn kind(payload: Option<&[u8]>) -> &'static str {
    decode_input(payload, 64 * 1024).unwrap_err().kind()
}

#[test]
fn bare_url_and_json_decode() {
    let m = decode_input(Some(b" https://example.com/a \n"), 1024).unwrap();
    assert_eq!(m.url, "https://example.com/a");
    assert_eq!(m.published, None);
    let m = decode_input(
        Some(br#"{"url":"https://example.com/b","published":"2025-05-26T21:22:00+08:00","id":"c-1"}"#),
        1024,
    )
    .unwrap();
    assert_eq!(m.url, "https://example.com/b");
    assert_eq!(m.published.as_deref(), Some("2025-05-26T21:22:00+08:00"));
    assert_eq!(m.id.as_deref(), Some("c-1"));
    let m = decode_input(Some(br#"{"url":"https://example.com/c","id":42}"#), 1024).unwrap();
    assert_eq!(m.id.as_deref(), Some("42"));
}

#[test]
fn bad_payloads_have_stable_kinds() {
    assert_eq!(kind(None), "empty_message");
    assert_eq!(kind(Some(b"")), "empty_message");
    assert_eq!(kind(Some(b"  \n")), "empty_message");
    assert_eq!(kind(Some(&[0xff, 0xfe, 0x00, 0x80])), "invalid_utf8");
    assert_eq!(kind(Some(b"{\"url\": ")), "invalid_json");
    assert_eq!(kind(Some(br#"{"link":"https://x.org"}"#)), "missing_url");
    assert_eq!(kind(Some(br#"{"url":7}"#)), "missing_url");
    assert_eq!(kind(Some(b"ftp://example.com/file")), "invalid_url");
    assert_eq!(kind(Some(b"file:///etc/passwd")), "invalid_url");
    assert_eq!(kind(Some(b"https://user:pw@example.com/")), "invalid_url");
    assert_eq!(kind(Some(b"not a url at all")), "invalid_url");
    assert_eq!(
        kind(Some(br#"{"url":"https://x.org/","published":"yesterday"}"#)),
        "invalid_published"
    );
    let long = format!("https://example.com/{}", "a".repeat(100_000));
    assert_eq!(
        decode_input(Some(long.as_bytes()), 1 << 20)
            .unwrap_err()
            .kind(),
        "invalid_url"
    );
    let huge = vec![b'a'; 10 * 1024 * 1024];
    assert_eq!(kind(Some(&huge)), "too_large");
}

#[test]
fn commit_never_passes_an_open_message() {
    let mut t = OffsetTracker::new();
    t.assign("in", 0);
    let a = t.start("in", 0, 10);
    let b = t.start("in", 0, 11);
    let c = t.start("in", 0, 12);
    assert_eq!(t.commits_due(), vec![("in".into(), 0, 10)]);
    assert!(t.finish(&c));
    assert!(t.finish(&b));
    assert_eq!(t.commits_due(), vec![("in".into(), 0, 10)], "10 still open");
    assert!(t.finish(&a));
    assert_eq!(t.commits_due(), vec![("in".into(), 0, 13)]);
    t.mark_committed("in", 0, 13);
    assert!(t.commits_due().is_empty());
    assert_eq!(t.open_count(), 0);
}

#[test]
fn revoke_commits_done_and_drops_open_work() {
    let mut t = OffsetTracker::new();
    t.assign("in", 3);
    let a = t.start("in", 3, 0);
    let b = t.start("in", 3, 1);
    assert!(t.finish(&a));
    assert_eq!(t.revoke("in", 3), Some(1));
    assert!(!t.finish(&b), "completion after revoke is stale");
    t.assign("in", 3);
    assert!(
        !t.finish(&b),
        "completion from an earlier ownership is stale"
    );
    assert!(t.commits_due().is_empty());
}

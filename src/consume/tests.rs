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

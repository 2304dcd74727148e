//! Charset decision and decoding.
//!
//! Evidence is taken in this order: the HTTP `Content-Type` charset, a byte
//! order mark, a `<meta charset>` / `http-equiv` declaration, then a
//! guess (UTF-8 if the body is valid UTF-8, else chardetng). A declaration is skipped when it names no known
//! encoding or when the body is not valid in it (a page served as UTF-8 that
//! is really windows-1252 is the common case), so the next evidence decides.
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use once_cell::sync::Lazy;
use regex::bytes::Regex;

/// How far into the body `<meta>` declarations are looked for. The HTML
/// spec's prescan stops at 1024 bytes, but real pages often declare later,
/// after large inline scripts.
const META_SCAN_BYTES: usize = 4096;

/// chardetng reads this much. It is plenty for a confident guess, and
/// chardetng runs at a few MB/s, so whole 5 MiB bodies would cost seconds.
const GUESS_BYTES: usize = 64 * 1024;

/// Where the charset used came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    Header,
    Bom,
    Meta,
    Guess,
}

/// Decodes an HTML body to text; returns the text and the name of the
/// encoding used (WHATWG names, e.g. `windows-1252`, `Shift_JIS`).
pub fn decode_body(bytes: &[u8], content_type: Option<&str>) -> (String, &'static str) {
    decode_body_from(bytes, content_type, None)
}

/// [`decode_body`] with the page's top-level domain (e.g. `jp`) as a hint
/// for the guess, the last resort.
pub fn decode_body_from(
    bytes: &[u8],
    content_type: Option<&str>,
    tld: Option<&str>,
) -> (String, &'static str) {
    let (encoding, _) = decide_charset_from(bytes, content_type, tld);
    let (text, _had_errors) = encoding.decode_with_bom_removal(bytes);
    (text.into_owned(), encoding.name())
}

/// Picks the encoding for `bytes`; see the module docs for the order.
pub fn decide_charset(
    bytes: &[u8],
    content_type: Option<&str>,
) -> (&'static Encoding, CharsetSource) {
    decide_charset_from(bytes, content_type, None)
}

/// [`decide_charset`] with a top-level-domain hint for the guess.
pub fn decide_charset_from(
    bytes: &[u8],
    content_type: Option<&str>,
    tld: Option<&str>,
) -> (&'static Encoding, CharsetSource) {
    if let Some(encoding) = content_type
        .and_then(charset_param)
        .and_then(usable_encoding)
        .filter(|enc| fits(enc, bytes))
    {
        return (encoding, CharsetSource::Header);
    }
    if let Some((encoding, _bom_len)) = Encoding::for_bom(bytes) {
        return (encoding, CharsetSource::Bom);
    }
    if let Some(encoding) = meta_charset(&bytes[..bytes.len().min(META_SCAN_BYTES)])
        .and_then(usable_encoding)
        .map(meta_override)
        .filter(|enc| fits(enc, bytes))
    {
        return (encoding, CharsetSource::Meta);
    }
    if std::str::from_utf8(bytes).is_ok() {
        return (UTF_8, CharsetSource::Guess);
    }
    let sample = &bytes[..bytes.len().min(GUESS_BYTES)];
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(sample, sample.len() == bytes.len());
    // Not valid UTF-8 as a whole, so UTF-8 is not a candidate.
    let tld = tld
        .filter(|label| {
            label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
        .filter(|label| !label.is_empty());
    (
        detector.guess(tld.map(str::as_bytes), false),
        CharsetSource::Guess,
    )
}

/// The `charset` parameter of a `Content-Type` value, unquoted.
pub fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(|c| c == '"' || c == '\''))
            .filter(|v| !v.is_empty())
    })
}

/// The label in the first `<meta ... charset=...>` of `head`, whether written
/// as `<meta charset="x">` or inside an `http-equiv` `content` attribute.
pub fn meta_charset(head: &[u8]) -> Option<&str> {
    static META: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r#"(?i-u)<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.+-]+)"#)
            .expect("static regex")
    });
    let label = META.captures(head)?.get(1)?.as_bytes();
    std::str::from_utf8(label).ok()
}

/// Maps a label to an encoding that can decode a page. The `replacement`
/// encoding (labels of unsafe legacy encodings) is refused, like an unknown
/// label.
fn usable_encoding(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes()).filter(|enc| *enc != encoding_rs::REPLACEMENT)
}

/// A `<meta>` cannot truthfully declare UTF-16 (the tag itself would not be
/// readable), and x-user-defined means windows-1252 there, as browsers do.
fn meta_override(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == encoding_rs::UTF_16BE || encoding == encoding_rs::UTF_16LE {
        UTF_8
    } else if encoding == encoding_rs::X_USER_DEFINED {
        WINDOWS_1252
    } else {
        encoding
    }
}

/// Whether `bytes` decode in `encoding` without a malformed sequence.
fn fits(encoding: &'static Encoding, bytes: &[u8]) -> bool {
    if encoding == UTF_8 {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        return std::str::from_utf8(body).is_ok();
    }
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_some()
}

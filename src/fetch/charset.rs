//! Charset decision and decoding.
//!
//! Evidence is taken in this order: the HTTP `Content-Type` charset, a byte
//! order mark, a `<meta charset>` / `http-equiv` declaration, then a
//! guess (UTF-8 if the body is valid UTF-8, else chardetng). A declaration is skipped when it names no known
//! encoding or when the body is not valid in it (a page served as UTF-8 that
//! is really windows-1252 is the common case), so the next evidence decides.
//!
//! The bytes overrule a declaration that is plainly wrong: a legacy charset
//! (ISO-8859-1 on old pages) declared for a body whose non-ASCII bytes are all
//! well-formed UTF-8 sequences is UTF-8, since legacy text almost never
//! forms them by chance; and a body that is UTF-8 but for a few stray bytes
//! (a pasted windows-1252 quote) is decoded as UTF-8 with those bytes read as
//! windows-1252, instead of garbling every UTF-8 character around them.
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
    /// The bytes are UTF-8 although a legacy charset was declared.
    Bytes,
}

/// How a body reads as UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Utf8Shape {
    /// Only ASCII bytes: every ASCII-compatible declaration fits.
    Ascii,
    /// Valid, with non-ASCII characters.
    Valid,
    /// Mostly valid: well-formed multi-byte characters outnumber stray bytes
    /// by [`MOSTLY_UTF8_RATIO`] or more.
    Mostly,
    NotUtf8,
}

/// Well-formed multi-byte UTF-8 characters per malformed sequence for a body
/// to count as UTF-8 with a few stray bytes. Legacy CJK encodings form valid
/// two-byte sequences by chance for about one character in six, far below this.
const MOSTLY_UTF8_RATIO: usize = 4;

fn utf8_shape(bytes: &[u8]) -> Utf8Shape {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.is_ascii() {
        return Utf8Shape::Ascii;
    }
    // most pages: valid as a whole, no need to count (one fast pass)
    if std::str::from_utf8(bytes).is_ok() {
        return Utf8Shape::Valid;
    }
    let mut multibyte = 0usize;
    let mut malformed = 0usize;
    for chunk in bytes.utf8_chunks() {
        // one leading byte (11xxxxxx) per multi-byte character
        multibyte += chunk.valid().bytes().filter(|&b| b >= 0xC0).count();
        malformed += usize::from(!chunk.invalid().is_empty());
    }
    match (multibyte, malformed) {
        (_, 0) => Utf8Shape::Valid,
        (m, bad) if m >= MOSTLY_UTF8_RATIO * bad => Utf8Shape::Mostly,
        _ => Utf8Shape::NotUtf8,
    }
}

/// UTF-8 with each malformed byte read as windows-1252 (see the module docs).
fn decode_utf8_with_stray_bytes(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            out.push_str(&WINDOWS_1252.decode_without_bom_handling(chunk.invalid()).0);
        }
    }
    out
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
    if encoding == UTF_8 && std::str::from_utf8(bytes).is_err() {
        return (decode_utf8_with_stray_bytes(bytes), encoding.name());
    }
    let (text, _had_errors) = encoding.decode_with_bom_removal(bytes);
    (text.into_owned(), encoding.name())
}

/// [`decode_body`] for a body the caller gives up: a valid UTF-8 body (most
/// pages) becomes the text without a copy, and is validated once instead
/// of three times. Same answer as [`decode_body`].
pub fn decode_body_owned(bytes: Vec<u8>, content_type: Option<&str>) -> (String, &'static str) {
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => return decode_body(err.as_bytes(), content_type),
    };
    let body = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    // what `utf8_shape` finds for a valid body
    let shape = if body.is_ascii() {
        Utf8Shape::Ascii
    } else {
        Utf8Shape::Valid
    };
    let (encoding, _) = decide_charset_with(text.as_bytes(), shape, content_type, None);
    if encoding != UTF_8 {
        return decode_body(text.as_bytes(), content_type);
    }
    // as `decode_with_bom_removal` does for UTF-8
    if text.starts_with('\u{FEFF}') {
        text.replace_range(..'\u{FEFF}'.len_utf8(), "");
    }
    (text, UTF_8.name())
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
    decide_charset_with(bytes, utf8_shape(bytes), content_type, tld)
}

/// [`decide_charset_from`] with the body's [`utf8_shape`] known.
fn decide_charset_with(
    bytes: &[u8],
    shape: Utf8Shape,
    content_type: Option<&str>,
    tld: Option<&str>,
) -> (&'static Encoding, CharsetSource) {
    if let Some(encoding) = content_type
        .and_then(charset_param)
        .and_then(usable_encoding)
    {
        if let Some(decision) = check_declared(encoding, bytes, shape, CharsetSource::Header) {
            return decision;
        }
    }
    if let Some((encoding, _bom_len)) = Encoding::for_bom(bytes) {
        return (encoding, CharsetSource::Bom);
    }
    if let Some(encoding) = meta_charset(&bytes[..bytes.len().min(META_SCAN_BYTES)])
        .and_then(usable_encoding)
        .map(meta_override)
    {
        if let Some(decision) = check_declared(encoding, bytes, shape, CharsetSource::Meta) {
            return decision;
        }
    }
    if matches!(
        shape,
        Utf8Shape::Ascii | Utf8Shape::Valid | Utf8Shape::Mostly
    ) {
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

/// What a declaration comes to: kept when the bytes fit it, UTF-8 when a
/// legacy charset is declared over UTF-8 bytes, `None` (next evidence) when
/// the bytes do not fit.
fn check_declared(
    encoding: &'static Encoding,
    bytes: &[u8],
    shape: Utf8Shape,
    source: CharsetSource,
) -> Option<(&'static Encoding, CharsetSource)> {
    if encoding == UTF_8 {
        return matches!(
            shape,
            Utf8Shape::Ascii | Utf8Shape::Valid | Utf8Shape::Mostly
        )
        .then_some((UTF_8, source));
    }
    let ascii_compatible = encoding.is_ascii_compatible();
    if ascii_compatible && matches!(shape, Utf8Shape::Valid | Utf8Shape::Mostly) {
        return Some((UTF_8, CharsetSource::Bytes));
    }
    fits(encoding, bytes).then_some((encoding, source))
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

#[cfg(test)]
mod tests {
    use super::*;

    const CURLY: &str = "The minister said “we will return” to the talks in Zürich, and the délégation’s chief agreed — “next month”.";

    fn page(meta: Option<&str>) -> String {
        let meta = meta
            .map(|label| {
                format!("<meta http-equiv=\"Content-Type\" content=\"text/html; charset={label}\">")
            })
            .unwrap_or_default();
        format!("<html><head>{meta}</head><body><p>{CURLY}</p></body></html>")
    }

    #[test]
    fn utf8_body_declared_iso_8859_1_is_read_as_utf8() {
        let html = page(Some("iso-8859-1"));
        for header in [Some("text/html; charset=ISO-8859-1"), None] {
            assert_eq!(
                decide_charset(html.as_bytes(), header),
                (UTF_8, CharsetSource::Bytes),
                "{header:?}"
            );
            let (text, name) = decode_body(html.as_bytes(), header);
            assert_eq!((text.as_str(), name), (html.as_str(), "UTF-8"));
            assert!(!text.contains("â€"), "garbled quotes in {text}");
        }
    }

    #[test]
    fn latin1_body_declared_iso_8859_1_stays_windows_1252() {
        let html = page(Some("iso-8859-1")).replace(['“', '”', '—', '’'], "'");
        let (bytes, _, unmappable) = WINDOWS_1252.encode(&html);
        assert!(!unmappable);
        assert_eq!(
            decide_charset(&bytes, Some("text/html; charset=iso-8859-1")),
            (WINDOWS_1252, CharsetSource::Header)
        );
        assert_eq!(decode_body(&bytes, None).0, html);
    }

    #[test]
    fn utf8_page_with_a_stray_windows_1252_quote_keeps_both() {
        // A UTF-8 page with one pasted windows-1252 apostrophe (0x92).
        let mut bytes = page(Some("utf-8")).into_bytes();
        let at = bytes.len() - "</p></body></html>".len();
        bytes.splice(at..at, b" It\x92s done.".iter().copied());
        assert!(std::str::from_utf8(&bytes).is_err());
        for header in [Some("text/html; charset=utf-8"), None] {
            let (text, name) = decode_body(&bytes, header);
            assert_eq!(name, "UTF-8");
            assert!(text.contains(CURLY), "{text}");
            assert!(text.contains("It’s done."), "{text}");
        }
    }

    #[test]
    fn legacy_text_is_not_taken_for_utf8_with_stray_bytes() {
        let french = "Le délégué a présenté à Genève un accord très détaillé sur l’énergie, ça été vite réglé. ".repeat(5);
        let (bytes, _, _) = WINDOWS_1252.encode(&french);
        assert_eq!(utf8_shape(&bytes), Utf8Shape::NotUtf8);
        assert_eq!(decode_body(&bytes, None).0, french);
        let chinese =
            "外交部发言人表示，双方将在北京举行新一轮磋商，讨论贸易和能源合作问题。".repeat(5);
        let (bytes, _, _) = encoding_rs::GBK.encode(&chinese);
        assert_eq!(utf8_shape(&bytes), Utf8Shape::NotUtf8);
        assert_eq!(decode_body(&bytes, None).0, chinese);
    }
}

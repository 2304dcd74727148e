//! Input-message decoding: any bytes either decode to a request whose URL
//! passes the fetcher's own normalization, or fail with a classified error.
#![no_main]

use attache::consume::{decode_input, MAX_URL_BYTES};
use attache::Classified;
use libfuzzer_sys::fuzz_target;

const MAX_MESSAGE_BYTES: usize = 64 * 1024;

fuzz_target!(|data: &[u8]| {
    match decode_input(Some(data), MAX_MESSAGE_BYTES) {
        Ok(message) => {
            assert!(message.url.len() <= MAX_URL_BYTES);
            let url =
                attache::fetch::normalize_url(&message.url).expect("a decoded URL normalizes");
            assert!(matches!(url.scheme(), "http" | "https"));
            assert!(url.username().is_empty() && url.password().is_none());
            if let Some(published) = &message.published {
                assert!(chrono::DateTime::parse_from_rfc3339(published).is_ok());
            }
        }
        Err(error) => {
            assert_eq!(error.stage(), "decode");
            assert!(!error.kind().is_empty());
            assert!(!error.to_string().is_empty());
        }
    }
});

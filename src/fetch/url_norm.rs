//! URL normalization: the result is both the dedup key and the URL fetched.
use url::Url;

use super::{FetchError, FetchErrorKind};

/// Which query parameters count as tracking noise and are dropped.
#[derive(Debug, Clone, Default)]
pub struct QueryFilter {
    exact: Vec<String>,
    prefixes: Vec<String>,
}

impl QueryFilter {
    /// `patterns` as in `fetch.strip_query_params`: a trailing `*` matches a
    /// prefix; matching ignores ASCII case.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Self {
        let mut filter = QueryFilter::default();
        for pattern in patterns {
            let pattern = pattern.as_ref().trim().to_ascii_lowercase();
            match pattern.strip_suffix('*') {
                Some(prefix) => filter.prefixes.push(prefix.to_string()),
                None if !pattern.is_empty() => filter.exact.push(pattern),
                None => {}
            }
        }
        filter
    }

    fn strips(&self, name: &str) -> bool {
        let name = name.to_ascii_lowercase();
        self.exact.contains(&name) || self.prefixes.iter().any(|p| name.starts_with(p.as_str()))
    }
}

/// Parses and normalizes a URL with the default tracking-parameter list.
///
/// See [`normalize_url_with`] for the rules.
pub fn normalize_url(input: &str) -> Result<Url, FetchError> {
    static DEFAULT_FILTER: once_cell::sync::Lazy<QueryFilter> = once_cell::sync::Lazy::new(|| {
        QueryFilter::new(&crate::config::FetchConfig::default().strip_query_params)
    });
    normalize_url_with(input, &DEFAULT_FILTER)
}

/// Parses and normalizes a URL: http(s) only, a host, no userinfo; drops the
/// fragment and the tracking parameters `filter` names. Host lowercasing,
/// IDNA, default-port removal and percent-encoding are done by the WHATWG
/// parser in `url`.
pub fn normalize_url_with(input: &str, filter: &QueryFilter) -> Result<Url, FetchError> {
    // Messages name the problem only: callers already say "invalid URL".
    let url = Url::parse(input.trim())
        .map_err(|e| FetchError::new(FetchErrorKind::InvalidUrl, format!("not a URL: {e}")))?;
    normalize_parsed(url, filter)
        .map_err(|reason| FetchError::new(FetchErrorKind::InvalidUrl, reason))
}

/// The checks and rewrites shared by input URLs and redirect targets; the
/// caller picks the error kind.
pub(crate) fn normalize_parsed(mut url: Url, filter: &QueryFilter) -> Result<Url, String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("scheme `{}` is not http or https", url.scheme()));
    }
    if url.host_str().map_or(true, str::is_empty) {
        return Err("no host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("userinfo (user:password@) is not allowed".into());
    }
    url.set_fragment(None);
    if url.query().is_some() {
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(name, _)| !filter.strips(name))
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        if kept.is_empty() {
            url.set_query(None);
        } else if kept.len() != url.query_pairs().count() {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
        // An untouched query keeps its original encoding byte for byte.
    }
    Ok(url)
}

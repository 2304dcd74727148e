//! The fetcher against a local fault server: every fault ends in bounded
//! time with the right error kind.
mod support;

use std::future::Future;
use std::time::Duration;

use attache::config::FetchConfig;
use attache::fetch::{FetchError, FetchedPage, Fetcher};
use attache::Classified;
use support::http_server::{Robots, TestServer};

const MAX_BODY: usize = 256 * 1024;

/// Small limits so every fault resolves in about a second.
fn test_config() -> FetchConfig {
    FetchConfig {
        allow_private_networks: true,
        connect_timeout_ms: 500,
        total_timeout_ms: 800,
        max_body_bytes: MAX_BODY,
        per_host_min_delay_ms: 0,
        retry_max_attempts: 3,
        retry_initial_backoff_ms: 20,
        retry_max_backoff_ms: 100,
        retry_max_total_ms: 8_000,
        ..FetchConfig::default()
    }
}

/// A fetcher for raw servers, which serve the same bytes for /robots.txt too.
fn fetcher_without_robots() -> Fetcher {
    let config = FetchConfig {
        obey_robots: false,
        ..test_config()
    };
    Fetcher::new(&config).unwrap()
}

/// Fails the test instead of hanging.
async fn bounded<T>(work: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(15), work)
        .await
        .expect("fetch did not finish in bounded time")
}

async fn fetch_ok(fetcher: &Fetcher, url: &str) -> FetchedPage {
    bounded(fetcher.fetch(url))
        .await
        .unwrap_or_else(|e| panic!("{url}: {} {e}", e.kind()))
}

async fn fetch_err(fetcher: &Fetcher, url: &str) -> FetchError {
    match bounded(fetcher.fetch(url)).await {
        Ok(page) => panic!("{url} unexpectedly fetched: {page:?}"),
        Err(err) => err,
    }
}

#[tokio::test]
async fn plain_page_is_fetched_and_normalized() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    let page = fetch_ok(
        &fetcher,
        &server.url("/echo?utm_source=news&id=7&fbclid=abc#top"),
    )
    .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.attempts, 1);
    assert_eq!(page.charset, "UTF-8");
    assert_eq!(page.final_url, server.url("/echo?id=7"));
    // The tracking parameters never reached the server either.
    assert!(page.html.contains("<p>/echo?id=7</p>"), "{}", page.html);
    assert_eq!(page.body_bytes, page.html.len());
}

#[tokio::test]
async fn slow_headers_time_out_and_are_retried() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    let err = fetch_err(&fetcher, &server.url("/slow-headers")).await;
    assert_eq!(err.kind(), "timeout", "{err}");
    assert_eq!(err.attempts(), 3);
    assert_eq!(server.hits("/slow-headers"), 3);
}

#[tokio::test]
async fn slowloris_body_times_out() {
    let server = TestServer::start(Robots::Missing).await;
    let config = FetchConfig {
        retry_max_attempts: 1,
        ..test_config()
    };
    let fetcher = Fetcher::new(&config).unwrap();
    let err = fetch_err(&fetcher, &server.url("/slow-body")).await;
    assert_eq!(err.kind(), "timeout", "{err}");
    assert_eq!(err.attempts(), 1);
}

#[tokio::test]
async fn endless_body_is_cut_at_the_cap() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    let err = fetch_err(&fetcher, &server.url("/endless")).await;
    assert_eq!(err.kind(), "too_large", "{err}");
    assert_eq!(err.attempts(), 1, "too_large is not retried");
}

#[tokio::test]
async fn declared_large_body_is_refused_before_download() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    let err = fetch_err(&fetcher, &server.url("/large")).await;
    assert_eq!(err.kind(), "too_large", "{err}");
    assert!(err.to_string().contains("Content-Length"), "{err}");
}

#[tokio::test]
async fn compressed_bodies_are_decoded() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    for coding in ["br", "deflate", "gzip"] {
        let page = fetch_ok(&fetcher, &server.url(&format!("/encoded/{coding}"))).await;
        assert!(
            page.html
                .contains(&format!("<p>sent with Content-Encoding {coding}</p>")),
            "{coding}: {}",
            page.html
        );
    }
}

#[tokio::test]
async fn gzip_bomb_stays_bounded() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    let err = fetch_err(&fetcher, &server.url("/gzip-bomb")).await;
    assert_eq!(err.kind(), "too_large", "{err}");
}

#[tokio::test]
async fn redirect_loop_stops_at_the_limit() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    let err = fetch_err(&fetcher, &server.url("/loop/a")).await;
    assert_eq!(err.kind(), "too_many_redirects", "{err}");
    assert_eq!(err.attempts(), 1);
    // The first request plus five redirects followed.
    assert_eq!(server.hits("/loop/a") + server.hits("/loop/b"), 6);
}

#[tokio::test]
async fn five_redirects_are_followed_six_are_not() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    let page = fetch_ok(&fetcher, &server.url("/chain/4")).await;
    assert_eq!(page.final_url, server.url("/ok"));
    let err = fetch_err(&fetcher, &server.url("/chain/5")).await;
    assert_eq!(err.kind(), "too_many_redirects", "{err}");
}

#[tokio::test]
async fn bad_redirects_are_refused() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    for target in [
        "/redirect",                                // no Location
        "/redirect?to=ftp%3A%2F%2Fexample.com%2Ff", // not http(s)
        "/redirect?to=http%3A%2F%2Fu%3Ap%40h%2F",   // userinfo
        "/redirect?to=http%3A%2F%2F%5B%3A%3A1",     // unparsable
    ] {
        let err = fetch_err(&fetcher, &server.url(target)).await;
        assert_eq!(err.kind(), "bad_redirect", "{target}: {err}");
    }
}

/// Guard on, with `localhost` exempted so the first hop can reach the test
/// server: a redirect to a private literal address must still be refused.
fn guarded_config() -> FetchConfig {
    FetchConfig {
        allow_private_networks: false,
        ssrf_exempt_hosts: vec!["localhost".into()],
        ..test_config()
    }
}

#[tokio::test]
async fn redirect_to_loopback_or_metadata_is_refused() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&guarded_config()).unwrap();
    // The exempt name itself works.
    fetch_ok(&fetcher, &server.url_named("localhost", "/ok")).await;
    let ok_hits = server.hits("/ok");
    let to_loopback = format!(
        "/redirect?to=http%3A%2F%2F127.0.0.1%3A{}%2Fok",
        server.addr.port()
    );
    let err = fetch_err(&fetcher, &server.url_named("localhost", &to_loopback)).await;
    assert_eq!(err.kind(), "private_address", "{err}");
    assert_eq!(
        server.hits("/ok"),
        ok_hits,
        "the refused hop was not requested"
    );

    for metadata in [
        "http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F",
        "http%3A%2F%2F%5B%3A%3Affff%3A169.254.169.254%5D%2F",
        "http%3A%2F%2F2852039166%2F", // 169.254.169.254 as one number
    ] {
        let err = fetch_err(
            &fetcher,
            &server.url_named("localhost", &format!("/redirect?to={metadata}")),
        )
        .await;
        assert_eq!(err.kind(), "private_address", "{metadata}: {err}");
        assert_eq!(err.attempts(), 1);
    }
}

#[tokio::test]
async fn guard_refuses_private_literals_and_names() {
    let server = TestServer::start(Robots::Missing).await;
    let config = FetchConfig {
        allow_private_networks: false,
        ..test_config()
    };
    let fetcher = Fetcher::new(&config).unwrap();
    let port = server.addr.port();
    for url in [
        server.url("/ok"),
        format!("http://[::ffff:127.0.0.1]:{port}/ok"),
        format!("http://2130706433:{port}/ok"),
        "http://169.254.169.254/latest/meta-data/".to_string(),
        "http://[::1]/".to_string(),
        // A name resolving only to loopback, caught by the resolver.
        server.url_named("localhost", "/ok"),
    ] {
        let err = fetch_err(&fetcher, &url).await;
        assert_eq!(err.kind(), "private_address", "{url}: {err}");
        assert_eq!(err.attempts(), 1, "not retried");
    }
    assert_eq!(
        server.all_hit_times().len(),
        0,
        "nothing reached the server"
    );
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    let page = fetch_ok(&fetcher, &server.url("/flaky/429")).await;
    assert_eq!(page.attempts, 2);
    let hits = server.hit_times("/flaky/429");
    assert_eq!(hits.len(), 2);
    // Retry-After: 1 outweighs the 20 ms backoff (a lower bound, not a speed test).
    assert!(
        hits[1] - hits[0] >= Duration::from_millis(950),
        "{:?}",
        hits[1] - hits[0]
    );
}

#[tokio::test]
async fn retry_after_beyond_the_budget_gives_up_at_once() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    let err = fetch_err(&fetcher, &server.url("/always/429")).await;
    assert_eq!(err.kind(), "http_429", "{err}");
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    // Too large to add to a clock: still a clean give-up.
    let err = fetch_err(
        &fetcher,
        &server.url("/always/429?after=99999999999999999999"),
    )
    .await;
    assert_eq!(err.kind(), "http_429", "{err}");
    assert_eq!(err.attempts(), 1);
    // Unparsable: the normal backoff applies, until attempts run out.
    let err = fetch_err(&fetcher, &server.url("/always/429?after=soon")).await;
    assert_eq!(err.kind(), "http_429", "{err}");
    assert_eq!(err.retry_after(), None);
    assert_eq!(err.attempts(), 3);
}

#[tokio::test]
async fn unavailable_then_ok_is_retried() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    let page = fetch_ok(&fetcher, &server.url("/flaky/503")).await;
    assert_eq!(page.attempts, 2);
    assert!(page.html.contains("recovered"));

    let err = fetch_err(&fetcher, &server.url("/always/503")).await;
    assert_eq!(err.kind(), "http_5xx", "{err}");
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.attempts(), 3, "retry_max_attempts");
}

#[tokio::test]
async fn permanent_statuses_are_not_retried() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    for (code, kind) in [
        (404, "http_404"),
        (410, "http_410"),
        (403, "http_4xx"),
        (500, "http_5xx"),
    ] {
        let path = format!("/status/{code}");
        let err = fetch_err(&fetcher, &server.url(&path)).await;
        assert_eq!(err.kind(), kind, "{code}: {err}");
        assert_eq!(err.attempts(), 1, "{code}");
        assert_eq!(server.hits(&path), 1, "{code}");
    }
}

#[tokio::test]
async fn wrong_charset_declaration_is_corrected() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    let page = fetch_ok(&fetcher, &server.url("/charset/wrong")).await;
    assert_eq!(page.charset, "windows-1252");
    assert!(
        page.html.contains("Affaires étrangères a reçu"),
        "{}",
        page.html
    );
}

#[tokio::test]
async fn non_html_is_refused() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    for kind in ["pdf", "json", "png", "plain"] {
        let err = fetch_err(&fetcher, &server.url(&format!("/type/{kind}"))).await;
        assert_eq!(err.kind(), "not_html", "{kind}: {err}");
        assert_eq!(err.attempts(), 1);
    }
}

#[tokio::test]
async fn connection_refused_is_a_retried_connect_error() {
    // Bind then drop, so the port is very likely closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let fetcher = Fetcher::new(&test_config()).unwrap();
    let err = fetch_err(&fetcher, &format!("http://127.0.0.1:{port}/")).await;
    assert_eq!(err.kind(), "connect", "{err}");
    assert_eq!(err.attempts(), 3);
}

#[tokio::test]
async fn invalid_urls_make_no_request() {
    let fetcher = Fetcher::new(&test_config()).unwrap();
    for url in ["nope", "ftp://x.example/", "http://user:pw@127.0.0.1/"] {
        let err = fetch_err(&fetcher, url).await;
        assert_eq!(err.kind(), "invalid_url", "{url}: {err}");
        assert_eq!(err.attempts(), 0);
    }
}

#[tokio::test]
async fn unresolvable_name_is_a_dns_error() {
    // RFC 6761: `.invalid` never resolves; hickory answers it without a network.
    let fetcher = Fetcher::new(&test_config()).unwrap();
    let err = fetch_err(&fetcher, "http://no-such-host.invalid/").await;
    assert_eq!(err.kind(), "dns", "{err}");
    assert_eq!(err.attempts(), 1, "not retried");
}

#[tokio::test]
async fn extreme_config_values_do_not_panic() {
    let server = TestServer::start(Robots::Text("User-agent: *\nCrawl-delay: 0.01\n")).await;
    let config = FetchConfig {
        total_timeout_ms: u64::MAX,
        connect_timeout_ms: u64::MAX,
        retry_max_total_ms: u64::MAX,
        retry_max_backoff_ms: u64::MAX,
        robots_ttl_secs: u64::MAX,
        robots_error_ttl_secs: u64::MAX,
        max_crawl_delay_secs: u64::MAX,
        per_host_concurrency: usize::MAX,
        max_redirects: usize::MAX,
        max_body_bytes: usize::MAX,
        ..test_config()
    };
    let fetcher = Fetcher::new(&config).unwrap();
    let page = fetch_ok(&fetcher, &server.url("/chain/3")).await;
    assert_eq!(page.final_url, server.url("/ok"));
}

#[tokio::test]
async fn truncated_body_is_a_retried_body_error() {
    let server = support::http_server::RawServer::start(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<html>cut",
    )
    .await;
    let err = fetch_err(&fetcher_without_robots(), &server.url("/")).await;
    assert_eq!(err.kind(), "body_read", "{err}");
    assert_eq!(err.attempts(), 3);
}

#[tokio::test]
async fn garbage_instead_of_http_fails_cleanly() {
    let server = support::http_server::RawServer::start(b"SSH-2.0-OpenSSH_9.6\r\n\r\n").await;
    let err = fetch_err(&fetcher_without_robots(), &server.url("/")).await;
    assert_eq!(err.kind(), "connect", "{err}");
}

#[tokio::test]
async fn corrupt_gzip_is_bad_compression() {
    let server = support::http_server::RawServer::start(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: 12\r\n\r\nnot gzip at ",
    )
    .await;
    let err = fetch_err(&fetcher_without_robots(), &server.url("/")).await;
    assert_eq!(err.kind(), "bad_compression", "{err}");
    assert_eq!(err.attempts(), 1);
}

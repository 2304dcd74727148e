//! robots.txt and per-host politeness against local servers.
mod support;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use attache::config::FetchConfig;
use attache::fetch::{FetchError, Fetcher};
use attache::Classified;
use support::http_server::{Robots, TestServer};

fn test_config() -> FetchConfig {
    FetchConfig {
        allow_private_networks: true,
        connect_timeout_ms: 500,
        total_timeout_ms: 5_000,
        per_host_min_delay_ms: 0,
        retry_max_attempts: 3,
        retry_initial_backoff_ms: 20,
        retry_max_backoff_ms: 100,
        retry_max_total_ms: 10_000,
        ..FetchConfig::default()
    }
}

async fn bounded<T>(work: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(15), work)
        .await
        .expect("did not finish in bounded time")
}

async fn fetch_err(fetcher: &Fetcher, url: &str) -> FetchError {
    match bounded(fetcher.fetch(url)).await {
        Ok(page) => panic!("{url} unexpectedly fetched: {page:?}"),
        Err(err) => err,
    }
}

#[tokio::test]
async fn robots_disallow_is_obeyed_and_cached() {
    let server = TestServer::start(Robots::Text("User-agent: *\nDisallow: /private\n")).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    let err = fetch_err(&fetcher, &server.url("/private/page")).await;
    assert_eq!(err.kind(), "robots_disallowed", "{err}");
    assert_eq!(err.attempts(), 1, "not retried");
    assert_eq!(server.hits("/private/page"), 0);
    bounded(fetcher.fetch(&server.url("/ok"))).await.unwrap();
    bounded(fetcher.fetch(&server.url("/ok"))).await.unwrap();
    assert_eq!(server.hits("/robots.txt"), 1, "robots.txt is cached");
}

#[tokio::test]
async fn robots_can_be_ignored_by_config() {
    let server = TestServer::start(Robots::Text("User-agent: *\nDisallow: /\n")).await;
    let config = FetchConfig {
        obey_robots: false,
        ..test_config()
    };
    let fetcher = Fetcher::new(&config).unwrap();
    bounded(fetcher.fetch(&server.url("/private/page")))
        .await
        .unwrap();
    assert_eq!(server.hits("/robots.txt"), 0);
}

#[tokio::test]
async fn robots_agent_is_the_user_agent_product_token() {
    let robots = "User-agent: attache-test\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n";
    let server = TestServer::start(Robots::Text(robots)).await;
    let config = FetchConfig {
        user_agent: "attache-test/9.9 (+https://example.org/bot)".into(),
        ..test_config()
    };
    let fetcher = Fetcher::new(&config).unwrap();
    // Our group allows /ok although `*` disallows everything...
    bounded(fetcher.fetch(&server.url("/ok"))).await.unwrap();
    // ...and our group's own rule applies.
    let err = fetch_err(&fetcher, &server.url("/private/x")).await;
    assert_eq!(err.kind(), "robots_disallowed");

    // Another product token falls under `*`.
    let other = Fetcher::new(&FetchConfig {
        user_agent: "otherbot/1.0".into(),
        ..test_config()
    })
    .unwrap();
    let err = fetch_err(&other, &server.url("/ok")).await;
    assert_eq!(err.kind(), "robots_disallowed");
}

#[tokio::test]
async fn robots_server_error_blocks_the_host_for_now() {
    let server = TestServer::start(Robots::Status(500)).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    let err = fetch_err(&fetcher, &server.url("/ok")).await;
    assert_eq!(err.kind(), "robots_unavailable", "{err}");
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.hits("/ok"), 0);
    // Within the negative TTL, robots.txt is not asked again.
    let err = fetch_err(&fetcher, &server.url("/ok")).await;
    assert_eq!(err.kind(), "robots_unavailable");
    assert_eq!(server.hits("/robots.txt"), 1);
}

#[tokio::test]
async fn robots_server_error_is_asked_again_after_the_negative_ttl() {
    let server = TestServer::start(Robots::Status(503)).await;
    let config = FetchConfig {
        robots_error_ttl_secs: 0,
        ..test_config()
    };
    let fetcher = Fetcher::new(&config).unwrap();
    fetch_err(&fetcher, &server.url("/ok")).await;
    fetch_err(&fetcher, &server.url("/ok")).await;
    assert_eq!(server.hits("/robots.txt"), 2);
}

#[tokio::test]
async fn robots_client_error_allows_everything() {
    let server = TestServer::start(Robots::Status(403)).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    bounded(fetcher.fetch(&server.url("/private/x")))
        .await
        .unwrap();
}

/// Host A (127.0.0.1) hangs with its only slot taken and a second request
/// queued; host B (127.0.0.2) must still be served meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_host_does_not_stall_another() {
    let slow = TestServer::start_on("127.0.0.1", Robots::Missing).await;
    let fast = TestServer::start_on("127.0.0.2", Robots::Missing).await;
    let config = FetchConfig {
        per_host_concurrency: 1,
        ..test_config()
    };
    let fetcher = Arc::new(Fetcher::new(&config).unwrap());

    let first = tokio::spawn({
        let (fetcher, url) = (Arc::clone(&fetcher), slow.url("/gated"));
        async move { fetcher.fetch(&url).await }
    });
    slow.wait_for_hits("/gated", 1).await;
    let queued = tokio::spawn({
        let (fetcher, url) = (Arc::clone(&fetcher), slow.url("/gated"));
        async move { fetcher.fetch(&url).await }
    });

    let page = bounded(fetcher.fetch(&fast.url("/ok"))).await.unwrap();
    assert_eq!(page.status, 200);
    assert!(!first.is_finished() && !queued.is_finished());
    assert_eq!(
        slow.hits("/gated"),
        1,
        "the second request waits for the slot"
    );

    slow.open_gate();
    bounded(first).await.unwrap().unwrap();
    bounded(queued).await.unwrap().unwrap();
    assert_eq!(slow.hits("/gated"), 2);
    assert_eq!(slow.gated_max_in_flight(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_host_concurrency_is_capped() {
    let server = TestServer::start(Robots::Missing).await;
    let fetcher = Arc::new(Fetcher::new(&test_config()).unwrap()); // 2 per host
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let (fetcher, url) = (Arc::clone(&fetcher), server.url("/gated"));
            tokio::spawn(async move { fetcher.fetch(&url).await })
        })
        .collect();
    server.wait_for_hits("/gated", 2).await;
    // Give the others a chance to (wrongly) get in.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.hits("/gated"), 2);
    server.open_gate();
    for task in tasks {
        bounded(task).await.unwrap().unwrap();
    }
    assert_eq!(server.hits("/gated"), 4);
    assert_eq!(server.gated_max_in_flight(), 2);
}

/// Lower bounds on gaps between request arrivals: behaviour, not speed.
fn assert_gaps_at_least(server: &TestServer, gap: Duration) {
    let times = server.all_hit_times();
    for pair in times.windows(2) {
        // A little slack for the path between the client's clock and the server's.
        assert!(
            pair[1] - pair[0] >= gap - Duration::from_millis(30),
            "requests {:?} apart, expected at least {gap:?}",
            pair[1] - pair[0]
        );
    }
}

#[tokio::test]
async fn requests_to_one_host_are_spaced() {
    let server = TestServer::start(Robots::Missing).await;
    let config = FetchConfig {
        per_host_min_delay_ms: 300,
        ..test_config()
    };
    let fetcher = Fetcher::new(&config).unwrap();
    let (ok_url, echo_url) = (server.url("/ok"), server.url("/echo"));
    let (a, b) = tokio::join!(
        bounded(fetcher.fetch(&ok_url)),
        bounded(fetcher.fetch(&echo_url))
    );
    a.unwrap();
    b.unwrap();
    assert_eq!(server.all_hit_times().len(), 3, "robots.txt and two pages");
    assert_gaps_at_least(&server, Duration::from_millis(300));
}

#[tokio::test]
async fn crawl_delay_raises_the_gap_up_to_the_cap() {
    let server = TestServer::start(Robots::Text("User-agent: *\nCrawl-delay: 30\n")).await;
    let config = FetchConfig {
        per_host_min_delay_ms: 0,
        max_crawl_delay_secs: 1,
        ..test_config()
    };
    let fetcher = Fetcher::new(&config).unwrap();
    bounded(fetcher.fetch(&server.url("/ok"))).await.unwrap();
    bounded(fetcher.fetch(&server.url("/echo"))).await.unwrap();
    assert_eq!(server.all_hit_times().len(), 3);
    // Crawl-delay 30 s, capped at 1 s.
    assert_gaps_at_least(&server, Duration::from_secs(1));
    let times = server.all_hit_times();
    assert!(
        times[2] - times[0] < Duration::from_secs(10),
        "the cap held"
    );
}

#[tokio::test]
async fn a_redirect_to_another_host_obeys_that_hosts_robots() {
    let target = TestServer::start_on(
        "127.0.0.2",
        Robots::Text("User-agent: *\nDisallow: /private\n"),
    )
    .await;
    let origin = TestServer::start(Robots::Missing).await;
    let fetcher = Fetcher::new(&test_config()).unwrap();
    let to = format!("http%3A%2F%2F{}%2Fprivate%2Fx", target.addr);
    let err = fetch_err(&fetcher, &origin.url(&format!("/redirect?to={to}"))).await;
    assert_eq!(err.kind(), "robots_disallowed", "{err}");
    assert_eq!(target.hits("/robots.txt"), 1);
    assert_eq!(target.hits("/private/x"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_requests_share_one_robots_download() {
    let server = TestServer::start(Robots::Text("User-agent: *\nAllow: /\n")).await;
    let fetcher = Arc::new(Fetcher::new(&test_config()).unwrap());
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (fetcher, url) = (Arc::clone(&fetcher), server.url(&format!("/echo?n={i}")));
            tokio::spawn(async move { fetcher.fetch(&url).await })
        })
        .collect();
    for task in tasks {
        bounded(task).await.unwrap().unwrap();
    }
    assert_eq!(server.hits("/robots.txt"), 1);
    assert_eq!(server.hits("/echo"), 8);
}

//! Poison messages on a real broker: each one becomes a DLQ record with its
//! kind, the worker keeps going, and the partition is not blocked (good URLs
//! after them on the same partition are processed and the committed offset
//! reaches the end of the partition).
#[path = "support/kafka.rs"]
mod kafka;
#[path = "support/pages.rs"]
mod pages;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use attache::publish::TRUNCATED_HEADER;
use kafka::{ensure_broker, produce, read_topics, TestTopics};
use pages::PageServer;
use rand::{Rng, SeedableRng};
use tokio_util::sync::CancellationToken;

const WAIT: Duration = Duration::from_secs(90);
const TEN_MIB: usize = 10 * 1024 * 1024;

/// One poison message and what its DLQ record must say.
struct Poison {
    name: &'static str,
    payload: Vec<u8>,
    stage: &'static str,
    kind: &'static str,
}

impl Poison {
    fn new(name: &'static str, payload: Vec<u8>, stage: &'static str, kind: &'static str) -> Self {
        Self {
            name,
            payload,
            stage,
            kind,
        }
    }
}

/// A URL-shaped value of exactly `len` bytes.
fn long_url(filler: u8, len: usize) -> Vec<u8> {
    let mut url = b"https://example.com/".to_vec();
    url.resize(len, filler);
    url
}

fn poisons(server: &PageServer, max_message_bytes: usize) -> Vec<Poison> {
    // Fixed seed: a failure can be replayed.
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x0005_eed7);
    let random_bytes: Vec<u8> = (0..4096).map(|_| rng.random()).collect();
    assert!(
        std::str::from_utf8(&random_bytes).is_err(),
        "precondition: the random bytes are not UTF-8"
    );
    let random_text: Vec<u8> = (0..512).map(|_| rng.random_range(b'!'..=b'~')).collect();
    let hundred_kb_url = long_url(b'u', 100 * 1024);
    let twenty_kb_url = long_url(b'v', 20 * 1024);
    assert!(
        hundred_kb_url.len() > max_message_bytes && twenty_kb_url.len() < max_message_bytes,
        "precondition: the default message limit lies between the two long URLs"
    );
    vec![
        Poison::new("random bytes", random_bytes, "decode", "invalid_utf8"),
        Poison::new("random text", random_text, "decode", "invalid_url"),
        Poison::new("empty value", Vec::new(), "decode", "empty_message"),
        Poison::new(
            "whitespace only",
            b" \r\n\t ".to_vec(),
            "decode",
            "empty_message",
        ),
        Poison::new(
            "10 MiB value",
            long_url(b'x', TEN_MIB),
            "decode",
            "too_large",
        ),
        Poison::new(
            "invalid UTF-8 in a URL",
            b"https://example.com/\xff\xfe/news".to_vec(),
            "decode",
            "invalid_utf8",
        ),
        Poison::new(
            "JSON without url",
            br#"{"link": "https://example.com/"}"#.to_vec(),
            "decode",
            "missing_url",
        ),
        Poison::new(
            "JSON with a non-string url",
            br#"{"url": 42}"#.to_vec(),
            "decode",
            "missing_url",
        ),
        Poison::new(
            "truncated JSON",
            br#"{"url": "https://exa"#.to_vec(),
            "decode",
            "invalid_json",
        ),
        Poison::new(
            "ftp scheme",
            b"ftp://example.com/file.html".to_vec(),
            "decode",
            "invalid_url",
        ),
        Poison::new(
            "file scheme",
            b"file:///etc/passwd".to_vec(),
            "decode",
            "invalid_url",
        ),
        Poison::new(
            "userinfo",
            b"https://user:secret@example.com/".to_vec(),
            "decode",
            "invalid_url",
        ),
        Poison::new(
            "userinfo without password",
            b"http://admin@127.0.0.1/".to_vec(),
            "decode",
            "invalid_url",
        ),
        // Past worker.max_message_bytes (64 KiB by default): too large to read.
        Poison::new("100 KB URL", hundred_kb_url, "decode", "too_large"),
        // Within the message limit but past the URL limit (8 KiB).
        Poison::new("20 KB URL", twenty_kb_url, "decode", "invalid_url"),
        Poison::new(
            "404 page",
            server.url("missing/poison.html").into_bytes(),
            "fetch",
            "http_404",
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn poison_messages_are_dead_lettered_and_never_block_the_partition() {
    ensure_broker();
    let topics = TestTopics::new("poison");
    // One partition: every poison message sits in front of the good ones.
    topics.create(1).await;
    let server = PageServer::start(HashMap::new()).await;
    let config = topics.config();
    let max_message_bytes = config.worker.max_message_bytes;
    let shutdown = CancellationToken::new();
    let worker = attache::worker::start(Arc::new(config), shutdown.clone())
        .await
        .expect("worker starts");

    let cases = poisons(&server, max_message_bytes);
    let good_first = server.url("n/poison-good-first");
    let good_middle = server.url("n/poison-good-middle");
    let good_last = server.url("n/poison-good-last");
    let mut payloads = vec![good_first.clone().into_bytes()];
    for (i, case) in cases.iter().enumerate() {
        payloads.push(case.payload.clone());
        if i == cases.len() / 2 {
            payloads.push(good_middle.clone().into_bytes());
        }
    }
    payloads.push(good_last.clone().into_bytes());
    produce(&topics.input, &payloads).await;

    let records = read_topics(
        &[&topics.dlq, &topics.articles],
        cases.len() + 3,
        WAIT,
        Duration::from_secs(1),
    )
    .await;

    // Not blocked: the group's committed offset reaches the partition's end.
    let end = payloads.len() as i64;
    let deadline = Instant::now() + Duration::from_secs(30);
    let committed = loop {
        let committed = topics.committed_input_offsets(1).get(&0).copied();
        if committed == Some(end) || Instant::now() > deadline {
            break committed;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(30), worker.task)
        .await
        .expect("worker stops in time")
        .expect("worker task joins")
        .expect("worker exits cleanly");

    let dead: Vec<_> = records.iter().filter(|r| r.topic == topics.dlq).collect();
    for case in &cases {
        let expected_payload = &case.payload[..case.payload.len().min(max_message_bytes)];
        let record = dead
            .iter()
            .find(|r| r.payload == expected_payload)
            .unwrap_or_else(|| panic!("{}: no DLQ record with its payload", case.name));
        assert_eq!(record.headers["error.stage"], case.stage, "{}", case.name);
        assert_eq!(record.headers["error.kind"], case.kind, "{}", case.name);
        assert_eq!(
            record.headers["source.topic"], topics.input,
            "{}",
            case.name
        );
        assert_eq!(record.headers["source.partition"], "0", "{}", case.name);
        if case.payload.len() > max_message_bytes {
            assert_eq!(
                record.headers.get(TRUNCATED_HEADER),
                Some(&case.payload.len().to_string()),
                "{}: an oversized payload is cut and says so",
                case.name
            );
        } else {
            assert!(
                !record.headers.contains_key(TRUNCATED_HEADER),
                "{}: kept byte for byte",
                case.name
            );
        }
    }
    assert_eq!(dead.len(), cases.len(), "one DLQ record per poison message");

    let mut good: Vec<String> = records
        .iter()
        .filter(|r| r.topic == topics.articles)
        .map(|r| r.headers["source_url"].clone())
        .collect();
    good.sort();
    let mut expected = vec![good_first, good_middle, good_last];
    expected.sort();
    assert_eq!(good, expected, "every good URL has its article, once");
    assert_eq!(
        committed,
        Some(end),
        "committed offset reaches the end of the partition"
    );
}

//! A real HTTP server on a loopback address and an ephemeral port, with one
//! route per network fault a fetcher must survive. Every server has its own
//! state, so tests do not interfere.
//!
//! Routes (GET, any query):
//! - `/robots.txt`             as chosen by [`Robots`]
//! - `/ok`, `/private/...`     a small UTF-8 HTML page
//! - `/echo`                   HTML whose body is the request's path and query
//! - `/status/<code>`          that status with an HTML body
//! - `/flaky/503`, `/flaky/429` 503 (or 429 with `Retry-After: 1`) on the first hit, then 200
//! - `/always/503`             503 every time
//! - `/always/429?after=<v>`  429 with `Retry-After: <v>` (default 3600)
//! - `/slow-headers`           waits 60 s before answering
//! - `/slow-body`              headers at once, then one byte every 100 ms (slowloris)
//! - `/endless`                an endless HTML body, as fast as it is read
//! - `/large`                  a 4 MiB body with its Content-Length
//! - `/gzip-bomb`              20 MiB of zeros as ~100 KiB of gzip, `Content-Encoding: gzip`
//! - `/encoded/<br|deflate|gzip>` a small page in that `Content-Encoding`
//! - `/loop/a`, `/loop/b`      redirect to each other forever
//! - `/chain/<n>`              n redirects, then `/ok`
//! - `/redirect?to=<url>`      302 to `<url>` (percent-decoded); no `to` = no Location
//! - `/charset/wrong`          windows-1252 bytes served as `charset=utf-8`
//! - `/type/<pdf|json|png|plain>` non-HTML content types
//! - `/gated`                  waits until [`TestServer::open_gate`], counting concurrency
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::Response;
use axum::Router;
use bytes::Bytes;
use tokio::sync::watch;

/// What `/robots.txt` answers.
#[derive(Debug, Clone)]
pub enum Robots {
    /// 404: everything allowed.
    Missing,
    /// 200 with this text.
    Text(&'static str),
    /// This status with an empty body.
    Status(u16),
}

struct ServerState {
    robots: Robots,
    /// Path -> arrival times, in order.
    hits: Mutex<HashMap<String, Vec<Instant>>>,
    /// Every request's arrival, any path.
    all_hits: Mutex<Vec<Instant>>,
    gate: watch::Sender<bool>,
    gated_in_flight: AtomicUsize,
    gated_max_in_flight: AtomicUsize,
}

pub struct TestServer {
    pub addr: SocketAddr,
    state: Arc<ServerState>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    /// A server on 127.0.0.1.
    pub async fn start(robots: Robots) -> TestServer {
        Self::start_on("127.0.0.1", robots).await
    }

    /// A server on another loopback address, e.g. 127.0.0.2, to act as a
    /// second host.
    pub async fn start_on(ip: &str, robots: Robots) -> TestServer {
        let listener = tokio::net::TcpListener::bind((ip, 0))
            .await
            .unwrap_or_else(|e| panic!("bind {ip}:0: {e}"));
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(ServerState {
            robots,
            hits: Mutex::new(HashMap::new()),
            all_hits: Mutex::new(Vec::new()),
            gate: watch::channel(false).0,
            gated_in_flight: AtomicUsize::new(0),
            gated_max_in_flight: AtomicUsize::new(0),
        });
        let app = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&state));
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("test server");
        });
        TestServer { addr, state, task }
    }

    pub fn url(&self, path_and_query: &str) -> String {
        format!("http://{}{}", self.addr, path_and_query)
    }

    /// The same route addressed by host name instead of IP.
    pub fn url_named(&self, host: &str, path_and_query: &str) -> String {
        format!("http://{host}:{}{}", self.addr.port(), path_and_query)
    }

    pub fn hits(&self, path: &str) -> usize {
        self.hit_times(path).len()
    }

    pub fn hit_times(&self, path: &str) -> Vec<Instant> {
        let hits = self.state.hits.lock().unwrap();
        hits.get(path).cloned().unwrap_or_default()
    }

    /// Arrival times of every request, in order.
    pub fn all_hit_times(&self) -> Vec<Instant> {
        self.state.all_hits.lock().unwrap().clone()
    }

    /// Waits (up to 5 s, then panics) until `path` has been hit `count` times.
    pub async fn wait_for_hits(&self, path: &str, count: usize) {
        let give_up = Instant::now() + Duration::from_secs(5);
        while self.hits(path) < count {
            assert!(
                Instant::now() < give_up,
                "{path} got {} hits, expected {count}",
                self.hits(path)
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Lets every waiting and future `/gated` request answer.
    pub fn open_gate(&self) {
        self.state.gate.send_replace(true);
    }

    /// The most `/gated` requests that were in the server at once.
    pub fn gated_max_in_flight(&self) -> usize {
        self.state.gated_max_in_flight.load(Ordering::SeqCst)
    }
}

fn html(status: StatusCode, body: impl Into<Body>) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(body.into())
        .unwrap()
}

fn page(text: &str) -> String {
    format!(
        "<!doctype html><html><head><title>test</title></head><body><p>{text}</p></body></html>"
    )
}

/// `body` compressed as the HTTP content coding names it.
fn encode(coding: &str, body: &[u8]) -> Vec<u8> {
    use std::io::Write;
    match coding {
        "br" => {
            let mut out = Vec::new();
            let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
            writer.write_all(body).unwrap();
            drop(writer);
            out
        }
        // HTTP's "deflate" is the zlib format (RFC 9110, 8.4.1.2).
        "deflate" => {
            let mut writer = flate2::write::ZlibEncoder::new(Vec::new(), Default::default());
            writer.write_all(body).unwrap();
            writer.finish().unwrap()
        }
        "gzip" => {
            let mut writer = flate2::write::GzEncoder::new(Vec::new(), Default::default());
            writer.write_all(body).unwrap();
            writer.finish().unwrap()
        }
        other => panic!("no encoder for {other}"),
    }
}

fn redirect(location: &str) -> Response {
    Response::builder()
        .status(StatusCode::FOUND)
        .header(header::LOCATION, location)
        .body(Body::empty())
        .unwrap()
}

fn query_param(uri: &Uri, name: &str) -> Option<String> {
    url::form_urlencoded::parse(uri.query()?.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// A gzip body of zeros, ~1000:1: 20 MiB that compress to ~100 KiB.
///
/// Written by hand (one fixed-Huffman deflate block: a literal 0, then
/// "copy 258 bytes from distance 1" over and over) because a real encoder in
/// a debug build needs seconds per 64 KiB. The stream has no end, exactly
/// like a bomb that is cut off: the client must stop at its cap first.
fn gzip_bomb() -> Body {
    static BOMB: once_cell::sync::Lazy<Bytes> = once_cell::sync::Lazy::new(|| {
        struct Bits {
            out: Vec<u8>,
            acc: u32,
            len: u32,
        }
        impl Bits {
            /// Deflate packs fields from the low bit up.
            fn put(&mut self, value: u32, count: u32) {
                self.acc |= value << self.len;
                self.len += count;
                while self.len >= 8 {
                    self.out.push(self.acc as u8);
                    self.acc >>= 8;
                    self.len -= 8;
                }
            }
            /// Huffman codes go most significant bit first.
            fn code(&mut self, code: u32, count: u32) {
                self.put(code.reverse_bits() >> (32 - count), count);
            }
        }
        let mut bits = Bits {
            // gzip header: magic, deflate, no flags, no mtime, unknown OS.
            out: vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff],
            acc: 0,
            len: 0,
        };
        bits.put(0, 1); // not the final block
        bits.put(1, 2); // fixed Huffman codes
        bits.code(0x30, 8); // literal byte 0
        for _ in 0..(20 * 1024 * 1024 / 258) {
            bits.code(0xc0 + 5, 8); // length symbol 285 = 258 bytes
            bits.code(0, 5); // distance code 0 = 1 byte back
        }
        Bytes::from(bits.out)
    });
    Body::from(BOMB.clone())
}

async fn handle(State(state): State<Arc<ServerState>>, uri: Uri) -> Response {
    let path = uri.path().to_string();
    let hit_number = {
        let now = Instant::now();
        state.all_hits.lock().unwrap().push(now);
        let mut hits = state.hits.lock().unwrap();
        let times = hits.entry(path.clone()).or_default();
        times.push(now);
        times.len()
    };
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["robots.txt"] => match &state.robots {
            Robots::Missing => html(StatusCode::NOT_FOUND, "no robots here"),
            Robots::Text(text) => Response::builder()
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from(*text))
                .unwrap(),
            Robots::Status(code) => Response::builder()
                .status(*code)
                .body(Body::empty())
                .unwrap(),
        },
        ["ok"] | ["private", ..] => html(StatusCode::OK, page("ok")),
        ["echo"] => html(
            StatusCode::OK,
            page(
                &uri.path_and_query()
                    .map(|pq| pq.to_string())
                    .unwrap_or_default(),
            ),
        ),
        ["status", code] => {
            let code = code.parse().unwrap_or(500);
            html(StatusCode::from_u16(code).unwrap(), page("status"))
        }
        ["flaky", "503"] if hit_number == 1 => html(StatusCode::SERVICE_UNAVAILABLE, "busy"),
        ["flaky", "429"] if hit_number == 1 => Response::builder()
            .status(StatusCode::TOO_MANY_REQUESTS)
            .header(header::RETRY_AFTER, "1")
            .body(Body::empty())
            .unwrap(),
        ["flaky", _] => html(StatusCode::OK, page("recovered")),
        ["always", "503"] => html(StatusCode::SERVICE_UNAVAILABLE, "busy"),
        ["always", "429"] => Response::builder()
            .status(StatusCode::TOO_MANY_REQUESTS)
            .header(
                header::RETRY_AFTER,
                query_param(&uri, "after").unwrap_or_else(|| "3600".into()),
            )
            .body(Body::empty())
            .unwrap(),
        ["slow-headers"] => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            html(StatusCode::OK, page("too late"))
        }
        ["slow-body"] => {
            let stream = futures::stream::unfold((), |()| async {
                tokio::time::sleep(Duration::from_millis(100)).await;
                Some((Ok::<_, Infallible>(Bytes::from_static(b"a")), ()))
            });
            html(StatusCode::OK, Body::from_stream(stream))
        }
        ["endless"] => {
            let chunk = Bytes::from("<p>endless</p>".repeat(1024));
            let stream = futures::stream::repeat_with(move || Ok::<_, Infallible>(chunk.clone()));
            html(StatusCode::OK, Body::from_stream(stream))
        }
        ["large"] => html(StatusCode::OK, vec![b'a'; 4 * 1024 * 1024]),
        ["gzip-bomb"] => Response::builder()
            .header(header::CONTENT_TYPE, "text/html")
            .header(header::CONTENT_ENCODING, "gzip")
            .body(gzip_bomb())
            .unwrap(),
        ["encoded", coding] => {
            let text = page(&format!("sent with Content-Encoding {coding}"));
            Response::builder()
                .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
                .header(header::CONTENT_ENCODING, *coding)
                .body(Body::from(encode(coding, text.as_bytes())))
                .unwrap()
        }
        ["loop", "a"] => redirect("/loop/b"),
        ["loop", "b"] => redirect("/loop/a"),
        ["chain", n] => match n.parse::<u32>().unwrap_or(0) {
            0 => redirect("/ok"),
            n => redirect(&format!("/chain/{}", n - 1)),
        },
        ["redirect"] => match query_param(&uri, "to") {
            Some(to) => redirect(&to),
            None => Response::builder()
                .status(StatusCode::FOUND)
                .body(Body::empty())
                .unwrap(),
        },
        ["charset", "wrong"] => {
            let text = page("Le ministre des Affaires étrangères a reçu l'ambassadeur à Paris.");
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
            html(StatusCode::OK, bytes.into_owned())
        }
        ["type", kind] => {
            let content_type = match *kind {
                "pdf" => "application/pdf",
                "json" => "application/json",
                "png" => "image/png",
                _ => "text/plain; charset=utf-8",
            };
            Response::builder()
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(vec![b'x'; 1024]))
                .unwrap()
        }
        ["gated"] => {
            let now = state.gated_in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            state.gated_max_in_flight.fetch_max(now, Ordering::SeqCst);
            let mut gate = state.gate.subscribe();
            let _ = gate.wait_for(|open| *open).await;
            state.gated_in_flight.fetch_sub(1, Ordering::SeqCst);
            html(StatusCode::OK, page("gated"))
        }
        _ => html(StatusCode::NOT_FOUND, page("not found")),
    }
}

/// A TCP server on 127.0.0.1 that answers every connection with the same
/// raw bytes and then closes it: for responses axum refuses to produce
/// (a body shorter than its Content-Length, garbage instead of HTTP).
pub struct RawServer {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl RawServer {
    pub async fn start(response: &'static [u8]) -> RawServer {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                tokio::spawn(async move {
                    // Read the request head; its content does not matter.
                    let mut buf = [0u8; 4096];
                    let _ = socket.read(&mut buf).await;
                    let _ = socket.write_all(response).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        RawServer { addr, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

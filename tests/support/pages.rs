//! A real HTTP server on 127.0.0.1 serving fixture pages for worker tests.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub struct PageServer {
    pub addr: SocketAddr,
}

impl PageServer {
    /// Serves `pages` (path without leading slash -> HTML) under `/p/`;
    /// `/n/<anything>` serves a numbered synthetic article; `/seed/<anything>`
    /// serves the seed page (two stories, real events); `/missing/*` is 404.
    /// Network faults live in `http_server.rs`.
    pub async fn start(pages: HashMap<String, String>) -> Self {
        let app = Router::new()
            .route("/p/{*path}", get(page))
            .route("/n/{id}", get(numbered))
            .route("/seed/{id}", get(seed_copy))
            .route("/missing/{*path}", get(|| async { StatusCode::NOT_FOUND }))
            .route("/robots.txt", get(|| async { StatusCode::NOT_FOUND }))
            .with_state(Arc::new(pages));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { addr }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{}", self.addr, path.trim_start_matches('/'))
    }
}

async fn page(
    State(pages): State<Arc<HashMap<String, String>>>,
    Path(path): Path<String>,
) -> Response {
    match pages.get(&path) {
        Some(html) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A small, valid article page whose body mentions its own id.
async fn numbered(Path(id): Path<String>) -> Response {
    let html = numbered_page(&id);
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

/// The seed page under any number of distinct URLs.
async fn seed_copy() -> Response {
    static SEED: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let html = SEED.get_or_init(seed_page).clone();
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

pub fn numbered_page(id: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Harbour report {id}</title>
<meta property="article:published_time" content="2025-03-04T10:00:00+00:00"></head>
<body><nav><a href="/">Home</a></nav><article><h1>Harbour report {id}</h1>
<p>The harbour authority published its weekly report number {id} on Tuesday, listing the vessels that entered and left the port during the week and the cargo they carried.</p>
<p>Officials said the volume of container traffic had been steady for most of the season, while bulk cargo rose slightly because of the grain harvest in the surrounding region.</p>
<p>The next report is expected at the same time next week, the authority said in a statement posted on its website.</p>
</article><footer>Contact us</footer></body></html>"#
    )
}

pub fn seed_page() -> String {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/seed-page.html");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

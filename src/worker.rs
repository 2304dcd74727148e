//! The Kafka edge: consume -> pipeline -> publish -> commit.
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::config::Config;

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("not implemented yet")]
    Todo,
}

pub async fn run(_config: Arc<Config>, _shutdown: CancellationToken) -> Result<(), WorkerError> {
    Err(WorkerError::Todo)
}

/// A token cancelled on SIGTERM or SIGINT.
pub fn shutdown_on_signals() -> CancellationToken {
    let token = CancellationToken::new();
    let trigger = token.clone();
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("SIGTERM handler");
            tokio::select! {
                _ = ctrl_c => {},
                _ = term.recv() => {},
            }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
        tracing::info!("shutdown signal received");
        trigger.cancel();
    });
    token
}

//! The signals that ask `okienko run` to stop: SIGTERM (systemd, Docker, Kubernetes) and SIGINT
//! (Ctrl-C in a terminal). Either starts the graceful shutdown of [`crate::app::Running`].

/// Waits for SIGTERM or SIGINT and says which came.
pub async fn stop_requested() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = terminate.recv() => "SIGTERM",
                    _ = tokio::signal::ctrl_c() => "SIGINT",
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM; only Ctrl-C stops the bot gracefully");
                interrupted().await
            }
        }
    }
    #[cfg(not(unix))]
    {
        interrupted().await
    }
}

/// Ctrl-C; should the handler not install, this never completes (the process is then stopped as
/// any other, without the graceful part).
async fn interrupted() -> &'static str {
    match tokio::signal::ctrl_c().await {
        Ok(()) => "SIGINT",
        Err(error) => {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending().await
        }
    }
}

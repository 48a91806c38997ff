//! The signals that ask `okienko run` to stop: SIGTERM (systemd, Docker, Kubernetes) and SIGINT
//! (Ctrl-C in a terminal). Either starts the graceful shutdown of [`crate::app::Running`].

/// Listens for SIGTERM and SIGINT from now on (a signal that comes before the returned future is
/// first awaited is not lost, nor does it kill the process), and says which came.
pub fn listen() -> impl std::future::Future<Output = &'static str> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let terminate = signal(SignalKind::terminate());
        let interrupt = signal(SignalKind::interrupt());
        async move {
            match (terminate, interrupt) {
                (Ok(mut terminate), Ok(mut interrupt)) => {
                    tokio::select! {
                        _ = terminate.recv() => "SIGTERM",
                        _ = interrupt.recv() => "SIGINT",
                    }
                }
                (Err(error), _) | (_, Err(error)) => {
                    tracing::warn!(%error, "cannot listen for SIGTERM; only Ctrl-C stops the bot gracefully");
                    interrupted().await
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        interrupted()
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

//! Running the bot for an operator: the HTTP server beside it (`/healthz`, `/readyz`,
//! `/metrics`), the numbers it counts, and the signals that stop it gracefully.

/// `/healthz`, `/readyz` and `/metrics` on `OKIENKO_LISTEN`.
pub mod http;
/// The counters, gauges and the histogram, through the `metrics` facade and its Prometheus
/// exporter; the gauges read from the database when scraped.
pub mod metrics;
/// SIGTERM and SIGINT: when `okienko run` is asked to stop.
pub mod signals;

//! PostgreSQL at the edge: connecting (creating the database when it is missing), the embedded
//! migrations, and one module per table that owns its SQL.

pub mod booking;
pub mod dialogue;
pub mod exception;
pub mod health;
pub mod outbox;
pub mod user;

use std::str::FromStr;

use anyhow::Context;
use sqlx::{
    migrate::MigrateDatabase,
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool, Postgres,
};

/// The migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Connects to `url`, creating the database first when it does not exist, and migrates it.
pub async fn connect_and_migrate(url: &str) -> anyhow::Result<PgPool> {
    let options = PgConnectOptions::from_str(url).context("DATABASE_URL is malformed")?;
    let exists = Postgres::database_exists(url).await.with_context(|| {
        format!(
            "cannot reach PostgreSQL at {}:{} (is it running?)",
            options.get_host(),
            options.get_port()
        )
    })?;
    if !exists {
        tracing::info!(
            database = options.get_database().unwrap_or_default(),
            "creating the database"
        );
        Postgres::create_database(url)
            .await
            .context("cannot create the database")?;
    }
    let pool = PgPoolOptions::new()
        .max_connections(10)
        .acquire_timeout(health::BUSY_PATIENCE)
        .connect_with(options)
        .await
        .context("cannot connect to the database")?;
    migrate(&pool).await?;
    Ok(pool)
}

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR
        .run(pool)
        .await
        .context("cannot apply the database migrations")
}

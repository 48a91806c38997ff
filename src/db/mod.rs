//! PostgreSQL at the edge: connecting (creating the database when it is missing), the embedded
//! migrations, and one module per table that owns its SQL.

pub mod booking;
pub mod dialogue;
pub mod exception;
pub mod group_chat;
pub mod health;
pub mod news;
pub mod outbox;
pub mod staff;
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

/// What [`prepare`] did to the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prepared {
    /// The database did not exist and was created.
    pub created: bool,
    /// Migrations applied now (0 when it was up to date).
    pub applied: usize,
}

/// Connects to `url`, creating the database first when it does not exist, and migrates it.
pub async fn connect_and_migrate(url: &str) -> anyhow::Result<PgPool> {
    Ok(prepare(url).await?.0)
}

/// Connects to `url`, creating the database first when it does not exist, migrates it, and says
/// what it did.
pub async fn prepare(url: &str) -> anyhow::Result<(PgPool, Prepared)> {
    let options = PgConnectOptions::from_str(url).context("DATABASE_URL is malformed")?;
    let exists = Postgres::database_exists(url)
        .await
        .map_err(|error| unreachable(&options, error))?;
    if !exists {
        tracing::info!(
            database = options.get_database().unwrap_or_default(),
            "creating the database"
        );
        Postgres::create_database(url)
            .await
            .context("cannot create the database")?;
    }
    let pool = pool(options).await?;
    let before = applied(&pool).await;
    migrate(&pool).await?;
    let after = applied(&pool).await;
    let prepared = Prepared {
        created: !exists,
        applied: after.saturating_sub(before),
    };
    Ok((pool, prepared))
}

/// Connects to `url` as it is: a missing database is an error, and nothing is created or
/// migrated (for tools that only read, such as `okienko outbox`).
pub async fn connect_existing(url: &str) -> anyhow::Result<PgPool> {
    let options = PgConnectOptions::from_str(url).context("DATABASE_URL is malformed")?;
    let exists = Postgres::database_exists(url)
        .await
        .map_err(|error| unreachable(&options, error))?;
    if !exists {
        anyhow::bail!(
            "the database {} does not exist (okienko migrate creates it)",
            options.get_database().unwrap_or_default()
        );
    }
    pool(options).await
}

async fn pool(options: PgConnectOptions) -> anyhow::Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(10)
        .acquire_timeout(health::BUSY_PATIENCE)
        .connect_with(options)
        .await
        .context("cannot connect to the database")
}

/// How many migrations the database has recorded (none before the first).
async fn applied(pool: &PgPool) -> usize {
    sqlx::query_scalar::<_, i64>("select count(*) from _sqlx_migrations where success")
        .fetch_one(pool)
        .await
        .map_or(0, |count| usize::try_from(count).unwrap_or(0))
}

/// The server could not be asked: unreachable (nothing listens, or the network), or it answered
/// and refused (a wrong user or password, a database the user may not open).
fn unreachable(options: &PgConnectOptions, error: sqlx::Error) -> anyhow::Error {
    let server = format!("{}:{}", options.get_host(), options.get_port());
    match error {
        sqlx::Error::Database(refusal) => anyhow::anyhow!(
            "PostgreSQL at {server} refused the connection as {}: {} (check the user and password in DATABASE_URL)",
            options.get_username(),
            refusal.message()
        ),
        other => anyhow::Error::new(other)
            .context(format!("cannot reach PostgreSQL at {server} (is it running?)")),
    }
}

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR
        .run(pool)
        .await
        .context("cannot apply the database migrations")
}

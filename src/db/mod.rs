//! PostgreSQL at the edge: connecting (creating the database when it is missing), the embedded
//! migrations, and one module per table that owns its SQL.

pub mod booking;
pub mod dialogue;
pub mod exception;
pub mod group_chat;
pub mod health;
pub mod news;
pub mod outbox;
pub mod privacy;
pub mod staff;
pub mod update;
pub mod user;
pub mod webhook;

use std::str::FromStr;

use anyhow::Context;
use sqlx::{
    migrate::MigrateDatabase,
    postgres::{PgConnectOptions, PgPoolOptions},
    Connection, PgConnection, PgPool, Postgres,
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
    let pool = pool(options.clone()).await?;
    let before = applied(&pool).await;
    match schema(&pool).await {
        Schema::UpToDate => {}
        Schema::Newer(versions) => tracing::warn!(
            newer = ?versions,
            "the database has migrations this version of okienko does not know: a newer version \
             migrated it; this one serves on (to go back for good, restore the backup taken before \
             the upgrade)"
        ),
        Schema::NoRights(table) => anyhow::bail!(
            "the role {} in DATABASE_URL may not read the table {table}: grant it the rights in \
             deploy/README.md, \"The database\" (usage on schema public; select, insert, update, \
             delete on the tables; usage and select on the sequences)",
            options.get_username()
        ),
        Schema::Behind => migrate_alone(&options).await?,
    }
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

/// The longest a statement of the bot may run: a reply that waits longer has failed anyway.
pub const STATEMENT_TIMEOUT: &str = "10s";
/// The longest the bot waits for a lock (a row, or the per-person advisory lock) before the
/// request fails and the person is told to try again.
pub const LOCK_TIMEOUT: &str = "5s";

async fn pool(options: PgConnectOptions) -> anyhow::Result<PgPool> {
    let options = options.options([
        ("statement_timeout", STATEMENT_TIMEOUT),
        ("lock_timeout", LOCK_TIMEOUT),
    ]);
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

/// Where the database's schema stands against the migrations embedded in this binary.
#[derive(Debug, PartialEq, Eq)]
enum Schema {
    /// Every embedded migration is recorded as applied, unchanged, and nothing else: nothing to
    /// do, and nothing is asked of the database that a role which may only read and write rows
    /// could not do (the bot's own role in the least-privilege setup, where the owner runs
    /// `okienko migrate`).
    UpToDate,
    /// Every embedded migration is applied, and these later ones too: a newer version migrated
    /// the database (a rolling upgrade in progress, or a rollback of the binary). The old version
    /// serves on, as `/readyz` already allows; the migrator would refuse.
    Newer(Vec<i64>),
    /// The migrations table exists, but this role may not read it: a missing grant, not a
    /// missing migration (the migrator's "permission denied for schema public" would mislead).
    NoRights(&'static str),
    /// Anything else (no table yet, a new migration, a changed one): the migrator applies or
    /// refuses as it does.
    Behind,
}

async fn schema(pool: &PgPool) -> Schema {
    let recorded = match sqlx::query_as::<_, (i64, Vec<u8>)>(
        "select version, checksum from _sqlx_migrations where success order by version",
    )
    .fetch_all(pool)
    .await
    {
        Ok(recorded) => recorded,
        Err(error) => {
            // Without usage on the schema, the table is "missing" to this role; the catalogue,
            // which every role may read, tells a missing grant from a new database.
            let refused = error
                .as_database_error()
                .and_then(|e| e.code())
                .is_some_and(|code| code == "42501" || code == "42P01");
            let exists = refused
                && sqlx::query_scalar::<_, bool>(
                    "select exists (select 1 from pg_catalog.pg_class c \
                     join pg_catalog.pg_namespace n on n.oid = c.relnamespace \
                     where c.relname = '_sqlx_migrations' and n.nspname = 'public')",
                )
                .fetch_one(pool)
                .await
                .unwrap_or(false);
            return if exists {
                Schema::NoRights("_sqlx_migrations")
            } else {
                Schema::Behind
            };
        }
    };
    let embedded: Vec<(i64, Vec<u8>)> = MIGRATOR
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .map(|m| (m.version, m.checksum.to_vec()))
        .collect();
    if recorded == embedded {
        return Schema::UpToDate;
    }
    let all_ours = embedded.iter().all(|m| recorded.contains(m));
    let newest_ours = embedded.last().map_or(0, |(version, _)| *version);
    let later: Vec<i64> = recorded
        .iter()
        .map(|(version, _)| *version)
        .filter(|version| *version > newest_ours)
        .collect();
    if all_ours && !later.is_empty() && recorded.len() == embedded.len() + later.len() {
        Schema::Newer(later)
    } else {
        Schema::Behind
    }
}

/// Applies the migrations on a connection of its own, without the serving timeouts (a migration
/// of a large table may rightly take long).
async fn migrate_alone(options: &PgConnectOptions) -> anyhow::Result<()> {
    let mut connection = PgConnection::connect_with(options)
        .await
        .context("cannot connect to the database")?;
    let applied = MIGRATOR.run(&mut connection).await.context(
        "cannot apply the database migrations (a role that may only read and write rows cannot: \
         run okienko migrate as the database's owner first)",
    );
    let _ = connection.close().await;
    applied
}

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR
        .run(pool)
        .await
        .context("cannot apply the database migrations")
}

/// Whether every migration shipped in this binary is recorded as applied, unchanged (for
/// `/readyz`). Migrations recorded beyond them do not count against it: during an upgrade the
/// new version migrates first while the old replicas still serve.
pub async fn migrations_applied(pool: &PgPool) -> sqlx::Result<bool> {
    let recorded: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("select version, checksum from _sqlx_migrations where success")
            .fetch_all(pool)
            .await?;
    Ok(MIGRATOR
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .all(|m| {
            recorded
                .iter()
                .any(|(version, checksum)| *version == m.version && *checksum == *m.checksum)
        }))
}

//! The `place_exception` table: one-off closures and extra openings, read into memory. When the
//! database does not answer, the last list read is used, so hours are still served.

use std::sync::{Arc, RwLock};

use chrono::{Days, NaiveDate};
use sqlx::PgPool;

use super::health::{Health, Unanswered};
use crate::hours::{Change, Exception, TimeRange};

/// Exceptions from a week back (a week shown from today) to a year ahead.
pub async fn load(pool: &PgPool, today: NaiveDate) -> sqlx::Result<Vec<Exception>> {
    Ok(load_versioned(pool, today).await?.1)
}

/// [`load`], with the version of the table they were read at (one statement, one snapshot).
async fn load_versioned(pool: &PgPool, today: NaiveDate) -> sqlx::Result<(i64, Vec<Exception>)> {
    let from = today.checked_sub_days(Days::new(7)).unwrap_or(today);
    type Row = (
        i64,
        Option<String>,
        Option<NaiveDate>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "select v.version, e.place_key, e.day, e.hours, e.note
         from place_exception_version v left join place_exception e on e.day >= $1
         order by e.day, e.place_key",
    )
    .bind(from)
    .fetch_all(pool)
    .await?;
    let version = rows.first().map_or(-1, |row| row.0);
    let list = rows
        .into_iter()
        .filter_map(|(_, key, date, hours, note)| {
            let (key, date) = (key?, date?);
            let change = match hours {
                None => Change::Closed,
                Some(text) => match TimeRange::parse_list(&text) {
                    Ok(ranges) => Change::Open(ranges),
                    Err(error) => {
                        tracing::warn!(place = key, %date, %error, "an exception's hours do not read; ignored");
                        return None;
                    }
                },
            };
            Some(Exception { key, date, change, note })
        })
        .collect();
    Ok((version, list))
}

/// The exceptions as last read, with the day and the table's version they were read for.
struct Read {
    version: i64,
    today: NaiveDate,
    list: Arc<Vec<Exception>>,
}

/// The exceptions as last read.
pub struct Exceptions {
    pool: PgPool,
    health: Health,
    last: RwLock<Option<Read>>,
}

impl Exceptions {
    pub fn new(pool: PgPool, health: Health) -> Self {
        Self {
            pool,
            health,
            last: RwLock::new(None),
        }
    }

    fn last(&self) -> Arc<Vec<Exception>> {
        self.last
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .as_ref()
            .map_or_else(Default::default, |read| read.list.clone())
    }

    /// The exceptions as of `version` of the table (read with the update in hand, see
    /// [`super::update`]): the ones in memory when they were read at that version for `today`,
    /// else read afresh as [`Exceptions::current`] does.
    pub async fn as_of(&self, today: NaiveDate, version: Option<i64>) -> Arc<Vec<Exception>> {
        if let Some(version) = version {
            let last = self
                .last
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some(read) = last
                .as_ref()
                .filter(|read| read.version == version && read.today == today)
            {
                return read.list.clone();
            }
        }
        self.current(today).await
    }

    /// Reads the exceptions afresh, or gives the last ones read when the database does not answer.
    pub async fn current(&self, today: NaiveDate) -> Arc<Vec<Exception>> {
        match self.health.ask(load_versioned(&self.pool, today)).await {
            Ok((version, list)) => {
                let list = Arc::new(list);
                *self
                    .last
                    .write()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Read {
                    version,
                    today,
                    list: list.clone(),
                });
                list
            }
            Err(Unanswered::Failed(error)) => {
                tracing::warn!(%error, "cannot read closures; using the last ones read");
                self.last()
            }
            Err(Unanswered::TimedOut(_)) => {
                tracing::warn!("the database is slow; using the last closures read");
                self.last()
            }
        }
    }
}

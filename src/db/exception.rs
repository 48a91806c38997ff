//! The `place_exception` table: one-off closures and extra openings, read into memory. When the
//! database does not answer, the last list read is used, so hours are still served.

use std::sync::{Arc, RwLock};

use chrono::{Days, NaiveDate};
use sqlx::PgPool;

use super::health::{Health, Unanswered};
use crate::hours::{Change, Exception, TimeRange};

/// Exceptions from a week back (a week shown from today) to a year ahead.
pub async fn load(pool: &PgPool, today: NaiveDate) -> sqlx::Result<Vec<Exception>> {
    let from = today.checked_sub_days(Days::new(7)).unwrap_or(today);
    let rows: Vec<(String, NaiveDate, Option<String>, Option<String>)> = sqlx::query_as(
        "select place_key, day, hours, note from place_exception where day >= $1 order by day, place_key",
    )
    .bind(from)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(key, date, hours, note)| {
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
        .collect())
}

/// The exceptions as last read.
pub struct Exceptions {
    pool: PgPool,
    health: Health,
    last: RwLock<Arc<Vec<Exception>>>,
}

impl Exceptions {
    pub fn new(pool: PgPool, health: Health) -> Self {
        Self {
            pool,
            health,
            last: RwLock::new(Arc::new(Vec::new())),
        }
    }

    fn last(&self) -> Arc<Vec<Exception>> {
        match self.last.read() {
            Ok(last) => last.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reads the exceptions afresh, or gives the last ones read when the database does not answer.
    pub async fn current(&self, today: NaiveDate) -> Arc<Vec<Exception>> {
        match self.health.ask(load(&self.pool, today)).await {
            Ok(list) => {
                let list = Arc::new(list);
                match self.last.write() {
                    Ok(mut last) => *last = list.clone(),
                    Err(poisoned) => *poisoned.into_inner() = list.clone(),
                }
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

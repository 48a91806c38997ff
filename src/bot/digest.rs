//! The morning digest: at `OKIENKO_DIGEST_AT` (Chorzów's time) the day's visits of every service
//! go to the staff chats, in Polish, through the outbox. One row per day in `staff_digest` makes
//! it once a day however many processes run or restart.

use std::time::Duration;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};

use super::{booking::Words, Services};
use crate::{
    clock::TIME_ZONE,
    db::{
        outbox::{self, NewJob},
        staff as store,
    },
    hours::instant,
    i18n::Lang,
};

/// Runs until aborted; does nothing when no time or no staff chat is configured.
pub fn spawn(services: Services) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let Some(at) = services.digest_at else {
            return;
        };
        if services.staff_chats.is_empty() {
            return;
        }
        // The day whose digest this worker has seen to (sent, or found sent by another): the
        // next one is the day after, not today's again within its minute.
        let mut done: Option<NaiveDate> = None;
        loop {
            let now = services.clock.now();
            let (day, due) = next(now, at, done);
            let wait = (due - now).to_std().unwrap_or(Duration::ZERO);
            tokio::time::sleep(wait).await;
            match send(&services, day).await {
                Ok(()) => done = Some(day),
                Err(error) => {
                    tracing::warn!(
                        error = format!("{error:#}"),
                        "cannot send the morning digest"
                    );
                    tokio::time::sleep(Duration::from_secs(60)).await;
                }
            }
        }
    })
}

/// The next digest: today's when its time has not passed (or has just passed, within a minute,
/// as after a sleep that ended early) and not `done` already, else tomorrow's.
fn next(now: DateTime<Utc>, at: NaiveTime, done: Option<NaiveDate>) -> (NaiveDate, DateTime<Utc>) {
    let today = now.with_timezone(&TIME_ZONE).date_naive();
    let due = instant(today, at, false).with_timezone(&Utc);
    if due + chrono::Duration::minutes(1) > now && done != Some(today) {
        return (today, due);
    }
    let tomorrow = today.checked_add_days(Days::new(1)).unwrap_or(today);
    (tomorrow, instant(tomorrow, at, false).with_timezone(&Utc))
}

/// Sends `day`'s digest, unless it was sent already.
async fn send(services: &Services, day: NaiveDate) -> anyhow::Result<()> {
    let now = services.clock.now();
    let text = text(services, day).await?;
    let mut tx = services.pool.begin().await?;
    let taken: bool = sqlx::query_scalar(
        "insert into staff_digest (day, sent_at) values ($1, $2) on conflict do nothing returning true",
    )
    .bind(day)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?
    .unwrap_or(false);
    if !taken {
        return Ok(());
    }
    let jobs = NewJob::to_staff_chats(&services.staff_chats, &text);
    outbox::enqueue(&mut tx, &jobs, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The day's visits of every service: per service, time, name and phone.
pub async fn text(services: &Services, day: NaiveDate) -> anyhow::Result<String> {
    let words = Words::new(services, Lang::Pl);
    let keys: Vec<String> = services
        .directory
        .bookable()
        .map(|(place, _)| place.key.clone())
        .collect();
    let next = day.checked_add_days(Days::new(1)).unwrap_or(day);
    let from = instant(day, NaiveTime::MIN, false).with_timezone(&Utc);
    let to = instant(next, NaiveTime::MIN, false).with_timezone(&Utc);
    let visits = store::agenda(&services.pool, &keys, from, to).await?;
    let mut lines = vec![words.t(
        "staff-digest-title",
        &[
            ("day", words.day_button(day).into()),
            ("count", visits.len().into()),
        ],
    )];
    let mut service = None;
    for visit in &visits {
        if service != Some(&visit.service_key) {
            lines.push(String::new());
            lines.push(words.service_name(&visit.service_key));
            service = Some(&visit.service_key);
        }
        let time = visit.slot_start.with_timezone(&TIME_ZONE).format("%-H:%M");
        let phone_mark = if visit.by_phone {
            format!(" · {}", words.plain("staff-by-phone"))
        } else {
            String::new()
        };
        lines.push(format!(
            "{time} {}, {}{phone_mark}",
            visit.name.as_str(),
            visit.phone
        ));
    }
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_next_digest_is_today_before_its_time_and_tomorrow_after() {
        let at = NaiveTime::from_hms_opt(7, 30, 0).expect("time");
        let (day, due) = next(utc("2026-11-23T06:00:00+01:00"), at, None);
        assert_eq!(day.to_string(), "2026-11-23");
        assert_eq!(due, utc("2026-11-23T07:30:00+01:00"));
        let (day, _) = next(utc("2026-11-23T07:30:20+01:00"), at, None);
        assert_eq!(day.to_string(), "2026-11-23", "just due: still today's");
        let today = NaiveDate::from_ymd_opt(2026, 11, 23);
        let (day, _) = next(utc("2026-11-23T07:30:20+01:00"), at, today);
        assert_eq!(
            day.to_string(),
            "2026-11-24",
            "once sent: tomorrow's, not again"
        );
        let (day, due) = next(utc("2026-11-23T09:00:00+01:00"), at, None);
        assert_eq!(day.to_string(), "2026-11-24");
        assert_eq!(due, utc("2026-11-24T07:30:00+01:00"));
    }
}

//! News: who subscribed to which topic (a centre's or a place's key), the announcements staff
//! post, and the count of how each went out.

use chrono::{DateTime, Duration, Utc};
use sqlx::{PgPool, Postgres, Transaction};

use crate::i18n::Lang;

/// Subscribes the person to `topic`; false when they already were (their chat and language are
/// brought up to date either way).
pub async fn subscribe(
    pool: &PgPool,
    topic: &str,
    telegram_id: i64,
    chat_id: i64,
    lang: Lang,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let inserted: bool = sqlx::query_scalar(
        "insert into subscription (topic, telegram_id, chat_id, language, created_at)
         values ($1, $2, $3, $4, $5)
         on conflict (topic, telegram_id) do update
             set chat_id = excluded.chat_id, language = excluded.language
         returning (xmax = 0)",
    )
    .bind(topic)
    .bind(telegram_id)
    .bind(chat_id)
    .bind(lang.code())
    .bind(now)
    .fetch_one(pool)
    .await?;
    Ok(inserted)
}

/// Unsubscribes; false when the person was not subscribed.
pub async fn unsubscribe(pool: &PgPool, topic: &str, telegram_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("delete from subscription where topic = $1 and telegram_id = $2")
        .bind(topic)
        .bind(telegram_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the person is subscribed to `topic`.
pub async fn is_subscribed(pool: &PgPool, topic: &str, telegram_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "select exists (select 1 from subscription where topic = $1 and telegram_id = $2)",
    )
    .bind(topic)
    .bind(telegram_id)
    .fetch_one(pool)
    .await
}

/// How many people are subscribed to each of `topics`.
pub async fn counts(pool: &PgPool, topics: &[String]) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "select topic, count(*) from subscription where topic = any($1) group by topic order by topic",
    )
    .bind(topics)
    .fetch_all(pool)
    .await
}

/// An announcement to post.
pub struct Post<'a> {
    pub topic: &'a str,
    pub text: &'a str,
    pub staff_id: i64,
    pub staff_chat: i64,
    pub staff_lang: Lang,
    /// Messages a second: the jobs are due one after another at this pace.
    pub rate: u32,
}

/// Writes the announcement and one outbox job per subscriber, due one after another at the
/// post's rate (so that however many workers serve the outbox, the sends follow that pace);
/// returns its id and how many it goes to.
pub async fn post(
    tx: &mut Transaction<'_, Postgres>,
    post: &Post<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<(i64, i64)> {
    let id: i64 = sqlx::query_scalar(
        "insert into announcement (topic, text, staff_id, staff_chat, staff_language, recipients, created_at)
         values ($1, $2, $3, $4, $5, (select count(*) from subscription where topic = $1), $6)
         returning id",
    )
    .bind(post.topic)
    .bind(post.text)
    .bind(post.staff_id)
    .bind(post.staff_chat)
    .bind(post.staff_lang.code())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let step = Duration::microseconds(1_000_000 / i64::from(post.rate.max(1)));
    let written = sqlx::query(
        "insert into outbox_job (kind, announcement_id, chat_id, due_at, created_at)
         select 'announcement', $1, chat_id,
                $2 + $3 * (row_number() over (order by created_at, telegram_id) - 1), $2
         from subscription where topic = $4",
    )
    .bind(id)
    .bind(now)
    .bind(step)
    .bind(post.topic)
    .execute(&mut **tx)
    .await?;
    sqlx::query("select pg_notify('outbox', '')")
        .execute(&mut **tx)
        .await?;
    Ok((id, written.rows_affected() as i64))
}

/// What an announcement job sends: the text, its topic, and the subscriber's language; None
/// when the person has left the topic since (or the announcement is gone).
pub async fn for_job(
    pool: &PgPool,
    announcement_id: i64,
    chat_id: i64,
) -> sqlx::Result<Option<(String, String, Option<Lang>)>> {
    let row: Option<(String, String, Option<String>)> = sqlx::query_as(
        "select a.text, a.topic, s.language
         from announcement a
         join subscription s on s.topic = a.topic and s.chat_id = $2
         where a.id = $1
         limit 1",
    )
    .bind(announcement_id)
    .bind(chat_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(text, topic, lang)| (text, topic, lang.as_deref().and_then(Lang::from_code))))
}

/// How an announcement went out, once every job of it is done.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub topic: String,
    pub staff_chat: i64,
    pub staff_lang: Option<Lang>,
    pub recipients: i64,
    pub delivered: i64,
    pub blocked: i64,
    pub failed: i64,
    /// Not sent: the person left the topic after the announcement was posted.
    pub left: i64,
}

/// The report of the announcement if its last job is done and nobody has taken the report yet
/// (it is taken once, however many workers finish jobs at the same moment).
pub async fn take_report(
    pool: &PgPool,
    announcement_id: i64,
    blocked_outcome: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Report>> {
    let taken: Option<(String, i64, String, i32)> = sqlx::query_as(
        "update announcement set reported_at = $2
         where id = $1 and reported_at is null
           and not exists (select 1 from outbox_job where announcement_id = $1 and status = 'pending')
         returning topic, staff_chat, staff_language, recipients",
    )
    .bind(announcement_id)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    let Some((topic, staff_chat, staff_lang, recipients)) = taken else {
        return Ok(None);
    };
    let (delivered, blocked, failed, left): (i64, i64, i64, i64) = sqlx::query_as(
        "select count(*) filter (where status = 'sent'),
                count(*) filter (where status <> 'sent' and outcome = $2),
                count(*) filter (where status = 'failed' and outcome is distinct from $2),
                count(*) filter (where status = 'dropped' and outcome is distinct from $2)
         from outbox_job where announcement_id = $1",
    )
    .bind(announcement_id)
    .bind(blocked_outcome)
    .fetch_one(pool)
    .await?;
    Ok(Some(Report {
        topic,
        staff_chat,
        staff_lang: Lang::from_code(&staff_lang),
        recipients: i64::from(recipients),
        delivered,
        blocked,
        failed,
        left,
    }))
}

//! The scenarios: what the simulated users do, timed, and what is checked in the database after.

use std::{
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use anyhow::Context;
use okienko::emulator::{EmulatorHandle, EventKind, UserProfile};
use serde_json::json;
use tokio::task::JoinHandle;

use crate::{
    driver::{any_with, first_with, has_button, StepError, User},
    BotChild, Ctx, Database, Measured,
};

/// The question every `question` user asks, again and again.
pub const QUESTION: &str = "godziny otwarcia CPS";
/// Identities each question or menu user takes turns with, so that no one person goes past the
/// bot's flood budget (1,000 updates a minute at most) however fast the bot answers.
const IDENTITIES: i64 = 20;

/// What one simulated user's task did in the timed part.
#[derive(Default)]
struct TaskResult {
    completed: u64,
    failed: u64,
    latencies: Vec<Duration>,
    errors: Vec<String>,
}

impl TaskResult {
    fn failed(&mut self, error: StepError) {
        self.failed += 1;
        if self.errors.len() < 3 {
            self.errors.push(error.to_string());
        }
    }
}

/// The bot running for a scenario: its database, the emulator, the process.
struct Stage {
    database: Database,
    emulator: EmulatorHandle,
    bot: BotChild,
    /// From the start of the process to its first answer.
    startup: Duration,
}

async fn stage(ctx: &Ctx, echo: bool, log: &str) -> anyhow::Result<Stage> {
    let database = ctx.fresh_database().await?;
    let emulator = ctx.emulator().await?;
    let exe = if echo { &ctx.echo_exe } else { &ctx.bot_exe };
    let bot = ctx.spawn_bot(exe, &emulator, &database, log)?;
    // Ready once it answers someone.
    let mut probe = User::new(&emulator.emulator, 999_999_999).await;
    probe
        .say("/start", "the first answer", |_| true)
        .await
        .map_err(|e| {
            anyhow::anyhow!("the bot did not answer at start: {e} (see target/bench/{log}.log)")
        })?;
    let startup = bot.started.elapsed();
    Ok(Stage {
        database,
        emulator,
        bot,
        startup,
    })
}

async fn unstage(ctx: &Ctx, mut stage: Stage) {
    stage.bot.stop().await;
    drop(stage.emulator);
    ctx.drop_database(&stage.database).await;
}

/// Runs `tasks` (spawned by `start` with the deadline and the shared count of updates) and
/// measures the bot, this process and the database over them.
async fn timed(
    ctx: &Ctx,
    stage: &mut Stage,
    name: &str,
    users: usize,
    seconds: f64,
    start: impl FnOnce(Instant, Arc<AtomicU64>) -> Vec<JoinHandle<TaskResult>>,
) -> anyhow::Result<Measured> {
    settle().await;
    let db_before = ctx.counters(&stage.database).await;
    let bot_before = ctx.bot_cpu(&stage.bot);
    let own_before = ctx.own_cpu();
    let began = Instant::now();
    let deadline = began + Duration::from_secs_f64(seconds);
    let count = Arc::new(AtomicU64::new(0));
    let tasks = start(deadline, count.clone());
    ctx.progress.set_length((seconds * 10.0) as u64);
    ctx.progress.set_position(0);
    let ticker = {
        let progress = ctx.progress.clone();
        let count = count.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                let elapsed = began.elapsed().as_secs_f64();
                progress.set_position((elapsed * 10.0) as u64);
                let done = count.load(Ordering::Relaxed);
                progress.set_message(format!(
                    "{elapsed:.0} s, {done} updates, {:.0}/s",
                    done as f64 / elapsed.max(1e-3)
                ));
            }
        })
    };
    let mut total = TaskResult::default();
    for task in tasks {
        let result = task.await.context("a simulated user's task")?;
        total.completed += result.completed;
        total.failed += result.failed;
        total.latencies.extend(result.latencies);
        total.errors.extend(result.errors);
    }
    ticker.abort();
    let elapsed = began.elapsed().as_secs_f64();
    let bot_cpu = ctx.bot_cpu(&stage.bot).saturating_sub(bot_before);
    let driver_cpu = ctx.own_cpu().saturating_sub(own_before);
    let peak_rss_kb = stage.bot.peak_rss_kb();
    // A backend reports its counts when it ends: the bot is stopped before they are read.
    stage.bot.stop().await;
    let db_after = ctx.counters(&stage.database).await;
    total.errors.truncate(3);
    Ok(Measured {
        scenario: name.to_owned(),
        users,
        seconds: elapsed,
        updates: total.latencies.len() as u64,
        completed: None,
        failed: total.failed,
        bot_cpu,
        driver_cpu,
        commits: Some(db_after.commits - db_before.commits),
        statements: db_after
            .statements
            .zip(db_before.statements)
            .map(|(a, b)| a - b),
        peak_rss_kb,
        note: if total.errors.is_empty() {
            String::new()
        } else {
            format!(
                "{} failed steps, e.g. {}",
                total.failed,
                total.errors.join("; ")
            )
        },
        extra: json!({ "startup_ms": stage.startup.as_millis() as u64 }),
        latencies: total.latencies,
    }
    .with_completed(total.completed))
}

/// Waits until the database's statistics hold what was done so far: an idle backend reports its
/// counts within 10 s (PostgreSQL's PGSTAT_IDLE_INTERVAL), a busy one every second.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(10_500)).await;
}

impl Measured {
    fn with_completed(mut self, completed: u64) -> Self {
        if completed > 0 {
            self.completed = Some(completed);
        }
        self
    }
}

/// Users `first..first + n`, each greeted once (/start) before the timed part, `per_task` to a task.
async fn greeted_users(stage: &Stage, first: i64, n: i64, echo: bool) -> anyhow::Result<Vec<User>> {
    let mut users = Vec::new();
    for id in first..first + n {
        users.push(User::new(&stage.emulator.emulator, id).await);
    }
    // Greeted 50 at a time.
    let mut greeted = Vec::new();
    let mut chunks: Vec<Vec<User>> = Vec::new();
    while !users.is_empty() {
        let rest = users.split_off(users.len().saturating_sub(((n / 50).max(1)) as usize));
        chunks.push(rest);
    }
    let tasks: Vec<_> = chunks
        .into_iter()
        .map(|mut chunk| {
            tokio::spawn(async move {
                for user in &mut chunk {
                    let text = if echo { "hello" } else { "/start" };
                    user.say(text, "the greeting", |_| true).await?;
                    user.latencies.clear();
                }
                Ok::<_, StepError>(chunk)
            })
        })
        .collect();
    for task in tasks {
        greeted.extend(
            task.await?
                .map_err(|e| anyhow::anyhow!("greeting users: {e}"))?,
        );
    }
    greeted.sort_by_key(|u| u.profile.id);
    Ok(greeted)
}

/// Splits `users` into `tasks` groups, one group per simulated user's task.
fn deal(users: Vec<User>, tasks: usize) -> Vec<Vec<User>> {
    let mut groups: Vec<Vec<User>> = (0..tasks).map(|_| Vec::new()).collect();
    for (i, user) in users.into_iter().enumerate() {
        groups[i % tasks].push(user);
    }
    groups
}

fn results(users: Vec<User>, mut result: TaskResult) -> TaskResult {
    for user in users {
        result.latencies.extend(user.latencies);
    }
    result
}

/// The question scenario, on the bot or on the echo bot.
async fn question(ctx: &Ctx, name: &str, echo: bool, users: usize) -> anyhow::Result<Measured> {
    let mut stage = stage(ctx, echo, name).await?;
    let measured = question_on(ctx, &mut stage, name, echo, users).await;
    unstage(ctx, stage).await;
    measured
}

async fn question_on(
    ctx: &Ctx,
    stage: &mut Stage,
    name: &str,
    echo: bool,
    users: usize,
) -> anyhow::Result<Measured> {
    ctx.progress.set_message("greeting the users");
    let people = greeted_users(stage, 1, users as i64 * IDENTITIES, echo).await?;
    let groups = deal(people, users);
    timed(
        ctx,
        stage,
        name,
        users,
        ctx.args.seconds(),
        |deadline, count| {
            groups
                .into_iter()
                .map(|mut group| {
                    let count = count.clone();
                    tokio::spawn(async move {
                        let mut result = TaskResult::default();
                        let mut i = 0;
                        while Instant::now() < deadline {
                            let user = &mut group[i % IDENTITIES as usize];
                            i += 1;
                            let answered = if echo {
                                user.say(QUESTION, "the echo", |m| m.text == QUESTION).await
                            } else {
                                // The answer gives the centre's hours (it opens at 7:00).
                                user.say(QUESTION, "the answer", |m| m.text.contains("7:00"))
                                    .await
                            };
                            match answered {
                                Ok(_) => {
                                    count.fetch_add(1, Ordering::Relaxed);
                                }
                                Err(error) => result.failed(error),
                            }
                        }
                        results(group, result)
                    })
                })
                .collect()
        },
    )
    .await
}

/// Menu navigation by buttons: the menu, hours, a centre, a place, its address, back home.
async fn menu(ctx: &Ctx, users: usize) -> anyhow::Result<Measured> {
    let mut stage = stage(ctx, false, "menu").await?;
    ctx.progress.set_message("greeting the users");
    let people = greeted_users(&stage, 1, users as i64 * IDENTITIES, false).await?;
    let groups = deal(people, users);
    let measured = timed(
        ctx,
        &mut stage,
        "menu",
        users,
        ctx.args.seconds(),
        |deadline, count| {
            groups
                .into_iter()
                .map(|mut group| {
                    let count = count.clone();
                    tokio::spawn(async move {
                        let mut result = TaskResult::default();
                        let mut i = 0;
                        while Instant::now() < deadline {
                            let user = &mut group[i % IDENTITIES as usize];
                            i += 1;
                            match walk_menu(user, &count).await {
                                Ok(()) => result.completed += 1,
                                Err(error) => {
                                    result.failed(error);
                                    let _ = user
                                        .say("/start", "the menu", |m| has_button(m, "m:"))
                                        .await;
                                }
                            }
                        }
                        results(group, result)
                    })
                })
                .collect()
        },
    )
    .await;
    unstage(ctx, stage).await;
    measured
}

/// One walk through the menu by buttons (the user starts at the main menu).
async fn walk_menu(user: &mut User, count: &AtomicU64) -> Result<(), StepError> {
    let any_keyboard = |m: &okienko::emulator::ChatMessage| !m.inline_keyboard.is_empty();
    // Where and when → the centres and places.
    user.press(first_with("m:hours"), "the hours menu", any_keyboard)
        .await?;
    count.fetch_add(1, Ordering::Relaxed);
    // The first place or centre offered, twice deeper (centre, then place or aspect).
    for _ in 0..2 {
        user.press(
            |offered| {
                offered
                    .iter()
                    .find(|(_, d)| {
                        d.contains(':')
                            && !["m:", "b:", "bd:", "wj:", "nj:", "lang:"]
                                .iter()
                                .any(|p| d.starts_with(p))
                    })
                    .cloned()
            },
            "a deeper menu",
            any_keyboard,
        )
        .await?;
        count.fetch_add(1, Ordering::Relaxed);
    }
    user.press(first_with("home"), "back home", |m| {
        has_button(m, "m:hours")
    })
    .await?;
    count.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

/// One full booking by a new person: wish, day, time, (consent), name, phone, confirm.
/// Ok(true) when booked, Ok(false) when the slot went to someone else first.
async fn book(user: &mut User, seed: u64, count: &AtomicU64) -> Result<bool, StepError> {
    user.say("chcę się umówić do prawnika", "the days", |m| {
        has_button(m, "bd:")
    })
    .await?;
    count.fetch_add(1, Ordering::Relaxed);
    user.press(any_with("bd:", seed), "the times", |m| has_button(m, "bt:"))
        .await?;
    count.fetch_add(1, Ordering::Relaxed);
    user.press(any_with("bt:", seed >> 7), "the name question", |m| {
        m.inline_keyboard.is_empty() || has_button(m, "bx")
    })
    .await?;
    count.fetch_add(1, Ordering::Relaxed);
    user.say("Jan Kowalski", "the phone question", |_| true)
        .await?;
    count.fetch_add(1, Ordering::Relaxed);
    user.say("600 100 200", "the summary", |m| has_button(m, "bc"))
        .await?;
    count.fetch_add(1, Ordering::Relaxed);
    let reply = user
        .press(first_with("bc"), "the confirmation", |m| {
            m.document.is_some() || has_button(m, "bt:") || has_button(m, "bd:")
        })
        .await?;
    count.fetch_add(1, Ordering::Relaxed);
    Ok(reply.message.document.is_some())
}

/// Cancels the person's one visit: My visits, Cancel, Yes.
async fn cancel_visit(user: &mut User, count: &AtomicU64) -> Result<(), StepError> {
    user.say("moje wizyty", "my visits", |m| has_button(m, "vc:"))
        .await?;
    count.fetch_add(1, Ordering::Relaxed);
    user.press(first_with("vc:"), "the cancel question", |m| {
        has_button(m, "vy:")
    })
    .await?;
    count.fetch_add(1, Ordering::Relaxed);
    user.press(first_with("vy:"), "the cancellation", |_| true)
        .await?;
    count.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

/// Bookings (and, with `cancel`, their cancellation) by new people, `users` at a time.
async fn booking_on(
    ctx: &Ctx,
    stage: &mut Stage,
    name: &str,
    users: usize,
    cancel: bool,
    first_id: i64,
) -> anyhow::Result<Measured> {
    let emulator = stage.emulator.emulator.clone();
    let mut measured = timed(
        ctx,
        stage,
        name,
        users,
        ctx.args.seconds(),
        |deadline, count| {
            (0..users)
                .map(|task| {
                    let count = count.clone();
                    let emulator = emulator.clone();
                    tokio::spawn(async move {
                        let mut result = TaskResult::default();
                        let mut n = 0i64;
                        while Instant::now() < deadline {
                            let id = first_id + task as i64 * 100_000 + n;
                            n += 1;
                            let mut user = User::new(&emulator, id).await;
                            let seed = id as u64;
                            match book(&mut user, seed, &count).await {
                                Ok(true) if cancel => match cancel_visit(&mut user, &count).await {
                                    Ok(()) => result.completed += 1,
                                    Err(error) => result.failed(error),
                                },
                                Ok(true) => result.completed += 1,
                                Ok(false) => {}
                                Err(error) => result.failed(error),
                            }
                            result.latencies.extend(user.latencies);
                        }
                        result
                    })
                })
                .collect()
        },
    )
    .await?;
    // No slot is held twice, and the database agrees with what the users were told.
    let pool = sqlx::PgPool::connect(&stage.database.url).await?;
    let doubled: i64 = sqlx::query_scalar(
        "select count(*) from (select 1 from booking where status in ('active', 'held')
         group by service_key, slot_start, seat having count(*) > 1) d",
    )
    .fetch_one(&pool)
    .await?;
    // The bench's legal aid point has 10 seats a slot (see `bench_directory`).
    let over_capacity: i64 = sqlx::query_scalar(
        "select count(*) from (select 1 from booking where status in ('active', 'held')
         group by service_key, slot_start having count(*) > 10) d",
    )
    .fetch_one(&pool)
    .await?;
    let (active, cancelled): (i64, i64) = sqlx::query_as(
        "select count(*) filter (where status = 'active' and telegram_id >= $1),
                count(*) filter (where status = 'cancelled' and telegram_id >= $1) from booking",
    )
    .bind(first_id)
    .fetch_one(&pool)
    .await?;
    pool.close().await;
    let done = measured.completed.unwrap_or(0) as i64;
    let agrees = if cancel {
        cancelled == done
    } else {
        active == done
    };
    measured.extra["double_bookings"] = json!(doubled);
    measured.extra["slots_over_capacity"] = json!(over_capacity);
    measured.extra["active_in_database"] = json!(active);
    measured.extra["cancelled_in_database"] = json!(cancelled);
    let check = format!(
        "{} {}; in the database: {active} active, {cancelled} cancelled, {doubled} slots booked twice{}",
        done,
        if cancel { "booked and cancelled" } else { "booked" },
        if agrees { "" } else { " (DISAGREES)" }
    );
    measured.note = if measured.note.is_empty() {
        check
    } else {
        format!("{check}; {}", measured.note)
    };
    Ok(measured)
}

async fn booking(ctx: &Ctx, users: usize, cancel: bool) -> anyhow::Result<Measured> {
    let name = if cancel { "cancel" } else { "booking" };
    let mut stage = stage(ctx, false, name).await?;
    let measured = booking_on(ctx, &mut stage, name, users, cancel, 10_000_000).await;
    unstage(ctx, stage).await;
    measured
}

/// 10,000 reminders due at once to as many chats: the send rate second by second.
async fn reminders(ctx: &Ctx, chats: usize) -> anyhow::Result<Measured> {
    let mut stage = stage(ctx, false, "reminders").await?;
    let emulator = stage.emulator.emulator.clone();
    emulator.keep_history(true).await;
    for id in 1..=chats as i64 {
        emulator
            .meet(&UserProfile::new(id, "Bench", Some("pl")))
            .await;
    }
    let pool = sqlx::PgPool::connect(&stage.database.url).await?;
    let mut tx = pool.begin().await?;
    sqlx::query(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at)
         select 'legal-aid', date_trunc('hour', now()) + interval '15 minutes' * g + interval '3 days',
                date_trunc('hour', now()) + interval '15 minutes' * g + interval '3 days 15 minutes',
                1, g, g, 'Bench', '+48600100200', 'pl', 'active', now()
         from generate_series(1, $1) g",
    )
    .bind(chats as i64)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "insert into outbox_job (kind, booking_id, chat_id, due_at, created_at)
         select 'reminder', id, chat_id, now(), now() from booking",
    )
    .execute(&mut *tx)
    .await?;
    settle().await;
    let db_before = ctx.counters(&stage.database).await;
    let before_seq = emulator.last_event_seq().await;
    let bot_before = ctx.bot_cpu(&stage.bot);
    let own_before = ctx.own_cpu();
    sqlx::query("select pg_notify('outbox', '')")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let began = Instant::now();
    let seconds = ctx
        .args
        .seconds()
        .max(if ctx.args.quick { 8.0 } else { 20.0 });
    ctx.progress.set_length((seconds * 10.0) as u64);
    // The bot's CPU second by second, to see it idle between sends.
    let mut cpu_per_second = Vec::new();
    let mut last_cpu = bot_before;
    let mut seen = before_seq;
    let mut sends: Vec<(u64, i64)> = Vec::new();
    while began.elapsed().as_secs_f64() < seconds && sends.len() < chats {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let cpu = ctx.bot_cpu(&stage.bot);
        cpu_per_second.push((cpu.saturating_sub(last_cpu)).as_secs_f64() * 1e3);
        last_cpu = cpu;
        for event in emulator.events_after(seen, Duration::ZERO).await {
            seen = event.seq;
            if let EventKind::Sent { .. } = event.kind {
                sends.push((event.at_ms, event.chat_id));
            }
        }
        ctx.progress
            .set_position((began.elapsed().as_secs_f64() * 10.0) as u64);
        ctx.progress
            .set_message(format!("{} reminders sent", sends.len()));
    }
    let elapsed = began.elapsed().as_secs_f64();
    let bot_cpu = ctx.bot_cpu(&stage.bot).saturating_sub(bot_before);
    let driver_cpu = ctx.own_cpu().saturating_sub(own_before);
    let peak_rss_kb = stage.bot.peak_rss_kb();
    stage.bot.stop().await;
    let db_after = ctx.counters(&stage.database).await;
    pool.close().await;
    // The most in any one second (a window starting at each send), and per whole second.
    let times: Vec<u64> = sends.iter().map(|(at, _)| *at).collect();
    let busiest = times
        .iter()
        .map(|start| {
            times.partition_point(|t| *t < start + 1000) - times.partition_point(|t| *t < *start)
        })
        .max()
        .unwrap_or(0);
    let first = times.first().copied().unwrap_or(0);
    let mut per_second = vec![0u64; (elapsed.ceil() as usize).max(1) + 1];
    for t in &times {
        let i = ((t - first) / 1000) as usize;
        if let Some(slot) = per_second.get_mut(i) {
            *slot += 1;
        }
    }
    let mut chats_seen: Vec<i64> = sends.iter().map(|(_, c)| *c).collect();
    chats_seen.sort_unstable();
    let unique = {
        let mut u = chats_seen.clone();
        u.dedup();
        u.len()
    };
    let duplicates = chats_seen.len() - unique;
    let measured = Measured {
        scenario: "reminders".into(),
        users: chats,
        seconds: elapsed,
        updates: sends.len() as u64,
        completed: Some(sends.len() as u64),
        failed: 0,
        latencies: Vec::new(),
        bot_cpu,
        driver_cpu,
        commits: Some(db_after.commits - db_before.commits),
        statements: db_after
            .statements
            .zip(db_before.statements)
            .map(|(a, b)| a - b),
        peak_rss_kb,
        note: format!(
            "{} of {chats} sent in {elapsed:.0} s (per update = per reminder sent); at most {busiest} in any 1 s window \
             (configured: Telegram's 30/s); {duplicates} sent twice; bot CPU ms per second: {}",
            sends.len(),
            cpu_per_second
                .iter()
                .map(|c| format!("{c:.0}"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        extra: json!({
            "sent_per_second": per_second,
            "busiest_one_second_window": busiest,
            "sent_twice": duplicates,
            "bot_cpu_ms_per_second": cpu_per_second,
        }),
    };
    unstage(ctx, stage).await;
    Ok(measured)
}

/// 10,000 people mid-booking (each shown the days), then the bot's peak RSS.
async fn memory(ctx: &Ctx, people: usize) -> anyhow::Result<Measured> {
    let mut stage = stage(ctx, false, "memory").await?;
    let emulator = stage.emulator.emulator.clone();
    let tasks = 100.min(people.max(1));
    let per_task = people.div_ceil(tasks);
    let measured = timed(ctx, &mut stage, "memory", people, 3600.0, |_, count| {
        (0..tasks)
            .map(|task| {
                let count = count.clone();
                let emulator = emulator.clone();
                tokio::spawn(async move {
                    let mut result = TaskResult::default();
                    for n in 0..per_task {
                        let id = 1 + (task * per_task + n) as i64;
                        if id > people as i64 {
                            break;
                        }
                        let mut user = User::new(&emulator, id).await;
                        match user
                            .say("chcę się umówić do prawnika", "the days", |m| {
                                has_button(m, "bd:")
                            })
                            .await
                        {
                            Ok(_) => {
                                count.fetch_add(1, Ordering::Relaxed);
                            }
                            Err(error) => result.failed(error),
                        }
                        result.latencies.extend(user.latencies);
                    }
                    result
                })
            })
            .collect()
    })
    .await;
    unstage(ctx, stage).await;
    let mut measured = measured?;
    let rss = measured.peak_rss_kb;
    measured.note = format!(
        "{} people each mid-booking (shown the days); peak RSS {:.1} MB{}",
        measured.updates,
        rss.unwrap_or(0) as f64 / 1024.0,
        if measured.note.is_empty() {
            String::new()
        } else {
            format!("; {}", measured.note)
        }
    );
    Ok(measured)
}

/// From the start of `okienko run` on an empty database (migrations not applied) to the answer
/// of an update already waiting; three times.
async fn startup(ctx: &Ctx) -> anyhow::Result<Measured> {
    let mut times = Vec::new();
    let mut rss = None;
    for round in 0..3 {
        ctx.progress.set_message(format!("start {}", round + 1));
        let database = ctx.fresh_database().await?;
        let emulator = ctx.emulator().await?;
        let mut user = User::new(&emulator.emulator, 1).await;
        let waiting = emulator
            .emulator
            .send_text(&UserProfile::new(1, "Bench", Some("pl")), "/start")
            .await;
        let mut bot = ctx.spawn_bot(&ctx.bot_exe, &emulator, &database, "startup")?;
        let answered = user.next_event(Duration::from_secs(30)).await;
        let elapsed = answered.map(|at| at.saturating_duration_since(bot.started));
        let _ = waiting;
        rss = bot.peak_rss_kb();
        bot.stop().await;
        drop(emulator);
        ctx.drop_database(&database).await;
        times.push(elapsed.context("the bot did not answer within 30 s of its start")?);
    }
    Ok(Measured {
        scenario: "startup".into(),
        users: 1,
        seconds: 0.0,
        updates: times.len() as u64,
        note: format!(
            "start to the first update answered, migrations applied on an empty database: {} ms",
            times
                .iter()
                .map(|t| format!("{:.0}", t.as_secs_f64() * 1e3))
                .collect::<Vec<_>>()
                .join(" / ")
        ),
        extra: json!({ "startup_ms": times.iter().map(|t| t.as_millis() as u64).collect::<Vec<_>>() }),
        latencies: times,
        peak_rss_kb: rss,
        ..Measured::default()
    })
}

/// Runs one scenario by name.
pub async fn run(ctx: &Ctx, name: &str) -> anyhow::Result<Vec<Measured>> {
    let quick = ctx.args.quick;
    let users = |default: usize, quick_default: usize| {
        ctx.args
            .users
            .unwrap_or(if quick { quick_default } else { default })
    };
    let measured = match name {
        "question" => question(ctx, "question", false, users(50, 50)).await?,
        "echo" => question(ctx, "echo (bare teloxide)", true, users(50, 50)).await?,
        "menu" => menu(ctx, users(50, 50)).await?,
        "booking" => booking(ctx, users(500, 200), false).await?,
        "cancel" => booking(ctx, users(200, 100), true).await?,
        "reminders" => reminders(ctx, users(10_000, 10_000)).await?,
        "memory" => memory(ctx, users(10_000, 2_000)).await?,
        "startup" => startup(ctx).await?,
        _ => anyhow::bail!("no scenario {name}"),
    };
    ctx.progress.suspend(|| eprintln!("{}", measured.json()));
    Ok(vec![measured])
}

/// The question and booking scenarios on databases holding 1k, 10k and 100k people with their
/// visits (past and future) and sent reminders, seeded with SQL; then the plans of the hot
/// queries on the largest.
pub async fn growth(ctx: &Ctx) -> anyhow::Result<Vec<Measured>> {
    let mut all = Vec::new();
    let sizes: &[i64] = if ctx.args.quick {
        &[1_000, 100_000]
    } else {
        &[1_000, 10_000, 100_000]
    };
    for &size in sizes {
        for scenario in ["question", "booking"] {
            let label = format!("{scenario} @{}k", size / 1000);
            ctx.progress.set_prefix(label.clone());
            let mut stage = stage(ctx, false, &format!("growth-{scenario}-{size}")).await?;
            ctx.progress.set_message(format!("seeding {size} people"));
            let pool = sqlx::PgPool::connect(&stage.database.url).await?;
            seed(&pool, size).await?;
            let mut measured = if scenario == "question" {
                question_on(ctx, &mut stage, &label, false, ctx.args.users.unwrap_or(50)).await?
            } else {
                booking_on(
                    ctx,
                    &mut stage,
                    &label,
                    ctx.args.users.unwrap_or(500),
                    false,
                    10_000_000,
                )
                .await?
            };
            if size == *sizes.last().unwrap_or(&0) && scenario == "booking" {
                let plans = explain(&pool).await?;
                measured.extra["plans"] = json!(plans);
                ctx.progress.suspend(|| {
                    for (query, plan) in &plans {
                        eprintln!("\n-- {query}\n{plan}");
                    }
                });
            }
            pool.close().await;
            ctx.progress.suspend(|| eprintln!("{}", measured.json()));
            all.push(measured);
            unstage(ctx, stage).await;
        }
    }
    Ok(all)
}

/// `size` people who have talked to the bot, each with a past visit (its reminders sent) and one
/// in ten with a future one; ids from 1 upwards, away from the bench's users (10,000,000 up).
async fn seed(pool: &sqlx::PgPool, size: i64) -> anyhow::Result<()> {
    sqlx::query(
        "insert into telegram_user (telegram_id, language, first_seen, last_seen)
         select g, 'pl', now() - interval '200 days', now() - interval '1 day' * (g % 90)
         from generate_series(1, $1) g on conflict do nothing",
    )
    .bind(size)
    .execute(pool)
    .await?;
    // Past visits: one per person, in 15-minute slots going back from yesterday.
    sqlx::query(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at)
         select 'legal-aid', date_trunc('day', now()) - interval '15 minutes' * g,
                date_trunc('day', now()) - interval '15 minutes' * (g - 1), 1, g, g,
                'Osoba', '+48600100200', 'pl', case when g % 7 = 0 then 'cancelled' else 'active' end,
                now() - interval '15 minutes' * g - interval '3 days'
         from generate_series(1, $1) g",
    )
    .bind(size)
    .execute(pool)
    .await?;
    // Future visits of one person in ten, at night (the bench's users book 06:00-22:00).
    sqlx::query(
        "insert into booking (service_key, slot_start, slot_end, seat, telegram_id, chat_id, name, phone, language, status, created_at)
         select 'mediation', date_trunc('day', now()) + interval '1 day' * (2 + g / 10) + interval '15 minutes',
                date_trunc('day', now()) + interval '1 day' * (2 + g / 10) + interval '75 minutes', 1 + (g % 10)::smallint, g, g,
                'Osoba', '+48600100200', 'pl', 'active', now()
         from generate_series(1, $1) g where g % 10 = 0",
    )
    .bind(size)
    .execute(pool)
    .await?;
    // Every past visit's two reminders, sent.
    sqlx::query(
        "insert into outbox_job (kind, booking_id, chat_id, due_at, created_at, status)
         select 'reminder', id, chat_id, slot_start - interval '1 day' * k, slot_start - interval '3 days', 'sent'
         from booking, generate_series(1, 2) k where slot_start < now()",
    )
    .execute(pool)
    .await?;
    sqlx::query("analyze").execute(pool).await?;
    Ok(())
}

/// The plans of the bot's hot queries on a seeded database.
async fn explain(pool: &sqlx::PgPool) -> anyhow::Result<Vec<(String, String)>> {
    // As the bot writes them (src/db/user.rs, dialogue.rs, booking.rs, outbox.rs), with
    // literals for the parameters; person 4242 is one of the seeded.
    let queries = [
        "insert into telegram_user (telegram_id, first_seen, last_seen) values (4242, now(), now())
         on conflict (telegram_id) do update set last_seen = excluded.last_seen, unreachable_since = null",
        "select language from telegram_user where telegram_id = 4242",
        "select state from dialogue where chat_id = 4242 and updated_at >= now() - interval '1 day'",
        "select slot_start, slot_end, seat from booking
         where service_key = 'legal-aid' and slot_end > now() and slot_start < now() + interval '30 days'
           and status in ('active', 'held')",
        "select id from booking
         where telegram_id = 4242 and service_key = 'legal-aid' and status = 'active' and slot_start > now()",
        "select id from booking where telegram_id = 4242 and status = 'active' and slot_end > now()",
        "select id from outbox_job
         where status = 'pending' and due_at <= now() and (lease_until is null or lease_until < now())
         order by due_at limit 20",
    ];
    let mut plans = Vec::new();
    for query in queries {
        let rows: Vec<String> = sqlx::query_scalar(&format!("explain {query}"))
            .fetch_all(pool)
            .await
            .with_context(|| format!("explain {query}"))?;
        plans.push((query.to_owned(), rows.join("\n")));
    }
    Ok(plans)
}

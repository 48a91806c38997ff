//! Three `okienko run` processes in webhook mode on one database, behind a round-robin proxy that
//! delivers some updates twice (to the same replica again, or to two replicas at once): a few
//! thousand updates from many people (questions, and bookings through the buttons) each take
//! effect once, and every reminder of those bookings is sent once.

mod common;

use std::{collections::HashMap, net::SocketAddr, sync::atomic::Ordering, time::Duration};

use common::{
    count,
    webhook::{free_port, healthy, replica, round_robin, PATH, SECRET},
    PATIENCE, TOKEN,
};
use futures::StreamExt;
use okienko::emulator::{ChatMessage, Emulator, EmulatorClient, EventKind, UserProfile};
use sqlx::PgPool;

/// Monday 9 November 2026, 9:00: legal aid has free slots on many days of the four weeks ahead.
const NOV_9: &str = "2026-11-09T09:00:00+01:00";
/// People who only ask, and what each of them asks.
const ASKERS: i64 = 120;
const QUESTIONS: [&str; 18] = [
    "kiedy jest prawnik?",
    "czy CPS jest dziś otwarte",
    "gdzie jest CAS",
    "szukam pracy",
    "senior club hours",
    "/help",
    "jakie dokumenty do prawnika",
    "potrzebuję pomocy",
    "kursy komputerowe",
    "zasiłek",
    "czy mogę przyjść bez zapisu",
    "Коли працює юрист?",
    "jutro",
    "kiedy jest mediacja",
    "dziękuję",
    "telefon do CPS",
    "I need help",
    "czy CAS jest jutro otwarte",
];
/// People who book a visit with the legal aid point, each at a slot of their own.
const BOOKERS: i64 = 36;

/// One person, played in process on the emulator (thousands of updates from a hundred and fifty
/// people at once are more than the test's own reading of every event over HTTP keeps up with):
/// what they send, and the bot's messages in their chat, one by one.
struct Person {
    emulator: Emulator,
    user: UserProfile,
    read: usize,
}

impl Person {
    fn new(emulator: &Emulator, id: i64) -> Self {
        Self {
            emulator: emulator.clone(),
            user: UserProfile::new(id, "Test", Some("pl")),
            read: 0,
        }
    }

    async fn say(&mut self, text: &str) -> ChatMessage {
        self.emulator.send_text(&self.user, text).await;
        self.next().await
    }

    async fn press(&mut self, label: &str) -> ChatMessage {
        let chat = self.emulator.chat(self.user.id).await;
        let (message_id, data) = chat
            .iter()
            .rev()
            .filter(|m| m.from_bot && !m.deleted)
            .find_map(|m| {
                let button = m
                    .inline_keyboard
                    .iter()
                    .flatten()
                    .find(|b| b.text == label)?;
                Some((m.message_id, button.callback_data.clone()?))
            })
            .unwrap_or_else(|| panic!("no button {label:?} in chat {}", self.user.id));
        self.emulator
            .press(&self.user, message_id, &data)
            .await
            .expect("pressed");
        self.next().await
    }

    /// The bot's next message in this chat (the consent question is agreed to on the way).
    async fn next(&mut self) -> ChatMessage {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let seq = self.emulator.last_event_seq().await;
            let mine: Vec<ChatMessage> = self
                .emulator
                .chat(self.user.id)
                .await
                .into_iter()
                .filter(|m| m.from_bot)
                .collect();
            if let Some(message) = mine.get(self.read).cloned() {
                self.read += 1;
                if common::asks_consent(&message) {
                    self.emulator
                        .press(&self.user, message.message_id, common::CONSENT_YES)
                        .await
                        .expect("consent given");
                    continue;
                }
                return message;
            }
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            assert!(
                !left.is_zero(),
                "the bot sent nothing to chat {} in time",
                self.user.id
            );
            self.emulator.events_after(seq, left).await;
        }
    }
}

async fn ask_everything(mut person: Person) {
    person.say("/start").await;
    for question in QUESTIONS {
        person.say(question).await;
    }
}

/// Books the `k`-th free slot (day `k` mod the days offered, the time after that); returns the
/// number of buttons pressed besides the consent.
async fn book(mut phone: Person, k: usize) -> usize {
    phone.say("/start").await;
    let days = phone.say("chcę się umówić do prawnika").await;
    let days = common::labels(&days);
    assert!(days.len() > 2, "days to choose from, not {days:?}");
    let days = &days[..days.len() - 2];
    let day = days[k % days.len()].clone();
    let times = phone.press(&day).await;
    let times = common::labels(&times);
    assert!(times.len() > 2, "times to choose from, not {times:?}");
    let times = &times[..times.len() - 2];
    let time = times[(k / days.len()) % times.len()].clone();
    // The time, then the consent (agreed to by the phone), then the name is asked.
    phone.press(&time).await;
    phone.say("Anna Kowalska").await;
    phone
        .emulator
        .send_contact(
            &phone.user,
            &format!("+486001{:05}", phone.user.id % 100_000),
        )
        .await;
    phone.next().await;
    phone.next().await;
    phone.press("✅ Potwierdzam").await;
    // The day, the time and the confirmation (the consent is counted apart).
    3
}

/// The bot's messages in each chat, as they stand.
async fn messages(client: &EmulatorClient, chats: &[i64]) -> HashMap<i64, usize> {
    let mut counts = HashMap::new();
    for chat in chats {
        let messages = client.chat(*chat).await.expect("the chat is readable");
        counts.insert(*chat, messages.iter().filter(|m| m.from_bot).count());
    }
    counts
}

#[sqlx::test]
async fn three_replicas_behind_a_round_robin_proxy_take_each_update_once(pool: PgPool) {
    okienko::telemetry::init("warn");
    let server = Emulator::new(TOKEN)
        .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("the emulator starts");
    let ports = vec![free_port(), free_port(), free_port()];
    let (proxy, delivered) = round_robin(ports.clone()).await;
    let url = format!("http://{proxy}{PATH}");
    let env = [
        ("OKIENKO_NOW", NOV_9),
        ("OKIENKO_FLOOD_PER_MINUTE", "1000"),
        ("OKIENKO_LOG", "warn"),
    ];
    // The first replica creates the database's tables; the others start on them.
    let mut replicas = vec![replica(&server, &pool, ports[0], &url, &env)];
    healthy(ports[0]).await;
    for port in &ports[1..] {
        replicas.push(replica(&server, &pool, *port, &url, &env));
    }
    for port in &ports {
        healthy(*port).await;
    }
    let set = tokio::process::Command::new(env!("CARGO_BIN_EXE_okienko"))
        .args(["webhook", "set"])
        .current_dir(std::env::temp_dir())
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", server.url.as_str())
        .env("OKIENKO_WEBHOOK_URL", &url)
        .env("OKIENKO_WEBHOOK_SECRET", SECRET)
        .env("OKIENKO_LOG", "warn")
        .status()
        .await
        .expect("okienko webhook set runs");
    assert!(set.success());

    let client = EmulatorClient::new(server.url.clone());
    let started = std::time::Instant::now();
    let askers: Vec<i64> = (1..=ASKERS).map(|i| 10_000 + i).collect();
    let bookers: Vec<i64> = (1..=BOOKERS).map(|i| 20_000 + i).collect();
    let mut work = Vec::new();
    for id in &askers {
        let person = Person::new(&server.emulator, *id);
        work.push(futures::future::Either::Left(async move {
            ask_everything(person).await;
            0
        }));
    }
    // The bookings among the questions: one person in four.
    for (k, id) in bookers.iter().enumerate() {
        let person = Person::new(&server.emulator, *id);
        work.insert(k * 4, futures::future::Either::Right(book(person, k)));
    }
    let presses: usize = futures::stream::iter(work)
        .buffer_unordered(40)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .sum();
    let took = started.elapsed();

    // Every update was delivered and answered 200 (nothing left for Telegram to retry).
    for _ in 0..100 {
        if server.emulator.pending_updates().await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(server.emulator.pending_updates().await, 0);
    let updates = count(&pool, "select count(*) from webhook_update").await;
    let posts = delivered.posts.load(Ordering::Relaxed);
    let again_same = delivered.again_same.load(Ordering::Relaxed);
    let twice_at_once = delivered.twice_at_once.load(Ordering::Relaxed);
    eprintln!(
        "{updates} updates in {took:?} ({posts} posts: {again_same} delivered twice to one replica, {twice_at_once} to two at once)"
    );
    assert!(updates >= 2_500, "a few thousand updates: {updates}");
    assert!(again_same > 100 && twice_at_once > 100);
    assert_eq!(delivered.again_refused.load(Ordering::Relaxed), 0);
    assert_eq!(
        count(
            &pool,
            "select count(*) from webhook_update where done_at is null"
        )
        .await,
        0
    );

    // Each update took effect once: the same story gives the same number of messages to
    // everyone who told it (a twice-handled update adds a message or an apology), every button
    // press was answered once, and every booking is there once.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let asked = messages(&client, &askers).await;
    let booked = messages(&client, &bookers).await;
    let per_asker = asked[&askers[0]];
    assert!(per_asker > QUESTIONS.len());
    assert!(
        asked.values().all(|n| *n == per_asker),
        "askers' message counts differ: {asked:?}"
    );
    let per_booker = booked[&bookers[0]];
    assert!(
        booked.values().all(|n| *n == per_booker),
        "bookers' message counts differ: {booked:?}"
    );
    assert_eq!(
        server.emulator.calls("answerCallbackQuery").await,
        presses as u64 + BOOKERS as u64,
        "each press (and each consent) answered once"
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from booking where status = 'active' and telegram_id > 20000"
        )
        .await,
        BOOKERS
    );
    assert_eq!(
        count(
            &pool,
            "select count(distinct (slot_start, seat)) from booking where status = 'active'"
        )
        .await,
        BOOKERS
    );

    // The reminders of those visits fall due (the outbox of all three replicas serves them).
    let reminders = count(
        &pool,
        "select count(*) from outbox_job where kind = 'reminder' and status = 'pending'",
    )
    .await;
    assert!(reminders >= BOOKERS, "{reminders} reminders");
    sqlx::query(
        "update outbox_job set due_at = $1::timestamptz where kind = 'reminder' and status = 'pending'",
    )
    .bind(NOV_9)
    .execute(&pool)
    .await
    .expect("due now");
    for _ in 0..600 {
        let pending = count(
            &pool,
            "select count(*) from outbox_job where kind = 'reminder' and status = 'pending'",
        )
        .await;
        if pending == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = messages(&client, &bookers).await;
    let sent: Vec<(i64, i64)> = sqlx::query_as(
        "select chat_id, count(*) from outbox_job where kind = 'reminder' and status = 'sent' group by chat_id",
    )
    .fetch_all(&pool)
    .await
    .expect("sent reminders");
    let sent: HashMap<i64, i64> = sent.into_iter().collect();
    assert_eq!(sent.values().sum::<i64>(), reminders, "every reminder sent");
    for chat in &bookers {
        assert_eq!(
            (after[chat] - booked[chat]) as i64,
            sent.get(chat).copied().unwrap_or_default(),
            "chat {chat}: one message per reminder"
        );
    }
    // And nothing more arrives: no event after the reminders.
    let last = server.emulator.last_event_seq().await;
    let more = server
        .emulator
        .events_after(last, Duration::from_secs(1))
        .await;
    assert!(
        more.iter()
            .all(|e| !matches!(e.kind, EventKind::Sent { .. })),
        "{more:?}"
    );
    drop(replicas);
}

//! The `okienko` program itself, as an operator runs it: configuration errors, a refused token,
//! serving users on any Bot API server, the terminal chat, and creating a missing database.

mod common;

use std::{
    io::Write,
    net::SocketAddr,
    process::{Command, Stdio},
    time::Duration,
};

use common::{
    assert_has, database_url, mediation_fully_booked, server_url, BotProcess, Phone, PATIENCE,
    TOKEN,
};
use okienko::emulator::{Emulator, EmulatorClient, EmulatorHandle, EventKind, Fault, UserProfile};
use sqlx::PgPool;

fn okienko() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_okienko"));
    // Nothing from the developer's environment or .env leaks into these runs.
    command.current_dir(std::env::temp_dir());
    for name in [
        "TELOXIDE_TOKEN",
        "TELOXIDE_API_URL",
        "DATABASE_URL",
        "OKIENKO_NOW",
        "OKIENKO_LOG",
        "RUST_LOG",
    ] {
        command.env_remove(name);
    }
    // Health and metrics on a free port: runs started at once do not collide on 8080.
    command.env("OKIENKO_LISTEN", "127.0.0.1:0");
    command
}

/// Runs the program to its end; returns (exit code, stdout, stderr).
async fn finish(mut command: Command) -> (Option<i32>, String, String) {
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("joined")
        .expect("the program runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Waits for a program that was given all its input to end (at most 90 s); its output.
async fn ended(program: std::process::Child) -> std::process::Output {
    tokio::time::timeout(
        Duration::from_secs(90),
        tokio::task::spawn_blocking(move || program.wait_with_output()),
    )
    .await
    .expect("the program ends when its input does")
    .expect("joined")
    .expect("output")
}

#[tokio::test]
async fn a_malformed_variable_stops_the_program_with_one_line_naming_it() {
    let mut command = okienko();
    command.arg("run").env("OKIENKO_NOW", "jutro o dziewiątej");
    let (code, _, stderr) = finish(command).await;
    assert_eq!(code, Some(1));
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.starts_with("okienko: OKIENKO_NOW is malformed: expected an RFC 3339 instant"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[tokio::test]
async fn a_missing_token_is_named() {
    let mut command = okienko();
    command.arg("run");
    let (code, _, stderr) = finish(command).await;
    assert_eq!(code, Some(1));
    assert_eq!(stderr.trim_end(), "okienko: TELOXIDE_TOKEN is not set: get a token from @BotFather, or try the bot without one: okienko chat");
}

#[sqlx::test]
async fn a_refused_token_is_said_in_one_line_and_never_printed(pool: PgPool) {
    let server = Emulator::new(TOKEN)
        .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("emulator");
    let wrong = "999:this-token-is-not-the-one-the-server-knows";
    let mut command = okienko();
    command
        .arg("run")
        .env("TELOXIDE_TOKEN", wrong)
        .env("TELOXIDE_API_URL", server.url.as_str())
        .env("DATABASE_URL", database_url(&pool));
    let (code, stdout, stderr) = finish(command).await;
    assert_eq!(code, Some(1));
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(
            "okienko: TELOXIDE_TOKEN was refused by the Bot API server at http://127.0.0.1:"
        ),
        "{stderr}"
    );
    assert!(
        !stderr.contains(wrong) && !stdout.contains(wrong),
        "the token never prints"
    );
}

#[sqlx::test]
async fn run_serves_users_on_any_bot_api_server(pool: PgPool) {
    let server = Emulator::new(TOKEN)
        .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("emulator");
    let mut bot = okienko()
        .arg("run")
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", server.url.as_str())
        .env("DATABASE_URL", database_url(&pool))
        .env("OKIENKO_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the bot starts");
    let client = EmulatorClient::new(server.url.clone());
    let user = UserProfile::new(11, "Ala", Some("pl"));
    client.send_text(&user, "/start").await.expect("sent");
    let events = client.events_after(0, PATIENCE).await.expect("events");
    let _ = bot.kill();
    let _ = bot.wait();
    let greeting = events.iter().find_map(|e| match &e.kind {
        EventKind::Sent { message } if e.chat_id == 11 => Some(message.text.clone()),
        _ => None,
    });
    assert!(
        greeting.is_some_and(|text| text.starts_with("Dzień dobry!")),
        "{events:?}"
    );
}

#[sqlx::test]
async fn chat_reads_a_piped_script(pool: PgPool) {
    let mut chat = okienko()
        .args(["chat", "--lang", "en"])
        .env("DATABASE_URL", database_url(&pool))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the chat starts");
    let mut stdin = chat.stdin.take().expect("stdin");
    // Start, press the first button (opening hours), then the third (back to the menu), switch to
    // Polish by typing, and ask a question in plain words.
    stdin
        .write_all(b"/start\n1\n3\n/lang pl\ngdzie jest cps\n")
        .expect("script written");
    drop(stdin);
    let output = ended(chat).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected = [
        "> /start",
        "Okienko ▸ Hello! This is Okienko",
        "   [1] 🕐 Opening hours",
        "   [6] 🌐 Język / Language",
        "Okienko ▸ 🕐 The centres' opening hours:",
        "   [1] Social Work Centre (Centrum Pracy Socjalnej)",
        "   [3] ⬅️ Main menu",
        "Okienko ▸ What can I do for you?",
        "Okienko ▸ Dobrze, piszę teraz po polsku.",
        "   [1] 🕐 Godziny otwarcia",
        "> gdzie jest cps",
        "Okienko ▸ Centrum Pracy Socjalnej",
        "    📍 ul. Kasprowicza 2, 41-503 Chorzów",
    ];
    let mut rest: &str = &stdout;
    for line in expected {
        let at = rest
            .find(line)
            .unwrap_or_else(|| panic!("{line:?} missing, in order, from:\n{stdout}"));
        rest = &rest[at + line.len()..];
    }
}

#[sqlx::test]
async fn migrate_creates_a_missing_database(pool: PgPool) {
    let name = format!("okienko_created_{}", std::process::id());
    sqlx::query(&format!("drop database if exists {name}"))
        .execute(&pool)
        .await
        .expect("clean");
    let url = server_url(&pool, pool.connect_options().get_username(), &name);
    let mut command = okienko();
    command.arg("migrate").env("DATABASE_URL", &url);
    let (code, stdout, stderr) = finish(command).await;
    assert_eq!(code, Some(0), "{stderr}");
    // Every migration shipped (their number grows with each one added).
    let shipped = okienko::db::MIGRATOR.iter().count();
    assert!(
        stdout.starts_with(&format!(
            "Created the database and applied {shipped} migrations."
        )),
        "{stdout}"
    );
    // Again: nothing to do, and it says so.
    let mut again = okienko();
    again.arg("migrate").env("DATABASE_URL", &url);
    let (code, stdout, stderr) = finish(again).await;
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.starts_with(&format!(
            "The database was already up to date ({shipped} migrations); nothing changed."
        )),
        "{stdout}"
    );
    let created = sqlx::PgPool::connect(&url)
        .await
        .expect("the database now exists");
    let tables: i64 = sqlx::query_scalar(
        "select count(*) from information_schema.tables where table_name in ('telegram_user', 'dialogue')",
    )
    .fetch_one(&created)
    .await
    .expect("tables");
    assert_eq!(tables, 2);
    created.close().await;
    sqlx::query(&format!("drop database {name}"))
        .execute(&pool)
        .await
        .expect("dropped");
}

#[tokio::test]
async fn an_unreachable_database_is_one_clear_line() {
    let mut command = okienko();
    command
        .arg("migrate")
        .env("DATABASE_URL", "postgres://postgres@127.0.0.1:1/okienko");
    let (code, _, stderr) = finish(command).await;
    assert_eq!(code, Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("okienko: cannot reach PostgreSQL at 127.0.0.1:1 (is it running?)"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_bad_directory_file_is_refused_with_its_line_and_field() {
    let good = include_str!("data/other-city.toml");
    let bad = good.replace("fri = \"10:00-11:30\"", "fri = \"10:00-31:30\"");
    let path =
        std::env::temp_dir().join(format!("okienko-bad-directory-{}.toml", std::process::id()));
    std::fs::write(&path, bad).expect("file written");
    let mut command = okienko();
    command.arg("chat").env("OKIENKO_DIRECTORY", &path);
    let (code, _, stderr) = finish(command).await;
    let _ = std::fs::remove_file(&path);
    assert_eq!(code, Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let expected = format!(
        "okienko: {}, line 26: place[0].hours.fri: \"10:00-31:30\" is not opening hours",
        path.display()
    );
    assert!(stderr.starts_with(&expected), "{stderr}");
}

/// Monday 9 November 2026, 9:00: legal aid on Monday 16 November is bookable.
const NOV_9: &str = "2026-11-09T09:00:00+01:00";

/// An emulator, and `okienko run` serving it with the given settings on the test's database.
async fn run_with(pool: &PgPool, env: &[(&str, &str)]) -> (EmulatorHandle, BotProcess) {
    let server = Emulator::new(TOKEN)
        .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("emulator");
    let bot = BotProcess::run(&server, pool, env);
    (server, bot)
}

/// OKIENKO_STAFF_IDS, through the real binary: the named user gets the agenda; anyone else's
/// "/agenda" is answered as any unknown command is.
#[sqlx::test]
async fn run_gives_the_staff_tools_to_the_users_in_okienko_staff_ids(pool: PgPool) {
    let (server, _bot) = run_with(
        &pool,
        &[("OKIENKO_NOW", NOV_9), ("OKIENKO_STAFF_IDS", "7001")],
    )
    .await;
    let client = EmulatorClient::new(server.url.clone());
    let mut staff = Phone::new(client.clone(), 7001, Some("pl"));
    assert_has(
        &staff.ask("/agenda").await,
        &["📋 Wizyty: pon 9.11 (0), strona 1/1"],
    );
    let mut resident = Phone::new(client.clone(), 11, Some("pl"));
    let unknown = resident.ask("/nope").await;
    assert_eq!(resident.ask("/agenda").await, unknown);
}

#[sqlx::test]
async fn run_sends_the_morning_digest_at_okienko_digest_at(pool: PgPool) {
    let (server, _bot) = run_with(
        &pool,
        &[
            ("OKIENKO_NOW", "2026-11-09T07:29:55+01:00"),
            ("OKIENKO_STAFF_CHATS", "7001"),
            ("OKIENKO_DIGEST_AT", "07:30"),
        ],
    )
    .await;
    let client = EmulatorClient::new(server.url.clone());
    let mut staff = Phone::new(client.clone(), 7001, Some("pl"));
    staff.say("/start").await;
    assert_has(
        &staff.next_message().await.text,
        &["☀️ Wizyty na dziś, pon 9.11: 0"],
    );
}

#[tokio::test]
async fn malformed_staff_settings_are_named() {
    for (name, value) in [
        ("OKIENKO_NEWS_RATE", "100"),
        ("OKIENKO_DIGEST_AT", "rano"),
        ("OKIENKO_STAFF_IDS", "anna"),
    ] {
        let mut command = okienko();
        command.arg("run").env(name, value);
        let (code, _, stderr) = finish(command).await;
        assert_eq!(code, Some(1), "{name}");
        assert!(
            stderr.starts_with(&format!("okienko: {name} is malformed")),
            "{stderr}"
        );
    }
}

#[sqlx::test]
async fn run_tells_the_staff_chats_named_in_okienko_staff_chats(pool: PgPool) {
    let (server, _bot) = run_with(
        &pool,
        &[
            ("OKIENKO_NOW", NOV_9),
            ("OKIENKO_STAFF_CHATS", "7001, 7002"),
        ],
    )
    .await;
    let client = EmulatorClient::new(server.url.clone());
    // Each staff member has written to the bot once, as Telegram requires.
    let mut staff = [
        Phone::new(client.clone(), 7001, Some("pl")),
        Phone::new(client.clone(), 7002, Some("en")),
    ];
    for member in &mut staff {
        member.say("/start").await;
    }
    let mut anna = Phone::new(client.clone(), 11, Some("pl"));
    anna.say("chcę się umówić do prawnika").await;
    anna.press("pon 16.11").await;
    anna.press("13:00").await;
    anna.say("Anna Kowalska").await;
    client
        .send_contact(&anna.user, "+48600100200")
        .await
        .expect("contact shared");
    assert_eq!(anna.next_message().await.text, "Dziękuję.");
    anna.next_message().await;
    assert_has(&anna.press("✅ Potwierdzam").await.text, &["✅ Umówione"]);
    for member in &mut staff {
        assert_eq!(
            member.next_message().await.text,
            "🆕 Nowa wizyta: Pomoc prawna, poniedziałek 16.11, godz. 13:00–13:30. Anna Kowalska, tel. +48 600 100 200.",
            "staff chat {}",
            member.chat_id()
        );
    }
}

#[sqlx::test]
async fn run_holds_waiting_list_offers_for_okienko_offer_minutes(pool: PgPool) {
    // Mediation has three slots in the horizon; three people hold them.
    mediation_fully_booked(&pool).await;
    let (server, _bot) = run_with(
        &pool,
        &[("OKIENKO_NOW", NOV_9), ("OKIENKO_OFFER_MINUTES", "7")],
    )
    .await;
    let client = EmulatorClient::new(server.url.clone());
    let mut waiting = Phone::new(client.clone(), 61, Some("pl"));
    waiting.say("umów mediacje").await;
    waiting.press("📝 Zapisz mnie na listę").await;
    waiting.say("Pierwsza Osoba").await;
    assert_eq!(waiting.say("600 200 300").await.text, "Dziękuję.");
    assert_has(
        &waiting.next_message().await.text,
        &["Jesteś na liście oczekujących", "7 minut"],
    );

    // Person 1 cancels: the slot is offered, held for seven minutes from about 9:00.
    let mut one = Phone::new(client.clone(), 1, Some("pl"));
    one.say("/start").await;
    one.press("🗓 Moje wizyty").await;
    one.press("❌ Odwołaj: pon 16.11 13:00").await;
    one.press("Tak, odwołaj").await;
    let offer = waiting.next_message().await;
    assert_has(&offer.text, &["Zwolnił się termin", "do 9:07"]);
}

#[sqlx::test]
async fn each_update_logs_in_its_span_without_what_the_person_wrote(pool: PgPool) {
    let server = Emulator::new(TOKEN)
        .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("emulator");
    let log_path = std::env::temp_dir().join(format!("okienko-span-{}.log", std::process::id()));
    let log = std::fs::File::create(&log_path).expect("log file");
    let mut bot = BotProcess::run_logging(&server, &pool, &[("OKIENKO_LOG", "warn")], log);
    let client = EmulatorClient::new(server.url.clone());
    // Telegram refuses the reply once: the update fails, is logged, and the person gets an apology.
    client
        .add_fault(
            Fault::error("sendMessage", 400, "Bad Request: something went wrong").for_chat(601),
        )
        .await
        .expect("fault armed");
    let mut person = Phone::new(client.clone(), 601, Some("pl"));
    let apology = person
        .ask("Jan Kowalski, tel. 600 100 200, kiedy jest prawnik?")
        .await;
    assert!(apology.starts_with("Przepraszam"), "{apology}");
    bot.kill();
    let log = std::fs::read_to_string(&log_path).expect("log read");
    let _ = std::fs::remove_file(&log_path);
    let failed = log
        .lines()
        .find(|line| line.contains("an update could not be handled"))
        .unwrap_or_else(|| panic!("no error line in:\n{log}"));
    assert!(
        failed.contains("update{id=")
            && failed.contains("kind=\"message\"")
            && failed.contains("chat_id=601"),
        "the error line carries the update's span: {failed}"
    );
    assert!(!log.contains('\u{1b}'), "no colour codes in a file: {log}");
    for private in ["Kowalski", "600 100 200", "prawnik"] {
        assert!(!log.contains(private), "{private:?} in the log:\n{log}");
    }
}

#[sqlx::test]
async fn outbox_reads_only_and_says_when_the_database_is_missing(pool: PgPool) {
    let name = format!("okienko_never_{}", std::process::id());
    let url = server_url(&pool, pool.connect_options().get_username(), &name);
    let mut command = okienko();
    command.arg("outbox").env("DATABASE_URL", &url);
    let (code, _, stderr) = finish(command).await;
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr.trim_end(),
        format!("okienko: the database {name} does not exist (okienko migrate creates it)")
    );
    let created: i64 = sqlx::query_scalar("select count(*) from pg_database where datname = $1")
        .bind(&name)
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(created, 0, "a read-only tool created nothing");
}

#[sqlx::test]
async fn a_refused_database_user_is_not_called_unreachable(pool: PgPool) {
    let url = server_url(&pool, "no_such_role_okienko", "okienko");
    let mut command = okienko();
    command.arg("migrate").env("DATABASE_URL", &url);
    let (code, _, stderr) = finish(command).await;
    assert_eq!(code, Some(1));
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.contains("refused the connection as no_such_role_okienko")
            && stderr.contains("check the user and password in DATABASE_URL")
            && !stderr.contains("is it running"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_database_url_without_a_database_is_refused() {
    let mut command = okienko();
    command
        .arg("migrate")
        .env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/");
    let (code, _, stderr) = finish(command).await;
    assert_eq!(code, Some(1));
    assert!(
        stderr.starts_with("okienko: DATABASE_URL is malformed: expected postgres://user@host:port/database, with the database named"),
        "{stderr}"
    );
}

#[sqlx::test]
async fn chat_piped_into_a_closed_output_ends_quietly(pool: PgPool) {
    let mut chat = okienko()
        .args(["chat"])
        .env("DATABASE_URL", database_url(&pool))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the chat starts");
    // The reader goes away at once, as `| head -0` would.
    drop(chat.stdout.take());
    let mut stdin = chat.stdin.take().expect("stdin");
    let _ = stdin.write_all(b"/start\n/start\n");
    drop(stdin);
    let output = ended(chat).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

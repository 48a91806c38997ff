//! Webhook mode through the real program: `okienko webhook set|info|delete` against the emulator;
//! `okienko run` serving the webhook, refusing posts without the secret, never setting or deleting
//! the webhook as it starts or stops; and an update whose replica was killed in the middle of it
//! handled once by another, after the claim went stale.

mod common;

use std::{net::SocketAddr, time::Duration};

use common::{
    count,
    webhook::{free_port, healthy, post, replica, PATH, SECRET},
    Phone, TOKEN,
};
use okienko::emulator::{Emulator, EmulatorClient, EmulatorHandle, Fault, UserProfile};
use sqlx::PgPool;

async fn emulator() -> EmulatorHandle {
    okienko::telemetry::init("warn");
    Emulator::new(TOKEN)
        .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("the emulator starts")
}

/// `okienko <args>` to its end, configured by `env`; (success, stdout, stderr).
async fn okienko(
    server: &EmulatorHandle,
    args: &[&str],
    env: &[(&str, &str)],
) -> (bool, String, String) {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_okienko"))
        .args(args)
        .current_dir(std::env::temp_dir())
        .env_remove("RUST_LOG")
        .env_remove("OKIENKO_WEBHOOK_URL")
        .env_remove("OKIENKO_WEBHOOK_SECRET")
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", server.url.as_str())
        .env("OKIENKO_LOG", "warn")
        .envs(env.iter().copied())
        .output()
        .await
        .expect("the program runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_webhook_is_set_shown_and_deleted_by_explicit_commands() {
    let server = emulator().await;
    // Nothing listens there: the emulator's posts fail, as to a server that is down.
    let url = "https://127.0.0.1:9/telegram";

    // Without the secret: the variable is named, and nothing is asked of Telegram.
    let (ok, _, stderr) = okienko(
        &server,
        &["webhook", "set"],
        &[("OKIENKO_WEBHOOK_URL", url)],
    )
    .await;
    assert!(!ok);
    assert!(
        stderr.contains("OKIENKO_WEBHOOK_SECRET is not set"),
        "{stderr}"
    );
    // A malformed secret is refused without being echoed.
    let (ok, _, stderr) = okienko(
        &server,
        &["webhook", "set"],
        &[
            ("OKIENKO_WEBHOOK_URL", url),
            ("OKIENKO_WEBHOOK_SECRET", "not a valid secret!"),
        ],
    )
    .await;
    assert!(!ok);
    assert!(
        stderr.contains("OKIENKO_WEBHOOK_SECRET is malformed"),
        "{stderr}"
    );
    assert!(!stderr.contains("not a valid secret"), "{stderr}");
    assert_eq!(server.emulator.calls("setWebhook").await, 0);

    let (ok, stdout, stderr) = okienko(
        &server,
        &["webhook", "set"],
        &[
            ("OKIENKO_WEBHOOK_URL", url),
            ("OKIENKO_WEBHOOK_SECRET", SECRET),
            ("OKIENKO_WEBHOOK_MAX_CONNECTIONS", "7"),
        ],
    )
    .await;
    assert!(ok, "{stderr}");
    assert!(stdout.contains(url), "{stdout}");
    assert!(
        stdout.contains("message, callback_query, channel_post"),
        "{stdout}"
    );
    assert!(!stdout.contains(SECRET) && !stderr.contains(SECRET));
    assert_eq!(
        server.emulator.webhook().await,
        Some((url.to_owned(), Some(SECRET.to_owned()), 7))
    );

    // Two updates wait; the address does not answer (it is not real), so the error shows.
    let user = UserProfile::new(31, "Test", Some("pl"));
    server.emulator.send_text(&user, "dzień dobry").await;
    server
        .emulator
        .send_text(&user, "kiedy jest prawnik?")
        .await;
    let mut info = String::new();
    for _ in 0..100 {
        let (ok, stdout, stderr) = okienko(&server, &["webhook", "info"], &[]).await;
        assert!(ok, "{stderr}");
        info = stdout;
        if !info.contains("last error       -") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for line in [
        format!("url              {url}"),
        "pending updates  2".to_owned(),
        "max connections  7".to_owned(),
        "last error       Connection refused".to_owned(),
    ] {
        assert!(info.contains(&line), "{line:?} missing from:\n{info}");
    }
    assert!(!info.contains("last error at    -"), "{info}");

    let (ok, stdout, _) = okienko(&server, &["webhook", "delete"], &[]).await;
    assert!(ok);
    assert!(stdout.contains("pending updates are kept"), "{stdout}");
    assert_eq!(server.emulator.webhook().await, None);
    assert_eq!(server.emulator.pending_updates().await, 2);
    let (_, info, _) = okienko(&server, &["webhook", "info"], &[]).await;
    assert!(info.contains("url              - (none"), "{info}");

    let (ok, stdout, _) = okienko(&server, &["webhook", "delete", "--drop-pending"], &[]).await;
    assert!(ok);
    assert!(stdout.contains("dropped"), "{stdout}");
    assert_eq!(server.emulator.pending_updates().await, 0);
}

#[sqlx::test]
async fn run_serves_the_webhook_and_never_sets_or_deletes_it(pool: PgPool) {
    let server = emulator().await;
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}{PATH}");
    let mut bot = replica(&server, &pool, port, &url, &[]);
    healthy(port).await;
    let (ok, _, stderr) = okienko(
        &server,
        &["webhook", "set"],
        &[
            ("OKIENKO_WEBHOOK_URL", url.as_str()),
            ("OKIENKO_WEBHOOK_SECRET", SECRET),
        ],
    )
    .await;
    assert!(ok, "{stderr}");

    // The emulator posts what the person types to the bot, as Telegram does.
    let mut anna = Phone::new(EmulatorClient::new(server.url.clone()), 41, Some("pl"));
    let reply = anna.ask("kiedy jest prawnik?").await;
    assert!(!reply.is_empty());
    assert_eq!(server.emulator.calls("getUpdates").await, 0, "no polling");

    bot.signal("TERM");
    let status = bot
        .exited_within(Duration::from_secs(25))
        .await
        .expect("the bot stops");
    assert!(status.success(), "{status:?}");
    assert!(!server.emulator.webhook_deleted().await);
    assert_eq!(server.emulator.calls("deleteWebhook").await, 0);
    assert_eq!(
        server.emulator.calls("setWebhook").await,
        1,
        "only the command's"
    );
    assert!(server.emulator.webhook().await.is_some());
}

#[sqlx::test]
async fn a_post_without_the_right_secret_is_refused_and_nothing_happens(pool: PgPool) {
    let server = emulator().await;
    let port = free_port();
    let _bot = replica(
        &server,
        &pool,
        port,
        &format!("http://127.0.0.1:{port}{PATH}"),
        &[],
    );
    healthy(port).await;
    let user = UserProfile::new(51, "Test", Some("pl"));
    let (update_id, _) = server.emulator.send_text(&user, "/start").await;
    let update = server
        .emulator
        .queued_update(update_id)
        .await
        .expect("queued")
        .to_string();

    let wrong = "test-webhook-secret_0123456780";
    assert_eq!(wrong.len(), SECRET.len());
    for secret in [None, Some(wrong), Some("x"), Some("")] {
        assert_eq!(post(port, secret, update.clone()).await, 401, "{secret:?}");
    }
    // Not an update, and too large: refused once the secret is right.
    assert_eq!(post(port, Some(SECRET), r#"{"hello":1}"#).await, 400);
    assert_eq!(post(port, Some(SECRET), "not json").await, 400);
    let huge = format!(r#"{{"update_id":1,"pad":"{}"}}"#, "x".repeat(1024 * 1024));
    assert_eq!(post(port, Some(SECRET), huge).await, 413);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(count(&pool, "select count(*) from webhook_update").await, 0);
    let replies =
        |chat: Vec<okienko::emulator::ChatMessage>| chat.iter().filter(|m| m.from_bot).count();
    assert_eq!(
        replies(server.emulator.chat(51).await),
        0,
        "nothing happened"
    );

    // The same update with the secret is handled, and answered once it is.
    assert_eq!(post(port, Some(SECRET), update.clone()).await, 200);
    let answered = replies(server.emulator.chat(51).await);
    assert!(answered >= 1);
    assert_eq!(
        count(
            &pool,
            "select count(*) from webhook_update where done_at is not null"
        )
        .await,
        1
    );
    // Delivered again: 200 at once, and no second answer.
    assert_eq!(post(port, Some(SECRET), update).await, 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(replies(server.emulator.chat(51).await), answered);

    // The operator sees what became of the posts.
    let metrics = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    for (answer, n) in [
        ("refused", 4),
        ("not_an_update", 2),
        ("too_large", 1),
        ("taken", 1),
        ("done_already", 1),
    ] {
        let line = format!("okienko_webhook_posts_total{{answer=\"{answer}\"}} {n}");
        assert!(metrics.contains(&line), "{line} missing from:\n{metrics}");
    }
}

#[sqlx::test]
async fn an_update_whose_replica_was_killed_is_handled_once_by_another(pool: PgPool) {
    let server = emulator().await;
    let (port_a, port_b) = (free_port(), free_port());
    let url = "https://bot.example.org/telegram";
    let mut a = replica(&server, &pool, port_a, url, &[]);
    let _b = replica(&server, &pool, port_b, url, &[]);
    healthy(port_a).await;
    healthy(port_b).await;
    let user = UserProfile::new(61, "Test", Some("pl"));
    let (update_id, _) = server
        .emulator
        .send_text(&user, "kiedy jest prawnik?")
        .await;
    let update = server
        .emulator
        .queued_update(update_id)
        .await
        .expect("queued")
        .to_string();

    // Replica A takes the update and hangs in the middle of answering it; then it is killed.
    server
        .emulator
        .add_fault(Fault::hang("sendMessage").for_chat(61))
        .await;
    let in_a = tokio::spawn({
        let update = update.clone();
        async move {
            reqwest::Client::new()
                .post(format!("http://127.0.0.1:{port_a}{PATH}"))
                .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                .header("content-type", "application/json")
                .body(update)
                .send()
                .await
                .map(|answer| answer.status().as_u16())
        }
    });
    for _ in 0..300 {
        if server.emulator.calls("sendMessage").await > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        server.emulator.calls("sendMessage").await > 0,
        "A is answering"
    );
    a.kill();
    assert!(
        in_a.await.expect("joined").is_err(),
        "Telegram got no answer from A"
    );
    let replies =
        |chat: Vec<okienko::emulator::ChatMessage>| chat.iter().filter(|m| m.from_bot).count();
    assert_eq!(replies(server.emulator.chat(61).await), 0);

    // Telegram delivers it again at once, to B: A's claim is fresh, so B waits for A to finish it
    // (which A never will) and does not answer it away.
    let in_b = tokio::spawn({
        let update = update.clone();
        async move { post(port_b, Some(SECRET), update).await }
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(!in_b.is_finished(), "B waits while A's claim is fresh");
    assert_eq!(replies(server.emulator.chat(61).await), 0);

    // Once the claim is older than the answer bound (time passing, here made to pass in the
    // database), B takes it over and answers it, once.
    sqlx::query("update webhook_update set taken_at = taken_at - interval '2 minutes'")
        .execute(&pool)
        .await
        .expect("aged");
    assert_eq!(in_b.await.expect("joined"), 200);
    let answered = replies(server.emulator.chat(61).await);
    assert!(answered >= 1, "B answered");
    assert_eq!(post(port_b, Some(SECRET), update).await, 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(replies(server.emulator.chat(61).await), answered);
    assert_eq!(
        count(
            &pool,
            "select count(*) from webhook_update where done_at is not null"
        )
        .await,
        1
    );
}

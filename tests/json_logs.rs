//! Issue 12, logs for a collector, through the real `okienko run`: with
//! `OKIENKO_LOG_FORMAT=json`, every line the program writes (standard error and output) is one JSON
//! object with its timestamp, level, target and fields, and the span's fields inside an update;
//! at the most talkative level it still holds no token, no phone number and no name. A value
//! other than `text` or `json` is refused in one line that names the variable.

mod common;

use std::{
    net::SocketAddr,
    path::PathBuf,
    process::{Command, Stdio},
    time::Duration,
};

use common::{assert_has, database_url, Phone, TOKEN};
use okienko::emulator::{Emulator, EmulatorClient};
use serde_json::Value;
use sqlx::PgPool;

/// Monday 9 November 2026, 9:00: legal aid on Monday 16 November is bookable.
const NOV_9: &str = "2026-11-09T09:00:00+01:00";

/// A file of its own for one stream of one run.
fn out_file(name: &str) -> (PathBuf, std::fs::File) {
    let path = std::env::temp_dir().join(format!(
        "okienko-json-{name}-{}-{}.log",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    let file = std::fs::File::create(&path).expect("log file");
    (path, file)
}

#[sqlx::test]
async fn json_logs_are_one_object_a_line_with_spans_and_nothing_private(pool: PgPool) {
    let server = Emulator::new(TOKEN)
        .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("emulator");
    let (err_path, err_file) = out_file("stderr");
    let (out_path, out_file) = out_file("stdout");
    let mut child = Command::new(env!("CARGO_BIN_EXE_okienko"))
        .arg("run")
        .current_dir(std::env::temp_dir())
        .env_remove("RUST_LOG")
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", server.url.as_str())
        .env("DATABASE_URL", database_url(&pool))
        .env("OKIENKO_LISTEN", "127.0.0.1:0")
        .env("OKIENKO_LOG", "trace")
        .env("OKIENKO_LOG_FORMAT", "json")
        .env("OKIENKO_NOW", NOV_9)
        .env("OKIENKO_STAFF_CHATS", "7001")
        .stdout(Stdio::from(out_file))
        .stderr(Stdio::from(err_file))
        .spawn()
        .expect("the bot starts");
    let client = EmulatorClient::new(server.url.clone());
    let mut staff = Phone::new(client.clone(), 7001, Some("pl"));
    staff.say("/start").await;
    let mut anna = Phone::new(client.clone(), 11, Some("pl"));
    anna.say("/start").await;
    anna.say("chcę się umówić do prawnika").await;
    anna.press("pon 16.11").await;
    anna.press("13:00").await;
    anna.say("Anna Kowalska").await;
    assert_eq!(anna.ask("600 100 200").await, "Dziękuję.");
    anna.next_message().await;
    assert_has(&anna.press("✅ Potwierdzam").await.text, &["✅ Umówione"]);
    assert_has(&staff.next_message().await.text, &["🆕 Nowa wizyta"]);
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("waited") {
            break status;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the bot did not stop"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(status.code(), Some(0), "{status:?}");
    let stderr = std::fs::read_to_string(&err_path).expect("stderr read");
    let stdout = std::fs::read_to_string(&out_path).expect("stdout read");
    let _ = std::fs::remove_file(&err_path);
    let _ = std::fs::remove_file(&out_path);

    let lines: Vec<&str> = stderr.lines().chain(stdout.lines()).collect();
    assert!(lines.len() > 200, "{} lines", lines.len());
    let mut in_an_update = 0;
    let mut messages = Vec::new();
    for line in &lines {
        let object: Value =
            serde_json::from_str(line).unwrap_or_else(|error| panic!("not JSON ({error}): {line}"));
        for key in ["timestamp", "level", "target", "fields"] {
            assert!(object.get(key).is_some(), "no {key}: {line}");
        }
        assert!(
            chrono::DateTime::parse_from_rfc3339(object["timestamp"].as_str().unwrap_or(""))
                .is_ok(),
            "{line}"
        );
        if let Some(message) = object["fields"]["message"].as_str() {
            messages.push(message.to_owned());
        }
        if object["span"]["name"] == "update" {
            assert!(
                object["span"]["chat_id"].is_number() || object["span"]["chat_id"].is_string(),
                "{line}"
            );
            assert!(object["spans"].is_array(), "{line}");
            in_an_update += 1;
        }
    }
    assert!(
        in_an_update > 20,
        "{in_an_update} lines inside an update's span"
    );
    for said in ["this process now polls Telegram for updates", "stopped"] {
        assert!(
            messages.iter().any(|m| m == said),
            "no {said:?} in {messages:#?}"
        );
    }
    let secret = TOKEN.split_once(':').map(|(_, s)| s).unwrap_or(TOKEN);
    for private in [
        TOKEN,
        secret,
        "600100200",
        "600 100 200",
        "+48600100200",
        "Kowalska",
    ] {
        if let Some(line) = lines.iter().find(|line| line.contains(private)) {
            panic!("{private:?} in the log: {line}");
        }
    }
}

/// A format other than `text` or `json` stops the program at start with one line that names the
/// variable.
#[tokio::test]
async fn an_unknown_log_format_is_named_in_one_line() {
    let output = Command::new(env!("CARGO_BIN_EXE_okienko"))
        .arg("run")
        .current_dir(std::env::temp_dir())
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("DATABASE_URL", "postgres://postgres@127.0.0.1:1/okienko")
        .env("OKIENKO_LOG_FORMAT", "logfmt")
        .output()
        .expect("the program runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("okienko: OKIENKO_LOG_FORMAT is malformed: "),
        "{stderr}"
    );
    assert!(!stderr.contains("logfmt"), "{stderr}");
}

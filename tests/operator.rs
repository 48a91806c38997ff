//! What an operator meets when the database is not as the guide says: a role without its
//! grants, a database a newer version migrated (a rolling upgrade, a rollback), an empty
//! `DATABASE_URL`, a command's output read by `head`. Each through the real binary; each found
//! by an outside operator trying the guide.

mod common;

use std::{
    net::SocketAddr,
    path::PathBuf,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use common::{database_url, server_url, BotProcess, Phone, TOKEN};
use okienko::emulator::{Emulator, EmulatorClient, EmulatorHandle};
use sqlx::PgPool;

async fn emulator() -> EmulatorHandle {
    Emulator::new(TOKEN)
        .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("emulator")
}

/// `okienko ARGS` with these variables (and nothing from the test's own environment that would
/// change it); its exit status, standard output and standard error.
async fn okienko(args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_okienko"));
    command
        .args(args)
        .current_dir(std::env::temp_dir())
        .env_remove("RUST_LOG")
        .env_remove("DATABASE_URL")
        .env("OKIENKO_LOG", "warn")
        .env("OKIENKO_LISTEN", "127.0.0.1:0")
        .envs(env.iter().copied());
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("joined")
        .expect("okienko runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A login role of the test's own, without any grant; dropped at the end.
struct Role {
    name: String,
    pool: PgPool,
}

impl Role {
    async fn create(pool: &PgPool) -> Self {
        let name = format!(
            "okienko_nogrant_{}_{}",
            std::process::id(),
            chrono::Utc::now().timestamp_subsec_nanos()
        );
        sqlx::query(&format!("create role {name} login"))
            .execute(pool)
            .await
            .expect("role created");
        Self {
            name,
            pool: pool.clone(),
        }
    }

    async fn drop(self) {
        let _ = sqlx::query(&format!("drop role if exists {}", self.name))
            .execute(&self.pool)
            .await;
    }
}

/// The migrations are applied (by the owner), but the bot's role was never granted the rows:
/// the error names the missing rights and where the guide lists them, not "run okienko migrate
/// as the owner" (which says "already up to date" and changes nothing).
#[sqlx::test]
async fn a_role_without_grants_is_told_which_rights_it_lacks(pool: PgPool) {
    let role = Role::create(&pool).await;
    let own = pool
        .connect_options()
        .get_database()
        .unwrap_or_default()
        .to_owned();
    let url = server_url(&pool, &role.name, &own);
    let server = emulator().await;
    let (ok, _, stderr) = okienko(
        &["run"],
        &[
            ("DATABASE_URL", url.as_str()),
            ("TELOXIDE_TOKEN", TOKEN),
            ("TELOXIDE_API_URL", server.url.as_str()),
        ],
    )
    .await;
    role.drop().await;
    assert!(!ok, "run must stop: {stderr}");
    assert!(
        stderr.contains("may not read the table _sqlx_migrations")
            && stderr.contains("deploy/README.md"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("run okienko migrate as the database's owner"),
        "{stderr}"
    );
}

/// A newer version migrated the database (a rolling upgrade in progress, or the binary rolled
/// back): this version serves on, with a warning, as `/readyz` already allows, instead of
/// stopping with "previously applied but is missing".
#[sqlx::test]
async fn a_database_migrated_by_a_newer_version_is_served_with_a_warning(pool: PgPool) {
    sqlx::query(
        "insert into _sqlx_migrations (version, description, success, checksum, execution_time)
         values (20991231000000, 'from a newer version', true, '\\x00', 0)",
    )
    .execute(&pool)
    .await
    .expect("a newer migration recorded");
    let server = emulator().await;
    let path: PathBuf = std::env::temp_dir().join(format!(
        "okienko-newer-{}-{}.log",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    let file = std::fs::File::create(&path).expect("log file");
    let _bot = BotProcess::run_logging(&server, &pool, &[], file);
    let mut anna = Phone::new(EmulatorClient::new(server.url.clone()), 31, Some("pl"));
    let answer = anna.ask("godziny otwarcia CPS").await;
    assert!(answer.contains("7:00"), "{answer}");
    let deadline = Instant::now() + Duration::from_secs(10);
    let log = loop {
        let log = std::fs::read_to_string(&path).unwrap_or_default();
        if log.contains("a newer version migrated it") || Instant::now() > deadline {
            break log;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let _ = std::fs::remove_file(&path);
    assert!(log.contains("20991231000000"), "{log}");
}

/// `DATABASE_URL=` in an env file is a mistake, not "use the local default" (which would quietly
/// create and fill a database named okienko).
#[sqlx::test]
async fn an_empty_database_url_is_refused(_pool: PgPool) {
    for command in [&["run"][..], &["migrate"], &["outbox"], &["chat"]] {
        let (ok, _, stderr) =
            okienko(command, &[("DATABASE_URL", ""), ("TELOXIDE_TOKEN", TOKEN)]).await;
        assert!(!ok, "{command:?}: {stderr}");
        assert!(
            stderr.contains("DATABASE_URL is malformed: it is set but empty"),
            "{command:?}: {stderr}"
        );
        assert!(!stderr.contains("creating the database"), "{stderr}");
    }
}

/// `okienko outbox | head -1`: the reader goes away after one line; the program ends quietly
/// instead of panicking on the broken pipe.
#[sqlx::test]
async fn outbox_read_by_head_ends_quietly(pool: PgPool) {
    let url = database_url(&pool);
    let mut command = Command::new(env!("CARGO_BIN_EXE_okienko"));
    command
        .arg("outbox")
        .current_dir(std::env::temp_dir())
        .env("DATABASE_URL", &url)
        .env("OKIENKO_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().expect("okienko outbox runs");
        // As `head` does once it has its line: the read end closes before the program writes.
        drop(child.stdout.take());
        child.wait_with_output()
    })
    .await
    .expect("joined")
    .expect("waited");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// `okienko healthcheck` (the image's HEALTHCHECK): 0 while the bot on OKIENKO_LISTEN answers
/// /healthz (and /readyz with --ready), 1 once it is gone.
#[sqlx::test]
async fn healthcheck_asks_the_running_bot(pool: PgPool) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let listen = format!("0.0.0.0:{port}");
    let server = emulator().await;
    let mut bot = BotProcess::run(&server, &pool, &[("OKIENKO_LISTEN", listen.as_str())]);
    let url = database_url(&pool);
    let env = [
        ("OKIENKO_LISTEN", listen.as_str()),
        ("DATABASE_URL", url.as_str()),
    ];
    let deadline = Instant::now() + Duration::from_secs(15);
    let (ok, stdout, stderr) = loop {
        let asked = okienko(&["healthcheck"], &env).await;
        if asked.0 || Instant::now() > deadline {
            break asked;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(ok, "{stdout} {stderr}");
    assert!(stdout.starts_with("200"), "{stdout}");
    let (ok, stdout, stderr) = okienko(&["healthcheck", "--ready"], &env).await;
    assert!(ok && stdout.starts_with("200"), "{stdout} {stderr}");
    bot.kill();
    let (ok, _, stderr) = okienko(&["healthcheck"], &env).await;
    assert!(!ok, "{stderr}");
    assert!(
        stderr.contains("nothing answers at http://127.0.0.1:"),
        "{stderr}"
    );
}

/// The token is revoked while the bot runs (every getUpdates answers 401): the bot says so and
/// stops with an error, so that systemd or Kubernetes shows it failed, instead of polling in
/// vain for ever while /readyz says ready.
#[sqlx::test]
async fn a_token_revoked_while_running_stops_the_bot(pool: PgPool) {
    let server = emulator().await;
    let path = std::env::temp_dir().join(format!(
        "okienko-revoked-{}-{}.log",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    let file = std::fs::File::create(&path).expect("log file");
    let mut bot = BotProcess::run_logging(&server, &pool, &[], file);
    let client = EmulatorClient::new(server.url.clone());
    let mut anna = Phone::new(client.clone(), 41, Some("pl"));
    let answer = anna.ask("godziny otwarcia CPS").await;
    assert!(answer.contains("7:00"), "{answer}");
    client
        .add_fault(okienko::emulator::Fault::error("getUpdates", 401, "Unauthorized").times(1000))
        .await
        .expect("fault armed");
    let status = bot.exited_within(Duration::from_secs(60)).await;
    let log = std::fs::read_to_string(&path).unwrap_or_default();
    let _ = std::fs::remove_file(&path);
    let status = status.unwrap_or_else(|| panic!("still running:\n{log}"));
    assert!(!status.success(), "{log}");
    assert!(log.contains("Telegram refuses TELOXIDE_TOKEN"), "{log}");
}

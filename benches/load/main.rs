//! The load bench (issue 13): the real bot (`target/release/okienko run`, a child process) against
//! the Bot API emulator (in this process, on loopback) and a fresh PostgreSQL database per
//! scenario, with N simulated users. The bot's CPU time and peak RSS are read from /proc of the
//! child alone; this process's own CPU (emulator and simulated users) is shown beside it.
//!
//! ```sh
//! cargo bench --bench load                       # every scenario, about 5 minutes
//! cargo bench --bench load -- --quick            # every scenario, short (about 2 minutes)
//! cargo bench --bench load -- question echo      # some scenarios
//! cargo bench --bench load -- question --users 200 --seconds 30
//! cargo bench --bench load -- --growth           # question and booking at 1k, 10k, 100k users
//! ```
//!
//! DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres); the
//! statements per update need pg_stat_statements preloaded there (`./dev bench` runs the bench on
//! a private cluster that has it), else they show as n/a. Results: a table on standard output,
//! and target/bench/load.jsonl (one JSON object per scenario, appended) and
//! target/bench/load-last.json (the whole last run).

mod driver;
mod scenarios;
mod system;

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::Context;
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use okienko::emulator::{Emulator, EmulatorHandle};
use serde_json::json;
use sqlx::PgPool;

pub const TOKEN: &str = "4242:bench-token-for-the-emulator-0000";

#[derive(Parser, Clone)]
#[command(about = "Okienko's load bench: the real bot against the emulator and PostgreSQL")]
pub struct Args {
    /// Scenarios to run (default all): question, echo, menu, booking, cancel, reminders, memory,
    /// startup. `echo` is the bare teloxide echo bot in the question scenario.
    scenarios: Vec<String>,
    /// Simulated users (default per scenario: question, echo, menu 50; booking 500; cancel 200;
    /// reminders and memory 10,000).
    #[arg(long)]
    users: Option<usize>,
    /// How long each timed scenario runs (default 10 s; 4 s with --quick).
    #[arg(long)]
    seconds: Option<f64>,
    /// Short runs of every scenario (under 2 minutes in all; memory with 2,000 people).
    #[arg(long)]
    quick: bool,
    /// The question and booking scenarios on databases seeded with 1k, 10k and 100k users and
    /// their visits, with the plans of the hot queries at 100k.
    #[arg(long)]
    growth: bool,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

impl Args {
    pub fn seconds(&self) -> f64 {
        self.seconds
            .unwrap_or(if self.quick { 4.0 } else { 10.0 })
            .max(0.5)
    }
}

/// What one scenario measured.
#[derive(Default)]
pub struct Measured {
    pub scenario: String,
    pub users: usize,
    pub seconds: f64,
    /// Updates answered in the timed part.
    pub updates: u64,
    /// Whole flows done (bookings, cancellations, reminders sent), when the scenario has them.
    pub completed: Option<u64>,
    pub failed: u64,
    pub latencies: Vec<Duration>,
    pub bot_cpu: Duration,
    pub driver_cpu: Duration,
    pub commits: Option<i64>,
    pub statements: Option<i64>,
    pub peak_rss_kb: Option<u64>,
    pub note: String,
    pub extra: serde_json::Value,
}

impl Measured {
    fn percentile(&self, p: f64) -> Option<Duration> {
        if self.latencies.is_empty() {
            return None;
        }
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
    }

    fn per_update(&self, total: f64) -> Option<f64> {
        (self.updates > 0).then(|| total / self.updates as f64)
    }

    pub fn json(&self) -> serde_json::Value {
        let ms = |d: Option<Duration>| d.map(|d| (d.as_secs_f64() * 1e5).round() / 100.0);
        json!({
            "scenario": self.scenario,
            "users": self.users,
            "seconds": self.seconds,
            "updates": self.updates,
            "updates_per_second": self.rate(),
            "completed": self.completed,
            "completed_per_second": self.completed.map(|c| c as f64 / self.seconds.max(1e-9)),
            "failed": self.failed,
            "latency_ms": {
                "p50": ms(self.percentile(50.0)),
                "p99": ms(self.percentile(99.0)),
                "max": ms(self.percentile(100.0)),
            },
            "commits_per_update": self.commits.and_then(|c| self.per_update(c as f64)),
            "statements_per_update": self.statements.and_then(|s| self.per_update(s as f64)),
            "bot_cpu_ms_per_update": self.per_update(self.bot_cpu.as_secs_f64() * 1e3),
            "driver_cpu_ms_per_update": self.per_update(self.driver_cpu.as_secs_f64() * 1e3),
            "bot_cpu_percent": 100.0 * self.bot_cpu.as_secs_f64() / self.seconds.max(1e-9),
            "driver_cpu_percent": 100.0 * self.driver_cpu.as_secs_f64() / self.seconds.max(1e-9),
            "peak_rss_mb": self.peak_rss_kb.map(|kb| (kb as f64 / 102.4).round() / 10.0),
            "note": self.note,
            "extra": self.extra,
        })
    }

    fn rate(&self) -> f64 {
        self.updates as f64 / self.seconds.max(1e-9)
    }
}

/// What every scenario shares: the server, the programs, the progress bar.
pub struct Ctx {
    pub args: Args,
    pub server: String,
    pub admin: PgPool,
    pub statements: bool,
    pub ticks: f64,
    pub bot_exe: PathBuf,
    pub echo_exe: PathBuf,
    pub dir: PathBuf,
    pub directory_file: PathBuf,
    pub progress: ProgressBar,
    databases: std::sync::atomic::AtomicU32,
}

/// A database of the bench's own, dropped at the end of its scenario.
pub struct Database {
    pub name: String,
    pub url: String,
}

impl Ctx {
    pub async fn fresh_database(&self) -> anyhow::Result<Database> {
        let n = self
            .databases
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("okienko_load_{}_{n}", std::process::id());
        sqlx::query(&format!("create database {name}"))
            .execute(&self.admin)
            .await?;
        Ok(Database {
            url: url_with_database(&self.server, &name),
            name,
        })
    }

    pub async fn drop_database(&self, database: &Database) {
        let dropped = sqlx::query(&format!(
            "drop database if exists {} with (force)",
            database.name
        ))
        .execute(&self.admin)
        .await;
        if let Err(error) = dropped {
            eprintln!("could not drop {}: {error}", database.name);
        }
    }

    /// The emulator for one scenario, on a free loopback port, keeping no history.
    pub async fn emulator(&self) -> anyhow::Result<EmulatorHandle> {
        let handle = Emulator::new(TOKEN)
            .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await?;
        handle.emulator.keep_history(false).await;
        Ok(handle)
    }

    /// `okienko run` as an operator starts it, against the emulator and the database.
    pub fn spawn_bot(
        &self,
        exe: &Path,
        emulator: &EmulatorHandle,
        database: &Database,
        log: &str,
    ) -> anyhow::Result<BotChild> {
        let log = std::fs::File::create(self.dir.join(format!("{log}.log")))?;
        let mut command = Command::new(exe);
        if exe == self.bot_exe {
            command.arg("run");
        }
        let child = command
            // No .env of a checkout is read: the bench's folder has none.
            .current_dir(&self.dir)
            .env_remove("RUST_LOG")
            .env("TELOXIDE_TOKEN", TOKEN)
            .env("TELOXIDE_API_URL", emulator.url.as_str())
            .env("DATABASE_URL", &database.url)
            .env("OKIENKO_LOG", "warn")
            .env("OKIENKO_LISTEN", "127.0.0.1:0")
            // Simulated users type faster than people: the flood budget at its highest.
            .env("OKIENKO_FLOOD_PER_MINUTE", "1000")
            .env("OKIENKO_DIRECTORY", &self.directory_file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .with_context(|| format!("starting {}", exe.display()))?;
        Ok(BotChild {
            pid: child.id().to_string(),
            child,
            started: Instant::now(),
        })
    }

    pub fn bot_cpu(&self, bot: &BotChild) -> Duration {
        system::cpu_time(&bot.pid, self.ticks)
    }

    pub fn own_cpu(&self) -> Duration {
        system::cpu_time("self", self.ticks)
    }

    pub async fn counters(&self, database: &Database) -> system::DbCounters {
        system::db_counters(&self.admin, &database.name).await
    }
}

/// The bot (or the echo bot) as a child process; killed when dropped.
pub struct BotChild {
    pub child: Child,
    pub pid: String,
    pub started: Instant,
}

impl BotChild {
    pub fn peak_rss_kb(&self) -> Option<u64> {
        system::status_kb(&self.pid, "VmHWM")
    }

    /// Stops it as systemd would (SIGTERM), and kills it if it lingers.
    pub async fn stop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(&self.pid)
            .stderr(Stdio::null())
            .status();
        for _ in 0..100 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for BotChild {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn url_with_database(server: &str, name: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (server, String::new()),
    };
    let base = match base.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split('/').next().unwrap_or(rest);
            format!("{scheme}://{host}")
        }
        None => base.to_owned(),
    };
    format!("{base}/{name}{query}")
}

/// The shipped directory with the legal aid point open every day 06:00–22:00 in 15-minute slots
/// of 10 seats, 28 days ahead as shipped: room for 17,920 bookings, so that a booking run measures
/// booking rather than a full calendar. Everything else as shipped.
fn bench_directory(dir: &Path) -> anyhow::Result<PathBuf> {
    let shipped = include_str!("../../deploy/directory/chorzow.toml");
    let original = "mon = \"13:00-17:00\"\nwed = \"13:00-17:00\"\n[place.booking]\nslot_minutes = 30\ncapacity = 1\nhorizon_days = 28\n";
    anyhow::ensure!(
        shipped.contains(original),
        "the legal aid point's hours in deploy/directory/chorzow.toml changed: update the bench's copy"
    );
    let days: String = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|d| format!("{d} = \"06:00-22:00\"\n"))
        .collect();
    let bench = shipped.replacen(
        original,
        &format!("{days}[place.booking]\nslot_minutes = 15\ncapacity = 10\nhorizon_days = 28\n"),
        1,
    );
    let path = dir.join("directory.toml");
    std::fs::write(&path, bench)?;
    Ok(path)
}

/// Builds the echo bot example in the bench's profile (the bot itself is built by `cargo bench`
/// as the bench's binary target).
fn build_echo_bot(bot_exe: &Path) -> anyhow::Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "build",
            "--profile",
            "bench",
            "--quiet",
            "--example",
            "echo_bot",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .context("running cargo to build the echo bot")?;
    anyhow::ensure!(status.success(), "the echo bot example did not build");
    let dir = bot_exe
        .parent()
        .context("the bot's folder")?
        .join("examples")
        .join("echo_bot");
    Ok(dir)
}

fn ms(d: Option<Duration>) -> String {
    d.map(|d| format!("{:.1}", d.as_secs_f64() * 1e3))
        .unwrap_or_else(|| "–".into())
}

fn per(value: Option<f64>, decimals: usize) -> String {
    value
        .map(|v| format!("{v:.decimals$}"))
        .unwrap_or_else(|| "n/a".into())
}

fn print_table(results: &[Measured]) {
    println!();
    println!(
        "{:<22} {:>6} {:>9} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>8}",
        "scenario",
        "users",
        "updates/s",
        "done/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "commit/u",
        "stmt/u",
        "bot ms/u",
        "drv ms/u",
        "RSS MB"
    );
    for m in results {
        let rate = if m.seconds > 0.0 {
            format!("{:.0}", m.rate())
        } else {
            "–".into()
        };
        println!(
            "{:<22} {:>6} {:>9} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>8}",
            m.scenario,
            m.users,
            rate,
            m.completed
                .map(|c| format!("{:.0}", c as f64 / m.seconds.max(1e-9)))
                .unwrap_or_else(|| "–".into()),
            ms(m.percentile(50.0)),
            ms(m.percentile(99.0)),
            ms(m.percentile(100.0)),
            per(m.commits.and_then(|c| m.per_update(c as f64)), 2),
            per(m.statements.and_then(|s| m.per_update(s as f64)), 2),
            per(m.per_update(m.bot_cpu.as_secs_f64() * 1e3), 3),
            per(m.per_update(m.driver_cpu.as_secs_f64() * 1e3), 3),
            m.peak_rss_kb
                .map(|kb| format!("{:.1}", kb as f64 / 1024.0))
                .unwrap_or_else(|| "–".into()),
        );
    }
    for m in results.iter().filter(|m| !m.note.is_empty()) {
        println!("{}: {}", m.scenario, m.note);
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let server = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let admin = PgPool::connect(&url_with_database(&server, "postgres"))
        .await
        .context("connecting to PostgreSQL (DATABASE_URL)")?;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let bot_exe = PathBuf::from(env!("CARGO_BIN_EXE_okienko"));
    let all = [
        "question",
        "echo",
        "menu",
        "booking",
        "cancel",
        "reminders",
        "memory",
        "startup",
    ];
    let mut wanted: Vec<String> = if args.scenarios.is_empty() && !args.growth {
        all.iter().map(|s| s.to_string()).collect()
    } else {
        args.scenarios.clone()
    };
    if let Some(unknown) = wanted.iter().find(|s| !all.contains(&s.as_str())) {
        anyhow::bail!("no scenario {unknown:?}; there are: {}", all.join(", "));
    }
    let echo_exe = if wanted.iter().any(|s| s == "echo") {
        build_echo_bot(&bot_exe)?
    } else {
        PathBuf::new()
    };
    let progress = ProgressBar::new(0);
    progress.set_style(
        ProgressStyle::with_template("{spinner} {prefix:<20} [{bar:30}] {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let ctx = Ctx {
        statements: system::statements_available(&admin).await,
        args: args.clone(),
        server,
        ticks: system::ticks_per_second(),
        directory_file: bench_directory(&dir)?,
        bot_exe,
        echo_exe,
        dir: dir.clone(),
        progress,
        databases: Default::default(),
        admin,
    };
    let machine = system::machine(&ctx.admin).await;
    eprintln!(
        "machine: {machine}; statements per update: {}",
        if ctx.statements {
            "counted (pg_stat_statements)"
        } else {
            "n/a (pg_stat_statements not preloaded on this server)"
        }
    );
    let mut results = Vec::new();
    for scenario in wanted.drain(..) {
        ctx.progress.set_prefix(scenario.clone());
        match scenarios::run(&ctx, &scenario).await {
            Ok(measured) => results.extend(measured),
            Err(error) => {
                ctx.progress
                    .suspend(|| eprintln!("{scenario}: failed: {error:#}"));
            }
        }
    }
    if args.growth {
        results.extend(scenarios::growth(&ctx).await?);
    }
    ctx.progress.finish_and_clear();
    print_table(&results);
    let run = json!({
        "at": chrono::Utc::now().to_rfc3339(),
        "machine": machine,
        "statements_counted": ctx.statements,
        "results": results.iter().map(Measured::json).collect::<Vec<_>>(),
    });
    std::fs::write(
        dir.join("load-last.json"),
        serde_json::to_string_pretty(&run)?,
    )?;
    let mut lines = String::new();
    for m in &results {
        let mut line = m.json();
        line["at"] = run["at"].clone();
        line["machine"] = machine.clone();
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    use std::io::Write;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("load.jsonl"))?
        .write_all(lines.as_bytes())?;
    println!("\nJSON: {}", dir.join("load-last.json").display());
    Ok(())
}

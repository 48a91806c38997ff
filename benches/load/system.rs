//! What the bench reads from the system: a process's CPU time and memory from /proc, and the
//! bench database's commits and statements from PostgreSQL's statistics.

use std::time::Duration;

use sqlx::PgPool;

/// Clock ticks a second of /proc's CPU times (`getconf CLK_TCK`; 100 on Linux almost always).
pub fn ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse::<f64>().ok())
        .filter(|ticks| *ticks > 0.0)
        .unwrap_or(100.0)
}

/// User plus system CPU time of a process (`self` or a pid), from /proc/<pid>/stat.
pub fn cpu_time(pid: &str, ticks: f64) -> Duration {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return Duration::ZERO;
    };
    // The name in parentheses may hold spaces: the fields are counted after its closing one.
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return Duration::ZERO;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After ")": state is field 3, so utime (14) and stime (15) are at 11 and 12.
    let tick = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Duration::from_secs_f64((tick(11) + tick(12)) as f64 / ticks)
}

/// A line of /proc/<pid>/status in kB (`VmHWM`, `VmRSS`).
pub fn status_kb(pid: &str, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The database's counters at one moment.
#[derive(Clone, Copy, Default)]
pub struct DbCounters {
    pub commits: i64,
    /// Statements executed in the bench database (BEGIN and COMMIT included), when the server
    /// has pg_stat_statements loaded.
    pub statements: Option<i64>,
}

/// Reads the counters of database `name` (from a connection to another database, so that the
/// reading itself is not counted). Backends report their counts at most once a second: the
/// caller waits that long after the work before reading.
pub async fn db_counters(admin: &PgPool, name: &str) -> DbCounters {
    let commits: i64 = sqlx::query_scalar(
        "select coalesce(xact_commit, 0) from pg_stat_database where datname = $1",
    )
    .bind(name)
    .fetch_optional(admin)
    .await
    .ok()
    .flatten()
    .unwrap_or(0);
    let statements: Option<i64> = sqlx::query_scalar(
        "select coalesce(sum(calls), 0)::bigint from pg_stat_statements s
         join pg_database d on d.oid = s.dbid where d.datname = $1",
    )
    .bind(name)
    .fetch_one(admin)
    .await
    .ok();
    DbCounters {
        commits,
        statements,
    }
}

/// Whether the server counts statements: pg_stat_statements is preloaded and its view exists
/// (created in the admin database if it is missing and may be).
pub async fn statements_available(admin: &PgPool) -> bool {
    let preloaded: String = sqlx::query_scalar("show shared_preload_libraries")
        .fetch_one(admin)
        .await
        .unwrap_or_default();
    if !preloaded.contains("pg_stat_statements") {
        return false;
    }
    let _ = sqlx::query("create extension if not exists pg_stat_statements")
        .execute(admin)
        .await;
    sqlx::query("select 1 from pg_stat_statements limit 1")
        .fetch_optional(admin)
        .await
        .is_ok()
}

/// The machine and the server, for the report.
pub async fn machine(admin: &PgPool) -> serde_json::Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_default();
    let memory_kb = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|l| l.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .unwrap_or(0);
    let postgres: String = sqlx::query_scalar("show server_version")
        .fetch_one(admin)
        .await
        .unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    serde_json::json!({
        "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "cpu_model": cpu,
        "memory_gib": memory_kb / 1024 / 1024,
        "postgresql": postgres,
        "load_average_at_start": load.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    })
}

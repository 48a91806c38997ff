//! The one clock of the bot. It reads the system time, or starts at a chosen instant
//! (`OKIENKO_NOW`) and runs on in real time from there, for demos, tests and acceptance runs.

use std::time::Instant;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// Where the centres are: every time a person reads is wall-clock time in Chorzów.
pub const TIME_ZONE: Tz = chrono_tz::Europe::Warsaw;

#[derive(Clone, Debug)]
pub struct Clock {
    /// The instant the clock showed when it was made, and the real moment that was.
    start: Option<(DateTime<Utc>, Instant)>,
}

impl Clock {
    pub fn system() -> Self {
        Self { start: None }
    }

    /// A clock that shows `at` now and runs on in real time.
    pub fn starting_at(at: DateTime<Utc>) -> Self {
        Self {
            start: Some((at, Instant::now())),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self.start {
            None => Utc::now(),
            Some((at, since)) => {
                let elapsed = chrono::Duration::from_std(since.elapsed()).unwrap_or_default();
                at + elapsed
            }
        }
    }

    /// Now, in Chorzów.
    pub fn local_now(&self) -> DateTime<Tz> {
        self.now().with_timezone(&TIME_ZONE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_clock_starts_where_told_and_runs_on() {
        let at = DateTime::parse_from_rfc3339("2026-12-24T08:00:00+01:00")
            .expect("valid instant")
            .with_timezone(&Utc);
        let clock = Clock::starting_at(at);
        let first = clock.now();
        assert!(first >= at && first - at < chrono::Duration::seconds(5));
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(clock.now() > first);
        assert_eq!(
            clock.local_now().format("%Y-%m-%d %H").to_string(),
            "2026-12-24 08"
        );
    }
}

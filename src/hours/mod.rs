//! The opening-hours engine: plain Rust, no I/O. A place's regular [`Schedule`] (weekly hours and
//! "every nth weekday of the month" rules), Polish public holidays, and one-off [`Exception`]s
//! (closures and extra openings) combine into a [`Timetable`] that answers: is it open at this
//! instant, when does it next open or close, and what are its hours on a day or over a week.
//! Everything is Europe/Warsaw wall-clock time, with the DST changes handled.

pub mod holidays;
mod schedule;
mod timetable;

pub use holidays::Holiday;
pub use schedule::{stored, with, without, MonthlyRule, Schedule, TimeRange, TimeRangeError};
pub use timetable::{instant, Change, ClosedBecause, Day, Exception, Status, Timetable};

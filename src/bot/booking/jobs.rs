//! The jobs a booking change causes, written in the same transaction as the change: the visit's
//! reminders and a notice to every staff chat (in Polish).

use chrono::{DateTime, Utc};

use super::{local, service, Words};
use crate::{
    booking::reminders,
    bot::Services,
    db::{
        booking::{Booking, Outcome, Tx},
        outbox::{self, NewJob},
    },
    i18n::Lang,
};

/// A staff notice about `booking` (moved from `from`, when given), in Polish.
pub(super) fn staff_notice(
    services: &Services,
    id: &str,
    booking: &Booking,
    from: Option<&Booking>,
) -> String {
    let name = Words::new(services, Lang::Pl).service_name(&booking.service_key);
    let when = staff_when(services, booking);
    let from = from
        .map(|old| staff_when(services, old))
        .unwrap_or_default();
    let args = [
        ("service", name.into()),
        ("when", when.clone().into()),
        ("from", from.into()),
        ("to", when.into()),
        ("name", booking.name.as_str().into()),
        ("phone", booking.phone.to_string().into()),
    ];
    services.locales.text(Lang::Pl, id, &args)
}

/// The jobs a booking change causes, written with it: the booking's reminders (when `remind`) and
/// the notice to every staff chat.
pub(super) fn followups(
    services: &Services,
    booking: &Booking,
    remind: bool,
    notice: String,
    now: DateTime<Utc>,
) -> Vec<NewJob> {
    let mut jobs = Vec::new();
    if remind {
        let hours = service(services, &booking.service_key)
            .map(|s| s.rules.reminder_hours.clone())
            .unwrap_or_default();
        jobs.extend(
            reminders::reminder_times(local(booking.slot_start), &hours, now)
                .into_iter()
                .map(|due_at| NewJob::Reminder {
                    booking_id: booking.id,
                    chat_id: booking.chat_id,
                    due_at,
                }),
        );
    }
    jobs.extend(NewJob::to_staff_chats(&services.staff_chats, &notice));
    jobs
}

/// The jobs of a new booking: its reminders, and the notice to the staff.
pub(super) fn booked(services: &Services, booking: &Booking, now: DateTime<Utc>) -> Vec<NewJob> {
    let notice = staff_notice(services, "staff-booked", booking, None);
    followups(services, booking, true, notice, now)
}

fn staff_when(services: &Services, booking: &Booking) -> String {
    Words::new(services, Lang::Pl).booking_when(booking)
}

/// Settles a change made in `tx`: when done, the jobs it causes are written in the same
/// transaction and both commit (together or not at all); when refused, it is rolled back. Either
/// way the connection is back in the pool before the person is answered, since answering may
/// read the database again.
pub(super) async fn settle<T>(
    mut tx: Tx<'_>,
    outcome: Outcome<T>,
    jobs: impl FnOnce(&T) -> Vec<NewJob>,
    now: DateTime<Utc>,
) -> sqlx::Result<Outcome<T>> {
    match outcome {
        Ok(done) => {
            outbox::enqueue(&mut tx, &jobs(&done), now).await?;
            tx.commit().await?;
            Ok(Ok(done))
        }
        Err(refusal) => {
            tx.rollback().await?;
            Ok(Err(refusal))
        }
    }
}

/// A visit the staff moved from `old` to `new`: the staff chats are told; a person booked in
/// Telegram is told too, and reminded of the new time.
pub fn moved_by_staff(
    services: &Services,
    old: &Booking,
    new: &Booking,
    now: DateTime<Utc>,
) -> Vec<NewJob> {
    let notice = staff_notice(services, "staff-moved", new, Some(old));
    let mut jobs = followups(services, new, !new.by_phone(), notice, now);
    if !new.by_phone() {
        jobs.push(NewJob::Moved {
            booking_id: new.id,
            chat_id: new.chat_id,
        });
    }
    jobs
}

/// A phone booking made by staff: the staff chats are told (marked as by phone); no reminders,
/// the person has no Telegram.
pub fn phone_booked(services: &Services, booking: &Booking, now: DateTime<Utc>) -> Vec<NewJob> {
    let notice = staff_notice(services, "staff-phone-booked", booking, None);
    followups(services, booking, false, notice, now)
}

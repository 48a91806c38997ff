//! "My visits": the upcoming ones, each can be moved (the new slot is held before the old one is
//! released) or cancelled (with a confirm step); "I'll be there" under a reminder.

use chrono::{NaiveDate, Utc};
use teloxide::{prelude::*, types::InlineKeyboardMarkup};

use super::{
    abort_button,
    availability::real_slot,
    book::{calendar_file, choose_day, choose_time, confirmed, slot_gone},
    button, free_slot,
    jobs::{followups, settle, staff_notice},
    local, say, say_with_menu, service, stale, Intent, Words,
};
use crate::{
    bot::{callback::CallbackAction, callback::MenuItem, context::Ctx, HandlerResult, Services},
    db::booking::{self as store, Booking, Refusal, Status},
};

/// "My visits": the ones not yet over, each with Move and Cancel (one under way is shown as such,
/// without them), and the waiting lists the person is on, each with a way to leave.
pub async fn visits(bot: &Bot, ctx: &Ctx, services: &Services) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let now = services.clock.now();
    let mine = store::upcoming(&services.pool, ctx.user_id, now).await?;
    let lists = store::waiting_of(&services.pool, ctx.user_id).await?;
    let book = vec![button(
        words.plain("visit-book"),
        CallbackAction::Book(None),
    )];
    let back = vec![button(words.plain("menu-back"), CallbackAction::Home)];
    let mut lines = Vec::new();
    let mut rows = Vec::new();
    if mine.is_empty() {
        lines.push(words.plain("visits-none"));
    } else {
        lines.push(words.t("visits-title", &[("count", mine.len().into())]));
    }
    for booking in &mine {
        let name = words.service_name(&booking.service_key);
        let args = [
            ("service", name.into()),
            ("when", words.booking_when(booking).into()),
        ];
        if booking.slot_start <= now {
            lines.push(words.t("visits-line-now", &args));
            continue;
        }
        lines.push(words.t("visits-line", &args));
        let day = words.day_and_time(local(booking.slot_start));
        rows.push(vec![
            button(
                words.t("visit-move", &[("day", day.clone().into())]),
                CallbackAction::VisitMove(booking.id),
            ),
            button(
                words.t("visit-cancel", &[("day", day.into())]),
                CallbackAction::VisitCancel(booking.id),
            ),
        ]);
    }
    for (id, key) in &lists {
        let name = words.service_name(key);
        lines.push(words.t("visits-waiting", &[("service", name.clone().into())]));
        rows.push(vec![button(
            words.t("wait-leave", &[("service", name.into())]),
            CallbackAction::WaitLeave(*id),
        )]);
    }
    rows.push(book);
    rows.push(back);
    say(bot, ctx, lines.join("\n"), InlineKeyboardMarkup::new(rows)).await
}

async fn own(services: &Services, ctx: &Ctx, id: i64) -> anyhow::Result<Option<Booking>> {
    Ok(store::own_upcoming(&services.pool, id, ctx.user_id, services.clock.now()).await?)
}

/// The days to move a visit to; true when they were shown.
pub async fn move_start(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    id: i64,
) -> anyhow::Result<bool> {
    match own(services, ctx, id).await? {
        Some(booking) => {
            choose_day(
                bot,
                ctx,
                services,
                &booking.service_key,
                Intent::Move(&booking),
            )
            .await
        }
        None => truth(bot, ctx, services, id).await.map(|_| false),
    }
}

/// The times of a day to move a visit to; true when they were shown.
pub async fn move_day(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    id: i64,
    day: NaiveDate,
) -> anyhow::Result<bool> {
    match own(services, ctx, id).await? {
        Some(booking) => {
            choose_time(
                bot,
                ctx,
                services,
                &booking.service_key,
                day,
                Intent::Move(&booking),
            )
            .await
        }
        None => truth(bot, ctx, services, id).await.map(|_| false),
    }
}

pub async fn move_time(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    id: i64,
    start: i64,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let Some(booking) = own(services, ctx, id).await? else {
        return truth(bot, ctx, services, id).await;
    };
    let Some(svc) = service(services, &booking.service_key) else {
        return stale(bot, ctx, services).await;
    };
    let Some(slot) = free_slot(services, &svc, services.clock.now(), start).await? else {
        return slot_gone(bot, ctx, services, &svc, Intent::Move(&booking)).await;
    };
    let text = words.t(
        "move-ask",
        &[
            ("service", svc.place.short.get(ctx.lang).into()),
            ("from", words.booking_when(&booking).into()),
            ("to", words.when(slot.start, slot.end).into()),
        ],
    );
    let keyboard = InlineKeyboardMarkup::new([
        vec![button(
            words.plain("book-confirm"),
            CallbackAction::MoveConfirm(id, start),
        )],
        vec![
            button(words.plain("book-back"), CallbackAction::VisitMove(id)),
            abort_button(&words),
        ],
    ]);
    say(bot, ctx, text, keyboard).await
}

pub async fn move_confirm(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    id: i64,
    start: i64,
) -> HandlerResult {
    let Some(booking) = own(services, ctx, id).await? else {
        return truth(bot, ctx, services, id).await;
    };
    let Some(svc) = service(services, &booking.service_key) else {
        return stale(bot, ctx, services).await;
    };
    let now = services.clock.now();
    let Some(slot) = real_slot(services, &svc, start, now).await else {
        return slot_gone(bot, ctx, services, &svc, Intent::Move(&booking)).await;
    };
    let span = (slot.start.with_timezone(&Utc), slot.end.with_timezone(&Utc));
    let mut tx = services.pool.begin().await?;
    let capacity = svc.rules.capacity;
    let limits = (capacity, svc.rules.per_person);
    let outcome = store::move_to(&mut tx, id, ctx.user_id, span, limits, now).await?;
    let jobs = |(old, new): &(Booking, Booking)| {
        let notice = staff_notice(services, "staff-moved", new, Some(old));
        followups(services, new, true, notice, now)
    };
    match settle(tx, outcome, jobs, now).await? {
        Ok((_, new)) => {
            crate::ops::metrics::booking(
                &new.service_key,
                crate::ops::metrics::BookingEvent::Moved,
            );
            confirmed(bot, ctx, services, &svc, &new, "move-done").await?;
            services.waitlist.notify_one();
            Ok(())
        }
        Err(Refusal::SlotTaken) => {
            slot_gone(bot, ctx, services, &svc, Intent::Move(&booking)).await
        }
        Err(Refusal::NotFound | Refusal::LimitReached(_)) => truth(bot, ctx, services, id).await,
    }
}

pub async fn cancel_ask(bot: &Bot, ctx: &Ctx, services: &Services, id: i64) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let Some(booking) = own(services, ctx, id).await? else {
        return truth(bot, ctx, services, id).await;
    };
    let name = words.service_name(&booking.service_key);
    let text = words.t(
        "cancel-ask",
        &[
            ("service", name.into()),
            ("when", words.booking_when(&booking).into()),
        ],
    );
    let keyboard = InlineKeyboardMarkup::new([vec![
        button(
            words.plain("cancel-yes"),
            CallbackAction::VisitCancelYes(id),
        ),
        button(
            words.plain("cancel-no"),
            CallbackAction::Menu(MenuItem::Visits),
        ),
    ]]);
    say(bot, ctx, text, keyboard).await
}

pub async fn cancel_yes(bot: &Bot, ctx: &Ctx, services: &Services, id: i64) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let now = services.clock.now();
    let mut tx = services.pool.begin().await?;
    let outcome = store::cancel(&mut tx, id, ctx.user_id, now).await?;
    let jobs = |booking: &Booking| {
        let notice = staff_notice(services, "staff-cancelled", booking, None);
        followups(services, booking, false, notice, now)
    };
    match settle(tx, outcome, jobs, now).await? {
        Ok(booking) => {
            crate::ops::metrics::booking(
                &booking.service_key,
                crate::ops::metrics::BookingEvent::Cancelled,
            );
            let name = words.service_name(&booking.service_key);
            let text = words.t(
                "cancel-done",
                &[
                    ("service", name.into()),
                    ("when", words.booking_when(&booking).into()),
                ],
            );
            say_with_menu(bot, ctx, services, text).await?;
            services.waitlist.notify_one();
            if let Some(svc) = service(services, &booking.service_key) {
                calendar_file(bot, ctx, services, &svc, &booking, "", true).await?;
            }
            Ok(())
        }
        Err(_) => truth(bot, ctx, services, id).await,
    }
}

/// "I'll be there" under a reminder: recorded for the staff; a past or cancelled visit says so.
pub async fn attend(bot: &Bot, ctx: &Ctx, services: &Services, id: i64) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    match store::attend(&services.pool, id, ctx.user_id, services.clock.now()).await? {
        Some(booking) => {
            let text = words.t(
                "attend-thanks",
                &[("when", words.booking_when(&booking).into())],
            );
            say_with_menu(bot, ctx, services, text).await
        }
        None => truth(bot, ctx, services, id).await,
    }
}

/// A button of a visit that can no longer do what it says (pressed on an old message): the truth
/// about that visit. Moved: where it is now, with its buttons; cancelled or past: so; still
/// booked: its buttons. A visit that is not the person's is only "no longer available".
async fn truth(bot: &Bot, ctx: &Ctx, services: &Services, id: i64) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let now = services.clock.now();
    let Some(booking) = store::own_any(&services.pool, id, ctx.user_id).await? else {
        return stale(bot, ctx, services).await;
    };
    let said = |id: &str, booking: &Booking| {
        words.t(
            id,
            &[
                ("service", words.service_name(&booking.service_key).into()),
                ("when", words.booking_when(booking).into()),
            ],
        )
    };
    match booking.status {
        Status::Active if booking.slot_start > now => {
            let text = said("visit-current", &booking);
            say(bot, ctx, text, visit_keyboard(&words, &booking)).await
        }
        Status::Active => say_with_menu(bot, ctx, services, said("visit-past", &booking)).await,
        Status::Cancelled => match store::moved_to(&services.pool, &booking, now).await? {
            Some(new) => {
                let text = said("visit-moved", &new);
                say(bot, ctx, text, visit_keyboard(&words, &new)).await
            }
            None => {
                let text = said("visit-already-cancelled", &booking);
                say_with_menu(bot, ctx, services, text).await
            }
        },
        Status::Held | Status::Expired => stale(bot, ctx, services).await,
    }
}

/// A visit's Move and Cancel buttons, and the way back to the menu.
pub(super) fn visit_keyboard(words: &Words<'_>, booking: &Booking) -> InlineKeyboardMarkup {
    let day = words.day_and_time(local(booking.slot_start));
    InlineKeyboardMarkup::new([
        vec![button(
            words.t("visit-move", &[("day", day.clone().into())]),
            CallbackAction::VisitMove(booking.id),
        )],
        vec![button(
            words.t("visit-cancel", &[("day", day.into())]),
            CallbackAction::VisitCancel(booking.id),
        )],
        vec![button(words.plain("menu-back"), CallbackAction::Home)],
    ])
}

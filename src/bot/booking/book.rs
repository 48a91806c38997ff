//! Booking a visit: service → day → time → name → phone → summary → confirm. The same day and time
//! steps serve moving a visit ([`Intent`]).

use chrono::{NaiveDate, Utc};
use teloxide::{
    prelude::*,
    types::{InlineKeyboardButton, InlineKeyboardMarkup, InputFile, KeyboardRemove, ReplyMarkup},
};

use super::{
    abort_button, ask_phone,
    availability::real_slot,
    button, free_slot, free_slots, free_slots_on, given_phone,
    jobs::{booked, settle},
    local, question_instead_of_phone, say, say_with, say_with_menu, service, stale, take_name,
    thank_for_phone, Intent, Service, Words,
};
use crate::{
    booking::{ics, Name, Phone, Slot},
    bot::{
        callback::CallbackAction,
        context::Ctx,
        keyboards, send,
        state::{BotDialogue, State},
        HandlerResult, Services,
    },
    db::booking::{self as store, Booking, NewBooking, Refusal},
};

/// Step 1: which service.
pub async fn choose_service(bot: &Bot, ctx: &Ctx, services: &Services) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let mut rows: Vec<Vec<InlineKeyboardButton>> = services
        .directory
        .bookable()
        .map(|(place, _)| {
            vec![button(
                place.short.get(ctx.lang).to_owned(),
                CallbackAction::Book(Some(place.key.clone())),
            )]
        })
        .collect();
    rows.push(vec![abort_button(&words)]);
    say(
        bot,
        ctx,
        words.plain("book-choose-service"),
        InlineKeyboardMarkup::new(rows),
    )
    .await
}

/// The person's existing visit, with what they can do about it.
pub(super) async fn show_existing(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    booking: &Booking,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let name = words.service_name(&booking.service_key);
    let visit = format!("{name}, {}", words.booking_when(booking));
    let keyboard = super::visits::visit_keyboard(&words, booking);
    say(
        bot,
        ctx,
        words.t("book-already", &[("visit", visit.into())]),
        keyboard,
    )
    .await
}

/// A new booking the person may not make: their visit(s) of the service already reach its limit.
pub(super) async fn over_the_limit(
    services: &Services,
    ctx: &Ctx,
    svc: &Service<'_>,
    intent: Intent<'_>,
) -> anyhow::Result<Option<Booking>> {
    if let Intent::Move(_) = intent {
        return Ok(None);
    }
    let mine = store::upcoming(&services.pool, ctx.user_id, services.clock.now()).await?;
    let mine: Vec<Booking> = mine
        .into_iter()
        .filter(|b| b.service_key == svc.place.key)
        .collect();
    Ok((mine.len() >= svc.rules.per_person as usize)
        .then(|| mine.into_iter().next())
        .flatten())
}

/// Step 2: the days with a free slot; true when they were shown.
pub async fn choose_day(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    key: &str,
    intent: Intent<'_>,
) -> anyhow::Result<bool> {
    let words = Words::new(services, ctx.lang);
    let Some(svc) = service(services, key) else {
        stale(bot, ctx, services).await?;
        return Ok(false);
    };
    let now = services.clock.now();
    if let Some(existing) = over_the_limit(services, ctx, &svc, intent).await? {
        show_existing(bot, ctx, services, &existing).await?;
        return Ok(false);
    }
    let slots = free_slots(services, &svc, now).await?;
    let name = svc.place.short.get(ctx.lang);
    if slots.is_empty() {
        if let Intent::Move(_) = intent {
            say(
                bot,
                ctx,
                words.plain("book-slot-gone-none"),
                keyboards::back(&services.locales, ctx.lang),
            )
            .await?;
            return Ok(false);
        }
        let mut text = words.t(
            "book-none-free",
            &[
                ("service", name.into()),
                ("days", svc.rules.horizon_days.into()),
            ],
        );
        if let Some((day, opens)) = next_day_past_horizon(services, &svc).await {
            let line = words.t(
                "book-next-day",
                &[
                    ("day", words.day_button(day).into()),
                    ("opens", words.day_button(opens).into()),
                ],
            );
            text = format!("{text}\n{line}");
        }
        let keyboard = InlineKeyboardMarkup::new([
            vec![button(
                words.plain("wait-join"),
                CallbackAction::WaitJoin(key.to_owned()),
            )],
            vec![button(words.plain("menu-back"), CallbackAction::Home)],
        ]);
        say(bot, ctx, text, keyboard).await?;
        return Ok(false);
    }
    let mut days: Vec<NaiveDate> = slots.iter().map(|s| s.start.date_naive()).collect();
    days.dedup();
    let buttons: Vec<InlineKeyboardButton> = days
        .iter()
        .map(|day| button(words.day_button(*day), intent.day(key, *day)))
        .collect();
    let mut rows: Vec<Vec<InlineKeyboardButton>> = buttons.chunks(3).map(<[_]>::to_vec).collect();
    rows.push(vec![
        button(words.plain("book-back"), intent.back_from_days()),
        abort_button(&words),
    ]);
    let text = match intent {
        Intent::Move(b) => words.t(
            "move-choose-day",
            &[
                ("service", name.into()),
                ("when", words.booking_when(b).into()),
            ],
        ),
        Intent::New => words.t("book-choose-day", &[("service", name.into())]),
    };
    say(bot, ctx, text, InlineKeyboardMarkup::new(rows)).await?;
    Ok(true)
}

/// The first day the service is open after its booking horizon (holidays and closures known
/// skipped), and the day its slots can be booked: what a fully booked month can still promise.
async fn next_day_past_horizon(
    services: &Services,
    svc: &Service<'_>,
) -> Option<(NaiveDate, NaiveDate)> {
    let today = local(services.clock.now()).date_naive();
    let exceptions = services.exceptions.current(today).await;
    let table = services.directory.place_timetable(svc.place, &exceptions);
    let horizon = u64::from(svc.rules.horizon_days);
    (horizon + 1..horizon + 190)
        .filter_map(|n| today.checked_add_days(chrono::Days::new(n)))
        .find(|date| matches!(table.day(*date), crate::hours::Day::Open(_)))
        .and_then(|day| Some((day, day.checked_sub_days(chrono::Days::new(horizon))?)))
}

/// Step 3: the free times of a day; true when they were shown.
pub async fn choose_time(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    key: &str,
    day: NaiveDate,
    intent: Intent<'_>,
) -> anyhow::Result<bool> {
    let words = Words::new(services, ctx.lang);
    let Some(svc) = service(services, key) else {
        stale(bot, ctx, services).await?;
        return Ok(false);
    };
    if let Some(existing) = over_the_limit(services, ctx, &svc, intent).await? {
        show_existing(bot, ctx, services, &existing).await?;
        return Ok(false);
    }
    let slots: Vec<Slot> = free_slots_on(services, &svc, services.clock.now(), day)
        .await?
        .iter()
        .collect();
    if slots.is_empty() {
        say(
            bot,
            ctx,
            words.plain("book-day-full"),
            InlineKeyboardMarkup::default(),
        )
        .await?;
        choose_day(bot, ctx, services, key, intent).await?;
        return Ok(false);
    }
    let buttons: Vec<InlineKeyboardButton> = slots
        .iter()
        .map(|slot| {
            let action = intent.time(key, slot.start.timestamp());
            button(slot.start.format("%-H:%M").to_string(), action)
        })
        .collect();
    let mut rows: Vec<Vec<InlineKeyboardButton>> = buttons.chunks(4).map(<[_]>::to_vec).collect();
    rows.push(vec![
        button(words.plain("book-back"), intent.back_from_times(key)),
        abort_button(&words),
    ]);
    let text = words.t(
        "book-choose-time",
        &[
            ("service", svc.place.short.get(ctx.lang).into()),
            ("day", words.day_button(day).into()),
        ],
    );
    say(bot, ctx, text, InlineKeyboardMarkup::new(rows)).await?;
    Ok(true)
}

/// The slot is gone: say so kindly, and offer the nearest free ones.
pub(super) async fn slot_gone(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    svc: &Service<'_>,
    intent: Intent<'_>,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let nearest: Vec<Slot> = free_slots(services, svc, services.clock.now())
        .await?
        .iter()
        .take(4)
        .collect();
    if nearest.is_empty() {
        return say(
            bot,
            ctx,
            words.plain("book-slot-gone-none"),
            keyboards::back(&services.locales, ctx.lang),
        )
        .await;
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = nearest
        .iter()
        .map(|slot| {
            let action = intent.time(&svc.place.key, slot.start.timestamp());
            vec![button(words.day_and_time(slot.start), action)]
        })
        .collect();
    rows.push(vec![abort_button(&words)]);
    say(
        bot,
        ctx,
        words.plain("book-slot-gone"),
        InlineKeyboardMarkup::new(rows),
    )
    .await
}

/// Step 4: a time was picked. Ask for the name, or (when given already) show the summary again.
pub async fn pick_time(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    state: &State,
    key: &str,
    start: i64,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let Some(svc) = service(services, key) else {
        return stale(bot, ctx, services).await;
    };
    let now = services.clock.now();
    let Some(slot) = free_slot(services, &svc, now, start).await? else {
        return slot_gone(bot, ctx, services, &svc, Intent::New).await;
    };
    if let State::BookingConfirm {
        service,
        name,
        phone,
        ..
    } = state
    {
        if service == key {
            let next = State::BookingConfirm {
                service: service.clone(),
                start,
                name: name.clone(),
                phone: phone.clone(),
            };
            dialogue.update(next).await?;
            return summary(bot, ctx, services, &svc, slot, name, phone).await;
        }
    }
    // Consent first, once, before a name and phone are asked for and stored.
    if !crate::bot::privacy::consent_first(bot, ctx, services, dialogue, key, Some(start)).await? {
        return Ok(());
    }
    dialogue
        .update(State::BookingName {
            service: key.to_owned(),
            start,
        })
        .await?;
    let text = words.t(
        "book-ask-name",
        &[
            ("service", svc.place.name.get(ctx.lang).into()),
            ("when", words.when(slot.start, slot.end).into()),
        ],
    );
    let back = button(
        words.plain("book-back"),
        CallbackAction::BookDay(key.to_owned(), slot.start.date_naive()),
    );
    say(
        bot,
        ctx,
        text,
        InlineKeyboardMarkup::new([vec![back, abort_button(&words)]]),
    )
    .await
}

async fn summary(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    svc: &Service<'_>,
    slot: Slot,
    name: &Name,
    phone: &Phone,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let mut text = words.t(
        "book-summary",
        &[
            ("service", svc.place.name.get(ctx.lang).into()),
            ("when", words.when(slot.start, slot.end).into()),
            ("place", words.place_line(svc.centre).into()),
            ("name", name.as_str().into()),
            ("phone", phone.to_string().into()),
        ],
    );
    if let Some(bring) = &svc.rules.bring {
        text = format!(
            "{text}\n{}",
            words.t("book-bring", &[("bring", bring.get(ctx.lang).into())])
        );
    }
    if let Some(expect) = &svc.rules.expect {
        text = format!("{text}\n{}", expect.get(ctx.lang));
    }
    let keyboard = InlineKeyboardMarkup::new([
        vec![button(
            words.plain("book-confirm"),
            CallbackAction::BookConfirm,
        )],
        vec![
            button(words.plain("book-back"), CallbackAction::BookBack),
            abort_button(&words),
        ],
    ]);
    say(bot, ctx, text, keyboard).await
}

/// The person confirms the summary.
pub async fn confirm(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    state: &State,
) -> HandlerResult {
    let State::BookingConfirm {
        service: key,
        start,
        name,
        phone,
    } = state
    else {
        // Pressed again after the visit was booked: the truth, not "no longer possible".
        if told_visits_unchanged(bot, ctx, services).await? {
            return Ok(());
        }
        return stale(bot, ctx, services).await;
    };
    let Some(svc) = service(services, key) else {
        return stale(bot, ctx, services).await;
    };
    let now = services.clock.now();
    let Some(slot) = real_slot(services, &svc, *start, now).await else {
        return slot_gone(bot, ctx, services, &svc, Intent::New).await;
    };
    let new = NewBooking {
        service_key: key,
        slot_start: slot.start.with_timezone(&Utc),
        slot_end: slot.end.with_timezone(&Utc),
        capacity: svc.rules.capacity,
        per_person: svc.rules.per_person,
        telegram_id: ctx.user_id,
        chat_id: ctx.chat.0,
        name,
        phone,
        lang: ctx.lang,
    };
    let mut tx = services.pool.begin().await?;
    let outcome = store::book(&mut tx, &new, now).await?;
    match settle(tx, outcome, |b| booked(services, b, now), now).await? {
        Ok(booking) => {
            crate::ops::metrics::booking(
                &booking.service_key,
                crate::ops::metrics::BookingEvent::Made,
            );
            dialogue.update(State::Idle).await?;
            // A slot held for them from the waiting list may have been let go.
            services.waitlist.notify_one();
            confirmed(bot, ctx, services, &svc, &booking, "book-confirmed").await
        }
        Err(Refusal::SlotTaken) => slot_gone(bot, ctx, services, &svc, Intent::New).await,
        Err(Refusal::LimitReached(existing)) => {
            dialogue.update(State::Idle).await?;
            show_existing(bot, ctx, services, &existing).await
        }
        Err(Refusal::NotFound) => stale(bot, ctx, services).await,
    }
}

/// The confirmation: service, place, day and time in words, what to bring, and the calendar file.
pub(super) async fn confirmed(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    svc: &Service<'_>,
    booking: &Booking,
    id: &str,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let mut text = words.t(
        id,
        &[
            ("service", svc.place.name.get(ctx.lang).into()),
            ("when", words.booking_when(booking).into()),
            ("place", words.place_line(svc.centre).into()),
        ],
    );
    let mut description = Vec::new();
    if let Some(bring) = &svc.rules.bring {
        let line = words.t("book-bring", &[("bring", bring.get(ctx.lang).into())]);
        text = format!("{text}\n{line}");
        description.push(line);
    }
    if let Some(expect) = &svc.rules.expect {
        text = format!("{text}\n{}", expect.get(ctx.lang));
        description.push(expect.get(ctx.lang).to_owned());
    }
    if !svc.rules.reminder_hours.is_empty() {
        text = format!("{text}\n{}", words.plain("book-reminders"));
    }
    say_with_menu(bot, ctx, services, text).await?;
    calendar_file(
        bot,
        ctx,
        services,
        svc,
        booking,
        &description.join("\n"),
        false,
    )
    .await
}

/// The calendar file of a visit: the entry to add (or update, after a move: same UID, higher
/// SEQUENCE), or, for a cancellation, the one that removes it.
pub(super) async fn calendar_file(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    svc: &Service<'_>,
    booking: &Booking,
    description: &str,
    cancelled: bool,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let location = words.place_line(svc.centre);
    let visit = ics::Visit {
        uid: booking.calendar_uid(),
        start: local(booking.slot_start),
        end: local(booking.slot_end),
        summary: svc.place.name.get(ctx.lang),
        location: &location,
        description,
        created: booking.created_at,
        // Each move makes a new row with a higher id; a cancellation comes after its row.
        sequence: booking.id + i64::from(cancelled),
        cancelled,
    };
    let (name, caption) = if cancelled {
        ("book-calendar-cancel-file", "book-calendar-cancel")
    } else {
        ("book-calendar-file", "book-calendar")
    };
    let file = InputFile::memory(ics::calendar(&visit).into_bytes()).file_name(words.plain(name));
    let caption = words.plain(caption);
    send::document(bot, ctx.chat, file, caption).await?;
    Ok(())
}

/// Back from the summary: the phone step again, with the name kept and the number offered.
pub async fn back_to_phone(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    state: &State,
) -> HandlerResult {
    let State::BookingConfirm {
        service,
        start,
        name,
        phone,
    } = state
    else {
        return stale(bot, ctx, services).await;
    };
    dialogue
        .update(State::BookingPhone {
            service: service.clone(),
            start: *start,
            name: name.clone(),
        })
        .await?;
    super::ask_phone_again(bot, ctx, services, phone).await
}

/// A summary's button pressed once no booking is in progress (confirmed already, or left): when
/// the person has visits booked, says they are unchanged and lists them; returns whether it did.
async fn told_visits_unchanged(bot: &Bot, ctx: &Ctx, services: &Services) -> anyhow::Result<bool> {
    let mine = store::upcoming(&services.pool, ctx.user_id, services.clock.now()).await?;
    if mine.is_empty() {
        return Ok(false);
    }
    let words = Words::new(services, ctx.lang);
    say_with(
        bot,
        ctx,
        words.plain("book-nothing-open"),
        ReplyMarkup::KeyboardRemove(KeyboardRemove::new()),
    )
    .await?;
    super::visits::visits(bot, ctx, services).await?;
    Ok(true)
}

/// Leaves the booking flow; nothing is saved. A Cancel pressed on an old message, with no
/// booking in progress, says that the visits booked are unchanged and lists them.
pub async fn abort(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    state: &State,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    if *state == State::Idle && told_visits_unchanged(bot, ctx, services).await? {
        return Ok(());
    }
    dialogue.update(State::Idle).await?;
    say_with(
        bot,
        ctx,
        words.plain("book-aborted"),
        ReplyMarkup::KeyboardRemove(KeyboardRemove::new()),
    )
    .await?;
    say_with_menu(bot, ctx, services, words.plain("menu-prompt")).await
}

/// The name, at the name step: anything that does not read as a name (a shared contact too) is
/// asked for again.
pub async fn on_name(
    bot: Bot,
    message: Message,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
    (key, start): (String, i64),
) -> HandlerResult {
    let back = chrono::DateTime::from_timestamp(start, 0)
        .map(|at| CallbackAction::BookDay(key.clone(), local(at).date_naive()));
    let Some(name) = take_name(&bot, &ctx, &services, &message, &key, back).await? else {
        return Ok(());
    };
    let next = State::BookingPhone {
        service: key,
        start,
        name,
    };
    dialogue.update(next).await?;
    ask_phone(&bot, &ctx, &services, "book-ask-phone").await
}

/// The phone number, shared or typed: then the summary.
pub async fn on_phone(
    bot: Bot,
    message: Message,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
    (key, start, name): (String, i64, Name),
) -> HandlerResult {
    if question_instead_of_phone(&bot, &ctx, &services, &key, &message).await? {
        return Ok(());
    }
    let phone = match given_phone(&message) {
        Ok(phone) => phone,
        Err(refused) => return ask_phone(&bot, &ctx, &services, refused.message_id()).await,
    };
    let Some(svc) = service(&services, &key) else {
        dialogue.update(State::Idle).await?;
        return stale(&bot, &ctx, &services).await;
    };
    thank_for_phone(&bot, &ctx, &services).await?;
    let next = State::BookingConfirm {
        service: key,
        start,
        name: name.clone(),
        phone: phone.clone(),
    };
    dialogue.update(next).await?;
    let now = services.clock.now();
    let slot = free_slot(&services, &svc, now, start).await?;
    match slot {
        Some(slot) => summary(&bot, &ctx, &services, &svc, slot, &name, &phone).await,
        None => slot_gone(&bot, &ctx, &services, &svc, Intent::New).await,
    }
}

//! The staff's side, in Telegram: `/staff` (a menu), `/agenda [day]` (the day's visits per
//! service, with who pressed "I'll be there" and buttons to mark who came), `/audit` (the latest
//! staff actions). Staff are the users named in `OKIENKO_STAFF_IDS`, checked on every command
//! and every button against the configuration; to anyone else the commands are unknown commands
//! (they never match here) and the buttons are stale ones.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use teloxide::{
    prelude::*,
    types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId},
    utils::command::BotCommands,
};

use super::{
    booking::Words,
    callback::CallbackAction,
    context::Ctx,
    send,
    state::{BotDialogue, State},
    HandlerResult, Services,
};
use crate::{
    booking::Phone,
    clock::TIME_ZONE,
    config::StaffId,
    db::staff::{self as store, Action, AgendaVisit},
    hours::instant,
};

/// Visits on one page of the agenda (two buttons each, within Telegram's limits).
const PAGE: usize = 8;

#[derive(BotCommands, Clone, Debug, PartialEq, Eq)]
#[command(rename_rule = "lowercase")]
pub enum StaffCommand {
    Staff,
    /// `/agenda`, `/agenda jutro`, `/agenda 24.11`, `/agenda 2026-11-24`.
    Agenda(String),
    Audit,
    /// `/export` (this month), `/export 1.11 30.11`, `/export 2026-11-01 2026-11-30`.
    Export(String),
    /// `/close legal-aid 23.11 choroba prawnika`, `/close cps 23.11-24.11 awaria`.
    Close(String),
    /// `/phone legal-aid 16.11 13:00 600100200 Jan Kowalski`: a visit booked for someone who
    /// phoned.
    Phone(String),
    /// `/announce cas Nowy kurs komputerowy od 1 grudnia…`: news to a topic's subscribers.
    Announce(String),
    /// `/open legal-aid 25.11 9:00-12:00 dodatkowy dyżur`: extra hours on a day.
    Open(String),
}

/// The member of staff writing, as the configuration names them now.
pub fn member(services: &Services, user_id: i64) -> Option<&StaffId> {
    services.staff.iter().find(|s| s.user == user_id)
}

/// The services (bookable places) a member of staff sees: every one, or their centre's.
fn services_of(services: &Services, member: &StaffId) -> Vec<String> {
    services
        .directory
        .bookable()
        .filter(|(place, _)| member.centre.as_ref().is_none_or(|c| *c == place.centre))
        .map(|(place, _)| place.key.clone())
        .collect()
}

/// A staff command from a member of staff; None for anyone else, whose text then goes on through
/// the handler tree exactly as an unknown command does.
pub fn staff_command(message: Message, ctx: Ctx, services: Services) -> Option<StaffCommand> {
    member(&services, ctx.user_id)?;
    let text = message.text()?;
    // "/Agenda jutro" as "/agenda jutro": phones capitalise the first letter.
    let (command, rest) = text.split_once(' ').unwrap_or((text, ""));
    let lowered = format!("{} {rest}", command.to_lowercase());
    let text = lowered.trim_end();
    StaffCommand::parse(text, "").ok().or_else(|| {
        // "/agenda@okienko_bot": the bot's name after the command.
        let (command, rest) = text.split_once('@')?;
        let rest = rest.split_once(' ').map(|(_, r)| r).unwrap_or("");
        StaffCommand::parse(&format!("{command} {rest}"), "").ok()
    })
}

pub async fn on_command(
    bot: Bot,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
    command: StaffCommand,
) -> HandlerResult {
    let Some(member) = member(&services, ctx.user_id).cloned() else {
        return Ok(());
    };
    // A command leaves whatever staff step was waiting (a reason, a new time, a confirm).
    dialogue.update(State::Idle).await?;
    match command {
        StaffCommand::Staff => menu(&bot, &ctx, &services).await,
        StaffCommand::Agenda(day) => {
            let today = local_today(&services);
            let Some(date) = agenda_day(&services, &day, today) else {
                let text = services.locales.plain(ctx.lang, "staff-bad-day");
                send::text(&bot, ctx.chat, text, None).await?;
                return Ok(());
            };
            let (text, keyboard) = agenda(&ctx, &services, &member, date, 0).await?;
            send::text(&bot, ctx.chat, text, Some(keyboard)).await?;
            Ok(())
        }
        StaffCommand::Audit => {
            let text = audit(&ctx, &services).await?;
            send::text(&bot, ctx.chat, text, None).await?;
            Ok(())
        }
        StaffCommand::Export(range) => {
            let today = local_today(&services);
            let days: Vec<&str> = range.split_whitespace().collect();
            let range = match days.as_slice() {
                [] => Some(month_of(today)),
                [from, to] => agenda_day(&services, from, today)
                    .zip(agenda_day(&services, to, today))
                    .filter(|(from, to)| from <= to),
                _ => None,
            };
            let Some((from, to)) = range else {
                let text = services.locales.plain(ctx.lang, "staff-bad-range");
                send::text(&bot, ctx.chat, text, None).await?;
                return Ok(());
            };
            export(&bot, &ctx, &services, &member, from, to).await
        }
        StaffCommand::Close(args) => {
            close_asked(&bot, &ctx, &services, &dialogue, &member, &args).await
        }
        StaffCommand::Phone(args) => phone_booking(&bot, &ctx, &services, &member, &args).await,
        StaffCommand::Open(args) => extra_opening(&bot, &ctx, &services, &member, &args).await,
        StaffCommand::Announce(args) => {
            super::news::announce_asked(&bot, &ctx, &services, &dialogue, &member, &args).await
        }
    }
}

/// `/phone <service> <day> <time> <phone> <name>`: books through the same code and the same
/// constraint as the residents' bookings, so one slot can never be given twice; the visit is
/// marked as a phone booking and gets no Telegram reminders.
async fn phone_booking(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    member: &StaffId,
    args: &str,
) -> HandlerResult {
    use crate::{
        booking::{Name, Phone},
        db::booking::{self as bookings, NewBooking, Refusal},
    };
    let words = Words::new(services, ctx.lang);
    let today = local_today(services);
    let parts: Vec<&str> = args.split_whitespace().collect();
    let parsed = (|| {
        // The service (its key, or its name in words: "prawnik", "pomoc prawna"), then the day
        // and the time, then the phone (as dictated: "600 100 200"), then the name.
        let at = (1..parts.len().saturating_sub(1)).find(|&i| {
            agenda_day(services, parts[i], today).is_some()
                && crate::understanding::clock_time(parts[i + 1]).is_some()
        })?;
        let key = service_named(services, member, &parts[..at].join(" "))?;
        let day = agenda_day(services, parts[at], today)?;
        let time = crate::understanding::clock_time(parts[at + 1])?;
        let rest = &parts[at + 2..];
        let digits = rest
            .iter()
            .take_while(|w| w.chars().all(|c| c.is_ascii_digit() || "+-()".contains(c)))
            .count();
        let phone = Phone::parse(&rest[..digits].join(" "))?;
        let name = Name::parse(&rest[digits..].join(" "))?;
        Some((key, day, time, phone, name))
    })();
    let Some((key, day, time, phone, name)) = parsed else {
        let keys = services_of(services, member).join(", ");
        let text = words.t("staff-phone-help", &[("keys", keys.into())]);
        send::text(bot, ctx.chat, text, None).await?;
        return Ok(());
    };
    let Some(svc) = super::booking::service(services, &key) else {
        return Ok(());
    };
    let now = services.clock.now();
    let start = instant(day, time, false);
    let free = super::booking::free_slot(services, &svc, now, start.timestamp()).await?;
    let Some(slot) = free else {
        // The free times that day, or (none that day) the days that have some.
        let mut times = free_times(services, &words, &key, Some(day)).await?;
        if times.is_empty() {
            times = free_times(services, &words, &key, None).await?;
        }
        let text = words.t(
            "staff-phone-not-free",
            &[
                ("day", words.day_button(day).into()),
                ("times", times.into()),
            ],
        );
        send::text(bot, ctx.chat, text, None).await?;
        return Ok(());
    };
    let new = NewBooking {
        service_key: &key,
        slot_start: slot.start.with_timezone(&Utc),
        slot_end: slot.end.with_timezone(&Utc),
        capacity: svc.rules.capacity,
        per_person: svc.rules.per_person,
        telegram_id: store::phone_person(&phone),
        chat_id: 0,
        name: &name,
        phone: &phone,
        lang: crate::i18n::Lang::Pl,
    };
    let mut tx = services.pool.begin().await?;
    let text = match bookings::book(&mut tx, &new, now).await? {
        Ok(booking) => {
            store::mark_phone_booking(&mut tx, booking.id, member.user).await?;
            let detail = format!("{key} {}", slot.start.format("%Y-%m-%d %H:%M"));
            let action = Action {
                staff_id: member.user,
                action: "phone-booking",
                booking_id: Some(booking.id),
                detail: &detail,
            };
            store::record(&mut tx, &action, now).await?;
            let jobs = super::booking::phone_booked(services, &booking, now);
            crate::db::outbox::enqueue(&mut tx, &jobs, now).await?;
            tx.commit().await?;
            crate::ops::metrics::booking(
                &booking.service_key,
                crate::ops::metrics::BookingEvent::Made,
            );
            words.t(
                "staff-phone-booked-done",
                &[
                    ("service", words.service_name(&key).into()),
                    ("when", words.booking_when(&booking).into()),
                    ("name", name.as_str().into()),
                    ("phone", phone.to_string().into()),
                ],
            )
        }
        Err(Refusal::LimitReached(existing)) => {
            tx.rollback().await?;
            words.t(
                "staff-phone-has-visit",
                &[("when", words.booking_when(&existing).into())],
            )
        }
        Err(_) => {
            tx.rollback().await?;
            words.t(
                "staff-phone-not-free",
                &[
                    ("day", words.day_button(day).into()),
                    ("times", String::new().into()),
                ],
            )
        }
    };
    send::text(bot, ctx.chat, text, None).await?;
    Ok(())
}

/// `/open <service> <day> <hours> [note]`: the day's hours grow by these (a day it does not open
/// gets them as its hours); the slots follow, for the residents as for the staff.
async fn extra_opening(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    member: &StaffId,
    args: &str,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let today = local_today(services);
    let visible = services_of(services, member);
    let mut parts = args.split_whitespace();
    let parsed = (|| {
        let key = service_named(services, member, parts.next()?)?;
        let day = agenda_day(services, parts.next()?, today)?;
        let range = hours_range(parts.next()?)?;
        let note = parts.collect::<Vec<_>>().join(" ");
        let limit = today.checked_add_days(Days::new(62))?;
        let fits =
            visible.contains(&key) && day >= today && day <= limit && note.chars().count() <= 200;
        fits.then_some((key, day, range, note))
    })();
    let Some((key, day, range, note)) = parsed else {
        let text = words.t("staff-open-help", &[("keys", visible.join(", ").into())]);
        send::text(bot, ctx.chat, text, None).await?;
        return Ok(());
    };
    let Some(svc) = super::booking::service(services, &key) else {
        return Ok(());
    };
    let exceptions = services.exceptions.current(today).await;
    let current = match services
        .directory
        .place_timetable(svc.place, &exceptions)
        .day(day)
    {
        crate::hours::Day::Open(ranges) => ranges,
        crate::hours::Day::Closed(_) => Vec::new(),
    };
    let hours = crate::hours::with(&current, range);
    let now = services.clock.now();
    let mut tx = services.pool.begin().await?;
    store::set_day_hours(
        &mut tx,
        &key,
        day,
        &crate::hours::stored(&hours),
        &note,
        now,
    )
    .await?;
    let detail = format!("{key} {day} {}: {note}", crate::hours::stored(&hours));
    let action = Action {
        staff_id: member.user,
        action: "open",
        booking_id: None,
        detail: &detail,
    };
    store::record(&mut tx, &action, now).await?;
    tx.commit().await?;
    services.waitlist.notify_one();
    let free = super::booking::free_slots_on(services, &svc, now, day)
        .await?
        .iter()
        .count();
    let shown: Vec<String> = hours.iter().map(ToString::to_string).collect();
    let text = words.t(
        "staff-opened",
        &[
            ("service", words.service_name(&key).into()),
            ("day", words.day_button(day).into()),
            ("hours", shown.join(", ").into()),
            ("free", free.into()),
        ],
    );
    send::text(bot, ctx.chat, text, None).await?;
    Ok(())
}

/// What `/close` asks for.
struct Asked {
    /// A service, or a centre (all its services).
    key: String,
    from: NaiveDate,
    to: NaiveDate,
    /// Only these hours (of one day, of one service).
    hours: Option<crate::hours::TimeRange>,
    reason: String,
}

/// What `/close` names: the key, the days (or one day's hours), the reason.
fn closure_of(
    services: &Services,
    member: &StaffId,
    args: &str,
    today: NaiveDate,
) -> Option<Asked> {
    let mut words = args.split_whitespace().peekable();
    let key = words.next()?.to_lowercase();
    // A service named in words ("prawnik") as well as by its key.
    let key = if closed_services(services, member, &key).is_empty() {
        service_named(services, member, &key)?
    } else {
        key
    };
    let mut days = words.next()?.to_owned();
    // "18.11 - 20.11": a range written with spaces around the dash.
    if words.peek().is_some_and(|w| *w == "-" || *w == "–") {
        words.next();
        days = format!("{days}-{}", words.next()?);
    }
    let days = days.as_str();
    // "14:00-15:00" (or "14-15:00"… as a range of times) after the day: only those hours.
    let hours = words.peek().and_then(|w| hours_range(w));
    if hours.is_some() {
        words.next();
    }
    let reason = words.collect::<Vec<_>>().join(" ");
    if reason.trim().is_empty() || reason.chars().count() > 200 {
        return None;
    }
    if closed_services(services, member, &key).is_empty() {
        return None;
    }
    // A range first ("23.11-24.11"; an ISO date's own dashes are not one), then one day.
    let range = NaiveDate::parse_from_str(days, "%Y-%m-%d")
        .is_err()
        .then(|| {
            let (from, to) = days.split_once(['-', '–'])?;
            Some((
                agenda_day(services, from, today)?,
                agenda_day(services, to, today)?,
            ))
        })
        .flatten();
    let (from, to) = match range {
        Some(range) => range,
        None => {
            let day = agenda_day(services, days, today)?;
            (day, day)
        }
    };
    // A closure is for days to come, two months at most.
    let limit = today.checked_add_days(Days::new(62))?;
    let fits = from >= today && from <= to && to <= limit;
    // Hours are closed on one day of one service (a centre's places keep different hours).
    let hours_fit = hours.is_none() || (from == to && services_of(services, member).contains(&key));
    (fits && hours_fit).then_some(Asked {
        key,
        from,
        to,
        hours,
        reason,
    })
}

/// The services a closure of `key` shuts that this member of staff may close: one service, or
/// every bookable one of a centre.
fn closed_services(services: &Services, member: &StaffId, key: &str) -> Vec<String> {
    let visible = services_of(services, member);
    if visible.iter().any(|k| k == key) {
        return vec![key.to_owned()];
    }
    if services.directory.centre(key).is_some() && member.centre.as_ref().is_none_or(|c| c == key) {
        return services
            .directory
            .places_of(key)
            .filter(|p| p.booking.is_some())
            .map(|p| p.key.clone())
            .collect();
    }
    Vec::new()
}

/// From the first day's start to the last day's end; or the hours, when only some are closed.
fn closed_span(
    from: NaiveDate,
    to: NaiveDate,
    hours: Option<crate::hours::TimeRange>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    match hours {
        Some(hours) => (
            instant(from, hours.start, false).with_timezone(&Utc),
            instant(from, hours.end, true).with_timezone(&Utc),
        ),
        None => (day_bounds(from).0, day_bounds(to).1),
    }
}

fn days_between(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days().take_while(|d| *d <= to).collect()
}

/// Hours as staff write them: "14:00-15:00", "14-15", "9.00–12.00".
fn hours_range(text: &str) -> Option<crate::hours::TimeRange> {
    text.parse::<crate::hours::TimeRange>().ok().or_else(|| {
        let (start, end) = text.split_once(['-', '–'])?;
        crate::hours::TimeRange::new(
            crate::understanding::clock_time(start)?,
            crate::understanding::clock_time(end)?,
        )
    })
}

/// The service a member of staff names: its key, or words the residents' side understands as it
/// ("prawnik", "pomoc prawna", "mediacje").
fn service_named(services: &Services, member: &StaffId, words: &str) -> Option<String> {
    let visible = services_of(services, member);
    let key = words.trim().to_lowercase();
    if visible.contains(&key) {
        return Some(key);
    }
    match services.understanding.understand(words).topic? {
        crate::understanding::Topic::Place(key) if visible.contains(&key) => Some(key),
        _ => None,
    }
}

/// `/close`: what it would do (which visits), with a button to do it.
async fn close_asked(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    member: &StaffId,
    args: &str,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let today = local_today(services);
    let Some(Asked {
        key,
        from,
        to,
        hours,
        reason,
    }) = closure_of(services, member, args, today)
    else {
        let keys: Vec<String> = services
            .directory
            .centres
            .iter()
            .filter(|c| member.centre.as_ref().is_none_or(|m| *m == c.key))
            .map(|c| c.key.clone())
            .chain(services_of(services, member))
            .collect();
        let text = words.t("staff-close-help", &[("keys", keys.join(", ").into())]);
        send::text(bot, ctx.chat, text, None).await?;
        return Ok(());
    };
    let shut = closed_services(services, member, &key);
    let (start, end) = closed_span(from, to, hours);
    let affected = store::agenda(&services.pool, &shut, start, end).await?;
    let name = services
        .directory
        .place(&key)
        .map(|p| p.name.get(ctx.lang).to_owned())
        .or_else(|| {
            services
                .directory
                .centre(&key)
                .map(|c| c.name.get(ctx.lang).to_owned())
        })
        .unwrap_or_default();
    let id = if hours.is_some() {
        "staff-close-ask-hours"
    } else {
        "staff-close-ask"
    };
    let text = words.t(
        id,
        &[
            ("name", name.into()),
            ("from", words.day_button(from).into()),
            ("to", words.day_button(to).into()),
            (
                "hours",
                hours.map(|h| h.to_string()).unwrap_or_default().into(),
            ),
            ("reason", reason.clone().into()),
            ("count", affected.len().into()),
        ],
    );
    dialogue
        .update(State::StaffClosing {
            key,
            from,
            to,
            reason,
            hours: hours.map(|h| crate::hours::stored(&[h])),
        })
        .await?;
    let keyboard = InlineKeyboardMarkup::new([vec![
        InlineKeyboardButton::callback(
            words.plain("staff-close-yes"),
            CallbackAction::StaffCloseConfirm.encode(),
        ),
        InlineKeyboardButton::callback(
            words.plain("staff-close-no"),
            CallbackAction::StaffHome.encode(),
        ),
    ]]);
    send::text(bot, ctx.chat, text, Some(keyboard)).await?;
    Ok(())
}

/// The closure confirmed: done in one transaction; the staff member is told how many visits were
/// cancelled (each person is told through the outbox).
pub async fn close_confirmed(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    state: &State,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let (
        Some(member),
        State::StaffClosing {
            key,
            from,
            to,
            reason,
            hours,
        },
    ) = (member(services, ctx.user_id).cloned(), state)
    else {
        let text = services.locales.plain(ctx.lang, "button-stale");
        send::text(bot, ctx.chat, text, None).await?;
        return Ok(());
    };
    let shut = closed_services(services, &member, key);
    if shut.is_empty() {
        let text = services.locales.plain(ctx.lang, "button-stale");
        send::text(bot, ctx.chat, text, None).await?;
        return Ok(());
    }
    let days = days_between(*from, *to);
    let now = services.clock.now();
    let cut = hours
        .as_deref()
        .and_then(|h| h.parse::<crate::hours::TimeRange>().ok());
    let span = closed_span(*from, *to, cut);
    // Some hours closed: the day keeps the rest of its hours (none left: closed all day).
    let open_hours = match cut {
        None => None,
        Some(cut) => {
            let today = local_today(services);
            let exceptions = services.exceptions.current(today).await;
            let place = services.directory.place(key);
            let kept = place
                .map(|place| {
                    match services
                        .directory
                        .place_timetable(place, &exceptions)
                        .day(*from)
                    {
                        crate::hours::Day::Open(ranges) => crate::hours::without(&ranges, cut),
                        crate::hours::Day::Closed(_) => Vec::new(),
                    }
                })
                .unwrap_or_default();
            (!kept.is_empty()).then(|| crate::hours::stored(&kept))
        }
    };
    let mut tx = services.pool.begin().await?;
    let closure = store::Closure {
        key,
        services: &shut,
        days: &days,
        span,
        open_hours,
        reason,
        staff_id: member.user,
    };
    let closed = store::close(&mut tx, &closure, now).await?;
    tx.commit().await?;
    for visit in &closed {
        crate::ops::metrics::booking(
            &visit.service_key,
            crate::ops::metrics::BookingEvent::Cancelled,
        );
    }
    dialogue.update(State::Idle).await?;
    services.waitlist.notify_one();
    let id = if cut.is_some() {
        "staff-closed-hours"
    } else {
        "staff-closed"
    };
    let mut lines = vec![words.t(
        id,
        &[
            (
                "hours",
                cut.map(|h| h.to_string()).unwrap_or_default().into(),
            ),
            ("from", words.day_button(*from).into()),
            ("to", words.day_button(*to).into()),
            ("count", closed.len().into()),
            ("told", closed.iter().filter(|c| !c.by_phone).count().into()),
        ],
    )];
    let to_call: Vec<&store::Closed> = closed.iter().filter(|c| c.by_phone).collect();
    if !to_call.is_empty() {
        lines.push(words.plain("staff-closed-call"));
        for visit in to_call {
            let when = visit
                .slot_start
                .with_timezone(&TIME_ZONE)
                .format("%d.%m %-H:%M");
            let phone = Phone::parse(&visit.phone)
                .map(|p| p.to_string())
                .unwrap_or_else(|| visit.phone.clone());
            lines.push(format!("• {when} {}, {phone}", visit.name));
        }
    }
    send::text(bot, ctx.chat, lines.join("\n"), None).await?;
    Ok(())
}

/// The first and last day of `date`'s month.
fn month_of(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let first = date.with_day(1).unwrap_or(date);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (first, next.pred_opt().unwrap_or(date))
}

/// One visit's figures, in its final state (a visit moved counts once, where it ended).
#[derive(Default)]
struct Figures {
    booked: usize,
    by_phone: usize,
    cancelled: usize,
    closed: usize,
    came: usize,
    no_show: usize,
}

/// The visits of [from, to] as a CSV file (UTF-8 with a byte order mark and a header, so a
/// spreadsheet opens it with Polish letters intact) and the figures per service.
async fn export(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    member: &StaffId,
    from: NaiveDate,
    to: NaiveDate,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let visible = services_of(services, member);
    let (start, _) = day_bounds(from);
    let (_, end) = day_bounds(to);
    let rows = store::export(&services.pool, &visible, start, end).await?;
    // The rows a move left behind: a later row carries their calendar entry.
    let moved: std::collections::HashSet<i64> = rows
        .iter()
        .filter(|row| {
            rows.iter()
                .any(|later| later.id > row.id && later.calendar_uid == row.calendar_uid)
        })
        .map(|row| row.id)
        .collect();
    let mut figures: std::collections::BTreeMap<&str, Figures> = std::collections::BTreeMap::new();
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record([
        "id",
        "date",
        "start",
        "end",
        "service",
        "name",
        "phone",
        "language",
        "status",
        "said_attending",
        "attended",
        "booked_at",
        "source",
    ])?;
    for row in &rows {
        let start = row.slot_start.with_timezone(&TIME_ZONE);
        let end = row.slot_end.with_timezone(&TIME_ZONE);
        let status = if moved.contains(&row.id) {
            "moved"
        } else if row.by_staff {
            "cancelled-by-staff"
        } else {
            row.status.as_str()
        };
        let attended = match row.attended {
            Some(true) => "came",
            Some(false) => "no-show",
            None => "",
        };
        csv.write_record([
            row.id.to_string(),
            start.format("%Y-%m-%d").to_string(),
            start.format("%H:%M").to_string(),
            end.format("%H:%M").to_string(),
            words.service_name(&row.service_key),
            row.name.clone(),
            row.phone.clone(),
            row.language.clone(),
            status.to_owned(),
            if row.attending { "yes" } else { "" }.to_owned(),
            attended.to_owned(),
            row.created_at
                .with_timezone(&TIME_ZONE)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            if row.by_phone { "phone" } else { "telegram" }.to_owned(),
        ])?;
        if moved.contains(&row.id) {
            continue;
        }
        let counts = figures.entry(row.service_key.as_str()).or_default();
        counts.booked += 1;
        counts.by_phone += usize::from(row.by_phone);
        match (row.status.as_str(), row.attended) {
            ("cancelled", _) if row.by_staff => counts.closed += 1,
            ("cancelled", _) => counts.cancelled += 1,
            (_, Some(true)) => counts.came += 1,
            (_, Some(false)) => counts.no_show += 1,
            _ => {}
        }
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(
        csv.into_inner()
            .map_err(|error| anyhow::anyhow!("{error}"))?,
    );
    let mut lines = vec![words.t(
        "staff-export-title",
        &[
            ("from", words.day_button(from).into()),
            ("to", words.day_button(to).into()),
        ],
    )];
    if figures.is_empty() {
        lines.push(words.plain("staff-agenda-empty"));
    }
    for (key, counts) in &figures {
        lines.push(words.t(
            "staff-export-line",
            &[
                ("service", words.service_name(key).into()),
                ("booked", counts.booked.into()),
                ("byphone", counts.by_phone.into()),
                ("cancelled", counts.cancelled.into()),
                ("closed", counts.closed.into()),
                ("came", counts.came.into()),
                ("noshow", counts.no_show.into()),
            ],
        ));
    }
    send::text(bot, ctx.chat, lines.join("\n"), None).await?;
    let name = format!(
        "wizyty-{}-{}.csv",
        from.format("%Y-%m-%d"),
        to.format("%Y-%m-%d")
    );
    let file = teloxide::types::InputFile::memory(bytes).file_name(name);
    send::retrying(|| bot.send_document(ctx.chat, file.clone()).send()).await?;
    // A calendar file per service with its visits still standing, for the office's calendar.
    for key in &visible {
        let Some(svc) = super::booking::service(services, key) else {
            continue;
        };
        let standing: Vec<&store::ExportRow> = rows
            .iter()
            .filter(|row| row.service_key == *key && row.status == "active")
            .collect();
        if standing.is_empty() {
            continue;
        }
        let location = words.place_line(svc.centre);
        let phone_note = words.plain("staff-by-phone");
        let summaries: Vec<String> = standing
            .iter()
            .map(|row| format!("{}: {}, {}", words.service_name(key), row.name, row.phone))
            .collect();
        let visits: Vec<crate::booking::ics::Visit<'_>> = standing
            .iter()
            .zip(&summaries)
            .map(|(row, summary)| crate::booking::ics::Visit {
                uid: row.calendar_uid.clone(),
                start: row.slot_start.with_timezone(&TIME_ZONE),
                end: row.slot_end.with_timezone(&TIME_ZONE),
                summary,
                location: &location,
                description: if row.by_phone { &phone_note } else { "" },
                created: row.created_at,
                sequence: 0,
                cancelled: false,
            })
            .collect();
        let calendar = crate::booking::ics::calendar_of(&visits, false);
        let name = format!(
            "wizyty-{key}-{}-{}.ics",
            from.format("%Y-%m-%d"),
            to.format("%Y-%m-%d")
        );
        let file = teloxide::types::InputFile::memory(calendar.into_bytes()).file_name(name);
        send::retrying(|| bot.send_document(ctx.chat, file.clone()).send()).await?;
    }
    let now = services.clock.now();
    let mut tx = services.pool.begin().await?;
    let detail = format!("{from}..{to}");
    let action = Action {
        staff_id: member.user,
        action: "export",
        booking_id: None,
        detail: &detail,
    };
    store::record(&mut tx, &action, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A staff button: only for staff (anyone else gets what a stale button gets, from the caller).
pub async fn on_button(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    message: Option<MessageId>,
    action: CallbackAction,
) -> HandlerResult {
    let Some(member) = member(services, ctx.user_id).cloned() else {
        return Ok(());
    };
    let shown = match action {
        CallbackAction::StaffHome => {
            dialogue.update(State::Idle).await?;
            return menu(bot, ctx, services).await;
        }
        CallbackAction::StaffCancel(id, page) => {
            return cancel_asked(bot, ctx, services, dialogue, &member, id, page).await
        }
        CallbackAction::StaffMove(id) => {
            return move_asked(bot, ctx, services, dialogue, &member, id).await
        }
        CallbackAction::StaffAgenda(date, page) => {
            agenda(ctx, services, &member, date, page as usize).await?
        }
        CallbackAction::StaffMark(id, came, page) => {
            let now = services.clock.now();
            let mut tx = services.pool.begin().await?;
            let visible = services_of(services, &member);
            let marked = store::mark_attendance(&mut tx, id, &visible, came, now).await?;
            let Some(visit) = marked else {
                tx.rollback().await?;
                let text = services.locales.plain(ctx.lang, "staff-visit-gone");
                send::text(bot, ctx.chat, text, None).await?;
                return Ok(());
            };
            let action = Action {
                staff_id: member.user,
                action: if came { "came" } else { "no-show" },
                booking_id: Some(visit.id),
                detail: "",
            };
            store::record(&mut tx, &action, now).await?;
            tx.commit().await?;
            let date = visit.slot_start.with_timezone(&TIME_ZONE).date_naive();
            agenda(ctx, services, &member, date, page as usize).await?
        }
        CallbackAction::StaffAudit => {
            (audit(ctx, services).await?, InlineKeyboardMarkup::default())
        }
        CallbackAction::StaffExport => {
            let (from, to) = month_of(local_today(services));
            return export(bot, ctx, services, &member, from, to).await;
        }
        _ => return Ok(()),
    };
    let (text, keyboard) = shown;
    // The agenda is updated in place when it was pressed from it; else sent.
    if let Some(message) = message {
        let edited = send::retrying(|| {
            bot.edit_message_text(ctx.chat, message, text.clone())
                .reply_markup(keyboard.clone())
                .send()
        })
        .await;
        if edited.is_ok() {
            return Ok(());
        }
    }
    let keyboard = (!keyboard.inline_keyboard.is_empty()).then_some(keyboard);
    send::text(bot, ctx.chat, text, keyboard).await?;
    Ok(())
}

fn local_today(services: &Services) -> NaiveDate {
    services.today()
}

/// The day `/agenda` names: today when nothing is given; "jutro", a weekday, "24.11", or
/// "2026-11-24".
fn agenda_day(services: &Services, text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        return Some(today);
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(date);
    }
    // A date without a year is this year's: the staff look back as often as ahead.
    match services.understanding.when(text)? {
        crate::understanding::When::Date { day, month } => {
            use chrono::Datelike;
            NaiveDate::from_ymd_opt(today.year(), month, day)
        }
        when => when.date(today),
    }
}

/// The staff menu.
async fn menu(bot: &Bot, ctx: &Ctx, services: &Services) -> HandlerResult {
    let locales = &services.locales;
    let today = local_today(services);
    let tomorrow = today.checked_add_days(Days::new(1)).unwrap_or(today);
    let button = |id: &str, action: CallbackAction| {
        InlineKeyboardButton::callback(locales.plain(ctx.lang, id), action.encode())
    };
    let keyboard = InlineKeyboardMarkup::new([
        vec![
            button("staff-today", CallbackAction::StaffAgenda(today, 0)),
            button("staff-tomorrow", CallbackAction::StaffAgenda(tomorrow, 0)),
        ],
        vec![
            button("staff-export", CallbackAction::StaffExport),
            button("staff-audit", CallbackAction::StaffAudit),
        ],
    ]);
    let text = locales.plain(ctx.lang, "staff-menu");
    send::text(bot, ctx.chat, text, Some(keyboard)).await?;
    Ok(())
}

fn day_bounds(date: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let next = date.checked_add_days(Days::new(1)).unwrap_or(date);
    (
        instant(date, NaiveTime::MIN, false).with_timezone(&Utc),
        instant(next, NaiveTime::MIN, false).with_timezone(&Utc),
    )
}

/// A day's agenda, one page of it: per service, each visit with its time, name, phone, whether
/// the person said they will come, and whether they came; a button row per visit to mark it;
/// the way to the day before and after, and between pages.
async fn agenda(
    ctx: &Ctx,
    services: &Services,
    member: &StaffId,
    date: NaiveDate,
    page: usize,
) -> anyhow::Result<(String, InlineKeyboardMarkup)> {
    let words = Words::new(services, ctx.lang);
    let visible = services_of(services, member);
    let (from, to) = day_bounds(date);
    let visits = store::agenda(&services.pool, &visible, from, to).await?;
    let now = services.clock.now();
    let pages = visits.len().div_ceil(PAGE).max(1);
    let page = page.min(pages - 1);
    let shown: Vec<&AgendaVisit> = visits.iter().skip(page * PAGE).take(PAGE).collect();
    let mut lines = vec![words.t(
        "staff-agenda-title",
        &[
            ("day", words.day_button(date).into()),
            ("count", visits.len().into()),
            ("page", (page + 1).into()),
            ("pages", pages.into()),
        ],
    )];
    if visits.is_empty() {
        lines.push(words.plain("staff-agenda-empty"));
    }
    // A service closed that day says so, with the reason; phone bookings it cancelled are listed
    // to call (they got no message).
    let exceptions = services.exceptions.current(local_today(services)).await;
    for key in &visible {
        let Some(place) = services.directory.place(key) else {
            continue;
        };
        let day = services
            .directory
            .place_timetable(place, &exceptions)
            .day(date);
        if let crate::hours::Day::Closed(crate::hours::ClosedBecause::Closure(note)) = day {
            lines.push(words.t(
                "staff-agenda-closed",
                &[
                    ("service", words.service_name(key).into()),
                    ("reason", note.unwrap_or_default().into()),
                ],
            ));
        }
    }
    let to_call = store::cancelled_by_phone(&services.pool, &visible, from, to).await?;
    if !to_call.is_empty() {
        lines.push(words.plain("staff-closed-call"));
        for visit in &to_call {
            let time = visit.slot_start.with_timezone(&TIME_ZONE).format("%-H:%M");
            let phone = Phone::parse(&visit.phone)
                .map(|p| p.to_string())
                .unwrap_or_else(|| visit.phone.clone());
            lines.push(format!("• {time} {}, {phone}", visit.name));
        }
    }
    let mut rows = Vec::new();
    let mut service = None;
    for visit in &shown {
        if service != Some(&visit.service_key) {
            lines.push(String::new());
            lines.push(words.service_name(&visit.service_key));
            service = Some(&visit.service_key);
        }
        let time = visit
            .slot_start
            .with_timezone(&TIME_ZONE)
            .format("%-H:%M")
            .to_string();
        let mut marks = Vec::new();
        if visit.by_phone {
            marks.push(words.plain("staff-by-phone"));
        }
        if visit.attending {
            marks.push(words.plain("staff-said-attending"));
        }
        match visit.attended {
            Some(true) => marks.push(words.plain("staff-came")),
            Some(false) => marks.push(words.plain("staff-no-show")),
            None => {}
        }
        let mut line = format!("{time} {}, {}", visit.name.as_str(), visit.phone);
        if !marks.is_empty() {
            line = format!("{line} · {}", marks.join(" · "));
        }
        lines.push(line);
        let first_name = visit
            .name
            .as_str()
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned();
        let mark = |id: &str, came: bool| {
            InlineKeyboardButton::callback(
                words.t(
                    id,
                    &[
                        ("time", time.clone().into()),
                        ("name", first_name.clone().into()),
                    ],
                ),
                CallbackAction::StaffMark(visit.id, came, page as u32).encode(),
            )
        };
        let label = |id: &str| {
            words.t(
                id,
                &[
                    ("time", time.clone().into()),
                    ("name", first_name.clone().into()),
                ],
            )
        };
        // Before the visit: cancel or move it; once it has started: whether the person came.
        if visit.slot_start > now {
            rows.push(vec![
                InlineKeyboardButton::callback(
                    label("staff-cancel-button"),
                    CallbackAction::StaffCancel(visit.id, page as u32).encode(),
                ),
                InlineKeyboardButton::callback(
                    label("staff-move-button"),
                    CallbackAction::StaffMove(visit.id).encode(),
                ),
            ]);
        } else {
            rows.push(vec![
                mark("staff-mark-came", true),
                mark("staff-mark-no-show", false),
            ]);
        }
    }
    let day_button = |date: NaiveDate, label: String| {
        InlineKeyboardButton::callback(label, CallbackAction::StaffAgenda(date, 0).encode())
    };
    let mut paging = Vec::new();
    if page > 0 {
        paging.push(InlineKeyboardButton::callback(
            words.plain("staff-page-back"),
            CallbackAction::StaffAgenda(date, (page - 1) as u32).encode(),
        ));
    }
    if page + 1 < pages {
        paging.push(InlineKeyboardButton::callback(
            words.plain("staff-page-next"),
            CallbackAction::StaffAgenda(date, (page + 1) as u32).encode(),
        ));
    }
    if !paging.is_empty() {
        rows.push(paging);
    }
    let mut days = Vec::new();
    if let Some(before) = date.checked_sub_days(Days::new(1)) {
        days.push(day_button(
            before,
            format!("◀ {}", words.day_button(before)),
        ));
    }
    if let Some(after) = date.checked_add_days(Days::new(1)) {
        days.push(day_button(after, format!("{} ▶", words.day_button(after))));
    }
    rows.push(days);
    Ok((lines.join("\n"), InlineKeyboardMarkup::new(rows)))
}

/// The latest staff actions.
async fn audit(ctx: &Ctx, services: &Services) -> anyhow::Result<String> {
    let words = Words::new(services, ctx.lang);
    let recorded = store::latest(&services.pool, 20).await?;
    let mut lines = vec![words.plain("staff-audit-title")];
    if recorded.is_empty() {
        lines.push(words.plain("staff-audit-empty"));
    }
    for entry in recorded {
        let at = entry.at.with_timezone(&TIME_ZONE).format("%d.%m %H:%M");
        let visit = entry
            .booking_id
            .map(|id| format!(" #{id}"))
            .unwrap_or_default();
        lines.push(format!(
            "{at} · {} · {}{visit} {}",
            entry.staff_id, entry.action, entry.detail
        ));
    }
    Ok(lines.join("\n").trim_end().to_owned())
}

/// "Cancel" on an upcoming visit of the agenda: asks for the reason, which the person receives.
async fn cancel_asked(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    member: &StaffId,
    id: i64,
    page: u32,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let Some(visit) = upcoming_visit(bot, ctx, services, member, id).await? else {
        return Ok(());
    };
    dialogue
        .update(State::StaffCancelling {
            visit: id,
            page,
            reason: None,
        })
        .await?;
    let id = if visit.by_phone {
        "staff-cancel-ask-phone"
    } else {
        "staff-cancel-ask"
    };
    let text = words.t(id, &visit_args(&words, &visit));
    send::text(bot, ctx.chat, text, Some(keep_visit(&words))).await?;
    Ok(())
}

/// The visit a staff button names, when it is still to come and one this member of staff sees;
/// else None, and the staff member is told it can no longer be changed.
async fn upcoming_visit(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    member: &StaffId,
    id: i64,
) -> anyhow::Result<Option<AgendaVisit>> {
    let visible = services_of(services, member);
    let now = services.clock.now();
    let visit = store::visit(&services.pool, id, &visible).await?;
    let visit = visit.filter(|v| v.slot_start > now);
    if visit.is_none() {
        let text = services.locales.plain(ctx.lang, "staff-visit-not-upcoming");
        send::text(bot, ctx.chat, text, None).await?;
    }
    Ok(visit)
}

/// "No, keep the visit": back to the staff menu, the cancel or move dropped.
fn keep_visit(words: &Words<'_>) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[InlineKeyboardButton::callback(
        words.plain("staff-keep-visit"),
        CallbackAction::StaffHome.encode(),
    )]])
}

/// The words a visit is named by in the staff's messages.
fn visit_args<'a>(
    words: &Words<'_>,
    visit: &'a AgendaVisit,
) -> Vec<(&'static str, fluent_bundle::FluentValue<'a>)> {
    let start = visit.slot_start.with_timezone(&TIME_ZONE);
    vec![
        ("service", words.service_name(&visit.service_key).into()),
        (
            "when",
            format!(
                "{} {}",
                words.day_button(start.date_naive()),
                start.format("%-H:%M")
            )
            .into(),
        ),
        ("name", visit.name.as_str().to_owned().into()),
        ("phone", visit.phone.to_string().into()),
    ]
}

/// The reason typed after "cancel": shown back with a button that cancels (so a question typed
/// later, or a slip, never cancels anything by itself); "nie" keeps the visit.
pub async fn on_cancel_reason(
    bot: Bot,
    message: Message,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
    (visit, page, _): (i64, u32, Option<String>),
) -> HandlerResult {
    let words = Words::new(&services, ctx.lang);
    let text = message.text().unwrap_or_default().trim().to_owned();
    if member(&services, ctx.user_id).is_none() || super::handlers::says_no(&text) {
        dialogue.update(State::Idle).await?;
        if member(&services, ctx.user_id).is_none() {
            return super::handlers::on_message(bot, message, ctx, services, dialogue).await;
        }
        send::text(&bot, ctx.chat, words.plain("staff-visit-kept"), None).await?;
        return Ok(());
    }
    if text.is_empty() || text.chars().count() > 200 {
        send::text(
            &bot,
            ctx.chat,
            words.plain("staff-cancel-reason-needed"),
            None,
        )
        .await?;
        return Ok(());
    }
    dialogue
        .update(State::StaffCancelling {
            visit,
            page,
            reason: Some(text.clone()),
        })
        .await?;
    let ask = words.t("staff-cancel-confirm", &[("reason", text.into())]);
    let keyboard = InlineKeyboardMarkup::new([vec![
        InlineKeyboardButton::callback(
            words.plain("staff-cancel-yes"),
            CallbackAction::StaffCancelYes.encode(),
        ),
        InlineKeyboardButton::callback(
            words.plain("staff-keep-visit"),
            CallbackAction::StaffHome.encode(),
        ),
    ]]);
    send::text(&bot, ctx.chat, ask, Some(keyboard)).await?;
    Ok(())
}

/// "Yes, cancel" under the reason: the visit is cancelled, the person told (or, booked by phone,
/// listed to call), and the agenda of its day shown again.
pub async fn cancel_confirmed(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    state: &State,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let (
        Some(member),
        State::StaffCancelling {
            visit,
            page,
            reason: Some(reason),
        },
    ) = (member(services, ctx.user_id).cloned(), state)
    else {
        let text = services.locales.plain(ctx.lang, "button-stale");
        send::text(bot, ctx.chat, text, None).await?;
        return Ok(());
    };
    let visible = services_of(services, &member);
    let now = services.clock.now();
    let mut tx = services.pool.begin().await?;
    let cancelled =
        store::cancel_visit(&mut tx, *visit, &visible, member.user, reason, now).await?;
    dialogue.update(State::Idle).await?;
    let Some(cancelled) = cancelled else {
        tx.rollback().await?;
        send::text(bot, ctx.chat, words.plain("staff-visit-not-upcoming"), None).await?;
        return Ok(());
    };
    tx.commit().await?;
    crate::ops::metrics::booking(
        &cancelled.service_key,
        crate::ops::metrics::BookingEvent::Cancelled,
    );
    services.waitlist.notify_one();
    let phone = Phone::parse(&cancelled.phone)
        .map(|p| p.to_string())
        .unwrap_or_else(|| cancelled.phone.clone());
    let id = if cancelled.by_phone {
        "staff-cancelled-call"
    } else {
        "staff-cancelled-told"
    };
    let text = words.t(
        id,
        &[
            ("name", cancelled.name.clone().into()),
            ("phone", phone.into()),
        ],
    );
    send::text(bot, ctx.chat, text, None).await?;
    let date = cancelled.slot_start.with_timezone(&TIME_ZONE).date_naive();
    let (text, keyboard) = agenda(ctx, services, &member, date, *page as usize).await?;
    send::text(bot, ctx.chat, text, Some(keyboard)).await?;
    Ok(())
}

/// The free times of a service in the days to come, as "pon 16.11: 13:00, 13:30" lines (a few
/// days), for the staff to pick from.
async fn free_times(
    services: &Services,
    words: &Words<'_>,
    key: &str,
    day: Option<NaiveDate>,
) -> anyhow::Result<String> {
    let Some(svc) = super::booking::service(services, key) else {
        return Ok(String::new());
    };
    let free = super::booking::free_slots(services, &svc, services.clock.now()).await?;
    let mut days: Vec<(NaiveDate, Vec<String>)> = Vec::new();
    for slot in free.iter() {
        let date = slot.start.date_naive();
        if day.is_some_and(|d| d != date) {
            continue;
        }
        let time = slot.start.format("%-H:%M").to_string();
        match days.last_mut() {
            Some((last, times)) if *last == date => times.push(time),
            _ => days.push((date, vec![time])),
        }
    }
    Ok(days
        .into_iter()
        .take(5)
        .map(|(date, times)| format!("{}: {}", words.day_button(date), times.join(", ")))
        .collect::<Vec<_>>()
        .join("\n"))
}

/// "Move" on an upcoming visit of the agenda: the free times, and the new day and time asked for.
async fn move_asked(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    dialogue: &BotDialogue,
    member: &StaffId,
    id: i64,
) -> HandlerResult {
    let words = Words::new(services, ctx.lang);
    let Some(visit) = upcoming_visit(bot, ctx, services, member, id).await? else {
        return Ok(());
    };
    dialogue.update(State::StaffMoving { visit: id }).await?;
    let mut args = visit_args(&words, &visit);
    let free = free_times(services, &words, &visit.service_key, None).await?;
    args.push(("free", free.into()));
    let text = words.t("staff-move-ask", &args);
    send::text(bot, ctx.chat, text, Some(keep_visit(&words))).await?;
    Ok(())
}

/// The new day and time typed after "move" ("18.11 13:30", "środa 13:30"): moved through the same
/// booking code and constraint as the residents' moves; the person is told.
pub async fn on_move_typed(
    bot: Bot,
    message: Message,
    ctx: Ctx,
    services: Services,
    dialogue: BotDialogue,
    visit: i64,
) -> HandlerResult {
    use crate::db::booking::{self as bookings, Refusal};
    let words = Words::new(&services, ctx.lang);
    let Some(member) = member(&services, ctx.user_id).cloned() else {
        dialogue.update(State::Idle).await?;
        return super::handlers::on_message(bot, message, ctx, services, dialogue).await;
    };
    if super::handlers::says_no(message.text().unwrap_or_default()) {
        dialogue.update(State::Idle).await?;
        send::text(&bot, ctx.chat, words.plain("staff-visit-kept"), None).await?;
        return Ok(());
    }
    let visible = services_of(&services, &member);
    let now = services.clock.now();
    let booking = bookings::get(&services.pool, visit).await?.filter(|b| {
        b.status == bookings::Status::Active
            && b.slot_start > now
            && visible.contains(&b.service_key)
    });
    let Some(booking) = booking else {
        dialogue.update(State::Idle).await?;
        send::text(
            &bot,
            ctx.chat,
            words.plain("staff-visit-not-upcoming"),
            None,
        )
        .await?;
        return Ok(());
    };
    let today = local_today(&services);
    let text = message.text().unwrap_or_default();
    let parts: Vec<&str> = text.split_whitespace().collect();
    let wanted = match parts.as_slice() {
        [day, .., time] => agenda_day(&services, day, today)
            .zip(crate::understanding::clock_time(time))
            .map(|(day, time)| instant(day, time, false)),
        _ => None,
    };
    let Some(svc) = super::booking::service(&services, &booking.service_key) else {
        return Ok(());
    };
    let slot = match wanted {
        Some(start) => super::booking::free_slot(&services, &svc, now, start.timestamp()).await?,
        None => None,
    };
    let Some(slot) = slot else {
        let day = wanted.map(|w| w.date_naive());
        let mut times = free_times(&services, &words, &booking.service_key, day).await?;
        if times.is_empty() {
            // Nothing free that day (or no day understood): the days that have free times.
            times = free_times(&services, &words, &booking.service_key, None).await?;
        }
        let text = words.t("staff-move-not-free", &[("free", times.into())]);
        send::text(&bot, ctx.chat, text, None).await?;
        return Ok(());
    };
    let span = (slot.start.with_timezone(&Utc), slot.end.with_timezone(&Utc));
    let mut tx = services.pool.begin().await?;
    let moved = bookings::move_to(
        &mut tx,
        visit,
        booking.telegram_id,
        span,
        (svc.rules.capacity, svc.rules.per_person),
        now,
    )
    .await?;
    let (old, new) = match moved {
        Ok(moved) => moved,
        Err(Refusal::SlotTaken) => {
            tx.rollback().await?;
            let times = free_times(&services, &words, &booking.service_key, None).await?;
            let text = words.t("staff-move-not-free", &[("free", times.into())]);
            send::text(&bot, ctx.chat, text, None).await?;
            return Ok(());
        }
        Err(_) => {
            tx.rollback().await?;
            dialogue.update(State::Idle).await?;
            send::text(
                &bot,
                ctx.chat,
                words.plain("staff-visit-not-upcoming"),
                None,
            )
            .await?;
            return Ok(());
        }
    };
    if old.by_phone() {
        store::mark_phone_booking(&mut tx, new.id, member.user).await?;
    }
    let detail = format!(
        "{} -> {}",
        old.slot_start
            .with_timezone(&TIME_ZONE)
            .format("%Y-%m-%d %H:%M"),
        new.slot_start
            .with_timezone(&TIME_ZONE)
            .format("%Y-%m-%d %H:%M")
    );
    let action = Action {
        staff_id: member.user,
        action: "move",
        booking_id: Some(new.id),
        detail: &detail,
    };
    store::record(&mut tx, &action, now).await?;
    let jobs = super::booking::moved_by_staff(&services, &old, &new, now);
    crate::db::outbox::enqueue(&mut tx, &jobs, now).await?;
    tx.commit().await?;
    crate::ops::metrics::booking(&new.service_key, crate::ops::metrics::BookingEvent::Moved);
    dialogue.update(State::Idle).await?;
    services.waitlist.notify_one();
    let id = if new.by_phone() {
        "staff-moved-call"
    } else {
        "staff-moved-told"
    };
    let text = words.t(
        id,
        &[
            ("name", new.name.as_str().into()),
            ("when", words.booking_when(&new).into()),
            ("phone", new.phone.to_string().into()),
        ],
    );
    send::text(&bot, ctx.chat, text, None).await?;
    Ok(())
}

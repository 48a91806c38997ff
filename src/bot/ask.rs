//! Answering questions about places, hours and services: typed in plain words, or reached by
//! buttons (menu → centre → place → hours / address / contact, with a way back at every step).

use teloxide::{prelude::*, types::InlineKeyboardMarkup};

use super::{
    answers::Answers, callback::CallbackAction, context::Ctx, keyboards, send, state::State,
    Services,
};
use crate::{
    directory::Directory,
    understanding::{Aspect, Topic, When},
};

/// What to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum View {
    Centre(String, Aspect, Option<When>),
    Place(String, Aspect, Option<When>),
    /// Services of every centre, or of one.
    Services(Option<String>),
    NgoOffer,
    Documents,
    Contacts,
    /// Every centre's hours: now, or on the day a question named.
    HoursOverview(Option<When>),
    Greeting,
    /// Thanks, or a nod.
    Thanks,
    /// Words of danger or crisis: emergency numbers and helplines first, no menu in the way.
    Crisis(String),
    /// "My visits", typed.
    MyVisits,
    /// An everyday need: the places and centres that meet it.
    Need(String),
    /// Whether one must book: the places that take bookings, with their buttons.
    Appointments,
    /// What the bot keeps about a person, and why.
    Privacy,
    /// What to bring, to each place that says.
    Bring,
    /// Whether it costs anything, for each place that takes bookings.
    Cost,
    /// "I want to book…": the booking flow, at the service when one was named (and at the day,
    /// when one was named too: "zapisz mnie do prawnika na poniedziałek").
    Book(Option<String>, Option<When>),
    /// A question it cannot place.
    Unknown,
}

impl View {
    /// What a typed question asks to see.
    pub fn for_text(services: &Services, text: &str) -> View {
        let question = services.understanding.understand(text);
        // "rezerwacja sali" is an NGO asking for a room, not a resident's visit.
        let not_a_visit = matches!(
            question.topic,
            Some(Topic::NgoOffer | Topic::Documents | Topic::Need(_))
        );
        if question.book && !not_a_visit {
            let bookable = match &question.topic {
                Some(Topic::Place(key)) => services
                    .directory
                    .place(key)
                    .filter(|p| p.booking.is_some())
                    .map(|p| p.key.clone()),
                _ => None,
            };
            return View::Book(bookable, question.when.filter(|w| *w != When::Now));
        }
        match question.topic {
            Some(Topic::Place(key)) => View::Place(key, question.aspect, question.when),
            Some(Topic::Centre(key)) => View::Centre(key, question.aspect, question.when),
            Some(Topic::Services) => View::Services(question.centre),
            Some(Topic::NgoOffer) => View::NgoOffer,
            Some(Topic::Documents) => View::Documents,
            Some(Topic::Contacts) => match question.aspect {
                Aspect::Hours | Aspect::OpenNow => View::HoursOverview(question.when),
                _ => View::Contacts,
            },
            Some(Topic::Greeting) => View::Greeting,
            Some(Topic::Thanks) => View::Thanks,
            Some(Topic::Crisis(key)) => View::Crisis(key),
            Some(Topic::MyVisits) => View::MyVisits,
            Some(Topic::Need(key)) => View::Need(key),
            Some(Topic::Appointments) => View::Appointments,
            Some(Topic::Privacy) => View::Privacy,
            Some(Topic::Bring) => View::Bring,
            Some(Topic::Cost) => View::Cost,
            None => View::Unknown,
        }
    }
}

impl View {
    /// Whether the centre or place it names (if any) is in the directory.
    pub fn names_known(&self, directory: &Directory) -> bool {
        match self {
            View::Centre(key, ..) => directory.centre(key).is_some(),
            View::Place(key, ..) => directory.place(key).is_some(),
            View::Crisis(key) => directory.crisis(key).is_some(),
            View::Need(key) => directory.need(key).is_some(),
            _ => true,
        }
    }
}

/// The text and buttons of a view, or None when it names a centre or place the directory lacks
/// (a stale or forged button).
fn render(
    answers: &Answers<'_>,
    services: &Services,
    view: &View,
) -> Option<(String, InlineKeyboardMarkup)> {
    let (locales, lang, directory): (_, _, &Directory) =
        (&*services.locales, answers.lang, &services.directory);
    Some(match view {
        View::Centre(key, aspect, when) => {
            let centre = directory.centre(key)?;
            let mut text = answers.centre(centre, *aspect, *when);
            if *aspect == Aspect::Overview && directory.places_of(&centre.key).next().is_some() {
                text = format!("{text}\n\n{}", answers.centre_places(centre));
            }
            let keyboard = if *aspect == Aspect::Overview {
                keyboards::centre(locales, lang, directory, centre)
            } else {
                keyboards::centre_aspect(locales, lang, centre)
            };
            (text, keyboard)
        }
        View::Place(key, aspect, when) => {
            let place = directory.place(key)?;
            let centre = directory.centre_of(place)?;
            (
                answers.place(place, *aspect, *when),
                keyboards::place(locales, lang, place, centre),
            )
        }
        View::Services(centre) => {
            let only = centre.as_deref().and_then(|key| directory.centre(key));
            (
                answers.services(only),
                keyboards::services(locales, lang, directory),
            )
        }
        View::NgoOffer => (
            answers.ngo_offer(),
            keyboards::ngo(locales, lang, directory, false),
        ),
        View::Documents => (
            answers.documents(),
            keyboards::ngo(locales, lang, directory, true),
        ),
        View::Contacts => (
            answers.contacts(),
            keyboards::centres(locales, lang, directory),
        ),
        View::HoursOverview(when) => (
            answers.hours_overview(*when),
            keyboards::centres(locales, lang, directory),
        ),
        View::Thanks => (
            locales.plain(lang, "thanks-reply"),
            keyboards::main_menu(locales, lang),
        ),
        View::Greeting => (
            locales.plain(lang, "greeting-reply"),
            keyboards::main_menu(locales, lang),
        ),
        View::Crisis(key) => (
            answers.crisis(directory.crisis(key)?)?,
            InlineKeyboardMarkup::default(),
        ),
        View::Need(key) => {
            let need = directory.need(key)?;
            (
                answers.need(need),
                keyboards::need(locales, lang, directory, need),
            )
        }
        View::Privacy => (
            super::privacy::text(services, lang),
            super::privacy::keyboard(services, lang, false),
        ),
        View::Bring => (
            answers.bring(),
            keyboards::bookable(locales, lang, directory),
        ),
        View::Cost => (
            answers.cost(),
            keyboards::bookable(locales, lang, directory),
        ),
        View::Appointments => (
            answers.appointments(),
            keyboards::bookable(locales, lang, directory),
        ),
        View::Book(..) | View::MyVisits => return None,
        View::Unknown => (answers.unknown(), keyboards::main_menu(locales, lang)),
    })
}

/// The centre whose map pin to send with an address, where the data gives coordinates.
fn pin(directory: &Directory, view: &View) -> Option<(f64, f64, String, String)> {
    let centre = match view {
        View::Centre(key, Aspect::Address, _) => directory.centre(key)?,
        View::Place(key, Aspect::Address, _) => directory.centre_of(directory.place(key)?)?,
        _ => return None,
    };
    let (latitude, longitude) = centre.coordinates?;
    Some((
        latitude,
        longitude,
        centre.short.pl.clone(),
        centre.address.clone(),
    ))
}

/// Shows a view; returns false when it names something the directory does not have.
pub async fn show(bot: &Bot, ctx: &Ctx, services: &Services, view: &View) -> anyhow::Result<bool> {
    if *view == View::Privacy {
        // With the person's own choice of reminders on its button.
        super::privacy::show(bot, ctx, services).await?;
        return Ok(true);
    }
    let now = services.clock.now();
    let today = now.with_timezone(&crate::clock::TIME_ZONE).date_naive();
    let exceptions = services.exceptions.as_of(today, ctx.exceptions).await;
    let answers = Answers {
        locales: &services.locales,
        lang: ctx.lang,
        directory: &services.directory,
        exceptions: &exceptions,
        now,
    };
    let Some((text, keyboard)) = render(&answers, services, view) else {
        return Ok(false);
    };
    // No buttons (a crisis answer) means no keyboard at all, not an empty one.
    let keyboard = (!keyboard.inline_keyboard.is_empty()).then_some(keyboard);
    send::text(bot, ctx.chat, text, keyboard).await?;
    if let Some((latitude, longitude, title, address)) = pin(&services.directory, view) {
        send::retrying(|| {
            bot.send_venue(
                ctx.chat,
                latitude,
                longitude,
                title.clone(),
                address.clone(),
            )
            .send()
        })
        .await?;
    }
    Ok(true)
}

/// A typed question; returns the step it opened where typing goes on (the days of a service
/// named with a wish to book), for the caller to keep.
pub async fn answer(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    text: &str,
) -> anyhow::Result<Option<State>> {
    match View::for_text(services, text) {
        View::Book(Some(key), when) => {
            use super::booking::{book, Intent};
            let today = services.today();
            match when.and_then(|when| when.date(today)) {
                Some(day) => {
                    let shown =
                        book::choose_time(bot, ctx, services, &key, day, Intent::New).await?;
                    Ok(shown.then_some(State::ChoosingTime { service: key, day }))
                }
                None => {
                    let shown = book::choose_day(bot, ctx, services, &key, Intent::New).await?;
                    Ok(shown.then_some(State::ChoosingDay { service: key }))
                }
            }
        }
        View::Book(None, _) => {
            super::booking::book::choose_service(bot, ctx, services).await?;
            Ok(None)
        }
        View::MyVisits => my_visits(bot, ctx, services, text).await,
        view => {
            show(bot, ctx, services, &view).await?;
            Ok(None)
        }
    }
}

/// Words that ask to cancel one's visit, or to move it (folded, as beginnings of words).
const CANCEL_WORDS: &[&str] = &[
    "odwol",
    "cancel",
    "skasu",
    "otmen",
    "vidmin",
    "nie przyjde",
    "nie bede",
];
const MOVE_WORDS: &[&str] = &[
    "przeloz", "przenies", "zmien", "resched", "move", "perenes", "change",
];

/// "My visits" typed: with one visit ahead and a wish to cancel or move it ("odwołaj", "przełóż
/// na środę"), that step at once (the day's times when a day is named); else the list.
async fn my_visits(
    bot: &Bot,
    ctx: &Ctx,
    services: &Services,
    text: &str,
) -> anyhow::Result<Option<State>> {
    use super::booking::visits;
    let folded = crate::fold::fold(text);
    let says = |words: &[&str]| {
        words
            .iter()
            .any(|w| folded.starts_with(w) || folded.contains(&format!(" {w}")))
    };
    let (cancel, moving) = (says(CANCEL_WORDS), says(MOVE_WORDS));
    if cancel || moving {
        let now = services.clock.now();
        let mine: Vec<_> = crate::db::booking::upcoming(&services.pool, ctx.user_id, now)
            .await?
            .into_iter()
            .filter(|b| b.slot_start > now)
            .collect();
        if let [only] = mine.as_slice() {
            let visit = only.id;
            if cancel {
                visits::cancel_ask(bot, ctx, services, visit).await?;
                return Ok(Some(State::ConfirmingCancel { visit }));
            }
            let today = services.today();
            if let Some(day) = services
                .understanding
                .when(text)
                .and_then(|w| w.date(today))
            {
                let typed = CallbackAction::MoveDay(visit, day);
                match super::handlers::offered(services, ctx, text, typed).await? {
                    Ok(CallbackAction::MoveDay(_, day)) => {
                        if visits::move_day(bot, ctx, services, visit, day).await? {
                            return Ok(Some(State::MovingTime { visit, day }));
                        }
                        return Ok(Some(State::MovingDay { visit }));
                    }
                    _ => {
                        // That day has nothing free: the days that have, to choose from.
                        let notice = services.locales.plain(ctx.lang, "step-day-not-free");
                        send::text(bot, ctx.chat, notice, None).await?;
                    }
                }
            }
            let shown = visits::move_start(bot, ctx, services, visit).await?;
            return Ok(shown.then_some(State::MovingDay { visit }));
        }
    }
    visits::visits(bot, ctx, services).await?;
    Ok(None)
}

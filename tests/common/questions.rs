//! Names for what the understanding makes of a question, as the question sets write them.

use okienko::understanding::{Aspect, Topic, When};

/// "place:<key>", "centre:<key>", "crisis:<key>", "services", … or "none".
pub fn topic_name(topic: &Option<Topic>) -> String {
    match topic {
        None => "none".into(),
        Some(Topic::Place(key)) => format!("place:{key}"),
        Some(Topic::Centre(key)) => format!("centre:{key}"),
        Some(Topic::Services) => "services".into(),
        Some(Topic::NgoOffer) => "ngo".into(),
        Some(Topic::Documents) => "documents".into(),
        Some(Topic::Contacts) => "contacts".into(),
        // The question sets know one word for both.
        Some(Topic::Greeting | Topic::Thanks) => "greeting".into(),
        Some(Topic::Crisis(key)) => format!("crisis:{key}"),
        Some(Topic::MyVisits) => "my-visits".into(),
        Some(Topic::Need(key)) => format!("need:{key}"),
        Some(Topic::Appointments) => "appointments".into(),
        Some(Topic::Privacy) => "privacy".into(),
        Some(Topic::Bring) => "bring".into(),
        Some(Topic::Cost) => "cost".into(),
    }
}

pub fn aspect_name(aspect: Aspect) -> &'static str {
    match aspect {
        Aspect::Overview => "overview",
        Aspect::Hours => "hours",
        Aspect::OpenNow => "open-now",
        Aspect::Address => "address",
        Aspect::Contact => "contact",
        Aspect::Bring => "bring",
        Aspect::Cost => "cost",
    }
}

pub fn when_name(when: Option<When>) -> String {
    match when {
        None => "none".into(),
        Some(When::Now) => "now".into(),
        Some(When::Today) => "today".into(),
        Some(When::Tomorrow) => "tomorrow".into(),
        Some(When::AfterTomorrow) => "after-tomorrow".into(),
        Some(When::On(day)) => day.to_string().to_lowercase(),
        Some(When::Next(day)) => format!("next-{}", day.to_string().to_lowercase()),
        Some(When::Date { day, month }) => format!("{day}.{month}"),
    }
}

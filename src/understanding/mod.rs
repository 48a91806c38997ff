//! Understanding typed questions: free text in Polish or English is matched to a place or topic of
//! the directory, what is asked about it (hours, open now, address, contact), and when.
//!
//! Case and Polish letters are folded away (`Kiedy jest PRAWNIK?` = `kiedy jest prawnik`);
//! keywords are word beginnings, so inflected forms match (`prawn` finds prawnika, prawną, pomocy
//! prawnej); a keyword of five letters or more also matches with one typo (`medjacja`, `prawnk`).

mod words;

use chrono::Weekday;

use crate::directory::Directory;
pub use words::fold;
use words::{Phrase, Vocabulary};

/// What the question is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Topic {
    Centre(String),
    Place(String),
    /// What the centres offer (all of them, or one when a centre is named too).
    Services,
    /// What CAS offers NGOs.
    NgoOffer,
    /// The documents an NGO needs.
    Documents,
    /// How to reach the centres (phones, e-mails, addresses).
    Contacts,
    /// Only a greeting or thanks.
    Greeting,
    /// Words of danger or crisis (the directory's `[[crisis]]` key): emergency numbers first.
    Crisis(String),
    /// The person's own visits: when they are, moving or cancelling one.
    MyVisits,
}

/// What is asked about the topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aspect {
    Overview,
    Hours,
    OpenNow,
    Address,
    Contact,
}

/// A time the question names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Now,
    Today,
    Tomorrow,
    On(Weekday),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub topic: Option<Topic>,
    /// A centre named alongside a general topic ("usługi CAS").
    pub centre: Option<String>,
    pub aspect: Aspect,
    pub when: Option<When>,
    /// The person wants to book a visit ("chcę się umówić do prawnika").
    pub book: bool,
}

const HOURS: &[&str] = &[
    "godzin",
    "kiedy",
    "otwarcia",
    "dyzur",
    "przyjmuj",
    "grafik",
    "harmonogram",
    "w jakie dni",
    "jakie dni",
    "hours",
    "when",
    "schedule",
    "what time",
    "which days",
    "timetable",
];
const OPEN: &[&str] = &[
    "otwart", "czynn", "otwier", "zamkn", "nieczynn", "open", "closed", "close",
];
const ADDRESS: &[&str] = &[
    "gdzie",
    "adres",
    "dojech",
    "dojsc",
    "dotrzec",
    "trafic",
    "lokalizac",
    "mapa",
    "mape",
    "ulic",
    "where",
    "address",
    "location",
    "located",
    "map",
    "directions",
    "street",
    "get there",
];
const CONTACT: &[&str] = &[
    "telefon",
    "numer",
    "zadzwon",
    "dzwoni",
    "kontakt",
    "mail",
    "email",
    "e mail",
    "strona internet",
    "www",
    "phone",
    "call",
    "contact",
    "number",
    "website",
    "site",
];
const SERVICES: &[&str] = &[
    "uslug",
    "ofert",
    "oferuj",
    "co robi",
    "czym sie zajmuj",
    "w czym pomag",
    "jaka pomoc",
    "jakiej pomocy",
    "services",
    "offer",
    "what do you do",
    "what help",
    "what can i get",
];
const NGO: &[&str] = &[
    "ngo",
    "organizac",
    "stowarzysz",
    "fundacj",
    "pozarzad",
    "wolontari",
    "inkubator",
    "nocleg",
    "szafk",
    "biurk",
    "sala",
    "sale",
    "sali",
    "pomieszcz",
    "siedzib",
    "adres do rejestr",
    "rejestracji organiz",
    "charity",
    "foundation",
    "association",
    "non profit",
    "nonprofit",
    "volunteer",
    "incubator",
    "accommodation",
    "locker",
    "desk",
    "rooms",
    "meeting room",
    "registered office",
    "registration address",
];
const DOCUMENTS: &[&str] = &[
    "regulamin",
    "dokument",
    "porozumien",
    "oswiadczen",
    "zalacznik",
    "formularz",
    "druk",
    "wniosek",
    "documents",
    "document",
    "regulations",
    "rules",
    "agreement",
    "annex",
    "forms",
    "form",
    "pdf",
];
const GREETING: &[&str] = &[
    "dzien dobry",
    "dobry wieczor",
    "czesc",
    "hej",
    "witam",
    "witaj",
    "siema",
    "dziekuj",
    "dzieki",
    "hello",
    "hi",
    "hey",
    "good morning",
    "good afternoon",
    "thanks",
    "thank you",
];
const BOOK: &[&str] = &[
    "umowic",
    "umowie",
    "umow",
    "zapisac",
    "zapisz",
    "zapis na",
    "zarezerw",
    "rezerwac",
    "wolny termin",
    "wolne terminy",
    "book",
    "appointment",
    "reserve",
    "make an appointment",
    "free slot",
];
/// The person's own visits, typed instead of pressing "My visits" (before booking words: "cancel
/// my appointment" is not a wish to book).
const MY_VISITS: &[&str] = &[
    "moje wizyty",
    "moja wizyta",
    "moja wizyte",
    "moich wizyt",
    "mam wizyte",
    "mam umowion",
    "jestem umowion",
    "odwolaj wizyt",
    "odwolac wizyt",
    "odwolanie wizyt",
    "przeloz wizyt",
    "przelozyc wizyt",
    "przelozenie wizyt",
    "zmienic termin",
    "zmiana terminu",
    "my visits",
    "my visit",
    "my appointment",
    "my appointments",
    "my booking",
    "my bookings",
    "cancel my",
    "reschedule",
    "change my appointment",
    "move my appointment",
];
const NOW: &[&str] = &[
    "teraz",
    "obecnie",
    "w tej chwili",
    "aktualnie",
    "juz",
    "now",
    "currently",
    "right now",
    "at the moment",
];
const TODAY: &[&str] = &["dzis", "dzisiaj", "today", "tonight", "this evening"];
const TOMORROW: &[&str] = &["jutro", "jutrze", "tomorrow"];
const WEEKDAYS: &[(&str, Weekday)] = &[
    ("poniedzial", Weekday::Mon),
    ("poniedz", Weekday::Mon),
    ("wtor", Weekday::Tue),
    ("sroda", Weekday::Wed),
    ("srode", Weekday::Wed),
    ("srody", Weekday::Wed),
    ("srod", Weekday::Wed),
    ("czwart", Weekday::Thu),
    ("piat", Weekday::Fri),
    ("sobot", Weekday::Sat),
    ("niedziel", Weekday::Sun),
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// Words that make a text a question (whole words, folded). Names never contain them, while
/// place names can be surnames (Lis, Sala, Kasprowicz): so these, not the topics, tell a
/// question typed at the name step from a name.
const QUESTION_WORDS: &[&str] = &[
    "kiedy", "gdzie", "jak", "czy", "ile", "co", "jaki", "jaka", "jakie", "ktory", "ktora",
    "ktore", "dlaczego", "czemu", "skad", "dokad", "when", "where", "how", "what", "why", "which",
    "who", "is", "are", "can", "do", "does",
];

/// Whether `text` reads as a question: a question mark, or a question word.
pub fn is_question(text: &str) -> bool {
    text.contains('?')
        || words::split(text)
            .iter()
            .any(|word| QUESTION_WORDS.contains(&word.as_str()))
}

/// The matcher, built once from the directory (another city's file brings its own keywords).
pub struct Understanding {
    /// Checked before anything else: a person in danger is never answered with opening hours.
    crises: Vec<(Topic, Vec<Phrase>)>,
    targets: Vec<(Topic, Vec<Phrase>)>,
    hours: Vocabulary,
    open: Vocabulary,
    address: Vocabulary,
    contact: Vocabulary,
    services: Vocabulary,
    ngo: Vocabulary,
    documents: Vocabulary,
    greeting: Vocabulary,
    book: Vocabulary,
    my_visits: Vocabulary,
    now: Vocabulary,
    today: Vocabulary,
    tomorrow: Vocabulary,
    weekdays: Vec<(Phrase, Weekday)>,
}

impl Understanding {
    pub fn new(directory: &Directory) -> Self {
        let mut targets = Vec::new();
        for place in &directory.places {
            targets.push((
                Topic::Place(place.key.clone()),
                place.keywords.iter().map(|k| Phrase::new(k)).collect(),
            ));
        }
        for centre in &directory.centres {
            targets.push((
                Topic::Centre(centre.key.clone()),
                centre.keywords.iter().map(|k| Phrase::new(k)).collect(),
            ));
        }
        let crises = directory
            .crises
            .iter()
            .map(|crisis| {
                let phrases = crisis.keywords.iter().map(|k| Phrase::crisis(k)).collect();
                (Topic::Crisis(crisis.key.clone()), phrases)
            })
            .collect();
        Self {
            crises,
            targets,
            hours: Vocabulary::new(HOURS),
            open: Vocabulary::new(OPEN),
            address: Vocabulary::new(ADDRESS),
            contact: Vocabulary::new(CONTACT),
            services: Vocabulary::new(SERVICES),
            ngo: Vocabulary::new(NGO),
            documents: Vocabulary::new(DOCUMENTS),
            greeting: Vocabulary::new(GREETING),
            book: Vocabulary::new(BOOK),
            my_visits: Vocabulary::new(MY_VISITS),
            now: Vocabulary::new(NOW),
            today: Vocabulary::new(TODAY),
            tomorrow: Vocabulary::new(TOMORROW),
            weekdays: WEEKDAYS.iter().map(|(w, d)| (Phrase::new(w), *d)).collect(),
        }
    }

    pub fn understand(&self, text: &str) -> Question {
        let words = words::split(text);
        let when = self.when(&words);
        if let Some((_, crisis)) = best_of(&self.crises, &words, |_| true) {
            return Question {
                topic: Some(crisis.clone()),
                centre: None,
                aspect: Aspect::Overview,
                when,
                book: false,
            };
        }
        if self.my_visits.score(&words) > 0 {
            return Question {
                topic: Some(Topic::MyVisits),
                centre: None,
                aspect: Aspect::Overview,
                when,
                book: false,
            };
        }
        let best = |kind: fn(&Topic) -> bool| best_of(&self.targets, &words, kind);
        let place = best(|t| matches!(t, Topic::Place(_)));
        let centre = best(|t| matches!(t, Topic::Centre(_)));
        let centre_key = centre.and_then(|(_, t)| match t {
            Topic::Centre(key) => Some(key.clone()),
            _ => None,
        });

        let ngo = self.ngo.score(&words);
        let documents = self.documents.score(&words);
        let services = self.services.score(&words);
        let place_score = place.map(|(s, _)| s).unwrap_or(0);
        let topic = if documents > 0 && documents >= place_score {
            Some(Topic::Documents)
        } else if ngo > 0 && ngo >= place_score {
            Some(Topic::NgoOffer)
        } else if let Some((_, place)) = place {
            Some(place.clone())
        } else if services > 0 {
            Some(Topic::Services)
        } else if let Some(key) = &centre_key {
            Some(Topic::Centre(key.clone()))
        } else if self.contact.score(&words) > 0 || self.address.score(&words) > 0 {
            Some(Topic::Contacts)
        } else if self.greeting.score(&words) > 0 {
            Some(Topic::Greeting)
        } else if self.hours.score(&words) > 0 || self.open.score(&words) > 0 || when.is_some() {
            // "what is open today?" without a place: the centres' hours.
            Some(Topic::Contacts)
        } else {
            None
        };

        let aspect = if self.address.score(&words) > 0 {
            Aspect::Address
        } else if self.contact.score(&words) > 0 {
            Aspect::Contact
        } else if when == Some(When::Now)
            || (self.open.score(&words) > 0 && self.hours.score(&words) == 0)
        {
            Aspect::OpenNow
        } else if self.hours.score(&words) > 0 || self.open.score(&words) > 0 || when.is_some() {
            Aspect::Hours
        } else {
            Aspect::Overview
        };
        let centre = match &topic {
            Some(Topic::Centre(_)) => None,
            _ => centre_key,
        };
        let book = self.book.score(&words) > 0;
        Question {
            topic,
            centre,
            aspect,
            when,
            book,
        }
    }

    /// The words of danger or crisis in `text`, if any (the directory's `[[crisis]]` key).
    pub fn crisis(&self, text: &str) -> Option<&str> {
        let words = words::split(text);
        match best_of(&self.crises, &words, |_| true) {
            Some((_, Topic::Crisis(key))) => Some(key),
            _ => None,
        }
    }

    fn when(&self, words: &[String]) -> Option<When> {
        if self.now.score(words) > 0 {
            return Some(When::Now);
        }
        if self.today.score(words) > 0 {
            return Some(When::Today);
        }
        if self.tomorrow.score(words) > 0 {
            return Some(When::Tomorrow);
        }
        self.weekdays
            .iter()
            .filter(|(p, _)| p.score(words) > 0)
            .map(|(_, d)| When::On(*d))
            .next()
    }
}

/// The best-scoring topic of `kind` among `targets` for the words, if any scores.
fn best_of<'a>(
    targets: &'a [(Topic, Vec<Phrase>)],
    words: &[String],
    kind: fn(&Topic) -> bool,
) -> Option<(usize, &'a Topic)> {
    targets
        .iter()
        .filter(|(topic, _)| kind(topic))
        .filter_map(|(topic, phrases)| {
            let score = phrases.iter().map(|p| p.score(words)).max().unwrap_or(0);
            (score > 0).then_some((score, topic))
        })
        .max_by_key(|(score, _)| *score)
}

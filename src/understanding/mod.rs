//! Understanding typed questions: free text in Polish or English is matched to a place or topic of
//! the directory, what is asked about it (hours, open now, address, contact), and when.
//!
//! Case and Polish letters are folded away (`Kiedy jest PRAWNIK?` = `kiedy jest prawnik`);
//! keywords are word beginnings, so inflected forms match (`prawn` finds prawnika, prawną, pomocy
//! prawnej); a keyword of five letters or more also matches with one typo (`medjacja`, `prawnk`).

mod dates;
pub mod replies;
mod words;

use crate::directory::Directory;
pub use dates::{clock_time, When};
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
    /// Only a greeting.
    Greeting,
    /// Only thanks, or a nod (an emoji alone).
    Thanks,
    /// Words of danger or crisis (the directory's `[[crisis]]` key): emergency numbers first.
    Crisis(String),
    /// The person's own visits: when they are, moving or cancelling one.
    MyVisits,
    /// An everyday need (the directory's `[[need]]` key): the places that meet it.
    Need(String),
    /// "czy mogę przyjść bez zapisu?", "do I need an appointment?": which places take bookings.
    Appointments,
    /// "po co wam moje dane?", "rodo", "privacy": what the bot keeps about a person, and why.
    Privacy,
    /// "co zabrać?", "a dowód trzeba?" with no place named: what to bring to each place that says.
    Bring,
    /// "a to jest za darmo?", "ile to kosztuje?" with no place named: what each bookable place's
    /// own texts say about paying.
    Cost,
}

/// What is asked about the topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aspect {
    Overview,
    Hours,
    OpenNow,
    Address,
    Contact,
    /// What to bring to a place ("jakie dokumenty do prawnika").
    Bring,
    /// Whether a place is free ("ile kosztuje prawnik").
    Cost,
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
    // Ukrainian and Russian, as folded (Cyrillic transliterated).
    "koli",
    "kogda",
    "godini",
    "rozklad",
    "raspisani",
    "do kotro",
    "do skolki",
    "v iaki dni",
    "v kakie dni",
    "grafik",
    "o ktorej",
    "do ktorej",
    "od ktorej",
    "konczy",
    "zaczyna",
    "po poludniu",
    "afternoon",
    "co tydzien",
    "every week",
    "weekly",
    "opening",
    "spotkan",
    "meetings",
];
const OPEN: &[&str] = &[
    "otwart", "czynn", "otwier", "zamkn", "nieczynn", "open", "closed", "close",
    // Ukrainian and Russian, as folded (Cyrillic transliterated).
    "pratsiu", "pratsu", "vidkrit", "zakrit", "rabotae", "rabotaiu", "otkryt", "zakryt",
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
    // Ukrainian and Russian, as folded (Cyrillic transliterated).
    "znakhod",
    "nakhod",
    "gde",
    "de tse",
    "adres",
    "dobratis",
    "dobrat",
    "distatis",
    "nearby",
    "blisko",
    "w poblizu",
    "niedaleko",
];
const CONTACT: &[&str] = &[
    "telefon",
    "numer",
    "zadzwon",
    "dzwoni",
    "kontakt",
    "skontakt",
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
    // Ukrainian and Russian, as folded (Cyrillic transliterated).
    "nomer",
    "zatelefonuv",
    "podzvoni",
    "pozvoni",
    "zvonit",
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
    // Ukrainian and Russian, as folded (Cyrillic transliterated).
    "shcho robit",
    "chem zanimaet",
    "iaku dopomogu",
    "kakuiu pomoshch",
    "w czym mozecie",
    "w czym moze",
    "czym mozecie",
];
const NGO: &[&str] = &[
    "ngo",
    "ngos",
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
    "room",
    "meeting room",
    "registered office",
    "registration address",
    // Ukrainian and Russian, as folded (Cyrillic transliterated).
    "gromadsk",
    "organizatsi",
    "fond",
    "obshchestvenn",
    "fundusz",
    "unijn",
    "dotacj",
    "grant",
    "nieformaln",
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
    // Ukrainian and Russian, as folded (Cyrillic transliterated).
    "dokument",
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
    "halo",
    "hallo",
    "ok",
    "okej",
    "super",
    "dobrze",
    "good morning",
    "good afternoon",
    "thanks",
    "thank you",
    // Ukrainian and Russian, as folded (Cyrillic transliterated).
    "diakuiu",
    "diakuem",
    "spasibo",
    "privit",
    "privet",
    "dobrii den",
    "dobryi den",
    "dobrogo dnia",
    "zdravstvui",
    "vitaiu",
];
/// Thanks: answered with "you're welcome", not with "how can I help?".
const THANKS: &[&str] = &[
    "dziekuj",
    "dzieki",
    "dzienkuj",
    "dziekowal",
    "thanks",
    "thank you",
    "thx",
    "diakuiu",
    "diakuem",
    "spasibo",
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
    // Ukrainian and Russian, as folded (Cyrillic transliterated).
    "zapisat",
    "zapisu",
    "zapishit",
    "zareiestru",
    "zaregistr",
];
/// Questions about one's personal data (checked before everything but a crisis).
const PRIVACY: &[&str] = &[
    "po co wam",
    "moje dane",
    "moich danych",
    "dane osobowe",
    "danych osobowych",
    "rodo",
    "prywatnos",
    "privacy",
    "personal data",
    "my data",
    "gdpr",
    "personalni dani",
    "moyi dani",
    "personalnye dannye",
    "moi dannye",
    // What is kept about me, in each language (folded: Cyrillic transliterated).
    "dane o mnie",
    "co o mnie",
    "wiecie o mnie",
    "przechowujecie",
    "what data",
    "which data",
    "data do you",
    "data you keep",
    "data you store",
    "keep about me",
    "store about me",
    "know about me",
    "iaki dani",
    "dani vi zberiga",
    "zberigaiete",
    "znaiete pro mene",
    "pro mene zberiga",
    "kakie dannye",
    "dannye vy khranit",
    "khranite",
    "znaete obo mne",
    // Reminders that do not name the service: the choice is on the privacy card.
    "dyskretn",
    "diskretn",
    "discreet",
    "zeby w przypomnieniu",
    "w przypomnieniu nie",
    "lock screen",
    "ekranie blokady",
];
/// What to bring (with no place named: every place's answer).
const BRING: &[&str] = &[
    "zabrac",
    "zabrac ze soba",
    "wziac",
    "wziac ze soba",
    "dowod trzeba",
    "trzeba dowod",
    "miec dowod",
    "z dowodem",
    "bring",
    "take with me",
    "id card",
    "vziati",
    "vziat",
    "z soboiu",
    "s soboi",
];
/// Whether something costs money ("za darmo", "ile kosztuje", "is it free", "скільки коштує").
/// "free" alone is not among them: "is the lawyer free on Monday" asks about a time.
/// Words about money in general ("nie stać mnie na opłaty", "I can't pay my rent") are not among
/// them: those are needs, not the price of a visit.
const COST: &[&str] = &[
    "za darmo",
    "darmo",
    "koszt",
    "kosztuj",
    "platne",
    "platna",
    "platny",
    "odplatn",
    "bezplatn",
    "nieodplatn",
    "trzeba placic",
    "trzeba zaplacic",
    "ile place",
    "ile zaplac",
    "cost",
    "costs",
    "price",
    "fee",
    "fees",
    "it free",
    "this free",
    "that free",
    "for free",
    "free of charge",
    "do i pay",
    "have to pay",
    // Ukrainian and Russian, as folded.
    "koshtu",
    "bezkosht",
    "bezoplatn",
    "platno",
    "stoimost",
];
/// Longer words that may stand around a cost word in a question about "it" (the visit, the
/// advice): "ile kosztuje bilet na tramwaj" names something else and is not about a visit.
const COST_FILLERS: &[&str] = &[
    "wizyta",
    "wizyte",
    "porada",
    "porade",
    "pomoc",
    "naprawde",
    "trzeba",
    "musze",
    "charge",
    "really",
    "visit",
    "advice",
    "anything",
    "something",
    "skilki",
    "skolko",
    "naspravdi",
];

/// Whether a visit must be booked: answered with the places that take bookings, never starting
/// one (checked before the booking words).
const APPOINTMENTS: &[&str] = &[
    "bez zapis",
    "bez umawiania",
    "bez umowienia",
    "bez rejestracji",
    "bez wizyty",
    "trzeba sie umowic",
    "trzeba sie zapisac",
    "musze sie umowic",
    "musze sie zapisac",
    "need an appointment",
    "need to book",
    "have to book",
    "without an appointment",
    "without appointment",
    "walk in",
    "walk ins",
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
    // Ukrainian and Russian, as folded (Cyrillic transliterated).
    "mii zapis",
    "moia zapis",
    "moi zapis",
    "mii vizit",
    "moi vizit",
    "moia vizit",
    "skasuvati",
    "otmenit",
    "perenesti",
    "skasuvannia",
    "odwolac",
    "odwolaj",
    "przelozyc",
    "przeloz",
    "zmien termin",
    "zmien mi termin",
    "nie dam rady przyjsc",
    "nie moge przyjsc",
    "cant come",
    "can t come",
    "cannot come",
    "move it",
    "moyi zapis",
    "moyi vizit",
    "mii prii",
    "moi priem",
    "skasui",
    "skasuv",
    "vidmin",
    "otmen",
    "otmin",
    "moi prii",
    "nie przyjde",
    "nie bede mogl",
    "nie bede mogla",
    "perenes",
];
/// Words that make a text a question (whole words, folded). Names never contain them, while
/// place names can be surnames (Lis, Sala, Kasprowicz): so these, not the topics, tell a
/// question typed at the name step from a name.
const QUESTION_WORDS: &[&str] = &[
    "kiedy", "gdzie", "jak", "czy", "ile", "co", "jaki", "jaka", "jakie", "ktory", "ktora",
    "ktore", "dlaczego", "czemu", "skad", "dokad", "when", "where", "how", "what", "why", "which",
    "who", "is", "are", "can", "do", "does", "koli", "de", "iak", "shcho", "chi", "kogda", "gde",
    "kak", "chto", "li",
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
    thanks: Vocabulary,
    book: Vocabulary,
    my_visits: Vocabulary,
    appointments: Vocabulary,
    privacy: Vocabulary,
    bring: Vocabulary,
    cost: Vocabulary,
    dates: dates::Dates,
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
        for need in &directory.needs {
            targets.push((
                Topic::Need(need.key.clone()),
                need.keywords.iter().map(|k| Phrase::new(k)).collect(),
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
            thanks: Vocabulary::new(THANKS),
            book: Vocabulary::new(BOOK),
            my_visits: Vocabulary::new(MY_VISITS),
            appointments: Vocabulary::new(APPOINTMENTS),
            privacy: Vocabulary::new(PRIVACY),
            bring: Vocabulary::new(BRING),
            cost: Vocabulary::new(COST),
            dates: dates::Dates::new(),
        }
    }

    pub fn understand(&self, text: &str) -> Question {
        let words = words::split(text);
        let when = self.dates.when(text, &words);
        if let Some((_, crisis)) = best_of(&self.crises, &words, |_| true) {
            return Question {
                topic: Some(crisis.clone()),
                centre: None,
                aspect: Aspect::Overview,
                when,
                book: false,
            };
        }
        if self.privacy.score(&words) > 0 {
            return Question {
                topic: Some(Topic::Privacy),
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
        if self.appointments.score(&words) > 0 {
            return Question {
                topic: Some(Topic::Appointments),
                centre: None,
                aspect: Aspect::Overview,
                when,
                book: false,
            };
        }
        let best = |kind: fn(&Topic) -> bool| best_of(&self.targets, &words, kind);
        // A cost word names no place: "чи це безкоштовно" is not the free legal aid point (whose
        // keywords say "free"), "ile kosztuje prawnik" still is the lawyer.
        let priced: Vec<String> = words
            .iter()
            .filter(|word| self.cost.score(std::slice::from_ref(*word)) == 0)
            .cloned()
            .collect();
        let place = best_of(&self.targets, &priced, |t| matches!(t, Topic::Place(_)));
        let centre = best(|t| matches!(t, Topic::Centre(_)));
        let centre_key = centre.and_then(|(_, t)| match t {
            Topic::Centre(key) => Some(key.clone()),
            _ => None,
        });

        let ngo = self.ngo.score(&words);
        let documents = self.documents.score(&words);
        let services = self.services.score(&words);
        // A need loses to a centre named as well ("centrum pracy socjalnej" is not job seeking).
        let centre_score = centre.map(|(s, _)| s).unwrap_or(0);
        let need = best(|t| matches!(t, Topic::Need(_))).filter(|(s, _)| *s > centre_score);
        let greeting = self.greeting.score(&words);
        // A place found only through a typo ("dzieki" for "dzieci") loses to a greeting typed right.
        let place = place.filter(|(score, _)| score % 2 == 0 || *score > greeting);
        let place_score = place.map(|(s, _)| s).unwrap_or(0);
        let need_score = need.map(|(s, _)| s).unwrap_or(0);
        // "jakie dokumenty do prawnika": what to bring to that place, not the NGO documents.
        let wants_bring = self.bring.score(&words) > 0;
        let bring = (documents > 0 || wants_bring) && place.is_some() && ngo == 0;
        let wants_cost = self.cost.score(&words) > 0;
        if wants_bring && place.is_none() && ngo == 0 {
            return Question {
                topic: Some(Topic::Bring),
                centre: None,
                aspect: Aspect::Bring,
                when,
                book: false,
            };
        }
        let topic = if documents > 0 && documents >= place_score && !bring {
            Some(Topic::Documents)
        } else if ngo > 0 && ngo >= place_score {
            Some(Topic::NgoOffer)
        } else if let Some((_, place)) = place.filter(|_| place_score >= need_score) {
            Some(place.clone())
        } else if services > 0 && services >= need_score {
            Some(Topic::Services)
        } else if let Some((_, need)) = need {
            Some(need.clone())
        } else if services > 0 {
            Some(Topic::Services)
        } else if let Some(key) = &centre_key {
            Some(Topic::Centre(key.clone()))
        } else if wants_cost && self.only_about_cost(&words) {
            // "a to jest za darmo?" with nothing named: the places that take bookings.
            Some(Topic::Cost)
        } else if self.contact.score(&words) > 0 || self.address.score(&words) > 0 {
            Some(Topic::Contacts)
        } else if self.thanks.score(&words) > 0 {
            Some(Topic::Thanks)
        } else if greeting > 0 {
            Some(Topic::Greeting)
        } else if self.hours.score(&words) > 0 || self.open.score(&words) > 0 || when.is_some() {
            // "what is open today?" without a place: the centres' hours.
            Some(Topic::Contacts)
        } else if is_emoji_only(text) {
            // Only emoji: a nod ("👍", "🙂") is thanks; any other ("😡", "🤷") is met as a
            // greeting is, with what the bot can help with.
            if is_thanks_emoji(text) {
                Some(Topic::Thanks)
            } else {
                Some(Topic::Greeting)
            }
        } else {
            None
        };

        let aspect = if bring {
            Aspect::Bring
        } else if self.address.score(&words) > 0 {
            Aspect::Address
        } else if self.contact.score(&words) > 0 {
            Aspect::Contact
        } else if when == Some(When::Now)
            || (self.open.score(&words) > 0
                && self.hours.score(&words) == 0
                && matches!(when, None | Some(When::Today))
                && !names_a_time(&words))
        {
            Aspect::OpenNow
        } else if self.hours.score(&words) > 0
            || self.open.score(&words) > 0
            || when.is_some()
            || names_a_time(&words)
        {
            Aspect::Hours
        } else if wants_cost && (place.is_some() || topic == Some(Topic::Cost)) {
            // Last: "nieodpłatna pomoc prawna, godziny" asks for the hours of the point so named.
            Aspect::Cost
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

    /// Whether every word is a cost word, a short one ("a", "to", "jest", "is", "it") or one that
    /// may stand with them: nothing else is named whose price is asked.
    fn only_about_cost(&self, words: &[String]) -> bool {
        words.iter().all(|word| {
            word.chars().count() <= 4
                || COST_FILLERS.contains(&word.as_str())
                || self.cost.score(std::slice::from_ref(word)) > 0
        })
    }

    /// The day `text` names, if any ("środa", "30.11", "jutro").
    pub fn when(&self, text: &str) -> Option<When> {
        self.dates.when(text, &words::split(text))
    }

    /// The words of danger or crisis in `text`, if any (the directory's `[[crisis]]` key).
    pub fn crisis(&self, text: &str) -> Option<&str> {
        let words = words::split(text);
        match best_of(&self.crises, &words, |_| true) {
            Some((_, Topic::Crisis(key))) => Some(key),
            _ => None,
        }
    }
}

/// A clock time named ("o 17", "po 15", "at 5", "after 3"): a question about hours.
fn names_a_time(words: &[String]) -> bool {
    words.windows(2).any(|pair| {
        ["o", "po", "przed", "at", "after", "before", "until"].contains(&pair[0].as_str())
            && pair[1]
                .parse::<u32>()
                .is_ok_and(|hour| (1..=24).contains(&hour))
    })
}

/// Emoji and nothing else: no letter or digit, and at least one sign beyond ASCII punctuation.
/// Emoji that say thanks or nod: hands, hearts, smiles.
const THANKS_EMOJI: &[char] = &[
    '👍', '👌', '🙏', '👏', '🤝', '💪', '✅', '✔', '🙂', '😊', '😀', '😃', '😄', '😁', '☺', '😉',
    '🤗', '😍', '🥰', '😘', '❤', '🧡', '💛', '💚', '💙', '💜', '🤍', '💖', '💗', '💕', '🌷', '🌹',
    '💐', '🌸', '👋',
];

/// Whether every emoji in an emoji-only message is one of thanks (skin tones, the emoji
/// variation selector and joiners aside).
fn is_thanks_emoji(text: &str) -> bool {
    text.chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '\u{fe0f}' | '\u{fe0e}' | '\u{200d}' | '\u{1f3fb}'..='\u{1f3ff}'
                )
        })
        .all(|c| THANKS_EMOJI.contains(&c))
}

fn is_emoji_only(text: &str) -> bool {
    !text.chars().any(char::is_alphanumeric)
        && text
            .chars()
            .any(|c| !c.is_ascii() && !c.is_whitespace() && !c.is_alphanumeric())
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

//! The directory: the centres, their service points, clubs and activities, with hours and
//! descriptions in both languages. Plain data, loaded once from a TOML file (the Chorzów one is
//! embedded) and held in memory, so that hours and addresses are served even without the database.

mod file;

use crate::{
    booking::BookingRules,
    hours::{Exception, Schedule, Timetable},
};
pub use file::DirectoryError;

/// The shipped directory of Chorzów.
pub const CHORZOW: &str = include_str!("../../deploy/directory/chorzow.toml");

pub use crate::i18n::Text;

#[derive(Clone, Debug)]
pub struct Centre {
    pub key: String,
    pub short: Text,
    pub name: Text,
    pub description: Option<Text>,
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    /// Latitude and longitude, for a map pin; only where the data gives them.
    pub coordinates: Option<(f64, f64)>,
    pub who: Option<Text>,
    pub how: Option<Text>,
    pub hours: Schedule,
    pub keywords: Vec<String>,
    pub offer_residents: Vec<Text>,
    pub offer_ngo: Vec<Text>,
    pub ngo_how: Option<Text>,
    pub documents: Vec<Text>,
    /// Residents may subscribe to its announcements.
    pub news: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    /// A service point with its own hours (legal aid, mediation, counselling).
    Point,
    /// A club or room housed in a centre's building.
    Club,
    /// An activity or programme; the pages give no hours.
    Activity,
}

#[derive(Clone, Debug)]
pub struct Place {
    pub key: String,
    /// The key of the centre it belongs to (and whose address it has).
    pub centre: String,
    pub kind: PlaceKind,
    pub name: Text,
    /// The name on a button; the full name when the file gives no short one.
    pub short: Text,
    pub description: Text,
    pub hours: Schedule,
    pub keywords: Vec<String>,
    /// How it is booked, for the places that take bookings.
    pub booking: Option<BookingRules>,
    /// Residents may subscribe to its announcements.
    pub news: bool,
}

/// Words of danger or crisis, and what to say first when they are typed: emergency numbers and
/// helplines, then the centre that helps in office hours.
#[derive(Clone, Debug)]
pub struct Crisis {
    pub key: String,
    pub text: Text,
    /// The key of the centre that helps in office hours.
    pub centre: String,
    pub keywords: Vec<String>,
}

/// An everyday need typed in a person's own words ("szukam pracy", "zasiłek", "I need help"),
/// and the places and centres that meet it (another city's file brings its own).
#[derive(Clone, Debug)]
pub struct Need {
    pub key: String,
    pub keywords: Vec<String>,
    /// Said first, where the file gives it.
    pub text: Option<Text>,
    pub places: Vec<String>,
    pub centres: Vec<String>,
}

/// Who holds the personal data the bot stores, and whom a person asks about it (a centre of the
/// file, with its phone and e-mail). Optional: without it the bot names each centre's phone.
#[derive(Clone, Debug)]
pub struct Privacy {
    pub controller: Text,
    pub address: Option<String>,
    /// The key of the centre that answers questions about the data.
    pub contact: String,
}

#[derive(Clone, Debug)]
pub struct Directory {
    pub city: Text,
    pub centres: Vec<Centre>,
    pub places: Vec<Place>,
    pub crises: Vec<Crisis>,
    pub needs: Vec<Need>,
    pub privacy: Option<Privacy>,
}

impl Directory {
    /// The shipped Chorzów directory.
    pub fn chorzow() -> Result<Self, DirectoryError> {
        Self::parse(CHORZOW, "deploy/directory/chorzow.toml")
    }

    /// Reads and checks a directory file; `origin` names it in errors.
    pub fn parse(source: &str, origin: &str) -> Result<Self, DirectoryError> {
        file::parse(source, origin)
    }

    /// Reads a directory file from disk.
    pub fn load(path: &std::path::Path) -> Result<Self, DirectoryError> {
        let origin = path.display().to_string();
        let source = std::fs::read_to_string(path).map_err(|error| DirectoryError {
            origin: origin.clone(),
            line: None,
            field: String::new(),
            problem: format!("cannot be read ({error}); OKIENKO_DIRECTORY names it"),
        })?;
        Self::parse(&source, &origin)
    }

    pub fn need(&self, key: &str) -> Option<&Need> {
        self.needs.iter().find(|n| n.key == key)
    }

    pub fn crisis(&self, key: &str) -> Option<&Crisis> {
        self.crises.iter().find(|c| c.key == key)
    }

    pub fn centre(&self, key: &str) -> Option<&Centre> {
        self.centres.iter().find(|c| c.key == key)
    }

    pub fn place(&self, key: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.key == key)
    }

    pub fn places_of<'a>(&'a self, centre: &'a str) -> impl Iterator<Item = &'a Place> + 'a {
        self.places.iter().filter(move |p| p.centre == centre)
    }

    /// The centre a place belongs to (validated to exist when the file was read).
    pub fn centre_of(&self, place: &Place) -> Option<&Centre> {
        self.centre(&place.centre)
    }

    pub fn centre_timetable<'a>(
        &self,
        centre: &'a Centre,
        exceptions: &'a [Exception],
    ) -> Timetable<'a> {
        Timetable {
            schedule: &centre.hours,
            keys: vec![centre.key.as_str()],
            exceptions,
        }
    }

    /// A place's hours; closures of its centre close it too.
    pub fn place_timetable<'a>(
        &self,
        place: &'a Place,
        exceptions: &'a [Exception],
    ) -> Timetable<'a> {
        Timetable {
            schedule: &place.hours,
            keys: vec![place.key.as_str(), place.centre.as_str()],
            exceptions,
        }
    }

    /// The places that take bookings, in the file's order.
    pub fn bookable(&self) -> impl Iterator<Item = (&Place, &BookingRules)> {
        self.places
            .iter()
            .filter_map(|p| Some((p, p.booking.as_ref()?)))
    }

    /// Whether `key` names a centre or a place (exceptions in the database are checked with it).
    pub fn knows(&self, key: &str) -> bool {
        self.centre(key).is_some() || self.place(key).is_some()
    }
}

//! The contact details a booking needs, parsed once from what the person typed or shared.

use std::fmt;

/// A stored value that no longer reads as what it should be (a name, a phone number).
#[derive(Debug, thiserror::Error)]
#[error("a stored {0} does not read as one")]
pub struct Unreadable(&'static str);

/// A person's name as they gave it: 2 to 80 characters, with at least one letter. Stored and read
/// back (database, dialogue state) as the text, checked again on the way in.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Name(String);

impl TryFrom<String> for Name {
    type Error = Unreadable;

    /// A stored name reads back if it has the shape of a name (length, letters, no digits or
    /// control characters): it was checked on the way in, and a word added later to the replies
    /// that are never a name ("no tak") must not make an old visit unreadable. The empty text is a
    /// name erased (by `/forget`, or by age).
    fn try_from(text: String) -> Result<Self, Unreadable> {
        if text.is_empty() || Name::shaped(&text).is_ok() {
            Ok(Name(text))
        } else {
            Err(Unreadable("name"))
        }
    }
}

impl From<Name> for String {
    fn from(name: Name) -> String {
        name.0
    }
}

/// Replies that are never a name, typed where one is asked for (folded: no case, no Polish
/// letters, no punctuation).
const NOT_NAMES: &[&str] = &[
    "nie wiem",
    "nie",
    "tak",
    "ok",
    "okej",
    "dobrze",
    "halo",
    "hej",
    "czesc",
    "dziekuje",
    "dzieki",
    "nie mam",
    "yes",
    "no",
    "hello",
    "hi",
    "thanks",
    "thank you",
    "dont know",
    "don t know",
    "i dont know",
    "i don t know",
    "not sure",
    "no tak",
    "no dobrze",
    "no nie",
];

/// Why a text is not taken as a name, so the person can be told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotAName {
    /// Longer than [`Name::MAX_CHARS`].
    TooLong,
    /// Digits: probably a phone number typed one step early.
    Digits,
    /// Anything else: too short, no letters, a reply such as "nie wiem", an e-mail address.
    Other,
}

impl Name {
    pub const MAX_CHARS: usize = 80;

    pub fn parse(text: &str) -> Option<Name> {
        Name::check(text).ok()
    }

    /// The name in `text`, or why it is not one. Invisible characters that only steer how text
    /// is shown (direction overrides, zero-width spaces and joiners, the byte-order mark) are
    /// taken out first: a name shown to the staff reads as it is stored.
    pub fn check(text: &str) -> Result<Name, NotAName> {
        let visible: String = text.chars().filter(|c| !is_invisible(*c)).collect();
        let name: String = visible.split_whitespace().collect::<Vec<_>>().join(" ");
        Name::shaped(&name)?;
        let folded = crate::fold::fold(&name);
        let reply = NOT_NAMES.contains(
            &folded
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .as_str(),
        )
            // A yes or a no ("no tak", "zgadzam się", "так", "ні"), as a consent is read.
            || crate::understanding::replies::reply(&name).is_some();
        if reply {
            Err(NotAName::Other)
        } else {
            Ok(Name(name))
        }
    }

    /// The shape of a name: 2 to [`Name::MAX_CHARS`] characters, a letter, no digits, no control
    /// characters, no `/`, `@` or `?`.
    fn shaped(name: &str) -> Result<(), NotAName> {
        let length = name.chars().count();
        if length > Name::MAX_CHARS {
            return Err(NotAName::TooLong);
        }
        if name.chars().any(|c| c.is_ascii_digit()) {
            return Err(NotAName::Digits);
        }
        let ok = length >= 2
            && name.chars().any(char::is_alphabetic)
            && !name.chars().any(|c| c.is_control() || "/@?".contains(c));
        if ok {
            Ok(())
        } else {
            Err(NotAName::Other)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A character that changes how the text around it is shown, or is not shown at all: the bidi
/// marks, embeddings, overrides and isolates, the zero-width space, joiners and word joiner, the
/// soft hyphen and the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// A phone number the staff can call: a Polish one (nine digits, with or without +48) or an
/// international one (+ and 8 to 15 digits). Kept as +CC digits; shown grouped.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl TryFrom<String> for Phone {
    type Error = Unreadable;

    /// The empty text is a number erased (by `/forget`, or by age): it reads back as such.
    fn try_from(text: String) -> Result<Self, Unreadable> {
        if text.is_empty() {
            return Ok(Phone(text));
        }
        Phone::parse(&text).ok_or(Unreadable("phone number"))
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> String {
        phone.0
    }
}

impl Phone {
    pub fn parse(text: &str) -> Option<Phone> {
        let trimmed = without_label(text.trim());
        if trimmed.is_empty() || trimmed.len() > 32 {
            return None;
        }
        let allowed = trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || " -().+".contains(c));
        let plus = trimmed.starts_with('+');
        if !allowed || trimmed.chars().skip(1).any(|c| c == '+') {
            return None;
        }
        let mut digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        if !plus && digits.starts_with("00") {
            digits.drain(..2);
            return Self::international(&digits);
        }
        if plus {
            return Self::international(&digits);
        }
        if digits.len() == 11 && digits.starts_with("48") {
            digits.drain(..2);
        }
        // A Polish number: nine digits, not starting with 0.
        (digits.len() == 9 && !digits.starts_with('0')).then(|| Phone(format!("+48{digits}")))
    }

    fn international(digits: &str) -> Option<Phone> {
        if let Some(national) = digits.strip_prefix("48") {
            return (national.len() == 9 && !national.starts_with('0'))
                .then(|| Phone(format!("+48{national}")));
        }
        ((8..=15).contains(&digits.len()) && !digits.starts_with('0'))
            .then(|| Phone(format!("+{digits}")))
    }

    /// `+48600100200`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// "tel. 600 100 200", "nr: 600100200", "phone 600…": the number without the word before it.
fn without_label(text: &str) -> &str {
    const LABELS: &[&str] = &[
        "telefon", "tel", "numer", "nr", "phone", "mobile", "komórka", "komorka",
    ];
    let lower = text.to_lowercase();
    for label in LABELS {
        if lower.starts_with(label) && text.is_char_boundary(label.len()) {
            let rest = text[label.len()..].trim_start_matches(['.', ':', ' ']);
            if rest.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '(') {
                return rest.trim();
            }
        }
    }
    text
}

/// The two-digit area codes of Polish landlines: a number starting so is grouped as a landline.
const LANDLINE_AREAS: &[&str] = &[
    "12", "13", "14", "15", "16", "17", "18", "22", "23", "24", "25", "29", "32", "33", "34", "41",
    "42", "43", "44", "46", "48", "52", "54", "55", "56", "58", "59", "61", "62", "63", "65", "67",
    "68", "71", "74", "75", "76", "77", "81", "82", "83", "84", "85", "86", "87", "89", "91", "94",
    "95",
];

impl fmt::Display for Phone {
    /// Polish mobiles as `+48 600 100 200`, landlines as `+48 32 241 26 46`; others as given.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.strip_prefix("+48") {
            Some(n) if n.len() == 9 && n.is_ascii() && LANDLINE_AREAS.contains(&&n[..2]) => {
                write!(f, "+48 {} {} {} {}", &n[..2], &n[2..5], &n[5..7], &n[7..])
            }
            Some(n) if n.len() == 9 && n.is_ascii() => {
                write!(f, "+48 {} {} {}", &n[..3], &n[3..6], &n[6..])
            }
            _ => f.write_str(&self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_erased_name_and_number_read_back_but_are_never_typed() {
        let name = Name::try_from(String::new()).expect("an erased name reads back");
        let phone = Phone::try_from(String::new()).expect("an erased number reads back");
        assert_eq!((name.as_str(), phone.to_string().as_str()), ("", ""));
        assert_eq!(Name::parse(""), None);
        assert_eq!(Phone::parse(""), None);
        assert!(Name::try_from("x".to_owned()).is_err());
        assert!(Name::try_from("1234".to_owned()).is_err());
        assert!(Name::try_from("Jan\u{0}Kowalski".to_owned()).is_err());
    }

    #[test]
    fn a_stored_name_reads_back_whatever_rule_was_added_since() {
        // "no tak" was once taken as a name; it is refused when typed now, yet an old visit
        // holding it must still read.
        assert!(Name::parse("no tak").is_none());
        let old = Name::try_from("no tak".to_owned()).expect("a stored name reads back");
        assert_eq!(old.as_str(), "no tak");
    }

    #[test]
    fn polish_and_international_numbers_are_accepted_in_the_usual_forms() {
        let cases = [
            ("600 100 200", "+48 600 100 200"),
            ("600-100-200", "+48 600 100 200"),
            ("+48 600100200", "+48 600 100 200"),
            ("0048 600 100 200", "+48 600 100 200"),
            ("48600100200", "+48 600 100 200"),
            ("32 241 26 46", "+48 32 241 26 46"),
            ("(32) 241-26-46", "+48 32 241 26 46"),
            ("tel 600100200", "+48 600 100 200"),
            ("Tel.: 600 100 200", "+48 600 100 200"),
            ("nr 32 307 53 29", "+48 32 307 53 29"),
            ("+49 30 1234567", "+49301234567"),
            ("+380 44 123 4567", "+380441234567"),
        ];
        for (typed, shown) in cases {
            let phone = Phone::parse(typed).unwrap_or_else(|| panic!("{typed:?} refused"));
            assert_eq!(phone.to_string(), shown, "{typed:?}");
        }
    }

    #[test]
    fn invisible_characters_are_taken_out_of_a_name() {
        let cases = [
            ("\u{202E}Anna Kowalska", "Anna Kowalska"),
            ("Anna\u{200B} Kowal\u{2066}ska\u{2069}", "Anna Kowalska"),
            (
                "\u{FEFF}Jan\u{200D}\u{200C} Nowak\u{200F}\u{200E}",
                "Jan Nowak",
            ),
            ("Ola\u{202A}\u{202B}\u{202C}\u{202D}", "Ola"),
            ("Олена\u{2067}\u{2068} Шевченко", "Олена Шевченко"),
        ];
        for (typed, stored) in cases {
            let name = Name::parse(typed).unwrap_or_else(|| panic!("{typed:?} refused"));
            assert_eq!(name.as_str(), stored, "{typed:?}");
        }
        // Nothing but invisible characters and one letter is no name.
        assert!(Name::parse("\u{200B}A\u{200B}\u{202E}").is_none());
        // Control characters (other than line breaks and tabs, which are spaces) are refused.
        for typed in ["Anna\u{0007}Kowalska", "Anna\u{001B}[31m", "Jan\u{0000}"] {
            assert!(Name::parse(typed).is_none(), "{typed:?}");
        }
        assert_eq!(
            Name::parse("Anna\n\tKowalska").map(|n| n.as_str().to_owned()),
            Some("Anna Kowalska".into())
        );
    }

    #[test]
    fn replies_that_are_never_names_are_refused() {
        for typed in [
            "nie wiem",
            "Nie wiem.",
            "tak",
            "OK",
            "I don't know",
            "dziękuję",
        ] {
            assert_eq!(Name::parse(typed), None, "{typed:?}");
        }
        for typed in ["Anna Kowalska", "Olena Koval", "Jan Nie", "Ok Sun"] {
            assert!(Name::parse(typed).is_some(), "{typed:?}");
        }
    }

    #[test]
    fn other_input_is_refused() {
        for typed in [
            "",
            "12345",
            "600 100 20",
            "600 100 2000",
            "0600100200",
            "+48 600",
            "call me",
            "600100200x",
            "+4860010020+0",
            "+0012345678",
            "1".repeat(40).as_str(),
        ] {
            assert_eq!(Phone::parse(typed), None, "{typed:?}");
        }
    }

    #[test]
    fn a_name_refused_says_why() {
        assert_eq!(Name::check(&"Anna ".repeat(60)), Err(NotAName::TooLong));
        assert_eq!(Name::check("600 100 200"), Err(NotAName::Digits));
        assert_eq!(Name::check("nie wiem"), Err(NotAName::Other));
    }

    #[test]
    fn names_need_letters_and_a_sane_length() {
        assert_eq!(
            Name::parse("  Anna   Kowalska ").map(|n| n.as_str().to_owned()),
            Some("Anna Kowalska".into())
        );
        assert!(Name::parse("Łukasz").is_some());
        for bad in [
            "",
            "A",
            "12345",
            "x".repeat(81).as_str(),
            "anna@example.org",
            "Jan\u{7}",
        ] {
            assert!(Name::parse(bad).is_none(), "{bad:?}");
        }
    }
}

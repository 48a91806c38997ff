//! A short reply read as a whole: yes, no, or neither ("no dobrze zgadzam się" is a yes: the
//! Polish "no" is a particle; "nie zgadzam się" is a no; "tak, ale…" is neither).

use super::words::split;

/// What a whole reply says to a yes-or-no question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reply {
    Yes,
    No,
}

/// Words that agree (folded: no case, no Polish letters, Cyrillic transliterated).
const AGREE: &[&str] = &[
    // Polish
    "zgadzam",
    "zgadzamy",
    "zgoda",
    "dobrze",
    "dobra",
    "ok",
    "okej",
    "oki",
    "okay",
    "tak",
    "jasne",
    "oczywiscie",
    "pewnie",
    "porzadku",
    "potwierdzam",
    // English
    "agree",
    "yes",
    "yeah",
    "yep",
    "sure",
    "fine",
    "confirm",
    // Ukrainian
    "zgodna",
    "zgoden",
    "zgodnii",
    "pogodzhuiusia",
    "pogodzhuius",
    "dobre",
    "avzhezh",
    // Russian
    "da",
    "soglasna",
    "soglasen",
    "khorosho",
    "ladno",
];

/// Words that deny: a "no" of its own, or before an agreeing word ("nie zgadzam się").
const DENY: &[&str] = &[
    "nie", "ni", "ne", "net", "not", "dont", "nope", "nah", "never",
];

/// Words that change neither ("no", "się", "I", "please", "sorry, I changed my mind").
const NEUTRAL: &[&str] = &[
    "no",
    "sie",
    "i",
    "ja",
    "w",
    "a",
    "to",
    "do",
    "chce",
    "chcem",
    "want",
    "prosze",
    "please",
    "dziekuje",
    "dzieki",
    "thanks",
    "thank",
    "you",
    "jednak",
    "raczej",
    "juz",
    "przepraszam",
    "zmienilam",
    "zmienilem",
    "zdanie",
    "sorry",
    "changed",
    "my",
    "mind",
    "well",
    "oh",
    "then",
    // Ukrainian and Russian, folded
    "ia",
    "nu",
    "vse",
    "taki",
    "vibachte",
    "vybachte",
    "probachte",
    "peredumala",
    "peredumav",
    "khochu",
    "diakuiu",
    "bud",
    "laska",
    "izvinite",
    "spasibo",
    "peredumal",
];

/// What a whole reply says: every word must be one of agreeing, denying or neutral words, and
/// then it is a yes when it agrees and denies nothing, a no when it denies and agrees to nothing
/// (an agreeing word right after a denying one is denied: "nie zgadzam się", "не згодна"). A lone "no"
/// is the English no. Anything else (a question, "tak, ale…") is neither.
pub fn reply(text: &str) -> Option<Reply> {
    let words = split(text);
    if words.is_empty() {
        return None;
    }
    let known = |w: &String| {
        let w = w.as_str();
        AGREE.contains(&w) || DENY.contains(&w) || NEUTRAL.contains(&w)
    };
    if !words.iter().all(known) {
        return None;
    }
    let mut agrees = false;
    let mut denies = false;
    let mut denied = false;
    for word in &words {
        let word = word.as_str();
        if DENY.contains(&word) {
            denies = true;
            denied = true;
        } else {
            agrees |= AGREE.contains(&word) && !denied;
            denied = false;
        }
    }
    match (agrees, denies) {
        (true, false) => Some(Reply::Yes),
        (false, true) => Some(Reply::No),
        // "no" alone, "no thanks": the English no.
        (false, false) if words.iter().any(|w| w == "no") => Some(Reply::No),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_reply_agrees() {
        for text in [
            "no dobrze zgadzam sie",
            "Zgadzam się.",
            "zgadzam",
            "no tak",
            "tak",
            "OK",
            "I agree",
            "yes please",
            "згодна",
            "Так, погоджуюся",
            "добре",
            "Вибачте, я передумала. Я згодна",
            "jednak sie zgadzam",
            "да",
        ] {
            assert_eq!(reply(text), Some(Reply::Yes), "{text}");
        }
    }

    #[test]
    fn a_whole_reply_refuses() {
        for text in [
            "nie",
            "Nie.",
            "nie zgadzam sie",
            "nie chcę",
            "no",
            "no thanks",
            "I don't agree",
            "ні",
            "не згодна",
            "нет",
        ] {
            assert_eq!(reply(text), Some(Reply::No), "{text}");
        }
    }

    #[test]
    fn anything_else_is_neither() {
        for text in [
            "tak ale nie wiem co to znaczy",
            "nie, jednak tak",
            "a mozna zeby w przypomnieniu nie bylo napisane ze do prawnika?",
            "Anna Kowalska",
            "",
            "?",
        ] {
            assert_eq!(reply(text), None, "{text}");
        }
    }
}

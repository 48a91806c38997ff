//! Words and keyword phrases: folding, splitting, and tolerant matching.

pub use crate::fold::fold;

pub fn split(text: &str) -> Vec<String> {
    fold(text).split_whitespace().map(str::to_owned).collect()
}

/// Typos are forgiven in crisis keywords from this length on.
const CRISIS_TYPO_FROM: usize = 7;
/// Typos are forgiven in directory keywords from this length on.
const TYPO_FROM: usize = 5;
/// And in the question words (gdzie, kiedy, godzin…) from this length: short common words would
/// otherwise swallow others ("gdzie" with one typo is "dzien").
const VOCABULARY_TYPO_FROM: usize = 6;

/// How well one typed word matches one keyword stem: 0 for no match, more for a better one.
/// `short_ending`: how many letters may follow a stem of three letters or fewer.
fn word_score(word: &str, stem: &str, typo_from: usize, short_ending: usize) -> usize {
    // Most pairs differ from the first letter: nothing below can match them (and counting the
    // stem's letters for each was the largest cost of understanding a question). Their first
    // bytes are compared, not their prefixes: a comparison of memory for each pair was 4 % of
    // the bot's CPU a question in the load bench. Every match below begins with the same letter,
    // so with the same byte; a letter of several bytes is told apart below.
    if word.as_bytes().first() != stem.as_bytes().first() {
        return 0;
    }
    let len = stem.chars().count();
    if len <= 3 {
        // Short stems (cps, kis, zup) match only the word itself or a short ending.
        return if word.starts_with(stem) && word.chars().count() <= len + short_ending {
            len
        } else {
            0
        };
    }
    if word.starts_with(stem) {
        return len * 2;
    }
    // A typo is forgiven past the first letter: people rarely mistype it, and a first letter
    // dropped would make "potwierdzam" a typo of "otwier".
    if len >= typo_from && word.chars().next() == stem.chars().next() {
        // The word's beginnings of one letter fewer to one letter more than the stem.
        let typo = (word.char_indices().map(|(at, _)| at))
            .chain([word.len()])
            .skip(len - 1)
            .take(3)
            .any(|end| within_one_edit(&word[..end], stem));
        if typo {
            return len * 2 - 1;
        }
    }
    0
}

/// Whether `a` is at most one edit from `b` (a letter changed, added or dropped, or two
/// neighbours swapped): `osa_distance(a, b) <= 1`, without allocating. Any one edit can be taken
/// at the first letter where the two differ.
fn within_one_edit(a: &str, b: &str) -> bool {
    let (mut x, mut y) = (a.chars(), b.chars());
    while let (Some(p), Some(q)) = (x.clone().next(), y.clone().next()) {
        if p != q {
            break;
        }
        x.next();
        y.next();
    }
    let (a, b) = (x.as_str(), y.as_str());
    fn tail(s: &str) -> &str {
        let mut chars = s.chars();
        chars.next();
        chars.as_str()
    }
    let (a_tail, b_tail) = (tail(a), tail(b));
    if a == b
        || (!a.is_empty() && !b.is_empty() && a_tail == b_tail)
        || (!a.is_empty() && a_tail == b)
        || (!b.is_empty() && a == b_tail)
    {
        return true;
    }
    let (mut x, mut y) = (a.chars(), b.chars());
    matches!(
        (x.next(), x.next(), y.next(), y.next()),
        (Some(p1), Some(p2), Some(q1), Some(q2)) if p1 == q2 && p2 == q1 && x.as_str() == y.as_str()
    )
}

/// A keyword of one or more stems, matched against consecutive words.
pub struct Phrase {
    stems: Vec<String>,
    typo_from: usize,
    short_ending: usize,
}

impl Phrase {
    /// A directory keyword.
    pub fn new(keyword: &str) -> Self {
        Phrase {
            stems: split(keyword),
            typo_from: TYPO_FROM,
            short_ending: 2,
        }
    }

    /// A directory keyword of danger or crisis: a false alarm would answer an everyday question
    /// with emergency numbers, so typos are forgiven only in long words (`samobujcze`, not
    /// `posilki` for `pobil`).
    pub fn crisis(keyword: &str) -> Self {
        Phrase {
            stems: split(keyword),
            typo_from: CRISIS_TYPO_FROM,
            short_ending: 2,
        }
    }

    /// A word of the vocabulary (question words, days): short ones only as themselves ("now" is
    /// not "Nowak", "ok" is not "oko").
    pub fn vocabulary(keyword: &str) -> Self {
        Phrase {
            stems: split(keyword),
            typo_from: VOCABULARY_TYPO_FROM,
            short_ending: 0,
        }
    }

    pub fn score(&self, words: &[String]) -> usize {
        let n = self.stems.len();
        if n == 0 || words.len() < n {
            return 0;
        }
        words
            .windows(n)
            .map(|window| {
                let mut sum = 0;
                for (w, s) in window.iter().zip(&self.stems) {
                    match word_score(w, s, self.typo_from, self.short_ending) {
                        0 => return 0,
                        score => sum += score,
                    }
                }
                // A phrase of several words is worth more than its words apart.
                sum + (n - 1) * 2
            })
            .max()
            .unwrap_or(0)
    }
}

/// A set of phrases; scores the best of them.
pub struct Vocabulary(Vec<Phrase>);

impl Vocabulary {
    pub fn new(phrases: &[&str]) -> Self {
        Vocabulary(phrases.iter().map(|p| Phrase::vocabulary(p)).collect())
    }

    pub fn score(&self, words: &[String]) -> usize {
        self.0.iter().map(|p| p.score(words)).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_is_what_the_optimal_string_alignment_distance_says() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "bac",
            "abcd",
            "abdc",
            "prawn",
            "prawnik",
            "prawnk",
            "pranwik",
            "prawnika",
            "medjacje",
            "mediac",
            "mediacje",
            "otwier",
            "potwierdzam",
            "żółć",
            "zolc",
            "żółw",
            "łódź",
            "lodz",
            "pomoc",
            "pomcy",
            "opmoc",
            "poomc",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    within_one_edit(a, b),
                    strsim::osa_distance(a, b) <= 1,
                    "{a:?} and {b:?}"
                );
            }
        }
    }

    #[test]
    fn a_first_letter_that_only_shares_its_first_byte_is_not_a_typo() {
        // а and б are both 0xD0 and a second byte: the first letter still differs.
        assert_eq!(word_score("бптека", "аптека", TYPO_FROM, 2), 0);
        assert_eq!(word_score("аптеки", "аптек", TYPO_FROM, 2), 10);
        assert_eq!(word_score("аптнки", "аптеки", TYPO_FROM, 2), 11);
        assert_eq!(word_score("", "cps", TYPO_FROM, 2), 0);
        assert_eq!(word_score("cps", "", TYPO_FROM, 2), 0);
    }

    #[test]
    fn folding_removes_case_polish_letters_and_punctuation() {
        assert_eq!(
            fold("Gdzie jest ŚWIETLICA? Łódź, żółć!"),
            "gdzie jest swietlica  lodz  zolc "
        );
    }

    #[test]
    fn stems_match_inflections_and_one_typo() {
        let score = |word, stem| word_score(word, stem, TYPO_FROM, 2);
        assert!(score("prawnika", "prawn") > 0);
        assert!(score("prawnej", "prawn") > 0);
        assert!(score("medjacje", "mediac") > 0);
        assert!(score("prawnk", "prawnik") > 0);
        assert!(score("pracownik", "prawnik") == 0);
        assert!(
            score("listopada", "lis") == 0,
            "short stems need the word itself"
        );
        assert!(score("cps", "cps") > 0);
        assert!(score("zupa", "zup") > 0);
        assert!(word_score("dzien", "gdzie", VOCABULARY_TYPO_FROM, 0) == 0);
        assert!(word_score("godzny", "godzin", VOCABULARY_TYPO_FROM, 0) > 0);
        assert!(word_score("potwierdzam", "otwier", VOCABULARY_TYPO_FROM, 0) == 0);
        assert!(word_score("nowak", "now", VOCABULARY_TYPO_FROM, 0) == 0);
        assert!(word_score("now", "now", VOCABULARY_TYPO_FROM, 0) > 0);
    }

    #[test]
    fn phrases_need_consecutive_words() {
        let phrase = Phrase::new("porad prawn");
        assert!(phrase.score(&split("porady prawnej")) > phrase.score(&split("prawnej")));
        assert_eq!(phrase.score(&split("prawnej porady")), 0);
    }
}

//! Typed text folded for matching: the directory's keywords are folded when the file is read,
//! and questions when they are asked, so that "zasilek" finds "zasiłek".

/// Lower case, Polish letters and other accents folded to ASCII, Cyrillic transliterated
/// (`юрист` is `iurist`), apostrophes dropped inside words (`don't` is `dont`; the soft sign and
/// the Ukrainian apostrophe as well: `сьогодні` is `sogodni`, `б'є` is `bie`), other punctuation
/// turned into spaces.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text)
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, '\'' | '`'))
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '+' {
                c
            } else {
                ' '
            }
        })
        .collect()
}

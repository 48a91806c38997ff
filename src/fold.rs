//! Typed text folded for matching: the directory's keywords are folded when the file is read,
//! and questions when they are asked, so that "zasilek" finds "zasiłek".

/// Lower case, Polish letters and other accents folded to ASCII, punctuation turned into spaces.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text)
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '+' {
                c
            } else {
                ' '
            }
        })
        .collect()
}

//! Cheap text tests run before parsing: a file that mentions none of a
//! module's words holds nothing it models and is not parsed.

/// Case-insensitive ASCII substring search for any of `words`.
pub fn mentions_any(text: &str, words: &[&str]) -> bool {
    let bytes = text.as_bytes();
    words.iter().any(|word| {
        let word = word.as_bytes();
        word.len() <= bytes.len()
            && bytes
                .windows(word.len())
                .any(|window| window.eq_ignore_ascii_case(word))
    })
}

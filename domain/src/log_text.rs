//! Text that others wrote (a mail server's reply, a folder name decoded from modified UTF-7, an
//! error that quotes them), made fit for one log line: a server that puts a line break in its
//! reply must not be able to write a log line of its own, nor colour, erase or reorder one.

use std::borrow::Cow;

/// Characters that would break, hide or reorder a log line besides the control characters:
/// Unicode's line and paragraph separators and the bidirectional formatting marks.
fn is_layout(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

fn needs_escape(c: char) -> bool {
    c == '\\' || c.is_control() || is_layout(c)
}

/// `text` with `\r`, `\n`, `\t` and the backslash written as Rust escapes (`\r`, `\n`, `\t`,
/// `\\`) and every other control, line-separating or bidirectional character as `\u{..}`;
/// borrowed unchanged when there is none. The backslash is escaped so that an escape in the
/// output always stands for the character, never for text the server sent.
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            c if needs_escape(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let text = "550 5.7.1 Message rejected – Spam détecté";
        assert!(matches!(escape_control(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn line_breaks_and_terminal_controls_become_visible_escapes() {
        assert_eq!(
            escape_control("535 no\r\nINFO forged line\n\tend"),
            "535 no\\r\\nINFO forged line\\n\\tend"
        );
        assert_eq!(
            escape_control("red \u{1b}[31m bell \u{7}"),
            "red \\u{1b}[31m bell \\u{7}"
        );
        assert_eq!(
            escape_control("nul \0 del \u{7f} c1 \u{85}"),
            "nul \\u{0} del \\u{7f} c1 \\u{85}"
        );
    }

    #[test]
    fn separators_and_bidirectional_marks_are_escaped_too() {
        assert_eq!(escape_control("a\u{2028}b"), "a\\u{2028}b");
        assert_eq!(escape_control("Inbox\u{202e}maps"), "Inbox\\u{202e}maps");
    }

    #[test]
    fn a_backslash_is_escaped_so_escapes_cannot_be_forged() {
        assert_eq!(escape_control("C:\\n"), "C:\\\\n");
        assert_ne!(escape_control("\\n"), escape_control("\n"));
    }

    proptest! {
        #[test]
        fn the_result_is_one_line_of_visible_characters(text in ".*") {
            let escaped = escape_control(&text);
            prop_assert!(!escaped.chars().any(|c| c.is_control() || is_layout(c)), "{escaped:?}");
        }

        #[test]
        fn text_without_controls_or_backslashes_is_kept(text in "[^\\\\\\p{Cc}]*") {
            prop_assume!(!text.chars().any(is_layout));
            prop_assert_eq!(escape_control(&text), text.as_str());
        }
    }
}

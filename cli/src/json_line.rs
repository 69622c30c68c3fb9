//! One JSON object per line, every value a string: all `decode` prints.

use std::fmt::Write;

/// Builds `{"k":"v",...}`.
#[derive(Default)]
pub(crate) struct JsonLine {
    text: String,
}

impl JsonLine {
    /// Appends a member; `value` is any `Display` (a decoded `Text` unescapes as it displays).
    pub(crate) fn field(&mut self, key: &str, value: &dyn std::fmt::Display) {
        self.text.push(if self.text.is_empty() { '{' } else { ',' });
        push_string(&mut self.text, key);
        self.text.push(':');
        push_string(&mut self.text, &value.to_string());
    }

    /// The finished line, with its newline.
    pub(crate) fn finish(mut self) -> String {
        if self.text.is_empty() {
            self.text.push('{');
        }
        self.text.push_str("}\n");
        self.text
    }
}

/// A JSON string: `"` and `\` escaped, `\n` and `\t` by name, other control characters as
/// `\u00XX`; everything else (non-ASCII included) as it is.
fn push_string(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_only_what_json_requires() {
        let mut line = JsonLine::default();
        line.field("name", &"a\"b\\c\nd\te\u{1}f/Ї😀");
        assert_eq!(line.finish(), "{\"name\":\"a\\\"b\\\\c\\nd\\te\\u0001f/Ї😀\"}\n");
    }
}

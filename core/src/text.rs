//! [`Text`] (also at the crate root): a borrowed field value that is still escaped, unescaped
//! lazily and without allocating, and the helpers that read it: its [`Dialect`], the
//! [`Fragments`] and [`Chars`] iterators, and [`BufferTooSmall`].
//!
//! ```
//! use smsc_codec::text::{Dialect, Fragment};
//! use smsc_codec::{decode, Endpoint, Fmt};
//!
//! let body = br#"[{"phone": "1", "name": "Iv\u0061n"}]"#;
//! let name = decode::contacts(body, Fmt::Json, Endpoint::Phones)?.next().unwrap()?.name.unwrap();
//! assert_eq!(name.dialect(), Dialect::Json);
//! assert_eq!(name, "Ivan");                       // compared unescaped
//! let parts: Vec<_> = name.fragments().collect();
//! assert_eq!(parts, [Fragment::Literal("Iv"), Fragment::Escaped('a'), Fragment::Literal("n")]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;

/// How the raw text of a [`Text`] is escaped.
///
/// ```
/// use smsc_codec::text::Dialect;
/// use smsc_codec::{decode, Endpoint, Fmt};
///
/// let body = b"<list><contact><phone>1</phone><name>A &amp; B</name><tags>x</tags></contact></list>";
/// let contact = decode::contacts(body, Fmt::Xml, Endpoint::Phones)?.next().unwrap()?;
/// assert_eq!(contact.name.unwrap().dialect(), Dialect::Xml);   // holds an escape
/// assert_eq!(contact.tags.unwrap().dialect(), Dialect::Plain);  // the raw text is the value
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// No escapes: the raw text is the value (fmt 0 and 1, JSON numbers).
    Plain,
    /// XML entities (`&amp; &lt; &gt; &quot; &apos;`) and character references (`&#1030;`,
    /// `&#x1F600;`); a raw CR, alone or before LF, reads as one LF (XML 1.0 section 2.11).
    Xml,
    /// JSON string escapes, surrogate pairs included.
    Json,
}

/// A field value borrowed from the body, still in its escaped form.
///
/// The decoders validate every escape before they hand out a `Text`, so reading it cannot fail:
/// it compares with `&str`, displays, iterates `char`s and unescapes into a caller buffer, all
/// without allocating.
///
/// ```
/// use smsc_codec::{decode, Endpoint, Fmt};
///
/// let body = br#"[{"phone": "79991112233", "name": "\u0406\u0432\u0430\u043d \ud83d\ude00"}]"#;
/// let contact = decode::contacts(body, Fmt::Json, Endpoint::Phones)?.next().unwrap()?;
/// let name = contact.name.unwrap();
/// assert_eq!(name, "Іван 😀");
/// assert_eq!(name.raw(), r"\u0406\u0432\u0430\u043d \ud83d\ude00");
///
/// let mut buf = [0u8; 64];
/// assert_eq!(name.unescape_into(&mut buf), Ok("Іван 😀"));
/// # Ok::<(), smsc_codec::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct Text<'a> {
    raw: &'a str,
    dialect: Dialect,
}

/// A unescaped piece of a [`Text`]: a run of literal text or one unescaped character.
///
/// ```
/// use smsc_codec::text::Fragment;
/// use smsc_codec::{decode, Fmt};
///
/// let err = decode::done(br#"{"error": "a\tb", "error_code": 1}"#, Fmt::Json).unwrap_err();
/// let parts: Vec<Fragment<'_>> = err.api().unwrap().description.unwrap().fragments().collect();
/// assert_eq!(parts, [Fragment::Literal("a"), Fragment::Escaped('\t'), Fragment::Literal("b")]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fragment<'a> {
    /// Literal text, as it stands in the body.
    Literal(&'a str),
    /// One character that was escaped in the body.
    Escaped(char),
}

/// The output buffer given to [`Text::unescape_into`] is too small.
///
/// ```
/// use smsc_codec::text::BufferTooSmall;
/// use smsc_codec::{decode, Fmt};
///
/// let err = decode::done(br#"{"error": "\u0406\u0432\u0430\u043d", "error_code": 5}"#, Fmt::Json).unwrap_err();
/// let text = err.api().unwrap().description.unwrap();
/// assert_eq!(text.unescape_into(&mut [0u8; 4]), Err(BufferTooSmall { needed: 8 }));
/// assert_eq!(text.unescape_into(&mut [0u8; 8]), Ok("Іван"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BufferTooSmall {
    /// The number of bytes the unescaped text needs.
    pub needed: usize,
}

impl fmt::Display for BufferTooSmall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "buffer too small: {} bytes needed", self.needed)
    }
}

impl core::error::Error for BufferTooSmall {}

impl<'a> Text<'a> {
    /// A plain text with no escapes.
    pub const fn plain(raw: &'a str) -> Self {
        Self { raw, dialect: Dialect::Plain }
    }

    /// A text whose escapes the decoder has already validated; in the XML or JSON dialect it
    /// holds at least one escape (or a CR, in XML).
    pub(crate) const fn escaped(raw: &'a str, dialect: Dialect) -> Self {
        Self { raw, dialect }
    }

    /// The text as it stands in the body, escapes included.
    pub const fn raw(&self) -> &'a str {
        self.raw
    }

    /// The escaping dialect of [`raw`](Self::raw).
    pub const fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Whether the value is empty (an empty raw text is an empty value in every dialect).
    pub const fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The value as a `&str` borrowed from the body, when it contains no escapes.
    ///
    /// The decoders give a value without escapes the [`Dialect::Plain`], so this is `Some` for
    /// exactly the plain texts.
    pub const fn as_borrowed(&self) -> Option<&'a str> {
        match self.dialect {
            Dialect::Plain => Some(self.raw),
            Dialect::Xml | Dialect::Json => None,
        }
    }

    /// The unescaped value, piece by piece.
    pub fn fragments(&self) -> Fragments<'a> {
        Fragments { rest: self.raw, dialect: self.dialect }
    }

    /// The unescaped characters.
    pub fn chars(&self) -> Chars<'a> {
        Chars { fragments: self.fragments(), literal: "".chars() }
    }

    /// The length in bytes of the unescaped UTF-8 value.
    pub fn unescaped_len(&self) -> usize {
        self.fragments()
            .map(|fragment| match fragment {
                Fragment::Literal(s) => s.len(),
                Fragment::Escaped(c) => c.len_utf8(),
            })
            .sum()
    }

    /// Writes the unescaped value into `buf` and returns it as a `&str`.
    ///
    /// When `buf` is too short nothing useful is written and the error says how many bytes
    /// are needed.
    pub fn unescape_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b str, BufferTooSmall> {
        let mut at = 0;
        let mut fits = true;
        for fragment in self.fragments() {
            let mut utf8 = [0u8; 4];
            let piece = match fragment {
                Fragment::Literal(s) => s.as_bytes(),
                Fragment::Escaped(c) => c.encode_utf8(&mut utf8).as_bytes(),
            };
            let end = at + piece.len();
            match buf.get_mut(at..end) {
                Some(out) if fits => out.copy_from_slice(piece),
                _ => fits = false,
            }
            at = end;
        }
        if !fits {
            return Err(BufferTooSmall { needed: at });
        }
        // Every piece is UTF-8 and pieces join at char boundaries.
        core::str::from_utf8(buf.get(..at).unwrap_or_default()).map_err(|_| BufferTooSmall { needed: at })
    }

    /// The unescaped value as an owned `String`, or borrowed when it has no escapes.
    #[cfg(feature = "alloc")]
    pub fn to_cow(&self) -> alloc::borrow::Cow<'a, str> {
        match self.as_borrowed() {
            Some(s) => alloc::borrow::Cow::Borrowed(s),
            None => alloc::borrow::Cow::Owned(self.chars().collect()),
        }
    }

    /// The value as an unsigned number, when it is one (surrounding spaces allowed).
    pub fn to_u64(&self) -> Option<u64> {
        let digits = self.as_borrowed()?.trim_matches(' ');
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Text(")?;
        fmt::Debug::fmt(self.raw, f)?;
        if self.dialect != Dialect::Plain {
            write!(f, ", {:?}", self.dialect)?;
        }
        f.write_str(")")
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for fragment in self.fragments() {
            match fragment {
                Fragment::Literal(s) => f.write_str(s)?,
                Fragment::Escaped(c) => fmt::Write::write_char(f, c)?,
            }
        }
        Ok(())
    }
}

impl PartialEq<str> for Text<'_> {
    fn eq(&self, other: &str) -> bool {
        if self.dialect == Dialect::Plain {
            return self.raw == other;
        }
        // Byte by byte against the unescaped pieces.
        let mut rest = other.as_bytes();
        for fragment in self.fragments() {
            let mut utf8 = [0u8; 4];
            let piece = match fragment {
                Fragment::Literal(s) => s.as_bytes(),
                Fragment::Escaped(c) => c.encode_utf8(&mut utf8).as_bytes(),
            };
            match rest.strip_prefix(piece) {
                Some(after) => rest = after,
                None => return false,
            }
        }
        rest.is_empty()
    }
}

impl PartialEq<&str> for Text<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<Text<'_>> for str {
    fn eq(&self, other: &Text<'_>) -> bool {
        other == self
    }
}

impl PartialEq<Text<'_>> for &str {
    fn eq(&self, other: &Text<'_>) -> bool {
        other == *self
    }
}

/// Two texts are equal when their unescaped values are, whatever their dialects.
impl PartialEq for Text<'_> {
    fn eq(&self, other: &Text<'_>) -> bool {
        self.chars().eq(other.chars())
    }
}

impl Eq for Text<'_> {}

#[cfg(feature = "serde")]
impl serde::Serialize for Text<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.as_borrowed() {
            Some(s) => serializer.serialize_str(s),
            None => serializer.collect_str(self),
        }
    }
}

/// The iterator of [`Text::fragments`].
///
/// ```
/// use smsc_codec::text::Fragment;
/// use smsc_codec::{decode, Endpoint, Fmt};
///
/// // Writing a value out without unescaping it into a buffer first.
/// let body = b"<list><group><id>1</id><name>R&amp;D</name></group></list>";
/// let name = decode::groups(body, Fmt::Xml, Endpoint::Phones)?.next().unwrap()?.name.unwrap();
/// let mut out = String::new();
/// for fragment in name.fragments() {
///     match fragment {
///         Fragment::Literal(text) => out.push_str(text),
///         Fragment::Escaped(c) => out.push(c),
///     }
/// }
/// assert_eq!(out, "R&D");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Fragments<'a> {
    rest: &'a str,
    dialect: Dialect,
}

impl<'a> Iterator for Fragments<'a> {
    type Item = Fragment<'a>;

    fn next(&mut self) -> Option<Fragment<'a>> {
        let bytes = self.rest.as_bytes();
        let first = *bytes.first()?;
        let special = |b: u8| match self.dialect {
            Dialect::Plain => false,
            Dialect::Xml => b == b'&' || b == b'\r',
            Dialect::Json => b == b'\\',
        };
        if !special(first) {
            let end = match self.dialect {
                Dialect::Plain => bytes.len(),
                Dialect::Json => memchr(bytes, b'\\'),
                Dialect::Xml => bytes.iter().position(|&b| special(b)).unwrap_or(bytes.len()),
            };
            // `end` is at an ASCII byte or the end: a char boundary.
            let (literal, rest) = self.rest.split_at_checked(end).unwrap_or((self.rest, ""));
            self.rest = rest;
            return Some(Fragment::Literal(literal));
        }
        let (c, used) = match (self.dialect, first) {
            (Dialect::Json, _) => unescape_json(bytes),
            (_, b'\r') => ('\n', if bytes.get(1) == Some(&b'\n') { 2 } else { 1 }),
            _ => unescape_xml(bytes),
        };
        // `used` is at least 1 and ends on an ASCII byte, so a char boundary.
        self.rest = self.rest.get(used..).unwrap_or("");
        Some(Fragment::Escaped(c))
    }
}

/// The position of the first `needle` in `bytes`, or its length: a machine word at a time.
fn memchr(bytes: &[u8], needle: u8) -> usize {
    const WIDE: usize = core::mem::size_of::<usize>();
    const ONES: usize = usize::MAX / 0xFF;
    let pattern = ONES * usize::from(needle);
    let mut words = bytes.chunks_exact(WIDE);
    let mut at = 0;
    for chunk in &mut words {
        let word = usize::from_le_bytes(<[u8; WIDE]>::try_from(chunk).unwrap_or_default()) ^ pattern;
        let zero = word.wrapping_sub(ONES) & !word & (ONES * 0x80);
        if zero != 0 {
            return at + (zero.trailing_zeros() / 8) as usize;
        }
        at += WIDE;
    }
    at + words.remainder().iter().position(|&b| b == needle).unwrap_or(words.remainder().len())
}

/// The iterator of [`Text::chars`].
///
/// ```
/// use smsc_codec::{decode, Endpoint, Fmt};
///
/// let body = br#"[{"phone": "1", "name": "\u0406van"}]"#;
/// let name = decode::contacts(body, Fmt::Json, Endpoint::Phones)?.next().unwrap()?.name.unwrap();
/// assert!(name.chars().next().is_some_and(char::is_uppercase));
/// assert_eq!(name.chars().count(), 4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Chars<'a> {
    fragments: Fragments<'a>,
    literal: core::str::Chars<'a>,
}

impl Iterator for Chars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        loop {
            if let Some(c) = self.literal.next() {
                return Some(c);
            }
            match self.fragments.next()? {
                Fragment::Literal(s) => self.literal = s.chars(),
                Fragment::Escaped(c) => return Some(c),
            }
        }
    }
}

/// Decodes one JSON escape at the start of `bytes` (which starts with `\`). Validated input never
/// reaches the fallback; anything else yields U+FFFD rather than a panic.
pub(crate) fn unescape_json(bytes: &[u8]) -> (char, usize) {
    match json_escape(bytes) {
        Ok(decoded) => decoded,
        Err(_) => (char::REPLACEMENT_CHARACTER, bytes.len().min(2)),
    }
}

/// Why a JSON escape is invalid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EscapeError {
    Truncated,
    Invalid,
    LoneSurrogate,
}

/// Decodes a JSON escape starting at `bytes[0] == b'\\'`: the char and the bytes it used.
pub(crate) fn json_escape(bytes: &[u8]) -> Result<(char, usize), EscapeError> {
    let simple = match bytes.get(1) {
        None => return Err(EscapeError::Truncated),
        Some(b'"') => '"',
        Some(b'\\') => '\\',
        Some(b'/') => '/',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => {
            let high = hex4(bytes.get(2..).unwrap_or_default())?;
            if !(0xD800..0xE000).contains(&high) {
                return char::from_u32(high).map(|c| (c, 6)).ok_or(EscapeError::Invalid);
            }
            if high >= 0xDC00 {
                return Err(EscapeError::LoneSurrogate);
            }
            match (bytes.get(6), bytes.get(7)) {
                (Some(b'\\'), Some(b'u')) => {}
                (None, _) | (Some(b'\\'), None) => return Err(EscapeError::Truncated),
                _ => return Err(EscapeError::LoneSurrogate),
            }
            let low = hex4(bytes.get(8..).unwrap_or_default())?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(EscapeError::LoneSurrogate);
            }
            let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
            return char::from_u32(code).map(|c| (c, 12)).ok_or(EscapeError::Invalid);
        }
        Some(_) => return Err(EscapeError::Invalid),
    };
    Ok((simple, 2))
}

fn hex4(bytes: &[u8]) -> Result<u32, EscapeError> {
    let Some(digits) = bytes.get(..4) else {
        return match bytes.iter().all(u8::is_ascii_hexdigit) {
            true => Err(EscapeError::Truncated),
            false => Err(EscapeError::Invalid),
        };
    };
    let mut value = 0;
    for &b in digits {
        let digit = (b as char).to_digit(16).ok_or(EscapeError::Invalid)?;
        value = value * 16 + digit;
    }
    Ok(value)
}

/// Decodes one XML reference at the start of `bytes` (which starts with `&`), like
/// [`unescape_json`].
pub(crate) fn unescape_xml(bytes: &[u8]) -> (char, usize) {
    match xml_reference(bytes) {
        Ok(decoded) => decoded,
        Err(_) => (char::REPLACEMENT_CHARACTER, 1),
    }
}

/// Decodes an XML entity or character reference starting at `bytes[0] == b'&'`: one of the
/// five predefined entities, or `&#digits;` / `&#xhex;` naming a character XML 1.0 allows
/// (`#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`). Leading zeros
/// are allowed, however many.
pub(crate) fn xml_reference(bytes: &[u8]) -> Result<(char, usize), EscapeError> {
    let (radix, digits_at) = match (bytes.get(1), bytes.get(2)) {
        (Some(b'#'), Some(b'x')) => (16, 3),
        (Some(b'#'), _) => (10, 2),
        _ => return entity(bytes),
    };
    let mut value: u32 = 0;
    let mut at = digits_at;
    loop {
        let Some(&b) = bytes.get(at) else {
            return Err(EscapeError::Truncated);
        };
        if b == b';' {
            break;
        }
        let digit = (b as char).to_digit(radix).ok_or(EscapeError::Invalid)?;
        // Past U+10FFFF the value is refused anyway: stop growing it.
        value = value.saturating_mul(radix).saturating_add(digit).min(0x11_0000);
        at += 1;
    }
    if at == digits_at {
        return Err(EscapeError::Invalid);
    }
    match value {
        0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x1_0000..=0x10_FFFF => {
            char::from_u32(value).map(|c| (c, at + 1)).ok_or(EscapeError::Invalid)
        }
        _ => Err(EscapeError::Invalid),
    }
}

/// One of the five predefined entities at the start of `bytes`.
fn entity(bytes: &[u8]) -> Result<(char, usize), EscapeError> {
    const ENTITIES: [(&[u8], char); 5] =
        [(b"amp;", '&'), (b"lt;", '<'), (b"gt;", '>'), (b"quot;", '"'), (b"apos;", '\'')];
    let rest = bytes.get(1..).unwrap_or_default();
    for (name, c) in ENTITIES {
        if rest.starts_with(name) {
            return Ok((c, name.len() + 1));
        }
    }
    match ENTITIES.iter().any(|(name, _)| rest.len() < name.len() && name.starts_with(rest)) {
        true => Err(EscapeError::Truncated),
        false => Err(EscapeError::Invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::fmt::Write;

    /// `value` formatted with `{:?}` or `{}`, in a stack string.
    fn shown(value: fmt::Arguments<'_>) -> heapless::String<64> {
        let mut out = heapless::String::new();
        out.write_fmt(value).unwrap();
        out
    }

    #[test]
    fn comparisons_say_false_when_the_values_differ() {
        let text = Text::escaped("a&amp;b", Dialect::Xml);
        assert!("a&b" == text && *"a&b" == text);
        assert!("a&c" != text && *"a&c" != text && "a&" != text);
        assert!(text == Text::escaped(r"a&b", Dialect::Json));
        assert!(text != Text::escaped("a&amp;c", Dialect::Xml));
    }

    #[test]
    fn debug_and_display_of_the_helpers() {
        assert_eq!(shown(format_args!("{:?}", Text::escaped("ab", Dialect::Plain))), "Text(\"ab\")");
        assert_eq!(shown(format_args!("{:?}", Text::escaped("a&amp;", Dialect::Xml))), "Text(\"a&amp;\", Xml)");
        assert_eq!(shown(format_args!("{}", BufferTooSmall { needed: 5 })), "buffer too small: 5 bytes needed");
    }

    #[test]
    fn a_sign_is_not_a_number() {
        for refused in ["+5", "-5", "", " ", "5a"] {
            assert_eq!(Text::escaped(refused, Dialect::Plain).to_u64(), None, "{refused:?}");
        }
        assert_eq!(Text::escaped(" 42 ", Dialect::Plain).to_u64(), Some(42));
    }

    #[test]
    fn json_escapes_decode() {
        let text = Text::escaped(r#"a\"b\\c\/d\n\u0456\ud83d\ude00"#, Dialect::Json);
        assert_eq!(text, "a\"b\\c/d\nі😀");
        assert_eq!(text.unescaped_len(), "a\"b\\c/d\nі😀".len());
        assert_eq!(text.as_borrowed(), None);
    }

    #[test]
    fn xml_references_decode() {
        let text = Text::escaped("&lt;a&gt; &amp; &quot;&apos; &#1030;&#x1F600;", Dialect::Xml);
        assert_eq!(text, "<a> & \"' І😀");
    }

    #[test]
    fn xml_line_ends_are_normalised() {
        let text = Text::escaped("a\r\nb\rc&#13;", Dialect::Xml);
        assert_eq!(text, "a\nb\nc\r");
        assert_eq!(text.as_borrowed(), None);
        assert_eq!(text.unescaped_len(), 6);
    }

    #[test]
    fn comparison_is_exact() {
        let text = Text::escaped(r"ab\n", Dialect::Json);
        assert_ne!(text, "ab");
        assert_ne!(text, "ab\nc");
        assert_ne!(text, "ab\\n");
        assert_eq!(Text::plain("x"), Text::escaped("x", Dialect::Xml));
    }

    #[test]
    fn unescape_into_reports_needed_size() {
        let text = Text::escaped("&#1030;&#1030;", Dialect::Xml);
        let mut small = [0u8; 3];
        assert_eq!(text.unescape_into(&mut small), Err(BufferTooSmall { needed: 4 }));
        let mut exact = [0u8; 4];
        assert_eq!(text.unescape_into(&mut exact), Ok("ІІ"));
    }

    #[test]
    fn invalid_escapes_are_rejected() {
        assert_eq!(json_escape(br"\x"), Err(EscapeError::Invalid));
        assert_eq!(json_escape(br"\ud83d"), Err(EscapeError::Truncated));
        assert_eq!(json_escape(br"\ud83dx"), Err(EscapeError::LoneSurrogate));
        assert_eq!(json_escape(br"\ude00"), Err(EscapeError::LoneSurrogate));
        assert_eq!(json_escape(br"\ud83d\u0041"), Err(EscapeError::LoneSurrogate));
        assert_eq!(xml_reference(b"&#0;"), Err(EscapeError::Invalid));
        assert_eq!(xml_reference(b"&#1;"), Err(EscapeError::Invalid));
        assert_eq!(xml_reference(b"&#xFFFE;"), Err(EscapeError::Invalid));
        assert_eq!(xml_reference(b"&#x0000000041;"), Ok(('A', 14)));
        assert_eq!(xml_reference(b"&#9;"), Ok(('\t', 4)));
        assert_eq!(xml_reference(b"&#xD800;"), Err(EscapeError::Invalid));
        assert_eq!(xml_reference(b"&#x110000;"), Err(EscapeError::Invalid));
        assert_eq!(xml_reference(b"&nbsp;"), Err(EscapeError::Invalid));
        assert_eq!(xml_reference(b"&am"), Err(EscapeError::Truncated));
    }
}

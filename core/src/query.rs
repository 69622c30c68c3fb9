//! The query writer: `name=value` pairs joined by `&`, strictly
//! `application/x-www-form-urlencoded`, into any `core::fmt::Write` or a caller's byte buffer.

use core::fmt::{self, Write};

/// Bytes that travel as they are: RFC 3986 unreserved. Everything else is percent-encoded, so a
/// value can never add a parameter (`&`, `=`) and a `+` survives as `%2B`.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'-' || c == b'.' || c == b'_' || c == b'~';
        b += 1;
    }
    table
};

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Writes `value` percent-encoded.
pub(crate) fn encode(out: &mut dyn Write, value: &str) -> fmt::Result {
    // The output is ASCII: gather it in a stack chunk and hand it over in few calls.
    let mut chunk = [0u8; 96];
    let mut len = 0;
    for &b in value.as_bytes() {
        if len + 3 > chunk.len() {
            write_ascii(out, &chunk[..len])?;
            len = 0;
        }
        if UNRESERVED[usize::from(b)] {
            chunk[len] = b;
            len += 1;
        } else {
            chunk[len..len + 3].copy_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]]);
            len += 3;
        }
    }
    write_ascii(out, &chunk[..len])
}

/// Writes bytes that are ASCII (unreserved characters and escapes).
fn write_ascii(out: &mut dyn Write, run: &[u8]) -> fmt::Result {
    match run {
        [] => Ok(()),
        _ => out.write_str(core::str::from_utf8(run).map_err(|_| fmt::Error)?),
    }
}

/// Joins pairs into a query.
pub(crate) struct QueryWriter<'w> {
    out: &'w mut dyn Write,
    first: bool,
}

impl<'w> QueryWriter<'w> {
    pub(crate) fn new(out: &'w mut dyn Write) -> Self {
        Self { out, first: true }
    }

    /// Appends `name=value`; the name is a wire name and is written as it is.
    pub(crate) fn pair(&mut self, name: &str, value: &str) -> fmt::Result {
        if !self.first {
            self.out.write_char('&')?;
        }
        self.first = false;
        self.out.write_str(name)?;
        self.out.write_char('=')?;
        encode(self.out, value)
    }
}

/// A `fmt::Write` over a byte slice that keeps counting past its end, so one pass tells the
/// size needed.
pub(crate) struct SliceWriter<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl<'b> SliceWriter<'b> {
    pub(crate) fn new(buf: &'b mut [u8]) -> Self {
        Self { buf, len: 0 }
    }

    /// Bytes written, or needed when more than the buffer holds.
    pub(crate) const fn len(&self) -> usize {
        self.len
    }

    pub(crate) const fn overflowed(&self) -> bool {
        self.len > self.buf.len()
    }
}

impl Write for SliceWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(s.as_bytes());
        }
        self.len = end;
        Ok(())
    }
}

/// A `fmt::Write` that only counts.
pub(crate) struct Counter(pub usize);

impl Write for Counter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

/// Decodes an `application/x-www-form-urlencoded` string into pairs, for tests and tools:
/// `+` is a space, `%XX` a byte. Each pair is handed to `f` with its decoded name and value in
/// `scratch`-backed strings; invalid UTF-8 or a bad escape stops with `Err(offset)`.
///
/// ```
/// use smsc_codec::query::decode_pairs;
///
/// let mut seen = 0;
/// let mut scratch = [0u8; 64];
/// decode_pairs("a=1&b=x%2By+z", &mut scratch, |name, value| {
///     seen += 1;
///     assert!(matches!((name, value), ("a", "1") | ("b", "x+y z")));
/// }).unwrap();
/// assert_eq!(seen, 2);
/// ```
pub fn decode_pairs(query: &str, scratch: &mut [u8], mut f: impl FnMut(&str, &str)) -> Result<(), usize> {
    let mut offset = 0;
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name_len = unescape(name, scratch, offset)?;
        let (name_buf, rest) = scratch.split_at_mut(name_len);
        let value_len = unescape(value, rest, offset + name.len() + 1)?;
        let name = core::str::from_utf8(name_buf).map_err(|_| offset)?;
        let value = core::str::from_utf8(&rest[..value_len]).map_err(|_| offset)?;
        if !pair.is_empty() {
            f(name, value);
        }
        offset += pair.len() + 1;
    }
    Ok(())
}

fn unescape(text: &str, out: &mut [u8], offset: usize) -> Result<usize, usize> {
    let bytes = text.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < bytes.len() {
        let byte = match bytes[i] {
            b'+' => b' ',
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or(offset + i)?;
                let hex = core::str::from_utf8(hex).map_err(|_| offset + i)?;
                i += 2;
                u8::from_str_radix(hex, 16).map_err(|_| offset + i - 2)?
            }
            b => b,
        };
        *out.get_mut(n).ok_or(offset + i)? = byte;
        n += 1;
        i += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_outside_unreserved() {
        let mut out = heapless::String::<64>::new();
        encode(&mut out, "a+b &psw=x/Ї~").unwrap();
        assert_eq!(out, "a%2Bb%20%26psw%3Dx%2F%D0%87~");
    }

    #[test]
    fn slice_writer_counts_past_its_end() {
        let mut buf = [0u8; 4];
        let mut writer = SliceWriter::new(&mut buf);
        writer.write_str("abcdef").unwrap();
        assert!(writer.overflowed());
        assert_eq!(writer.len(), 6);
    }
}

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

/// Percent-encodes the longest prefix of `value` whose encoding fits `dst`: (bytes of `value`
/// read, bytes of `dst` written). The one encoder behind every output.
fn encode_some(value: &[u8], dst: &mut [u8]) -> (usize, usize) {
    // `out` is the part of `dst` still free: taking from its front needs no index arithmetic
    // and one length check a byte.
    let size = dst.len();
    let mut out = dst;
    let mut read = 0;
    for &b in value {
        if UNRESERVED[usize::from(b)] {
            let Some((slot, rest)) = core::mem::take(&mut out).split_first_mut() else { break };
            *slot = b;
            out = rest;
        } else {
            // Checked first: a failed split would leave `out` taken, and the count wrong.
            if out.len() < 3 {
                break;
            }
            let Some((slot, rest)) = core::mem::take(&mut out).split_first_chunk_mut() else { break };
            *slot = [b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]];
            out = rest;
        }
        read += 1;
    }
    (read, size.saturating_sub(out.len()))
}

/// The length of `value` percent-encoded.
fn encoded_len(value: &[u8]) -> usize {
    value.iter().fold(0usize, |n, &b| n.saturating_add(if UNRESERVED[usize::from(b)] { 1 } else { 3 }))
}

/// Where a query goes.
pub(crate) enum Out<'o> {
    /// A caller's buffer. `len` keeps counting past its end, so one pass tells the size needed
    /// (an empty buffer only counts).
    Slice {
        /// The buffer.
        buf: &'o mut [u8],
        /// Bytes written, or needed once more than `buf` holds.
        len: usize,
    },
    /// Any `fmt::Write`.
    Fmt(&'o mut dyn Write),
}

impl<'o> Out<'o> {
    /// Writes into `buf`.
    pub(crate) fn slice(buf: &'o mut [u8]) -> Self {
        Self::Slice { buf, len: 0 }
    }

    /// Appends ASCII that needs no encoding (names, separators, the path).
    pub(crate) fn raw(&mut self, text: &str) -> fmt::Result {
        match self {
            Self::Slice { buf, len } => {
                let end = len.saturating_add(text.len());
                if let Some(dst) = buf.get_mut(*len..).and_then(|free| free.get_mut(..text.len())) {
                    dst.copy_from_slice(text.as_bytes());
                }
                *len = end;
                Ok(())
            }
            Self::Fmt(out) => out.write_str(text),
        }
    }

    /// Appends `value` percent-encoded.
    pub(crate) fn encoded(&mut self, value: &str) -> fmt::Result {
        let value = value.as_bytes();
        match self {
            // Straight into the caller's bytes; what does not fit is only counted.
            Self::Slice { buf, len } => {
                let (read, wrote) = encode_some(value, buf.get_mut(*len..).unwrap_or_default());
                let rest = encoded_len(value.get(read..).unwrap_or_default());
                *len = len.saturating_add(wrote).saturating_add(rest);
                Ok(())
            }
            // The output is ASCII: gather it in a stack chunk and hand it over in few calls.
            Self::Fmt(out) => {
                let mut chunk = [0u8; 96];
                let mut rest = value;
                while !rest.is_empty() {
                    let (read, wrote) = encode_some(rest, &mut chunk);
                    let ascii = core::str::from_utf8(chunk.get(..wrote).unwrap_or_default()).map_err(|_| fmt::Error)?;
                    out.write_str(ascii)?;
                    rest = rest.get(read..).unwrap_or_default();
                }
                Ok(())
            }
        }
    }

    /// Bytes written into a slice, or needed when more than it holds (`Err`).
    pub(crate) fn slice_len(&self) -> Result<usize, usize> {
        match self {
            Self::Slice { buf, len } if *len > buf.len() => Err(*len),
            Self::Slice { len, .. } => Ok(*len),
            Self::Fmt(_) => Ok(0),
        }
    }
}

/// Joins pairs into a query.
pub(crate) struct QueryWriter<'o> {
    pub(crate) out: Out<'o>,
    first: bool,
}

impl<'o> QueryWriter<'o> {
    pub(crate) fn new(out: Out<'o>) -> Self {
        Self { out, first: true }
    }

    /// Appends `name=value`; the name is a wire name and is written as it is.
    pub(crate) fn pair(&mut self, name: &str, value: &str) -> fmt::Result {
        if !self.first {
            self.out.raw("&")?;
        }
        self.first = false;
        self.out.raw(name)?;
        self.out.raw("=")?;
        self.out.encoded(value)
    }
}

/// A number's decimal digits, held by value so that a request can borrow them as a `&str`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decimal {
    /// Right-aligned: the digits are `digits[start..]` (`u64::MAX` has 20).
    digits: [u8; 20],
    start: u8,
}

impl Decimal {
    pub(crate) fn new(n: u64) -> Self {
        // Long division by 10 over 16-bit limbs: 32-bit targets divide those in hardware,
        // where a 64-bit division would link a large software routine.
        let mut limbs = [(n >> 48) as u32, (n >> 32) as u32 & 0xFFFF, (n >> 16) as u32 & 0xFFFF, n as u32 & 0xFFFF];
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        for (i, slot) in digits.iter_mut().enumerate().rev() {
            let mut rem = 0;
            for limb in &mut limbs {
                let part = rem << 16 | *limb;
                *limb = part / 10;
                rem = part % 10;
            }
            *slot = b'0' + rem as u8;
            start = i;
            if limbs == [0; 4] {
                break;
            }
        }
        Self { digits, start: start as u8 }
    }

    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(self.digits.get(usize::from(self.start)..).unwrap_or_default()).unwrap_or("0")
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_outside_unreserved() {
        let mut out = heapless::String::<64>::new();
        Out::Fmt(&mut out).encoded("a+b &psw=x/Ї~").unwrap();
        assert_eq!(out, "a%2Bb%20%26psw%3Dx%2F%D0%87~");
        let mut buf = [0u8; 64];
        let mut slice = Out::slice(&mut buf);
        slice.encoded("a+b &psw=x/Ї~").unwrap();
        assert_eq!(slice.slice_len(), Ok(out.len()));
        assert_eq!(&buf[..out.len()], out.as_bytes());
    }

    #[test]
    fn every_output_gives_the_same_bytes() {
        // Longer than the fmt chunk, with escapes across its boundaries.
        let value = "Іван Петренко, \"так\" & <терміново>; +380501234567 ~ ok. Олександрович, передзвонити!";
        let mut via_fmt = heapless::String::<2048>::new();
        Out::Fmt(&mut via_fmt).encoded(value).unwrap();
        let mut buf = [0u8; 2048];
        let mut slice = Out::slice(&mut buf);
        slice.encoded(value).unwrap();
        assert_eq!(slice.slice_len(), Ok(via_fmt.len()));
        assert_eq!(&buf[..via_fmt.len()], via_fmt.as_bytes());
        assert_eq!(encoded_len(value.as_bytes()), via_fmt.len());
    }

    #[test]
    fn slice_counts_past_its_end() {
        for size in 0..12 {
            let mut buf = [0u8; 12];
            let mut out = Out::slice(&mut buf[..size]);
            out.raw("ab").unwrap();
            out.encoded("c d+").unwrap();
            match size {
                0..=9 => assert_eq!(out.slice_len(), Err(10), "{size}"),
                _ => assert_eq!(out.slice_len(), Ok(10), "{size}"),
            }
            // What fits is written, up to an escape that ends exactly at the buffer's end.
            if size >= 10 {
                assert_eq!(&buf[..10], b"abc%20d%2B", "{size}");
            }
        }
    }

    #[test]
    fn decimal_debug_is_its_digits() {
        let mut shown = heapless::String::<8>::new();
        core::fmt::Write::write_fmt(&mut shown, format_args!("{:?}", Decimal::new(65_536))).unwrap();
        assert_eq!(shown, "65536");
    }

    #[test]
    fn decimal() {
        let cases = [
            (0, "0"),
            (7, "7"),
            (10, "10"),
            (1000, "1000"),
            (65_536, "65536"),
            (4_294_967_296, "4294967296"),
            (10_000_000_000_000_000_000, "10000000000000000000"),
            (u64::MAX, "18446744073709551615"),
        ];
        for (n, text) in cases {
            assert_eq!(Decimal::new(n).as_str(), text);
        }
    }
}

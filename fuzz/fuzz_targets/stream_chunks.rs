//! A body fed to the streaming decoder in arbitrary chunk sizes, and read through
//! `read::IoReader` from a source that hands it out in such chunks, yields exactly what the
//! whole-body decoder yields: the same records, then the same end.
#![no_main]

use smsc_codec_fuzz::{fmt_of, read_through, streamed, whole};

libfuzzer_sys::fuzz_target!(|input: &[u8]| {
    let Some((&selector, rest)) = input.split_first() else {
        return;
    };
    let Some((&chunking, body)) = rest.split_first() else {
        return;
    };
    let fmt = fmt_of(selector);
    // Chunk sizes from 1 to 16, drawn from the second byte.
    let chunks = [usize::from(chunking & 0xF) + 1, usize::from(chunking >> 4) + 1, 1];
    let expected = whole(body, fmt);
    assert_eq!(streamed(body, fmt, &chunks), expected);
    assert_eq!(read_through(body, fmt, &chunks), expected);
});

//! Any bytes as an answer read as fmt=1: the first byte picks which answer (a list, created
//! or done) and endpoint; no panic, and every field that decodes unescapes consistently.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: &[u8]| {
    smsc_codec_fuzz::decode_selected(input, smsc_codec::Fmt::Csv);
});

//! Any bytes as an answer of every command, read as fmt=2: no panic, and every field that
//! decodes unescapes consistently.
#![no_main]

libfuzzer_sys::fuzz_target!(|body: &[u8]| {
    smsc_codec_fuzz::decode_everything(body, smsc_codec::Fmt::Xml);
});

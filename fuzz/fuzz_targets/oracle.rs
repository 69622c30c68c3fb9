//! A list rendered by the reference renderer, then mutated (bytes replaced, inserted, deleted,
//! tokens spliced in, lines duplicated, spans copied, the body cut), decoded by the codec and by
//! an independent parser (roxmltree for fmt=2, serde_json for fmt=3): what the parser refuses
//! the codec must refuse, but for its documented leniencies; what both accept must give the
//! same known fields. Input layout: `smsc_codec_fuzz::mutate`; the rule: `smsc_codec_fuzz::oracle`.
#![no_main]

use smsc_codec_fuzz::{mutate, oracle};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some(case) = mutate::case(data) else {
        return;
    };
    if let Err(why) = oracle::check(&case.body, case.fmt, case.kind, case.endpoint) {
        panic!(
            "{:?} {:?} {:?}, body {:?}\n  (rendered {:?})\n  {why}",
            case.fmt,
            case.kind,
            case.endpoint,
            String::from_utf8_lossy(&case.body),
            String::from_utf8_lossy(&case.rendered)
        );
    }
});

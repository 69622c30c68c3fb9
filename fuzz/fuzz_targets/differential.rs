//! Records rendered the way the server writes them, by the reference renderer of the test suite,
//! in every fmt that can carry them: each body decodes to exactly the records put in.
#![no_main]

use arbitrary::Arbitrary;
use smsc_codec::{Endpoint, Fmt, Limits, ListKind};
use smsc_codec_tests::drive::{self, End};
use smsc_codec_tests::render::{self, GenList, Layout, Style};

#[derive(Arbitrary, Debug)]
struct Input {
    kind: u8,
    mails: bool,
    records: Vec<Vec<Option<String>>>,
    seed: u64,
    bom: bool,
    crlf: bool,
    prologue: bool,
    layout: u8,
    unknown_fields: bool,
}

libfuzzer_sys::fuzz_target!(|input: Input| {
    let kind = [ListKind::Contacts, ListKind::Groups, ListKind::Blacklist][usize::from(input.kind % 3)];
    let endpoint = if input.mails { Endpoint::Mails } else { Endpoint::Phones };
    let names = render::field_names(kind, endpoint);
    let records: Vec<_> = input
        .records
        .into_iter()
        .take(8)
        .map(|mut record| {
            record.resize(names.len(), None);
            record
        })
        .collect();
    let list = GenList { kind, endpoint, records };
    let layout = [Layout::Real, Layout::OneLine, Layout::Spacey][usize::from(input.layout % 3)];
    let style = Style {
        seed: input.seed,
        bom: input.bom,
        crlf: input.crlf,
        prologue: input.prologue,
        layout,
        unknown_fields: input.unknown_fields,
    };
    let expected: Vec<Vec<(String, String)>> = list
        .records
        .iter()
        .map(|record| {
            names.iter().zip(record).filter_map(|(n, v)| v.as_ref().map(|v| ((*n).to_owned(), v.clone()))).collect()
        })
        .collect();
    for fmt in [Fmt::KeyValue, Fmt::Csv, Fmt::Xml, Fmt::Json] {
        if !render::can_carry(&list, fmt) {
            continue;
        }
        let body = render::render(&list, fmt, &style);
        let decoded = drive::whole_kind(kind, &body, fmt, endpoint, Limits::DEFAULT);
        assert_eq!(decoded.end, End::Done, "{fmt:?} body {:?}", String::from_utf8_lossy(&body));
        assert_eq!(decoded.records, expected, "{fmt:?} body {:?}", String::from_utf8_lossy(&body));
    }
});

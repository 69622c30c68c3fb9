//! Benchmarks of smsc-codec against the parsers a user would pick instead (see `BENCHMARKS.md`
//! at the root of the workspace; `scripts/bench.sh` runs everything and prints the table).
//!
//! - [`fixtures`]: deterministic response bodies in all four fmts;
//! - [`ours`]: smsc-codec's side, whole-body and streaming, and the query builder;
//! - [`alt`]: the alternatives (serde_json, quick-xml, csv, `split`, serde_urlencoded, url);
//! - [`report`]: reads criterion's medians and prints the ratio table.
//!
//! The benches are `[[bench]]` targets with `harness = false`: `cargo test` neither builds nor
//! runs them; `cargo bench -p smsc-codec-bench` does. This library's own tests check that every
//! side reads the same values from the same bodies.

pub mod alt;
pub mod fixtures;
pub mod ours;
pub mod report;

#[cfg(test)]
mod tests {
    use smsc_codec::{decode, Endpoint, Fmt, Text};

    use crate::fixtures::{self, Kind, FMTS};
    use crate::{alt, ours};

    fn owned(field: Option<Text<'_>>) -> String {
        field.map(|t| t.to_string()).unwrap_or_else(|| "<absent>".to_owned())
    }

    fn decoded(list: &fixtures::List, body: &[u8], fmt: Fmt) -> Vec<Vec<String>> {
        match list.kind {
            Kind::Contacts => decode::contacts(body, fmt, Endpoint::Phones)
                .unwrap()
                .map(|c| {
                    let c = c.unwrap();
                    [
                        c.phone,
                        c.name,
                        c.group,
                        c.first_name,
                        c.last_name,
                        c.middle_name,
                        c.birthday,
                        c.id,
                        c.comments,
                        c.tags,
                        c.phone_other,
                    ]
                    .into_iter()
                    .map(owned)
                    .collect()
                })
                .collect(),
            Kind::Groups => decode::groups(body, fmt)
                .unwrap()
                .map(|g| {
                    let g = g.unwrap();
                    [g.id, g.name, g.number, g.cnt].into_iter().map(owned).collect()
                })
                .collect(),
            Kind::Blacklist => decode::blacklist(body, fmt, Endpoint::Phones)
                .unwrap()
                .map(|b| {
                    let b = b.unwrap();
                    [b.id, b.phone, b.r#type, b.comment].into_iter().map(owned).collect()
                })
                .collect(),
        }
    }

    #[test]
    fn fixtures_are_deterministic() {
        for fmt in FMTS {
            assert_eq!(fixtures::contact_body(100, fmt), fixtures::contact_body(100, fmt));
        }
        assert_ne!(fixtures::contacts(10, 1), fixtures::contacts(10, 2));
    }

    #[test]
    fn smsc_codec_decodes_every_fixture_to_its_values() {
        let lists = [fixtures::contacts(200, fixtures::SEED), fixtures::groups(50, 7), fixtures::blacklist(100, 9)];
        for list in &lists {
            for fmt in FMTS {
                let body = fixtures::render(list, fmt);
                assert_eq!(decoded(list, &body, fmt), fixtures::expected(list, fmt), "{:?} {fmt:?}", list.kind);
            }
        }
    }

    #[test]
    fn streaming_through_512_bytes_reads_what_whole_body_reads() {
        // The benchmarks' own bodies: every record must fit the buffer.
        let contacts = fixtures::contacts(1000, fixtures::SEED);
        let groups = fixtures::groups(100, fixtures::SEED);
        let black = fixtures::blacklist(1000, fixtures::SEED);
        for fmt in FMTS {
            let body = fixtures::render(&contacts, fmt);
            assert_eq!(ours::contacts_stream_512(&body, fmt), ours::contacts(&body, fmt), "{fmt:?}");
            let body = fixtures::render(&groups, fmt);
            assert_eq!(ours::groups_stream_512(&body, fmt), ours::groups(&body, fmt), "{fmt:?}");
            let body = fixtures::render(&black, fmt);
            assert_eq!(ours::blacklist_stream_512(&body, fmt), ours::blacklist(&body, fmt), "{fmt:?}");
        }
    }

    #[test]
    fn serde_json_and_quick_xml_read_the_same_values() {
        let json = fixtures::contact_body(200, Fmt::Json);
        let ours_json = ours::contacts(&json, Fmt::Json);
        assert_eq!(alt::serde_json_owned(&json), ours_json);
        assert_eq!(alt::serde_json_cow(&json), ours_json);
        let xml = fixtures::contact_body(200, Fmt::Xml);
        assert_eq!(alt::quick_xml(&xml), ours::contacts(&xml, Fmt::Xml));
        // Every contact value is present in every fmt; the same values give the same sum.
        assert_eq!(ours_json, ours::contacts(&xml, Fmt::Xml));
        assert_eq!(ours_json, ours::contacts(&fixtures::contact_body(200, Fmt::KeyValue), Fmt::KeyValue));
    }

    #[test]
    fn the_cow_struct_borrows_every_value_without_escapes() {
        let json = fixtures::contact_body(100, Fmt::Json);
        let contacts: Vec<alt::CowContact<'_>> = serde_json::from_slice(&json).unwrap();
        let ours: Vec<_> = decode::contacts(&json, Fmt::Json, Endpoint::Phones).unwrap().map(Result::unwrap).collect();
        let (mut borrowed, mut escaped) = (0, 0);
        for (theirs, ours) in contacts.iter().zip(&ours) {
            let ours = [
                ours.phone,
                ours.name,
                ours.group,
                ours.first_name,
                ours.last_name,
                ours.middle_name,
                ours.birthday,
                ours.id,
                ours.comments,
                ours.tags,
                ours.phone_other,
            ];
            for (theirs, ours) in theirs.fields().into_iter().zip(ours) {
                let (theirs, ours) = (theirs.as_ref().unwrap(), ours.unwrap());
                assert_eq!(matches!(theirs, std::borrow::Cow::Borrowed(_)), ours.as_borrowed().is_some());
                borrowed += usize::from(ours.as_borrowed().is_some());
                escaped += usize::from(ours.as_borrowed().is_none());
            }
        }
        assert!(borrowed > 5 * escaped, "{borrowed} borrowed, {escaped} escaped");
        assert!(escaped > 0);
    }

    #[test]
    fn the_line_alternatives_read_the_same_records_where_they_can() {
        let csv = fixtures::contact_body(100, Fmt::Csv);
        // The csv reader splits a comma inside `name` into two fields, so only its record count
        // and its reading of comma-free lines can be compared: compare line by line.
        for line in csv.split_inclusive(|&b| b == b'\n') {
            if line.iter().filter(|&&b| b == b',').count() == 10 {
                assert_eq!(alt::csv_byte_record(line), ours::contacts(line, Fmt::Csv));
                assert_eq!(alt::csv_byte_record_utf8(line), ours::contacts(line, Fmt::Csv));
            }
        }
        let kv = fixtures::contact_body(100, Fmt::KeyValue);
        for line in kv.split_inclusive(|&b| b == b'\n') {
            let values = std::str::from_utf8(line).unwrap();
            if values.matches(", ").count() == 10 {
                assert_eq!(alt::split_kv(line), ours::contacts(line, Fmt::KeyValue));
            }
        }
    }

    #[test]
    fn every_query_builder_writes_the_same_pairs() {
        let mut buf = [0u8; 1024];
        let len = ours::query(&ours::ADD, &mut buf);
        let pairs = |q: &[u8]| url::form_urlencoded::parse(q).into_owned().collect::<Vec<_>>();
        let ours_pairs = pairs(&buf[..len]);
        assert_eq!(ours_pairs.len(), 16);
        assert_eq!(pairs(alt::query_serde_urlencoded(&ours::ADD).as_bytes()), ours_pairs);
        assert_eq!(pairs(alt::query_url(&ours::ADD).as_bytes()), ours_pairs);
    }
}

//! Benchmarks of smsc-codec against the parsers a user would pick instead (see `BENCHMARKS.md`
//! at the root of the workspace; `scripts/bench.sh` runs everything and prints the table).
//!
//! - [`fixtures`]: deterministic response bodies in all four fmts, in several body profiles;
//! - [`ours`]: smsc-codec's side, whole-body and streaming, and the query builder;
//! - [`alt`]: the alternatives (serde_json, quick-xml, csv, `split`, serde_urlencoded, url);
//! - [`report`]: reads criterion's medians and prints the ratio tables, one per profile.
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
    use smsc_codec::{decode, Endpoint, Fmt, Record, Text};

    use crate::fixtures::{self, Kind, Profile, FMTS};
    use crate::{alt, ours};

    fn owned(field: Option<Text<'_>>) -> String {
        field.map(|t| t.to_string()).unwrap_or_else(|| "<absent>".to_owned())
    }

    /// Every field of `record` by position, as the codec orders them.
    fn row<'a, R: Record<'a>>(record: &R, count: usize) -> Vec<String> {
        (0..count).map(|i| owned(record.field(i))).collect()
    }

    fn decoded(list: &fixtures::List, body: &[u8], fmt: Fmt) -> Vec<Vec<String>> {
        let count = list.kind.fields().len();
        match list.kind {
            Kind::Contacts => {
                decode::contacts(body, fmt, Endpoint::Phones).unwrap().map(|c| row(&c.unwrap(), count)).collect()
            }
            Kind::Groups => {
                decode::groups(body, fmt, Endpoint::Phones).unwrap().map(|g| row(&g.unwrap(), count)).collect()
            }
            Kind::Blacklist => {
                decode::blacklist(body, fmt, Endpoint::Phones).unwrap().map(|b| row(&b.unwrap(), count)).collect()
            }
        }
    }

    /// The checksum of every value a decoder must find in `list` written in `fmt`: what every
    /// side of a benchmark returns when it reads the same values.
    fn expected_sum(list: &fixtures::List, fmt: Fmt) -> u64 {
        fixtures::expected(list, fmt).iter().flatten().map(|v| ours::checksum(v.as_bytes())).sum()
    }

    /// The lists of a profile the tests decode: contacts, groups and blacklists.
    fn lists(profile: Profile) -> [fixtures::List; 3] {
        [profile.contacts(200, fixtures::SEED), profile.groups(50, 7), profile.blacklist(100, 9)]
    }

    #[test]
    fn fixtures_are_deterministic() {
        for profile in Profile::ALL {
            for fmt in FMTS {
                assert_eq!(profile.contact_body(100, fmt), profile.contact_body(100, fmt), "{profile} {fmt:?}");
            }
            assert_ne!(profile.contacts(10, 1), profile.contacts(10, 2), "{profile}");
        }
        assert_eq!(fixtures::contact_body(100, Fmt::Json), Profile::Mixed.contact_body(100, Fmt::Json));
    }

    #[test]
    fn profiles_are_named() {
        for profile in Profile::ALL {
            assert_eq!(Profile::from_name(profile.name()), Some(profile));
        }
        assert_eq!(Profile::default(), Profile::Mixed);
        assert_eq!(Profile::from_name("nope"), None);
    }

    #[test]
    fn profiles_hold_what_they_say() {
        let contacts = |p: Profile| p.contacts(1000, fixtures::SEED);
        let values = |l: &fixtures::List| l.records.iter().flatten().cloned().collect::<Vec<_>>();
        // ascii: nothing any fmt escapes.
        for v in values(&contacts(Profile::Ascii)) {
            assert!(v.is_ascii() && !v.contains(['"', '\'', '&', '<', '>', '/', '\\']), "{v:?}");
        }
        // long_cyrillic: every comment long and Cyrillic.
        for record in &contacts(Profile::LongCyrillic).records {
            assert!(record[8].len() >= 100 && record[8].contains('к'), "{:?}", record[8]);
        }
        // escapes: many escapes per record in fmt 2 and fmt 3.
        let escapes = contacts(Profile::Escapes);
        let count = |body: Vec<u8>, b: u8| body.iter().filter(|&&c| c == b).count();
        assert!(count(fixtures::render(&escapes, Fmt::Json), b'\\') > 5 * escapes.records.len());
        assert!(count(fixtures::render(&escapes, Fmt::Xml), b'&') > 10 * escapes.records.len());
        assert!(std::str::from_utf8(&fixtures::render(&escapes, Fmt::Json)).unwrap().contains(r"\u04"));
        assert!(std::str::from_utf8(&fixtures::render(&escapes, Fmt::Xml)).unwrap().contains("&#10"));
    }

    /// Whether `value` has a `, ` followed by what reads as a fmt 0 key (`lowercase_key =`).
    fn kv_ambiguous(value: &str) -> bool {
        value.match_indices(", ").any(|(at, _)| {
            let rest = &value[at + 2..];
            let key = rest.find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')).unwrap_or(0);
            key > 0 && rest[key..].starts_with(" =")
        })
    }

    #[test]
    fn every_profile_puts_commas_and_equals_in_fmt0_free_text_that_fmt0_can_carry() {
        assert!(kv_ambiguous("a, phone = 1") && !kv_ambiguous("Знижка = 5%, доставка"));
        for profile in Profile::ALL {
            for list in lists(profile) {
                assert!(list.records.iter().flatten().all(|v| !kv_ambiguous(v)), "{profile} {:?}", list.kind);
            }
            // The contact lists, which the fmt=0 benchmark reads (the groups and blacklists of
            // `mixed` stay what they were).
            let contacts = profile.contacts(1000, fixtures::SEED);
            assert!(contacts.records.iter().flatten().any(|v| v.contains(", ") && v.contains(" = ")), "{profile}");
        }
    }

    #[test]
    fn every_record_fits_the_streaming_buffer() {
        for profile in Profile::ALL {
            let lists = [
                profile.contacts(1000, fixtures::SEED),
                profile.groups(100, fixtures::SEED),
                profile.blacklist(1000, fixtures::SEED),
            ];
            for list in &lists {
                for fmt in FMTS {
                    let longest = fixtures::longest_record(list, fmt);
                    assert!(longest <= fixtures::RECORD_LIMIT, "{profile} {:?} {fmt:?}: {longest}", list.kind);
                }
            }
        }
    }

    #[test]
    fn smsc_codec_decodes_every_fixture_to_its_values() {
        for profile in Profile::ALL {
            for list in &lists(profile) {
                for fmt in FMTS {
                    let body = fixtures::render(list, fmt);
                    let expected = fixtures::expected(list, fmt);
                    assert_eq!(decoded(list, &body, fmt), expected, "{profile} {:?} {fmt:?}", list.kind);
                }
            }
        }
    }

    #[test]
    fn streaming_through_512_bytes_reads_what_whole_body_reads() {
        // The benchmarks' own bodies: every record must fit the buffer.
        for profile in Profile::ALL {
            let contacts = profile.contacts(1000, fixtures::SEED);
            let groups = profile.groups(100, fixtures::SEED);
            let black = profile.blacklist(1000, fixtures::SEED);
            for fmt in FMTS {
                let body = fixtures::render(&contacts, fmt);
                let whole = ours::contacts(&body, fmt);
                assert_eq!(whole, expected_sum(&contacts, fmt), "{profile} {fmt:?}");
                assert_eq!(ours::contacts_stream_512(&body, fmt), whole, "{profile} {fmt:?}");
                let body = fixtures::render(&groups, fmt);
                assert_eq!(ours::groups_stream_512(&body, fmt), ours::groups(&body, fmt), "{profile} {fmt:?}");
                let body = fixtures::render(&black, fmt);
                assert_eq!(ours::blacklist_stream_512(&body, fmt), ours::blacklist(&body, fmt), "{profile} {fmt:?}");
            }
        }
    }

    #[test]
    fn serde_json_and_quick_xml_read_the_same_values() {
        for profile in Profile::ALL {
            let list = profile.contacts(200, fixtures::SEED);
            let json = fixtures::render(&list, Fmt::Json);
            let expected = expected_sum(&list, Fmt::Json);
            assert_eq!(ours::contacts(&json, Fmt::Json), expected, "{profile}");
            assert_eq!(alt::serde_json_owned(&json), expected, "{profile}");
            assert_eq!(alt::serde_json_cow(&json), expected, "{profile}");
            let xml = fixtures::render(&list, Fmt::Xml);
            assert_eq!(ours::contacts(&xml, Fmt::Xml), expected, "{profile}");
            assert_eq!(alt::quick_xml(&xml), expected, "{profile}");
            // Every contact value is present in every fmt; the same values give the same sum.
            assert_eq!(ours::contacts(&fixtures::render(&list, Fmt::KeyValue), Fmt::KeyValue), expected, "{profile}");
        }
    }

    #[test]
    fn the_cow_struct_borrows_every_value_without_escapes() {
        for profile in Profile::ALL {
            let json = profile.contact_body(100, Fmt::Json);
            let contacts: Vec<alt::CowContact<'_>> = serde_json::from_slice(&json).unwrap();
            let ours: Vec<_> =
                decode::contacts(&json, Fmt::Json, Endpoint::Phones).unwrap().map(Result::unwrap).collect();
            assert_eq!(contacts.len(), ours.len());
            let (mut borrowed, mut escaped) = (0, 0);
            for (theirs, ours) in contacts.iter().zip(&ours) {
                for (i, theirs) in theirs.fields().into_iter().enumerate() {
                    let (theirs, ours) = (theirs.as_ref().unwrap(), ours.field(i).unwrap());
                    assert_eq!(matches!(theirs, std::borrow::Cow::Borrowed(_)), ours.as_borrowed().is_some());
                    borrowed += usize::from(ours.as_borrowed().is_some());
                    escaped += usize::from(ours.as_borrowed().is_none());
                }
            }
            match profile {
                Profile::Mixed => {
                    assert!(borrowed > 5 * escaped && escaped > 0, "{borrowed} borrowed, {escaped} escaped")
                }
                Profile::Ascii => assert_eq!(escaped, 0),
                Profile::LongCyrillic => assert!(escaped > 0),
                // Phones, groups, dates and ids never hold escapes: a fifth of all values is many.
                Profile::Escapes => assert!(escaped * 4 > borrowed, "{borrowed} borrowed, {escaped} escaped"),
            }
        }
    }

    #[test]
    fn the_line_alternatives_read_the_same_records_where_they_can() {
        for profile in Profile::ALL {
            let csv = profile.contact_body(100, Fmt::Csv);
            // The csv reader splits a comma inside `name` into two fields, so only its record
            // count and its reading of comma-free lines can be compared: compare line by line.
            let mut compared = 0;
            for line in csv.split_inclusive(|&b| b == b'\n') {
                if line.iter().filter(|&&b| b == b',').count() == 10 {
                    assert_eq!(alt::csv_byte_record(line), ours::contacts(line, Fmt::Csv), "{profile}");
                    assert_eq!(alt::csv_byte_record_utf8(line), ours::contacts(line, Fmt::Csv), "{profile}");
                    compared += 1;
                }
            }
            assert!(compared > 10, "{profile}: {compared} fmt=1 lines compared");
            let kv = profile.contact_body(100, Fmt::KeyValue);
            let mut compared = 0;
            for line in kv.split_inclusive(|&b| b == b'\n') {
                let values = std::str::from_utf8(line).unwrap();
                if values.matches(", ").count() == 10 {
                    assert_eq!(alt::split_kv(line), ours::contacts(line, Fmt::KeyValue), "{profile}");
                    compared += 1;
                }
            }
            // In `long_cyrillic` nearly every comment holds a `, `: no line is left to compare.
            assert!(compared > 0 || profile == Profile::LongCyrillic, "{profile}: {compared} fmt=0 lines compared");
            // And the whole fmt=0 body is where `split` goes wrong: values holding `, ` are cut.
            assert_ne!(alt::split_kv(&kv), ours::contacts(&kv, Fmt::KeyValue), "{profile}");
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

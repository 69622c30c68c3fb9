//! Known-answer tables for the core API (in the manner of httparse's `req!`/`res!` tables):
//! input bytes and fmt on the left, the expected records (field by field) or the expected
//! error (API code and description, or malformed kind and exact byte offset) on the right.
//!
//! Every list case is checked twice: whole-body ([`decode::list`]) and streaming, byte by
//! byte, through a buffer the size of the body.

use smsc_codec::decode::{self, Response};
use smsc_codec::text::Dialect;
use smsc_codec::{
    CommandKind, DecodeError, DecodeErrorKind as K, Endpoint, Error, ErrorCode, Fmt, Limits, ListKind, Record,
    ResponseKind, Text,
};
use smsc_codec_tests::drive::{self, End};
use smsc_codec_tests::owned::{self, Fields};

/// What a case expects after its records.
#[derive(Clone, Copy, Debug)]
enum Want {
    /// The list ends normally.
    Done,
    /// An API error: code and description.
    Api(u16, Option<&'static str>),
    /// A malformed body: kind and exact offset.
    Bad(K, usize),
}

type Rec = &'static [(&'static str, &'static str)];

struct ListCase {
    name: &'static str,
    kind: ListKind,
    fmt: Fmt,
    endpoint: Endpoint,
    limits: Limits,
    body: &'static [u8],
    records: &'static [Rec],
    want: Want,
}

use Endpoint::{Mails, Phones};
use Fmt::{Csv, Json, KeyValue, Xml};
use ListKind::{Blacklist, Contacts, Groups};
use Want::{Api, Bad, Done};

const D: Limits = Limits::DEFAULT;

/// A list case: `name: Kind Fmt Endpoint [limits] body => [records] want`.
macro_rules! list_cases {
    ($( $name:ident: $kind:ident $fmt:ident $ep:ident $limits:expr, $body:expr => [$($rec:expr),* $(,)?] $want:expr; )*) => {
        vec![$(ListCase {
            name: stringify!($name),
            kind: $kind,
            fmt: $fmt,
            endpoint: $ep,
            limits: $limits,
            body: $body,
            records: &[$($rec),*],
            want: $want,
        }),*]
    };
}

const IVAN_FMT0: &[u8] = "phone = 79991112233, name = Іван, group = 5922, first_name = Іван, last_name = Петренко, middle_name = , birthday = 01.02.1990, id = a1, comments = x, y, tags = vip, phone_other = \n".as_bytes();
const IVAN: Rec = &[
    ("phone", "79991112233"),
    ("name", "Іван"),
    ("group", "5922"),
    ("first_name", "Іван"),
    ("last_name", "Петренко"),
    ("middle_name", ""),
    ("birthday", "01.02.1990"),
    ("id", "a1"),
    ("comments", "x, y"),
    ("tags", "vip"),
    ("phone_other", ""),
];

#[rustfmt::skip]
fn list_table() -> Vec<ListCase> {
    list_cases! {
        // ---- fmt 0: `key = value, ...`
        kv_contact_all_fields: Contacts KeyValue Phones D, IVAN_FMT0 => [IVAN] Done;
        kv_empty_body: Contacts KeyValue Phones D, b"" => [] Done;
        kv_blank_lines_skipped: Contacts KeyValue Phones D, b"phone = 1\n\n  \nphone = 2\n" => [&[("phone", "1")], &[("phone", "2")]] Done;
        kv_crlf_and_no_final_newline: Contacts KeyValue Phones D, b"phone = 1, name = A\r\nphone = 2, name = B" =>
            [&[("phone", "1"), ("name", "A")], &[("phone", "2"), ("name", "B")]] Done;
        kv_bom: Contacts KeyValue Phones D, b"\xEF\xBB\xBFphone = 1\n" => [&[("phone", "1")]] Done;
        kv_unknown_key_skipped: Contacts KeyValue Phones D, b"phone = 1, int_id = 77, name = A\n" => [&[("phone", "1"), ("name", "A")]] Done;
        kv_seen_key_is_text: Contacts KeyValue Phones D, b"phone = 1, name = a, name = b, group = 5\n" =>
            [&[("phone", "1"), ("name", "a, name = b"), ("group", "5")]] Done;
        kv_trimmed_empty_last: Contacts KeyValue Phones D, b"phone = 1, phone_other =\n" => [&[("phone", "1"), ("phone_other", "")]] Done;
        kv_mails_names: Contacts KeyValue Mails D, b"mail = a@b.c, name = A, mail_other = d@e.f\n" =>
            [&[("mail", "a@b.c"), ("name", "A"), ("mail_other", "d@e.f")]] Done;
        kv_group_without_number: Groups KeyValue Phones D, b"id = 1, name = A, number = , cnt = 2\n" =>
            [&[("id", "1"), ("name", "A"), ("number", ""), ("cnt", "2")]] Done;
        kv_black_mails: Blacklist KeyValue Mails D, b"id = 401, email = a@b.c, type = 0, comment = x, id = 5\n" =>
            [&[("id", "401"), ("email", "a@b.c"), ("type", "0"), ("comment", "x, id = 5")]] Done;
        kv_ambiguous_second_line: Contacts KeyValue Phones D, b"phone = 1, name = a\nphone = 2, comments = b, tags = c, tags = d\n" =>
            [&[("phone", "1"), ("name", "a")]] Bad(K::AmbiguousLine, 20);
        kv_not_key_value: Contacts KeyValue Phones D, b"phone = 1\nnot a pair\n" => [&[("phone", "1")]] Bad(K::NotKeyValue, 10);
        kv_invalid_utf8: Contacts KeyValue Phones D, b"phone = 1, name = \xff\n" => [] Bad(K::InvalidUtf8, 18);
        kv_error_line: Contacts KeyValue Phones D, b"ERROR = 3 (record not found)" => [] Api(3, Some("record not found"));
        kv_error_line_nested_parens: Groups KeyValue Phones D, b"ERROR = 5 (save error (duplicate))\n" => [] Api(5, Some("save error (duplicate)"));
        kv_error_line_without_description: Blacklist KeyValue Phones D, b"ERROR = 9" => [] Api(9, None);
        // An API error is recognised only by its whole shape: these lines are not one, and
        // not `key = value` pairs either.
        kv_error_code_not_a_number: Contacts KeyValue Phones D, b"ERROR = x" => [] Bad(K::NotKeyValue, 0);
        kv_error_line_trailing_data: Contacts KeyValue Phones D, b"ERROR = 2 (a) b" => [] Bad(K::NotKeyValue, 0);
        kv_error_line_then_records: Contacts KeyValue Phones D, b"ERROR = 2 (a)\nphone = 1\n" => [] Bad(K::TrailingData, 14);
        kv_error_code_too_large: Contacts KeyValue Phones D, b"ERROR = 65536" => [] Bad(K::InvalidErrorCode, 8);

        // ---- fmt 1: positional, unquoted
        csv_contact_all_fields: Contacts Csv Phones D,
            "79991112233,Іван,5922,Іван,Петренко,,01.02.1990,a1,x y,vip,\n".as_bytes() =>
            [&[("phone", "79991112233"), ("name", "Іван"), ("group", "5922"), ("first_name", "Іван"), ("last_name", "Петренко"), ("middle_name", ""), ("birthday", "01.02.1990"), ("id", "a1"), ("comments", "x y"), ("tags", "vip"), ("phone_other", "")]] Done;
        csv_fewer_values_leave_fields_absent: Contacts Csv Phones D, b"1,A,5\n" => [&[("phone", "1"), ("name", "A"), ("group", "5")]] Done;
        csv_comma_in_name_resolved_by_shapes: Contacts Csv Phones D, "1,Іван, молодший,5922,,,,,,,,\n".as_bytes() =>
            [&[("phone", "1"), ("name", "Іван, молодший"), ("group", "5922"), ("first_name", ""), ("last_name", ""), ("middle_name", ""), ("birthday", ""), ("id", ""), ("comments", ""), ("tags", ""), ("phone_other", "")]] Done;
        csv_phone_other_takes_the_rest: Contacts Csv Phones D, b"1,A,5,,,,,,,vip,380501112233,380671112233\n" =>
            [&[("phone", "1"), ("name", "A"), ("group", "5"), ("first_name", ""), ("last_name", ""), ("middle_name", ""), ("birthday", ""), ("id", ""), ("comments", ""), ("tags", "vip"), ("phone_other", "380501112233,380671112233")]] Done;
        csv_ambiguous_comment: Contacts Csv Phones D, b"1,A,5,,,,,,x, y,vip,2\n" => [] Bad(K::AmbiguousLine, 0);
        csv_ambiguous_second_line: Contacts Csv Phones D, b"1,A\n1,A,5,,,,,,x, y,vip,2\n" => [&[("phone", "1"), ("name", "A")]] Bad(K::AmbiguousLine, 4);
        csv_group_name_commas: Groups Csv Phones D, "12,Друзі, колеги, сусіди,7,3\n".as_bytes() =>
            [&[("id", "12"), ("name", "Друзі, колеги, сусіди"), ("number", "7"), ("cnt", "3")]] Done;
        csv_group_field_mismatch: Groups Csv Phones D, b"1,a,b,c,d\n" => [] Bad(K::FieldMismatch, 0);
        csv_black_comment_takes_the_rest: Blacklist Csv Phones D, b"301,380501234567,0,a, b, c\r\n" =>
            [&[("id", "301"), ("phone", "380501234567"), ("type", "0"), ("comment", "a, b, c")]] Done;
        csv_black_mails: Blacklist Csv Mails D, b"401,a@b.c,1,\n" => [&[("id", "401"), ("email", "a@b.c"), ("type", "1"), ("comment", "")]] Done;
        csv_error: Contacts Csv Phones D, b"0,-3" => [] Api(3, None);
        csv_error_4: Groups Csv Phones D, b"0,-4\n" => [] Api(4, None);
        // The first line that is not blank tells an answer or another format from a list.
        csv_error_after_blank_lines: Contacts Csv Phones D, b" \t\n\r\n0,-3\r\n" => [] Api(3, None);
        csv_json_after_blank_lines: Contacts Csv Phones D, b"\n  \n[{\"phone\": \"1\"}]\n" => [] Bad(K::UnexpectedShape, 4);
        csv_key_value_after_blank_lines: Contacts Csv Phones D, b"\t\n\nphone = 1\n" => [] Bad(K::UnexpectedShape, 3);
        csv_only_blank_lines: Contacts Csv Phones D, b"\n \t\r\n" => [] Done;
        kv_xml_after_blank_lines: Contacts KeyValue Phones D, b"\r\n<list></list>" => [] Bad(K::UnexpectedShape, 2);
        csv_error_line: Blacklist Csv Phones D, b"ERROR = 2 (authorise error)" => [] Api(2, Some("authorise error"));

        // ---- fmt 2: XML
        xml_entities_and_references: Contacts Xml Phones D,
            b"<list><contact><phone>1</phone><name>A &amp; B &lt;c&gt; &quot;&apos; &#1030;&#x1F600;</name><birthday/></contact></list>" =>
            [&[("phone", "1"), ("name", "A & B <c> \"' \u{406}\u{1F600}"), ("birthday", "")]] Done;
        xml_prologue_comment_whitespace: Groups Xml Phones D,
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<!-- c -->\r\n<list>\r\n<group>\r\n<id>5</id>\r\n<name> a </name>\r\n</group>\r\n</list>\r\n" =>
            [&[("id", "5"), ("name", " a ")]] Done;
        xml_unknown_elements_skipped: Contacts Xml Phones D,
            b"<list><contact><int_id>77</int_id><phone>1</phone><extra><a>1</a><b/></extra></contact></list>" =>
            [&[("phone", "1")]] Done;
        xml_empty_list: Contacts Xml Phones D, b"<list></list>" => [] Done;
        xml_empty_list_self_closing: Blacklist Xml Phones D, b"<list/>" => [] Done;
        xml_black_mails: Blacklist Xml Mails D, b"<list><record><id>401</id><email>a@b.c</email><type>0</type><comment></comment></record></list>" =>
            [&[("id", "401"), ("email", "a@b.c"), ("type", "0"), ("comment", "")]] Done;
        xml_mismatched_tag: Contacts Xml Phones D, b"<list><contact><name>a</contact></name></list>" => [] Bad(K::MismatchedTag, 22);
        xml_charref_zero: Contacts Xml Phones D, b"<list><contact><name>&#0;</name></contact></list>" => [] Bad(K::InvalidCharRef, 21);
        xml_charref_surrogate: Contacts Xml Phones D, b"<list><contact><name>&#xD800;</name></contact></list>" => [] Bad(K::InvalidCharRef, 21);
        xml_unknown_entity: Contacts Xml Phones D, b"<list><contact><name>&nbsp;</name></contact></list>" => [] Bad(K::InvalidCharRef, 21);
        xml_raw_ampersand: Contacts Xml Phones D, b"<list><contact><name>a & b</name></contact></list>" => [] Bad(K::InvalidCharRef, 23);
        xml_structure_in_known_field: Contacts Xml Phones D, b"<list><contact><name><b>1</b></name></contact></list>" => [] Bad(K::NotAScalar, 15);
        xml_truncated: Contacts Xml Phones D, b"<list><contact><name>a" => [] Bad(K::UnexpectedEnd, 22);
        xml_trailing_data: Contacts Xml Phones D, b"<list></list>x" => [] Bad(K::TrailingData, 13);
        xml_second_record_broken: Groups Xml Phones D, b"<list><group><id>1</id></group><group><id>2</name></group></list>" =>
            [&[("id", "1")]] Bad(K::MismatchedTag, 43);
        // What comes before the first record is text too: a comment, the root's attributes,
        // what follows the list.
        xml_invalid_utf8_before_root: Contacts Xml Phones D, b"<!-- \xce --><list/>" => [] Bad(K::InvalidUtf8, 5);
        xml_invalid_utf8_in_root_attribute: Contacts Xml Phones D, b"<list a=\"\xff\"><contact><name>x</name></contact></list>" => [] Bad(K::InvalidUtf8, 9);
        xml_invalid_utf8_after_root: Groups Xml Phones D, b"<list></list><!-- \xff -->" => [] Bad(K::InvalidUtf8, 18);
        xml_error: Contacts Xml Phones D, b"<result>\n<error>record not found</error>\n<error_code>3</error_code>\n</result>" => [] Api(3, Some("record not found"));
        xml_error_line: Groups Xml Phones D, b"ERROR = 2 (authorise error)" => [] Api(2, Some("authorise error"));

        // ---- fmt 3: JSON
        json_escapes: Contacts Json Phones D,
            br#"[{"phone": "1", "name": "\u0406\ud83d\ude00 \"q\" \\ \/ \n\t\u0001", "group": 5922}]"# =>
            [&[("phone", "1"), ("name", "\u{406}\u{1F600} \"q\" \\ / \n\t\u{1}"), ("group", "5922")]] Done;
        json_null_is_absent_unknown_skipped: Contacts Json Phones D,
            br#"[{"int_id": 77, "phone": "1", "name": null, "extra": {"a": [1, "]}"]}, "flags": []}]"# => [&[("phone", "1")]] Done;
        json_real_layout: Groups Json Phones D, b"[{\n\"id\": 5922,\n\"name\": \"A\",\n\"cnt\": \"2\"\n},\n{\n\"id\": 5923,\n\"name\": \"B\",\n\"number\": 101\n}]" =>
            [&[("id", "5922"), ("name", "A"), ("cnt", "2")], &[("id", "5923"), ("name", "B"), ("number", "101")]] Done;
        json_any_whitespace: Blacklist Json Phones D, b" \r\n[ \t{ \"id\" : 1 , \"type\"\t:\"0\" } ,\r\n{\"id\":2} ] \n" =>
            [&[("id", "1"), ("type", "0")], &[("id", "2")]] Done;
        json_mails_email: Blacklist Json Mails D, br#"[{"id": 401, "email": "a@b.c", "phone": "ignored"}]"# => [&[("id", "401"), ("email", "a@b.c")]] Done;
        json_empty_array: Contacts Json Phones D, b"[]" => [] Done;
        json_empty_array_newline: Groups Json Phones D, b"[\n]" => [] Done;
        json_empty_body: Blacklist Json Phones D, b"" => [] Done;
        json_bom: Contacts Json Phones D, b"\xEF\xBB\xBF[{\"phone\": \"1\"}]" => [&[("phone", "1")]] Done;
        // Which of two values would count is not for a decoder to guess.
        json_repeated_key: Contacts Json Phones D, br#"[{"name": "a", "name": "b"}]"# => [] Bad(K::DuplicateField, 15);
        json_repeated_unknown_key: Contacts Json Phones D, br#"[{"x": 1, "x": 2, "name": "b"}]"# => [&[("name", "b")]] Done;
        json_truncated: Contacts Json Phones D, br#"[{"phone": "1""# => [] Bad(K::UnexpectedEnd, 14);
        json_truncated_after_record: Contacts Json Phones D, br#"[{"phone": "1"},"# => [&[("phone", "1")]] Bad(K::UnexpectedEnd, 16);
        json_missing_comma: Contacts Json Phones D, br#"[{"phone": "1"} {"phone": "2"}]"# => [&[("phone", "1")]] Bad(K::UnexpectedByte, 16);
        json_raw_control: Contacts Json Phones D, b"[{\"name\": \"a\tb\"}]" => [] Bad(K::UnexpectedByte, 12);
        json_invalid_utf8: Contacts Json Phones D, b"[{\"name\": \"\xff\"}]" => [] Bad(K::InvalidUtf8, 11);
        json_bad_escape: Contacts Json Phones D, br#"[{"name": "\x41"}]"# => [] Bad(K::InvalidEscape, 11);
        json_short_unicode_escape: Contacts Json Phones D, br#"[{"name": "\u04"}]"# => [] Bad(K::InvalidEscape, 11);
        json_lone_high_surrogate: Contacts Json Phones D, br#"[{"name": "\ud83d"}]"# => [] Bad(K::LoneSurrogate, 11);
        json_lone_low_surrogate: Contacts Json Phones D, br#"[{"name": "\ude00"}]"# => [] Bad(K::LoneSurrogate, 11);
        json_surrogate_not_pair: Contacts Json Phones D, br#"[{"name": "x\ud83d\u0041"}]"# => [] Bad(K::LoneSurrogate, 12);
        json_structure_in_known_field: Contacts Json Phones D, br#"[{"name": {"a": 1}}]"# => [] Bad(K::NotAScalar, 2);
        json_trailing_data: Contacts Json Phones D, b"[] x" => [] Bad(K::TrailingData, 3);
        json_object_is_not_a_list: Contacts Json Phones D, br#"{"id": 5}"# => [] Bad(K::UnexpectedShape, 0);
        json_string_is_not_a_list: Contacts Json Phones D, br#""x""# => [] Bad(K::UnexpectedShape, 0);
        json_error: Contacts Json Phones D, br#"{"error": "record not found", "error_code": 3}"# => [] Api(3, Some("record not found"));
        json_error_code_string: Groups Json Phones D, br#"{"error_code": "3", "error": "record not found"}"# => [] Api(3, Some("record not found"));
        json_error_extra_id: Contacts Json Phones D, br#"{"error": "authorise error", "error_code": 2, "id": 12}"# => [] Api(2, Some("authorise error"));
        json_error_code_not_a_number: Contacts Json Phones D, br#"{"error": "x", "error_code": "abc"}"# => [] Bad(K::InvalidErrorCode, 30);
        json_error_line: Blacklist Json Phones D, b"ERROR = 2 (authorise error)\n" => [] Api(2, Some("authorise error"));

        // ---- limits: each exceeded one is its own kind
        limit_depth_json: Contacts Json Phones Limits { max_depth: 3, ..D }, br#"[{"x": [[1]]}]"# => [] Bad(K::DepthLimit, 8);
        limit_depth_json_enough: Contacts Json Phones Limits { max_depth: 4, ..D }, br#"[{"x": [[1]]}]"# => [&[]] Done;
        limit_depth_json_record: Contacts Json Phones Limits { max_depth: 1, ..D }, br#"[{"phone": "1"}]"# => [] Bad(K::DepthLimit, 1);
        limit_depth_xml: Contacts Xml Phones Limits { max_depth: 2, ..D }, b"<list><contact><x><b>1</b></x></contact></list>" => [] Bad(K::DepthLimit, 18);
        limit_depth_xml_enough: Contacts Xml Phones Limits { max_depth: 3, ..D }, b"<list><contact><x><b>1</b></x></contact></list>" => [&[]] Done;
        limit_record_len_json: Contacts Json Phones Limits { max_record_len: 10, ..D }, br#"[{"phone": "12345678901"}]"# => [] Bad(K::RecordTooLong, 1);
        limit_record_len_kv: Contacts KeyValue Phones Limits { max_record_len: 8, ..D }, b"phone = 1\n" => [] Bad(K::RecordTooLong, 0);
        limit_record_len_kv_enough: Contacts KeyValue Phones Limits { max_record_len: 9, ..D }, b"phone = 1\n" => [&[("phone", "1")]] Done;
        limit_fields_json: Contacts Json Phones Limits { max_fields: 2, ..D }, br#"[{"a":1,"b":2,"c":3}]"# => [] Bad(K::TooManyFields, 14);
        limit_fields_json_enough: Contacts Json Phones Limits { max_fields: 3, ..D }, br#"[{"a":1,"b":2,"c":3}]"# => [&[]] Done;
        limit_fields_kv: Contacts KeyValue Phones Limits { max_fields: 2, ..D }, b"phone = 1, name = a, group = 5\n" => [] Bad(K::TooManyFields, 19);
        // The offset is where the first field past the limit starts.
        limit_fields_csv: Groups Csv Phones Limits { max_fields: 2, ..D }, b"1,a,5\n" => [] Bad(K::TooManyFields, 4);
        limit_value_len_json: Contacts Json Phones Limits { max_value_len: 4, ..D }, br#"[{"name": "abcde"}]"# => [] Bad(K::ValueTooLong, 11);
        limit_value_len_json_enough: Contacts Json Phones Limits { max_value_len: 5, ..D }, br#"[{"name": "abcde"}]"# => [&[("name", "abcde")]] Done;
        // A JSON key is a string too, and is bounded the same way.
        limit_value_len_json_key: Contacts Json Phones Limits { max_value_len: 3, ..D }, br#"[{"name": "a"}]"# => [] Bad(K::ValueTooLong, 3);
        limit_value_len_kv: Contacts KeyValue Phones Limits { max_value_len: 3, ..D }, b"phone = 1234\n" => [] Bad(K::ValueTooLong, 8);
        limit_value_len_csv: Contacts Csv Phones Limits { max_value_len: 3, ..D }, b"1,abcd\n" => [] Bad(K::ValueTooLong, 2);
        limit_value_len_xml: Contacts Xml Phones Limits { max_value_len: 3, ..D }, b"<list><contact><name>abcd</name></contact></list>" => [] Bad(K::ValueTooLong, 21);
    }
}

fn expected_fields(rec: Rec) -> Fields {
    rec.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn check_list(case: &ListCase) -> Result<(), String> {
    let want_records: Vec<Fields> = case.records.iter().map(|r| expected_fields(r)).collect();
    let want_end = match case.want {
        Done => End::Done,
        Api(code, _) => End::Api(code),
        Bad(kind, offset) => End::Malformed(DecodeError { kind, offset }),
    };
    let whole = drive::whole_kind(case.kind, case.body, case.fmt, case.endpoint, case.limits);
    if whole.records != want_records || whole.end != want_end {
        return Err(format!(
            "whole body: {:?} then {:?}\n  expected {want_records:?} then {want_end:?}",
            whole.records, whole.end
        ));
    }
    let streamed = drive::stream_kind_with(
        case.kind,
        case.body,
        case.fmt,
        case.endpoint,
        case.limits,
        case.body.len().max(1),
        &[1],
    );
    if streamed != whole {
        return Err(format!("streaming byte by byte: {streamed:?}"));
    }
    if let Api(code, description) = case.want {
        let kind = ResponseKind::List(case.kind);
        match decode::response(kind, case.body, case.fmt, case.endpoint, Limits::DEFAULT) {
            Err(Error::Api(api)) => {
                let got = api.description.map(|d| owned::text(&d));
                if api.code.wire() != code || got.as_deref() != description {
                    return Err(format!("API error {api:?}"));
                }
            }
            other => return Err(format!("response() gives {other:?}")),
        }
    }
    Ok(())
}

fn report(failures: Vec<String>, total: usize) {
    assert!(failures.is_empty(), "{} of {total} cases failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn list_known_answers() {
    let table = list_table();
    let failures: Vec<String> =
        table.iter().filter_map(|case| check_list(case).err().map(|e| format!("{}: {e}", case.name))).collect();
    report(failures, table.len());
}

/// Every kind of malformed body that a body can trigger appears in the table above.
#[test]
fn the_table_covers_every_decode_error_kind() {
    let all = [
        K::UnexpectedEnd,
        K::UnexpectedByte,
        K::InvalidUtf8,
        K::InvalidEscape,
        K::LoneSurrogate,
        K::InvalidCharRef,
        K::MismatchedTag,
        K::NotAScalar,
        K::NotKeyValue,
        K::AmbiguousLine,
        K::FieldMismatch,
        K::UnexpectedShape,
        K::TrailingData,
        K::InvalidErrorCode,
        K::DepthLimit,
        K::RecordTooLong,
        K::TooManyFields,
        K::ValueTooLong,
    ];
    let table = list_table();
    for kind in all {
        let covered = table.iter().any(|c| matches!(c.want, Bad(k, _) if k == kind));
        assert!(covered, "no list case for {kind:?}");
        assert!(!kind.message().is_empty());
    }
    // Each kind's message is its own.
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert_ne!(a.message(), b.message());
        }
    }
    let err = DecodeError { kind: K::TrailingData, offset: 17 };
    assert_eq!(err.to_string(), "data after the end of the response at byte 17");
}

/// Each limit, exceeded, gives its own kind on the same body shape.
#[test]
fn limits_produce_distinct_kinds() {
    let body = br#"[{"name": "abcdef", "x": [[1]], "y": 1}]"#;
    let cases = [
        (Limits { max_depth: 3, ..D }, K::DepthLimit),
        (Limits { max_record_len: 20, ..D }, K::RecordTooLong),
        (Limits { max_fields: 2, ..D }, K::TooManyFields),
        (Limits { max_value_len: 5, ..D }, K::ValueTooLong),
    ];
    let fine = drive::whole_kind(Contacts, body, Json, Phones, D);
    assert_eq!(fine.end, End::Done);
    assert_eq!(fine.records, vec![expected_fields(&[("name", "abcdef")])]);
    for (limits, kind) in cases {
        let got = drive::whole_kind(Contacts, body, Json, Phones, limits);
        assert!(matches!(got.end, End::Malformed(e) if e.kind == kind), "{limits:?}: {got:?}");
    }
    // Limits above the hard ceilings act as the ceilings, and never panic.
    let huge =
        Limits { max_depth: usize::MAX, max_record_len: usize::MAX, max_fields: usize::MAX, max_value_len: usize::MAX };
    assert_eq!(drive::whole_kind(Contacts, body, Json, Phones, huge).end, End::Done);
    let deep = format!("[{{\"x\": {}1{}}}]", "[".repeat(100), "]".repeat(100));
    let got = drive::whole_kind(Contacts, deep.as_bytes(), Json, Phones, huge);
    assert!(matches!(got.end, End::Malformed(e) if e.kind == K::DepthLimit), "{got:?}");
}

/// Unknown fields stay reachable through the raw record, in every fmt that names fields.
#[test]
fn unknown_fields_through_the_raw_record() {
    let bodies: [(Fmt, &[u8], &str); 3] = [
        (KeyValue, b"int_id = 77, phone = 1, name = A\n", "int_id = 77, phone = 1, name = A"),
        (
            Xml,
            b"<list><contact><int_id>77</int_id><phone>1</phone><name>A</name></contact></list>",
            "<contact><int_id>77</int_id><phone>1</phone><name>A</name></contact>",
        ),
        (Json, br#"[{"int_id": "77", "phone": "1", "name": "A"}]"#, r#"{"int_id": "77", "phone": "1", "name": "A"}"#),
    ];
    for (fmt, body, raw) in bodies {
        let contact = decode::contacts(body, fmt, Phones).unwrap().next().unwrap().unwrap();
        assert_eq!(contact.phone.unwrap(), "1");
        assert_eq!(contact.name.unwrap(), "A");
        assert_eq!(contact.raw.get("int_id").map(|t| t.to_string()).as_deref(), Some("77"), "{fmt:?}");
        assert_eq!(contact.raw.get("nope"), None);
        assert_eq!(contact.raw.bytes(), raw.as_bytes(), "{fmt:?}");
        assert_eq!(contact.raw.fmt(), fmt);
        assert_eq!(contact.raw.endpoint(), Phones);
        let fields: Vec<(String, String)> =
            contact.raw.fields().map(|f| (f.name.to_owned(), owned::text(&f.value))).collect();
        assert_eq!(fields, expected_fields(&[("int_id", "77"), ("phone", "1"), ("name", "A")]), "{fmt:?}");
        assert_eq!(contact.raw().bytes(), raw.as_bytes());
    }
    // JSON: nulls are left out, structures come raw and plain.
    let body = br#"[{"int_id": 77, "phone": null, "extra": {"a": [1]}, "name": "A\u0026B"}]"#;
    let contact = decode::contacts(body, Json, Phones).unwrap().next().unwrap().unwrap();
    let fields: Vec<(&str, Text<'_>)> = contact.raw.fields().map(|f| (f.name, f.value)).collect();
    assert_eq!(fields.len(), 3);
    assert_eq!((fields[0].0, fields[0].1.raw()), ("int_id", "77"));
    assert_eq!((fields[1].0, fields[1].1.raw(), fields[1].1.dialect()), ("extra", r#"{"a": [1]}"#, Dialect::Plain));
    assert_eq!((fields[2].0, fields[2].1.raw(), fields[2].1.dialect()), ("name", r"A\u0026B", Dialect::Json));
    assert_eq!(fields[2].1, "A&B");
    assert_eq!(contact.phone, None);
    // fmt 1 names fields by position.
    let body = b"a@b.c,A,5\n";
    let contact = decode::contacts(body, Csv, Mails).unwrap().next().unwrap().unwrap();
    let names: Vec<&str> = contact.raw.fields().map(|f| f.name).collect();
    assert_eq!(names, ["mail", "name", "group"]);
    assert_eq!(contact.mail().unwrap(), "a@b.c");
    // XML: an unknown element with children comes raw.
    let body = b"<list><contact><extra><a>1</a></extra></contact></list>";
    let contact = decode::contacts(body, Xml, Phones).unwrap().next().unwrap().unwrap();
    let extra = contact.raw.get("extra").unwrap();
    assert_eq!((extra.raw(), extra.dialect()), ("<a>1</a>", Dialect::Plain));
}

/// Created (`add`, `add_group`, `add_black`) in every fmt.
#[test]
fn created_known_answers() {
    #[derive(Debug)]
    enum W {
        Id(&'static str),
        Api(u16, Option<&'static str>),
        Bad(K, usize),
    }
    let table: &[(Fmt, &[u8], W)] = &[
        (KeyValue, b"ID = 123456", W::Id("123456")),
        (KeyValue, b"ID = 5\r\n  ", W::Id("5")),
        (KeyValue, b"ID=5", W::Id("5")),
        (Csv, b"123456", W::Id("123456")),
        (Csv, b"5\n", W::Id("5")),
        (Xml, b"<phone>\n<id>123456</id>\n</phone>", W::Id("123456")),
        (Xml, b"<group><id>5924</id></group>", W::Id("5924")),
        (Xml, b"<mail><id>223344</id></mail>", W::Id("223344")),
        (Xml, b"<?xml version=\"1.0\"?>\r\n<group>\r\n<id>7</id>\r\n</group>\r\n", W::Id("7")),
        (Json, br#"{"id": 123456}"#, W::Id("123456")),
        (Json, br#"{"id": "123456"}"#, W::Id("123456")),
        (Json, b"{\n\"id\": 5924\n}", W::Id("5924")),
        (Json, b"\xEF\xBB\xBF{\"id\": 5}", W::Id("5")),
        // Errors, in the fmt's own shape and as the fmt=0 line in every fmt.
        (KeyValue, b"ERROR = 2 (authorise error)", W::Api(2, Some("authorise error"))),
        (Csv, b"0,-2", W::Api(2, None)),
        (
            Xml,
            b"<result><error>authorise error</error><error_code>2</error_code></result>",
            W::Api(2, Some("authorise error")),
        ),
        (Json, br#"{"error": "authorise error", "error_code": 2}"#, W::Api(2, Some("authorise error"))),
        (Json, br#"{"error": "authorise error", "error_code": 2, "id": 12}"#, W::Api(2, Some("authorise error"))),
        (Csv, b"ERROR = 2 (authorise error)", W::Api(2, Some("authorise error"))),
        (Xml, b"ERROR = 2 (authorise error)", W::Api(2, Some("authorise error"))),
        (Json, b"ERROR = 2 (authorise error)\n", W::Api(2, Some("authorise error"))),
        (Json, b"ERROR = 9", W::Api(9, None)),
        // Malformed.
        (Json, b"", W::Bad(K::UnexpectedEnd, 0)),
        (KeyValue, b"  \n", W::Bad(K::UnexpectedEnd, 3)),
        (Json, b"[1]", W::Bad(K::UnexpectedShape, 0)),
        (Json, br#"{"result": "OK"}"#, W::Bad(K::UnexpectedShape, 0)),
        (Json, br#"{"id": 5"#, W::Bad(K::UnexpectedEnd, 8)),
        (Json, br#"{"id": 5} x"#, W::Bad(K::TrailingData, 10)),
        (Json, br#"{"id": {"a": 1}}"#, W::Bad(K::NotAScalar, 1)),
        (KeyValue, b"5", W::Bad(K::UnexpectedShape, 0)),
        (Csv, b"5,6", W::Bad(K::UnexpectedShape, 0)),
        (Xml, b"<phone><id>5</phone>", W::Bad(K::MismatchedTag, 12)),
        (KeyValue, b"ERROR = x", W::Bad(K::UnexpectedShape, 0)),
        (KeyValue, b"ID = 12a", W::Bad(K::UnexpectedShape, 5)),
        (Json, br#"{"id": "12a"}"#, W::Bad(K::UnexpectedShape, 8)),
        (Json, br#"{"id": 1.5}"#, W::Bad(K::UnexpectedShape, 7)),
    ];
    let mut failures = Vec::new();
    for (i, (fmt, body, want)) in table.iter().enumerate() {
        let got = decode::created(body, *fmt);
        let ok = match (want, &got) {
            (W::Id(id), Ok(created)) => owned::text(&created.id) == *id,
            (W::Api(code, description), Err(Error::Api(api))) => {
                api.code.wire() == *code && api.description.map(|d| owned::text(&d)).as_deref() == *description
            }
            (W::Bad(kind, offset), Err(Error::Malformed(err))) => err.kind == *kind && err.offset == *offset,
            _ => false,
        };
        if !ok {
            failures.push(format!("#{i} {fmt:?} {:?}: got {got:?}, want {want:?}", String::from_utf8_lossy(body)));
        }
        // The run-time entry point agrees.
        for command in [CommandKind::AddContact, CommandKind::AddGroup, CommandKind::AddBlacklistEntry] {
            let via_response = decode::response(command.response(), body, *fmt, Phones, Limits::DEFAULT);
            let same = match (&got, &via_response) {
                (Ok(a), Ok(Response::Created(b))) => a == b,
                (Err(a), Err(b)) => a == b,
                _ => false,
            };
            if !same {
                failures.push(format!("#{i}: response({command:?}) gives {via_response:?}"));
            }
        }
    }
    report(failures, table.len());
}

/// OK (`chg`, `chg_group`, `move_group`, `del`, `del_group`, `del_black`) in every fmt:
/// a bare `OK` and an empty body are success in every fmt.
#[test]
fn done_known_answers() {
    #[derive(Debug)]
    enum W {
        Ok,
        Api(u16, Option<&'static str>),
        Bad(K, usize),
    }
    let mut table: Vec<(Fmt, &[u8], W)> = Vec::new();
    for fmt in [KeyValue, Csv, Xml, Json] {
        table.push((fmt, b"OK", W::Ok));
        table.push((fmt, b"", W::Ok));
        table.push((fmt, b"  OK \r\n", W::Ok));
        table.push((fmt, b"\xEF\xBB\xBFOK", W::Ok));
        table.push((
            fmt,
            b"ERROR = 9 (duplicate request, wait a minute)",
            W::Api(9, Some("duplicate request, wait a minute")),
        ));
        table.push((fmt, b"ERROR = 1 (parameters error)\n", W::Api(1, Some("parameters error"))));
    }
    table.extend([
        (Xml, &b"<result>OK</result>"[..], W::Ok),
        (Xml, b"<?xml version=\"1.0\"?>\n<result>OK</result>\n", W::Ok),
        (Json, br#"{"result": "OK"}"#, W::Ok),
        (Json, b"{\n\"result\": \"OK\"\n}", W::Ok),
        (Csv, b"0,-9", W::Api(9, None)),
        (Csv, b"0,-3\n", W::Api(3, None)),
        (
            Xml,
            b"<result>\n<error>record not found</error>\n<error_code>3</error_code>\n</result>",
            W::Api(3, Some("record not found")),
        ),
        (Json, br#"{"error": "save error", "error_code": 5}"#, W::Api(5, Some("save error"))),
        (Json, br#"{"result": "FAIL"}"#, W::Bad(K::UnexpectedShape, 0)),
        (Json, br#"{"result": "OK""#, W::Bad(K::UnexpectedEnd, 15)),
        (Json, br#"{"id": 5}"#, W::Bad(K::UnexpectedShape, 0)),
        (KeyValue, b"NOPE", W::Bad(K::UnexpectedShape, 0)),
        (Csv, b"1", W::Bad(K::UnexpectedShape, 0)),
        (Xml, b"<result>OK</result> x", W::Bad(K::TrailingData, 20)),
        (Xml, b"<result>OK</res>", W::Bad(K::MismatchedTag, 10)),
    ]);
    let mut failures = Vec::new();
    for (i, (fmt, body, want)) in table.iter().enumerate() {
        let got = decode::done(body, *fmt);
        let ok = match (want, &got) {
            (W::Ok, Ok(())) => true,
            (W::Api(code, description), Err(Error::Api(api))) => {
                api.code.wire() == *code && api.description.map(|d| owned::text(&d)).as_deref() == *description
            }
            (W::Bad(kind, offset), Err(Error::Malformed(err))) => err.kind == *kind && err.offset == *offset,
            _ => false,
        };
        if !ok {
            failures.push(format!("#{i} {fmt:?} {:?}: got {got:?}, want {want:?}", String::from_utf8_lossy(body)));
        }
        for command in [
            CommandKind::ChangeContact,
            CommandKind::ChangeGroup,
            CommandKind::MoveGroup,
            CommandKind::DeleteContact,
            CommandKind::DeleteGroup,
            CommandKind::DeleteBlacklistEntry,
        ] {
            let via_response = decode::response(command.response(), body, *fmt, Mails, Limits::DEFAULT);
            let same = match (&got, &via_response) {
                (Ok(()), Ok(Response::Done)) => true,
                (Err(a), Err(b)) => a == b,
                _ => false,
            };
            if !same {
                failures.push(format!("#{i}: response({command:?}) gives {via_response:?}"));
            }
        }
    }
    report(failures, table.len());
}

/// The typed error codes, their numbers, and which can be retried (4 and 9 only).
#[test]
fn error_codes() {
    let table = [
        (1, ErrorCode::Parameters, false),
        (2, ErrorCode::Auth, false),
        (3, ErrorCode::NotFound, false),
        (4, ErrorCode::IpBlocked, true),
        (5, ErrorCode::Failed, false),
        (9, ErrorCode::RateLimited, true),
        (7, ErrorCode::Other(7), false),
        (65535, ErrorCode::Other(65535), false),
    ];
    for (n, code, retry) in table {
        assert_eq!(ErrorCode::from_wire(n), code);
        assert_eq!(code.wire(), n);
        assert_eq!(code.is_retryable(), retry, "{code:?}");
        let body = format!("0,-{n}");
        let err = decode::done(body.as_bytes(), Csv).unwrap_err();
        let api = err.api().expect("an API error");
        assert_eq!(api.code, code);
        assert_eq!(api.is_retryable(), retry);
        assert_eq!(api.is_not_found(), n == 3);
        assert_eq!(err.malformed(), None);
    }
    // A code that does not fit in 16 bits is not a code.
    assert!(matches!(
        decode::done(b"ERROR = 65536 (x)", Json),
        Err(Error::Malformed(DecodeError { kind: K::InvalidErrorCode, offset: 8 }))
    ));
    let api = decode::done(b"ERROR = 3 (record not found)", Xml).unwrap_err();
    assert_eq!(api.to_string(), "SMSC error 3: record not found");
    let api = decode::done(b"0,-9", Csv).unwrap_err();
    assert_eq!(api.to_string(), "SMSC error 9: too many identical or concurrent requests");
}

/// Text: comparisons, unescaping into a caller buffer, numbers.
#[test]
fn text_known_answers() {
    let body = br#"[{"name": "\u0406\u0432\u0430\u043d \ud83d\ude00", "group": " 5922 ", "id": "12a"}]"#;
    let contact = decode::contacts(body, Json, Phones).unwrap().next().unwrap().unwrap();
    let name = contact.name.unwrap();
    assert_eq!(name, "Іван 😀");
    assert_ne!(name, "Іван");
    assert_eq!(name.raw(), r"\u0406\u0432\u0430\u043d \ud83d\ude00");
    assert_eq!(name.as_borrowed(), None);
    assert_eq!(name.unescaped_len(), "Іван 😀".len());
    let mut small = [0u8; 8];
    assert_eq!(name.unescape_into(&mut small).unwrap_err().needed, "Іван 😀".len());
    let mut buf = [0u8; 13];
    assert_eq!(name.unescape_into(&mut buf), Ok("Іван 😀"));
    assert_eq!(contact.groups.unwrap().to_u64(), Some(5922));
    assert_eq!(contact.my_id.unwrap().to_u64(), None);
    let xml = b"<list><contact><name>\xd0\x86\xd0\xb2\xd0\xb0\xd0\xbd &#x1F600;</name></contact></list>";
    let other = decode::contacts(xml, Xml, Phones).unwrap().next().unwrap().unwrap();
    // Equal whatever the dialect.
    assert_eq!(other.name.unwrap(), name);
    assert_eq!(Text::plain("a"), "a");
}

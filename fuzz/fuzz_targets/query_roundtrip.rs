//! Arbitrary values for every parameter of a command: the written query decodes back to exactly
//! the pairs put in, in order, and no value can add or change a parameter.
#![no_main]

use arbitrary::Arbitrary;
use smsc_codec::{Auth, CommandKind, Endpoint, Params, Request};

#[derive(Arbitrary, Debug)]
struct Input {
    command: u8,
    mails: bool,
    login: String,
    password: String,
    values: Vec<String>,
}

libfuzzer_sys::fuzz_target!(|input: Input| {
    let kind = CommandKind::ALL[usize::from(input.command) % CommandKind::ALL.len()];
    let endpoint = if input.mails { Endpoint::Mails } else { Endpoint::Phones };
    let mut params = Params::new(kind, endpoint);
    let mut expected: Vec<(String, String)> = Vec::new();
    for ((name, _), value) in kind.params(endpoint).zip(&input.values) {
        if params.set(name, value).is_ok() {
            expected.push((name.to_owned(), value.clone()));
        }
    }
    let request = Request::new(Auth::password(&input.login, &input.password), params);
    let Ok(query) = request.to_query_string() else {
        // Refused: a required parameter is missing or the credentials are empty.
        return;
    };
    assert!(smsc_codec_tests::strictly_form_encoded(query.as_bytes()), "{query}");
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let flag = pairs.remove(0);
    assert_eq!(flag.0, kind.wire());
    let head: Vec<(String, String)> = pairs.drain(..4).collect();
    assert_eq!(head[0], ("login".to_owned(), input.login.clone()));
    assert_eq!(head[1], ("psw".to_owned(), input.password.clone()));
    assert_eq!(head[2].0, "fmt");
    assert_eq!(head[3], ("charset".to_owned(), "utf-8".to_owned()));
    // Parameters come out in the command's order, whatever order they were set in.
    let order: Vec<&str> = kind.params(endpoint).map(|(n, _)| n).collect();
    expected.sort_by_key(|(n, _)| order.iter().position(|o| o == n));
    assert_eq!(pairs, expected);
});

//! Building a request from the strings that `js/glue.js` (`requestArgs`) flattened.

use alloc::string::String;

use smsc_codec::{Auth, BuildErrorKind, CommandKind, Endpoint, Fmt, Params, Request};
use wasm_bindgen::JsValue;

/// The index of a build error kind in `glue.js`'s `BUILD_KINDS` (255 for a kind added later).
fn kind_index(kind: BuildErrorKind) -> u32 {
    use BuildErrorKind as K;
    match kind {
        K::Empty => 0,
        K::NotNumeric => 1,
        K::CountTooLarge => 2,
        K::InvalidType => 3,
        K::InvalidDate => 4,
        K::InvalidDigest => 5,
        K::WrongEndpoint => 6,
        K::UnknownParam => 7,
        K::BufferTooSmall => 8,
        K::InvalidIdList => 9,
        K::WriteFailed => 10,
        _ => 255,
    }
}

fn error(kind: BuildErrorKind, param: &str) -> JsValue {
    crate::request_error(kind_index(kind), param, kind.message())
}

/// `args`: command, endpoint (`phones`/`mails`), fmt (`0`-`3`), auth kind (`none`,
/// `password`, `md5`, `apikey`), two auth values, then wire name / value pairs.
pub(crate) fn run(args: &[String]) -> Result<JsValue, JsValue> {
    let [command, endpoint, fmt, auth, a, b, pairs @ ..] = args else {
        return Err(crate::type_error("invalid arguments"));
    };
    let Some(kind) = CommandKind::from_wire(command) else {
        return Err(crate::type_error("unknown command"));
    };
    let endpoint = match endpoint.as_str() {
        "mails" => Endpoint::Mails,
        _ => Endpoint::Phones,
    };
    let fmt = fmt.parse::<u8>().ok().and_then(Fmt::from_wire).unwrap_or(Fmt::Json);
    let mut params = Params::new(kind, endpoint);
    for pair in pairs.chunks_exact(2) {
        if let Err(err) = params.set(&pair[0], &pair[1]) {
            return Ok(error(err.kind, &pair[0]));
        }
    }
    let request = match auth.as_str() {
        "password" => Request::new(Auth::password(a, b), params),
        "md5" => Request::new(Auth::md5(a, b), params),
        "apikey" => Request::new(Auth::api_key(a), params),
        _ => Request::without_auth(params),
    }
    .fmt(fmt);
    let mut query = String::new();
    Ok(match request.write_to(&mut query) {
        Ok(()) => crate::request_ok(request.path(), &query),
        Err(err) => error(err.kind, &err.param),
    })
}

//! `smsc query`.

use std::io::Write;

use smsc_codec::{Auth, BuildError, BuildErrorKind, Params, Request};

use crate::Common;

/// Builds the query; `Ok(Err(..))` is a refused parameter, `Err` a usage error.
pub(crate) fn run(common: &Common<'_>, out: &mut dyn Write) -> Result<Result<(), String>, String> {
    let mut login = None;
    let mut psw = None;
    let mut apikey = None;
    for &(option, value) in &common.options {
        let slot = match option {
            "--login" => &mut login,
            "--psw" => &mut psw,
            "--apikey" => &mut apikey,
            other => return Err(format!("unknown option `{other}`")),
        };
        *slot = Some(value);
    }
    let auth = match (login, psw, apikey) {
        (Some(login), Some(psw), None) => Some(Auth::password(login, psw)),
        (None, None, Some(key)) => Some(Auth::api_key(key)),
        (None, None, None) => None,
        (Some(_), None, None) | (None, Some(_), None) => return Err("--login and --psw go together".to_owned()),
        _ => return Err("give either --login and --psw, or --apikey".to_owned()),
    };
    let mut params = Params::new(common.command, common.endpoint);
    for &(name, value) in &common.pairs {
        if let Err(err) = params.set(name, value) {
            return Ok(Err(refused(common, name, err)));
        }
    }
    let request = match auth {
        Some(auth) => Request::new(auth, params),
        None => Request::without_auth(params),
    }
    .fmt(common.fmt);
    let query = match request.to_query_string() {
        Ok(query) => query,
        Err(err) => return Ok(Err(refused(common, &err.param, err))),
    };
    Ok(writeln!(out, "{}?{}", request.path(), query).map_err(|e| format!("cannot write: {e}")))
}

fn refused(common: &Common<'_>, name: &str, err: BuildError) -> String {
    let command = common.command.wire();
    match err.kind {
        BuildErrorKind::UnknownParam => format!("`{command}` takes no parameter `{name}`"),
        BuildErrorKind::WrongEndpoint => {
            format!("`{name}` is not a parameter of `{command}` on {}", common.endpoint.path())
        }
        BuildErrorKind::Empty => format!("`{command}` needs `{name}`"),
        kind => format!("`{name}` {}", kind.message()),
    }
}

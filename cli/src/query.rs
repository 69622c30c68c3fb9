//! `smsc query`.

use std::io::Write;

use smsc_codec::{BuildError, BuildErrorKind, Params, Request};

use crate::{Credentials, Exit, RequestShape};

/// Builds the query and prints `<path>?<query>`.
pub(crate) fn run(
    shape: &RequestShape,
    credentials: &Credentials,
    pairs: &[String],
    out: &mut dyn Write,
) -> Result<(), Exit> {
    let params = params(shape, pairs)?;
    let account = credentials.account();
    let request = match &account {
        Some(account) => Request::new(account.auth(), params),
        None => Request::without_auth(params),
    }
    .fmt(shape.fmt);
    let query = request.to_query_string().map_err(|err| Exit::usage(refused(shape, &err.param, err)))?;
    writeln!(out, "{}?{}", request.path(), query).map_err(|e| Exit::unreachable(format!("cannot write: {e}")))
}

/// The `NAME=VALUE` arguments of a command, each checked as it is set.
pub(crate) fn params<'a>(shape: &RequestShape, pairs: &'a [String]) -> Result<Params<'a>, Exit> {
    let mut params = Params::new(shape.command, shape.endpoint());
    for pair in pairs {
        let (name, value) =
            pair.split_once('=').ok_or_else(|| Exit::usage(format!("expected NAME=VALUE, not `{pair}`")))?;
        params.set(name, value).map_err(|err| Exit::usage(refused(shape, name, err)))?;
    }
    Ok(params)
}

fn refused(shape: &RequestShape, name: &str, err: BuildError) -> String {
    let command = shape.command.wire();
    match err.kind {
        BuildErrorKind::UnknownParam => format!("`{command}` takes no parameter `{name}`"),
        BuildErrorKind::WrongEndpoint => {
            format!("`{name}` is not a parameter of `{command}` on {}", shape.endpoint().path())
        }
        BuildErrorKind::Empty => format!("`{command}` needs `{name}`"),
        kind => format!("`{name}` {}", kind.message()),
    }
}

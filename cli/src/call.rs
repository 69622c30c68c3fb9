//! `smsc call`: one request to a server, its answer decoded into JSON lines.

use std::io::Write;

use crate::decode::{self, Printed};
use crate::remote::Remote;
use crate::{query, Exit, RequestShape, Server};

/// `smsc call`.
#[derive(clap::Args, Debug)]
pub(crate) struct CallArgs {
    #[command(flatten)]
    shape: RequestShape,
    #[command(flatten)]
    server: Server,
    /// Parameters, by their wire names: phone=79991112233 name=Ivan ...
    #[arg(value_name = "NAME=VALUE")]
    pairs: Vec<String>,
}

/// Sends the request and prints the answer as `smsc decode` would; an API error is printed
/// too, and is exit 1.
pub(crate) fn run(args: &CallArgs, out: &mut dyn Write) -> Result<(), Exit> {
    let params = query::params(&args.shape, &args.pairs)?;
    let remote = Remote::new(&args.server)?;
    let body = remote.send(params, args.shape.fmt)?;
    match decode::print(&args.shape, &mut &body[..], out) {
        Ok(Printed::Answer) => Ok(()),
        Ok(Printed::ApiError(words)) => Err(Exit::api(format!("the server answered {words}"))),
        Err(message) => Err(Exit::usage(format!("the server's answer: {message}"))),
    }
}

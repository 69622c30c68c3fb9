//! The `smsc` command. Everything lives in the library half of this crate, so the tests can
//! run it without a process.

use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = Vec::new();
    for (i, arg) in std::env::args_os().skip(1).enumerate() {
        match arg.into_string() {
            Ok(arg) => args.push(arg),
            // A file name or a shell variable in another encoding: refused with a message, never
            // a panic (which `std::env::args` would be).
            Err(arg) => {
                eprintln!("smsc: argument {} is not valid UTF-8: {}", i + 1, arg.to_string_lossy());
                return ExitCode::from(smsc_codec_cli::EXIT_ERROR);
            }
        }
    }
    let mut out = io::stdout().lock();
    let mut err = io::stderr().lock();
    let code = smsc_codec_cli::run(&args, &mut io::stdin().lock(), &mut out, &mut err);
    let _ = out.flush();
    ExitCode::from(code)
}

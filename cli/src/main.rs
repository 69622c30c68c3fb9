//! The `smsc` command. Everything lives in the library half of this crate, so the tests can
//! run it without a process.

use std::io::{self, Read, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut stdin = Vec::new();
    let wants_stdin = args.first().is_some_and(|a| a == "decode");
    if wants_stdin {
        if let Err(err) = io::stdin().lock().read_to_end(&mut stdin) {
            eprintln!("smsc: cannot read standard input: {err}");
            return ExitCode::from(2);
        }
    }
    let mut out = io::stdout().lock();
    let mut err = io::stderr().lock();
    let code = smsc_codec_cli::run(&args, &stdin, &mut out, &mut err);
    let _ = out.flush();
    ExitCode::from(code)
}

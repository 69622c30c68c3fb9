//! The response-body fixtures: `tests/fixtures/<endpoint>/<command>/<variant>.fmt<N>.body`, each
//! with exactly one sibling, `.jsonl` (the exact expected `smsc decode` stdout) or `.malformed`
//! (the body must be rejected). See `tests/fixtures/README.md`.

use std::fs;
use std::path::{Path, PathBuf};

use smsc_codec::{CommandKind, Endpoint, Fmt};

/// What a fixture expects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// The exact stdout of `smsc decode` (exit 0): the bytes of the `.jsonl` file.
    Jsonl(Vec<u8>),
    /// The body must be rejected; the `.malformed` file's reason, for people.
    Malformed(String),
}

/// One fixture, read into memory.
#[derive(Clone, Debug)]
pub struct Fixture {
    /// The path without `.body`.
    pub stem: PathBuf,
    /// `phones` or `mails`.
    pub endpoint: Endpoint,
    /// The command whose answer the body is.
    pub command: CommandKind,
    /// What the body exercises (`basic`, `error`, ...).
    pub variant: String,
    /// The fmt the request asked for.
    pub fmt: Fmt,
    /// The body, byte-exact.
    pub body: Vec<u8>,
    /// What decoding it must give.
    pub expected: Expected,
}

impl Fixture {
    /// A short name for messages: `phones/get/basic.fmt0`.
    pub fn name(&self) -> String {
        format!("{}/{}/{}.fmt{}", endpoint_dir(self.endpoint), self.command.wire(), self.variant, self.fmt.wire())
    }

    /// The arguments of `smsc decode` for this fixture.
    pub fn decode_args(&self) -> Vec<String> {
        let mut args =
            vec!["decode".to_owned(), self.command.wire().to_owned(), "--fmt".to_owned(), self.fmt.wire().to_string()];
        if self.endpoint == Endpoint::Mails {
            args.push("--mail".to_owned());
        }
        args
    }

    /// The expected stdout, when the body must decode.
    pub fn jsonl(&self) -> Option<&[u8]> {
        match &self.expected {
            Expected::Jsonl(bytes) => Some(bytes),
            Expected::Malformed(_) => None,
        }
    }
}

/// `tests/fixtures`, found from this crate's manifest directory.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The directory name of an endpoint.
pub const fn endpoint_dir(endpoint: Endpoint) -> &'static str {
    match endpoint {
        Endpoint::Phones => "phones",
        Endpoint::Mails => "mails",
    }
}

/// The twelve command names as the fixture directories spell them (the CLI contract's list).
pub const COMMANDS: [&str; 12] = [
    "add",
    "add_group",
    "chg",
    "chg_group",
    "move_group",
    "del",
    "del_group",
    "get",
    "get_group",
    "add_black",
    "del_black",
    "get_black",
];

/// Every fixture, sorted by path. Panics on a layout error: an unknown endpoint or command
/// directory, a file name that is not `<variant>.fmt<N>.<ext>`, a `.body` without exactly one
/// sibling, or a sibling without a `.body`.
pub fn load_all() -> Vec<Fixture> {
    let root = dir();
    let mut fixtures = Vec::new();
    for endpoint in [Endpoint::Phones, Endpoint::Mails] {
        let endpoint_path = root.join(endpoint_dir(endpoint));
        for entry in read_dir_sorted(&endpoint_path) {
            let command_name = file_name(&entry);
            assert!(COMMANDS.contains(&command_name.as_str()), "unknown command directory {}", entry.display());
            let command = CommandKind::from_wire(&command_name)
                .unwrap_or_else(|| panic!("core does not know the command `{command_name}`"));
            for file in read_dir_sorted(&entry) {
                let name = file_name(&file);
                let Some((stem, ext)) = name.rsplit_once('.') else {
                    panic!("fixture file without an extension: {}", file.display());
                };
                let (variant, fmt) =
                    parse_stem(stem).unwrap_or_else(|| panic!("not `<variant>.fmt<N>.<ext>`: {}", file.display()));
                let stem = entry.join(stem);
                let sibling = |ext: &str| PathBuf::from(format!("{}.{ext}", stem.display()));
                let has = |ext: &str| sibling(ext).is_file();
                match ext {
                    "body" => {}
                    "jsonl" | "malformed" => {
                        assert!(has("body"), "{} has no .body", file.display());
                        continue;
                    }
                    _ => panic!("unexpected fixture file {}", file.display()),
                }
                let siblings = usize::from(has("jsonl")) + usize::from(has("malformed"));
                assert_eq!(siblings, 1, "{} needs exactly one .jsonl or .malformed sibling", file.display());
                let read = |ext: &str| fs::read(sibling(ext));
                let expected = match read("jsonl") {
                    Ok(bytes) => Expected::Jsonl(bytes),
                    Err(_) => Expected::Malformed(
                        String::from_utf8(read("malformed").expect("read .malformed")).expect(".malformed is UTF-8"),
                    ),
                };
                fixtures.push(Fixture {
                    body: fs::read(&file).expect("read .body"),
                    stem,
                    endpoint,
                    command,
                    variant: variant.to_owned(),
                    fmt: Fmt::from_wire(fmt).expect("fmt 0..=3"),
                    expected,
                });
            }
        }
    }
    fixtures
}

/// `basic.fmt3` -> (`basic`, 3).
fn parse_stem(stem: &str) -> Option<(&str, u8)> {
    let (variant, fmt) = stem.rsplit_once(".fmt")?;
    let fmt: u8 = fmt.parse().ok()?;
    (fmt <= 3 && !variant.is_empty()).then_some((variant, fmt))
}

fn read_dir_sorted(path: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = fs::read_dir(path)
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    entries
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_else(|| panic!("non UTF-8 file name {}", path.display()))
        .to_owned()
}

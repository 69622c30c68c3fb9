//! [`Params`]: any command from wire names and string values, for tools and bindings.

use super::{spec, Command, CommandKind, MoveMode};
use crate::error::{BuildError, BuildErrorKind};
use crate::Endpoint;

/// The most parameters a command takes (`chg`).
const MAX_PARAMS: usize = 12;

/// A command built from wire names and string values, checked as it is filled: what a CLI, a
/// binding or a form needs. Typed commands ([`AddContact`](crate::AddContact)...) are the
/// better choice in Rust code.
///
/// ```
/// use smsc_codec::{Auth, BuildErrorKind, CommandKind, Endpoint, Params, Request};
///
/// let mut get = Params::new(CommandKind::GetContacts, Endpoint::Mails);
/// get.set("mail", "a@example.com")?;
/// assert_eq!(get.set("phone", "7999").unwrap_err().kind, BuildErrorKind::WrongEndpoint);
/// assert_eq!(get.set("cnt", "5000").unwrap_err().kind, BuildErrorKind::CountTooLarge);
/// let query = Request::new(Auth::api_key("k"), get).to_heapless::<128>()?;
/// assert_eq!(query, "get=1&apikey=k&fmt=3&charset=utf-8&mail=a%40example.com");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Params<'a> {
    kind: CommandKind,
    endpoint: Endpoint,
    mode: MoveMode,
    /// Values by position in the command's parameter table.
    values: [Option<&'a str>; MAX_PARAMS],
}

impl<'a> Params<'a> {
    /// An empty command; `move_group` starts in [`MoveMode::Replace`].
    pub const fn new(kind: CommandKind, endpoint: Endpoint) -> Self {
        Self { kind, endpoint, mode: MoveMode::Replace, values: [None; MAX_PARAMS] }
    }

    /// Sets a parameter by its wire name on this endpoint, after the server's checks on its value.
    /// `mode` (`1`, `2` or `3`) is the mode of `move_group`. A second value replaces the first.
    pub fn set(&mut self, name: &str, value: &'a str) -> Result<(), BuildError> {
        if name == "mode" && self.kind == CommandKind::MoveGroup {
            self.mode = MoveMode::from_wire(value).ok_or(BuildError::invalid(BuildErrorKind::InvalidType, "mode"))?;
            return Ok(());
        }
        let params = spec::params(self.kind);
        let Some(index) = params.iter().position(|p| spec::wire_name(p.name, self.endpoint) == name) else {
            let other = match self.endpoint {
                Endpoint::Phones => Endpoint::Mails,
                Endpoint::Mails => Endpoint::Phones,
            };
            return Err(match spec::find(self.kind, other, name) {
                Some(param) => BuildError::invalid(BuildErrorKind::WrongEndpoint, spec::wire_name(param.name, other)),
                None => BuildError::invalid(BuildErrorKind::UnknownParam, name),
            });
        };
        spec::check(&params[index], value)?;
        self.values[index] = Some(value);
        Ok(())
    }

    /// The mode of `move_group`.
    pub fn set_mode(&mut self, mode: MoveMode) {
        self.mode = mode;
    }
}

impl Command for Params<'_> {
    fn kind(&self) -> CommandKind {
        self.kind
    }

    fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    fn flag(&self) -> &'static str {
        match self.kind {
            CommandKind::MoveGroup => self.mode.wire(),
            _ => "1",
        }
    }

    fn for_each_param(
        &self,
        f: &mut dyn FnMut(&'static str, &str) -> Result<(), BuildError>,
    ) -> Result<(), BuildError> {
        for (param, value) in spec::params(self.kind).iter().zip(self.values) {
            if let Some(value) = value {
                f(param.name, value)?;
            }
        }
        Ok(())
    }
}

//! [`IoReader`]: over any [`std::io::Read`].

use std::io::{ErrorKind, Read};

use super::{adapter, Buffered, ReadError};
use crate::stream::list::List;

/// A list decoded record by record from a [`std::io::Read`], in a buffer the caller lends (see
/// the [module](super) docs). Feature `std`.
///
/// ```
/// use smsc_codec::read::IoReader;
/// use smsc_codec::{Endpoint, Fmt};
///
/// let body = br#"[{"id": "7", "name": "Friends", "cnt": "2"}]"#;
/// let mut buf = [0u8; 256];
/// let mut reader = IoReader::groups(&body[..], &mut buf, Fmt::Json, Endpoint::Phones);
/// let group = reader.next()?.unwrap();
/// assert_eq!(group.name.unwrap(), "Friends");
/// assert_eq!(group.count.unwrap().to_u64(), Some(2));
/// assert!(reader.next()?.is_none());
/// # Ok::<(), smsc_codec::read::ReadError<std::io::Error>>(())
/// ```
#[derive(Debug)]
pub struct IoReader<'b, R, L: List> {
    source: R,
    inner: Buffered<'b, L>,
}

adapter!(IoReader, Read);

impl<R: Read, L: List> IoReader<'_, R, L> {
    /// The next record, `None` at the end of the list. Reads as much as the record needs.
    #[allow(clippy::should_implement_trait)] // A record borrows the reader: no `Iterator`.
    pub fn next(&mut self) -> Result<Option<L::Record<'_>>, ReadError<std::io::Error>> {
        let source = &mut self.source;
        self.inner.next_with(|space| loop {
            match source.read(space) {
                Err(err) if err.kind() == ErrorKind::Interrupted => {}
                result => break result,
            }
        })
    }
}

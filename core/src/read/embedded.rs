//! [`EmbeddedReader`]: over any [`embedded_io::Read`].

use embedded_io::{Error as _, ErrorKind, Read};

use super::{adapter, Buffered, ReadError};
use crate::stream::list::List;

/// A list decoded record by record from an [`embedded_io::Read`] (blocking), in a buffer the
/// caller lends (see the [module](super) docs). Feature `embedded-io`.
///
/// ```
/// use smsc_codec::read::EmbeddedReader;
/// use smsc_codec::{Endpoint, Fmt};
///
/// let body = b"<list><contact><phone>79991112233</phone><name>A &amp; B</name></contact></list>";
/// let mut buf = [0u8; 128];
/// let mut reader = EmbeddedReader::contacts(&body[..], &mut buf, Fmt::Xml, Endpoint::Phones);
/// let contact = reader.next()?.unwrap();
/// assert_eq!(contact.name.unwrap(), "A & B");
/// assert!(reader.next()?.is_none());
/// # Ok::<(), smsc_codec::read::ReadError<core::convert::Infallible>>(())
/// ```
#[derive(Debug)]
pub struct EmbeddedReader<'b, R, L: List> {
    source: R,
    inner: Buffered<'b, L>,
}

adapter!(EmbeddedReader, Read);

impl<R: Read, L: List> EmbeddedReader<'_, R, L> {
    /// The next record, `None` at the end of the list. Reads as much as the record needs.
    #[allow(clippy::should_implement_trait)] // A record borrows the reader: no `Iterator`.
    pub fn next(&mut self) -> Result<Option<L::Record<'_>>, ReadError<R::Error>> {
        let source = &mut self.source;
        self.inner.next_with(|space| loop {
            match source.read(space) {
                Err(err) if err.kind() == ErrorKind::Interrupted => {}
                result => break result,
            }
        })
    }
}

//! [`AsyncReader`]: over any [`embedded_io_async::Read`].

use embedded_io_async::{Error as _, ErrorKind, Read};

use super::{adapter, Buffered, ReadError, Want};
use crate::stream::list::List;

/// A list decoded record by record from an [`embedded_io_async::Read`], in a buffer the caller
/// lends (see the [module](super) docs). It runs on any executor. Feature `embedded-io-async`.
///
/// ```
/// use smsc_codec::read::AsyncReader;
/// use smsc_codec::{Endpoint, Fmt};
///
/// async fn names(body: &[u8]) -> Result<usize, smsc_codec::read::ReadError<core::convert::Infallible>> {
///     let mut buf = [0u8; 128];
///     let mut reader = AsyncReader::contacts(body, &mut buf, Fmt::Csv, Endpoint::Phones);
///     let mut names = 0;
///     while let Some(contact) = reader.next().await? {
///         names += usize::from(contact.name.is_some());
///     }
///     Ok(names)
/// }
/// # use core::future::Future;
/// # let waker = core::task::Waker::noop();
/// # let mut future = core::pin::pin!(names(b"79991112233,Ivan\n380501112233,Olena\n"));
/// # let core::task::Poll::Ready(n) = future.as_mut().poll(&mut core::task::Context::from_waker(&waker)) else { panic!() };
/// # assert_eq!(n.unwrap(), 2);
/// ```
#[derive(Debug)]
pub struct AsyncReader<'b, R, L: List> {
    source: R,
    inner: Buffered<'b, L>,
}

adapter!(AsyncReader, Read);

impl<R: Read, L: List> AsyncReader<'_, R, L> {
    /// The next record, `None` at the end of the list. Reads as much as the record needs.
    #[allow(clippy::should_implement_trait)] // A record borrows the reader: no `Iterator`.
    pub async fn next(&mut self) -> Result<Option<L::Record<'_>>, ReadError<R::Error>> {
        while let Want::Read = self.inner.advance()? {
            loop {
                match self.source.read(self.inner.space()).await {
                    Ok(n) => break self.inner.filled(n),
                    Err(err) if err.kind() == ErrorKind::Interrupted => {}
                    Err(err) => return Err(ReadError::Io(err)),
                }
            }
        }
        self.inner.item()
    }
}

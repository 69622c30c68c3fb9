//! `no_std`: the embedded-io reader adapter over a socket-like reader, with no heap. What a
//! microcontroller with a TCP stack does: `list_contacts` uses only `core`, `embedded-io`,
//! `httparse` and the codec, on stack buffers; `main` hands it a std `TcpStream` through
//! embedded-io-adapters, where a firmware would hand it its stack's socket.
//!
//! ```sh
//! cargo run -p smsc-codec-examples --example no_std_socket -- http://127.0.0.1:8025   # `smsc serve`
//! ```
//!
//! Plain HTTP only: a real SMSC host needs TLS, which an embedded stack puts under the socket.

use std::net::TcpStream;

use embedded_io::{Read, Write};
use embedded_io_adapters::std::FromStd;
use smsc_codec::read::{EmbeddedReader, ReadError};
use smsc_codec::{Auth, Contact, Endpoint, Fmt, GetContacts, Request};

/// Why listing failed; it borrows nothing, as firmware errors usually do.
#[derive(Debug)]
enum Failure<E> {
    /// The socket failed.
    Io(E),
    /// The request did not fit the buffer.
    Build(smsc_codec::BuildError),
    /// The response head is not HTTP, too long, or not 200.
    Http(&'static str),
    /// The body: malformed, an API error, or the socket failing in it.
    Body(ReadError<E>),
}

impl<E: core::fmt::Debug> core::fmt::Display for Failure<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Io(err) => write!(f, "socket: {err:?}"),
            Self::Build(err) => write!(f, "request: {err}"),
            Self::Http(what) => write!(f, "HTTP: {what}"),
            Self::Body(ReadError::Io(err)) => write!(f, "socket, in the body: {err:?}"),
            Self::Body(ReadError::Malformed(err)) => write!(f, "malformed body: {err}"),
            Self::Body(ReadError::Api(code)) => write!(f, "SMSC error {code}"),
        }
    }
}

/// Sends `get` over `socket` (HTTP/1.1, `Connection: close`) and calls `on_contact` for every
/// contact as it is decoded. `head` receives the response head; `records` is the decoder's
/// buffer (the largest contact must fit). The number of contacts.
fn list_contacts<S: Read + Write>(
    socket: &mut S,
    host: &str,
    auth: Auth<'_>,
    head: &mut [u8],
    records: &mut [u8],
    mut on_contact: impl FnMut(&Contact<'_>),
) -> Result<usize, Failure<S::Error>> {
    // The request line, written into `head` before it holds the response.
    let request = Request::new(auth, GetContacts::new(Endpoint::Phones)).fmt(Fmt::Json);
    let len = request.write_path_and_query(head).map_err(Failure::Build)?;
    socket.write_all(b"GET ").map_err(Failure::Io)?;
    socket.write_all(&head[..len]).map_err(Failure::Io)?;
    for part in [" HTTP/1.1\r\nHost: ", host, "\r\nConnection: close\r\n\r\n"] {
        socket.write_all(part.as_bytes()).map_err(Failure::Io)?;
    }
    socket.flush().map_err(Failure::Io)?;

    // The response head, then what came after it in the same reads.
    let mut filled = 0;
    let (head_len, content_length) = loop {
        if filled == head.len() {
            return Err(Failure::Http("response head longer than its buffer"));
        }
        let n = socket.read(&mut head[filled..]).map_err(Failure::Io)?;
        if n == 0 {
            return Err(Failure::Http("connection closed in the response head"));
        }
        filled += n;
        let mut headers = [httparse::EMPTY_HEADER; 24];
        let mut response = httparse::Response::new(&mut headers);
        match response.parse(&head[..filled]) {
            Ok(httparse::Status::Complete(len)) if response.code == Some(200) => {
                let length = response.headers.iter().find(|h| h.name.eq_ignore_ascii_case("content-length"));
                let length = length.and_then(|h| core::str::from_utf8(h.value).ok()?.trim().parse::<usize>().ok());
                break (len, length);
            }
            Ok(httparse::Status::Complete(_)) => return Err(Failure::Http("status is not 200")),
            Ok(httparse::Status::Partial) => {}
            Err(_) => return Err(Failure::Http("not an HTTP response")),
        }
    };
    let body = Body { early: &head[head_len..filled], socket, left: content_length };
    let mut reader = EmbeddedReader::contacts(body, records, Fmt::Json, Endpoint::Phones);
    let mut count = 0;
    loop {
        match reader.next() {
            Ok(Some(contact)) => {
                on_contact(&contact);
                count += 1;
            }
            Ok(None) => return Ok(count),
            Err(err) if err.is_not_found() => return Ok(count),
            Err(err) => return Err(Failure::Body(err)),
        }
    }
}

/// The response body: the bytes that came with the head, then the socket, up to
/// `Content-Length` when the server sent one (else to the end of the connection).
struct Body<'a, S> {
    early: &'a [u8],
    socket: &'a mut S,
    left: Option<usize>,
}

impl<S: Read> embedded_io::ErrorType for Body<'_, S> {
    type Error = S::Error;
}

impl<S: Read> Read for Body<'_, S> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, S::Error> {
        let room = buf.len().min(self.left.unwrap_or(usize::MAX));
        let n = if !self.early.is_empty() {
            let n = room.min(self.early.len());
            buf[..n].copy_from_slice(&self.early[..n]);
            self.early = &self.early[n..];
            n
        } else if room == 0 {
            0
        } else {
            self.socket.read(&mut buf[..room])?
        };
        self.left = self.left.map(|left| left - n);
        Ok(n)
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = std::env::args().nth(1).ok_or("usage: no_std_socket http://HOST:PORT")?;
    let host = base.strip_prefix("http://").ok_or("plain http:// only (see the file's docs)")?;
    let login = std::env::var("SMSC_LOGIN").unwrap_or_else(|_| "test".to_owned());
    let psw = std::env::var("SMSC_PSW").unwrap_or_else(|_| "test-password".to_owned());

    let mut socket = FromStd::new(TcpStream::connect(host)?);
    let (mut head, mut records) = ([0u8; 1024], [0u8; 1024]);
    let result = list_contacts(&mut socket, host, Auth::password(&login, &psw), &mut head, &mut records, |contact| {
        let phone = contact.phone.map(|p| p.raw()).unwrap_or_default();
        let mut name = [0u8; 256];
        // Unescaped into a stack buffer: no heap on the way.
        let name = contact.name.and_then(|n| n.unescape_into(&mut name).ok()).unwrap_or_default();
        println!("{phone:>15}  {name}");
    });
    let count = result.map_err(|failure| failure.to_string())?;
    println!("{count} contacts");
    Ok(())
}

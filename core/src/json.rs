//! Writing decoded records as JSON into a caller's buffer, without a heap (serde-json-core):
//! what a gateway relaying contacts to another service needs.
//!
//! ```
//! use smsc_codec::{decode, Endpoint, Fmt};
//!
//! let body = b"<list><contact><phone>79991112233</phone><name>A &amp; B</name></contact></list>";
//! let contact = decode::contacts(body, Fmt::Xml, Endpoint::Phones)?.next().unwrap()?;
//! let mut buf = [0u8; 128];
//! let len = smsc_codec::json::to_slice(&contact, &mut buf).unwrap();
//! assert_eq!(&buf[..len], br#"{"phone":"79991112233","name":"A & B"}"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use serde_json_core::ser::Error;

/// Writes `value` as compact JSON into `buf`; the number of bytes written.
pub fn to_slice<T: serde::Serialize + ?Sized>(value: &T, buf: &mut [u8]) -> Result<usize, Error> {
    serde_json_core::to_slice(value, buf)
}

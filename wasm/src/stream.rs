//! `ListStream`, the streaming decoder behind `decodeStream` (`stream.js`): it takes a body's
//! chunks as they arrive and gives back, per chunk, the records it completed and how the list
//! stands. Only the bytes of a record not yet complete are kept between chunks.
//!
//! A batch crosses the boundary once, in the transfer format of [`crate::decode`]:
//! `[LIST, fields per record, records in the batch, ...records as for a list, end...]`, where
//! `end` is [`MORE`] (the body goes on), [`DONE`] (the list ended), or an API error or a
//! malformed body as `decode` writes them.

use alloc::vec::Vec;

use smsc_codec::list::{Blacklist, Contacts, Groups, List};
use smsc_codec::{Endpoint, Event, ListDecoder, ListKind, ResponseKind, Step};
use wasm_bindgen::prelude::*;

use crate::decode::{malformed_index, unpack, Out, DONE, LIST, MALFORMED};

/// The end of a batch: more records may follow in later chunks.
pub(crate) const MORE: u32 = 5;

enum AnyDecoder {
    Contacts(ListDecoder<Contacts>),
    Groups(ListDecoder<Groups>),
    Blacklist(ListDecoder<Blacklist>),
}

/// A list decoded chunk by chunk. Created by `stream.js`; not part of the documented API.
#[wasm_bindgen(js_name = ListStream, skip_typescript)]
pub struct ListStream {
    decoder: AnyDecoder,
    packed: u32,
    endpoint: Endpoint,
    extra: bool,
    /// The body's bytes not consumed yet: at most a record and the last chunk.
    pending: Vec<u8>,
}

#[wasm_bindgen(js_class = ListStream)]
impl ListStream {
    /// A decoder for `command`'s list with `options` (as `decode` takes them). Throws a
    /// `TypeError` for invalid arguments or a command that does not answer a list.
    #[wasm_bindgen(constructor)]
    pub fn new(command: &JsValue, options: &JsValue) -> Result<ListStream, JsValue> {
        let packed = crate::decode_args(command, options)?;
        let (kind, fmt, endpoint, extra) = unpack(packed);
        let decoder = match kind.response() {
            ResponseKind::List(ListKind::Contacts) => AnyDecoder::Contacts(ListDecoder::new(fmt, endpoint)),
            ResponseKind::List(ListKind::Groups) => AnyDecoder::Groups(ListDecoder::new(fmt, endpoint)),
            ResponseKind::List(ListKind::Blacklist) => AnyDecoder::Blacklist(ListDecoder::new(fmt, endpoint)),
            _ => {
                return Err(crate::type_error(
                    "smsc-codec: decodeStream takes a list command (get, get_group, get_black)",
                ))
            }
        };
        Ok(ListStream { decoder, packed, endpoint, extra, pending: Vec::new() })
    }

    /// Feeds `chunk` (`eof`: no more will follow) and answers the batch object of `glue.js`'s
    /// `streamBatch`.
    pub fn push(&mut self, chunk: &[u8], eof: bool) -> JsValue {
        self.pending.extend_from_slice(chunk);
        let mut out = Out::default();
        let consumed = match &mut self.decoder {
            AnyDecoder::Contacts(d) => drain(d, &self.pending, eof, &mut out, self.endpoint, self.extra),
            AnyDecoder::Groups(d) => drain(d, &self.pending, eof, &mut out, self.endpoint, self.extra),
            AnyDecoder::Blacklist(d) => drain(d, &self.pending, eof, &mut out, self.endpoint, self.extra),
        };
        self.pending.drain(..consumed.min(self.pending.len()));
        crate::stream_batch(self.packed, &out.table, &out.text)
    }
}

/// Decodes every record `buf` completes into `out`, then how the list stands; the bytes used.
fn drain<L: List>(
    decoder: &mut ListDecoder<L>,
    buf: &[u8],
    eof: bool,
    out: &mut Out,
    endpoint: Endpoint,
    extra: bool,
) -> usize {
    out.table.extend([LIST, L::KIND.field_names(endpoint).len() as u32, 0]);
    let mut pos = 0;
    loop {
        match decoder.decode(buf.get(pos..).unwrap_or_default(), eof) {
            Ok(Step { consumed, event }) => {
                pos += consumed;
                match event {
                    Event::Record(record) => {
                        out.record(&record, endpoint, extra);
                        out.table[2] += 1;
                    }
                    Event::NeedMore => {
                        out.table.push(MORE);
                        return pos;
                    }
                    Event::End => {
                        out.table.push(DONE);
                        return pos;
                    }
                    Event::ApiError(api) => {
                        out.api(&api);
                        return pos;
                    }
                }
            }
            Err(err) => {
                let offset = u32::try_from(err.offset).unwrap_or(u32::MAX);
                out.table.extend([MALFORMED, malformed_index(err.kind), offset]);
                out.text.push_str(err.kind.message());
                return pos;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::API;

    /// Feeds `body` in chunks of `size` the way `push` does: the records of every batch and the
    /// last batch's end.
    fn batches(body: &[u8], size: usize) -> (u32, Vec<u32>, alloc::string::String) {
        let mut decoder = ListDecoder::<Contacts>::new(smsc_codec::Fmt::Csv, Endpoint::Phones);
        let (mut pending, mut records, mut text) = (Vec::new(), 0, alloc::string::String::new());
        let mut end = Vec::new();
        for chunk in body.chunks(size).map(Some).chain([None]) {
            pending.extend_from_slice(chunk.unwrap_or_default());
            let mut out = Out::default();
            let used = drain(&mut decoder, &pending, chunk.is_none(), &mut out, Endpoint::Phones, false);
            pending.drain(..used);
            records += out.table[2];
            text.push_str(&out.text);
            end = out.table[3 + out.table[2] as usize * 11..].to_vec();
        }
        (records, end, text)
    }

    #[test]
    fn records_come_out_whatever_the_chunks() {
        let body = "79991112233,Іван\n380501112233,Олена\n".as_bytes();
        for size in [1, 2, 5, body.len()] {
            let (records, end, text) = batches(body, size);
            assert_eq!((records, end.as_slice()), (2, &[DONE][..]), "chunks of {size}");
            assert_eq!(text, "79991112233Іван380501112233Олена", "chunks of {size}");
        }
        let (records, end, _) = batches(b"0,-3", 1);
        assert_eq!((records, end[..2].to_vec()), (0, alloc::vec![API, 3]));
    }
}

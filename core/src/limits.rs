//! [`Limits`]: the bounds every decoder enforces, as a runtime option.

/// The bounds the decoders enforce. Exceeding each one is a distinct
/// [`DecodeErrorKind`](crate::DecodeErrorKind).
///
/// ```
/// use smsc_codec::Limits;
///
/// let strict = Limits { max_record_len: 1024, ..Limits::DEFAULT };
/// assert_eq!(strict.max_depth, 32);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Nesting depth of JSON arrays and objects or XML elements, the list and the record
    /// included (a contact list is depth 2). At most [`Limits::MAX_DEPTH`]; larger values act as
    /// that. Exceeding it: [`DepthLimit`](crate::DecodeErrorKind::DepthLimit).
    pub max_depth: usize,
    /// Bytes in one record, the separators before it included. A streaming caller's buffer of
    /// `max_record_len + 1` bytes decodes every record the limit admits and always sees a longer
    /// one as [`RecordTooLong`](crate::DecodeErrorKind::RecordTooLong) (with a buffer of exactly
    /// `max_record_len` bytes such a record shows as "need more" with a full buffer).
    pub max_record_len: usize,
    /// Fields in one record, unknown ones included (a contact has 11; the default leaves a newer
    /// server room for five times as many new fields). At most [`Limits::MAX_FIELDS`]. It also
    /// bounds the attributes of an XML tag. A fmt=1 line may hold twice as many comma-separated
    /// pieces (at most 64), since values may hold commas; a fmt=0 line as many `, key = `
    /// sequences. Exceeding it: [`TooManyFields`](crate::DecodeErrorKind::TooManyFields).
    pub max_fields: usize,
    /// Bytes in one raw value. Exceeding it: [`ValueTooLong`](crate::DecodeErrorKind::ValueTooLong).
    pub max_value_len: usize,
}

impl Limits {
    /// The hard ceiling of [`max_depth`](Self::max_depth).
    pub const MAX_DEPTH: usize = 64;
    /// The hard ceiling of [`max_fields`](Self::max_fields): what the fmt=0 and fmt=1 line
    /// readers hold on a microcontroller's stack is sized by it.
    pub const MAX_FIELDS: usize = 64;

    /// The defaults: depth 32, records of 64 KiB, 64 fields, values of 16 KiB.
    pub const DEFAULT: Limits =
        Limits { max_depth: 32, max_record_len: 64 * 1024, max_fields: 64, max_value_len: 16 * 1024 };

    #[cfg_attr(not(any(feature = "json", feature = "xml")), allow(dead_code))]
    pub(crate) const fn depth(&self) -> usize {
        if self.max_depth < Self::MAX_DEPTH {
            self.max_depth
        } else {
            Self::MAX_DEPTH
        }
    }

    pub(crate) const fn fields(&self) -> usize {
        if self.max_fields < Self::MAX_FIELDS {
            self.max_fields
        } else {
            Self::MAX_FIELDS
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

//! Runnable examples of `smsc-codec` over real transports: see `examples/` and the README
//! there. This library holds nothing; the examples are the point.

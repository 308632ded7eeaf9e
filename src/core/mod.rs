//! The generic core: one client, one call path, for every operation of
//! every spec.
//!
//! * [`Client`] / [`ClientBuilder`]: settings, credentials, environments,
//!   `from_env`, redacted `Debug`, for any spec.
//! * [`Ops`] / [`Call`]: every operation, generated as a method on `Ops`,
//!   becomes a `Call` with per-call options and `send` /
//!   `send_with_response`, all through `transport::start`.
//! * [`Check`]: the spec's rules the generated types cannot hold (email,
//!   numeric bounds, list sizes), checked before a call is sent.
//! * [`astray`]: `x-payusers-echo`, an answer about another resource than
//!   the one asked for is an error.
//! * [`Spec`], [`Operation`], [`SpecInfo`]: what codegen emits per spec and
//!   per operation; nothing here names a provider.

mod call;
pub(crate) mod check;
mod client;
mod dynamic;
mod echo;
mod spec;

pub(crate) use call::call_options;
pub use call::{Call, CallOptions, Ops};
pub use check::{Check, Invalid};
pub use client::{
    Client, ClientBuilder, DEFAULT_DEADLINE, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT,
};
pub use dynamic::{Dynamic, DynamicOp, DynamicRaw, spec_info};
pub use echo::{EchoId, Id, astray};
pub(crate) use spec::credentials_left_out;
pub use spec::{
    CredentialInfo, EnvelopeInfo, EnvironmentInfo, Flag, Operation, OperationMeta, Spec, SpecInfo,
    Target, Text, envelope_failure,
};

//! # payusers
//!
//! Create, read, list, update and delete the users you mirror at **HOST Pay
//! (hPay)** and **Payabli**, from Rust.
//!
//! * [`HostPay`] and [`Payabli`]: clients with builders, validation before
//!   sending, typed [`Error`]s, retries that honour `Retry-After`, deadlines,
//!   a shared rate limit, and `tracing` events with no secrets in them.
//! * [`core`]: the one generic client behind both, which every operation of
//!   every spec goes through ([`core::Client::ops`]). A new
//!   `openapi/<name>.yaml` becomes `payusers::generated::<name>::Api` with
//!   the same treatment and no Rust written for it.
//! * [`generated`]: the clients and models generated from the OpenAPI
//!   documents in `openapi/` (one module per file).
//! * [`profile`]: change one person at every provider at once, with a plan
//!   (field-by-field diffs) before any write.
//! * `mock` (cargo feature `mock`): an embedded, stateful mock of every
//!   bundled spec, for your own tests.
//!
//! ```
//! # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
//! let mock = payusers::mock::MockServer::start().await.unwrap();
//! let user = mock.hpay().update_user("user_abc123")
//!     .app_user_id(1).name("John Updated Doe").phone_number("+23279123456")
//!     .send().await?;
//! assert_eq!(user.name, "John Updated Doe");
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

/// Clients and models generated from `openapi/*.yaml`, one module per file.
pub mod generated {
    include!(concat!(env!("OUT_DIR"), "/modules.rs"));
}

#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod batch;
mod config;
pub mod core;
pub mod error;
pub mod hpay;
mod limit;
#[cfg(feature = "mock")]
pub mod mock;
mod paging;
mod pattern;
pub mod payabli;
pub mod profile;
mod response;
pub mod retry;
pub mod secret;
pub mod spec_schema;
mod timestamp;
pub mod transport;
mod validate;

pub use crate::core::{CallOptions, DEFAULT_DEADLINE, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT};
pub use config::{USER_AGENT, http_client_builder};
pub use error::{Context, Error, Provider, Result};
pub use hpay::HostPay;
pub use limit::{Rate, RateLimiter};
pub use payabli::Payabli;
pub use response::Response;
pub use retry::RetryPolicy;

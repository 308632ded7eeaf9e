//! # payusers
//!
//! Update users mirrored at **HOST Pay (hPay)** and **Payabli** from Rust.
//!
//! * [`HostPay`] and [`Payabli`]: small clients with builders, validation
//!   before sending, typed [`Error`]s, retries that honour `Retry-After`,
//!   timeouts, and `tracing` events with no secrets in them.
//! * [`generated`]: the clients and models generated at build time from the
//!   OpenAPI documents in `openapi/` (one module per file), reachable as
//!   `payusers::hpay::raw` and `payusers::payabli::raw`.
//! * `mock` (cargo feature `mock`): an embedded, stateful mock of both APIs
//!   for your own tests.
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

/// Clients and models generated at build time, one module per `openapi/*.yaml`.
pub mod generated {
    include!(concat!(env!("OUT_DIR"), "/modules.rs"));
}

mod config;
pub mod error;
pub mod hpay;
#[cfg(feature = "mock")]
pub mod mock;
pub mod payabli;
mod response;
pub mod retry;
pub mod secret;
pub mod spec_schema;
pub mod transport;
mod validate;

pub use config::{DEFAULT_DEADLINE, DEFAULT_TIMEOUT, USER_AGENT, http_client_builder};
pub use error::{Context, Error, Provider, Result};
pub use hpay::HostPay;
pub use payabli::Payabli;
pub use response::Response;
pub use retry::RetryPolicy;

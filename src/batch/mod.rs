//! The row engine behind `payusers sync` (cargo feature `cli`): reading rows
//! from JSON Lines or CSV, parsing them per provider and operation, and the
//! journal that makes a run resumable. In the library so it can be fuzzed
//! and tested in-process; the binary drives it.
#![allow(missing_docs)]

pub mod fast;
pub mod fields;
pub mod input;
pub mod journal;
pub mod rows;

use std::fmt;

/// Exit code for a provider, network or I/O failure.
pub const EXIT_FAILURE: u8 = 1;
/// Exit code for bad usage or input.
pub const EXIT_USAGE: u8 = 2;

/// Which provider a run's rows are for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ProviderArg {
    Hpay,
    Payabli,
    /// One person at both providers (a profile change; updates only).
    Both,
}

impl ProviderArg {
    pub fn name(self) -> &'static str {
        match self {
            ProviderArg::Hpay => "hpay",
            ProviderArg::Payabli => "payabli",
            ProviderArg::Both => "both",
        }
    }
}

/// What a run does with each row.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum SyncOp {
    Create,
    Update,
    Delete,
}

impl SyncOp {
    pub fn name(self) -> &'static str {
        match self {
            SyncOp::Create => "create",
            SyncOp::Update => "update",
            SyncOp::Delete => "delete",
        }
    }
}

/// Why a run cannot go on: bad usage or input (`code` 2) or a failure (1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchError {
    pub code: u8,
    pub message: String,
}

impl BatchError {
    pub fn usage(message: impl Into<String>) -> Self {
        BatchError {
            code: EXIT_USAGE,
            message: message.into(),
        }
    }

    pub fn failure(message: impl Into<String>) -> Self {
        BatchError {
            code: EXIT_FAILURE,
            message: message.into(),
        }
    }
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BatchError {}

//! What every integration test stands on: the emulator (seeded per test, so tests stay
//! independent), a builder that runs the real ssmgo binary, and the fake plugin's record. One
//! file per job: the emulator and its accounts (`emu`), IAM principals and the call log
//! (`principals`), a test's instances (`fleet`) and what decides whether their agents reach SSM
//! (`agent`), ECS clusters and tasks (`ecs`), running ssmgo (`ssmgo`) and in the background (`spawned`), under a terminal
//! (`pty`), and behind a proxy that breaks calls (`fault`). The common names are re-exported
//! here, so tests say `support::emu()` and `support::ssmgo()`.
//!
//! The emulator is started by `scripts/test` (tests/emu/emu.sh) and found through
//! `SSMGO_TEST_ENDPOINT`; every request goes to 127.0.0.1.

#![allow(dead_code)] // each test module uses a different part of this

pub mod agent;
pub mod ecs;
mod emu;
pub mod fault;
mod fleet;
mod principals;
pub mod pty;
mod spawned;
mod ssmgo;

pub use emu::{emu, without_emulator, Emu, RecordedSession, REGION};
pub use fleet::Group;
pub use principals::Principal;
pub use spawned::{is_running, stops_within};
pub use ssmgo::{ssmgo, Outcome, Ssmgo};

/// Sorted copy, for comparing id sets.
pub fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

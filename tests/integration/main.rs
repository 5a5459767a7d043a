//! ssmgo's integration tests: the built binary against the AWS emulator (see tests/emu/), with the
//! fake session-manager-plugin (tests/fake-plugin/) on PATH. Run them with ./scripts/test.

mod support;

mod config_errors;
mod connect;
mod generated;
mod list;
mod picker;
mod policy;
mod precheck;

//! ssmgo's integration tests: the built binary against the AWS emulator (see tests/emu/), with the
//! fake session-manager-plugin (tests/fake-plugin/) on PATH. Run them with ./scripts/test.

mod support;

mod across;
mod config_errors;
mod config_file;
mod connect;
mod design;
mod doctor;
mod ecs;
mod faults;
mod forwarding;
mod generated;
mod guard;
mod hostile;
mod list;
mod org;
mod picker;
mod policy;
mod precheck;
mod readme;
mod real_plugin;
mod recents;
mod reports;
mod run;
mod shell_integration;
mod starting;
mod stopping;
mod xml_reference;

//! One file per subcommand: each turns parsed arguments into calls on the feature modules.

pub mod check;
pub mod completions;
pub mod config;
pub mod connect;
pub mod doctor;
pub mod ecs;
pub mod forward;
pub mod list;
pub mod policy;
pub mod run;
pub mod ssh;

use crate::settings::Settings;

/// What every command that talks to AWS gets: the merged settings and --verbose.
pub struct Ctx {
    pub settings: Settings,
    pub verbose: bool,
}

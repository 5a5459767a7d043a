//! One file per subcommand: each turns parsed arguments into calls on the feature modules.

pub mod check;
pub mod connect;
pub mod list;
pub mod policy;

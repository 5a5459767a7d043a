//! `ssmgo completions SHELL`: the completion script, the same as the committed files.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::{Error, Result};

pub fn run(args: CompletionsArgs) -> Result<()> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "ssmgo", &mut out);
    crate::output::write_text(
        &String::from_utf8(out)
            .map_err(|e| Error::io("generating the completion script", std::io::Error::other(e)))?,
    )
}

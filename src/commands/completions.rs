//! `ssmgo completions SHELL`: the completion script, the same as the committed files.

use crate::cli::CompletionsArgs;
use crate::error::{Error, Result};

pub fn run(args: CompletionsArgs) -> Result<()> {
    let script = crate::generate::completion(args.shell);
    crate::output::write_text(
        &String::from_utf8(script)
            .map_err(|e| Error::io("generating the completion script", std::io::Error::other(e)))?,
    )
}

//! The door: parse the command line, run, and turn any error into its documented exit code.

fn main() {
    let cli = ssmgo::cli::Cli::parse_args();
    if let Err(err) = ssmgo::run(cli) {
        if !matches!(err, ssmgo::error::Error::Cancelled) {
            eprintln!("ssmgo: {err}");
        }
        std::process::exit(err.exit_code());
    }
}

//! The shell completions in completions/ and the man pages in man/ are generated from the clap
//! definition and committed (so packagers and users need no build step). This test fails when
//! they are stale; `SSMGO_REGENERATE=1 ./scripts/test` (or cargo test generated) rewrites them.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::{Generator, Shell};
use ssmgo::cli::Cli;

fn generated_files() -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "ssmgo", &mut script);
        files.push((
            root.join("completions").join(shell.file_name("ssmgo")),
            script,
        ));
    }
    let command = Cli::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut page)
        .unwrap();
    files.push((root.join("man/ssmgo.1"), page));
    for sub in command.get_subcommands() {
        // Test-only: clap wants 'static names without its "string" feature.
        let name: &'static str = Box::leak(format!("ssmgo-{}", sub.get_name()).into_boxed_str());
        let mut page = Vec::new();
        let sub = sub.clone().name(name).version(env!("CARGO_PKG_VERSION"));
        clap_mangen::Man::new(sub).render(&mut page).unwrap();
        files.push((root.join(format!("man/{name}.1")), page));
    }
    files
}

#[test]
fn committed_completions_and_man_pages_match_the_command_line() {
    let regenerate = std::env::var_os("SSMGO_REGENERATE").is_some();
    let mut stale = Vec::new();
    for (path, content) in generated_files() {
        if std::fs::read(&path).ok().as_deref() == Some(&content[..]) {
            continue;
        }
        if regenerate {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &content).unwrap();
        } else {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files (rerun with SSMGO_REGENERATE=1 and commit them): {stale:#?}"
    );
}

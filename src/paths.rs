//! Where ssmgo keeps its files: the XDG base directories (or the platform's equivalent), so that
//! config, history and cache live where the user's other tools keep theirs.

use std::path::PathBuf;

/// `$SSMGO_CONFIG`, else `config.toml` in the config directory.
pub fn config_file() -> Option<PathBuf> {
    if let Some(path) = non_empty_env("SSMGO_CONFIG") {
        return Some(PathBuf::from(path));
    }
    Some(
        base(
            "XDG_CONFIG_HOME",
            ".config",
            "Library/Application Support",
            "APPDATA",
        )?
        .join("config.toml"),
    )
}

/// History of connections (`$XDG_STATE_HOME/ssmgo`).
pub fn state_dir() -> Option<PathBuf> {
    base(
        "XDG_STATE_HOME",
        ".local/state",
        "Library/Application Support",
        "LOCALAPPDATA",
    )
}

/// Instance list caches (`$XDG_CACHE_HOME/ssmgo`).
pub fn cache_dir() -> Option<PathBuf> {
    base("XDG_CACHE_HOME", ".cache", "Library/Caches", "LOCALAPPDATA")
}

/// `$XDG_…/ssmgo` when the variable is set (absolute, as the spec requires), else the platform
/// default under the home directory.
fn base(xdg: &str, unix_default: &str, macos_default: &str, windows_var: &str) -> Option<PathBuf> {
    if let Some(dir) = non_empty_env(xdg)
        .map(PathBuf::from)
        .filter(|d| d.is_absolute())
    {
        return Some(dir.join("ssmgo"));
    }
    if cfg!(windows) {
        return non_empty_env(windows_var).map(|d| PathBuf::from(d).join("ssmgo"));
    }
    let home = PathBuf::from(non_empty_env("HOME")?);
    let default = if cfg!(target_os = "macos") {
        macos_default
    } else {
        unix_default
    };
    Some(home.join(default).join("ssmgo"))
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

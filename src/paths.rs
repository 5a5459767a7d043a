//! Where ssmgo keeps its files: the XDG base directories (or the platform's equivalent), so that
//! config, history and cache live where the user's other tools keep theirs. And how files the
//! user names are read: only regular files, and only up to a size (`/dev/zero` or a FIFO given
//! as a config or policy file must fail at once, not hang or eat memory). And how ssmgo writes
//! its own (history, caches): private, and whole or not at all.

use std::io::Read;

use std::path::{Path, PathBuf};

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

/// Reads `path` as UTF-8 text if it is a regular file of at most `max_bytes`.
///
/// The file is opened non-blocking, so that a FIFO can't stall the open, and checked to be a
/// regular file before anything is read.
pub fn read_text_file(path: &std::path::Path, max_bytes: u64) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind};
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "it is not a regular file (a directory, device or pipe)",
        ));
    }
    let mut bytes = Vec::new();
    file.take(max_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(Error::new(
            ErrorKind::FileTooLarge,
            format!("it is larger than {} KiB", max_bytes / 1024),
        ));
    }
    String::from_utf8(bytes).map_err(|_| Error::new(ErrorKind::InvalidData, "it is not UTF-8 text"))
}

/// Writes `name` in `dir` (made private: 0700) through a temporary file (0600: it lists the
/// user's fleet), so that a reader never sees half a file and two ssmgo processes never
/// interleave.
pub(crate) fn write_atomically(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::Write;
    create_private_dir(dir)?;
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&tmp).and_then(|f| {
        let mut out = std::io::BufWriter::new(f);
        write(&mut out)?;
        out.flush()
    });
    written
        .and_then(|()| std::fs::rename(&tmp, dir.join(name)))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}

/// Creates ssmgo's own directory 0700, and makes an existing one 0700 too (older versions, or
/// a umask, left it 0755); the parents are the user's and are left alone.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode != 0o700 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_of_bounded_size_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.json");
        std::fs::write(&file, "{}").unwrap();
        assert_eq!(read_text_file(&file, 10).unwrap(), "{}");
        std::fs::write(&file, "x".repeat(11)).unwrap();
        assert!(read_text_file(&file, 10)
            .unwrap_err()
            .to_string()
            .contains("larger than"));
        std::fs::write(&file, [0xff, 0xfe]).unwrap();
        assert!(read_text_file(&file, 10).is_err());
        assert!(read_text_file(dir.path(), 10).is_err(), "a directory");
        #[cfg(unix)]
        {
            let zero = read_text_file(std::path::Path::new("/dev/zero"), 10).unwrap_err();
            assert!(zero.to_string().contains("not a regular file"), "{zero}");
            let fifo = dir.path().join("fifo");
            let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            // SAFETY: a valid NUL-terminated path.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            let err = read_text_file(&fifo, 10).unwrap_err();
            assert!(err.to_string().contains("not a regular file"), "{err}");
        }
    }
}

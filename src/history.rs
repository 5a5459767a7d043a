//! Where you connected before: recent targets come first in the picker, and `ssmgo -`
//! reconnects to the last one (after the same pre-check as any connect).
//!
//! The history lives in the state directory, holds ids and names only (never credentials), and
//! a damaged file is treated as empty: it is a convenience, not a record.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

const FORMAT: u32 = 1;
const FILE_NAME: &str = "history.json";
/// Enough to cover a working week of hopping between machines.
const KEEP: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub instance_id: String,
    pub name: Option<String>,
    pub profile: Option<String>,
    pub region: String,
    /// The role ssmgo assumed to reach the instance's account (`--org`), to reach it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// Seconds since the Unix epoch.
    pub at: u64,
}

#[derive(Serialize, Deserialize)]
struct File {
    ssmgo_history: u32,
    /// Most recent first, one entry per instance and region.
    entries: Vec<Entry>,
}

/// The recorded connections, most recent first.
pub fn load() -> Vec<Entry> {
    crate::paths::state_dir()
        .map(|dir| load_from(&dir))
        .unwrap_or_default()
}

fn load_from(dir: &Path) -> Vec<Entry> {
    let Ok(bytes) = std::fs::read(dir.join(FILE_NAME)) else {
        return Vec::new();
    };
    match serde_json::from_slice::<File>(&bytes) {
        Ok(file) if file.ssmgo_history == FORMAT => file.entries,
        _ => Vec::new(),
    }
}

/// Records a connection to `entry`'s instance (its `at` is set to now).
pub fn record(mut entry: Entry) -> std::io::Result<()> {
    let dir = crate::paths::state_dir()
        .ok_or_else(|| std::io::Error::other("no state directory (HOME is not set)"))?;
    entry.at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    record_in(&dir, entry)
}

fn record_in(dir: &Path, entry: Entry) -> std::io::Result<()> {
    // Two connects ending together must not each write the list they read before the other's
    // entry: the read-modify-write holds an exclusive lock on a file beside the history.
    std::fs::create_dir_all(dir)?;
    let _lock = Lock::exclusive(&dir.join(".history.lock"))?;
    let mut entries = load_from(dir);
    entries.retain(|e| !(e.instance_id == entry.instance_id && e.region == entry.region));
    entries.insert(0, entry);
    entries.truncate(KEEP);
    let file = File {
        ssmgo_history: FORMAT,
        entries,
    };
    crate::paths::write_atomically(dir, FILE_NAME, |out| {
        serde_json::to_writer_pretty(out, &file).map_err(std::io::Error::other)
    })
}

/// An advisory lock (flock) held until dropped; the file itself stays, empty.
struct Lock(std::fs::File);

impl Lock {
    fn exclusive(path: &Path) -> std::io::Result<Lock> {
        let mut options = std::fs::OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(path)?;
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            // SAFETY: flock on a descriptor this function owns.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        Ok(Lock(file))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            // SAFETY: as above; closing the file would release it too.
            unsafe {
                libc::flock(self.0.as_raw_fd(), libc::LOCK_UN);
            }
        }
    }
}

/// How recently each instance of `region` was connected to: 0 for the last one, 1 for the one
/// before, …; instances never connected to are not in the map.
pub fn ranks(entries: &[Entry], region: &str) -> std::collections::HashMap<String, usize> {
    entries
        .iter()
        .filter(|e| e.region == region)
        .enumerate()
        .map(|(rank, e)| (e.instance_id.clone(), rank))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connects_that_end_together_all_get_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let threads: Vec<_> = (0..16)
            .map(|n| {
                let dir = dir.path().to_owned();
                std::thread::spawn(move || {
                    record_in(
                        &dir,
                        Entry {
                            instance_id: format!("i-{n}"),
                            name: None,
                            profile: None,
                            region: "us-east-1".into(),
                            role_arn: None,
                            at: n,
                        },
                    )
                    .unwrap()
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(load_from(dir.path()).len(), 16);
    }

    fn entry(id: &str, region: &str) -> Entry {
        Entry {
            instance_id: id.into(),
            name: None,
            profile: None,
            region: region.into(),
            role_arn: None,
            at: 0,
        }
    }

    #[test]
    fn the_latest_connection_comes_first_and_each_instance_appears_once() {
        let dir = tempfile::tempdir().unwrap();
        for id in ["i-1", "i-2", "i-3", "i-1"] {
            record_in(dir.path(), entry(id, "eu-west-1")).unwrap();
        }
        record_in(dir.path(), entry("i-2", "us-east-1")).unwrap();
        let ids: Vec<(String, String)> = load_from(dir.path())
            .into_iter()
            .map(|e| (e.instance_id, e.region))
            .collect();
        assert_eq!(
            ids,
            [
                ("i-2".into(), "us-east-1".into()),
                ("i-1".into(), "eu-west-1".into()),
                ("i-3".into(), "eu-west-1".into()),
                ("i-2".into(), "eu-west-1".into()),
            ]
        );
        let ranks = ranks(&load_from(dir.path()), "eu-west-1");
        assert_eq!((ranks["i-1"], ranks["i-3"], ranks["i-2"]), (0, 1, 2));
    }

    #[test]
    fn a_damaged_history_is_empty_and_is_replaced_on_the_next_connection() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "{\"ssmgo_history\": 1, \"entr").unwrap();
        assert!(load_from(dir.path()).is_empty());
        record_in(dir.path(), entry("i-9", "eu-west-1")).unwrap();
        assert_eq!(load_from(dir.path()).len(), 1);
        for _ in 0..KEEP + 5 {
            let n = load_from(dir.path()).len();
            record_in(dir.path(), entry(&format!("i-{n}x"), "eu-west-1")).unwrap();
        }
        assert_eq!(load_from(dir.path()).len(), KEEP);
    }
}

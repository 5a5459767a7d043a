//! The last listing of each account, region and filter, kept on disk so that the picker (and
//! shell completion) can show something the moment ssmgo starts, while a fresh listing runs:
//! instances, and ECS Exec's containers, each kind of row in files of its own ([`Rows`]).
//!
//! A cache is a convenience, never a source of truth: a file that doesn't parse, was written by
//! another format version, or answers another question (profile, region, endpoint, filters) is
//! discarded. Connecting always goes through a fresh lookup and the pre-check.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::Instance;

/// Bumped whenever the file's shape or meaning changes: older files are then ignored.
/// 2: the rows are `rows` (they were `instances`), the key's filter `filter` (was `tags`).
const FORMAT: u32 = 2;

/// A kind of row a listing is cached as: its files are named after it.
pub trait Rows: Serialize + DeserializeOwned {
    /// The start of its files' names: `instances-….json`.
    const FILES: &'static str;
}

/// The files of the instance listings, and of ECS Exec's container listings.
pub const INSTANCES: &str = "instances";
pub const CONTAINERS: &str = "containers";

impl Rows for Instance {
    const FILES: &'static str = INSTANCES;
}

/// What a cached listing answers: the same key must be asked to get it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key {
    pub profile: Option<String>,
    /// The role assumed in another account (`--org`), whose listing this is.
    pub account: Option<String>,
    pub region: String,
    pub endpoint: Option<String>,
    /// What the listing was asked for, as typed: the tag filters (`TagFilters::describe`), or
    /// the clusters and service of a container listing.
    pub filter: String,
}

/// As read back; `ssmgo_cache` (the format version) is checked before this is parsed.
#[derive(Deserialize)]
#[serde(bound = "T: Rows")]
struct File<T> {
    key: Key,
    /// Seconds since the Unix epoch.
    written_at: u64,
    rows: Vec<T>,
}

/// The same shape but for the rows, which are written after it (already serialized, or
/// streamed: a listing of 100,000 rows is never copied).
#[derive(Serialize)]
struct Header<'a> {
    ssmgo_cache: u32,
    key: &'a Key,
    written_at: u64,
}

/// A listing read back from the cache.
#[derive(Debug)]
pub struct Cached<T> {
    pub age: Duration,
    pub rows: Vec<T>,
}

/// Why a cache file was not used (shown with --verbose).
#[derive(Debug, PartialEq, Eq)]
pub enum Miss {
    Absent,
    Unreadable(String),
    Foreign,
    Expired(Duration),
}

impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Miss::Absent => write!(f, "there is none yet"),
            Miss::Unreadable(e) => write!(f, "it is unreadable ({e})"),
            Miss::Foreign => write!(f, "it was written for another query or by another version"),
            Miss::Expired(age) => write!(f, "it is older than cache-ttl ({} s old)", age.as_secs()),
        }
    }
}

impl Key {
    /// Its file for rows of kind `T`.
    fn file_name<T: Rows>(&self) -> String {
        let text = serde_json::to_string(self).expect("keys serialize");
        format!("{}-{:016x}.json", T::FILES, fnv1a(text.as_bytes()))
    }
}

/// 64-bit FNV-1a: a stable file name per key (not security: the key is checked on read).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Reads the listing cached for `key`, if there is a trustworthy one younger than `ttl`.
pub fn load<T: Rows>(key: &Key, ttl: Duration) -> Result<Cached<T>, Miss> {
    let dir = crate::paths::cache_dir().ok_or(Miss::Absent)?;
    load_from(&dir, key, ttl, SystemTime::now())
}

fn load_from<T: Rows>(
    dir: &Path,
    key: &Key,
    ttl: Duration,
    now: SystemTime,
) -> Result<Cached<T>, Miss> {
    let bytes = match std::fs::read(dir.join(key.file_name::<T>())) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Miss::Absent),
        Err(e) => return Err(Miss::Unreadable(e.to_string())),
    };
    let file = parse(&bytes)?;
    if file.key != *key {
        return Err(Miss::Foreign);
    }
    let now = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    // A file from the future (clock changes) is as untrustworthy as an old one.
    let age = Duration::from_secs(now.checked_sub(file.written_at).ok_or(Miss::Foreign)?);
    if age > ttl {
        return Err(Miss::Expired(age));
    }
    Ok(Cached {
        age,
        rows: file.rows,
    })
}

fn parse<T: Rows>(bytes: &[u8]) -> Result<File<T>, Miss> {
    #[derive(Deserialize)]
    struct Version {
        ssmgo_cache: u32,
    }
    let version: Version =
        serde_json::from_slice(bytes).map_err(|e| Miss::Unreadable(e.to_string()))?;
    if version.ssmgo_cache != FORMAT {
        return Err(Miss::Foreign);
    }
    serde_json::from_slice(bytes).map_err(|e| Miss::Unreadable(e.to_string()))
}

/// Replaces the cached listing for `key`. Failing to write a cache is not worth failing a
/// command for: the error is returned for --verbose to show, nothing more.
pub fn store<T: Rows>(key: &Key, rows: &[T]) -> std::io::Result<()> {
    let dir = crate::paths::cache_dir()
        .ok_or_else(|| std::io::Error::other("no cache directory (HOME is not set)"))?;
    store_in(&dir, key, rows, SystemTime::now())
}

fn store_in<T: Rows>(dir: &Path, key: &Key, rows: &[T], now: SystemTime) -> std::io::Result<()> {
    store_rows_in::<T>(dir, key, now, |out| {
        serde_json::to_writer(out, rows).map_err(std::io::Error::other)
    })
}

/// Replaces the cached listing of `T` for `key` with rows serialized by the caller: `write_rows`
/// writes their JSON array (`list --json` writes the bytes it prints, so that rows are
/// serialized once for both). A failure of `write_rows` leaves the old file in place.
pub fn store_serialized<T: Rows>(
    key: &Key,
    write_rows: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = crate::paths::cache_dir()
        .ok_or_else(|| std::io::Error::other("no cache directory (HOME is not set)"))?;
    store_rows_in::<T>(&dir, key, SystemTime::now(), write_rows)
}

fn store_rows_in<T: Rows>(
    dir: &Path,
    key: &Key,
    now: SystemTime,
    write_rows: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let header = Header {
        ssmgo_cache: FORMAT,
        key,
        written_at: now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs(),
    };
    let header = serde_json::to_vec(&header).map_err(std::io::Error::other)?;
    crate::paths::write_atomically(dir, &key.file_name::<T>(), |out| {
        // The header object, open for one more member: the rows.
        out.write_all(&header[..header.len() - 1])?;
        out.write_all(b",\"rows\":")?;
        write_rows(out)?;
        out.write_all(b"}")
    })?;
    // Once a run: an organization's listing stores hundreds of files, and each prune reads the
    // whole directory.
    static PRUNED: std::sync::Once = std::sync::Once::new();
    PRUNED.call_once(|| prune(dir, now));
    Ok(())
}

/// How long an unused cache file is kept, and how many are kept at most: one is written per
/// profile (or account), region and filter, so without pruning they pile up forever. An
/// organization of 100 accounts in 3 regions writes 300 per filter.
const KEEP_FOR: Duration = Duration::from_secs(7 * 24 * 3600);
const KEEP_AT_MOST: usize = 1024;

/// Removes cache files older than [`KEEP_FOR`], then the oldest beyond [`KEEP_AT_MOST`]: the
/// listings (instances and containers) and the organizations' remembered accounts
/// (`org-*.json`, one per profile, endpoint and `[org]` settings). Best effort: a file that
/// can't be removed is left for the next run.
fn prune(dir: &Path, now: SystemTime) {
    let pruned = [
        format!("{INSTANCES}-"),
        format!("{CONTAINERS}-"),
        "org-".into(),
    ];
    let pruned: Vec<&str> = pruned.iter().map(String::as_str).collect();
    let mut files: Vec<(SystemTime, PathBuf)> = files_named(dir, &pruned)
        .into_iter()
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    for (i, (modified, path)) in files.iter().enumerate() {
        let old = now.duration_since(*modified).unwrap_or_default() > KEEP_FOR;
        if old || i >= KEEP_AT_MOST {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The endpoint as a cache key: without any `user:password@`, which must never be written to
/// disk (the key is stored in the file).
pub fn endpoint_for_key(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

/// The rows of every cached listing of kind `T`, whatever its account, region or filter: for
/// shell completion, which must not call AWS. Unreadable and foreign files are skipped.
pub fn every_cached<T: Rows>() -> Vec<T> {
    let Some(dir) = crate::paths::cache_dir() else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for path in files_named(&dir, &[&format!("{}-", T::FILES)]) {
        if let Some(file) = std::fs::read(&path).ok().and_then(|b| parse::<T>(&b).ok()) {
            rows.extend(file.rows);
        }
    }
    rows
}

/// Instance ids and Names from every cache, for shell completion.
pub fn known_targets() -> Vec<(String, Option<String>)> {
    // Only ids and names are read: completing must stay quick with large fleets cached.
    #[derive(Serialize, Deserialize)]
    struct Target {
        instance_id: String,
        name: Option<String>,
    }
    impl Rows for Target {
        const FILES: &'static str = INSTANCES;
    }
    let mut targets: Vec<(String, Option<String>)> = every_cached::<Target>()
        .into_iter()
        .map(|t| (t.instance_id, t.name))
        .collect();
    targets.sort();
    targets.dedup();
    targets
}

/// The `.json` files of `dir` whose names start with one of `prefixes`.
fn files_named(dir: &Path, prefixes: &[&str]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.ends_with(".json") && prefixes.iter().any(|prefix| n.starts_with(prefix))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(region: &str) -> Key {
        Key {
            profile: Some("ops".into()),
            account: None,
            region: region.into(),
            endpoint: None,
            filter: "Env=prod".into(),
        }
    }

    fn row(id: &str) -> Instance {
        Instance::example(id)
            .named("web")
            .pinged("Online")
            .tagged("Env", "prod")
    }

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn a_stored_listing_comes_back_for_the_same_key_until_it_expires() {
        let dir = tempfile::tempdir().unwrap();
        let then = UNIX_EPOCH + Duration::from_secs(1_000_000);
        store_in(dir.path(), &key("eu-west-1"), &[row("i-1")], then).unwrap();
        let later = then + Duration::from_secs(60);
        let cached: Cached<Instance> =
            load_from(dir.path(), &key("eu-west-1"), HOUR, later).unwrap();
        assert_eq!(cached.rows, [row("i-1")]);
        assert_eq!(cached.age, Duration::from_secs(60));
        assert_eq!(
            load_from::<Instance>(dir.path(), &key("us-east-1"), HOUR, later).unwrap_err(),
            Miss::Absent
        );
        let much_later = then + 2 * HOUR;
        assert!(matches!(
            load_from::<Instance>(dir.path(), &key("eu-west-1"), HOUR, much_later),
            Err(Miss::Expired(_))
        ));
        assert_eq!(
            load_from::<Instance>(dir.path(), &key("eu-west-1"), HOUR, then - HOUR).unwrap_err(),
            Miss::Foreign,
            "written in the future"
        );
    }

    #[test]
    fn each_kind_of_row_is_kept_in_files_of_its_own() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Other(String);
        impl Rows for Other {
            const FILES: &'static str = "others";
        }
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        store_in(dir.path(), &key("eu-west-1"), &[Other("x".into())], now).unwrap();
        store_in(dir.path(), &key("eu-west-1"), &[row("i-1")], now).unwrap();
        let others: Cached<Other> = load_from(dir.path(), &key("eu-west-1"), HOUR, now).unwrap();
        assert_eq!(others.rows, [Other("x".into())]);
        let instances: Cached<Instance> =
            load_from(dir.path(), &key("eu-west-1"), HOUR, now).unwrap();
        assert_eq!(instances.rows, [row("i-1")]);
        assert!(key("x").file_name::<Other>().starts_with("others-"));
    }

    #[test]
    fn rows_stored_as_serialized_elsewhere_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        let rows = [row("i-1"), row("i-2").named("\u{202e}x")];
        let printed = serde_json::to_vec_pretty(&rows).unwrap();
        store_rows_in::<Instance>(dir.path(), &key("eu-west-1"), now, |out| {
            out.write_all(&printed)
        })
        .unwrap();
        let cached: Cached<Instance> = load_from(dir.path(), &key("eu-west-1"), HOUR, now).unwrap();
        assert_eq!(cached.rows, rows);
        let failed = store_rows_in::<Instance>(dir.path(), &key("eu-west-1"), now, |out| {
            out.write_all(b"[")?;
            Err(std::io::Error::other("cut short"))
        });
        assert!(failed.is_err());
        let kept: Cached<Instance> = load_from(dir.path(), &key("eu-west-1"), HOUR, now).unwrap();
        assert_eq!(kept.rows, rows, "a failed write leaves the last listing");
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private_even_in_an_existing_open_directory() {
        use std::os::unix::fs::PermissionsExt;
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("ssmgo");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        store_in(&dir, &key("eu-west-1"), &[row("i-1")], SystemTime::now()).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(
            mode(&dir.join(key("eu-west-1").file_name::<Instance>())),
            0o600
        );
    }

    #[test]
    fn endpoint_credentials_never_reach_the_key() {
        assert_eq!(
            endpoint_for_key("https://user:pa%40ss@proxy.example:8443/x?y@z"),
            "https://proxy.example:8443/x?y@z"
        );
        assert_eq!(
            endpoint_for_key("http://127.0.0.1:5000"),
            "http://127.0.0.1:5000"
        );
        assert_eq!(endpoint_for_key("http://h/p@q"), "http://h/p@q");
    }

    #[test]
    fn old_and_surplus_cache_files_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        let write = |name: &str, age: Duration| {
            let path = dir.path().join(name);
            std::fs::write(&path, "{}").unwrap();
            let f = std::fs::File::options().write(true).open(&path).unwrap();
            f.set_modified(now - age).unwrap();
        };
        write("instances-old.json", KEEP_FOR + HOUR);
        write("containers-old.json", KEEP_FOR + HOUR);
        write("org-old.json", KEEP_FOR + HOUR);
        write("org-new.json", HOUR);
        write("unrelated.txt", KEEP_FOR + HOUR);
        for i in 0..KEEP_AT_MOST + 3 {
            write(
                &format!("instances-{i:03}.json"),
                Duration::from_secs(i as u64 * 60),
            );
        }
        prune(dir.path(), now);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left.len(), KEEP_AT_MOST + 1, "{left:?}");
        assert!(left.contains(&"unrelated.txt".to_string()));
        assert!(
            !left.contains(&"org-old.json".to_string()),
            "remembered accounts too"
        );
        assert!(left.contains(&"org-new.json".to_string()));
        assert!(left.contains(&"instances-000.json".to_string()));
        assert!(!left.contains(&"instances-old.json".to_string()));
        assert!(!left.contains(&"containers-old.json".to_string()));
        assert!(!left.contains(&format!("instances-{:03}.json", KEEP_AT_MOST)));
    }

    #[test]
    fn corrupt_foreign_and_misplaced_files_are_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        let k = key("eu-west-1");
        let path = dir.path().join(k.file_name::<Instance>());
        for (content, miss) in [
            ("{not json", "unreadable"),
            ("", "unreadable"),
            (r#"{"ssmgo_cache": 1, "whatever": true}"#, "foreign"),
            (r#"{"ssmgo_cache": 2, "key": 5}"#, "unreadable"),
        ] {
            std::fs::write(&path, content).unwrap();
            let got = load_from::<Instance>(dir.path(), &k, HOUR, now).unwrap_err();
            match miss {
                "foreign" => assert_eq!(got, Miss::Foreign, "{content}"),
                _ => assert!(matches!(got, Miss::Unreadable(_)), "{content}: {got:?}"),
            }
        }
        // A file answering another key, copied under this key's name.
        store_in(dir.path(), &key("us-east-1"), &[row("i-2")], now).unwrap();
        std::fs::rename(
            dir.path().join(key("us-east-1").file_name::<Instance>()),
            &path,
        )
        .unwrap();
        assert_eq!(
            load_from::<Instance>(dir.path(), &k, HOUR, now).unwrap_err(),
            Miss::Foreign
        );
    }
}

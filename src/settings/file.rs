//! The config file as written: a TOML schema whose values are typed, so the TOML parser itself
//! refuses a bad value and says where. Unknown keys are errors: a typo must not pass for a
//! setting.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::columns::Column;
use super::tag_filter::TagFilters;
use super::values::{
    AccountId, CheckMode, ColorChoice, DocumentName, Regions, RoleName, RunLimit, S3Location, Span,
    Timeout,
};
use crate::error::{Error, Result};

/// The file's top level.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    profile: Option<String>,
    region: Option<Regions>,
    tag: Option<TagFilters>,
    document: Option<DocumentName>,
    columns: Option<Vec<Column>>,
    cache_ttl: Option<Span>,
    timeout: Option<Timeout>,
    check: Option<CheckMode>,
    color: Option<ColorChoice>,
    /// `ssh-proxy` pushes your key with EC2 Instance Connect, as with --send-key.
    send_key: Option<bool>,
    run_max_concurrency: Option<RunLimit>,
    run_max_errors: Option<RunLimit>,
    run_timeout: Option<Span>,
    run_output_s3: Option<S3Location>,
    forward_reconnect: Option<bool>,
    forward_keep_alive: Option<Span>,
    org: Option<Org>,
    #[serde(default)]
    preset: BTreeMap<String, Values>,
}

/// The `[org]` table: listing every account of an AWS Organization.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Org {
    /// List the organization without --org.
    pub enabled: Option<bool>,
    /// The role assumed in each account.
    pub role: Option<RoleName>,
    /// The accounts to list, instead of asking Organizations (which needs
    /// organizations:ListAccounts in the management account or a delegated administrator).
    pub accounts: Option<Vec<AccountId>>,
    /// Another role for some accounts.
    #[serde(default)]
    pub roles: BTreeMap<AccountId, RoleName>,
}

/// `run`'s defaults from the file: run-max-concurrency, run-max-errors, run-timeout,
/// run-output-s3.
#[derive(Debug, Default, Clone)]
pub struct RunDefaults {
    pub max_concurrency: Option<RunLimit>,
    pub max_errors: Option<RunLimit>,
    pub timeout: Option<Span>,
    pub output_s3: Option<S3Location>,
}

/// `forward`'s defaults from the file: forward-reconnect, forward-keep-alive.
#[derive(Debug, Default, Clone)]
pub struct ForwardDefaults {
    pub reconnect: Option<bool>,
    pub keep_alive: Option<Span>,
}

/// What the top level and a preset can both set.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Values {
    pub profile: Option<String>,
    pub region: Option<Regions>,
    pub tag: Option<TagFilters>,
    pub document: Option<DocumentName>,
    pub columns: Option<Vec<Column>>,
}

/// The config file, read and checked.
#[derive(Debug, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    /// False when there is no file (every value comes from elsewhere then).
    pub exists: bool,
    file: File,
}

/// A config file is a few lines; anything much larger is not one.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

impl Config {
    /// Reads the config file; a missing file is an empty config, anything unreadable an error.
    pub fn load() -> Result<Config> {
        let Some(path) = crate::paths::config_file() else {
            return Ok(Config::default());
        };
        match crate::paths::read_text_file(&path, MAX_CONFIG_BYTES) {
            Ok(text) => Config::parse(&path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config {
                path: Some(path),
                ..Config::default()
            }),
            Err(e) => Err(Error::Config {
                path: path.display().to_string(),
                position: String::new(),
                reason: e.to_string(),
            }),
        }
    }

    /// Parses `text`, read from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Config> {
        let file: File = toml::from_str(text).map_err(|e| {
            let mut position = String::new();
            if let Some(span) = e.span() {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                position = format!(", line {line}");
            }
            if let Some(key) = key_of(&e, text) {
                position.push_str(&format!(", key `{key}`"));
            }
            Error::Config {
                path: path.display().to_string(),
                position,
                reason: e.message().trim().to_string(),
            }
        })?;
        Ok(Config {
            path: Some(path.to_owned()),
            exists: true,
            file,
        })
    }

    /// The top level's values.
    pub fn top(&self) -> Values {
        let f = &self.file;
        Values {
            profile: f.profile.clone(),
            region: f.region.clone(),
            tag: f.tag.clone(),
            document: f.document.clone(),
            columns: f.columns.clone(),
        }
    }

    pub fn preset(&self, name: &str) -> Option<&Values> {
        self.file.preset.get(name)
    }

    /// The names of the presets, for messages and completion.
    pub fn preset_names(&self) -> Vec<&str> {
        self.file.preset.keys().map(String::as_str).collect()
    }

    pub fn cache_ttl(&self) -> Option<Span> {
        self.file.cache_ttl
    }

    pub fn timeout(&self) -> Option<Timeout> {
        self.file.timeout
    }

    pub fn check(&self) -> Option<CheckMode> {
        self.file.check
    }

    pub fn send_key(&self) -> Option<bool> {
        self.file.send_key
    }

    pub fn run_defaults(&self) -> RunDefaults {
        RunDefaults {
            max_concurrency: self.file.run_max_concurrency.clone(),
            max_errors: self.file.run_max_errors.clone(),
            timeout: self.file.run_timeout,
            output_s3: self.file.run_output_s3.clone(),
        }
    }

    pub fn forward_defaults(&self) -> ForwardDefaults {
        ForwardDefaults {
            reconnect: self.file.forward_reconnect,
            keep_alive: self.file.forward_keep_alive,
        }
    }

    pub fn color(&self) -> Option<ColorChoice> {
        self.file.color
    }

    pub fn org(&self) -> Org {
        self.file.org.clone().unwrap_or_default()
    }
}

/// The dotted key an error is about, as the TOML parser tracked it; an unknown key's own name
/// is the text its span covers.
fn key_of(e: &toml::de::Error, text: &str) -> Option<String> {
    // Without the input, the parser's message ends with "in `preset.prod.tag`".
    let mut bare = e.clone();
    bare.set_input(None);
    let rendered = bare.to_string();
    let mut keys: Vec<String> = rendered
        .lines()
        .filter_map(|l| l.strip_prefix("in `")?.strip_suffix('`'))
        .map(str::to_owned)
        .collect();
    if e.message().starts_with("unknown field") {
        let span = e.span()?;
        let name = text.get(span)?.trim().trim_matches(['"', '\'']);
        keys.push(name.to_owned());
    }
    let key = keys.join(".");
    (!key.is_empty()).then_some(key)
}

//! The user's config file and the one place where flags, environment, config and built-in
//! defaults meet.
//!
//! Precedence is always flags > environment > config (a `--preset`'s values over the file's
//! top-level ones) > built-in defaults, and every effective value remembers where it came from,
//! so `ssmgo config show` can say why ssmgo does what it does. A malformed config is an error
//! naming the file, line and key: a setting that is silently ignored is worse than none.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result};
use crate::fleet::TagFilters;

/// How long a cached listing may be shown before it is too old to be useful.
pub const DEFAULT_CACHE_TTL: Duration = Duration::from_secs(3600);

/// How long one AWS request may go unanswered before it is given up (and retried).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// The config file, as written. Unknown keys are errors (a typo must not pass for a setting).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    profile: Option<Spanned<String>>,
    region: Option<Spanned<String>>,
    tag: Option<Spanned<Vec<String>>>,
    document: Option<Spanned<String>>,
    columns: Option<Spanned<Vec<String>>>,
    cache_ttl: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    check: Option<Spanned<String>>,
    color: Option<Spanned<String>>,
    #[serde(default)]
    preset: std::collections::BTreeMap<String, Values>,
}

/// What the top level and a preset can both set.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Values {
    profile: Option<Spanned<String>>,
    region: Option<Spanned<String>>,
    tag: Option<Spanned<Vec<String>>>,
    document: Option<Spanned<String>>,
    columns: Option<Spanned<Vec<String>>>,
}

impl File {
    fn top(&self) -> Values {
        Values {
            profile: self.profile.clone(),
            region: self.region.clone(),
            tag: self.tag.clone(),
            document: self.document.clone(),
            columns: self.columns.clone(),
        }
    }
}

/// The config file, read and checked.
#[derive(Debug, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    /// False when there is no file (every value comes from elsewhere then).
    pub exists: bool,
    text: String,
    file: File,
    top: Values,
}

/// Where an effective value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag(&'static str),
    Env(&'static str),
    Preset(String),
    Config,
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "flag {flag}"),
            Source::Env(var) => write!(f, "environment {var}"),
            Source::Preset(name) => write!(f, "config [preset.{name}]"),
            Source::Config => write!(f, "config"),
            Source::Default => write!(f, "default"),
        }
    }
}

/// A value and its origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// A table column: one of the built-in ones, or a tag's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    Name,
    Instance,
    State,
    Ssm,
    Ip,
    Platform,
    Az,
    Tag(String),
}

impl Column {
    pub const BUILT_IN: [Column; 7] = [
        Column::Name,
        Column::Instance,
        Column::State,
        Column::Ssm,
        Column::Ip,
        Column::Platform,
        Column::Az,
    ];

    fn parse(s: &str) -> Option<Column> {
        Some(match s {
            "name" => Column::Name,
            "instance" | "id" => Column::Instance,
            "state" => Column::State,
            "ssm" => Column::Ssm,
            "ip" => Column::Ip,
            "platform" => Column::Platform,
            "az" => Column::Az,
            _ => Column::Tag(s.strip_prefix("tag:").filter(|k| !k.is_empty())?.to_owned()),
        })
    }

    pub fn header(&self) -> String {
        match self {
            Column::Name => "NAME".into(),
            Column::Instance => "INSTANCE".into(),
            Column::State => "STATE".into(),
            Column::Ssm => "SSM".into(),
            Column::Ip => "PRIVATE IP".into(),
            Column::Platform => "PLATFORM".into(),
            Column::Az => "AZ".into(),
            Column::Tag(k) => k.clone(),
        }
    }

    fn config_name(&self) -> String {
        match self {
            Column::Name => "name".into(),
            Column::Instance => "instance".into(),
            Column::State => "state".into(),
            Column::Ssm => "ssm".into(),
            Column::Ip => "ip".into(),
            Column::Platform => "platform".into(),
            Column::Az => "az".into(),
            Column::Tag(k) => format!("tag:{k}"),
        }
    }
}

/// What the command line said about settings that the config can also give.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub preset: Option<String>,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub color: Option<ColorChoice>,
}

/// Every effective setting, with its source.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Profiles to use; empty means the SDK's default chain (no profile named anywhere).
    pub profiles: Setting<Vec<String>>,
    /// Regions to use; empty means the profile's region (the SDK's chain).
    pub regions: Setting<Vec<String>>,
    pub endpoint_url: Setting<Option<String>>,
    pub tags: Setting<Vec<String>>,
    pub document: Setting<Option<String>>,
    pub columns: Setting<Vec<Column>>,
    pub cache_ttl: Setting<Duration>,
    /// How long one AWS request may go unanswered (connecting, or between bytes of an answer).
    pub timeout: Setting<Duration>,
    /// Whether sessions are pre-checked (`--no-check` and `--strict` override it).
    pub check: Setting<CheckMode>,
    pub color: Setting<ColorChoice>,
    pub preset: Option<String>,
    /// A preset's profile or region that the environment overrides: worth saying, since the
    /// point of a preset is to be sure which account you are in.
    pub overridden: Vec<String>,
}

/// One AWS account/region to talk to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Scope {
    /// A profile named by a flag or the config (the environment's AWS_PROFILE is the SDK's own).
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// How long a request may go unanswered ([`Settings::timeout`]).
    pub timeout: Duration,
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
            Ok(text) => Config::parse(&path, text),
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

    /// Parses and checks `text`, read from `path`.
    pub fn parse(path: &Path, text: String) -> Result<Config> {
        let file: File = toml::from_str(&text).map_err(|e| {
            let (line, key) = e
                .span()
                .map(|s| locate(&text, s.start))
                .unwrap_or((0, String::new()));
            config_error(path, line, &key, e.message().trim())
        })?;
        let config = Config {
            path: Some(path.to_owned()),
            exists: true,
            text,
            top: file.top(),
            file,
        };
        config.check()?;
        Ok(config)
    }

    /// Checks what TOML's types can't: values that must parse as tags, regions, columns, times.
    fn check(&self) -> Result<()> {
        let path = self.path.as_deref().unwrap_or(Path::new("config.toml"));
        let at = |span: std::ops::Range<usize>, reason: String| {
            let (line, key) = locate(&self.text, span.start);
            config_error(path, line, &key, &reason)
        };
        let mut all: Vec<&Values> = vec![&self.top];
        all.extend(self.file.preset.values());
        for v in all {
            if let Some(tags) = &v.tag {
                if let Err(e) = TagFilters::parse(tags.get_ref()) {
                    return Err(at(
                        tags.span(),
                        e.to_string().lines().next().unwrap_or("").into(),
                    ));
                }
            }
            if let Some(region) = &v.region {
                for r in split_list(region.get_ref()) {
                    if let Err(e) = crate::aws::validate_region(&r) {
                        return Err(at(region.span(), e.to_string()));
                    }
                }
            }
            if let Some(document) = &v.document {
                if let Err(Error::BadInput { reason, .. }) =
                    crate::session::validate_document_name(document.get_ref())
                {
                    return Err(at(document.span(), reason));
                }
            }
            if let Some(columns) = &v.columns {
                for c in columns.get_ref() {
                    if Column::parse(c).is_none() {
                        return Err(at(
                            columns.span(),
                            format!("unknown column {c:?}; use name, instance, state, ssm, ip, platform, az or tag:KEY"),
                        ));
                    }
                }
            }
        }
        if let Some(ttl) = &self.file.cache_ttl {
            parse_duration(ttl.get_ref()).map_err(|reason| at(ttl.span(), reason))?;
        }
        if let Some(check) = &self.file.check {
            CheckMode::parse(check.get_ref()).map_err(|reason| at(check.span(), reason))?;
        }
        if let Some(timeout) = &self.file.timeout {
            parse_timeout(timeout.get_ref()).map_err(|reason| at(timeout.span(), reason))?;
        }
        if let Some(color) = &self.file.color {
            parse_color(color.get_ref()).map_err(|reason| at(color.span(), reason))?;
        }
        Ok(())
    }

    /// The names of the presets, for messages and completion.
    pub fn preset_names(&self) -> Vec<&str> {
        self.file.preset.keys().map(String::as_str).collect()
    }
}

/// 1-based line of byte `offset`, and the dotted key being defined there (its table header
/// included), for error messages.
fn locate(text: &str, offset: usize) -> (usize, String) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_text = text[line_start..].lines().next().unwrap_or("");
    let mut table = String::new();
    for l in before.lines() {
        let l = l.trim();
        if l.starts_with('[') && !l.starts_with("[[") {
            table = l.trim_matches(['[', ']']).trim().to_owned();
        }
    }
    let key = line_text
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_owned())
        .filter(|k| !k.is_empty() && !k.starts_with('['))
        .map(|k| {
            if table.is_empty() {
                k.clone()
            } else {
                format!("{table}.{k}")
            }
        })
        .unwrap_or(table);
    (line, key)
}

fn config_error(path: &Path, line: usize, key: &str, reason: &str) -> Error {
    let mut position = String::new();
    if line > 0 {
        position = format!(", line {line}");
    }
    if !key.is_empty() {
        position.push_str(&format!(", key `{key}`"));
    }
    Error::Config {
        path: path.display().to_string(),
        position: crate::output::sanitize::for_terminal(&position).into_owned(),
        reason: crate::output::sanitize::for_terminal(reason).into_owned(),
    }
}

/// "30s", "15m", "2h", "1d", or plain seconds.
fn parse_duration(s: &str) -> std::result::Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let n: u64 = number.parse().map_err(|_| {
        format!("{s:?} is not a duration; write e.g. \"30s\", \"15m\", \"2h\" or \"1d\"")
    })?;
    let unit = match unit.trim() {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86400,
        other => {
            return Err(format!(
                "unknown unit {other:?} in {s:?}; use s, m, h or d (e.g. \"15m\")"
            ))
        }
    };
    Ok(Duration::from_secs(n.saturating_mul(unit)))
}

/// The access pre-check before a session: on (the default), off (AWS decides, as `--no-check`),
/// or strict (refuse when it can't tell, as `--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckMode {
    On,
    Off,
    Strict,
}

impl CheckMode {
    fn parse(s: &str) -> std::result::Result<CheckMode, String> {
        match s {
            "on" => Ok(CheckMode::On),
            "off" => Ok(CheckMode::Off),
            "strict" => Ok(CheckMode::Strict),
            _ => Err(format!("{s:?} is not a check mode; use on, off or strict")),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            CheckMode::On => "on",
            CheckMode::Off => "off",
            CheckMode::Strict => "strict",
        }
    }
}

/// A request timeout: a duration of 1 s to 10 min (0 would fail every call).
fn parse_timeout(s: &str) -> std::result::Result<Duration, String> {
    let d = parse_duration(s)?;
    if (1..=600).contains(&d.as_secs()) {
        Ok(d)
    } else {
        Err(format!(
            "{s:?} is out of range; give 1s to 10m, e.g. \"30s\""
        ))
    }
}

fn parse_color(s: &str) -> std::result::Result<ColorChoice, String> {
    match s {
        "auto" => Ok(ColorChoice::Auto),
        "always" => Ok(ColorChoice::Always),
        "never" => Ok(ColorChoice::Never),
        _ => Err(format!(
            "{s:?} is not a colour choice; use auto, always or never"
        )),
    }
}

/// "name,instance,tag:Env": columns as the config file writes them.
fn names(columns: &[Column]) -> String {
    columns
        .iter()
        .map(Column::config_name)
        .collect::<Vec<_>>()
        .join(",")
}

/// The value found and its source, or `default` from the built-in defaults.
fn or_default<T>(found: Option<(T, Source)>, default: T) -> Setting<T> {
    match found {
        Some((value, source)) => Setting { value, source },
        None => Setting {
            value: default,
            source: Source::Default,
        },
    }
}

/// "a,b" or "a, b" → ["a", "b"]; empty items dropped.
pub fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Settings {
    /// Merges flags, environment (read through `env`), config and defaults.
    pub fn resolve(
        flags: &Flags,
        env: &dyn Fn(&str) -> Option<String>,
        config: &Config,
    ) -> Result<Settings> {
        let env = |name: &'static str| env(name).filter(|v| !v.is_empty()).map(|v| (name, v));
        let top = &config.top;
        let preset = match &flags.preset {
            None => None,
            Some(name) => Some((
                name.clone(),
                config
                    .file
                    .preset
                    .get(name)
                    .ok_or_else(|| Error::UnknownPreset {
                        preset: crate::output::sanitize::for_terminal(name).into_owned(),
                        file: config
                            .path
                            .as_ref()
                            .map_or_else(|| "(no config file)".into(), |p| p.display().to_string()),
                        known: if config.file.preset.is_empty() {
                            "none".into()
                        } else {
                            config.preset_names().join(", ")
                        },
                    })?,
            )),
        };
        // The config's value for a key: the preset's when it sets one, else the top level's.
        fn from_config<T: Clone>(
            preset: &Option<(String, &Values)>,
            top: &Values,
            get: impl Fn(&Values) -> Option<T>,
        ) -> Option<(T, Source)> {
            if let Some((name, values)) = preset {
                if let Some(v) = get(values) {
                    return Some((v, Source::Preset(name.clone())));
                }
            }
            get(top).map(|v| (v, Source::Config))
        }
        let overridden = std::cell::RefCell::new(Vec::new());
        let pick_str = |flag: Option<(&'static str, &String)>,
                        envs: &[&'static str],
                        get: &dyn Fn(&Values) -> Option<String>|
         -> Option<(String, Source)> {
            if let Some((name, v)) = flag {
                return Some((v.clone(), Source::Flag(name)));
            }
            for e in envs {
                if let Some((name, v)) = env(e) {
                    if let Some((preset_name, values)) = &preset {
                        if let Some(mine) = get(values).filter(|mine| *mine != v) {
                            overridden.borrow_mut().push(format!(
                                "{name}={v} overrides preset {preset_name}'s {mine:?} (unset {name} to use the preset's)"
                            ));
                        }
                    }
                    return Some((v, Source::Env(name)));
                }
            }
            from_config(&preset, top, get)
        };

        let profiles = pick_str(
            flags.profile.as_ref().map(|p| ("--profile", p)),
            &["AWS_PROFILE", "AWS_DEFAULT_PROFILE"],
            &|v| v.profile.as_ref().map(|p| p.get_ref().clone()),
        );
        let regions = pick_str(
            flags.region.as_ref().map(|r| ("--region", r)),
            &["AWS_REGION", "AWS_DEFAULT_REGION"],
            &|v| v.region.as_ref().map(|r| r.get_ref().clone()),
        );
        let endpoint = pick_str(
            flags.endpoint_url.as_ref().map(|u| ("--endpoint-url", u)),
            &["AWS_ENDPOINT_URL"],
            &|_| None,
        );
        let tags = or_default(
            from_config(&preset, top, |v| {
                v.tag.as_ref().map(|t| t.get_ref().clone())
            }),
            Vec::new(),
        );
        let document = or_default(
            from_config(&preset, top, |v| {
                v.document.as_ref().map(|d| Some(d.get_ref().clone()))
            }),
            None,
        );
        let columns = or_default(
            from_config(&preset, top, |v| {
                v.columns.as_ref().map(|c| {
                    c.get_ref()
                        .iter()
                        .filter_map(|n| Column::parse(n))
                        .collect()
                })
            }),
            Column::BUILT_IN.to_vec(),
        );
        let cache_ttl = or_default(
            config.file.cache_ttl.as_ref().map(|ttl| {
                let value = parse_duration(ttl.get_ref()).unwrap_or(DEFAULT_CACHE_TTL);
                (value, Source::Config)
            }),
            DEFAULT_CACHE_TTL,
        );
        let timeout = match env("SSMGO_TIMEOUT") {
            Some((name, v)) => Setting {
                value: parse_timeout(&v).map_err(|reason| Error::BadInput {
                    what: "SSMGO_TIMEOUT",
                    value: v.clone(),
                    reason,
                })?,
                source: Source::Env(name),
            },
            None => or_default(
                config.file.timeout.as_ref().map(|t| {
                    let value = parse_timeout(t.get_ref()).unwrap_or(DEFAULT_TIMEOUT);
                    (value, Source::Config)
                }),
                DEFAULT_TIMEOUT,
            ),
        };
        let check = or_default(
            config.file.check.as_ref().map(|c| {
                (
                    CheckMode::parse(c.get_ref()).unwrap_or(CheckMode::On),
                    Source::Config,
                )
            }),
            CheckMode::On,
        );
        let color = or_default(
            flags
                .color
                .map(|c| (c, Source::Flag("--color")))
                .or_else(|| {
                    env("NO_COLOR").map(|(name, _)| (ColorChoice::Never, Source::Env(name)))
                })
                .or_else(|| {
                    let c = config.file.color.as_ref()?;
                    Some((
                        parse_color(c.get_ref()).unwrap_or(ColorChoice::Auto),
                        Source::Config,
                    ))
                }),
            ColorChoice::Auto,
        );
        let list = |found: Option<(String, Source)>| {
            or_default(
                found.map(|(v, source)| (split_list(&v), source)),
                Vec::new(),
            )
        };
        Ok(Settings {
            profiles: list(profiles),
            regions: list(regions),
            endpoint_url: or_default(endpoint.map(|(v, source)| (Some(v), source)), None),
            tags,
            document,
            columns,
            cache_ttl,
            timeout,
            check,
            color,
            preset: flags.preset.clone(),
            overridden: overridden.into_inner(),
        })
    }

    /// Settings from the real environment and config file.
    pub fn load(flags: &Flags) -> Result<Settings> {
        Settings::resolve(flags, &|name| std::env::var(name).ok(), &Config::load()?)
    }

    /// `-t` given on the command line replaces the config's tag filters.
    pub fn tags_or(&self, flag_tags: &[String]) -> Vec<String> {
        if flag_tags.is_empty() {
            self.tags.value.clone()
        } else {
            flag_tags.to_vec()
        }
    }

    /// The configured columns (or `default` when none are), plus one for each filtered tag key
    /// not shown already: a filter's values are worth seeing.
    pub fn columns_with<'a>(
        &self,
        default: &[Column],
        tag_keys: impl Iterator<Item = &'a str>,
    ) -> Vec<Column> {
        let mut columns = match self.columns.source {
            Source::Default => default.to_vec(),
            _ => self.columns.value.clone(),
        };
        for key in tag_keys.filter(|k| *k != "Name") {
            let column = Column::Tag(key.to_owned());
            if !columns.contains(&column) {
                columns.push(column);
            }
        }
        columns
    }

    /// `--document` on the command line, else the config's.
    pub fn document_or(&self, flag: Option<String>) -> Option<String> {
        flag.or_else(|| self.document.value.clone())
    }

    /// Every profile × region combination to talk to (one, unless lists were given).
    pub fn scopes(&self) -> Vec<Scope> {
        // A profile from the environment is the SDK's to read; naming it again changes nothing
        // but what the plugin is told, and the AWS CLI doesn't tell it either.
        let profiles: Vec<Option<String>> = match (&self.profiles.source, self.profiles.value.len())
        {
            (_, 0) => vec![None],
            (Source::Env(_), 1) => vec![None],
            _ => self.profiles.value.iter().cloned().map(Some).collect(),
        };
        let regions: Vec<Option<String>> = if self.regions.value.is_empty() {
            vec![None]
        } else {
            self.regions.value.iter().cloned().map(Some).collect()
        };
        let mut scopes = Vec::new();
        for p in &profiles {
            for r in &regions {
                scopes.push(Scope {
                    profile: p.clone(),
                    region: r.clone(),
                    endpoint_url: self.endpoint_url.value.clone(),
                    timeout: self.timeout.value,
                });
            }
        }
        scopes
    }

    /// The single scope of a command that talks to one account and region.
    pub fn single_scope(&self, command: &str) -> Result<Scope> {
        let mut scopes = self.scopes();
        if scopes.len() > 1 {
            return Err(Error::BadInput {
                what: "--profile/--region",
                value: format!(
                    "{} / {}",
                    self.profiles.value.join(","),
                    self.regions.value.join(",")
                ),
                reason: format!(
                    "`{command}` works on one profile and one region; lists are for `list` and the picker"
                ),
            });
        }
        Ok(scopes.remove(0))
    }

    /// `ssmgo config show`: each effective value and where it came from.
    pub fn describe(&self) -> Vec<(&'static str, String, String)> {
        let or_none = |v: &[String], none: &str| {
            if v.is_empty() {
                none.to_owned()
            } else {
                v.join(",")
            }
        };
        vec![
            (
                "profile",
                or_none(&self.profiles.value, "(the AWS SDK's default)"),
                self.profiles.source.to_string(),
            ),
            (
                "region",
                or_none(&self.regions.value, "(the profile's region)"),
                self.regions.source.to_string(),
            ),
            (
                "endpoint-url",
                self.endpoint_url
                    .value
                    .clone()
                    .unwrap_or_else(|| "(AWS's endpoints)".into()),
                self.endpoint_url.source.to_string(),
            ),
            (
                "tag",
                or_none(&self.tags.value, "(none)"),
                self.tags.source.to_string(),
            ),
            (
                "document",
                self.document
                    .value
                    .clone()
                    .unwrap_or_else(|| "(the account's shell document)".into()),
                self.document.source.to_string(),
            ),
            (
                "columns",
                match self.columns.source {
                    Source::Default => format!(
                        "list: {}; picker: {}",
                        names(&Column::BUILT_IN),
                        names(&crate::picker::DEFAULT_COLUMNS)
                    ),
                    _ => names(&self.columns.value),
                },
                self.columns.source.to_string(),
            ),
            (
                "cache-ttl",
                format!("{}s", self.cache_ttl.value.as_secs()),
                self.cache_ttl.source.to_string(),
            ),
            (
                "check",
                self.check.value.as_str().to_owned(),
                self.check.source.to_string(),
            ),
            (
                "timeout",
                format!("{}s", self.timeout.value.as_secs()),
                self.timeout.source.to_string(),
            ),
            (
                "color",
                format!("{:?}", self.color.value).to_lowercase(),
                self.color.source.to_string(),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Result<Config> {
        Config::parse(
            Path::new("/home/u/.config/ssmgo/config.toml"),
            text.to_owned(),
        )
    }

    fn resolve(flags: Flags, env: &[(&str, &str)], text: &str) -> Settings {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let lookup = move |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        Settings::resolve(&flags, &lookup, &config(text).unwrap()).unwrap()
    }

    const FILE: &str = r#"
profile = "ops"
region = "eu-west-1"
tag = ["Team=web"]
cache-ttl = "15m"
color = "never"

[preset.prod]
profile = "prod"
tag = ["Env=prod"]
document = "Ops-Shell"
"#;

    #[test]
    fn the_request_timeout_comes_from_the_environment_then_the_config() {
        let none = resolve(Flags::default(), &[], "");
        assert_eq!(none.timeout.value, DEFAULT_TIMEOUT);
        let config = resolve(Flags::default(), &[], "timeout = \"30s\"\n");
        assert_eq!(config.timeout.value, Duration::from_secs(30));
        assert_eq!(config.timeout.source, Source::Config);
        let env = resolve(
            Flags::default(),
            &[("SSMGO_TIMEOUT", "2m")],
            "timeout = \"30s\"\n",
        );
        assert_eq!(env.timeout.value, Duration::from_secs(120));
        assert_eq!(env.timeout.source, Source::Env("SSMGO_TIMEOUT"));
        assert!(env
            .scopes()
            .iter()
            .all(|s| s.timeout == Duration::from_secs(120)));
    }

    #[test]
    fn precedence_is_flags_then_environment_then_preset_then_config_then_defaults() {
        // (flags, environment, expected profile and its source)
        let flag = || Flags {
            profile: Some("cli".into()),
            ..Flags::default()
        };
        let preset = || Flags {
            preset: Some("prod".into()),
            ..Flags::default()
        };
        type Case<'a> = (Flags, Vec<(&'a str, &'a str)>, &'a str, Source);
        let table: Vec<Case> = vec![
            (
                flag(),
                vec![("AWS_PROFILE", "envp")],
                "cli",
                Source::Flag("--profile"),
            ),
            (
                Flags::default(),
                vec![("AWS_PROFILE", "envp")],
                "envp",
                Source::Env("AWS_PROFILE"),
            ),
            (
                preset(),
                vec![("AWS_PROFILE", "envp")],
                "envp",
                Source::Env("AWS_PROFILE"),
            ),
            (preset(), vec![], "prod", Source::Preset("prod".into())),
            (Flags::default(), vec![], "ops", Source::Config),
            (
                Flags::default(),
                vec![("AWS_PROFILE", "")],
                "ops",
                Source::Config,
            ),
        ];
        for (flags, env, profile, source) in table {
            let s = resolve(flags.clone(), &env, FILE);
            assert_eq!(s.profiles.value, [profile], "{flags:?} {env:?}");
            assert_eq!(s.profiles.source, source, "{flags:?} {env:?}");
            let warned = s
                .overridden
                .iter()
                .any(|w| w.contains("AWS_PROFILE=envp overrides preset prod's \"prod\""));
            assert_eq!(
                warned,
                flags.preset.is_some() && !env.is_empty(),
                "{flags:?} {env:?}"
            );
        }
        let none = resolve(Flags::default(), &[], "");
        assert!(none.profiles.value.is_empty());
        assert_eq!(none.profiles.source, Source::Default);
        assert_eq!(none.cache_ttl.value, DEFAULT_CACHE_TTL);
        assert_eq!(none.columns.value, Column::BUILT_IN);
    }

    #[test]
    fn a_preset_overrides_the_top_level_only_for_what_it_sets() {
        let s = resolve(
            Flags {
                preset: Some("prod".into()),
                ..Flags::default()
            },
            &[],
            FILE,
        );
        assert_eq!(s.tags.value, ["Env=prod"]);
        assert_eq!(s.document.value.as_deref(), Some("Ops-Shell"));
        assert_eq!(s.regions.value, ["eu-west-1"]);
        assert_eq!(s.regions.source, Source::Config);
        assert_eq!(s.cache_ttl.value, Duration::from_secs(900));
        assert_eq!(s.tags_or(&["Team=db".into()]), ["Team=db"], "-t replaces");
    }

    #[test]
    fn colour_follows_the_flag_then_no_color_then_the_config() {
        let always = Flags {
            color: Some(ColorChoice::Always),
            ..Flags::default()
        };
        assert_eq!(
            resolve(always, &[("NO_COLOR", "1")], FILE).color.value,
            ColorChoice::Always
        );
        let s = resolve(Flags::default(), &[("NO_COLOR", "1")], "color = \"always\"");
        assert_eq!(
            (s.color.value, s.color.source),
            (ColorChoice::Never, Source::Env("NO_COLOR"))
        );
        let s = resolve(Flags::default(), &[("NO_COLOR", "")], "color = \"always\"");
        assert_eq!(
            s.color.value,
            ColorChoice::Always,
            "an empty NO_COLOR is unset"
        );
    }

    #[test]
    fn lists_of_profiles_and_regions_make_one_scope_each() {
        let s = resolve(
            Flags {
                profile: Some("a,b".into()),
                region: Some("eu-west-1, us-east-1".into()),
                ..Flags::default()
            },
            &[],
            "",
        );
        let scopes = s.scopes();
        assert_eq!(scopes.len(), 4);
        assert_eq!(scopes[1].profile.as_deref(), Some("a"));
        assert_eq!(scopes[1].region.as_deref(), Some("us-east-1"));
        assert!(s.single_scope("forward").is_err());
        let from_env = resolve(Flags::default(), &[("AWS_PROFILE", "x")], "");
        assert_eq!(
            from_env.scopes()[0].profile,
            None,
            "AWS_PROFILE is the SDK's to read"
        );
    }

    #[test]
    fn a_malformed_config_names_the_file_the_line_and_the_key() {
        let cases = [
            (
                "region = \"eu-west-1\"\ncolour = \"never\"\n",
                2,
                "colour",
                "unknown field",
            ),
            (
                "[preset.prod]\ntag = [\"Env\"]\nprofil = \"x\"\n",
                3,
                "preset.prod.profil",
                "unknown field",
            ),
            ("tag = \"Env=prod\"\n", 1, "tag", "sequence"),
            ("tag = [\"=x\"]\n", 1, "tag", "empty"),
            ("region = \"eu west\"\n", 1, "region", "lowercase"),
            ("cache-ttl = \"10 parsecs\"\n", 1, "cache-ttl", "unit"),
            ("timeout = \"0s\"\n", 1, "timeout", "out of range"),
            ("check = \"maybe\"\n", 1, "check", "on, off or strict"),
            ("timeout = \"2h\"\n", 1, "timeout", "out of range"),
            (
                "[preset.x]\ndocument = \"bad name\"\n",
                2,
                "preset.x.document",
                "document name",
            ),
            (
                "columns = [\"name\", \"colour\"]\n",
                1,
                "columns",
                "unknown column",
            ),
            ("region = \"eu-west-1\n", 1, "region", ""),
        ];
        for (text, line, key, reason) in cases {
            let err = config(text).unwrap_err();
            let msg = err.to_string();
            assert_eq!(err.exit_code(), 2, "{msg}");
            assert!(msg.contains("/home/u/.config/ssmgo/config.toml"), "{msg}");
            assert!(msg.contains(&format!("line {line}")), "{text:?}: {msg}");
            assert!(msg.contains(&format!("key `{key}`")), "{text:?}: {msg}");
            assert!(msg.contains(reason), "{text:?}: {msg}");
        }
    }

    #[test]
    fn an_unknown_preset_lists_the_known_ones() {
        let err = Settings::resolve(
            &Flags {
                preset: Some("stage".into()),
                ..Flags::default()
            },
            &|_| None,
            &config(FILE).unwrap(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("prod"), "{err}");
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn durations_take_a_unit() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("5y").is_err());
    }
}

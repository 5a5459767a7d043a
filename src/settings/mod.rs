//! The one place where flags, environment, config and built-in defaults meet.
//!
//! Precedence is always flags > environment > config (a `--preset`'s values over the file's
//! top-level ones) > built-in defaults, and every effective value remembers where it came from,
//! so `ssmgo config show` can say why ssmgo does what it does. The file's schema is in [`file`],
//! the values' types (each parses itself) in [`values`], with the two that other layers build
//! on in files of their own: the table's [`columns`] and the [`tag_filter`]s.
//!
//! This is the bottom layer: it uses no module of ssmgo but the error and the paths, so every
//! other module can read settings and their value types without a cycle.

mod columns;
mod file;
mod tag_filter;
mod values;

use std::fmt;
use std::time::Duration;

use crate::error::{Error, Result};
pub use columns::Column;
pub use file::{Config, Values};
pub use tag_filter::{TagFilter, TagFilters};
pub use values::{
    parse_input, split_list, AccountId, CheckMode, ColorChoice, DocumentName, Region, Regions,
    RoleName, RunLimit, S3Location, Span, Timeout,
};

/// How long a cached listing may be shown before it is too old to be useful.
pub const DEFAULT_CACHE_TTL: Duration = Duration::from_secs(3600);

/// How long one AWS request may go unanswered before it is given up (and retried).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

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

/// What the command line said about settings that the config can also give.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub preset: Option<String>,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub color: Option<ColorChoice>,
    /// `--org`: every account of the organization.
    pub org: bool,
}

/// Every effective setting, with its source.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Profiles to use; empty means the SDK's default chain (no profile named anywhere).
    pub profiles: Setting<Vec<String>>,
    /// Regions to use; empty means the profile's region (the SDK's chain).
    pub regions: Setting<Vec<String>>,
    pub endpoint_url: Setting<Option<String>>,
    pub tags: Setting<TagFilters>,
    pub document: Setting<Option<String>>,
    pub columns: Setting<Vec<Column>>,
    pub cache_ttl: Setting<Duration>,
    /// How long one AWS request may go unanswered (connecting, or between bytes of an answer).
    pub timeout: Setting<Duration>,
    /// Whether sessions are pre-checked (`--no-check` and `--strict` override it).
    pub check: Setting<CheckMode>,
    /// Whether `ssh-proxy` pushes the user's key with EC2 Instance Connect (`--send-key`).
    pub send_key: Setting<bool>,
    /// `run`'s defaults for --max-concurrency, --max-errors, --timeout and --output-s3.
    pub run_max_concurrency: Setting<RunLimit>,
    pub run_max_errors: Setting<RunLimit>,
    pub run_timeout: Setting<Option<Duration>>,
    pub run_output_s3: Setting<Option<S3Location>>,
    /// `forward`'s defaults: reopen dropped tunnels (--no-reconnect), and --keep-alive.
    pub forward_reconnect: Setting<bool>,
    pub forward_keep_alive: Setting<Option<Duration>>,
    /// Whether listings cover every account of the organization (`--org`, `[org] enabled`).
    pub org: Setting<bool>,
    /// Which accounts and roles (the `[org]` table).
    pub org_plan: OrgPlan,
    pub color: Setting<ColorChoice>,
    pub preset: Option<String>,
    /// A preset's profile or region that the environment overrides: worth saying, since the
    /// point of a preset is to be sure which account you are in.
    pub overridden: Vec<String>,
}

/// How to reach one AWS account/region: what [`crate::aws::Aws::load`] needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ScopeSettings {
    /// A profile named by a flag or the config (the environment's AWS_PROFILE is the SDK's own).
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// How long a request may go unanswered ([`Settings::timeout`]).
    pub timeout: Duration,
}

/// How to reach every account of an organization: the role to assume in each, and the accounts
/// when they are configured rather than asked of AWS Organizations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgPlan {
    pub role: RoleName,
    pub accounts: Option<Vec<AccountId>>,
    pub roles: std::collections::BTreeMap<AccountId, RoleName>,
}

impl OrgPlan {
    /// The role to assume in `account`: its own, else the common one.
    pub fn role_for(&self, account: &str) -> &RoleName {
        self.roles
            .iter()
            .find(|(id, _)| id.0 == account)
            .map_or(&self.role, |(_, role)| role)
    }
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

/// The config's value for a key: the preset's when it sets one, else the top level's.
fn from_config<T>(
    preset: Option<(&str, &Values)>,
    top: &Values,
    get: impl Fn(&Values) -> Option<T>,
) -> Option<(T, Source)> {
    if let Some((name, values)) = preset {
        if let Some(v) = get(values) {
            return Some((v, Source::Preset(name.to_owned())));
        }
    }
    get(top).map(|v| (v, Source::Config))
}

/// A setting a flag, the environment and the config can all give, as a comma-separated list.
/// When the environment overrides what the chosen preset says, `notes` gets a line about it.
fn layered(
    flag: Option<(&'static str, &String)>,
    env: Option<(&'static str, String)>,
    config: Option<(Vec<String>, Source)>,
    notes: &mut Vec<String>,
) -> Setting<Vec<String>> {
    let found = match (flag, env) {
        (Some((name, v)), _) => Some((split_list(v), Source::Flag(name))),
        (None, Some((name, v))) => {
            if let Some((mine, Source::Preset(preset))) = &config {
                if *mine != split_list(&v) {
                    notes.push(format!(
                        "{name}={v} overrides preset {preset}'s {:?} (unset {name} to use the preset's)",
                        mine.join(",")
                    ));
                }
            }
            Some((split_list(&v), Source::Env(name)))
        }
        (None, None) => config,
    };
    or_default(found, Vec::new())
}

impl Settings {
    /// The pre-check a session gets: `--no-check` or `--strict` when given, the config's `check`
    /// otherwise.
    pub fn check_mode(&self, no_check: bool, strict: bool) -> CheckMode {
        match (no_check, strict) {
            (true, _) => CheckMode::Off,
            (_, true) => CheckMode::Strict,
            _ => self.check.value,
        }
    }

    /// Merges flags, environment (read through `env`), config and defaults.
    pub fn resolve(
        flags: &Flags,
        env: &dyn Fn(&str) -> Option<String>,
        config: &Config,
    ) -> Result<Settings> {
        // The first of `names` set to something non-empty.
        let env = |names: &[&'static str]| {
            names
                .iter()
                .find_map(|&name| env(name).filter(|v| !v.is_empty()).map(|v| (name, v)))
        };
        let top = config.top();
        let preset = match &flags.preset {
            None => None,
            Some(name) => Some((
                name.as_str(),
                config.preset(name).ok_or_else(|| Error::UnknownPreset {
                    preset: name.to_string(),
                    file: config
                        .path
                        .as_ref()
                        .map_or_else(|| "(no config file)".into(), |p| p.display().to_string()),
                    known: match config.preset_names() {
                        names if names.is_empty() => "none".into(),
                        names => names.join(", "),
                    },
                })?,
            )),
        };
        let mut overridden = Vec::new();
        let profiles = layered(
            flags.profile.as_ref().map(|p| ("--profile", p)),
            env(&["AWS_PROFILE", "AWS_DEFAULT_PROFILE"]),
            from_config(preset, &top, |v| v.profile.as_ref().map(|p| split_list(p))),
            &mut overridden,
        );
        let regions = layered(
            flags.region.as_ref().map(|r| ("--region", r)),
            env(&["AWS_REGION", "AWS_DEFAULT_REGION"]),
            from_config(preset, &top, |v| v.region.as_ref().map(|r| r.0.clone())),
            &mut overridden,
        );
        let endpoint_url = or_default(
            match (&flags.endpoint_url, env(&["AWS_ENDPOINT_URL"])) {
                (Some(url), _) => Some((Some(url.clone()), Source::Flag("--endpoint-url"))),
                (None, Some((name, url))) => Some((Some(url), Source::Env(name))),
                (None, None) => None,
            },
            None,
        );
        let tags = or_default(
            from_config(preset, &top, |v| v.tag.clone()),
            TagFilters::default(),
        );
        let document = or_default(
            from_config(preset, &top, |v| {
                v.document.as_ref().map(|d| Some(d.0.clone()))
            }),
            None,
        );
        let columns = or_default(
            from_config(preset, &top, |v| v.columns.clone()),
            Column::BUILT_IN.to_vec(),
        );
        let from_file = |value: Option<Duration>| value.map(|v| (v, Source::Config));
        let cache_ttl = or_default(
            from_file(config.cache_ttl().map(|Span(d)| d)),
            DEFAULT_CACHE_TTL,
        );
        let timeout = match env(&["SSMGO_TIMEOUT"]) {
            Some((name, v)) => Setting {
                value: parse_input::<Timeout>("SSMGO_TIMEOUT", &v)?.0,
                source: Source::Env(name),
            },
            None => or_default(
                from_file(config.timeout().map(|Timeout(d)| d)),
                DEFAULT_TIMEOUT,
            ),
        };
        let check = or_default(config.check().map(|c| (c, Source::Config)), CheckMode::On);
        let send_key = or_default(config.send_key().map(|k| (k, Source::Config)), false);
        let run = config.run_defaults();
        let run_max_concurrency = or_default(
            run.max_concurrency.map(|v| (v, Source::Config)),
            RunLimit("50".into()),
        );
        let run_max_errors = or_default(
            run.max_errors.map(|v| (v, Source::Config)),
            RunLimit("0".into()),
        );
        let run_timeout = or_default(run.timeout.map(|Span(d)| (Some(d), Source::Config)), None);
        let run_output_s3 = or_default(run.output_s3.map(|l| (Some(l), Source::Config)), None);
        let forward = config.forward_defaults();
        let forward_reconnect = or_default(forward.reconnect.map(|r| (r, Source::Config)), true);
        let forward_keep_alive = or_default(
            forward.keep_alive.map(|Span(d)| (Some(d), Source::Config)),
            None,
        );
        let org_file = config.org();
        let org = or_default(
            match (flags.org, org_file.enabled) {
                (true, _) => Some((true, Source::Flag("--org"))),
                (false, Some(on)) => Some((on, Source::Config)),
                (false, None) => None,
            },
            false,
        );
        let org_plan = OrgPlan {
            role: org_file.role.unwrap_or_else(RoleName::organization_default),
            accounts: org_file.accounts,
            roles: org_file.roles,
        };
        let color = or_default(
            flags
                .color
                .map(|c| (c, Source::Flag("--color")))
                .or_else(|| {
                    env(&["NO_COLOR"]).map(|(name, _)| (ColorChoice::Never, Source::Env(name)))
                })
                .or_else(|| config.color().map(|c| (c, Source::Config))),
            ColorChoice::Auto,
        );
        Ok(Settings {
            profiles,
            regions,
            endpoint_url,
            tags,
            document,
            columns,
            cache_ttl,
            timeout,
            check,
            send_key,
            run_max_concurrency,
            run_max_errors,
            run_timeout,
            run_output_s3,
            forward_reconnect,
            forward_keep_alive,
            org,
            org_plan,
            color,
            preset: flags.preset.clone(),
            overridden,
        })
    }

    /// Settings from the real environment and config file.
    pub fn load(flags: &Flags) -> Result<Settings> {
        Settings::resolve(flags, &|name| std::env::var(name).ok(), &Config::load()?)
    }

    /// The tag filters in force: `-t` given on the command line (parsed here, once) replaces
    /// the config's.
    pub fn tag_filters(&self, flag_specs: &[String]) -> Result<TagFilters> {
        if flag_specs.is_empty() {
            Ok(self.tags.value.clone())
        } else {
            TagFilters::parse(flag_specs)
        }
    }

    /// The same choice as [`Settings::tag_filters`], as specs, for `launch`, which still takes
    /// specs and parses them itself.
    pub fn tags_or(&self, flag_specs: &[String]) -> Vec<String> {
        if flag_specs.is_empty() {
            self.tags.value.specs()
        } else {
            flag_specs.to_vec()
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
    pub fn scopes(&self) -> Vec<ScopeSettings> {
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
                scopes.push(ScopeSettings {
                    profile: p.clone(),
                    region: r.clone(),
                    endpoint_url: self.endpoint_url.value.clone(),
                    timeout: self.timeout.value,
                });
            }
        }
        scopes
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
                or_none(&self.tags.value.specs(), "(none)"),
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
                        columns::names(&Column::BUILT_IN),
                        columns::names(&Column::PICKER_DEFAULT)
                    ),
                    _ => columns::names(&self.columns.value),
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
                self.check.value.to_string(),
                self.check.source.to_string(),
            ),
            (
                "send-key",
                self.send_key.value.to_string(),
                self.send_key.source.to_string(),
            ),
            (
                "run-max-concurrency",
                self.run_max_concurrency.value.to_string(),
                self.run_max_concurrency.source.to_string(),
            ),
            (
                "run-max-errors",
                self.run_max_errors.value.to_string(),
                self.run_max_errors.source.to_string(),
            ),
            (
                "run-timeout",
                self.run_timeout.value.map_or_else(
                    || "1h (the document's)".into(),
                    |d| format!("{}s", d.as_secs()),
                ),
                self.run_timeout.source.to_string(),
            ),
            (
                "run-output-s3",
                self.run_output_s3
                    .value
                    .as_ref()
                    .map_or_else(|| "-".into(), ToString::to_string),
                self.run_output_s3.source.to_string(),
            ),
            (
                "forward-reconnect",
                self.forward_reconnect.value.to_string(),
                self.forward_reconnect.source.to_string(),
            ),
            (
                "forward-keep-alive",
                self.forward_keep_alive
                    .value
                    .map_or_else(|| "-".into(), |d| format!("{}s", d.as_secs())),
                self.forward_keep_alive.source.to_string(),
            ),
            (
                "org",
                self.org.value.to_string(),
                self.org.source.to_string(),
            ),
            (
                "org.role",
                self.org_plan.role.0.clone(),
                match self.org_plan.role == RoleName::organization_default() {
                    true => Source::Default.to_string(),
                    false => Source::Config.to_string(),
                },
            ),
            (
                "org.accounts",
                self.org_plan.accounts.as_ref().map_or_else(
                    || "(AWS Organizations' list)".into(),
                    |a| a.iter().map(|a| a.0.as_str()).collect::<Vec<_>>().join(","),
                ),
                match self.org_plan.accounts {
                    Some(_) => Source::Config.to_string(),
                    None => Source::Default.to_string(),
                },
            ),
            (
                "timeout",
                format!("{}s", self.timeout.value.as_secs()),
                self.timeout.source.to_string(),
            ),
            (
                "color",
                self.color.value.to_string(),
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
            std::path::Path::new("/home/u/.config/ssmgo/config.toml"),
            text,
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
        assert_eq!(s.tags.value.specs(), ["Env=prod"]);
        assert_eq!(s.document.value.as_deref(), Some("Ops-Shell"));
        assert_eq!(s.regions.value, ["eu-west-1"]);
        assert_eq!(s.regions.source, Source::Config);
        assert_eq!(s.cache_ttl.value, Duration::from_secs(900));
        assert_eq!(s.tags_or(&["Team=db".into()]), ["Team=db"], "-t replaces");
    }

    #[test]
    fn run_and_forward_defaults_come_from_the_config() {
        let s = resolve(
            Flags::default(),
            &[],
            "run-max-concurrency = \"10%\"\nrun-output-s3 = \"logs/ssmgo\"\nforward-reconnect = false\nforward-keep-alive = \"5m\"\n",
        );
        assert_eq!(s.run_max_concurrency.value.0, "10%");
        assert_eq!(s.run_max_concurrency.source, Source::Config);
        assert_eq!(s.run_max_errors.value.0, "0", "AWS's default");
        assert_eq!(s.run_output_s3.value.unwrap().to_string(), "logs/ssmgo");
        assert!(!s.forward_reconnect.value);
        assert_eq!(s.forward_keep_alive.value, Some(Duration::from_secs(300)));
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
        let from_env = resolve(Flags::default(), &[("AWS_PROFILE", "x")], "");
        assert_eq!(
            from_env.scopes()[0].profile,
            None,
            "AWS_PROFILE is the SDK's to read"
        );
    }

    #[test]
    fn the_org_table_gives_the_role_the_accounts_and_per_account_roles() {
        let text = "[org]\nenabled = true\nrole = \"ops/ReadOnly\"\naccounts = [\"111122223333\", \"444455556666\"]\n[org.roles]\n\"444455556666\" = \"Other\"\n";
        let s = resolve(Flags::default(), &[], text);
        assert!(s.org.value);
        assert_eq!(s.org.source, Source::Config);
        assert_eq!(s.org_plan.role_for("111122223333").0, "ops/ReadOnly");
        assert_eq!(s.org_plan.role_for("444455556666").0, "Other");
        assert_eq!(s.org_plan.accounts.as_ref().map(Vec::len), Some(2));
        let default = resolve(
            Flags {
                org: true,
                ..Flags::default()
            },
            &[],
            "",
        );
        assert_eq!(default.org.source, Source::Flag("--org"));
        assert_eq!(default.org_plan.role, RoleName::organization_default());
        assert_eq!(default.org_plan.accounts, None);
        for bad in [
            "[org]\naccounts = [\"1234\"]\n",
            "[org]\nrole = \"a b\"\n",
            "[org]\nrols = \"x\"\n",
            "[org.roles]\n\"x\" = \"R\"\n",
        ] {
            let err = config(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}: {err}");
        }
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
            (
                "run-max-errors = \"x\"\n",
                1,
                "run-max-errors",
                "a count (e.g. 10) or a percentage",
            ),
            (
                "run-output-s3 = \"Bad_Bucket\"\n",
                1,
                "run-output-s3",
                "S3 bucket name",
            ),
            (
                "forward-keep-alive = \"soon\"\n",
                1,
                "forward-keep-alive",
                "not a duration",
            ),
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
            ("tag = [\"Env=a\", \"Env=b\"]\n", 1, "tag", "filtered twice"),
        ];
        for (text, line, key, reason) in cases {
            let err = config(text).unwrap_err();
            let msg = err.to_string();
            assert_eq!(err.exit_code(), 2, "{msg}");
            assert!(msg.contains("/home/u/.config/ssmgo/config.toml"), "{msg}");
            assert!(
                msg.contains(&format!("line {line}, key `{key}`:")),
                "{text:?}: {msg}"
            );
            assert!(msg.contains(reason), "{text:?}: {msg}");
        }
        // A syntax error has a line but no key yet.
        let msg = config("check = \"on\"\nregion = \"eu-west-1\n")
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("config.toml is invalid, line 2: invalid basic string"),
            "{msg}"
        );
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
}

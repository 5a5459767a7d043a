//! Talking to AWS: loading configuration the AWS CLI's way, one shared HTTP client for every
//! service, and turning SDK errors into our own [`Error`]s. The calls more than one feature
//! makes live here too: IAM's ([`iam`]: the simulator, policies, tags), with the ARNs and times
//! they are asked with ([`arn`], [`time`]).
//!
//! Only this module and the small call wrappers beside the features (`fleet::ec2`, `fleet::ssm`,
//! `session::api`) see SDK types; everything above them sees our own rows and decisions.

pub mod arn;
mod assume;
mod credentials;
mod errors;
pub mod gate;
pub mod iam;
mod identity;
mod retry;
pub mod time;
pub mod trace;

pub use assume::{AccountAccess, Assumed};
pub use identity::{caller_identity, CallerIdentity};

use std::borrow::Cow;
use std::time::Duration;

use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};

use crate::error::{Error, Result};
use crate::settings::{parse_input, Region, ScopeSettings};

use errors::credentials_error;
pub(crate) use errors::is_service_error;

/// A service's client configuration as every client of ssmgo has it: our interceptors (the
/// throttling notice, the -v trace) and the shared retry budget.
macro_rules! configured {
    ($sdk_crate:ident, $sdk:expr, $verbose:expr) => {{
        let config = $sdk_crate::config::Builder::from($sdk)
            .interceptor(retry::ThrottleNotice)
            .retry_partition(retry::partition());
        match $verbose {
            true => config.interceptor(trace::Trace),
            false => config,
        }
    }};
}

/// A client of `$field`, built from the configuration the first time it is asked for.
macro_rules! built_once {
    ($self:ident, $field:ident, $sdk_crate:ident) => {
        $self.on_demand.$field.get_or_init(|| {
            $sdk_crate::Client::from_conf(
                configured!($sdk_crate, &$self.sdk, $self.verbose).build(),
            )
        })
    };
}

/// The URL a service's client talks to: its own AWS_ENDPOINT_URL_<SERVICE>, the endpoint URL
/// given, or the one the SDK's resolver finds for the region (FIPS, dual-stack).
macro_rules! resolved_endpoint {
    ($self:ident, $sdk_crate:ident, $variable:literal, $service:literal) => {{
        use $sdk_crate::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
        if let Some(url) = std::env::var($variable).ok().filter(|u| !u.is_empty()) {
            return url;
        }
        if let Some(url) = $self.sdk.endpoint_url() {
            return url.to_owned();
        }
        let params = Params::builder()
            .region($self.region.clone())
            .use_fips($self.sdk.use_fips().unwrap_or(false))
            .use_dual_stack($self.sdk.use_dual_stack().unwrap_or(false))
            .build();
        let resolved = match params {
            Ok(p) => DefaultResolver::new().resolve_endpoint(&p).await.ok(),
            Err(_) => None,
        };
        resolved
            .map(|e| e.url().to_owned())
            .unwrap_or_else(|| format!("https://{}.{}.amazonaws.com", $service, $self.region))
    }};
}

/// The clients few commands need, built on first use: a client costs about a millisecond to
/// build (debug build, measured), and a listing of an organization's 300 scopes needs neither
/// STS nor IAM in each; only `ssh-proxy --send-key` needs EC2 Instance Connect, `run
/// --output-s3` S3, `--org` Organizations, `ecs` ECS.
#[derive(Default)]
struct OnDemand {
    sts: std::sync::OnceLock<aws_sdk_sts::Client>,
    iam: std::sync::OnceLock<aws_sdk_iam::Client>,
    instance_connect: std::sync::OnceLock<aws_sdk_ec2instanceconnect::Client>,
    s3: std::sync::OnceLock<aws_sdk_s3::Client>,
    organizations: std::sync::OnceLock<aws_sdk_organizations::Client>,
    ecs: std::sync::OnceLock<aws_sdk_ecs::Client>,
}

/// A loaded AWS configuration and the clients built from it (they share one HTTP client and one
/// credentials cache).
pub struct Aws {
    pub(crate) ec2: aws_sdk_ec2::Client,
    pub(crate) ssm: aws_sdk_ssm::Client,
    /// The other clients, each built on first use.
    on_demand: OnDemand,
    sdk: SdkConfig,
    region: String,
    /// The profile named on the command line: handed to session-manager-plugin as the AWS CLI does.
    profile_arg: Option<String>,
    /// The profile actually in use (flag or AWS_PROFILE), for messages.
    profile_in_use: Option<String>,
    profile_is_sso: bool,
    verbose: bool,
    /// How long one request may go unanswered, for messages.
    timeout: Duration,
    /// Whether the credentials are temporary (a session token): AWS then puts MFA in the request
    /// context, which ssmgo can't see; for long-term keys it leaves MFA out.
    temporary_credentials: Option<bool>,
    /// The role assumed in another account, when this configuration acts there (`--org`).
    assumed: Option<std::sync::Arc<Assumed>>,
    /// This account's share of the run's listing requests.
    gate: gate::Gate,
}

impl Aws {
    /// Loads configuration from flags, environment and the shared config files, in the AWS CLI's
    /// precedence, and fails early (before any request) on an unknown profile, a bad endpoint or
    /// a missing region.
    /// An expired SSO session is [`Error::SsoLoginNeeded`]: offering the login is for the caller
    /// (sso_login.rs), since the AWS layer never asks the user.
    pub async fn load(scope: &ScopeSettings, verbose: bool) -> Result<Aws> {
        let env_profile = std::env::var("AWS_PROFILE")
            .ok()
            .or_else(|| std::env::var("AWS_DEFAULT_PROFILE").ok())
            .filter(|p| !p.is_empty());
        let profile_in_use = scope.profile.clone().or(env_profile);
        let profile_is_sso = check_profile(profile_in_use.as_deref()).await?;

        // A request unanswered for `timeout` is given up and tried once more: the whole call
        // (retries and back-off included) is given up after twice that and a little back-off.
        let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(scope.timeout.min(Duration::from_secs(5)))
                .read_timeout(scope.timeout)
                .operation_attempt_timeout(scope.timeout)
                .operation_timeout(scope.timeout * 2 + Duration::from_secs(2))
                .build(),
        );
        if let Some(p) = &scope.profile {
            loader = loader.profile_name(p);
        }
        loader = loader.http_client(http_client());
        if let Some(retry) = retry::config() {
            loader = loader.retry_config(retry);
        }
        if let Some(r) = scope.region.as_deref().filter(|r| !r.is_empty()) {
            let Region(r) = parse_input("--region", r)?;
            loader = loader.region(aws_config::Region::new(r));
        }
        if let Some(url) = scope.endpoint_url.as_deref().filter(|u| !u.is_empty()) {
            validate_endpoint(url)?;
            loader = loader.endpoint_url(url);
        }
        let sdk = loader.load().await;
        let region = sdk.region().ok_or(Error::NoRegion)?.to_string();
        let source = match &profile_in_use {
            Some(p) => format!("profile {}", p),
            None => "the default credential chain".to_owned(),
        };
        let (sdk, temporary_credentials) =
            credentials::resolve_first(sdk, scope.timeout * 4, &source, |e| {
                if verbose {
                    crate::say!(
                        "ssmgo: credentials: {}",
                        aws_sdk_ec2::error::DisplayErrorContext(e).to_string()
                    );
                }
                credentials_error(profile_in_use.as_deref(), profile_is_sso, e)
            })
            .await?;
        Ok(Aws {
            ec2: aws_sdk_ec2::Client::from_conf(configured!(aws_sdk_ec2, &sdk, verbose).build()),
            ssm: aws_sdk_ssm::Client::from_conf(configured!(aws_sdk_ssm, &sdk, verbose).build()),
            on_demand: OnDemand::default(),
            sdk,
            region,
            profile_arg: scope.profile.clone(),
            profile_in_use,
            profile_is_sso,
            verbose,
            timeout: scope.timeout,
            temporary_credentials,
            assumed: None,
            gate: gate::Gate::new(),
        })
    }

    /// The same settings over another configuration (another region, another account's
    /// credentials): new clients, no new load.
    fn rebuilt(
        &self,
        sdk: SdkConfig,
        assumed: Option<std::sync::Arc<Assumed>>,
        gate: gate::Gate,
    ) -> Aws {
        let verbose = self.verbose;
        let region = sdk
            .region()
            .map_or_else(|| self.region.clone(), ToString::to_string);
        let temporary_credentials = match assumed {
            Some(_) => Some(true),
            None => self.temporary_credentials,
        };
        Aws {
            ec2: aws_sdk_ec2::Client::from_conf(configured!(aws_sdk_ec2, &sdk, verbose).build()),
            ssm: aws_sdk_ssm::Client::from_conf(configured!(aws_sdk_ssm, &sdk, verbose).build()),
            on_demand: OnDemand::default(),
            sdk,
            region,
            profile_arg: self.profile_arg.clone(),
            profile_in_use: self.profile_in_use.clone(),
            profile_is_sso: self.profile_is_sso,
            verbose,
            timeout: self.timeout,
            temporary_credentials,
            assumed,
            gate,
        }
    }

    /// This account's gate, for configurations of the same account in other regions.
    pub(crate) fn account_gate(&self) -> &gate::Gate {
        &self.gate
    }

    /// Waits for a slot for one DescribeInstances page (see [`gate`]).
    pub(crate) async fn gate_for_page(&self) -> gate::Pass<'_> {
        self.gate.enter_for_page().await
    }

    /// Waits for a slot for one listing request (see [`gate`]).
    pub(crate) async fn gate(&self) -> gate::Pass<'_> {
        self.gate.enter().await
    }

    /// AWS Organizations' client, built on first use (only `--org` needs it).
    pub(crate) fn organizations(&self) -> &aws_sdk_organizations::Client {
        built_once!(self, organizations, aws_sdk_organizations)
    }

    /// ECS's client, built on first use (only `ssmgo ecs` needs it).
    pub(crate) fn ecs(&self) -> &aws_sdk_ecs::Client {
        built_once!(self, ecs, aws_sdk_ecs)
    }

    /// The URL the ECS client talks to: the plugin's sixth argument for ECS Exec, as the AWS
    /// CLI's execute-command passes its ECS client's endpoint.
    pub async fn ecs_endpoint(&self) -> String {
        resolved_endpoint!(self, aws_sdk_ecs, "AWS_ENDPOINT_URL_ECS", "ecs")
    }

    /// STS's client, built on first use.
    pub(crate) fn sts(&self) -> &aws_sdk_sts::Client {
        built_once!(self, sts, aws_sdk_sts)
    }

    /// IAM's client, built on first use.
    pub(crate) fn iam(&self) -> &aws_sdk_iam::Client {
        built_once!(self, iam, aws_sdk_iam)
    }

    /// EC2 Instance Connect's client, built on first use.
    pub(crate) fn instance_connect(&self) -> &aws_sdk_ec2instanceconnect::Client {
        built_once!(self, instance_connect, aws_sdk_ec2instanceconnect)
    }

    /// S3's client, built on first use; behind an endpoint URL (a proxy, an emulator) buckets
    /// can't be host names, so paths name them.
    pub(crate) fn s3(&self) -> &aws_sdk_s3::Client {
        self.on_demand.s3.get_or_init(|| {
            let config = configured!(aws_sdk_s3, &self.sdk, self.verbose)
                .force_path_style(self.sdk.endpoint_url().is_some());
            aws_sdk_s3::Client::from_conf(config.build())
        })
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    /// The profile in use (flag, config or AWS_PROFILE), if one is named.
    pub fn profile_in_use(&self) -> Option<&str> {
        self.profile_in_use.as_deref()
    }

    /// The endpoint URL given (flag, environment or config), if any.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.sdk.endpoint_url()
    }

    pub fn verbose(&self) -> bool {
        self.verbose
    }

    /// Whether the credentials carry a session token; None when it could not be told.
    pub fn temporary_credentials(&self) -> Option<bool> {
        self.temporary_credentials
    }

    /// The `--profile` value, or "" when none was given: the plugin's fourth argument. In an
    /// assumed role's account, "" too: the plugin gets that role's credentials in its
    /// environment ([`Aws::credentials_for_child`]), never the profile's.
    pub fn profile_for_plugin(&self) -> &str {
        match self.assumed {
            Some(_) => "",
            None => self.profile_arg.as_deref().unwrap_or(""),
        }
    }

    /// The URL the SSM client talks to: the plugin's sixth argument.
    pub async fn ssm_endpoint(&self) -> String {
        resolved_endpoint!(self, aws_sdk_ssm, "AWS_ENDPOINT_URL_SSM", "ssm")
    }

    /// Where requests go, for messages.
    pub(crate) fn endpoint_for_messages(&self, service: &str) -> String {
        match (self.sdk.endpoint_url(), service) {
            (Some(url), _) => url.to_owned(),
            // IAM is global: one endpoint, not one per region.
            (None, "iam") => "https://iam.amazonaws.com".to_owned(),
            (None, _) => format!("https://{service}.{}.amazonaws.com", self.region),
        }
    }
}

/// The one HTTP client of the run: every service, account and region shares its connections
/// and its TLS setup. (Left to the SDK, each service client built its own: with an
/// organization's 300 scopes that was hundreds of TLS root stores parsed and connections
/// opened, 137 MB and 0.7 s of CPU before a single instance was read.) Built as the SDK builds
/// its default one: rustls with aws-lc, proxies from the environment.
fn http_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    use aws_smithy_http_client::{Builder, ConnectorBuilder};
    static CLIENT: std::sync::OnceLock<aws_smithy_runtime_api::client::http::SharedHttpClient> =
        std::sync::OnceLock::new();
    CLIENT
        .get_or_init(|| {
            Builder::new().build_with_connector_fn(|settings, components| {
                let mut connector =
                    ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::AwsLc));
                connector.set_connector_settings(settings.cloned());
                if let Some(components) = components {
                    connector.set_sleep_impl(components.sleep_impl());
                }
                connector.set_proxy_config(Some(ProxyConfig::from_env()));
                connector.build()
            })
        })
        .clone()
}

/// Fails with [`Error::UnknownProfile`] when a named profile is in neither shared file, and tells
/// whether the profile uses SSO (so a credentials failure can say `aws sso login`).
async fn check_profile(name: Option<&str>) -> Result<bool> {
    // `aws_config::profile::load` is the SDK's only public reader of the shared files, and its
    // signature takes these two (a public module despite its name; the SDK's docs use it so).
    // They stay in this function: nothing else of ssmgo touches them.
    use aws_types::os_shim_internal::{Env, Fs};
    let Some(name) = name else { return Ok(false) };
    let files = aws_runtime::env_config::file::EnvConfigFiles::default();
    let set = match aws_config::profile::load(&Fs::real(), &Env::real(), &files, None).await {
        Ok(set) => set,
        // An unreadable or malformed file is reported by the SDK itself when credentials load.
        Err(_) => return Ok(false),
    };
    match set.get_profile(name) {
        Some(profile) => {
            Ok(profile.get("sso_start_url").is_some() || profile.get("sso_session").is_some())
        }
        None if name == "default" => Ok(false),
        None => {
            let mut known: Vec<&str> = set.profiles().collect();
            known.sort_unstable();
            let known = if known.is_empty() {
                Cow::Borrowed("none")
            } else {
                Cow::Owned(known.join(", "))
            };
            Err(Error::UnknownProfile {
                profile: name.to_owned(),
                known: known.to_string(),
            })
        }
    }
}

/// `words` with every glob (`*`, `?`) replaced by the profiles of the shared files it matches,
/// in name order (names kept as given; each profile once). A glob that matches none is
/// [`Error::NoProfileMatches`]: a typo, not an empty fleet.
pub async fn expand_profiles(words: &[String]) -> Result<Vec<String>> {
    let is_glob = |w: &String| w.contains(['*', '?']);
    if !words.iter().any(is_glob) {
        return Ok(words.to_vec());
    }
    let mut known = profile_names().await;
    known.sort_unstable();
    expand_globs(words, &known)
}

/// The profiles of the shared config and credentials files (SSO ones included: `aws configure
/// sso` and tools like granted write ordinary `[profile NAME]` sections).
async fn profile_names() -> Vec<String> {
    use aws_types::os_shim_internal::{Env, Fs};
    let files = aws_runtime::env_config::file::EnvConfigFiles::default();
    match aws_config::profile::load(&Fs::real(), &Env::real(), &files, None).await {
        Ok(set) => set.profiles().map(str::to_owned).collect(),
        // An unreadable file is reported when credentials load; here it has no profiles.
        Err(_) => Vec::new(),
    }
}

fn expand_globs(words: &[String], known: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for word in words {
        let matched: Vec<&String> = match word.contains(['*', '?']) {
            true => known
                .iter()
                .filter(|name| ssmgo_policy::wildcard_matches(word, name))
                .collect(),
            false => vec![word],
        };
        if matched.is_empty() {
            return Err(Error::NoProfileMatches {
                pattern: word.clone(),
                known: match known.is_empty() {
                    true => "none".into(),
                    false => known.join(", "),
                },
            });
        }
        for name in matched {
            if !out.contains(name) {
                out.push(name.clone());
            }
        }
    }
    Ok(out)
}

fn validate_endpoint(url: &str) -> Result<()> {
    let bad = |reason: &str| Error::BadInput {
        what: "--endpoint-url",
        value: url.to_owned(),
        reason: format!(
            "{reason}; expected e.g. https://ssm.eu-west-1.amazonaws.com or http://127.0.0.1:5000"
        ),
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| bad("it must start with http:// or https://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') {
        return Err(bad("it has no host"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("it contains spaces or control characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_globs_become_the_profiles_they_match_and_names_stay() {
        let known: Vec<String> = ["dev", "prod-eu", "prod-us", "staging"]
            .map(String::from)
            .to_vec();
        let words = |w: &[&str]| w.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            expand_globs(&words(&["prod-*"]), &known).unwrap(),
            ["prod-eu", "prod-us"]
        );
        assert_eq!(
            expand_globs(&words(&["staging", "prod-?s", "prod-*"]), &known).unwrap(),
            ["staging", "prod-us", "prod-eu"],
            "in the order given, each once"
        );
        assert_eq!(
            expand_globs(&words(&["not-a-profile"]), &known).unwrap(),
            ["not-a-profile"],
            "a plain name is checked where it is loaded"
        );
        let none = expand_globs(&words(&["qa-*"]), &known).unwrap_err();
        assert_eq!(none.exit_code(), 2);
        assert!(
            none.to_string()
                .contains("Known profiles: dev, prod-eu, prod-us, staging"),
            "{none}"
        );
    }

    #[test]
    fn endpoints_must_be_http_urls_with_a_host() {
        assert!(validate_endpoint("http://127.0.0.1:5000").is_ok());
        assert!(validate_endpoint("https://ssm.eu-west-1.amazonaws.com/").is_ok());
        for bad in [
            "127.0.0.1:5000",
            "ftp://x",
            "http://",
            "http://:80",
            "http://a b",
        ] {
            let err = validate_endpoint(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
    }
}

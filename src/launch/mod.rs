//! The session core, whatever the document (a shell, a port forward, an SSH stream): resolve the
//! target, pre-check that StartSession will be allowed, start the session and hand it to AWS's
//! plugin, and explain a denial. `connect`, `forward` and `ssh-proxy` are adapters over [`start`],
//! which reads as its steps; each step is a function here or a file of its own.

mod dry_run;
mod explain;
mod guard;
mod last;
mod ready;
mod target;
mod tunnel;

use crate::aws::Aws;
use crate::choose::PickerOptions;
use crate::cli::SessionArgs;
use crate::error::{Error, Result};
use crate::fleet::scopes::Reached;
use crate::fleet::{self, Instance, Query, Scope};
use crate::instance_connect::Push;
use crate::precheck::{self, Check, Who, WhoFailure};
use crate::session::{self, Plugin, Request, SessionSpec};
use crate::settings::{CheckMode, Settings, TagFilters};
pub use target::{
    examine_target, resolve_once, Examined, InstanceId, Resolve, SessionTarget, Target,
};
pub use tunnel::{keep_up, run_all as run_tunnels};

/// A session to start, whatever the document: a shell, a port forward, an SSH stream.
pub struct Plan {
    /// None: the picker.
    pub target: Option<SessionTarget>,
    pub tags: Vec<String>,
    /// The session asked for; its Request is made once the target's instance is known.
    pub spec: SessionSpec,
    pub session: SessionArgs,
    /// Whether the picker may open (not under ssh's ProxyCommand).
    pub may_pick: bool,
    /// Whether to say "starting a session on …" on stderr.
    pub announce: bool,
    /// What is started, for that line: "a session", "port forwarding (…)".
    pub purpose: String,
    /// Whether a SIGINT ends it (port forwarding, SSH) rather than belonging to a remote shell.
    pub interrupt_ends_it: bool,
    /// A public key to push with EC2 Instance Connect just before the session (SSH).
    pub push_key: Option<Push>,
    /// Start the session again when it ends on its own (port forwarding), until Ctrl-C.
    pub reconnect: bool,
    /// Where TARGET was found already (`forward`'s several tunnels to one instance): it is
    /// looked for there only.
    pub found_in: Option<Scope>,
}

impl Plan {
    /// A session started from a terminal: the picker may open, progress is announced.
    pub fn interactive(
        target: Option<SessionTarget>,
        tags: Vec<String>,
        spec: SessionSpec,
        session: SessionArgs,
    ) -> Plan {
        Plan {
            target,
            tags,
            spec,
            session,
            may_pick: true,
            announce: true,
            purpose: "a session".into(),
            interrupt_ends_it: false,
            push_key: None,
            reconnect: false,
            found_in: None,
        }
    }
}

/// Resolves the target, pre-checks, starts the session and hands it to the plugin (or, with
/// --dry-run, prints what it would do).
pub async fn start(settings: &Settings, verbose: bool, mut plan: Plan) -> Result<()> {
    apply_configured_check(settings, &mut plan.session);
    // Everything that can be checked locally is checked before the first AWS call.
    let tags = TagFilters::parse(&plan.tags)?;
    let (target, reached) = where_to_look(settings, verbose, &plan).await?;
    let dry_run = plan.session.dry_run;
    let plugin = match dry_run {
        true => Plugin::find().ok(),
        false => Some(Plugin::find()?),
    };
    let (found, instance) = find_instance(settings, &plan, target.as_ref(), &reached, tags).await?;
    let instance = found.make_ready(instance).await?;
    let request = Request::new(instance.instance_id.clone(), plan.spec.clone());
    let who = found.who.as_ref();
    let checked = guard::pre_check(found.aws, who, &instance, plan.session.strict).await?;
    if let Some(push) = plan.push_key.as_ref().filter(|_| !dry_run) {
        guard::push_key(found.aws, who, &instance, push).await?;
    }
    match plugin {
        Some(plugin) if !dry_run => {
            found
                .hand_off(&instance, &request, &plugin, checked.check)
                .await
        }
        plugin => {
            let plugin = plugin.as_ref();
            dry_run::print(found.aws, &instance, &request, plugin, &checked.summary).await
        }
    }
}

/// The config's `check` applies when neither --no-check nor --strict was given.
fn apply_configured_check(settings: &Settings, session: &mut SessionArgs) {
    let mode = settings.check_mode(session.no_check, session.strict);
    session.no_check = mode == CheckMode::Off;
    session.strict = mode == CheckMode::Strict;
}

/// The target and the scopes it is looked for in: `-` is the last connection, in its own scope;
/// TARGET is looked for where it was found already, or where the settings point (with --org,
/// several profiles or regions, in every one at once). Without TARGET, the picker's scopes (or
/// an error where no picker can open).
async fn where_to_look(
    settings: &Settings,
    verbose: bool,
    plan: &Plan,
) -> Result<(Option<Target>, Reached)> {
    let only = |scope: Scope| Reached {
        scopes: vec![scope],
        left_out: Vec::new(),
    };
    match &plan.target {
        Some(SessionTarget::Last) => {
            let (target, scope) = last::reach(settings, verbose, plan.announce).await?;
            Ok((Some(target), only(scope)))
        }
        Some(SessionTarget::Given(target)) => {
            let reached = match &plan.found_in {
                Some(scope) => only(scope.clone()),
                None => fleet::scopes::load_all(settings, verbose).await?,
            };
            Ok((Some(target.clone()), reached))
        }
        None if !(plan.may_pick && crate::output::can_ask()) => Err(Error::NotInteractive),
        None => {
            let reached = fleet::scopes::load_for_picker(settings, verbose, plan.session.refresh);
            Ok((None, reached.await?))
        }
    }
}

/// TARGET → the instance, while who is asking is looked up (None with --no-check).
async fn find_instance<'a>(
    settings: &Settings,
    plan: &'a Plan,
    target: Option<&Target>,
    reached: &'a Reached,
    tags: TagFilters,
) -> Result<(Found<'a>, Instance)> {
    let scopes = &reached.scopes;
    let query = Query {
        tags,
        ..Query::default()
    };
    let resolving = Resolve {
        scopes,
        left_out: &reached.left_out,
        query: &query,
        may_pick: plan.may_pick,
        picker: PickerOptions::new(settings, &query, plan.session.refresh),
    };
    let document = plan.spec.document.as_deref();
    let no_check = plan.session.no_check;
    // Who is asking doesn't depend on the target: with one account, look it up while the target
    // is resolved.
    let (picked, early_who) = tokio::join!(resolving.resolve(target), async {
        match (no_check, scopes.len()) {
            (false, 1) => Some(precheck::whoami(&scopes[0].aws, document, None).await),
            _ => None,
        }
    });
    let (index, instance) = picked?;
    let aws = &scopes[index].aws;
    let who = match (no_check, early_who) {
        (true, _) => None,
        (false, Some(who)) => Some(who),
        (false, None) => {
            let known = scopes[index].identity.clone();
            Some(precheck::whoami(aws, document, known).await)
        }
    };
    Ok((Found { plan, aws, who }, instance))
}

/// What the steps after TARGET's resolution share: the plan, where the instance was found, and
/// who is asking.
struct Found<'a> {
    plan: &'a Plan,
    aws: &'a Aws,
    /// The pre-check's caller; None with --no-check.
    who: Option<Result<Who, WhoFailure>>,
}

impl Found<'_> {
    /// `instance` ready for a session (a stopped one started, a starting one waited for:
    /// ready.rs), or why it can't take one.
    async fn make_ready(&self, instance: Instance) -> Result<Instance> {
        let session = &self.plan.session;
        let instance = match session.dry_run {
            true => instance,
            false => {
                let id = instance.instance_id.clone();
                let who = self.who.as_ref();
                match ready::ready(self.aws, instance, session, self.plan.may_pick, who).await {
                    // Waited for an agent that never came Online: the doctor looks at the
                    // instance as it is now.
                    Err(e @ Error::NotConnectable { .. }) => {
                        let now = fleet::by_id(self.aws, &id).await.ok().flatten();
                        return Err(self.explain_unreachable(now.as_ref(), e).await);
                    }
                    other => other?,
                }
            }
        };
        let Some(blocker) = instance.blocker() else {
            return Ok(instance);
        };
        let e = Error::NotConnectable {
            target: instance.label(),
            reason: blocker.reason,
            next: blocker.next,
        };
        Err(self.explain_unreachable(Some(&instance), e).await)
    }

    /// Starts the session and hands it to the plugin (again each time a reconnecting tunnel's
    /// session ends), remembering the connection once it started; a failure is explained.
    async fn hand_off(
        &self,
        instance: &Instance,
        request: &Request,
        plugin: &Plugin,
        check: Option<Check>,
    ) -> Result<()> {
        let (plan, aws) = (self.plan, self.aws);
        if plan.announce {
            crate::say!("ssmgo: starting {} on {}", plan.purpose, instance.label());
        }
        let remember = || last::remember(aws, instance);
        let started = match plan.reconnect {
            true => tunnel::keep_up(aws, request, plugin, remember).await,
            false => {
                let ends = plan.interrupt_ends_it;
                session::start_and_hand_off(aws, request, plugin, ends, remember).await
            }
        };
        match started {
            Err(Error::SessionDenied { .. }) => {
                let document = plan.spec.document.as_deref();
                explain::denial(aws, check, document, instance).await;
                started
            }
            Err(e @ Error::TargetNotConnected { .. }) => {
                Err(self.explain_unreachable(Some(instance), e).await)
            }
            other => other,
        }
    }

    /// The one place the short doctor runs for a failure: SSM can't reach the instance (it is
    /// not managed, its agent never came Online, StartSession found it not connected). Only a
    /// running instance is examined (its state says it all otherwise), and not in a dry run.
    async fn explain_unreachable(&self, instance: Option<&Instance>, error: Error) -> Error {
        let examined = instance.filter(|i| i.state == "running" && !self.plan.session.dry_run);
        let Some(instance) = examined else {
            return error;
        };
        let document = self.plan.spec.document.as_deref();
        let who = self.who.as_ref();
        explain::with_doctors_finding(self.aws, instance, document, who, error).await
    }
}

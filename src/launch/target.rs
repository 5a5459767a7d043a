//! TARGET → one instance. The word is parsed once, where a command takes it ([`Target`],
//! [`SessionTarget`]): an instance id, an exact Name, or the picker pre-filled with the word;
//! for a session also `-`, the last connection (last.rs).

use std::fmt;

use crate::choose::{self, PickerOptions};
use crate::error::{Error, Result};
use crate::fleet::{self, Instance, Query, Scope};
use crate::output::can_ask;
use crate::output::sanitize::Untrusted;
use crate::picker::Mark;
use crate::precheck::{self, Who, WhoFailure};
use crate::session::SessionSpec;
use crate::settings::{Settings, TagFilters};
use crate::sso_login;

/// What can only be an instance id: i-… (EC2) or mi-… (hybrid), 8 or 17 hex digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceId(String);

impl InstanceId {
    pub fn parse(s: &str) -> Option<InstanceId> {
        let hex = s.strip_prefix("i-").or_else(|| s.strip_prefix("mi-"))?;
        let shaped =
            (hex.len() == 8 || hex.len() == 17) && hex.bytes().all(|b| b.is_ascii_hexdigit());
        shaped.then(|| InstanceId(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An instance as a command names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Looked up by id.
    Id(InstanceId),
    /// Any other word: an exact Name tag value or, when no instance has it, the picker's query.
    Name(String),
}

impl Target {
    pub fn parse(word: &str) -> Target {
        match InstanceId::parse(word) {
            Some(id) => Target::Id(id),
            None => Target::Name(word.to_owned()),
        }
    }

    /// The word as it was given.
    pub fn as_str(&self) -> &str {
        match self {
            Target::Id(id) => id.as_str(),
            Target::Name(name) => name,
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The TARGET of a session (`connect`, `forward`): also `-`, the last connection, in its account
/// and region. Without one, the picker opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionTarget {
    Last,
    Given(Target),
}

impl SessionTarget {
    pub fn parse(word: &str) -> SessionTarget {
        match word {
            "-" => SessionTarget::Last,
            word => SessionTarget::Given(Target::parse(word)),
        }
    }
}

/// One instance looked at without connecting to it (`check`, `doctor`): where it is, who is
/// asking, and the session document in question.
pub struct Examined {
    pub scope: Scope,
    pub instance: Instance,
    pub who: std::result::Result<Who, WhoFailure>,
    pub document: Option<String>,
}

/// TARGET in the one configured account and region (the picker opens for a query), while the
/// caller is looked up. `command` names the command in the error about several scopes.
pub async fn examine_target(
    settings: &Settings,
    verbose: bool,
    command: &str,
    target: &Target,
    tags: &[String],
    document: Option<String>,
) -> Result<Examined> {
    let tags = TagFilters::parse(&settings.tags_or(tags))?;
    let document = settings.document_or(document);
    // Checks the document name the same way connect does.
    SessionSpec::new(document.clone(), None, None)?;
    let scope =
        Scope::single(sso_login::load_aws(&settings.single_scope(command)?, verbose).await?);
    let query = Query {
        tags,
        ..Query::default()
    };
    let resolving = Resolve::in_one(&scope, &query, settings, true);
    let (instance, who) = tokio::join!(
        resolving.resolve(Some(target)),
        precheck::whoami(&scope.aws, document.as_deref(), None)
    );
    let (_, instance) = instance?;
    Ok(Examined {
        scope,
        instance,
        who,
        document,
    })
}

/// TARGET → the instance's id, once, for several sessions to one instance (`forward` with
/// several mappings): `-` is the last connection's id, a query opens the picker.
pub async fn resolve_id(
    settings: &Settings,
    verbose: bool,
    target: &SessionTarget,
    tags: &[String],
) -> Result<Target> {
    let target = match target {
        SessionTarget::Last => return Ok(Target::parse(&super::last::connection()?.instance_id)),
        SessionTarget::Given(target) => target,
    };
    let query = Query {
        tags: TagFilters::parse(tags)?,
        ..Query::default()
    };
    let scope =
        Scope::single(sso_login::load_aws(&settings.single_scope("forward")?, verbose).await?);
    let resolving = Resolve::in_one(&scope, &query, settings, true);
    let (_, instance) = resolving.resolve(Some(target)).await?;
    Ok(Target::parse(&instance.instance_id))
}

/// How to turn a TARGET into one instance.
pub struct Resolve<'a> {
    pub scopes: &'a [Scope],
    pub query: &'a Query,
    pub may_pick: bool,
    pub picker: PickerOptions,
}

impl<'a> Resolve<'a> {
    /// In one account and region, the picker (if it may open) showing the query's fresh listing.
    pub fn in_one(
        scope: &'a Scope,
        query: &'a Query,
        settings: &Settings,
        may_pick: bool,
    ) -> Resolve<'a> {
        Resolve {
            scopes: std::slice::from_ref(scope),
            query,
            may_pick,
            picker: PickerOptions::new(settings, query, false),
        }
    }
}

impl Resolve<'_> {
    /// TARGET → (scope index, instance): an id, an exact Name, or else the picker pre-filled
    /// with it. Without TARGET, the picker.
    pub async fn resolve(self, target: Option<&Target>) -> Result<(usize, Instance)> {
        let Some(target) = target else {
            return self.pick(None).await;
        };
        if self.scopes.len() > 1 {
            return self.resolve_in_all(target).await;
        }
        let aws = &self.scopes[0].aws;
        let query = self.query;
        let target = match target {
            Target::Id(id) => {
                return fleet::by_id(aws, id.as_str())
                    .await?
                    .map(|i| (0, i))
                    .ok_or_else(|| Error::TargetNotFound {
                        target: id.as_str().to_owned(),
                        filters: format!(" in {}", aws.region()),
                    })
            }
            Target::Name(name) => name.as_str(),
        };
        let mut named = fleet::by_name(aws, target, &query.tags).await?;
        let running: Vec<&Instance> = named.iter().filter(|i| i.state == "running").collect();
        match (running.len(), named.len()) {
            (1, _) => Ok((0, running[0].clone())),
            (0, 1) => Ok((0, named.remove(0))),
            (0, 0) if self.may_pick && can_ask() => self.pick(Some(target)).await,
            (0, 0) => Err(Error::TargetNotFound {
                target: target.to_string(),
                filters: if query.tags.is_empty() {
                    format!(" in {}", aws.region())
                } else {
                    format!(" among {} in {}", query.tags.describe(), aws.region())
                },
            }),
            (0, n) => Err(Error::NotConnectable {
                target: format!("Name {:?}", target),
                reason: format!("none of the {n} instances with that Name is running"),
                next: "Start one of them, or pick another with `ssmgo`".into(),
            }),
            _ => {
                let mut running: Vec<Instance> = running.into_iter().cloned().collect();
                fleet::sort_for_display(&mut running);
                if self.may_pick && can_ask() {
                    return choose_among(target, running).await.map(|i| (0, i));
                }
                Err(Error::AmbiguousName {
                    name: target.to_string(),
                    first_id: running[0].instance_id.clone(),
                    candidates: running.iter().map(candidate_line).collect(),
                })
            }
        }
    }

    /// TARGET in every scope at once (`--org`, several profiles or regions): the one instance
    /// with that id, or the one running instance with that Name; else the picker, pre-filled.
    async fn resolve_in_all(self, target: &Target) -> Result<(usize, Instance)> {
        let by_id = matches!(target, Target::Id(_));
        let lookups = self.scopes.iter().enumerate().map(|(i, scope)| async move {
            let found = match target {
                Target::Id(id) => fleet::by_id(&scope.aws, id.as_str())
                    .await
                    .map(|i| i.into_iter().collect()),
                Target::Name(name) => fleet::by_name(&scope.aws, name, &self.query.tags).await,
            };
            // A scope that can't be searched is left out, as in a listing.
            found
                .inspect_err(|e| fleet::scopes::warn_skipped(&scope.describe(), e))
                .unwrap_or_default()
                .into_iter()
                .filter(|inst| by_id || inst.state == "running")
                .map(|inst| (i, inst))
                .collect::<Vec<_>>()
        });
        let mut found: Vec<(usize, Instance)> = futures::future::join_all(lookups)
            .await
            .into_iter()
            .flatten()
            .collect();
        match found.len() {
            1 => {
                let (i, mut instance) = found.remove(0);
                instance = self.scopes[i].label(vec![instance]).remove(0);
                Ok((i, instance))
            }
            _ if self.may_pick && can_ask() => self.pick(Some(target.as_str())).await,
            0 => Err(Error::TargetNotFound {
                target: target.to_string(),
                filters: format!(" in {}", fleet::scopes::regions(self.scopes)),
            }),
            n => Err(Error::NotConnectable {
                target: format!("{:?}", target.as_str()),
                reason: format!(
                    "{n} running instances in different accounts or regions have that Name"
                ),
                next: "Pick one with `ssmgo` on a terminal, or give its instance id".into(),
            }),
        }
    }

    /// The picker; a row picked from the cache is looked up afresh before it is used.
    async fn pick(self, prefill: Option<&str>) -> Result<(usize, Instance)> {
        let (index, row) = choose::pick(self.scopes, self.query, prefill, self.picker).await?;
        let aws = &self.scopes[index].aws;
        match row.mark {
            Mark::Gone => Err(Error::NotConnectable {
                target: row.instance.label(),
                reason: "it is no longer listed (it was in the cached listing only)".into(),
                next: "Pick another instance; `ssmgo list --all` shows what is there now".into(),
            }),
            Mark::Cached => {
                let fresh = fleet::by_id(aws, &row.instance.instance_id).await?;
                let mut fresh = fresh.ok_or_else(|| Error::NotConnectable {
                    target: row.instance.label(),
                    reason: "it no longer exists".into(),
                    next: "Pick another instance with `ssmgo --refresh`".into(),
                })?;
                fresh.origin = row.instance.origin;
                Ok((index, fresh))
            }
            _ => Ok((index, row.instance)),
        }
    }
}

fn candidate_line(i: &Instance) -> String {
    format!(
        "{}  {}  SSM {}  {}  {}  launched {}",
        i.instance_id,
        i.state,
        i.ping_status.as_deref().unwrap_or("not managed"),
        i.private_ip.as_deref().unwrap_or("-"),
        i.availability_zone.as_deref().unwrap_or("-"),
        i.launch_time.as_deref().unwrap_or("-"),
    )
}

/// Several running instances share the Name: on a terminal, the person picks one of them by id,
/// zone and launch time (Esc cancels).
async fn choose_among(name: &str, running: Vec<Instance>) -> Result<Instance> {
    let items: Vec<String> = running
        .iter()
        .map(|i| Untrusted(&candidate_line(i)).to_string())
        .collect();
    let prompt = format!(
        "{} running instances are named {:?}; which one?",
        running.len(),
        Untrusted(name).to_string()
    );
    let picked = crate::output::terminal::ask(move || {
        dialoguer::Select::new()
            .with_prompt(prompt)
            .items(&items)
            .default(0)
            .interact_opt()
    })
    .await?;
    match picked {
        Some(index) => Ok(running
            .into_iter()
            .nth(index)
            .expect("an index of the list shown")),
        None => Err(Error::Cancelled),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_ids_are_recognised_by_shape() {
        let is_id = |s: &str| InstanceId::parse(s).is_some();
        assert!(is_id("i-0123456789abcdef0"));
        assert!(is_id("i-01234567"));
        assert!(is_id("mi-0123456789abcdef0"));
        assert!(!is_id("i-0123"));
        assert!(!is_id("i-0123456789abcdefg"));
        assert!(!is_id("web-01234567"));
        assert!(!is_id("i-"));
    }

    #[test]
    fn a_word_is_an_id_by_its_shape_a_name_otherwise_and_a_dash_the_last_session() {
        let id = InstanceId::parse("i-0123456789abcdef0").unwrap();
        assert_eq!(Target::parse("i-0123456789abcdef0"), Target::Id(id.clone()));
        assert_eq!(Target::parse("web-1"), Target::Name("web-1".into()));
        assert_eq!(
            Target::parse("-"),
            Target::Name("-".into()),
            "`-` is a session's"
        );
        assert_eq!(SessionTarget::parse("-"), SessionTarget::Last);
        assert_eq!(
            SessionTarget::parse("i-0123456789abcdef0"),
            SessionTarget::Given(Target::Id(id))
        );
        assert_eq!(Target::parse("web 1").to_string(), "web 1");
    }
}

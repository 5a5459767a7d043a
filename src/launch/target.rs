//! TARGET → one instance. The word is parsed once, where a command takes it ([`Target`],
//! [`SessionTarget`]): an instance id, an exact Name, or the picker pre-filled with the word;
//! for a session also `-`, the last connection (last.rs).

use std::fmt;

use crate::choose::{self, PickerOptions};
use crate::error::{Error, Result};
use crate::fleet::scopes::{LeftOut, Reached};
use crate::fleet::{self, Instance, Query, Scope};
use crate::output::can_ask;
use crate::output::sanitize::Untrusted;
use crate::picker::Mark;
use crate::precheck::{self, Who, WhoFailure};
use crate::session::SessionSpec;
use crate::settings::{Settings, TagFilters};

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

/// TARGET where the settings point: the one account and region, or every account × region of
/// `--org` or of several profiles or regions, all at once (the picker opens for a query); the
/// caller is looked up meanwhile, or, with several, in the instance's account once it is known.
pub async fn examine_target(
    settings: &Settings,
    verbose: bool,
    target: &Target,
    tags: &[String],
    document: Option<String>,
) -> Result<Examined> {
    let tags = TagFilters::parse(&settings.tags_or(tags))?;
    let document = settings.document_or(document);
    // Checks the document name the same way connect does.
    SessionSpec::new(document.clone(), None, None)?;
    let reached = fleet::scopes::load_all(settings, verbose).await?;
    let query = Query {
        tags,
        ..Query::default()
    };
    let resolving = Resolve::new(&reached, &query, settings, true);
    let one = (reached.scopes.len() == 1).then(|| &reached.scopes[0].aws);
    let (found, early_who) = tokio::join!(resolving.resolve(Some(target)), async {
        match one {
            Some(aws) => Some(precheck::whoami(aws, document.as_deref(), None).await),
            None => None,
        }
    });
    let (index, instance) = found?;
    let mut scopes = reached.scopes;
    let scope = scopes.swap_remove(index);
    let who = match early_who {
        Some(who) => who,
        None => precheck::whoami(&scope.aws, document.as_deref(), scope.identity.clone()).await,
    };
    Ok(Examined {
        scope,
        instance,
        who,
        document,
    })
}

/// TARGET → the instance, once, for several sessions to one instance (`forward` with several
/// mappings): `-` is the last connection, a query opens the picker. With `--org`, the instance
/// is found in its account, whose scope comes back for the sessions to use.
pub async fn resolve_once(
    settings: &Settings,
    verbose: bool,
    target: &SessionTarget,
    tags: &[String],
) -> Result<(Target, Scope)> {
    let target = match target {
        SessionTarget::Last => return super::last::reach(settings, verbose, false).await,
        SessionTarget::Given(target) => target,
    };
    let query = Query {
        tags: TagFilters::parse(tags)?,
        ..Query::default()
    };
    let reached = fleet::scopes::load_all(settings, verbose).await?;
    let resolving = Resolve::new(&reached, &query, settings, true);
    let (index, instance) = resolving.resolve(Some(target)).await?;
    let mut scopes = reached.scopes;
    Ok((
        Target::parse(&instance.instance_id),
        scopes.swap_remove(index),
    ))
}

/// How to turn a TARGET into one instance.
pub struct Resolve<'a> {
    pub scopes: &'a [Scope],
    /// The scopes that could not be reached to look in (warned about already).
    pub left_out: &'a [LeftOut],
    pub query: &'a Query,
    pub may_pick: bool,
    pub picker: PickerOptions,
}

impl<'a> Resolve<'a> {
    /// In the scopes reached, the picker (if it may open) showing the query's fresh listing.
    pub fn new(
        reached: &'a Reached,
        query: &'a Query,
        settings: &Settings,
        may_pick: bool,
    ) -> Resolve<'a> {
        Resolve {
            scopes: &reached.scopes,
            left_out: &reached.left_out,
            query,
            may_pick,
            picker: PickerOptions::new(settings, query, false),
        }
    }
}

impl Resolve<'_> {
    /// TARGET → (scope index, instance): an id, an exact Name (the one running instance that
    /// has it, or the one instance), or else the picker pre-filled with it; several running
    /// instances with the Name: the person chooses. Every scope is searched at once; one that
    /// can't be is a warning, and named if nothing is found. Without TARGET, the picker.
    pub async fn resolve(self, target: Option<&Target>) -> Result<(usize, Instance)> {
        let Some(target) = target else {
            return self.pick(None).await;
        };
        let query = self.query;
        let lookups = self.scopes.iter().map(|scope| async move {
            match target {
                Target::Id(id) => fleet::by_id(&scope.aws, id.as_str())
                    .await
                    .map(|i| i.into_iter().collect()),
                Target::Name(name) => fleet::by_name(&scope.aws, name, &query.tags).await,
            }
        });
        let mut left_out: Vec<LeftOut> = self.left_out.to_vec();
        let mut found: Vec<(usize, Instance)> = Vec::new();
        let mut first_failure = None;
        let mut answered = 0;
        for (i, looked) in futures::future::join_all(lookups)
            .await
            .into_iter()
            .enumerate()
        {
            match looked {
                Ok(instances) => {
                    answered += 1;
                    let labelled = self.scopes[i].label(instances);
                    found.extend(labelled.into_iter().map(|inst| (i, inst)));
                }
                // One scope alone fails as itself.
                Err(e) if self.scopes.len() == 1 => return Err(e),
                Err(e) => {
                    left_out.push(LeftOut::scope(&self.scopes[i], &e));
                    first_failure.get_or_insert(e);
                }
            }
        }
        if let (0, Some(e)) = (answered, first_failure) {
            // Nowhere could be searched: why is the answer.
            return Err(e);
        }
        let running: Vec<&(usize, Instance)> =
            found.iter().filter(|(_, i)| i.state == "running").collect();
        let by_id = matches!(target, Target::Id(_));
        match (running.len(), found.len()) {
            (1, _) => Ok(running[0].clone()),
            (0, 1) => Ok(found.into_iter().next().expect("one")),
            (0, 0) if self.may_pick && can_ask() && !by_id => {
                self.pick(Some(target.as_str())).await
            }
            (0, 0) => Err(Error::TargetNotFound {
                target: target.to_string(),
                filters: self.where_looked(&left_out),
            }),
            (0, n) if by_id => Err(Error::NotConnectable {
                target: format!("{:?}", target.as_str()),
                reason: format!("{n} instances in different accounts or regions have that id"),
                next: "Name the account and region with --profile/--region".into(),
            }),
            (0, n) => Err(Error::NotConnectable {
                target: format!("Name {:?}", target.as_str()),
                reason: format!("none of the {n} instances with that Name is running"),
                next: "Start one of them, or pick another with `ssmgo`".into(),
            }),
            _ => {
                let mut running: Vec<(usize, Instance)> = running.into_iter().cloned().collect();
                running.sort_by(|a, b| fleet::display_order(&a.1, &b.1));
                if self.may_pick && can_ask() {
                    return choose_among(target.as_str(), running).await;
                }
                Err(Error::AmbiguousName {
                    name: target.to_string(),
                    first_id: running[0].1.instance_id.clone(),
                    candidates: running.iter().map(|(_, i)| candidate_line(i)).collect(),
                })
            }
        }
    }

    /// " in eu-west-1", " among Env=prod in eu-west-1, us-east-1", and where could not be
    /// searched.
    fn where_looked(&self, left_out: &[LeftOut]) -> String {
        let regions = fleet::scopes::regions(self.scopes);
        let mut out = match self.query.tags.is_empty() {
            true => format!(" in {regions}"),
            false => format!(" among {} in {regions}", self.query.tags.describe()),
        };
        if !left_out.is_empty() {
            let labels: Vec<&str> = left_out.iter().map(|l| l.label.as_str()).collect();
            out.push_str(&format!(
                " (these could not be searched: {}; the warnings above say why)",
                labels.join(", ")
            ));
        }
        out
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
    let origin = i.origin.as_ref().map(|o| format!("{}  ", o.label()));
    format!(
        "{}{}  {}  SSM {}  {}  {}  launched {}",
        origin.unwrap_or_default(),
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
async fn choose_among(name: &str, running: Vec<(usize, Instance)>) -> Result<(usize, Instance)> {
    let items: Vec<String> = running
        .iter()
        .map(|(_, i)| Untrusted(&candidate_line(i)).to_string())
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

//! Listing the fleet: EC2's view (what exists, its tags) joined with SSM's (managed? online?).
//!
//! Round trips, not CPU, are what a listing waits for. EC2 is paged at 1,000 instances a page;
//! as each page arrives, SSM is asked about exactly its instances, 50 ids a call, many calls at
//! once (bounded), while EC2's next page is already on its way. Rows are handed out joined as
//! soon as their SSM answer is in, so a picker shows the first rows after one EC2 page and one
//! SSM round trip.

pub mod cache;
mod divert;
mod ec2;
mod ec2_xml;
pub mod filter;
pub mod org;
pub mod print;
pub mod scopes;
pub(crate) mod ssm;
mod tags;
mod xml_tokens;

use std::collections::{HashMap, HashSet};

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::aws::Aws;
use crate::error::Result;
use crate::settings::{Column, TagFilters};

pub use scopes::Scope;
pub use tags::{Interner, Tags};

/// One instance as ssmgo shows it. The serialized field names are a stable interface
/// (`ssmgo list --json`): add fields, never rename or remove them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub instance_id: String,
    pub name: Option<String>,
    pub state: String,
    pub ping_status: Option<String>,
    pub managed: bool,
    pub private_ip: Option<String>,
    pub platform: Option<String>,
    pub availability_zone: Option<String>,
    /// When EC2 last started it, as EC2 writes it (ISO 8601, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_time: Option<String>,
    pub tags: Tags,
    /// Which account and region the row came from, when several were listed at once.
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Arc<Origin>>,
}

/// Where a row of a multi-account or multi-region listing came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Origin {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    pub region: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The account's name in its organization (`--org`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
}

impl Origin {
    /// "prod/123456789012/eu-west-1" (profile or account name, account, region): enough to never
    /// mistake one fleet for another.
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = &self.profile {
            parts.push(p.as_str());
        }
        if let Some(name) = &self.account_name {
            parts.push(name.as_str());
        }
        if let Some(a) = &self.account {
            parts.push(a.as_str());
        }
        parts.push(&self.region);
        parts.join("/")
    }
}

/// Why a session can't be started on an instance, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    pub reason: String,
    pub next: String,
}

impl Instance {
    /// A row that nothing has been said about yet but its id: state unknown, not managed, no
    /// name, address or tags. Whoever lists it fills in what EC2 and SSM say; new fields get
    /// their default here, once.
    pub fn new(instance_id: impl Into<String>) -> Instance {
        Instance {
            instance_id: instance_id.into(),
            name: None,
            state: "unknown".into(),
            ping_status: None,
            managed: false,
            private_ip: None,
            platform: None,
            availability_zone: None,
            launch_time: None,
            tags: Tags::default(),
            origin: None,
        }
    }

    /// What stands in the way of a session, judged from the listing alone. A stale ping status
    /// is not a blocker: StartSession has the last word on connectivity.
    pub fn blocker(&self) -> Option<Blocker> {
        if self.state != "running" {
            return Some(Blocker {
                reason: format!("it is {}", self.state),
                next: format!(
                    "Start it and connect in one go with `ssmgo connect {} --start` (or: aws ec2 start-instances --instance-ids {})",
                    self.instance_id, self.instance_id
                ),
            });
        }
        if !self.managed {
            return Some(Blocker {
                reason: "it is not managed by SSM".into(),
                next: "Run the SSM agent on it and attach an instance profile with the AmazonSSMManagedInstanceCore policy".into(),
            });
        }
        None
    }

    /// Whether [`Instance::blocker`] has something to say.
    pub fn is_blocked(&self) -> bool {
        self.state != "running" || !self.managed
    }

    /// True when SSM last saw the agent online.
    pub fn is_online(&self) -> bool {
        self.ping_status.as_deref() == Some("Online")
    }

    /// The short note shown beside a row that is not ready for a session.
    pub fn note(&self) -> Option<String> {
        if let Some(b) = self.blocker() {
            return Some(b.reason.trim_start_matches("it is ").to_owned());
        }
        match self.ping_status.as_deref() {
            Some("Online") | None => None,
            Some(other) => Some(format!("SSM agent {other}")),
        }
    }

    /// What the row has in `column`, as the instance has it (unsanitized); `None` when it has
    /// nothing there. The table and the picker each decorate it their own way (paint, widths,
    /// what stands in for nothing).
    pub fn cell(&self, column: &Column) -> Option<&str> {
        match column {
            Column::Name => self.name.as_deref(),
            Column::Instance => Some(&self.instance_id),
            Column::State => Some(&self.state),
            Column::Ssm => self.ping_status.as_deref(),
            Column::Ip => self.private_ip.as_deref(),
            Column::Platform => self.platform.as_deref(),
            Column::Az => self.availability_zone.as_deref(),
            Column::Tag(key) => self.tags.get(key),
        }
    }

    /// "web-1 (i-0abc…)" or just the id.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) => format!("{n} ({})", self.instance_id),
            None => self.instance_id.clone(),
        }
    }
}

/// Rows for unit tests, built the same way everywhere: `Instance::example("i-1").named("web")`.
#[cfg(test)]
impl Instance {
    /// A running instance that SSM doesn't manage, with nothing else known.
    pub fn example(instance_id: &str) -> Instance {
        Instance::new(instance_id).in_state("running")
    }

    pub fn in_state(mut self, state: &str) -> Instance {
        self.state = state.into();
        self
    }

    pub fn named(mut self, name: &str) -> Instance {
        self.name = Some(name.into());
        self
    }

    /// Managed by SSM, whose agent last reported `ping_status` ("Online", "ConnectionLost").
    pub fn pinged(mut self, ping_status: &str) -> Instance {
        self.managed = true;
        self.ping_status = Some(ping_status.into());
        self
    }

    pub fn with_private_ip(mut self, ip: &str) -> Instance {
        self.private_ip = Some(ip.into());
        self
    }

    pub fn tagged(mut self, key: &str, value: &str) -> Instance {
        self.tags.insert(key.into(), value.into());
        self
    }
}

/// SSM's view of one managed node.
#[derive(Debug, Clone)]
pub(crate) struct ManagedNode {
    pub id: String,
    pub ping_status: String,
    pub platform: Option<String>,
    pub ip: Option<String>,
    pub name: Option<String>,
    /// True for EC2 instances; false for hybrid (mi-…) nodes, which EC2 doesn't know.
    pub is_ec2: bool,
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub tags: TagFilters,
    /// Include instances that are not running.
    pub all: bool,
    /// DescribeInstances page size; the API's maximum when unset (fewest round trips).
    pub page_size: Option<i32>,
}

/// SSM calls queued at once per listing; how many are in flight is the account's gate's to say.
const SSM_CONCURRENCY: usize = crate::aws::gate::IN_FLIGHT;

/// Lists every instance matching `query`, calling `on_rows` with each batch of joined rows as
/// soon as it can be shown (batches arrive in no particular order).
pub async fn stream(
    aws: &Aws,
    query: &Query,
    mut on_rows: impl FnMut(Vec<Instance>),
) -> Result<()> {
    use futures::stream::{self, StreamExt, TryStreamExt};

    let (pages_tx, pages_rx) = mpsc::unbounded_channel::<Vec<Instance>>();
    let filters = ec2::filters_for(query);
    let ec2_pages = ec2::describe_pages(aws, filters, query.page_size, pages_tx);
    let pages = stream::unfold(pages_rx, |mut rx| async move {
        rx.recv().await.map(|page| (page, rx))
    });
    let chunks = pages.flat_map(|page| stream::iter(into_chunks(page, ssm::IDS_PER_CALL)));
    let joined = chunks
        .map(|chunk| async move {
            let ids: Vec<String> = chunk.iter().map(|i| i.instance_id.clone()).collect();
            let nodes = ssm::managed_nodes(aws, &ids).await?;
            let by_id: HashMap<&str, &ManagedNode> =
                nodes.iter().map(|n| (n.id.as_str(), n)).collect();
            Ok::<_, crate::error::Error>(join(chunk, &by_id))
        })
        .buffer_unordered(SSM_CONCURRENCY);
    // Hybrid nodes have no EC2 tags and no EC2 state: only an unfiltered listing shows them.
    let hybrid = async {
        if query.tags.is_empty() {
            ssm::hybrid_nodes(aws).await
        } else {
            Ok(Vec::new())
        }
    };
    let consume = async {
        let mut joined = std::pin::pin!(joined);
        while let Some(rows) = joined.try_next().await? {
            on_rows(rows);
        }
        Ok(())
    };
    let ((), (), hybrid) = tokio::try_join!(ec2_pages, consume, hybrid)?;
    let hybrid: Vec<Instance> = stream::iter(hybrid.iter().filter(|n| !n.is_ec2))
        .map(|node| hybrid_row(aws, node))
        .buffer_unordered(SSM_CONCURRENCY)
        .collect()
        .await;
    if !hybrid.is_empty() {
        on_rows(hybrid);
    }
    Ok(())
}

/// Splits a page into runs of at most `size` rows, keeping order.
fn into_chunks(mut page: Vec<Instance>, size: usize) -> Vec<Vec<Instance>> {
    let mut out = Vec::with_capacity(page.len().div_ceil(size));
    while page.len() > size {
        let rest = page.split_off(size);
        out.push(std::mem::replace(&mut page, rest));
    }
    if !page.is_empty() {
        out.push(page);
    }
    out
}

/// Lists every instance matching `query`, sorted for display: ready ones first, then by name.
pub async fn list(aws: &Aws, query: &Query) -> Result<Vec<Instance>> {
    let mut rows = Vec::new();
    stream(aws, query, |batch| rows.extend(batch)).await?;
    dedup(&mut rows);
    sort_for_display(&mut rows);
    Ok(rows)
}

/// Looks up one instance (i-… or mi-…) by id, whatever its state.
pub async fn by_id(aws: &Aws, id: &str) -> Result<Option<Instance>> {
    let ids = [id.to_owned()];
    if id.starts_with("mi-") {
        let nodes = ssm::managed_nodes(aws, &ids).await?;
        return match nodes.iter().find(|n| n.id == id) {
            Some(node) => Ok(Some(hybrid_row(aws, node).await)),
            None => Ok(None),
        };
    }
    let filters = vec![("instance-id".to_owned(), vec![id.to_owned()])];
    let (instances, nodes) = tokio::try_join!(
        ec2::describe_all(aws, filters),
        ssm::managed_nodes(aws, &ids)
    )?;
    let by_id = nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    Ok(join(instances, &by_id)
        .into_iter()
        .find(|i| i.instance_id == id))
}

/// Starts a stopped instance.
pub async fn start(aws: &Aws, id: &str) -> Result<()> {
    ec2::start(aws, id).await
}

/// Every non-terminated instance whose Name tag is exactly `name`, within `tags`.
pub async fn by_name(aws: &Aws, name: &str, tags: &TagFilters) -> Result<Vec<Instance>> {
    let mut filters = filter::ec2_filters(tags);
    filters.retain(|(n, _)| n != "tag:Name");
    filters.push(("tag:Name".to_owned(), vec![filter::ec2_literal(name)]));
    filters.push((
        "instance-state-name".to_owned(),
        ec2::LIVE_STATES.map(String::from).to_vec(),
    ));
    let instances: Vec<_> = ec2::describe_all(aws, filters)
        .await?
        .into_iter()
        .filter(|i| i.name.as_deref() == Some(name))
        .collect();
    if instances.is_empty() {
        return Ok(instances);
    }
    let ids: Vec<String> = instances.iter().map(|i| i.instance_id.clone()).collect();
    let nodes = ssm::managed_nodes(aws, &ids).await?;
    let by_id = nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    Ok(join(instances, &by_id))
}

/// Fills SSM's view into EC2's rows.
fn join(mut page: Vec<Instance>, nodes: &HashMap<&str, &ManagedNode>) -> Vec<Instance> {
    for row in &mut page {
        if let Some(node) = nodes.get(row.instance_id.as_str()) {
            row.managed = true;
            row.ping_status = Some(node.ping_status.clone());
            if node.platform.is_some() {
                row.platform = node.platform.clone();
            }
            if row.private_ip.is_none() {
                row.private_ip = node.ip.clone();
            }
        }
    }
    page
}

/// A hybrid node as a row, with its tags from SSM.
async fn hybrid_row(aws: &Aws, node: &ManagedNode) -> Instance {
    let tags = ssm::node_tags(aws, &node.id).await;
    let mut row = hybrid_row_without_tags(node);
    if row.name.is_none() {
        row.name = tags
            .iter()
            .find(|(k, _)| k == "Name")
            .map(|(_, v)| v.clone());
    }
    row.tags = tags.into_iter().collect();
    row
}

fn hybrid_row_without_tags(node: &ManagedNode) -> Instance {
    Instance {
        name: node.name.clone(),
        // Hybrid nodes have no EC2 state; SSM's view is all there is.
        state: "running".into(),
        ping_status: Some(node.ping_status.clone()),
        managed: true,
        private_ip: node.ip.clone(),
        platform: node.platform.clone(),
        ..Instance::new(node.id.clone())
    }
}

/// Ready rows first (running, managed, online), then by name (unnamed last), then by id.
pub fn sort_for_display(rows: &mut [Instance]) {
    rows.sort_by(display_order);
}

/// Ready rows first, then by name (unnamed last), then by id.
pub fn display_order(a: &Instance, b: &Instance) -> std::cmp::Ordering {
    // Compared O(n log n) times: the cheap test, not `blocker`, which words its reason.
    let rank = |i: &Instance| (i.is_blocked(), !i.is_online());
    rank(a)
        .cmp(&rank(b))
        .then_with(|| a.name.is_none().cmp(&b.name.is_none()))
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.instance_id.cmp(&b.instance_id))
}

/// Drops duplicate ids (EC2 can repeat an instance across pages when it changes state mid-listing).
pub(crate) fn dedup(rows: &mut Vec<Instance>) {
    let mut seen = HashSet::with_capacity(rows.len());
    rows.retain(|r| seen.insert(r.instance_id.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, name: Option<&str>, state: &str, ping: Option<&str>) -> Instance {
        let mut row = Instance::example(id).in_state(state);
        if let Some(name) = name {
            row = row.named(name);
        }
        if let Some(ping) = ping {
            row = row.pinged(ping);
        }
        row
    }

    #[test]
    fn ready_instances_sort_first_then_by_name_with_unnamed_last() {
        let mut rows = vec![
            row("i-5", Some("a-stopped"), "stopped", Some("ConnectionLost")),
            row("i-4", None, "running", Some("Online")),
            row("i-3", Some("b"), "running", Some("Online")),
            row("i-2", Some("a-lost"), "running", Some("ConnectionLost")),
            row("i-1", Some("c"), "running", None),
            row("i-0", Some("a"), "running", Some("Online")),
        ];
        sort_for_display(&mut rows);
        let ids: Vec<_> = rows.iter().map(|r| r.instance_id.as_str()).collect();
        assert_eq!(ids, ["i-0", "i-3", "i-4", "i-2", "i-5", "i-1"]);
    }

    #[test]
    fn blockers_say_why_and_what_next() {
        let stopped = row("i-1", None, "stopped", Some("ConnectionLost"));
        let b = stopped.blocker().unwrap();
        assert_eq!(b.reason, "it is stopped");
        assert!(b.next.contains("start-instances --instance-ids i-1"));
        let unmanaged = row("i-2", None, "running", None);
        assert!(unmanaged
            .blocker()
            .unwrap()
            .next
            .contains("AmazonSSMManagedInstanceCore"));
        let lost = row("i-3", None, "running", Some("ConnectionLost"));
        assert_eq!(lost.blocker(), None, "StartSession decides on stale pings");
        for r in [&stopped, &unmanaged, &lost] {
            assert_eq!(r.is_blocked(), r.blocker().is_some(), "{}", r.instance_id);
        }
        assert_eq!(lost.note().as_deref(), Some("SSM agent ConnectionLost"));
    }

    #[test]
    fn joining_fills_ssm_fields_only_for_managed_ids() {
        let node = ManagedNode {
            id: "i-1".into(),
            ping_status: "Online".into(),
            platform: Some("Amazon Linux".into()),
            ip: Some("10.0.0.1".into()),
            name: None,
            is_ec2: true,
        };
        let by_id = HashMap::from([("i-1", &node)]);
        let out = join(
            vec![
                row("i-1", None, "running", None),
                row("i-2", None, "running", None),
            ],
            &by_id,
        );
        assert!(out[0].managed && out[0].is_online());
        assert_eq!(out[0].platform.as_deref(), Some("Amazon Linux"));
        assert_eq!(out[0].private_ip.as_deref(), Some("10.0.0.1"));
        assert!(!out[1].managed && out[1].ping_status.is_none());
    }

    #[test]
    fn pages_split_into_ordered_chunks_of_at_most_the_call_size() {
        let page: Vec<Instance> = (0..120)
            .map(|i| row(&format!("i-{i}"), None, "running", None))
            .collect();
        let chunks = into_chunks(page, 50);
        assert_eq!(
            chunks.iter().map(Vec::len).collect::<Vec<_>>(),
            [50, 50, 20]
        );
        assert_eq!(chunks[2][19].instance_id, "i-119");
        assert!(into_chunks(Vec::new(), 50).is_empty());
    }

    #[test]
    fn dedup_keeps_the_first_of_each_id() {
        let mut rows = vec![
            row("i-1", Some("x"), "running", None),
            row("i-1", Some("y"), "running", None),
            row("i-2", None, "running", None),
        ];
        dedup(&mut rows);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name.as_deref(), Some("x"));
    }
}

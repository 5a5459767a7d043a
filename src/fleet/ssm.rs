//! SSM DescribeInstanceInformation: which nodes run the agent, and whether it is online; and the
//! tags SSM keeps on hybrid nodes and session documents (ssm:ListTagsForResource).
//!
//! A listing's DescribeInstanceInformation pages (2,000 for 100,000 instances) are read by
//! serde into structs that borrow from the body ([`NodesReader`], diverted from the SDK as
//! `divert` explains), keeping the six fields ssmgo uses.

use std::borrow::Cow;

use aws_sdk_ssm::types::{InstanceInformationStringFilter, ResourceTypeForTagging};
use serde::Deserialize;

use super::divert::{self, Divert, Slot};
use super::ManagedNode;
use crate::aws::Aws;
use crate::error::{Error, Result};

/// SSM's page size limit for DescribeInstanceInformation with filters.
const PAGE: i32 = 50;

/// The most instance ids one DescribeInstanceInformation call is asked about: one full page.
pub(super) const IDS_PER_CALL: usize = PAGE as usize;

/// The managed nodes among `ids`, asked for in calls of at most 50 ids, run concurrently.
pub(super) async fn managed_nodes(aws: &Aws, ids: &[String]) -> Result<Vec<ManagedNode>> {
    let calls = ids
        .chunks(IDS_PER_CALL)
        .map(|chunk| pages(aws, "InstanceIds", chunk.to_vec()));
    let found = futures::future::try_join_all(calls).await?;
    Ok(found.into_iter().flatten().collect())
}

/// Hybrid nodes (mi-…): managed instances outside EC2, which no EC2 page will ever name.
pub(super) async fn hybrid_nodes(aws: &Aws) -> Result<Vec<ManagedNode>> {
    pages(aws, "ResourceType", vec!["ManagedInstance".into()]).await
}

/// A hybrid node's tags: EC2 knows nothing of them, and the pre-check and the listing need them
/// as an instance's.
pub(super) async fn node_tags(aws: &Aws, id: &str) -> Vec<(String, String)> {
    resource_tags(aws, ResourceTypeForTagging::ManagedInstance, id).await
}

/// The session document's own tags (none when it has none or they can't be read: AWS-owned and
/// missing documents have no taggable resource, and so no tags, as for AWS).
pub(crate) async fn document_tags(aws: &Aws, name: &str) -> Vec<(String, String)> {
    resource_tags(aws, ResourceTypeForTagging::Document, name).await
}

/// The tags SSM keeps on one of its resources (ssm:ListTagsForResource); none when they can't be
/// read. Quietly: AWS-owned documents have no taggable resource, and a caller who may not read
/// tags still gets the rest (-v's trace shows the failed call).
async fn resource_tags(aws: &Aws, kind: ResourceTypeForTagging, id: &str) -> Vec<(String, String)> {
    let out = aws
        .ssm
        .list_tags_for_resource()
        .resource_type(kind)
        .resource_id(id)
        .send()
        .await;
    out.map(|out| {
        out.tag_list()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect()
    })
    .unwrap_or_default()
}

/// Every page of DescribeInstanceInformation for one filter. (Paged by hand: the SDK's paginator
/// allocates a stream and a channel per call, and a listing of an organization has thousands of
/// calls waiting for a slot.)
async fn pages(aws: &Aws, key: &str, values: Vec<String>) -> Result<Vec<ManagedNode>> {
    let filter = InstanceInformationStringFilter::builder()
        .key(key)
        .set_values(Some(values))
        .build()
        .expect("key and values are set");
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let slot: Slot<NodesPage> = Slot::default();
        let page = {
            let _pass = aws.gate().await;
            aws.ssm
                .describe_instance_information()
                .max_results(PAGE)
                .filters(filter.clone())
                .set_next_token(token.take())
                .customize()
                .interceptor(Divert::<NodesReader>(slot.clone()))
                .send()
                .await
                .map_err(|e| aws.explain("ssm:DescribeInstanceInformation", e))?
        };
        let next = match slot.take() {
            Some(read) => {
                let read = read.map_err(|detail| Error::Aws {
                    operation: "DescribeInstanceInformation",
                    detail: format!("could not read the response: {detail}"),
                })?;
                out.extend(read.nodes);
                read.next_token
            }
            // Not diverted (an SDK that deserialized on its own): use its model.
            None => {
                out.extend(page.instance_information_list().iter().filter_map(|info| {
                    to_node(&Info {
                        instance_id: info.instance_id().map(Cow::Borrowed),
                        ping_status: info.ping_status().map(|p| Cow::Borrowed(p.as_str())),
                        platform_name: info.platform_name().map(Cow::Borrowed),
                        platform_version: info.platform_version().map(Cow::Borrowed),
                        platform_type: info.platform_type().map(|t| Cow::Borrowed(t.as_str())),
                        ip_address: info.ip_address().map(Cow::Borrowed),
                        name: info.name().map(Cow::Borrowed),
                        computer_name: info.computer_name().map(Cow::Borrowed),
                        resource_type: info.resource_type().map(|t| Cow::Borrowed(t.as_str())),
                    })
                }));
                page.next_token().map(str::to_owned)
            }
        };
        match next {
            Some(t) if !t.is_empty() => token = Some(t),
            _ => return Ok(out),
        }
    }
}

/// One DescribeInstanceInformation page as ssmgo reads it.
pub(super) struct NodesPage {
    nodes: Vec<ManagedNode>,
    next_token: Option<String>,
}

/// The page's JSON, borrowed from the body where it has no escapes; other fields are skipped.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InfoPage<'a> {
    #[serde(borrow, default)]
    instance_information_list: Vec<Info<'a>>,
    #[serde(borrow, default)]
    next_token: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Info<'a> {
    #[serde(borrow, default)]
    instance_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    ping_status: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    platform_name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    platform_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    platform_type: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "IPAddress")]
    ip_address: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    computer_name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    resource_type: Option<Cow<'a, str>>,
}

/// Reads a DescribeInstanceInformation body (a page of at most 50 nodes, so read whole).
#[derive(Default)]
pub(super) struct NodesReader(divert::Whole);

impl divert::Reader for NodesReader {
    type Output = NodesPage;
    const EMPTY: &'static str = "{}";

    fn feed(&mut self, chunk: &[u8]) {
        self.0.feed(chunk);
    }

    fn finish(self) -> std::result::Result<NodesPage, String> {
        let page: InfoPage = serde_json::from_slice(&self.0 .0).map_err(|e| e.to_string())?;
        Ok(NodesPage {
            nodes: page
                .instance_information_list
                .iter()
                .filter_map(to_node)
                .collect(),
            next_token: page.next_token.map(Cow::into_owned),
        })
    }
}

fn to_node(info: &Info<'_>) -> Option<ManagedNode> {
    let id = info.instance_id.as_deref()?;
    let platform = match (
        info.platform_name.as_deref(),
        info.platform_version.as_deref(),
    ) {
        (Some(name), Some(v)) if !v.is_empty() => Some(format!("{name} {v}")),
        (Some(name), _) => Some(name.to_owned()),
        (None, _) => info.platform_type.as_deref().map(str::to_owned),
    };
    Some(ManagedNode {
        id: id.to_owned(),
        ping_status: info.ping_status.as_deref().unwrap_or("Unknown").to_owned(),
        platform,
        ip: info.ip_address.as_deref().map(str::to_owned),
        name: info
            .name
            .as_deref()
            .or(info.computer_name.as_deref())
            .map(str::to_owned),
        is_ec2: info.resource_type.as_deref() != Some("ManagedInstance") && !id.starts_with("mi-"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use divert::Reader;

    #[test]
    fn a_page_reads_the_fields_ssmgo_uses_and_skips_the_rest() {
        let mut reader = NodesReader::default();
        let body = br#"{"InstanceInformationList":[
            {"InstanceId":"i-1","PingStatus":"Online","PlatformName":"Amazon Linux","PlatformVersion":"2023","PlatformType":"Linux","IPAddress":"10.0.0.1","ComputerName":"ip-10-0-0-1","ResourceType":"EC2Instance","AgentVersion":"3.3","LastPingDateTime":1.7E9,"AssociationOverview":{"x":[1,2]}},
            {"InstanceId":"mi-2","PingStatus":"ConnectionLost","PlatformType":"Windows","Name":"on-prem \u00e9\"x","ResourceType":"ManagedInstance"},
            {"PingStatus":"Online"}
        ],"NextToken":"t\/1"}"#;
        for chunk in body.chunks(7) {
            reader.feed(chunk);
        }
        let page = reader.finish().unwrap();
        assert_eq!(page.next_token.as_deref(), Some("t/1"));
        assert_eq!(page.nodes.len(), 2, "a node without an id is left out");
        let (a, b) = (&page.nodes[0], &page.nodes[1]);
        assert_eq!(
            (
                a.id.as_str(),
                a.ping_status.as_str(),
                a.platform.as_deref(),
                a.ip.as_deref(),
                a.name.as_deref(),
                a.is_ec2
            ),
            (
                "i-1",
                "Online",
                Some("Amazon Linux 2023"),
                Some("10.0.0.1"),
                Some("ip-10-0-0-1"),
                true
            )
        );
        assert_eq!(
            (b.platform.as_deref(), b.name.as_deref(), b.is_ec2),
            (Some("Windows"), Some("on-prem é\"x"), false)
        );
        let mut broken = NodesReader::default();
        broken.feed(b"{\"InstanceInformationList\":[");
        assert!(broken.finish().is_err());
    }
}

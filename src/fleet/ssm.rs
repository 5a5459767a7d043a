//! SSM DescribeInstanceInformation: which nodes run the agent, and whether it is online; and the
//! tags SSM keeps on hybrid nodes and session documents (ssm:ListTagsForResource).

use aws_sdk_ssm::types::{
    InstanceInformation, InstanceInformationStringFilter, ResourceType, ResourceTypeForTagging,
};

use super::ManagedNode;
use crate::aws::Aws;
use crate::error::Result;

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
        let page = {
            let _pass = aws.gate().await;
            aws.ssm
                .describe_instance_information()
                .max_results(PAGE)
                .filters(filter.clone())
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| aws.explain("ssm:DescribeInstanceInformation", e))?
        };
        out.extend(page.instance_information_list().iter().filter_map(to_node));
        match page.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_owned()),
            _ => return Ok(out),
        }
    }
}

fn to_node(info: &InstanceInformation) -> Option<ManagedNode> {
    let platform = match (info.platform_name(), info.platform_version()) {
        (Some(name), Some(v)) if !v.is_empty() => Some(format!("{name} {v}")),
        (Some(name), _) => Some(name.to_owned()),
        (None, _) => info.platform_type().map(|t| t.as_str().to_owned()),
    };
    Some(ManagedNode {
        id: info.instance_id()?.to_owned(),
        ping_status: info
            .ping_status()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "Unknown".into()),
        platform,
        ip: info.ip_address().map(str::to_owned),
        name: info.name().or(info.computer_name()).map(str::to_owned),
        is_ec2: !matches!(info.resource_type(), Some(ResourceType::ManagedInstance))
            && !info.instance_id()?.starts_with("mi-"),
    })
}

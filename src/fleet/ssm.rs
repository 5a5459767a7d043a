//! SSM DescribeInstanceInformation: which nodes run the agent, and whether it is online.

use aws_sdk_ssm::types::{InstanceInformation, InstanceInformationStringFilter, ResourceType};

use super::ManagedNode;
use crate::aws::Aws;
use crate::error::Result;

/// SSM's page size limit for DescribeInstanceInformation with filters.
const PAGE: i32 = 50;

/// All managed nodes, or only those among `ids` (at most 50 per request, as SSM requires).
pub(super) async fn managed_nodes(aws: &Aws, ids: Option<&[String]>) -> Result<Vec<ManagedNode>> {
    match ids {
        None => pages(aws, None).await,
        Some(ids) => {
            let mut out = Vec::with_capacity(ids.len());
            for chunk in ids.chunks(PAGE as usize) {
                out.extend(pages(aws, Some(chunk.to_vec())).await?);
            }
            Ok(out)
        }
    }
}

async fn pages(aws: &Aws, ids: Option<Vec<String>>) -> Result<Vec<ManagedNode>> {
    let mut req = aws.ssm.describe_instance_information().max_results(PAGE);
    if let Some(ids) = ids {
        let filter = InstanceInformationStringFilter::builder()
            .key("InstanceIds")
            .set_values(Some(ids))
            .build()
            .expect("key and values are set");
        req = req.filters(filter);
    }
    let mut stream = req.into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = stream.next().await {
        let page = page.map_err(|e| {
            aws.explain(
                "DescribeInstanceInformation",
                "ssm:DescribeInstanceInformation",
                e,
            )
        })?;
        out.extend(page.instance_information_list().iter().filter_map(to_node));
    }
    Ok(out)
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

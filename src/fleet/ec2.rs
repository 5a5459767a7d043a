//! EC2 DescribeInstances, paged to the end, converted to our rows page by page.

use aws_sdk_ec2::types::{Filter, Instance as Ec2Instance};
use tokio::sync::mpsc::UnboundedSender;

use super::ec2_xml::{parse_page, Divert, Slot};
use super::{Instance, Interner, Query, Tags};
use crate::aws::Aws;
use crate::error::{Error, Result};

/// Starts a stopped instance (ec2:StartInstances).
pub async fn start(aws: &Aws, id: &str) -> Result<()> {
    aws.ec2
        .start_instances()
        .instance_ids(id)
        .send()
        .await
        .map_err(|e| aws.explain("StartInstances", "ec2:StartInstances", e))?;
    Ok(())
}

/// States in which an instance may still be connected to or started again.
pub(super) const LIVE_STATES: [&str; 4] = ["pending", "running", "stopping", "stopped"];

/// DescribeInstances' largest page: the fewest round trips.
const MAX_PAGE: i32 = 1000;

/// The EC2 filters for a listing: the user's tags, and the states to show.
pub(super) fn filters_for(query: &Query) -> Vec<(String, Vec<String>)> {
    let mut filters = query.tags.ec2_filters();
    let states: Vec<String> = if query.all {
        LIVE_STATES.map(String::from).to_vec()
    } else {
        vec!["running".into()]
    };
    filters.push(("instance-state-name".into(), states));
    filters
}

/// Sends each page of matching instances down `pages` as soon as it arrives.
pub(super) async fn describe_pages(
    aws: &Aws,
    filters: Vec<(String, Vec<String>)>,
    page_size: Option<i32>,
    pages: UnboundedSender<Vec<Instance>>,
) -> Result<()> {
    let filters: Vec<Filter> = filters
        .into_iter()
        .map(|(name, values)| {
            Filter::builder()
                .name(name)
                .set_values(Some(values))
                .build()
        })
        .collect();
    let mut token: Option<String> = None;
    let mut strings = Interner::default();
    loop {
        let slot = Slot::default();
        let out = aws
            .ec2
            .describe_instances()
            .set_filters(Some(filters.clone()))
            .max_results(page_size.unwrap_or(MAX_PAGE))
            .set_next_token(token.take())
            .customize()
            .interceptor(Divert(slot.clone()))
            .send()
            .await
            .map_err(|e| aws.explain("DescribeInstances", "ec2:DescribeInstances", e))?;
        let rows = match slot.take() {
            Some(xml) => parse_page(&xml, &mut strings).map_err(|detail| Error::Aws {
                operation: "DescribeInstances",
                detail: format!("could not read the response: {detail}"),
            })?,
            // Not diverted (an SDK that deserialized on its own): use its model.
            None => out
                .reservations()
                .iter()
                .flat_map(|r| r.instances())
                .map(to_row)
                .collect(),
        };
        // The receiver only goes away when the listing was abandoned: stop paging then.
        if pages.send(rows).is_err() {
            break;
        }
        match out.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_owned()),
            _ => break,
        }
    }
    Ok(())
}

/// Every matching instance, all pages.
pub(super) async fn describe_all(
    aws: &Aws,
    filters: Vec<(String, Vec<String>)>,
) -> Result<Vec<Instance>> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    describe_pages(aws, filters, None, tx).await?;
    let mut all = Vec::new();
    while let Some(page) = rx.recv().await {
        all.extend(page);
    }
    Ok(all)
}

fn to_row(i: &Ec2Instance) -> Instance {
    let tags: Tags = i
        .tags()
        .iter()
        .filter_map(|t| Some((t.key()?.to_owned(), t.value().unwrap_or("").to_owned())))
        .collect();
    Instance {
        instance_id: i.instance_id().unwrap_or_default().to_owned(),
        name: tags.get("Name").map(str::to_owned),
        state: i
            .state()
            .and_then(|s| s.name())
            .map(|n| n.as_str().to_owned())
            .unwrap_or_else(|| "unknown".into()),
        ping_status: None,
        managed: false,
        private_ip: i.private_ip_address().map(str::to_owned),
        platform: i
            .platform_details()
            .map(str::to_owned)
            .or_else(|| i.platform().map(|p| p.as_str().to_owned())),
        availability_zone: i
            .placement()
            .and_then(|p| p.availability_zone())
            .map(str::to_owned),
        launch_time: i
            .launch_time()
            .and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok()),
        tags,
        origin: None,
    }
}

//! EC2 DescribeInstances, paged to the end, converted to our rows page by page.

use std::collections::HashSet;

use aws_sdk_ec2::types::{Filter, Instance as Ec2Instance};
use tokio::sync::mpsc::UnboundedSender;

use super::divert::{Divert, Slot};
use super::ec2_xml::PageReader;
use super::{Instance, Query, Tags};
use crate::aws::Aws;
use crate::error::{Error, Result};

/// Starts a stopped instance (ec2:StartInstances).
pub async fn start(aws: &Aws, id: &str) -> Result<()> {
    aws.ec2
        .start_instances()
        .instance_ids(id)
        .send()
        .await
        .map_err(|e| aws.explain("ec2:StartInstances", e))?;
    Ok(())
}

/// States in which an instance may still be connected to or started again.
pub(super) const LIVE_STATES: [&str; 4] = ["pending", "running", "stopping", "stopped"];

/// DescribeInstances' largest page: the fewest round trips.
const MAX_PAGE: i32 = 1000;

/// The EC2 filters for a listing: the user's tags, and the states to show.
pub(super) fn filters_for(query: &Query) -> Vec<(String, Vec<String>)> {
    let mut filters = super::filter::ec2_filters(&query.tags);
    let states: Vec<String> = if query.all {
        LIVE_STATES.map(String::from).to_vec()
    } else {
        vec!["running".into()]
    };
    filters.push(("instance-state-name".into(), states));
    filters
}

type Filters = Vec<(String, Vec<String>)>;

/// Sends each page of matching instances down `pages` as soon as it arrives.
///
/// EC2 pages one after another (each needs the last one's token), so a region of 10,000
/// instances would be ten round trips back to back. When the first page is not the last, the
/// rest is listed zone by zone, every zone's pages at the same time (an instance is in exactly
/// one zone), without the rows the first page had. Listing one account, the zones are asked for
/// with the first page (a round trip saved on a large region, a request spent on a small one);
/// listing an organization, only once the first page says there is more (its 300 regions, most
/// of which fit in one page, would be 300 requests).
pub(super) async fn describe_pages(
    aws: &Aws,
    filters: Filters,
    page_size: Option<i32>,
    pages: UnboundedSender<Vec<Instance>>,
) -> Result<()> {
    let size = page_size.unwrap_or(MAX_PAGE);
    let eager = aws.account_gate().alone();
    let early_zones = async {
        match eager {
            true => zones(aws).await.ok(),
            false => None,
        }
    };
    let (first, early_zones) = tokio::join!(page(aws, &filters, size, None), early_zones);
    let (rows, next) = first?;
    let Some(next) = next else {
        let _ = pages.send(rows);
        return Ok(());
    };
    let seen: HashSet<String> = rows.iter().map(|r| r.instance_id.clone()).collect();
    if pages.send(rows).is_err() {
        return Ok(());
    }
    let zones = match early_zones {
        Some(zones) => Some(zones),
        None if eager => None,
        None => zones(aws).await.ok(),
    };
    let Some(zones) = zones.filter(|z| z.len() > 1) else {
        return chain(aws, &filters, size, Some(next), &pages, None).await;
    };
    let by_zone = zones.into_iter().map(|zone| {
        let mut filters = filters.clone();
        filters.push(("availability-zone".into(), vec![zone]));
        let pages = &pages;
        let seen = &seen;
        async move { chain(aws, &filters, size, None, pages, Some(seen)).await }
    });
    futures::future::try_join_all(by_zone).await?;
    Ok(())
}

/// Pages from `token` to the end, each sent as it arrives (without the rows in `skip`).
async fn chain(
    aws: &Aws,
    filters: &Filters,
    size: i32,
    mut token: Option<String>,
    pages: &UnboundedSender<Vec<Instance>>,
    skip: Option<&HashSet<String>>,
) -> Result<()> {
    loop {
        let (mut rows, next) = page(aws, filters, size, token.take()).await?;
        if let Some(skip) = skip {
            rows.retain(|r| !skip.contains(&r.instance_id));
        }
        // The receiver only goes away when the listing was abandoned: stop paging then.
        if pages.send(rows).is_err() {
            return Ok(());
        }
        match next {
            Some(t) => token = Some(t),
            None => return Ok(()),
        }
    }
}

/// One DescribeInstances page: its rows and the next page's token.
async fn page(
    aws: &Aws,
    filters: &Filters,
    size: i32,
    token: Option<String>,
) -> Result<(Vec<Instance>, Option<String>)> {
    let filters: Vec<Filter> = filters
        .iter()
        .map(|(name, values)| {
            Filter::builder()
                .name(name)
                .set_values(Some(values.clone()))
                .build()
        })
        .collect();
    let slot: Slot<super::ec2_xml::Page> = Slot::default();
    let out = {
        let _pass = aws.gate_for_page().await;
        aws.ec2
            .describe_instances()
            .set_filters(Some(filters))
            .max_results(size)
            .set_next_token(token)
            .customize()
            .interceptor(Divert::<PageReader>(slot.clone()))
            .send()
            .await
            .map_err(|e| aws.explain("ec2:DescribeInstances", e))?
    };
    match slot.take() {
        Some(page) => {
            let page = page.map_err(|detail| Error::Aws {
                operation: "DescribeInstances",
                detail: format!("could not read the response: {detail}"),
            })?;
            Ok((page.rows, page.next_token))
        }
        // Not diverted (an SDK that deserialized on its own): use its model.
        None => {
            let rows = out
                .reservations()
                .iter()
                .flat_map(|r| r.instances())
                .map(to_row)
                .collect();
            let next = out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_owned);
            Ok((rows, next))
        }
    }
}

/// The region's zones where instances can be: its Availability Zones and the Local and
/// Wavelength Zones the account opted in to.
async fn zones(aws: &Aws) -> Result<Vec<String>> {
    let out = {
        let _pass = aws.gate().await;
        aws.ec2
            .describe_availability_zones()
            .all_availability_zones(true)
            .send()
            .await
            .map_err(|e| aws.explain("ec2:DescribeAvailabilityZones", e))?
    };
    Ok(out
        .availability_zones()
        .iter()
        .filter(|z| {
            z.opt_in_status()
                .is_none_or(|s| s.as_str() != "not-opted-in")
        })
        .filter_map(|z| z.zone_name().map(str::to_owned))
        .collect())
}

/// Every matching instance, all pages.
pub(super) async fn describe_all(
    aws: &Aws,
    filters: Vec<(String, Vec<String>)>,
) -> Result<Vec<Instance>> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    // A lookup (by id, by Name) is a page or two: no zones asked for.
    chain(aws, &filters, MAX_PAGE, None, &tx, None).await?;
    drop(tx);
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
    let mut row = Instance::new(i.instance_id().unwrap_or_default());
    if let Some(state) = i.state().and_then(|s| s.name()) {
        row.state = state.as_str().to_owned();
    }
    row.name = tags.get("Name").map(str::to_owned);
    row.private_ip = i.private_ip_address().map(str::to_owned);
    row.platform = i
        .platform_details()
        .map(str::to_owned)
        .or_else(|| i.platform().map(|p| p.as_str().to_owned()));
    row.availability_zone = i
        .placement()
        .and_then(|p| p.availability_zone())
        .map(str::to_owned);
    row.launch_time = i
        .launch_time()
        .and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok());
    row.tags = tags;
    row
}

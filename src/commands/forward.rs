//! `ssmgo forward TARGET LOCAL:REMOTE [--to HOST]`: port forwarding through Session Manager,
//! with the same target resolution and pre-check as a shell.

use std::collections::BTreeMap;

use crate::cli::ForwardArgs;
use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::launch::{self, Plan};
use crate::session::Request;

/// AWS-owned documents: their ARNs have an empty account field, which the pre-check knows.
pub const TO_INSTANCE: &str = "AWS-StartPortForwardingSession";
pub const TO_REMOTE_HOST: &str = "AWS-StartPortForwardingSessionToRemoteHost";

pub async fn run(ctx: &Ctx, args: ForwardArgs) -> Result<()> {
    let (local, remote) = parse_ports(&args.ports)?;
    let mut parameters = BTreeMap::from([
        ("portNumber".to_owned(), vec![remote.to_string()]),
        ("localPortNumber".to_owned(), vec![local.to_string()]),
    ]);
    let document = match &args.to {
        Some(host) => {
            validate_host(host)?;
            parameters.insert("host".into(), vec![host.clone()]);
            TO_REMOTE_HOST
        }
        None => TO_INSTANCE,
    };
    let mut template = Request::new(
        String::new(),
        Some(document.to_owned()),
        None,
        args.session.reason.clone(),
    )?;
    template.parameters = Some(parameters);
    let tags = ctx.settings.tags_or(&args.filter.tags);
    let destination = args.to.as_deref().unwrap_or("the instance").to_owned();
    let mut plan = Plan::interactive(Some(args.target), tags, template, args.session);
    plan.interrupt_ends_it = true;
    plan.purpose = format!(
        "port forwarding from localhost:{local} to {destination}:{remote} (Ctrl-C ends it)"
    );
    launch::start(&ctx.settings, ctx.verbose, plan).await
}

/// "8080:80" → (8080, 80); "5432" → (5432, 5432).
pub fn parse_ports(spec: &str) -> Result<(u16, u16)> {
    let bad = |reason: &str| Error::BadInput {
        what: "ports",
        value: spec.to_owned(),
        reason: format!(
            "{reason}; write LOCAL_PORT:REMOTE_PORT (e.g. 8080:80) or one PORT for both"
        ),
    };
    let port = |s: &str| match s.trim().parse::<u16>() {
        Ok(0) | Err(_) => Err(bad(&format!("{s:?} is not a port (1 to 65535)"))),
        Ok(p) => Ok(p),
    };
    match spec.split_once(':') {
        Some((l, r)) => Ok((port(l)?, port(r)?)),
        None => {
            let p = port(spec)?;
            Ok((p, p))
        }
    }
}

/// A host name or IP address as the instance will resolve it: no spaces, quotes or controls.
fn validate_host(host: &str) -> Result<()> {
    let ok = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'));
    if ok {
        Ok(())
    } else {
        Err(Error::BadInput {
            what: "--to",
            value: host.to_owned(),
            reason: "give a host name or IP address, e.g. db.internal or 10.0.1.5".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_local_colon_remote_or_one_for_both() {
        assert_eq!(parse_ports("8080:80").unwrap(), (8080, 80));
        assert_eq!(parse_ports("5432").unwrap(), (5432, 5432));
        for bad in ["", "0", "80:", ":80", "70000", "a:b", "80:80:80"] {
            assert_eq!(parse_ports(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn remote_hosts_are_names_or_addresses() {
        assert!(validate_host("db.internal").is_ok());
        assert!(validate_host("10.0.1.5").is_ok());
        assert!(validate_host("fd00::1").is_ok());
        assert!(validate_host("a b").is_err());
        assert!(validate_host("x;rm").is_err());
    }
}

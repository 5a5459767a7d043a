//! `ssmgo forward TARGET LOCAL:[HOST:]REMOTE... [--to HOST]`: port forwarding through Session
//! Manager, with the same target resolution and pre-check as a shell; several tunnels at once,
//! each kept up (started again when its session ends) until Ctrl-C.

use std::collections::BTreeMap;

use crate::cli::{ForwardArgs, SessionArgs};
use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::launch::{self, Plan, SessionTarget};
use crate::session::SessionSpec;

/// AWS-owned documents: their ARNs have an empty account field, which the pre-check knows.
pub const TO_INSTANCE: &str = "AWS-StartPortForwardingSession";
pub const TO_REMOTE_HOST: &str = "AWS-StartPortForwardingSessionToRemoteHost";

pub async fn run(ctx: &Ctx, args: ForwardArgs) -> Result<()> {
    let target = SessionTarget::parse(&args.target);
    let mappings = parse_mappings(&args.mappings, args.to.as_deref())?;
    let tags = ctx.settings.tags_or(&args.filter.tags);
    // Several tunnels go to one instance: TARGET is resolved once (a query opens one picker),
    // and each tunnel's sessions go to it where it was found.
    let (target, found_in) = match mappings.len() {
        1 => (target, None),
        _ => {
            let (id, scope) =
                launch::resolve_once(&ctx.settings, ctx.verbose, &target, &tags).await?;
            (SessionTarget::Given(id), Some(scope))
        }
    };
    let plans = mappings
        .iter()
        .map(|m| {
            let reconnect = !args.no_reconnect && ctx.settings.forward_reconnect.value;
            let mut plan = plan_for(m, &target, &tags, &args.session, reconnect)?;
            plan.found_in = found_in.clone();
            Ok(plan)
        })
        .collect::<Result<Vec<Plan>>>()?;
    let locals: Vec<u16> = mappings.iter().map(|m| m.local).collect();
    let tunnels = plans
        .into_iter()
        .map(|plan| {
            let purpose = plan.purpose.clone();
            (purpose, launch::start(&ctx.settings, ctx.verbose, plan))
        })
        .collect();
    let keep_alive = args.keep_alive.or(ctx.settings.forward_keep_alive.value);
    launch::run_tunnels(tunnels, &locals, keep_alive).await
}

/// One tunnel: LOCAL, and REMOTE on the instance or on HOST as the instance resolves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub local: u16,
    pub host: Option<String>,
    pub remote: u16,
}

/// The mappings given, each checked (`--to` first) before anything is sent to AWS.
pub fn parse_mappings(mappings: &[String], to: Option<&str>) -> Result<Vec<Mapping>> {
    if let Some(host) = to {
        validate_host(host)?;
    }
    mappings.iter().map(|m| parse_mapping(m, to)).collect()
}

/// The session that carries `m`.
fn plan_for(
    m: &Mapping,
    target: &SessionTarget,
    tags: &[String],
    session: &SessionArgs,
    reconnect: bool,
) -> Result<Plan> {
    let spec = tunnel_spec(m, session.reason.clone())?;
    let mut plan = Plan::interactive(Some(target.clone()), tags.to_vec(), spec, session.clone());
    plan.interrupt_ends_it = true;
    plan.reconnect = reconnect && !session.dry_run;
    plan.purpose = purpose(m, "the instance");
    Ok(plan)
}

/// "port forwarding from localhost:L to HOST:R (Ctrl-C ends it)"; `target` names where a mapping
/// without a host goes.
pub fn purpose(m: &Mapping, target: &str) -> String {
    let destination = m.host.as_deref().unwrap_or(target);
    format!(
        "port forwarding from localhost:{} to {destination}:{} (Ctrl-C ends it)",
        m.local, m.remote
    )
}

/// The StartSession document and parameters of one tunnel, to the target itself or through it to
/// a host it reaches (an instance's or an ECS container's: the same documents).
pub fn tunnel_spec(m: &Mapping, reason: Option<String>) -> Result<SessionSpec> {
    let mut parameters = BTreeMap::from([
        ("portNumber".to_owned(), vec![m.remote.to_string()]),
        ("localPortNumber".to_owned(), vec![m.local.to_string()]),
    ]);
    let document = match &m.host {
        Some(host) => {
            parameters.insert("host".into(), vec![host.clone()]);
            TO_REMOTE_HOST
        }
        None => TO_INSTANCE,
    };
    let mut spec = SessionSpec::new(Some(document.to_owned()), None, reason)?;
    spec.parameters = Some(parameters);
    Ok(spec)
}

/// "8080:80", "5432" (both), "5432:db.internal:5432" or "5432:[fd00::1]:5432" (through the
/// instance to a host it reaches); `to` is the host for mappings that name none (`--to`).
pub fn parse_mapping(spec: &str, to: Option<&str>) -> Result<Mapping> {
    let bad = |reason: &str| {
        Error::BadInput {
        what: "LOCAL:[HOST:]REMOTE",
        value: spec.to_owned(),
        reason: format!(
            "{reason}; write LOCAL_PORT:REMOTE_PORT (e.g. 8080:80), one PORT for both, or LOCAL_PORT:HOST:REMOTE_PORT"
        ),
    }
    };
    let port = |s: &str| match s.trim().parse::<u16>() {
        Ok(0) | Err(_) => Err(bad(&format!("{s:?} is not a port (1 to 65535)"))),
        Ok(p) => Ok(p),
    };
    let Some((local, rest)) = spec.split_once(':') else {
        let p = port(spec)?;
        return Ok(Mapping {
            local: p,
            host: to.map(str::to_owned),
            remote: p,
        });
    };
    let (host, remote) = match rest.rsplit_once(':') {
        Some((host, remote)) => {
            let host = host.trim_start_matches('[').trim_end_matches(']');
            validate_host(host)
                .map_err(|_| bad(&format!("{host:?} is not a host name or address")))?;
            (Some(host.to_owned()), remote)
        }
        None => (to.map(str::to_owned), rest),
    };
    Ok(Mapping {
        local: port(local)?,
        host,
        remote: port(remote)?,
    })
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
    fn mappings_are_local_host_remote_with_parts_left_out() {
        let m = |local, host: Option<&str>, remote| Mapping {
            local,
            host: host.map(str::to_owned),
            remote,
        };
        assert_eq!(parse_mapping("8080:80", None).unwrap(), m(8080, None, 80));
        assert_eq!(parse_mapping("5432", None).unwrap(), m(5432, None, 5432));
        assert_eq!(
            parse_mapping("5432:db.internal:5433", None).unwrap(),
            m(5432, Some("db.internal"), 5433)
        );
        assert_eq!(
            parse_mapping("5432:[fd00::1]:5432", None).unwrap(),
            m(5432, Some("fd00::1"), 5432)
        );
        assert_eq!(
            parse_mapping("8080:80", Some("web.internal")).unwrap(),
            m(8080, Some("web.internal"), 80)
        );
        for bad in ["", "0", "80:", ":80", "70000", "a:b", "80:a b:80", "80::80"] {
            assert_eq!(
                parse_mapping(bad, None).unwrap_err().exit_code(),
                2,
                "{bad}"
            );
        }
    }

    #[test]
    fn a_tunnel_is_the_port_forwarding_document_with_its_parameters() {
        let spec = tunnel_spec(&parse_mapping("8080:80", None).unwrap(), None).unwrap();
        assert_eq!(spec.document.as_deref(), Some(TO_INSTANCE));
        let p = spec.parameters.unwrap();
        assert_eq!(p["portNumber"], ["80"]);
        assert_eq!(p["localPortNumber"], ["8080"]);
        assert!(!p.contains_key("host"));
        let m = parse_mapping("5432", Some("db.internal")).unwrap();
        let spec = tunnel_spec(&m, Some("debugging".into())).unwrap();
        assert_eq!(spec.document.as_deref(), Some(TO_REMOTE_HOST));
        assert_eq!(spec.parameters.unwrap()["host"], ["db.internal"]);
        assert_eq!(spec.reason.as_deref(), Some("debugging"));
        assert_eq!(
            purpose(&m, "the container"),
            "port forwarding from localhost:5432 to db.internal:5432 (Ctrl-C ends it)"
        );
        assert_eq!(
            purpose(&parse_mapping("80", None).unwrap(), "the container"),
            "port forwarding from localhost:80 to the container:80 (Ctrl-C ends it)"
        );
        // --to is checked before any mapping.
        let err = parse_mappings(&["80".into()], Some("a b")).unwrap_err();
        assert_eq!(err.exit_code(), 2);
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

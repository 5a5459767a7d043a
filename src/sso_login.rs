//! An expired SSO session, mended in place: on a terminal, with the AWS CLI installed, ssmgo
//! offers to run `aws sso login --profile P` (no shell involved) and then tries once more.
//! Without a terminal the error says which command to run, as before.
//!
//! The AWS layer only reports the expired session ([`Error::SsoLoginNeeded`]); asking the user
//! is decided here, above it, by whoever loads a configuration with a person at hand.

use std::collections::HashSet;
use std::sync::Mutex;

use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::output::{can_ask, sanitize::Untrusted};
use crate::settings::ScopeSettings;

/// [`Aws::load`], with an expired SSO session's login offered on a terminal and, when it ran,
/// tried once more.
pub async fn load_aws(scope: &ScopeSettings, verbose: bool) -> Result<Aws> {
    match Aws::load(scope, verbose).await {
        Err(Error::SsoLoginNeeded { profile, detail }) => {
            if offer_login(&profile).await? {
                Aws::load(scope, verbose).await
            } else {
                Err(Error::SsoLoginNeeded { profile, detail })
            }
        }
        other => other,
    }
}

/// Profiles whose login was offered in this run: offered once, even when several regions of the
/// profile load at the same time.
static OFFERED: Mutex<Option<HashSet<String>>> = Mutex::new(None);

/// One question on the terminal at a time, when several profiles load at once.
static ASKING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Offers the login for `profile` and runs it; true when it ran and succeeded (worth trying the
/// credentials again).
async fn offer_login(profile: &str) -> Result<bool> {
    {
        let mut offered = OFFERED.lock().unwrap_or_else(|e| e.into_inner());
        if !offered
            .get_or_insert_with(HashSet::new)
            .insert(profile.to_owned())
        {
            return Ok(false);
        }
    }
    if !can_ask() {
        return Ok(false);
    }
    let Ok(aws_cli) = which::which("aws") else {
        return Ok(false);
    };
    let profile = profile.to_owned();
    let _asking = ASKING.lock().await;
    let prompt = format!(
        "The SSO session of profile {} has expired. Run `aws sso login --profile {}` now?",
        Untrusted(&profile),
        Untrusted(&profile)
    );
    let yes = crate::output::terminal::ask(move || {
        dialoguer::Confirm::new()
            .with_prompt(prompt)
            .default(true)
            .interact_opt()
    })
    .await?
    .unwrap_or(false);
    if !yes {
        return Ok(false);
    }
    // Off the runtime's thread, so that a stop signal is heard meanwhile (the listener then
    // passes it to `aws` too).
    let ran = tokio::task::spawn_blocking(move || -> Result<bool> {
        let status = std::process::Command::new(&aws_cli)
            .args(["sso", "login", "--profile", &profile])
            .status()
            .map_err(|e| Error::io(format!("running {}", aws_cli.display()), e))?;
        Ok(status.success())
    })
    .await
    .map_err(|e| Error::io("asking about the SSO login", std::io::Error::other(e)))?;
    ran
}

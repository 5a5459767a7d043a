//! How many listing requests may be in flight: a bound for the whole run and a smaller one per
//! account, so that an organization's one huge account can't hold every slot while a hundred
//! small ones wait (tokio's semaphores queue waiters in order, so slots go round fairly).

use std::sync::Arc;

use tokio::sync::{Semaphore, SemaphorePermit};

/// Requests in flight for the whole run. AWS limits request rates per account and region, so
/// what keeps a listing clear of throttling is the per-account bound ([`ALONE`],
/// [`PER_ACCOUNT`]); this one bounds what the run holds at once (sockets, buffers) while an
/// organization's accounts are listed side by side.
pub const IN_FLIGHT: usize = 128;

/// Requests in flight for an account listed alone: enough to hide 50–100 ms round trips behind
/// one another, few enough to stay clear of AWS's request-rate limits (a throttled call backs
/// off and retries; see `retry`).
pub const ALONE: usize = 64;

/// DescribeInstances pages in flight for the whole run, within [`IN_FLIGHT`]. Pages are read
/// while they stream in (none is held whole), so this is no longer a memory bound: at 24, an
/// organization's 300 pages took 13 rounds of round trips (0.8 s of its 1.5 s at 50 ms).
pub const PAGES_IN_FLIGHT: usize = 96;

/// Requests in flight per account, when several accounts are listed (one alone may use the
/// run's whole bound).
pub const PER_ACCOUNT: usize = 32;

/// One account's share of the run's request slots.
#[derive(Debug, Clone)]
pub struct Gate {
    run: Arc<Semaphore>,
    pages: Arc<Semaphore>,
    account: Arc<Semaphore>,
    /// True when this account is the run's only one.
    alone: bool,
}

/// A request's two slots, given back when dropped.
pub struct Pass<'a> {
    _page: Option<SemaphorePermit<'a>>,
    _account: SemaphorePermit<'a>,
    _run: SemaphorePermit<'a>,
}

impl Gate {
    /// The run's gate, for its one account.
    pub fn new() -> Gate {
        Gate {
            run: Arc::new(Semaphore::new(IN_FLIGHT)),
            pages: Arc::new(Semaphore::new(PAGES_IN_FLIGHT)),
            account: Arc::new(Semaphore::new(ALONE)),
            alone: true,
        }
    }

    /// Whether the run lists this account alone (requests are then cheap next to round trips).
    pub fn alone(&self) -> bool {
        self.alone
    }

    /// One of several accounts' gates, within the same run's bound.
    pub fn for_another_account(&self) -> Gate {
        Gate {
            run: Arc::clone(&self.run),
            pages: Arc::clone(&self.pages),
            account: Arc::new(Semaphore::new(PER_ACCOUNT)),
            alone: false,
        }
    }

    /// Waits for a slot of the account, then one of the run.
    pub async fn enter(&self) -> Pass<'_> {
        self.enter_with(None).await
    }

    /// The same for a DescribeInstances page, which also takes one of the run's page slots.
    pub async fn enter_for_page(&self) -> Pass<'_> {
        self.enter_with(Some(&self.pages)).await
    }

    async fn enter_with<'a>(&'a self, page: Option<&'a Semaphore>) -> Pass<'a> {
        // No semaphore is ever closed.
        let page = match page {
            Some(pages) => Some(pages.acquire().await.expect("never closed")),
            None => None,
        };
        let account = self.account.acquire().await.expect("never closed");
        let run = self.run.acquire().await.expect("never closed");
        Pass {
            _page: page,
            _account: account,
            _run: run,
        }
    }
}

impl Default for Gate {
    fn default() -> Gate {
        Gate::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_account_never_holds_more_than_its_share_and_the_run_caps_all() {
        let wait = std::time::Duration::from_millis(50);
        let run = Gate::new();
        assert_eq!(run.account.available_permits(), ALONE, "one account alone");
        let accounts = IN_FLIGHT / PER_ACCOUNT;
        let gates: Vec<Gate> = (0..=accounts).map(|_| run.for_another_account()).collect();
        let mut held = Vec::new();
        for _ in 0..PER_ACCOUNT {
            held.push(gates[0].enter().await);
        }
        assert!(
            tokio::time::timeout(wait, gates[0].enter()).await.is_err(),
            "an account at its share waits"
        );
        // Another account still gets in while the first is at its share.
        let pass = tokio::time::timeout(wait, gates[1].enter())
            .await
            .expect("another account is not starved");
        drop(pass);
        for gate in &gates[1..accounts] {
            for _ in 0..PER_ACCOUNT {
                held.push(gate.enter().await);
            }
        }
        assert_eq!(run.run.available_permits(), 0);
        assert!(
            tokio::time::timeout(wait, gates[accounts].enter())
                .await
                .is_err(),
            "the run's bound holds across accounts"
        );
    }

    #[tokio::test]
    async fn pages_have_their_own_smaller_bound() {
        let run = Gate::new();
        let gates: Vec<Gate> = (0..IN_FLIGHT / PER_ACCOUNT)
            .map(|_| run.for_another_account())
            .collect();
        let mut held = Vec::new();
        for i in 0..PAGES_IN_FLIGHT {
            held.push(gates[i % gates.len()].enter_for_page().await);
        }
        let wait = std::time::Duration::from_millis(50);
        assert!(tokio::time::timeout(wait, gates[0].enter_for_page())
            .await
            .is_err());
        // Other requests still get in.
        assert!(tokio::time::timeout(wait, gates[0].enter()).await.is_ok());
    }
}

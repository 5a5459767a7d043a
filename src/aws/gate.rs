//! How many listing requests may be in flight: a bound for the whole run and a smaller one per
//! account, so that an organization's one huge account can't hold every slot while a hundred
//! small ones wait (tokio's semaphores queue waiters in order, so slots go round fairly).

use std::sync::Arc;

use tokio::sync::{Semaphore, SemaphorePermit};

/// Requests in flight for the whole run: enough to hide 50–100 ms round trips behind one
/// another, few enough to stay clear of AWS's request-rate limits (a throttled call backs off
/// and retries; see `retry`).
pub const IN_FLIGHT: usize = 64;

/// Requests in flight per account, when several accounts are listed (one alone may use the
/// run's whole bound).
pub const PER_ACCOUNT: usize = 32;

/// One account's share of the run's request slots.
#[derive(Debug, Clone)]
pub struct Gate {
    run: Arc<Semaphore>,
    account: Arc<Semaphore>,
    /// True when this account is the run's only one.
    alone: bool,
}

/// A request's two slots, given back when dropped.
pub struct Pass<'a> {
    _account: SemaphorePermit<'a>,
    _run: SemaphorePermit<'a>,
}

impl Gate {
    /// The run's gate, for its one account.
    pub fn new() -> Gate {
        Gate {
            run: Arc::new(Semaphore::new(IN_FLIGHT)),
            account: Arc::new(Semaphore::new(IN_FLIGHT)),
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
            account: Arc::new(Semaphore::new(PER_ACCOUNT)),
            alone: false,
        }
    }

    /// Waits for a slot of the account, then one of the run.
    pub async fn enter(&self) -> Pass<'_> {
        // Neither semaphore is ever closed.
        let account = self.account.acquire().await.expect("never closed");
        let run = self.run.acquire().await.expect("never closed");
        Pass {
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
        let run = Gate::new();
        assert_eq!(
            run.account.available_permits(),
            IN_FLIGHT,
            "one account: all of it"
        );
        let first = run.for_another_account();
        let others: Vec<Gate> = (0..3).map(|_| run.for_another_account()).collect();
        let mut held = Vec::new();
        for _ in 0..PER_ACCOUNT {
            held.push(first.enter().await);
        }
        assert_eq!(first.account.available_permits(), 0);
        assert_eq!(first.run.available_permits(), IN_FLIGHT - PER_ACCOUNT);
        // Another account still gets in while the first is at its limit.
        let pass = tokio::time::timeout(std::time::Duration::from_millis(50), others[0].enter())
            .await
            .expect("another account is not starved");
        drop(pass);
        for other in &others[..1] {
            for _ in 0..PER_ACCOUNT {
                held.push(other.enter().await);
            }
        }
        assert_eq!(first.run.available_permits(), 0);
        let blocked =
            tokio::time::timeout(std::time::Duration::from_millis(50), others[2].enter()).await;
        assert!(blocked.is_err(), "the run's bound holds across accounts");
    }
}

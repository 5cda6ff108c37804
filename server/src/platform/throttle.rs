//! Rate limits per client for answers that cost the gateway real work or bandwidth (a delta
//! not built yet, the whole catalog). Cheap answers (a `304`, a delta already built, the
//! profile) are never limited, so many residents behind one carrier-grade NAT address still
//! sync. GCRA through `governor`, keyed by [`ClientKey`].

use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::platform::client::ClientKey;

/// Checks between sweeps of clients whose allowance has fully refilled (they cost memory).
const SWEEP_EVERY: u64 = 4096;

#[derive(Debug, Clone)]
pub struct Throttle {
    limiter: Arc<DefaultKeyedRateLimiter<ClientKey>>,
    checks: Arc<AtomicU64>,
}

impl Throttle {
    /// `burst` answers at once, then one every `every`.
    pub fn new(burst: u32, every: Duration) -> Self {
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(every)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst);
        Self {
            limiter: Arc::new(RateLimiter::keyed(quota)),
            checks: Arc::new(AtomicU64::new(0)),
        }
    }

    /// `Ok` if `client` may have one more answer now, else how long until it may. A request
    /// whose client is unknown (not through the accept loop) is not limited.
    pub fn check(&self, client: Option<ClientKey>) -> Result<(), Duration> {
        let Some(client) = client else {
            return Ok(());
        };
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&client)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_burst_then_waits_and_others_are_unaffected() {
        let throttle = Throttle::new(3, Duration::from_secs(60));
        let a = Some(ClientKey::of([192, 0, 2, 1].into()));
        let b = Some(ClientKey::of([192, 0, 2, 2].into()));
        for _ in 0..3 {
            assert_eq!(throttle.check(a), Ok(()));
        }
        let wait = throttle.check(a).expect_err("over the burst");
        assert!(
            wait > Duration::from_secs(50) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        assert_eq!(
            throttle.check(b),
            Ok(()),
            "another client keeps its own allowance"
        );
        assert_eq!(throttle.check(None), Ok(()));
    }

    #[test]
    fn allowance_comes_back_with_time() {
        let throttle = Throttle::new(1, Duration::from_millis(50));
        let a = Some(ClientKey::of([192, 0, 2, 1].into()));
        assert_eq!(throttle.check(a), Ok(()));
        assert!(throttle.check(a).is_err());
        std::thread::sleep(Duration::from_millis(80));
        assert_eq!(throttle.check(a), Ok(()));
    }
}

//! What a component holds of the scheduler it syncs under: the gateway (if any) and a way to
//! ask for a round now. Made before the components and handed to each and to the
//! [`Scheduler`](crate::Scheduler), so a component's flows (queue a report, watch the buses)
//! need no facade in between.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use crate::Gateway;

#[derive(Debug, Clone)]
pub struct Link {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    gateway: Option<Gateway>,
    /// Set by [`Link::wake`]: a sleeping round loop starts at once.
    woken: Mutex<bool>,
    wake_up: Condvar,
}

impl Link {
    /// `None`: no gateway configured; rounds do nothing and flows that need one say so.
    pub fn new(gateway: Option<Gateway>) -> Self {
        Self {
            inner: Arc::new(Inner {
                gateway,
                woken: Mutex::new(false),
                wake_up: Condvar::new(),
            }),
        }
    }

    pub fn gateway(&self) -> Option<&Gateway> {
        self.inner.gateway.as_ref()
    }

    /// Starts a round now in a sleeping scheduler loop (a report was just queued).
    pub fn wake(&self) {
        *self
            .inner
            .woken
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = true;
        self.inner.wake_up.notify_all();
    }

    /// Waits `wait`, or less when woken; either way the wake is used up.
    pub(crate) fn sleep(&self, wait: Duration) {
        let woken = self
            .inner
            .woken
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (mut woken, _) = self
            .inner
            .wake_up
            .wait_timeout_while(woken, wait, |woken| !*woken)
            .unwrap_or_else(PoisonError::into_inner);
        *woken = false;
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    #[test]
    fn a_wake_cuts_a_sleep_short_and_is_used_up() {
        let link = Link::new(None);
        let other = link.clone();
        let started = Instant::now();
        let waker = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            other.wake();
        });
        link.sleep(Duration::from_secs(30));
        assert!(started.elapsed() < Duration::from_secs(10));
        waker.join().expect("waker");
        let again = Instant::now();
        link.sleep(Duration::from_millis(100));
        assert!(
            again.elapsed() >= Duration::from_millis(100),
            "the wake was used"
        );
    }
}

//! The one sync scheduler: every component that keeps data from the gateway, in order,
//! once at start, then every interval, and when someone asks. The desktop host and the CLI
//! run this same code.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use civic_types::sync::{ComponentSyncStatus, SyncReport, SyncState};

use crate::{Gateway, Link, SyncComponent, SyncError};

/// After failing to reach the gateway, try again sooner: rural coverage comes and goes.
pub const OFFLINE_RETRY: Duration = Duration::from_secs(5 * 60);
/// Progress is reported at most this often: enough for a smooth bar, cheap over IPC.
const PROGRESS_EVERY: Duration = Duration::from_millis(150);

/// What one component did in a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentSync {
    pub component: &'static str,
    pub report: SyncReport,
}

#[derive(Debug)]
struct Live {
    /// The round as a whole: what the status line shows.
    round: SyncState,
    /// One per component, in order.
    components: Vec<SyncState>,
}

#[derive(Debug)]
pub struct Scheduler {
    link: Link,
    components: Vec<Arc<dyn SyncComponent>>,
    live: Mutex<Live>,
    /// Serialises rounds: the timer and the button must not race.
    running: Mutex<()>,
}

impl Scheduler {
    /// `components` sync in this order (the city profile first: the others read it).
    /// `link` is the one the components were given.
    pub fn new(link: Link, components: Vec<Arc<dyn SyncComponent>>) -> Self {
        let live = Live {
            round: SyncState::Idle,
            components: vec![SyncState::Idle; components.len()],
        };
        Self {
            link,
            components,
            live: Mutex::new(live),
            running: Mutex::new(()),
        }
    }

    pub fn gateway(&self) -> Option<&Gateway> {
        self.link.gateway()
    }

    /// The round's live state (idle, syncing with progress, offline, failed).
    pub fn state(&self) -> SyncState {
        self.live().round.clone()
    }

    /// Each component's live state and freshness at `now`.
    pub fn components(&self, now: i64) -> Vec<ComponentSyncStatus> {
        let states = self.live().components.clone();
        self.components
            .iter()
            .zip(states)
            .map(|(component, state)| {
                let freshness = component.freshness(now).ok();
                ComponentSyncStatus {
                    component: component.name().to_owned(),
                    state,
                    last_checked: freshness.and_then(|f| f.last_checked),
                    stale: freshness.is_none_or(|f| f.stale),
                }
            })
            .collect()
    }

    fn live(&self) -> std::sync::MutexGuard<'_, Live> {
        self.live.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set(&self, index: Option<usize>, state: SyncState, changed: &dyn Fn()) {
        {
            let mut live = self.live();
            if let Some(slot) = index.and_then(|i| live.components.get_mut(i)) {
                *slot = state.clone();
            }
            live.round = state;
        }
        changed();
    }

    /// One round: each component in order, every one tried even when an earlier one
    /// failed (a report waiting to be sent must not wait on the catalog; the feedback back
    /// office may be another server). The round's outcome is its first failure, else the
    /// components' reports. `changed` is called on every state change, progress included.
    /// `None` when no gateway is configured.
    pub fn sync_once(
        &self,
        now: &dyn Fn() -> i64,
        changed: &dyn Fn(),
    ) -> Option<Result<Vec<ComponentSync>, SyncError>> {
        let gateway = self.link.gateway()?;
        let _running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        let mut done = Vec::with_capacity(self.components.len());
        let mut failure: Option<(SyncError, SyncState)> = None;
        for (index, component) in self.components.iter().enumerate() {
            let syncing = SyncState::Syncing {
                received: 0,
                total: None,
            };
            self.set(Some(index), syncing, changed);
            let mut last_event = Instant::now();
            let result = component.sync(gateway, now(), &mut |received, total| {
                // Throttled, but the last chunk always shows: the bar reaches its end.
                if last_event.elapsed() >= PROGRESS_EVERY || total == Some(received) {
                    last_event = Instant::now();
                    self.set(Some(index), SyncState::Syncing { received, total }, changed);
                }
            });
            match result {
                Ok(report) => {
                    tracing::info!(component = component.name(), outcome = ?report.outcome, bytes = report.bytes, "synced");
                    self.set(Some(index), SyncState::Idle, changed);
                    done.push(ComponentSync {
                        component: component.name(),
                        report,
                    });
                }
                Err(error) => {
                    let state = if error.is_offline() {
                        tracing::info!(component = component.name(), %error, "gateway unreachable; working offline");
                        SyncState::Offline
                    } else {
                        tracing::warn!(component = component.name(), %error, "sync failed");
                        SyncState::Failed { code: error.code() }
                    };
                    self.set(Some(index), state.clone(), changed);
                    if failure.is_none() {
                        failure = Some((error, state));
                    }
                }
            }
        }
        match failure {
            Some((error, state)) => {
                self.set(None, state, changed);
                Some(Err(error))
            }
            None => {
                self.set(None, SyncState::Idle, changed);
                Some(Ok(done))
            }
        }
    }

    /// Rounds for the life of the process: now, then every `interval()` (read again after
    /// each round: a new city profile may change it), sooner after an offline round or a busy
    /// gateway, when a component wants one (`next_due`: a queued report's retry), or when
    /// [`Scheduler::wake`] is called. Returns at once when no gateway is configured.
    pub fn run(&self, interval: &dyn Fn() -> Duration, now: &dyn Fn() -> i64, changed: &dyn Fn()) {
        loop {
            let offline = match self.sync_once(now, changed) {
                None => return,
                Some(result) => result.is_err_and(|e| e.is_transient()),
            };
            let interval = interval();
            let mut wait = if offline {
                interval.min(OFFLINE_RETRY)
            } else {
                interval
            };
            if let Some(soonest) = self.soonest_due(now()) {
                wait = wait.min(soonest);
            }
            self.sleep(wait);
        }
    }

    /// How long until the earliest moment a component asked for (at least a second).
    pub fn soonest_due(&self, now: i64) -> Option<Duration> {
        self.components
            .iter()
            .filter_map(|c| c.next_due(now))
            .min()
            .map(|due| Duration::from_secs(u64::try_from(due - now).unwrap_or(0).max(1)))
    }

    fn sleep(&self, wait: Duration) {
        self.link.sleep(wait);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::atomic::{AtomicU32, Ordering};

    use civic_types::sync::SyncReport;

    use super::*;
    use crate::{Freshness, SyncComponent};

    /// A component that fails offline, or succeeds, and counts its rounds.
    #[derive(Debug)]
    struct Counted {
        name: &'static str,
        offline: bool,
        rounds: AtomicU32,
    }

    impl SyncComponent for Counted {
        fn name(&self) -> &'static str {
            self.name
        }
        fn sync(
            &self,
            _gateway: &Gateway,
            _now: i64,
            _progress: &mut dyn FnMut(u64, Option<u64>),
        ) -> Result<SyncReport, SyncError> {
            self.rounds.fetch_add(1, Ordering::SeqCst);
            if self.offline {
                Err(SyncError::Offline("no route".into()))
            } else {
                Ok(SyncReport::unchanged(0))
            }
        }
        fn freshness(&self, _now: i64) -> Result<Freshness, SyncError> {
            Ok(Freshness {
                last_checked: None,
                stale: true,
            })
        }
    }

    #[test]
    fn a_failing_component_does_not_keep_the_others_from_their_turn() {
        let component = |name, offline| {
            Arc::new(Counted {
                name,
                offline,
                rounds: AtomicU32::new(0),
            })
        };
        let (catalog, outbox) = (component("catalog", true), component("outbox", false));
        let scheduler = Scheduler::new(
            Link::new(Some(Gateway::new("http://127.0.0.1:9").unwrap())),
            vec![Arc::clone(&catalog) as _, Arc::clone(&outbox) as _],
        );
        let round = scheduler.sync_once(&|| 0, &|| {}).unwrap();
        // The round reports the first failure, and says so as its state…
        assert!(matches!(round, Err(SyncError::Offline(_))), "{round:?}");
        assert_eq!(scheduler.state(), SyncState::Offline);
        // …but every component had its turn.
        assert_eq!(catalog.rounds.load(Ordering::SeqCst), 1);
        assert_eq!(outbox.rounds.load(Ordering::SeqCst), 1);
    }
}

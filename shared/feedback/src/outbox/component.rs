//! The outbox's part of a sync round: send what is due, then ask how sent reports are
//! doing. Where reports go comes from the city profile (`[feedback]`), read through
//! `civic_city::City`; a city without it takes no reports and the round skips this part.

use std::sync::{Arc, Mutex, PoisonError};

use civic_sync::{Freshness, Gateway, SyncComponent, SyncError};
use civic_types::sync::{SyncOutcome, SyncReport};

use super::{FeedbackError, Outbox, Target};
use crate::{Endpoint, Format, Open311Error};

#[derive(Debug)]
pub struct FeedbackSync {
    outbox: Arc<Outbox>,
    city: Arc<civic_city::City>,
    /// The signed-in resident's eID subject: their reports from other devices are fetched.
    account: Mutex<Option<String>>,
    last_checked: Mutex<Option<i64>>,
}

impl FeedbackSync {
    pub fn new(outbox: Arc<Outbox>, city: Arc<civic_city::City>) -> Self {
        Self {
            outbox,
            city,
            account: Mutex::new(None),
            last_checked: Mutex::new(None),
        }
    }

    pub fn outbox(&self) -> &Arc<Outbox> {
        &self.outbox
    }

    /// Who is signed in now (`None`: nobody).
    pub fn set_account(&self, account: Option<String>) {
        *self.account.lock().unwrap_or_else(PoisonError::into_inner) = account;
    }

    pub fn account(&self) -> Option<String> {
        self.account
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Where reports go for a gateway at `gateway_address`, per the city profile held;
    /// `None` when the city takes no reports (or no profile has arrived).
    pub fn target(&self, gateway_address: &str) -> Option<Result<Target, FeedbackError>> {
        let profile = self.city.profile()?;
        let feedback = profile.feedback?;
        let address = feedback
            .endpoint
            .unwrap_or_else(|| format!("{}/open311/v2", gateway_address.trim_end_matches('/')));
        Some(
            Endpoint::new(&address, Format::Json)
                .map(|endpoint| Target {
                    endpoint,
                    api_key: feedback.api_key,
                    due_working_days: feedback.due_working_days,
                    zone: self.city.time_zone(),
                })
                .map_err(FeedbackError::from),
        )
    }
}

fn sync_error(error: FeedbackError) -> SyncError {
    match error {
        FeedbackError::Open311(Open311Error::Offline(detail)) => SyncError::Offline(detail),
        FeedbackError::Open311(Open311Error::NotEncrypted(address)) => {
            SyncError::NotEncrypted(address)
        }
        FeedbackError::Open311(Open311Error::BadAddress(address)) => SyncError::BadAddress(address),
        FeedbackError::Open311(Open311Error::Refused { status, errors }) => SyncError::Gateway {
            status,
            code: "open311".into(),
            message: errors
                .first()
                .map(|e| e.description.clone())
                .unwrap_or_default(),
        },
        FeedbackError::Open311(other) => SyncError::BadResponse(other.to_string()),
        other => SyncError::Store(Box::new(other)),
    }
}

impl SyncComponent for FeedbackSync {
    fn name(&self) -> &'static str {
        "feedback"
    }

    fn sync(
        &self,
        gateway: &Gateway,
        now: i64,
        _progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> Result<SyncReport, SyncError> {
        let Some(target) = self.target(gateway.address()) else {
            return Ok(SyncReport::unchanged(0));
        };
        let target = target.map_err(sync_error)?;
        let round = self.outbox.send_due(&target, now).map_err(sync_error)?;
        let fetched = self
            .outbox
            .refresh_services(&target, now)
            .map_err(sync_error)?;
        let changed = self
            .outbox
            .refresh(&target, self.account().as_deref(), now)
            .map_err(sync_error)?;
        *self
            .last_checked
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(now);
        let mut report = SyncReport::unchanged(0);
        if round.sent + round.refused > 0 || !changed.is_empty() || fetched {
            report.outcome = SyncOutcome::Delta;
        }
        report.added = round.sent;
        report.changed = u32::try_from(changed.len()).unwrap_or(u32::MAX);
        Ok(report)
    }

    fn freshness(&self, now: i64) -> Result<Freshness, SyncError> {
        let last_checked = *self
            .last_checked
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        Ok(Freshness {
            last_checked,
            stale: self.city.is_stale(last_checked, now),
        })
    }

    fn next_due(&self, _now: i64) -> Option<i64> {
        self.outbox.next_attempt().ok().flatten()
    }
}

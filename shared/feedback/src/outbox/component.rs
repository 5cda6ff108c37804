//! The feedback component: the outbox, the flows the front ends call (write a draft, queue,
//! send now, similar reports, follow, the page's overview, the commune picker), and its part
//! in a sync round: send what is due, then ask how sent reports are doing. Where reports go
//! comes from the city profile (`[feedback]`), read through `civic_city::City`; a city
//! without it takes no reports and the round skips this part.

use std::path::Path;
use std::sync::{Mutex, PoisonError};

use civic_sync::{Freshness, Gateway, Link, SyncComponent, SyncError};
use civic_types::feedback::{
    CommuneChoice, FeedbackOverview, ReportDraft, ReportView, ServiceRequest, SimilarReport,
};
use civic_types::sync::{SyncOutcome, SyncReport};

use super::{FeedbackError, Outbox, SendRound, Target};
use crate::{Endpoint, Format, Open311Error, Places};

/// The file the component keeps in the data folder.
pub const FEEDBACK_FILE: &str = "feedback.sqlite3";
/// A city that names no promise answers within this many working days.
const DEFAULT_DUE_WORKING_DAYS: u32 = 3;

#[derive(Debug)]
pub struct Feedback {
    outbox: Outbox,
    city: std::sync::Arc<civic_city::City>,
    link: Link,
    /// The signed-in resident's eID subject: their reports from other devices are fetched.
    account: Mutex<Option<String>>,
    last_checked: Mutex<Option<i64>>,
}

/// A draft written: its number here, and whether it was filed under an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    pub id: i64,
    pub under_account: bool,
}

impl Feedback {
    /// Opens the component's file in `data_dir`.
    pub fn open(
        data_dir: &Path,
        city: std::sync::Arc<civic_city::City>,
        link: Link,
    ) -> Result<Self, FeedbackError> {
        Ok(Self {
            outbox: Outbox::open(&data_dir.join(FEEDBACK_FILE))?,
            city,
            link,
            account: Mutex::new(None),
            last_checked: Mutex::new(None),
        })
    }

    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    /// Where reports go now, per the city profile (`None`: no gateway, or the city takes none).
    pub fn current_target(&self) -> Option<Result<Target, FeedbackError>> {
        self.target(self.link.gateway()?.address())
    }

    /// Writes a new draft, filed under `signed_in_as` (the resident's eID subject) unless
    /// they chose to stay anonymous.
    pub fn new_draft(
        &self,
        draft: &ReportDraft,
        signed_in_as: Option<String>,
        anonymous: bool,
    ) -> Result<Saved, FeedbackError> {
        let account = signed_in_as.filter(|_| !anonymous);
        let id = self
            .outbox
            .write_draft(draft, account.as_deref(), civic_time::now_unix())?;
        Ok(Saved {
            id,
            under_account: account.is_some(),
        })
    }

    /// Writes a new draft (`id` `None`, as [`Feedback::new_draft`]) or changes draft `id`
    /// (whoever it was filed under stays); the draft's number.
    pub fn save_draft(
        &self,
        id: Option<i64>,
        draft: &ReportDraft,
        signed_in_as: Option<String>,
        anonymous: bool,
    ) -> Result<i64, FeedbackError> {
        match id {
            Some(id) => self.outbox.edit_draft(id, draft).map(|()| id),
            None => Ok(self.new_draft(draft, signed_in_as, anonymous)?.id),
        }
    }

    /// Puts a finished draft in the queue and asks for a round to send it now.
    pub fn queue(&self, id: i64) -> Result<(), FeedbackError> {
        self.outbox.queue(id)?;
        self.link.wake();
        Ok(())
    }

    /// Every waiting report tried again now (the resident pressed "send now"), however long
    /// its backoff had left.
    pub fn retry(&self) -> Result<usize, FeedbackError> {
        let count = self.outbox.retry_now(civic_time::now_unix())?;
        self.link.wake();
        Ok(count)
    }

    /// Sends what is due and refreshes statuses now, outside the scheduler's rhythm (the
    /// CLI's `feedback send`). `None` when reports have nowhere to go.
    pub fn send_now(&self) -> Option<Result<(SendRound, Vec<i64>), FeedbackError>> {
        let target = match self.current_target()? {
            Ok(target) => target,
            Err(error) => return Some(Err(error)),
        };
        let now = civic_time::now_unix();
        Some(self.outbox.send_due(&target, now).and_then(|round| {
            let changed = self
                .outbox
                .refresh(&target, self.account().as_deref(), now)?;
            Ok((round, changed))
        }))
    }

    /// Open reports of `service_code` near a point, with their photos, for "similar
    /// reports nearby" before filing: needs the network (`Offline` without it).
    pub fn similar(
        &self,
        service_code: &str,
        lat: f64,
        lon: f64,
    ) -> Result<Vec<SimilarReport>, FeedbackError> {
        self.current_target()
            .ok_or(FeedbackError::Incomplete(
                "the city takes no reports through the app",
            ))??
            .similar(service_code, lat, lon)
    }

    /// What the feedback page opens with, from this device alone.
    pub fn overview(&self, signed_in: bool) -> Result<FeedbackOverview, FeedbackError> {
        let profile = self.city.profile();
        Ok(FeedbackOverview {
            accepting: matches!(self.current_target(), Some(Ok(_))),
            signed_in,
            services: self.outbox.services()?,
            reports: self.outbox.reports(civic_time::now_unix())?,
            due_working_days: profile
                .as_ref()
                .and_then(|p| p.feedback.as_ref())
                .map_or(DEFAULT_DUE_WORKING_DAYS, |f| f.due_working_days),
            map: profile.and_then(|p| p.map),
        })
    }

    /// Report `id` with its photos; its new status (if any) counts as seen.
    pub fn open_report(&self, id: i64) -> Result<ReportView, FeedbackError> {
        let detail = self.outbox.report(id, civic_time::now_unix())?;
        if detail.summary.status_changed {
            self.outbox.mark_seen(id)?;
        }
        Ok(ReportView {
            photos: self.outbox.photo_previews(id)?,
            update_photos: self.outbox.update_photos(id)?,
            detail,
        })
    }

    /// Follows another resident's report instead of filing a duplicate (the draft
    /// `instead_of`, if any, is dropped); the followed report's number here.
    pub fn follow(
        &self,
        request: &ServiceRequest,
        instead_of: Option<i64>,
    ) -> Result<i64, FeedbackError> {
        let id = self
            .outbox
            .follow(request, &self.city.time_zone(), civic_time::now_unix())?;
        if let Some(draft) = instead_of {
            self.outbox.discard(draft)?;
        }
        Ok(id)
    }

    /// Communes matching what the resident typed, best first (offline); the city's own
    /// come before same-named ones elsewhere (there is a Xã Hải Châu in Nghệ An too).
    pub fn communes(&self, query: &str, limit: usize) -> Vec<CommuneChoice> {
        /// Matches looked at before the city's own are put first.
        const LOOKED_AT: usize = 64;
        let Ok(places) = Places::bundled() else {
            return Vec::new();
        };
        let province = self.city.profile().map(|p| p.province_code);
        let mut found = places.search(query, LOOKED_AT.max(limit));
        // Stable: within each group the search's order stays.
        found.sort_by_key(|p| Some(&p.province_code) != province.as_ref());
        found
            .into_iter()
            .take(limit)
            .map(|p| CommuneChoice {
                code: p.code.clone(),
                name: p.full_name(),
            })
            .collect()
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

impl SyncComponent for Feedback {
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use civic_types::feedback::ReportPlace;

    use super::*;

    fn feedback(dir: &Path) -> Feedback {
        let city =
            civic_city::City::new(civic_city::CityStore::in_memory().expect("city")).expect("city");
        Feedback::open(dir, Arc::new(city), Link::new(None)).expect("feedback")
    }

    fn draft() -> ReportDraft {
        ReportDraft {
            service_code: "streetlight".into(),
            service_name: "Đèn đường".into(),
            description: Some("Đèn hỏng".into()),
            place: ReportPlace {
                lat: Some(16.06),
                lon: Some(108.22),
                address: None,
                address_id: None,
            },
            attributes: Vec::new(),
        }
    }

    #[test]
    fn a_new_draft_is_filed_under_the_account_unless_the_resident_stays_anonymous() {
        let dir = tempfile::tempdir().expect("tempdir");
        let feedback = feedback(dir.path());
        let subject = || Some("resident-1".to_owned());
        let cases = [
            (subject(), false, true),
            (subject(), true, false),
            (None, false, false),
            (None, true, false),
        ];
        for (signed_in_as, anonymous, under_account) in cases {
            let saved = feedback
                .new_draft(&draft(), signed_in_as.clone(), anonymous)
                .expect("saved");
            assert_eq!(
                saved.under_account, under_account,
                "{signed_in_as:?} anonymous={anonymous}"
            );
            let summary = feedback.outbox().report(saved.id, 0).expect("held").summary;
            assert_eq!(summary.signed_in, under_account, "as stored");
        }
    }

    #[test]
    fn editing_a_draft_keeps_its_number_and_whom_it_is_filed_under() {
        let dir = tempfile::tempdir().expect("tempdir");
        let feedback = feedback(dir.path());
        let id = feedback
            .save_draft(None, &draft(), Some("resident-1".into()), false)
            .expect("new");
        let mut changed = draft();
        changed.description = Some("Đèn hỏng cả tuần".into());
        let again = feedback
            .save_draft(Some(id), &changed, None, true)
            .expect("edited");
        assert_eq!(again, id);
        let summary = feedback.outbox().report(id, 0).expect("held").summary;
        assert!(summary.signed_in);
        assert_eq!(summary.description.as_deref(), Some("Đèn hỏng cả tuần"));
    }

    #[test]
    fn without_a_gateway_reports_have_nowhere_to_go_and_the_page_says_so() {
        let dir = tempfile::tempdir().expect("tempdir");
        let feedback = feedback(dir.path());
        assert!(feedback.current_target().is_none());
        assert!(feedback.send_now().is_none());
        assert!(feedback.similar("streetlight", 16.0, 108.0).is_err());
        let overview = feedback.overview(true).expect("overview");
        assert!(!overview.accepting);
        assert!(overview.signed_in);
        assert_eq!(overview.due_working_days, DEFAULT_DUE_WORKING_DAYS);
    }
}

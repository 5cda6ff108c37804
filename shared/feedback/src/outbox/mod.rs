//! The outbox: many reports at once, each written to SQLite with its photos before any
//! network call, then sent when the network allows, exactly once. Every report gets its
//! `Idempotency-Key` when it is written; every attempt sends it, so an answer lost to a
//! dropped connection, or a process killed between the back office's commit and ours,
//! costs a repeated post that the back office answers with the same report. A photo's
//! address is kept as soon as its upload is answered; photos are named by their content,
//! so a repeated upload is the same photo.
//!
//! Failures: a refusal with the spec's error array (a 4xx other than 408/429) makes the
//! report `needs_fix` with the back office's words; anything else (no network, 5xx, 429, a
//! garbled answer) keeps it queued and schedules the next attempt with exponential backoff
//! and jitter. Nothing is deleted but a draft the resident discards.

mod component;
mod error;
mod store;

use std::path::Path;
use std::sync::MutexGuard;

use civic_types::feedback::{
    AttachedPhoto, ReportDetail, ReportDraft, ReportState, ReportSummary, RequestUpdate, Service,
    ServiceDefinition, ServiceRequest, SimilarReport, Status,
};
use rusqlite::Connection;

pub use component::{FEEDBACK_FILE, Feedback, Saved};
pub use error::FeedbackError;

use crate::endpoint::Endpoint;
use crate::{Open311Error, photo};

/// A report carries at most this many photos.
pub const MAX_PHOTOS: u32 = 4;
/// The first retry waits about this long; each failure doubles it.
const FIRST_RETRY_SECONDS: f64 = 30.0;
const MAX_RETRY_SECONDS: f64 = 3_600.0;
/// A report a batch service took is kept under its token, marked so, until it has an id.
const TOKEN_PREFIX: &str = "token:";
/// Photos are shown at most this many px on the long side.
pub const PREVIEW_SIDE: u32 = 480;
/// Reports asked about per status query.
const STATUS_BATCH: usize = 50;
/// The kinds of report are asked for again after this long (they change rarely).
const SERVICES_MAX_AGE: i64 = 24 * 3600;

/// Where reports go and what the city promises.
#[derive(Debug, Clone)]
pub struct Target {
    pub endpoint: Endpoint,
    pub api_key: String,
    pub due_working_days: u32,
    pub zone: civic_time::TimeZone,
}

/// "Similar reports nearby": the same kind of report within this distance.
pub const SIMILAR_WITHIN_M: f64 = 50.0;

impl Target {
    /// Open reports of `service_code` within [`SIMILAR_WITHIN_M`] of a point, nearest first,
    /// each with its photo shrunk enough to send but large enough to judge by. Needs the
    /// network; a photo that cannot be fetched or read is left out, not the report.
    pub fn similar(
        &self,
        service_code: &str,
        lat: f64,
        lon: f64,
    ) -> Result<Vec<SimilarReport>, FeedbackError> {
        let requests = self.endpoint.requests(&crate::RequestQuery {
            service_code: Some(service_code.to_owned()),
            status: Some(crate::StatusFilter::Open),
            near: Some(crate::Near {
                lat,
                lon,
                radius_m: SIMILAR_WITHIN_M,
            }),
            ..crate::RequestQuery::default()
        })?;
        let mut similar: Vec<SimilarReport> = requests
            .into_iter()
            // Endpoints that ignore the extension list reports anywhere: keep the near ones.
            .filter_map(|request| {
                let distance_m = match (request.lat, request.lon) {
                    (Some(a), Some(b)) => Some(crate::geo::distance_m(lat, lon, a, b)),
                    _ => None,
                };
                if distance_m.is_some_and(|d| d > SIMILAR_WITHIN_M) || !request.status.is_open() {
                    return None;
                }
                let photo = request.media_url.as_deref().and_then(|url| self.photo(url));
                Some(SimilarReport {
                    request,
                    distance_m,
                    photo,
                })
            })
            .collect();
        similar.sort_by(|a, b| {
            let key = |r: &SimilarReport| r.distance_m.unwrap_or(f64::INFINITY);
            key(a).total_cmp(&key(b))
        });
        Ok(similar)
    }

    /// A report's photo from the network as a `data:` address, shrunk and re-encoded (what
    /// arrives is untrusted); `None` when it cannot be had.
    fn photo(&self, url: &str) -> Option<String> {
        let bytes = self
            .endpoint
            .fetch_media(url)
            .inspect_err(|error| tracing::info!(%error, "a similar report's photo is not shown"))
            .ok()?;
        let jpeg = photo::preview(&bytes, PREVIEW_SIDE).ok()?;
        Some(jpeg_data_url(&jpeg))
    }
}

/// `data:image/jpeg;base64,…`: a photo the UI shows without another request.
pub fn jpeg_data_url(jpeg: &[u8]) -> String {
    use base64::Engine;
    format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(jpeg)
    )
}

/// What one sending round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendRound {
    pub sent: u32,
    /// Still queued: they will be tried again.
    pub waiting: u32,
    /// Refused by the back office: back with the resident to fix.
    pub refused: u32,
}

#[derive(Debug)]
pub struct Outbox {
    db: civic_db::Store,
}

impl Outbox {
    /// Opens the reports file at `path` (created if needed; a newer schema is refused).
    pub fn open(path: &Path) -> Result<Self, FeedbackError> {
        Ok(Self {
            db: store::open(path)?,
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.db.conn()
    }

    fn write<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, FeedbackError>,
    ) -> Result<T, FeedbackError> {
        self.db.write(f)
    }

    /// Writes a new draft; `account_id` is the signed-in resident's eID subject (`None`:
    /// anonymous). Its idempotency key is made now and kept for good.
    pub fn write_draft(
        &self,
        draft: &ReportDraft,
        account_id: Option<&str>,
        now: i64,
    ) -> Result<i64, FeedbackError> {
        let key = new_key()?;
        self.write(|tx| store::insert_draft(tx, draft, account_id, &key, now))
    }

    /// Changes a draft, or a refused report before it is sent again.
    pub fn edit_draft(&self, id: i64, draft: &ReportDraft) -> Result<(), FeedbackError> {
        self.write(|tx| store::update_draft(tx, id, draft))
    }

    /// Attaches a photo: checked and re-encoded here, before anything is queued (a photo
    /// the back office would refuse is refused now, with the reason). With
    /// `read_position`, the place the photo says it was taken (the resident agreed).
    pub fn attach_photo(
        &self,
        id: i64,
        bytes: &[u8],
        read_position: bool,
    ) -> Result<AttachedPhoto, FeedbackError> {
        {
            let conn = self.conn();
            store::editable(&conn, id)?;
            if store::photo_count(&conn, id)? >= MAX_PHOTOS {
                return Err(FeedbackError::Incomplete(
                    "a report carries at most four photos",
                ));
            }
        }
        // Decoding takes a while: not under the lock.
        let position = if read_position {
            photo::gps(bytes)
        } else {
            None
        };
        let photo = photo::reencode(bytes)?;
        // The photo's place becomes the report's when the report has no point yet.
        let placed = self.write(|tx| {
            store::editable(tx, id)?;
            store::add_photo(tx, id, &photo)?;
            match position {
                Some(point) => store::place_if_unset(tx, id, point),
                None => Ok(false),
            }
        })?;
        Ok(AttachedPhoto {
            width: photo.width,
            height: photo.height,
            bytes: photo.jpeg.len() as u64,
            position,
            placed,
        })
    }

    /// The agency's photos of report `id`'s updates, kept offline: `(update_id, data: address)`.
    pub fn update_photos(&self, id: i64) -> Result<Vec<(String, String)>, FeedbackError> {
        Ok(store::update_previews(&self.conn(), id)?
            .into_iter()
            .map(|(update, jpeg)| (update, jpeg_data_url(&jpeg)))
            .collect())
    }

    /// A report's photos, shrunk to show on screen, as `data:` addresses, in order.
    pub fn photo_previews(&self, id: i64) -> Result<Vec<String>, FeedbackError> {
        let jpegs = store::photo_jpegs(&self.conn(), id)?;
        jpegs
            .iter()
            .map(|jpeg| Ok(jpeg_data_url(&photo::preview(jpeg, PREVIEW_SIDE)?)))
            .collect()
    }

    /// Makes every waiting report due now (the resident pressed "try again"); how many.
    pub fn retry_now(&self, now: i64) -> Result<usize, FeedbackError> {
        self.write(|tx| store::all_due(tx, now))
    }

    pub fn remove_photo(&self, id: i64, position: u32) -> Result<bool, FeedbackError> {
        self.write(|tx| store::remove_photo(tx, id, position))
    }

    /// Puts a complete draft in the queue: it is sent at the next chance. Checked first
    /// against the service's form kept on this device (when there is one), so a missing
    /// answer is said now rather than by the back office later.
    pub fn queue(&self, id: i64) -> Result<(), FeedbackError> {
        self.write(|tx| {
            store::editable(tx, id)?;
            let detail = store::detail(tx, id, 0)?;
            let summary = &detail.summary;
            if summary.service_code.trim().is_empty() {
                return Err(FeedbackError::Incomplete("choose what the report is about"));
            }
            if !summary.place.is_known() {
                return Err(FeedbackError::Incomplete("give the report a place"));
            }
            if summary
                .description
                .as_deref()
                .is_some_and(|d| d.chars().count() > crate::form::MAX_TEXT_CHARS)
            {
                return Err(FeedbackError::Incomplete(
                    "the description is over 4,000 characters",
                ));
            }
            if let Some(form) = store::definition(tx, &summary.service_code)? {
                crate::form::check_answers(&form.attributes, &detail.attributes)
                    .map_err(FeedbackError::Unanswered)?;
            }
            store::set_queued(tx, id)
        })
    }

    /// The kinds of report kept on this device, in the back office's order.
    pub fn services(&self) -> Result<Vec<Service>, FeedbackError> {
        store::services(&self.conn())
    }

    /// The form of a kind of report, kept on this device.
    pub fn service_definition(
        &self,
        code: &str,
    ) -> Result<Option<ServiceDefinition>, FeedbackError> {
        store::definition(&self.conn(), code)
    }

    /// Fetches the kinds of report and their forms when those kept are from another
    /// endpoint or older than a day; all or nothing. Whether they were fetched.
    pub fn refresh_services(&self, target: &Target, now: i64) -> Result<bool, FeedbackError> {
        let address = target.endpoint.url(&["services"], &[]).to_string();
        let current = store::services_source(&self.conn())?
            .is_some_and(|(from, at)| from == address && now - at < SERVICES_MAX_AGE);
        if current {
            return Ok(false);
        }
        let mut services = Vec::new();
        for service in target.endpoint.services()? {
            let definition = if service.metadata {
                Some(target.endpoint.service_definition(&service.service_code)?)
            } else {
                None
            };
            services.push((service, definition));
        }
        self.write(|tx| store::replace_services(tx, &address, &services, now))?;
        Ok(true)
    }

    /// Throws a draft away (never a report already queued or sent).
    pub fn discard(&self, id: i64) -> Result<(), FeedbackError> {
        self.write(|tx| store::delete_draft(tx, id))
    }

    /// Every report on this device, newest first.
    pub fn reports(&self, now: i64) -> Result<Vec<ReportSummary>, FeedbackError> {
        store::summaries(&self.conn(), now)
    }

    pub fn report(&self, id: i64, now: i64) -> Result<ReportDetail, FeedbackError> {
        store::detail(&self.conn(), id, now)
    }

    pub fn state(&self, id: i64) -> Result<ReportState, FeedbackError> {
        store::state(&self.conn(), id)
    }

    /// The resident has seen report `id`'s new status.
    pub fn mark_seen(&self, id: i64) -> Result<(), FeedbackError> {
        self.write(|tx| store::mark_seen(tx, id))
    }

    /// When the next queued report wants an attempt (`None`: nothing queued).
    pub fn next_attempt(&self) -> Result<Option<i64>, FeedbackError> {
        store::next_due(&self.conn())
    }

    /// Sends every queued report due at `now`. Stops at the first sign the network is
    /// down (the rest would fail the same way) and says so as `Err(Open311(Offline))`.
    pub fn send_due(&self, target: &Target, now: i64) -> Result<SendRound, FeedbackError> {
        let mut round = SendRound::default();
        let due = store::due(&self.conn(), now)?;
        for id in due {
            let Some(pending) = store::pending(&self.conn(), id)? else {
                continue;
            };
            match self.attempt(target, id, &pending) {
                Ok(request_id) => {
                    let due_at =
                        civic_time::add_working_days(now, target.due_working_days, &target.zone);
                    self.write(|tx| store::mark_sent(tx, id, &request_id, now, due_at))?;
                    round.sent += 1;
                }
                Err(Open311Error::Refused { status, errors }) if is_final(status) => {
                    let detail = Open311Error::Refused {
                        status,
                        errors: errors.clone(),
                    }
                    .to_string();
                    self.write(|tx| store::mark_refused(tx, id, &errors, &detail, now))?;
                    round.refused += 1;
                }
                Err(error) => {
                    let next = now + backoff(pending.attempts, unit_random());
                    self.write(|tx| store::retry_later(tx, id, &error.to_string(), now, next))?;
                    round.waiting += 1;
                    if matches!(error, Open311Error::Offline(_)) {
                        tracing::info!(%error, "feedback endpoint unreachable; reports stay queued");
                        return Err(error.into());
                    }
                    tracing::warn!(report = id, %error, "report not sent; will retry");
                }
            }
        }
        Ok(round)
    }

    /// One attempt: the photos not uploaded yet, then the report.
    fn attempt(
        &self,
        target: &Target,
        id: i64,
        pending: &store::Pending,
    ) -> Result<String, Open311Error> {
        let mut media_urls = Vec::with_capacity(pending.photos.len());
        for (position, jpeg, uploaded) in &pending.photos {
            let url = match uploaded {
                Some(url) => url.clone(),
                None => {
                    let url = target
                        .endpoint
                        .upload_photo(jpeg.clone(), &target.api_key)?;
                    self.write(|tx| store::set_media_url(tx, id, *position, &url))
                        .map_err(|e| {
                            Open311Error::Offline(format!("keeping the photo's address: {e}"))
                        })?;
                    url
                }
            };
            media_urls.push(url);
        }
        let fields = open311_fields(&pending.draft, pending.account_id.as_deref(), &media_urls);
        let receipt =
            target
                .endpoint
                .post_request(&fields, &target.api_key, &pending.idempotency_key)?;
        // A batch service answers with a token first; the token stands in until it resolves.
        Ok(receipt
            .service_request_id
            .or(receipt.token.map(|t| format!("{TOKEN_PREFIX}{t}")))
            .unwrap_or_default())
    }

    /// Asks the back office how the sent, still-open reports are doing, and (signed in)
    /// which reports the resident filed elsewhere. Returns the reports whose status changed.
    pub fn refresh(
        &self,
        target: &Target,
        account_id: Option<&str>,
        now: i64,
    ) -> Result<Vec<i64>, FeedbackError> {
        let mut changed = Vec::new();
        self.resolve_tokens(target)?;
        // A token still waiting is no id to ask about.
        let followed: Vec<(i64, String)> = store::followed(&self.conn())?
            .into_iter()
            .filter(|(_, number)| !number.starts_with(TOKEN_PREFIX))
            .collect();
        for batch in followed.chunks(STATUS_BATCH) {
            let ids: Vec<String> = batch.iter().map(|(_, sr)| sr.clone()).collect();
            let requests = target.endpoint.requests(&crate::RequestQuery {
                ids: ids.clone(),
                ..crate::RequestQuery::default()
            })?;
            // Back offices without FixMyStreet-style updates answer 404: statuses still come.
            let updates = match target.endpoint.updates(&ids) {
                Ok(updates) => updates,
                Err(Open311Error::Refused { .. }) => Vec::new(),
                Err(error) => return Err(error.into()),
            };
            for (id, service_request_id) in batch {
                let Some(request) = requests
                    .iter()
                    .find(|r| &r.service_request_id == service_request_id)
                else {
                    continue;
                };
                let mine: Vec<RequestUpdate> = updates
                    .iter()
                    .filter(|u| &u.service_request_id == service_request_id)
                    .cloned()
                    .collect();
                let status = finest_status(request, &mine);
                let due_at = promised_by(request, &target.zone);
                if self.write(|tx| store::record_status(tx, *id, status, &mine, due_at, now))? {
                    changed.push(*id);
                }
            }
        }
        self.fetch_update_photos(target)?;
        if let Some(account) = account_id {
            let elsewhere = target.endpoint.requests(&crate::RequestQuery {
                account_id: Some(account.to_owned()),
                ..crate::RequestQuery::default()
            })?;
            self.write(|tx| {
                for request in &elsewhere {
                    let due_at = promised_by(request, &target.zone);
                    store::import_sent(tx, request, Some(account), now, due_at)?;
                }
                Ok(())
            })?;
        }
        Ok(changed)
    }

    /// The agency's photos of new updates, shrunk and kept for the timeline offline. A photo
    /// that cannot be read is marked so and not asked for again; no network leaves it for
    /// the next round.
    fn fetch_update_photos(&self, target: &Target) -> Result<(), FeedbackError> {
        let wanted = store::photos_to_fetch(&self.conn())?;
        for (report, update, url) in wanted {
            let preview = match target.endpoint.fetch_media(&url) {
                Ok(bytes) => photo::preview(&bytes, PREVIEW_SIDE).unwrap_or_default(),
                Err(error @ Open311Error::Offline(_)) => return Err(error.into()),
                Err(error) => {
                    tracing::info!(%error, "an update's photo is not shown");
                    Vec::new()
                }
            };
            self.write(|tx| store::set_update_preview(tx, report, &update, &preview))?;
        }
        Ok(())
    }

    /// Reports a batch service took with a token: the id behind each token, once the back
    /// office has one (`tokens/{token}`); until then they stay as they are.
    fn resolve_tokens(&self, target: &Target) -> Result<(), FeedbackError> {
        let waiting: Vec<(i64, String)> = store::followed(&self.conn())?
            .into_iter()
            .filter_map(|(id, number)| Some((id, number.strip_prefix(TOKEN_PREFIX)?.to_owned())))
            .collect();
        for (id, token) in waiting {
            let resolved = match target.endpoint.token(&token) {
                Ok(receipts) => receipts.into_iter().find_map(|r| r.service_request_id),
                // Not known yet (or forgotten): asked again next round.
                Err(Open311Error::Refused { .. }) => None,
                Err(error) => return Err(error.into()),
            };
            if let Some(number) = resolved {
                self.write(|tx| store::set_request_id(tx, id, &number))?;
            }
        }
        Ok(())
    }

    /// Follows another resident's open report instead of filing the same one again: it is
    /// kept here as sent, and its status is followed like the resident's own. Its number
    /// on this device.
    pub fn follow(
        &self,
        request: &ServiceRequest,
        zone: &civic_time::TimeZone,
        now: i64,
    ) -> Result<i64, FeedbackError> {
        let due_at = promised_by(request, zone);
        self.write(|tx| store::import_sent(tx, request, None, now, due_at))
    }
}

/// When the back office says it will have handled `request` (`expected_datetime`).
fn promised_by(request: &ServiceRequest, zone: &civic_time::TimeZone) -> Option<i64> {
    request
        .expected_datetime
        .as_deref()
        .and_then(|t| civic_time::parse_datetime(t, zone))
}

/// The finer status of `request`: its last update's, when that agrees with the spec's
/// open or closed; else the spec's.
fn finest_status(request: &ServiceRequest, updates: &[RequestUpdate]) -> Status {
    updates
        .iter()
        .max_by(|a, b| a.updated_datetime.cmp(&b.updated_datetime))
        .map(|u| u.status)
        .filter(|s| s.is_open() == request.status.is_open())
        .unwrap_or(request.status)
}

/// A 4xx refusal the same report would meet again: it needs fixing. 408 and 429 are the
/// back office being busy, not the report being wrong.
fn is_final(status: u16) -> bool {
    (400..500).contains(&status) && !matches!(status, 408 | 425 | 429)
}

/// Seconds before the next attempt after `attempts` failed ones: doubling from 30 s up to
/// an hour, each wait drawn from its upper half (`unit` in [0, 1)) so that many phones
/// coming back online together do not all retry at once.
pub fn backoff(attempts: u32, unit: f64) -> i64 {
    let ceiling = (FIRST_RETRY_SECONDS * 2f64.powi(attempts.min(16) as i32)).min(MAX_RETRY_SECONDS);
    let wait = ceiling * (0.5 + 0.5 * unit.clamp(0.0, 1.0));
    wait.round() as i64
}

fn unit_random() -> f64 {
    let mut bytes = [0u8; 4];
    match getrandom::fill(&mut bytes) {
        Ok(()) => f64::from(u32::from_le_bytes(bytes)) / f64::from(u32::MAX),
        Err(_) => 0.5,
    }
}

fn new_key() -> Result<String, FeedbackError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| {
        FeedbackError::Open311(Open311Error::Offline(format!("no randomness: {e}")))
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The GeoReport v2 form of a report. A question answered more than once is a multi-value
/// one (`attribute[CODE][]`).
pub fn open311_fields(
    draft: &ReportDraft,
    account_id: Option<&str>,
    media_urls: &[String],
) -> Vec<(String, String)> {
    let mut fields = vec![("service_code".to_owned(), draft.service_code.clone())];
    let place = &draft.place;
    if let (Some(lat), Some(lon)) = (place.lat, place.lon) {
        fields.push(("lat".into(), lat.to_string()));
        fields.push(("long".into(), lon.to_string()));
    }
    if let Some(address) = place.address.as_ref().filter(|a| !a.trim().is_empty()) {
        fields.push(("address_string".into(), address.clone()));
    }
    if let Some(address_id) = &place.address_id {
        fields.push(("address_id".into(), address_id.clone()));
    }
    if let Some(description) = draft.description.as_ref().filter(|d| !d.trim().is_empty()) {
        fields.push(("description".into(), description.clone()));
    }
    for (code, value) in &draft.attributes {
        let answers = draft.attributes.iter().filter(|(c, _)| c == code).count();
        let name = if answers > 1 {
            format!("attribute[{code}][]")
        } else {
            format!("attribute[{code}]")
        };
        fields.push((name, value.clone()));
    }
    if let Some(account) = account_id {
        fields.push(("account_id".into(), account.to_owned()));
    }
    for url in media_urls {
        fields.push(("media_url".into(), url.clone()));
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(backoff(0, 0.0), 15);
        assert_eq!(backoff(0, 1.0), 30);
        assert_eq!(backoff(3, 1.0), 240);
        assert_eq!(backoff(20, 1.0), 3_600);
        assert_eq!(backoff(20, 0.0), 1_800);
    }

    #[test]
    fn only_a_wrong_report_needs_fixing() {
        for status in [400, 403, 404, 409, 413, 415, 422] {
            assert!(is_final(status), "{status}");
        }
        for status in [408, 429, 500, 502, 503] {
            assert!(!is_final(status), "{status}");
        }
    }

    proptest! {
        #[test]
        fn backoff_never_shrinks_on_average(attempts in 0u32..40, unit in 0.0f64..1.0) {
            let this = backoff(attempts, unit);
            prop_assert!((15..=3_600).contains(&this));
            prop_assert!(backoff(attempts + 1, 1.0) >= backoff(attempts, 1.0));
        }
    }
}

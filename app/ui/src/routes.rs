//! Every page has a route, so a link (a deep link, a QR code's procedure) opens it directly.
//! The route lives in the URL fragment (`#/procedure/1.001193`): the app is one file served
//! by the host, and the fragment never reaches a server.

use civic_types::qr::ScannedCode;
use dioxus::prelude::*;

use crate::pages;

#[derive(Routable, Clone, PartialEq, Debug)]
#[rustfmt::skip]
pub enum Route {
    #[layout(crate::Shell)]
        #[route("/")]
        Home {},
        #[route("/search?:query")]
        Search { query: String },
        #[route("/procedure/:code")]
        Procedure { code: String },
        #[route("/scan")]
        Scan {},
        #[route("/board")]
        Board {},
        #[route("/account")]
        Account {},
        #[route("/feedback")]
        Feedback {},
        #[route("/feedback/new")]
        FeedbackNew {},
        #[route("/feedback/edit/:id")]
        FeedbackEdit { id: i64 },
        #[route("/feedback/report/:id")]
        FeedbackReport { id: i64 },
        #[route("/bus")]
        Bus {},
        #[route("/bus/stop/:id")]
        BusStopPage { id: String },
        #[route("/bus/route/:id")]
        BusRoutePage { id: String },
        #[route("/bus/plan")]
        BusPlanPage {},
        #[route("/parking")]
        Parking {},
        #[route("/parking/session/:id")]
        ParkingSessionPage { id: String },
        #[route("/:..segments")]
        NotFound { segments: Vec<String> },
}

/// The QR code that led to a procedure, handed from the scan page to the procedure page (a
/// verdict cannot travel in a URL: anyone can write a URL).
#[derive(Debug, Clone, Copy)]
pub struct LastScan(pub Signal<Option<ScannedCode>>);

impl LastScan {
    /// Opens `code`'s page, saying what the QR code that led there was.
    pub fn open(mut self, scanned: ScannedCode, code: String) {
        self.0.set(Some(scanned));
        navigator().push(Route::Procedure { code });
    }
}

/// Back where the user came from; home when the page was opened directly.
pub fn go_back() {
    let navigator = navigator();
    if navigator.can_go_back() {
        navigator.go_back();
    } else {
        navigator.replace(Route::Home {});
    }
}

#[component]
fn Home() -> Element {
    rsx! { pages::Home {} }
}

#[component]
fn Search(query: String) -> Element {
    // Keyed by the query: another search link starts a fresh page.
    rsx! { pages::Search { key: "{query}", initial: query.clone() } }
}

#[component]
fn Procedure(code: String) -> Element {
    let mut last = use_context::<LastScan>().0;
    // Taken once: coming back to this procedure later is not coming from the scan.
    let scanned = use_hook(|| {
        last.peek()
            .clone()
            .filter(|s| s.procedure.as_deref() == Some(code.as_str()))
    });
    use_effect(move || last.set(None));
    rsx! { pages::ProcedurePage { key: "{code}", code: code.clone(), scanned } }
}

#[component]
fn Scan() -> Element {
    rsx! { pages::Scan {} }
}

#[component]
fn Board() -> Element {
    rsx! { pages::BoardMaker {} }
}

#[component]
fn Account() -> Element {
    rsx! { pages::AccountPage {} }
}

#[component]
fn Bus() -> Element {
    rsx! { pages::bus::BusHome {} }
}

#[component]
fn BusStopPage(id: String) -> Element {
    rsx! { pages::bus::BusStop { key: "{id}", id: id.clone() } }
}

#[component]
fn BusRoutePage(id: String) -> Element {
    rsx! { pages::bus::BusRoute { key: "{id}", id: id.clone() } }
}

#[component]
fn BusPlanPage() -> Element {
    rsx! { pages::bus::BusPlan {} }
}

#[component]
fn Parking() -> Element {
    rsx! { pages::parking::ParkingHome {} }
}

#[component]
fn ParkingSessionPage(id: String) -> Element {
    rsx! { pages::parking::ParkingSession { key: "{id}", id: id.clone() } }
}

#[component]
fn Feedback() -> Element {
    rsx! { pages::feedback::FeedbackHome {} }
}

#[component]
fn FeedbackNew() -> Element {
    rsx! { pages::feedback::ReportEditor { id: None } }
}

#[component]
fn FeedbackEdit(id: i64) -> Element {
    rsx! { pages::feedback::ReportEditor { key: "{id}", id: Some(id) } }
}

#[component]
fn FeedbackReport(id: i64) -> Element {
    rsx! { pages::feedback::ReportPage { key: "{id}", id } }
}

#[component]
fn NotFound(segments: Vec<String>) -> Element {
    rsx! { pages::NotFound {} }
}

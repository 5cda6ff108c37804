//! `civic-feedback`: citizen feedback reports over Open311 GeoReport v2. `open311` reads
//! what any GeoReport v2 endpoint answers, in JSON or XML, into the plain values of
//! `civic_types::feedback`; it is pure (bytes in, values out), so it is property-tested
//! against arbitrary input and tested on real recorded answers. `endpoint` asks an endpoint
//! over HTTP and hands the answers to `open311`. `places` is the offline commune picker.

#[cfg(feature = "app")]
pub mod endpoint;
mod error;
pub mod form;
pub mod geo;
pub mod open311;
#[cfg(feature = "app")]
pub mod outbox;
pub mod photo;
pub mod places;

#[cfg(feature = "app")]
pub use endpoint::{Endpoint, Near, RequestQuery, StatusFilter};
pub use error::Open311Error;
pub use open311::Format;
#[cfg(feature = "app")]
pub use outbox::{
    FEEDBACK_FILE, Feedback, FeedbackError, Outbox, SIMILAR_WITHIN_M, Saved, SendRound, Target,
};
pub use photo::{Photo, PhotoError};
pub use places::{Place, Places};

//! The catalog feature of the gateway: `handlers` (`GET /v1/catalog`) → `service` (publish,
//! cursors, ETags, encodings) → `repository` (the [`repository::Repository`] trait; SQLite and
//! PostgreSQL backends, one conformance suite) with its `sql/` migrations.

pub mod admin;
pub mod handlers;
pub mod repository;
pub mod service;

pub use service::{DELTA_RETENTION, PublishError, Withdrawals, cursor, publish};

//! Citizen feedback at the gateway: Open311 GeoReport v2 under `/open311/v2/` (JSON and
//! XML). `catalogue` (the services a city takes, from `assets/feedback/services.toml` or the
//! operator's file), `report` (a posted form checked against its service; idempotency
//! fingerprints; places near a point), `media` (photo uploads sniffed, size-checked and
//! re-encoded), `wire` (the spec's shapes in both formats), `handlers`, and `repository`
//! (SQLite and PostgreSQL, one conformance suite) with its `sql/`.

pub mod admin;
pub mod catalogue;
pub mod handlers;
pub mod media;
pub mod report;
pub mod repository;
pub mod service;
mod wire;

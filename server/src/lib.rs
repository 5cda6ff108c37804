//! `civic-gateway`: the backend a province or city runs for Civic.
//!
//! Layers: [`api`] (axum handlers, OpenAPI) → [`catalog`] (publish, cursors, encodings) →
//! [`repo`] (the [`repo::Repository`] trait; SQLite and PostgreSQL backends). [`city`] loads
//! the operator's city profile. Only `repo` does database IO.

pub mod api;
pub mod catalog;
pub mod city;
pub mod repo;

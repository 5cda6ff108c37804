//! End-to-end suites live in `tests/`; run them with `cargo xtask test`, which builds the app
//! and points `CIVIC_E2E_APP` at it.

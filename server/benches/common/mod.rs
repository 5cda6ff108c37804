//! Shared by the gateway's benchmarks: latency figures read the same way in every report.

use std::time::Duration;

/// The nearest-rank percentile of sorted latencies (`p` in 0..=1); zero when none.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

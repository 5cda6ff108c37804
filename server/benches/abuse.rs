//! The gateway under abuse, on loopback: the release binary serving the real catalog while
//! other loopback addresses hold half-sent requests, read the whole catalog slowly, flood
//! `?since=` with cursors that need building, and open more connections than allowed. A
//! normal client on 127.0.0.1 keeps syncing throughout; its latency, the gateway's memory
//! and what the abusers got are printed per phase. Bounded: about 40 s, then it stops.
//!
//! `cargo xtask bench abuse` (or `cargo bench -p civic-gateway --bench abuse`).
#![allow(clippy::expect_used, clippy::print_stdout)] // a benchmark: it prints, and fails by panicking

mod common;

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use civic_gateway::catalog::{self, Withdrawals, repository::Backend};
use common::{ms, percentile};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

const QUIET: Duration = Duration::from_secs(6);
const ABUSE: Duration = Duration::from_secs(24);
const RECOVERY: Duration = Duration::from_secs(6);
/// Addresses per kind of abuser (see [`abuser`]).
const ABUSERS: u8 = 8;
const HALF_SENT_PER_ABUSER: usize = 40;
const SLOW_READERS: usize = 16;
const SINCE_FLOODERS: usize = 6;

/// The gateway child, stopped by pid when dropped (never its process group).
struct Gateway {
    child: Child,
    address: SocketAddr,
    epoch: String,
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Resident memory of process `pid` now (`VmRSS`) and at its peak (`VmHWM`), in KiB.
fn memory(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

async fn start_gateway(dir: &std::path::Path) -> Gateway {
    let database = dir.join("gateway.sqlite3").display().to_string();
    let backend = Backend::connect(&database).await.expect("database");
    let mut procedures = civic_catalog::Snapshot::bundled()
        .expect("bundled")
        .procedures;
    catalog::publish(
        &backend,
        procedures.clone(),
        "2026-11-01".into(),
        1,
        Withdrawals::Guarded,
    )
    .await
    .expect("v1");
    for p in procedures.iter_mut().take(20) {
        p.name.push_str(" (sửa đổi)");
    }
    catalog::publish(
        &backend,
        procedures,
        "2026-11-02".into(),
        2,
        Withdrawals::Guarded,
    )
    .await
    .expect("v2");
    let epoch = civic_gateway::catalog::repository::Repository::epoch(&backend).to_owned();
    drop(backend);
    let city = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../assets/cities/ninh-binh.toml"
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_civic-gateway"))
        .args([
            "--database",
            &database,
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--city",
            city,
        ])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the gateway");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the gateway's first line");
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    Gateway {
        child,
        address,
        epoch,
    }
}

async fn connect_from(source: Ipv4Addr, to: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::from((source, 0)))?;
    socket.connect(to).await
}

/// Each kind of abuse from its own addresses (`127.0.<kind>.2 ..= 127.0.<kind>.(1 + ABUSERS)`),
/// so one kind filling its addresses' connection allowance does not hide what another gets.
#[derive(Clone, Copy)]
enum Kind {
    HalfSent = 0,
    SlowReader = 1,
    SinceFlood = 2,
    Crowd = 3,
}

fn abuser(kind: Kind, index: usize) -> Ipv4Addr {
    Ipv4Addr::new(
        127,
        0,
        kind as u8,
        2 + u8::try_from(index % usize::from(ABUSERS)).unwrap_or(0),
    )
}

/// One request on a fresh connection: the status, or `None` if the connection was closed
/// or reset before an answer (refused at a limit).
async fn request(stream: &mut TcpStream, path: &str, extra: &str) -> Option<u16> {
    let head = format!("GET {path} HTTP/1.1\r\nHost: gw\r\n{extra}\r\n");
    stream.write_all(head.as_bytes()).await.ok()?;
    let mut answer = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let (status, body_start, length) = loop {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        answer.extend_from_slice(&buf[..n]);
        if let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&answer[..end]).to_string();
            let status = head.split(' ').nth(1)?.parse::<u16>().ok()?;
            let length = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            break (status, end + 4, length);
        }
    };
    let mut have = answer.len() - body_start;
    while have < length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        have += n;
    }
    Some(status)
}

#[derive(Default)]
struct Tally {
    ok: AtomicU64,
    not_modified: AtomicU64,
    too_many: AtomicU64,
    other: AtomicU64,
    refused: AtomicU64,
}

impl Tally {
    fn count(&self, status: Option<u16>) {
        let counter = match status {
            Some(200) => &self.ok,
            Some(304) => &self.not_modified,
            Some(429) => &self.too_many,
            Some(_) => &self.other,
            None => &self.refused,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn line(&self) -> String {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        format!(
            "200: {}, 304: {}, 429: {}, other: {}, closed unanswered: {}",
            get(&self.ok),
            get(&self.not_modified),
            get(&self.too_many),
            get(&self.other),
            get(&self.refused)
        )
    }
}

/// The normal client: every 50 ms a new connection asking whether its catalog is current
/// (a `304`), every fifth time the delta from the previous version instead.
async fn normal_client(
    address: SocketAddr,
    etag: String,
    since: String,
    until: Instant,
) -> (Vec<Duration>, u64) {
    let mut latencies = Vec::new();
    let mut failures = 0;
    let mut round = 0u64;
    while Instant::now() < until {
        round += 1;
        let started = Instant::now();
        let answered = match TcpStream::connect(address).await {
            Ok(mut stream) => {
                let (path, extra) = if round.is_multiple_of(5) {
                    (
                        format!("/v1/catalog?since={since}"),
                        "Accept-Encoding: br\r\n".to_owned(),
                    )
                } else {
                    (
                        "/v1/catalog".to_owned(),
                        format!("Accept-Encoding: br\r\nIf-None-Match: {etag}\r\n"),
                    )
                };
                let wait = tokio::time::timeout(
                    Duration::from_secs(10),
                    request(&mut stream, &path, &extra),
                );
                matches!(wait.await, Ok(Some(200 | 304)))
            }
            Err(_) => false,
        };
        if answered {
            latencies.push(started.elapsed());
        } else {
            failures += 1;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (latencies, failures)
}

fn report(phase: &str, mut latencies: Vec<Duration>, failures: u64, rss_max: u64) {
    latencies.sort();
    println!(
        "{phase:<9} normal client: {} answered, {failures} failed; p50 {}, p95 {}, p99 {}, max {}; gateway RSS max {:.1} MiB",
        latencies.len(),
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.95)),
        ms(percentile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or_default()),
        rss_max as f64 / 1024.0
    );
}

async fn phase(gateway: &Gateway, name: &str, length: Duration, etag: &str, since: &str) {
    let stop = Arc::new(AtomicBool::new(false));
    let pid = gateway.child.id();
    let sampler = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut max = 0;
            while !stop.load(Ordering::Relaxed) {
                max = max.max(memory(pid).0);
                std::thread::sleep(Duration::from_millis(50));
            }
            max
        })
    };
    let until = Instant::now() + length;
    let (latencies, failures) =
        normal_client(gateway.address, etag.to_owned(), since.to_owned(), until).await;
    stop.store(true, Ordering::Relaxed);
    report(name, latencies, failures, sampler.join().unwrap_or(0));
}

/// Connections that send half a request head and wait; each reconnects when cut off.
async fn half_sent(
    address: SocketAddr,
    index: usize,
    until: Instant,
    cut: Arc<Tally>,
    held_for: Arc<AtomicU64>,
) {
    while Instant::now() < until {
        let Ok(mut stream) = connect_from(abuser(Kind::HalfSent, index), address).await else {
            cut.count(None);
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        let opened = Instant::now();
        if stream
            .write_all(b"GET /v1/catalog HTTP/1.1\r\nHost: gw\r\nX-Slow: ")
            .await
            .is_err()
        {
            cut.count(None);
            continue;
        }
        let mut buf = [0u8; 512];
        let remaining = until.saturating_duration_since(Instant::now());
        match tokio::time::timeout(remaining, stream.read(&mut buf)).await {
            // Closed by the gateway: at the header-read timeout, or at once when refused.
            Ok(_) => {
                let held = opened.elapsed();
                held_for.fetch_max(
                    u64::try_from(held.as_millis()).unwrap_or(u64::MAX),
                    Ordering::Relaxed,
                );
                cut.count(if held < Duration::from_millis(100) {
                    None
                } else {
                    Some(408)
                });
            }
            Err(_) => return,
        }
    }
}

/// Downloads the identity-encoded catalog (21 MB) reading 4 KiB every 100 ms.
async fn slow_reader(address: SocketAddr, index: usize, until: Instant, tally: Arc<Tally>) {
    let Ok(mut stream) = connect_from(abuser(Kind::SlowReader, index), address).await else {
        tally.count(None);
        return;
    };
    let head = b"GET /v1/catalog HTTP/1.1\r\nHost: gw\r\nAccept-Encoding: identity\r\n\r\n";
    if stream.write_all(head).await.is_err() {
        tally.count(None);
        return;
    }
    let mut buf = [0u8; 4096];
    let mut first = true;
    while Instant::now() < until {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => {
                tally.count(None);
                return;
            }
            Ok(n) => {
                if first {
                    first = false;
                    let status = String::from_utf8_lossy(&buf[..n.min(12)])
                        .split(' ')
                        .nth(1)
                        .and_then(|s| s.parse().ok());
                    tally.count(status);
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `?since=` with cursors from 0 to past the head, every coding, as fast as answers come.
async fn since_flood(
    address: SocketAddr,
    index: usize,
    epoch: String,
    until: Instant,
    tally: Arc<Tally>,
) {
    let codings = ["br", "gzip", "identity"];
    let mut n = index as u64;
    while Instant::now() < until {
        let Ok(mut stream) = connect_from(abuser(Kind::SinceFlood, index), address).await else {
            tally.count(None);
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        n = n
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let since = (n >> 33) % 200;
        let coding = codings[usize::try_from((n >> 20) % 3).unwrap_or(0)];
        let status = request(
            &mut stream,
            &format!("/v1/catalog?since={epoch}.{since}"),
            &format!("Accept-Encoding: {coding}\r\nConnection: close\r\n"),
        )
        .await;
        tally.count(status);
    }
}

/// Opens connections from one address until the gateway closes them unanswered.
async fn connection_flood(address: SocketAddr, until: Instant, tally: Arc<Tally>) {
    let mut open = Vec::new();
    while Instant::now() < until && open.len() < 200 {
        match connect_from(abuser(Kind::Crowd, 0), address).await {
            Ok(stream) => open.push(stream),
            Err(_) => tally.count(None),
        }
    }
    let mut refused = 0;
    for stream in &mut open {
        let mut buf = [0u8; 1];
        if let Ok(Ok(0) | Err(_)) =
            tokio::time::timeout(Duration::from_millis(5), stream.read(&mut buf)).await
        {
            refused += 1;
        }
    }
    tally.refused.fetch_add(refused, Ordering::Relaxed);
    tally
        .ok
        .fetch_add(open.len() as u64 - refused, Ordering::Relaxed);
    tokio::time::sleep(until.saturating_duration_since(Instant::now())).await;
}

async fn current_etag(address: SocketAddr) -> String {
    let mut stream = TcpStream::connect(address).await.expect("connect");
    stream
        .write_all(b"HEAD /v1/catalog HTTP/1.1\r\nHost: gw\r\nAccept-Encoding: br\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    answer
        .lines()
        .find_map(|l| {
            l.strip_prefix("etag: ")
                .or_else(|| l.strip_prefix("ETag: "))
        })
        .map(|v| v.trim().to_owned())
        .expect("an ETag")
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("tempdir");
        let gateway = start_gateway(dir.path()).await;
        let etag = current_etag(gateway.address).await;
        let since = format!("{}.1", gateway.epoch);
        println!(
            "gateway {} (release binary, SQLite, 2,642 procedures, version 2); normal client on 127.0.0.1, each kind of abuser from its own {} addresses",
            gateway.address,
            ABUSERS
        );
        println!(
            "abuse: {} half-sent request heads held open, {SLOW_READERS} slow readers of the 21 MB identity catalog, {SINCE_FLOODERS} `?since=` flooders, one address opening 200 connections at once",
            usize::from(ABUSERS) * HALF_SENT_PER_ABUSER
        );
        phase(&gateway, "quiet", QUIET, &etag, &since).await;

        let until = Instant::now() + ABUSE;
        let (half, slow, flood, crowd) = (
            Arc::new(Tally::default()),
            Arc::new(Tally::default()),
            Arc::new(Tally::default()),
            Arc::new(Tally::default()),
        );
        let held_for = Arc::new(AtomicU64::new(0));
        let mut abusers = Vec::new();
        for i in 0..usize::from(ABUSERS) * HALF_SENT_PER_ABUSER {
            abusers.push(tokio::spawn(half_sent(gateway.address, i, until, Arc::clone(&half), Arc::clone(&held_for))));
        }
        for i in 0..SLOW_READERS {
            abusers.push(tokio::spawn(slow_reader(gateway.address, i, until, Arc::clone(&slow))));
        }
        for i in 0..SINCE_FLOODERS {
            abusers.push(tokio::spawn(since_flood(gateway.address, i, gateway.epoch.clone(), until, Arc::clone(&flood))));
        }
        abusers.push(tokio::spawn(connection_flood(gateway.address, until, Arc::clone(&crowd))));
        phase(&gateway, "abuse", ABUSE, &etag, &since).await;
        for task in abusers {
            let _ = tokio::time::timeout(Duration::from_secs(15), task).await;
        }
        phase(&gateway, "recovery", RECOVERY, &etag, &since).await;
        println!("half-sent heads: {} (a 408 counts a head cut off at the timeout; longest held {} ms)", half.line(), held_for.load(Ordering::Relaxed));
        println!("slow readers:    {}", slow.line());
        println!("since flood:     {}", flood.line());
        println!("200 at once:     {} (200: kept open, closed unanswered: refused past the per-client limit)", crowd.line());
        let (rss, peak) = memory(gateway.child.id());
        println!("gateway memory at the end: RSS {:.1} MiB, peak {:.1} MiB", rss as f64 / 1024.0, peak as f64 / 1024.0);
    });
}

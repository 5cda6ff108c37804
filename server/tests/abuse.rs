//! The gateway's accept loop under clients that misbehave, over real loopback sockets:
//! half-sent requests are cut off, connections over the limit are closed at once, and a
//! normal client is still served.
#![allow(clippy::expect_used)] // test helpers: a failure is a failed test

mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use civic_gateway::http::{AppState, router};
use civic_gateway::serve::{Limits, Refused, bind, serve};

struct Started {
    address: SocketAddr,
    refused: Arc<Refused>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(limits: Limits) -> Started {
    let database = support::sqlite().await;
    let state = AppState::open(database.backend.clone(), &support::city())
        .await
        .expect("state");
    let (listener, address) = bind(([127, 0, 0, 1], 0).into()).await.expect("bind");
    let refused = Arc::new(Refused::default());
    let counted = Arc::clone(&refused);
    let task = tokio::spawn(async move {
        let _database = database;
        serve(
            listener,
            router(state),
            limits,
            counted,
            std::future::pending(),
        )
        .await
    });
    Started {
        address,
        refused,
        task,
    }
}

/// Whether the server closes `stream` within `within` (a read then ends or fails).
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).expect("read timeout");
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            // A 408 or an error answer before closing is fine; keep reading to the close.
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

fn healthy(address: SocketAddr) -> bool {
    healthy_from([127, 0, 0, 1].into(), address)
}

/// A connection from `source`, another loopback address, as a different client.
fn connect_from(source: std::net::Ipv4Addr, address: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)?;
    socket.bind(&SocketAddr::from((source, 0)).into())?;
    socket.connect(&address.into())?;
    Ok(socket.into())
}

fn healthy_from(source: std::net::Ipv4Addr, address: SocketAddr) -> bool {
    let Ok(mut stream) = connect_from(source, address) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_are_cut_off() {
    let address = start(Limits {
        header_read_timeout: Duration::from_millis(400),
        ..Limits::default()
    })
    .await
    .address;
    tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let mut half = TcpStream::connect(address).expect("connect");
        half.write_all(b"GET /v1/catalog HTTP/1.1\r\nHost: gw\r\n")
            .expect("half a request");
        assert!(closed_within(&mut half, Duration::from_secs(5)));
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        let mut silent = TcpStream::connect(address).expect("connect");
        assert!(
            closed_within(&mut silent, Duration::from_secs(5)),
            "a silent client too"
        );
        assert!(healthy(address), "normal clients are served");
    })
    .await
    .expect("join");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_limit_are_closed_and_the_rest_served() {
    let Started {
        address, refused, ..
    } = start(Limits {
        header_read_timeout: Duration::from_secs(30),
        max_connections: 3,
        ..Limits::default()
    })
    .await;
    tokio::task::spawn_blocking(move || {
        // Three idle connections hold every slot...
        let idle: Vec<TcpStream> = (0..3)
            .map(|_| TcpStream::connect(address).expect("connect"))
            .collect();
        std::thread::sleep(Duration::from_millis(200));
        // ...so the fourth is closed at once, unserved.
        let mut over = TcpStream::connect(address).expect("the kernel accepts");
        assert!(closed_within(&mut over, Duration::from_secs(2)));
        assert!(!healthy(address));
        assert!(refused.count() >= 2, "{}", refused.count());
        // Once they go, clients are served again.
        drop(idle);
        let waited = Instant::now();
        while !healthy(address) {
            assert!(waited.elapsed() < Duration::from_secs(5), "served again");
            std::thread::sleep(Duration::from_millis(50));
        }
    })
    .await
    .expect("join");
}

/// Taking the gateway offline (its task aborted) closes kept-alive connections too, so an
/// app holding one sees the gateway gone instead of being served by a stopped server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_the_server_closes_kept_alive_connections() {
    let started = start(Limits::default()).await;
    let address = started.address;
    let mut kept = tokio::task::spawn_blocking(move || {
        let mut kept = TcpStream::connect(address).expect("connect");
        kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: gw\r\n\r\n")
            .expect("request");
        kept.set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        let mut answer = [0u8; 512];
        let n = kept.read(&mut answer).expect("answer");
        assert!(answer[..n].starts_with(b"HTTP/1.1 200"));
        kept
    })
    .await
    .expect("join");
    started.task.abort();
    let _ = started.task.await;
    tokio::task::spawn_blocking(move || {
        assert!(closed_within(&mut kept, Duration::from_secs(5)));
        assert!(!healthy(address), "nobody serves any more");
    })
    .await
    .expect("join");
}

/// One client (address) cannot take the slots every other client needs: past its own
/// allowance its connections are closed, while another address is still served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_cannot_take_every_connection() {
    let Started {
        address, refused, ..
    } = start(Limits {
        header_read_timeout: Duration::from_secs(30),
        max_connections: 10,
        max_connections_per_client: 4,
        ..Limits::default()
    })
    .await;
    tokio::task::spawn_blocking(move || {
        let greedy = std::net::Ipv4Addr::new(127, 0, 0, 2);
        let held: Vec<TcpStream> = (0..4)
            .map(|_| connect_from(greedy, address).expect("connect"))
            .collect();
        std::thread::sleep(Duration::from_millis(200));
        let mut fifth = connect_from(greedy, address).expect("the kernel accepts");
        assert!(closed_within(&mut fifth, Duration::from_secs(2)));
        assert!(
            !healthy_from(greedy, address),
            "its own allowance is used up"
        );
        assert!(refused.count() >= 2, "{}", refused.count());
        assert!(
            healthy_from(std::net::Ipv4Addr::new(127, 0, 0, 3), address),
            "another client is served"
        );
        assert!(healthy(address));
        drop(held);
        let waited = Instant::now();
        while !healthy_from(greedy, address) {
            assert!(waited.elapsed() < Duration::from_secs(5), "served again");
            std::thread::sleep(Duration::from_millis(50));
        }
    })
    .await
    .expect("join");
}

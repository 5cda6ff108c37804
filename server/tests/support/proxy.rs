//! A loopback HTTP/1.1 proxy in front of the real gateway: counts the bytes each way (the
//! bytes on the wire) and can drop the connection half-way through a large response.

#![allow(clippy::expect_used)] // test support: a failure here is a failed test

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Default)]
pub struct Counters {
    /// Request bytes, client to gateway.
    pub sent: AtomicU64,
    /// Response bytes, gateway to client, headers included.
    pub received: AtomicU64,
    /// While set, a response with a body over 10 kB is cut off half-way and the connection dropped.
    pub cut_large_bodies: AtomicBool,
    /// Each exchange: request line, request bytes, response bytes.
    pub exchanges: Mutex<Vec<Exchange>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub request_line: String,
    pub sent: u64,
    pub received: u64,
}

impl Counters {
    pub fn take_exchanges(&self) -> Vec<Exchange> {
        std::mem::take(&mut *self.exchanges.lock().expect("lock"))
    }

    pub fn take(&self) -> (u64, u64) {
        (
            self.sent.swap(0, Ordering::SeqCst),
            self.received.swap(0, Ordering::SeqCst),
        )
    }
}

pub async fn start(upstream: SocketAddr) -> (SocketAddr, Arc<Counters>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
    let addr = listener.local_addr().expect("proxy addr");
    let counters = Arc::new(Counters::default());
    let shared = Arc::clone(&counters);
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let counters = Arc::clone(&shared);
            tokio::spawn(async move {
                let _ = relay(client, upstream, &counters).await;
            });
        }
    });
    (addr, counters)
}

/// Reads up to the end of an HTTP head (`\r\n\r\n`), keeping any bytes read past it.
async fn read_head(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> std::io::Result<Option<Vec<u8>>> {
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buffer.split_off(end + 4);
            return Ok(Some(std::mem::replace(buffer, rest)));
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
}

fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0)
}

/// One client connection: requests (GET, no bodies) in order, each response relayed whole
/// unless it is to be cut.
async fn relay(
    mut client: TcpStream,
    upstream: SocketAddr,
    counters: &Counters,
) -> std::io::Result<()> {
    let mut server = TcpStream::connect(upstream).await?;
    let (mut from_client, mut from_server) = (Vec::new(), Vec::new());
    while let Some(request) = read_head(&mut client, &mut from_client).await? {
        counters
            .sent
            .fetch_add(request.len() as u64, Ordering::SeqCst);
        server.write_all(&request).await?;
        let Some(head) = read_head(&mut server, &mut from_server).await? else {
            return Ok(());
        };
        let length = content_length(&head);
        while from_server.len() < length {
            let mut chunk = [0u8; 65536];
            let n = server.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            from_server.extend_from_slice(&chunk[..n]);
        }
        let body: Vec<u8> = from_server.drain(..length.min(from_server.len())).collect();
        let cut = counters.cut_large_bodies.load(Ordering::SeqCst) && length > 10_000;
        let sent_body = if cut { &body[..length / 2] } else { &body[..] };
        client.write_all(&head).await?;
        client.write_all(sent_body).await?;
        counters
            .received
            .fetch_add((head.len() + sent_body.len()) as u64, Ordering::SeqCst);
        counters.exchanges.lock().expect("lock").push(Exchange {
            request_line: String::from_utf8_lossy(&request)
                .lines()
                .next()
                .unwrap_or("")
                .to_owned(),
            sent: request.len() as u64,
            received: (head.len() + sent_body.len()) as u64,
        });
        if cut {
            client.flush().await?;
            return Ok(()); // drops both connections mid-body
        }
    }
    Ok(())
}

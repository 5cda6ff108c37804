//! The endpoint client over real HTTP on loopback: a server that answers with the recorded
//! Chicago and Gießen bodies, the spec's error array, too much, or a redirect away.
#![allow(clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use civic_feedback::{Endpoint, Format, Open311Error, RequestQuery, StatusFilter};
use civic_types::feedback::Status;

/// A loopback server that records each request's path and query and answers through
/// `answer`, until dropped.
struct Server {
    address: String,
    asked: Arc<Mutex<Vec<String>>>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

type Answer = fn(&str) -> tiny_http::ResponseBox;

impl Server {
    fn start(answer: Answer) -> Self {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind"));
        let address = format!(
            "http://{}/open311/v2",
            server.server_addr().to_ip().expect("ip")
        );
        let asked = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (server, asked) = (Arc::clone(&server), Arc::clone(&asked));
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let url = request.url().to_owned();
                    asked.lock().expect("lock").push(url.clone());
                    let _ = request.respond(answer(&url));
                }
            })
        };
        Self {
            address,
            asked,
            server,
            thread: Some(thread),
        }
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().expect("lock").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn recorded(name: &str) -> Vec<u8> {
    let path = civic_test_support::shared_data().join("open311").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn body(bytes: Vec<u8>, status: u16) -> tiny_http::ResponseBox {
    tiny_http::Response::from_data(bytes)
        .with_status_code(status)
        .boxed()
}

fn recorded_answers(url: &str) -> tiny_http::ResponseBox {
    let path = url.split('?').next().unwrap_or_default();
    match path {
        "/open311/v2/services.xml" => body(recorded("giessen_services.xml"), 200),
        "/open311/v2/requests.json" => body(recorded("chicago_requests.json"), 200),
        "/open311/v2/requests/14-01100669.json" => {
            let all: Vec<serde_json::Value> =
                serde_json::from_slice(&recorded("chicago_requests.json")).expect("JSON");
            body(serde_json::to_vec(&all[..1]).expect("JSON"), 200)
        }
        "/open311/v2/services/NOPE.json" => body(
            br#"[{"code":404,"description":"Service code NOPE not found"}]"#.to_vec(),
            404,
        ),
        _ => body(b"<html>Not here</html>".to_vec(), 404),
    }
}

#[test]
fn recorded_answers_arrive_through_the_endpoint() {
    let server = Server::start(recorded_answers);
    let xml = Endpoint::new(&server.address, Format::Xml).expect("endpoint");
    let services = xml.services().expect("Gießen's services over HTTP");
    assert_eq!(services.len(), 8);
    assert_eq!(services[0].service_name, "Abwasser und Wasser");

    let json = Endpoint::new(&server.address, Format::Json)
        .expect("endpoint")
        .with_jurisdiction(Some("chicago.gov".into()));
    let open = json
        .requests(&RequestQuery {
            service_code: Some("4ffa9cad6018277d4000007b".into()),
            status: Some(StatusFilter::Open),
            start_date: Some("2014-07-01T00:00:00-05:00".into()),
            ..RequestQuery::default()
        })
        .expect("Chicago's requests over HTTP");
    assert_eq!(open.len(), 2);
    assert_eq!(open[0].status, Status::Open);
    let one = json
        .request("14-01100669")
        .expect("one request")
        .expect("listed");
    assert_eq!(one.service_request_id, "14-01100669");

    let asked = server.asked();
    assert_eq!(asked[0], "/open311/v2/services.xml");
    assert_eq!(
        asked[1],
        "/open311/v2/requests.json?jurisdiction_id=chicago.gov&service_code=4ffa9cad6018277d4000007b&status=open&start_date=2014-07-01T00%3A00%3A00-05%3A00"
    );
    assert_eq!(
        asked[2],
        "/open311/v2/requests/14-01100669.json?jurisdiction_id=chicago.gov"
    );
}

#[test]
fn refusals_carry_the_endpoints_reasons() {
    let server = Server::start(recorded_answers);
    let json = Endpoint::new(&server.address, Format::Json).expect("endpoint");
    match json.service_definition("NOPE") {
        Err(Open311Error::Refused {
            status: 404,
            errors,
        }) => {
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].description, "Service code NOPE not found");
        }
        other => panic!("{other:?}"),
    }
    match json.token("unknown") {
        Err(error @ Open311Error::Refused { status: 404, .. }) => {
            assert_eq!(error.code(), civic_types::error::ErrorCode::ReportsRefused);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn too_much_is_refused_while_it_is_read() {
    let server = Server::start(|_| {
        // Announced as chunked (no length): the limit must hold while reading.
        let endless =
            std::io::repeat(b' ').take_bytes(civic_feedback::open311::MAX_ANSWER_BYTES + 10);
        tiny_http::Response::new(200.into(), Vec::new(), endless, None, None).boxed()
    });
    let json = Endpoint::new(&server.address, Format::Json).expect("endpoint");
    assert!(
        matches!(json.services(), Err(Open311Error::TooLarge { .. })),
        "a body past the cap"
    );
}

#[test]
fn a_redirect_to_plain_http_elsewhere_is_not_followed() {
    let server = Server::start(|_| {
        tiny_http::Response::empty(302)
            .with_header(
                "Location: http://311.example.gov/open311/v2/services.json"
                    .parse::<tiny_http::Header>()
                    .expect("header"),
            )
            .boxed()
    });
    let json = Endpoint::new(&server.address, Format::Json).expect("endpoint");
    match json.services() {
        Err(Open311Error::Refused { status: 302, .. }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(server.asked().len(), 1, "nothing else was asked");
}

#[test]
fn an_endpoint_that_is_down_is_offline() {
    let address = {
        let server = Server::start(recorded_answers);
        server.address.clone()
    };
    let json = Endpoint::new(&address, Format::Json).expect("endpoint");
    let error = json.services().expect_err("nobody listens");
    assert!(matches!(error, Open311Error::Offline(_)), "{error:?}");
    assert_eq!(error.code(), civic_types::error::ErrorCode::ReportsOffline);
}

/// `Read::take` by a byte count, for an endless body of a given size.
trait TakeBytes: std::io::Read + Sized {
    fn take_bytes(self, n: usize) -> std::io::Take<Self> {
        self.take(u64::try_from(n).unwrap_or(u64::MAX))
    }
}

impl<R: std::io::Read> TakeBytes for R {}

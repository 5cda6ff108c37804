//! GeoReport v2 answers as real endpoints send them: recorded ones from Chicago (JSON) and
//! Gießen (XML), and the spec's shapes in both formats, tolerant of what endpoints leave
//! out or add.
#![allow(clippy::expect_used)]

use civic_feedback::{Format, Open311Error, open311};
use civic_types::feedback::{Datatype, ServiceType, Status};

fn recorded(name: &str) -> Vec<u8> {
    let path = civic_test_support::shared_data().join("open311").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn chicago_requests_json() {
    let requests = open311::requests(Format::Json, &recorded("chicago_requests.json"))
        .expect("Chicago's requests.json");
    assert_eq!(requests.len(), 2);
    let light = &requests[0];
    assert_eq!(light.service_request_id, "14-01100669");
    assert_eq!(light.status, Status::Open);
    assert_eq!(light.service_name.as_deref(), Some("Alley Light Out"));
    assert_eq!(
        light.service_code.as_deref(),
        Some("4ffa9cad6018277d4000007b")
    );
    assert_eq!(
        light.agency_responsible.as_deref(),
        Some("Division of Electrical Operations CDOT")
    );
    assert_eq!(
        light.requested_datetime.as_deref(),
        Some("2014-07-12T10:58:43-05:00")
    );
    assert_eq!(
        light.address.as_deref(),
        Some("1540 W 17TH ST, CHICAGO, IL, 60608")
    );
    assert_eq!(light.lat, Some(41.858724777757864));
    assert_eq!(light.lon, Some(-87.66475146237676));
    assert_eq!(light.status_notes, None);
    assert_eq!(light.media_url, None);
    let building = &requests[1];
    assert_eq!(building.status_notes.as_deref(), Some("Locked"));
    assert_eq!(building.service_name.as_deref(), Some("Building Violation"));
}

#[test]
fn giessen_services_xml() {
    let services = open311::services(Format::Xml, &recorded("giessen_services.xml"))
        .expect("Gießen's services.xml");
    let codes: Vec<&str> = services.iter().map(|s| s.service_code.as_str()).collect();
    assert_eq!(
        codes,
        ["015", "010", "013", "012", "011", "016", "017", "014"]
    );
    let water = &services[0];
    assert_eq!(water.service_name, "Abwasser und Wasser");
    assert!(!water.metadata);
    assert_eq!(water.service_type, ServiceType::Realtime);
    assert_eq!(
        water.description, None,
        "an empty element is no description"
    );
    assert!(water.keywords.is_empty(), "<keywords/>");
    let sign = &services[3];
    assert_eq!(sign.service_name, "Verkehrsschild beschädigt");
    assert_eq!(
        sign.description.as_deref(),
        Some("Report graffiti on a building you own.")
    );
    assert_eq!(sign.keywords, ["graffiti", "paintings"]);
    assert_eq!(services[4].keywords, ["litter", "trash", "garbage"]);
}

/// The spec's service definition example, in both formats: the same form either way.
#[test]
fn service_definitions_in_both_formats_agree() {
    let json = br#"{
      "service_code": "DMV66",
      "attributes": [
        {"variable": true, "code": "WHISHETN", "datatype": "singlevaluelist", "required": true,
         "datatype_description": null, "order": 1, "description": "What is the ticket/tag/DL number?",
         "values": [{"key": 123, "name": "Ford"}, {"key": "124", "name": "Chrysler"}]},
        {"variable": true, "code": "NOTE", "datatype": "text", "required": false, "order": "3",
         "description": "Anything else?"},
        {"variable": false, "code": "INFO", "datatype": "string", "required": false, "order": 0,
         "description": "Please have your DL ready."},
        {"variable": true, "code": "KINDS", "datatype": "multivaluelist", "required": false,
         "order": 2, "description": "Which kinds?", "values": [{"key": "a", "name": "A"}],
         "extra_field_from_a_vendor": {"x": 1}}
      ]
    }"#;
    let xml = br#"<?xml version="1.0" encoding="utf-8"?>
    <service_definition>
      <service_code>DMV66</service_code>
      <attributes>
        <attribute>
          <variable>true</variable><code>WHISHETN</code><datatype>singlevaluelist</datatype>
          <required>true</required><datatype_description></datatype_description><order>1</order>
          <description>What is the ticket/tag/DL number?</description>
          <values>
            <value><key>123</key><name>Ford</name></value>
            <value><key>124</key><name>Chrysler</name></value>
          </values>
        </attribute>
        <attribute>
          <variable>true</variable><code>NOTE</code><datatype>text</datatype>
          <required>false</required><order>3</order><description>Anything else?</description>
        </attribute>
        <attribute>
          <variable>false</variable><code>INFO</code><datatype>string</datatype>
          <required>false</required><order>0</order><description>Please have your DL ready.</description>
        </attribute>
        <attribute>
          <variable>true</variable><code>KINDS</code><datatype>multivaluelist</datatype>
          <required>false</required><order>2</order><description>Which kinds?</description>
          <values><value><key>a</key><name>A</name></value></values>
          <vendor_extension>ignored</vendor_extension>
        </attribute>
      </attributes>
    </service_definition>"#;
    let from_json = open311::service_definition(Format::Json, json).expect("JSON");
    let from_xml = open311::service_definition(Format::Xml, xml).expect("XML");
    assert_eq!(from_json, from_xml);
    let questions: Vec<&str> = from_json
        .questions()
        .iter()
        .map(|a| a.code.as_str())
        .collect();
    assert_eq!(
        questions,
        ["WHISHETN", "KINDS", "NOTE"],
        "by order, information left out"
    );
    let first = &from_json.attributes[0];
    assert_eq!(first.datatype, Datatype::Singlevaluelist);
    assert!(first.required);
    assert_eq!(first.values[0].key, "123", "a numeric key read as text");
    assert_eq!(from_json.attributes[3].datatype, Datatype::Multivaluelist);
}

#[test]
fn requests_in_xml_with_one_child_empty_elements_and_extras() {
    let xml = br#"<?xml version="1.0" encoding="utf-8"?>
    <service_requests>
      <request>
        <service_request_id>638344</service_request_id>
        <status>closed</status>
        <status_notes>Duplicate request.</status_notes>
        <service_name>Sidewalk and Curb Issues</service_name>
        <service_code>006</service_code>
        <description/>
        <agency_responsible></agency_responsible>
        <requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>
        <address>8TH AVE and JUDAH ST</address>
        <lat>37.762221815</lat>
        <long>-122.4651145</long>
        <media_url>http://city.gov.s3.amazonaws.com/requests/media/638344.jpg</media_url>
        <something_new>kept out</something_new>
      </request>
    </service_requests>"#;
    let requests = open311::requests(Format::Xml, xml).expect("XML requests");
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.service_request_id, "638344");
    assert_eq!(r.status, Status::Closed);
    assert!(!r.status.is_open());
    assert_eq!(r.description, None);
    assert_eq!(r.agency_responsible, None);
    assert_eq!(r.lat, Some(37.762221815));
    assert_eq!(r.lon, Some(-122.4651145));
    assert_eq!(
        open311::requests(Format::Xml, b"<service_requests></service_requests>")
            .expect("an empty list")
            .len(),
        0
    );
    assert_eq!(open311::requests(Format::Json, b"[]").expect("[]").len(), 0);
}

#[test]
fn receipts_and_tokens() {
    let id = open311::receipts(
        Format::Json,
        br#"[{"service_request_id": 293944, "service_notice": "The City will inspect within 3 working days.", "account_id": null}]"#,
    )
    .expect("receipt");
    assert_eq!(id[0].service_request_id.as_deref(), Some("293944"));
    assert_eq!(id[0].account_id, None);
    let token = open311::receipts(
        Format::Xml,
        b"<service_requests><request><token>12345</token></request></service_requests>",
    )
    .expect("token");
    assert_eq!(token[0].token.as_deref(), Some("12345"));
    assert_eq!(token[0].service_request_id, None);
}

#[test]
fn error_arrays_in_both_formats() {
    let json = open311::refusal(
        Format::Json,
        403,
        br#"[{"code": 403, "description": "Invalid api_key received -- can't proceed with create_request."}]"#,
    );
    let xml = open311::refusal(
        Format::Xml,
        403,
        b"<errors><error><code>403</code><description>Invalid api_key received -- can't proceed with create_request.</description></error></errors>",
    );
    for refusal in [&json, &xml] {
        match refusal {
            Open311Error::Refused { status, errors } => {
                assert_eq!(*status, 403);
                assert_eq!(errors.len(), 1);
                assert_eq!(errors[0].code, "403");
                assert!(errors[0].description.starts_with("Invalid api_key"));
            }
            other => panic!("{other:?}"),
        }
    }
    // A 404 page in HTML is still a refusal, with no reasons.
    let html = open311::refusal(Format::Json, 404, b"<html>Not Found</html>");
    assert!(matches!(html, Open311Error::Refused { status: 404, ref errors } if errors.is_empty()));
}

#[test]
fn what_is_not_georeport_is_a_clear_error() {
    for (format, body) in [
        (Format::Json, &b"{\"services\": 1}"[..]),
        (Format::Json, b"[{\"service_name\": \"no code\"}]"),
        (
            Format::Xml,
            b"<services><service><service_name>no code</service_name></service></services>",
        ),
        (Format::Xml, b"<services><service>"),
        (Format::Json, b""),
        (Format::Xml, b"\xff\xfe"),
    ] {
        let result = open311::services(format, body);
        assert!(
            matches!(result, Err(Open311Error::Malformed { .. })),
            "{format}: {:?} -> {result:?}",
            String::from_utf8_lossy(body)
        );
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_bytes_give_an_answer_or_an_error(body in proptest::collection::vec(any::<u8>(), 0..512)) {
            for format in [Format::Json, Format::Xml] {
                let _ = open311::services(format, &body);
                let _ = open311::requests(format, &body);
                let _ = open311::service_definition(format, &body);
                let _ = open311::refusal(format, 400, &body);
            }
        }

        #[test]
        fn any_xml_like_text_gives_an_answer_or_an_error(
            body in "(<(service|request|services|attributes|values|value)>|</(service|request|services|attributes|values|value)>|[a-z0-9 ]{0,8}|<[a-z_]{1,12}/>){0,40}"
        ) {
            let _ = open311::services(Format::Xml, body.as_bytes());
            let _ = open311::requests(Format::Xml, body.as_bytes());
            let _ = open311::service_definition(Format::Xml, body.as_bytes());
        }

        /// What an endpoint writes as JSON, whether numbers come as numbers or as text,
        /// reads back to the same values.
        #[test]
        fn requests_read_back(
            id in "[A-Za-z0-9-]{1,12}",
            lat in -90.0f64..90.0,
            lon in -180.0f64..180.0,
            as_text in any::<bool>(),
            notes in proptest::option::of("[^\u{0}]{0,40}"),
        ) {
            let number = |n: f64| if as_text { serde_json::json!(n.to_string()) } else { serde_json::json!(n) };
            let body = serde_json::json!([{
                "service_request_id": id,
                "status": "open",
                "status_notes": notes,
                "lat": number(lat),
                "long": number(lon),
            }]);
            let read = open311::requests(Format::Json, body.to_string().as_bytes()).expect("valid");
            prop_assert_eq!(&read[0].service_request_id, &id);
            prop_assert_eq!(read[0].lat, Some(lat));
            prop_assert_eq!(read[0].lon, Some(lon));
            let expected = notes.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
            prop_assert_eq!(&read[0].status_notes, &expected);
        }
    }
}

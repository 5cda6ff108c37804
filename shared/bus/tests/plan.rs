//! Journey planning on real feeds: RAPTOR's answers checked against a plain connection scan
//! with the same semantics, and each journey checked leg by leg.
#![allow(clippy::expect_used)]

use civic_bus::csa::{Connections, earliest_arrival};
use civic_bus::raptor::{self, DayTimetable, Leg, MAX_WALK_M, haversine_m};
use civic_bus::{Feed, plan_journeys};
use civic_test_support::Lcg;

fn feed(path: &str) -> Feed {
    let path = civic_test_support::shared_data().join(path);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Feed::read(&bytes).expect("a feed").0
}

fn check_day(feed: &Feed, date: jiff::civil::Date, queries: usize) {
    let day = DayTimetable::build(feed, date, raptor::footpaths(feed));
    let connections = Connections::of(&day);
    let stops = feed.stops.len();
    let mut random = Lcg(u64::from(date.day() as u8) + 17);
    let mut found = 0;
    for _ in 0..queries {
        let (from, to) = (random.below(stops) as u32, random.below(stops) as u32);
        let depart = (5 * 3600 + random.below(17 * 3600)) as i32;
        let journeys = raptor::plan(&day, &feed.same_stop_changes, from, to, depart);
        let best = journeys.last().map(|j| j.arrival);
        let scanned = earliest_arrival(
            &day,
            &connections,
            &feed.same_stop_changes,
            from,
            to,
            depart,
        );
        assert_eq!(
            best, scanned,
            "{from} → {to} at {depart}: RAPTOR {journeys:?}"
        );
        found += usize::from(best.is_some());
        // Fewer rides, later arrival: each journey beats those with fewer rides.
        assert!(
            journeys
                .windows(2)
                .all(|w| w[0].rides < w[1].rides && w[0].arrival > w[1].arrival)
        );
        for journey in &journeys {
            let rides = journey
                .legs
                .iter()
                .filter(|l| matches!(l, Leg::Ride { .. }))
                .count();
            assert_eq!(rides, journey.rides);
            assert!(journey.rides <= raptor::MAX_RIDES);
            let mut at = (from, depart);
            let mut walked_last = false;
            for leg in &journey.legs {
                match *leg {
                    Leg::Ride {
                        from,
                        to: next,
                        depart,
                        arrive,
                        ..
                    } => {
                        assert_eq!(from, at.0, "legs connect");
                        assert!(depart >= at.1, "a ride leaves after the rider is there");
                        assert!(arrive >= depart);
                        at = (next, arrive);
                        walked_last = false;
                    }
                    Leg::Walk {
                        from,
                        to: next,
                        seconds,
                    } => {
                        assert_eq!(from, at.0);
                        assert!(!walked_last, "never two walks in a row");
                        let (a, b) = (&feed.stops[from as usize], &feed.stops[next as usize]);
                        let metres = haversine_m(a.lat, a.lon, b.lat, b.lon);
                        assert!(metres <= MAX_WALK_M);
                        assert_eq!(seconds, (metres / 1.2).ceil() as i32);
                        at = (next, at.1 + seconds);
                        walked_last = true;
                    }
                }
            }
            assert_eq!(
                at,
                (to, journey.arrival),
                "the last leg ends at the target, on time"
            );
        }
    }
    assert!(
        found > queries / 2,
        "most pairs are connected: {found} of {queries}"
    );
}

#[test]
fn bart_journeys_match_a_connection_scan() {
    let bart = feed("gtfs/511_BA_bart_2018.zip");
    // A Wednesday and a Sunday of the feed's calendar.
    check_day(&bart, jiff::civil::date(2018, 6, 13), 300);
    check_day(&bart, jiff::civil::date(2018, 6, 17), 100);
}

#[test]
fn caltrain_journeys_match_a_connection_scan() {
    check_day(
        &feed("gtfs/511_CT_caltrain_2018.zip"),
        jiff::civil::date(2018, 6, 13),
        300,
    );
}

#[test]
fn a_plan_names_stops_and_trips_by_their_feed_ids() {
    let caltrain = feed("gtfs/511_CT_caltrain_2018.zip");
    let depart = civic_time::parse_datetime("2018-06-13T08:00:00-07:00", &civic_time::vietnam())
        .expect("moment");
    let plan = plan_journeys(&caltrain, "70012", "70262", depart).expect("stops");
    assert_eq!(plan.service_date, "2018-06-13");
    let direct = plan.journeys.first().expect("a journey");
    assert_eq!(direct.rides, 1);
    match &direct.legs[..] {
        [
            civic_types::bus::Leg::Ride {
                from, to, depart, ..
            },
        ] => {
            assert_eq!((from.as_str(), to.as_str()), ("70012", "70262"));
            assert!(*depart >= 8 * 3600);
        }
        other => panic!("one ride expected: {other:?}"),
    }
    assert!(plan_journeys(&caltrain, "70012", "nowhere", depart).is_err());
}

# City bus: the timetable kept on the device, live data when online.
feature-bus = Bus
feature-bus-hint = Stops near you, when the bus comes, journeys — also without a connection
bus-heading = Bus
bus-loading = Opening the bus timetable…
bus-no-timetable = No bus timetable on this device yet. Connect once to receive the city's.
bus-timetable-age = Timetable on this device, last checked { $time }.
bus-timetable-stale = The timetable has not been updated for a long time and may have changed.
bus-live-fresh = Live data ({ $seconds } seconds old).
bus-live-stale = Live data is old: scheduled times only.
bus-live-missing = No live data: scheduled times only.
bus-departure-scheduled = Scheduled
bus-departure-cancelled = Cancelled
bus-departure-expected = { $minutes ->
    [0] Live: on time, { $time }
   *[other] Live: expected { $time } ({ $minutes } min)
}
bus-alerts = Service alerts
bus-plan = Plan a journey by bus
bus-search = Find a stop
bus-search-label = Stop name (accents optional)
bus-search-none = No stop found.
bus-nearby = Stops near me
bus-nearby-button = Find stops around my position
bus-nearby-no-position = The device gives no position. Find a stop by name.
bus-nearby-none = No stop within 800 m.
bus-distance = { $metres } m away
bus-stop-routes = routes { $routes }
bus-starred = Saved stops and routes
bus-starred-none = No saved stop or route yet. Press “Save” on a stop's page to see its times at a glance, even offline.
bus-star = Save
bus-unstar = Remove from saved
bus-stop = Stop
bus-departures = Next departures
bus-no-departures = No more departures today.
bus-col-time = Scheduled
bus-col-route = Route
bus-col-headsign = Towards
bus-col-live = Status
bus-route = Bus route
bus-route-heading = Route { $name }
bus-route-stops = Stops
bus-vehicles = Buses on the road
bus-vehicle = Bus { $vehicle }, position { $seconds } seconds old
bus-map-label = Map of route { $name }: { $stops } stops, { $vehicles } buses on the road
bus-map-caption = Drawn on the device from the timetable, no connection needed. Red squares are buses.
bus-plan-from = From
bus-plan-to = To
bus-plan-chosen = Chosen: { $name }
bus-plan-change = Change
bus-plan-go = Find journeys leaving now
bus-plan-none = No journey found from now.
bus-plan-results = Journeys
bus-journey = Arrive { $arrival }, { $rides ->
    [1] one ride
   *[other] { $rides } rides
}
bus-leg-ride = Route { $route }: board at { $from } { $depart }, get off at { $to } { $arrive }
bus-leg-walk = Walk { $minutes } min from { $from } to { $to }

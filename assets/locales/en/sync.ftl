# Sync with the province's server and offline data.
offline-data = Offline data from { $date }
offline-data-procedures = { $count } procedures
notice-catalog-rebuilt = The procedure data on this device was damaged and has been rebuilt from the copy inside the app.
sync-last-checked = Last updated: { $time }
sync-never = Not yet updated from the province's server
sync-now = Update now
sync-in-progress = Downloading new data…
sync-offline = Cannot reach the province's server. The app still works with the data saved on this device.
sync-failed = New data could not be loaded: { $reason } The saved data still works.
sync-stale = The data on this device has not been updated for a while and may be out of date. Connect to the internet to update it.

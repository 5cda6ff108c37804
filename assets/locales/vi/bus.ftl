# Xe buýt: lịch chạy lưu trên máy, dữ liệu trực tuyến khi có mạng.
feature-bus = Xe buýt
feature-bus-hint = Điểm dừng gần bạn, giờ xe đến, tìm đường đi — dùng được cả khi không có mạng
bus-heading = Xe buýt
bus-loading = Đang mở lịch chạy xe buýt…
bus-no-timetable = Máy chưa có lịch chạy xe buýt. Hãy kết nối mạng một lần để nhận lịch của thành phố.
bus-timetable-age = Lịch chạy trên máy, kiểm tra lần cuối lúc { $time }.
bus-timetable-stale = Lịch chạy đã lâu chưa được cập nhật, có thể đã thay đổi.
bus-live-fresh = Có dữ liệu trực tuyến (cách đây { $seconds } giây).
bus-live-stale = Dữ liệu trực tuyến đã cũ: chỉ hiển thị giờ theo lịch.
bus-live-missing = Không có dữ liệu trực tuyến: chỉ hiển thị giờ theo lịch.
bus-departure-scheduled = Theo lịch
bus-departure-cancelled = Đã hủy chuyến
bus-departure-expected = { $minutes ->
    [0] Trực tuyến: đúng giờ, { $time }
   *[other] Trực tuyến: dự kiến { $time } ({ $minutes } phút)
}
bus-alerts = Thông báo của nhà xe
bus-plan = Tìm đường đi bằng xe buýt
bus-search = Tìm điểm dừng
bus-search-label = Tên điểm dừng (gõ có dấu hay không dấu đều được)
bus-search-none = Không tìm thấy điểm dừng nào.
bus-nearby = Điểm dừng gần tôi
bus-nearby-button = Tìm điểm dừng quanh vị trí của tôi
bus-nearby-no-position = Máy không cho biết vị trí. Hãy tìm điểm dừng theo tên.
bus-nearby-none = Không có điểm dừng nào trong vòng 800 m.
bus-distance = cách { $metres } m
bus-stop-routes = tuyến { $routes }
bus-starred = Điểm dừng và tuyến đã lưu
bus-starred-none = Chưa lưu điểm dừng hay tuyến nào. Bấm “Lưu” trên trang điểm dừng để xem nhanh giờ xe, kể cả khi không có mạng.
bus-star = Lưu
bus-unstar = Bỏ lưu
bus-stop = Điểm dừng
bus-departures = Các chuyến sắp đến
bus-no-departures = Không còn chuyến nào hôm nay.
bus-col-time = Giờ theo lịch
bus-col-route = Tuyến
bus-col-headsign = Hướng đi
bus-col-live = Tình trạng
bus-route = Tuyến xe buýt
bus-route-heading = Tuyến { $name }
bus-route-stops = Các điểm dừng
bus-vehicles = Xe đang chạy
bus-vehicle = Xe { $vehicle }, vị trí cách đây { $seconds } giây
bus-map-label = Bản đồ tuyến { $name }: { $stops } điểm dừng, { $vehicles } xe đang chạy
bus-map-caption = Bản đồ vẽ trên máy từ lịch chạy, không cần mạng. Ô đỏ là xe đang chạy.
bus-plan-from = Đi từ
bus-plan-to = Đến
bus-plan-chosen = Đã chọn: { $name }
bus-plan-change = Chọn lại
bus-plan-go = Tìm hành trình, đi ngay bây giờ
bus-plan-none = Không tìm được hành trình nào từ bây giờ.
bus-plan-results = Các hành trình
bus-journey = Đến nơi lúc { $arrival }, { $rides ->
    [1] đi 1 chuyến xe
   *[other] đổi { $rides } chuyến xe
}
bus-leg-ride = Tuyến { $route }: { $depart } lên xe tại { $from }, { $arrive } xuống tại { $to }
bus-leg-walk = Đi bộ { $minutes } phút từ { $from } đến { $to }

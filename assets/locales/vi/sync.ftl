# Đồng bộ với máy chủ của tỉnh và dữ liệu ngoại tuyến.
offline-data = Dữ liệu ngoại tuyến ngày { $date }
offline-data-procedures = { $count } thủ tục
notice-catalog-rebuilt = Dữ liệu thủ tục trên máy bị hỏng nên đã được dựng lại từ bản có sẵn trong ứng dụng.
sync-last-checked = Cập nhật lần cuối: { $time }
sync-never = Chưa cập nhật từ máy chủ của tỉnh
sync-now = Cập nhật ngay
sync-in-progress = Đang tải dữ liệu mới…
sync-offline = Không kết nối được máy chủ của tỉnh. Ứng dụng vẫn dùng được với dữ liệu đã lưu trên máy.
sync-failed = Chưa cập nhật được dữ liệu mới: { $reason } Dữ liệu cũ vẫn dùng được.
sync-stale = Dữ liệu trên máy đã lâu chưa được cập nhật nên có thể đã cũ. Hãy kết nối mạng để cập nhật.

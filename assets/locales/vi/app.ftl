# Civic — tiếng Việt (ngôn ngữ mặc định). Câu ngắn, từ ngữ quen thuộc.
# Khung ứng dụng: tên, điều hướng, cài đặt, trang chủ.
app-name = Civic
app-tagline = Dịch vụ công trong một ứng dụng
skip-to-content = Bỏ qua, đến nội dung chính
nav-home = Trang chủ
nav-back = Quay lại
settings-language = Ngôn ngữ
settings-text-size = Cỡ chữ
text-size-normal = Vừa
text-size-large = Lớn
text-size-largest = Rất lớn
home-heading = Bạn cần làm gì?
home-features = Các dịch vụ
error-generic = Có lỗi: { $message }
loading = Đang tải…

page-not-found = Không có trang này trong ứng dụng.

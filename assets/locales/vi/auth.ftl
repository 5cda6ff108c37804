# Đăng nhập bằng định danh điện tử và tài khoản.
session-sign-in = Đăng nhập
session-sign-in-again = Đăng nhập lại
session-account-label = Tài khoản của { $name }
session-expired = Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại. Những gì bạn đang nhập trên trang này vẫn được giữ nguyên.
session-waiting = Hãy đăng nhập trên trình duyệt vừa mở. Xong việc, ứng dụng sẽ tự cập nhật.
session-browser-not-opened = Không mở được trình duyệt. Hãy sao chép địa chỉ dưới đây rồi mở bằng trình duyệt để đăng nhập.
session-link-label = Địa chỉ trang đăng nhập
session-dismiss = Đóng
session-try-again = Thử lại
account-heading = Tài khoản
account-name = Họ và tên
account-citizen-id = Số định danh cá nhân
account-citizen-id-spoken = Số định danh cá nhân có bốn số cuối là { $digits }
account-citizen-id-missing = Chưa có
account-renewal = Phiên đăng nhập được tự động gia hạn khi ứng dụng đang mở. Tra cứu thủ tục và quét mã QR vẫn dùng được khi chưa đăng nhập.
account-sign-out = Đăng xuất
account-signed-out = Bạn chưa đăng nhập.

//! Tiếng Việt (Vietnamese).

use super::Catalog;

pub(super) const CATALOG: Catalog = Catalog {
    app_title: "Haven — người bạn đồng hành từ phòng khám",
    skip_to_content: "Chuyển đến nội dung",
    nav_label: "Các mục",
    loading: "Đang tải…",
    offline_notice: "Bạn đang ngoại tuyến. Mọi thứ bạn lưu vẫn ở trên thiết bị này, và những gì bạn gửi sẽ được gửi đi khi có mạng trở lại.",
    emergency_call: "Trường hợp khẩn cấp, hãy gọi {}",
    clinic_unreachable: "Không kết nối được với phòng khám. Một số thông tin có thể thiếu cho đến khi có mạng trở lại.",
    db_closed_by_update: "Haven vừa được cập nhật ở một thẻ khác. Hãy tải lại trang này để tiếp tục; không có dữ liệu nào bị mất.",
    reload: "Tải lại",
    learn: "Tìm hiểu",
    learn_intro: "Thông tin dễ hiểu về triệu chứng và bệnh từ phòng khám của bạn, và khi nào cần đi khám.",
    module_unavailable: "Hiện không tải được mục này. Hãy kiểm tra kết nối mạng rồi thử lại.",
    crisis_heading: "Cần giúp đỡ ngay?",
    crisis_intro: "Nếu bạn đang nghĩ đến việc tự làm hại bản thân, hoặc lo lắng cho ai đó, bạn có thể nói chuyện với người hỗ trợ ngay bây giờ.",
    crisis_hours: "Thời gian: {}",
    crisis_no_lines: "Nếu bạn có thể làm theo những suy nghĩ này hoặc đang gặp nguy hiểm, hãy gọi {} ngay.",
    call_emergency: "Gọi cấp cứu",
    call: "Gọi {}",
    appointments: "Lịch hẹn",
    community: "Cộng đồng",
    records: "Hồ sơ của tôi",
    records_intro: "Hồ sơ sức khỏe cá nhân của bạn: bệnh, thuốc, dị ứng, chỉ số đo và tài liệu, do chính bạn quản lý.",
    records_on_device: "Hồ sơ của bạn chỉ nằm trên thiết bị này. Phòng khám không thể xem trừ khi bạn chọn gửi một phần.",
    settings: "Cài đặt & quyền riêng tư",
    not_found: "Không tìm thấy trang",
    not_found_body: "Trang này không có trong Haven.",
    go_to_learn: "Đến mục Tìm hiểu",
    language: "Ngôn ngữ",
};

//! The Appointments section's catalogue. It travels in the section's chunk, not in the shell.

use crate::i18n::{Texts, current_lang};

/// Every string of the section, per language.
#[allow(missing_docs)]
pub struct AppointmentsText {
    pub appointments_intro: &'static str,
    pub opening_hours: &'static str,
    pub closed: &'static str,
    pub reasons_heading: &'static str,
}

/// The section's catalogue in the patient's language.
pub fn t() -> &'static AppointmentsText {
    TEXT.get(current_lang())
}

static TEXT: Texts<AppointmentsText> = Texts {
    en: AppointmentsText {
        appointments_intro: "Ask the clinic for an appointment. If your connection drops, your request is kept on this device and sent once you are back online.",
        opening_hours: "Opening hours",
        closed: "Closed",
        reasons_heading: "Reasons you can book for",
    },
    vi: AppointmentsText {
        appointments_intro: "Đề nghị phòng khám đặt lịch hẹn. Nếu mất kết nối, yêu cầu của bạn được giữ trên thiết bị này và gửi đi khi có mạng trở lại.",
        opening_hours: "Giờ mở cửa",
        closed: "Đóng cửa",
        reasons_heading: "Các lý do bạn có thể đặt lịch",
    },
};

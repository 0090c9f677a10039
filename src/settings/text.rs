//! Settings & privacy's catalogue. It travels in the section's chunk, not in the shell.

use crate::i18n::{Texts, current_lang};

/// Every string of the section, per language.
#[allow(missing_docs)]
pub struct SettingsText {
    pub settings_intro: &'static str,
    pub language_help: &'static str,
    pub outbox_heading: &'static str,
    pub outbox_empty: &'static str,
    pub outbox_intro: &'static str,
    pub outbox_waiting: &'static str,
    pub outbox_sending: &'static str,
    pub outbox_failed: &'static str,
    pub outbox_paused: &'static str,
    pub outbox_delivered: &'static str,
    pub outbox_created: &'static str,
    pub outbox_attempts: &'static str,
    pub outbox_last_error: &'static str,
    pub retry_now: &'static str,
    pub cancel_send: &'static str,
    pub storage_heading: &'static str,
    pub storage_used: &'static str,
    pub storage_unknown: &'static str,
    pub privacy_heading: &'static str,
    pub privacy_body: &'static str,
}

/// The section's catalogue in the patient's language.
pub fn t() -> &'static SettingsText {
    TEXT.get(current_lang())
}

static TEXT: Texts<SettingsText> = Texts {
    en: SettingsText {
        settings_intro: "Choose your language, see what is waiting to be sent, and check how Haven stores your information.",
        language_help: "Haven remembers your choice on this device.",
        outbox_heading: "Waiting to send",
        outbox_empty: "Nothing is waiting to be sent.",
        outbox_intro: "These are kept on this device and sent to the clinic once, as soon as a connection allows.",
        outbox_waiting: "Waiting",
        outbox_sending: "Sending",
        outbox_failed: "Needs your attention",
        outbox_paused: "Not sent for 7 days — send it now, or cancel it",
        outbox_delivered: "Sent",
        outbox_created: "Created",
        outbox_attempts: "Attempts",
        outbox_last_error: "Last problem",
        retry_now: "Retry now",
        cancel_send: "Cancel sending",
        storage_heading: "Storage on this device",
        storage_used: "Haven uses {} on this device.",
        storage_unknown: "This browser does not say how much storage Haven uses.",
        privacy_heading: "Your privacy",
        privacy_body: "Haven runs in its own protected frame: the website around it cannot read what you type or save here. Nothing about your health leaves this device unless you send it, and you always see what is sent.",
    },
    vi: SettingsText {
        settings_intro: "Chọn ngôn ngữ, xem những gì đang chờ gửi, và kiểm tra cách Haven lưu thông tin của bạn.",
        language_help: "Haven ghi nhớ lựa chọn của bạn trên thiết bị này.",
        outbox_heading: "Đang chờ gửi",
        outbox_empty: "Không có gì đang chờ gửi.",
        outbox_intro: "Những mục này được giữ trên thiết bị và gửi đến phòng khám một lần duy nhất, ngay khi có kết nối.",
        outbox_waiting: "Đang chờ",
        outbox_sending: "Đang gửi",
        outbox_failed: "Cần bạn xem lại",
        outbox_paused: "Chưa gửi được sau 7 ngày — hãy gửi ngay hoặc hủy",
        outbox_delivered: "Đã gửi",
        outbox_created: "Tạo lúc",
        outbox_attempts: "Số lần thử",
        outbox_last_error: "Sự cố gần nhất",
        retry_now: "Thử lại ngay",
        cancel_send: "Hủy gửi",
        storage_heading: "Dung lượng trên thiết bị này",
        storage_used: "Haven đang dùng {} trên thiết bị này.",
        storage_unknown: "Trình duyệt này không cho biết Haven dùng bao nhiêu dung lượng.",
        privacy_heading: "Quyền riêng tư của bạn",
        privacy_body: "Haven chạy trong một khung được bảo vệ riêng: trang web bên ngoài không thể đọc những gì bạn nhập hoặc lưu ở đây. Không thông tin sức khỏe nào rời khỏi thiết bị này trừ khi bạn gửi, và bạn luôn thấy rõ những gì được gửi.",
    },
};

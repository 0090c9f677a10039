//! The Appointments section's catalogue. It travels in the section's chunk, not in the shell.

use haven_api::appointments::{Slot, TimeWindow, VisitType};
use haven_api::config::OpeningHours;
use haven_api::date::Date;

use super::validate::{Problem, minutes, weekday};
use crate::i18n::{Texts, current_lang, fill};
use crate::intl;

/// Every string of the section, per language.
#[allow(missing_docs)]
pub struct AppointmentsText {
    pub appointments_intro: &'static str,
    pub opening_hours: &'static str,
    pub closed: &'static str,
    pub config_missing: &'static str,
    // My requests
    pub my_requests: &'static str,
    pub no_requests: &'static str,
    pub request_untitled: &'static str,
    pub preferred: &'static str,
    pub requested_on: &'static str,
    pub status_offline: &'static str,
    pub status_waiting: &'static str,
    pub status_paused: &'static str,
    pub status_withdrawing: &'static str,
    pub cancel_request: &'static str,
    pub cancelled_done: &'static str,
    pub cancel_undo_done: &'static str,
    pub status_sending: &'static str,
    pub status_sent: &'static str,
    pub status_refused: &'static str,
    pub status_received: &'static str,
    pub status_contacted: &'static str,
    pub status_confirmed_at: &'static str,
    pub status_confirmed: &'static str,
    pub status_proposed_at: &'static str,
    pub status_proposed: &'static str,
    pub status_declined: &'static str,
    pub status_withdrawn: &'static str,
    pub clinic_message: &'static str,
    pub refused_help: &'static str,
    pub refused_details: &'static str,
    pub send_now: &'static str,
    pub accept: &'static str,
    pub decline: &'static str,
    pub fix_and_resend: &'static str,
    pub withdraw: &'static str,
    pub withdraw_confirm: &'static str,
    pub withdraw_yes: &'static str,
    pub withdraw_no: &'static str,
    pub withdrawn_done: &'static str,
    pub accepted_done: &'static str,
    pub declined_done: &'static str,
    pub action_offline: &'static str,
    pub action_outdated: &'static str,
    pub action_failed: &'static str,
    pub fix_unreadable: &'static str,
    pub fix_ready: &'static str,
    // The form
    pub form_heading: &'static str,
    pub form_intro: &'static str,
    pub draft_restored: &'static str,
    pub discard_draft: &'static str,
    pub fixing_note: &'static str,
    pub errors_heading: &'static str,
    pub optional: &'static str,
    pub reason_legend: &'static str,
    pub unknown_reason: &'static str,
    pub reason_other: &'static str,
    pub reason_text: &'static str,
    pub reason_text_hint: &'static str,
    pub windows_legend: &'static str,
    pub windows_hint: &'static str,
    pub window_legend: &'static str,
    pub window_date: &'static str,
    pub window_from: &'static str,
    pub window_to: &'static str,
    pub add_window: &'static str,
    pub remove_window: &'static str,
    pub remove_window_label: &'static str,
    pub visit_legend: &'static str,
    pub visit_in_person: &'static str,
    pub visit_phone: &'static str,
    pub visit_video: &'static str,
    pub new_patient_legend: &'static str,
    pub new_patient_yes: &'static str,
    pub new_patient_no: &'static str,
    pub name: &'static str,
    pub birth_date: &'static str,
    pub phone: &'static str,
    pub phone_hint: &'static str,
    pub email: &'static str,
    pub language: &'static str,
    pub notes: &'static str,
    pub consent: &'static str,
    pub website: &'static str,
    pub attach_heading: &'static str,
    pub attach_hint: &'static str,
    pub attach_show: &'static str,
    pub attach_loading: &'static str,
    pub attach_failed: &'static str,
    pub retry: &'static str,
    pub documents_refused: &'static str,
    pub remove_documents: &'static str,
    pub send: &'static str,
    pub sending: &'static str,
    pub submitted: &'static str,
    pub submitted_offline: &'static str,
    pub save_failed: &'static str,
    // Emergency and crisis
    pub emergency_heading: &'static str,
    pub emergency_body: &'static str,
    pub emergency_call: &'static str,
    pub emergency_still_send: &'static str,
    pub crisis_alert: &'static str,
    // Field names in the error summary
    pub field_reason: &'static str,
    pub field_window: &'static str,
    pub field_consent: &'static str,
    // Problems
    pub msg_reason_missing: &'static str,
    pub msg_too_long: &'static str,
    pub msg_date_missing: &'static str,
    pub msg_date_invalid: &'static str,
    pub msg_date_past: &'static str,
    pub msg_date_too_far: &'static str,
    pub msg_closed_on: &'static str,
    pub msg_time_missing: &'static str,
    pub msg_time_invalid: &'static str,
    pub msg_time_order: &'static str,
    pub msg_outside_hours: &'static str,
    pub msg_time_past: &'static str,
    pub msg_duplicate: &'static str,
    pub msg_name_missing: &'static str,
    pub msg_birth_missing: &'static str,
    pub msg_birth_invalid: &'static str,
    pub msg_phone_missing: &'static str,
    pub msg_phone_invalid: &'static str,
    pub msg_email_invalid: &'static str,
    pub msg_choice_missing: &'static str,
    pub msg_consent_missing: &'static str,
    pub msg_documents: &'static str,
    pub msg_attachments_unavailable: &'static str,
    pub msg_too_many: &'static str,
}

/// The section's catalogue in the patient's language.
pub fn t() -> &'static AppointmentsText {
    TEXT.get(current_lang())
}

/// A problem's message, in the patient's language (`tag` formats days and times).
pub fn message(problem: &Problem, tag: &str) -> String {
    let t = t();
    match problem {
        Problem::ReasonMissing => t.msg_reason_missing.to_owned(),
        Problem::TooLong(max) => fill(t.msg_too_long, &max.to_string()),
        Problem::DateMissing => t.msg_date_missing.to_owned(),
        Problem::DateInvalid => t.msg_date_invalid.to_owned(),
        Problem::DatePast => t.msg_date_past.to_owned(),
        Problem::DateTooFar => fill(
            t.msg_date_too_far,
            &haven_api::appointments::MAX_DAYS_AHEAD.to_string(),
        ),
        Problem::ClosedOn(day) => fill(t.msg_closed_on, &intl::weekday(tag, *day)),
        Problem::TimeMissing => t.msg_time_missing.to_owned(),
        Problem::TimeInvalid => t.msg_time_invalid.to_owned(),
        Problem::TimeOrder => t.msg_time_order.to_owned(),
        Problem::OutsideHours { opens, closes } => fill(
            &fill(t.msg_outside_hours, &clock(tag, opens)),
            &clock(tag, closes),
        ),
        Problem::TimePast => t.msg_time_past.to_owned(),
        Problem::Duplicate => t.msg_duplicate.to_owned(),
        Problem::NameMissing => t.msg_name_missing.to_owned(),
        Problem::BirthMissing => t.msg_birth_missing.to_owned(),
        Problem::BirthInvalid => t.msg_birth_invalid.to_owned(),
        Problem::PhoneMissing => t.msg_phone_missing.to_owned(),
        Problem::PhoneInvalid => t.msg_phone_invalid.to_owned(),
        Problem::EmailInvalid => t.msg_email_invalid.to_owned(),
        Problem::ChoiceMissing => t.msg_choice_missing.to_owned(),
        Problem::ConsentMissing => t.msg_consent_missing.to_owned(),
        Problem::DocumentsAttached => t.msg_documents.to_owned(),
        Problem::AttachmentsUnavailable => t.msg_attachments_unavailable.to_owned(),
        Problem::TooManyAttachments => fill(
            t.msg_too_many,
            &haven_api::appointments::MAX_ATTACHMENTS.to_string(),
        ),
    }
}

/// A field's name in the error summary, from its server name.
pub fn field_name(field: &str) -> String {
    let t = t();
    let mut parts = field.split('.');
    let name = match parts.next().unwrap_or_default() {
        "reason_text" => t.field_reason,
        "new_patient" => t.new_patient_legend,
        "name" => t.name,
        "birth_date" => t.birth_date,
        "phone" => t.phone,
        "email" => t.email,
        "notes" => t.notes,
        "consent" => t.field_consent,
        "attachments" => t.attach_heading,
        "visit_type" => t.visit_legend,
        "language" => t.language,
        "windows" => {
            let number = parts
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .map_or(1, |n| n + 1);
            let window = fill(t.field_window, &number.to_string());
            let part = match parts.next() {
                Some("date") => t.window_date,
                Some("from") => t.window_from,
                Some("to") => t.window_to,
                _ => return window,
            };
            return format!("{window}, {part}");
        }
        other => other,
    };
    name.to_owned()
}

/// `HH:MM` as the locale writes a time of day.
fn clock(tag: &str, text: &str) -> String {
    minutes(text).map_or_else(
        || text.to_owned(),
        |m| intl::clock_time(tag, m / 60, m % 60),
    )
}

/// A clinic-local date as the weekday and the date, such as "Tuesday, 8 Dec 2026".
fn day(tag: &str, text: &str) -> String {
    match Date::parse(text) {
        Some(date) => format!(
            "{}, {}",
            intl::weekday(tag, weekday(date)),
            intl::date(tag, date.year(), date.month(), date.day())
        ),
        None => text.to_owned(),
    }
}

/// A definite time, such as "Tuesday, 8 Dec 2026, 14:30".
pub fn slot(tag: &str, slot: &Slot) -> String {
    format!("{}, {}", day(tag, &slot.date), clock(tag, &slot.time))
}

/// A preferred window, such as "Tuesday, 8 Dec 2026, 09:00 – 11:00".
pub fn window(tag: &str, window: &TimeWindow) -> String {
    format!(
        "{}, {} – {}",
        day(tag, &window.date),
        clock(tag, &window.from),
        clock(tag, &window.to)
    )
}

/// How the patient asked to be seen.
pub fn visit_type(visit: VisitType) -> &'static str {
    let t = t();
    match visit {
        VisitType::InPerson => t.visit_in_person,
        VisitType::Phone => t.visit_phone,
        VisitType::Video => t.visit_video,
    }
}

/// Days in a row with the same hours: the first and last weekday (0 = Monday) and the hours.
pub fn hour_groups(hours: &[OpeningHours]) -> Vec<(u32, u32, String, String)> {
    let mut groups: Vec<(u32, u32, String, String)> = Vec::new();
    for day in 0..7 {
        let Some(open) = hours.iter().find(|h| h.day as u32 == day) else {
            continue;
        };
        match groups.last_mut() {
            Some(last) if last.1 + 1 == day && last.2 == open.opens && last.3 == open.closes => {
                last.1 = day;
            }
            _ => groups.push((day, day, open.opens.clone(), open.closes.clone())),
        }
    }
    groups
}

/// The opening hours in one line, such as "Monday – Friday 07:30 – 17:00; Saturday 08:00 –
/// 12:00".
pub fn opening_summary(hours: &[OpeningHours], tag: &str) -> String {
    hour_groups(hours)
        .into_iter()
        .map(|(first, last, opens, closes)| {
            let days = if first == last {
                intl::weekday(tag, first)
            } else {
                format!(
                    "{} – {}",
                    intl::weekday(tag, first),
                    intl::weekday(tag, last)
                )
            };
            format!("{days} {} – {}", clock(tag, &opens), clock(tag, &closes))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

static TEXT: Texts<AppointmentsText> = Texts {
    en: AppointmentsText {
        appointments_intro: "Ask the clinic for an appointment. If your connection drops, your request is kept on this device and sent once you are back online.",
        opening_hours: "Opening hours",
        closed: "Closed",
        config_missing: "The clinic's details could not be loaded, so the request form cannot be shown. Check your connection and reload the page, or call the clinic.",
        my_requests: "My requests",
        no_requests: "You have not sent any request from this device.",
        request_untitled: "Appointment request",
        preferred: "Preferred: {}",
        requested_on: "Requested {}",
        status_offline: "Waiting to send — you're offline; we'll send it when you're back.",
        status_waiting: "Waiting to send",
        status_paused: "Not sent yet: we stopped trying after several days without an answer. Send it now, or call the clinic.",
        status_withdrawing: "Withdrawal waiting to send: the clinic will be told you no longer need this appointment.",
        cancel_request: "Cancel request",
        cancelled_done: "Your request was cancelled and removed from this device.",
        cancel_undo_done: "Your request was cancelled. The clinic may already have it, so we will tell the clinic you withdrew it.",
        status_sending: "Sending…",
        status_sent: "Sent",
        status_refused: "Not accepted by the clinic's system",
        status_received: "Received by the clinic",
        status_contacted: "The clinic contacted you",
        status_confirmed_at: "Confirmed for {}",
        status_confirmed: "Confirmed",
        status_proposed_at: "The clinic suggests another time: {}",
        status_proposed: "The clinic suggests another time",
        status_declined: "Declined",
        status_withdrawn: "Withdrawn",
        clinic_message: "Message from the clinic: {}",
        refused_help: "Nothing was booked. Fix the request and send it again, or call the clinic.",
        refused_details: "Details",
        send_now: "Send now",
        accept: "Accept this time",
        decline: "Decline this time",
        fix_and_resend: "Fix and resend",
        withdraw: "Withdraw request",
        withdraw_confirm: "Withdraw this request? The clinic will not book it.",
        withdraw_yes: "Yes, withdraw it",
        withdraw_no: "Keep it",
        withdrawn_done: "Your request was withdrawn.",
        accepted_done: "You accepted the time. Your appointment is confirmed.",
        declined_done: "You declined the time. The clinic will look for another one.",
        action_offline: "You're offline. Try again when you're back online.",
        action_outdated: "The clinic has changed this request in the meantime. Its status is shown again.",
        action_failed: "That did not work. Try again later, or call the clinic.",
        fix_unreadable: "This request can no longer be read on this device. Please fill in the form again.",
        fix_ready: "The request is back in the form below. Check it and send it again.",
        form_heading: "Request an appointment",
        form_intro: "The clinic will contact you to confirm a time. All fields are required unless marked optional.",
        draft_restored: "We kept what you typed earlier on this device.",
        discard_draft: "Start again",
        fixing_note: "You are fixing a request the clinic's system did not accept. Sending it makes a new request and removes the old one.",
        errors_heading: "Please check these fields",
        optional: "{} (optional)",
        reason_legend: "Reason for the visit",
        unknown_reason: "The reason in the link you followed is not one this clinic offers. Please choose a reason below.",
        reason_other: "Something else",
        reason_text: "Describe the reason in your own words",
        reason_text_hint: "Required if you chose \"Something else\". Do not wait for an appointment if it is an emergency.",
        windows_legend: "When would suit you?",
        windows_hint: "Give one to three times. The clinic is open {}.",
        window_legend: "Preferred time {}",
        window_date: "Date",
        window_from: "From",
        window_to: "To",
        add_window: "Add another time",
        remove_window: "Remove",
        remove_window_label: "Remove preferred time {}",
        visit_legend: "How would you like to be seen?",
        visit_in_person: "At the clinic",
        visit_phone: "By phone",
        visit_video: "By video call",
        new_patient_legend: "Have you been to this clinic before?",
        new_patient_yes: "No, I am a new patient",
        new_patient_no: "Yes, I have been before",
        name: "Your full name",
        birth_date: "Date of birth",
        phone: "Phone number",
        phone_hint: "The clinic will call or text this number.",
        email: "Email",
        language: "Language for the clinic's answer",
        notes: "Anything else the clinic should know",
        consent: "I agree that the clinic may contact me about this request by phone, text or email.",
        website: "Website",
        attach_heading: "Items from my record",
        attach_hint: "Nothing from your record is sent unless you choose it here. Documents and photos cannot be sent yet.",
        attach_show: "Choose items from my record",
        attach_loading: "Opening your record…",
        attach_failed: "Your record could not be opened. Check your connection and try again.",
        retry: "Try again",
        documents_refused: "Documents and photos cannot be sent yet. Untick them to send the rest.",
        remove_documents: "Untick the documents",
        send: "Send request",
        sending: "Saving…",
        submitted: "Your request is saved on this device and is being sent. Its status is under My requests.",
        submitted_offline: "You're offline: your request is saved on this device and will be sent when you're back online. Its status is under My requests.",
        save_failed: "Your request could not be saved on this device. Nothing was sent. Try again, or call the clinic.",
        emergency_heading: "Do not wait for an appointment.",
        emergency_body: "If you have these symptoms now, call {} now.",
        emergency_call: "Call {}",
        emergency_still_send: "You can still send this request for a later visit.",
        crisis_alert: "You are not alone. Help is available now: see the numbers below.",
        field_reason: "Reason",
        field_window: "Preferred time {}",
        field_consent: "Agreement to be contacted",
        msg_reason_missing: "Choose a reason, or describe it in your own words.",
        msg_too_long: "Use at most {} characters.",
        msg_date_missing: "Enter a date.",
        msg_date_invalid: "Enter a real date.",
        msg_date_past: "This date has already passed. Choose today or a later day.",
        msg_date_too_far: "Choose a day within the next {} days.",
        msg_closed_on: "The clinic is closed on {}. Choose another day.",
        msg_time_missing: "Enter a time.",
        msg_time_invalid: "Enter a time of day, such as 09:30.",
        msg_time_order: "The end must be later than the start.",
        msg_outside_hours: "On that day the clinic is open from {} to {}. Choose a time inside those hours.",
        msg_time_past: "This time has already passed today. Choose a later time or day.",
        msg_duplicate: "You have already given this time.",
        msg_name_missing: "Enter your name.",
        msg_birth_missing: "Enter your date of birth.",
        msg_birth_invalid: "Enter your real date of birth; it cannot be in the future.",
        msg_phone_missing: "Enter a phone number the clinic can call.",
        msg_phone_invalid: "This does not look like a phone number. Use digits (spaces are fine), such as 0901 234 567, or + and the country code.",
        msg_email_invalid: "Enter an email address like name@example.com, or leave it empty.",
        msg_choice_missing: "Choose whether you have been to this clinic before.",
        msg_consent_missing: "Tick the box so the clinic may contact you about this request.",
        msg_documents: "Documents and photos cannot be sent yet. Untick them.",
        msg_attachments_unavailable: "Some chosen items cannot be read: unlock your record, or untick them.",
        msg_too_many: "Choose at most {} items.",
    },
    vi: AppointmentsText {
        appointments_intro: "Đề nghị phòng khám đặt lịch hẹn. Nếu mất kết nối, yêu cầu của bạn được giữ trên thiết bị này và gửi đi khi có mạng trở lại.",
        opening_hours: "Giờ mở cửa",
        closed: "Đóng cửa",
        config_missing: "Không tải được thông tin của phòng khám nên chưa thể hiện mẫu yêu cầu. Hãy kiểm tra kết nối rồi tải lại trang, hoặc gọi cho phòng khám.",
        my_requests: "Yêu cầu của tôi",
        no_requests: "Bạn chưa gửi yêu cầu nào từ thiết bị này.",
        request_untitled: "Yêu cầu đặt lịch hẹn",
        preferred: "Thời gian mong muốn: {}",
        requested_on: "Đã yêu cầu lúc {}",
        status_offline: "Đang chờ gửi — bạn đang ngoại tuyến; chúng tôi sẽ gửi khi có mạng trở lại.",
        status_waiting: "Đang chờ gửi",
        status_paused: "Chưa gửi được: chúng tôi đã ngừng thử sau nhiều ngày không có phản hồi. Hãy gửi ngay, hoặc gọi cho phòng khám.",
        status_withdrawing: "Yêu cầu rút lại đang chờ gửi: phòng khám sẽ được báo rằng bạn không cần lịch hẹn này nữa.",
        cancel_request: "Hủy yêu cầu",
        cancelled_done: "Yêu cầu của bạn đã được hủy và xóa khỏi thiết bị này.",
        cancel_undo_done: "Yêu cầu của bạn đã được hủy. Phòng khám có thể đã nhận được, nên chúng tôi sẽ báo cho phòng khám rằng bạn rút lại yêu cầu.",
        status_sending: "Đang gửi…",
        status_sent: "Đã gửi",
        status_refused: "Hệ thống của phòng khám không chấp nhận",
        status_received: "Phòng khám đã nhận",
        status_contacted: "Phòng khám đã liên hệ với bạn",
        status_confirmed_at: "Đã xác nhận lịch hẹn: {}",
        status_confirmed: "Đã xác nhận",
        status_proposed_at: "Phòng khám đề xuất thời gian khác: {}",
        status_proposed: "Phòng khám đề xuất thời gian khác",
        status_declined: "Đã bị từ chối",
        status_withdrawn: "Đã rút lại",
        clinic_message: "Lời nhắn của phòng khám: {}",
        refused_help: "Chưa có lịch hẹn nào được đặt. Hãy sửa yêu cầu rồi gửi lại, hoặc gọi cho phòng khám.",
        refused_details: "Chi tiết",
        send_now: "Gửi ngay",
        accept: "Đồng ý thời gian này",
        decline: "Không đồng ý thời gian này",
        fix_and_resend: "Sửa và gửi lại",
        withdraw: "Rút lại yêu cầu",
        withdraw_confirm: "Rút lại yêu cầu này? Phòng khám sẽ không đặt lịch cho yêu cầu này nữa.",
        withdraw_yes: "Có, rút lại",
        withdraw_no: "Giữ lại",
        withdrawn_done: "Yêu cầu của bạn đã được rút lại.",
        accepted_done: "Bạn đã đồng ý thời gian. Lịch hẹn của bạn đã được xác nhận.",
        declined_done: "Bạn đã không đồng ý thời gian đó. Phòng khám sẽ tìm thời gian khác.",
        action_offline: "Bạn đang ngoại tuyến. Hãy thử lại khi có mạng.",
        action_outdated: "Phòng khám vừa thay đổi yêu cầu này. Trạng thái mới được hiển thị lại.",
        action_failed: "Chưa thực hiện được. Hãy thử lại sau, hoặc gọi cho phòng khám.",
        fix_unreadable: "Không còn đọc được yêu cầu này trên thiết bị. Vui lòng điền lại mẫu.",
        fix_ready: "Yêu cầu đã được đưa trở lại mẫu bên dưới. Hãy kiểm tra rồi gửi lại.",
        form_heading: "Yêu cầu đặt lịch hẹn",
        form_intro: "Phòng khám sẽ liên hệ để xác nhận thời gian. Các ô đều bắt buộc, trừ những ô ghi không bắt buộc.",
        draft_restored: "Những gì bạn đã nhập trước đó vẫn được giữ trên thiết bị này.",
        discard_draft: "Làm lại từ đầu",
        fixing_note: "Bạn đang sửa một yêu cầu mà hệ thống của phòng khám không chấp nhận. Khi gửi, một yêu cầu mới được tạo và yêu cầu cũ bị xóa.",
        errors_heading: "Vui lòng kiểm tra các ô sau",
        optional: "{} (không bắt buộc)",
        reason_legend: "Lý do khám",
        unknown_reason: "Lý do trong đường dẫn bạn vừa mở không có trong danh sách của phòng khám. Vui lòng chọn một lý do bên dưới.",
        reason_other: "Lý do khác",
        reason_text: "Mô tả lý do bằng lời của bạn",
        reason_text_hint: "Bắt buộc nếu bạn chọn \"Lý do khác\". Nếu là trường hợp cấp cứu, đừng chờ lịch hẹn.",
        windows_legend: "Thời gian nào phù hợp với bạn?",
        windows_hint: "Hãy cho từ một đến ba khoảng thời gian. Phòng khám mở cửa {}.",
        window_legend: "Thời gian mong muốn {}",
        window_date: "Ngày",
        window_from: "Từ",
        window_to: "Đến",
        add_window: "Thêm thời gian khác",
        remove_window: "Xóa",
        remove_window_label: "Xóa thời gian mong muốn {}",
        visit_legend: "Bạn muốn được khám theo cách nào?",
        visit_in_person: "Tại phòng khám",
        visit_phone: "Qua điện thoại",
        visit_video: "Qua cuộc gọi video",
        new_patient_legend: "Bạn đã từng đến phòng khám này chưa?",
        new_patient_yes: "Chưa, tôi là bệnh nhân mới",
        new_patient_no: "Rồi, tôi đã từng đến",
        name: "Họ và tên",
        birth_date: "Ngày sinh",
        phone: "Số điện thoại",
        phone_hint: "Phòng khám sẽ gọi hoặc nhắn tin đến số này.",
        email: "Email",
        language: "Ngôn ngữ phòng khám trả lời",
        notes: "Điều khác phòng khám nên biết",
        consent: "Tôi đồng ý để phòng khám liên hệ với tôi về yêu cầu này qua điện thoại, tin nhắn hoặc email.",
        website: "Trang web",
        attach_heading: "Mục trong hồ sơ của tôi",
        attach_hint: "Không có gì trong hồ sơ của bạn được gửi đi trừ khi bạn chọn ở đây. Hiện chưa gửi được tài liệu và ảnh.",
        attach_show: "Chọn mục trong hồ sơ của tôi",
        attach_loading: "Đang mở hồ sơ của bạn…",
        attach_failed: "Không mở được hồ sơ của bạn. Hãy kiểm tra kết nối rồi thử lại.",
        retry: "Thử lại",
        documents_refused: "Hiện chưa gửi được tài liệu và ảnh. Hãy bỏ chọn chúng để gửi những mục còn lại.",
        remove_documents: "Bỏ chọn các tài liệu",
        send: "Gửi yêu cầu",
        sending: "Đang lưu…",
        submitted: "Yêu cầu của bạn đã được lưu trên thiết bị này và đang được gửi. Trạng thái có trong mục Yêu cầu của tôi.",
        submitted_offline: "Bạn đang ngoại tuyến: yêu cầu đã được lưu trên thiết bị này và sẽ được gửi khi có mạng trở lại. Trạng thái có trong mục Yêu cầu của tôi.",
        save_failed: "Không lưu được yêu cầu trên thiết bị này. Chưa có gì được gửi. Hãy thử lại, hoặc gọi cho phòng khám.",
        emergency_heading: "Đừng chờ lịch hẹn.",
        emergency_body: "Nếu bạn đang có những triệu chứng này, hãy gọi {} ngay.",
        emergency_call: "Gọi {}",
        emergency_still_send: "Bạn vẫn có thể gửi yêu cầu này cho một lần khám sau.",
        crisis_alert: "Bạn không đơn độc. Có người sẵn sàng giúp bạn ngay: xem các số điện thoại bên dưới.",
        field_reason: "Lý do",
        field_window: "Thời gian mong muốn {}",
        field_consent: "Đồng ý được liên hệ",
        msg_reason_missing: "Hãy chọn một lý do, hoặc mô tả lý do bằng lời của bạn.",
        msg_too_long: "Dùng tối đa {} ký tự.",
        msg_date_missing: "Hãy nhập ngày.",
        msg_date_invalid: "Hãy nhập một ngày có thật.",
        msg_date_past: "Ngày này đã qua. Hãy chọn hôm nay hoặc một ngày sau đó.",
        msg_date_too_far: "Hãy chọn một ngày trong vòng {} ngày tới.",
        msg_closed_on: "Phòng khám đóng cửa vào {}. Hãy chọn ngày khác.",
        msg_time_missing: "Hãy nhập giờ.",
        msg_time_invalid: "Hãy nhập giờ trong ngày, ví dụ 09:30.",
        msg_time_order: "Giờ kết thúc phải muộn hơn giờ bắt đầu.",
        msg_outside_hours: "Ngày đó phòng khám mở cửa từ {} đến {}. Hãy chọn giờ trong khoảng đó.",
        msg_time_past: "Giờ này hôm nay đã qua. Hãy chọn giờ hoặc ngày muộn hơn.",
        msg_duplicate: "Bạn đã cho thời gian này rồi.",
        msg_name_missing: "Hãy nhập họ và tên.",
        msg_birth_missing: "Hãy nhập ngày sinh.",
        msg_birth_invalid: "Hãy nhập đúng ngày sinh; ngày sinh không thể ở tương lai.",
        msg_phone_missing: "Hãy nhập số điện thoại phòng khám có thể gọi.",
        msg_phone_invalid: "Đây không giống số điện thoại. Hãy dùng chữ số (có thể có dấu cách), ví dụ 0901 234 567, hoặc dấu + và mã quốc gia.",
        msg_email_invalid: "Hãy nhập địa chỉ email như ten@example.com, hoặc để trống.",
        msg_choice_missing: "Hãy cho biết bạn đã từng đến phòng khám này chưa.",
        msg_consent_missing: "Hãy đánh dấu vào ô để phòng khám có thể liên hệ với bạn về yêu cầu này.",
        msg_documents: "Hiện chưa gửi được tài liệu và ảnh. Hãy bỏ chọn chúng.",
        msg_attachments_unavailable: "Không đọc được một số mục đã chọn: hãy mở khóa hồ sơ, hoặc bỏ chọn chúng.",
        msg_too_many: "Chọn tối đa {} mục.",
    },
};

#[cfg(test)]
mod tests {
    use haven_api::config::Weekday;

    use super::*;

    #[test]
    fn days_in_a_row_with_the_same_hours_are_grouped() {
        let day = |day, opens: &str, closes: &str| OpeningHours {
            day,
            opens: opens.into(),
            closes: closes.into(),
        };
        let hours = vec![
            day(Weekday::Tue, "07:30", "17:00"),
            day(Weekday::Mon, "07:30", "17:00"),
            day(Weekday::Wed, "07:30", "17:00"),
            day(Weekday::Fri, "07:30", "17:00"),
            day(Weekday::Sat, "08:00", "12:00"),
        ];
        assert_eq!(
            hour_groups(&hours),
            vec![
                (0, 2, "07:30".into(), "17:00".into()),
                (4, 4, "07:30".into(), "17:00".into()),
                (5, 5, "08:00".into(), "12:00".into()),
            ]
        );
    }

    #[test]
    fn every_text_is_given_in_every_language() {
        for text in [&TEXT.en, &TEXT.vi] {
            for value in [
                text.status_offline,
                text.status_received,
                text.msg_phone_invalid,
                text.msg_date_past,
                text.emergency_body,
            ] {
                assert!(!value.trim().is_empty());
            }
            for template in [
                text.status_confirmed_at,
                text.status_proposed_at,
                text.emergency_body,
                text.emergency_call,
                text.msg_closed_on,
                text.msg_too_long,
                text.optional,
                text.window_legend,
            ] {
                assert!(template.contains("{}"), "{template}");
            }
            assert_eq!(text.msg_outside_hours.matches("{}").count(), 2);
        }
    }
}

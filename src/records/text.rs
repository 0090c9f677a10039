//! My record's own catalogue. It lives apart from the shell's
//! [`crate::i18n::Catalog`] so that its text travels in the record's chunk only, not in the
//! first load. Besides the strings: field labels, choice labels, and the messages for
//! validation and import problems, which the shared record types report as data.

use haven_api::lang::Lang;
use haven_api::record::fhir::{ImportError, ImportProblem};
use haven_api::record::{Field, Kind, Problem};

use super::lang;
use crate::i18n::Texts;

/// The catalogue for `lang`.
pub fn text(lang: Lang) -> &'static RecordText {
    TEXT.get(lang)
}

static TEXT: Texts<RecordText> = Texts { en: EN, vi: VI };

/// Whether the patient reads Vietnamese (the other language is English).
fn vi() -> bool {
    lang() == Lang::Vi
}

/// Picks the English or Vietnamese text.
fn pick(en: &'static str, vi_text: &'static str) -> &'static str {
    if vi() { vi_text } else { en }
}

/// A form field's label; some fields read differently per kind ("Date given", "Weight").
pub fn field_label(kind: Kind, field: Field) -> &'static str {
    match (kind, field) {
        (Kind::Vaccination, Field::Date) => pick("Date given", "Ngày tiêm"),
        (Kind::VisitNote, Field::Date) => pick("Date of the visit", "Ngày khám"),
        (Kind::Question, Field::Date) => pick("Date noted", "Ngày ghi"),
        (Kind::Document, Field::Date) => pick("Date of the document", "Ngày của tài liệu"),
        (_, Field::Date) => pick("When measured", "Thời điểm đo"),
        (Kind::Glucose, Field::Value) => pick("Blood glucose", "Đường huyết"),
        (Kind::Weight, Field::Value) => pick("Weight", "Cân nặng"),
        (Kind::Height, Field::Value) => pick("Height", "Chiều cao"),
        (Kind::Temperature, Field::Value) => pick("Temperature", "Nhiệt độ"),
        (Kind::HeartRate, Field::Value) => {
            pick("Heart rate (beats per minute)", "Nhịp tim (nhịp/phút)")
        }
        (Kind::OxygenSaturation, Field::Value) => {
            pick("Oxygen saturation (SpO₂, %)", "Nồng độ oxy máu (SpO₂, %)")
        }
        (_, Field::Value) => pick("Value", "Giá trị"),
        (Kind::VisitNote, Field::Text) => pick("Note", "Ghi chú"),
        (_, Field::Text) => pick("Question", "Câu hỏi"),
        (Kind::Medication, Field::Name) => pick("Medication name", "Tên thuốc"),
        (_, Field::Name) => pick("Condition", "Tên bệnh"),
        (_, Field::Id) => pick("Identifier", "Mã"),
        (_, Field::Kind) => pick("Type", "Loại"),
        (_, Field::Since) => pick("Since", "Từ khi"),
        (_, Field::Status) => pick("Status", "Tình trạng"),
        (_, Field::Notes) => pick("Notes", "Ghi chú"),
        (_, Field::Dose) => pick("Dose (for example 500 mg)", "Liều (ví dụ 500 mg)"),
        (_, Field::Frequency) => pick(
            "How often (for example twice a day)",
            "Bao lâu một lần (ví dụ ngày 2 lần)",
        ),
        (_, Field::Start) => pick("Started", "Ngày bắt đầu"),
        (_, Field::Stop) => pick("Stopped", "Ngày ngừng"),
        (_, Field::Reason) => pick("What it is for", "Dùng để chữa"),
        (_, Field::Substance) => pick("Allergic to", "Dị ứng với"),
        (_, Field::Reaction) => pick("What happens", "Phản ứng"),
        (_, Field::Systolic) => pick("Systolic (upper number, mmHg)", "Tâm thu (số trên, mmHg)"),
        (_, Field::Diastolic) => pick(
            "Diastolic (lower number, mmHg)",
            "Tâm trương (số dưới, mmHg)",
        ),
        (_, Field::Score) => pick("How do you feel?", "Bạn cảm thấy thế nào?"),
        (_, Field::Note) => pick("Note", "Ghi chú"),
        (_, Field::Vaccine) => pick("Vaccine", "Vắc-xin"),
        (_, Field::DoseNumber) => pick("Dose number", "Mũi thứ"),
        (_, Field::Title) => pick("Title", "Tiêu đề"),
        (_, Field::FileName) | (_, Field::MediaType) | (_, Field::Size) => pick("File", "Tệp"),
        (_, Field::ContactName) => pick("Contact's name", "Tên người liên hệ"),
        (_, Field::ContactPhone) => pick("Contact's phone number", "Số điện thoại người liên hệ"),
        (_, Field::ContactRelationship) => pick("Relationship to you", "Quan hệ với bạn"),
        (_, Field::Unit) => pick("Unit", "Đơn vị"),
        (_, Field::MealContext) => pick("When taken", "Thời điểm đo"),
        (_, Field::AllergyKind) => pick("Allergy or intolerance", "Dị ứng hay không dung nạp"),
        (_, Field::Severity) => pick("How bad", "Mức độ"),
        (_, Field::BloodType) => pick("Blood type", "Nhóm máu"),
        (_, Field::Answered) => pick("Answered", "Đã được trả lời"),
    }
}

/// A choice's label, by its stored name.
pub fn choice_label(field: Field, name: &str) -> String {
    let (en, vi_text) = match (field, name) {
        (_, "mmol_l") => ("mmol/L", "mmol/L"),
        (_, "mg_dl") => ("mg/dL", "mg/dL"),
        (_, "kg") => ("kg", "kg"),
        (_, "lb") => ("pounds (lb)", "pound (lb)"),
        (_, "cm") => ("cm", "cm"),
        (_, "in") => ("inches", "inch"),
        (_, "celsius") => ("°C", "°C"),
        (_, "fahrenheit") => ("°F", "°F"),
        (_, "fasting") => ("Fasting (8 hours without food)", "Lúc đói (nhịn ăn 8 giờ)"),
        (_, "after_meal") => ("About 2 hours after a meal", "Khoảng 2 giờ sau ăn"),
        (_, "random") => ("Any time", "Bất kỳ lúc nào"),
        (_, "active") => ("I have it now", "Đang mắc"),
        (_, "resolved") => ("It is over", "Đã khỏi"),
        (_, "mild") => ("Mild", "Nhẹ"),
        (_, "moderate") => ("Moderate", "Vừa"),
        (_, "severe") => ("Severe", "Nặng"),
        (_, "allergy") => ("Allergy", "Dị ứng"),
        (_, "intolerance") => ("Intolerance", "Không dung nạp"),
        (_, "unknown") => ("I don't know", "Không biết"),
        (Field::Score, "1") => ("1 – very low", "1 – rất tệ"),
        (Field::Score, "2") => ("2 – low", "2 – tệ"),
        (Field::Score, "3") => ("3 – okay", "3 – bình thường"),
        (Field::Score, "4") => ("4 – good", "4 – tốt"),
        (Field::Score, "5") => ("5 – very good", "5 – rất tốt"),
        _ => return name.to_owned(),
    };
    pick(en, vi_text).to_owned()
}

/// A validation problem's message; `unit` is the unit the patient is using, if any.
pub fn problem_message(problem: &Problem, unit: &str) -> String {
    let separator = text(lang()).decimal_separator;
    let with_unit = |value: String| {
        if unit.is_empty() {
            value
        } else {
            format!("{value} {unit}")
        }
    };
    match problem {
        Problem::Required => pick("This is needed.", "Cần điền mục này.").to_owned(),
        Problem::NotANumber => pick(
            "Enter a number, such as 36.6.",
            "Hãy nhập một số, ví dụ 36,6.",
        )
        .to_owned(),
        Problem::TooManyDecimals { max: 0 } => {
            pick("Enter a whole number.", "Hãy nhập số nguyên.").to_owned()
        }
        Problem::TooManyDecimals { max } => pick(
            "Use at most {} digits after the decimal point.",
            "Chỉ dùng tối đa {} chữ số sau dấu thập phân.",
        )
        .replace("{}", &max.to_string()),
        Problem::TooLow { min } => pick(
            "This is lower than any real reading (at least {}). Check the number and the unit.",
            "Số này thấp hơn mọi số đo thực tế (tối thiểu {}). Hãy kiểm tra lại số và đơn vị.",
        )
        .replace("{}", &with_unit(min.format(separator))),
        Problem::TooHigh { max } => pick(
            "This is higher than any real reading (at most {}). Check the number and the unit.",
            "Số này cao hơn mọi số đo thực tế (tối đa {}). Hãy kiểm tra lại số và đơn vị.",
        )
        .replace("{}", &with_unit(max.format(separator))),
        Problem::SystolicNotAboveDiastolic => pick(
            "The upper number (systolic) must be higher than the lower number (diastolic).",
            "Số trên (tâm thu) phải cao hơn số dưới (tâm trương).",
        )
        .to_owned(),
        Problem::TooLong { max } => pick(
            "This is too long: use at most {} characters.",
            "Quá dài: chỉ dùng tối đa {} ký tự.",
        )
        .replace("{}", &max.to_string()),
        Problem::NotADate => pick("Enter a real date.", "Hãy nhập một ngày hợp lệ.").to_owned(),
        Problem::TooEarly { min } => {
            pick("Enter a date from {} on.", "Hãy nhập ngày từ {} trở đi.")
                .replace("{}", &min.to_string())
        }
        Problem::InFuture => {
            pick("This date is in the future.", "Ngày này ở tương lai.").to_owned()
        }
        Problem::BeforeStart => pick(
            "This is before the start date.",
            "Ngày này trước ngày bắt đầu.",
        )
        .to_owned(),
        Problem::NotAPhoneNumber => pick(
            "Enter a phone number, such as 0901 234 567.",
            "Hãy nhập số điện thoại, ví dụ 0901 234 567.",
        )
        .to_owned(),
        Problem::UnsupportedMediaType => pick(
            "Choose a photo (JPEG, PNG, HEIC, WebP) or a PDF.",
            "Hãy chọn ảnh (JPEG, PNG, HEIC, WebP) hoặc tệp PDF.",
        )
        .to_owned(),
        Problem::TooLarge { max_bytes } => pick(
            "This file is too large: the limit is {} MB.",
            "Tệp quá lớn: tối đa {} MB.",
        )
        .replace("{}", &(max_bytes / (1024 * 1024)).to_string()),
        Problem::NotAChoice => pick(
            "Choose one of the options.",
            "Hãy chọn một trong các lựa chọn.",
        )
        .to_owned(),
        _ => pick(
            "This cannot be saved as it is.",
            "Không thể lưu như hiện tại.",
        )
        .to_owned(),
    }
}

/// Why a whole import file was refused.
pub fn import_error(error: &ImportError) -> String {
    match error {
        ImportError::TooLarge { max_bytes } => pick(
            "This file is too large to import (the limit is {} MB).",
            "Tệp quá lớn để nhập (tối đa {} MB).",
        )
        .replace("{}", &(max_bytes / (1024 * 1024)).to_string()),
        ImportError::TooDeep { .. } => pick(
            "This file is not a health record Haven can read: it is nested too deeply.",
            "Tệp này không phải hồ sơ sức khỏe Haven đọc được: cấu trúc lồng quá sâu.",
        )
        .to_owned(),
        ImportError::NotJson => pick(
            "This file is not a FHIR JSON file.",
            "Tệp này không phải tệp FHIR JSON.",
        )
        .to_owned(),
        ImportError::NotABundle => pick(
            "This file is JSON but not a FHIR Bundle.",
            "Tệp này là JSON nhưng không phải FHIR Bundle.",
        )
        .to_owned(),
        ImportError::NotR4 { version } => pick(
            "This file is FHIR version {}; Haven reads FHIR R4.",
            "Tệp này là FHIR phiên bản {}; Haven đọc FHIR R4.",
        )
        .replace("{}", version),
        ImportError::TooManyResources { max } => pick(
            "This file holds more than {} items, more than Haven imports at once.",
            "Tệp này có hơn {} mục, nhiều hơn Haven nhập một lần.",
        )
        .replace("{}", &max.to_string()),
    }
}

/// A note on one imported item.
pub fn import_problem(problem: &ImportProblem) -> String {
    match problem {
        ImportProblem::NoResource => pick("The item is empty.", "Mục này trống.").to_owned(),
        ImportProblem::UnsupportedResourceType => pick(
            "Haven does not keep this type of item.",
            "Haven không lưu loại mục này.",
        )
        .to_owned(),
        ImportProblem::Unreadable => pick(
            "The item is not written as FHIR R4 expects.",
            "Mục này không viết đúng chuẩn FHIR R4.",
        )
        .to_owned(),
        ImportProblem::Withdrawn { status } => pick(
            "It is marked as withdrawn or entered in error ({}).",
            "Mục này được đánh dấu là đã rút lại hoặc nhập nhầm ({}).",
        )
        .replace("{}", status),
        ImportProblem::Missing { element } => pick(
            "Something needed is missing ({}).",
            "Thiếu thông tin cần thiết ({}).",
        )
        .replace("{}", element),
        ImportProblem::UnsupportedCode { code } => pick(
            "Haven does not know this kind of measurement ({}).",
            "Haven không biết loại số đo này ({}).",
        )
        .replace("{}", code),
        ImportProblem::UnsupportedUnit { unit } => pick(
            "Haven cannot convert the unit {}.",
            "Haven không chuyển đổi được đơn vị {}.",
        )
        .replace("{}", unit),
        ImportProblem::NotADate { element } => pick(
            "A date could not be read ({}).",
            "Không đọc được ngày ({}).",
        )
        .replace("{}", element),
        ImportProblem::PartialDate { .. } => pick(
            "Only the month or year was given; the first day is used.",
            "Chỉ có tháng hoặc năm; dùng ngày đầu tiên.",
        )
        .to_owned(),
        ImportProblem::DatedToday => pick(
            "It had no date; today's date is used.",
            "Không có ngày; dùng ngày hôm nay.",
        )
        .to_owned(),
        ImportProblem::Rounded { .. } => {
            pick("A value was rounded.", "Một giá trị đã được làm tròn.").to_owned()
        }
        ImportProblem::Truncated { max_chars, .. } => pick(
            "A text was cut to {} characters.",
            "Một đoạn chữ đã được cắt còn {} ký tự.",
        )
        .replace("{}", &max_chars.to_string()),
        ImportProblem::Invalid(error) => problem_message(error.problem(), ""),
        ImportProblem::AnotherPatient => pick(
            "The file holds another person's details; only the first person's are read.",
            "Tệp có thông tin của người khác; chỉ đọc thông tin của người đầu tiên.",
        )
        .to_owned(),
        ImportProblem::SecondEmergency => pick(
            "A second blood type was found; the record keeps one.",
            "Có nhóm máu thứ hai; hồ sơ chỉ giữ một.",
        )
        .to_owned(),
        ImportProblem::NoFileData => pick(
            "The document's file is not in the file.",
            "Tệp không chứa nội dung của tài liệu.",
        )
        .to_owned(),
        ImportProblem::FileNotBase64 => pick(
            "The document's file is damaged.",
            "Tệp của tài liệu bị hỏng.",
        )
        .to_owned(),
    }
}

/// Every string of the My record section, per language.
pub struct RecordText {
    /// The section heading.
    pub heading: &'static str,
    /// While the record opens.
    pub opening: &'static str,
    /// Storage cannot be used.
    pub storage_failed: &'static str,
    /// Where the record lives.
    pub on_device: &'static str,
    /// The record navigation's name.
    pub nav_label: &'static str,
    /// Timeline link.
    pub nav_timeline: &'static str,
    /// Trends link.
    pub nav_trends: &'static str,
    /// Summary link.
    pub nav_summary: &'static str,
    /// Emergency card link.
    pub nav_emergency: &'static str,
    /// Backup link.
    pub nav_backup: &'static str,
    /// Settings link.
    pub nav_settings: &'static str,
    /// Unlock heading.
    pub locked_heading: &'static str,
    /// Unlock introduction.
    pub locked_intro: &'static str,
    /// Passphrase label.
    pub passphrase: &'static str,
    /// Empty passphrase.
    pub passphrase_required: &'static str,
    /// Unlock button.
    pub unlock: &'static str,
    /// While unlocking.
    pub unlocking: &'static str,
    /// After unlocking.
    pub unlocked: &'static str,
    /// Wrong passphrase.
    pub wrong_passphrase: &'static str,
    /// Wrong passphrase with a wait; `{}` is seconds.
    pub wrong_passphrase_wait: &'static str,
    /// Tried during the wait; `{}` is seconds.
    pub too_soon: &'static str,
    /// Forgotten passphrase help.
    pub forgot_passphrase: &'static str,
    /// Timeline heading.
    pub timeline_heading: &'static str,
    /// Record search label.
    pub search_label: &'static str,
    /// Record search hint.
    pub search_hint: &'static str,
    /// Kind filter label.
    pub filter_kind: &'static str,
    /// All kinds.
    pub filter_all: &'static str,
    /// From date label.
    pub filter_from: &'static str,
    /// To date label.
    pub filter_to: &'static str,
    /// While all entries are read.
    pub reading_record: &'static str,
    /// Empty record.
    pub empty_record: &'static str,
    /// No entry matches.
    pub no_matches: &'static str,
    /// Matches; `{}` is the number.
    pub matches_count: &'static str,
    /// Entries; `{}` is the number.
    pub entries_count: &'static str,
    /// Show more; `{}` is how many.
    pub show_more: &'static str,
    /// Add menu heading.
    pub add_heading: &'static str,
    /// Current medications heading.
    pub currently_taking: &'static str,
    /// No current medication.
    pub no_current_medications: &'static str,
    /// Backup reminder; `{}` is the date of the oldest unsaved change.
    pub backup_reminder: &'static str,
    /// Backup link.
    pub make_backup: &'static str,
    /// The decimal separator.
    pub decimal_separator: char,
    /// The emergency card's title.
    pub emergency_title: &'static str,
    /// Active condition.
    pub status_active: &'static str,
    /// Resolved condition.
    pub status_resolved: &'static str,
    /// Dose number; `{}` is the number.
    pub dose_n: &'static str,
    /// Answered question.
    pub answered: &'static str,
    /// Entry not found.
    pub entry_missing: &'static str,
    /// Back link.
    pub back_to_record: &'static str,
    /// Add form heading; `{}` is the kind.
    pub add_kind_heading: &'static str,
    /// Edit form heading; `{}` is the kind.
    pub edit_heading: &'static str,
    /// Add link; `{}` is the kind.
    pub add_kind_link: &'static str,
    /// A draft was restored.
    pub draft_restored: &'static str,
    /// Discard draft button.
    pub discard_draft: &'static str,
    /// Error summary heading.
    pub errors_heading: &'static str,
    /// An optional field's label; `{}` is the label.
    pub optional: &'static str,
    /// No choice.
    pub not_given: &'static str,
    /// Save button.
    pub save: &'static str,
    /// While saving.
    pub saving: &'static str,
    /// After saving.
    pub saved: &'static str,
    /// After the first save.
    pub saved_first: &'static str,
    /// Cancel.
    pub cancel: &'static str,
    /// Not enough space.
    pub storage_short: &'static str,
    /// Beats per minute.
    pub per_minute: &'static str,
    /// File label.
    pub file: &'static str,
    /// Replace file label.
    pub replace_file: &'static str,
    /// File hint; `{}` is megabytes.
    pub file_hint: &'static str,
    /// Chosen file; `{}` is its name.
    pub file_chosen: &'static str,
    /// File missing.
    pub file_missing: &'static str,
    /// Open file button.
    pub open_file: &'static str,
    /// Delete entry heading.
    pub delete_entry_heading: &'static str,
    /// Delete entry button.
    pub delete_entry: &'static str,
    /// Delete confirmation; `{}` is the entry.
    pub delete_entry_confirm: &'static str,
    /// Confirm delete.
    pub delete_entry_yes: &'static str,
    /// After deleting.
    pub deleted: &'static str,
    /// Trends heading.
    pub trends_heading: &'static str,
    /// Metric choice legend.
    pub trend_metric: &'static str,
    /// Period legend.
    pub trend_span: &'static str,
    /// No readings.
    pub trend_empty: &'static str,
    /// Summary heading.
    pub trend_summary_heading: &'static str,
    /// A series summary: {line} {span} {mean} {unit} {count} {min} {max}.
    pub trend_summary: &'static str,
    /// The reference range: {low} {high} {unit}.
    pub trend_band: &'static str,
    /// Chart title; `{}` is the metric.
    pub chart_title: &'static str,
    /// Table caption; `{}` is the metric.
    pub table_caption: &'static str,
    /// Date column.
    pub date: &'static str,
    /// Systolic line.
    pub systolic: &'static str,
    /// Diastolic line.
    pub diastolic: &'static str,
    /// Summary heading.
    pub summary_heading: &'static str,
    /// Summary date; `{}` is today.
    pub summary_made: &'static str,
    /// Print button.
    pub print: &'static str,
    /// Latest measurements heading.
    pub latest_measurements: &'static str,
    /// Open questions heading.
    pub open_questions: &'static str,
    /// Nothing recorded.
    pub none_recorded: &'static str,
    /// Emergency card page heading.
    pub emergency_heading: &'static str,
    /// Emergency card introduction.
    pub emergency_intro: &'static str,
    /// Edit emergency information link.
    pub edit_emergency: &'static str,
    /// Blood type label.
    pub blood_type: &'static str,
    /// Emergency contact label.
    pub emergency_contact: &'static str,
    /// Emergency notes label.
    pub emergency_notes: &'static str,
    /// Unknown value.
    pub unknown: &'static str,
    /// Backup page heading.
    pub backup_heading: &'static str,
    /// Backup introduction.
    pub backup_intro: &'static str,
    /// Export heading.
    pub export_heading: &'static str,
    /// Export introduction.
    pub export_intro: &'static str,
    /// What to export legend.
    pub export_what: &'static str,
    /// Export everything.
    pub export_all: &'static str,
    /// Export chosen items.
    pub export_chosen: &'static str,
    /// Name field label.
    pub export_name: &'static str,
    /// Name field hint.
    pub export_name_hint: &'static str,
    /// Export button.
    pub export_button: &'static str,
    /// Nothing chosen.
    pub export_nothing: &'static str,
    /// Export failed.
    pub export_failed: &'static str,
    /// Export progress label.
    pub exporting: &'static str,
    /// After export; `{}` is the count.
    pub exported: &'static str,
    /// Picker legend.
    pub picker_legend: &'static str,
    /// Choose all shown.
    pub picker_all: &'static str,
    /// Clear choice.
    pub picker_none: &'static str,
    /// Chosen count; `{}` is the number.
    pub picker_count: &'static str,
    /// Preview heading.
    pub preview_heading: &'static str,
    /// Nothing to export.
    pub preview_nothing: &'static str,
    /// Files count; `{}` is the number.
    pub preview_files: &'static str,
    /// Where the export goes.
    pub preview_stays: &'static str,
    /// Preview heading when the items go to the clinic with an appointment request.
    pub preview_heading_clinic: &'static str,
    /// Where the items go when they are sent with an appointment request.
    pub preview_stays_clinic: &'static str,
    /// Import heading.
    pub import_heading: &'static str,
    /// Import introduction.
    pub import_intro: &'static str,
    /// Import file label.
    pub import_file: &'static str,
    /// While reading the file.
    pub import_reading: &'static str,
    /// File cannot be read.
    pub import_unreadable: &'static str,
    /// Preview heading.
    pub import_preview: &'static str,
    /// Counts: {new} {duplicate} {skipped}.
    pub import_counts: &'static str,
    /// Report table caption.
    pub import_table_caption: &'static str,
    /// Item column.
    pub import_item: &'static str,
    /// Outcome column.
    pub import_outcome: &'static str,
    /// Notes column.
    pub import_notes: &'static str,
    /// New item.
    pub outcome_new: &'static str,
    /// Duplicate item.
    pub outcome_duplicate: &'static str,
    /// Skipped item.
    pub outcome_skipped: &'static str,
    /// Replace emergency card.
    pub import_replace_card: &'static str,
    /// Confirm import; `{}` is the count.
    pub import_confirm: &'static str,
    /// Import progress label.
    pub importing: &'static str,
    /// After import; `{}` is the count.
    pub imported: &'static str,
    /// Settings heading.
    pub settings_heading: &'static str,
    /// Lock heading.
    pub lock_heading: &'static str,
    /// Lock is on.
    pub lock_on: &'static str,
    /// Lock is off.
    pub lock_off: &'static str,
    /// What the lock does.
    pub lock_explain: &'static str,
    /// Lock now button.
    pub lock_now: &'static str,
    /// Idle time label.
    pub idle_label: &'static str,
    /// Minutes; `{}` is the number.
    pub minutes: &'static str,
    /// One minute.
    pub one_minute: &'static str,
    /// Days; `{}` is the number.
    pub days: &'static str,
    /// Set passphrase.
    pub set_passphrase: &'static str,
    /// Change passphrase.
    pub change_passphrase: &'static str,
    /// Remove passphrase.
    pub remove_passphrase: &'static str,
    /// The no-recovery warning.
    pub passphrase_warning: &'static str,
    /// New passphrase label.
    pub new_passphrase: &'static str,
    /// Passphrase hint.
    pub passphrase_hint: &'static str,
    /// Confirm label.
    pub confirm_passphrase: &'static str,
    /// Understanding checkbox.
    pub passphrase_understand: &'static str,
    /// Checkbox not ticked.
    pub passphrase_understand_required: &'static str,
    /// Too short.
    pub passphrase_too_short: &'static str,
    /// Mismatch.
    pub passphrase_mismatch: &'static str,
    /// Encryption progress label.
    pub sealing: &'static str,
    /// Passphrase set.
    pub passphrase_set: &'static str,
    /// Passphrase changed.
    pub passphrase_changed: &'static str,
    /// Passphrase removed.
    pub passphrase_removed: &'static str,
    /// Storage heading.
    pub storage_heading: &'static str,
    /// Storage explanation.
    pub storage_explain: &'static str,
    /// Persistence label.
    pub storage_kept: &'static str,
    /// Persistent.
    pub storage_persistent: &'static str,
    /// Not persistent.
    pub storage_not_persistent: &'static str,
    /// Ask to persist.
    pub storage_keep: &'static str,
    /// Usage label.
    pub storage_used: &'static str,
    /// Usage: {used} {quota}.
    pub storage_usage: &'static str,
    /// Reminder label.
    pub reminder_label: &'static str,
    /// No reminder.
    pub reminder_never: &'static str,
    /// Delete heading.
    pub delete_heading: &'static str,
    /// What deleting removes.
    pub delete_explain: &'static str,
    /// Delete button.
    pub delete_everything: &'static str,
    /// Delete confirmation.
    pub delete_confirm: &'static str,
    /// Confirm delete.
    pub delete_everything_yes: &'static str,
    /// After deleting.
    pub deleted_everything: &'static str,
    /// Start a new record after deleting.
    pub start_again: &'static str,
    /// Delete failed.
    pub delete_failed: &'static str,
    /// Kind names in `Kind::ALL` order.
    pub kinds: [&'static str; 16],
    /// Headings: conditions, medications, allergies.
    pub kinds_plural: [&'static str; 3],
    /// Add menu groups.
    pub add_groups: [&'static str; 4],
    /// Meal contexts in `MealContext::ALL` order.
    pub meal_contexts: [&'static str; 3],
    /// Metrics in `Metric::ALL` order.
    pub metrics: [&'static str; 5],
    /// Periods in `Span::ALL` order.
    pub spans: [&'static str; 4],
    /// Periods as phrases.
    pub span_phrases: [&'static str; 4],
}

const EN: RecordText = RecordText {
    heading: "My record",
    opening: "Opening your record…",
    storage_failed: "Your record could not be opened or saved in this browser. Storage may be blocked, or a newer Haven is open in another tab: reload this page.",
    on_device: "Your record is kept only in this browser on this device. Nothing is sent to the clinic unless you choose to send it. If the browser's data is cleared, or you use another device or site, the record is not there: make a backup from time to time.",
    nav_label: "My record pages",
    nav_timeline: "Timeline",
    nav_trends: "Trends",
    nav_summary: "Summary",
    nav_emergency: "Emergency card",
    nav_backup: "Backup and import",
    nav_settings: "Lock and settings",
    locked_heading: "Your record is locked",
    locked_intro: "Enter your passphrase to open it. It stays on this device and is never sent anywhere.",
    passphrase: "Passphrase",
    passphrase_required: "Enter your passphrase.",
    unlock: "Unlock",
    unlocking: "Unlocking…",
    unlocked: "Your record is unlocked.",
    wrong_passphrase: "That passphrase is not right. Check it and try again.",
    wrong_passphrase_wait: "That passphrase is not right. You can try again in {} seconds.",
    too_soon: "Please wait {} seconds before trying again.",
    forgot_passphrase: "If you have forgotten your passphrase, the record cannot be opened: no one, not even the clinic, can recover it. You can delete it in your browser's site settings and start again from a backup.",
    timeline_heading: "Everything in your record",
    search_label: "Search your record",
    search_hint: "Accents are optional: “tieu duong” finds “tiểu đường”.",
    filter_kind: "Type",
    filter_all: "All types",
    filter_from: "From",
    filter_to: "To",
    reading_record: "Reading your record…",
    empty_record: "Your record is empty. Add something below or import a backup.",
    no_matches: "Nothing matches. Try other words or clear the filters.",
    matches_count: "{} matching entries",
    entries_count: "{} entries",
    show_more: "Show {} more",
    add_heading: "Add to your record",
    currently_taking: "Medications you take now",
    no_current_medications: "No current medications recorded.",
    backup_reminder: "Some changes since {} are not in any backup. If this browser's data is cleared they are lost.",
    make_backup: "Make a backup now",
    decimal_separator: '.',
    emergency_title: "Emergency information",
    status_active: "Active",
    status_resolved: "Resolved",
    dose_n: "Dose {}",
    answered: "Answered",
    entry_missing: "This entry is not in your record",
    back_to_record: "Back to my record",
    add_kind_heading: "Add {}",
    edit_heading: "Change {}",
    add_kind_link: "Add {}",
    draft_restored: "We kept what you typed last time. You can carry on, or start again.",
    discard_draft: "Start again",
    errors_heading: "Please check these fields",
    optional: "{} (optional)",
    not_given: "Not given",
    save: "Save",
    saving: "Saving…",
    saved: "Saved to your record.",
    saved_first: "Saved. Your browser may ask whether Haven can keep data on this device: allowing it stops the browser from clearing your record when space runs low.",
    cancel: "Cancel",
    storage_short: "There is not enough storage space on this device for this file. Free some space or choose a smaller file.",
    per_minute: "beats per minute",
    file: "Photo or PDF",
    replace_file: "Replace the file (optional)",
    file_hint: "A photo (JPEG, PNG, HEIC, WebP) or a PDF, up to {} MB.",
    file_chosen: "Chosen: {}",
    file_missing: "The file for this document is not on this device.",
    open_file: "Download the file",
    delete_entry_heading: "Delete this entry",
    delete_entry: "Delete this entry",
    delete_entry_confirm: "Delete “{}”? This cannot be undone.",
    delete_entry_yes: "Yes, delete it",
    deleted: "The entry was deleted.",
    trends_heading: "Trends",
    trend_metric: "What to show",
    trend_span: "Period",
    trend_empty: "No readings in this period.",
    trend_summary_heading: "In short",
    trend_summary: "Your average {line} {span} was {mean} {unit} ({count} readings; lowest {min}, highest {max}).",
    trend_band: "The shaded band is the usual healthy range, {low}–{high} {unit}.",
    chart_title: "{} over time",
    table_caption: "{}: every reading",
    date: "Date",
    systolic: "systolic pressure",
    diastolic: "diastolic pressure",
    summary_heading: "Health summary",
    summary_made: "Made on {} from the record kept on this device.",
    print: "Print",
    latest_measurements: "Latest measurements",
    open_questions: "Questions for my next visit",
    none_recorded: "None recorded.",
    emergency_heading: "Emergency card",
    emergency_intro: "Print this card and keep it in your wallet, or show it on your phone. It lists your blood type, whom to call, and your conditions, allergies and medications.",
    edit_emergency: "Change emergency information",
    blood_type: "Blood type",
    emergency_contact: "Emergency contact",
    emergency_notes: "Notes for first responders",
    unknown: "Unknown",
    backup_heading: "Backup and import",
    backup_intro: "A backup is a file in the FHIR R4 format that doctors' systems can read. It is saved on this device; nothing is sent anywhere. Keep it somewhere safe: it holds your health information.",
    export_heading: "Export",
    export_intro: "Download your record, or some of it, as a file.",
    export_what: "What to include",
    export_all: "My whole record",
    export_chosen: "Items I choose",
    export_name: "Your name, written in the file",
    export_name_hint: "Leave it empty to keep the file anonymous.",
    export_button: "Download the file",
    export_nothing: "Choose at least one item to export.",
    export_failed: "The file could not be made. Please try again.",
    exporting: "Making the file",
    exported: "The file with {} items was downloaded to this device.",
    picker_legend: "Choose items",
    picker_all: "Choose all shown",
    picker_none: "Clear the choice",
    picker_count: "{} chosen",
    preview_heading: "What the file will contain",
    preview_nothing: "Nothing yet.",
    preview_files: "and {} attached files (photos or PDFs)",
    preview_stays: "The file is saved on this device only. Haven does not send it anywhere.",
    preview_heading_clinic: "What the clinic will receive",
    preview_stays_clinic: "These items go to the clinic with your request, and to no one else. The rest of your record stays on this device.",
    import_heading: "Import",
    import_intro: "Add items from a FHIR R4 file: a Haven backup or a file from another health app. You will see what would be added before anything changes; items already in your record are skipped.",
    import_file: "FHIR file (.json)",
    import_reading: "Reading the file…",
    import_unreadable: "This file could not be read.",
    import_preview: "What this file holds",
    import_counts: "{new} new items to add, {duplicate} already in your record, {skipped} that cannot be read.",
    import_table_caption: "Every item in the file",
    import_item: "Item",
    import_outcome: "What happens",
    import_notes: "Notes",
    outcome_new: "Will be added",
    outcome_duplicate: "Already in your record",
    outcome_skipped: "Cannot be read",
    import_replace_card: "Replace my emergency information with the one in this file",
    import_confirm: "Add {} items to my record",
    importing: "Adding items",
    imported: "{} items were added to your record.",
    settings_heading: "Lock and settings",
    lock_heading: "Passphrase lock",
    lock_on: "Your record is locked with a passphrase.",
    lock_off: "Your record has no passphrase. Anyone who can use this browser can read it.",
    lock_explain: "With a passphrase, your record is encrypted on this device and locks itself when you are away.",
    lock_now: "Lock now",
    idle_label: "Lock after this long without use",
    minutes: "{} minutes",
    one_minute: "1 minute",
    days: "{} days",
    set_passphrase: "Set a passphrase",
    change_passphrase: "Change the passphrase",
    remove_passphrase: "Remove the passphrase",
    passphrase_warning: "If you forget your passphrase, your record cannot be opened again. No one can recover it, not even the clinic. Make a backup first.",
    new_passphrase: "New passphrase",
    passphrase_hint: "At least 8 characters. A few unrelated words are easy to remember and hard to guess.",
    confirm_passphrase: "Type it again",
    passphrase_understand: "I understand that a forgotten passphrase cannot be recovered",
    passphrase_understand_required: "Tick this box to confirm you understand.",
    passphrase_too_short: "Use at least 8 characters.",
    passphrase_mismatch: "The two passphrases are not the same.",
    sealing: "Encrypting your record",
    passphrase_set: "Your record is now locked with your passphrase.",
    passphrase_changed: "Your passphrase was changed.",
    passphrase_removed: "The passphrase was removed. Your record is no longer encrypted.",
    storage_heading: "Storage on this device",
    storage_explain: "Browsers may clear a site's data: Safari does after 7 days without a visit, and when Haven is shown inside a clinic's website the record is kept apart from the one on Haven's own page. Backups keep your record safe.",
    storage_kept: "Kept by the browser",
    storage_persistent: "Yes: the browser will not clear it to free space.",
    storage_not_persistent: "Not guaranteed: the browser may clear it when space runs low.",
    storage_keep: "Ask the browser to keep it",
    storage_used: "Space used",
    storage_usage: "{used} of {quota} available to this site",
    reminder_label: "Remind me to make a backup after",
    reminder_never: "Never",
    delete_heading: "Delete everything",
    delete_explain: "This removes from this browser your whole record, its files, unsent drafts and requests, the saved learning pages, your passphrase lock and settings.",
    delete_everything: "Delete everything",
    delete_confirm: "Are you sure? Everything listed above will be lost for good and cannot be undone. If you may want it later, make a backup first.",
    delete_everything_yes: "Yes, delete everything",
    deleted_everything: "Everything was deleted from this browser.",
    start_again: "Start a new record",
    delete_failed: "Not everything could be deleted. Close Haven's other tabs and try again.",
    kinds: [
        "Condition",
        "Medication",
        "Allergy or intolerance",
        "Blood pressure",
        "Blood glucose",
        "Weight",
        "Height",
        "Temperature",
        "Heart rate",
        "Oxygen saturation",
        "Mood",
        "Vaccination",
        "Visit note",
        "Question for the next visit",
        "Document",
        "Emergency information",
    ],
    kinds_plural: ["Conditions", "Medications", "Allergies and intolerances"],
    add_groups: [
        "Measurements",
        "Health",
        "Notes and documents",
        "In an emergency",
    ],
    meal_contexts: ["Fasting", "After a meal", "Any time"],
    metrics: [
        "Blood pressure",
        "Blood glucose",
        "Weight",
        "Heart rate",
        "Mood",
    ],
    spans: ["1 month", "3 months", "1 year", "All"],
    span_phrases: [
        "over the last month",
        "over the last 3 months",
        "over the last year",
        "over all your readings",
    ],
};

const VI: RecordText = RecordText {
    heading: "Hồ sơ của tôi",
    opening: "Đang mở hồ sơ của bạn…",
    storage_failed: "Không thể mở hoặc lưu hồ sơ trong trình duyệt này. Bộ nhớ có thể bị chặn, hoặc một phiên bản Haven mới hơn đang mở ở thẻ khác: hãy tải lại trang này.",
    on_device: "Hồ sơ của bạn chỉ được lưu trong trình duyệt này trên thiết bị này. Không có gì được gửi đến phòng khám trừ khi bạn chọn gửi. Nếu dữ liệu trình duyệt bị xóa, hoặc bạn dùng thiết bị hay trang web khác, hồ sơ sẽ không có ở đó: hãy thỉnh thoảng sao lưu.",
    nav_label: "Các trang hồ sơ",
    nav_timeline: "Dòng thời gian",
    nav_trends: "Xu hướng",
    nav_summary: "Tóm tắt",
    nav_emergency: "Thẻ khẩn cấp",
    nav_backup: "Sao lưu và nhập",
    nav_settings: "Khóa và cài đặt",
    locked_heading: "Hồ sơ của bạn đang khóa",
    locked_intro: "Nhập cụm mật khẩu để mở. Cụm mật khẩu chỉ ở trên thiết bị này và không bao giờ được gửi đi.",
    passphrase: "Cụm mật khẩu",
    passphrase_required: "Hãy nhập cụm mật khẩu.",
    unlock: "Mở khóa",
    unlocking: "Đang mở khóa…",
    unlocked: "Hồ sơ đã được mở khóa.",
    wrong_passphrase: "Cụm mật khẩu không đúng. Hãy kiểm tra và thử lại.",
    wrong_passphrase_wait: "Cụm mật khẩu không đúng. Bạn có thể thử lại sau {} giây.",
    too_soon: "Vui lòng đợi {} giây rồi thử lại.",
    forgot_passphrase: "Nếu bạn quên cụm mật khẩu, hồ sơ không thể mở được: không ai, kể cả phòng khám, có thể khôi phục. Bạn có thể xóa nó trong cài đặt trang web của trình duyệt và bắt đầu lại từ bản sao lưu.",
    timeline_heading: "Mọi thứ trong hồ sơ của bạn",
    search_label: "Tìm trong hồ sơ",
    search_hint: "Không cần gõ dấu: “tieu duong” sẽ tìm thấy “tiểu đường”.",
    filter_kind: "Loại",
    filter_all: "Tất cả các loại",
    filter_from: "Từ ngày",
    filter_to: "Đến ngày",
    reading_record: "Đang đọc hồ sơ…",
    empty_record: "Hồ sơ của bạn đang trống. Hãy thêm mục bên dưới hoặc nhập bản sao lưu.",
    no_matches: "Không có mục nào phù hợp. Hãy thử từ khác hoặc bỏ bộ lọc.",
    matches_count: "{} mục phù hợp",
    entries_count: "{} mục",
    show_more: "Xem thêm {} mục",
    add_heading: "Thêm vào hồ sơ",
    currently_taking: "Thuốc bạn đang dùng",
    no_current_medications: "Chưa ghi thuốc nào đang dùng.",
    backup_reminder: "Một số thay đổi từ {} chưa có trong bản sao lưu nào. Nếu dữ liệu trình duyệt bị xóa, chúng sẽ mất.",
    make_backup: "Sao lưu ngay",
    decimal_separator: ',',
    emergency_title: "Thông tin khẩn cấp",
    status_active: "Đang mắc",
    status_resolved: "Đã khỏi",
    dose_n: "Mũi {}",
    answered: "Đã được trả lời",
    entry_missing: "Mục này không có trong hồ sơ",
    back_to_record: "Quay lại hồ sơ",
    add_kind_heading: "Thêm {}",
    edit_heading: "Sửa {}",
    add_kind_link: "Thêm {}",
    draft_restored: "Chúng tôi đã giữ những gì bạn gõ lần trước. Bạn có thể tiếp tục, hoặc bắt đầu lại.",
    discard_draft: "Bắt đầu lại",
    errors_heading: "Vui lòng kiểm tra các ô sau",
    optional: "{} (không bắt buộc)",
    not_given: "Không rõ",
    save: "Lưu",
    saving: "Đang lưu…",
    saved: "Đã lưu vào hồ sơ.",
    saved_first: "Đã lưu. Trình duyệt có thể hỏi Haven có được giữ dữ liệu trên thiết bị này không: cho phép sẽ giúp trình duyệt không tự xóa hồ sơ khi thiếu dung lượng.",
    cancel: "Hủy",
    storage_short: "Thiết bị không đủ dung lượng cho tệp này. Hãy giải phóng bớt dung lượng hoặc chọn tệp nhỏ hơn.",
    per_minute: "nhịp/phút",
    file: "Ảnh hoặc PDF",
    replace_file: "Thay tệp (không bắt buộc)",
    file_hint: "Ảnh (JPEG, PNG, HEIC, WebP) hoặc PDF, tối đa {} MB.",
    file_chosen: "Đã chọn: {}",
    file_missing: "Tệp của tài liệu này không có trên thiết bị.",
    open_file: "Tải tệp xuống",
    delete_entry_heading: "Xóa mục này",
    delete_entry: "Xóa mục này",
    delete_entry_confirm: "Xóa “{}”? Không thể hoàn tác.",
    delete_entry_yes: "Có, xóa",
    deleted: "Đã xóa mục.",
    trends_heading: "Xu hướng",
    trend_metric: "Hiển thị",
    trend_span: "Khoảng thời gian",
    trend_empty: "Không có số đo nào trong khoảng thời gian này.",
    trend_summary_heading: "Tóm tắt",
    trend_summary: "Trung bình {line} của bạn {span} là {mean} {unit} ({count} lần đo; thấp nhất {min}, cao nhất {max}).",
    trend_band: "Dải tô màu là khoảng bình thường, {low}–{high} {unit}.",
    chart_title: "{} theo thời gian",
    table_caption: "{}: mọi lần đo",
    date: "Ngày",
    systolic: "huyết áp tâm thu",
    diastolic: "huyết áp tâm trương",
    summary_heading: "Tóm tắt sức khỏe",
    summary_made: "Lập ngày {} từ hồ sơ lưu trên thiết bị này.",
    print: "In",
    latest_measurements: "Số đo gần nhất",
    open_questions: "Câu hỏi cho lần khám tới",
    none_recorded: "Chưa ghi.",
    emergency_heading: "Thẻ khẩn cấp",
    emergency_intro: "In thẻ này và giữ trong ví, hoặc mở trên điện thoại. Thẻ ghi nhóm máu, người cần gọi, bệnh, dị ứng và thuốc bạn đang dùng.",
    edit_emergency: "Sửa thông tin khẩn cấp",
    blood_type: "Nhóm máu",
    emergency_contact: "Người liên hệ khẩn cấp",
    emergency_notes: "Ghi chú cho người cấp cứu",
    unknown: "Không rõ",
    backup_heading: "Sao lưu và nhập",
    backup_intro: "Bản sao lưu là một tệp theo định dạng FHIR R4 mà hệ thống của bác sĩ có thể đọc. Tệp được lưu trên thiết bị này; không có gì được gửi đi. Hãy cất giữ cẩn thận: tệp chứa thông tin sức khỏe của bạn.",
    export_heading: "Xuất",
    export_intro: "Tải hồ sơ, hoặc một phần, xuống thành tệp.",
    export_what: "Nội dung",
    export_all: "Toàn bộ hồ sơ",
    export_chosen: "Các mục tôi chọn",
    export_name: "Tên của bạn, ghi trong tệp",
    export_name_hint: "Để trống nếu không muốn ghi tên.",
    export_button: "Tải tệp xuống",
    export_nothing: "Hãy chọn ít nhất một mục để xuất.",
    export_failed: "Không tạo được tệp. Vui lòng thử lại.",
    exporting: "Đang tạo tệp",
    exported: "Đã tải tệp gồm {} mục xuống thiết bị.",
    picker_legend: "Chọn mục",
    picker_all: "Chọn tất cả đang hiện",
    picker_none: "Bỏ chọn",
    picker_count: "Đã chọn {}",
    preview_heading: "Tệp sẽ gồm",
    preview_nothing: "Chưa có gì.",
    preview_files: "và {} tệp đính kèm (ảnh hoặc PDF)",
    preview_stays: "Tệp chỉ được lưu trên thiết bị này. Haven không gửi tệp đi đâu.",
    preview_heading_clinic: "Phòng khám sẽ nhận được",
    preview_stays_clinic: "Những mục này được gửi đến phòng khám cùng yêu cầu của bạn, không gửi cho ai khác. Phần còn lại của hồ sơ vẫn ở trên thiết bị này.",
    import_heading: "Nhập",
    import_intro: "Thêm mục từ tệp FHIR R4: bản sao lưu Haven hoặc tệp từ ứng dụng sức khỏe khác. Bạn sẽ xem trước những gì được thêm trước khi có thay đổi; các mục đã có trong hồ sơ sẽ được bỏ qua.",
    import_file: "Tệp FHIR (.json)",
    import_reading: "Đang đọc tệp…",
    import_unreadable: "Không đọc được tệp này.",
    import_preview: "Nội dung của tệp",
    import_counts: "{new} mục mới sẽ được thêm, {duplicate} mục đã có trong hồ sơ, {skipped} mục không đọc được.",
    import_table_caption: "Từng mục trong tệp",
    import_item: "Mục",
    import_outcome: "Kết quả",
    import_notes: "Ghi chú",
    outcome_new: "Sẽ được thêm",
    outcome_duplicate: "Đã có trong hồ sơ",
    outcome_skipped: "Không đọc được",
    import_replace_card: "Thay thông tin khẩn cấp của tôi bằng thông tin trong tệp này",
    import_confirm: "Thêm {} mục vào hồ sơ",
    importing: "Đang thêm mục",
    imported: "Đã thêm {} mục vào hồ sơ.",
    settings_heading: "Khóa và cài đặt",
    lock_heading: "Khóa bằng cụm mật khẩu",
    lock_on: "Hồ sơ của bạn được khóa bằng cụm mật khẩu.",
    lock_off: "Hồ sơ chưa có cụm mật khẩu. Ai dùng được trình duyệt này đều đọc được.",
    lock_explain: "Khi có cụm mật khẩu, hồ sơ được mã hóa trên thiết bị và tự khóa khi bạn không dùng.",
    lock_now: "Khóa ngay",
    idle_label: "Tự khóa sau khi không dùng",
    minutes: "{} phút",
    one_minute: "1 phút",
    days: "{} ngày",
    set_passphrase: "Đặt cụm mật khẩu",
    change_passphrase: "Đổi cụm mật khẩu",
    remove_passphrase: "Bỏ cụm mật khẩu",
    passphrase_warning: "Nếu quên cụm mật khẩu, bạn sẽ không thể mở lại hồ sơ. Không ai có thể khôi phục, kể cả phòng khám. Hãy sao lưu trước.",
    new_passphrase: "Cụm mật khẩu mới",
    passphrase_hint: "Ít nhất 8 ký tự. Vài từ không liên quan nhau vừa dễ nhớ vừa khó đoán.",
    confirm_passphrase: "Nhập lại",
    passphrase_understand: "Tôi hiểu rằng cụm mật khẩu bị quên thì không thể khôi phục",
    passphrase_understand_required: "Hãy đánh dấu ô này để xác nhận bạn đã hiểu.",
    passphrase_too_short: "Hãy dùng ít nhất 8 ký tự.",
    passphrase_mismatch: "Hai cụm mật khẩu không giống nhau.",
    sealing: "Đang mã hóa hồ sơ",
    passphrase_set: "Hồ sơ đã được khóa bằng cụm mật khẩu.",
    passphrase_changed: "Đã đổi cụm mật khẩu.",
    passphrase_removed: "Đã bỏ cụm mật khẩu. Hồ sơ không còn được mã hóa.",
    storage_heading: "Bộ nhớ trên thiết bị",
    storage_explain: "Trình duyệt có thể xóa dữ liệu của trang web: Safari xóa sau 7 ngày không truy cập, và khi Haven hiển thị trong trang của phòng khám, hồ sơ được lưu riêng với hồ sơ trên trang của Haven. Sao lưu giúp hồ sơ an toàn.",
    storage_kept: "Trình duyệt giữ dữ liệu",
    storage_persistent: "Có: trình duyệt sẽ không xóa để lấy chỗ.",
    storage_not_persistent: "Không chắc chắn: trình duyệt có thể xóa khi thiếu dung lượng.",
    storage_keep: "Đề nghị trình duyệt giữ dữ liệu",
    storage_used: "Dung lượng đã dùng",
    storage_usage: "{used} trên {quota} dành cho trang này",
    reminder_label: "Nhắc tôi sao lưu sau",
    reminder_never: "Không bao giờ",
    delete_heading: "Xóa tất cả",
    delete_explain: "Thao tác này xóa khỏi trình duyệt toàn bộ hồ sơ, các tệp, bản nháp và yêu cầu chưa gửi, các trang tìm hiểu đã lưu, khóa và cài đặt.",
    delete_everything: "Xóa tất cả",
    delete_confirm: "Bạn có chắc không? Mọi thứ nêu trên sẽ mất vĩnh viễn và không thể hoàn tác. Nếu có thể cần sau này, hãy sao lưu trước.",
    delete_everything_yes: "Có, xóa tất cả",
    deleted_everything: "Đã xóa tất cả khỏi trình duyệt này.",
    start_again: "Bắt đầu hồ sơ mới",
    delete_failed: "Chưa xóa được hết. Hãy đóng các thẻ Haven khác và thử lại.",
    kinds: [
        "Bệnh",
        "Thuốc",
        "Dị ứng hoặc không dung nạp",
        "Huyết áp",
        "Đường huyết",
        "Cân nặng",
        "Chiều cao",
        "Nhiệt độ",
        "Nhịp tim",
        "Nồng độ oxy máu",
        "Tâm trạng",
        "Tiêm chủng",
        "Ghi chú khám bệnh",
        "Câu hỏi cho lần khám tới",
        "Tài liệu",
        "Thông tin khẩn cấp",
    ],
    kinds_plural: ["Bệnh", "Thuốc", "Dị ứng và không dung nạp"],
    add_groups: ["Số đo", "Sức khỏe", "Ghi chú và tài liệu", "Khi khẩn cấp"],
    meal_contexts: ["Lúc đói", "Sau ăn", "Bất kỳ lúc nào"],
    metrics: [
        "Huyết áp",
        "Đường huyết",
        "Cân nặng",
        "Nhịp tim",
        "Tâm trạng",
    ],
    spans: ["1 tháng", "3 tháng", "1 năm", "Tất cả"],
    span_phrases: [
        "trong tháng qua",
        "trong 3 tháng qua",
        "trong năm qua",
        "trong mọi lần đo",
    ],
};

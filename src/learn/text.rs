//! Learn's own catalogue. It lives apart from the shell's [`crate::i18n::Catalog`]
//! so that its text (self-check questions included) travels in Learn's chunk only, not in
//! the first load.

use haven_api::lang::Lang;

use crate::i18n::Texts;

/// Every string of the Learn section, per language.
pub struct LearnText {
    /// The Learn home heading.
    pub heading: &'static str,
    /// The introduction under it.
    pub intro: &'static str,
    /// The search box label.
    pub search_label: &'static str,
    /// Hint under the search box.
    pub search_hint: &'static str,
    /// Results count; `{}` is the number.
    pub results_count: &'static str,
    /// One result.
    pub results_one: &'static str,
    /// Nothing found; `{}` is the query.
    pub no_results: &'static str,
    /// What to do when nothing is found.
    pub no_results_help: &'static str,
    /// Link to ask the clinic.
    pub ask_clinic: &'static str,
    /// "Get help now" button.
    pub help_now: &'static str,
    /// Hides the crisis panel.
    pub hide_help: &'static str,
    /// Browse heading.
    pub browse: &'static str,
    /// Group names in [`haven_api::content::GROUPS`] order.
    pub groups: [&'static str; 6],
    /// The pack is loading.
    pub loading: &'static str,
    /// No pack offline.
    pub unavailable: &'static str,
    /// Retry loading.
    pub retry: &'static str,
    /// Back to all topics.
    pub all_topics: &'static str,
    /// Care levels, most urgent first.
    pub care_levels: [&'static str; 3],
    /// Call emergency button; `{}` is the number.
    pub call_emergency: &'static str,
    /// Self-checks heading.
    pub checks_heading: &'static str,
    /// Self-checks introduction.
    pub checks_intro: &'static str,
    /// PHQ-9 title.
    pub phq9_title: &'static str,
    /// PHQ-9 one-line description.
    pub phq9_about: &'static str,
    /// GAD-7 title.
    pub gad7_title: &'static str,
    /// GAD-7 one-line description.
    pub gad7_about: &'static str,
}

/// The catalogue for `lang`.
pub fn text(lang: Lang) -> &'static LearnText {
    TEXT.get(lang)
}

static TEXT: Texts<LearnText> = Texts { en: EN, vi: VI };

/// The strings of Learn's inner pages (a topic, a self-check), per language; they travel in
/// the inner pages' chunk, not with the search.
pub struct PagesText {
    /// Topic not found.
    pub topic_missing: &'static str,
    /// Information, not diagnosis.
    pub not_diagnosis: &'static str,
    /// Shown in another language; `{}` is that language's name.
    pub fallback_note: &'static str,
    /// Care card heading.
    pub care_heading: &'static str,
    /// Request an appointment link.
    pub request_appointment: &'static str,
    /// Red flags heading.
    pub red_flags: &'static str,
    /// Red flags instruction.
    pub red_flags_hint: &'static str,
    /// Shown when a red flag is ticked; `{}` is the number.
    pub red_flag_alert: &'static str,
    /// Section headings in [`haven_api::content::SECTIONS`] order.
    pub sections: [&'static str; 5],
    /// Related topics heading.
    pub related: &'static str,
    /// Community link.
    pub community_link: &'static str,
    /// Appointment link for this topic.
    pub topic_appointment: &'static str,
    /// Sources heading.
    pub sources: &'static str,
    /// Opens in a new tab (screen-reader hint).
    pub new_tab: &'static str,
    /// Awaiting clinical review.
    pub awaiting_review: &'static str,
    /// Reviewed by; `{}` replaced by name and date.
    pub reviewed: &'static str,
    /// Next review due; `{}` is the date.
    pub next_review: &'static str,
    /// The question stem.
    pub check_stem: &'static str,
    /// Answer choices, scored 0–3.
    pub answers: [&'static str; 4],
    /// PHQ-9 items.
    pub phq9: [&'static str; 9],
    /// GAD-7 items.
    pub gad7: [&'static str; 7],
    /// Privacy note on the self-check.
    pub check_private: &'static str,
    /// Submit the self-check.
    pub check_submit: &'static str,
    /// Start again.
    pub check_reset: &'static str,
    /// An unanswered question.
    pub check_unanswered: &'static str,
    /// Summary of unanswered questions; `{}` is the count.
    pub check_missing: &'static str,
    /// Result heading.
    pub check_result: &'static str,
    /// Score; `{}` replaced by "score of max".
    pub check_score: &'static str,
    /// Severity names: minimal, mild, moderate, moderately severe, severe.
    pub severity: [&'static str; 5],
    /// Next steps per severity.
    pub next_steps: [&'static str; 5],
    /// Not a diagnosis (self-check).
    pub check_disclaimer: &'static str,
    /// Read more link for the related topic.
    pub read_topic: &'static str,
}

/// The inner pages' catalogue for `lang`.
pub fn pages_text(lang: Lang) -> &'static PagesText {
    PAGES.get(lang)
}

static PAGES: Texts<PagesText> = Texts {
    en: EN_PAGES,
    vi: VI_PAGES,
};

const EN: LearnText = LearnText {
    heading: "Learn",
    intro: "Plain-language information from your clinic, with clear advice on when to seek care.",
    search_label: "Search health topics",
    search_hint: "Try a symptom or a condition, such as “chest pain” or “can’t sleep”.",
    results_count: "{} topics found",
    results_one: "1 topic found",
    no_results: "No topics found for “{}”.",
    no_results_help: "Check the spelling or try other words. If you are worried about a symptom, do not wait: use the advice below or ask the clinic.",
    ask_clinic: "Ask the clinic: request an appointment",
    help_now: "Get help now",
    hide_help: "Hide help",
    browse: "Browse topics",
    groups: [
        "Mental health",
        "Diabetes and heart",
        "Cancer",
        "Infections and breathing",
        "Teeth and gums",
        "Everyday health",
    ],
    loading: "Loading health topics…",
    unavailable: "Health topics cannot be loaded right now. Check your connection and try again.",
    retry: "Try again",
    all_topics: "All health topics",
    care_levels: [
        "Call the emergency number now",
        "See a doctor today",
        "Self-care and a routine visit",
    ],
    call_emergency: "Call {}",
    checks_heading: "Check how you feel",
    checks_intro: "Short questionnaires doctors use. Your answers stay on this device.",
    phq9_title: "Mood check (PHQ-9)",
    phq9_about: "Nine questions about low mood over the last two weeks.",
    gad7_title: "Anxiety check (GAD-7)",
    gad7_about: "Seven questions about worry and anxiety over the last two weeks.",
};

const VI: LearnText = LearnText {
    heading: "Tìm hiểu",
    intro: "Thông tin dễ hiểu từ phòng khám, kèm lời khuyên rõ ràng về khi nào cần đi khám.",
    search_label: "Tìm chủ đề sức khỏe",
    search_hint: "Thử gõ một triệu chứng hoặc một bệnh, ví dụ “đau ngực” hoặc “mất ngủ”.",
    results_count: "Tìm thấy {} chủ đề",
    results_one: "Tìm thấy 1 chủ đề",
    no_results: "Không tìm thấy chủ đề nào cho “{}”.",
    no_results_help: "Hãy kiểm tra chính tả hoặc thử từ khác. Nếu bạn lo lắng về một triệu chứng, đừng chờ đợi: làm theo lời khuyên bên dưới hoặc hỏi phòng khám.",
    ask_clinic: "Hỏi phòng khám: đặt lịch hẹn",
    help_now: "Tìm trợ giúp ngay",
    hide_help: "Ẩn trợ giúp",
    browse: "Xem các chủ đề",
    groups: [
        "Sức khỏe tâm thần",
        "Tiểu đường và tim mạch",
        "Ung thư",
        "Nhiễm trùng và hô hấp",
        "Răng miệng",
        "Sức khỏe hằng ngày",
    ],
    loading: "Đang tải các chủ đề sức khỏe…",
    unavailable: "Hiện không tải được các chủ đề sức khỏe. Hãy kiểm tra kết nối mạng rồi thử lại.",
    retry: "Thử lại",
    all_topics: "Tất cả chủ đề sức khỏe",
    care_levels: [
        "Gọi cấp cứu ngay",
        "Đi khám ngay trong ngày",
        "Tự chăm sóc và hẹn khám định kỳ",
    ],
    call_emergency: "Gọi {}",
    checks_heading: "Tự kiểm tra cảm xúc",
    checks_intro: "Các bảng câu hỏi ngắn mà bác sĩ sử dụng. Câu trả lời của bạn chỉ lưu trên thiết bị này.",
    phq9_title: "Kiểm tra tâm trạng (PHQ-9)",
    phq9_about: "Chín câu hỏi về tâm trạng buồn chán trong hai tuần qua.",
    gad7_title: "Kiểm tra lo âu (GAD-7)",
    gad7_about: "Bảy câu hỏi về lo lắng và lo âu trong hai tuần qua.",
};

const EN_PAGES: PagesText = PagesText {
    topic_missing: "This topic was not found. It may have been removed.",
    not_diagnosis: "This is information, not a diagnosis. If you are worried, contact the clinic.",
    fallback_note: "This topic is not yet available in your language. It is shown in {}.",
    care_heading: "When to seek care",
    request_appointment: "Request an appointment",
    red_flags: "Warning signs",
    red_flags_hint: "Tick any sign you have now.",
    red_flag_alert: "You ticked a warning sign. Call the emergency number now: {}.",
    sections: ["Overview", "Symptoms", "Causes", "Self-care", "Treatment"],
    related: "Related topics",
    community_link: "Talk with others in the community group",
    topic_appointment: "Request an appointment about this",
    sources: "Sources",
    new_tab: "(opens in a new tab)",
    awaiting_review: "This text awaits review by the clinic’s clinicians.",
    reviewed: "Reviewed by {}",
    next_review: "Next review due {}",
    check_stem: "Over the last 2 weeks, how often have you been bothered by this?",
    answers: [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ],
    phq9: [
        "Little interest or pleasure in doing things",
        "Feeling down, depressed or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself, or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed, or the opposite: being so fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead, or of hurting yourself in some way",
    ],
    gad7: [
        "Feeling nervous, anxious or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid, as if something awful might happen",
    ],
    check_private: "Your answers stay on this device. Nothing is sent to the clinic.",
    check_submit: "See my result",
    check_reset: "Start again",
    check_unanswered: "Please choose an answer.",
    check_missing: "Please answer every question. Questions without an answer: {}.",
    check_result: "Your result",
    check_score: "Score: {}",
    severity: [
        "Minimal or none",
        "Mild",
        "Moderate",
        "Moderately severe",
        "Severe",
    ],
    next_steps: [
        "Your answers suggest few or no symptoms. Keep looking after yourself, and check again if things change.",
        "Your answers suggest mild symptoms. Try the self-care advice in the related topic. If you do not feel better in 2 weeks, talk to the clinic.",
        "Your answers suggest moderate symptoms. Please book an appointment to talk with a doctor about how you feel.",
        "Your answers suggest quite severe symptoms. Please see a doctor within the next few days.",
        "Your answers suggest severe symptoms. Please see a doctor today or as soon as you can.",
    ],
    check_disclaimer: "This check is not a diagnosis. Only a health professional can diagnose depression or anxiety.",
    read_topic: "Read about it",
};

const VI_PAGES: PagesText = PagesText {
    topic_missing: "Không tìm thấy chủ đề này. Có thể chủ đề đã bị gỡ bỏ.",
    not_diagnosis: "Đây là thông tin, không phải chẩn đoán. Nếu bạn lo lắng, hãy liên hệ phòng khám.",
    fallback_note: "Chủ đề này chưa có bằng ngôn ngữ của bạn. Nội dung đang hiển thị bằng {}.",
    care_heading: "Khi nào cần đi khám",
    request_appointment: "Đặt lịch hẹn",
    red_flags: "Dấu hiệu nguy hiểm",
    red_flags_hint: "Đánh dấu những dấu hiệu bạn đang có.",
    red_flag_alert: "Bạn đã đánh dấu một dấu hiệu nguy hiểm. Hãy gọi cấp cứu ngay: {}.",
    sections: [
        "Tổng quan",
        "Triệu chứng",
        "Nguyên nhân",
        "Tự chăm sóc",
        "Điều trị",
    ],
    related: "Chủ đề liên quan",
    community_link: "Trò chuyện với mọi người trong nhóm cộng đồng",
    topic_appointment: "Đặt lịch hẹn về vấn đề này",
    sources: "Nguồn tham khảo",
    new_tab: "(mở trong thẻ mới)",
    awaiting_review: "Nội dung này đang chờ bác sĩ của phòng khám xem xét.",
    reviewed: "Đã được {} xem xét",
    next_review: "Lần xem xét tiếp theo: {}",
    check_stem: "Trong 2 tuần qua, bạn có thường bị điều này làm phiền không?",
    answers: [
        "Không lần nào",
        "Vài ngày",
        "Hơn một nửa số ngày",
        "Gần như mỗi ngày",
    ],
    phq9: [
        "Ít hứng thú hoặc không thấy vui khi làm việc gì",
        "Cảm thấy buồn, chán nản hoặc tuyệt vọng",
        "Khó ngủ, hay thức giấc, hoặc ngủ quá nhiều",
        "Cảm thấy mệt mỏi hoặc thiếu sức lực",
        "Ăn không ngon miệng hoặc ăn quá nhiều",
        "Cảm thấy mình tệ, thấy mình thất bại, hoặc đã làm bản thân hay gia đình thất vọng",
        "Khó tập trung vào việc gì đó, như đọc báo hoặc xem tivi",
        "Đi lại hoặc nói chậm đến mức người khác có thể nhận ra, hoặc ngược lại: bồn chồn, đứng ngồi không yên, đi lại nhiều hơn bình thường",
        "Nghĩ rằng mình chết đi thì tốt hơn, hoặc nghĩ đến việc tự làm hại bản thân theo cách nào đó",
    ],
    gad7: [
        "Cảm thấy bồn chồn, lo lắng hoặc căng thẳng",
        "Không thể ngừng hoặc kiểm soát được sự lo lắng",
        "Lo lắng quá nhiều về nhiều chuyện khác nhau",
        "Khó thư giãn",
        "Bồn chồn đến mức khó ngồi yên",
        "Dễ bực bội hoặc cáu gắt",
        "Cảm thấy sợ hãi như thể sắp có điều gì khủng khiếp xảy ra",
    ],
    check_private: "Câu trả lời của bạn chỉ lưu trên thiết bị này. Không có gì được gửi đến phòng khám.",
    check_submit: "Xem kết quả",
    check_reset: "Làm lại",
    check_unanswered: "Vui lòng chọn một câu trả lời.",
    check_missing: "Vui lòng trả lời tất cả các câu hỏi. Các câu chưa trả lời: {}.",
    check_result: "Kết quả của bạn",
    check_score: "Điểm: {}",
    severity: ["Rất nhẹ hoặc không có", "Nhẹ", "Vừa", "Khá nặng", "Nặng"],
    next_steps: [
        "Câu trả lời cho thấy bạn có ít hoặc không có triệu chứng. Hãy tiếp tục chăm sóc bản thân và kiểm tra lại nếu có thay đổi.",
        "Câu trả lời cho thấy triệu chứng nhẹ. Hãy thử các cách tự chăm sóc trong chủ đề liên quan. Nếu sau 2 tuần không đỡ, hãy nói chuyện với phòng khám.",
        "Câu trả lời cho thấy triệu chứng mức vừa. Hãy đặt lịch hẹn để nói chuyện với bác sĩ về cảm xúc của bạn.",
        "Câu trả lời cho thấy triệu chứng khá nặng. Hãy đi khám bác sĩ trong vài ngày tới.",
        "Câu trả lời cho thấy triệu chứng nặng. Hãy đi khám bác sĩ ngay hôm nay hoặc sớm nhất có thể.",
    ],
    check_disclaimer: "Bài kiểm tra này không phải là chẩn đoán. Chỉ nhân viên y tế mới có thể chẩn đoán trầm cảm hoặc lo âu.",
    read_topic: "Đọc thêm",
};

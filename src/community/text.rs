//! The Community section's catalogue. It travels in the section's chunk, not in the shell.

use crate::i18n::{Texts, current_lang};

/// Every string of the section, per language.
#[allow(missing_docs)]
pub struct CommunityText {
    pub community_intro: &'static str,
    pub groups_heading: &'static str,
}

/// The section's catalogue in the patient's language.
pub fn t() -> &'static CommunityText {
    TEXT.get(current_lang())
}

static TEXT: Texts<CommunityText> = Texts {
    en: CommunityText {
        community_intro: "Moderated peer-support groups where patients help each other and the clinic's health educators answer. You post under a pseudonym, and every post is reviewed before it appears.",
        groups_heading: "Groups",
    },
    vi: CommunityText {
        community_intro: "Các nhóm hỗ trợ đồng đẳng có kiểm duyệt, nơi người bệnh giúp đỡ nhau và nhân viên giáo dục sức khỏe của phòng khám trả lời. Bạn đăng bài bằng bút danh, và mọi bài viết đều được duyệt trước khi hiển thị.",
        groups_heading: "Các nhóm",
    },
};

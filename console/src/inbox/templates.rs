//! Messages staff send to patients with an answer, ready to edit. The patient reads them in
//! the widget, so each is written in every language Haven ships, and the console offers the
//! one the patient asked to be answered in. A template's title is for staff, so the template
//! list shows it in the console's language.

use haven_api::lang::Lang;

/// Where the clinic's emergency number goes in a template.
const EMERGENCY: &str = "{emergency}";

/// A text in each language Haven ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByLang {
    /// English.
    pub en: &'static str,
    /// Vietnamese.
    pub vi: &'static str,
}

impl ByLang {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Vi => self.vi,
        }
    }
}

/// A message, named for staff, in each language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// What it says, for the template list, in the console's language.
    pub title: ByLang,
    /// The message in English.
    pub en: &'static str,
    /// The message in Vietnamese.
    pub vi: &'static str,
}

impl Template {
    /// The message in `lang`, with the clinic's emergency number filled in (or words for
    /// it, should the number not be known).
    pub fn text(&self, lang: Lang, emergency_number: &str) -> String {
        let (text, unknown_number) = match lang {
            Lang::En => (self.en, "your emergency number"),
            Lang::Vi => (self.vi, "số cấp cứu"),
        };
        let number = match emergency_number.trim() {
            "" => unknown_number,
            number => number,
        };
        text.replace(EMERGENCY, number)
    }
}

/// Why the clinic cannot book a request.
pub const DECLINE: [Template; 5] = [
    Template {
        title: ByLang {
            en: "No free time at the times asked for",
            vi: "Hết lịch trống vào thời gian bệnh nhân chọn",
        },
        en: "We are sorry: we have no free appointments at the times you asked for. Please \
             send a new request with other days or times, or call the clinic.",
        vi: "Rất tiếc, chúng tôi không còn lịch trống vào những thời gian bạn chọn. Vui lòng \
             gửi yêu cầu mới với ngày hoặc giờ khác, hoặc gọi điện cho phòng khám.",
    },
    Template {
        title: ByLang {
            en: "The clinic does not offer this care",
            vi: "Phòng khám không có dịch vụ này",
        },
        en: "We are sorry: our clinic does not offer this kind of care. Please contact a \
             hospital or another clinic near you.",
        vi: "Rất tiếc, phòng khám của chúng tôi không cung cấp dịch vụ này. Vui lòng liên hệ \
             bệnh viện hoặc phòng khám khác gần bạn.",
    },
    Template {
        title: ByLang {
            en: "Could not reach the patient",
            vi: "Không liên lạc được với bệnh nhân",
        },
        en: "We tried to call you but could not reach you. Please send a new request with a \
             phone number we can reach you on, or call the clinic.",
        vi: "Chúng tôi đã gọi cho bạn nhưng không liên lạc được. Vui lòng gửi yêu cầu mới với \
             số điện thoại chúng tôi có thể liên lạc, hoặc gọi điện cho phòng khám.",
    },
    Template {
        title: ByLang {
            en: "Needs care sooner than the clinic can offer",
            vi: "Cần được khám sớm hơn khả năng của phòng khám",
        },
        en: "From what you wrote, you may need care sooner than we can offer. Please go to the \
             nearest emergency department, or call {emergency} in an emergency.",
        vi: "Theo những gì bạn mô tả, bạn có thể cần được khám sớm hơn thời gian chúng tôi có \
             thể sắp xếp. Vui lòng đến khoa cấp cứu gần nhất, hoặc gọi {emergency} nếu khẩn cấp.",
    },
    Template {
        title: ByLang {
            en: "Another request covers this visit",
            vi: "Đã có yêu cầu khác cho lần khám này",
        },
        en: "You have sent us another request for this visit, so we have closed this one. We \
             will answer your other request.",
        vi: "Bạn đã gửi cho chúng tôi một yêu cầu khác cho lần khám này, nên chúng tôi đóng yêu \
             cầu này. Chúng tôi sẽ trả lời yêu cầu kia của bạn.",
    },
];

/// Notes that go with a confirmed time.
pub const CONFIRM_NOTES: [Template; 3] = [
    Template {
        title: ByLang {
            en: "Arrive early with your papers",
            vi: "Đến sớm và mang theo giấy tờ",
        },
        en: "Please arrive 15 minutes early and bring your ID card, your health insurance card \
             and the medicines you take.",
        vi: "Vui lòng đến sớm 15 phút và mang theo căn cước công dân, thẻ bảo hiểm y tế và các \
             loại thuốc bạn đang dùng.",
    },
    Template {
        title: ByLang {
            en: "Bring earlier results",
            vi: "Mang theo kết quả khám trước đây",
        },
        en: "Please bring any recent test results and letters from other doctors.",
        vi: "Vui lòng mang theo các kết quả xét nghiệm gần đây và giấy tờ từ các bác sĩ khác.",
    },
    Template {
        title: ByLang {
            en: "Fast before a blood test",
            vi: "Nhịn ăn trước khi xét nghiệm máu",
        },
        en: "This visit includes a blood test. Please eat and drink nothing but water for 8 \
             hours before it.",
        vi: "Buổi khám này có xét nghiệm máu. Vui lòng không ăn uống gì ngoài nước lọc trong 8 \
             giờ trước khi khám.",
    },
];

/// Notes that go with another time the clinic offers.
pub const PROPOSE_NOTES: [Template; 2] = [
    Template {
        title: ByLang {
            en: "The times asked for are booked",
            vi: "Thời gian bệnh nhân chọn đã kín lịch",
        },
        en: "The times you asked for are fully booked. This is the nearest time we can offer. \
             Please accept or decline it in Haven.",
        vi: "Các thời gian bạn chọn đã kín lịch. Đây là thời gian gần nhất chúng tôi có thể sắp \
             xếp. Vui lòng chấp nhận hoặc từ chối trong Haven.",
    },
    Template {
        title: ByLang {
            en: "The right doctor is in at this time",
            vi: "Bác sĩ phù hợp có mặt vào giờ này",
        },
        en: "The doctor for this kind of visit is at the clinic at this time. Please accept or \
             decline it in Haven.",
        vi: "Bác sĩ phụ trách loại khám này có mặt tại phòng khám vào thời gian này. Vui lòng \
             chấp nhận hoặc từ chối trong Haven.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> impl Iterator<Item = Template> {
        DECLINE
            .into_iter()
            .chain(CONFIRM_NOTES)
            .chain(PROPOSE_NOTES)
    }

    #[test]
    fn every_template_is_written_in_every_language() {
        for template in all() {
            for lang in Lang::ALL {
                let text = template.text(lang, "115");
                assert!(!text.trim().is_empty(), "{}", template.title.en);
                assert!(
                    text.chars().count() <= haven_api::appointments::MAX_TEXT_CHARS,
                    "{}",
                    template.title.en
                );
                assert!(!text.contains('{'), "{}: {text}", template.title.en);
                assert!(!text.contains("  "), "{}: {text}", template.title.en);
            }
            assert_ne!(template.en, template.vi, "{}", template.title.en);
            assert_ne!(
                template.title.en, template.title.vi,
                "{}",
                template.title.en
            );
        }
    }

    #[test]
    fn there_are_enough_templates_to_choose_from() {
        assert!(DECLINE.len() >= 3);
        assert!(CONFIRM_NOTES.len() >= 2 && PROPOSE_NOTES.len() >= 2);
    }

    #[test]
    fn the_emergency_number_is_the_clinics() {
        let text = DECLINE[3].text(Lang::Vi, "115");
        assert!(text.contains("gọi 115 nếu khẩn cấp"), "{text}");
        let text = DECLINE[3].text(Lang::En, " ");
        assert!(text.contains("call your emergency number"), "{text}");
    }
}

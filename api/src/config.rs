//! The public part of a clinic's configuration, served at `GET /api/config` and read by the
//! widget at start-up. The server reads the whole `haven.toml`; only this part leaves it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::appointments::VisitType;
use crate::color::Rgb;
use crate::lang::Lang;

/// Text given in several languages, keyed by language.
pub type Localized = BTreeMap<Lang, String>;

/// Picks the text for `lang`, falling back to English, then to any language given.
pub fn pick(text: &Localized, lang: Lang) -> &str {
    text.get(&lang)
        .or_else(|| text.get(&Lang::En))
        .or_else(|| text.values().next())
        .map_or("", String::as_str)
}

fn all_visit_types() -> Vec<VisitType> {
    VisitType::ALL.to_vec()
}

/// Everything the widget needs to know about the clinic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicConfig {
    /// Who the clinic is and how it looks.
    pub clinic: Clinic,
    /// Crisis phone lines shown whenever a patient may be at risk.
    pub crisis_lines: Vec<CrisisLine>,
    /// When the clinic is open, in the clinic's time zone.
    pub opening_hours: Vec<OpeningHours>,
    /// Reasons a patient can choose when requesting an appointment.
    pub appointment_reasons: Vec<Choice>,
    /// Peer-support groups in the community forum.
    pub community_groups: Vec<CommunityGroup>,
    /// The visit types patients may ask for, in the order the form lists them.
    #[serde(default = "all_visit_types")]
    pub visit_types: Vec<VisitType>,
    /// Whether the widget reports searches that found no topic (`POST /api/search-misses`).
    #[serde(default)]
    pub report_missed_searches: bool,
}

/// The clinic's identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Clinic {
    /// A short identifier, matching the loader's `data-clinic` attribute.
    pub id: String,
    /// The clinic's name, per language.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, String>))]
    pub name: Localized,
    /// Path or URL of the logo image, served from the widget's origin.
    pub logo: Option<String>,
    /// The brand colour as configured.
    pub brand_color: Rgb,
    /// Languages the clinic offers, the first being its default.
    pub languages: Vec<Lang>,
    /// ISO 3166-1 alpha-2 country code, such as `VN`.
    pub country: String,
    /// The emergency services number, such as `115` or `911`.
    pub emergency_number: String,
    /// The clinic's IANA time zone, such as `Asia/Ho_Chi_Minh`.
    pub time_zone: String,
}

/// A crisis line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrisisLine {
    /// The service's name, per language.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, String>))]
    pub name: Localized,
    /// The number to call, as dialled (digits, spaces, `+`).
    pub phone: String,
    /// When it answers, per language, e.g. "24 hours, every day".
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, String>))]
    pub hours: Localized,
    /// Languages the line answers in.
    pub languages: Vec<Lang>,
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

/// Opening hours on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpeningHours {
    /// The day.
    pub day: Weekday,
    /// Opening time, `HH:MM`, 24-hour clock.
    pub opens: String,
    /// Closing time, `HH:MM`, later than `opens`.
    pub closes: String,
}

/// One option of a configured list, such as an appointment reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Choice {
    /// A stable identifier, sent on the wire.
    pub id: String,
    /// The label, per language.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, String>))]
    pub label: Localized,
}

/// A peer-support group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommunityGroup {
    /// A stable identifier, used in URLs.
    pub id: String,
    /// The group's name, per language.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, String>))]
    pub name: Localized,
    /// What the group is for, per language.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, String>))]
    pub description: Localized,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pick_falls_back_to_english_then_to_any_language() {
        let mut text = Localized::new();
        text.insert(Lang::En, "Diabetes".into());
        assert_eq!(pick(&text, Lang::Vi), "Diabetes");
        text.insert(Lang::Vi, "Tiểu đường".into());
        assert_eq!(pick(&text, Lang::Vi), "Tiểu đường");
        let only_vi: Localized = [(Lang::Vi, "Răng miệng".to_owned())].into();
        assert_eq!(pick(&only_vi, Lang::En), "Răng miệng");
        assert_eq!(pick(&Localized::new(), Lang::En), "");
    }

    #[test]
    fn localized_text_is_a_json_object_keyed_by_language_tag() {
        let text: Localized = [(Lang::Vi, "Xin chào".to_owned())].into();
        assert_eq!(
            serde_json::to_string(&text).unwrap(),
            r#"{"vi":"Xin chào"}"#
        );
    }
}

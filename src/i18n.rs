//! Translations. Every patient-facing string lives in one [`Catalog`] per language; a missing
//! key in any language is a compile error, because each catalogue is a struct literal.
//!
//! The language comes, in order, from the patient's saved choice, the loader's `lang`
//! parameter, then the browser's languages. Switching needs no reload: views read the catalogue
//! through [`I18n::t`], which tracks the language signal.

mod en;
mod vi;

use haven_api::lang::Lang;
use leptos::prelude::*;

/// The storage key of the patient's saved language choice (not health data).
const SAVED_LANGUAGE_KEY: &str = "haven.lang";

/// A locale the widget can render: a shipped language, or the pseudo right-to-left locale
/// used to test mirrored layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    /// A shipped language with its own catalogue.
    Lang(Lang),
    /// English text laid out right-to-left (`ar-XB`, Chromium's pseudo-bidi locale), for
    /// testing only; never offered in the language menu.
    PseudoRtl,
}

impl Locale {
    /// The `lang` attribute value.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Lang(lang) => lang.tag(),
            Locale::PseudoRtl => "ar-XB",
        }
    }

    /// The `dir` attribute value.
    pub fn dir(self) -> &'static str {
        match self {
            Locale::Lang(_) => "ltr",
            Locale::PseudoRtl => "rtl",
        }
    }

    /// The shipped language whose catalogue, API content and formats this locale uses.
    pub fn lang(self) -> Lang {
        match self {
            Locale::Lang(lang) => lang,
            Locale::PseudoRtl => Lang::En,
        }
    }

    /// Parses a tag from the loader or the URL; `ar-XB` selects the pseudo-RTL locale.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        if tag.eq_ignore_ascii_case("ar-XB") {
            Some(Locale::PseudoRtl)
        } else {
            Lang::from_tag(tag).map(Locale::Lang)
        }
    }

    /// The catalogue for this locale.
    pub fn catalog(self) -> &'static Catalog {
        SHELL.get(self.lang())
    }
}

/// One value per shipped language. Every catalogue (the shell's here, and each section's in
/// its own folder, travelling in its chunk) is a `Texts` of its own struct, so a missing
/// language, or a missing string in any language, is a compile error.
pub struct Texts<T: 'static> {
    /// English.
    pub en: T,
    /// Vietnamese.
    pub vi: T,
}

impl<T> Texts<T> {
    /// The value for `lang`.
    pub fn get(&'static self, lang: Lang) -> &'static T {
        match lang {
            Lang::En => &self.en,
            Lang::Vi => &self.vi,
        }
    }
}

/// The shell's catalogue.
static SHELL: Texts<Catalog> = Texts {
    en: en::CATALOG,
    vi: vi::CATALOG,
};

thread_local! {
    // The patient's language now, for catalogue look-ups anywhere, async tasks included
    // (which have no reactive owner to find the context in). Sections are built again when
    // it changes.
    static CURRENT: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::En) };
}

/// The patient's language now (not tracked: read it while building a section's view).
pub fn current_lang() -> Lang {
    CURRENT.with(std::cell::Cell::get)
}

/// Picks the start-up locale: the patient's own saved choice, then the loader's request (the
/// clinic's `data-lang`, or `?lang=` on the full page), then the browser's preferred
/// languages, then English. A patient who switches a Vietnamese clinic's widget to English
/// keeps English on the clinic's next page.
pub fn choose_locale(requested: Option<&str>, saved: Option<&str>, browser: &[String]) -> Locale {
    saved
        .and_then(Locale::from_tag)
        .or_else(|| requested.and_then(Locale::from_tag))
        .or_else(|| {
            browser
                .iter()
                .find_map(|tag| Lang::from_tag(tag).map(Locale::Lang))
        })
        .unwrap_or(Locale::Lang(Lang::En))
}

/// A reactive text for one catalogue entry, for use in views: `{tr(|t| t.learn)}`.
///
/// Every call returns the same closure type, so the renderer's code for it is compiled
/// once; a separate `move ||` closure per string would each add their own copy to the
/// patient bundle.
pub fn tr(
    select: fn(&'static Catalog) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || select(i18n.t())
}

/// Replaces `{}` in a catalogue string with `value`.
pub fn fill(template: &str, value: &str) -> String {
    template.replacen("{}", value, 1)
}

/// The language context, provided once at the root.
#[derive(Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    /// The current locale (tracked).
    pub fn locale(self) -> Locale {
        self.locale.get()
    }

    /// The current locale, without tracking it.
    pub fn locale_untracked(self) -> Locale {
        self.locale.get_untracked()
    }

    /// The current catalogue (tracked), for use inside reactive closures: `move || i18n.t().x`.
    pub fn t(self) -> &'static Catalog {
        self.locale.get().catalog()
    }

    /// Switches language without a reload; remembers a shipped language as the patient's
    /// choice, and updates `lang`/`dir` on the document.
    pub fn set(self, locale: Locale) {
        if let Locale::Lang(lang) = locale {
            save_language(lang);
        }
        CURRENT.with(|current| current.set(locale.lang()));
        self.locale.set(locale);
    }
}

/// Provides the language context and keeps `<html lang dir>` in step with it.
pub fn provide_i18n(initial: Locale) -> I18n {
    CURRENT.with(|current| current.set(initial.lang()));
    let i18n = I18n {
        locale: RwSignal::new(initial),
    };
    provide_context(i18n);
    Effect::new(move |_| {
        let locale = i18n.locale.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", locale.tag());
            let _ = root.set_attribute("dir", locale.dir());
        }
        document().set_title(locale.catalog().app_title);
    });
    i18n
}

/// The language context.
pub fn use_i18n() -> I18n {
    expect_context()
}

/// The patient's saved language, if any.
pub fn saved_language() -> Option<String> {
    window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(SAVED_LANGUAGE_KEY)
        .ok()
        .flatten()
}

fn save_language(lang: Lang) {
    if let Ok(Some(storage)) = window().local_storage() {
        // Storage can be unavailable (private mode, blocked third-party storage): the choice
        // then lasts for this visit only, which is acceptable.
        let _ = storage.set_item(SAVED_LANGUAGE_KEY, lang.tag());
    }
}

/// The browser's preferred languages, most preferred first.
pub fn browser_languages() -> Vec<String> {
    window()
        .navigator()
        .languages()
        .iter()
        .filter_map(|tag| tag.as_string())
        .collect()
}

/// Every patient-facing string. Fields are grouped by the view that shows them.
#[allow(missing_docs)]
pub struct Catalog {
    // Document and shell
    pub app_title: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub loading: &'static str,
    pub offline_notice: &'static str,
    pub emergency_call: &'static str,
    pub clinic_unreachable: &'static str,
    pub db_closed_by_update: &'static str,
    pub reload: &'static str,
    // Sections
    pub learn: &'static str,
    pub learn_intro: &'static str,
    pub module_unavailable: &'static str,
    pub crisis_heading: &'static str,
    pub crisis_intro: &'static str,
    pub crisis_hours: &'static str,
    pub crisis_no_lines: &'static str,
    pub call_emergency: &'static str,
    pub call: &'static str,
    pub appointments: &'static str,
    pub community: &'static str,
    pub records: &'static str,
    pub records_intro: &'static str,
    pub records_on_device: &'static str,
    pub settings: &'static str,
    pub not_found: &'static str,
    pub not_found_body: &'static str,
    pub go_to_learn: &'static str,
    // Settings
    pub language: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn browser(tags: &[&str]) -> Vec<String> {
        tags.iter().map(|tag| (*tag).to_owned()).collect()
    }

    #[test]
    fn the_patients_saved_choice_wins_over_the_loader_language() {
        let locale = choose_locale(Some("vi"), Some("en"), &browser(&["vi-VN"]));
        assert_eq!(locale, Locale::Lang(Lang::En));
    }

    #[test]
    fn the_loader_language_wins_over_the_browser() {
        let locale = choose_locale(Some("vi"), None, &browser(&["en-US"]));
        assert_eq!(locale, Locale::Lang(Lang::Vi));
    }

    #[test]
    fn the_saved_choice_wins_over_the_browser() {
        assert_eq!(
            choose_locale(None, Some("vi"), &browser(&["en-GB"])),
            Locale::Lang(Lang::Vi)
        );
    }

    #[test]
    fn the_first_shipped_browser_language_is_used_then_english() {
        assert_eq!(
            choose_locale(None, None, &browser(&["fr-FR", "vi-VN", "en"])),
            Locale::Lang(Lang::Vi)
        );
        assert_eq!(
            choose_locale(Some("xx"), Some("yy"), &browser(&["de"])),
            Locale::Lang(Lang::En)
        );
    }

    #[test]
    fn the_pseudo_rtl_locale_is_english_text_laid_out_right_to_left() {
        let locale = Locale::from_tag("ar-XB").unwrap();
        assert_eq!(
            (locale.dir(), locale.tag(), locale.lang()),
            ("rtl", "ar-XB", Lang::En)
        );
        assert_eq!(Locale::Lang(Lang::Vi).dir(), "ltr");
    }

    #[test]
    fn fill_replaces_the_first_placeholder() {
        assert_eq!(fill("Call {}", "115"), "Call 115");
        assert_eq!(fill("no placeholder", "x"), "no placeholder");
    }

    #[test]
    fn every_catalogue_has_a_text_for_every_key() {
        // Missing keys are compile errors; empty strings are the remaining mistake.
        for lang in Lang::ALL {
            let t = Locale::Lang(lang).catalog();
            for text in [
                t.app_title,
                t.skip_to_content,
                t.learn,
                t.appointments,
                t.community,
                t.records,
                t.settings,
                t.emergency_call,
                t.call,
            ] {
                assert!(!text.trim().is_empty(), "{lang:?}");
            }
            assert!(
                t.emergency_call.contains("{}") && t.call.contains("{}"),
                "{lang:?}"
            );
        }
    }
}

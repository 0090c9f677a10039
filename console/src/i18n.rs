//! The console's translations. Every staff-facing string lives in one [`Catalog`] per language;
//! a missing key in any language is a compile error, because each catalogue is a struct
//! literal.
//!
//! The language is the staff member's: their saved choice on this browser, else the first of
//! the browser's languages that the console speaks, else English. Switching needs no reload:
//! views read the catalogue through [`I18n::t`] (or [`tr`]), which tracks the language signal.
//! What staff write to patients is not chrome: it stays in the patient's language
//! (see `inbox/templates.rs`).

mod en;
mod vi;

use haven_api::lang::Lang;
use js_sys::{Array, Function, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// The storage key of the staff member's language choice on this browser (not personal data).
const SAVED_LANGUAGE_KEY: &str = "haven.console.lang";

static EN: Catalog = en::CATALOG;
static VI: Catalog = vi::CATALOG;

/// The catalogue for `lang`.
pub fn catalog(lang: Lang) -> &'static Catalog {
    match lang {
        Lang::En => &EN,
        Lang::Vi => &VI,
    }
}

/// Picks the start-up language: the staff member's saved choice, then the first of the
/// browser's preferred languages that the console speaks, then English.
pub fn choose_lang(saved: Option<&str>, browser: &[String]) -> Lang {
    saved
        .and_then(Lang::from_tag)
        .or_else(|| browser.iter().find_map(|tag| Lang::from_tag(tag)))
        .unwrap_or(Lang::En)
}

/// The locales `Intl` formats dates in for `lang`: the browser's own tags for that language
/// first (so `en-GB` keeps its day-month order), then the language itself.
pub fn intl_locales(lang: Lang, browser: &[String]) -> Vec<String> {
    browser
        .iter()
        .filter(|tag| Lang::from_tag(tag) == Some(lang))
        .cloned()
        .chain(std::iter::once(lang.tag().to_owned()))
        .collect()
}

/// Replaces the first `{}` in a catalogue string with `value`.
pub fn fill(template: &str, value: impl std::fmt::Display) -> String {
    template.replacen("{}", &value.to_string(), 1)
}

/// `one` for 1, else `many`, with `{}` replaced by `n`: "1 request", "3 requests".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    fill(if n == 1 { one } else { many }, n)
}

/// One catalogue entry, chosen by a field: `|t| t.sign_out`. Components take one where they
/// show a fixed text, so it follows the language.
pub type Text = fn(&'static Catalog) -> &'static str;

/// A reactive text for one catalogue entry, for use in views: `{tr(|t| t.sign_out)}`.
pub fn tr(select: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || select(i18n.t())
}

/// The language context, provided once at the root with [`I18n::provide`].
#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// Provides the language context, starting from the saved choice or the browser's
    /// languages, and keeps `<html lang>` in step with it.
    pub fn provide() -> I18n {
        let initial = choose_lang(saved_language().as_deref(), &browser_languages());
        let i18n = I18n {
            lang: RwSignal::new(initial),
        };
        provide_context(i18n);
        // An effect talks to the outside world: the document's language.
        Effect::new(move |_| {
            let lang = i18n.lang.get();
            if let Some(root) = document().document_element() {
                _ = root.set_attribute("lang", lang.tag());
            }
        });
        i18n
    }

    /// The current language (tracked).
    pub fn lang(self) -> Lang {
        self.lang.get()
    }

    /// The current language, without tracking it.
    pub fn lang_untracked(self) -> Lang {
        self.lang.get_untracked()
    }

    /// The current catalogue (tracked), for reactive closures: `move || i18n.t().x`.
    pub fn t(self) -> &'static Catalog {
        catalog(self.lang.get())
    }

    /// The current catalogue, without tracking it (event handlers, actions).
    pub fn t_untracked(self) -> &'static Catalog {
        catalog(self.lang.get_untracked())
    }

    /// Switches language without a reload, and remembers the choice on this browser.
    pub fn set(self, lang: Lang) {
        save_language(lang);
        self.lang.set(lang);
    }
}

/// The language context.
pub fn use_i18n() -> I18n {
    expect_context()
}

/// The language menu: a labelled `<select>` listing each language in its own words. A change
/// applies at once and is remembered on this browser.
#[component]
pub fn LanguageMenu(
    /// The select's id (the header's and the sign-in page's menus are never shown together,
    /// but each names its own).
    id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(lang) = Lang::from_tag(&event_target_value(&ev)) {
            i18n.set(lang);
        }
    };
    let options = Lang::ALL
        .into_iter()
        .map(|lang| {
            view! {
                <option value=lang.tag() lang=lang.tag() prop:selected=move || i18n.lang() == lang>
                    {lang.native_name()}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="language-menu">
            <label for=id>{tr(|t| t.language)}</label>
            <select id=id on:change=on_change>
                {options}
            </select>
        </div>
    }
}

// The console's web-sys build has neither `Navigator` nor `Storage`, so both are reached
// through `Reflect`; any failure (storage blocked, an old browser) reads as "nothing saved".

/// `window[name]`, when it is an object.
fn window_object(name: &str) -> Option<JsValue> {
    Reflect::get(window().as_ref(), &JsValue::from_str(name))
        .ok()
        .filter(JsValue::is_object)
}

/// Calls `storage[method](args…)` on `localStorage`.
fn call_storage(method: &str, args: &Array) -> Option<JsValue> {
    let storage = window_object("localStorage")?;
    let function: Function = Reflect::get(&storage, &JsValue::from_str(method))
        .ok()?
        .dyn_into()
        .ok()?;
    function.apply(&storage, args).ok()
}

/// The staff member's saved language on this browser, if any.
fn saved_language() -> Option<String> {
    call_storage(
        "getItem",
        &Array::of1(&JsValue::from_str(SAVED_LANGUAGE_KEY)),
    )?
    .as_string()
}

fn save_language(lang: Lang) {
    // Storage can be unavailable (blocked, full): the choice then lasts for this visit only.
    let args = Array::of2(
        &JsValue::from_str(SAVED_LANGUAGE_KEY),
        &JsValue::from_str(lang.tag()),
    );
    _ = call_storage("setItem", &args);
}

/// The browser's preferred languages (`navigator.languages`), most preferred first.
pub fn browser_languages() -> Vec<String> {
    window_object("navigator")
        .and_then(|navigator| Reflect::get(&navigator, &JsValue::from_str("languages")).ok())
        .and_then(|languages| languages.dyn_into::<Array>().ok())
        .map(|languages| languages.iter().filter_map(|tag| tag.as_string()).collect())
        .unwrap_or_default()
}

/// Declares [`Catalog`] with one `&'static str` field per name, and (for the tests) the list
/// of all its texts, so no text can be left out of the checks.
macro_rules! catalog {
    ($($name:ident),* $(,)?) => {
        /// Every staff-facing string of the console. Fields are grouped by the view that shows
        /// them; `{}` marks where [`fill`] puts a value.
        #[allow(missing_docs)]
        pub struct Catalog {
            $(pub $name: &'static str,)*
        }

        #[cfg(test)]
        impl Catalog {
            /// Every text with its field's name.
            fn texts(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($name), self.$name)),*]
            }
        }
    };
}

catalog! {
    // Shell
    console_name,
    brand,
    skip_to_main,
    nav_label,
    language,
    signed_in_as,
    sign_out,
    signing_out,
    still_signed_in,
    loading_session,
    role_cannot_open,
    no_role,
    not_found,
    not_found_body,
    go_to_console,
    section_inbox,
    section_moderation,
    section_content,
    section_audit,
    section_staff,
    moderation_intro,
    badge_new,
    try_again,
    never,
    // Roles and languages
    role_admin,
    role_moderator,
    role_educator,
    role_front_desk,
    role_admin_does,
    role_moderator_does,
    role_educator_does,
    role_front_desk_does,
    lang_en,
    lang_vi,
    // Errors from the server or the network
    error_network,
    error_unreadable,
    error_encode,
    error_request_id,
    error_bad_request,
    error_validation,
    error_unauthorized,
    error_forbidden,
    error_not_found,
    error_conflict,
    error_idempotency_mismatch,
    error_payload_too_large,
    error_unsupported_media_type,
    error_rate_limited,
    error_internal,
    // Forms
    one_field_needs_attention,
    fields_need_attention,
    error_prefix,
    show_password,
    enter_email,
    email_invalid,
    enter_whole_date,
    // Sign-in
    sign_in,
    signing_in,
    email_address,
    password,
    enter_password,
    sign_in_wrong,
    notice_signed_out,
    notice_expired,
    notice_check_failed,
    // Request inbox
    inbox_intro,
    loading_requests,
    requests_failed,
    try_again_requests,
    refresh_list,
    summary_none_match,
    summary_none,
    summary_match_one,
    summary_match_many,
    summary_all_one,
    summary_all_many,
    summary_new_none,
    summary_new_one,
    summary_new_many,
    summary_overdue_one,
    summary_overdue_many,
    filter_requests,
    any_status,
    any_reason,
    received_from,
    received_to,
    apply_filters,
    clear_filters,
    choose_status,
    last_day_before_first,
    caption_all,
    caption_filtered,
    requests_one,
    requests_many,
    empty_inbox,
    empty_filtered,
    received,
    waiting,
    status,
    reason,
    name,
    visit_type,
    first_preferred_time,
    attached_items,
    answered,
    overdue,
    // Statuses, visit types, history
    status_new,
    status_contacted,
    status_proposed,
    status_confirmed,
    status_declined,
    status_withdrawn,
    visit_in_person,
    visit_phone,
    visit_video,
    event_received,
    event_confirmed,
    event_proposed,
    event_declined,
    event_contacted,
    event_withdrawn,
    event_proposal_accepted,
    event_proposal_declined,
    actor_patient,
    by,
    under_a_minute,
    minutes_short,
    hours_short,
    day_one,
    days_many,
    // Attached record items
    kind_condition,
    kind_medication,
    kind_allergy,
    kind_blood_pressure,
    kind_glucose,
    kind_weight,
    kind_height,
    kind_temperature,
    kind_heart_rate,
    kind_oxygen_saturation,
    kind_mood,
    kind_vaccination,
    kind_visit_note,
    kind_question,
    kind_document,
    kind_emergency,
    severity_mild,
    severity_moderate,
    severity_severe,
    note_resolved,
    note_stopped,
    note_answered,
    // One request's page
    back_to_inbox,
    loading_request,
    request_not_found,
    request_failed,
    try_again_request,
    appointment_request,
    request_from,
    at_time,
    where_it_stands,
    overdue_waiting,
    waiting_for_answer,
    booked_for,
    time_offered,
    message_sent,
    last_change,
    asked_for,
    in_their_words,
    reason_in_their_words,
    preferred_times,
    seen_before,
    new_patient,
    returning_patient,
    notes,
    none,
    none_given,
    patient,
    date_of_birth,
    age,
    phone,
    email,
    not_given,
    answer_in,
    shared_from_record,
    nothing_shared,
    attachments_hint,
    history,
    // What to do
    what_to_do,
    choose_action,
    choice_confirm,
    choice_propose,
    choice_cancel,
    choice_decline,
    choice_contacted,
    choice_note_contact,
    closed_withdrawn,
    closed_declined,
    closed_nothing_more,
    sending,
    nothing_changed_closed,
    nothing_changed,
    done_confirmed,
    done_proposed,
    done_declined,
    done_contacted,
    confirm_intro,
    confirm_button,
    propose_intro,
    propose_button,
    day,
    time_clinic_clock,
    patients_preferred_times,
    use_window,
    note_for_patient,
    enter_day,
    day_passed,
    enter_time,
    time_24_hour,
    decline_intro,
    decline_intro_cancel,
    decline_closes,
    message_for_patient,
    decline_button,
    cancel_button,
    contacted_intro,
    note_contact_button,
    message_language,
    answer_in_hint,
    answer_in_hint_not,
    start_from_template,
    no_template,
    message,
    note,
    message_hint,
    write_message,
    shorten_message,
    // Staff accounts
    accounts_intro,
    add_account_heading,
    loading_accounts,
    accounts_failed,
    role,
    created,
    last_sign_in,
    actions,
    account_active,
    account_disabled,
    your_account,
    role_for,
    change_role,
    for_account,
    enable,
    disable,
    delete,
    delete_question,
    delete_warning,
    yes_delete,
    cancel,
    now_has_role,
    now_disabled,
    now_enabled,
    nothing_changed_for,
    already_has_role,
    could_not_change,
    deleted,
    could_not_delete,
    first_password,
    password_hint,
    password_rule,
    choose_role,
    choose_role_error,
    add_account,
    adding_account,
    account_added,
    // Audit log
    audit_intro,
    loading_audit,
    audit_failed,
    audit_empty,
    audit_caption,
    when,
    who,
    what,
    affected,
    unknown_actor,
    load_older,
    no_older_entries,
    loading_older,
    no_older_entries_loaded,
    loaded_older_one,
    loaded_older_many,
    loaded_older_oldest_one,
    loaded_older_oldest_many,
    older_failed,
    audit_sign_in,
    audit_sign_in_failed,
    audit_account_locked,
    audit_sign_out,
    audit_staff_created,
    audit_staff_role_changed,
    audit_staff_disabled,
    audit_staff_enabled,
    audit_staff_deleted,
    audit_request_confirmed,
    audit_request_proposed,
    audit_request_declined,
    audit_request_contacted,
    audit_requests_exported,
    // Content
    content_intro,
    education_content,
    loading_content,
    content_failed,
    try_again_content,
    packs_loaded,
    packs_fallback,
    packs_caption,
    language_column,
    version,
    topics,
    shown_in_other_language,
    refused_heading,
    refused_checked,
    refused_errors,
    errors_one,
    errors_many,
    refused_fix,
    warnings,
    no_warnings,
    warnings_intro,
    warnings_caption,
    file,
    line,
    field,
    what_to_fix,
    whole_file,
    what_patients_look_for,
    misses_intro,
    misses_off,
    misses_off_under,
    misses_off_in,
    misses_off_restart,
    loading_misses,
    misses_failed,
    try_again_misses,
    no_misses_recorded,
    no_misses_yet,
    misses_caption,
    query,
    times_found_nothing,
    last_seen,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn browser(tags: &[&str]) -> Vec<String> {
        tags.iter().map(|tag| (*tag).to_owned()).collect()
    }

    #[test]
    fn the_saved_choice_wins_over_the_browser() {
        assert_eq!(choose_lang(Some("vi"), &browser(&["en-US"])), Lang::Vi);
        assert_eq!(choose_lang(Some("en"), &browser(&["vi-VN"])), Lang::En);
    }

    #[test]
    fn the_first_browser_language_the_console_speaks_is_used_then_english() {
        assert_eq!(
            choose_lang(None, &browser(&["fr-FR", "vi-VN", "en"])),
            Lang::Vi
        );
        assert_eq!(choose_lang(None, &browser(&["en-US", "vi"])), Lang::En);
        assert_eq!(choose_lang(Some("xx"), &browser(&["de"])), Lang::En);
        assert_eq!(choose_lang(None, &[]), Lang::En);
    }

    #[test]
    fn dates_use_the_browsers_regional_tags_for_the_chosen_language() {
        let tags = browser(&["en-GB", "vi-VN", "en"]);
        assert_eq!(intl_locales(Lang::En, &tags), ["en-GB", "en", "en"]);
        assert_eq!(intl_locales(Lang::Vi, &tags), ["vi-VN", "vi"]);
        assert_eq!(intl_locales(Lang::Vi, &browser(&["en-US"])), ["vi"]);
    }

    #[test]
    fn fill_and_plural_put_the_value_in_place() {
        assert_eq!(fill("Loaded {} entries", 3), "Loaded 3 entries");
        assert_eq!(fill("no placeholder", "x"), "no placeholder");
        assert_eq!(plural(1, "{} request", "{} requests"), "1 request");
        assert_eq!(plural(2, "{} request", "{} requests"), "2 requests");
    }

    #[test]
    fn every_text_is_written_and_placeholders_match_across_languages() {
        let [en, vi] = Lang::ALL.map(catalog);
        let (en, vi) = (en.texts(), vi.texts());
        assert_eq!(en.len(), vi.len());
        for ((name, en), (_, vi)) in en.iter().zip(&vi) {
            assert!(!en.trim().is_empty() && !vi.trim().is_empty(), "{name}");
            assert_eq!(
                en.matches("{}").count(),
                vi.matches("{}").count(),
                "{name}: {en} / {vi}"
            );
        }
    }
}

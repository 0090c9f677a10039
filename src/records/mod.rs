//! My record: the patient's personal health record.
//!
//! [`RecordsPage`] is all of it in the shell. The rest (the forms, the charts, the lock's
//! Argon2id and the FHIR mapping) is a chunk loaded when the patient first opens My record,
//! so none of it weighs on the first load. Everything is kept in this browser's
//! IndexedDB through [`crate::vault`]; nothing leaves the device unless the patient exports
//! it.
//!
//! Pages: the timeline (`/records`), a new entry (`/records/add/{kind}`), an entry
//! (`/records/entry/{id}`), trends, the printable summary, the emergency card, backup
//! (export and import) and settings (lock, storage, delete everything). While the record is
//! locked every page shows the unlock form instead.

mod data;
mod describe;
mod entry_form;
pub mod picker;
mod settings;
mod storage;
mod summary;
pub mod text;
mod timeline;
mod transfer;
mod trends;
mod views;

use haven_api::lang::Lang;
use haven_api::record::{Date, DateTime, Kind};
use leptos::prelude::*;

pub use data::{Filter, Record, matching, search_text};

use crate::i18n::tr;
use crate::ui::{PageHeading, Section};

/// My record's stylesheet, named by its content hash in a release build (`cargo xtask build`
/// sets `HAVEN_CSS_RECORDS`); `trunk serve` links it from `index.html` instead.
const STYLES: Option<&str> = option_env!("HAVEN_CSS_RECORDS");

/// Loads My record's stylesheet (also used by the record picker in other sections) once.
pub fn load_styles() {
    crate::ui::load_stylesheet(STYLES);
}

/// The My record section: its chunk, with the heading and what the record is shown until
/// it is ready.
#[component]
pub fn RecordsPage() -> impl IntoView {
    // The stylesheet downloads beside the section's chunk.
    load_styles();
    view! {
        <Section load=section>
            <PageHeading text=Signal::derive(tr(|t| t.records))/>
            <p>{tr(|t| t.records_intro)}</p>
            <p class="notice">{tr(|t| t.records_on_device)}</p>
        </Section>
    }
}

/// A page of the My record section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// Everything, newest first, with filters and search.
    Timeline,
    /// A new entry of a kind.
    Add(Kind),
    /// One entry, to read, change or delete.
    Entry(String),
    /// Charts of measurements over time.
    Trends,
    /// The printable summary.
    Summary,
    /// The printable emergency card.
    Emergency,
    /// Export, import and the backup reminder.
    Backup,
    /// The lock, storage and deleting everything.
    Settings,
    /// Not a record page (the shell is about to remove the section).
    Elsewhere,
}

impl Page {
    /// Parses a URL path.
    pub fn from_path(path: &str) -> Page {
        let path = path.trim_end_matches('/');
        match path {
            "/records" => return Page::Timeline,
            "/records/trends" => return Page::Trends,
            "/records/summary" => return Page::Summary,
            "/records/emergency" => return Page::Emergency,
            "/records/backup" => return Page::Backup,
            "/records/settings" => return Page::Settings,
            _ => {}
        }
        if let Some(kind) = path.strip_prefix("/records/add/").and_then(Kind::parse) {
            return Page::Add(kind);
        }
        match path.strip_prefix("/records/entry/") {
            Some(id) if haven_api::record::entry::is_uuid(id) => Page::Entry(id.to_owned()),
            _ => Page::Elsewhere,
        }
    }

    /// The URL path.
    pub fn path(&self) -> String {
        match self {
            Page::Timeline | Page::Elsewhere => "/records".to_owned(),
            Page::Add(kind) => format!("/records/add/{}", kind.as_str()),
            Page::Entry(id) => format!("/records/entry/{id}"),
            Page::Trends => "/records/trends".to_owned(),
            Page::Summary => "/records/summary".to_owned(),
            Page::Emergency => "/records/emergency".to_owned(),
            Page::Backup => "/records/backup".to_owned(),
            Page::Settings => "/records/settings".to_owned(),
        }
    }
}

/// Shared state of the My record app.
#[derive(Clone, Copy)]
pub struct RecordState {
    /// The current page, following the address bar.
    pub page: RwSignal<Page>,
    /// The patient's language.
    pub lang: Lang,
    /// The locale tag for `Intl` formatting.
    pub tag: &'static str,
    /// A short message about the last action ("Saved."), shown and announced politely.
    pub notice: RwSignal<Option<String>>,
    /// When the notice was set (`Date.now()`), so a page change right after keeps it.
    notice_at: StoredValue<f64>,
}

impl RecordState {
    /// Shows and announces a message about the last action.
    pub fn announce(&self, message: impl Into<String>) {
        self.notice.set(Some(message.into()));
        self.notice_at.set_value(js_sys::Date::now());
    }

    /// Clears the message once the patient has moved on.
    fn forget_notice(&self) {
        if js_sys::Date::now() - self.notice_at.get_value() > 1500.0 {
            self.notice.set(None);
        }
    }
}

/// The record state context.
pub fn use_state() -> RecordState {
    expect_context()
}

thread_local! {
    // The mounted app's language. A thread-local rather than a context, because async tasks
    // (saving, exporting, importing) have no reactive owner to look a context up in; the
    // module mounts one app at a time.
    static LANG: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::En) };
}

/// The patient's language.
pub fn lang() -> Lang {
    LANG.with(std::cell::Cell::get)
}

/// The My record catalogue for the current language.
pub fn t() -> &'static text::RecordText {
    text::text(lang())
}

crate::split_section! {
    /// My record's entry: loads the chunk with the record's code and returns its page builder.
    records: pub fn section() -> crate::ui::Build => page
}

/// My record in the patient's current language; built again when the language changes.
fn page() -> AnyView {
    let state = provide_record();
    follow_address_bar(state);
    view! { <views::RecordApp/> }.into_any()
}

/// Provides the record's state and data (opening the vault) in the patient's current
/// language, for My record and for the sections that let the patient choose record items.
fn provide_record() -> RecordState {
    let locale = crate::i18n::use_i18n().locale_untracked();
    LANG.with(|lang| lang.set(locale.lang()));
    let state = RecordState {
        page: RwSignal::new(current_page()),
        lang: locale.lang(),
        tag: locale.tag(),
        notice: RwSignal::new(None),
        notice_at: StoredValue::new(0.0),
    };
    provide_context(state);
    Record::provide();
    state
}

fn current_page() -> Page {
    Page::from_path(&window().location().pathname().unwrap_or_default())
}

/// Keeps the page in step with the address bar; a message about the last action goes once
/// the patient moves on.
fn follow_address_bar(state: RecordState) {
    crate::routes::follow_address_bar(state.page, Page::from_path, Page::Elsewhere, move || {
        state.forget_notice()
    });
}

/// Goes to a record page as a link would.
pub fn go(page: &Page) {
    crate::routes::go(&page.path());
}

/// A click handler for an in-widget link to a record page.
pub fn follow(page: Page) -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
    crate::ui::follow(page.path())
}

/// The browser's local date and time now, with its UTC offset.
pub fn now_local() -> DateTime {
    let now = js_sys::Date::new_0();
    let date = Date::new(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_else(|| Date::from_unix_ms(now.get_time() as i64));
    // `getTimezoneOffset` is minutes *behind* UTC (Vietnam: -420).
    let offset = -(now.get_timezone_offset() as i32);
    DateTime::new(date, now.get_hours(), now.get_minutes(), 0, offset)
        .or_else(|| DateTime::new(date, now.get_hours(), now.get_minutes(), 0, 0))
        .expect("the browser's clock gives a valid time")
}

/// The patient's local date today.
pub fn today() -> Date {
    now_local().date()
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A new entry id: a lower-case UUID from the browser.
pub fn new_id() -> String {
    window()
        .crypto()
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_paths_parse_to_pages_and_back() {
        for page in [
            Page::Timeline,
            Page::Add(Kind::BloodPressure),
            Page::Entry("0b6f1c52-3c1e-4a8e-9b55-1f1f8a3c2d10".into()),
            Page::Trends,
            Page::Summary,
            Page::Emergency,
            Page::Backup,
            Page::Settings,
        ] {
            assert_eq!(Page::from_path(&page.path()), page);
        }
        assert_eq!(Page::from_path("/records/"), Page::Timeline);
    }

    #[test]
    fn other_paths_are_not_record_pages() {
        assert_eq!(Page::from_path("/learn"), Page::Elsewhere);
        assert_eq!(Page::from_path("/records/add/pizza"), Page::Elsewhere);
        assert_eq!(Page::from_path("/records/entry/not-an-id"), Page::Elsewhere);
    }
}

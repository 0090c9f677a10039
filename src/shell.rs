//! The patient app shell: skip link, header with the clinic's name and logo, navigation,
//! status banners, the current page, and the emergency number in the footer.

use haven_api::config::pick;
use haven_api::lang::Lang;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use crate::clinic::use_clinic;
use crate::i18n::{Locale, fill, tr, use_i18n};
use crate::routes::{Route, use_router};
use crate::ui::{Link, PageHeading, focus_heading};
use crate::{appointments, community, learn, records, settings};

/// The whole app inside the shell.
#[component]
pub fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    let router = use_router();
    let online = online_signal();
    move_focus_on_navigation();

    view! {
        <a class="skip-link" href="#main">{tr(|t| t.skip_to_content)}</a>
        <header class="site-header">
            <ClinicIdentity/>
            // Embedded, the loader's bar around the panel has the one close control.
            <LanguagePicker compact=true/>
        </header>
        <nav class="sections" aria-label=tr(|t| t.nav_label)>
            <ul>
                {Route::SECTIONS.into_iter().map(|route| {
                    let label = route.clone();
                    view! {
                        <li><Link to=route nav=true>{move || section_name(&label, i18n.locale())}</Link></li>
                    }
                }).collect_view()}
            </ul>
        </nav>
        <div class="banners">
            <Show when=move || !online.get()>
                <p class="banner banner-offline" role="status">{tr(|t| t.offline_notice)}</p>
            </Show>
            <Show when=crate::store::outdated>
                <div class="banner banner-warning" role="alert">
                    <p>{tr(|t| t.db_closed_by_update)}</p>
                    <button type="button" on:click=|_| { let _ = window().location().reload(); }>
                        {tr(|t| t.reload)}
                    </button>
                </div>
            </Show>
        </div>
        <main id="main" tabindex="-1">
            {move || match router.route() {
                Route::Learn => learn::LearnPage().into_any(),
                Route::Appointments => appointments::AppointmentsPage().into_any(),
                Route::Community => community::CommunityPage().into_any(),
                Route::Records => records::RecordsPage().into_any(),
                Route::Settings => settings::SettingsPage().into_any(),
                Route::NotFound => NotFoundPage().into_any(),
            }}
        </main>
        <EmergencyFooter/>
    }
}

/// A section's name in the current language.
pub fn section_name(route: &Route, locale: Locale) -> &'static str {
    let t = locale.catalog();
    match route {
        Route::Learn => t.learn,
        Route::Appointments => t.appointments,
        Route::Community => t.community,
        Route::Records => t.records,
        Route::Settings => t.settings,
        Route::NotFound => t.not_found,
    }
}

#[component]
fn ClinicIdentity() -> impl IntoView {
    let clinic = use_clinic();
    let i18n = use_i18n();
    let name = move || {
        clinic
            .config()
            .map(|c| pick(&c.clinic.name, i18n.locale().lang()).to_owned())
    };
    let logo = move || clinic.config().and_then(|c| c.clinic.logo);
    view! {
        <p class="clinic">
            {move || logo().map(|src| view! {
                <img class="clinic-logo" src=src alt="" width="32" height="32"/>
            })}
            <span class="clinic-name">{move || name().unwrap_or_else(|| "Haven".to_owned())}</span>
        </p>
    }
}

/// The language menu; changes apply at once and are remembered on this device.
#[component]
pub fn LanguagePicker(
    /// Hides the visible label (the select keeps its accessible name), for the header.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = if compact {
        "language-header"
    } else {
        "language-settings"
    };
    let on_change = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        if let Some(locale) = Locale::from_tag(&value) {
            i18n.set(locale);
        }
    };
    view! {
        <div class="language-picker" class:compact=compact>
            <label for=id class=("visually-hidden", compact)>{tr(|t| t.language)}</label>
            <select id=id on:change=on_change prop:value=move || i18n.locale().lang().tag()>
                {Lang::ALL.into_iter().map(|lang| view! {
                    <option value=lang.tag() lang=lang.tag()>{lang.native_name()}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn EmergencyFooter() -> impl IntoView {
    let clinic = use_clinic();
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            {move || clinic.config().map(|config| {
                let number = config.clinic.emergency_number;
                let href = crate::clinic::tel_href(&number);
                view! {
                    <p><a class="emergency-link" href=href>{fill(i18n.t().emergency_call, &number)}</a></p>
                }
            })}
            <Show when=move || clinic.unreachable()>
                <p class="muted" role="status">{tr(|t| t.clinic_unreachable)}</p>
            </Show>
        </footer>
    }
}

#[component]
fn NotFoundPage() -> impl IntoView {
    // No section loads here, so nothing else starts the offline worker and the sender.
    crate::ui::after_first_section();
    view! {
        <PageHeading text=Signal::derive(tr(|t| t.not_found))/>
        <p>{tr(|t| t.not_found_body)}</p>
        <p><Link to=Route::Learn>{tr(|t| t.go_to_learn)}</Link></p>
    }
}

/// Whether the browser believes it is online, following `online`/`offline` events.
fn online_signal() -> ReadSignal<bool> {
    let (online, set_online) = signal(window().navigator().on_line());
    for (event, value) in [("online", true), ("offline", false)] {
        let listener = Closure::<dyn Fn()>::new(move || set_online.set(value));
        let _ = window().add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        listener.forget();
    }
    online
}

/// After every navigation (not the first page load), moves focus to the new page's heading so
/// screen reader and keyboard users start at the new content.
fn move_focus_on_navigation() {
    let router = use_router();
    Effect::new(move |previous: Option<Route>| {
        let route = router.route();
        if previous.is_some_and(|previous| previous != route) {
            focus_heading();
        }
        route
    });
}

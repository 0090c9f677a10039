//! The request form: reason, preferred times, visit type, the patient's details, optional
//! record items, consent. Checked on submit, field by field, with messages beside each field
//! and a summary that takes focus; then put in the outbox, which sends it now or once the
//! connection returns.
//!
//! Every change is saved as a draft (see [`super::draft`]) and restored after a reload; the
//! draft is cleared only once the request is safely in the outbox. Emergency symptoms in the
//! reason or notes bring an alert with the emergency number at once, and self-harm language
//! the crisis panel; the request can still be sent.

use std::cell::RefCell;
use std::collections::BTreeSet;

use haven_api::appointments::{MAX_WINDOWS, PatientAction, PatientAnswer, VisitType};
use haven_api::config::{Choice, OpeningHours, PublicConfig, pick};
use haven_api::lang::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use super::attach::{self, Check};
use super::draft::{self, Draft, ENDPOINT, KIND, Keep, empty_window};
use super::text::{self, t};
use super::validate::{
    self, ClinicNow, FieldError, LinkReason, Problem, apply_link_reason, check_attachments,
    fit_visit_type,
};
use super::{Shared, focus_by_id, use_shared};
use crate::clinic::tel_href;
use crate::i18n::{fill, use_i18n};
use crate::outbox;
use crate::ui::CrisisPanel;

thread_local! {
    // The form as last typed in this tab, so rebuilding the section (a language switch, or
    // coming back from another section) restores it at once, before IndexedDB answers.
    static MEMORY: RefCell<Option<(Draft, Option<String>)>> = const { RefCell::new(None) };
}

/// The form as last typed in this tab, if any.
pub fn remembered() -> Option<(Draft, Option<String>)> {
    MEMORY.with_borrow(Clone::clone)
}

/// The element id of a field, from its server name (`windows.0.date` → `appt-windows-0-date`).
pub fn field_id(field: &str) -> String {
    format!("appt-{}", field.replace('.', "-"))
}

/// The field's problem, if any (tracked).
fn problem_for(errors: RwSignal<Vec<FieldError>>, field: &str) -> Option<Problem> {
    errors.with(|errors| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.problem.clone())
    })
}

/// The clinic's local date and time now, from the browser's clock and `Intl` with the clinic's
/// time zone; the browser's own zone if that one is unknown.
fn clinic_now(time_zone: &str) -> ClinicNow {
    use js_sys::{Array, Function, Object, Reflect};
    let now = js_sys::Date::new_0();
    let local = || ClinicNow {
        today: haven_api::date::Date::new(
            now.get_full_year() as i32,
            now.get_month() + 1,
            now.get_date(),
        )
        .unwrap_or_else(|| haven_api::date::Date::from_unix_ms(now.get_time() as i64)),
        minutes: now.get_hours() * 60 + now.get_minutes(),
    };
    let options = Object::new();
    for (key, value) in [
        ("timeZone", time_zone),
        ("year", "numeric"),
        ("month", "numeric"),
        ("day", "numeric"),
        ("hour", "numeric"),
        ("minute", "numeric"),
        ("hourCycle", "h23"),
    ] {
        let _ = Reflect::set(&options, &key.into(), &value.into());
    }
    let formatter = Reflect::get(&js_sys::global(), &"Intl".into())
        .and_then(|intl| Reflect::get(&intl, &"DateTimeFormat".into()))
        .and_then(|class| {
            Reflect::construct(&class.into(), &Array::of2(&"en-US".into(), &options))
        });
    let Ok(formatter) = formatter else {
        return local();
    };
    let parts = Reflect::get(&formatter, &"formatToParts".into())
        .and_then(|f| Function::from(f).call1(&formatter, &now));
    let Ok(parts) = parts else {
        return local();
    };
    let mut numbers = [0u32; 5];
    for part in Array::from(&parts).iter() {
        let field = |name: &str| {
            Reflect::get(&part, &name.into())
                .ok()
                .and_then(|v| v.as_string())
        };
        let slot = match field("type").as_deref() {
            Some("year") => 0,
            Some("month") => 1,
            Some("day") => 2,
            Some("hour") => 3,
            Some("minute") => 4,
            _ => continue,
        };
        numbers[slot] = field("value").and_then(|v| v.parse().ok()).unwrap_or(0);
    }
    let [year, month, day, hour, minute] = numbers;
    match haven_api::date::Date::new(year as i32, month, day) {
        Some(today) => ClinicNow {
            today,
            minutes: (hour % 24) * 60 + minute,
        },
        None => local(),
    }
}

/// The `?reason=` parameter of the address, removed from it so a later rebuild of the section
/// does not apply it again over the patient's own choice.
fn take_link_reason() -> Option<String> {
    let location = window().location();
    let search = location.search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    let reason = params.get("reason")?;
    if let (Ok(history), Ok(path)) = (window().history(), location.pathname()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
    }
    Some(reason)
}

/// A 128-bit secret as 32 lower-case hex digits, from the browser's cryptographic random
/// numbers.
fn new_secret() -> Option<String> {
    let mut bytes = [0u8; 16];
    window()
        .crypto()
        .ok()?
        .get_random_values_with_u8_array(&mut bytes)
        .ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The request form, for a clinic's configuration.
#[component]
pub fn RequestForm(
    /// The clinic's configuration.
    config: PublicConfig,
) -> impl IntoView {
    let shared = use_shared();
    let Shared {
        draft,
        chosen,
        replaces,
        restored,
        errors,
        ..
    } = shared;
    let reasons: Vec<String> = config
        .appointment_reasons
        .iter()
        .map(|r| r.id.clone())
        .collect();
    let link = take_link_reason();
    let link_result = RwSignal::new(LinkReason::None);
    let offered = config.visit_types.clone();
    draft.update(|d| {
        link_result.set(apply_link_reason(d, link.as_deref(), &reasons));
        fit_visit_type(d, &offered);
    });

    // A draft from an earlier visit wins over the empty form: it is what the patient typed.
    if remembered().is_none() {
        let start = draft.get_untracked();
        let reasons = reasons.clone();
        spawn_local(async move {
            let Ok(Some(row)) = draft::load_draft().await else {
                return;
            };
            if draft
                .try_with_untracked(|now| *now != start)
                .unwrap_or(true)
            {
                return;
            }
            let mut saved = row.draft;
            apply_link_reason(&mut saved, link.as_deref(), &reasons);
            fit_visit_type(&mut saved, &offered);
            chosen.set(saved.attachments.iter().cloned().collect());
            replaces.set(row.replaces);
            restored.set(!saved.is_blank());
            draft.set(saved);
        });
    }

    // Every change is remembered at once in this tab and saved to the device shortly after.
    let pending = StoredValue::new_local(None::<leptos::leptos_dom::helpers::TimeoutHandle>);
    Effect::new(move |first: Option<()>| {
        let mut current = draft.get();
        current.attachments = chosen.with(|ids| ids.iter().cloned().collect());
        let replacing = replaces.get();
        MEMORY.with_borrow_mut(|memory| *memory = Some((current.clone(), replacing.clone())));
        if first.is_none() {
            return;
        }
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                spawn_local(async move {
                    let _ = draft::save_draft(current, replacing).await;
                });
            },
            std::time::Duration::from_millis(250),
        );
        pending.set_value(handle.ok());
    });

    let busy = RwSignal::new(false);
    let summary_ref = NodeRef::<leptos::html::Div>::new();
    let time_zone = config.clinic.time_zone.clone();
    let hours = config.opening_hours.clone();
    let country = config.clinic.country.clone();
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let current = draft.get_untracked();
        let now = clinic_now(&time_zone);
        let mut problems = validate::validate(
            &current,
            &validate::Clinic {
                now,
                hours: &hours,
                reasons: &reasons,
                country: &country,
            },
        );
        let ids = chosen.get_untracked();
        let check = shared
            .picker_check
            .get_value()
            .and_then(|check| check.try_get_untracked())
            .unwrap_or_default();
        let attachments = if ids.is_empty() {
            Some(js_sys::Array::new().into())
        } else {
            shared
                .picker_payload
                .with_value(|payload| payload.as_ref().and_then(|f| f()))
        };
        let found = if attachments.is_some() {
            ids.len()
        } else {
            check.found
        };
        if let Some(problem) = check_attachments(ids.len(), found, check.documents.len()) {
            problems.push(FieldError {
                field: "attachments".into(),
                problem,
            });
        }
        // Notes come after the attachments in the form, consent last: keep that order.
        problems.sort_by_key(|e| order(&e.field));
        if !problems.is_empty() {
            show_errors(errors, summary_ref, problems);
            return;
        }
        let (Some(attachments), Some(secret)) = (attachments, new_secret()) else {
            shared.announce(t().save_failed);
            return;
        };
        errors.set(Vec::new());
        busy.set(true);
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let id = crate::records::new_id();
        let replacing = replaces.get_untracked();
        spawn_local(async move {
            let result = match draft::payload(&current, &id, &secret, &attachments) {
                Ok(payload) => {
                    let keep =
                        crate::api::to_json(&Keep::of(&current, &id, &secret)).unwrap_or_default();
                    // Cancelled after an attempt that may have reached the clinic, the request
                    // is withdrawn with its secret.
                    let undo = crate::api::to_json(&PatientAnswer {
                        action: PatientAction::Withdraw,
                        secret: Some(secret.clone()),
                    })
                    .ok()
                    .map(|payload| outbox::Undo {
                        endpoint: format!("{ENDPOINT}/{id}/answer"),
                        payload,
                    });
                    outbox::enqueue_with_undo(KIND, ENDPOINT, id, payload, keep, undo)
                        .await
                        .is_ok()
                }
                Err(_) => false,
            };
            busy.try_set(false);
            if !result {
                shared.announce(t().save_failed);
                return;
            }
            let _ = draft::clear_draft().await;
            if let Some(old) = replacing {
                let _ = outbox::cancel(&old).await;
            }
            let language = current.language;
            chosen.try_set(BTreeSet::new());
            replaces.try_set(None);
            restored.try_set(false);
            draft.try_set(Draft::new(language));
            shared.announce(if window().navigator().on_line() {
                t().submitted
            } else {
                t().submitted_offline
            });
            focus_by_id("requests-heading");
        });
    };

    let discard = move |_| {
        draft.set(Draft::new(crate::i18n::current_lang()));
        chosen.set(BTreeSet::new());
        replaces.set(None);
        restored.set(false);
        errors.set(Vec::new());
    };

    let tag = use_i18n().locale_untracked().tag();
    let emergency_number = config.clinic.emergency_number.clone();
    let crisis_lines = config.crisis_lines.clone();
    let reason_text = Signal::derive(move || draft.with(|d| d.reason_text.clone()));
    let notes = Signal::derive(move || draft.with(|d| d.notes.clone()));
    let reason_found = Memo::new(move |_| detect(&reason_text.get()));
    let notes_found = Memo::new(move |_| {
        if reason_found.get() == Found::default() {
            detect(&notes.get())
        } else {
            Found::default()
        }
    });
    let alerts = move |found: Memo<Found>| {
        let number = emergency_number.clone();
        let lines = crisis_lines.clone();
        move || {
            let found = found.get();
            view! {
                {found.emergency.then(|| {
                    let href = tel_href(&number);
                    view! {
                        <div class="crisis" role="alert">
                            <p><strong>{t().emergency_heading}</strong></p>
                            <p>{fill(t().emergency_body, &number)}</p>
                            <a class="call-button" href=href>{fill(t().emergency_call, &number)}</a>
                            <p>{t().emergency_still_send}</p>
                        </div>
                    }
                })}
                {found.crisis.then(|| view! {
                    <p role="alert" class="visually-hidden">{t().crisis_alert}</p>
                    <CrisisPanel lines=lines.clone() emergency_number=number.clone()/>
                })}
            }
            .into_any()
        }
    };

    view! {
        <section aria-labelledby="request-heading">
            <h2 id="request-heading" tabindex="-1">{t().form_heading}</h2>
            <p>{t().form_intro}</p>
            {move || restored.get().then(|| view! {
                <div class="banner banner-info" role="note">
                    <p>{t().draft_restored}</p>
                    <button type="button" class="secondary" on:click=discard>{t().discard_draft}</button>
                </div>
            }.into_any())}
            {move || replaces.get().is_some().then(|| view! {
                <p class="note">{t().fixing_note}</p>
            }.into_any())}
            <div node_ref=summary_ref tabindex="-1" class="error-summary" role="alert"
                hidden=move || errors.with(Vec::is_empty)>
                {move || (!errors.with(Vec::is_empty)).then(|| view! {
                    <h3>{t().errors_heading}</h3>
                    <ul>
                        {errors.get().into_iter().map(|error| {
                            let target = field_id(&target_field(&error.field));
                            let href = format!("#{target}");
                            let message = format!("{}: {}", text::field_name(&error.field), text::message(&error.problem, tag));
                            view! {
                                <li><a href=href on:click=move |event| {
                                    event.prevent_default();
                                    focus_by_id(&target);
                                }>{message}</a></li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any())}
            </div>
            <form class="record-form" novalidate on:submit=on_submit>
                <ReasonField reasons=config.appointment_reasons.clone() link=link_result/>
                {alerts(reason_found)}
                <Windows hours=config.opening_hours.clone()/>
                <VisitField offered=config.visit_types.clone()/>
                <NewPatientField/>
                <Input field="name" label=t().name autocomplete="name"
                    value=Signal::derive(move || draft.with(|d| d.name.clone()))
                    set=Callback::new(move |v| draft.update(|d| d.name = v))/>
                <Input field="birth_date" label=t().birth_date kind="date" autocomplete="bday"
                    value=Signal::derive(move || draft.with(|d| d.birth_date.clone()))
                    set=Callback::new(move |v| draft.update(|d| d.birth_date = v))/>
                <Input field="phone" label=t().phone kind="tel" autocomplete="tel" hint=t().phone_hint
                    value=Signal::derive(move || draft.with(|d| d.phone.clone()))
                    set=Callback::new(move |v| draft.update(|d| d.phone = v))/>
                <Input field="email" label=t().email kind="email" autocomplete="email" optional=true
                    value=Signal::derive(move || draft.with(|d| d.email.clone()))
                    set=Callback::new(move |v| draft.update(|d| d.email = v))/>
                <LanguageField/>
                <Input field="notes" label=t().notes textarea=true optional=true
                    value=notes
                    set=Callback::new(move |v| draft.update(|d| d.notes = v))/>
                {alerts(notes_found)}
                <AttachSection/>
                <ConsentField/>
                <Honeypot/>
                <div class="actions">
                    <button type="submit" aria-disabled=move || busy.get().then_some("true")>
                        {move || if busy.get() { t().sending } else { t().send }}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// A field's position in the form, for ordering the error summary.
fn order(field: &str) -> usize {
    const FIELDS: [&str; 13] = [
        "reason_text",
        "windows",
        "visit_type",
        "new_patient",
        "name",
        "birth_date",
        "phone",
        "email",
        "language",
        "notes",
        "attachments",
        "consent",
        "website",
    ];
    let head = field.split('.').next().unwrap_or(field);
    FIELDS
        .iter()
        .position(|f| *f == head)
        .unwrap_or(FIELDS.len())
}

/// The field a summary link focuses: the first radio of a group, the field itself otherwise.
fn target_field(field: &str) -> String {
    match field {
        "new_patient" => "new_patient.yes".to_owned(),
        "visit_type" => "visit_type.in_person".to_owned(),
        "language" => "language".to_owned(),
        "windows" => "windows.0.date".to_owned(),
        other => other.to_owned(),
    }
}

fn show_errors(
    errors: RwSignal<Vec<FieldError>>,
    summary: NodeRef<leptos::html::Div>,
    list: Vec<FieldError>,
) {
    errors.set(list);
    request_animation_frame(move || {
        if let Some(summary) = summary.get_untracked() {
            let _ = summary.focus();
        }
    });
}

/// What the emergency and crisis detectors found in a text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Found {
    emergency: bool,
    crisis: bool,
}

fn detect(text: &str) -> Found {
    if text.trim().is_empty() {
        return Found::default();
    }
    let text = String::from(js_sys::JsString::from(text).normalize("NFC"));
    Found {
        emergency: haven_api::emergency::detect(&text).is_some(),
        crisis: haven_api::crisis::detect(&text).is_some(),
    }
}

/// The `aria-describedby` of a control: its hint, then its error when there is one.
fn described_by(hint: Option<String>, error: Option<String>) -> Option<String> {
    match (hint, error) {
        (Some(hint), Some(error)) => Some(format!("{hint} {error}")),
        (hint, error) => hint.or(error),
    }
}

/// A labelled text control with its hint and error.
#[component]
fn Input(
    /// The field's server name.
    #[prop(into)]
    field: String,
    /// The label.
    label: &'static str,
    /// The current value.
    value: Signal<String>,
    /// Stores a new value.
    set: Callback<String>,
    /// The `type` of the input.
    #[prop(default = "text")]
    kind: &'static str,
    /// The `autocomplete` token.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// A hint under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// Marks the label "(optional)".
    #[prop(optional)]
    optional: bool,
    /// A multi-line text area instead of an input.
    #[prop(optional)]
    textarea: bool,
) -> impl IntoView {
    let errors = use_shared().errors;
    let tag = use_i18n().locale_untracked().tag();
    let id = field_id(&field);
    let hint_id = hint.map(|_| format!("{id}-hint"));
    let error_id = format!("{id}-error");
    let problem = Memo::new(move |_| problem_for(errors, &field));
    let invalid = move || problem.get().map(|_| "true");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || described_by(hint_id.clone(), problem.get().map(|_| error_id.clone()))
    };
    let label = if optional {
        fill(t().optional, label)
    } else {
        label.to_owned()
    };
    let on_input = move |event: leptos::ev::Event| set.run(event_target_value(&event));
    let control = if textarea {
        view! {
            <textarea id=id.clone() rows="4" aria-invalid=invalid aria-describedby=described
                prop:value=value on:input=on_input></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type=kind autocomplete=autocomplete aria-invalid=invalid
                aria-describedby=described aria-required=(!optional).then_some("true")
                prop:value=value on:input=on_input on:change=on_input/>
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p id=hint_id.clone() class="hint">{hint}</p> })}
            {control}
            {move || problem.get().map(|problem| view! {
                <p id=error_id.clone() class="field-error">{text::message(&problem, tag)}</p>
            }.into_any())}
        </div>
    }
}

/// An error under a group of radio buttons, with the id the group's `aria-describedby` names.
fn group_error(field: &'static str) -> impl IntoView {
    let errors = use_shared().errors;
    let tag = use_i18n().locale_untracked().tag();
    move || {
        problem_for(errors, field).map(|problem| {
            view! {
                <p id=format!("{}-error", field_id(field)) class="field-error">{text::message(&problem, tag)}</p>
            }.into_any()
        })
    }
}

/// The reason: the clinic's configured reasons, "something else", and the patient's words.
#[component]
fn ReasonField(reasons: Vec<Choice>, link: RwSignal<LinkReason>) -> impl IntoView {
    let shared = use_shared();
    let draft = shared.draft;
    let lang = crate::i18n::current_lang();
    let choice = |id: String, label: String| {
        let value = id.clone();
        view! {
            <Radio name="reason" id=format!("appt-reason-{id}") label
                checked=Signal::derive(move || draft.with(|d| d.reason_id == value))
                choose=Callback::new(move |()| draft.update(|d| d.reason_id = id.clone()))/>
        }
    };
    view! {
        <fieldset>
            <legend>{t().reason_legend}</legend>
            {move || (link.get() == LinkReason::Unknown).then(|| view! {
                <p class="note" role="note">{t().unknown_reason}</p>
            }.into_any())}
            {reasons.into_iter().map(|reason| choice(reason.id, pick(&reason.label, lang).to_owned())).collect_view()}
            {choice(draft::OTHER_REASON.to_owned(), t().reason_other.to_owned())}
        </fieldset>
        <Input field="reason_text" label=t().reason_text hint=t().reason_text_hint textarea=true
            value=Signal::derive(move || draft.with(|d| d.reason_text.clone()))
            set=Callback::new(move |v| draft.update(|d| d.reason_text = v))/>
    }
}

/// One to three preferred times, with the clinic's opening hours as a reminder.
#[component]
fn Windows(hours: Vec<OpeningHours>) -> impl IntoView {
    let draft = use_shared().draft;
    let count = Memo::new(move |_| draft.with(|d| d.windows.len()));
    let add = move |_| {
        draft.update(|d| {
            if d.windows.len() < MAX_WINDOWS {
                d.windows.push(empty_window());
            }
        });
        let index = count.get_untracked() - 1;
        request_animation_frame(move || focus_by_id(&field_id(&format!("windows.{index}.date"))));
    };
    let hint = text::opening_summary(&hours, use_i18n().locale_untracked().tag());
    view! {
        <fieldset aria-describedby="appt-windows-hint">
            <legend>{t().windows_legend}</legend>
            <p id="appt-windows-hint" class="hint">{fill(t().windows_hint, &hint)}</p>
            {move || (0..count.get()).map(|index| view! { <WindowFields index/> }).collect_view()}
            {move || (count.get() < MAX_WINDOWS).then(|| view! {
                <p><button type="button" class="secondary" on:click=add>{t().add_window}</button></p>
            }.into_any())}
        </fieldset>
    }
}

/// The date and times of window `index`.
#[component]
fn WindowFields(index: usize) -> impl IntoView {
    let shared = use_shared();
    let draft = shared.draft;
    let part = move |name: &'static str, label: &'static str, kind: &'static str| {
        let field = format!("windows.{index}.{name}");
        let value = Signal::derive(move || {
            draft.with(|d| {
                d.windows
                    .get(index)
                    .map_or_else(String::new, |w| match name {
                        "date" => w.date.clone(),
                        "from" => w.from.clone(),
                        _ => w.to.clone(),
                    })
            })
        });
        let set = Callback::new(move |v: String| {
            draft.update(|d| {
                if let Some(w) = d.windows.get_mut(index) {
                    match name {
                        "date" => w.date = v,
                        // Some browsers give seconds; the wire format is `HH:MM`.
                        "from" => w.from = v.get(..5).map_or(v.clone(), str::to_owned),
                        _ => w.to = v.get(..5).map_or(v.clone(), str::to_owned),
                    }
                }
            })
        });
        view! { <Input field label kind value set/> }
    };
    let remove = move |_| {
        draft.update(|d| {
            if d.windows.len() > 1 && index < d.windows.len() {
                d.windows.remove(index);
            }
        });
        // Remaining problems name windows by position: check again on the next submit.
        shared
            .errors
            .update(|e| e.retain(|e| !e.field.starts_with("windows.")));
        let focus = index.saturating_sub(1);
        request_animation_frame(move || focus_by_id(&field_id(&format!("windows.{focus}.date"))));
    };
    let legend = fill(t().window_legend, &(index + 1).to_string());
    let removable = move || draft.with(|d| d.windows.len() > 1);
    view! {
        <fieldset class="window">
            <legend>{legend.clone()}</legend>
            {part("date", t().window_date, "date")}
            {part("from", t().window_from, "time")}
            {part("to", t().window_to, "time")}
            {move || removable().then(|| view! {
                <p><button type="button" class="secondary" aria-label=fill(t().remove_window_label, &(index + 1).to_string())
                    on:click=remove>{t().remove_window}</button></p>
            }.into_any())}
        </fieldset>
    }
}

/// One radio button with its label; every group of the form uses this one component, so its
/// rendering code is compiled once.
#[component]
fn Radio(
    /// The group's name.
    name: &'static str,
    /// The element id.
    id: String,
    /// The label.
    label: String,
    /// Whether it is the chosen one.
    checked: Signal<bool>,
    /// Chooses it.
    choose: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="choice">
            <input type="radio" name=name id=id.clone() prop:checked=checked
                on:change=move |_| choose.run(())/>
            <label for=id>{label}</label>
        </div>
    }
}

/// In person, by phone or by video.
#[component]
fn VisitField(offered: Vec<VisitType>) -> impl IntoView {
    let draft = use_shared().draft;
    view! {
        <fieldset>
            <legend>{t().visit_legend}</legend>
            {offered.into_iter().map(|visit| view! {
                <Radio name="visit_type" id=field_id(&format!("visit_type.{}", visit.as_str()))
                    label=text::visit_type(visit).to_owned()
                    checked=Signal::derive(move || draft.with(|d| d.visit_type == visit))
                    choose=Callback::new(move |()| draft.update(|d| d.visit_type = visit))/>
            }).collect_view()}
        </fieldset>
    }
}

/// New or returning patient.
#[component]
fn NewPatientField() -> impl IntoView {
    let shared = use_shared();
    let draft = shared.draft;
    let errors = shared.errors;
    let described = move || {
        problem_for(errors, "new_patient").map(|_| format!("{}-error", field_id("new_patient")))
    };
    let options = [
        (true, "new_patient.yes", t().new_patient_yes),
        (false, "new_patient.no", t().new_patient_no),
    ];
    view! {
        <fieldset aria-describedby=described>
            <legend>{t().new_patient_legend}</legend>
            {group_error("new_patient")}
            {options.into_iter().map(|(value, field, label)| view! {
                <Radio name="new_patient" id=field_id(field) label=label.to_owned()
                    checked=Signal::derive(move || draft.with(|d| d.new_patient == Some(value)))
                    choose=Callback::new(move |()| draft.update(|d| d.new_patient = Some(value)))/>
            }).collect_view()}
        </fieldset>
    }
}

/// The language the clinic should answer in.
#[component]
fn LanguageField() -> impl IntoView {
    let draft = use_shared().draft;
    view! {
        <div class="field">
            <label for="appt-language">{t().language}</label>
            <select id="appt-language" on:change=move |event| {
                if let Some(lang) = Lang::from_tag(&event_target_value(&event)) {
                    draft.update(|d| d.language = lang);
                }
            }>
                {Lang::ALL.into_iter().map(|lang| view! {
                    <option value=lang.tag() selected=move || draft.with(|d| d.language == lang)>{lang.native_name()}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// Consent to be contacted about the request.
#[component]
fn ConsentField() -> impl IntoView {
    let shared = use_shared();
    let draft = shared.draft;
    let errors = shared.errors;
    let tag = use_i18n().locale_untracked().tag();
    let id = field_id("consent");
    let error_id = format!("{id}-error");
    let problem = Memo::new(move |_| problem_for(errors, "consent"));
    let described = {
        let error_id = error_id.clone();
        move || problem.get().map(|_| error_id.clone())
    };
    view! {
        <div class="field field-check">
            <input type="checkbox" id=id.clone() aria-required="true"
                aria-invalid=move || problem.get().map(|_| "true") aria-describedby=described
                prop:checked=move || draft.with(|d| d.consent)
                on:change=move |event| draft.update(|d| d.consent = event_target_checked(&event))/>
            <label for=id>{t().consent}</label>
        </div>
        {move || problem.get().map(|problem| view! {
            <p id=error_id.clone() class="field-error">{text::message(&problem, tag)}</p>
        }.into_any())}
    }
}

/// A field people never see or reach; form-filling robots fill it, and the server refuses
/// their requests.
#[component]
fn Honeypot() -> impl IntoView {
    let draft = use_shared().draft;
    view! {
        <div class="visually-hidden" aria-hidden="true">
            <label for="appt-website">{t().website}</label>
            <input type="text" id="appt-website" name="website" tabindex="-1" autocomplete="off"
                prop:value=move || draft.with(|d| d.website.clone())
                on:input=move |event| draft.update(|d| d.website = event_target_value(&event))/>
        </div>
    }
}

/// Where the picker's chunk stands.
#[derive(Debug, Clone, Copy)]
enum Load {
    Idle,
    Loading,
    Ready(attach::Build),
    Failed,
}

/// Optional items from the patient's record, chosen with the shared picker (its own chunk,
/// loaded when the patient opens this part), with a preview of exactly what is sent. Once
/// open, or while items are chosen (a restored draft), the picker stays in view.
#[component]
fn AttachSection() -> impl IntoView {
    let shared = use_shared();
    let chosen = shared.chosen;
    let errors = shared.errors;
    let tag = use_i18n().locale_untracked().tag();
    let open = RwSignal::new(false);
    let shown = Memo::new(move |_| open.get() || !chosen.with(BTreeSet::is_empty));
    let load = RwSignal::new(Load::Idle);
    // Fetching the picker's chunk is talking to the outside world: an effect.
    Effect::new(move |_| {
        if shown.get() && matches!(load.get(), Load::Idle) {
            load.set(Load::Loading);
            spawn_local(async move {
                let loaded = attach::picker().await;
                load.try_set(match loaded {
                    Ok(build) => Load::Ready(build),
                    Err(_) => Load::Failed,
                });
            });
        }
    });
    let problem = Memo::new(move |_| problem_for(errors, "attachments"));
    let picker = move || {
        match load.get() {
        Load::Idle => None,
        Load::Loading => {
            Some(view! { <p class="muted" role="status">{t().attach_loading}</p> }.into_any())
        }
        Load::Failed => Some(
            view! {
                <div class="banner banner-warning" role="alert">
                    <p>{t().attach_failed}</p>
                    <button type="button" on:click=move |_| load.set(Load::Idle)>{t().retry}</button>
                </div>
            }
            .into_any(),
        ),
        Load::Ready(build) => {
            let picker = build(chosen);
            shared.picker_check.set_value(Some(picker.check));
            shared.picker_payload.set_value(Some(picker.payload));
            let check = picker.check;
            Some(view! { {picker.view} <Documents check/> }.into_any())
        }
    }
    };
    view! {
        <section id="appt-attachments" tabindex="-1" aria-labelledby="attach-heading">
            <h3 id="attach-heading">{t().attach_heading}</h3>
            <p class="hint">{t().attach_hint}</p>
            {move || (!shown.get()).then(|| view! {
                <p>
                    <button type="button" class="secondary" on:click=move |_| {
                        open.set(true);
                        focus_by_id("appt-attachments");
                    }>{t().attach_show}</button>
                </p>
            }.into_any())}
            {picker}
            {move || problem.get().map(|problem| view! {
                <p class="field-error">{text::message(&problem, tag)}</p>
            }.into_any())}
        </section>
    }
}

/// Chosen documents are refused, with a way to untick them all.
#[component]
fn Documents(check: Signal<Check>) -> impl IntoView {
    let chosen = use_shared().chosen;
    move || {
        let documents = check.with(|c| c.documents.clone());
        (!documents.is_empty()).then(|| {
            view! {
                <div class="banner banner-warning" role="alert">
                    <p>{t().documents_refused}</p>
                    <button type="button" on:click=move |_| chosen.update(|ids| {
                        for id in &documents {
                            ids.remove(id);
                        }
                    })>{t().remove_documents}</button>
                </div>
            }
            .into_any()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_ids_follow_the_server_names() {
        assert_eq!(field_id("windows.1.from"), "appt-windows-1-from");
        assert_eq!(field_id("phone"), "appt-phone");
    }

    #[test]
    fn the_summary_follows_the_form_order() {
        let mut fields = [
            "consent",
            "attachments",
            "notes",
            "windows.1.to",
            "reason_text",
        ];
        fields.sort_by_key(|f| order(f));
        assert_eq!(
            fields,
            [
                "reason_text",
                "windows.1.to",
                "notes",
                "attachments",
                "consent"
            ]
        );
    }

    #[test]
    fn a_hint_and_an_error_both_describe_a_control() {
        assert_eq!(
            described_by(Some("h".into()), Some("e".into())).as_deref(),
            Some("h e")
        );
        assert_eq!(described_by(None, Some("e".into())).as_deref(), Some("e"));
        assert_eq!(described_by(None, None), None);
    }
}

//! What staff do to a request: confirm a time, propose another, decline with a message, or
//! note that the patient was contacted. Only what the request's status allows is offered;
//! messages for the patient start from templates in the patient's language.

use std::collections::BTreeMap;

use haven_api::appointments::{
    MAX_TEXT_CHARS, RequestDetail, RequestStatus, Slot, StaffAction, TimeWindow,
};
use haven_api::date::Date;
use haven_api::lang::Lang;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::describe::is_time;
use super::detail::RequestContext;
use super::templates::{CONFIRM_NOTES, DECLINE, PROPOSE_NOTES, Template};
use super::{InboxContext, use_inbox};
use crate::auth::use_session;
use crate::format::{day, lang_label, today_in};
use crate::forms::{FieldError, FormErrors, TextField, described_by};
use crate::i18n::{Catalog, Text, catalog, fill, tr, use_i18n};
use crate::layout::Status;

/// The fields of an action, named as the server names them in a 422's `fields`.
const DATE: &str = "slot.date";
const TIME: &str = "slot.time";
const MESSAGE: &str = "message";
/// The fields in the order the forms show them.
const FIELDS: [&str; 3] = [DATE, TIME, MESSAGE];

/// What staff can choose to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Book a time.
    Confirm,
    /// Offer another time.
    Propose,
    /// Say no, with a message.
    Decline,
    /// Note that the patient was contacted.
    Contacted,
}

impl Choice {
    /// The choice's name in the document (ids, radio values).
    fn key(self) -> &'static str {
        match self {
            Choice::Confirm => "confirm",
            Choice::Propose => "propose",
            Choice::Decline => "decline",
            Choice::Contacted => "contacted",
        }
    }

    /// The choice as the radio button names it.
    fn label(self, status: RequestStatus, t: &'static Catalog) -> &'static str {
        match self {
            Choice::Confirm => t.choice_confirm,
            Choice::Propose => t.choice_propose,
            Choice::Decline if status == RequestStatus::Confirmed => t.choice_cancel,
            Choice::Decline => t.choice_decline,
            Choice::Contacted if status == RequestStatus::New => t.choice_contacted,
            Choice::Contacted => t.choice_note_contact,
        }
    }

    /// The id of one of the choice's fields.
    fn field_id(self, field: &str) -> String {
        let suffix = match field {
            DATE => "date",
            TIME => "time",
            _ => "message",
        };
        format!("{}-{suffix}", self.key())
    }
}

/// What can be done to a request with this status, as the server allows it: an open request
/// (new, contacted, proposed) can be answered in every way; a confirmed one can only be
/// cancelled (declined, with a message); a declined or withdrawn one is settled.
pub fn allowed(status: RequestStatus) -> &'static [Choice] {
    match status {
        RequestStatus::New | RequestStatus::Contacted | RequestStatus::Proposed => &[
            Choice::Confirm,
            Choice::Propose,
            Choice::Decline,
            Choice::Contacted,
        ],
        RequestStatus::Confirmed => &[Choice::Decline],
        RequestStatus::Declined | RequestStatus::Withdrawn => &[],
    }
}

/// Checks a message for the patient; `required` for a decline.
fn check_message(
    text: &str,
    required: bool,
    fields: &mut BTreeMap<&'static str, String>,
    t: &Catalog,
) -> String {
    let text = text.trim();
    let length = text.chars().count();
    if required && text.is_empty() {
        fields.insert(MESSAGE, t.write_message.to_owned());
    } else if length > MAX_TEXT_CHARS {
        fields.insert(
            MESSAGE,
            fill(&fill(t.shorten_message, MAX_TEXT_CHARS), length),
        );
    }
    text.to_owned()
}

/// A confirm or propose action from the form, checked as the server will (the server also
/// checks the clinic's opening hours). `today` is the clinic's date; messages are in `t`'s
/// language.
pub fn slot_action(
    choice: Choice,
    date: &str,
    time: &str,
    message: &str,
    today: Date,
    t: &Catalog,
) -> Result<StaffAction, FormErrors> {
    let mut fields = BTreeMap::new();
    let date = date.trim();
    let day = Date::parse(date);
    match day {
        _ if date.is_empty() => {
            fields.insert(DATE, t.enter_day.to_owned());
        }
        None => {
            fields.insert(DATE, t.enter_whole_date.to_owned());
        }
        Some(day) if day < today => {
            fields.insert(DATE, t.day_passed.to_owned());
        }
        Some(_) => {}
    }
    // A time input with seconds (`14:30:00`) still means 14:30.
    let time = time.trim();
    let time = time
        .get(..5)
        .filter(|_| time.len() == 5 || time.len() == 8)
        .unwrap_or(time);
    if time.is_empty() {
        fields.insert(TIME, t.enter_time.to_owned());
    } else if !is_time(time) {
        fields.insert(TIME, t.time_24_hour.to_owned());
    }
    let message = check_message(message, false, &mut fields, t);
    if !fields.is_empty() {
        return Err(FormErrors::invalid(fields, t));
    }
    let slot = Slot {
        date: date.to_owned(),
        time: time.to_owned(),
    };
    Ok(match choice {
        Choice::Propose => StaffAction::Propose { slot, message },
        _ => StaffAction::Confirm { slot, message },
    })
}

/// A decline from the form: it needs a message.
pub fn decline_action(message: &str, t: &Catalog) -> Result<StaffAction, FormErrors> {
    let mut fields = BTreeMap::new();
    let message = check_message(message, true, &mut fields, t);
    if fields.is_empty() {
        Ok(StaffAction::Decline { message })
    } else {
        Err(FormErrors::invalid(fields, t))
    }
}

/// What an action did, for the status line, in the console's language `lang`.
fn done_text(action: &StaffAction, lang: Lang) -> String {
    let t = catalog(lang);
    let slot_text = |slot: &Slot| {
        let when =
            Date::parse(&slot.date).map_or_else(|| slot.date.clone(), |d| day(d, true, lang));
        format!("{when}{}{}", t.at_time, slot.time)
    };
    match action {
        StaffAction::Confirm { slot, .. } => fill(t.done_confirmed, slot_text(slot)),
        StaffAction::Propose { slot, .. } => fill(t.done_proposed, slot_text(slot)),
        StaffAction::Decline { .. } => t.done_declined.to_owned(),
        StaffAction::MarkContacted => t.done_contacted.to_owned(),
    }
}

/// Which choice an action came from.
fn choice_of(action: &StaffAction) -> Choice {
    match action {
        StaffAction::Confirm { .. } => Choice::Confirm,
        StaffAction::Propose { .. } => Choice::Propose,
        StaffAction::Decline { .. } => Choice::Decline,
        StaffAction::MarkContacted => Choice::Contacted,
    }
}

/// Moves focus to a field by its id (the form that shows it is in the document).
fn focus_by_id(id: &str) {
    let element = document()
        .get_element_by_id(id)
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        _ = element.focus();
    }
}

/// A message being written for the patient: its text, its language, and the template it
/// started from.
#[derive(Debug, Clone, Copy)]
struct MessageDraft {
    text: RwSignal<String>,
    lang: RwSignal<Lang>,
    template: RwSignal<Option<usize>>,
}

impl MessageDraft {
    fn new(lang: Lang) -> Self {
        MessageDraft {
            text: RwSignal::new(String::new()),
            lang: RwSignal::new(lang),
            template: RwSignal::new(None),
        }
    }

    fn clear(self) {
        self.text.set(String::new());
        self.template.set(None);
    }
}

/// A time being chosen, with a note for the patient.
#[derive(Debug, Clone, Copy)]
struct SlotDraft {
    date: RwSignal<String>,
    time: RwSignal<String>,
    note: MessageDraft,
}

/// The "What to do" section: the choices the status allows, and the chosen one's form.
#[component]
pub(super) fn ActionsPanel(current: Memo<RequestDetail>, context: RequestContext) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let inbox = use_inbox();
    let (lang, windows) =
        current.with_untracked(|detail| (detail.request.language, detail.request.windows.clone()));
    let status = Memo::new(move |_| current.with(|detail| detail.state.status));
    let chosen = RwSignal::new(None::<Choice>);
    let shown = Memo::new(move |_| {
        let allowed = allowed(status.get());
        chosen
            .get()
            .filter(|choice| allowed.contains(choice))
            .or_else(|| allowed.first().copied())
    });
    let errors = RwSignal::new(FormErrors::default());
    // The first preferred window is the most likely booking.
    let first = windows.first();
    let confirm = SlotDraft {
        date: RwSignal::new(first.map(|w| w.date.clone()).unwrap_or_default()),
        time: RwSignal::new(first.map(|w| w.from.clone()).unwrap_or_default()),
        note: MessageDraft::new(lang),
    };
    let propose = SlotDraft {
        date: RwSignal::new(String::new()),
        time: RwSignal::new(String::new()),
        note: MessageDraft::new(lang),
    };
    let decline = MessageDraft::new(lang);
    let emergency = Signal::derive(move || {
        inbox
            .and_then(InboxContext::config)
            .map(|config| config.clinic.emergency_number)
            .unwrap_or_default()
    });

    let act = Action::new_local(move |action: &StaffAction| {
        let id = context.id.get_untracked();
        let pending = session.guard(session.client().act_on_request(&id, action));
        let lang = i18n.lang_untracked();
        let done = done_text(action, lang);
        let choice = choice_of(action);
        async move {
            match pending.await {
                Ok(detail) => {
                    errors.set(FormErrors::default());
                    match choice {
                        Choice::Confirm => confirm.note.clear(),
                        Choice::Propose => propose.note.clear(),
                        Choice::Decline => decline.clear(),
                        Choice::Contacted => {}
                    }
                    context.updated(detail, done);
                }
                Err(error) if error.status() == Some(422) => {
                    let found = FormErrors::from_api(&error, &FIELDS, lang);
                    if let Some(field) = found.first_invalid(&FIELDS) {
                        focus_by_id(&choice.field_id(field));
                    }
                    errors.set(found);
                }
                Err(error) if error.status() == Some(409) => {
                    context
                        .status
                        .set(Status::failed(catalog(lang).nothing_changed_closed));
                    context.request.refetch();
                    if let Some(heading) = context.status_heading.get_untracked() {
                        _ = heading.focus();
                    }
                }
                Err(error) => {
                    let text = fill(catalog(lang).nothing_changed, error.text(lang));
                    context.status.set(Status::failed(text));
                }
            }
        }
    });
    let pending = act.pending();
    let today = move || {
        let zone = inbox.and_then(|inbox| inbox.time_zone());
        today_in(zone.as_deref())
    };
    let submit_slot = move |choice: Choice, draft: SlotDraft| {
        if pending.get_untracked() {
            return;
        }
        let parsed = slot_action(
            choice,
            &draft.date.get_untracked(),
            &draft.time.get_untracked(),
            &draft.note.text.get_untracked(),
            today(),
            i18n.t_untracked(),
        );
        match parsed {
            Ok(action) => {
                errors.set(FormErrors::default());
                act.dispatch_local(action);
            }
            Err(found) => {
                if let Some(field) = found.first_invalid(&FIELDS) {
                    focus_by_id(&choice.field_id(field));
                }
                errors.set(found);
            }
        }
    };
    let submit_decline = move || {
        if pending.get_untracked() {
            return;
        }
        match decline_action(&decline.text.get_untracked(), i18n.t_untracked()) {
            Ok(action) => {
                errors.set(FormErrors::default());
                act.dispatch_local(action);
            }
            Err(found) => {
                focus_by_id(&Choice::Decline.field_id(MESSAGE));
                errors.set(found);
            }
        }
    };
    let submit_contacted = move || {
        if !pending.get_untracked() {
            errors.set(FormErrors::default());
            act.dispatch_local(StaffAction::MarkContacted);
        }
    };

    let form_status = Signal::derive(move || {
        if pending.get() {
            Some(i18n.t().sending.to_owned())
        } else {
            errors.with(|errors| errors.summary.clone())
        }
    });
    let choices = move || {
        let status = status.get();
        allowed(status)
            .iter()
            .map(|&choice| {
                let id = format!("choose-{}", choice.key());
                view! {
                    <div class="radio">
                        <input
                            type="radio"
                            name="choice"
                            id=id.clone()
                            value=choice.key()
                            prop:checked=move || shown.get() == Some(choice)
                            on:change=move |_| {
                                errors.set(FormErrors::default());
                                chosen.set(Some(choice));
                            }
                        />
                        <label for=id>{move || choice.label(status, i18n.t())}</label>
                    </div>
                }
            })
            .collect_view()
    };
    let form = move || {
        let windows = windows.clone();
        match shown.get() {
            None => {
                let why: Text = match status.get() {
                    RequestStatus::Withdrawn => |t| t.closed_withdrawn,
                    _ => |t| t.closed_declined,
                };
                view! { <p>{tr(why)} " " {tr(|t| t.closed_nothing_more)}</p> }.into_any()
            }
            Some(choice @ (Choice::Confirm | Choice::Propose)) => {
                let draft = if choice == Choice::Confirm {
                    confirm
                } else {
                    propose
                };
                view! {
                    <SlotForm
                        choice
                        draft
                        windows
                        errors
                        emergency
                        form_status
                        on_submit=move || submit_slot(choice, draft)
                    />
                }
                .into_any()
            }
            Some(Choice::Decline) => {
                let cancelling = status.get() == RequestStatus::Confirmed;
                view! {
                    <DeclineForm
                        cancelling
                        draft=decline
                        errors
                        emergency
                        form_status
                        on_submit=submit_decline
                    />
                }
                .into_any()
            }
            Some(Choice::Contacted) => {
                let first = status.get() == RequestStatus::New;
                view! { <ContactedForm first form_status on_submit=submit_contacted /> }.into_any()
            }
        }
    };

    view! {
        <section aria-labelledby="respond">
            <h2 id="respond">{tr(|t| t.what_to_do)}</h2>
            <Show when=move || !allowed(status.get()).is_empty()>
                <fieldset class="choices">
                    <legend>{tr(|t| t.choose_action)}</legend>
                    {choices}
                </fieldset>
            </Show>
            {form}
        </section>
    }
}

/// The form for a time: confirm or propose.
#[component]
fn SlotForm(
    choice: Choice,
    draft: SlotDraft,
    windows: Vec<TimeWindow>,
    errors: RwSignal<FormErrors>,
    emergency: Signal<String>,
    form_status: Signal<Option<String>>,
    on_submit: impl Fn() + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let field_error =
        move |name: &'static str| Signal::derive(move || errors.with(|e| e.field(name)));
    let (date_id, time_id, intro, templates, button): (_, _, Text, &'static [Template], Text) =
        match choice {
            Choice::Propose => (
                "propose-date",
                "propose-time",
                |t| t.propose_intro,
                &PROPOSE_NOTES,
                |t| t.propose_button,
            ),
            _ => (
                "confirm-date",
                "confirm-time",
                |t| t.confirm_intro,
                &CONFIRM_NOTES,
                |t| t.confirm_button,
            ),
        };
    let use_window = windows
        .into_iter()
        .filter_map(|window| {
            let date = Date::parse(&window.date)?;
            let from = window.from.clone();
            let text = move || {
                let when = format!("{}, {from}", day(date, true, i18n.lang()));
                fill(i18n.t().use_window, when)
            };
            Some(view! {
                <li>
                    <button
                        type="button"
                        on:click=move |_| {
                            draft.date.set(window.date.clone());
                            draft.time.set(window.from.clone());
                        }
                    >
                        {text}
                    </button>
                </li>
            })
        })
        .collect_view();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        on_submit();
    };
    view! {
        <form class="form action-form" novalidate=true on:submit=submit>
            <p class="hint">{tr(intro)}</p>
            <div class="slot-fields">
                <TextField
                    id=date_id
                    label=tr(|t| t.day)
                    kind="date"
                    autocomplete="off"
                    value=draft.date
                    error=field_error(DATE)
                />
                <TextField
                    id=time_id
                    label=tr(|t| t.time_clinic_clock)
                    kind="time"
                    autocomplete="off"
                    value=draft.time
                    error=field_error(TIME)
                />
            </div>
            <div class="use-windows">
                <p id=format!("{}-windows", choice.key())>{tr(|t| t.patients_preferred_times)}</p>
                <ul aria-labelledby=format!("{}-windows", choice.key())>{use_window}</ul>
            </div>
            <MessageField
                prefix=choice.key()
                label=|t| t.note_for_patient
                required=false
                draft=draft.note
                templates
                emergency
                error=field_error(MESSAGE)
            />
            <p class="form-status" aria-live="polite" aria-atomic="true">{form_status}</p>
            <button type="submit" class="primary">{tr(button)}</button>
        </form>
    }
}

/// The form that declines a request with a message.
#[component]
fn DeclineForm(
    cancelling: bool,
    draft: MessageDraft,
    errors: RwSignal<FormErrors>,
    emergency: Signal<String>,
    form_status: Signal<Option<String>>,
    on_submit: impl Fn() + 'static,
) -> impl IntoView {
    let error = Signal::derive(move || errors.with(|e| e.field(MESSAGE)));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        on_submit();
    };
    view! {
        <form class="form action-form" novalidate=true on:submit=submit>
            <p class="hint">
                {if cancelling { tr(|t| t.decline_intro_cancel) } else { tr(|t| t.decline_intro) }}
                " "
                {tr(|t| t.decline_closes)}
            </p>
            <MessageField
                prefix="decline"
                label=|t| t.message_for_patient
                required=true
                draft
                templates=&DECLINE
                emergency
                error
            />
            <p class="form-status" aria-live="polite" aria-atomic="true">{form_status}</p>
            <button type="submit" class="primary">
                {if cancelling { tr(|t| t.cancel_button) } else { tr(|t| t.decline_button) }}
            </button>
        </form>
    }
}

/// The form that notes a contact.
#[component]
fn ContactedForm(
    first: bool,
    form_status: Signal<Option<String>>,
    on_submit: impl Fn() + 'static,
) -> impl IntoView {
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        on_submit();
    };
    view! {
        <form class="form action-form" novalidate=true on:submit=submit>
            <p class="hint">{tr(|t| t.contacted_intro)}</p>
            <p class="form-status" aria-live="polite" aria-atomic="true">{form_status}</p>
            <button type="submit" class="primary">
                {if first { tr(|t| t.choice_contacted) } else { tr(|t| t.note_contact_button) }}
            </button>
        </form>
    }
}

/// A message for the patient: its language (the patient's, to start with), a template to
/// start from, and the text, which staff can edit.
#[component]
fn MessageField(
    prefix: &'static str,
    label: Text,
    required: bool,
    draft: MessageDraft,
    templates: &'static [Template],
    emergency: Signal<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let patient_lang = draft.lang.get_untracked();
    let (lang_id, template_id, text_id) = (
        format!("{prefix}-message-lang"),
        format!("{prefix}-template"),
        format!("{prefix}-message"),
    );
    let (hint_id, error_id) = (format!("{text_id}-hint"), format!("{text_id}-error"));
    let lang_hint_id = format!("{lang_id}-hint");
    let template_text = move |index: usize, lang: Lang| {
        templates
            .get(index)
            .map(|template| template.text(lang, &emergency.get_untracked()))
    };
    let on_template = move |ev| {
        let index = event_target_value(&ev).parse::<usize>().ok();
        draft.template.set(index);
        if let Some(text) = index.and_then(|index| template_text(index, draft.lang.get_untracked()))
        {
            draft.text.set(text);
        }
    };
    let on_lang = move |ev| {
        let Some(lang) = Lang::from_tag(&event_target_value(&ev)) else {
            return;
        };
        let old = draft.lang.get_untracked();
        // An unedited template follows the language; edited text is the staff member's.
        if let Some(index) = draft.template.get_untracked()
            && template_text(index, old) == Some(draft.text.get_untracked())
            && let Some(text) = template_text(index, lang)
        {
            draft.text.set(text);
        }
        draft.lang.set(lang);
    };
    let lang_options = Lang::ALL
        .into_iter()
        .map(|lang| {
            view! {
                <option value=lang.tag() prop:selected=move || draft.lang.get() == lang>
                    {move || lang_label(lang, i18n.t())}
                </option>
            }
        })
        .collect_view();
    let template_options = templates
        .iter()
        .enumerate()
        .map(|(index, template)| {
            view! {
                <option
                    value=index.to_string()
                    prop:selected=move || draft.template.get() == Some(index)
                >
                    {move || template.title.get(i18n.lang())}
                </option>
            }
        })
        .collect_view();
    let lang_hint = move || {
        let t = i18n.t();
        let chosen = draft.lang.get();
        let asked = lang_label(patient_lang, t);
        if chosen == patient_lang {
            fill(t.answer_in_hint, asked)
        } else {
            fill(&fill(t.answer_in_hint_not, asked), lang_label(chosen, t))
        }
    };
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || described_by(Some(&hint_id), &error_id, error.with(Option::is_some))
    };
    let lang_hint_view = {
        let id = lang_hint_id.clone();
        move || view! { <p class="hint" id=id.clone()>{lang_hint}</p> }
    };
    view! {
        <fieldset class="message">
            <legend>{tr(label)}</legend>
            <div class="message-controls">
                <div class="field">
                    <label for=lang_id.clone()>{tr(|t| t.message_language)}</label>
                    <select id=lang_id.clone() aria-describedby=lang_hint_id on:change=on_lang>
                        {lang_options}
                    </select>
                    {lang_hint_view}
                </div>
                <div class="field">
                    <label for=template_id.clone()>{tr(|t| t.start_from_template)}</label>
                    <select id=template_id on:change=on_template>
                        <option value="" prop:selected=move || draft.template.get().is_none()>
                            {tr(|t| t.no_template)}
                        </option>
                        {template_options}
                    </select>
                </div>
            </div>
            <div class="field">
                <label for=text_id.clone()>
                    {if required { tr(|t| t.message) } else { tr(|t| t.note) }}
                </label>
                <p class="hint" id=hint_id>
                    {move || fill(i18n.t().message_hint, MAX_TEXT_CHARS)}
                </p>
                <textarea
                    id=text_id.clone()
                    name="message"
                    rows="5"
                    lang=move || draft.lang.get().tag()
                    required=required
                    prop:value=move || draft.text.get()
                    on:input=move |ev| draft.text.set(event_target_value(&ev))
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=described
                ></textarea>
                <FieldError id=error_id error />
            </div>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> &'static Catalog {
        catalog(Lang::En)
    }

    fn today() -> Date {
        Date::parse("2026-12-02").unwrap()
    }

    #[test]
    fn only_what_the_status_allows_is_offered() {
        for open in [
            RequestStatus::New,
            RequestStatus::Contacted,
            RequestStatus::Proposed,
        ] {
            assert_eq!(allowed(open).len(), 4, "{open:?}");
        }
        assert_eq!(allowed(RequestStatus::Confirmed), [Choice::Decline]);
        assert_eq!(
            Choice::Decline.label(RequestStatus::Confirmed, en()),
            "Cancel the appointment"
        );
        assert!(allowed(RequestStatus::Declined).is_empty());
        assert!(allowed(RequestStatus::Withdrawn).is_empty());
    }

    #[test]
    fn a_complete_slot_becomes_the_action_chosen() {
        let action =
            slot_action(Choice::Confirm, "2026-12-08", "14:30", " ", today(), en()).unwrap();
        assert_eq!(
            action,
            StaffAction::Confirm {
                slot: Slot {
                    date: "2026-12-08".into(),
                    time: "14:30".into()
                },
                message: String::new()
            }
        );
        let action = slot_action(
            Choice::Propose,
            "2026-12-08",
            "09:05:00",
            "Hẹn gặp",
            today(),
            en(),
        )
        .unwrap();
        assert!(matches!(
            action,
            StaffAction::Propose { slot, message } if slot.time == "09:05" && message == "Hẹn gặp"
        ));
    }

    #[test]
    fn a_slot_names_each_missing_or_wrong_part() {
        let errors = slot_action(Choice::Confirm, "", "", "", today(), en()).unwrap_err();
        assert_eq!(errors.fields.len(), 2);
        assert_eq!(errors.first_invalid(&FIELDS), Some(DATE));
        let errors =
            slot_action(Choice::Confirm, "2026-12-01", "25:00", "", today(), en()).unwrap_err();
        assert!(errors.field(DATE).unwrap().contains("has passed"));
        assert!(errors.field(TIME).unwrap().contains("24-hour clock"));
        let long = "x".repeat(MAX_TEXT_CHARS + 1);
        let errors =
            slot_action(Choice::Confirm, "2026-12-08", "14:30", &long, today(), en()).unwrap_err();
        assert!(errors.field(MESSAGE).unwrap().contains("Shorten"));
    }

    #[test]
    fn a_decline_needs_a_message() {
        let errors = decline_action("  ", en()).unwrap_err();
        assert!(errors.field(MESSAGE).is_some());
        assert_eq!(
            decline_action(" Rất tiếc ", en()).unwrap(),
            StaffAction::Decline {
                message: "Rất tiếc".into()
            }
        );
    }

    #[test]
    fn server_field_names_lead_to_the_chosen_forms_controls() {
        assert_eq!(Choice::Confirm.field_id(DATE), "confirm-date");
        assert_eq!(Choice::Propose.field_id(TIME), "propose-time");
        assert_eq!(Choice::Decline.field_id(MESSAGE), "decline-message");
    }
}
